"""The last guard on what a secret scanner's report publishes: known secret texts redacted."""

from __future__ import annotations

from collections.abc import Iterable

REDACTED = "[redacted]"


def scrub(value: str, secrets: Iterable[str]) -> str:
    """``value`` with every secret text replaced: a last guard on the fields we publish."""
    for secret in sorted({s for s in secrets if len(s) >= 4}, key=len, reverse=True):
        value = value.replace(secret, REDACTED)
    return value


def scrub_optional(value: str | None, secrets: Iterable[str]) -> str | None:
    """:func:`scrub` of a field that may be absent."""
    return None if value is None else scrub(value, secrets)

"""The last guard on what a secret scanner's report publishes: known secret texts redacted."""

from __future__ import annotations

from collections.abc import Iterable

REDACTED = "[redacted]"


def hidden(secrets: Iterable[str]) -> tuple[str, ...]:
    """The secret texts :func:`scrub` replaces: four characters or more, longest first (a
    short secret may be part of a longer one). Worked out once per finding, for its fields."""
    return tuple(sorted({s for s in secrets if len(s) >= 4}, key=len, reverse=True))


def scrub(value: str, secrets: Iterable[str]) -> str:
    """``value`` with every secret text replaced: a last guard on the fields we publish."""
    return scrub_hidden(value, hidden(secrets))


def scrub_hidden(value: str, secrets: tuple[str, ...]) -> str:
    """:func:`scrub` with the secrets already :func:`hidden`."""
    for secret in secrets:
        if secret in value:
            value = value.replace(secret, REDACTED)
    return value


def scrub_optional(value: str | None, secrets: Iterable[str]) -> str | None:
    """:func:`scrub` of a field that may be absent."""
    return None if value is None else scrub(value, secrets)

"""Helpers shared by the deps family's readers (dependency, image, web and secret scanners).

The reports these tools write are loosely typed JSON or XML; these accessors turn a wrong
shape into a :class:`ReportError` naming the file instead of a ``KeyError`` or ``TypeError``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from phasebook.evidence import Severity, fingerprint
from phasebook.readers.base import ReportError

REDACTED = "[redacted]"

_EMPTY_BODY = re.compile(r"\A\s*(?:null|\[\s*\])\s*\Z")


def is_empty_body(head: str) -> bool:
    """``null`` or ``[]``: several tools' way of saying "nothing found", shared by many formats."""
    return len(head) < 64 and _EMPTY_BODY.match(head) is not None


def path_hints(path: Path, *words: str) -> bool:
    """Whether the file's path names one of ``words`` (only a hint, for ambiguous bodies)."""
    text = path.as_posix().lower()
    return any(word in text for word in words)


def obj(path: Path, value: Any, what: str) -> dict[str, Any]:
    """``value`` as a JSON object, or an error saying what was expected where."""
    if not isinstance(value, dict):
        raise ReportError(path, f"expected an object for {what}, found {_kind(value)}")
    return value


def arr(path: Path, value: Any, what: str) -> list[Any]:
    """``value`` as a JSON array (``null`` counts as empty), or an error."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise ReportError(path, f"expected an array for {what}, found {_kind(value)}")
    return value


def _kind(value: Any) -> str:
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}.get(
        type(value), "null" if value is None else "a number"
    )


def text(value: Any) -> str:
    """A scalar as text; containers and ``null`` become empty text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    return ""


def opt_text(value: Any) -> str | None:
    """A scalar as text, or ``None`` when empty or not a scalar."""
    result = text(value).strip()
    return result or None


def opt_int(value: Any) -> int | None:
    """An integer (also from digits in a string), or ``None``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def texts(values: Any) -> list[str]:
    """A list of scalars as non-empty texts (a single scalar becomes a one-item list)."""
    items = values if isinstance(values, list) else [values]
    return [t for t in (opt_text(item) for item in items) if t]


def joined(values: Any) -> str | None:
    """Several versions or ids as one comma-separated value, ``None`` when there are none."""
    items = list(dict.fromkeys(texts(values)))
    return ", ".join(items) or None


def ids_with_prefix(values: Iterable[str], prefix: str) -> tuple[str, ...]:
    """The ids that start with ``prefix`` (``CVE-``, ``CWE-``), upper-cased and deduplicated."""
    found = [v.strip().upper() for v in values if v.strip().upper().startswith(prefix)]
    return tuple(dict.fromkeys(found))


def cwe_ids(values: Any) -> tuple[str, ...]:
    """CWE ids from numbers or ``CWE-n`` strings; ``0``/``-1`` (ZAP's "none") are dropped."""
    result: list[str] = []
    for item in texts(values):
        number = item.upper().removeprefix("CWE-").strip()
        if number.isdigit() and int(number) > 0:
            result.append(f"CWE-{int(number)}")
    return tuple(dict.fromkeys(result))


def summary_line(value: Any, limit: int = 120) -> str:
    """The first line of prose in an advisory (markdown headings skipped), shortened."""
    for raw in text(value).splitlines():
        line = " ".join(raw.split())
        if line and not line.startswith("#"):
            return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"
    return ""


def vulnerability_title(
    vuln_id: str, package: str | None, version: str | None, summary: str
) -> str:
    """A readable title for a dependency vulnerability that has no title of its own."""
    where = " ".join(part for part in (package, version) if part)
    head = f"{vuln_id} in {where}" if where else vuln_id
    return f"{head}: {summary}" if summary else head


_FRACTION = re.compile(r"(\.\d{6})\d+")


def parse_time(value: Any) -> dt.datetime | None:
    """An ISO-8601 timestamp (``Z``, nanoseconds and a space separator accepted), else ``None``."""
    raw = text(value).strip()
    if not raw:
        return None
    raw = _FRACTION.sub(r"\1", raw.replace("Z", "+00:00").replace("z", "+00:00"))
    try:
        return dt.datetime.fromisoformat(raw)
    except ValueError:
        return None


def scrub(value: str, secrets: Iterable[str]) -> str:
    """``value`` with every secret text replaced: a last guard on the fields we publish."""
    for secret in sorted({s for s in secrets if len(s) >= 4}, key=len, reverse=True):
        value = value.replace(secret, REDACTED)
    return value


def scrub_optional(value: str | None, secrets: Iterable[str]) -> str | None:
    return None if value is None else scrub(value, secrets)


class Fingerprints:
    """Fingerprints unique within one report: a repeat of the same parts gets an ordinal.

    Two findings of one rule in one file differ only by their line, which a fingerprint must
    not use; numbering repeats in report order keeps them apart and still survives a move.
    """

    def __init__(self, tool: str) -> None:
        self.tool = tool
        self._seen: dict[str, int] = {}

    def __call__(self, rule: str, path: str | None, package: str | None, title: str) -> str:
        base = fingerprint(self.tool, rule, path, package, title)
        count = self._seen.get(base, 0)
        self._seen[base] = count + 1
        return base if count == 0 else fingerprint(self.tool, rule, path, package, title, count)


CVSS_BANDS: tuple[tuple[float, Severity], ...] = (
    (9.0, Severity.CRITICAL),
    (7.0, Severity.HIGH),
    (4.0, Severity.MEDIUM),
    (0.1, Severity.LOW),
)


def severity_from_score(score: float) -> Severity:
    """CVSS v3 qualitative bands: 9.0 critical, 7.0 high, 4.0 medium, 0.1 low, 0 none."""
    for floor, severity in CVSS_BANDS:
        if score >= floor:
            return severity
    return Severity.INFO


def score(value: Any) -> float | None:
    """A numeric score from a number or numeric text, else ``None``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None

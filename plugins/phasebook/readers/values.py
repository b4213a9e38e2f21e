"""Helpers every reader family shares for loosely typed reports: values, fingerprints, findings.

The reports these tools write are loosely typed JSON or XML; these accessors turn a wrong
shape into a :class:`ReportError` naming the file instead of a ``KeyError`` or ``TypeError``.
The column helpers (:func:`opt_texts`, :meth:`Fingerprints.many`, :func:`digests`,
:func:`findings`) do per-finding work for thousands of findings at once, for large reports.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import deque
from collections.abc import Iterable, Sequence
from hashlib import sha256
from itertools import chain, repeat
from operator import itemgetter, methodcaller
from pathlib import Path
from types import NoneType
from typing import Any, cast

from phasebook.evidence import Finding, Severity, fingerprint
from phasebook.readers.base import ReportError

REDACTED = "[redacted]"


def obj(path: Path, value: Any, what: str) -> dict[str, Any]:
    """``value`` as a JSON object, or an error saying what was expected where."""
    if not isinstance(value, dict):
        raise not_an_object(path, value, what)
    return value


def not_an_object(path: Path, value: Any, what: str) -> ReportError:
    """The error :func:`obj` raises, for readers that decode objects into structs."""
    return ReportError(path, f"expected an object for {what}, found {_kind(value)}")


def arr(path: Path, value: Any, what: str) -> list[Any]:
    """``value`` as a JSON array (``null`` counts as empty), or an error."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise ReportError(path, f"expected an array for {what}, found {_kind(value)}")
    return value


def loose_object(path: Path, value: Any, what: str) -> dict[str, Any]:
    """``value or {}`` when that is an object; another value that is not false is an error."""
    if isinstance(value, dict):
        return value
    if value:
        raise not_an_object(path, value, what)
    return {}


def loose_get(path: Path, value: Any, key: str, what: str) -> Any:
    """``(value or {}).get(key)``, with :func:`loose_object`'s error for another value."""
    return loose_object(path, value, what).get(key)


def loose_items(path: Path, value: Any, what: str) -> Iterable[Any]:
    """``value or []`` to iterate over (an object's keys, a text's characters, as Python does);
    a number or ``true`` is an error."""
    if isinstance(value, list | dict | str):
        return value
    if value:
        raise ReportError(path, f"expected an array for {what}, found {_kind(value)}")
    return ()


def _kind(value: Any) -> str:
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}.get(
        type(value), "null" if value is None else "a number"
    )


def text(value: Any) -> str:
    """A scalar as text; containers and ``null`` become empty text."""
    if type(value) is str:  # the common case first
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    return ""


def opt_text(value: Any) -> str | None:
    """A scalar as text, or ``None`` when empty or not a scalar."""
    result = (value if type(value) is str else text(value)).strip()
    return result or None


_NONE_IF_EMPTY = {"": None}.get


def opt_texts(values: Sequence[Any]) -> list[str | None]:
    """:func:`opt_text` of each value; quicker than one call per value when all are text."""
    try:
        stripped = list(map(str.strip, values))  # all text, the usual case
    except TypeError:
        kinds = set(map(type, values))
        if kinds == {NoneType}:
            return [None] * len(values)
        if kinds == {str, NoneType}:
            return [None if value is None else value.strip() or None for value in values]
        return list(map(opt_text, values))
    if "" in stripped:
        return list(map(_NONE_IF_EMPTY, stripped, stripped))
    return cast(list[str | None], stripped)


def opt_int(value: Any) -> int | None:
    """An integer (also from digits in a string), or ``None``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdecimal():  # int() reads no other digits
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


def cwe_column(
    values: Sequence[Any], known: dict[tuple[str, ...], tuple[str, ...]]
) -> list[tuple[str, ...]]:
    """:func:`cwe_ids` of each value, worked out once per distinct list of texts in ``known``."""
    kinds = set(map(type, values))
    if kinds <= {list, NoneType}:
        # None and [] both give (); a list gives what the tuple of its items gives
        keys = (
            list(map(tuple, values))
            if NoneType not in kinds
            else [() if value is None else tuple(value) for value in values]
        )
        try:
            distinct = set(keys).difference(known)
        except TypeError:  # an array or object in a list
            return list(map(cwe_ids, values))
        # Only lists of texts: 1, 1.0 and true would be one key. A repeat equals a key kept
        # item by item, and only a text equals a text, so checking the keys kept is enough.
        if set(map(type, chain.from_iterable(distinct))) <= {str}:
            for key in distinct:
                known[key] = cwe_ids(list(key))
            return list(map(known.__getitem__, keys))
    return list(map(cwe_ids, values))


def ids_with_prefix(values: Iterable[str], prefix: str) -> tuple[str, ...]:
    """The ids that start with ``prefix`` (``CVE-``, ``CWE-``), upper-cased and deduplicated."""
    found = [v.strip().upper() for v in values if v.strip().upper().startswith(prefix)]
    return tuple(dict.fromkeys(found))


def cwe_ids(values: Any) -> tuple[str, ...]:
    """CWE ids from numbers or ``CWE-n`` strings; ``0``/``-1`` (ZAP's "none") are dropped."""
    result: list[str] = []
    for item in texts(values):
        number = item.upper().removeprefix("CWE-").strip()
        if number.isdecimal() and int(number) > 0:
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
        self._normals: dict[str | None, str] = {None: "", tool: normal(tool)}
        """Paths and packages repeat from finding to finding: :meth:`many` normalises each
        once."""

    def __call__(self, rule: str, path: str | None, package: str | None, title: str) -> str:
        base = fingerprint(self.tool, rule, path, package, title)
        return self._numbered(base, rule, path, package, title)

    def many(
        self,
        rules: Sequence[str],
        paths: Sequence[str | None],
        packages: Sequence[str | None],
        titles: Sequence[str],
    ) -> list[str]:
        """``[self(*parts) for parts in zip(rules, paths, packages, titles)]``, for thousands of
        findings at a time: the per-finding steps run as ``map`` over the columns (so the
        parts must be texts, as their types say)."""
        known = self._normals
        for part in set(paths).union(packages).difference(known):
            known[part] = normal(part)
        named = list(map(" ".join, map(str.split, rules)))
        texts = map(
            "\x1f".join,
            zip(
                repeat(known[self.tool]),
                named,
                map(known.__getitem__, paths),
                map(known.__getitem__, packages),
                named if titles is rules else map(" ".join, map(str.split, titles)),
            ),
        )
        bases = digests(texts)
        first = dict.fromkeys(bases, 1)
        if len(first) == len(bases) and self._seen.keys().isdisjoint(first):
            self._seen.update(first)  # no repeats: each is its own first
            return bases
        return [  # repeats: numbered in order, as one by one
            self._numbered(*parts)
            for parts in zip(bases, rules, paths, packages, titles, strict=True)
        ]

    def _numbered(
        self, base: str, rule: str, path: str | None, package: str | None, title: str
    ) -> str:
        """``base``, or for its n-th repeat the fingerprint of the parts and ``n``."""
        count = self._seen.get(base, 0)
        self._seen[base] = count + 1
        return base if count == 0 else fingerprint(self.tool, rule, path, package, title, count)


def normal(part: object) -> str:
    """A part of a fingerprint as :func:`~phasebook.evidence.fingerprint` normalises it."""
    return "" if part is None else " ".join(str(part).split())


_HEXDIGEST = methodcaller("hexdigest")
_FIRST_20 = itemgetter(slice(None, 20))


def digests(texts: Iterable[str]) -> list[str]:
    """:func:`~phasebook.evidence.fingerprint` of each text: its parts normalised already
    (:func:`normal`) and joined with ``"\\x1f"``. One ``map`` per step, for many findings."""
    return list(map(_FIRST_20, map(_HEXDIGEST, map(sha256, map(str.encode, texts)))))


def numbered_repeats(prints: list[str]) -> list[str]:
    """Fingerprints made unique within a report: the n-th repeat of one gets ``n`` hashed in.

    Two findings of one rule with one message in one file differ only by their line, which a
    fingerprint must not use; numbering them in report order keeps them apart in history.
    """
    if len(set(prints)) == len(prints):
        return prints
    seen: dict[str, int] = {}
    result = []
    for base in prints:
        count = seen.get(base, 0)
        seen[base] = count + 1
        result.append(base if count == 0 else digests([f"{base}\x1f{count}"])[0])
    return result


_FINDING_FIELDS = tuple(field.name for field in dataclasses.fields(Finding))
_FINDING_DEFAULTS = {
    field.name: field.default
    for field in dataclasses.fields(Finding)
    if field.default is not dataclasses.MISSING
}
_FINDING_SETTERS = (
    [getattr(Finding, name).__set__ for name in _FINDING_FIELDS]
    if set(getattr(Finding, "__slots__", ())) == set(_FINDING_FIELDS)
    and not hasattr(Finding, "__post_init__")
    else None
)
"""Each field's slot setter, when setting the slots is all ``Finding.__init__`` does."""


def findings(count: int, **columns: Sequence[Any] | repeat[Any]) -> list[Finding]:
    """``count`` findings from columns of field values by field name; ``repeat(x)`` gives
    every finding ``x`` and a field not named keeps its default.

    The same as ``Finding(**fields)`` per finding, quicker for the thousands a large report
    has: a frozen dataclass's ``__init__`` costs a call per field and finding, while here each
    field is set on all the new findings at once, through the slot's own setter.
    """
    values = [
        columns.pop(name) if name in columns else repeat(_FINDING_DEFAULTS[name])
        for name in _FINDING_FIELDS
    ]
    if columns:
        raise TypeError(f"Finding has no field {', '.join(columns)}")
    if any(not isinstance(value, repeat) and len(value) != count for value in values):
        raise ValueError(f"a column does not have {count} values")
    if _FINDING_SETTERS is None:
        return list(map(Finding, *values))
    made: list[Finding] = list(map(object.__new__, repeat(Finding, count)))
    for setter, value in zip(_FINDING_SETTERS, values, strict=True):
        deque(map(setter, made, value), maxlen=0)
    return made


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

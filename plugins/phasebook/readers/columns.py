"""Many findings at once from columns of field values, for the thousands a large report has."""

from __future__ import annotations

import dataclasses
from collections import deque
from collections.abc import Sequence
from itertools import repeat
from typing import Any

from phasebook.evidence import Finding
from phasebook.readers.fingerprint import Fingerprints

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


Row = tuple[Any, ...]
"""A finding as a row: its fingerprint's parts (rule, path, package, text), then its fields."""


def from_rows(
    prints: Fingerprints, rows: list[Row], fields: tuple[str, ...], **same: Any
) -> list[Finding]:
    """The findings of ``rows``, each ``(rule, path, package, text, *values)``: the first four
    are the fingerprint's parts (:meth:`Fingerprints.many`, so texts or ``None`` for the path
    and package), the values fill ``fields`` in order, and ``same`` gives every finding the
    same value. A reader gathers plain tuples in its loop and builds the findings in one go."""
    if not rows:
        return []
    rules, paths, packages, texts, *values = zip(*rows, strict=True)
    return findings(
        len(rows),
        fingerprint=prints.many(rules, paths, packages, texts),
        **dict(zip(fields, values, strict=True)),
        **{name: repeat(value) for name, value in same.items()},
    )

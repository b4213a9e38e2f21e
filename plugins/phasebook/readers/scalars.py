"""Scalars of a loosely typed report as the types a record holds: text, integers, scores, times.

Each accepts any JSON value and gives ``None`` (or empty text) for one of another type, so a
field a tool left out or wrote oddly never stops a report. :func:`opt_texts` is the column
form of :func:`opt_text`, for thousands of findings at once.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from types import NoneType
from typing import Any, cast


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

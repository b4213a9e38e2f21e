"""The containers of a loosely typed JSON report: an object or an array, or an error.

The reports tools write are loosely typed; these accessors turn a wrong shape into a
:class:`~phasebook.readers.base.ReportError` naming the file and the place, instead of a
``KeyError`` or ``TypeError`` deep inside a reader.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from phasebook.readers.base import ReportError


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

"""Advisory identifiers: CVE and CWE ids from the many ways tools write them.

:func:`cwe_column` is the column form of :func:`cwe_ids`, for thousands of findings at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import chain
from types import NoneType
from typing import Any

from phasebook.readers.scalars import texts


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

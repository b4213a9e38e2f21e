"""What the readers' property tests share: their settings, any JSON value, and edits of a
JSON document at any place in it."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

PROPERTY = settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)


def places(data: Any, trail: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a JSON document, as the keys and indexes leading to it."""
    found = [trail]
    if isinstance(data, dict):
        for key, value in data.items():
            found += places(value, (*trail, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += places(value, (*trail, index))
    return found


def replaced(data: Any, trail: tuple[Any, ...], value: Any) -> Any:
    """A copy of ``data`` with ``value`` at the place ``trail``."""
    if not trail:
        return value
    data = copy.deepcopy(data)
    holder = data
    for step in trail[:-1]:
        holder = holder[step]
    holder[trail[-1]] = value
    return data

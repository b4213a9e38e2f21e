"""A strict YAML loader that remembers where every value came from.

Why not ``yaml.safe_load``: it forgets line numbers, silently keeps the last of two duplicate
keys, and applies YAML 1.1's implicit typing (``NO`` becomes ``False``, ``3.10`` becomes ``3.1``,
``017`` becomes ``15``). Here every plain scalar stays the text the writer typed, so the schema
decides its type, and a :class:`SourceMap` answers "where is ``phases[2].risks[0].impact``?".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from phasebook.errors import DataError, Location, Problem

PathKey = tuple[str | int, ...]
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})


@dataclass
class SourceMap:
    """Positions of every mapping key and value of one YAML document."""

    path: Path
    positions: dict[PathKey, tuple[int, int]] = field(default_factory=dict)

    def locate(self, key: Iterable[str | int]) -> Location:
        """The position of ``key``, or of its nearest ancestor that exists in the file."""
        parts: PathKey = tuple(key)
        while parts and parts not in self.positions:
            parts = parts[:-1]
        line, column = self.positions.get(parts, (1, 1))
        return Location(self.path, line, column)


def _position(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


_MERGE_TAG = "tag:yaml.org,2002:merge"


class _Builder:
    """Turns a composed node tree into plain Python values and a :class:`SourceMap`."""

    def __init__(self, source: SourceMap) -> None:
        self.source = source
        self.problems: list[Problem] = []

    def build(self, node: yaml.Node, where: PathKey) -> Any:
        self.source.positions.setdefault(where, _position(node))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, where)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*where, index)) for index, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        is_null = node.style is None and node.value in _NULLS
        if is_null and node.tag != "tag:yaml.org,2002:str":
            return None
        return node.value

    def _mapping(self, node: yaml.MappingNode, where: PathKey) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_seen: dict[str, tuple[int, int]] = {}
        pairs = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                result.update(self._merged(value_node, where))
            else:
                pairs.append((key_node, value_node))
        for key_node, value_node in pairs:
            if not isinstance(key_node, yaml.ScalarNode):
                line, column = _position(key_node)
                self.problems.append(
                    Problem(
                        Location(self.source.path, line, column),
                        "a mapping key must be plain text",
                        "write the key as a simple word such as `title:`",
                    )
                )
                continue
            key = key_node.value
            if key in first_seen:
                line, column = _position(key_node)
                earlier = first_seen[key][0]
                self.problems.append(
                    Problem(
                        Location(self.source.path, line, column),
                        f"duplicate key `{key}` (first given on line {earlier})",
                        "keep one of the two; YAML would silently drop the first",
                    )
                )
                continue
            first_seen[key] = _position(key_node)
            self.source.positions[(*where, key)] = _position(value_node)
            self.source.positions.setdefault((*where, key, "__key__"), _position(key_node))
            result[key] = self.build(value_node, (*where, key))
        return result

    def _merged(self, node: yaml.Node, where: PathKey) -> dict[str, Any]:
        """The keys a ``<<: *anchor`` (or ``<<: [*a, *b]``) brings in; earlier sources win."""
        sources = node.value if isinstance(node, yaml.SequenceNode) else [node]
        merged: dict[str, Any] = {}
        for source in reversed(sources):
            if isinstance(source, yaml.MappingNode):
                merged.update(self._mapping(source, where))
                continue
            line, column = _position(source)
            self.problems.append(
                Problem(
                    Location(self.source.path, line, column),
                    "`<<:` can only merge a mapping (or a list of mappings)",
                    "point `<<:` at an anchored mapping, e.g. `<<: *defaults`",
                )
            )
        return merged


def load_yaml(path: Path) -> tuple[Any, SourceMap]:
    """Read one YAML file into plain values (strings, lists, dicts, ``None``) and its positions."""
    source = SourceMap(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise DataError(
            [Problem(Location(path), f"not UTF-8 text ({error.reason})", "save it as UTF-8")]
        ) from None
    except OSError as error:
        raise DataError([Problem(Location(path), f"cannot read: {error.strerror}")]) from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        what = error.problem or error.context or "invalid YAML"
        raise DataError(
            [
                Problem(
                    Location(path, line, column),
                    f"YAML syntax error: {what}",
                    "check the indentation and quoting around this point",
                )
            ]
        ) from None
    except yaml.YAMLError as error:
        raise DataError([Problem(Location(path), f"YAML error: {error}")]) from None
    if node is None:
        return None, source
    builder = _Builder(source)
    value = builder.build(node, ())
    if builder.problems:
        raise DataError(builder.problems)
    return value, source

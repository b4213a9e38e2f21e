"""A strict YAML loader that remembers where every value came from.

Why not ``yaml.safe_load``: it forgets line numbers, silently keeps the last of two duplicate
keys, and applies YAML 1.1's implicit typing (``NO`` becomes ``False``, ``3.10`` becomes ``3.1``,
``017`` becomes ``15``). Here every plain scalar stays the text the writer typed, so the schema
decides its type, and a :class:`SourceMap` answers "where is ``phases[2].risks[0].impact``?".

It also refuses YAML that would make a build explode or lie: aliases beyond
:data:`MAX_ALIASES` or expanding to more than :data:`MAX_ALIAS_VALUES` values (a "billion
laughs" bomb), an alias inside its own anchor, nesting deeper than :data:`MAX_DEPTH`, and any
explicit tag but the standard ones (``!!python/…`` and ``!local`` tags would be silently
dropped otherwise).
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

MAX_ALIASES = 100
"""Aliases (``*name``) one file may use: plenty to share defaults, too few to build a bomb."""

MAX_ALIAS_VALUES = 10_000
"""Values (scalars, lists, mappings) all aliases of one file may expand to together. Sharing a
risk's defaults twenty times costs a few hundred; a "billion laughs" needs 10⁹."""

MAX_DEPTH = 50
"""Nesting levels of one file, aliases included; Phasebook's deepest key is 6 levels down,
and Python would run out of stack near 300."""

_YAML = "tag:yaml.org,2002:"
_SCALAR_TAGS = frozenset(_YAML + name for name in ("str", "int", "float", "bool", "null"))
_ALLOWED_TAGS: dict[type[yaml.Event], frozenset[str]] = {
    yaml.ScalarEvent: _SCALAR_TAGS,
    yaml.SequenceStartEvent: frozenset({_YAML + "seq"}),
    yaml.MappingStartEvent: frozenset({_YAML + "map"}),
}
_MERGE_TAG = _YAML + "merge"


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


def _at(path: Path, mark: Any) -> Location:
    """``mark`` is PyYAML's (pure or C) position of an event or node, or ``None``."""
    return Location(path, mark.line + 1, mark.column + 1) if mark else Location(path)


class _Refused(Exception):
    """YAML too big or too deep to go on with; carries the one problem that says why."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


class _Alias(yaml.Node):
    """A ``*name`` kept as such (PyYAML shares the anchored node), so its use can be located,
    counted and checked for recursion."""

    def __init__(self, target: yaml.Node, name: str, event: yaml.Event) -> None:
        start: Any = event.start_mark
        super().__init__("alias", None, start, start)
        self.target = target
        self.name = name


class _Loader(yaml.SafeLoader):
    """PyYAML's safe composer that counts aliases, limits depth and checks explicit tags."""

    def __init__(self, text: str, path: Path) -> None:
        super().__init__(text)
        self.path = path
        self.problems: list[Problem] = []
        self.aliases = 0
        self.depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            return self._alias(self._event(take=True))
        event = self._event(take=False)
        self._check_tag(event)
        if self.depth >= MAX_DEPTH:
            raise _Refused(
                Problem(
                    _at(self.path, event.start_mark),
                    f"nested more than {MAX_DEPTH} levels deep",
                    "no Phasebook key is nested this deep; check the indentation and brackets",
                )
            )
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def _event(self, take: bool) -> yaml.Event:
        """The next parser event (consumed when ``take``); typed, unlike PyYAML's stubs."""
        if take:
            taken: yaml.Event = self.get_event()  # type: ignore[no-untyped-call]
            return taken
        peeked: yaml.Event = self.peek_event()  # type: ignore[no-untyped-call]
        return peeked

    def _alias(self, event: yaml.Event) -> yaml.Node:
        name = getattr(event, "anchor", None) or ""
        self.aliases += 1
        if self.aliases > MAX_ALIASES:
            raise _Refused(
                Problem(
                    _at(self.path, event.start_mark),
                    f"more than {MAX_ALIASES} aliases (`*name`) in one file",
                    "write the values out or split the file; this many aliases is how YAML "
                    "bombs are built",
                )
            )
        target = self.anchors.get(name)
        if target is None:
            mark: Any = event.start_mark
            raise yaml.composer.ComposerError(None, None, f"found undefined alias {name!r}", mark)
        return _Alias(target, name, event)

    def _check_tag(self, event: yaml.Event) -> None:
        """Record an explicit tag other than the standard ones fitting the kind of node."""
        tag = getattr(event, "tag", None)
        allowed = _ALLOWED_TAGS.get(type(event), frozenset())
        if tag is None or tag in allowed:
            return
        shown = "!!" + tag.removeprefix(_YAML) if tag.startswith(_YAML) else tag
        kind = {yaml.ScalarEvent: "value", yaml.SequenceStartEvent: "list"}.get(
            type(event), "mapping"
        )
        self.problems.append(
            Problem(
                _at(self.path, event.start_mark),
                f"the tag `{shown}` is not allowed on a {kind}",
                "remove the tag, the key decides a value's type; only !!str, !!int, !!float, "
                "!!bool and !!null are accepted, on plain values",
            )
        )


class _Builder:
    """Turns a composed node tree into plain Python values and a :class:`SourceMap`."""

    def __init__(self, source: SourceMap) -> None:
        self.source = source
        self.problems: list[Problem] = []
        self.duplicates: list[Problem] = []  # keys given twice; the later value is kept
        self.active: set[int] = set()  # ids of the nodes being built: the path from the root
        self.expanding: list[_Alias] = []  # the aliases being expanded, outermost first
        self.expanded = 0

    def build(self, node: yaml.Node, where: PathKey) -> Any:
        self.source.positions.setdefault(where, _position(node))
        if isinstance(node, _Alias):
            return self._alias(node, where)
        if self.expanding:
            self._spend()
        if len(self.active) >= MAX_DEPTH:
            self._problem(
                self.expanding[-1] if self.expanding else node,
                f"aliases nest values more than {MAX_DEPTH} levels deep",
                "write the values out instead of nesting aliases",
            )
            return None
        self.active.add(id(node))
        try:
            return self._value(node, where)
        finally:
            self.active.discard(id(node))

    def _value(self, node: yaml.Node, where: PathKey) -> Any:
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, where)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*where, index)) for index, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        is_null = node.style is None and node.value in _NULLS
        if is_null and node.tag != _YAML + "str":
            return None
        return node.value

    def _alias(self, alias: _Alias, where: PathKey) -> Any:
        """The anchored value again, unless the alias sits inside its own anchor."""
        if id(alias.target) in self.active:
            self._problem(
                alias,
                f"the alias `*{alias.name}` is inside its own anchor `&{alias.name}`",
                "a value cannot contain itself; copy the part you need instead",
            )
            return None
        self.expanding.append(alias)
        try:
            return self.build(alias.target, where)
        finally:
            self.expanding.pop()

    def _spend(self) -> None:
        """Count one value made by an alias; stop the file when aliases expand too far."""
        self.expanded += 1
        if self.expanded > MAX_ALIAS_VALUES:
            first = self.expanding[0]
            line, column = _position(first)
            raise _Refused(
                Problem(
                    Location(self.source.path, line, column),
                    f"the alias `*{first.name}` takes the file's aliases past "
                    f"{MAX_ALIAS_VALUES} values",
                    "aliases of aliases grow exponentially, as in a YAML bomb; write the "
                    "values out",
                )
            )

    def _problem(self, node: yaml.Node, message: str, hint: str) -> None:
        """Record a problem once, though an alias may bring its node back many times."""
        line, column = _position(node)
        problem = Problem(Location(self.source.path, line, column), message, hint)
        if problem not in self.problems:
            self.problems.append(problem)

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
            key_scalar = key_node.target if isinstance(key_node, _Alias) else key_node
            if not isinstance(key_scalar, yaml.ScalarNode):
                self._problem(
                    key_node,
                    "a mapping key must be plain text",
                    "write the key as a simple word such as `title:`",
                )
                continue
            key = key_scalar.value
            if key in first_seen:
                self._duplicate(key_node, key, first_seen[key][0])
                # keep the later value, as YAML would, so the rest of the file is still checked
                self.source.positions[(*where, key, "__key__")] = _position(key_node)
            first_seen.setdefault(key, _position(key_node))
            self.source.positions[(*where, key)] = _position(value_node)
            self.source.positions.setdefault((*where, key, "__key__"), _position(key_node))
            result[key] = self.build(value_node, (*where, key))
        return result

    def _duplicate(self, key_node: yaml.Node, key: str, earlier: int) -> None:
        line, column = _position(key_node)
        problem = Problem(
            Location(self.source.path, line, column),
            f"duplicate key `{key}` (first given on line {earlier})",
            "keep one of the two; YAML would silently drop the first",
        )
        if problem not in self.duplicates:
            self.duplicates.append(problem)

    def _merged(self, node: yaml.Node, where: PathKey) -> dict[str, Any]:
        """The keys a ``<<: *anchor`` (or ``<<: [*a, *b]``) brings in; earlier sources win."""
        listed = node.target if isinstance(node, _Alias) else node
        sources = listed.value if isinstance(listed, yaml.SequenceNode) else [node]
        merged: dict[str, Any] = {}
        for source in reversed(sources):
            target = source.target if isinstance(source, _Alias) else source
            if isinstance(target, yaml.MappingNode):
                value = self.build(source, where)
                merged.update(value if isinstance(value, dict) else {})
                continue
            self._problem(
                source,
                "`<<:` can only merge a mapping (or a list of mappings)",
                "point `<<:` at an anchored mapping, e.g. `<<: *defaults`",
            )
        return merged


def _in_file_order(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.location.line or 0, p.location.column or 0))


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise DataError(
            [Problem(Location(path), f"not UTF-8 text ({error.reason})", "save it as UTF-8")]
        ) from None
    except OSError as error:
        raise DataError([Problem(Location(path), f"cannot read: {error.strerror}")]) from None


_TAB_COMPLAINT = "found character '\\t' that cannot start any token"


def _syntax_problem(path: Path, text: str, error: yaml.MarkedYAMLError) -> Problem:
    """PyYAML's complaint in the writer's terms; a tab gets its own message, as PyYAML's
    ("cannot start any token") never says that YAML wants spaces."""
    mark = error.problem_mark or error.context_mark
    what = error.problem or error.context or "invalid YAML"
    if what == _TAB_COMPLAINT and mark is not None:
        lines = text.splitlines()
        before = lines[mark.line][: mark.column] if mark.line < len(lines) else ""
        if not before.replace("-", " ").strip():
            return Problem(
                _at(path, mark),
                "a tab is used for indentation",
                "YAML needs spaces: replace the tab with spaces",
            )
        return Problem(
            _at(path, mark),
            "a tab separates the values here",
            "YAML allows only spaces here: replace the tab with a space",
        )
    return Problem(
        _at(path, mark),
        f"YAML syntax error: {what}",
        "check the indentation and quoting around this point",
    )


def _compose(loader: _Loader, text: str) -> yaml.Node | None:
    """The file's node tree, or a :class:`DataError` for YAML that is broken or refused."""
    path = loader.path
    try:
        return loader.get_single_node()
    except _Refused as refused:
        raise DataError(_in_file_order([*loader.problems, refused.problem])) from None
    except yaml.MarkedYAMLError as error:
        raise DataError([_syntax_problem(path, text, error)]) from None
    except yaml.YAMLError as error:
        raise DataError([Problem(Location(path), f"YAML error: {error}")]) from None
    finally:
        loader.dispose()


@dataclass(frozen=True)
class YamlDocument:
    """One YAML file read into plain values (strings, lists, dicts, ``None``), its positions,
    and its duplicate keys: those keep the later value, as YAML does, so the file can still be
    checked against the schema in the same run."""

    value: Any
    source: SourceMap
    duplicates: tuple[Problem, ...] = ()


def read_yaml(path: Path) -> YamlDocument:
    """Read one YAML file; :class:`DataError` when it cannot be used at all (syntax, refused
    YAML, foreign tags), listing its duplicate keys too."""
    source = SourceMap(path)
    text = _read_text(path)
    loader = _Loader(text, path)
    node = _compose(loader, text)
    if node is None:
        if loader.problems:
            raise DataError(loader.problems)
        return YamlDocument(None, source)
    builder = _Builder(source)
    value: Any = None
    try:
        value = builder.build(node, ())
    except _Refused as refused:
        builder.problems.append(refused.problem)
    problems = [*loader.problems, *builder.problems]
    if problems:
        raise DataError(_in_file_order([*problems, *builder.duplicates]))
    return YamlDocument(value, source, tuple(_in_file_order(builder.duplicates)))


def load_yaml(path: Path) -> tuple[Any, SourceMap]:
    """Read one YAML file into plain values and its positions; any problem is a
    :class:`DataError` (duplicate keys too: see :func:`read_yaml` to check on past them)."""
    document = read_yaml(path)
    if document.duplicates:
        raise DataError(list(document.duplicates))
    return document.value, document.source

"""Load ``data/programme.yml`` and ``data/phases/*.yml`` into a validated :class:`Programme`.

Errors are collected across all files and raised together as one :class:`DataError`, each with
``file:line:col``, what is wrong and how to fix it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import os
import posixpath
import re
import types
import typing
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any, TypeVar
from urllib.parse import urlsplit

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from phasebook.errors import DataError, Location, PathError, Problem
from phasebook.metric_catalog import metric_problems
from phasebook.model import Phase, Programme, ProgrammeInfo, dependencies_of
from phasebook.yamlload import SourceMap, read_yaml

ModelT = TypeVar("ModelT", bound=BaseModel)

PROGRAMME_FILE = "programme.yml"
PHASES_DIR = "phases"

_HINTS = {
    "date_from_datetime_parsing": "write dates as YYYY-MM-DD, e.g. 2026-03-02",
    "date_parsing": "write dates as YYYY-MM-DD, e.g. 2026-03-02",
    "int_parsing": "write a whole number",
    "int_parsing_size": "write a whole number",
    "bool_parsing": "write true or false",
    "enum": "use one of the listed values",
    "list_type": "write a list, one `- item` per line",
    "model_type": "write a mapping of `key: value` lines",
    "dict_type": "write a mapping of `key: value` lines",
    "string_type": "write text",
    "task_dates": "set `end` to the last day of the task, on or after `start`",
    "waiver_dates": "set `until` to the waiver's last day, on or after `date`",
    "actual_dates": "set `actual_end` on or after `actual_start`; set them once the phase starts",
    "threshold_syntax": "write a check such as `> 80 %`, `< 10 min` or `== 0`",
}


def _field_model(model: type[BaseModel], loc: tuple[str | int, ...]) -> type[BaseModel] | None:
    """The model class that owns the last key of ``loc``, found by walking the annotations."""
    current: Any = model
    for part in loc[:-1]:
        is_dict = typing.get_origin(current) is dict
        current = _unwrap(current)
        if isinstance(part, int) or is_dict:
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        field = current.model_fields.get(part)
        if field is None:
            return None
        current = field.annotation
    current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    """Strip ``Optional``, ``list[...]``, ``dict[str, ...]`` and ``Annotated`` to the item type."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin is dict:
            annotation = typing.get_args(annotation)[1]
        elif origin in (list, tuple, typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None) and a is not ...]
            if not args:
                return annotation
            annotation = args[0]
        else:
            return annotation


_BOUND_KINDS = frozenset({"less_than_equal", "greater_than_equal", "int_parsing_size"})
_SHOWN_INPUT = 60  # characters of a refused value quoted back; a 5,000-digit number is not


def _nested_metadata(annotation: Any) -> list[Any]:
    """Constraints of every ``Annotated[…, Field(…)]`` inside ``annotation`` (list items too)."""
    found: list[Any] = []
    for arg in typing.get_args(annotation):
        if isinstance(arg, FieldInfo):
            found.extend(arg.metadata)
        else:
            found.extend(_nested_metadata(arg))
    return found


def _range_hint(model: type[BaseModel], loc: tuple[str | int, ...]) -> str:
    """The hint "use a value from 1 to 3650", from the field's own bounds so it never drifts."""
    keys = loc
    while keys and isinstance(keys[-1], int):
        keys = keys[:-1]
    owner = _field_model(model, keys) if keys else None
    field = owner.model_fields.get(str(keys[-1])) if owner else None
    if field is None:
        return ""
    metadata = [*field.metadata, *_nested_metadata(field.annotation)]
    low = next((m.ge for m in metadata if hasattr(m, "ge")), None)
    high = next((m.le for m in metadata if hasattr(m, "le")), None)
    kind = "date" if isinstance(low or high, dt.date) else "value"
    if low is not None and high is not None:
        return f"use a {kind} from {low} to {high}"
    if low is not None or high is not None:
        return f"use a {kind} of at least {low}" if high is None else f"use a {kind} up to {high}"
    return ""


def _shown(got: Any) -> str:
    text = repr(got)
    return text if len(text) <= _SHOWN_INPUT else f"{text[: _SHOWN_INPUT - 1]}…"


_SHAPE_KINDS = frozenset({"list_type", "model_type", "model_attributes_type"})


def _expected_item(
    model: type[BaseModel], loc: tuple[str | int, ...]
) -> tuple[type[BaseModel], bool] | None:
    """The mapping (model) the value at ``loc`` must be or hold, and whether a list of them
    is wanted there; ``None`` when no mapping belongs at ``loc``."""
    item = _field_model(model, (*loc, ""))
    if item is None:
        return None
    owner = _field_model(model, loc) if not isinstance(loc[-1], int) else None
    field = owner.model_fields.get(str(loc[-1])) if owner else None
    annotation = field.annotation if field else None
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
    return item, typing.get_origin(annotation) is list


def _shape_problem(model: type[BaseModel], source: SourceMap, error: Any) -> Problem | None:
    """Text (or a list) where a mapping, or a list of mappings, belongs: name the keys the
    mapping needs and show it written out, e.g. for `inputs: "the audit report"`."""
    loc: tuple[str | int, ...] = tuple(error["loc"])
    expected = _expected_item(model, loc) if loc else None
    if expected is None:
        return None
    item, wants_list = expected
    required = [name for name, field in item.model_fields.items() if field.is_required()]
    optional = [name for name in item.model_fields if name not in required]
    example = "{" + ", ".join(f"{name}: …" for name in required or optional[:2]) + "}"
    where = ".".join(str(part) for part in loc)
    if wants_list:
        message = f"{where}: expected a list of mappings (got {_shown(error.get('input'))})"
        needs = f"each item needs {_and(required)}" if required else "each item is a mapping"
        hint = f"{needs}, e.g. `{loc[-1]}: [{example}]`, or one `- key: …` block per item"
    else:
        message = f"{where}: expected a mapping (got {_shown(error.get('input'))})"
        needs = f"it needs {_and(required)}" if required else "write it as a mapping"
        written = f"- {example}" if isinstance(loc[-1], int) else f"{loc[-1]}: {example}"
        hint = f"{needs}, e.g. `{written}`"
    if optional:
        hint += f"; optional keys: {', '.join(optional)}"
    return Problem(source.locate(loc), message, hint)


def _and(names: list[str]) -> str:
    quoted = [f"`{name}`" for name in names]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} and {quoted[-1]}"


def _problem(model: type[BaseModel], source: SourceMap, error: Any) -> Problem:
    loc: tuple[str | int, ...] = tuple(error["loc"])
    kind = error["type"]
    where = ".".join(str(part) for part in loc) or "the document"
    if kind == "extra_forbidden":
        owner = _field_model(model, loc)
        known = sorted(owner.model_fields) if owner else []
        close = difflib.get_close_matches(str(loc[-1]), known, n=1)
        hint = f"did you mean `{close[0]}`?" if close else f"known keys: {', '.join(known)}"
        return Problem(source.locate((*loc, "__key__")), f"unknown key `{loc[-1]}`", hint)
    if kind == "missing":
        return Problem(
            source.locate(loc[:-1]),
            f"missing required key `{loc[-1]}` in {'.'.join(map(str, loc[:-1])) or 'the file'}",
            f"add `{loc[-1]}: …`",
        )
    shape = _shape_problem(model, source, error) if kind in _SHAPE_KINDS else None
    if shape is not None:
        return shape
    message = error["msg"]
    if kind == "value_error":
        message = message.removeprefix("Value error, ")
    if kind == "enum":
        hint = f"use one of: {error.get('ctx', {}).get('expected', '')}"
    elif kind in _BOUND_KINDS:
        hint = _range_hint(model, loc) or _HINTS.get(kind, "")
    else:
        hint = _HINTS.get(kind, "")
    got = error.get("input")
    literal = isinstance(got, str | int | float) and kind != "value_error"
    shown = f" (got {_shown(got)})" if literal else ""
    return Problem(source.locate(loc), f"{where}: {message}{shown}", hint)


def validate(model: type[ModelT], data: Any, source: SourceMap) -> ModelT:
    """Validate plain YAML values against ``model``; errors point into the file."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise DataError(
            [Problem(source.locate(()), "expected a mapping of `key: value` lines at the top")]
        )
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise DataError([_problem(model, source, e) for e in error.errors()]) from None


def load_programme(data_dir: Path, project_root: Path | None = None) -> Programme:
    """Load and check the whole programme under ``data_dir``.

    Every file is checked, and every check across files runs on the files that could be read:
    a reference into a file that could not be read is left unchecked (with one note on that
    file), never reported as missing. Every path written in the YAML must stay inside
    ``project_root`` (by default the nearest folder holding ``mkdocs.yml``, see
    :func:`find_project_root`).
    """
    data_dir = Path(data_dir)
    root = (project_root or find_project_root(data_dir)).resolve()
    problems: list[Problem] = []
    programme_path = data_dir / PROGRAMME_FILE
    info: ProgrammeInfo | None = None
    programme_source = SourceMap(programme_path)
    if not programme_path.is_file():
        problems.append(
            Problem(
                Location(programme_path),
                "the programme file is missing",
                f"create {PROGRAMME_FILE} in the data folder (see the user guide)",
            )
        )
    else:
        info, programme_source, file_problems, _ = _read_file(ProgrammeInfo, programme_path)
        problems.extend(file_problems)

    phases: list[tuple[Phase, Path, SourceMap]] = []
    unread = _Unread()
    phase_paths = sorted((data_dir / PHASES_DIR).glob("*.yml")) + sorted(
        (data_dir / PHASES_DIR).glob("*.yaml")
    )
    if not phase_paths:
        problems.append(
            Problem(
                Location(data_dir / PHASES_DIR),
                "no phase files found",
                "add one YAML file per phase, e.g. phases/phase-1.yml",
            )
        )
    for path in phase_paths:
        phase, source, file_problems, data = _read_file(Phase, path)
        problems.extend(file_problems)
        if phase is None:
            unread.add(path, data)
            continue
        phases.append((phase, path, source))
        problems.extend(_path_problems(phase, source, data_dir, root))

    problems.extend(_cross_check(phases, unread))
    programme = None
    if info is not None:
        programme = _assembled(info, phases, data_dir, root, programme_source)
        problems.extend(_metric_check(programme, unread))
    elif programme_path.is_file() and any(phase.metrics for phase, _, _ in phases):
        unread.skipped_programme = programme_path
    problems.extend(unread.notes())
    if problems or programme is None:
        raise DataError(problems)
    return programme


_UNREADABLE = object()
"""The data of a file whose YAML could not be read at all."""


def _read_file(
    model: type[ModelT], path: Path
) -> tuple[ModelT | None, SourceMap, list[Problem], Any]:
    """One file checked as far as it goes: its model (``None`` when it does not validate),
    positions, problems, and its plain data (:data:`_UNREADABLE` when the YAML is broken).

    Duplicate keys keep the later value, so the file's schema errors come in the same run and
    a file whose only problem is a duplicate key still takes part in the checks across files.
    """
    try:
        document = read_yaml(path)
    except DataError as error:
        return None, SourceMap(path), error.problems, _UNREADABLE
    problems = list(document.duplicates)
    try:
        value = validate(model, document.value, document.source)
    except DataError as error:
        return None, document.source, [*problems, *error.problems], document.value
    return value, document.source, problems, document.value


def _assembled(
    info: ProgrammeInfo,
    phases: list[tuple[Phase, Path, SourceMap]],
    data_dir: Path,
    root: Path,
    programme_source: SourceMap,
) -> Programme:
    """The programme of the files that could be read (the first file of a phase number)."""
    unique: dict[int, tuple[Phase, SourceMap]] = {}
    for phase, _path, source in phases:
        unique.setdefault(phase.number, (phase, source))
    return Programme(
        info=info,
        phases=tuple(unique[number][0] for number in sorted(unique)),
        root=data_dir,
        project_root=root,
        programme_source=programme_source,
        phase_sources={number: source for number, (_, source) in unique.items()},
    )


def _metric_check(programme: Programme, unread: _Unread) -> list[Problem]:
    """Metric ids and phases across both files; a metric attached to a phase whose file could
    not be read is left unchecked."""
    if not programme.phases:
        return []
    loaded = {phase.number for phase in programme.phases}
    unchecked = {
        str(programme.programme_source.locate(("metrics", metric_id, "phases", index)))
        for metric_id, spec in programme.info.metrics.items()
        for index, number in enumerate(spec.phases or ())
        if number not in loaded and unread.holds_phase(number)
    }
    return [p for p in metric_problems(programme) if str(p.location) not in unchecked]


@dataclasses.dataclass
class _Unread:
    """Phase files that could not be used and what can still be told of them (the number and
    ids they write), so a reference into one is left unchecked instead of reported as missing;
    each file that left a reference unchecked gets one note."""

    numbers: dict[Path, int | None] = dataclasses.field(default_factory=dict)
    ids: set[str] = dataclasses.field(default_factory=set)
    ids_unknown: list[Path] = dataclasses.field(default_factory=list)
    skipped: dict[Path, set[str]] = dataclasses.field(default_factory=dict)
    skipped_programme: Path | None = None

    def add(self, path: Path, data: Any) -> None:
        self.numbers[path] = _written_number(path, data)
        ids = _written_ids(data)
        if ids is None:
            self.ids_unknown.append(path)
        else:
            self.ids |= ids

    def holds_phase(self, number: int) -> bool:
        """Whether phase ``number`` is, or may be, in a file that could not be used."""
        if number in self.numbers.values():
            return True
        return self._skip([path for path, n in self.numbers.items() if n is None], "number")

    def holds_id(self, item_id: str) -> bool:
        """Whether ``item_id`` is, or may be, listed in a file that could not be used."""
        return item_id in self.ids or self._skip(self.ids_unknown, "ids")

    def _skip(self, paths: list[Path], what: str) -> bool:
        for path in paths:
            self.skipped.setdefault(path, set()).add(what)
        return bool(paths)

    def notes(self) -> list[Problem]:
        hint = "fix the problems above, then validate again"
        notes = []
        if self.skipped_programme is not None:
            notes.append(
                Problem(
                    Location(self.skipped_programme),
                    "this file has errors, so the metric ids named in phase files were not "
                    "checked",
                    hint,
                )
            )
        for path in sorted(self.skipped):
            what = " and ".join(
                {"number": "its phase number", "ids": "its ids"}[kind]
                for kind in ("number", "ids")
                if kind in self.skipped[path]
            )
            notes.append(
                Problem(
                    Location(path),
                    f"this file has errors, so references to {what} from other files were "
                    "not checked",
                    hint,
                )
            )
        return notes


_NUMBER_LINE = re.compile(r"^number:[ \t]*[\"']?(\d+)[\"']?[ \t]*(?:#.*)?$", re.MULTILINE)


def _written_number(path: Path, data: Any) -> int | None:
    """The phase number a file that could not be read gives, if it can be told."""
    written = data.get("number") if isinstance(data, dict) else None
    if written is None and data is _UNREADABLE:
        try:
            match = _NUMBER_LINE.search(path.read_text(encoding="utf-8", errors="replace"))
        except OSError:
            match = None
        written = match.group(1) if match else None
    try:
        return int(str(written).strip()) if written is not None else None
    except ValueError:
        return None


def _written_ids(data: Any) -> set[str] | None:
    """The ids a phase file that could not be validated lists; ``None`` when unknown."""
    if not isinstance(data, dict):
        return None
    ids = set()
    for name in ("deliverables", "decisions", "risks"):
        items = data.get(name)
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                ids.add(item["id"].strip())
    return ids


# --- paths written in the YAML ------------------------------------------------------------

_REPORT_BASE = "relative to the data folder, e.g. `reports/phase-1/bandit.json`"
_ARTIFACT_BASE = "relative to the project root (the folder of mkdocs.yml), or an http(s) URL"


def find_project_root(data_dir: Path) -> Path:
    """The nearest folder at or above ``data_dir`` holding ``mkdocs.yml``, else its parent
    (what the CLI assumes): the boundary no path in the YAML may leave."""
    data = Path(data_dir).resolve()
    for folder in (data, *data.parents):
        if (folder / "mkdocs.yml").is_file() or (folder / "mkdocs.yaml").is_file():
            return folder
    return data.parent


def _check_relative(text: str, what: str, base: Path, root: Path, how: str) -> str:
    """``text`` as a POSIX path that stays inside ``root`` when read from ``base``."""
    posix = text.replace("\\", "/")
    if PurePosixPath(posix).is_absolute() or PureWindowsPath(text).anchor:
        raise PathError(f"{what} `{text}` is an absolute path", f"write it {how}")
    try:
        start = base.resolve().relative_to(root).as_posix()
    except ValueError:  # a data folder outside the root: nothing may leave it either
        start = "."
    joined = posixpath.normpath(posixpath.join(start, posix))
    if joined == ".." or joined.startswith("../"):
        raise PathError(
            f"{what} `{text}` leads outside the project root {root}",
            f"keep the file inside the project and write the path {how}",
        )
    return posix


def _check_link(path: Path, text: str, what: str, root: Path) -> None:
    """Refuse a file that is (or sits in) a symbolic link to somewhere outside ``root``
    (already resolved), or a link that goes round in a loop."""
    try:
        target = path.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop, before Python 3.13
        raise PathError(
            f"{what} `{text}` reaches {path}, a link that loops",
            "replace the link with the file itself",
        ) from None
    if not target.is_relative_to(root):
        raise PathError(
            f"{what} `{text}` reaches {path}, a link to {target} outside the project root {root}",
            "copy the file into the project instead of linking to it",
        )


def report_files(data_dir: Path, pattern: str, root: Path) -> list[Path]:
    """The files a report ``path:`` matches, in order; :class:`PathError` for a pattern that is
    absolute, leads out of ``root``, is no usable glob, or reaches a link out of ``root``."""
    posix = _check_relative(pattern, "report path", data_dir, root, _REPORT_BASE)
    try:
        matches = sorted(p for p in data_dir.glob(posix) if p.is_file())
    except (ValueError, NotImplementedError) as error:
        raise PathError(
            f"report path `{pattern}` is not a usable pattern: {error}",
            "use `*` inside a name and `**` only as a whole folder name, e.g. `reports/**/*.json`",
        ) from None
    for match in matches:
        _check_link(match, pattern, "report path", root)
    return matches


def check_artifact(text: str, root: Path) -> None:
    """An artifact is an http(s) URL or a path inside ``root``; else :class:`PathError`."""
    try:
        scheme = urlsplit(text).scheme.lower()
    except ValueError:
        scheme = ""
    if scheme in ("http", "https") or not text:
        return
    if scheme == "file":
        raise PathError(f"artifact `{text}` is a file: URL", f"write a path {_ARTIFACT_BASE}")
    posix = _check_relative(text, "artifact", root, root, _ARTIFACT_BASE)
    target = root / posix
    if os.path.lexists(target):
        _check_link(target, text, "artifact", root)


def _artifact_keys(phase: Phase) -> list[tuple[tuple[str | int, ...], str]]:
    """Every artifact path of the phase with the key that locates it in the file."""
    keys: list[tuple[tuple[str | int, ...], str]] = [
        (("deliverables", i, "artifact"), d.artifact)
        for i, d in enumerate(phase.deliverables)
        if d.artifact
    ]
    for name, items in (
        ("inputs", phase.inputs),
        ("outputs", phase.outputs),
        ("next_inputs", phase.handoff.next_inputs or []),
    ):
        prefix: tuple[str, ...] = ("handoff", name) if name == "next_inputs" else (name,)
        keys.extend(((*prefix, i, "location"), item.location) for i, item in enumerate(items))
    return keys


def _path_problems(phase: Phase, source: SourceMap, data_dir: Path, root: Path) -> list[Problem]:
    """Report patterns and artifact paths that are absolute or lead out of the project."""
    problems = []
    for index, ref in enumerate(phase.reports):
        try:
            report_files(data_dir, ref.path, root)
        except PathError as error:
            where = source.locate(("reports", index, "path"))
            problems.append(Problem(where, error.message, error.hint))
    for key, text in _artifact_keys(phase):
        try:
            check_artifact(text, root)
        except PathError as error:
            problems.append(Problem(source.locate(key), error.message, error.hint))
    return problems


def _cross_check(phases: list[tuple[Phase, Path, SourceMap]], unread: _Unread) -> list[Problem]:
    """Checks that span files: unique numbers and ids, known dependencies, no cycles; a
    dependency on a phase whose file could not be read is left unchecked."""
    problems: list[Problem] = []
    by_number: dict[int, Path] = {}
    for phase, path, source in phases:
        if phase.number in by_number:
            problems.append(
                Problem(
                    source.locate(("number",)),
                    f"phase number {phase.number} is also used by {by_number[phase.number]}",
                    "give every phase its own number",
                )
            )
        by_number.setdefault(phase.number, path)

    numbers = sorted(by_number)
    # the default dependency (the phase before) may be a phase that could not be read
    written = sorted({*numbers, *(n for n in unread.numbers.values() if n is not None)})
    ids: dict[str, Location] = {}
    for phase, _path, source in phases:
        for name in ("deliverables", "decisions", "risks"):
            for index, item in enumerate(getattr(phase, name)):
                here = source.locate((name, index, "id"))
                if item.id in ids:
                    problems.append(
                        Problem(
                            here,
                            f"id `{item.id}` is already used at {ids[item.id]}",
                            "ids must be unique across the programme",
                        )
                    )
                ids.setdefault(item.id, here)
        for index, dependency in enumerate(dependencies_of(phase, written)):
            if dependency not in by_number:
                if phase.depends_on is None or unread.holds_phase(dependency):
                    continue  # in a file that could not be read
                problems.append(
                    Problem(
                        source.locate(("depends_on", index)),
                        f"phase {phase.number} depends on phase {dependency}, which does not exist",
                        f"use one of: {', '.join(map(str, numbers))}",
                    )
                )
            elif dependency == phase.number:
                problems.append(
                    Problem(source.locate(("depends_on", index)), "a phase cannot depend on itself")
                )
    problems.extend(_unknown_references(phases, ids, unread))
    if not problems and not unread.numbers:
        problems.extend(_cycles(phases, numbers))
    return problems


def _unknown_references(
    phases: list[tuple[Phase, Path, SourceMap]], ids: dict[str, Location], unread: _Unread
) -> list[Problem]:
    """A decision's ``relates_to`` naming no deliverable, decision or risk (a typo, usually)."""
    problems = []
    for phase, _path, source in phases:
        for index, decision in enumerate(phase.decisions):
            for position, target in enumerate(decision.relates_to):
                if target in ids or unread.holds_id(target):
                    continue
                close = difflib.get_close_matches(target, [*ids, *sorted(unread.ids)], n=1)
                problems.append(
                    Problem(
                        source.locate(("decisions", index, "relates_to", position)),
                        f"decision `{decision.id}` relates to `{target}`, which is no "
                        "deliverable, decision or risk of the programme",
                        f"did you mean `{close[0]}`?" if close else "use the id of one of them",
                    )
                )
    return problems


def _cycles(phases: list[tuple[Phase, Path, SourceMap]], numbers: list[int]) -> list[Problem]:
    graph = {phase.number: dependencies_of(phase, numbers) for phase, _, _ in phases}
    sources = {phase.number: source for phase, _, source in phases}
    state: dict[int, int] = {}  # 1 = on the current path, 2 = finished
    for start in numbers:
        stack: list[tuple[int, int]] = [(start, 0)]
        path: list[int] = []
        while stack:
            node, index = stack.pop()
            if index == 0:
                if state.get(node) == 2:
                    continue
                state[node] = 1
                path.append(node)
            if index < len(graph[node]):
                stack.append((node, index + 1))
                target = graph[node][index]
                if state.get(target) == 1:
                    cycle = [*path[path.index(target) :], target]
                    text = " → ".join(f"phase {n}" for n in cycle)
                    return [
                        Problem(
                            sources[node].locate(("depends_on",)),
                            f"dependency cycle: {text}",
                            "remove one of these dependencies",
                        )
                    ]
                if state.get(target) != 2:
                    stack.append((target, 0))
            else:
                state[node] = 2
                path.pop()
    return []

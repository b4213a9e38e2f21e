"""YAML that cannot explode: alias bombs, recursive aliases, deep nesting and foreign tags.

Each is refused as a ``file:line:col: what (how to fix)`` problem within a second, never a
MemoryError, a RecursionError or a silently dropped value. The bound on time is generous (the
bugs took 30 s and all memory, or failed at once with a traceback); it only catches a return
to expanding the aliases.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from tests.conftest import PHASE, build, run_cli

from phasebook.errors import DataError, Problem
from phasebook.load import load_programme
from phasebook.yamlload import MAX_ALIAS_VALUES, MAX_ALIASES, MAX_DEPTH

MakeData = Callable[..., Path]
HEAD = PHASE.format(number=1)  # three lines: number, title, status


def bomb(levels: int = 9) -> str:
    """The "billion laughs": each level a list of ten aliases of the level before."""
    lines = ["x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, levels):
        aliases = ", ".join([f"*a{level - 1}"] * 10)
        lines.append(f"x{level}: &a{level} [{aliases}]")
    return "\n".join(lines) + "\n"


@contextmanager
def quickly(seconds: float = 5.0) -> Iterator[None]:
    """Fails when the block takes longer than ``seconds`` (it takes milliseconds)."""
    started = time.monotonic()
    yield
    assert time.monotonic() - started < seconds


def problems_of(data: Path) -> list[tuple[str, str, str]]:
    """``(line:col, message, hint)`` of every problem loading ``data`` raises."""
    with quickly(), pytest.raises(DataError) as caught:
        load_programme(data)
    return [_short(problem) for problem in caught.value.problems]


def _short(problem: Problem) -> tuple[str, str, str]:
    location = problem.location
    return f"{location.line}:{location.column}", problem.message, problem.hint


# --- aliases -------------------------------------------------------------------------------

BOMB_HINT = "aliases of aliases grow exponentially, as in a YAML bomb; write the values out"


def test_billion_laughs_is_refused_at_once(programme_dir: MakeData) -> None:
    """Nine levels of ten aliases (10⁹ values) stop at the alias that passes the budget."""
    data = programme_dir({1: HEAD + bomb()})
    # x3 is line 7; its ninth `*a2` (column 45) takes the expansion past 10 000 values
    assert problems_of(data) == [
        ("7:45", f"the alias `*a2` takes the file's aliases past {MAX_ALIAS_VALUES} values",
         BOMB_HINT),
    ]


def test_wide_bomb_within_the_alias_count(programme_dir: MakeData) -> None:
    """Few aliases of a big anchor: the count is fine, the expanded size is not."""
    big = "big: &big [" + ", ".join(["v"] * 2_000) + "]\n"
    uses = "".join(f"u{i}: *big\n" for i in range(6))
    data = programme_dir({1: HEAD + big + uses})
    assert problems_of(data) == [
        ("9:5", f"the alias `*big` takes the file's aliases past {MAX_ALIAS_VALUES} values",
         BOMB_HINT),
    ]


def test_too_many_aliases(programme_dir: MakeData) -> None:
    """The 101st alias of a file is refused where it is written."""
    uses = "".join(f"k{i}: *lead\n" for i in range(MAX_ALIASES + 1))
    data = programme_dir({1: HEAD + "lead: &lead Ann\n" + uses})
    assert problems_of(data) == [
        (
            f"{4 + MAX_ALIASES + 1}:{len(f'k{MAX_ALIASES}: ') + 1}",
            f"more than {MAX_ALIASES} aliases (`*name`) in one file",
            "write the values out or split the file; this many aliases is how YAML bombs are "
            "built",
        )
    ]


def test_recursive_aliases_are_all_reported(programme_dir: MakeData) -> None:
    """An alias inside its own anchor (list, mapping, merge): every one named, no traceback."""
    text = HEAD + "a: &a [*a]\nb: &b {x: [1, *b]}\nc: &c {<<: *c}\n"
    data = programme_dir({1: text})
    hint = "a value cannot contain itself; copy the part you need instead"
    assert problems_of(data) == [
        ("4:8", "the alias `*a` is inside its own anchor `&a`", hint),
        ("5:15", "the alias `*b` is inside its own anchor `&b`", hint),
        ("6:12", "the alias `*c` is inside its own anchor `&c`", hint),
    ]


def test_merge_keys_work_within_the_caps(programme_dir: MakeData) -> None:
    """Fifty risks sharing defaults through `<<:` (a list of two sources) still load."""
    first = (
        "risks:\n  - <<: &scale {likelihood: 2, impact: 3}\n    id: R\n    title: base\n"
        "    owner: &owner Ann\n"
    )
    others = "".join(
        f"  - <<: [*scale, {{owner: *owner}}]\n    id: R{i}\n    title: risk {i}\n"
        for i in range(50)
    )
    phase = load_programme(programme_dir({1: HEAD + first + others})).phases[0]
    assert len(phase.risks) == 51
    assert {(r.likelihood, r.impact, r.owner) for r in phase.risks} == {(2, 3, "Ann")}


def test_undefined_alias_is_a_located_syntax_error(programme_dir: MakeData) -> None:
    """`*nope` with no `&nope` keeps PyYAML's wording, located at the alias."""
    data = programme_dir({1: HEAD + "owner: *nope\n"})
    assert problems_of(data) == [
        (
            "4:8",
            "YAML syntax error: found undefined alias 'nope'",
            "check the indentation and quoting around this point",
        )
    ]


# --- depth ---------------------------------------------------------------------------------


def test_deep_nesting_is_refused(programme_dir: MakeData) -> None:
    """Thousands of `[` would exhaust Python's stack; the 51st level is refused."""
    data = programme_dir({1: HEAD + "x: " + "[" * 5_000 + "]" * 5_000 + "\n"})
    assert problems_of(data) == [
        (
            f"4:{4 + MAX_DEPTH - 1}",
            f"nested more than {MAX_DEPTH} levels deep",
            "no Phasebook key is nested this deep; check the indentation and brackets",
        )
    ]


def test_deep_nesting_through_aliases_is_refused(programme_dir: MakeData) -> None:
    """Each anchor is shallow, but aliases stack them deeper than the limit."""
    lines = ["a0: &a0 " + "[" * 10 + "x" + "]" * 10]
    for level in range(1, 7):
        lines.append(f"a{level}: &a{level} " + "[" * 10 + f"*a{level - 1}" + "]" * 10)
    data = programme_dir({1: HEAD + "\n".join(lines) + "\n"})
    found = problems_of(data)
    assert found
    assert {message for _, message, _ in found} == {
        f"aliases nest values more than {MAX_DEPTH} levels deep"
    }


# --- tags ----------------------------------------------------------------------------------

TAG_HINT = (
    "remove the tag, the key decides a value's type; only !!str, !!int, !!float, !!bool and "
    "!!null are accepted, on plain values"
)


@pytest.mark.parametrize(
    ("value", "tag", "kind"),
    [
        ("!!python/object/apply:os.system [echo hi]", "!!python/object/apply:os.system", "list"),
        ("!!python/name:os.system ''", "!!python/name:os.system", "value"),
        ("!!python/object:builtins.dict {a: 1}", "!!python/object:builtins.dict", "mapping"),
        ("!foo text", "!foo", "value"),
        ("!foo {a: 1}", "!foo", "mapping"),
        ("!foo [a]", "!foo", "list"),
        ("!!binary aGk=", "!!binary", "value"),
        ("!!timestamp 2026-01-01", "!!timestamp", "value"),
        ("!!set {a}", "!!set", "mapping"),
        ("!!omap [a: 1]", "!!omap", "list"),
        ("!!str [a]", "!!str", "list"),
        ("!!map [a]", "!!map", "list"),
        ("!!seq {a: 1}", "!!seq", "mapping"),
        ("!<tag:yaml.org,2002:python/none> x", "!!python/none", "value"),
        ("!<tag:example.com,2000:x> x", "tag:example.com,2000:x", "value"),
    ],
)
def test_foreign_tags_are_refused(
    programme_dir: MakeData, value: str, tag: str, kind: str
) -> None:
    """Any tag but the standard scalar (and !!seq / !!map) tags is named where it is written."""
    data = programme_dir({1: HEAD + f"brief: {value}\n"})
    assert problems_of(data) == [("4:8", f"the tag `{tag}` is not allowed on a {kind}", TAG_HINT)]


def test_tag_directive_cannot_redefine_the_standard_tags(programme_dir: MakeData) -> None:
    """`%TAG !! …` makes `!!str` mean something else; that is no longer the standard tag."""
    data = programme_dir({1: "%TAG !! tag:evil.example,2000:\n---\n" + HEAD + "brief: !!str x\n"})
    assert problems_of(data) == [
        ("6:8", "the tag `tag:evil.example,2000:str` is not allowed on a value", TAG_HINT)
    ]


def test_every_tag_problem_of_a_file_at_once(programme_dir: MakeData) -> None:
    """Three foreign tags and a recursive alias: four problems in file order, one run."""
    text = HEAD + "brief: !a x\nobjectives: !b [x]\na: &a [*a]\nscope: !c {}\n"
    found = problems_of(programme_dir({1: text}))
    assert [where for where, _, _ in found] == ["4:8", "5:13", "6:8", "7:8"]


def test_standard_tags_are_accepted(programme_dir: MakeData) -> None:
    """!!str, !!int, !!bool, !!null, !!seq and !!map mean what they always did."""
    text = (
        "number: !!int 1\ntitle: !!str 123\nobjectives: !!seq [a]\n"
        "scope: !!map {included: [b]}\nbrief: !!null\n"
        "handoff:\n  critical_findings:\n    - {title: t, resolved: !!bool true}\n"
    )
    phase = load_programme(programme_dir({1: text})).phases[0]
    assert (phase.number, phase.title, phase.objectives, phase.brief) == (1, "123", ["a"], None)
    assert phase.scope is not None
    assert phase.scope.included == ["b"]


# --- the commands --------------------------------------------------------------------------


def test_cli_validate_on_a_bomb_exits_2_with_the_location(programme_dir: MakeData) -> None:
    """`phasebook validate` on the bomb: one located line on stderr, exit 2, no traceback."""
    data = programme_dir({1: HEAD + bomb()})
    with quickly(30):  # a fresh interpreter; the bug ran out of memory after ~30 s
        result = run_cli("validate", "--data", str(data))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    path = data / "phases" / "phase-1.yml"
    assert result.stderr.splitlines() == [
        f"error: {path}:7:45: the alias `*a2` takes the file's aliases past "
        f"{MAX_ALIAS_VALUES} values ({BOMB_HINT})"
    ]


@pytest.mark.parametrize(
    "text",
    ["a: &a [*a]\n", bomb(), "brief: !!python/none x\n"],
    ids=["recursive-alias", "bomb", "python-tag"],
)
def test_build_fails_with_the_location(tmp_path: Path, programme_dir: MakeData, text: str) -> None:
    """`mkdocs build` stops with the located problem, never a RecursionError or MemoryError."""
    data = programme_dir({1: HEAD + text})
    with quickly():
        result = build(tmp_path)
    assert result.returncode == 1
    assert f"{data / 'phases' / 'phase-1.yml'}:" in result.stderr
    assert "Traceback" not in result.stderr

"""The nav Phasebook gives a site: bands of phases for a long programme, escaped phase titles.

The bands' shape is checked on :func:`build_nav` itself for programmes up to the model's 500
phases (a build of that size belongs to ``bench``); what a page carries is checked on real
builds in ``test_scale``.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from tests.conftest import MKDOCS_YML, PHASE, PROGRAMME, build, write

from phasebook.load import load_programme
from phasebook.render.nav import PHASES_PER_BAND, NavItem, build_nav

MakeData = Callable[..., Path]


def _nav(programme_dir: MakeData, phases: int) -> list[NavItem]:
    data = programme_dir(phases={n: PHASE.format(number=n) for n in range(1, phases + 1)})
    write(data.parent / "mkdocs.yml", "site_name: x\n")
    return build_nav(load_programme(data), [], set())


def _title(entry: NavItem) -> str:
    return next(iter(entry)) if isinstance(entry, dict) else entry


def _children(entry: NavItem) -> list[NavItem]:
    assert isinstance(entry, dict)
    children: list[NavItem] = next(iter(entry.values()))
    return children


def _phase_part(nav: list[NavItem]) -> list[NavItem]:
    """The top-level entries between the timeline and the risk register."""
    titles = [_title(item) for item in nav]
    return nav[titles.index("Timeline") + 1 : titles.index("Risk Register")]


def _levels(entries: list[NavItem], path: str = "") -> Iterator[tuple[str, list[NavItem]]]:
    """Every list of entries in the phases' part of the nav, above the phases' own pages."""
    yield path or "top", entries
    for entry in entries:
        if _title(entry).startswith("Phase"):  # a band: "Phases 11–20", "Phase 41"
            yield from _levels(_children(entry), _title(entry))


def _phase_numbers(entries: list[NavItem]) -> list[int]:
    numbers: list[int] = []
    for entry in entries:
        if _title(entry).startswith("Phase"):
            numbers += _phase_numbers(_children(entry))
        else:
            numbers.append(int(_title(entry).split(" · ")[0]))
    return numbers


def test_up_to_ten_phases_are_one_phases_section(programme_dir: MakeData) -> None:
    part = _phase_part(_nav(programme_dir, PHASES_PER_BAND))
    assert [_title(entry) for entry in part] == ["Phases"]
    assert _phase_numbers(_children(part[0])) == list(range(1, 11))


@pytest.mark.parametrize(
    ("phases", "top"),
    [
        (11, ["Phases 1–10", "Phase 11"]),
        (40, ["Phases 1–10", "Phases 11–20", "Phases 21–30", "Phases 31–40"]),
        (100, [f"Phases {n}–{n + 9}" for n in range(1, 100, 10)]),
        (101, ["Phases 1–100", "Phase 101"]),
        (400, ["Phases 1–100", "Phases 101–200", "Phases 201–300", "Phases 301–400"]),
        (500, [f"Phases {n}–{n + 99}" for n in range(1, 500, 100)]),
    ],
)
def test_a_long_programme_is_banded_with_at_most_ten_entries_a_level(
    programme_dir: MakeData, phases: int, top: list[str]
) -> None:
    part = _phase_part(_nav(programme_dir, phases))
    assert [_title(entry) for entry in part] == top
    for where, entries in _levels(part):
        assert len(entries) <= PHASES_PER_BAND, where
    assert _phase_numbers(part) == list(range(1, phases + 1))


def test_nested_bands_hold_bands_of_ten(programme_dir: MakeData) -> None:
    second = _children(_phase_part(_nav(programme_dir, 400))[1])
    assert [_title(band) for band in second][:2] == ["Phases 101–110", "Phases 111–120"]
    assert _title(_children(second[0])[0]) == "101 · Phase 101"


HOSTILE_TITLE = '<img src=x onerror="alert(1)"> Audit & Baseline'


@pytest.mark.slow
def test_a_phase_title_is_text_in_the_nav(tmp_path: Path) -> None:
    """MkDocs' templates write a section's title as it is: Phasebook escapes it first."""
    write(tmp_path / "data/programme.yml", PROGRAMME)
    phase = PHASE.format(number=1).replace("title: Phase 1", f"title: '{HOSTILE_TITLE}'")
    write(tmp_path / "data/phases/phase-1.yml", phase)
    write(tmp_path / "mkdocs.yml", MKDOCS_YML.format(extra_plugins=""))
    result = build(tmp_path)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "site/phase-1/00-brief/index.html").read_text(encoding="utf-8")
    nav = page[page.index('<nav class="md-nav md-nav--primary"') :]
    assert "<img" not in page  # no tag of the title's: it is text
    assert f"1 · {HOSTILE_TITLE}" in html.unescape(nav)

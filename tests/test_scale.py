"""A long programme: pages do not grow with the number of phases.

Material's ``navigation.prune`` renders only the open part of the nav; past ten phases bands
("Phases 21–30") take the place of the one "Phases" section, so a page carries its band's
phases and a link per band rather than one per phase; and the nav's indentation is folded
(:func:`~phasebook.render.compact.compact_nav`), so what each entry adds is its markup alone.
"""

from __future__ import annotations

import re
import statistics
from pathlib import Path

import pytest
from tests.conftest import MKDOCS_YML, PHASE, PROGRAMME, build, write

from phasebook.render.compact import compact_nav

pytestmark = pytest.mark.slow

PRUNED_YML = MKDOCS_YML.replace(
    "features: [content.action.edit]", "features: [content.action.edit, navigation.prune]"
)
GOAL = 1.10
"""The performance issue's bound on a page at 40 phases over the same page at 8."""


def _site(root: Path, phases: int) -> Path:
    write(root / "data/programme.yml", PROGRAMME)
    for number in range(1, phases + 1):
        write(root / f"data/phases/phase-{number}.yml", PHASE.format(number=number))
    write(root / "mkdocs.yml", PRUNED_YML.format(extra_plugins=""))
    result = build(root)
    assert result.returncode == 0, result.stderr
    return root / "site"


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return (
        _site(tmp_path_factory.mktemp("eight"), 8),
        _site(tmp_path_factory.mktemp("forty"), 40),
    )


def _served(page: Path) -> int:
    """A page's bytes as the build wrote them: its nav folded already (folding again is
    a no-op), so the sizes are what a reader downloads."""
    text = page.read_text(encoding="utf-8")
    assert compact_nav(text) == text, page
    return len(text.encode())


def _growth(sites: tuple[Path, Path], page: str) -> float:
    eight, forty = sites
    return _served(forty / page) / _served(eight / page)


# (The home page, the timeline and the dashboards list every phase: they grow, by design.)
@pytest.mark.parametrize(
    "page",
    [
        "phase-1/00-brief/index.html",
        "phase-5/05-decisions/index.html",  # a small page: the nav is most of it
        "risks/index.html",  # outside the phases: the bands' links are all it gains
    ],
)
def test_pages_do_not_grow_with_the_phase_count(sites: tuple[Path, Path], page: str) -> None:
    assert _growth(sites, page) <= GOAL


def test_the_median_page_both_sites_have_does_not_grow(sites: tuple[Path, Path]) -> None:
    eight, forty = sites
    shared = sorted(
        str(path.relative_to(eight))
        for path in eight.rglob("*.html")
        if (forty / path.relative_to(eight)).is_file()
    )
    assert len(shared) > 80  # every page of the eight phases' site
    assert statistics.median(_growth(sites, page) for page in shared) <= GOAL


def test_a_late_phase_is_as_light_as_an_early_one(sites: tuple[Path, Path]) -> None:
    forty = sites[1]
    first = _served(forty / "phase-1/00-brief/index.html")
    last = _served(forty / "phase-40/00-brief/index.html")
    assert last <= first * 1.1, (first, last)


def _nav_titles(page: Path) -> list[str]:
    """The titles a page's nav shows, in order (its table of contents among them)."""
    html = page.read_text(encoding="utf-8")
    start = html.index('<nav class="md-nav md-nav--primary"')
    nav = html[start : html.index('<div class="md-sidebar md-sidebar--secondary"', start)]
    return re.findall(r'<span class="md-ellipsis">\s*(.*?)\s*</span>', nav, flags=re.DOTALL)


def test_forty_phases_are_banded_at_the_top_of_the_nav(sites: tuple[Path, Path]) -> None:
    eight, forty = sites
    titles = _nav_titles(forty / "phase-23/00-brief/index.html")
    bands = ["Phases 1–10", "Phases 11–20", "Phases 21–30", "Phases 31–40"]
    assert [t for t in titles if t.startswith("Phases")] == bands
    assert "Phases" not in titles
    # Its own band is open, every phase of it listed; the other bands are one link each.
    assert [t for t in titles if " · " in t] == [f"{n} · Phase {n}" for n in range(21, 31)]
    assert titles[titles.index("Phases 31–40") + 1] == "Risk Register"
    # A page outside the phases carries the bands alone.
    risks = _nav_titles(forty / "risks/index.html")
    assert [t for t in risks if t.startswith("Phase")] == bands
    assert not any(" · " in t for t in risks)
    # Eight phases are one "Phases" section.
    small = _nav_titles(eight / "phase-3/00-brief/index.html")
    assert "Phases" in small and not any(t.startswith("Phases ") for t in small)
    assert [t for t in small if " · " in t] == [f"{n} · Phase {n}" for n in range(1, 9)]

"""A long programme: pages do not grow with the number of phases.

Material's ``navigation.prune`` renders only the open part of the nav, and past ten phases the
nav groups phases in bands, so a page carries its band's links rather than one per phase.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import MKDOCS_YML, PHASE, PROGRAMME, build, write

pytestmark = pytest.mark.slow

PRUNED_YML = MKDOCS_YML.replace(
    "features: [content.action.edit]", "features: [content.action.edit, navigation.prune]"
)


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


# (The home page and the timeline list every phase: they grow with the programme, by design.)
@pytest.mark.parametrize("page", ["phase-1/00-brief/index.html", "risks/index.html"])
def test_pages_do_not_grow_with_the_phase_count(sites: tuple[Path, Path], page: str) -> None:
    eight, forty = ((site / page).stat().st_size for site in sites)
    assert forty <= eight * 1.15, (eight, forty)


def test_a_late_phase_is_as_light_as_an_early_one(sites: tuple[Path, Path]) -> None:
    forty = sites[1]
    first = (forty / "phase-1/00-brief/index.html").stat().st_size
    last = (forty / "phase-40/00-brief/index.html").stat().st_size
    assert last <= first * 1.1, (first, last)


def test_forty_phases_are_banded_in_the_nav(sites: tuple[Path, Path]) -> None:
    page = (sites[1] / "phase-23/00-brief/index.html").read_text(encoding="utf-8")
    assert "Phases 21–30" in page and "Phases 1–10" in page and "Phases 31–40" in page
    # Its own band is open (every phase of it linked); other bands are one link each.
    assert "phase-27/" in page and "phase-7/00-brief/" not in page
    eight = (sites[0] / "phase-3/00-brief/index.html").read_text(encoding="utf-8")
    assert "Phases 1–" not in eight

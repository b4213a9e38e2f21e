"""Golden tests of the rendered markdown, on a small programme full of hostile text.

``PHASEBOOK_REGEN_GOLDEN=1`` rewrites the expected files after a deliberate template change;
review the diff before committing it.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from phasebook.assess import assess
from phasebook.collect import PhaseEvidence
from phasebook.pipeline import load_checked
from phasebook.render import render_pages

GOLDEN = Path(__file__).parent / "fixtures" / "golden"
AS_OF = dt.date(2026, 1, 20)


def _pages() -> dict[str, str]:
    programme = load_checked(GOLDEN / "data")
    assessment = assess(programme, {1: PhaseEvidence(), 2: PhaseEvidence()}, GOLDEN, AS_OF)
    return {page.uri: page.document() for page in render_pages(programme, assessment, GOLDEN)}


PAGES = _pages()


@pytest.mark.parametrize("uri", sorted(PAGES))
def test_page_matches_golden(uri: str) -> None:
    expected = GOLDEN / "expected" / uri
    if os.environ.get("PHASEBOOK_REGEN_GOLDEN"):
        expected.parent.mkdir(parents=True, exist_ok=True)
        expected.write_text(PAGES[uri], encoding="utf-8")
    assert expected.is_file(), f"no golden file for {uri}: run with PHASEBOOK_REGEN_GOLDEN=1"
    assert PAGES[uri] == expected.read_text(encoding="utf-8")


def test_no_golden_file_is_stale() -> None:
    files = {p.relative_to(GOLDEN / "expected").as_posix() for p in (GOLDEN / "expected").rglob("*.md")}
    assert files == set(PAGES)


def test_hostile_text_never_lands_raw() -> None:
    for uri, text in PAGES.items():
        body = text.split("---\n", 2)[2]
        assert "<script>" not in body, uri
        assert "<img" not in body, uri
        assert "{{" not in body and "{%" not in body, uri
        assert 'href="javascript' not in body and "](javascript" not in body, uri
    assert "Risk &#124; with pipe" in PAGES["risks.md"]
    assert "Audit꞉ step ＃1； ‹script›alert(1)‹/script› :crit, done, p1" in PAGES["timeline.md"]
    assert "Markdown **kept**" in PAGES["phase-1/00-brief.md"]
    assert "<code>javascript:alert(1)</code>" in PAGES["phase-1/04-artifacts.md"]  # text only


def test_every_page_has_macros_off() -> None:
    assert all(text.startswith("---\nrender_macros: false\n---\n") for text in PAGES.values())

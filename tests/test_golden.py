"""Golden tests of the rendered markdown, on a small programme full of hostile text.

The programme lives in ``tests/fixtures/golden/data``; each generated page's ``document()`` is
compared with ``tests/fixtures/golden/expected/<uri>``. After a deliberate template change, run

    PHASEBOOK_REGEN_GOLDEN=1 python -m pytest tests/test_golden.py

and review the diff before committing it. The hostile-text tests below do not depend on the
golden files: a regenerated file can never bless raw HTML, Jinja or a broken table.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest

from phasebook.pipeline import BuildSettings, build
from phasebook.render import render_pages
from phasebook.render.prose import ALLOWED_TAGS

GOLDEN = Path(__file__).parent / "fixtures" / "golden"
EXPECTED = GOLDEN / "expected"
AS_OF = dt.date(2026, 1, 20)
REGEN = os.environ.get("PHASEBOOK_REGEN_GOLDEN") == "1"

# Every piece of hostile text written in the fixture, verbatim: none may reach a page as is.
HOSTILE_RAW = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<iframe src=//evil.example>",
    "<b>bold</b>",
    "<b>raw HTML</b>",
    "{{ 7 * 7 }}",
    "{{ tools }}",
    "{{ outside }}",
    "{{ x }}",
    "{{ n }}",
    "{{ tool }}",
    "{% raw %}",
    "{% if %}",
    "Flaky {% if %} | tests",
    "Audit: step #1;",
    "Write tests; #2:",
    "javascript:alert(2))",
)


def render_golden() -> dict[str, str]:
    """Every generated page of the golden programme, by URI, as the file MkDocs receives."""
    built = build(BuildSettings(GOLDEN / "data", GOLDEN, AS_OF))
    # Set-aside tables put back, so a golden file shows the whole page as it was written.
    return {page.uri: page.finish(page.document()) for page in render_pages(built)}


def assert_golden(uri: str, text: str) -> None:
    """Compare ``text`` with the golden file for ``uri``; rewrite it when regenerating."""
    expected = EXPECTED / uri
    if REGEN:
        expected.parent.mkdir(parents=True, exist_ok=True)
        expected.write_text(text, encoding="utf-8")
    assert expected.is_file(), f"no golden file for {uri}: run with PHASEBOOK_REGEN_GOLDEN=1"
    assert text == expected.read_text(encoding="utf-8"), f"{uri} differs from its golden file"


PAGES = render_golden()


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    return PAGES


def body_of(document: str) -> str:
    """The page without its front matter."""
    assert document.startswith("---\n")
    return document.split("---\n", 2)[2]


def outside_code(markdown_text: str) -> str:
    """The markdown with fenced blocks and code spans removed (they are shown verbatim)."""
    text = re.sub(r"^```.*?^```\s*$", "", markdown_text, flags=re.S | re.M)
    return re.sub(r"(`+)(.+?)\1", "", text, flags=re.S)


# --- golden comparison ---------------------------------------------------------------------


@pytest.mark.parametrize("uri", sorted(PAGES))
def test_page_matches_golden(pages: dict[str, str], uri: str) -> None:
    """Each page's markdown is exactly the committed golden file."""
    assert_golden(uri, pages[uri])


def test_no_golden_file_is_stale(pages: dict[str, str]) -> None:
    """Every golden file belongs to a page that is still generated."""
    if REGEN:
        for path in EXPECTED.rglob("*.md"):
            if path.relative_to(EXPECTED).as_posix() not in pages:
                path.unlink()
    files = {p.relative_to(EXPECTED).as_posix() for p in EXPECTED.rglob("*.md")}
    assert files == set(pages)


def test_eight_sections_per_phase(pages: dict[str, str]) -> None:
    """Both phases have their eight sections at stable URIs."""
    for number in (1, 2):
        sections = sorted(
            uri.split("/")[1] for uri in pages if re.fullmatch(rf"phase-{number}/0\d-[a-z-]+\.md", uri)
        )
        assert sections == [
            "00-brief.md", "01-input-handoff.md", "02-execution-plan.md", "03-findings.md",
            "04-artifacts.md", "05-decisions.md", "06-output-handoff.md", "07-validation.md",
        ]


def test_every_page_has_macros_off(pages: dict[str, str]) -> None:
    """Generated pages tell mkdocs-macros to keep out; data pages also hide the table of
    contents (Material's ``hide: [toc]``) and carry the ``pb-wide`` marker."""
    assert all(text.startswith("---\nrender_macros: false\n") for text in pages.values())
    fronts = {uri: text.split("\n---\n", 1)[0] for uri, text in pages.items()}
    unsearched = {uri for uri, front in fronts.items() if front.endswith("\nsearch:\n  exclude: true")}
    # Details pages (thousands of rows) and packets (the sections again) stay out of search.
    assert unsearched == {
        uri for uri in pages if "/findings/" in uri or uri.endswith("packet.md")
    } | {"print.md"}
    fronts = {uri: front.removesuffix("\nsearch:\n  exclude: true") for uri, front in fronts.items()}
    wide = {uri for uri, front in fronts.items() if front.endswith("\nhide:\n  - toc")}
    assert all(front in ("---\nrender_macros: false", "---\nrender_macros: false\nhide:\n  - toc")
               for front in fronts.values())
    assert {"index.md", "risks.md", "timeline.md", "phase-1/03-findings.md",
            "phase-1/07-validation.md", "phase-1/dashboard.md"} <= wide
    assert "phase-1/00-brief.md" not in wide
    assert all('<div class="pb-wide"></div>' in pages[uri] for uri in wide)


# --- hostile text --------------------------------------------------------------------------


@pytest.mark.parametrize("raw", HOSTILE_RAW)
def test_hostile_text_never_lands_raw(pages: dict[str, str], raw: str) -> None:
    """No hostile string from the fixture appears verbatim on any page."""
    found = [uri for uri, text in pages.items() if raw in body_of(text)]
    assert found == []


def test_no_html_or_jinja_outside_code(pages: dict[str, str]) -> None:
    """Outside code, no page has a tag that neither the templates nor the sanitizer allow, no
    event handler, and no Jinja delimiter."""
    allowed = ALLOWED_TAGS | {"dl", "dt", "dd", "details", "summary"}
    for uri, text in pages.items():
        prose = outside_code(body_of(text))
        tags = {t.lower() for t in re.findall(r"<\s*/?\s*([A-Za-z][A-Za-z0-9]*)", prose)}
        assert tags <= allowed, (uri, tags - allowed)
        assert not re.search(r"<[^>]*\son[a-z]+\s*=", prose, re.I), uri
        for delimiter in ("{{", "}}", "{%", "%}", "{#"):
            assert delimiter not in prose, (uri, delimiter)


def test_no_script_links(pages: dict[str, str]) -> None:
    """No link on any page, HTML or markdown, points at javascript:."""
    for uri, text in pages.items():
        body = body_of(text)
        assert not re.search(r"href=[\"']?\s*javascript", body, re.I), uri
        assert not re.search(r"\]\(\s*javascript", body, re.I), uri


def _cells_in_row(line: str) -> int:
    """Cells of a markdown table row: pipes not escaped and not inside a code span."""
    line = re.sub(r"(`+)(.+?)\1", "code", line)
    return len(re.findall(r"(?<!\\)\|", line)) - 1


def test_tables_keep_their_shape(pages: dict[str, str]) -> None:
    """Every row of every markdown table has as many cells as its header."""
    for uri, text in pages.items():
        lines = outside_code_blocks(body_of(text)).splitlines()
        for index, line in enumerate(lines):
            if re.fullmatch(r"\|(\s*:?-+:?\s*\|)+", line):
                width = _cells_in_row(lines[index - 1])
                assert line.count("|") - 1 == width, (uri, lines[index - 1])
                row = index + 1
                while row < len(lines) and lines[row].startswith("|"):
                    assert _cells_in_row(lines[row]) == width, (uri, lines[row])
                    row += 1


def outside_code_blocks(markdown_text: str) -> str:
    return re.sub(r"^```.*?^```\s*$", "", markdown_text, flags=re.S | re.M)


GANTT_TASK = re.compile(
    r"^    (?P<label>[^:;#{}\n]+?) :(?:(?:crit|done|active|milestone|vert), )*"
    r"[a-z]+\d*, \d{4}-\d{2}-\d{2}, \d+d$"
)


def test_gantt_lines_are_well_formed(pages: dict[str, str]) -> None:
    """Inside every Gantt, each task line is `label :tags, id, date, Nd` with an inert label."""
    seen = 0
    for uri, text in pages.items():
        for block in re.findall(r"^```mermaid\n(.*?)^```$", text, re.S | re.M):
            if "\ngantt\n" not in block:
                continue
            body = block.split("\ngantt\n", 1)[1].splitlines()
            for line in body:
                stripped = line.strip()
                if stripped.split(" ", 1)[0] in {"dateFormat", "axisFormat", "todayMarker", "title", "section"}:
                    assert line.startswith("    "), (uri, line)
                    continue
                match = GANTT_TASK.match(line)
                assert match, (uri, line)
                assert "%%" not in match["label"]
                seen += 1
    assert seen >= 7  # 2 phases + 2 handoffs + as-of, and both plans' tasks


def test_hostile_text_is_escaped_as_pinned(pages: dict[str, str]) -> None:
    """Spot checks of how each landing place shows the same hostile text."""
    assert "Risk &#124; with pipe" in pages["risks.md"]
    assert "Audit꞉ step ＃1； ‹script›alert(1)‹/script› :crit, done, p1" in pages["timeline.md"]
    assert "Write tests； ＃2꞉ (( n )) ％％ c :active, t1, 2026-01-19, 5d" in (
        pages["phase-2/02-execution-plan.md"]
    )
    brief = pages["phase-1/00-brief.md"]
    assert "Markdown <strong>kept</strong>, <img src=\"x\"> shown as text" in brief  # sanitized
    assert "<code>javascript&#58;alert(1)</code>" in pages["phase-1/04-artifacts.md"]  # text only
    assert '<a href="https&#58;//example.org/ci?a&#61;1&#38;b&#61;2">' in (
        pages["phase-2/04-artifacts.md"]
    )
    brief = pages["phase-2/00-brief.md"]
    assert "&#123;&#123; outside &#125;&#125;" in brief
    assert "here, and raw HTML.</p>" in brief  # the <b> tags sanitized away, the text kept


def test_input_handoff_repeats_the_previous_output_handoff(pages: dict[str, str]) -> None:
    """Phase 2's input handoff shows phase 1's output handoff sections unchanged."""
    output = pages["phase-1/06-output-handoff.md"]
    incoming = pages["phase-2/01-input-handoff.md"]
    start = output.index("## Summary")
    handoff = output[start:]
    # Links are relative to each page: phase 1's decisions are `../../phase-1/…` from phase 2.
    assert incoming.endswith(handoff.replace('href="../0', 'href="../../phase-1/0'))
    assert "Handed off on 2026-01-19" in incoming


BLOCK_START = ("<div", "<table", "<ul", "<ol", "<p ", "<p>", "<details", "<figure")


@pytest.mark.parametrize("uri", sorted(PAGES))
def test_html_blocks_start_after_a_blank_line(uri: str) -> None:
    """Markdown reads an HTML block only after a blank line: glued to a paragraph, a table
    would become inline text of that paragraph (a template's ``{% endif %}`` eats newlines)."""
    assert glued_blocks(PAGES[uri]) == []


def glued_blocks(markdown: str) -> list[tuple[int, str]]:
    """Lines where a block starts right after a paragraph's text, on its line or the next."""
    lines = markdown.split("\n")
    glued = [
        (number, lines[number - 1][:60])
        for number, line in enumerate(lines)
        if number and line.startswith(BLOCK_START)
        and lines[number - 1].strip()
        and not lines[number - 1].lstrip().startswith("<")
        and not lines[number - 1].rstrip().endswith(">")  # the end of an HTML block
    ]
    return glued + [
        (number, line[:60])
        for number, line in enumerate(lines)
        if re.search(r"[^\s>]<div class=\"pb-", line) and not line.lstrip().startswith("<")
    ]


def test_the_example_glues_no_block_to_a_paragraph() -> None:
    """The same over the bundled example, whose history and late phase reach other branches."""
    example = GOLDEN.parents[2]
    settings = BuildSettings(
        example / "data", example, AS_OF, history_dir=example / "data/history"
    )
    glued = {
        page.uri: found
        for page in render_pages(build(settings))
        if (found := glued_blocks(page.finish(page.document())))
    }
    assert glued == {}

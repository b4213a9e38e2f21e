"""The built example in headless Chromium: the Gantt renders offline, search works, no errors.

Material draws each diagram inside a *closed* shadow root, so no selector reaches the SVG. The
tests measure the host element instead, and render the page's own Gantt source once more with
the page's ``mermaid`` to count what Mermaid draws.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import yaml

from .conftest import HOSTS_DRAWN, ROOT, TIMEOUT_MS, Site, Tab

pytestmark = pytest.mark.browser

PHASES = ROOT / "data" / "phases"
GANTT_KEYWORDS = ("title", "section", "dateFormat", "axisFormat", "tickInterval", "todayMarker",
                  "excludes", "includes", "weekday", "inclusiveEndDates", "topAxis",
                  "displayMode", "accTitle", "accDescr")


def phase_files() -> list[Path]:
    return sorted([*PHASES.glob("*.yml"), *PHASES.glob("*.yaml")])


def gantt_source(site: Site, path: str) -> str:
    """The Mermaid text of the first diagram of a built page, as the page hands it to Mermaid."""
    page = (site.directory / path.strip("/") / "index.html").read_text(encoding="utf-8")
    match = re.search(r'<pre class="mermaid"><code>(.*?)</code></pre>', page, re.S)
    assert match is not None, f"no Mermaid block in {path}"
    return html.unescape(match.group(1))


def task_kinds(source: str) -> list[str]:
    """'bar', 'milestone' or 'vert' for each task line after the ``gantt`` header."""
    body = source.split("\ngantt\n", 1)[-1]  # after the front matter and the diagram type
    kinds = []
    for line in body.splitlines():
        text = line.strip()
        if " :" not in text or text.startswith(GANTT_KEYWORDS):
            continue
        tags = {tag.strip() for tag in text.rsplit(" :", 1)[1].split(",")}
        kinds.append("vert" if "vert" in tags else "milestone" if "milestone" in tags else "bar")
    return kinds


def test_timeline_draws_one_bar_per_task(tab: Tab) -> None:
    tab.open("/timeline/")
    # (a) Mermaid drew something of real size where the Gantt block was.
    tab.page.wait_for_function(HOSTS_DRAWN, arg=100, timeout=TIMEOUT_MS)
    box = tab.page.locator("div.mermaid").first.bounding_box()
    assert box is not None
    assert box["height"] > 100
    assert box["width"] > 300

    # (b) The same source rendered again in the page: count the shapes Mermaid returns.
    source = gantt_source(tab.site, "/timeline/")
    kinds = task_kinds(source)
    svg = tab.page.evaluate(
        "async (text) => (await mermaid.render('phasebook-test-gantt', text)).svg", source
    )
    classes = [set(c.split()) for c in re.findall(r'<rect\b[^>]*\bclass="([^"]*)"', svg)]
    tasks = [c for c in classes if "task" in c and "vert" not in c]
    milestones = [c for c in tasks if "milestone" in c]
    assert len(tasks) == kinds.count("bar") + kinds.count("milestone")
    assert len(milestones) == kinds.count("milestone")
    # Each phase is a bar and its handoff a milestone.
    assert len(tasks) == 2 * len(phase_files())
    assert len(milestones) == len(phase_files())
    # The "as of" line is dated by the build, not by the reader's clock.
    assert kinds.count("vert") == 1
    assert sum("vert" in c for c in classes) == 1
    assert tab.errors == []
    assert tab.left_machine == []


@pytest.mark.parametrize(
    "path", ["/", "/timeline/", "/phase-1/dashboard/", "/phase-1/03-findings/"]
)
def test_no_console_errors_and_nothing_leaves_the_machine(tab: Tab, path: str) -> None:
    tab.open(path)
    if tab.page.locator(".mermaid").count():
        tab.page.wait_for_function(HOSTS_DRAWN, arg=20, timeout=TIMEOUT_MS)
    assert tab.requests, "the page made no request at all"
    assert tab.errors == []
    assert tab.left_machine == []


def test_findings_pies_draw_a_slice_per_severity_and_per_tool(tab: Tab) -> None:
    """Phase 1's reports come from several tools: both pies draw, one slice per row."""
    tab.open("/phase-1/03-findings/")
    tab.page.wait_for_function(HOSTS_DRAWN, arg=20, timeout=TIMEOUT_MS)
    page = (tab.site.directory / "phase-1/03-findings/index.html").read_text(encoding="utf-8")
    blocks = re.findall(r'<pre class="mermaid"><code>(.*?)</code></pre>', page, re.S)
    pies = [html.unescape(block) for block in blocks if html.unescape(block).startswith("pie")]
    assert [pie.splitlines()[0] for pie in pies] == [
        "pie showData title Findings by severity",
        "pie showData title Findings by tool",
    ]
    for number, source in enumerate(pies):
        slices = re.findall(r'^\s*".+" : \d+$', source, re.M)
        svg = tab.page.evaluate(
            "async ([id, text]) => (await mermaid.render(id, text)).svg",
            [f"phasebook-test-pie-{number}", source],
        )
        # Mermaid leaves out a slice under 1 % of the pie; its legend keeps every row.
        legend = re.findall(r'<g class="legend"', svg)
        assert len(legend) == len(slices) > 1
        assert 1 <= svg.count('class="pieCircle"') <= len(slices)
    assert tab.errors == []
    assert tab.left_machine == []


def test_search_finds_a_phase_by_a_word_of_its_title(tab: Tab) -> None:
    title = yaml.safe_load(phase_files()[0].read_text(encoding="utf-8"))["title"]
    word = max(re.findall(r"\w+", title), key=len)  # the longest word is the least ambiguous
    tab.open("/")
    box = tab.page.locator("input.md-search__input")
    box.click()
    box.press_sequentially(word, delay=30)  # Material searches on key events; fill() sends none
    results = tab.page.locator(".md-search-result__item")
    results.first.wait_for(timeout=TIMEOUT_MS)
    assert results.count() >= 1
    assert word.lower() in tab.page.locator(".md-search-result").inner_text().lower()
    assert tab.errors == []
    assert tab.left_machine == []

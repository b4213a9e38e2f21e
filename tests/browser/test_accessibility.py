"""Every data page passes axe-core's WCAG 2 A and AA rules, at 1280 and 390 px, in Material's
light (default) and dark (slate) schemes; and the Mermaid charts stay readable in both.

axe-core comes from the npm registry (``scripts/fetch-axe``, pinned) into ``vendor/`` and is
injected into each page; it is never published with the site. Only serious and critical
violations fail a test. Material draws each diagram in a *closed* shadow root that axe cannot
see into, so the charts' colours are checked on their own: the page draws the same Mermaid text
again with ``mermaid.render()`` (the configuration and CSS custom properties the site's charts
get), and the test measures the contrast of its lines and text against its background.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest

from .conftest import HOSTS_DRAWN, ROOT, TIMEOUT_MS, Tab, require

pytestmark = pytest.mark.browser

AXE = ROOT / "vendor" / "axe-core" / "axe.min.js"
PAGES = {
    "home": "/",
    "programme-dashboard": "/dashboard/",
    "timeline": "/timeline/",
    "risks": "/risks/",
    "decisions": "/decisions/",
    "phase-dashboard": "/phase-1/dashboard/",
    "findings": "/phase-1/03-findings/",
    "findings-detail": "/phase-1/findings/bandit/",
    "handoff": "/phase-1/06-output-handoff/",
    "validation": "/phase-1/07-validation/",
    "packet": "/phase-1/packet/",
}
WIDTHS = {"desktop": 1280, "phone": 390}
SCHEMES = ("default", "slate")
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = frozenset({"serious", "critical"})

# Material keeps the chosen palette in localStorage under the site's scope ("/" here) and
# applies it before the page is drawn: the same as a reader who clicked the toggle earlier.
PALETTE = """([index, scheme]) => localStorage.setItem('/.__palette', JSON.stringify(
    {index: index, color: {media: '', scheme: scheme, primary: 'indigo', accent: 'indigo'}}))"""
RUN_AXE = """async (tags) => {
    const result = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                            resultTypes: ['violations']});
    return result.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 300),
                                  impact: n.impact})),
    }));
}"""


def open_in(tab: Tab, path: str, width: int, scheme: str) -> None:
    """``path`` at ``width`` px in ``scheme``, every Mermaid diagram drawn."""
    tab.page.context.add_init_script(
        f"({PALETTE})({json.dumps([SCHEMES.index(scheme), scheme])})"
    )
    tab.page.set_viewport_size({"width": width, "height": 900})
    tab.open(path)
    shown = tab.page.evaluate("() => document.body.getAttribute('data-md-color-scheme')")
    assert shown == scheme, f"{path}: Material shows the {shown!r} scheme, not {scheme!r}"
    if tab.page.locator(".mermaid").count():
        tab.page.wait_for_function(HOSTS_DRAWN, arg=20, timeout=TIMEOUT_MS)


def describe(violations: list[dict[str, Any]]) -> str:
    """Each failing rule with every element it failed on, for the assertion message."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines.extend(f"    {node['target']}: {node['html']}" for node in violation["nodes"])
    return "\n".join(lines)


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_no_serious_accessibility_violation(
    tab: Tab, tmp_path: Path, path: str, width: int, scheme: str
) -> None:
    require(AXE.is_file(), str(AXE.relative_to(ROOT)))
    open_in(tab, path, width, scheme)
    name = path.strip("/").replace("/", "_") or "home"
    tab.page.screenshot(path=str(tmp_path / f"{name}-{width}-{scheme}.png"), full_page=True)
    tab.page.add_script_tag(path=str(AXE))
    violations = tab.page.evaluate(RUN_AXE, TAGS)
    failing = [v for v in violations if v["impact"] in FAILING_IMPACTS]
    assert failing == [], (
        f"{path} at {width} px ({scheme}): serious or critical violations\n{describe(failing)}"
    )


WIDE_TABLE = """() => {
    const box = document.createElement('div');
    box.className = 'pb-table';
    box.id = 'pb-wide-probe';
    const cell = document.createElement('td');
    cell.style.whiteSpace = 'nowrap';
    cell.textContent = 'an-unbreakable-identifier-'.repeat(40);
    box.appendChild(document.createElement('table')).insertRow().appendChild(cell);
    document.querySelector('article').appendChild(box);
    window.dispatchEvent(new Event('resize'));
}"""


def test_a_table_too_wide_for_the_screen_scrolls_from_the_keyboard(tab: Tab) -> None:
    """The data pages' tables fit (test_layout); one that cannot (a report's long unbreakable
    text) scrolls in a box that phasebook-tables.js makes a focusable, named region."""
    require(AXE.is_file(), str(AXE.relative_to(ROOT)))
    open_in(tab, "/phase-1/03-findings/", 390, "default")
    tab.page.evaluate(WIDE_TABLE)
    tab.page.wait_for_function(
        "() => document.getElementById('pb-wide-probe').getAttribute('tabindex') === '0'"
    )
    box = tab.page.locator("#pb-wide-probe")
    assert box.get_attribute("role") == "region" and box.get_attribute("aria-label")
    tab.page.add_script_tag(path=str(AXE))
    violations = tab.page.evaluate(
        """async () => (await axe.run('#pb-wide-probe',
            {runOnly: ['scrollable-region-focusable']})).violations"""
    )
    assert violations == []


# --- the charts' colours ----------------------------------------------------------------------

# Draw a chart again in the article (where the site's charts inherit their custom properties)
# and read the colours its elements end up with: [what, colour, background, minimum ratio].
CHART_COLOURS = """async ([code, pairs]) => {
    const host = document.createElement('div');
    document.querySelector('article').appendChild(host);
    const {svg} = await mermaid.render('pb_contrast_probe', code);
    host.innerHTML = svg;
    const page = getComputedStyle(document.body).backgroundColor;
    const style = (selector) => {
        const element = host.querySelector(selector);
        if (!element) throw new Error('no ' + selector + ' in the chart');
        return getComputedStyle(element);
    };
    const background = (selector) => selector === 'page' ? page : style(selector).fill;
    return {
        page: page,
        pairs: pairs.map(([what, selector, property, against, minimum]) =>
            [what, style(selector)[property], background(against), minimum]),
        dashes: [...host.querySelectorAll('[class^=line-plot-] path')]
            .map(path => getComputedStyle(path).strokeDasharray),
    };
}"""
TEXT, GRAPHICS = 4.5, 3.0
# Per chart: the page it is on, and what must stand out from what (selectors in the SVG).
CHARTS = {
    "line chart": (
        "/dashboard/",
        [
            ("first line", ".line-plot-0 path", "stroke", "rect.background", GRAPHICS),
            ("second line", ".line-plot-1 path", "stroke", "rect.background", GRAPHICS),
            ("title", ".chart-title text", "fill", "rect.background", TEXT),
            ("x axis labels", ".bottom-axis .label text", "fill", "rect.background", TEXT),
            ("y axis labels", ".left-axis .label text", "fill", "rect.background", TEXT),
            ("y axis title", ".left-axis .title text", "fill", "rect.background", TEXT),
            ("axis line", ".left-axis path", "stroke", "rect.background", GRAPHICS),
        ],
    ),
    "gantt": (
        "/timeline/",
        [
            ("title", ".titleText", "fill", "page", TEXT),
            ("section on a band", "text.sectionTitle0", "fill", "rect.section0", TEXT),
            ("section off a band", "text.sectionTitle1", "fill", "page", TEXT),
            ("label beside a bar", "text[id][class*=taskTextOutside]", "fill", "page", TEXT),
            ("dates", ".grid .tick text", "fill", "page", TEXT),
            ("as-of line", "rect.vert", "fill", "page", GRAPHICS),
            ("as-of label", "text.vertText", "fill", "page", TEXT),
        ],
    ),
    "pie": (
        "/phase-1/03-findings/",
        [
            ("title", ".pieTitleText", "fill", "page", TEXT),
            ("legend", ".legend text", "fill", "page", TEXT),
        ],
    ),
}


def mermaid_sources(page_file: Path) -> list[str]:
    """The Mermaid text of every diagram of a built page, as the site ships it."""
    text = page_file.read_text(encoding="utf-8")
    return [
        html.unescape(code)
        for code in re.findall(r'<pre class="mermaid"><code>(.*?)</code></pre>', text, re.S)
    ]


def rgba(colour: str) -> tuple[float, float, float, float]:
    """A computed CSS colour (``rgb(…)`` or ``rgba(…)``) as red, green, blue and alpha."""
    numbers = [float(n) for n in re.findall(r"[\d.]+", colour)]
    assert len(numbers) in (3, 4), f"not a computed colour: {colour!r}"
    return (numbers[0], numbers[1], numbers[2], numbers[3] if len(numbers) == 4 else 1.0)


def over(colour: tuple[float, ...], below: tuple[float, ...]) -> tuple[float, float, float]:
    """``colour`` drawn over the opaque ``below``."""
    alpha = colour[3]
    red, green, blue = (alpha * colour[i] + (1 - alpha) * below[i] for i in range(3))
    return (red, green, blue)


def luminance(colour: tuple[float, ...]) -> float:
    """WCAG 2 relative luminance."""

    def channel(value: float) -> float:
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(colour[i]) for i in range(3))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(foreground: str, background: str, page: str) -> float:
    """WCAG 2 contrast ratio of ``foreground`` drawn on ``background`` drawn on the page."""
    ground = over(rgba(background), rgba(page))
    lighter, darker = sorted(
        (luminance(over(rgba(foreground), ground)), luminance(ground)), reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)


def test_contrast_ratio_matches_wcag_examples() -> None:
    """The ratio the chart test relies on: black on white is 21, a colour on itself 1."""
    white, black = "rgb(255, 255, 255)", "rgb(0, 0, 0)"
    assert contrast(black, white, white) == pytest.approx(21)
    assert contrast("rgb(118, 118, 118)", white, white) == pytest.approx(4.54, abs=0.01)
    assert contrast("rgba(0, 0, 0, 0)", white, white) == pytest.approx(1)


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("chart", CHARTS.keys())
def test_charts_stand_out_from_their_background(
    tab: Tab, tmp_path: Path, chart: str, scheme: str
) -> None:
    """Lines and marks at least 3:1 against the chart's background, text at least 4.5:1; the
    chart's background is the page's (no white box on a dark page); the lines of a line chart
    differ in more than colour (the second is dashed)."""
    path, pairs = CHARTS[chart]
    kind = {"line chart": "xychart", "gantt": "gantt", "pie": "pie"}[chart]
    sources = mermaid_sources(tab.site.directory / path.strip("/") / "index.html")
    code = next((source for source in sources if re.search(f"^{kind}", source, re.M)), None)
    assert code is not None, f"{path} has no {chart}"
    open_in(tab, path, 1280, scheme)
    measured = tab.page.evaluate(CHART_COLOURS, [code, [list(pair) for pair in pairs]])
    tab.page.screenshot(path=str(tmp_path / f"{kind}-{scheme}.png"), full_page=True)
    page = measured["page"]
    weak = [
        f"{what}: {foreground} on {background} is {ratio:.2f}:1, under {minimum}:1"
        for what, foreground, background, minimum in measured["pairs"]
        if (ratio := contrast(foreground, background, page)) < minimum
    ]
    assert weak == [], f"{chart} in {scheme}:\n" + "\n".join(weak)
    if kind == "xychart":
        background = next(b for w, _, b, _ in measured["pairs"] if w == "title")
        assert contrast(background, page, page) < 1.1, "the chart is a box of its own colour"
        assert measured["dashes"][0] == "none" and measured["dashes"][1] != "none"

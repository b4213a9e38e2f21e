"""The data pages fit the screen: at 1280 px no table scrolls sideways and no table of contents
takes the room; at 390 px (a phone) every table fits or shows its rows as cards.

A table "scrolls sideways" when it, or any element between it and the article, is wider inside
than it shows (``scrollWidth > clientWidth``): what ``../shared/tools/look-at-site`` lists.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import HOSTS_DRAWN, TIMEOUT_MS, Tab

pytestmark = pytest.mark.browser

DATA_PAGES = [
    "/",
    "/dashboard/",
    "/timeline/",
    "/risks/",
    "/phase-1/03-findings/",
    "/phase-1/07-validation/",
    "/phase-1/dashboard/",
    "/phase-1/findings/bandit/",
]
WIDTHS = {"desktop": 1280, "phone": 390}
# Each main-content table: its first header, how far it (or a box around it) scrolls sideways,
# and whether its rows are shown as cards.
TABLES = """() => [...document.querySelectorAll('article table')].map(t => {
    let el = t, overflow = 0;
    while (el && el.tagName !== 'ARTICLE') {
        overflow = Math.max(overflow, el.scrollWidth - el.clientWidth);
        el = el.parentElement;
    }
    const row = t.tBodies[0] && t.tBodies[0].rows[0];
    const th = t.querySelector('th');
    return {
        head: th ? th.textContent.trim() : '?',
        overflow: overflow,
        cards: row ? getComputedStyle(row).display === 'block' : false,
        columns: row ? row.cells.length : 0,
    };
})"""
PAGE_OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def open_at(tab: Tab, path: str, width: int) -> None:
    tab.page.set_viewport_size({"width": width, "height": 900})
    tab.open(path)
    if tab.page.locator(".mermaid").count():
        tab.page.wait_for_function(HOSTS_DRAWN, arg=20, timeout=TIMEOUT_MS)


def shot(tab: Tab, folder: Path, name: str) -> None:
    tab.page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("path", DATA_PAGES)
def test_no_table_scrolls_sideways(tab: Tab, tmp_path: Path, path: str, width: int) -> None:
    open_at(tab, path, width)
    shot(tab, tmp_path, f"{width}-{path.strip('/').replace('/', '_') or 'home'}")
    tables = tab.page.evaluate(TABLES)
    assert tables or path.endswith("/dashboard/"), f"{path} has no table"
    wide = [table for table in tables if table["overflow"] > 1]
    assert wide == [], f"{path} at {width} px: tables scroll sideways"
    assert tab.page.evaluate(PAGE_OVERFLOW) <= 0, f"{path} at {width} px scrolls sideways"
    phasebook = tab.page.locator("article .pb-table table")
    if width < 600:
        # On a phone a Phasebook table of more than three columns is a stack of cards.
        for table in tables:
            if table["columns"] > 3 and table["head"] != "Likelihood \\ Impact":
                assert table["cards"], f"{path}: table {table['head']!r} is not cards"
        if phasebook.count():
            assert phasebook.first.locator("tbody td[data-label]").count() > 0
    else:
        assert not any(table["cards"] for table in tables)
    assert tab.errors == []
    assert tab.left_machine == []


@pytest.mark.parametrize("path", DATA_PAGES)
def test_data_pages_have_no_table_of_contents(tab: Tab, path: str) -> None:
    open_at(tab, path, 1280)
    assert tab.page.locator(".pb-wide").count() == 1
    assert tab.page.locator(".md-sidebar--secondary:visible").count() == 0
    # The navigation stays; the content takes the room the table of contents had.
    assert tab.page.locator(".md-sidebar--primary").is_visible()
    content = tab.page.locator("article").bounding_box()
    assert content is not None and content["width"] > 900


def test_a_prose_page_keeps_its_table_of_contents(tab: Tab) -> None:
    open_at(tab, "/phase-1/00-brief/", 1280)
    assert tab.page.locator(".pb-wide").count() == 0
    assert tab.page.locator(".md-sidebar--secondary").is_visible()


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_risk_plans_show_without_scrolling(tab: Tab, tmp_path: Path, width: int) -> None:
    """Every risk's mitigation, contingency and escalation are on screen, never off its edge."""
    open_at(tab, "/risks/", width)
    rows = tab.page.locator("article .pb-risks tr.pb-risk-row")
    plans = tab.page.locator("article .pb-risks dl.pb-risk-plan")
    assert rows.count() == plans.count() > 5
    article = tab.page.locator("article").bounding_box()
    assert article is not None
    for index in range(plans.count()):
        for field in plans.nth(index).locator("dd").all():
            field.scroll_into_view_if_needed()
            assert field.is_visible()
            box = field.bounding_box()
            assert box is not None
            assert box["x"] >= article["x"] - 1
            assert box["x"] + box["width"] <= article["x"] + article["width"] + 1
    first = plans.first
    assert first.locator("dt").all_inner_texts() == ["Mitigation", "Contingency", "Escalation"]
    assert first.locator("dd").first.inner_text().strip() not in ("", "—")
    first.scroll_into_view_if_needed()
    tab.page.screenshot(path=str(tmp_path / f"risks-{width}.png"))
    assert tab.page.evaluate(PAGE_OVERFLOW) <= 0
    assert tab.errors == []

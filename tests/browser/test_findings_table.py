"""Findings tables in the browser: sorted by a click on a header (tablesort, vendored from npm
and published with the site), filtered by text and by severity, offline and without errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import ROOT, Tab, require

pytestmark = pytest.mark.browser

TABLESORT = ROOT / "vendor" / "tablesort" / "tablesort.min.js"
DETAILS = "/phase-1/findings/bandit/"
RANKS = ["critical", "high", "medium", "low", "info"]


@pytest.fixture(autouse=True)
def _tablesort() -> None:
    require(TABLESORT.is_file(), str(TABLESORT.relative_to(ROOT)))


def column(tab: Tab, table: str, index: int) -> list[str]:
    """The text of one column of a table, visible rows only, top to bottom."""
    return tab.page.evaluate(
        """([selector, index]) => [...document.querySelector(selector).tBodies[0].rows]
            .filter(row => !row.hidden).map(row => row.cells[index].textContent.trim())""",
        [table, index],
    )


def heads(tab: Tab, table: str) -> list[str]:
    return [text.strip() for text in tab.page.locator(f"{table} thead th").all_inner_texts()]


def test_a_click_on_a_header_sorts_the_findings(tab: Tab, tmp_path: Path) -> None:
    tab.open(DETAILS)
    table = ".pb-findings:not(.pb-by-rule) table"
    rule = heads(tab, table).index("Rule")
    before = column(tab, table, rule)
    assert len(before) > 5 and before != sorted(before)  # most severe first, not by rule
    header = tab.page.locator(f"{table} thead th").nth(rule)
    header.click()
    after = column(tab, table, rule)
    assert after == sorted(before, key=str.lower)
    assert after[0] != before[0]
    assert header.get_attribute("aria-sort") == "ascending"
    header.click()
    assert column(tab, table, rule) == sorted(before, key=str.lower, reverse=True)
    # Severity sorts by rank, most severe first, not alphabetically.
    severity = tab.page.locator(f"{table} thead th").nth(heads(tab, table).index("Severity"))
    severity.click()
    ranks = [RANKS.index(text) for text in column(tab, table, 0)]
    assert ranks == sorted(ranks)
    tab.page.screenshot(path=str(tmp_path / "sorted.png"), full_page=True)
    assert tab.errors == []
    assert tab.left_machine == []


def test_counts_sort_as_numbers(tab: Tab) -> None:
    tab.open("/phase-1/03-findings/")
    table = ".pb-by-rule table"
    count = heads(tab, table).index("Findings")
    tab.page.locator(f"{table} thead th").nth(count).click()
    numbers = [int(text) for text in column(tab, table, count)]
    assert len(numbers) > 5 and len(set(numbers)) > 2
    assert numbers == sorted(numbers)
    assert tab.errors == []


def test_the_filter_hides_rows_that_do_not_match(tab: Tab, tmp_path: Path) -> None:
    tab.open(DETAILS)
    table = ".pb-findings:not(.pb-by-rule) table"
    rules = column(tab, table, heads(tab, table).index("Rule"))
    wanted = min(set(rules), key=rules.count)  # the rarest rule
    box = tab.page.locator(".pb-findings:not(.pb-by-rule)").locator(
        "xpath=preceding-sibling::div[contains(@class, 'pb-filter')][1]"
    )
    text = box.locator("input.pb-filter__text")
    text.fill(wanted.lower())
    shown = column(tab, table, heads(tab, table).index("Rule"))
    assert shown == [rule for rule in rules if rule == wanted]
    assert 0 < len(shown) < len(rules)
    assert box.locator(".pb-filter__count").inner_text() == f"{len(shown)} of {len(rules)} rows"
    tab.page.screenshot(path=str(tmp_path / "filtered.png"), full_page=True)
    text.fill("")
    assert len(column(tab, table, 0)) == len(rules)
    # The severity choice keeps only the rows of that severity.
    severities = column(tab, table, 0)
    box.locator("select.pb-filter__severity").select_option("high")
    assert column(tab, table, 0) == ["high"] * severities.count("high")
    assert tab.errors == []
    assert tab.left_machine == []


def test_tables_that_are_not_findings_do_not_sort(tab: Tab) -> None:
    tab.open("/phase-1/03-findings/")
    reports = tab.page.locator("article .pb-table:not(.pb-findings) table").first
    assert reports.locator("th[role=columnheader]").count() == 0
    assert tab.page.locator("article .pb-findings table th[role=columnheader]").count() > 0
    assert tab.errors == []

"""Mermaid runs with Phasebook's settings, whatever the theme passes to ``mermaid.initialize``.

``assets/phasebook-mermaid.js`` (listed right after ``mermaid.min.js``) wraps
``mermaid.initialize`` so the effective configuration always has ``securityLevel: 'strict'``
and ``maxTextSize: 50000``, and a diagram's own ``%%{init}%%`` cannot change them.
"""

from __future__ import annotations

import re

import pytest

from phasebook.render.gantt import MERMAID_MAX_TEXT_SIZE

from .conftest import HOSTS_DRAWN, TIMEOUT_MS, Tab

pytestmark = pytest.mark.browser

EFFECTIVE = """() => {
    const config = mermaid.mermaidAPI.getConfig();
    const site = mermaid.mermaidAPI.getSiteConfig();
    return [config.securityLevel, config.maxTextSize, site.securityLevel, site.maxTextSize,
            site.secure];
}"""
HOSTILE = """%%{init: {"securityLevel": "loose", "maxTextSize": 900000}}%%
flowchart LR
    A["<img src=x onerror='window.phasebookPwned = 1'>"] --> B["<a href='javascript:alert(1)'>link</a>"]
    click A call phasebookCallback()
"""


def effective(tab: Tab) -> list[object]:
    value = tab.page.evaluate(EFFECTIVE)
    assert isinstance(value, list)
    return value


def test_the_guard_is_published_right_after_mermaid(tab: Tab) -> None:
    page = (tab.site.directory / "timeline" / "index.html").read_text(encoding="utf-8")
    scripts = re.findall(r'<script src="([^"]+)"', page)
    names = [src.rsplit("/", 1)[-1] for src in scripts]
    index = names.index("mermaid.min.js")
    assert names[index + 1] == "phasebook-mermaid.js"
    assert (tab.site.directory / "assets/phasebook/phasebook-mermaid.js").is_file()


def test_effective_config_is_strict_and_the_gantt_renders(tab: Tab) -> None:
    tab.open("/timeline/")
    tab.page.wait_for_function(HOSTS_DRAWN, arg=100, timeout=TIMEOUT_MS)
    level, size, site_level, site_size, secure = effective(tab)
    assert (level, size, site_level, site_size) == (
        "strict", MERMAID_MAX_TEXT_SIZE, "strict", MERMAID_MAX_TEXT_SIZE
    )
    assert {"securityLevel", "maxTextSize", "secure"} <= set(secure)  # type: ignore[arg-type]
    # Material's own options still reach Mermaid (its theme CSS), so the wrapper merged them.
    assert tab.page.evaluate("() => Boolean(mermaid.mermaidAPI.getConfig().themeCSS)")
    box = tab.page.locator("div.mermaid").first.bounding_box()
    assert box is not None and box["height"] > 100
    assert tab.errors == []
    assert tab.left_machine == []


def test_no_caller_and_no_diagram_loosens_it(tab: Tab) -> None:
    tab.open("/timeline/")
    tab.page.wait_for_function(HOSTS_DRAWN, arg=100, timeout=TIMEOUT_MS)
    tab.page.evaluate("() => mermaid.initialize({securityLevel: 'loose', maxTextSize: 1e9})")
    assert effective(tab)[:4] == ["strict", MERMAID_MAX_TEXT_SIZE] * 2

    svg = tab.page.evaluate(
        "async (text) => (await mermaid.render('phasebook-hostile', text)).svg", HOSTILE
    )
    assert "onerror" not in svg
    assert "javascript:" not in svg
    assert tab.page.evaluate("() => window.phasebookPwned") is None
    assert effective(tab)[:4] == ["strict", MERMAID_MAX_TEXT_SIZE] * 2

    # Past maxTextSize Mermaid draws its "too long" box: the limit Phasebook plans for holds.
    long = "gantt\n    dateFormat YYYY-MM-DD\n" + "    Task :2026-01-05, 1d\n" * 2500
    svg = tab.page.evaluate(
        "async (text) => (await mermaid.render('phasebook-long', text)).svg", long
    )
    assert len(long) > MERMAID_MAX_TEXT_SIZE
    assert "Maximum text size in diagram exceeded" in svg


def test_mermaid_arriving_after_the_guard_is_wrapped_too(tab: Tab) -> None:
    """Without a bundled Mermaid the theme loads it from its CDN after the guard has run."""
    blank = tab.site.url + "/phasebook-blank.html"
    tab.page.route(blank, lambda route: route.fulfill(
        content_type="text/html", body="<!doctype html><title>blank</title><body></body>"
    ))
    tab.page.goto(blank)
    tab.page.add_script_tag(url=tab.site.url + "/assets/phasebook/phasebook-mermaid.js")
    assert tab.page.evaluate("() => typeof mermaid") == "undefined"
    tab.page.add_script_tag(url=tab.site.url + "/assets/phasebook/mermaid.min.js")
    tab.page.evaluate("() => mermaid.initialize({startOnLoad: false, securityLevel: 'loose'})")
    assert effective(tab)[:4] == ["strict", MERMAID_MAX_TEXT_SIZE] * 2
    assert tab.errors == []

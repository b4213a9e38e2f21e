"""Folding the nav's indentation (``render.compact``) leaves every page laid out as it was.

A plain Material site (no Phasebook, so nothing has folded it yet) with nested sections under
``navigation.prune`` is served twice: as MkDocs wrote it, and with every page folded by
``compact_nav``. Every element of both sidebars must sit at the same place with the same size
and the same rendered text, on a desktop and in a phone's open drawer. (A nav title with
inline markup is the one place where whitespace between two tags shows: it must stay.)
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from tests.conftest import write

from phasebook.render.compact import compact_nav

from .conftest import TIMEOUT_MS, Site, serve

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser

MKDOCS_YML = """\
site_name: Nav test
theme:
  name: material
  font: false
  features: [navigation.prune, navigation.indexes]
markdown_extensions: [toc, admonition, pymdownx.superfences]
nav:
  - Home: index.md
  - Phases 1–2:
      - "1 · First & <one>":
          - Brief: p1/brief.md
          - Findings: p1/findings.md
      - "2 · Second": [p2/brief.md]
  - Phases 3–4:
      - "3 · Third": [p3/brief.md]
  - Guide:
      - guide/index.md
      - "<b>Inline</b> <i>markup</i>": guide/notes.md
"""
PAGE = """\
# {title}

## The `a  <b>` option

Text with `inline   code` and <kbd>Ctrl</kbd> <kbd>C</kbd>.

```
indented   block
    kept
```

## Second heading

!!! note "A note"
    Inside it.
"""
PAGES = ["index.md", "p1/brief.md", "p1/findings.md", "p2/brief.md", "p3/brief.md",
         "guide/index.md", "guide/notes.md"]
LAYOUT = """() => [...document.querySelectorAll('.md-sidebar, .md-sidebar *')]
    .filter(e => e.getClientRects().length > 0)
    .map(e => {
        const r = e.getBoundingClientRect();
        return [e.tagName, e.className, r.x, r.y, r.width, r.height, e.innerText || ''];
    })"""
DRAWER = 'label.md-header__button[for="__drawer"]'


def _build(folder: Path) -> Path:
    for page in PAGES:
        write(folder / "docs" / page, PAGE.format(title=page))
    write(folder / "mkdocs.yml", MKDOCS_YML)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(folder / "mkdocs.yml")],
        capture_output=True, text=True, env=env, check=False,
    )
    assert result.returncode == 0, result.stderr
    return folder / "site"


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Site, Site]]:
    """The plain site, and a copy with every page folded."""
    loose = _build(tmp_path_factory.mktemp("loose"))
    folded = tmp_path_factory.mktemp("folded") / "site"
    subprocess.run(["cp", "-r", str(loose), str(folded)], check=True)
    for page in folded.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        page.write_text(compact_nav(text), encoding="utf-8")
    assert (folded / "p1/brief/index.html").stat().st_size < (
        loose / "p1/brief/index.html"
    ).stat().st_size
    with serve(loose) as first, serve(folded) as second:
        yield first, second


def _layout(browser: Browser, site: Site, path: str, width: int, drawer: bool) -> Any:
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        page.goto(site.url + path)
        page.wait_for_load_state("networkidle")
        if drawer:
            page.click(DRAWER)
            page.wait_for_timeout(800)  # Material's drawer slides in over 250 ms
        return page.evaluate(LAYOUT)
    finally:
        context.close()


@pytest.mark.parametrize("path", ["/p1/brief/", "/p3/brief/", "/guide/notes/", "/"])
@pytest.mark.parametrize(("width", "drawer"), [(1280, False), (390, True)])
def test_a_folded_page_lays_out_as_the_plain_one(
    browser: Browser, sites: tuple[Site, Site], path: str, width: int, drawer: bool
) -> None:
    loose, folded = (_layout(browser, site, path, width, drawer) for site in sites)
    assert len(loose) > 20
    assert folded == loose

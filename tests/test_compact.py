"""Folding Material's nav indentation changes bytes, never what a page shows.

``compact_nav`` folds whitespace that stands alone between two tags of a ``md-nav`` nav; the
browser test ``browser/test_compact_nav`` checks that a page lays out the same either way.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from tests.conftest import MKDOCS_YML, PHASE, PROGRAMME, build, write

from phasebook.render.compact import compact_nav

NAV = """<nav class="md-nav md-nav--primary" data-md-level="0">
  <ul class="md-nav__list">
    <li class="md-nav__item">
      <a href="../" class="md-nav__link">
        <span class="md-ellipsis">
          Home  page
        </span>
      </a>
    </li>
  </ul>
</nav>"""


def test_whitespace_between_tags_folds_to_one_newline_or_space() -> None:
    assert compact_nav(NAV) == (
        '<nav class="md-nav md-nav--primary" data-md-level="0">\n<ul class="md-nav__list">\n'
        '<li class="md-nav__item">\n<a href="../" class="md-nav__link">\n'
        '<span class="md-ellipsis">\n          Home  page\n        </span>\n</a>\n</li>\n'
        "</ul>\n</nav>"
    )
    assert compact_nav('<nav class="md-nav"><b>a</b>   <i>b</i></nav>') == (
        '<nav class="md-nav"><b>a</b> <i>b</i></nav>'
    )


def test_only_material_navs_are_folded() -> None:
    page = (
        '<body>\n  <nav class="md-header__inner">\n  <a>x</a>\n  </nav>\n  '
        f"<article>\n  <p>a</p>\n  </article>\n  {NAV}\n  <footer>\n  </footer>\n</body>"
    )
    folded = compact_nav(page)
    head, _, tail = page.partition(NAV)
    assert folded.startswith(head) and folded.endswith(tail)
    assert compact_nav(NAV) in folded


@pytest.mark.parametrize(
    "inside",
    [
        "<pre>  <span>a</span>\n    <span>b</span>  </pre>",
        "<code><span>a</span>  <span>b</span></code>",
        "<textarea>\n  <b>  </b>  </textarea>",
        '<script>\n  if (a < b) { x = "</nav>  <nav>"; }\n  </script>',
        "<style>  a > b  { }  </style>",
        "<pre><code>\n  <span>x</span>\n  </code>   <span>y</span>  </pre>",
    ],
)
def test_text_of_protected_elements_is_left_byte_for_byte(inside: str) -> None:
    nav = f'<nav class="md-nav">\n  <li>{inside}</li>\n  <li>  </li>\n</nav>'
    assert compact_nav(nav) == f'<nav class="md-nav">\n<li>{inside}</li>\n<li> </li>\n</nav>'


def test_the_content_is_left_alone_even_where_it_looks_like_a_nav() -> None:
    writer = '<nav class="md-nav">\n  <a>x</a>\n</nav>'
    page = f'{NAV}\n<div class="md-content">\n  {writer}\n</div>'
    assert compact_nav(page) == f'{compact_nav(NAV)}\n<div class="md-content">\n  {writer}\n</div>'


def test_nested_navs_fold_to_the_outer_end_and_no_further() -> None:
    page = f'<nav class="md-nav">\n <nav class="md-nav">\n </nav>\n </nav>\n <p>\n  x</p>{NAV}'
    assert compact_nav(page) == (
        f'<nav class="md-nav">\n<nav class="md-nav">\n</nav>\n</nav>\n <p>\n  x</p>'
        f"{compact_nav(NAV)}"
    )


def test_attributes_and_stray_brackets_are_not_tags() -> None:
    nav = '<nav class="md-nav">\n  <a title="a >  < b" href="x">\n  1 < 2  </a>  <i>\n</i></nav>'
    assert compact_nav(nav) == (
        '<nav class="md-nav">\n<a title="a >  < b" href="x">\n  1 < 2  </a> <i>\n</i></nav>'
    )


def test_a_nav_that_never_closes_is_left_as_it_is() -> None:
    page = f'{NAV}\n<nav class="md-nav">\n  <ul>\n  <li>x</li>'
    assert compact_nav(page) == f'{compact_nav(NAV)}\n<nav class="md-nav">\n  <ul>\n  <li>x</li>'


def test_folding_twice_is_folding_once() -> None:
    once = compact_nav(NAV)
    assert compact_nav(once) == once


NOTES = """\
# Notes

## The `a  <b>` option

```
<nav class="md-nav">
    indented   code
</nav>
```

Some `inline   code` and text.
"""


def _primary_nav(page: str) -> str:
    start = page.index('<nav class="md-nav md-nav--primary"')
    return page[start : page.index('<div class="md-sidebar md-sidebar--secondary"', start)]


def _code(page: str) -> list[str]:
    return re.findall(r"<(pre|code)\b.*?</\1>", page, flags=re.DOTALL)


PLAIN_YML = """\
site_name: Plain
theme:
  name: material
  font: false
  features: [navigation.prune]
plugins: [search]
"""


@pytest.mark.slow
def test_a_plain_material_site_keeps_its_text_code_and_tags(tmp_path: Path) -> None:
    """Every page of a real Material build (no Phasebook, so the nav is as the theme writes
    it): only whitespace changes, text and code stay as they were, and the nav loses a good
    part of its bytes."""
    write(tmp_path / "docs/index.md", "# Home\n\nWelcome.\n")
    write(tmp_path / "docs/notes.md", NOTES)
    for section in ("alpha", "beta", "gamma"):
        for page in ("one", "two", "three"):
            write(tmp_path / f"docs/{section}/{page}.md", f"# {section} {page}\n\nText.\n")
    write(tmp_path / "mkdocs.yml", PLAIN_YML)
    config = load_config(config_file=str(tmp_path / "mkdocs.yml"))
    mkdocs_build(config)
    pages = sorted((tmp_path / "site").rglob("*.html"))
    assert len(pages) > 10
    for path in pages:
        page = path.read_text(encoding="utf-8")
        folded = compact_nav(page)
        assert re.sub(r"\s+", "", folded) == re.sub(r"\s+", "", page), path
        assert _text(folded) == _text(page), path
        assert _code(folded) == _code(page), path
        assert compact_nav(folded) == folded, path
    notes = compact_nav((tmp_path / "site/notes/index.html").read_text(encoding="utf-8"))
    assert "<code>a  &lt;b&gt;</code>" in notes and "    indented   code" in notes
    page = (tmp_path / "site/beta/two/index.html").read_text(encoding="utf-8")
    assert len(_primary_nav(compact_nav(page))) < 0.8 * len(_primary_nav(page))


@pytest.mark.slow
def test_phasebook_writes_every_page_folded(tmp_path: Path) -> None:
    """The plugin folds each page's nav as it is written, the 404 page's too."""
    write(tmp_path / "data/programme.yml", PROGRAMME)
    for number in (1, 2, 3):
        write(tmp_path / f"data/phases/phase-{number}.yml", PHASE.format(number=number))
    write(tmp_path / "docs/notes.md", NOTES)
    config = MKDOCS_YML.replace("edit]", "edit, navigation.prune]")
    write(tmp_path / "mkdocs.yml", config.format(extra_plugins=""))
    result = build(tmp_path)
    assert result.returncode == 0, result.stderr
    pages = sorted((tmp_path / "site").rglob("*.html"))
    assert len(pages) > 30 and tmp_path / "site/404.html" in pages
    for path in pages:
        page = path.read_text(encoding="utf-8")
        assert compact_nav(page) == page, path
    notes = (tmp_path / "site/notes/index.html").read_text(encoding="utf-8")
    assert "<code>a  &lt;b&gt;</code>" in notes and "    indented   code" in notes


def _text(page: str) -> str:
    """What a reader sees: the text between tags, whitespace runs folded."""
    return " ".join(re.sub(r"<[^>]+>", "", page).split())

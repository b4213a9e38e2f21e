"""What a built site weighs: total bytes, pages, the heaviest page, snapshot and search index.

A reader downloads a page, the search index (Material fetches it on every page) and, for the
trend charts of the next build, CI keeps the snapshot; those are the sizes the goals bound.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from pathlib import Path

from phasebook.output.snapshot import SNAPSHOT_NAME
from phasebook.render.compact import compact_nav

SEARCH_INDEX = "search/search_index.json"
_EDIT_LINK = re.compile(r'<a href="[^"]*" title="Edit this page"[^>]*rel="edit">')


@dataclass(frozen=True)
class SiteSize:
    """The sizes of one built site, in bytes."""

    total: int
    pages: int
    heaviest_page: str
    heaviest_page_bytes: int
    snapshot: int | None
    search_index: int | None

    @classmethod
    def of(cls, site: Path) -> SiteSize:
        files = [path for path in site.rglob("*") if path.is_file()]
        html = [path for path in files if path.suffix == ".html"]
        heaviest = max(html, key=lambda path: path.stat().st_size, default=None)
        return cls(
            total=sum(path.stat().st_size for path in files),
            pages=len(html),
            heaviest_page=str(heaviest.relative_to(site)) if heaviest else "",
            heaviest_page_bytes=heaviest.stat().st_size if heaviest else 0,
            snapshot=_size(site / SNAPSHOT_NAME),
            search_index=_size(site / SEARCH_INDEX),
        )


def _size(path: Path) -> int | None:
    return path.stat().st_size if path.is_file() else None


def page_set(site: Path) -> set[str]:
    """The site's pages by their path in the site."""
    return {str(path.relative_to(site)) for path in site.rglob("*.html")}


@dataclass(frozen=True)
class PageGrowth:
    """Each page two sites both have, by its size in the second over its size in the first.

    Comparing like with like: a larger programme's site also has pages the smaller one lacks
    (more phases, more report details), so the median of each site's pages compares two
    different mixes of pages.
    """

    ratios: dict[str, float]

    @classmethod
    def between(cls, first: Path, second: Path) -> PageGrowth:
        shared = sorted(page_set(first) & page_set(second))
        sizes = {page: ((first / page).stat().st_size, (second / page).stat().st_size)
                 for page in shared}
        return cls({page: after / before for page, (before, after) in sizes.items() if before})

    def under(self, prefix: str) -> PageGrowth:
        """Only the pages whose path starts with ``prefix``."""
        return PageGrowth({page: r for page, r in self.ratios.items() if page.startswith(prefix)})

    @property
    def median(self) -> float | None:
        return statistics.median(self.ratios.values()) if self.ratios else None

    @property
    def largest(self) -> tuple[str, float] | None:
        """The page that grew most, and by how much."""
        if not self.ratios:
            return None
        page = max(sorted(self.ratios), key=self.ratios.__getitem__)
        return page, self.ratios[page]


def differing_pages(first: Path, second: Path) -> list[str]:
    """Pages of ``first`` whose HTML differs from ``second``'s, edit links and the nav's
    indentation aside.

    Phasebook points a generated page's edit link at the YAML it came from, and folds the
    whitespace of Material's nav (:func:`~phasebook.render.compact.compact_nav`); the exported
    plain site does neither, and those are the only differences an honest export leaves.
    """
    differ = []
    for page in sorted(page_set(first)):
        other = second / page
        if not other.is_file():
            differ.append(page)
            continue
        if _comparable(first / page) != _comparable(other):
            differ.append(page)
    return differ


def _comparable(page: Path) -> str:
    return _EDIT_LINK.sub("", compact_nav(page.read_text(encoding="utf-8")))

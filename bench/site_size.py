"""What a built site weighs: total bytes, pages, the heaviest page, snapshot and search index.

A reader downloads a page, the search index (Material fetches it on every page) and, for the
trend charts of the next build, CI keeps the snapshot; those are the sizes the goals bound.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from phasebook.output.snapshot import SNAPSHOT_NAME

SEARCH_INDEX = "search/search_index.json"
_EDIT_LINK = re.compile(rb'<a href="[^"]*" title="Edit this page"[^>]*rel="edit">')


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


def differing_pages(first: Path, second: Path) -> list[str]:
    """Pages of ``first`` whose HTML differs from ``second``'s, edit links aside.

    Phasebook points a generated page's edit link at the YAML it came from; the exported
    plain site cannot, and that is the only difference an honest export leaves.
    """
    differ = []
    for page in sorted(page_set(first)):
        other = second / page
        if not other.is_file():
            differ.append(page)
            continue
        mine = _EDIT_LINK.sub(b"", (first / page).read_bytes())
        if mine != _EDIT_LINK.sub(b"", other.read_bytes()):
            differ.append(page)
    return differ

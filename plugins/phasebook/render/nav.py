"""The site's nav when ``mkdocs.yml`` has none: the programme first, then writers' pages."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from phasebook.model import Programme
from phasebook.render.pages import OVERVIEW_PAGES, SECTIONS, dashboard_uri

NavItem = str | dict[str, Any]


class _SourceFile(Protocol):
    src_uri: str

    def is_documentation_page(self) -> bool: ...


def build_nav(
    programme: Programme, files: Iterable[_SourceFile], generated: set[str]
) -> list[NavItem]:
    """Overview pages, a section per phase with its eight pages, then every other page."""
    overview = [{title: uri} for uri, title, _ in OVERVIEW_PAGES]
    phases: list[tuple[int, NavItem]] = [
        (
            phase.number,
            {
                f"{phase.number} · {phase.title}": [
                    *({f"{s.slug[:2]} {s.title}": s.uri(phase)} for s in SECTIONS),
                    {"Dashboard": dashboard_uri(phase)},
                ]
            },
        )
        for phase in programme.phases
    ]
    others = sorted(
        (f.src_uri for f in files if f.is_documentation_page() and f.src_uri not in generated),
        key=_sort_key,
    )
    home, timeline, *rest = overview
    return [home, timeline, {"Phases": _banded(phases)}, *rest, *_tree(others)]


PHASES_PER_BAND = 10
"""Past this many phases the nav groups them in bands ("Phases 11–20"): with Material's
``navigation.prune`` a page then carries its own band's links, not one per phase, so pages
do not grow with the length of the programme."""


def _banded(phases: list[tuple[int, NavItem]]) -> list[NavItem]:
    entries = [entry for _, entry in phases]
    if len(phases) <= PHASES_PER_BAND:
        return entries
    bands: list[NavItem] = []
    for start in range(0, len(phases), PHASES_PER_BAND):
        band = phases[start : start + PHASES_PER_BAND]
        title = f"Phases {band[0][0]}–{band[-1][0]}"
        bands.append({title: [entry for _, entry in band]})
    return bands


def _sort_key(uri: str) -> tuple[tuple[int, str], ...]:
    """MkDocs' own order: in each folder the index page first, then by name."""
    parts = uri.split("/")
    return tuple(
        (0 if i == len(parts) - 1 and part in ("index.md", "README.md") else 1, part)
        for i, part in enumerate(parts)
    )


def _tree(uris: list[str]) -> list[NavItem]:
    root: list[NavItem] = []
    folders: dict[str, list[NavItem]] = {"": root}
    for uri in uris:
        parts = uri.split("/")
        parent = ""
        for folder in parts[:-1]:
            path = f"{parent}/{folder}" if parent else folder
            if path not in folders:
                folders[path] = []
                title = folder.replace("-", " ").replace("_", " ").capitalize()
                folders[parent].append({title: folders[path]})
            parent = path
        folders[parent].append(uri)
    return root

"""The site's nav when ``mkdocs.yml`` has none: the programme first, then writers' pages."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from phasebook import escape
from phasebook.model import Programme
from phasebook.render.pages import OVERVIEW_PAGES, SECTIONS, dashboard_uri

NavItem = str | dict[str, Any]


class _SourceFile(Protocol):
    src_uri: str

    def is_documentation_page(self) -> bool: ...


def build_nav(
    programme: Programme, files: Iterable[_SourceFile], generated: set[str]
) -> list[NavItem]:
    """Overview pages, a section per phase with its eight pages, then every other page.

    Material writes a section's title into every page as it is (MkDocs' templates do not
    escape): a phase's title from the YAML is escaped here.
    """
    overview = [{title: uri} for uri, title, _ in OVERVIEW_PAGES]
    phases: list[tuple[int, NavItem]] = [
        (
            phase.number,
            {
                f"{phase.number} · {escape.text(phase.title)}": [
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
    return [home, timeline, *_phase_sections(phases), *rest, *_tree(others)]


PHASES_PER_BAND = 10
"""The most entries one level of the phases' nav holds.

Material's ``navigation.prune`` renders, on a page, the entries of each level on the way to
it and nothing below the others: a page's nav weighs what those levels hold. Up to this many
phases they are one "Phases" section; past it, bands ("Phases 11–20") take that section's
place at the top, nested ("Phases 101–200" holds bands of ten) so that no level holds more.
A page of a 40-phase programme then carries four bands and ten phases where one of eight
phases carries one section and eight phases; at 400 phases, four, ten and ten.
"""


def _phase_sections(phases: list[tuple[int, NavItem]]) -> list[NavItem]:
    """The phases' top-level entries: one "Phases" section, or the bands of a long programme."""
    if len(phases) <= PHASES_PER_BAND:
        return [{"Phases": [entry for _, entry in phases]}]
    return _banded(phases)


def _banded(phases: list[tuple[int, NavItem]]) -> list[NavItem]:
    """At most ``PHASES_PER_BAND`` entries: the phases, or bands of a power of ten of them."""
    if len(phases) <= PHASES_PER_BAND:
        return [entry for _, entry in phases]
    size = PHASES_PER_BAND
    while len(phases) > size * PHASES_PER_BAND:
        size *= PHASES_PER_BAND
    return [
        {_band_title(phases[start : start + size]): _banded(phases[start : start + size])}
        for start in range(0, len(phases), size)
    ]


def _band_title(band: list[tuple[int, NavItem]]) -> str:
    first, last = band[0][0], band[-1][0]
    return f"Phase {first}" if first == last else f"Phases {first}–{last}"


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
                title = str(escape.text(folder.replace("-", " ").replace("_", " ").capitalize()))
                folders[parent].append({title: folders[path]})
            parent = path
        folders[parent].append(uri)
    return root

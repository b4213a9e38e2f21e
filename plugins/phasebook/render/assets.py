"""The files a site gets besides its pages: the snapshot, Phasebook's CSS, its Mermaid guard
and its table helper."""

from __future__ import annotations

from importlib import resources

from phasebook.build import Build
from phasebook.output.snapshot import SNAPSHOT_NAME, snapshot_json

CSS_URI = "assets/phasebook/phasebook.css"
PRINT_CSS_URI = "assets/phasebook/phasebook-print.css"
"""The printout (``@media print`` only): no navigation, a page per packet section."""
MERMAID_URI = "assets/phasebook/mermaid.min.js"
MERMAID_GUARD_URI = "assets/phasebook/phasebook-mermaid.js"
"""Phasebook's Mermaid settings (strict security level), loaded right after Mermaid."""
TABLESORT_URI = "assets/phasebook/tablesort.min.js"
"""tablesort (npm, pinned in ``scripts/fetch-tablesort``), when the site publishes it."""
TABLES_URI = "assets/phasebook/phasebook-tables.js"
"""Phasebook's table helper: column labels for narrow screens, sorting, the findings filter."""


def _asset(name: str) -> str:
    return resources.files("phasebook").joinpath("assets", name).read_text("utf-8")


def site_files(build: Build) -> dict[str, str]:
    """Every extra file by its URI in the site: the build's snapshot, the CSS, the scripts."""
    return {SNAPSHOT_NAME: snapshot_json(dict(build.snapshot)), **static_files()}


def static_files() -> dict[str, str]:
    """The CSS and scripts alone: all a site gets while its data cannot be used (no build)."""
    return {
        CSS_URI: _asset("phasebook.css"),
        PRINT_CSS_URI: _asset("phasebook-print.css"),
        MERMAID_GUARD_URI: _asset("phasebook-mermaid.js"),
        TABLES_URI: _asset("phasebook-tables.js"),
    }

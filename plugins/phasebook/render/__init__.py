"""The page writer: a build as markdown pages, the nav and the extra files; no MkDocs here."""

from __future__ import annotations

from phasebook.render.assets import (
    CSS_URI,
    MERMAID_GUARD_URI,
    MERMAID_URI,
    PRINT_CSS_URI,
    TABLES_URI,
    TABLESORT_URI,
    site_files,
)
from phasebook.render.markdown_setup import ensure_markdown_extensions
from phasebook.render.nav import build_nav
from phasebook.render.pages import GeneratedPage, Renderer, render_pages

__all__ = [
    "CSS_URI",
    "MERMAID_GUARD_URI",
    "MERMAID_URI",
    "PRINT_CSS_URI",
    "TABLESORT_URI",
    "TABLES_URI",
    "GeneratedPage",
    "Renderer",
    "build_nav",
    "ensure_markdown_extensions",
    "render_pages",
    "site_files",
]

"""Turn the programme and its schedule into markdown pages; knows nothing of MkDocs."""

from __future__ import annotations

from phasebook.render.pages import GeneratedPage, render_pages

__all__ = ["GeneratedPage", "render_pages"]

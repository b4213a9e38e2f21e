"""The files a site gets besides its pages: the snapshot, Phasebook's CSS and Mermaid guard."""

from __future__ import annotations

from importlib import resources

from phasebook.build import Build
from phasebook.output.snapshot import SNAPSHOT_NAME, snapshot_json

CSS_URI = "assets/phasebook/phasebook.css"
MERMAID_URI = "assets/phasebook/mermaid.min.js"
MERMAID_GUARD_URI = "assets/phasebook/phasebook-mermaid.js"
"""Phasebook's Mermaid settings (strict security level), loaded right after Mermaid."""


def _asset(name: str) -> str:
    return resources.files("phasebook").joinpath("assets", name).read_text("utf-8")


def site_files(build: Build) -> dict[str, str]:
    """Every extra file by its URI in the site: the build's snapshot, the CSS, the guard."""
    return {
        SNAPSHOT_NAME: snapshot_json(dict(build.snapshot)),
        CSS_URI: _asset("phasebook.css"),
        MERMAID_GUARD_URI: _asset("phasebook-mermaid.js"),
    }

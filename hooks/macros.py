"""The site's mkdocs-macros module: Phasebook's helpers for writers' pages.

See the user guide's "Writing pages" for the list; add the site's own macros below.
"""

from __future__ import annotations

from typing import Any

from phasebook.macros import define_env as define_phasebook_env


def define_env(env: Any) -> None:
    """Called by mkdocs-macros once per build."""
    define_phasebook_env(env)

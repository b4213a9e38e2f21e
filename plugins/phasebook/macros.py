"""Helpers for writers' own pages, through mkdocs-macros' public ``define_env`` API.

Every helper returns markdown that is already escaped, so programme text never reaches the
page unescaped and is never evaluated as Jinja (macros do not re-render their output).
Use it from the site's macros module: ``from phasebook.macros import define_env``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mkdocs.exceptions import PluginError

from phasebook import escape
from phasebook.build import Build
from phasebook.config import PhasebookConfig
from phasebook.plugin import PhasebookPlugin
from phasebook.reference import attribute_docs, data_reference, markdown_cell, report_formats
from phasebook.render import Renderer, prose


@dataclass(frozen=True)
class SiteView:
    """What the macros see of this build: the build itself and its page renderer."""

    build: Build
    renderer: Renderer


def site_view(env: Any) -> SiteView:
    """The current build, typed; an error naming the fix when the plugin is not there yet."""
    plugin = env.conf["plugins"].get("phasebook")
    if not isinstance(plugin, PhasebookPlugin) or plugin.build is None or plugin.renderer is None:
        raise PluginError(
            "phasebook: the phasebook plugin must be listed in mkdocs.yml before macros"
        )
    return SiteView(plugin.build, plugin.renderer)


def plugin_options() -> str:
    """The plugin's options as a markdown table, from the config class and its docstrings."""
    docs = attribute_docs(PhasebookConfig)
    rows = ["| Option | Default | Meaning |", "|---|---|---|"]
    for name, option in PhasebookConfig._schema:
        default = option.default
        text = str(default).lower() if isinstance(default, bool) else str(default)
        shown = "—" if default is None else f"`{text}`"
        meaning = " ".join(docs.get(name, "").split())  # a wrapped docstring is one paragraph
        rows.append(f"| `{name}` | {shown} | {markdown_cell(meaning)} |")
    return "\n".join(rows)


def define_env(env: Any) -> None:
    """Register Phasebook's macros and filters with mkdocs-macros."""

    def fragment(template: str, **extra: Any) -> str:
        uri = env.page.file.src_uri if getattr(env, "page", None) else "index.md"
        return site_view(env).renderer.render(template, uri, **extra)

    @env.macro
    def phasebook_timeline() -> str:
        """The programme's Gantt chart."""
        return fragment("fragment-timeline.md.j2")

    @env.macro
    def phasebook_phases() -> str:
        """The table of phases with status and dates."""
        return fragment("fragment-phases.md.j2")

    @env.macro
    def phasebook_risks(top: int = 5) -> str:
        """The ``top`` highest-scored open risks."""
        return fragment("fragment-risks.md.j2", top=top)

    @env.macro
    def phasebook_current_phase() -> str:
        """The current phase as "N · title", or "all phases done"."""
        current = site_view(env).build.programme.current
        return "all phases done" if current is None else escape.text(
            f"{current.number} · {current.title}"
        )

    @env.macro
    def phasebook_as_of() -> str:
        """The date the site is as of."""
        return f"{site_view(env).build.as_of:%Y-%m-%d}"

    env.macro(data_reference, "phasebook_data_reference")
    env.macro(plugin_options, "phasebook_options")
    env.macro(report_formats, "phasebook_report_formats")
    env.filter(escape.text, "pb_inline")
    env.filter(escape.cell, "pb_cell")
    env.filter(prose.block, "pb_markdown")

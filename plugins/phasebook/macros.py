"""Helpers for writers' own pages, through mkdocs-macros' public ``define_env`` API.

Every helper returns markdown that is already escaped, so programme text never reaches the
page unescaped and is never evaluated as Jinja (macros do not re-render their output).
Use it from the site's macros module: ``from phasebook.macros import define_env``.

A misspelt name, a Jinja syntax error or a bad call of one of these macros is reported by
mkdocs-macros as one located warning (see :mod:`phasebook.macro_errors`), never a traceback:
``--strict`` fails on it, and every page's mistake is listed in one build.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from phasebook import escape
from phasebook.build import Build
from phasebook.config import PhasebookConfig
from phasebook.macro_errors import EXPLAINED, MacroProblem, code, known_names, located
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
        raise MacroProblem(
            "Phasebook's macros have no build to show",
            "list the phasebook plugin in mkdocs.yml before macros",
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


def checked_call(function: Callable[..., str]) -> Callable[..., str]:
    """``function`` as a macro whose wrong arguments are a :class:`MacroProblem` saying how to
    call it, not a ``TypeError`` traceback."""
    signature = inspect.signature(function)
    usage = function.__name__ + "(" + ", ".join(
        name if parameter.default is parameter.empty else f"{name}={parameter.default!r}"
        for name, parameter in signature.parameters.items()
    ) + ")"

    @functools.wraps(function)
    def call(*args: Any, **kwargs: Any) -> str:
        try:
            signature.bind(*args, **kwargs)
        except TypeError as error:
            what = f"{code(function.__name__)}: {error}"
            raise MacroProblem(what, f"call it as {usage}", function.__name__) from None
        return function(*args, **kwargs)

    return call


def whole_number(macro: str, name: str, value: object, least: int = 1) -> int:
    """``value`` if it is a whole number of at least ``least``, else a :class:`MacroProblem`."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= least:
        return value
    raise MacroProblem(
        f"{code(f'{macro}({name}={value!r})')}: {name} must be a whole number of at least {least}",
        f"write e.g. {macro}({name}=5)",
        macro,
    )


def explain_errors(env: Any) -> None:
    """Have mkdocs-macros report the errors writers make (an unknown name, a Jinja syntax
    error, a bad call of our macros) as one ``page:line:col: what (how to fix)`` warning.

    mkdocs-macros formats a page's error with its ``format_error`` (a ``singledispatch``
    function) and logs it as a warning; registering ours for these errors replaces the
    traceback. Any other error keeps it: that is a bug to report.
    """
    try:
        from mkdocs_macros.errors import format_error  # noqa: PLC0415 - older mkdocs-macros has none
    except ImportError:
        return

    def one_line(error: Exception, markdown: str, page: Any) -> str:
        source = getattr(page.file, "abs_src_path", None)
        label = source or page.file.src_uri
        known = known_names(env.macros, env.variables)
        return located(error, markdown, Path(source) if source else None, label, known)

    for error_type in EXPLAINED:
        format_error.register(error_type, one_line)


def define_env(env: Any) -> None:
    """Register Phasebook's macros and filters with mkdocs-macros."""
    explain_errors(env)

    def fragment(template: str, **extra: Any) -> str:
        uri = env.page.file.src_uri if getattr(env, "page", None) else "index.md"
        return site_view(env).renderer.render(template, uri, **extra)

    def macro(function: Callable[..., str]) -> Callable[..., str]:
        return env.macro(checked_call(function), function.__name__)  # type: ignore[no-any-return]

    @macro
    def phasebook_timeline() -> str:
        """The programme's Gantt chart."""
        return fragment("fragment-timeline.md.j2")

    @macro
    def phasebook_phases() -> str:
        """The table of phases with status and dates."""
        return fragment("fragment-phases.md.j2")

    @macro
    def phasebook_risks(top: int = 5) -> str:
        """The ``top`` highest-scored open risks."""
        return fragment("fragment-risks.md.j2", top=whole_number("phasebook_risks", "top", top))

    @macro
    def phasebook_current_phase() -> str:
        """The current phase as "N · title", or "all phases done"."""
        current = site_view(env).build.programme.current
        return "all phases done" if current is None else escape.text(
            f"{current.number} · {current.title}"
        )

    @macro
    def phasebook_as_of() -> str:
        """The date the site is as of."""
        return f"{site_view(env).build.as_of:%Y-%m-%d}"

    env.macro(checked_call(data_reference), "phasebook_data_reference")
    env.macro(checked_call(plugin_options), "phasebook_options")
    env.macro(checked_call(report_formats), "phasebook_report_formats")
    env.filter(escape.text, "pb_inline")
    env.filter(escape.cell, "pb_cell")
    env.filter(prose.block, "pb_markdown")

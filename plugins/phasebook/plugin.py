"""The MkDocs adapter. With ``config`` and ``macros``, the only modules that know MkDocs.

It loads the programme, adds the generated pages as files, builds the nav, and watches the data
folder under ``mkdocs serve``. Everything else lives in plain layers the CLI uses too.
"""

from __future__ import annotations

import datetime as dt
import os
import posixpath
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from phasebook.assess import Assessment, gate_warnings
from phasebook.collect import ReportCache
from phasebook.config import PhasebookConfig
from phasebook.errors import DataError
from phasebook.handoff import handoff_warnings
from phasebook.history import SNAPSHOT_NAME, Snapshot, load_history, snapshot, snapshot_json
from phasebook.model import Programme
from phasebook.pipeline import evaluate, load_checked
from phasebook.readers import ReportError
from phasebook.render import GeneratedPage, render_pages
from phasebook.render.nav import build_nav
from phasebook.render.pages import History
from phasebook.site import ensure_markdown_extensions

log = get_plugin_logger(__name__)

CSS_URI = "assets/phasebook/phasebook.css"
MERMAID_URI = "assets/phasebook/mermaid.min.js"


class PhasebookPlugin(BasePlugin[PhasebookConfig]):
    """Generates the programme's pages from ``data/`` (see the user guide for options)."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.cache = ReportCache()
        self.programme: Programme | None = None
        self.assessment: Assessment | None = None
        self.pages: dict[str, GeneratedPage] = {}
        self.augmented: dict[str, GeneratedPage] = {}
        self.data_dir = Path("data")
        self.project_root = Path()

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Defining this keeps one plugin instance, and so the report cache, across rebuilds."""

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Resolve paths, load the programme, and switch on the markdown it needs."""
        self.project_root = Path(config.config_file_path or ".").resolve().parent
        self.data_dir = self.project_root / self.config.data_dir
        try:
            self.programme = load_checked(self.data_dir)
        except DataError as error:
            raise PluginError(f"phasebook: the programme data is invalid:\n{error}") from None
        ensure_markdown_extensions(config.markdown_extensions, config.mdx_configs)
        config.extra_css.append(CSS_URI)
        if self._mermaid_path() is not None:
            config.extra_javascript.insert(0, MERMAID_URI)
        elif self.config.mermaid_js:
            log.info("mermaid_js %s not found; diagrams load Mermaid from the CDN",
                     self.config.mermaid_js)
        return config

    def _mermaid_path(self) -> Path | None:
        if not self.config.mermaid_js:
            return None
        path = self.project_root / self.config.mermaid_js
        return path if path.is_file() else None

    def as_of(self) -> dt.date:
        """The date the site is "as of": the option, ``PHASEBOOK_AS_OF``, or today."""
        value = self.config.as_of or os.environ.get("PHASEBOOK_AS_OF")
        if isinstance(value, dt.date):
            return value
        text = str(value or "")
        if not text:
            return dt.date.today()
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise PluginError(
                f"phasebook: as_of {text!r} is not a date; write it as YYYY-MM-DD"
            ) from None

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Add the generated pages; a writer's page at the same place keeps its text."""
        assert self.programme is not None
        try:
            self.assessment = evaluate(self.programme, self.project_root, self.as_of(), self.cache)
        except ReportError as error:
            raise PluginError(f"phasebook: a report cannot be read:\n{error}") from None
        for problem in handoff_warnings(self.programme):
            log.warning(str(problem))
        for problem in gate_warnings(self.programme, self.assessment):
            log.warning(str(problem))
        current = snapshot(self.programme, self.assessment)
        templates = self.config.templates_dir
        generated = render_pages(
            self.programme,
            self.assessment,
            self.project_root,
            self.project_root / templates if templates else None,
            History(self._history(), current),
        )
        self.pages = {page.uri: page for page in generated}
        self.augmented = {}
        docs_dir = Path(config.docs_dir)
        for page in generated:
            existing = files.get_file_from_path(page.uri)
            if existing is not None:
                self.augmented[page.uri] = page
                continue
            file = File.generated(
                config,
                page.uri,
                content=page.document(),
                inclusion=InclusionLevel.INCLUDED if page.in_nav else InclusionLevel.NOT_IN_NAV,
            )
            file.edit_uri = posixpath.relpath(page.source.resolve(), docs_dir.resolve())
            files.append(file)
        files.append(File.generated(config, SNAPSHOT_NAME, content=snapshot_json(current)))
        css = resources.files("phasebook").joinpath("assets/phasebook.css").read_text("utf-8")
        files.append(File.generated(config, CSS_URI, content=css))
        mermaid = self._mermaid_path()
        if mermaid is not None:
            files.append(File.generated(config, MERMAID_URI, abs_src_path=str(mermaid)))
        if config.nav is None and self.config.nav:
            config.nav = build_nav(self.programme, files, set(self.pages))
        return files

    def _history(self) -> list[Snapshot]:
        if not self.config.history_dir:
            return []
        folder = self.project_root / self.config.history_dir
        if not folder.is_dir():
            log.warning("history_dir %s does not exist; no trends are shown", folder)
            return []
        try:
            return load_history(folder)
        except DataError as error:
            raise PluginError(f"phasebook: the history cannot be read:\n{error}") from None

    @event_priority(-100)
    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        """Append the data to a writer's own section page.

        Priority -100: after mkdocs-macros (priority 0) so the writer's text may use macros,
        while the appended data, which may hold report text, is never evaluated.
        """
        generated = self.augmented.get(page.file.src_uri)
        if generated is None:
            return markdown
        heading = "" if _has_h1(markdown) else f"# {generated.heading}\n\n"
        return f"{heading}{markdown.rstrip()}\n\n{generated.body}"

    def on_page_context(
        self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        """Tidy generated pages' edit links: ``…/docs/../data/x.yml`` → ``…/data/x.yml``."""
        if page.edit_url and "/../" in page.edit_url:
            parts = urlsplit(page.edit_url)
            path = posixpath.normpath(parts.path)
            page.edit_url = urlunsplit(parts._replace(path=path))
        return context

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        """Rebuild when anything under the data folder (or the template overrides) changes."""
        server.watch(str(self.data_dir))
        for option in (self.config.templates_dir, self.config.history_dir):
            if option:
                server.watch(str(self.project_root / option))
        return server


def _has_h1(markdown: str) -> bool:
    return any(line.startswith("# ") for line in markdown.splitlines())


__all__ = ["PhasebookPlugin"]

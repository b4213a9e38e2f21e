"""The MkDocs adapter. With ``config`` and ``macros``, the only modules that know MkDocs.

It loads the programme, adds the generated pages as files, builds the nav, and watches the data
folder under ``mkdocs serve``. Everything else lives in plain layers the CLI uses too.
"""

from __future__ import annotations

import datetime as dt
import logging
import posixpath
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import CountHandler
from mkdocs.utils.templates import TemplateContext

from phasebook import assetcache
from phasebook.config import PhasebookConfig
from phasebook.inputs import Signature, signature
from phasebook.pipeline import (
    AsOfError,
    Audience,
    Build,
    BuildSettings,
    DataError,
    ReportCache,
    ReportError,
    build,
    resolve_as_of,
)
from phasebook.render import (
    CSS_URI,
    MERMAID_GUARD_URI,
    MERMAID_URI,
    PRINT_CSS_URI,
    TABLES_URI,
    TABLESORT_URI,
    GeneratedPage,
    Renderer,
    build_nav,
    ensure_markdown_extensions,
    site_files,
)
from phasebook.render.assets import static_files
from phasebook.render.compact import compact_nav
from phasebook.render.problems import PROBLEMS_URI, outline, problem_pages, problems_block
from phasebook.sitedir import Source, Staging, overlap
from phasebook.vendored import MERMAID, TABLESORT

log = get_plugin_logger(__name__)


class PhasebookPlugin(BasePlugin[PhasebookConfig]):
    """Generates the programme's pages from ``data/`` (see the user guide for options)."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.cache = ReportCache()
        self.build: Build | None = None
        self.inputs: Signature | None = None
        """What :attr:`build` was made from: a serve rebuild with the same inputs keeps it."""
        self.rendered: tuple[bool, list[GeneratedPage], dict[str, str]] | None = None
        """The pages and files made from :attr:`build` (and for which ``use_directory_urls``)."""
        self.renderer: Renderer | None = None
        self.pages: dict[str, GeneratedPage] = {}
        self.augmented: dict[str, GeneratedPage] = {}
        self.data_dir = Path("data")
        self.project_root = Path()
        self.command: str | None = None
        self.dirty = False
        self.staging: Staging | None = None
        self.site_dir = ""
        self.mkdocs_config: MkDocsConfig | None = None
        self.warnings = CountHandler(level=logging.WARNING)
        self._as_of: dt.date | None = None
        self.problems: tuple[str, ...] = ()
        """Why the data cannot be used (``mkdocs serve`` only: the pages show them)."""
        self.problems_html = ""
        self.last_good: tuple[GeneratedPage, ...] = ()
        """The last good build's pages, bodiless: each gets a stand-in while there are problems."""
        self.mermaid: Path | None = None
        self.tablesort: Path | None = None
        self._fallback_said = ""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Keeps one plugin instance, and so the report cache, across rebuilds; notes the
        command, since ``mkdocs serve`` builds into a folder of its own (no staging there)."""
        self.command = command
        self.dirty = dirty

    @event_priority(100)
    def _guard_site_dir(self, config: MkDocsConfig) -> MkDocsConfig:
        """Refuse a ``site_dir`` that would delete the sources; build into a staging folder.

        Priority 100, first of all: MkDocs empties ``site_dir`` right after ``on_pre_build``,
        and every other plugin should see (and write to) the staging folder.
        """
        self.project_root = Path(config.config_file_path or ".").resolve().parent
        self.data_dir = self.project_root / self.config.data_dir
        problem = overlap(Path(config.site_dir), self._sources(config))
        if problem is not None:
            raise PluginError(
                f"phasebook: {problem}, so building there would delete or overwrite it. "
                "Choose a folder of its own for the site: `site_dir: site` in mkdocs.yml, or "
                "`mkdocs build -d site`."
            )
        self.staging = None
        if self.command == "serve":  # `mkdocs serve` builds into its own temporary folder
            return config
        self.site_dir = config.site_dir
        try:
            self.staging = Staging.begin(Path(config.site_dir), keep_existing=self.dirty)
        except OSError as error:
            raise PluginError(
                f"phasebook: cannot prepare a folder to build the site in beside "
                f"{config.site_dir}: {error}"
            ) from None
        config.site_dir = str(self.staging.folder)
        self.mkdocs_config = config
        # Count warnings from here on: under --strict MkDocs aborts after on_post_build, and
        # an aborted build must not replace the site.
        logging.getLogger("mkdocs").addHandler(self.warnings)
        self.warnings.counts.clear()
        return config

    def _sources(self, config: MkDocsConfig) -> list[Source]:
        """Everything the site is built from, which ``site_dir`` must stay clear of."""
        folders = {
            "docs_dir": config.docs_dir,
            "the phasebook data_dir": str(self.data_dir),
            "the phasebook history_dir": self._option_path(self.config.history_dir),
            "the phasebook templates_dir": self._option_path(self.config.templates_dir),
        }
        sources = [Source("the project folder (where mkdocs.yml is)", self.project_root, "root")]
        sources += [Source(what, Path(path)) for what, path in folders.items() if path]
        sources += [Source("a theme folder", Path(folder)) for folder in config.theme.dirs]
        # Watched paths and hooks: the site must not hold them (they may hold the site).
        sources += [Source("a watched path", Path(path), "file") for path in config.watch]
        files = [config.config_file_path, self._option_path(self.config.mermaid_js),
                 self._option_path(self.config.tablesort_js)]
        hooks: Any = config.hooks  # typed a list, validated into {name: module}
        modules = hooks.values() if isinstance(hooks, Mapping) else hooks
        files += [getattr(module, "__file__", None) for module in modules]
        sources += [Source("a source file", Path(name), "file") for name in files if name]
        return sources

    def _option_path(self, value: str | None) -> str | None:
        return str(self.project_root / value) if value else None

    def _on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Resolve paths, load the programme, and switch on the markdown it needs."""
        self._as_of = None
        settings = BuildSettings(
            data_dir=self.data_dir,
            project_root=self.project_root,
            as_of=self.as_of(),  # once per build, so a build across midnight keeps one date
            history_dir=self.project_root / history if (history := self.config.history_dir)
            else None,
            audience=Audience(self.config.audience),
        )
        templates = self.config.templates_dir
        inputs = signature(settings, self.project_root / templates if templates else None)
        try:
            if self.build is None or inputs != self.inputs or not self.cache.unchanged():
                self.build, self.inputs, self.rendered = build(settings, self.cache), inputs, None
        except (DataError, ReportError) as error:
            self.inputs = None
            self._unusable(error)
        else:
            self.problems = ()
            for problem in self.build.warnings:
                log.warning(str(problem))
            for note in self.build.notes:
                log.info(str(note))
        ensure_markdown_extensions(config.markdown_extensions, config.mdx_configs)
        config.extra_css.extend([CSS_URI, PRINT_CSS_URI])
        self._choose_scripts()
        if self.mermaid is not None:
            # Phasebook's Mermaid settings (assets/phasebook-mermaid.js) right after Mermaid,
            # before the theme calls mermaid.initialize().
            config.extra_javascript[0:0] = [MERMAID_URI, MERMAID_GUARD_URI]
        else:
            config.extra_javascript.insert(0, MERMAID_GUARD_URI)
        # tablesort (when published) before Phasebook's table helper, which uses it.
        tables = [TABLES_URI] if self.tablesort is None else [TABLESORT_URI, TABLES_URI]
        config.extra_javascript.extend(tables)
        return config

    on_config = CombinedEvent(_guard_site_dir, _on_config)

    def _unusable(self, error: DataError | ReportError) -> None:
        """Data that cannot be used stops a build, as it always has. ``mkdocs serve`` logs
        each problem as an error and serves them on the pages instead: a failed build would
        leave the server stalled, and the next save that fixes the data brings the site back.
        """
        if self.command != "serve":
            what = "the programme data is invalid" if isinstance(error, DataError) else (
                "a report cannot be read"
            )
            raise PluginError(f"phasebook: {what}:\n{error}") from None
        self.build = None
        problems = error.problems if isinstance(error, DataError) else [error]
        self.problems = tuple(str(problem) for problem in problems)
        for problem in self.problems:
            log.error(problem)
        log.info(
            "serving the problems on the site's pages (/%s/) until the data is fixed",
            PROBLEMS_URI.removesuffix(".md"),
        )
        templates = self.config.templates_dir
        self.problems_html = problems_block(
            self.problems, self.project_root / templates if templates else None
        )

    def _choose_scripts(self) -> None:
        """Mermaid and tablesort to publish: the option's file, else the asset cache's copy,
        checked against its pin (:mod:`phasebook.assetcache`).

        A cached copy that fails its check is never published, with a warning: something
        altered it, which is worth failing ``--strict`` for. No copy at all is one info line,
        said once per process: the site still works (Mermaid from the theme's CDN, tables
        filter but do not sort), and a warning would fail every ``--strict`` build on a
        machine without npm.
        """
        root = assetcache.cache_root()
        choices = [assetcache.choose(MERMAID, self._option_file(self.config.mermaid_js), root)]
        if self.config.tablesort_js:  # empty: never published
            tablesort = self._option_file(self.config.tablesort_js)
            choices.append(assetcache.choose(TABLESORT, tablesort, root))
        found = {choice.package: choice.path for choice in choices}
        self.mermaid, self.tablesort = found[MERMAID], found.get(TABLESORT)
        for choice in choices:
            if choice.refused is not None:
                log.warning(
                    "the cached %s is not published: %s (`%s` fetches it again)",
                    choice.package.label, choice.refused.detail, assetcache.FETCH_COMMAND,
                )
        missing = [choice.package for choice in choices if choice.path is None]
        line = assetcache.fallback_line(missing, root) if missing else ""
        if line and line != self._fallback_said:
            log.info(line)
        self._fallback_said = line

    def _option_file(self, value: str | None) -> Path | None:
        return self.project_root / value if value else None

    def as_of(self) -> dt.date:
        """The date the site is "as of", fixed once per build (see :mod:`phasebook.asof`):
        the option, ``PHASEBOOK_AS_OF``, ``SOURCE_DATE_EPOCH`` (UTC), or today in UTC."""
        if self._as_of is None:
            option = self.config.as_of
            try:
                self._as_of = resolve_as_of(option if isinstance(option, str | dt.date) else None)
            except AsOfError as error:
                raise PluginError(f"phasebook: {error}") from None
        return self._as_of

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Add the generated pages; a writer's page at the same place keeps its text."""
        templates = self.config.templates_dir
        if self.build is None:  # `mkdocs serve` with unusable data: the problems, everywhere
            self.renderer = None
            source = self.data_dir / "programme.yml"
            generated = problem_pages(self.problems_html, self.last_good, source)
            extra = static_files()
        elif self.rendered is not None and self.rendered[0] == config.use_directory_urls:
            _, generated, extra = self.rendered  # nothing the pages are made from changed
        else:
            self.renderer = Renderer(
                self.build,
                self.project_root / templates if templates else None,
                directory_urls=config.use_directory_urls,
            )
            generated = self.renderer.pages()
            self.last_good = outline(generated)
            extra = site_files(self.build)
            self.rendered = (config.use_directory_urls, generated, extra)
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
        for uri, content in extra.items():
            files.append(File.generated(config, uri, content=content))
        if self.mermaid is not None:
            files.append(File.generated(config, MERMAID_URI, abs_src_path=str(self.mermaid)))
        if self.tablesort is not None:
            files.append(
                File.generated(config, TABLESORT_URI, abs_src_path=str(self.tablesort))
            )
        if config.nav is None and self.config.nav and self.build is not None:
            config.nav = build_nav(self.build.programme, files, set(self.pages))
        return files

    @event_priority(-100)
    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        """Append the data to a writer's own section page.

        Priority -100: after mkdocs-macros (priority 0) so the writer's text may use macros,
        while the appended data, which may hold report text, is never evaluated. While the
        data cannot be used (``mkdocs serve``), every writer's page shows the problems under
        its title instead.
        """
        uri = page.file.src_uri
        if self.problems:
            if uri in self.pages and uri not in self.augmented:
                return markdown  # a stand-in page, which lists them already
            return _after_h1(markdown, self.problems_html)
        generated = self.augmented.get(uri)
        if generated is None:
            return markdown
        heading = "" if _has_h1(markdown) else f"# {generated.heading}\n\n"
        return f"{heading}{markdown.rstrip()}\n\n{generated.body}"

    def on_page_content(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        """Put back the tables a generated page set aside from Markdown (render.blocks).

        A page left out of search gets them only as it is written (:meth:`on_post_page`):
        MkDocs holds every page's HTML until the last is written, and a report's details
        pages are most of a large site's bytes.
        """
        generated = self.pages.get(page.file.src_uri)
        if generated is None or not generated.searchable:
            return html
        return generated.finish(html)

    @event_priority(100)
    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        """The tables of a page left out of search, made and put back as it is written; every
        page's nav without the theme's indentation (:mod:`phasebook.render.compact`).

        Priority 100: before other plugins, which see the finished page."""
        generated = self.pages.get(page.file.src_uri)
        if generated is not None and not generated.searchable:
            output = generated.finish(output)
        return compact_nav(output)

    def on_page_context(
        self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        """Tidy generated pages' edit links: ``…/docs/../data/x.yml`` → ``…/data/x.yml``."""
        if page.edit_url and "/../" in page.edit_url:
            parts = urlsplit(page.edit_url)
            path = posixpath.normpath(parts.path)
            page.edit_url = urlunsplit(parts._replace(path=path))
        return context

    def on_post_template(
        self, output_content: str, /, *, template_name: str, config: MkDocsConfig
    ) -> str:
        """The 404 page's nav folded as every page's; while the data cannot be used, it lists
        the problems too: ``mkdocs serve`` answers every address the site lacks with it."""
        if template_name != "404.html":
            return output_content
        if self.problems:
            head, found, rest = output_content.partition("</h1>")
            if found:
                output_content = f"{head}</h1>\n{self.problems_html}{rest}"
        return compact_nav(output_content)

    @event_priority(-1000)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Swap the finished site in for the previous one (see :mod:`phasebook.sitedir`).

        Priority -1000, after every other plugin has written its files. Under ``--strict`` a
        build that logged a warning is about to be aborted: it keeps the previous site.
        """
        staging = self.staging
        logging.getLogger("mkdocs").removeHandler(self.warnings)
        if staging is None:
            return
        # From here on config.site_dir is the real folder again: gh-deploy pushes it.
        config.site_dir = self.site_dir
        if config.strict and self.warnings.get_counts():
            return  # the abort that follows calls on_build_error, which removes the staging
        self.staging = None
        try:
            staging.commit()
        except OSError as error:
            staging.discard()
            raise PluginError(
                f"phasebook: the site was built but could not replace {self.site_dir}: {error}"
            ) from None
        log.info("the new site replaces %s", self.site_dir)

    def on_build_error(self, *, error: Exception) -> None:
        """A failed build removes its staging folder; the previous site stays as it was."""
        self._discard()

    def on_shutdown(self) -> None:
        """Also after an interrupted build (Ctrl-C never reaches on_build_error).

        MkDocs keeps this instance for the whole process (it defines ``on_startup``): forget
        the command, so a later build in the same process is not taken for ``serve``; and what
        only that session needed (its problems, its last good pages, the line said once).
        """
        self._discard()
        self.command = None
        self.dirty = False
        self.problems, self.problems_html, self.last_good = (), "", ()
        self._fallback_said = ""

    def _discard(self) -> None:
        logging.getLogger("mkdocs").removeHandler(self.warnings)
        if self.staging is not None:
            self.staging.discard()
            self.staging = None
            if self.mkdocs_config is not None:
                self.mkdocs_config.site_dir = self.site_dir

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        """Rebuild when anything under the data folder (or the template overrides) changes.

        The folder is watched whether or not the data loaded: with unusable data the first
        build still succeeds (it serves the problems), so this runs, and fixing a file rebuilds.
        """
        server.watch(str(self.data_dir))
        for option in (self.config.templates_dir, self.config.history_dir):
            if option:
                server.watch(str(self.project_root / option))
        return server


def _has_h1(markdown: str) -> bool:
    return any(line.startswith("# ") for line in markdown.splitlines())


def _after_h1(markdown: str, block: str) -> str:
    """``block`` right under the page's first ``# `` title, or on top when it has none."""
    lines = markdown.split("\n")
    at = next((n + 1 for n, line in enumerate(lines) if line.startswith("# ")), 0)
    return "\n".join([*lines[:at], "", block, "", *lines[at:]])


__all__ = ["PhasebookPlugin"]

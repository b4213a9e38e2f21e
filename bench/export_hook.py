"""A MkDocs hook that exports what a build hands MkDocs, as a plain project that needs no plugin.

The "same pages" side of ``bench.build_time`` must render exactly the markdown Phasebook
renders, with the same nav, extensions, theme and extra files, so the two builds differ only
by what the plugin itself does. Guessing that from Phasebook's internals misses the writers'
pages after mkdocs-macros, the sections Phasebook appends to them, the CSS and scripts, the
nav and the markdown extensions it switches on; this hook takes them from the build itself,
after every plugin has had its say (priority -1000).

Where Phasebook keeps HTML out of Markdown and puts it back after conversion, the export has
it in the markdown: a plain site can only show the same tables by carrying them there.

It writes into the folder named by ``PHASEBOOK_BENCH_EXPORT``: ``docs/`` (every page's final
markdown with its front matter, and every non-theme file of the build) and ``mkdocs.yml`` (the
project's config without Phasebook, mkdocs-macros, hooks and watched paths, with the nav,
extensions, extra CSS and scripts the build ended with). Without the variable it does nothing.
Add it with a config that inherits the project's:

    INHERIT: mkdocs.yml
    hooks: [/path/to/bench/export_hook.py]
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml
from mkdocs.config.config_options import ExtraScriptValue
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.utils.yaml import yaml_load

EXPORT_ENV = "PHASEBOOK_BENCH_EXPORT"
DROPPED_PLUGINS = frozenset({"phasebook", "macros"})
"""The plugins whose work the export already holds: the plain site must not do it again."""
DROPPED_KEYS = ("INHERIT", "hooks", "watch", "site_dir", "docs_dir", "plugins", "nav")
_not_in_nav: list[str] = []
"""Pages a plugin added outside the nav: the plain site lists them in ``not_in_nav``, so MkDocs
treats them alike (and does not report them as missing from the nav)."""


def _folder() -> Path | None:
    value = os.environ.get(EXPORT_ENV)
    return Path(value) if value else None


def _write(root: Path, uri: str, content: bytes) -> None:
    target = (root / "docs" / uri).resolve()
    if not target.is_relative_to((root / "docs").resolve()):
        raise ValueError(f"{uri}: a file outside the docs folder")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)


@event_priority(-1000)
def on_files(files: Files, /, *, config: MkDocsConfig) -> Files:
    """Every file of the build that is not the theme's and not a page (pages come later)."""
    root = _folder()
    if root is None:
        return files
    _not_in_nav[:] = [
        file.src_uri for file in files
        if file.is_documentation_page() and file.inclusion == InclusionLevel.NOT_IN_NAV
    ]
    for file in files:
        ours = file.generated_by is not None or file.src_dir == config.docs_dir
        if ours and not file.is_documentation_page():
            _write(root, file.src_uri, file.content_bytes)
    return files


@event_priority(-1000)
def on_page_markdown(
    markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
) -> str:
    """The page's markdown as MkDocs is about to render it, with its front matter."""
    root = _folder()
    if root is not None:
        front = yaml.safe_dump(dict(page.meta), allow_unicode=True) if page.meta else ""
        body = _with_blocks_put_back(markdown, page, config)
        text = f"---\n{front}---\n\n{body}" if front else body
        _write(root, page.file.src_uri, text.encode("utf-8"))
    return markdown


def _with_blocks_put_back(markdown: str, page: Page, config: MkDocsConfig) -> str:
    """The markdown with the HTML Phasebook set aside from Markdown back in its place.

    Phasebook keeps its big tables out of Markdown (a placeholder during conversion, the table
    put back in ``on_page_content``: ``GeneratedPage.finish``). A plain site has no such
    route: to show the same tables its markdown must hold them, and Markdown must pass them.
    """
    plugin = config.plugins.get("phasebook")
    generated = getattr(plugin, "pages", {}).get(page.file.src_uri)
    finish = getattr(generated, "finish", None)
    result = finish(markdown) if callable(finish) else markdown
    return result if isinstance(result, str) else markdown


@event_priority(-1000)
def on_post_build(*, config: MkDocsConfig) -> None:
    """The plain project's config: the user's, minus the plugins, plus what the build settled."""
    root = _folder()
    if root is None:
        return
    plain = plain_config(config)
    text = yaml.dump(plain, Dumper=_Dumper, sort_keys=False, allow_unicode=True)
    (root / "mkdocs.yml").write_text(text, encoding="utf-8")


def plain_config(config: MkDocsConfig) -> dict[str, Any]:
    """The config a plugin-free build of the exported pages needs."""
    assert config.config_file_path is not None
    with open(config.config_file_path, "rb") as handle:  # noqa: PTH123 (yaml_load takes a stream)
        raw: dict[str, Any] = yaml_load(handle)
    plain = {key: value for key, value in raw.items() if key not in DROPPED_KEYS}
    plain["docs_dir"] = "docs"
    plugins = raw.get("plugins", ["search"])
    if isinstance(plugins, dict):  # MkDocs also takes plugins as a mapping
        plain["plugins"] = {k: v for k, v in plugins.items() if k not in DROPPED_PLUGINS}
    else:
        plain["plugins"] = [p for p in plugins if _name(p) not in DROPPED_PLUGINS]
    if config.nav is not None:
        plain["nav"] = config.nav
    if _not_in_nav:
        listed = [str(raw.get("not_in_nav") or "").strip(), *(f"/{uri}" for uri in _not_in_nav)]
        plain["not_in_nav"] = "\n".join(filter(None, listed)) + "\n"
    plain["theme"] = _theme(raw.get("theme"), config)
    plain["markdown_extensions"] = [
        {name: config.mdx_configs[name]} if name in config.mdx_configs else name
        for name in config.markdown_extensions
    ]
    plain["extra_css"] = list(config.extra_css)
    plain["extra_javascript"] = [_script(item) for item in config.extra_javascript]
    return plain


def _name(plugin: Any) -> str:
    return str(next(iter(plugin))) if isinstance(plugin, dict) else str(plugin)


def _theme(raw: Any, config: MkDocsConfig) -> Any:
    theme = dict(raw) if isinstance(raw, dict) else {"name": raw or "mkdocs"}
    if "features" in config.theme:  # a plugin may have switched features on
        theme["features"] = list(config.theme["features"])
    if theme.get("custom_dir") and config.theme.custom_dir:
        theme["custom_dir"] = config.theme.custom_dir  # absolute: the export lives elsewhere
    return theme


def _script(item: ExtraScriptValue | str) -> Any:
    if isinstance(item, str):
        return item
    options = {"type": item.type, "defer": item.defer, "async": item.async_}
    return {"path": item.path, **{key: value for key, value in options.items() if value}}


class _Dumper(yaml.SafeDumper):
    """Writes the functions extensions are configured with (``!!python/name:…``) back."""


def _function(dumper: yaml.SafeDumper, value: Any) -> yaml.ScalarNode:
    return dumper.represent_scalar(
        f"tag:yaml.org,2002:python/name:{value.__module__}.{value.__qualname__}", ""
    )


_Dumper.add_multi_representer(type(_name), _function)
_Dumper.add_multi_representer(type(len), _function)

"""The plain sites Phasebook is compared with, made from one export of a real Phasebook build.

- **same pages**: exactly the pages, nav, extensions, theme and extra files the Phasebook
  build hands MkDocs (exported by ``export_hook``), built by MkDocs + Material without the
  plugin. Phasebook's time over it is what the plugin itself costs.
- **floor**: the same nav, theme and extensions with every page a one-paragraph stub: what
  MkDocs + Material cost for that many pages before any finding is on them.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import phasebook
from bench.runner import BenchError, Side, mkdocs, run_once

BENCH = Path(__file__).resolve().parent
EXPORT_HOOK = BENCH / "export_hook.py"
EXPORT_ENV = "PHASEBOOK_BENCH_EXPORT"
STAMP = ".bench-export"
STUB = (
    "This page is a stub of the same name and place as the page Phasebook writes. It has one "
    "paragraph, so the site costs what MkDocs and Material cost for its pages and nav alone: "
    "the theme's templates, the navigation, the search index and the writing of every file."
)


def inherited_config(project: Path, name: str, hooks: list[Path]) -> Path:
    """A config beside ``project/mkdocs.yml`` that inherits it and adds ``hooks``."""
    config = project / name
    lines = ["INHERIT: mkdocs.yml", "hooks:", *(f"  - {hook}" for hook in hooks)]
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return config


def _fingerprint(project: Path) -> str:
    """What the export depends on: the hook, Phasebook's code and every file of the project."""
    digest = hashlib.sha256()
    package = Path(phasebook.__file__).parent
    sources = [EXPORT_HOOK, *sorted(package.rglob("*.py")), *sorted(package.rglob("*.j2")),
               *sorted(p for p in project.rglob("*") if not p.name.startswith("mkdocs.bench-"))]
    for path in sources:
        if path.is_file():
            digest.update(str(path).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def export_same_pages(project: Path, folder: Path) -> Path:
    """Build ``project`` once with the export hook into ``folder`` (reused when current).

    Returns the exported project's ``mkdocs.yml``: the same-pages site.
    """
    stamp = folder / STAMP
    fingerprint = _fingerprint(project)
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == fingerprint:
        return folder / "mkdocs.yml"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    config = inherited_config(project, "mkdocs.bench-export.yml", [EXPORT_HOOK])
    site = folder.parent / f"{folder.name}-site"
    try:
        run_once(
            Side(
                "export",
                mkdocs("build", "-q", "-f", str(config), "-d", str(site)),
                env={EXPORT_ENV: str(folder)},
            )
        )
    finally:
        config.unlink()
        shutil.rmtree(site, ignore_errors=True)
    if not (folder / "mkdocs.yml").is_file():
        raise BenchError(f"{project}: the export hook wrote no mkdocs.yml (did the build run?)")
    stamp.write_text(fingerprint, encoding="utf-8")
    return folder / "mkdocs.yml"


def pages(project: Path) -> list[Path]:
    """The markdown pages of a plain project, sorted."""
    return sorted((project / "docs").rglob("*.md"))


_HEADING = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.MULTILINE)
_FRONT = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)


def _title(markdown: str, fallback: str) -> str:
    body = _FRONT.sub("", markdown, count=1)
    found = _HEADING.search(body)
    return found.group(1) if found else fallback


def make_floor(same_pages: Path, folder: Path) -> Path:
    """The floor site from an exported same-pages project: same nav and config, stub pages."""
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "docs").mkdir(parents=True)
    for page in pages(same_pages):
        uri = page.relative_to(same_pages / "docs")
        title = _title(page.read_text(encoding="utf-8"), uri.stem)
        target = folder / "docs" / uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"# {title}\n\n{STUB}\n", encoding="utf-8")
    text = (same_pages / "mkdocs.yml").read_text(encoding="utf-8")
    # Phasebook's CSS and scripts are not the floor's; the rest of the YAML (its python/name
    # tags) is kept as exported.
    kept = _drop_top_level(text, ("extra_css", "extra_javascript"))
    (folder / "mkdocs.yml").write_text(kept, encoding="utf-8")
    return folder / "mkdocs.yml"


def _drop_top_level(text: str, keys: tuple[str, ...]) -> str:
    """``text`` without the top-level ``keys`` (and their indented or listed values)."""
    out: list[str] = []
    skipping = False
    for line in text.splitlines(keepends=True):
        top = bool(line) and not line[0].isspace() and not line.startswith("- ")
        if top:
            skipping = line.split(":", 1)[0] in keys
        if not skipping:
            out.append(line)
    return "".join(out)

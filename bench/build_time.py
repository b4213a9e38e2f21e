"""How long `mkdocs build` of the example takes with Phasebook, against a hand-written site.

The hand-written site has the same pages: the markdown Phasebook generates, written to files,
built by MkDocs without the plugin. The difference is what the plugin costs per build.

    python bench/build_time.py [--runs 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config

from phasebook.pipeline import BuildSettings
from phasebook.pipeline import build as build_programme
from phasebook.render import render_pages

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2026, 11, 28)


def timed_build(config_file: Path, site_dir: Path, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        config = load_config(config_file=str(config_file), site_dir=str(site_dir))
        start = time.perf_counter()
        build(config)
        times.append(time.perf_counter() - start)
    return times


def hand_written_site(folder: Path) -> Path:
    """The example's generated pages as plain markdown files, built without the plugin."""
    built = build_programme(BuildSettings(ROOT / "data", ROOT, AS_OF))
    docs = folder / "docs"
    shutil.copytree(ROOT / "docs", docs)
    for page in render_pages(built):
        target = docs / page.uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.document(), encoding="utf-8")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    # Drop the phasebook and macros plugin entries (each with its indented options).
    config = re.sub(r"  - (phasebook|macros):\n(      .*\n)*", "", config)
    config = re.sub(r"\nwatch:\n(  - .*\n)*", "\n", config)
    (folder / "mkdocs.yml").write_text(config, encoding="utf-8")
    return folder / "mkdocs.yml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    os.environ["PHASEBOOK_AS_OF"] = AS_OF.isoformat()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        plugin = timed_build(ROOT / "mkdocs.yml", base / "site-plugin", args.runs)
        plain_config = hand_written_site(base / "plain")
        plain = timed_build(plain_config, base / "site-plain", args.runs)
        pages = sum(1 for _ in (base / "plain" / "docs").rglob("*.md"))
    for name, times in (("with phasebook", plugin), ("hand-written", plain)):
        print(
            f"{name:15} {pages} pages  median {statistics.median(times):.2f} s  "
            f"min {min(times):.2f} s  max {max(times):.2f} s  ({args.runs} runs)"
        )


if __name__ == "__main__":
    main()

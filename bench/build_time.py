"""Build time, size and memory of a generated project against plain MkDocs + Material.

Three sides, each ``mkdocs build`` as a whole process, alternating (see ``runner``):

- **phasebook**: the project as it is (Phasebook, mkdocs-macros, history, snapshot, nav).
- **same pages**: the pages, nav, extensions, theme and extra files that build hands MkDocs,
  exported once (``export_hook``) and built without any plugin but search.
- **floor**: the same nav and config, every page a one-paragraph stub.

Goals (the performance issue): Phasebook ≤ 2× the floor; snapshot ≤ 3 MB; site ≤ 0.4× the
input reports; heaviest page ≤ 1 MB; Phasebook's peak RSS ≤ 1.5× the input reports.

    python -m bench.generate_large /tmp/big
    python -m bench.build_time /tmp/big [--runs 3] [--workdir DIR] [--json FILE]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bench.generate_large import Manifest
from bench.runner import (
    BenchError,
    Goal,
    Section,
    Side,
    alternate,
    mkdocs,
    ratio,
    run_and_report,
)
from bench.site_size import SiteSize, differing_pages, page_set
from bench.sites import export_same_pages, make_floor, pages

PHASEBOOK, SAME_PAGES, FLOOR = "phasebook", "same pages (plain)", "floor (stub pages)"
MB = 1_000_000


def build_side(name: str, config: Path, site: Path) -> Side:
    return Side(name, mkdocs("build", "-q", "-f", str(config), "-d", str(site)))


def run(project: Path, workdir: Path, runs: int = 3, warmup: int = 0) -> Section:
    """Export the plain sites, build the three sides alternately, measure the sites."""
    manifest = Manifest.read(project)
    print(f"build: exporting the same-pages site of {project}", file=sys.stderr)
    same_config = export_same_pages(project, workdir / "same-pages")
    floor_config = make_floor(same_config.parent, workdir / "floor")
    sites = {name: workdir / f"site-{key}" for name, key in
             ((PHASEBOOK, "phasebook"), (SAME_PAGES, "same"), (FLOOR, "floor"))}
    sides = [
        build_side(PHASEBOOK, project / "mkdocs.yml", sites[PHASEBOOK]),
        build_side(SAME_PAGES, same_config, sites[SAME_PAGES]),
        build_side(FLOOR, floor_config, sites[FLOOR]),
    ]
    section = Section(
        f"Build: {manifest.findings} findings, {manifest.phases} phases "
        f"({manifest.input_bytes / MB:.1f} MB of reports)"
    )
    section.samples = alternate(sides, runs, warmup)
    _check_same_sites(sites)
    size = SiteSize.of(sites[PHASEBOOK])
    plugin = section.wall(PHASEBOOK).median
    rss = section.rss(PHASEBOOK).median
    section.figures = {
        "pages (markdown / html)": f"{len(pages(same_config.parent))} / {size.pages}",
        "phasebook / same pages (median wall)":
            _times(ratio(plugin, section.wall(SAME_PAGES).median)),
        "phasebook / floor (min wall)":
            _times(ratio(section.wall(PHASEBOOK).min, section.wall(FLOOR).min)),
        "site total": f"{size.total / MB:.2f} MB",
        "heaviest page": f"{size.heaviest_page} {size.heaviest_page_bytes / MB:.2f} MB",
        "snapshot": _mb(size.snapshot),
        "search index": _mb(size.search_index),
        "input reports": f"{manifest.input_bytes / MB:.2f} MB",
    }
    section.goals = [
        Goal("phasebook / floor (median wall)", ratio(plugin, section.wall(FLOOR).median), 2.0),
        Goal("snapshot size", None if size.snapshot is None else float(size.snapshot), 3 * MB,
             "MB"),
        Goal("site size / input reports", ratio(size.total, manifest.input_bytes), 0.4),
        Goal("heaviest page", float(size.heaviest_page_bytes), 1 * MB, "MB",
             size.heaviest_page),
        Goal("phasebook peak RSS / input reports", ratio(rss, manifest.input_bytes), 1.5),
    ]
    return section


def _check_same_sites(sites: dict[str, Path]) -> None:
    """The three sides must build the same pages, and the plain one the same HTML."""
    expected = page_set(sites[PHASEBOOK])
    for name in (SAME_PAGES, FLOOR):
        if page_set(sites[name]) != expected:
            missing = sorted(expected ^ page_set(sites[name]))[:5]
            raise BenchError(f"{name} does not build the same pages as Phasebook: {missing}")
    differ = differing_pages(sites[PHASEBOOK], sites[SAME_PAGES])
    if differ:
        raise BenchError(
            f"the same-pages site differs from Phasebook's in {len(differ)} pages "
            f"(e.g. {differ[0]}): the export is not faithful"
        )


def _times(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}×"


def _mb(value: int | None) -> str:
    return "— (none)" if value is None else f"{value / MB:.2f} MB"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("project", type=Path, help="a project from bench.generate_large")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=0, help="rounds run first and dropped")
    parser.add_argument("--workdir", type=Path, help="keep the plain sites and builds here")
    parser.add_argument("--json", type=Path, help="also write the results as JSON")
    args = parser.parse_args(argv)
    project = args.project.resolve()
    run_and_report(
        args.workdir, lambda workdir: run(project, workdir, args.runs, args.warmup), args.json
    )


if __name__ == "__main__":
    main()

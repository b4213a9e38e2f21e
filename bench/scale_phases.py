"""Scale in phases: the same load per phase at 8 and at 40 phases.

Two projects are generated with the same findings per open phase (five reports each, one per
JSON family, so every open phase looks alike) and 8 and 40 phases. Each is built by Phasebook
and, as its floor, by plain MkDocs + Material with the same nav and stub pages (see
``sites``); the four sides alternate as whole processes. A page that carries something per
phase of the programme (the whole nav, a table of every phase) grows with the phase count;
a build with work per page that grows with the programme costs more per page.

Sizes compare like with like: each page that both sites have (the overview pages, phases
1–8's pages, the guide), at 40 phases over at 8. The median of those ratios is the figure;
the largest is named beside it, over every page (the home page, the timeline and the print
page list every phase, by design) and over the phases' own pages. Phase 1's brief is
compared too.

Goals (the performance issue): phase 1's brief and the median page weigh no more at 40 phases
than at 8 (≤ 1.10×, for the band titles a longer nav adds); Phasebook's time per page over
its floor is flat (≤ 1.2× at 40 phases, for noise).

    python -m bench.scale_phases [--findings-per-phase 2500] [--phases 40] [--runs 3]
        [--workdir DIR] [--json FILE]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bench.build_time import build_side
from bench.generate_large import EXAMPLE_PHASES, generate
from bench.runner import BenchError, Goal, Section, alternate, ratio, run_and_report
from bench.site_size import PageGrowth, page_set
from bench.sites import export_same_pages, make_floor

LARGE = 40
REPORTS_PER_PHASE = 5
BRIEF = "phase-1/00-brief/index.html"
DONE_PHASES = 2
"""The example's done phases get no generated reports (their gates would fail)."""
PHASE_PAGE_PREFIX = "phase-"


def run(
    workdir: Path, findings_per_phase: int = 2500, runs: int = 3, large: int = LARGE
) -> Section:
    scales = (EXAMPLE_PHASES, large)
    sides = []
    sites: dict[int, Path] = {}
    floors: dict[int, Path] = {}
    pages: dict[int, int] = {}
    for phases in scales:
        project = workdir / f"phases-{phases}"
        open_phases = phases - DONE_PHASES
        print(f"scale: generating {phases} phases", file=sys.stderr)
        generate(project, findings=findings_per_phase * open_phases, phases=phases,
                 cobertura_files=0, reports=REPORTS_PER_PHASE * open_phases)
        print(f"scale: exporting the floor of {phases} phases", file=sys.stderr)
        same = export_same_pages(project, workdir / f"same-pages-{phases}")
        floor = make_floor(same.parent, workdir / f"floor-{phases}")
        sites[phases] = workdir / f"site-{phases}"
        floors[phases] = workdir / f"site-floor-{phases}"
        sides += [build_side(f"phasebook, {phases} phases", project / "mkdocs.yml",
                             sites[phases]),
                  build_side(f"floor, {phases} phases", floor, floors[phases])]
    section = Section(f"Scale in phases: {findings_per_phase} findings per open phase")
    section.samples = alternate(sides, runs)
    per_page: dict[int, float] = {}
    for phases in scales:
        pages[phases] = len(page_set(sites[phases]))
        if page_set(floors[phases]) != page_set(sites[phases]):
            raise BenchError(f"the floor of {phases} phases does not have Phasebook's pages")
        wall = section.wall(f"phasebook, {phases} phases").median
        floor_wall = section.wall(f"floor, {phases} phases").median
        per_page[phases] = (wall - floor_wall) / pages[phases]
        section.figures[f"{phases} phases: pages, s per page (phasebook, over floor)"] = (
            f"{pages[phases]}, {wall / pages[phases]:.3f}, {per_page[phases]:.3f}"
        )
    small = EXAMPLE_PHASES
    brief = [(sites[p] / BRIEF).stat().st_size for p in scales]
    section.figures[f"phase 1 brief, {small} / {large} phases"] = (
        f"{brief[0] / 1e3:.1f} kB / {brief[1] / 1e3:.1f} kB"
    )
    growth = PageGrowth.between(sites[small], sites[large])
    section.figures[f"pages in both sites, size at {large} / at {small} phases"] = (
        f"{len(growth.ratios)} pages, median {_times(growth.median)}"
    )
    section.figures["largest growth: any page"] = _largest(growth)
    section.figures["largest growth: a phase's page"] = _largest(growth.under(PHASE_PAGE_PREFIX))
    section.goals = [
        Goal(f"phase 1 brief size, {large} / {small} phases", ratio(brief[1], brief[0]), 1.10),
        Goal(f"same page's size, {large} / {small} phases (median)", growth.median, 1.10),
        Goal(f"s per page over floor, {large} / {small} phases",
             ratio(per_page[large], per_page[small]), 1.2),
    ]
    return section


def _times(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}×"


def _largest(growth: PageGrowth) -> str:
    largest = growth.largest
    return "—" if largest is None else f"{_times(largest[1])} ({largest[0]})"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--findings-per-phase", type=int, default=2500)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--phases", type=int, default=LARGE, help="the larger programme")
    parser.add_argument("--workdir", type=Path, help="keep the projects and sites here")
    parser.add_argument("--json", type=Path, help="also write the results as JSON")
    args = parser.parse_args(argv)
    run_and_report(
        args.workdir,
        lambda workdir: run(workdir, args.findings_per_phase, args.runs, args.phases),
        args.json,
    )


if __name__ == "__main__":
    main()

"""Every benchmark at one size: generate the project, then build, read, serve and scale.

The default is the performance issue's size: 100,000 findings in 30 reports and a Cobertura
file of 10,000 files on the eight-phase example, and 2,500 findings per open phase at 8 and
40 phases. That takes the better part of an hour on a two-core machine. ``--quick`` runs the
same benchmarks on a small programme (2,000 findings; 8 and 16 phases; one run each) in a few
minutes, to check that they work, not to judge the goals: at that size Python's own memory
and MkDocs' start-up dominate every ratio.

    python -m bench.run_all [--quick] [--runs N] [--workdir DIR] [--json FILE] [--check]
        [--only build,read,serve,scale]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench import build_time, read_speed, scale_phases, serve_time
from bench.generate_large import generate
from bench.runner import BenchError, Section, write_json

BENCHES = ("build", "read", "serve", "scale")


@dataclass(frozen=True)
class Size:
    """How big the generated programmes are, and how many runs each side gets."""

    findings: int
    reports: int
    cobertura_files: int
    findings_per_phase: int
    large_phases: int
    runs: int


FULL = Size(findings=100_000, reports=30, cobertura_files=10_000, findings_per_phase=2500,
            large_phases=40, runs=3)
QUICK = Size(findings=2000, reports=10, cobertura_files=200, findings_per_phase=20,
             large_phases=16, runs=1)


def run(size: Size, workdir: Path, only: tuple[str, ...] = BENCHES) -> list[Section]:
    project = workdir / "project"
    if {"build", "read", "serve"} & set(only):
        print(f"generating {size.findings} findings into {project}", file=sys.stderr)
        generate(project, findings=size.findings, reports=size.reports,
                 cobertura_files=size.cobertura_files)
    steps: dict[str, Callable[[], Section]] = {
        "build": lambda: build_time.run(project, workdir, size.runs),
        "read": lambda: read_speed.run(project, size.runs),
        "serve": lambda: serve_time.run(project, workdir, size.runs),
        "scale": lambda: scale_phases.run(workdir / "scale", size.findings_per_phase,
                                          size.runs, size.large_phases),
    }
    sections = []
    for name in only:
        section = steps[name]()
        print(section.render(), flush=True)
        print(flush=True)
        sections.append(section)
    return sections


def summary(sections: list[Section]) -> str:
    goals = [goal for section in sections for goal in section.goals]
    passed = sum(goal.verdict == "PASS" for goal in goals)
    lines = [f"== Goals: {passed} of {len(goals)} met", *(goal.line() for goal in goals)]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="small sizes, one run each")
    parser.add_argument("--runs", type=int, help="runs per side (default: 3, quick: 1)")
    parser.add_argument("--only", default=",".join(BENCHES),
                        help=f"a comma-separated subset of {', '.join(BENCHES)}")
    parser.add_argument("--workdir", type=Path, help="keep projects and sites here")
    parser.add_argument("--json", type=Path, help="also write every result as JSON")
    parser.add_argument("--check", action="store_true", help="exit 1 unless every goal is met")
    args = parser.parse_args(argv)
    size = QUICK if args.quick else FULL
    if args.runs is not None:
        size = Size(**{**size.__dict__, "runs": args.runs})
    only = tuple(name.strip() for name in args.only.split(",") if name.strip())
    unknown = sorted(set(only) - set(BENCHES))
    if unknown:
        parser.error(f"--only: unknown {', '.join(unknown)} (use {', '.join(BENCHES)})")
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="phasebook-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        sections = run(size, workdir.resolve(), only)
    except BenchError as error:
        raise SystemExit(f"bench: {error}") from None
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    print(summary(sections))
    if args.json:
        write_json(args.json, sections)
    if args.check and any(goal.verdict != "PASS" for s in sections for goal in s.goals):
        raise SystemExit(1)


if __name__ == "__main__":
    main()

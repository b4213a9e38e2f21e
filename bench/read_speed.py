"""Reading speed: Phasebook's readers against plain parsing of the same bytes, per format.

For every format of a generated project's reports, two sides run as whole processes,
alternating (``bench.read_child``): Phasebook's ``read_report`` on all the format's files,
and ``json.loads`` of the same bytes (or ``ElementTree.parse``, the C parser, for
Cobertura). Each side times its own reading (the interpreter's start-up is not in it); the
table also shows each process's peak RSS. The files are read once before the first run, so
no side meets a cold page cache that the other did not.

Goals (the performance issue): every JSON reader ≤ 0.6× ``json.loads``; Cobertura ≤ 1.2×
``ElementTree``. The records read must equal the findings generated (nothing skipped).

    python -m bench.read_speed PROJECT [--runs 3] [--json FILE]
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

from bench.generate_large import Manifest
from bench.runner import BenchError, Goal, Section, Side, alternate, ratio, write_json

LIMITS = {"cobertura-xml": 1.2}
JSON_LIMIT = 0.6
MB = 1_000_000


def _child(side: str, paths: list[Path]) -> list[str]:
    return [sys.executable, "-m", "bench.read_child", side, *map(str, paths)]


def _warm(paths: list[Path]) -> None:
    for path in paths:
        with path.open("rb") as handle:
            while handle.read(1 << 20):
                pass


def run(project: Path, runs: int = 3, warmup: int = 0) -> Section:
    manifest = Manifest.read(project)
    by_format: dict[str, list[Path]] = defaultdict(list)
    findings: dict[str, int] = defaultdict(int)
    for generated in manifest.reports:
        by_format[generated.format].append(project / generated.path)
        findings[generated.format] += generated.findings
    section = Section(f"Reading: {len(manifest.reports)} reports of {project.name}")
    for fmt, paths in sorted(by_format.items()):
        _warm(paths)
        baseline = "etree" if fmt in LIMITS else "json"
        reader, plain = f"{fmt}: phasebook", f"{fmt}: {baseline}"
        print(f"read: {fmt} ({len(paths)} files)", file=sys.stderr)
        samples = alternate([Side(reader, _child("phasebook", paths)),
                             Side(plain, _child(baseline, paths))], runs, warmup)
        section.samples.update(samples)
        read = {s.reported.get("records") for s in samples[reader]}
        size = sum(path.stat().st_size for path in paths)
        section.figures[f"{fmt}: bytes / records read"] = f"{size / MB:.1f} MB / {read}"
        if fmt not in LIMITS and read != {findings[fmt]}:
            raise BenchError(
                f"{fmt}: Phasebook read {read} records, the project has {findings[fmt]} findings"
            )
        value = ratio(section.work(reader).median, section.work(plain).median)
        label = "ElementTree.parse" if baseline == "etree" else "json.loads"
        section.goals.append(
            Goal(f"{fmt} / {label} (median)", value, LIMITS.get(fmt, JSON_LIMIT))
        )
    return section


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("project", type=Path, help="a project from bench.generate_large")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=0)
    parser.add_argument("--json", type=Path, help="also write the results as JSON")
    args = parser.parse_args(argv)
    try:
        section = run(args.project.resolve(), args.runs, args.warmup)
    except BenchError as error:
        raise SystemExit(f"bench: {error}") from None
    print(section.render())
    if args.json:
        write_json(args.json, [section])


if __name__ == "__main__":
    main()

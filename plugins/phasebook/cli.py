"""The ``phasebook`` command: check the data, read reports, judge gates; no MkDocs needed.

Exit status: 0 when all is well; 1 when a checked gate does not pass (``check``) or the data
has warnings (``validate``); 2 when the data or a report cannot be used, with each problem
printed as ``file:line:col: what (how to fix)`` on standard error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path

from phasebook.asof import resolve_as_of
from phasebook.build import Build, BuildSettings
from phasebook.errors import DataError, PhasebookError
from phasebook.load import find_project_root
from phasebook.model import PhaseStatus
from phasebook.output import BuildOutput
from phasebook.output import report as report_output
from phasebook.output.snapshot import SnapshotJson
from phasebook.output.text import CiSummary, GateMatrixText
from phasebook.pipeline import build
from phasebook.readers import ReportError, read_report
from phasebook.schema import write_schemas


def _build(args: argparse.Namespace) -> Build | None:
    """The same build the site makes (data, reports, gates); ``None`` after printing errors."""
    data_dir = Path(args.data)
    root = Path(args.root) if getattr(args, "root", None) else find_project_root(data_dir)
    try:
        settings = BuildSettings(data_dir, root.resolve(), _as_of(args.as_of))
        return build(settings)
    except DataError as error:
        for problem in error.problems:
            print(f"error: {problem}", file=sys.stderr)
    except PhasebookError as error:
        print(f"error: {error}", file=sys.stderr)
    return None


def _validate(args: argparse.Namespace) -> int:
    result = _build(args)
    if result is None:
        return 2
    for problem in result.warnings:
        print(f"warning: {problem}", file=sys.stderr)
    schedule = result.schedule
    # parallel critical phases as one step: "5 → 6 + 7 → 8"
    path = " → ".join(" + ".join(map(str, step)) for step in schedule.critical_steps)
    print(
        f"{result.programme.info.name}: {len(result.programme.phases)} phases, "
        f"{schedule.start:%Y-%m-%d} → {schedule.finish:%Y-%m-%d}, critical path {path}"
    )
    return 1 if result.warnings else 0


def _check(args: argparse.Namespace) -> int:
    result = _build(args)
    if result is None:
        return 2
    assessment = result.assessment
    if args.phase is not None:
        if args.phase not in assessment.phases:
            known = ", ".join(map(str, assessment.phases))
            print(f"error: there is no phase {args.phase} (phases: {known})", file=sys.stderr)
            return 2
        chosen = [assessment.phases[args.phase]]
    elif args.all:
        chosen = list(assessment.phases.values())
    else:
        chosen = [a for a in assessment.phases.values() if a.phase.status is PhaseStatus.DONE]
    output: BuildOutput = SnapshotJson() if args.json else GateMatrixText()
    print(output.write(result, chosen), end="")
    if args.summary:
        Path(args.summary).write_text(CiSummary().write(result, chosen), encoding="utf-8")
    return 0 if all(item.ready for item in chosen) else 1


def _snapshot(args: argparse.Namespace) -> int:
    result = _build(args)
    if result is None:
        return 2
    text = SnapshotJson().write(result, list(result.assessment.phases.values()))
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        print(text, end="")
    return 0


def _as_of(text: str | None) -> dt.date:
    """``--as-of``, else ``PHASEBOOK_AS_OF``, else ``SOURCE_DATE_EPOCH``, else today in UTC."""
    return resolve_as_of(text, source="--as-of")


def _schema(args: argparse.Namespace) -> int:
    for path in write_schemas(Path(args.out)):
        print(path)
    return 0


def _read(args: argparse.Namespace) -> int:
    status = 0
    for name in args.files:
        path = Path(name)
        try:
            report = read_report(path, args.format)
        except ReportError as error:
            print(f"error: {error}", file=sys.stderr)
            status = 2
            continue
        print(report_output.json_line(report) if args.json else report_output.text(report))
    return status


ROOT_HELP = (
    "the project folder, which artifact paths start from and no path may leave (default: the "
    "nearest folder above the data holding mkdocs.yml, else the data folder's parent)"
)
AS_OF_HELP = "(YYYY-MM-DD; default PHASEBOOK_AS_OF, else SOURCE_DATE_EPOCH, else today in UTC)"


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="phasebook", description=__doc__)
    commands = root.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help="load and check the programme data")
    validate.add_argument("--data", default="data", help="the data folder (default: data)")
    validate.add_argument("--as-of", help=f"judge as of this date {AS_OF_HELP}")
    validate.add_argument("--root", help=ROOT_HELP)
    validate.set_defaults(run=_validate)
    schema = commands.add_parser("schema", help="write the JSON Schemas of the data files")
    schema.add_argument("--out", default="schema", help="folder to write to (default: schema)")
    schema.set_defaults(run=_schema)
    check = commands.add_parser(
        "check",
        help="judge the gates without building the site (default: the phases marked done)",
    )
    check.add_argument("--data", default="data", help="the data folder (default: data)")
    check.add_argument("--phase", type=int, help="check only this phase")
    check.add_argument("--all", action="store_true", help="check every phase")
    check.add_argument("--json", action="store_true", help="print the assessment as JSON")
    check.add_argument("--summary", help="write a markdown summary to this file")
    check.add_argument("--as-of", help=f"judge as of this date {AS_OF_HELP}")
    check.add_argument("--root", help=ROOT_HELP)
    check.set_defaults(run=_check)
    snap = commands.add_parser(
        "snapshot", help="write the build's snapshot JSON (for the history folder)"
    )
    snap.add_argument("--data", default="data", help="the data folder (default: data)")
    snap.add_argument("--as-of", help=f"as of this date {AS_OF_HELP}")
    snap.add_argument("--out", help="file to write (default: standard output)")
    snap.add_argument("--root", help=ROOT_HELP)
    snap.set_defaults(run=_snapshot)
    read = commands.add_parser("read", help="read tool reports and print what they say")
    read.add_argument("files", nargs="+", help="report files")
    read.add_argument("--format", help="the reader to use instead of detecting it")
    read.add_argument("--json", action="store_true", help="one JSON object per file")
    read.set_defaults(run=_read)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    status: int = args.run(args)
    return status


if __name__ == "__main__":
    sys.exit(main())

"""The ``phasebook`` command: start a programme, check the data, read reports, judge gates;
no MkDocs needed.

Exit status: 0 when all is well; 1 when a checked gate does not pass (``check``) or the data
has warnings (``validate``); 2 when the data or a report cannot be used, with each problem
printed as ``file:line:col: what (how to fix)`` on standard error, or when ``init`` would
write over a file (it then writes none), ``export`` refuses its folder (it then writes
nothing) or ``digest`` finds no earlier snapshot.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path

from phasebook.asof import resolve_as_of
from phasebook.assets_cli import add_commands as add_assets_commands
from phasebook.audience import Audience
from phasebook.build import Build, BuildSettings
from phasebook.errors import DataError, PhasebookError
from phasebook.load import find_project_root
from phasebook.model import PhaseStatus
from phasebook.output import BuildOutput
from phasebook.output import digest as digest_output
from phasebook.output import report as report_output
from phasebook.output.exportdir import MARKER, ExportError, check_folder, write_export
from phasebook.output.snapshot import SnapshotJson
from phasebook.output.text import CiSummary, GateMatrixText
from phasebook.output.tree import export_files
from phasebook.pipeline import build
from phasebook.readers import ReportError, read_report
from phasebook.scaffold import STANDARD_PHASES, Options, ScaffoldError, first_monday
from phasebook.scaffold import files as scaffold_files
from phasebook.scaffold import write as write_scaffold
from phasebook.schema import write_schemas


def _build(args: argparse.Namespace) -> Build | None:
    """The same build the site makes (data, reports, gates); ``None`` after printing errors."""
    data_dir = Path(args.data)
    root = Path(args.root) if getattr(args, "root", None) else find_project_root(data_dir)
    try:
        settings = BuildSettings(
            data_dir, root.resolve(), _as_of(args.as_of), audience=Audience(args.audience),
            history_dir=Path(args.history) if getattr(args, "history", None) else None,
        )
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
    for note in result.notes:
        print(f"note: {note}", file=sys.stderr)
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


def _export(args: argparse.Namespace) -> int:
    """The programme as a Markdown tree in DIR (see :mod:`phasebook.output.exportdir`)."""
    result = _build(args)
    if result is None:
        return 2
    folder = Path(args.dir)
    try:
        check_folder(folder, result.settings.data_dir, result.project_root)
        done = write_export(folder, export_files(result, folder))
    except ExportError as error:
        print(f"error: {error}", file=sys.stderr)
        for path in error.paths:
            print(f"  {path}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"error: cannot write the export into {folder}: {error}", file=sys.stderr)
        return 2
    print(f"{folder}: {len(done.written)} written, {len(done.unchanged)} unchanged, "
          f"{len(done.removed)} removed")
    return 0


def _digest(args: argparse.Namespace) -> int:
    """What changed since an earlier snapshot, as Markdown or Slack text."""
    args.history = args.history or str(Path(args.data) / "history")
    if not Path(args.history).is_dir():
        print(f"error: {args.history}: there is no history folder here (keep snapshots in it "
              "with `phasebook snapshot --out`, or name it with --history)", file=sys.stderr)
        return 2
    try:
        since = dt.date.fromisoformat(args.since) if args.since else None
    except ValueError:
        print(f"error: --since {args.since!r} is not a date; write it as YYYY-MM-DD",
              file=sys.stderr)
        return 2
    result = _build(args)
    if result is None:
        return 2
    try:
        base = digest_output.baseline(result.history, result.as_of, since)
    except digest_output.DigestError as error:
        print(f"error: {args.history}: {error}", file=sys.stderr)
        return 2
    text = digest_output.render(digest_output.digest(result, base), args.format)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
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


def _init(args: argparse.Namespace) -> int:
    folder = Path(args.dir)
    try:
        today = resolve_as_of(None)
        project = args.project or folder.resolve().name or "project"
        options = Options(
            name=(args.name or f"{project} — Audit & Deployment Programme").strip(),
            project=project.strip(),
            owner=(args.owner or "Replace this: the programme owner (role)").strip(),
            start=_day(args.start) if args.start else first_monday(today),
            today=today,
            phases=args.phases,
            macros=args.macros,
        )
        written = write_scaffold(folder, scaffold_files(options))
    except ScaffoldError as error:
        print(f"error: {error}", file=sys.stderr)
        for name in error.existing:
            print(f"  {name}", file=sys.stderr)
        if error.existing:
            print(
                "nothing was written: phasebook init never replaces a file "
                "(move them away, or choose another folder)",
                file=sys.stderr,
            )
        return 2
    except PhasebookError as error:  # a bad PHASEBOOK_AS_OF or SOURCE_DATE_EPOCH
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"A programme of {options.phases} phases, from {options.start:%Y-%m-%d}, in {folder}:")
    for path in written:
        print(f"  {path.relative_to(folder).as_posix()}")
    here = folder.resolve() == Path.cwd().resolve()
    steps = [
        ("" if here else f"cd {shlex.quote(str(folder))} && ") + "mkdocs serve",
        "phasebook validate",
        "git init -b main && pre-commit install",
    ]
    why = [
        "the site at http://127.0.0.1:8000, rebuilt as you edit",
        "the data checked as the build checks it",
        "the same check before every commit",
    ]
    width = max(map(len, steps))
    print("Next:")
    for step, reason in zip(steps, why, strict=True):
        print(f"  {step.ljust(width)}  # {reason}")
    return 0


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ScaffoldError(f"--start {text!r} is not a date; write it as YYYY-MM-DD") from None


ROOT_HELP = (
    "the project folder, which artifact paths start from and no path may leave (default: the "
    "nearest folder above the data holding mkdocs.yml, else the data folder's parent)"
)
AS_OF_HELP = "(YYYY-MM-DD; default PHASEBOOK_AS_OF, else SOURCE_DATE_EPOCH, else today in UTC)"


def _export_and_digest(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
) -> tuple[argparse.ArgumentParser, argparse.ArgumentParser]:
    """``phasebook export`` and ``phasebook digest`` (their --audience is added with the
    other builds')."""
    export = commands.add_parser(
        "export",
        help="write the programme as a Markdown tree (phase-N/00-PHASE_BRIEF.md …) into DIR",
        description="Write the programme as GitHub-flavoured Markdown into DIR: README.md and "
        "one folder per phase with its eight sections. DIR must be new, empty or an earlier "
        f"export (it holds a {MARKER} file listing the files it owns); only those files are "
        "rewritten or removed. A refused export writes nothing and exits 2.",
    )
    export.add_argument("dir", metavar="DIR", help="the folder to write (e.g. programme)")
    export.add_argument("--data", default="data", help="the data folder (default: data)")
    export.add_argument("--as-of", help=f"as of this date {AS_OF_HELP}")
    export.add_argument("--root", help=ROOT_HELP)
    export.set_defaults(run=_export)
    digest = commands.add_parser(
        "digest",
        help="write the daily update: gates, findings, risks, lateness, decisions since a "
        "snapshot",
    )
    digest.add_argument("--since", metavar="YYYY-MM-DD",
                        help="compare with the newest snapshot taken on or before this day "
                        "(default: the newest taken before the build's day)")
    digest.add_argument("--format", choices=digest_output.FORMATS, default="markdown",
                        help="markdown (default) or slack (Slack's mrkdwn)")
    digest.add_argument("--output", help="file to write (default: standard output)")
    digest.add_argument("--history", help="the folder of earlier snapshots (default: "
                        "DATA/history, where the example keeps them)")
    digest.add_argument("--data", default="data", help="the data folder (default: data)")
    digest.add_argument("--as-of", help=f"as of this date {AS_OF_HELP}")
    digest.add_argument("--root", help=ROOT_HELP)
    digest.set_defaults(run=_digest)
    return export, digest


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
    export, digest = _export_and_digest(commands)
    for command in (validate, check, snap, export, digest):
        command.add_argument(
            "--audience",
            choices=[audience.value for audience in Audience],
            default=Audience.INTERNAL.value,
            help="who the build is for: public withholds report details (default: internal)",
        )
    read = commands.add_parser("read", help="read tool reports and print what they say")
    read.add_argument("files", nargs="+", help="report files")
    read.add_argument("--format", help="the reader to use instead of detecting it")
    read.add_argument("--json", action="store_true", help="one JSON object per file")
    read.set_defaults(run=_read)
    init = commands.add_parser(
        "init",
        help="start a new programme: the standard phases, a site that builds, CI, a hook",
        description="Write a new programme into DIR: mkdocs.yml, data/ (the standard phases "
        "with stubs to replace), docs/index.md, schema/, the GitHub Pages workflow, a "
        "pre-commit hook and .gitignore. It never replaces a file: when one exists, it "
        "writes nothing and exits 2.",
    )
    init.add_argument(
        "dir", nargs="?", default=".", metavar="DIR", help="the project folder (default: .)"
    )
    init.add_argument("--name", help="the programme's name (default: PROJECT — Audit & …)")
    init.add_argument("--project", help="the codebase it audits (default: the folder's name)")
    init.add_argument("--owner", help="who owns the programme document")
    init.add_argument(
        "--start",
        metavar="YYYY-MM-DD",
        help="the first day of phase 1 (default: today in UTC, or "
        "PHASEBOOK_AS_OF, if a Monday, else the next Monday)",
    )
    init.add_argument(
        "--phases",
        type=int,
        default=len(STANDARD_PHASES),
        choices=range(1, len(STANDARD_PHASES) + 1),
        metavar="N",
        help=f"only the first N standard phases (1 to {len(STANDARD_PHASES)}; "
        f"default {len(STANDARD_PHASES)})",
    )
    init.add_argument(
        "--macros",
        action="store_true",
        help="also set up mkdocs-macros (hooks/macros.py) for Phasebook's helpers in pages",
    )
    init.set_defaults(run=_init)
    add_assets_commands(commands)  # phasebook assets fetch|status (see phasebook.assets_cli)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        status: int = args.run(args)
        sys.stdout.flush()
    except BrokenPipeError:
        # `phasebook check | head`: the reader stopped listening; that is no error of ours.
        # Point stdout at /dev/null so Python's exit flush does not raise again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    return status


if __name__ == "__main__":
    sys.exit(main())

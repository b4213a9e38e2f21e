"""The ``phasebook`` command: check the data and write the schemas without MkDocs.

Exit status: 0 when all is well, 2 when the data cannot be used (each problem printed as
``file:line:col: what (how to fix)`` on standard error), 1 when it loads but has warnings.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from phasebook.errors import DataError
from phasebook.handoff import handoff_warnings
from phasebook.load import load_programme
from phasebook.schedule import compute_schedule
from phasebook.schema import write_schemas


def _validate(args: argparse.Namespace) -> int:
    try:
        programme = load_programme(Path(args.data))
    except DataError as error:
        for problem in error.problems:
            print(f"error: {problem}", file=sys.stderr)
        return 2
    warnings = handoff_warnings(programme)
    for problem in warnings:
        print(f"warning: {problem}", file=sys.stderr)
    schedule = compute_schedule(programme)
    print(
        f"{programme.info.name}: {len(programme.phases)} phases, "
        f"{schedule.start:%Y-%m-%d} → {schedule.finish:%Y-%m-%d}, "
        f"critical path {' → '.join(map(str, schedule.critical_path))}"
    )
    return 1 if warnings else 0


def _schema(args: argparse.Namespace) -> int:
    for path in write_schemas(Path(args.out)):
        print(path)
    return 0


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="phasebook", description=__doc__)
    commands = root.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help="load and check the programme data")
    validate.add_argument("--data", default="data", help="the data folder (default: data)")
    validate.set_defaults(run=_validate)
    schema = commands.add_parser("schema", help="write the JSON Schemas of the data files")
    schema.add_argument("--out", default="schema", help="folder to write to (default: schema)")
    schema.set_defaults(run=_schema)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    status: int = args.run(args)
    return status


if __name__ == "__main__":
    sys.exit(main())

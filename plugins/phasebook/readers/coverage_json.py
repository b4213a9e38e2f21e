"""coverage.py's ``coverage json``: totals and one record per file; ``meta.format`` checked."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from phasebook.evidence import FileCoverage, Report, Skipped
from phasebook.readers.base import ReportError, load_any, not_the_format
from phasebook.readers.roles import COVERAGE, Role

SUPPORTED_FORMATS = (1, 2, 3)
EXPECTED = "an object with `meta`, `totals` and `files`, as `coverage json` writes it"


def _coverage(path: Path, name: str | None, summary: Any) -> FileCoverage:
    if not isinstance(summary, dict) or "covered_lines" not in summary:
        raise ReportError(path, f"the summary of {name or 'the totals'} has no covered_lines")
    branches = _count(path, name, summary, "num_branches", required=False)
    return FileCoverage(
        path=name,
        lines_covered=_count(path, name, summary, "covered_lines"),
        lines_total=_count(path, name, summary, "num_statements"),
        branches_covered=_count(path, name, summary, "covered_branches") if branches else None,
        branches_total=branches or None,
    )


def _count(
    path: Path, name: str | None, summary: dict[str, Any], key: str, *, required: bool = True
) -> int:
    """A whole-number count of a summary; anything else is a broken report, not a zero."""
    value = summary.get(key)
    if value is None and not required:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        where = name or "the totals"
        raise ReportError(path, f"{key} of {where} is {value!r}, not a count")
    return value


class CoverageJsonReader:
    """The JSON report of coverage.py 5 to 7."""

    format = "coverage-json"
    role = Role.COVERAGE
    kinds = COVERAGE

    def detect(self, head: str, path: Path) -> bool:
        return '"meta"' in head and ('"covered_lines"' in head or '"show_contexts"' in head)

    def read(self, path: Path) -> Report:
        data = load_any(path)
        if not isinstance(data, dict) or not isinstance(data.get("meta"), dict):
            raise not_the_format(path, data, "a coverage.py JSON report", EXPECTED)
        meta = data["meta"]
        version = meta.get("format")
        if version is None and str(meta.get("version", "")).startswith(("5.", "6.")):
            version = 1  # coverage 5 and 6 wrote the first format without saying so
        if version not in SUPPORTED_FORMATS:
            supported = ", ".join(map(str, SUPPORTED_FORMATS))
            raise ReportError(
                path, f"coverage JSON format {version!r} is not supported (supported: {supported})"
            )
        report = Report(
            path=path,
            format=self.format,
            schema_version=str(version),
            tool="coverage.py",
            tool_version=meta.get("version"),
        )
        stamp = meta.get("timestamp")
        if isinstance(stamp, str):
            try:
                when = dt.datetime.fromisoformat(stamp)
                report.generated_at = when if when.tzinfo else when.replace(tzinfo=dt.UTC)
            except ValueError:
                report.notes.append(f"unreadable timestamp {stamp!r}")
        report.totals = _coverage(path, None, data.get("totals"))
        files = data.get("files")
        if not isinstance(files, dict):
            raise ReportError(path, "not a coverage.py JSON report: no 'files' object")
        for name, entry in files.items():
            if not isinstance(entry, dict) or "summary" not in entry:
                report.skipped.append(Skipped("a file entry without a summary", name))
                continue
            report.records.append(_coverage(path, name, entry["summary"]))
        return report

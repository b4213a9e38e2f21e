"""coverage.py's Cobertura XML (``coverage xml``): totals from the root, one record per file.

A file listed in several packages (rare) is counted once per listing, as the report does.
"""

from __future__ import annotations

import datetime as dt
from operator import methodcaller
from pathlib import Path

from phasebook.evidence import FileCoverage, Report, Skipped
from phasebook.readers.base import ReportError
from phasebook.readers.roles import COVERAGE, Role
from phasebook.readers.xmlsafe import Element, iter_xml

EXPECTED = "Cobertura XML: a <coverage> root with lines-valid, as `coverage xml` writes it"


def _int(path: Path, element: Element, name: str) -> int:
    text = element.get(name)
    if text is None:
        raise ReportError(path, f"<{element.tag}> has no {name} attribute")
    try:
        return int(text)
    except ValueError:
        raise ReportError(path, f"<{element.tag}> {name}={text!r} is not a number") from None


class CoberturaReader:
    """Cobertura XML as coverage.py writes it."""

    format = "cobertura-xml"
    role = Role.COVERAGE
    kinds = COVERAGE

    def detect(self, head: str, path: Path) -> bool:
        return "<coverage" in head and ("line-rate" in head or "lines-valid" in head)

    def read(self, path: Path) -> Report:
        report = Report(path=path, format=self.format, tool="coverage.py")
        events = iter_xml(path, EXPECTED)
        _, root = next(events)
        if root.tag != "coverage":
            raise ReportError(path, f"not Cobertura XML: the root is <{root.tag}>")
        report.tool_version = root.get("version")
        stamp = root.get("timestamp")
        if stamp and stamp.isdigit():
            report.generated_at = dt.datetime.fromtimestamp(int(stamp) / 1000, tz=dt.UTC)
        branches_valid = _int(path, root, "branches-valid") if root.get("branches-valid") else 0
        report.totals = FileCoverage(
            path=None,
            lines_covered=_int(path, root, "lines-covered"),
            lines_total=_int(path, root, "lines-valid"),
            branches_covered=_int(path, root, "branches-covered") if branches_valid else None,
            branches_total=branches_valid or None,
        )
        for event, element in events:
            if event != "end" or element.tag != "class":
                continue
            filename = element.get("filename")
            if filename is None:
                name = element.get("name", "")
                report.skipped.append(Skipped("a <class> without a filename", name))
            else:
                report.records.append(_file(filename, element))
            element.clear()  # done with this file: keep memory flat
        return report


_HITS = methodcaller("get", "hits", "0")
_BRANCH = methodcaller("get", "branch")


def _file(filename: str, element: Element) -> FileCoverage:
    lines = [line for holder in element.findall("lines") for line in holder.findall("line")]
    hits = list(map(_HITS, lines))
    covered = len(hits) - hits.count("0")
    branch_total = branch_covered = 0
    if "true" in map(_BRANCH, lines):  # coverage.py marks branch lines only with --branch
        for line in lines:
            condition = line.get("condition-coverage")  # e.g. "50% (1/2)"
            if line.get("branch") == "true" and condition and "(" in condition:
                done, _, total = condition.rsplit("(", 1)[1].rstrip(")").partition("/")
                if done.isdigit() and total.isdigit():
                    branch_covered += int(done)
                    branch_total += int(total)
    return FileCoverage(
        path=filename,
        lines_covered=covered,
        lines_total=len(lines),
        branches_covered=branch_covered if branch_total else None,
        branches_total=branch_total or None,
    )

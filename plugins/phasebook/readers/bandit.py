"""bandit ``-f json``: one finding per result; files bandit could not scan become notes.

A report is bandit's object: ``results`` (a list) beside its ``metrics``. No results inside
that envelope is bandit saying it found nothing; ``null``, ``[]``, ``{}``, a scalar or an
object without both keys is refused, never read as a clean scan.
"""

from __future__ import annotations

import datetime as dt
from itertools import repeat
from pathlib import Path
from typing import Any, TypeAlias

import msgspec

from phasebook.evidence import Report, Severity, Skipped
from phasebook.readers.base import ArrayOr, ObjectOr, load_json, load_typed, not_the_format
from phasebook.readers.columns import findings
from phasebook.readers.fingerprint import digests, normal, numbered_repeats
from phasebook.readers.roles import FINDINGS, Role
from phasebook.readers.shapes import loose_items

SEVERITY = {"HIGH": Severity.HIGH, "MEDIUM": Severity.MEDIUM, "LOW": Severity.LOW}
"""bandit has no "critical"; its UNDEFINED (very old releases) maps to info."""
EXPECTED = "an object with `results` (a list) and `metrics`, as `bandit -f json` writes it"


# The fields read; the code lines and metrics are skipped while parsing.


class _Cwe(msgspec.Struct, gc=False):
    id: Any = None


class _Result(msgspec.Struct, gc=False):
    test_id: Any = None
    test_name: Any = ""  # as bandit's absent name reads in a title
    issue_severity: Any = None
    issue_text: Any = None
    issue_cwe: ObjectOr[_Cwe] = None
    filename: Any = None
    line_number: Any = None
    col_offset: Any = None
    more_info: Any = None


class _Metrics(msgspec.Struct, gc=False):
    """Only that bandit's ``metrics`` object is there: its numbers are skipped."""


class _Report(msgspec.Struct, gc=False):
    generated_at: Any = None
    errors: Any = None
    metrics: ObjectOr[_Metrics] = None
    results: ArrayOr[ObjectOr[_Result]] = None


_Document: TypeAlias = ObjectOr[_Report]
_DECODER: msgspec.json.Decoder[_Document] = msgspec.json.Decoder(_Document)


class BanditReader:
    """bandit's JSON output."""

    format = "bandit-json"
    role = Role.CODE_SECURITY_SCANNER
    kinds = FINDINGS

    def detect(self, head: str, path: Path) -> bool:
        if '"runs"' in head:  # bandit's SARIF output is read as SARIF
            return False
        return ('"_totals"' in head and '"SEVERITY.' in head) or (
            '"test_id"' in head and '"issue_severity"' in head
        )

    def read(self, path: Path) -> Report:
        data = load_typed(path, _DECODER)
        if (
            not isinstance(data, _Report)
            or not isinstance(data.results, list)
            or not isinstance(data.metrics, _Metrics)
        ):
            raise not_the_format(path, load_json(path), "a bandit report", EXPECTED)
        report = Report(path=path, format=self.format, tool="bandit")
        stamp = data.generated_at
        if isinstance(stamp, str):
            try:
                report.generated_at = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
            except ValueError:
                report.notes.append(f"unreadable generated_at {stamp!r}")
        for error in loose_items(path, data.errors, "'errors'"):
            if isinstance(error, dict):
                report.notes.append(f"{error.get('filename', '?')}: {error.get('reason', '?')}")
        rows: list[_Row] = []
        normals: dict[object, str] = {}
        for index, result in enumerate(data.results):
            row = _row(result, normals) if isinstance(result, _Result) else None
            if row is None:
                report.skipped.append(Skipped("a result without test_id", f"#{index + 1}"))
            else:
                rows.append(row)
        if rows:
            rules, severities, words, titles, texts, paths, lines, columns, cwes, urls = zip(
                *rows, strict=True
            )
            report.records.extend(
                findings(
                    len(rows),
                    tool=repeat("bandit"),
                    rule=rules,
                    severity=severities,
                    tool_severity=words,
                    title=titles,
                    fingerprint=numbered_repeats(digests(texts)),
                    path=paths,
                    line=lines,
                    column=columns,
                    cwe=cwes,
                    url=urls,
                )
            )
        return report


_Row = tuple[str, Severity, str, str, str, Any, int | None, int | None, tuple[str, ...], Any]
"""A finding's rule, severity, bandit's severity, title, fingerprint text, path, line, column,
CWE and URL (bandit's own values for the path and URL, whatever their type)."""


def _row(result: _Result, normals: dict[object, str]) -> _Row | None:
    test_id = result.test_id
    if not test_id:
        return None
    word = str(result.issue_severity or "UNDEFINED")
    cwe = result.issue_cwe
    cwe_id = cwe.id if isinstance(cwe, _Cwe) else None
    text = str(result.issue_text or result.test_name or "")
    filename = result.filename
    line = result.line_number
    column = result.col_offset
    if type(test_id) is str and type(filename) is str:  # the normal parts, once each
        named = normals.get(test_id) or normals.setdefault(test_id, normal(test_id))
        where = normals.get(filename) or normals.setdefault(filename, normal(filename))
    else:
        named, where = normal(test_id), normal(filename)
    return (
        str(test_id),
        SEVERITY.get(word.upper(), Severity.INFO),
        word,
        f"{result.test_name}: {text}".strip(": "),
        # fingerprint("bandit", test_id, filename, None, text)
        f"bandit\x1f{named}\x1f{where}\x1f\x1f{normal(text)}",
        filename,
        line if isinstance(line, int) else None,
        column + 1 if isinstance(column, int) else None,  # bandit's col_offset counts from 0
        (f"CWE-{cwe_id}",) if cwe_id else (),
        result.more_info,
    )

"""The rows of a report's details tables other than findings: tests, coverage, other records.

Made in Python, as plain strings, for the same reason as
:func:`~phasebook.render.findings.finding_rows`: a JUnit or Cobertura report can hold tens of
thousands of records, each a row. Every value goes through :func:`~phasebook.escape.literal`,
so a row reads exactly as the template escape would have written it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from typing import Any

from markupsafe import Markup

from phasebook.escape import literal, literal_cell, trusted
from phasebook.evidence import FileCoverage, TestResult

MESSAGE_LIMIT = 160
"""Characters of a test's failure message in its row; the report has the rest."""
FIELD_LIMIT = 200
"""Characters of a field of any other record in its row."""


def case_rows(tests: Iterable[TestResult]) -> Markup:
    """Suite, case, outcome, duration and message of each test case."""
    rows = []
    for test in tests:
        case = f"{test.classname}::{test.name}" if test.classname else test.name
        seconds = "—" if test.duration_s is None else f"{test.duration_s:.3f}"
        message = truncated(test.message, MESSAGE_LIMIT) if test.message else ""
        rows.append(
            f"<tr><td>{literal_cell(test.suite)}</td><td class=\"pb-msg\">{literal(case)}</td>"
            f"<td>{literal(test.outcome.value)}</td><td class=\"pb-num\">{literal(seconds)}</td>"
            f"<td class=\"pb-msg\">{literal_cell(message)}</td></tr>\n"
        )
    return trusted("".join(rows))


def coverage_rows(files: Iterable[FileCoverage]) -> Markup:
    """Path, covered and total lines, line coverage and branches of each file."""
    rows = []
    for file in files:
        branches = (
            f"{file.branches_covered} / {file.branches_total}" if file.branches_total else "—"
        )
        rows.append(
            f"<tr><td><code>{literal(str(file.path))}</code></td>"
            f"<td class=\"pb-num\">{file.lines_covered} / {file.lines_total}</td>"
            f"<td class=\"pb-num\">{literal(percent(file.lines_covered, file.lines_total))}</td>"
            f"<td class=\"pb-num\">{literal(branches)}</td></tr>\n"
        )
    return trusted("".join(rows))


def record_rows(records: Iterable[Any], names: list[str]) -> Markup:
    """The fields ``names`` of each record of a kind without a table of its own."""
    rows = [
        "<tr>"
        + "".join(
            f"<td>{literal_cell(truncated(field_text(getattr(record, name)), FIELD_LIMIT))}</td>"
            for name in names
        )
        + "</tr>\n"
        for record in records
    ]
    return trusted("".join(rows))


def record_columns(records: list[Any]) -> list[str]:
    """The fields shown for a record kind without a table of its own."""
    return [field.name for field in dataclasses.fields(records[0]) if field.name != "kind"]


def percent(part: int | None, whole: int | None) -> str:
    """``part`` of ``whole`` as a percentage with one decimal, or a dash without a whole."""
    if not whole or part is None:
        return "—"
    return f"{100.0 * part / whole:.1f} %"


def field_text(value: object) -> str:
    """A record field as one line of text: labels as ``key=value``, lists comma-separated."""
    if value is None or value == ():
        return ""
    if isinstance(value, tuple | list):
        return ", ".join(
            "=".join(map(str, item)) if isinstance(item, tuple) else str(item) for item in value
        )
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def truncated(text: str, length: int, end: str = "...", leeway: int = 5) -> str:
    """Jinja's ``truncate`` filter with its defaults: whole words, ``...``, 5 characters of
    leeway (rows made in Python read as the template's did)."""
    if len(text) <= length + leeway:
        return text
    return text[: length - len(end)].rsplit(" ", 1)[0] + end

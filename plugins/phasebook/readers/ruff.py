"""ruff ``--output-format=json`` (one array) and ``--output-format=json-lines`` (one object a line).

Each diagnostic is ``{code, message, filename, location{row, column}, end_location, fix, url,
noqa_row}``; ruff 0.1+ adds ``name``, ``cell`` and (0.5+) ``severity`` (always ``"error"`` so
far), and 0.0.x wrote ``fix`` as ``{content, location, end_location}``. Only the fields both
layouts share are read. A syntax error has ``code: null`` (ruff 0.1–0.8) or
``"invalid-syntax"`` (newer) or ``E999`` (0.0.x); it is kept as a finding, never dropped.

ruff has no severity of its own, so it is derived from the rule, and ruff's own word (when it
writes one) is kept as ``tool_severity``:

* high: syntax errors (``null``, ``invalid-syntax``, ``E9xx``) and the pyflakes rules that are
  certain bugs — ``F63x`` (bad comparisons), ``F7xx`` (misplaced statements), ``F82x``
  (undefined names): the set flake8's own docs suggest failing a build on; also ``PLE``
  (pylint's "error" category);
* medium: ``S`` (flake8-bandit, security smells — bandit's usual level) and ``B``
  (flake8-bugbear, likely bugs);
* low: everything else (style, naming, unused imports, upgrades…).

Columns are 1-based as ruff writes them. The fingerprint is tool, rule, file and message,
numbered when repeated: never the row.

ruff writes ``[]`` when it finds nothing; since any tool (or a broken run) may leave ``[]``, it
is read as zero findings only when the phase declares ``format: ruff-json``, never detected.
In JSON lines, "nothing found" is an empty file, refused as empty like any empty report.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from phasebook.evidence import Finding, Report, Severity, Skipped
from phasebook.readers.base import (
    ReportError,
    first_line,
    head_start,
    load_json,
    not_the_format,
    read_text,
    starts_json,
    top_array,
)
from phasebook.readers.fingerprint import Fingerprints
from phasebook.readers.jsonlines import load_json_lines
from phasebook.readers.roles import FINDINGS, Role
from phasebook.readers.scalars import opt_int, opt_text
from phasebook.readers.shapes import obj

TOOL = "ruff"
SYNTAX = "invalid-syntax"
_HIGH = re.compile(r"^(?:E9\d\d|F63\d|F7\d\d|F82\d|PLE\d+)$")
_MEDIUM = re.compile(r"^(?:S\d{3}|B\d{3})$")
ITEM_KEYS = ("code", "message", "filename", "location")
EXPECTED = (
    "an array of diagnostics with ruff's keys (code, message, filename, location), as "
    "`ruff check --output-format json` writes it"
)
EXPECTED_LINES = (
    "one diagnostic object a line with ruff's keys (code, message, filename, location), as "
    "`ruff check --output-format json-lines` writes it"
)


def severity_of(code: str) -> Severity:
    """The severity of a ruff rule code (see the module docstring for the why)."""
    if code == SYNTAX or _HIGH.match(code):
        return Severity.HIGH
    if _MEDIUM.match(code):
        return Severity.MEDIUM
    return Severity.LOW


class RuffJsonReader:
    """ruff's JSON output: one array of diagnostics."""

    format = "ruff-json"
    role = Role.LINTER
    kinds = FINDINGS
    clean_output = ("[]",)

    def detect(self, head: str, path: Path) -> bool:
        return starts_json(head, "[", *ITEM_KEYS)

    def read(self, path: Path) -> Report:
        text = read_text(path)
        if head_start(text).startswith("{"):
            raise ReportError(
                path,
                f"starts with an object, not ruff's JSON array: expected {EXPECTED}; one object "
                "a line is ruff's json-lines output: read it as ruff-json-lines",
            )
        items = top_array(
            path,
            load_json(path, text),
            "a ruff JSON report",
            EXPECTED,
            keys=ITEM_KEYS,
            clean=self.clean_output,
        )
        report = Report(path=path, format=self.format, tool=TOOL)
        prints = Fingerprints(TOOL)
        for index, item in enumerate(items):
            _add(report, prints, obj(path, item, f"diagnostic #{index + 1}"), f"#{index + 1}")
        return report


class RuffJsonLinesReader:
    """ruff's JSON-lines output: one diagnostic object a line."""

    format = "ruff-json-lines"
    role = Role.LINTER
    kinds = FINDINGS

    def detect(self, head: str, path: Path) -> bool:
        return starts_json(first_line(head), "{", *ITEM_KEYS)

    def read(self, path: Path) -> Report:
        rows = load_json_lines(path, "ruff's json-lines output")
        if all(item.keys().isdisjoint(ITEM_KEYS) for _, item in rows):
            raise not_the_format(path, rows[0][1], "ruff json-lines output", EXPECTED_LINES)
        report = Report(path=path, format=self.format, tool=TOOL)
        prints = Fingerprints(TOOL)
        for number, item in rows:
            _add(report, prints, item, f"line {number}")
        return report


def _add(report: Report, prints: Fingerprints, item: dict[str, Any], where: str) -> None:
    """One diagnostic to a finding; without a message or file it is skipped, with the reason."""
    if "message" not in item or "filename" not in item:
        report.skipped.append(Skipped("a diagnostic without message or filename", where))
        return
    message = " ".join(str(opt_text(item.get("message")) or "").split())
    if not message:
        report.skipped.append(Skipped("a diagnostic with an empty message", where))
        return
    code = opt_text(item.get("code")) or SYNTAX  # null: a syntax error (ruff 0.1–0.8)
    filename = opt_text(item.get("filename"))
    location = item.get("location")
    row = column = None
    if isinstance(location, dict):
        row, column = opt_int(location.get("row")), opt_int(location.get("column"))
    name = opt_text(item.get("name"))
    url = opt_text(item.get("url"))
    report.records.append(
        Finding(
            tool=TOOL,
            rule=code,
            severity=severity_of(code),
            tool_severity=opt_text(item.get("severity")) or "",
            title=f"{message} ({name})" if name and name != code else message,
            fingerprint=prints(code, filename, None, message),
            path=filename,
            line=row,
            column=column,
            url=url if url and url.startswith(("https://", "http://")) else None,
        )
    )

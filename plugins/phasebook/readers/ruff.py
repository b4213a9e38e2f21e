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

import json
import re
from pathlib import Path
from typing import Any

from phasebook.evidence import Finding, Report, Severity, Skipped
from phasebook.readers.base import (
    ReportError,
    bare_value,
    load_json,
    not_the_format,
    read_text,
    top_array,
)
from phasebook.readers.values import Fingerprints, obj, opt_int, opt_text

TOOL = "ruff"
SYNTAX = "invalid-syntax"
_HIGH = re.compile(r"^(?:E9\d\d|F63\d|F7\d\d|F82\d|PLE\d+)$")
_MEDIUM = re.compile(r"^(?:S\d{3}|B\d{3})$")
_KEYS = ('"filename"', '"location"', '"message"', '"code"')
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


def load_json_lines(path: Path, what: str) -> list[tuple[int, dict[str, Any]]]:
    """Every non-blank line of a JSON-lines report as ``(line number, object)``.

    A JSON array, text before the first object or a cut-off last line are clear errors, so a
    JSON-lines reader never mistakes another layout (or half a report) for "no findings".
    Shared by the static readers that read JSON lines (ruff, mypy).
    """
    text = read_text(path)
    bare, value = bare_value(text)
    if bare:
        raise not_the_format(path, value, what, "one JSON object a line")
    lines = text.splitlines()
    numbered = [(n, line.strip()) for n, line in enumerate(lines, 1) if line.strip()]
    first = numbered[0][1]
    if first.startswith("["):
        raise ReportError(
            path, f"this is a JSON array, not JSON lines: expected one object a line, as {what} is"
        )
    rows: list[tuple[int, dict[str, Any]]] = []
    last = numbered[-1][0]
    for number, line in numbered:
        if not line.startswith("{"):
            raise ReportError(
                path,
                f"line {number} is not a JSON object (it starts {line[:60]!r}); the tool may "
                "have printed warnings into its report: write it with the tool's output option",
            )
        try:
            value = json.loads(line)
        except RecursionError:
            raise ReportError(path, f"line {number} is nested too deeply") from None
        except json.JSONDecodeError as error:
            if number == last:
                raise ReportError(
                    path, f"the last line ({number}) is cut off (truncated report?)"
                ) from None
            raise ReportError(path, f"invalid JSON on line {number}: {error.msg}") from None
        rows.append((number, obj(path, value, f"line {number} of {what}")))
    return rows


class RuffJsonReader:
    """ruff's JSON output: one array of diagnostics."""

    format = "ruff-json"
    clean_output = ("[]",)

    def detect(self, head: str, path: Path) -> bool:
        return head.lstrip().startswith("[") and all(key in head for key in _KEYS)

    def read(self, path: Path) -> Report:
        text = read_text(path)
        if text.lstrip().startswith("{"):
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

    def detect(self, head: str, path: Path) -> bool:
        first = head.lstrip().partition("\n")[0]
        return first.startswith("{") and all(key in first for key in _KEYS)

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

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

import codecs
import re
from pathlib import Path
from typing import Any, TypeAlias

import msgspec

from phasebook.evidence import Report, Severity, Skipped
from phasebook.readers.base import (
    BLANK,
    ArrayOr,
    ObjectOr,
    ReportError,
    first_line,
    load_typed,
    not_the_format,
    read_bytes,
    read_text,
    starts_json,
    top_structs,
)
from phasebook.readers.columns import Row, from_rows
from phasebook.readers.fingerprint import Fingerprints
from phasebook.readers.jsonlines import load_json_lines
from phasebook.readers.roles import FINDINGS, Role
from phasebook.readers.scalars import opt_int, opt_text
from phasebook.readers.shapes import not_an_object

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


# The fields read; ``fix``, ``end_location`` and the rest are skipped while parsing. A field
# that may be absent defaults to UNSET, so that its absence can be told from ``null``.


class _Location(msgspec.Struct, gc=False):
    row: Any = None
    column: Any = None


class _Diagnostic(msgspec.Struct, gc=False):
    code: Any = msgspec.UNSET
    message: Any = msgspec.UNSET
    filename: Any = msgspec.UNSET
    location: ObjectOr[_Location] | msgspec.UnsetType = msgspec.UNSET
    name: Any = None
    url: Any = None
    severity: Any = None


_Document: TypeAlias = ArrayOr[ObjectOr[_Diagnostic]]
_DECODER: msgspec.json.Decoder[_Document] = msgspec.json.Decoder(_Document)
_LINE_DECODER: msgspec.json.Decoder[_Diagnostic] = msgspec.json.Decoder(_Diagnostic)
_FIELDS = ("rule", "severity", "tool_severity", "title", "path", "line", "column", "url")


class RuffJsonReader:
    """ruff's JSON output: one array of diagnostics."""

    format = "ruff-json"
    role = Role.LINTER
    kinds = FINDINGS
    clean_output = ("[]",)

    def detect(self, head: str, path: Path) -> bool:
        return starts_json(head, "[", *ITEM_KEYS)

    def read(self, path: Path) -> Report:
        data = read_bytes(path)
        if data.lstrip(BLANK.encode()).startswith(b"{") or data.startswith(
            (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
        ):
            _refuse_an_object(path)
        items = top_structs(
            path,
            load_typed(path, _DECODER, data),
            "a ruff JSON report",
            EXPECTED,
            kind=_Diagnostic,
            keys=ITEM_KEYS,
            clean=self.clean_output,
        )
        report = Report(path=path, format=self.format, tool=TOOL)
        rows: list[Row] = []
        severities: dict[str, Severity] = {}
        for index, item in enumerate(items):
            if type(item) is not _Diagnostic:
                raise not_an_object(path, item, f"diagnostic #{index + 1}")
            _add(report, rows, severities, item, index, "#")
        report.records.extend(from_rows(Fingerprints(TOOL), rows, _FIELDS, tool=TOOL))
        return report


def _refuse_an_object(path: Path) -> None:
    """One object (or JSON lines) where ruff's array was expected: say which reader reads it.
    (Bytes that are no text, or UTF-16 that is no object, get the usual refusal instead.)"""
    if read_text(path).lstrip(BLANK).startswith("{"):
        raise ReportError(
            path,
            f"starts with an object, not ruff's JSON array: expected {EXPECTED}; one object "
            "a line is ruff's json-lines output: read it as ruff-json-lines",
        )


class RuffJsonLinesReader:
    """ruff's JSON-lines output: one diagnostic object a line."""

    format = "ruff-json-lines"
    role = Role.LINTER
    kinds = FINDINGS

    def detect(self, head: str, path: Path) -> bool:
        return starts_json(first_line(head), "{", *ITEM_KEYS)

    def read(self, path: Path) -> Report:
        lines = load_json_lines(path, "ruff's json-lines output", _LINE_DECODER)
        if all(_no_ruff_key(item) for _, item in lines):
            first = load_json_lines(path, "ruff's json-lines output")[0][1]
            raise not_the_format(path, first, "ruff json-lines output", EXPECTED_LINES)
        report = Report(path=path, format=self.format, tool=TOOL)
        rows: list[Row] = []
        severities: dict[str, Severity] = {}
        for number, item in lines:
            _add(report, rows, severities, item, number - 1, "line ")
        report.records.extend(from_rows(Fingerprints(TOOL), rows, _FIELDS, tool=TOOL))
        return report


def _no_ruff_key(item: _Diagnostic) -> bool:
    unset = msgspec.UNSET
    return (
        item.code is unset
        and item.message is unset
        and item.filename is unset
        and (item.location is unset)
    )


def _add(
    report: Report,
    rows: list[Row],
    severities: dict[str, Severity],
    item: _Diagnostic,
    index: int,
    where: str,
) -> None:
    """One diagnostic to a row; without a message or file it is skipped, with the reason."""
    if item.message is msgspec.UNSET or item.filename is msgspec.UNSET:
        report.skipped.append(
            Skipped("a diagnostic without message or filename", f"{where}{index + 1}")
        )
        return
    message = " ".join(str(opt_text(item.message) or "").split())
    if not message:
        report.skipped.append(Skipped("a diagnostic with an empty message", f"{where}{index + 1}"))
        return
    code = opt_text(item.code) or SYNTAX  # null: a syntax error (ruff 0.1–0.8)
    filename = opt_text(item.filename)
    location = item.location
    row = column = None
    if type(location) is _Location:
        row, column = opt_int(location.row), opt_int(location.column)
    name = opt_text(item.name)
    url = opt_text(item.url)
    severity = severities.get(code)
    if severity is None:
        severity = severities[code] = severity_of(code)
    rows.append(
        (
            code,
            filename,
            None,
            message,
            code,
            severity,
            opt_text(item.severity) or "",
            f"{message} ({name})" if name and name != code else message,
            filename,
            row,
            column,
            url if url and url.startswith(("https://", "http://")) else None,
        )
    )

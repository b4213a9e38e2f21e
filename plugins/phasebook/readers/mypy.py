"""mypy's plain text output and its ``-O json`` (``--output json``) JSON lines.

Text: one message a line, ``file:line[:col[:end_line:end_col]]: error|warning|note: text  [code]``
(``file: note: …`` without a line for file-level notes such as ``--show-error-context``'s
``In function "f":``), then a summary line: ``Found N errors in M files (checked K source
files)`` or ``Success: no issues found in K source files``. ``--pretty`` wraps an error's text
onto following unindented lines and adds the source line and a caret line, both indented.
A text report without the summary line may be cut short (or written with
``--no-error-summary``) and is refused; so is one whose error count differs from the summary's
N — mypy counts exactly the ``error`` messages, as this reader does.

Every message is counted:

* an error is a finding;
* a note at the same file and line as the error before it (hints, overload variants, "not
  covered by type: ignore") belongs to that error: skipped with the reason "note on the
  preceding error" and its text as the record;
* a context note (``In function "f":``, ``At top level:``…) is skipped as context;
* any other note (``Revealed type is …``, ``unused section(s)`` in a config file) is kept as
  an info finding of its own;
* lines that are none of these (mypy's config warnings) become report notes.

JSON lines: one object a line ``{file, line, column, end_line, end_column, message, hint, code,
severity}``; a note attached to an error is already inside its ``hint``, so every line is one
record (error → finding, note → info finding). mypy writes nothing but an empty line when
there is nothing to report, which cannot be told from a run that failed, so it is refused as
empty like any empty report.

Severity: mypy has one level, "error", for everything from missing stubs to real bugs, so an
error is medium, a syntax error (``[syntax]``: the file was not checked at all) is high, a
warning low, a note info. Columns are 1-based (the JSON's 0-based ones are shifted). The
fingerprint is tool, code, file and message with line numbers inside the message masked
(``already defined on line 30``), numbered when repeated: never the message's line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec

from phasebook.evidence import Finding, Report, Severity, Skipped
from phasebook.readers.base import (
    ReportError,
    bare_value,
    described,
    first_line,
    head_start,
    not_the_format,
    read_text,
    starts_json,
)
from phasebook.readers.fingerprint import Fingerprints
from phasebook.readers.jsonlines import load_json_lines
from phasebook.readers.roles import FINDINGS, Role
from phasebook.readers.scalars import opt_int, opt_text

TOOL = "mypy"
SEVERITY = {"error": Severity.MEDIUM, "warning": Severity.LOW, "note": Severity.INFO}
_MESSAGE = re.compile(
    r"^(?P<path>[^\s:][^:]*?(?::[\\/][^:]*?)?)"  # a path; C:\ or C:/ drive letters allowed
    r"(?::(?P<line>-?\d+)(?::(?P<col>-?\d+)(?::-?\d+:-?\d+)?)?)?"
    r": (?P<severity>error|warning|note): (?P<text>.*)$"
)
_CODE = re.compile(r"\s*\[(?P<code>[a-z][a-z0-9-]*)\]\s*$")
_FOUND = re.compile(
    r"^Found (?P<errors>\d+) errors? in (?P<files>\d+) files?"
    r" \((?:checked (?P<checked>\d+) source files?"
    r"|(?P<blocked>errors prevented further checking))\)\s*$"
)
_SUCCESS = re.compile(r"^Success: no issues found in (?P<checked>\d+) source files?\s*$")
_CONTEXT = re.compile(r"^(?:In (?:function|member|class) .*|At top level|In module imported here)")
_IN_LINE = re.compile(r"\bline \d+")
JSON_KEYS = ("file", "message", "severity")
EXPECTED_TEXT = (
    "its messages and the summary line ('Found N errors in M files' or 'Success: no issues "
    "found'), as mypy prints them"
)
EXPECTED_JSON = (
    "one message object a line with mypy's keys (file, line, message, severity, code), as "
    "`mypy -O json` writes it"
)


@dataclass
class _Message:
    """One message being read, with the lines ``--pretty`` wrapped it onto."""

    number: int
    path: str
    line: int | None
    column: int | None
    severity: str
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.parts).split())

    @property
    def has_code(self) -> bool:
        return _CODE.search(self.parts[-1]) is not None


def _split_code(text: str) -> tuple[str, str | None]:
    match = _CODE.search(text)
    if match is None:
        return text, None
    return text[: match.start()].rstrip(), match.group("code")


def _fingerprint_text(message: str) -> str:
    """The message without line numbers it may quote: a move must not change the print."""
    return _IN_LINE.sub("line N", message)


def _severity(kind: str, code: str | None) -> Severity:
    if kind == "error" and code == "syntax":
        return Severity.HIGH
    return SEVERITY.get(kind, Severity.INFO)


class MypyTextReader:
    """mypy's default text output, plain or ``--pretty``, with its summary line."""

    format = "mypy-text"
    role = Role.TYPE_CHECKER
    kinds = FINDINGS

    def detect(self, head: str, path: Path) -> bool:
        if head_start(head)[:1] in ("<", "{", "["):
            return False
        for line in head.splitlines():
            if _FOUND.match(line) or _SUCCESS.match(line):
                return True
            match = _MESSAGE.match(line)
            if (
                match
                and match.group("line")
                and (match.group("path").endswith((".py", ".pyi")) or _CODE.search(line))
            ):
                return True
        return False

    def read(self, path: Path) -> Report:
        text = read_text(path)
        if bare_value(text)[0] or head_start(text)[:1] in ("{", "[", "<"):
            raise ReportError(
                path, f"is {described(text)}, not mypy's text output: expected {EXPECTED_TEXT}"
            )
        report = Report(path=path, format=self.format, tool=TOOL)
        messages: list[_Message] = []
        summary: re.Match[str] | None = None
        current: _Message | None = None
        in_source = False
        for number, raw in enumerate(text.splitlines(), 1):
            line = raw.rstrip()
            if not line.strip():
                continue
            found = _FOUND.match(line) or _SUCCESS.match(line)
            if found:
                if summary is not None:
                    raise ReportError(path, f"a second summary line at line {number}: two runs?")
                summary, current = found, None
                continue
            match = _MESSAGE.match(line)
            if match:
                if summary is not None:
                    raise ReportError(path, f"a message after the summary line at line {number}")
                current = _Message(
                    number,
                    match.group("path"),
                    opt_int(match.group("line")),
                    opt_int(match.group("col")),
                    match.group("severity"),
                    [match.group("text")],
                )
                messages.append(current)
                in_source = False
            elif line.startswith(" ") and current is not None:
                in_source = True  # --pretty: the source line and its caret line
            elif (
                current is not None
                and not in_source
                and current.severity == "error"
                and not current.has_code
            ):
                current.parts.append(line)  # --pretty wrapped the error's text
            else:
                report.notes.append(f"line {number}: {line[:200]}")
        if summary is None:
            raise ReportError(
                path,
                "no mypy summary line ('Found N errors in M files' or 'Success: no issues "
                "found'): the report may be cut short, or mypy ran with --no-error-summary",
            )
        _check_summary(path, summary, messages)
        if summary.groupdict().get("blocked"):
            report.notes.append("mypy stopped early: errors prevented further checking")
        _records(report, messages)
        return report


def _check_summary(path: Path, summary: re.Match[str], messages: list[_Message]) -> None:
    stated = int(summary.groupdict().get("errors") or 0)
    errors = sum(1 for message in messages if message.severity == "error")
    if errors != stated:
        raise ReportError(
            path,
            f"the summary line says {stated} errors but the report has {errors} error "
            "messages (cut or edited report?)",
        )


def _records(report: Report, messages: list[_Message]) -> None:
    prints = Fingerprints(TOOL)
    last_error: tuple[str, int | None] | None = None
    for message in messages:
        text, code = _split_code(message.text)
        where = f"{message.path}:{message.line}" if message.line is not None else message.path
        if message.severity == "note":
            if message.line is None and _CONTEXT.match(text):
                report.skipped.append(Skipped("error context (--show-error-context)", where))
                continue
            if last_error == (message.path, message.line):
                report.skipped.append(Skipped("note on the preceding error", f"{where}: {text}"))
                continue
        else:
            last_error = (message.path, message.line) if message.severity == "error" else None
        if not text:
            report.skipped.append(Skipped(f"an empty {message.severity} message", where))
            continue
        report.records.append(
            _finding(
                prints, message.path, message.line, message.column, message.severity, text, code
            )
        )


def _finding(
    prints: Fingerprints,
    file: str | None,
    line: int | None,
    column: int | None,
    kind: str,
    text: str,
    code: str | None,
) -> Finding:
    rule = code or kind
    return Finding(
        tool=TOOL,
        rule=rule,
        severity=_severity(kind, code),
        tool_severity=kind,
        title=text,
        fingerprint=prints(rule, file, None, _fingerprint_text(text)),
        path=file,
        line=line if line is not None and line > 0 else None,
        column=column if column is not None and column > 0 else None,
        url=f"https://mypy.readthedocs.io/en/stable/_refs.html#code-{code}" if code else None,
    )


class MypyJsonReader:
    """mypy's ``-O json`` output: one JSON object a line (mypy 1.11+)."""

    format = "mypy-json"
    role = Role.TYPE_CHECKER
    kinds = FINDINGS

    def detect(self, head: str, path: Path) -> bool:
        return starts_json(first_line(head), "{", "file", "message", "hint", "severity")

    def read(self, path: Path) -> Report:
        report = Report(path=path, format=self.format, tool=TOOL)
        prints = Fingerprints(TOOL)
        try:
            rows = load_json_lines(path, "mypy's -O json output", _LINE)
        except ReportError as error:
            if "empty" not in error.reason:
                raise
            raise ReportError(
                path,
                f"{error.reason}. mypy -O json writes only an empty line when it finds nothing, "
                "which cannot be told from a run that failed: keep mypy's text output (with its "
                "summary line) as the evidence of a clean run",
            ) from None
        unset = msgspec.UNSET
        if all(
            item.file is unset and item.message is unset and item.severity is unset
            for _, item in rows
        ):
            first = load_json_lines(path, "mypy's -O json output")[0][1]
            raise not_the_format(path, first, "mypy -O json output", EXPECTED_JSON)
        for number, item in rows:
            _json_record(report, prints, item, number)
        return report


class _JsonMessage(msgspec.Struct, gc=False):
    """The fields of a ``-O json`` line read; its ``hint`` and end position are skipped."""

    file: Any = msgspec.UNSET
    message: Any = msgspec.UNSET
    severity: Any = msgspec.UNSET
    line: Any = None
    column: Any = None
    code: Any = None


_LINE: msgspec.json.Decoder[_JsonMessage] = msgspec.json.Decoder(_JsonMessage)


def _given(value: Any) -> Any:
    return None if value is msgspec.UNSET else value


def _json_record(report: Report, prints: Fingerprints, item: _JsonMessage, number: int) -> None:
    kind = opt_text(_given(item.severity))
    text = " ".join(str(opt_text(_given(item.message)) or "").split())
    if kind is None or not text:
        report.skipped.append(Skipped("a line without severity or message", f"line {number}"))
        return
    column = opt_int(item.column)
    report.records.append(
        _finding(
            prints,
            opt_text(_given(item.file)),
            opt_int(item.line),
            None if column is None or column < 0 else column + 1,
            kind,
            text,
            opt_text(item.code),
        )
    )

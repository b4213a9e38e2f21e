"""gitleaks JSON reports: v8 (``RuleID``, ``StartLine``) and v7 (``rule``, ``offender``).

A report is an array of leaks, each with gitleaks' keys (a leak without a rule is counted as
skipped). ``[]`` (v8) and ``null`` (v7) are gitleaks' way of saying "no leaks", but any tool,
or a broken run, may leave them too: they are read as zero findings only when the phase
declares ``format: gitleaks-json``, never detected.

The secret itself (``Secret``, ``Match``, ``Line``, v7's ``offender`` and ``line``) is never
read into a record, and every published field is scrubbed of those values as a last guard.
Commit authors and e-mails are not kept either. gitleaks rates nothing: every leak is ``high``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, TypeAlias

import msgspec

from phasebook.evidence import Report, Severity, Skipped
from phasebook.readers.base import ArrayOr, ObjectOr, load_typed, top_structs
from phasebook.readers.columns import Row, from_rows
from phasebook.readers.fingerprint import Fingerprints
from phasebook.readers.redact import hidden, scrub_hidden
from phasebook.readers.roles import FINDINGS, Role
from phasebook.readers.scalars import opt_int, opt_text, text
from phasebook.readers.shapes import not_an_object

TOOL = "gitleaks"
LEAK = Severity.HIGH
"""A leaked credential is high until someone has rotated it; gitleaks gives no rating."""
SECRET_KEYS = ("Secret", "Match", "Line", "offender", "line")
RULE_KEYS = ("RuleID", "rule")

_HEAD = re.compile(r"^\s*\[\s*\{", re.MULTILINE)
"""A top-level array of objects (also after lines a CI step printed before the report)."""
_V8 = (('"RuleID"', '"StartLine"'), ('"StartLine"', '"StartColumn"'))
_V7 = (('"offender"', '"commitMessage"'),)
EXPECTED = (
    "an array of leaks with gitleaks' keys (RuleID, File, StartLine in v8; rule, file, "
    "offender in v7), as `gitleaks detect --report-format json` writes it"
)


class _Leak(msgspec.Struct, gc=False):
    """The fields read of a leak, v8's and v7's; authors and e-mails are skipped."""

    RuleID: Any = msgspec.UNSET
    rule: Any = msgspec.UNSET
    Description: Any = None
    File: Any = None
    file: Any = None
    StartLine: Any = None
    lineNumber: Any = None
    StartColumn: Any = None
    Commit: Any = None
    commit: Any = None
    Secret: Any = None
    Match: Any = None
    Line: Any = None
    offender: Any = None
    line: Any = None


_Document: TypeAlias = ArrayOr[ObjectOr[_Leak]]
_DECODER: msgspec.json.Decoder[_Document] = msgspec.json.Decoder(_Document)
_FIELDS = ("rule", "title", "path", "line", "column")


class GitleaksReader:
    format = "gitleaks-json"
    role = Role.SECRETS_SCANNER
    kinds = FINDINGS
    clean_output = ("[]", "null")

    def detect(self, head: str, path: Path) -> bool:
        if _HEAD.search(head):
            return any(all(key in head for key in keys) for keys in (*_V8, *_V7))
        return False

    def read(self, path: Path) -> Report:
        leaks = top_structs(
            path,
            load_typed(path, _DECODER),
            "a gitleaks report",
            EXPECTED,
            kind=_Leak,
            keys=RULE_KEYS,
            clean=self.clean_output,
        )
        report = Report(path=path, format=self.format, tool=TOOL)
        rows: list[Row] = []
        for index, leak in enumerate(leaks):
            if type(leak) is not _Leak:
                raise not_an_object(path, leak, f"leak #{index + 1}")
            if leak.RuleID is msgspec.UNSET and leak.rule is msgspec.UNSET:
                report.skipped.append(Skipped("a leak without RuleID or rule", f"#{index + 1}"))
                continue
            rows.append(_row(leak))
        report.records.extend(
            from_rows(Fingerprints(TOOL), rows, _FIELDS, tool=TOOL, severity=LEAK, tool_severity="")
        )
        return report


def _row(leak: _Leak) -> Row:
    """A leak's fields, each scrubbed of the secret's texts."""
    secrets = hidden(
        text(value).strip()
        for value in (leak.Secret, leak.Match, leak.Line, leak.offender, leak.line)
    )
    v8 = leak.RuleID is not msgspec.UNSET
    given_rule = None if leak.rule is msgspec.UNSET else leak.rule
    rule_name = opt_text(leak.RuleID if v8 else given_rule) or "secret"
    description = opt_text(leak.Description) or opt_text(given_rule) or rule_name
    file = opt_text(leak.File if v8 else leak.file)
    line = opt_int(leak.StartLine if v8 else leak.lineNumber)
    column = opt_int(leak.StartColumn) if v8 else None
    rule = scrub_hidden(rule_name, secrets)
    path = None if file is None else scrub_hidden(file, secrets)
    title = scrub_hidden(description, secrets)
    commit = text(leak.Commit if v8 else leak.commit).strip()
    return (rule, path, None, f"{title} {commit}".strip(), rule, title, path, line, column)

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
from typing import Any

from phasebook.evidence import Finding, Report, Severity, Skipped
from phasebook.readers.base import load_json, top_array
from phasebook.readers.fingerprint import Fingerprints
from phasebook.readers.redact import scrub, scrub_optional
from phasebook.readers.roles import FINDINGS, Role
from phasebook.readers.scalars import opt_int, opt_text, text
from phasebook.readers.shapes import obj

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
        data = load_json(path)
        leaks = top_array(
            path, data, "a gitleaks report", EXPECTED, keys=RULE_KEYS, clean=self.clean_output
        )
        report = Report(path=path, format=self.format, tool=TOOL)
        prints = Fingerprints(TOOL)
        for index, raw in enumerate(leaks):
            leak = obj(path, raw, f"leak #{index + 1}")
            if leak.keys().isdisjoint(RULE_KEYS):
                report.skipped.append(Skipped("a leak without RuleID or rule", f"#{index + 1}"))
                continue
            report.records.append(_finding(leak, prints))
        return report


def _finding(leak: dict[str, Any], prints: Fingerprints) -> Finding:
    secrets = [text(leak.get(key)).strip() for key in SECRET_KEYS]
    v8 = "RuleID" in leak
    rule_name = opt_text(leak.get("RuleID") if v8 else leak.get("rule")) or "secret"
    description = opt_text(leak.get("Description")) or opt_text(leak.get("rule")) or rule_name
    file = opt_text(leak.get("File") if v8 else leak.get("file"))
    line = opt_int(leak.get("StartLine") if v8 else leak.get("lineNumber"))
    column = opt_int(leak.get("StartColumn")) if v8 else None
    rule = scrub(rule_name, secrets)
    path = scrub_optional(file, secrets)
    title = scrub(description, secrets)
    commit = text(leak.get("Commit") if v8 else leak.get("commit")).strip()
    return Finding(
        tool=TOOL,
        rule=rule,
        severity=LEAK,
        tool_severity="",
        title=title,
        fingerprint=prints(rule, path, None, f"{title} {commit}".strip()),
        path=path,
        line=line,
        column=column,
    )

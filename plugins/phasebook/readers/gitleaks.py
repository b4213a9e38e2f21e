"""gitleaks JSON reports: v8 (``RuleID``, ``StartLine``) and v7 (``rule``, ``offender``).

``null`` (v7) and ``[]`` (v8) are gitleaks' way of saying "no leaks": zero findings. The
secret itself (``Secret``, ``Match``, ``Line``, v7's ``offender`` and ``line``) is never read
into a record, and every published field is scrubbed of those values as a last guard. Commit
authors and e-mails are not kept either. gitleaks rates nothing: every leak is ``high``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from phasebook.evidence import Finding, Report, Severity
from phasebook.readers.base import load_json
from phasebook.readers.values import (
    Fingerprints,
    arr,
    is_empty_body,
    obj,
    opt_int,
    opt_text,
    path_hints,
    scrub,
    scrub_optional,
    text,
)

TOOL = "gitleaks"
LEAK = Severity.HIGH
"""A leaked credential is high until someone has rotated it; gitleaks gives no rating."""
SECRET_KEYS = ("Secret", "Match", "Line", "offender", "line")

_HEAD = re.compile(r"^\s*\[\s*\{", re.MULTILINE)
"""A top-level array of objects (also after lines a CI step printed before the report)."""
_V8 = (('"RuleID"', '"StartLine"'), ('"StartLine"', '"StartColumn"'))
_V7 = (('"offender"', '"commitMessage"'),)


class GitleaksReader:
    format = "gitleaks-json"

    def detect(self, head: str, path: Path) -> bool:
        if _HEAD.search(head):
            return any(all(key in head for key in keys) for keys in (*_V8, *_V7))
        if not is_empty_body(head):
            return False
        if head.strip() == "null":  # gitleaks' own "nothing found"; Trivy's too before 0.20
            return not path_hints(path, "trivy")
        return path_hints(path, "gitleaks")

    def read(self, path: Path) -> Report:
        leaks = arr(path, load_json(path), "the gitleaks report")
        report = Report(path=path, format=self.format, tool=TOOL)
        prints = Fingerprints(TOOL)
        for index, raw in enumerate(leaks):
            leak = obj(path, raw, f"leak #{index + 1}")
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

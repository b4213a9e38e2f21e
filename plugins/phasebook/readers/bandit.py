"""bandit ``-f json``: one finding per result; files bandit could not scan become notes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from phasebook.evidence import Finding, Report, Severity, Skipped, fingerprint
from phasebook.readers.base import ReportError, load_json

SEVERITY = {"HIGH": Severity.HIGH, "MEDIUM": Severity.MEDIUM, "LOW": Severity.LOW}
"""bandit has no "critical"; its UNDEFINED (very old releases) maps to info."""


class BanditReader:
    """bandit's JSON output."""

    format = "bandit-json"

    def detect(self, head: str, path: Path) -> bool:
        if '"runs"' in head:  # bandit's SARIF output is read as SARIF
            return False
        return ('"_totals"' in head and '"SEVERITY.' in head) or (
            '"test_id"' in head and '"issue_severity"' in head
        )

    def read(self, path: Path) -> Report:
        data = load_json(path)
        if not isinstance(data, dict) or not isinstance(data.get("results"), list):
            raise ReportError(path, "not a bandit report: no 'results' list")
        report = Report(path=path, format=self.format, tool="bandit")
        stamp = data.get("generated_at")
        if isinstance(stamp, str):
            try:
                report.generated_at = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
            except ValueError:
                report.notes.append(f"unreadable generated_at {stamp!r}")
        for error in data.get("errors") or []:
            if isinstance(error, dict):
                report.notes.append(f"{error.get('filename', '?')}: {error.get('reason', '?')}")
        for index, result in enumerate(data["results"]):
            finding = _finding(result)
            if finding is None:
                report.skipped.append(Skipped("a result without test_id", f"#{index + 1}"))
            else:
                report.records.append(finding)
        return report


def _finding(result: Any) -> Finding | None:
    if not isinstance(result, dict) or not result.get("test_id"):
        return None
    word = str(result.get("issue_severity") or "UNDEFINED")
    cwe = result.get("issue_cwe")
    cwe_id = cwe.get("id") if isinstance(cwe, dict) else None
    text = str(result.get("issue_text") or result.get("test_name") or "")
    filename = result.get("filename")
    line = result.get("line_number")
    return Finding(
        tool="bandit",
        rule=str(result["test_id"]),
        severity=SEVERITY.get(word.upper(), Severity.INFO),
        tool_severity=word,
        title=f"{result.get('test_name', '')}: {text}".strip(": "),
        fingerprint=fingerprint("bandit", result["test_id"], filename, None, text),
        path=filename,
        line=line if isinstance(line, int) else None,
        column=result.get("col_offset") if isinstance(result.get("col_offset"), int) else None,
        cwe=(f"CWE-{cwe_id}",) if cwe_id else (),
        url=result.get("more_info"),
    )

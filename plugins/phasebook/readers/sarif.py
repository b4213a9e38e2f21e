"""SARIF 2.1.0, from any tool (semgrep, CodeQL, bandit, Trivy, Snyk, gitleaks, checkov, ruff…).

Several runs per file; the tool is each run's ``tool.driver.name``. Severity comes from the
rule's ``security-severity`` (CVSS-like) when there is one, else from the result's ``level``
(or the rule's default level): error → high, warning → medium, note → low, none → info.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from phasebook.evidence import Finding, Report, Severity, Skipped, fingerprint
from phasebook.readers.base import ReportError, load_json

SUPPORTED_VERSIONS = ("2.1.0",)
_LEVELS = {"error": Severity.HIGH, "warning": Severity.MEDIUM, "note": Severity.LOW,
           "none": Severity.INFO}


def _security_severity(rule: dict[str, Any]) -> tuple[Severity, str] | None:
    raw = (rule.get("properties") or {}).get("security-severity")
    if not isinstance(raw, str | int | float):
        return None
    try:
        score = float(raw)
    except (TypeError, ValueError):
        return None
    if score >= 9.0:
        return Severity.CRITICAL, str(raw)
    if score >= 7.0:
        return Severity.HIGH, str(raw)
    if score >= 4.0:
        return Severity.MEDIUM, str(raw)
    return (Severity.LOW if score > 0 else Severity.INFO), str(raw)


class SarifReader:
    """Static Analysis Results Interchange Format, version 2.1.0."""

    format = "sarif"

    def detect(self, head: str, path: Path) -> bool:
        return '"runs"' in head and ("sarif" in head.lower() or '"version"' in head)

    def read(self, path: Path) -> Report:
        data = load_json(path)
        if not isinstance(data, dict) or not isinstance(data.get("runs"), list):
            raise ReportError(path, "not SARIF: no 'runs' list")
        version = data.get("version")
        if version not in SUPPORTED_VERSIONS:
            raise ReportError(
                path,
                f"SARIF version {version!r} is not supported "
                f"(supported: {', '.join(SUPPORTED_VERSIONS)})",
            )
        report = Report(path=path, format=self.format, schema_version=str(version))
        tools = []
        for run in data["runs"]:
            if not isinstance(run, dict):
                raise ReportError(path, "a SARIF run is not an object")
            driver = (run.get("tool") or {}).get("driver") or {}
            name = str(driver.get("name") or "sarif")
            tools.append(name)
            report.tool_version = report.tool_version or driver.get("semanticVersion") or (
                driver.get("version")
            )
            rules = {
                str(rule.get("id")): rule
                for rule in driver.get("rules") or []
                if isinstance(rule, dict)
            }
            for index, result in enumerate(run.get("results") or []):
                finding = _finding(name, rules, result)
                if finding is None:
                    report.skipped.append(Skipped("a result without a message", f"#{index + 1}"))
                else:
                    report.records.append(finding)
        report.tool = ", ".join(dict.fromkeys(tools)) or None
        return report


def _finding(tool: str, rules: dict[str, Any], result: Any) -> Finding | None:
    if not isinstance(result, dict):
        return None
    message = result.get("message") or {}
    text = message.get("text") or message.get("markdown") if isinstance(message, dict) else None
    rule_id = str(result.get("ruleId") or (result.get("rule") or {}).get("id") or "")
    rule = rules.get(rule_id, {})
    if not text:
        text = ((rule.get("shortDescription") or {}).get("text")) if rule else None
    if not text:
        return None
    rated = _security_severity(rule)
    if rated is None:
        level = result.get("level") or (rule.get("defaultConfiguration") or {}).get("level")
        level = str(level or "warning")
        rated = (_LEVELS.get(level, Severity.MEDIUM), level)
    path, line = _location(result)
    tags = (rule.get("properties") or {}).get("tags") or []
    cwe = tuple(
        "CWE-" + tag.split("-")[-1].split(":")[0]
        for tag in tags
        if isinstance(tag, str) and tag.upper().startswith(("CWE-", "EXTERNAL/CWE/CWE-"))
    )
    first_line = " ".join(str(text).split())[:300]
    return Finding(
        tool=tool,
        rule=rule_id or "result",
        severity=rated[0],
        tool_severity=rated[1],
        title=first_line,
        fingerprint=fingerprint(tool, rule_id, path, None, first_line),
        path=path,
        line=line,
        cwe=cwe,
        url=rule.get("helpUri") if isinstance(rule.get("helpUri"), str) else None,
    )


def _location(result: dict[str, Any]) -> tuple[str | None, int | None]:
    for location in result.get("locations") or []:
        physical = (location or {}).get("physicalLocation") or {}
        uri = (physical.get("artifactLocation") or {}).get("uri")
        line = (physical.get("region") or {}).get("startLine")
        if uri:
            return str(uri), line if isinstance(line, int) else None
    return None, None

"""Snyk ``snyk test --json``: one project object, or an array of them (``--all-projects``).

Snyk repeats an issue once per dependency path that pulls the package in. One finding is kept
per project, issue and package; each repeat is counted as skipped, so the read count still
equals the number of entries in ``vulnerabilities``. Container projects carry their
applications' projects under ``applications``, read the same way. Issues ignored or patched
through the Snyk policy (``filtered``) are counted as skipped. Snyk's own error object
(``"ok": false, "error": …``) is refused with its message. Every project must carry Snyk's
``vulnerabilities`` list (empty when it found nothing); ``[]``, ``null`` or an object without
it is refused, never read as a clean scan.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from phasebook.evidence import Finding, Report, Severity, Skipped
from phasebook.readers.base import ReportError, load_json, not_the_format, top_array
from phasebook.readers.fingerprint import Fingerprints
from phasebook.readers.ids import cwe_ids, ids_with_prefix
from phasebook.readers.roles import FINDINGS, Role
from phasebook.readers.scalars import joined, opt_text, text, texts
from phasebook.readers.shapes import arr, obj
from phasebook.readers.titles import vulnerability_title

TOOL = "snyk"
SEVERITY = {
    "critical": Severity.CRITICAL,
    "high": Severity.HIGH,
    "medium": Severity.MEDIUM,
    "low": Severity.LOW,
}
DUPLICATE = "duplicate: same issue via another dependency path"
FILTERED = {"ignore": "ignored in the Snyk policy", "patch": "patched through the Snyk policy"}

_PROJECT_KEYS = ('"packageManager"', '"dependencyCount"', '"upgradePath"', '"isUpgradable"')
_ERROR = re.compile(r'\A\s*\{\s*"ok"\s*:\s*false\s*,\s*"error"\s*:')
WHAT = "a Snyk test report"
EXPECTED = (
    "a project object with a `vulnerabilities` list (or an array of them for "
    "--all-projects), as `snyk test --json` writes it"
)


class SnykReader:
    format = "snyk-json"
    role = Role.DEPENDENCY_SCANNER
    kinds = FINDINGS

    def detect(self, head: str, path: Path) -> bool:
        if '"vulnerabilities"' in head and any(key in head for key in _PROJECT_KEYS):
            return True
        return _ERROR.match(head) is not None

    def read(self, path: Path) -> Report:
        data = load_json(path)
        if isinstance(data, dict) and ("vulnerabilities" in data or "error" in data):
            projects = [data]
        elif isinstance(data, dict):
            raise not_the_format(path, data, WHAT, EXPECTED)
        else:
            projects = top_array(path, data, WHAT, EXPECTED, keys=("vulnerabilities", "error"))
        report = Report(path=path, format=self.format, tool=TOOL)
        prints = Fingerprints(TOOL)
        for raw in projects:
            project = obj(path, raw, "a Snyk project")
            if project.get("ok") is False and "error" in project:
                raise ReportError(
                    path, f"Snyk reported an error: {text(project.get('error'))[:200]}"
                )
            if "vulnerabilities" not in project:
                raise ReportError(
                    path, "not a Snyk test report: a project has no 'vulnerabilities'"
                )
            _read_project(path, report, prints, project)
            for app in arr(path, project.get("applications"), "'applications'"):
                _read_project(path, report, prints, obj(path, app, "an application project"))
        return report


def _read_project(
    path: Path, report: Report, prints: Fingerprints, project: dict[str, Any]
) -> None:
    where = (
        opt_text(project.get("displayTargetFile"))
        or opt_text(project.get("targetFile"))
        or opt_text(project.get("path"))
    )
    seen: set[tuple[str, str]] = set()
    for raw in arr(path, project.get("vulnerabilities"), "'vulnerabilities'"):
        vuln = obj(path, raw, "a vulnerability")
        vuln_id = opt_text(vuln.get("id"))
        if vuln_id is None:
            raise ReportError(path, "a Snyk vulnerability has no 'id'")
        package = opt_text(vuln.get("packageName")) or opt_text(vuln.get("name"))
        key = (vuln_id, package or "")
        if key in seen:
            report.skipped.append(Skipped(DUPLICATE, f"{vuln_id} in {package}"))
            continue
        seen.add(key)
        report.records.append(_finding(vuln, vuln_id, package, where, prints))
    filtered = project.get("filtered")
    if isinstance(filtered, dict):
        for kind, reason in FILTERED.items():
            for item in arr(path, filtered.get(kind), f"'filtered.{kind}'"):
                ident = text(item.get("id")) if isinstance(item, dict) else ""
                report.skipped.append(Skipped(reason, ident))


def _finding(
    vuln: dict[str, Any], vuln_id: str, package: str | None, where: str | None, prints: Fingerprints
) -> Finding:
    word = text(vuln.get("severityWithCritical")) or text(vuln.get("severity"))
    version = opt_text(vuln.get("version"))
    identifiers = vuln.get("identifiers")
    identifiers = identifiers if isinstance(identifiers, dict) else {}
    return Finding(
        tool=TOOL,
        rule=vuln_id,
        severity=SEVERITY.get(word.strip().lower(), Severity.INFO),
        tool_severity=word,
        title=_title(opt_text(vuln.get("title")), vuln_id, package, version),
        fingerprint=prints(vuln_id, where, package, vuln_id),
        path=where,
        cwe=cwe_ids(identifiers.get("CWE")),
        cve=ids_with_prefix(texts(identifiers.get("CVE")), "CVE-"),
        package=package,
        installed_version=version,
        fixed_version=joined(vuln.get("fixedIn")) or opt_text(vuln.get("nearestFixedInVersion")),
    )


def _title(title: str | None, vuln_id: str, package: str | None, version: str | None) -> str:
    """Snyk's titles name the weakness ("Prototype Pollution"); the package makes them useful."""
    if title is None:
        return vulnerability_title(vuln_id, package, version, "")
    return f"{title} in {package}" if package else title

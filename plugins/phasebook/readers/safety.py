"""safety's JSON in each layout it has had.

* 1.x ``check --json``: a bare list of ``[package, spec, version, advisory, id, cvssv2, cvssv3]``;
* 2.x and 3.x ``check --output json``: ``report_meta`` (``json_version`` absent, 1 or 1.1) with
  ``vulnerabilities`` and ``ignored_vulnerabilities``;
* 3.x ``scan --output json``: ``meta.schema_version`` 3.0, vulnerabilities nested per project,
  file, dependency and specification.

safety 1.x writes ``[]`` when it finds nothing; since any tool (or a broken run) may leave
``[]``, it is read as zero findings only when the phase declares ``format: safety-json``,
never detected (2.x and 3.x say so inside their own envelope).

Ignored vulnerabilities are counted as skipped. Without a CVSS rating a vulnerability is medium
(safety's free database rates nothing). Text printed around the JSON (safety 3's deprecation
banner on stdout) is refused: write the report with ``--save-json`` or ``--output json > file``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from phasebook.evidence import Finding, Report, Severity, Skipped
from phasebook.readers.base import ReportError, load_any, not_the_format
from phasebook.readers.fingerprint import Fingerprints
from phasebook.readers.ids import ids_with_prefix
from phasebook.readers.roles import FINDINGS, Role
from phasebook.readers.scalars import joined, opt_text, parse_time, score, text
from phasebook.readers.severity import severity_from_score
from phasebook.readers.shapes import arr, obj
from phasebook.readers.titles import summary_line, vulnerability_title

TOOL = "safety"
CHECK_VERSIONS = (None, "1", "1.1")
"""``report_meta.json_version`` values read (``None``: early 2.x reports without one)."""
SCAN_VERSIONS = ("3.0",)
UNRATED = Severity.MEDIUM
SEVERITY = {
    "critical": Severity.CRITICAL,
    "high": Severity.HIGH,
    "medium": Severity.MEDIUM,
    "low": Severity.LOW,
    "none": Severity.INFO,
}
"""CVSS v3 ``base_severity`` words as safety copies them."""
IGNORED = "ignored by the safety policy"
WHAT = "a safety report"
EXPECTED = (
    "safety's JSON: an object with `report_meta` and `vulnerabilities` (check, 2.x/3.x), an "
    "object with `meta` and `scan_results` (scan, 3.x), or 1.x's list of "
    "[package, spec, version, advisory, id] rows"
)

_LIST = re.compile(r'\A\s*\[\s*\[\s*"')
_CVE = re.compile(r"\bCVE-\d{4}-\d{4,}\b", re.IGNORECASE)


class SafetyReader:
    format = "safety-json"
    role = Role.DEPENDENCY_SCANNER
    kinds = FINDINGS
    clean_output = ("[]",)

    def detect(self, head: str, path: Path) -> bool:
        if _LIST.match(head):
            return True
        if '"report_meta"' in head and '"safety_version"' in head:
            return True
        return '"meta"' in head and '"scan_results"' in head and '"schema_version"' in head

    def read(self, path: Path) -> Report:
        data = load_any(path)
        if isinstance(data, list) and all(isinstance(row, list) for row in data):
            return _read_list(path, self.format, data)  # [] only when declared: never detected
        if isinstance(data, dict) and "report_meta" in data:
            return _read_check(path, self.format, data)
        if isinstance(data, dict) and "scan_results" in data:
            return _read_scan(path, self.format, data)
        raise not_the_format(path, data, WHAT, EXPECTED)


def _read_list(path: Path, format: str, rows: list[Any]) -> Report:
    """safety 1.x: one array per vulnerability."""
    report = Report(path=path, format=format, tool=TOOL)
    prints = Fingerprints(TOOL)
    for index, row in enumerate(rows):
        if not isinstance(row, list) or len(row) < 5:
            raise ReportError(
                path, f"safety 1.x row #{index + 1} is not [package, spec, version, advisory, id]"
            )
        package, version, advisory, vuln_id = (opt_text(row[i]) for i in (0, 2, 3, 4))
        if vuln_id is None:
            raise ReportError(path, f"safety 1.x row #{index + 1} has no vulnerability id")
        cvss = [part for part in row[5:7] if isinstance(part, dict)]
        severity, word = _severity(cvss[::-1])
        report.records.append(
            Finding(
                tool=TOOL,
                rule=vuln_id,
                severity=severity,
                tool_severity=word,
                title=vulnerability_title(vuln_id, package, version, summary_line(advisory)),
                fingerprint=prints(vuln_id, None, package, vuln_id),
                cve=ids_with_prefix(_CVE.findall(advisory or ""), "CVE-"),
                package=package,
                installed_version=version,
            )
        )
    return report


def _read_check(path: Path, format: str, data: dict[str, Any]) -> Report:
    """safety 2.x/3.x ``check``: ``report_meta`` with a flat list of vulnerabilities."""
    meta = obj(path, data["report_meta"], "'report_meta'")
    if "vulnerabilities" not in data:
        raise ReportError(path, "not a safety check report: no 'vulnerabilities'")
    json_version = opt_text(meta.get("json_version"))
    if json_version not in CHECK_VERSIONS:
        supported = ", ".join(v or "none (early 2.x)" for v in CHECK_VERSIONS)
        raise ReportError(
            path, f"unsupported safety json_version {json_version!r}; supported: {supported}"
        )
    report = Report(
        path=path,
        format=format,
        schema_version=json_version,
        tool=TOOL,
        tool_version=opt_text(meta.get("safety_version")),
        generated_at=parse_time(meta.get("timestamp")),
    )
    affected = data.get("affected_packages")
    affected = affected if isinstance(affected, dict) else {}
    prints = Fingerprints(TOOL)
    for raw in arr(path, data.get("vulnerabilities"), "'vulnerabilities'"):
        vuln = obj(path, raw, "a vulnerability")
        if vuln.get("ignored"):
            report.skipped.append(Skipped(IGNORED, _record_id(vuln)))
        else:
            report.records.append(_check_finding(path, vuln, affected, prints))
    for raw in arr(path, data.get("ignored_vulnerabilities"), "'ignored_vulnerabilities'"):
        report.skipped.append(Skipped(IGNORED, _record_id(obj(path, raw, "a vulnerability"))))
    return report


def _record_id(vuln: dict[str, Any]) -> str:
    return f"{text(vuln.get('vulnerability_id'))} in {text(vuln.get('package_name'))}"


def _check_finding(
    path: Path, vuln: dict[str, Any], affected: dict[str, Any], prints: Fingerprints
) -> Finding:
    vuln_id = opt_text(vuln.get("vulnerability_id"))
    if vuln_id is None:
        raise ReportError(path, "a safety vulnerability has no 'vulnerability_id'")
    package = opt_text(vuln.get("package_name"))
    version = opt_text(vuln.get("analyzed_version"))
    cve, severity_info = vuln.get("CVE"), vuln.get("severity")
    ratings = [
        part
        for holder in (severity_info, cve)
        if isinstance(holder, dict)
        for part in (holder.get("cvssv3"), holder.get("cvssv2"))
        if isinstance(part, dict)
    ]
    severity, word = _severity(ratings)
    cve_ids = [cve.get("name") if isinstance(cve, dict) else cve]
    if isinstance(severity_info, dict):
        cve_ids.append(severity_info.get("source"))
    return Finding(
        tool=TOOL,
        rule=vuln_id,
        severity=severity,
        tool_severity=word,
        title=vulnerability_title(vuln_id, package, version, summary_line(vuln.get("advisory"))),
        fingerprint=prints(vuln_id, None, package, vuln_id),
        path=_found_in(vuln, affected, package),
        cve=ids_with_prefix([t for t in (opt_text(c) for c in cve_ids) if t], "CVE-"),
        package=package,
        installed_version=version,
        fixed_version=joined(vuln.get("fixed_versions")),
        url=opt_text(vuln.get("more_info_url")),
    )


def _found_in(vuln: dict[str, Any], affected: dict[str, Any], package: str | None) -> str | None:
    """The requirements file: 3.x puts it on the requirement, 2.x on the affected package."""
    requirement = vuln.get("analyzed_requirement")
    if isinstance(requirement, dict) and opt_text(requirement.get("found")):
        return opt_text(requirement.get("found"))
    wanted = _normalise(package or "")
    for name, entry in affected.items():
        if _normalise(name) == wanted and isinstance(entry, dict):
            return opt_text(entry.get("found"))
    return None


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _severity(ratings: list[dict[str, Any]]) -> tuple[Severity, str]:
    """From CVSS ratings, v3 first: its ``base_severity`` word, else a banded base score."""
    for rating in ratings:
        word = text(rating.get("base_severity")).strip()
        if word.lower() in SEVERITY:
            return SEVERITY[word.lower()], word
    for rating in ratings:
        value = score(rating.get("base_score"))
        if value is not None:
            return severity_from_score(value), f"CVSS {value:g}"
    return UNRATED, ""


def _read_scan(path: Path, format: str, data: dict[str, Any]) -> Report:
    """safety 3.x ``scan``: projects and loose files, each with dependencies and their specs."""
    meta = obj(path, data.get("meta"), "'meta'")
    version = opt_text(meta.get("schema_version"))
    if version not in SCAN_VERSIONS:
        raise ReportError(
            path,
            f"unsupported safety scan schema_version {version!r}; "
            f"supported: {', '.join(SCAN_VERSIONS)}",
        )
    telemetry = meta.get("telemetry")
    report = Report(
        path=path,
        format=format,
        schema_version=version,
        tool=TOOL,
        tool_version=opt_text(telemetry.get("safety_version"))
        if isinstance(telemetry, dict)
        else None,
        generated_at=parse_time(meta.get("timestamp")),
    )
    results = obj(path, data["scan_results"], "'scan_results'")
    files = list(arr(path, results.get("files"), "'scan_results.files'"))
    for project in arr(path, results.get("projects"), "'projects'"):
        files.extend(arr(path, obj(path, project, "a project").get("files"), "a project's files"))
    prints = Fingerprints(TOOL)
    for raw_file in files:
        scanned = obj(path, raw_file, "a scanned file")
        results_of_file = obj(path, scanned.get("results") or {}, "a file's 'results'")
        for raw_dep in arr(path, results_of_file.get("dependencies"), "'dependencies'"):
            dependency = obj(path, raw_dep, "a dependency")
            for raw_spec in arr(path, dependency.get("specifications"), "'specifications'"):
                _scan_spec(path, report, prints, scanned, dependency, obj(path, raw_spec, "a spec"))
    return report


def _scan_spec(
    path: Path,
    report: Report,
    prints: Fingerprints,
    scanned: dict[str, Any],
    dependency: dict[str, Any],
    spec: dict[str, Any],
) -> None:
    package = opt_text(dependency.get("name"))
    raw = text(spec.get("raw"))
    version = raw.partition("==")[2].strip() or None
    vulns = obj(path, spec.get("vulnerabilities") or {}, "a spec's 'vulnerabilities'")
    remediation = vulns.get("remediation")
    fixed = opt_text(remediation.get("recommended")) if isinstance(remediation, dict) else None
    for raw_vuln in arr(path, vulns.get("known_vulnerabilities"), "'known_vulnerabilities'"):
        vuln = obj(path, raw_vuln, "a known vulnerability")
        vuln_id = opt_text(vuln.get("id"))
        if vuln_id is None:
            raise ReportError(path, "a safety scan vulnerability has no 'id'")
        if vuln.get("ignored"):
            report.skipped.append(Skipped(IGNORED, f"{vuln_id} in {package}"))
            continue
        spec_text = opt_text(vuln.get("vulnerable_spec"))
        summary = f"vulnerable {spec_text}" if spec_text else ""
        report.records.append(
            Finding(
                tool=TOOL,
                rule=vuln_id,
                severity=UNRATED,
                tool_severity="",
                title=vulnerability_title(vuln_id, package, version, summary),
                fingerprint=prints(vuln_id, None, package, vuln_id),
                path=opt_text(scanned.get("location")),
                package=package,
                installed_version=version,
                fixed_version=fixed,
            )
        )

"""Trivy ``--format json``: vulnerabilities, misconfigurations, secrets and licenses per target.

SchemaVersion 2 is read (Trivy 0.20 and later); any other SchemaVersion is refused. Two older
shapes without a SchemaVersion are read as well: the bare list of targets Trivy wrote before
0.20 (``null`` when it found nothing) and ``trivy k8s`` cluster reports (``ClusterName``).

A misconfiguration that passed (``--include-non-failures``) and a vulnerability the vendor
marks ``not_affected`` are counted as skipped. A secret's ``Match`` and code lines are never
read into a record: only the rule's title, the file and the line are kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from phasebook.evidence import Finding, Report, Severity, Skipped
from phasebook.readers._deps import (
    Fingerprints,
    arr,
    cwe_ids,
    ids_with_prefix,
    is_empty_body,
    obj,
    opt_int,
    opt_text,
    parse_time,
    path_hints,
    scrub,
    text,
    texts,
    vulnerability_title,
)
from phasebook.readers.base import ReportError, load_json

TOOL = "trivy"
SUPPORTED = (2,)
SEVERITY = {
    "CRITICAL": Severity.CRITICAL,
    "HIGH": Severity.HIGH,
    "MEDIUM": Severity.MEDIUM,
    "LOW": Severity.LOW,
    "UNKNOWN": Severity.INFO,
}
PASSED = {
    "PASS": "misconfiguration check passed",
    "EXCEPTION": "misconfiguration excepted by policy",
}

_V2 = re.compile(r'"SchemaVersion"\s*:\s*-?\d')
_K8S = re.compile(r'\A\s*\{\s*"ClusterName"\s*:')
_LEGACY = re.compile(r'\A\s*\[\s*\{\s*"Target"\s*:')


class TrivyReader:
    format = "trivy-json"

    def detect(self, head: str, path: Path) -> bool:
        if _V2.search(head) and any(
            key in head for key in ('"ArtifactName"', '"ArtifactType"', '"Results"')
        ):
            return True
        if _K8S.match(head) or _LEGACY.match(head):
            return True
        return is_empty_body(head) and path_hints(path, "trivy")

    def read(self, path: Path) -> Report:
        data = load_json(path)
        report = Report(path=path, format=self.format, tool=TOOL)
        if data is None or isinstance(data, list):
            _read_results(
                path, report, Fingerprints(TOOL), arr(path, data, "the target list"), None
            )
            return report
        data = obj(path, data, "the Trivy report")
        if "ClusterName" in data:
            _read_cluster(path, report, data)
            return report
        version = data.get("SchemaVersion")
        if version not in SUPPORTED or isinstance(version, bool):
            raise ReportError(
                path,
                f"unsupported Trivy SchemaVersion {version!r}; supported: "
                f"{', '.join(map(str, SUPPORTED))} (and the pre-0.20 list of targets)",
            )
        report.schema_version = str(version)
        trivy = data.get("Trivy")
        report.tool_version = opt_text(trivy.get("Version")) if isinstance(trivy, dict) else None
        report.generated_at = parse_time(data.get("CreatedAt"))
        _read_results(
            path, report, Fingerprints(TOOL), arr(path, data.get("Results"), "'Results'"), None
        )
        return report


def _read_cluster(path: Path, report: Report, data: dict[str, Any]) -> None:
    """``trivy k8s``: resources (namespace, kind, name) each with their own results."""
    resources: list[Any] = []
    for key in ("Resources", "Vulnerabilities", "Misconfigurations"):
        resources.extend(arr(path, data.get(key), f"'{key}'"))
    prints = Fingerprints(TOOL)
    for raw in resources:
        resource = obj(path, raw, "a cluster resource")
        where = "/".join(
            part for part in (text(resource.get(k)) for k in ("Namespace", "Kind", "Name")) if part
        )
        results = arr(path, resource.get("Results"), "a resource's 'Results'")
        _read_results(path, report, prints, results, where or None)


def _read_results(
    path: Path, report: Report, prints: Fingerprints, results: list[Any], where: str | None
) -> None:
    for raw in results:
        result = obj(path, raw, "a result")
        target = where or opt_text(result.get("Target"))
        for vuln in _items(path, result, "Vulnerabilities"):
            _vulnerability(report, prints, vuln, target)
        for misconfig in _items(path, result, "Misconfigurations"):
            _misconfiguration(report, prints, misconfig, target)
        for secret in _items(path, result, "Secrets"):
            _secret(report, prints, secret, target)
        for license_ in _items(path, result, "Licenses"):
            _license(report, prints, license_, target)


def _items(path: Path, result: dict[str, Any], key: str) -> Iterator[dict[str, Any]]:
    for item in arr(path, result.get(key), f"'{key}'"):
        yield obj(path, item, f"an entry of '{key}'")


def _severity(item: dict[str, Any]) -> tuple[Severity, str]:
    word = text(item.get("Severity")).strip()
    return SEVERITY.get(word.upper(), Severity.INFO), word


def _vulnerability(
    report: Report, prints: Fingerprints, vuln: dict[str, Any], target: str | None
) -> None:
    vuln_id = opt_text(vuln.get("VulnerabilityID"))
    package = opt_text(vuln.get("PkgName"))
    if vuln_id is None:
        report.skipped.append(Skipped("vulnerability without a VulnerabilityID", package or ""))
        return
    if text(vuln.get("Status")) == "not_affected":
        report.skipped.append(Skipped("vendor status: not affected", f"{vuln_id} in {package}"))
        return
    version = opt_text(vuln.get("InstalledVersion"))
    severity, word = _severity(vuln)
    report.records.append(
        Finding(
            tool=TOOL,
            rule=vuln_id,
            severity=severity,
            tool_severity=word,
            title=opt_text(vuln.get("Title")) or vulnerability_title(vuln_id, package, version, ""),
            fingerprint=prints(vuln_id, target, package, vuln_id),
            path=target,
            cwe=cwe_ids(vuln.get("CweIDs")),
            cve=ids_with_prefix([vuln_id, *texts(vuln.get("VendorIDs"))], "CVE-"),
            package=package,
            installed_version=version,
            fixed_version=opt_text(vuln.get("FixedVersion")),
            url=opt_text(vuln.get("PrimaryURL")),
        )
    )


def _misconfiguration(
    report: Report, prints: Fingerprints, item: dict[str, Any], target: str | None
) -> None:
    rule = opt_text(item.get("AVDID")) or opt_text(item.get("ID")) or "misconfiguration"
    status = text(item.get("Status")).upper()
    if status in PASSED:
        report.skipped.append(Skipped(PASSED[status], f"{rule} in {target}"))
        return
    title = opt_text(item.get("Title")) or rule
    message = opt_text(item.get("Message"))
    cause = item.get("CauseMetadata")
    line = opt_int(cause.get("StartLine")) if isinstance(cause, dict) else None
    severity, word = _severity(item)
    report.records.append(
        Finding(
            tool=TOOL,
            rule=rule,
            severity=severity,
            tool_severity=word,
            title=f"{title}: {message}" if message and message != title else title,
            fingerprint=prints(rule, target, None, message or title),
            path=target,
            line=line if line else None,
            url=opt_text(item.get("PrimaryURL")),
        )
    )


def _secret(report: Report, prints: Fingerprints, item: dict[str, Any], target: str | None) -> None:
    """Only the rule's id and title, the file and the line: never ``Match`` or ``Code``."""
    hidden = [text(item.get("Match")).strip()]
    code = item.get("Code")
    lines = code.get("Lines") if isinstance(code, dict) else None
    if isinstance(lines, list):
        hidden += [
            text(x.get("Content")).strip()
            for x in lines
            if isinstance(x, dict) and x.get("IsCause")
        ]
    rule = scrub(opt_text(item.get("RuleID")) or "secret", hidden)
    title = scrub(opt_text(item.get("Title")) or rule, hidden)
    where = scrub(target, hidden) if target else None
    severity, word = _severity(item)
    report.records.append(
        Finding(
            tool=TOOL,
            rule=rule,
            severity=severity,
            tool_severity=word,
            title=title,
            fingerprint=prints(rule, where, None, title),
            path=where,
            line=opt_int(item.get("StartLine")),
        )
    )


def _license(
    report: Report, prints: Fingerprints, item: dict[str, Any], target: str | None
) -> None:
    name = opt_text(item.get("Name")) or "unknown license"
    package = opt_text(item.get("PkgName"))
    where = opt_text(item.get("FilePath")) or target
    category = opt_text(item.get("Category"))
    subject = package or where or "the target"
    severity, word = _severity(item)
    report.records.append(
        Finding(
            tool=TOOL,
            rule=f"license:{name}",
            severity=severity,
            tool_severity=word,
            title=f"License {name}{f' ({category})' if category else ''} in {subject}",
            fingerprint=prints(f"license:{name}", where, package, name),
            path=where,
            package=package,
            url=opt_text(item.get("Link")),
        )
    )

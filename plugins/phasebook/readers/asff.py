"""AWS Security Finding Format (ASFF) JSON, SchemaVersion 2018-10-08.

Three wrappings are read: a bare list (``BatchImportFindings`` input, Prowler's ``-M json-asff``),
``{"Findings": [...]}`` (``aws securityhub get-findings``, Trivy's ASFF template) and
``{"findings": [...]}``. One finding per entry, credited to the product that raised it
(GuardDuty, Inspector, Config, Prowler, Trivy …). Entries that are not open issues (a passed
compliance check, an archived record, a suppressed or resolved workflow) are counted as skipped.

An empty ``{"Findings": []}`` is Security Hub's own "no findings". The other wrappings are
recognised by the ASFF keys of their findings (``SchemaVersion``, ``ProductArn``); an empty
``{"findings": []}`` or ``[]`` says nothing of its format and is read as zero findings only
when the phase declares ``format: asff-json`` (Prowler writes ``[]`` when nothing was found).
A ``NextToken`` says the file holds one page of the answer: that is a note.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from phasebook.evidence import Finding, Report, Severity, Skipped
from phasebook.readers.base import ReportError, load_json, not_the_format, top_array
from phasebook.readers.fingerprint import Fingerprints
from phasebook.readers.ids import ids_with_prefix
from phasebook.readers.roles import FINDINGS, Role
from phasebook.readers.scalars import opt_text, score, text
from phasebook.readers.shapes import arr, obj

SUPPORTED = ("2018-10-08",)
HUB = "aws-securityhub"
LABELS = {
    "CRITICAL": Severity.CRITICAL,
    "HIGH": Severity.HIGH,
    "MEDIUM": Severity.MEDIUM,
    "LOW": Severity.LOW,
    "INFORMATIONAL": Severity.INFO,
}
NORMALIZED = (
    (90, Severity.CRITICAL),
    (70, Severity.HIGH),
    (40, Severity.MEDIUM),
    (1, Severity.LOW),
)
"""ASFF's mapping of ``Severity.Normalized`` (0–100) to labels, used when there is no label."""
CLOSED = {
    ("RecordState", "ARCHIVED"): "archived finding",
    ("Workflow", "SUPPRESSED"): "suppressed in Security Hub",
    ("Workflow", "RESOLVED"): "resolved in Security Hub",
    ("Compliance", "PASSED"): "compliance check passed",
}

_HEAD = re.compile(r'"SchemaVersion"\s*:\s*"\d{4}-\d\d-\d\d"')
_WRAPPED = re.compile(r'\A\s*\{\s*"Findings"\s*:\s*\[')
WHAT = "an ASFF document"
EXPECTED = (
    "AWS Security Finding Format: an array of findings with `SchemaVersion` and "
    "`ProductArn`, or an object with `Findings` (or `findings`) holding them"
)
FINDING_KEYS = ("SchemaVersion", "ProductArn", "GeneratorId")


class AsffReader:
    format = "asff-json"
    role = Role.CLOUD_POSTURE
    kinds = FINDINGS
    clean_output = ("[]",)

    def detect(self, head: str, path: Path) -> bool:
        if _HEAD.search(head) and ('"ProductArn"' in head or '"GeneratorId"' in head):
            return True
        return _WRAPPED.match(head) is not None

    def read(self, path: Path) -> Report:
        data = load_json(path)
        notes = []
        if isinstance(data, dict):
            key = "Findings" if "Findings" in data else "findings"
            if not isinstance(data.get(key), list):
                raise not_the_format(path, data, WHAT, EXPECTED)
            if opt_text(data.get("NextToken")):
                notes.append("the answer has more pages (NextToken): this file holds one page")
            data = data[key]
        else:
            data = top_array(path, data, WHAT, EXPECTED, keys=FINDING_KEYS, clean=self.clean_output)
        entries = [obj(path, e, "an ASFF finding") for e in data]
        report = Report(path=path, format=self.format, schema_version=SUPPORTED[0], notes=notes)
        products: set[str] = set()
        prints: dict[str, Fingerprints] = {}
        for entry in entries:
            version = opt_text(entry.get("SchemaVersion"))
            if version not in SUPPORTED:
                raise ReportError(
                    path,
                    f"unsupported ASFF SchemaVersion {version!r}; "
                    f"supported: {', '.join(SUPPORTED)}",
                )
            product = _product(entry)
            products.add(product)
            reason = _closed(entry)
            if reason:
                report.skipped.append(Skipped(reason, text(entry.get("Id"))))
                continue
            fingerprints = prints.setdefault(product, Fingerprints(product))
            report.records.append(_finding(path, entry, product, fingerprints))
        report.tool = products.pop() if len(products) == 1 else HUB
        return report


def _product(entry: dict[str, Any]) -> str:
    """The product that raised the finding: its name, else the last part of its ARN."""
    fields = entry.get("ProductFields")
    fields = fields if isinstance(fields, dict) else {}
    for name in (
        entry.get("ProductName"),
        fields.get("aws/securityhub/ProductName"),
        fields.get("Product Name"),
        fields.get("ProviderName"),
    ):
        if opt_text(name):
            return text(name).strip()
    arn = text(entry.get("ProductArn"))
    return arn.rpartition("/")[2] or HUB


def _closed(entry: dict[str, Any]) -> str | None:
    workflow = entry.get("Workflow")
    compliance = entry.get("Compliance")
    states = {
        "RecordState": text(entry.get("RecordState")),
        "Workflow": text(workflow.get("Status")) if isinstance(workflow, dict) else "",
        "Compliance": text(compliance.get("Status")) if isinstance(compliance, dict) else "",
    }
    return next(
        (reason for (key, value), reason in CLOSED.items() if states[key].upper() == value), None
    )


def _severity(entry: dict[str, Any]) -> tuple[Severity, str]:
    severity = entry.get("Severity")
    severity = severity if isinstance(severity, dict) else {}
    label = text(severity.get("Label")).strip()
    original = text(severity.get("Original")).strip()
    if label.upper() in LABELS:
        return LABELS[label.upper()], original or label
    normalized = score(severity.get("Normalized"))
    if normalized is not None:
        band = next((s for floor, s in NORMALIZED if normalized >= floor), Severity.INFO)
        return band, original or f"Normalized {normalized:g}"
    return Severity.INFO, original


def _finding(path: Path, entry: dict[str, Any], product: str, prints: Fingerprints) -> Finding:
    resources = entry.get("Resources")
    first = resources[0] if isinstance(resources, list) and resources else {}
    resource = opt_text(first.get("Id")) if isinstance(first, dict) else None
    vulns = [
        obj(path, v, "a vulnerability")
        for v in arr(path, entry.get("Vulnerabilities"), "'Vulnerabilities'")
    ]
    vuln_ids = [t for t in (opt_text(v.get("Id")) for v in vulns) if t]
    packages = vulns[0].get("VulnerablePackages") if vulns else None
    package = packages[0] if isinstance(packages, list) and packages else {}
    package = package if isinstance(package, dict) else {}
    rule = (vuln_ids[0] if vuln_ids else None) or opt_text(entry.get("GeneratorId")) or "asff"
    title = opt_text(entry.get("Title")) or rule
    remediation = entry.get("Remediation")
    recommendation = remediation.get("Recommendation") if isinstance(remediation, dict) else None
    severity, word = _severity(entry)
    name = opt_text(package.get("Name"))
    return Finding(
        tool=product,
        rule=rule,
        severity=severity,
        tool_severity=word,
        title=title,
        fingerprint=prints(rule, resource, name, title),
        path=resource,
        cve=ids_with_prefix(vuln_ids, "CVE-"),
        package=name,
        installed_version=opt_text(package.get("Version")),
        fixed_version=opt_text(package.get("FixedInVersion")),
        url=opt_text(entry.get("SourceUrl"))
        or (opt_text(recommendation.get("Url")) if isinstance(recommendation, dict) else None),
    )

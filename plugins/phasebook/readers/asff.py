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
from typing import Any, TypeAlias

import msgspec

from phasebook.evidence import Finding, Report, Severity, Skipped
from phasebook.readers.base import (
    ArrayOr,
    ObjectOr,
    ReportError,
    load_json,
    load_typed,
    not_the_format,
    top_structs,
)
from phasebook.readers.columns import Row, findings
from phasebook.readers.fingerprint import Fingerprints
from phasebook.readers.ids import ids_with_prefix
from phasebook.readers.roles import FINDINGS, Role
from phasebook.readers.scalars import opt_text, score, text
from phasebook.readers.shapes import arr, not_an_object, obj

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
_UNSET = msgspec.UNSET


# The fields read. Resource details, descriptions, notes and the rest are skipped while
# parsing; each finding then becomes a small object of those fields alone.


class _Id(msgspec.Struct, gc=False):
    Id: Any = None


class _Vulnerability(msgspec.Struct, gc=False):
    Id: Any = None
    VulnerablePackages: Any = None


class _Finding(msgspec.Struct, gc=False):
    SchemaVersion: Any = _UNSET
    ProductArn: Any = _UNSET
    GeneratorId: Any = _UNSET
    Id: Any = None
    ProductName: Any = None
    ProductFields: Any = None
    RecordState: Any = None
    Workflow: Any = None
    Compliance: Any = None
    Resources: ArrayOr[ObjectOr[_Id]] = None
    Vulnerabilities: ArrayOr[ObjectOr[_Vulnerability]] = None
    Title: Any = None
    Remediation: Any = None
    Severity: Any = None
    SourceUrl: Any = None


class _Wrapped(msgspec.Struct, gc=False):
    Findings: ArrayOr[ObjectOr[_Finding]] | msgspec.UnsetType = _UNSET
    findings: ArrayOr[ObjectOr[_Finding]] = None
    NextToken: Any = None


_Document: TypeAlias = _Wrapped | list[ObjectOr[_Finding]] | str | int | float | bool | None
_DECODER: msgspec.json.Decoder[_Document] = msgspec.json.Decoder(_Document)
_FIELDS = (
    "tool",
    "rule",
    "severity",
    "tool_severity",
    "title",
    "path",
    "cve",
    "package",
    "installed_version",
    "fixed_version",
    "url",
)


def _entry(path: Path, finding: Any) -> dict[str, Any]:
    """A decoded finding as the object of the fields read (``None`` for one left out)."""
    if type(finding) is not _Finding:
        raise not_an_object(path, finding, "an ASFF finding")
    entry = {
        name: None if value is _UNSET else value
        for name, value in zip(
            finding.__struct_fields__, msgspec.structs.astuple(finding), strict=True
        )
    }
    entry["Resources"] = _plain(finding.Resources)
    entry["Vulnerabilities"] = _plain(finding.Vulnerabilities)
    return entry


def _plain(items: Any) -> Any:
    """A list of decoded objects as plain objects of their fields; anything else as it is."""
    if not isinstance(items, list):
        return items
    return [
        msgspec.structs.asdict(item) if isinstance(item, msgspec.Struct) else item for item in items
    ]


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
        data = load_typed(path, _DECODER)
        notes = []
        if isinstance(data, _Wrapped):
            found = data.Findings if data.Findings is not _UNSET else data.findings
            if not isinstance(found, list):
                raise not_the_format(path, load_json(path), WHAT, EXPECTED)
            if opt_text(data.NextToken):
                notes.append("the answer has more pages (NextToken): this file holds one page")
            data = found
        else:
            data = top_structs(
                path,
                data,
                WHAT,
                EXPECTED,
                kind=_Finding,
                keys=FINDING_KEYS,
                clean=self.clean_output,
            )
        entries = [_entry(path, e) for e in data]
        report = Report(path=path, format=self.format, schema_version=SUPPORTED[0], notes=notes)
        products: set[str] = set()
        rows: list[Row] = []
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
            rows.append(_row(path, entry, product))
        report.records.extend(_findings(rows))
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


def _row(path: Path, entry: dict[str, Any], product: str) -> Row:
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
    return (
        rule,
        resource,
        name,
        title,
        product,
        rule,
        severity,
        word,
        title,
        resource,
        ids_with_prefix(vuln_ids, "CVE-"),
        name,
        opt_text(package.get("Version")),
        opt_text(package.get("FixedInVersion")),
        opt_text(entry.get("SourceUrl"))
        or (opt_text(recommendation.get("Url")) if isinstance(recommendation, dict) else None),
    )


def _findings(rows: list[Row]) -> list[Finding]:
    """The findings of ``rows`` (each with its product first, after the fingerprint's parts),
    in order; each product's fingerprints are numbered on their own, as their tool's."""
    if not rows:
        return []
    by_product: dict[str, list[int]] = {}
    for index, row in enumerate(rows):
        by_product.setdefault(row[4], []).append(index)
    prints = [""] * len(rows)
    for product, indices in by_product.items():
        rules, paths, packages, titles = zip(*(rows[i][:4] for i in indices), strict=True)
        made = Fingerprints(product).many(rules, paths, packages, titles)
        for index, fingerprint in zip(indices, made, strict=True):
            prints[index] = fingerprint
    columns = list(zip(*rows, strict=True))[4:]
    return findings(len(rows), fingerprint=prints, **dict(zip(_FIELDS, columns, strict=True)))

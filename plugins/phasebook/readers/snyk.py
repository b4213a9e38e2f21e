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
from typing import Any, TypeAlias

import msgspec

from phasebook.evidence import Report, Severity, Skipped
from phasebook.readers.base import (
    ArrayOr,
    ObjectOr,
    ReportError,
    load_json,
    load_typed,
    not_the_format,
    top_structs,
)
from phasebook.readers.columns import Row, from_rows
from phasebook.readers.fingerprint import Fingerprints
from phasebook.readers.ids import cwe_ids, ids_with_prefix
from phasebook.readers.roles import FINDINGS, Role
from phasebook.readers.scalars import joined, opt_text, text, texts
from phasebook.readers.shapes import arr, not_an_object
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
_UNSET = msgspec.UNSET


# The fields read. Advisories' descriptions, dependency paths and upgrade paths (most of a
# report) are skipped while parsing.


class _Identifiers(msgspec.Struct, gc=False):
    CWE: Any = None
    CVE: Any = None


class _Vulnerability(msgspec.Struct, gc=False):
    id: Any = None
    packageName: Any = None
    name: Any = None
    version: Any = None
    title: Any = None
    severity: Any = None
    severityWithCritical: Any = None
    identifiers: ObjectOr[_Identifiers] = None
    fixedIn: Any = None
    nearestFixedInVersion: Any = None


class _Filtered(msgspec.Struct, gc=False):
    ignore: ArrayOr[ObjectOr[_Identified]] = None
    patch: ArrayOr[ObjectOr[_Identified]] = None


class _Identified(msgspec.Struct, gc=False):
    id: Any = None


class _Project(msgspec.Struct, gc=False):
    ok: Any = None
    error: Any = _UNSET
    vulnerabilities: ArrayOr[ObjectOr[_Vulnerability]] | msgspec.UnsetType = _UNSET
    applications: ArrayOr[ObjectOr[_Project]] = None
    displayTargetFile: Any = None
    targetFile: Any = None
    path: Any = None
    filtered: ObjectOr[_Filtered] = None


_Document: TypeAlias = _Project | list[ObjectOr[_Project]] | str | int | float | bool | None
_DECODER: msgspec.json.Decoder[_Document] = msgspec.json.Decoder(_Document)
_FIELDS = (
    "rule",
    "severity",
    "tool_severity",
    "title",
    "path",
    "cwe",
    "cve",
    "package",
    "installed_version",
    "fixed_version",
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
        data = load_typed(path, _DECODER)
        if isinstance(data, _Project) and (
            data.vulnerabilities is not _UNSET or data.error is not _UNSET
        ):
            projects: list[Any] = [data]
        elif isinstance(data, _Project):
            raise not_the_format(path, load_json(path), WHAT, EXPECTED)
        else:
            projects = top_structs(
                path, data, WHAT, EXPECTED, kind=_Project, keys=("vulnerabilities", "error")
            )
        report = Report(path=path, format=self.format, tool=TOOL)
        rows: list[Row] = []
        for project in projects:
            if type(project) is not _Project:
                raise not_an_object(path, project, "a Snyk project")
            if project.ok is False and project.error is not _UNSET:
                raise ReportError(path, f"Snyk reported an error: {text(project.error)[:200]}")
            if project.vulnerabilities is _UNSET:
                raise ReportError(
                    path, "not a Snyk test report: a project has no 'vulnerabilities'"
                )
            _read_project(path, report, rows, project)
            for app in arr(path, project.applications, "'applications'"):
                if type(app) is not _Project:
                    raise not_an_object(path, app, "an application project")
                _read_project(path, report, rows, app)
        report.records.extend(from_rows(Fingerprints(TOOL), rows, _FIELDS, tool=TOOL))
        return report


def _read_project(path: Path, report: Report, rows: list[Row], project: _Project) -> None:
    where = (
        opt_text(project.displayTargetFile)
        or opt_text(project.targetFile)
        or opt_text(project.path)
    )
    seen: set[tuple[str, str]] = set()
    vulnerabilities = None if project.vulnerabilities is _UNSET else project.vulnerabilities
    for vuln in arr(path, vulnerabilities, "'vulnerabilities'"):
        if type(vuln) is not _Vulnerability:
            raise not_an_object(path, vuln, "a vulnerability")
        vuln_id = opt_text(vuln.id)
        if vuln_id is None:
            raise ReportError(path, "a Snyk vulnerability has no 'id'")
        package = opt_text(vuln.packageName) or opt_text(vuln.name)
        key = (vuln_id, package or "")
        if key in seen:
            report.skipped.append(Skipped(DUPLICATE, f"{vuln_id} in {package}"))
            continue
        seen.add(key)
        rows.append(_row(vuln, vuln_id, package, where))
    filtered = project.filtered
    if isinstance(filtered, _Filtered):
        for kind, reason in FILTERED.items():
            for item in arr(path, getattr(filtered, kind), f"'filtered.{kind}'"):
                ident = text(item.id) if isinstance(item, _Identified) else ""
                report.skipped.append(Skipped(reason, ident))


def _row(vuln: _Vulnerability, vuln_id: str, package: str | None, where: str | None) -> Row:
    word = text(vuln.severityWithCritical) or text(vuln.severity)
    version = opt_text(vuln.version)
    identifiers = vuln.identifiers if isinstance(vuln.identifiers, _Identifiers) else None
    return (
        vuln_id,
        where,
        package,
        vuln_id,
        vuln_id,
        SEVERITY.get(word.strip().lower(), Severity.INFO),
        word,
        _title(opt_text(vuln.title), vuln_id, package, version),
        where,
        cwe_ids(identifiers.CWE if identifiers else None),
        ids_with_prefix(texts(identifiers.CVE if identifiers else None), "CVE-"),
        package,
        version,
        joined(vuln.fixedIn) or opt_text(vuln.nearestFixedInVersion),
    )


def _title(title: str | None, vuln_id: str, package: str | None, version: str | None) -> str:
    """Snyk's titles name the weakness ("Prototype Pollution"); the package makes them useful."""
    if title is None:
        return vulnerability_title(vuln_id, package, version, "")
    return f"{title} in {package}" if package else title

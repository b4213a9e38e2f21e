"""Trivy ``--format json``: vulnerabilities, misconfigurations, secrets and licenses per target.

SchemaVersion 2 is read (Trivy 0.20 and later); any other SchemaVersion is refused. Two older
shapes without a SchemaVersion are read as well: the bare list of targets Trivy wrote before
0.20 and ``trivy k8s`` cluster reports (``ClusterName``). Before 0.20 Trivy wrote ``null``
when it found nothing; since any tool (or a broken run) may leave ``null``, it is read as zero
findings only when the phase declares ``format: trivy-json``, never detected. An object
without Trivy's keys, ``[]`` or a scalar is refused.

A misconfiguration that passed (``--include-non-failures``), a vulnerability the vendor marks
``not_affected`` and a finding Trivy lists as suppressed (``ModifiedFindings``, with
``--show-suppressed``) are counted as skipped, as are custom resources and every record of a
section this reader does not know (a key holding a list, in a target or at the top): nothing
a newer Trivy adds vanishes. ``Packages`` (``--list-all-pkgs``) is inventory, not findings,
and is not counted. A cluster resource Trivy could not scan (``Error``) is a note. A
secret's ``Match`` and code lines are never read into a record: only the rule's title, the
file and the line are kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from itertools import repeat
from operator import attrgetter, methodcaller
from pathlib import Path
from typing import Any, TypeAlias, TypeVar

import msgspec

from phasebook.evidence import Finding, Report, Severity, Skipped
from phasebook.readers.base import (
    ArrayOr,
    ObjectOr,
    ReportError,
    load_json,
    load_typed,
    not_the_format,
    read_bytes,
)
from phasebook.readers.columns import findings
from phasebook.readers.fingerprint import Fingerprints
from phasebook.readers.ids import cwe_column, ids_with_prefix
from phasebook.readers.redact import scrub
from phasebook.readers.roles import FINDINGS, Role
from phasebook.readers.scalars import opt_int, opt_text, opt_texts, parse_time, text, texts
from phasebook.readers.shapes import arr, not_an_object
from phasebook.readers.titles import vulnerability_title

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
WHAT = "a Trivy JSON report"
EXPECTED = (
    "an object with `SchemaVersion` 2 and `Results` (trivy --format json), a `trivy k8s` "
    "report with `ClusterName`, or the pre-0.20 list of targets with `Target`"
)
KNOWN_TOP = frozenset(
    {
        "SchemaVersion",
        "CreatedAt",
        "ArtifactID",
        "ArtifactName",
        "ArtifactType",
        "Metadata",
        "Results",
        "Trivy",
        "ReportID",
        "ClusterName",
        "Resources",
        "Vulnerabilities",
        "Misconfigurations",
    }
)
KNOWN_RESULT = frozenset(
    {
        "Target",
        "Class",
        "Type",
        "Layer",
        "Vulnerabilities",
        "MisconfSummary",
        "Misconfigurations",
        "Secrets",
        "Licenses",
        "Packages",
        "CustomResources",
        "ModifiedFindings",
    }
)
"""What a target holds: records read, inventory (``Packages``) and summaries."""
KNOWN_RESOURCE = frozenset({"Namespace", "Kind", "Name", "Metadata", "Results", "Error", "Report"})


# The fields read, as Trivy names them; the rest of the report (descriptions, references,
# code lines, layers) is skipped while parsing. Values are ``Any``: the helpers judge them.


class _Vulnerability(msgspec.Struct, gc=False):
    VulnerabilityID: Any = None
    PkgName: Any = None
    InstalledVersion: Any = None
    FixedVersion: Any = None
    Status: Any = None
    Severity: Any = None
    Title: Any = None
    PrimaryURL: Any = None
    CweIDs: Any = None
    VendorIDs: Any = None


class _Misconfiguration(msgspec.Struct, gc=False):
    AVDID: Any = None
    ID: Any = None
    Status: Any = None
    Severity: Any = None
    Title: Any = None
    Message: Any = None
    CauseMetadata: Any = None
    PrimaryURL: Any = None


class _Secret(msgspec.Struct, gc=False):
    RuleID: Any = None
    Severity: Any = None
    Title: Any = None
    StartLine: Any = None
    Match: Any = None
    Code: Any = None


class _License(msgspec.Struct, gc=False):
    Name: Any = None
    PkgName: Any = None
    FilePath: Any = None
    Category: Any = None
    Severity: Any = None
    Link: Any = None


class _Modified(msgspec.Struct, gc=False):
    Type: Any = None
    Status: Any = None
    Source: Any = None
    Finding: Any = None


class _Custom(msgspec.Struct, gc=False):
    Type: Any = None
    FilePath: Any = None


class _Result(msgspec.Struct, gc=False):
    Target: Any = None
    Vulnerabilities: ArrayOr[ObjectOr[_Vulnerability]] = None
    Misconfigurations: ArrayOr[ObjectOr[_Misconfiguration]] = None
    Secrets: ArrayOr[ObjectOr[_Secret]] = None
    Licenses: ArrayOr[ObjectOr[_License]] = None
    ModifiedFindings: ArrayOr[ObjectOr[_Modified]] = None
    CustomResources: ArrayOr[ObjectOr[_Custom]] = None


class _Resource(msgspec.Struct, gc=False):
    Namespace: Any = None
    Kind: Any = None
    Name: Any = None
    Error: Any = None
    Results: ArrayOr[ObjectOr[_Result]] = None


class _Report(msgspec.Struct, gc=False):
    ClusterName: Any = msgspec.UNSET  # its presence marks a ``trivy k8s`` report
    SchemaVersion: Any = None
    Trivy: Any = None
    CreatedAt: Any = None
    Results: ArrayOr[ObjectOr[_Result]] = None
    Resources: ArrayOr[ObjectOr[_Resource]] = None
    Vulnerabilities: ArrayOr[ObjectOr[_Resource]] = None
    Misconfigurations: ArrayOr[ObjectOr[_Resource]] = None


_Document: TypeAlias = _Report | list[ObjectOr[_Result]] | str | int | float | bool | None
"""A report, the pre-0.20 list of targets, ``null`` or a scalar (refused by the reader)."""
_DECODER: msgspec.json.Decoder[_Document] = msgspec.json.Decoder(_Document)

_Raws: TypeAlias = dict[str, msgspec.Raw]
_Outline: TypeAlias = _Raws | list[_Raws] | None
_OUTLINE: msgspec.json.Decoder[_Outline] = msgspec.json.Decoder(_Outline)
"""The report's objects with each value left as raw JSON: only to find sections not known."""

_S = TypeVar("_S", bound=msgspec.Struct)


class TrivyReader:
    format = "trivy-json"
    role = Role.IMAGE_SCANNER
    kinds = FINDINGS
    clean_output = ("null",)

    def detect(self, head: str, path: Path) -> bool:
        if _V2.search(head) and any(
            key in head for key in ('"ArtifactName"', '"ArtifactType"', '"Results"')
        ):
            return True
        return _K8S.match(head) is not None or _LEGACY.match(head) is not None

    def read(self, path: Path) -> Report:
        raw = read_bytes(path)
        data = load_typed(path, _DECODER, raw)
        report = Report(path=path, format=self.format, tool=TOOL)
        if data is None and "null" in self.clean_output:
            return report  # pre-0.20 Trivy's "nothing found"; reached only when declared
        if isinstance(data, list) and any(
            type(result) is _Result and result.Target is not None for result in data
        ):
            _read_results(path, report, Fingerprints(TOOL), data, None)
        elif not isinstance(data, _Report) or (
            data.ClusterName is msgspec.UNSET and data.SchemaVersion is None
        ):
            raise not_the_format(path, load_json(path), WHAT, EXPECTED)
        elif data.ClusterName is not msgspec.UNSET:
            _read_cluster(path, report, data)
        else:
            _read_v2(path, report, data)
        _unknown_sections(report, _outline(path, raw))
        return report


def _read_v2(path: Path, report: Report, data: _Report) -> None:
    """``SchemaVersion`` 2: the artifact's targets, each with its records."""
    version = data.SchemaVersion
    if version not in SUPPORTED or isinstance(version, bool):
        raise ReportError(
            path,
            f"unsupported Trivy SchemaVersion {version!r}; supported: "
            f"{', '.join(map(str, SUPPORTED))} (and the pre-0.20 list of targets)",
        )
    report.schema_version = str(version)
    trivy = data.Trivy
    report.tool_version = opt_text(trivy.get("Version")) if isinstance(trivy, dict) else None
    report.generated_at = parse_time(data.CreatedAt)
    _read_results(path, report, Fingerprints(TOOL), arr(path, data.Results, "'Results'"), None)


def _read_cluster(path: Path, report: Report, data: _Report) -> None:
    """``trivy k8s``: resources (namespace, kind, name) each with their own results."""
    resources: list[Any] = []
    for key, value in (
        ("Resources", data.Resources),
        ("Vulnerabilities", data.Vulnerabilities),
        ("Misconfigurations", data.Misconfigurations),
    ):
        resources.extend(arr(path, value, f"'{key}'"))
    prints = Fingerprints(TOOL)
    for resource in _structs(path, resources, _Resource, "a cluster resource"):
        where = "/".join(
            part
            for part in (text(resource.Namespace), text(resource.Kind), text(resource.Name))
            if part
        )
        error = opt_text(resource.Error)
        if error:
            report.notes.append(f"Trivy could not scan {where or 'a resource'}: {error[:300]}")
        results = arr(path, resource.Results, "a resource's 'Results'")
        _read_results(path, report, prints, results, where or None)


def _read_results(
    path: Path, report: Report, prints: Fingerprints, results: list[Any], where: str | None
) -> None:
    cwes: dict[tuple[str, ...], tuple[str, ...]] = {}
    for result in _structs(path, results, _Result, "a result"):
        target = where or opt_text(result.Target)
        vulnerabilities = list(
            _items(path, result.Vulnerabilities, _Vulnerability, "Vulnerabilities")
        )
        _vulnerabilities(report, prints, vulnerabilities, target, cwes)
        for misconfig in _items(
            path, result.Misconfigurations, _Misconfiguration, "Misconfigurations"
        ):
            _misconfiguration(report, prints, misconfig, target)
        for secret in _items(path, result.Secrets, _Secret, "Secrets"):
            _secret(report, prints, secret, target)
        for license_ in _items(path, result.Licenses, _License, "Licenses"):
            _license(report, prints, license_, target)
        for modified in _items(path, result.ModifiedFindings, _Modified, "ModifiedFindings"):
            report.skipped.append(_suppressed(modified, target))
        for custom in _items(path, result.CustomResources, _Custom, "CustomResources"):
            where = opt_text(custom.FilePath) or target or ""
            kind = opt_text(custom.Type) or "custom"
            why = f"a Trivy custom resource ({kind}), not a finding"
            report.skipped.append(Skipped(why, where))


def _suppressed(item: _Modified, target: str | None) -> Skipped:
    """A finding Trivy lists as suppressed (``--show-suppressed``): why, and which one."""
    status = opt_text(item.Status) or "suppressed"
    source = opt_text(item.Source)
    finding = item.Finding if isinstance(item.Finding, dict) else {}
    ident = next(
        (
            value
            for key in ("VulnerabilityID", "AVDID", "ID", "RuleID", "Name")
            if (value := opt_text(finding.get(key)))
        ),
        opt_text(item.Type) or "finding",
    )
    why = f"suppressed in Trivy ({status}{f', by {source}' if source else ''})"
    return Skipped(why, f"{ident} in {target}" if target else ident)


def _outline(path: Path, raw: bytes) -> _Outline:
    """The report with raw values, to look for sections; NaN and the like re-encoded first."""
    try:
        return load_typed(path, _OUTLINE, raw)
    except ReportError:  # msgspec refused the bytes and the parsed values are not raw
        return _OUTLINE.decode(msgspec.json.encode(load_json(path)))


def _unknown_sections(report: Report, outline: _Outline) -> None:
    """Every record under a key this reader does not know is counted as skipped, not lost."""
    if isinstance(outline, list):
        _unknown_in_results(report, outline, None)
    elif outline is not None:
        _unknown_in(report, outline, KNOWN_TOP, "the report")
        _unknown_in_results(report, _raws(outline.get("Results")), None)
        if "ClusterName" in outline:
            _unknown_in_cluster(report, outline)


def _unknown_in_cluster(report: Report, outline: _Raws) -> None:
    for key in ("Resources", "Vulnerabilities", "Misconfigurations"):
        for resource in _raws(outline.get(key)):
            parts = (_raw_text(resource.get(part)) for part in ("Namespace", "Kind", "Name"))
            where = "/".join(part for part in parts if part) or None
            _unknown_in(report, resource, KNOWN_RESOURCE, where or "a resource")
            _unknown_in_results(report, _raws(resource.get("Results")), where)


def _unknown_in_results(report: Report, results: list[_Raws], where: str | None) -> None:
    for result in results:
        target = where or _raw_text(result.get("Target")) or "a target"
        _unknown_in(report, result, KNOWN_RESULT, target)


def _unknown_in(report: Report, values: _Raws, known: frozenset[str], where: str) -> None:
    for key, raw in values.items():
        if key in known or bytes(memoryview(raw)[:1]) != b"[":
            continue
        count = len(msgspec.json.decode(raw, type=list[msgspec.Raw]))
        reason = f"Trivy's {key!r} section is not read by this version of Phasebook"
        report.skipped += [Skipped(reason, where)] * count


def _raw_text(raw: msgspec.Raw | None) -> str | None:
    return None if raw is None else opt_text(msgspec.json.decode(raw))


def _raws(raw: msgspec.Raw | None) -> list[_Raws]:
    """A raw list of objects as raw objects; anything else (already refused) as none."""
    if raw is None:
        return []
    try:
        return msgspec.json.decode(raw, type=list[_Raws])
    except msgspec.ValidationError:
        return []


def _structs(path: Path, items: list[Any], kind: type[_S], what: str) -> Iterator[_S]:
    """The items, each an object (decoded as ``kind``), or an error naming what was found."""
    for item in items:
        if type(item) is not kind:
            raise not_an_object(path, item, what)
        yield item


def _items(path: Path, value: Any, kind: type[_S], key: str) -> Iterator[_S]:
    return _structs(path, arr(path, value, f"'{key}'"), kind, f"an entry of '{key}'")


def _severity(word: Any) -> tuple[Severity, str]:
    word = text(word).strip()
    return SEVERITY.get(word.upper(), Severity.INFO), word


def _severities(words: list[Any]) -> tuple[list[Severity], list[str]]:
    """:func:`_severity` of each word, as the column of severities and that of words."""
    try:
        severities = list(map(SEVERITY.get, words))  # as Trivy writes them: the word itself
    except TypeError:  # an array or object among them
        severities = [None]
    if None not in severities:
        return severities, words  # type: ignore[return-value]  # no None in it
    rated = list(map(_severity, words))
    return [severity for severity, _ in rated], [word for _, word in rated]


def _column(name: str, items: list[Any]) -> list[Any]:
    return list(map(attrgetter(name), items))


def _vulnerabilities(
    report: Report,
    prints: Fingerprints,
    vulnerabilities: list[_Vulnerability],
    target: str | None,
    cwes: dict[tuple[str, ...], tuple[str, ...]],
) -> None:
    """One target's vulnerabilities: an image has thousands, so each step runs on a column of
    values (one field of every vulnerability) at a time."""
    if not vulnerabilities:
        return
    ids = opt_texts(_column("VulnerabilityID", vulnerabilities))
    packages = opt_texts(_column("PkgName", vulnerabilities))
    statuses = _column("Status", vulnerabilities)
    if None in ids or "not_affected" in statuses:  # text() of no other value is this word
        kept = []
        for vuln, vuln_id, package, status in zip(
            vulnerabilities, ids, packages, statuses, strict=True
        ):
            if vuln_id is None:
                reason, record = "vulnerability without a VulnerabilityID", package or ""
            elif status == "not_affected":
                reason, record = "vendor status: not affected", f"{vuln_id} in {package}"
            else:
                kept.append((vuln, vuln_id, package))
                continue
            report.skipped.append(Skipped(reason, record))
        if not kept:
            return
        vulnerabilities, ids, packages = (list(column) for column in zip(*kept, strict=True))
    rules: list[str] = ids  # type: ignore[assignment]  # no None left
    versions = opt_texts(_column("InstalledVersion", vulnerabilities))
    titles = opt_texts(_column("Title", vulnerabilities))
    if None in titles:
        titles = [
            title or vulnerability_title(vuln_id, package, version, "")
            for title, vuln_id, package, version in zip(
                titles, rules, packages, versions, strict=True
            )
        ]
    severities, words = _severities(_column("Severity", vulnerabilities))
    report.records.extend(
        findings(
            len(rules),
            tool=repeat(TOOL),
            rule=rules,
            severity=severities,
            tool_severity=words,
            title=titles,
            fingerprint=prints.many(rules, [target] * len(rules), packages, rules),
            path=repeat(target),
            cwe=cwe_column(_column("CweIDs", vulnerabilities), cwes),
            cve=_cves(rules, _column("VendorIDs", vulnerabilities)),
            package=packages,
            installed_version=versions,
            fixed_version=opt_texts(_column("FixedVersion", vulnerabilities)),
            url=opt_texts(_column("PrimaryURL", vulnerabilities)),
        )
    )


def _cves(ids: list[str], vendor_ids: Sequence[Any]) -> list[tuple[str, ...]]:
    """``ids_with_prefix([id, *texts(vendor_ids)], "CVE-")`` of each vulnerability."""
    if vendor_ids.count(None) < len(vendor_ids):
        return [
            ids_with_prefix([vuln_id, *texts(vendor)], "CVE-")
            for vuln_id, vendor in zip(ids, vendor_ids, strict=True)
        ]
    upper = list(map(str.upper, ids))  # each id is stripped already
    if all(map(methodcaller("startswith", "CVE-"), upper)):
        return list(zip(upper))
    return [(cve,) if cve.startswith("CVE-") else () for cve in upper]


def _misconfiguration(
    report: Report, prints: Fingerprints, item: _Misconfiguration, target: str | None
) -> None:
    rule = opt_text(item.AVDID) or opt_text(item.ID) or "misconfiguration"
    status = text(item.Status).upper()
    if status in PASSED:
        report.skipped.append(Skipped(PASSED[status], f"{rule} in {target}"))
        return
    title = opt_text(item.Title) or rule
    message = opt_text(item.Message)
    cause = item.CauseMetadata
    line = opt_int(cause.get("StartLine")) if isinstance(cause, dict) else None
    severity, word = _severity(item.Severity)
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
            url=opt_text(item.PrimaryURL),
        )
    )


def _secret(report: Report, prints: Fingerprints, item: _Secret, target: str | None) -> None:
    """Only the rule's id and title, the file and the line: never ``Match`` or ``Code``."""
    hidden = [text(item.Match).strip()]
    code = item.Code
    lines = code.get("Lines") if isinstance(code, dict) else None
    if isinstance(lines, list):
        hidden += [
            text(x.get("Content")).strip()
            for x in lines
            if isinstance(x, dict) and x.get("IsCause")
        ]
    rule = scrub(opt_text(item.RuleID) or "secret", hidden)
    title = scrub(opt_text(item.Title) or rule, hidden)
    where = scrub(target, hidden) if target else None
    severity, word = _severity(item.Severity)
    report.records.append(
        Finding(
            tool=TOOL,
            rule=rule,
            severity=severity,
            tool_severity=word,
            title=title,
            fingerprint=prints(rule, where, None, title),
            path=where,
            line=opt_int(item.StartLine),
        )
    )


def _license(report: Report, prints: Fingerprints, item: _License, target: str | None) -> None:
    name = opt_text(item.Name) or "unknown license"
    package = opt_text(item.PkgName)
    where = opt_text(item.FilePath) or target
    category = opt_text(item.Category)
    subject = package or where or "the target"
    severity, word = _severity(item.Severity)
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
            url=opt_text(item.Link),
        )
    )

"""semgrep ``--json`` (the CLI) and the Semgrep AppSec Platform's supply-chain vulns API JSON.

CLI: ``{version, results: [{check_id, path, start{line, col}, end, extra{message, severity,
metadata{cwe, owasp, confidence, references}, fingerprint, lines, is_ignored}}], errors: [...],
paths, time, skipped_rules…}``. Old releases (before 1.x) write no ``version``. Each result
is a finding; one marked ``is_ignored`` (``nosemgrep``, shown with ``--disable-nosem``) is
skipped with that reason. Each entry of ``errors`` (a file semgrep could not parse, a rule
that timed out) becomes a report note: semgrep says it could not look there. Each path semgrep
skipped (``paths.skipped``, written with ``--verbose``: too big, excluded, ignored…) is counted
as skipped with semgrep's reason, and a rule it skipped (``skipped_rules``) is a note. A report
must be semgrep's object, ``results`` beside ``errors``: an empty ``results`` in it is semgrep
saying it found nothing; anything else is refused.

Severity: semgrep's legacy ERROR / WARNING / INFO map to high / medium / low (as the Semgrep
platform shows them); the newer CRITICAL / HIGH / MEDIUM / LOW map to themselves; anything
else (EXPERIMENT, INVENTORY) is info. semgrep's word is kept as ``tool_severity``.

Fingerprint: semgrep fills ``extra.lines`` and ``extra.fingerprint`` with "requires login"
when not logged in, so neither is used unless it is a real match hash (which semgrep computes
from the rule, the file and the matched code, never the line). Otherwise tool, rule, file and
message, numbered when repeated.

App API (``GET …/deployments/{id}/ssc-vulns``): ``{vulns: [{title, advisory{ruleId, severity,
references{cveIds, cweIds, urls}}, matchedDependency{name, versionSpecifier},
closestSafeDependency, dependencyFileLocation{path, startLine}, exposureType, triage{status},
repositoryName, groupKey}], hasMore, cursor}``. Each vuln is a finding, except those triaged
FIXED / IGNORED / CLOSED (skipped with the triage status as reason). ``hasMore: true`` is a
note: the file holds one page of the answer only. A page must carry ``vulns`` and
``hasMore``; anything else is refused.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, TypeAlias

import msgspec

from phasebook.evidence import Finding, Report, Severity, Skipped
from phasebook.readers.base import (
    HEAD_BYTES,
    ArrayOr,
    ObjectOr,
    load_any,
    load_json,
    load_typed,
    not_the_format,
    starts_json,
)
from phasebook.readers.columns import Row, from_rows
from phasebook.readers.fingerprint import Fingerprints
from phasebook.readers.ids import cwe_ids, ids_with_prefix
from phasebook.readers.roles import FINDINGS, Role
from phasebook.readers.scalars import opt_int, opt_text, texts
from phasebook.readers.shapes import arr, not_an_object, obj

TOOL = "semgrep"
SEVERITY = {
    "CRITICAL": Severity.CRITICAL,
    "HIGH": Severity.HIGH,
    "ERROR": Severity.HIGH,
    "MEDIUM": Severity.MEDIUM,
    "WARNING": Severity.MEDIUM,
    "LOW": Severity.LOW,
    "INFO": Severity.LOW,
}
LOGIN = "requires login"
_TOP_KEYS = {
    "version",
    "results",
    "errors",
    "paths",
    "time",
    "engine_requested",
    "skipped_rules",
    "interfile_languages_used",
    "profiling_results",
    "explanations",
    "rules_by_engine",
    "mcp_scan_results",
}
_EMPTY = re.compile(r'"results"\s*:\s*\[\s*\]')
_CWE_NUMBER = re.compile(r"^CWE-(\d+)", re.IGNORECASE)
_CLOSED = {"FIXED", "IGNORED", "CLOSED", "AUTO_CLOSED", "REMOVED"}
EXPECTED = (
    "an object with `results` and `errors` lists, as `semgrep --json` writes it (from 0.x to "
    "1.x; SARIF is read as sarif)"
)
EXPECTED_APP = (
    "an object with a `vulns` list and `hasMore`, as the Semgrep AppSec Platform's "
    "deployments ssc-vulns API answers"
)


# The fields of ``semgrep --json`` read; code lines, dataflow traces and the rest are skipped
# while parsing.


class _Position(msgspec.Struct, gc=False):
    line: Any = None
    col: Any = None


class _Metadata(msgspec.Struct, gc=False):
    cwe: Any = None
    shortlink: Any = None
    source: Any = None
    source_rule_url: Any = msgspec.field(default=None, name="source-rule-url")
    references: Any = None


class _Extra(msgspec.Struct, gc=False):
    message: Any = None
    severity: Any = None
    fingerprint: Any = None
    is_ignored: Any = None
    metadata: ObjectOr[_Metadata] = None


class _Result(msgspec.Struct, gc=False):
    check_id: Any = None
    path: Any = None
    start: ObjectOr[_Position] = None
    extra: ObjectOr[_Extra] = None


class _Output(msgspec.Struct, gc=False):
    version: Any = None
    results: ArrayOr[ObjectOr[_Result]] = None
    errors: Any = None
    paths: Any = None
    skipped_rules: Any = None


_Document: TypeAlias = ObjectOr[_Output]
_DECODER: msgspec.json.Decoder[_Document] = msgspec.json.Decoder(_Document)
_NO_EXTRA = _Extra()
_NO_METADATA = _Metadata()
_NO_POSITION = _Position()
_FIELDS = ("rule", "severity", "tool_severity", "title", "path", "line", "column", "cwe", "url")


def _severity(word: str | None) -> Severity:
    return SEVERITY.get((word or "").strip().upper(), Severity.INFO)


def _cwes(values: Any) -> tuple[str, ...]:
    """``["CWE-78: OS Command Injection"]`` (or a single string) to ``("CWE-78",)``."""
    numbers = [m.group(1) for m in (_CWE_NUMBER.match(t.strip()) for t in texts(values)) if m]
    return cwe_ids(numbers)


class SemgrepJsonReader:
    """semgrep's ``--json`` output."""

    format = "semgrep-json"
    role = Role.CODE_SECURITY_SCANNER
    kinds = FINDINGS

    def detect(self, head: str, path: Path) -> bool:
        if not starts_json(head, "{", "results"):
            return False
        if '"check_id"' in head and '"extra"' in head:
            return True
        if not _EMPTY.search(head) or '"errors"' not in head:
            return False
        if len(head) < HEAD_BYTES:  # small enough to be whole: every top key must be semgrep's
            try:
                data = json.loads(head)
            except (ValueError, RecursionError):
                return False
            return isinstance(data, dict) and set(data) <= _TOP_KEYS
        return '"skipped_rules"' in head or '"engine_requested"' in head

    def read(self, path: Path) -> Report:
        data = load_typed(path, _DECODER)
        if not (
            isinstance(data, _Output)
            and isinstance(data.results, list)
            and isinstance(data.errors, list)
        ):
            raise not_the_format(path, load_json(path), "a semgrep --json report", EXPECTED)
        report = Report(path=path, format=self.format, tool=TOOL)
        report.tool_version = opt_text(data.version)
        for index, raw in enumerate(data.errors):
            report.notes.append(_error_note(raw, index))
        rows: list[Row] = []
        cwes: dict[Any, tuple[str, ...]] = {}
        for index, result in enumerate(data.results):
            if type(result) is not _Result:
                raise not_an_object(path, result, f"result #{index + 1}")
            _add_result(report, rows, cwes, result, f"#{index + 1}")
        report.records.extend(from_rows(Fingerprints(TOOL), rows, _FIELDS, tool=TOOL))
        _skipped_paths(path, report, data.paths)
        for raw in arr(path, data.skipped_rules, "semgrep's skipped_rules"):
            rule = opt_text(raw.get("rule_id")) if isinstance(raw, dict) else opt_text(raw)
            details = opt_text(raw.get("details")) if isinstance(raw, dict) else None
            report.notes.append(f"semgrep skipped rule {rule or '?'}: {details or 'no reason'}")
        return report


def _skipped_paths(path: Path, report: Report, paths: Any) -> None:
    """``paths.skipped`` (``--verbose``): files semgrep did not scan, each with its reason."""
    skipped = paths.get("skipped") if isinstance(paths, dict) else None
    for index, raw in enumerate(arr(path, skipped, "semgrep's paths.skipped")):
        entry = raw if isinstance(raw, dict) else {}
        why = opt_text(entry.get("reason")) or "no reason given"
        where = opt_text(entry.get("path")) or opt_text(raw) or f"skipped path #{index + 1}"
        report.skipped.append(Skipped(f"path skipped by semgrep: {why}", where))


def _error_note(raw: Any, index: int) -> str:
    if not isinstance(raw, dict):
        return f"semgrep error #{index + 1}: {str(raw)[:200]}"
    kind = raw.get("type")
    kind_text = opt_text(kind[0] if isinstance(kind, list) and kind else kind) or "error"
    message = " ".join(str(opt_text(raw.get("message")) or "").split())[:300]
    where = opt_text(raw.get("path"))
    level = opt_text(raw.get("level")) or "error"
    return (
        f"semgrep {level}: {kind_text}"
        + (f" in {where}" if where else "")
        + (f": {message}" if message else "")
    )


def _dict(value: Any) -> dict[str, Any]:
    """A nested object, or an empty one when the field is absent or not an object."""
    return value if isinstance(value, dict) else {}


def _add_result(
    report: Report,
    rows: list[Row],
    cwes: dict[Any, tuple[str, ...]],
    result: _Result,
    where: str,
) -> None:
    extra = result.extra if type(result.extra) is _Extra else _NO_EXTRA
    rule = opt_text(result.check_id)
    message = " ".join(str(opt_text(extra.message) or "").split())
    if rule is None:
        report.skipped.append(Skipped("a result without check_id", where))
        return
    if extra.is_ignored is True:
        report.skipped.append(Skipped("ignored with a nosemgrep comment", f"{rule} {where}"))
        return
    file = opt_text(result.path)
    start = result.start if type(result.start) is _Position else _NO_POSITION
    metadata = extra.metadata if type(extra.metadata) is _Metadata else _NO_METADATA
    word = opt_text(extra.severity)
    own = opt_text(extra.fingerprint)
    stable = own if own and own != LOGIN else message
    url = None
    if (
        metadata.shortlink is not None
        or metadata.source is not None
        or metadata.source_rule_url is not None
        or metadata.references is not None
    ):
        links = [
            *texts(metadata.shortlink),
            *texts(metadata.source),
            *texts(metadata.source_rule_url),
            *texts(metadata.references),
        ]
        url = next((link for link in links if link.startswith(("https://", "http://"))), None)
    title = message or rule
    rows.append(
        (
            rule,
            file,
            None,
            stable,
            rule,
            _severity(word),
            word or "",
            title[:300],
            file,
            opt_int(start.line),
            opt_int(start.col),
            _cached_cwes(cwes, metadata.cwe),
            url,
        )
    )


def _cached_cwes(known: dict[Any, tuple[str, ...]], values: Any) -> tuple[str, ...]:
    """:func:`_cwes`, worked out once per distinct text or list of texts (rules repeat)."""
    key = tuple(values) if type(values) is list else values
    try:
        found = known.get(key)
        if found is None:
            found = known[key] = _cwes(values)
    except TypeError:  # an object or array inside: not a key
        return _cwes(values)
    return found


class SemgrepAppReader:
    """The Semgrep platform's supply-chain findings API (``vulns`` pages)."""

    format = "semgrep-app-json"
    role = Role.DEPENDENCY_SCANNER
    kinds = FINDINGS

    def detect(self, head: str, path: Path) -> bool:
        if not starts_json(head, "{", "vulns"):
            return False
        if '"advisory"' in head:
            return any(key in head for key in ('"exposureType"', '"groupKey"', '"repositoryId"'))
        return re.search(r'"vulns"\s*:\s*\[\s*\]', head) is not None and '"hasMore"' in head

    def read(self, path: Path) -> Report:
        data = load_any(path)
        if not isinstance(data, dict) or not isinstance(data.get("vulns"), list):
            raise not_the_format(path, data, "a Semgrep App vulns page", EXPECTED_APP)
        if "hasMore" not in data:
            raise not_the_format(path, data, "a Semgrep App vulns page", EXPECTED_APP)
        report = Report(path=path, format=self.format, tool=TOOL)
        if data.get("hasMore") is True:
            cursor = opt_text(data.get("cursor"))
            report.notes.append(
                "the API has more pages (hasMore: true"
                + (f", cursor {cursor}" if cursor else "")
                + "): this file holds the first page only"
            )
        prints = Fingerprints(TOOL)
        for index, raw in enumerate(data["vulns"]):
            vuln = obj(path, raw, f"vuln #{index + 1}")
            _add_vuln(report, prints, vuln, f"#{index + 1}")
        return report


def _add_vuln(report: Report, prints: Fingerprints, vuln: dict[str, Any], where: str) -> None:
    advisory = _dict(vuln.get("advisory"))
    references = _dict(advisory.get("references"))
    rule = opt_text(advisory.get("ruleId"))
    title = opt_text(vuln.get("title")) or opt_text(advisory.get("title"))
    if rule is None or title is None:
        report.skipped.append(Skipped("a vuln without advisory ruleId or title", where))
        return
    status = (opt_text(_dict(vuln.get("triage")).get("status")) or "").upper()
    if status in _CLOSED:
        report.skipped.append(Skipped(f"triaged {status.lower()} in Semgrep", f"{rule} {where}"))
        return
    dependency = _dict(vuln.get("matchedDependency"))
    package = opt_text(dependency.get("name"))
    version = opt_text(dependency.get("versionSpecifier"))
    location = _dict(vuln.get("dependencyFileLocation"))
    file = opt_text(location.get("path"))
    repository = "/".join(
        t for t in (opt_text(vuln.get("repositoryName")), opt_text(vuln.get("subdirectory"))) if t
    )
    word = opt_text(advisory.get("severity"))
    urls = [u for u in texts(references.get("urls")) if u.startswith(("https://", "http://"))]
    exposure = opt_text(vuln.get("exposureType"))
    safe = _dict(vuln.get("closestSafeDependency"))
    shown = f"{title} ({package} {version})" if package and version else title
    report.records.append(
        Finding(
            tool=TOOL,
            rule=rule,
            severity=_severity(word),
            tool_severity=word or "",
            title=f"{shown}, {exposure.lower()}" if exposure else shown,
            fingerprint=prints(rule, f"{repository}:{file or ''}", package, version or ""),
            path=file,
            line=opt_int(location.get("startLine")) or None,
            cwe=_cwes(references.get("cweIds")),
            cve=ids_with_prefix(texts(references.get("cveIds")), "CVE-"),
            package=package,
            installed_version=version,
            fixed_version=opt_text(safe.get("versionSpecifier")),
            url=urls[0] if urls else None,
        )
    )

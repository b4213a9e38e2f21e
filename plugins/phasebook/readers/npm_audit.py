"""``npm audit --json``: npm 7+'s ``vulnerabilities`` by package and npm 6's ``advisories``.

npm 7 and later (``auditReportVersion: 2``): ``{auditReportVersion, vulnerabilities: {<package>:
{name, severity, isDirect, via: [...], effects, range, nodes, fixAvailable}}, metadata}``. Each
entry of a package's ``via`` is either an advisory object (``{source, name, dependency, title,
url, severity, cwe: [...], cvss, range}``) or the name of a dependency the package is
vulnerable through. Each advisory is one finding; the same advisory (its ``source`` id) for the
same package met again is counted as skipped, as is each ``via`` that only names a dependency
(that dependency's own entry holds the advisory), and a package entry with an empty ``via``.
npm 7+ does not say which version is installed; the fixed version is ``fixAvailable``'s
(``name@version`` when the fix is an upgrade of another package that pulls this one in). An
``auditReportVersion`` other than 2 is refused. ``vulnerabilities: {}`` is npm's own "nothing
found". When ``metadata.vulnerabilities.total`` differs from the number of packages listed,
a note says so.

npm 6: ``{actions, advisories: {<id>: {id, title, module_name, severity, cves, cwe,
vulnerable_versions, patched_versions, findings: [{version, paths}], url}}, muted, metadata}``.
Each advisory is one finding, its installed versions those of its ``findings``, its fixed
versions ``patched_versions`` (none when that is npm's ``<0.0.0``, "no fix"); each ``muted``
entry is counted as skipped. ``advisories: {}`` beside ``actions: []`` is npm's own "nothing
found".

Severity: npm's critical / high / moderate / low / info map to critical / high / medium /
low / info; npm's word is kept as ``tool_severity``. The rule is the GitHub advisory id
(``GHSA-…``) when the advisory names one, else ``npm-<id>``. CVE ids (npm 6) and CWE ids are
kept. The fingerprint is tool, rule and package, numbered when repeated.

npm writes an error object instead of a report when it cannot audit (no lockfile:
``{"error": {"code": "ENOLOCK", …}}``; a registry without the audit endpoint: ``{"message":
"405 Method Not Allowed - POST …/-/npm/v1/security/advisories/bulk", …}``): it is refused with
npm's message, never read as a clean scan. So is anything without the layout's keys.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from phasebook.evidence import Finding, Report, Severity, Skipped
from phasebook.readers.base import ReportError, load_any, not_the_format
from phasebook.readers.fingerprint import Fingerprints
from phasebook.readers.ids import cwe_ids, ids_with_prefix
from phasebook.readers.roles import FINDINGS, Role
from phasebook.readers.scalars import joined, opt_int, opt_text, text, texts
from phasebook.readers.severity import severity_from_word
from phasebook.readers.shapes import arr, obj
from phasebook.readers.titles import vulnerability_title

TOOL = "npm"
SUPPORTED = 2
VIA_DEPENDENCY = "vulnerable through a dependency: the advisory is counted on that dependency"
DUPLICATE = "duplicate: the same advisory for the same package, met again"
NO_VIA = "a vulnerable package without any advisory or dependency in `via`"
MUTED = "muted in npm's audit configuration"
NO_FIX = "<0.0.0"
"""npm 6's ``patched_versions`` when no version is patched."""

_V2 = re.compile(r'"auditReportVersion"\s*:\s*"?\d')
_V1 = re.compile(r'"actions"\s*:\s*\[\s*(?:\]|\{\s*"action"\s*:)')
_ERROR = re.compile(r'\A\s*\{\s*"error"\s*:\s*\{\s*"code"\s*:\s*"E[A-Z0-9_]+"')
_ENDPOINT = "/-/npm/v1/security/"
_GHSA = re.compile(r"\bGHSA(?:-[23456789cfghjmpqrvwx]{4}){3}\b", re.IGNORECASE)
WHAT = "an npm audit report"
EXPECTED = (
    "an object with `auditReportVersion: 2` and `vulnerabilities` (npm 7 and later) or with "
    "`advisories` and `actions` (npm 6), as `npm audit --json` writes it"
)


class NpmAuditReader:
    """``npm audit --json``, npm 6 and npm 7+ layouts."""

    format = "npm-audit-json"
    role = Role.DEPENDENCY_SCANNER
    kinds = FINDINGS

    def detect(self, head: str, path: Path) -> bool:
        if _V2.search(head) and '"vulnerabilities"' in head:
            return True
        if _V1.search(head) and ('"advisories"' in head or '"resolves"' in head):
            return True
        if _ERROR.match(head) and '"summary"' in head:
            return True  # npm's own error object (ENOLOCK, ENOAUDIT…): refused with its message
        return _ENDPOINT in head and '"statusCode"' in head and '"error"' in head

    def read(self, path: Path) -> Report:
        data = load_any(path)
        if not isinstance(data, dict):
            raise not_the_format(path, data, WHAT, EXPECTED)
        if "auditReportVersion" in data:
            return _read_v2(path, data)
        if isinstance(data.get("advisories"), dict) and isinstance(data.get("actions"), list):
            return _read_v1(path, data)
        if "error" in data:
            raise ReportError(path, f"npm reported an error instead of an audit: {_error(data)}")
        raise not_the_format(path, data, WHAT, EXPECTED)


def _error(data: dict[str, Any]) -> str:
    """npm's words for why it wrote no audit: code, summary and detail, else its message."""
    error = data.get("error")
    code: str | None = None
    if isinstance(error, dict):
        code = opt_text(error.get("code"))
        words = " ".join(texts([error.get("summary"), error.get("detail")]))
    else:
        words = text(error)
    words = " ".join(words.split()) or " ".join(text(data.get("message")).split())
    said = f"{code}: {words}" if code and words else code or words
    return said[:400] or "no message"


def _read_v2(path: Path, data: dict[str, Any]) -> Report:
    version = opt_int(data.get("auditReportVersion"))
    if version != SUPPORTED:
        shown = text(data.get("auditReportVersion"))[:20] or "of another type"
        raise ReportError(
            path, f"unsupported npm auditReportVersion {shown}; supported: {SUPPORTED}"
        )
    vulnerabilities = data.get("vulnerabilities")
    if not isinstance(vulnerabilities, dict):
        raise not_the_format(path, data, WHAT, EXPECTED)
    report = Report(path=path, format=NpmAuditReader.format, schema_version="2", tool=TOOL)
    prints = Fingerprints(TOOL)
    seen: set[tuple[str, str]] = set()
    for name, raw in vulnerabilities.items():
        entry = obj(path, raw, f"the vulnerability of {name}")
        via = arr(path, entry.get("via"), f"'via' of {name}")
        if not via:
            report.skipped.append(Skipped(NO_VIA, name))
        for item in via:
            if isinstance(item, str):
                report.skipped.append(Skipped(VIA_DEPENDENCY, f"{name} via {item}"))
                continue
            advisory = obj(path, item, f"an advisory in 'via' of {name}")
            package = opt_text(advisory.get("name")) or name
            rule = _rule(advisory.get("url"), advisory.get("source"), advisory.get("title"))
            key = (text(advisory.get("source")) or rule, package)
            if key in seen:
                report.skipped.append(Skipped(DUPLICATE, f"{rule} in {package}"))
                continue
            seen.add(key)
            report.records.append(
                _finding(
                    prints,
                    advisory,
                    rule,
                    package,
                    word=opt_text(advisory.get("severity")) or opt_text(entry.get("severity")),
                    installed=None,
                    fixed=_fix(entry.get("fixAvailable"), package),
                    cve=(),
                )
            )
    metadata = data.get("metadata")
    counts = metadata.get("vulnerabilities") if isinstance(metadata, dict) else None
    total = opt_int(counts.get("total")) if isinstance(counts, dict) else None
    if total is not None and total != len(vulnerabilities):
        report.notes.append(
            f"npm's metadata counts {total} vulnerable packages, the report lists "
            f"{len(vulnerabilities)}"
        )
    return report


def _read_v1(path: Path, data: dict[str, Any]) -> Report:
    report = Report(path=path, format=NpmAuditReader.format, schema_version="1", tool=TOOL)
    prints = Fingerprints(TOOL)
    for key, raw in data["advisories"].items():
        advisory = obj(path, raw, f"advisory {key}")
        package = opt_text(advisory.get("module_name"))
        rule = _rule(
            advisory.get("github_advisory_id") or advisory.get("url"),
            advisory.get("id") or key,
            advisory.get("title"),
        )
        findings = arr(path, advisory.get("findings"), f"'findings' of advisory {key}")
        versions = [obj(path, f, f"a finding of advisory {key}").get("version") for f in findings]
        patched = opt_text(advisory.get("patched_versions"))
        report.records.append(
            _finding(
                prints,
                advisory,
                rule,
                package,
                word=opt_text(advisory.get("severity")),
                installed=joined(versions),
                fixed=None if patched == NO_FIX else patched,
                cve=ids_with_prefix(texts(advisory.get("cves")), "CVE-"),
            )
        )
    for item in arr(path, data.get("muted"), "'muted'"):
        shown = text(item.get("id")) if isinstance(item, dict) else text(item)
        report.skipped.append(Skipped(MUTED, shown))
    return report


def _rule(reference: Any, source: Any, title: Any) -> str:
    """The GitHub advisory id in ``reference`` (an id or a URL), else ``npm-<source>``."""
    match = _GHSA.search(text(reference))
    if match:
        return "GHSA" + match.group(0)[4:].lower()
    ident = opt_text(source)
    return f"npm-{ident}" if ident else opt_text(title) or "npm-advisory"


def _fix(value: Any, package: str) -> str | None:
    """``fixAvailable``'s version: ``true`` and ``false`` name none; a fix that upgrades
    another package (the one that pulls this one in) is ``name@version``."""
    if not isinstance(value, dict):
        return None
    name, version = opt_text(value.get("name")), opt_text(value.get("version"))
    if version is None:
        return None
    return version if name in (None, package) else f"{name}@{version}"


def _finding(
    prints: Fingerprints,
    advisory: dict[str, Any],
    rule: str,
    package: str | None,
    *,
    word: str | None,
    installed: str | None,
    fixed: str | None,
    cve: tuple[str, ...],
) -> Finding:
    url = opt_text(advisory.get("url"))
    return Finding(
        tool=TOOL,
        rule=rule,
        severity=severity_from_word(word, Severity.INFO),
        tool_severity=word or "",
        title=_title(opt_text(advisory.get("title")), rule, package, installed),
        fingerprint=prints(rule, None, package, rule),
        cwe=cwe_ids(advisory.get("cwe")),
        cve=cve,
        package=package,
        installed_version=installed,
        fixed_version=fixed,
        url=url if url and url.startswith(("https://", "http://")) else None,
    )


def _title(title: str | None, rule: str, package: str | None, version: str | None) -> str:
    """npm's advisory title, with the package when the title does not name it already."""
    if title is None:
        return vulnerability_title(rule, package, version, "")
    if package is None or re.search(rf"(?<![\w.-]){re.escape(package)}(?![\w.-])", title, re.I):
        return title
    return f"{title} in {package}"

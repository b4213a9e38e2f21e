"""pip-audit ``-f json``: the old bare list of dependencies, and ``{dependencies, fixes}``.

pip-audit rates no vulnerability, so every finding is ``medium`` with an empty tool severity.
A dependency it could not audit (``skip_reason``) has no vulnerability record to count, so it
is kept as a note on the report ("not audited"), shown on the findings page.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from phasebook.evidence import Finding, Report, Severity
from phasebook.readers.base import ReportError, load_json
from phasebook.readers.values import (
    Fingerprints,
    arr,
    ids_with_prefix,
    is_empty_body,
    joined,
    obj,
    opt_text,
    path_hints,
    summary_line,
    texts,
    vulnerability_title,
)

TOOL = "pip-audit"
UNRATED = Severity.MEDIUM
"""pip-audit gives no severity; a known vulnerability is neither info nor proven high."""

_NEW = re.compile(r'^\s*\{\s*"dependencies"\s*:\s*\[', re.MULTILINE)
"""``dependencies`` as the first key (also after warnings pip-audit printed before the JSON)."""
_OLD = re.compile(r'\A\s*\[\s*\{\s*"name"\s*:')


class PipAuditReader:
    format = "pip-audit-json"

    def detect(self, head: str, path: Path) -> bool:
        if _NEW.search(head):
            return True
        if _OLD.match(head):
            return '"vulns"' in head or '"skip_reason"' in head
        return (
            is_empty_body(head)
            and head.strip() != "null"
            and path_hints(path, "pip-audit", "pip_audit")
        )

    def read(self, path: Path) -> Report:
        data = load_json(path)
        if isinstance(data, dict):
            if "dependencies" not in data:
                raise ReportError(path, "not a pip-audit report: the object has no 'dependencies'")
            dependencies = arr(path, data["dependencies"], "'dependencies'")
        else:
            dependencies = arr(path, data, "the pip-audit report")
        report = Report(path=path, format=self.format, tool=TOOL)
        prints = Fingerprints(TOOL)
        for index, raw in enumerate(dependencies):
            dependency = obj(path, raw, f"dependency #{index + 1}")
            reason = opt_text(dependency.get("skip_reason"))
            if reason is not None:
                name = opt_text(dependency.get("name")) or f"dependency #{index + 1}"
                report.notes.append(f"{name} not audited: {reason}")
            for vuln in arr(path, dependency.get("vulns"), f"'vulns' of dependency #{index + 1}"):
                report.records.append(_finding(path, dependency, vuln, prints))
        return report


def _finding(path: Path, dependency: dict[str, Any], raw: Any, prints: Fingerprints) -> Finding:
    vuln = obj(path, raw, "a vulnerability")
    vuln_id = opt_text(vuln.get("id"))
    if vuln_id is None:
        raise ReportError(path, "a pip-audit vulnerability has no 'id'")
    package = opt_text(dependency.get("name"))
    version = opt_text(dependency.get("version"))
    title = vulnerability_title(vuln_id, package, version, summary_line(vuln.get("description")))
    return Finding(
        tool=TOOL,
        rule=vuln_id,
        severity=UNRATED,
        tool_severity="",
        title=title,
        fingerprint=prints(vuln_id, None, package, vuln_id),
        cve=ids_with_prefix([vuln_id, *texts(vuln.get("aliases"))], "CVE-"),
        package=package,
        installed_version=version,
        fixed_version=joined(vuln.get("fix_versions")),
    )

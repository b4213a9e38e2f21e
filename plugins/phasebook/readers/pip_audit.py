"""pip-audit ``-f json``: the old bare list of dependencies, and ``{dependencies, fixes}``.

pip-audit rates no vulnerability, so every finding is ``medium`` with an empty tool severity.
A dependency it could not audit (``skip_reason``) has no vulnerability record to count, so it
is kept as a note on the report ("not audited"), shown on the findings page.

``{"dependencies": []}`` is pip-audit's own "nothing to audit". The old layout's ``[]`` is its
clean output too, but any tool (or a broken run) may leave ``[]``: it is read as zero
findings only when the phase declares ``format: pip-audit-json``, never detected.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from phasebook.evidence import Finding, Report, Severity
from phasebook.readers.base import ReportError, load_any, not_the_format, top_array
from phasebook.readers.fingerprint import Fingerprints
from phasebook.readers.ids import ids_with_prefix
from phasebook.readers.roles import FINDINGS, Role
from phasebook.readers.scalars import joined, opt_text, texts
from phasebook.readers.shapes import arr, obj
from phasebook.readers.titles import summary_line, vulnerability_title

TOOL = "pip-audit"
UNRATED = Severity.MEDIUM
"""pip-audit gives no severity; a known vulnerability is neither info nor proven high."""

_NEW = re.compile(r'^\s*\{\s*"dependencies"\s*:\s*\[', re.MULTILINE)
"""``dependencies`` as the first key (also after warnings pip-audit printed before the JSON)."""
_OLD = re.compile(r'\A\s*\[\s*\{\s*"name"\s*:')
EXPECTED = (
    "an object with a `dependencies` list (or the old bare list of dependencies with `name` "
    "and `vulns`), as `pip-audit -f json` writes it"
)
WHAT = "a pip-audit report"


class PipAuditReader:
    format = "pip-audit-json"
    role = Role.DEPENDENCY_SCANNER
    kinds = FINDINGS
    clean_output = ("[]",)

    def detect(self, head: str, path: Path) -> bool:
        if _NEW.search(head):
            return True
        if _OLD.match(head):
            return '"vulns"' in head or '"skip_reason"' in head
        return False

    def read(self, path: Path) -> Report:
        data = load_any(path)
        if isinstance(data, dict):
            if not isinstance(data.get("dependencies"), list):
                raise not_the_format(path, data, WHAT, EXPECTED)
            dependencies = data["dependencies"]
        else:
            dependencies = top_array(
                path, data, WHAT, EXPECTED, keys=("vulns", "skip_reason"), clean=self.clean_output
            )
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

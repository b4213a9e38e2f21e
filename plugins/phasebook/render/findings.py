"""What the findings tables show: findings grouped by rule, and the columns a report fills.

Shared by the phase's findings page and the report details pages, so both count alike.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from markupsafe import Markup

from phasebook.escape import anchor, cell, text, trusted
from phasebook.evidence import SEVERITY_ORDER, Finding, Report, Severity

RULE_LIMIT = 200
"""Rows of a "By rule" table; the rest are counted in one line under it."""

OPTIONAL_COLUMNS = ("package", "installed", "fixed", "ids")
"""Finding columns shown only when a row of the report fills them."""


@dataclass(frozen=True)
class RuleGroup:
    """The findings of one tool's rule at one severity: how many, and the first of them."""

    tool: str
    rule: str
    severity: Severity
    count: int
    example: Finding

    @property
    def rank(self) -> int:
        """The severity's place, most severe first (the sort key of a severity cell)."""
        return severity_rank(self.severity)


def rule_groups(reports: Iterable[Report]) -> list[RuleGroup]:
    """Findings grouped by (tool, rule, severity): most severe first, then most numerous.

    The example of a group is its first finding by location (path, then line).
    """
    counts: dict[tuple[str, str, Severity], int] = {}
    examples: dict[tuple[str, str, Severity], Finding] = {}
    for report in reports:
        for finding in report.findings:
            key = (finding.tool, finding.rule, finding.severity)
            counts[key] = counts.get(key, 0) + 1
            best = examples.get(key)
            if best is None or _where(finding) < _where(best):
                examples[key] = finding
    groups = [RuleGroup(*key, count, examples[key]) for key, count in counts.items()]
    groups.sort(key=lambda g: (g.rank, -g.count, g.tool, g.rule))
    return groups


def _where(finding: Finding) -> tuple[bool, str, int]:
    return (finding.path is None, finding.path or "", finding.line or 0)


def finding_columns(findings: Iterable[Finding]) -> frozenset[str]:
    """Which of :data:`OPTIONAL_COLUMNS` a set of findings fills: a column every row would leave
    empty is not shown."""
    found: set[str] = set()
    for finding in findings:
        if finding.package:
            found.add("package")
        if finding.installed_version:
            found.add("installed")
        if finding.fixed_version:
            found.add("fixed")
        if finding.cwe or finding.cve:
            found.add("ids")
        if len(found) == len(OPTIONAL_COLUMNS):
            break
    return frozenset(found)


def severity_rank(severity: Severity) -> int:
    """A severity's place, most severe first: what a severity cell sorts by."""
    return SEVERITY_ORDER.index(severity)


_SEVERITY_CELLS = {
    severity: f'<td data-sort="{severity_rank(severity)}"><span class="pb-severity '
    f'pb-severity--{anchor(severity.value)}">{text(severity.value)}</span></td>'
    for severity in SEVERITY_ORDER
}


def finding_rows(
    findings: Iterable[Finding], shown: frozenset[str], location: Callable[[Finding], Markup]
) -> Markup:
    """The rows of a report's findings table: severity, rule, title, location, then the
    optional columns in ``shown``.

    Written in Python rather than a template loop: a details page holds a thousand rows, and
    a hundred thousand findings through Jinja macro calls cost more than the pages around them.
    Every field still goes through :mod:`phasebook.escape`.
    """
    package, installed = "package" in shown, "installed" in shown
    fixed, ids = "fixed" in shown, "ids" in shown
    rows = []
    for finding in findings:
        row = [
            "<tr>",
            _SEVERITY_CELLS[finding.severity],
            f"<td>{cell(finding.rule)}</td><td>{text(finding.title)}</td>",
            f"<td>{location(finding)}</td>",
        ]
        if package:
            row.append(f"<td>{cell(finding.package)}</td>")
        if installed:
            row.append(f"<td>{cell(finding.installed_version)}</td>")
        if fixed:
            row.append(f"<td>{cell(finding.fixed_version)}</td>")
        if ids:
            row.append(f"<td>{cell(', '.join((*finding.cwe, *finding.cve)))}</td>")
        row.append("</tr>\n")
        rows.append("".join(row))
    return trusted("".join(rows))

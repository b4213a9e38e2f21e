"""What the findings tables show: findings grouped by rule, and the columns a report fills.

Shared by the phase's findings page and the report details pages, so both count alike.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from operator import attrgetter

from markupsafe import Markup

from phasebook.escape import anchor, literal, literal_cell, text, trusted
from phasebook.evidence import SEVERITY_ORDER, SEVERITY_RANK, Finding, Report, Severity

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
    return merged_groups(report_groups(report) for report in reports)


def report_groups(report: Report) -> list[RuleGroup]:
    """One report's :func:`rule_groups`, in no order: what :func:`merged_groups` combines."""
    findings = report.findings
    counts = Counter(map(_GROUP_KEY, findings))
    # Each key's first finding by location (report order among equals: the sort is stable):
    # going through them from the last, the value a key is left with is its first.
    ordered = sorted(findings, key=_where)
    examples = dict(zip(map(_GROUP_KEY, reversed(ordered)), reversed(ordered), strict=True))
    return [RuleGroup(*key, count, examples[key]) for key, count in counts.items()]


def merged_groups(parts: Iterable[list[RuleGroup]]) -> list[RuleGroup]:
    """Groups of several reports as one list: counts of a key added, its earliest example."""
    merged: dict[tuple[str, str, Severity], RuleGroup] = {}
    for groups in parts:
        for group in groups:
            key = (group.tool, group.rule, group.severity)
            known = merged.get(key)
            if known is None:
                merged[key] = group
            else:
                example = group.example
                if not _where(example) < _where(known.example):
                    example = known.example
                merged[key] = RuleGroup(*key, known.count + group.count, example)
    return sorted(merged.values(), key=lambda g: (g.rank, -g.count, g.tool, g.rule))


_GROUP_KEY = attrgetter("tool", "rule", "severity")


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
    return SEVERITY_RANK[severity]


_SEVERITY_CELLS = {
    severity: f'<td data-sort="{severity_rank(severity)}"><span class="pb-severity '
    f'pb-severity--{anchor(severity.value)}">{text(severity.value)}</span></td>'
    for severity in SEVERITY_ORDER
}


def finding_rows(
    findings: Iterable[Finding],
    shown: frozenset[str],
    location: Callable[[Finding], str] | None = None,
) -> Markup:
    """The rows of a report's findings table: severity, rule, title, location, then the
    optional columns in ``shown``.

    Written in Python rather than a template loop, and with plain strings rather than a
    :class:`~markupsafe.Markup` per cell: a details page holds a thousand rows, and a hundred
    thousand findings through Jinja macro calls cost more than the pages around them. Every
    field still goes through :mod:`phasebook.escape` (:func:`~phasebook.escape.literal`).
    """
    where = location or finding_location
    optional: list[Callable[[Finding], str]] = [
        column for name, column in _OPTIONAL_CELLS if name in shown
    ]
    rows = [
        f"<tr>{_SEVERITY_CELLS[finding.severity]}<td>{literal_cell(finding.rule)}</td>"
        f"<td>{literal(finding.title)}</td><td>{where(finding)}</td>"
        f"{''.join(column(finding) for column in optional)}</tr>\n"
        for finding in findings
    ]
    return trusted("".join(rows))


def finding_location(finding: Finding) -> str:
    """Where a finding is, as code: ``path:line``, or a dash without a path."""
    if not finding.path:
        return "—"
    where = finding.path if finding.line is None else f"{finding.path}:{finding.line}"
    return f"<code>{literal(where)}</code>"


_OPTIONAL_CELLS: tuple[tuple[str, Callable[[Finding], str]], ...] = (
    ("package", lambda finding: f"<td>{literal_cell(finding.package)}</td>"),
    ("installed", lambda finding: f"<td>{literal_cell(finding.installed_version)}</td>"),
    ("fixed", lambda finding: f"<td>{literal_cell(finding.fixed_version)}</td>"),
    ("ids", lambda finding: f"<td>{literal_cell(', '.join((*finding.cwe, *finding.cve)))}</td>"),
)
"""The optional columns' cells, in :data:`OPTIONAL_COLUMNS` order."""

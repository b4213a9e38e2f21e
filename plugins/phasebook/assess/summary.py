"""Per-phase numbers from the evidence: counts by severity and tool, tests, coverage.

Derived once here so the findings page, the dashboards and the CLI show the same numbers.
Findings are kept apart by what found them (the role its reader declares): vulnerabilities
come from security scanners (``readers.roles.SECURITY_ROLES``), lint and type findings from
linters and type checkers, and a count of one is never shown as the other.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from phasebook.collect import PhaseEvidence
from phasebook.evidence import (
    SEVERITY_RANK,
    FileCoverage,
    Finding,
    Measurement,
    Outcome,
    Report,
    ResourceChange,
    Severity,
    TestResult,
)
from phasebook.model import ReportRef
from phasebook.readers.registry import role_of
from phasebook.readers.roles import SECURITY_ROLES, Role

LINT_ROLES: frozenset[Role] = frozenset({Role.LINTER, Role.TYPE_CHECKER})
"""Roles whose findings are lint and type findings: code quality, never vulnerabilities."""


def is_security_report(report: Report) -> bool:
    """Whether the report's findings are vulnerabilities (its reader is a security scanner)."""
    return role_of(report.format) in SECURITY_ROLES


def is_lint_report(report: Report) -> bool:
    """Whether the report's findings are lint or type findings (a linter, a type checker)."""
    return role_of(report.format) in LINT_ROLES


def audited_nothing(report: Report) -> str | None:
    """Why a scanner's report is no evidence of a clean scan, or ``None`` when it is evidence.

    A report audited nothing when it kept no record at all and either skipped records (every
    record it saw was skipped) or says what the tool could not do (``Report.notes``: a
    dependency pip-audit could not audit, a SARIF run that did not succeed, a target Trivy
    could not scan). Its zero is then no finding *because nothing was checked*, not a clean
    result. A report that kept no record and says nothing else is the tool's own "nothing
    found" (the reader refuses lookalikes of it), and a report with any record checked
    something.
    """
    if report.records:
        return None
    if report.skipped:
        reasons = "; ".join(report.skipped_by_reason)
        return f"every one of its {len(report.skipped)} record(s) was skipped ({reasons})"
    if report.notes:
        more = len(report.notes) - 1
        rest = f" (and {more} more note{'s' if more != 1 else ''})" if more else ""
        return f"no record kept, and it says what it could not check — {report.notes[0]}{rest}"
    return None


@dataclass(frozen=True)
class ReportSummary:
    """One report's line on the findings page."""

    ref: ReportRef
    report: Report
    slug: str

    @property
    def title(self) -> str:
        return self.ref.title or self.report.path.name


@dataclass
class Series:
    """One measured quantity of a report (a name and its labels) over all its samples."""

    report: ReportSummary
    name: str
    labels: tuple[tuple[str, str], ...]
    unit: str
    count: int
    last: float
    minimum: float
    maximum: float

    @property
    def label_text(self) -> str:
        return ", ".join(f"{key}={value}" for key, value in self.labels)


def _series(item: ReportSummary, measurements: list[Measurement]) -> list[Series]:
    """Samples grouped by name and labels, in the order first seen; ``last`` is the latest."""
    groups: dict[tuple[str, tuple[tuple[str, str], ...], str], list[Measurement]] = {}
    for sample in measurements:
        groups.setdefault((sample.name, sample.labels, sample.unit), []).append(sample)
    result = []
    for (name, labels, unit), samples in groups.items():
        stamped = [(s.timestamp.timestamp(), s) for s in samples if s.timestamp is not None]
        latest = max(stamped, key=lambda pair: pair[0])[1] if stamped else samples[-1]
        values = [s.value for s in samples]
        result.append(
            Series(item, name, labels, unit, len(samples), latest.value, min(values), max(values))
        )
    return result


@dataclass
class EvidenceSummary:
    """Everything the findings page shows, computed once."""

    reports: list[ReportSummary] = field(default_factory=list)
    by_severity: Counter[Severity] = field(default_factory=Counter)
    by_tool: dict[str, Counter[Severity]] = field(default_factory=dict)
    outcomes: Counter[Outcome] = field(default_factory=Counter)
    failed_tests: list[TestResult] = field(default_factory=list)
    coverage: list[tuple[ReportSummary, FileCoverage]] = field(default_factory=list)
    top_findings: list[tuple[ReportSummary, Finding]] = field(default_factory=list)
    """Critical and high findings of every report, most severe first (at most TOP_LIMIT)."""
    top_vulnerabilities: list[tuple[ReportSummary, Finding]] = field(default_factory=list)
    """The same, of security scanners' reports only."""
    top_quality: list[tuple[ReportSummary, Finding]] = field(default_factory=list)
    """The same, of linters' and type checkers' reports only (a linter's "error" is high)."""
    series: list[Series] = field(default_factory=list)
    change_actions: Counter[str] = field(default_factory=Counter)
    destructive_changes: list[tuple[ReportSummary, ResourceChange]] = field(default_factory=list)
    """Planned deletions and replacements: what a reviewer of an infrastructure plan reads."""
    rules: list[tuple[ReportSummary, Counter[str]]] = field(default_factory=list)
    """Per rule file: alerting and recording rules, and alerting rules per severity label."""
    other_kinds: Counter[str] = field(default_factory=Counter)
    """Records that are neither findings, tests, coverage nor measurements, by kind."""
    vulnerabilities: Counter[Severity] = field(default_factory=Counter)
    """Findings of security scanners only, by severity."""
    lint: Counter[Severity] = field(default_factory=Counter)
    """Findings of linters and type checkers only, by severity."""
    security_reports: list[ReportSummary] = field(default_factory=list)
    """Reports of security scanners, whether or not they audited anything."""
    lint_reports: list[ReportSummary] = field(default_factory=list)
    """Reports of linters and type checkers."""
    unaudited: list[tuple[ReportSummary, str]] = field(default_factory=list)
    """Security scanners' reports that audited nothing, each with why (:func:`audited_nothing`)."""

    @property
    def finding_count(self) -> int:
        return sum(self.by_severity.values())

    @property
    def vulnerabilities_known(self) -> bool:
        """Whether a security scanner audited something: else the vulnerability counts are
        "no data", not zero."""
        return len(self.unaudited) < len(self.security_reports)

    @property
    def vulnerability_count(self) -> int:
        return sum(self.vulnerabilities.values())

    @property
    def lint_count(self) -> int:
        return sum(self.lint.values())

    @property
    def test_count(self) -> int:
        return sum(self.outcomes.values())


TOP_LIMIT = 50
_CORE_KINDS = frozenset({"finding", "test", "coverage", "measurement", "change", "rule"})
_DESTRUCTIVE = frozenset({"delete", "replace"})


def summarise(evidence: PhaseEvidence, slug_prefix: str = "") -> EvidenceSummary:
    """Aggregate a phase's reports; findings are ranked critical first."""
    summary = EvidenceSummary()
    used: Counter[str] = Counter()
    for ref, report in evidence.reports:
        base = _slug(ref.title or report.path.stem)
        used[base] += 1
        slug = f"{slug_prefix}{base}" + (f"-{used[base]}" if used[base] > 1 else "")
        item = ReportSummary(ref, report, slug)
        summary.reports.append(item)
        security, lint = is_security_report(report), is_lint_report(report)
        if security:
            summary.security_reports.append(item)
            why = audited_nothing(report)
            if why is not None:
                summary.unaudited.append((item, why))
        elif lint:
            summary.lint_reports.append(item)
        for finding in report.findings:
            summary.by_severity[finding.severity] += 1
            summary.by_tool.setdefault(finding.tool, Counter())[finding.severity] += 1
            if security:
                summary.vulnerabilities[finding.severity] += 1
            elif lint:
                summary.lint[finding.severity] += 1
        for test in report.tests:
            summary.outcomes[test.outcome] += 1
            if test.outcome in (Outcome.FAILED, Outcome.ERROR):
                summary.failed_tests.append(test)
        if report.totals is not None:
            summary.coverage.append((item, report.totals))
        summary.series.extend(_series(item, report.measurements))
        for change in report.changes:
            summary.change_actions[change.action] += 1
            if change.action in _DESTRUCTIVE:
                summary.destructive_changes.append((item, change))
        if report.rules:
            counts: Counter[str] = Counter(rule.rule_type for rule in report.rules)
            counts.update(
                f"severity {rule.severity or 'none'}"
                for rule in report.rules
                if rule.rule_type == "alerting"
            )
            summary.rules.append((item, counts))
        summary.other_kinds.update(
            record.kind for record in report.records if record.kind not in _CORE_KINDS
        )
    summary.top_findings = _most_severe(summary.reports)
    summary.top_vulnerabilities = _most_severe(summary.security_reports)
    summary.top_quality = _most_severe(summary.lint_reports)
    return summary


def _most_severe(reports: list[ReportSummary]) -> list[tuple[ReportSummary, Finding]]:
    """The critical and high findings of ``reports``, most severe first (at most TOP_LIMIT)."""
    ranked = sorted(
        (
            (item, finding)
            for item in reports
            for finding in item.report.findings
            if finding.severity in (Severity.CRITICAL, Severity.HIGH)
        ),
        key=lambda pair: (SEVERITY_RANK[pair[1].severity], pair[1].tool, pair[1].rule),
    )
    return ranked[:TOP_LIMIT]


def _slug(text: str) -> str:
    cleaned = "".join(ch if ch.isalnum() else "-" for ch in text.lower())
    return "-".join(part for part in cleaned.split("-") if part) or "report"

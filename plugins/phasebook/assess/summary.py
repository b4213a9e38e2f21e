"""Per-phase numbers from the evidence: counts by severity and tool, tests, coverage.

Derived once here so the findings page, the dashboards and the CLI show the same numbers.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from phasebook.collect import PhaseEvidence
from phasebook.evidence import (
    SEVERITY_ORDER,
    FileCoverage,
    Finding,
    Outcome,
    Report,
    Severity,
    TestResult,
)
from phasebook.model import ReportRef


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
class EvidenceSummary:
    """Everything the findings page shows, computed once."""

    reports: list[ReportSummary] = field(default_factory=list)
    by_severity: Counter[Severity] = field(default_factory=Counter)
    by_tool: dict[str, Counter[Severity]] = field(default_factory=dict)
    outcomes: Counter[Outcome] = field(default_factory=Counter)
    failed_tests: list[TestResult] = field(default_factory=list)
    coverage: list[tuple[ReportSummary, FileCoverage]] = field(default_factory=list)
    top_findings: list[tuple[ReportSummary, Finding]] = field(default_factory=list)

    @property
    def finding_count(self) -> int:
        return sum(self.by_severity.values())

    @property
    def test_count(self) -> int:
        return sum(self.outcomes.values())


TOP_LIMIT = 50


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
        for finding in report.findings:
            summary.by_severity[finding.severity] += 1
            summary.by_tool.setdefault(finding.tool, Counter())[finding.severity] += 1
        for test in report.tests:
            summary.outcomes[test.outcome] += 1
            if test.outcome in (Outcome.FAILED, Outcome.ERROR):
                summary.failed_tests.append(test)
        if report.totals is not None:
            summary.coverage.append((item, report.totals))
    ranked = sorted(
        (
            (item, finding)
            for item in summary.reports
            for finding in item.report.findings
            if finding.severity in (Severity.CRITICAL, Severity.HIGH)
        ),
        key=lambda pair: (SEVERITY_ORDER.index(pair[1].severity), pair[1].tool, pair[1].rule),
    )
    summary.top_findings = ranked[:TOP_LIMIT]
    return summary


def _slug(text: str) -> str:
    cleaned = "".join(ch if ch.isalnum() else "-" for ch in text.lower())
    return "-".join(part for part in cleaned.split("-") if part) or "report"

"""Evidence: what the tools' reports say, in one normalised model.

Readers turn each report format into a :class:`Report`; nothing downstream knows formats.
Every record of a report is either kept here or listed in :attr:`Report.skipped` with a reason.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path


class Severity(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"


SEVERITY_ORDER = tuple(Severity)
SEVERITY_RANK: dict[Severity, int] = {severity: rank for rank, severity in enumerate(Severity)}
"""A severity's place in :data:`SEVERITY_ORDER` (0 is the most severe), for sort keys."""


class Outcome(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    ERROR = "error"
    SKIPPED = "skipped"


def fingerprint(*parts: object) -> str:
    """A stable id for a finding from the parts that survive a move to another line.

    Callers pass tool, rule, file path, package and a normalised snippet or title, never the
    line number, so a finding that only moved keeps its fingerprint.
    """
    text = "\x1f".join("" if part is None else " ".join(str(part).split()) for part in parts)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


@dataclass(frozen=True, slots=True)
class Finding:
    """One issue a scanner or linter reported."""

    tool: str
    rule: str
    severity: Severity
    tool_severity: str
    title: str
    fingerprint: str
    path: str | None = None
    line: int | None = None
    column: int | None = None
    cwe: tuple[str, ...] = ()
    cve: tuple[str, ...] = ()
    package: str | None = None
    installed_version: str | None = None
    fixed_version: str | None = None
    url: str | None = None
    kind: str = "finding"


@dataclass(frozen=True, slots=True)
class TestResult:
    """One test case of a run."""

    __test__ = False  # not a pytest test class, despite its name

    suite: str
    name: str
    outcome: Outcome
    classname: str | None = None
    duration_s: float | None = None
    message: str | None = None
    kind: str = "test"


@dataclass(frozen=True, slots=True)
class FileCoverage:
    """Coverage of one file (or the totals when ``path`` is ``None``)."""

    path: str | None
    lines_covered: int
    lines_total: int
    branches_covered: int | None = None
    branches_total: int | None = None
    kind: str = "coverage"

    @property
    def line_percent(self) -> float | None:
        return 100.0 * self.lines_covered / self.lines_total if self.lines_total else None


@dataclass(frozen=True, slots=True)
class Measurement:
    """A number with a unit: a timing, a rate, a count from load tests or operations."""

    name: str
    value: float
    unit: str
    timestamp: dt.datetime | None = None
    labels: tuple[tuple[str, str], ...] = ()
    kind: str = "measurement"


@dataclass(frozen=True, slots=True)
class ResourceChange:
    """One resource an infrastructure plan would change (or leave alone: ``no-op``)."""

    address: str
    actions: tuple[str, ...]
    """The plan's actions in order: ``("delete", "create")`` replaces, ``("no-op",)`` keeps."""
    type: str
    provider: str | None = None
    module: str | None = None
    mode: str = "managed"
    """``managed`` for a resource, ``data`` for a data source that is read."""
    action_reason: str | None = None
    kind: str = "change"

    @property
    def action(self) -> str:
        """The actions as one word: create, update, delete, replace, read or no-op."""
        if len(self.actions) == 2 and set(self.actions) == {"create", "delete"}:
            return "replace"
        return "+".join(self.actions)


@dataclass(frozen=True, slots=True)
class Rule:
    """One alerting or recording rule of a monitoring configuration."""

    name: str
    group: str
    rule_type: str
    """``alerting`` (an ``alert:`` rule) or ``recording`` (a ``record:`` rule)."""
    expr: str
    severity: str | None = None
    duration: str | None = None
    """How long the condition must hold before an alert fires (the rule's ``for``)."""
    summary: str | None = None
    kind: str = "rule"


Record = Finding | TestResult | FileCoverage | Measurement | ResourceChange | Rule


@dataclass(frozen=True, slots=True)
class Skipped:
    """A record a reader did not keep, and why (nothing is dropped silently)."""

    reason: str
    record: str = ""


@dataclass
class Report:
    """Everything one report file says, plus how it was read."""

    path: Path
    format: str
    schema_version: str | None = None
    tool: str | None = None
    tool_version: str | None = None
    generated_at: dt.datetime | None = None
    records: list[Record] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    totals: FileCoverage | None = None
    """Coverage totals as the report states them (coverage formats only)."""
    notes: list[str] = field(default_factory=list)
    """What the tool said it could not do (e.g. dependencies it could not audit)."""

    @property
    def skipped_by_reason(self) -> dict[str, int]:
        """How many records were skipped for each reason, most first (then by reason)."""
        counts: dict[str, int] = {}
        for item in self.skipped:
            counts[item.reason] = counts.get(item.reason, 0) + 1
        return dict(sorted(counts.items(), key=lambda pair: (-pair[1], pair[0])))

    def age_days(self, as_of: dt.date) -> int | None:
        """Days from the report's own timestamp to ``as_of``; ``None`` (unknown) without one.

        Never the file's mtime: a fresh checkout gives every file the time of the clone, so the
        age would change from build to build of the same commit. A timestamp with a time zone
        counts by its UTC date; one without is taken as written.
        """
        when = self.generated_at
        if when is None:
            return None
        if when.tzinfo is not None:
            when = when.astimezone(dt.UTC)
        return (as_of - when.date()).days

    @property
    def findings(self) -> list[Finding]:
        return [r for r in self.records if isinstance(r, Finding)]

    @property
    def tests(self) -> list[TestResult]:
        return [r for r in self.records if isinstance(r, TestResult)]

    @property
    def coverage(self) -> list[FileCoverage]:
        return [r for r in self.records if isinstance(r, FileCoverage)]

    @property
    def measurements(self) -> list[Measurement]:
        return [r for r in self.records if isinstance(r, Measurement)]

    @property
    def changes(self) -> list[ResourceChange]:
        return [r for r in self.records if isinstance(r, ResourceChange)]

    @property
    def rules(self) -> list[Rule]:
        return [r for r in self.records if isinstance(r, Rule)]

    @property
    def read_count(self) -> int:
        """Records seen in the file: kept plus skipped."""
        return len(self.records) + len(self.skipped)


def severity_counts(report: Report) -> dict[str, int]:
    """Findings per normalised severity, every severity present (zeros included)."""
    counts = {severity.value: 0 for severity in Severity}
    for finding in report.findings:
        counts[finding.severity.value] += 1
    return counts


def outcome_counts(report: Report) -> dict[str, int]:
    """Test cases per outcome, every outcome present (zeros included)."""
    counts = {outcome.value: 0 for outcome in Outcome}
    for test in report.tests:
        counts[test.outcome.value] += 1
    return counts

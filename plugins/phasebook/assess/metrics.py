"""Success metrics: the seed's built-ins, the programme's overrides, and their verdicts.

A metric is judged only on evidence. With nothing to measure, the verdict is "no data" and
never "pass"; zero findings counts as zero only when a report of the right kind was read.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from fractions import Fraction
from pathlib import Path

from phasebook.collect import PhaseEvidence
from phasebook.errors import Problem
from phasebook.evidence import Measurement, Outcome, Report
from phasebook.model import Aggregate, MetricSource, MetricSpec, Phase, Programme
from phasebook.readers.registry import finding_formats, known_formats, security_formats
from phasebook.thresholds import DURATION_SECONDS, Threshold, Unit, format_value, parse_check

NOT_SCANNERS = frozenset(known_formats()) - frozenset(finding_formats())
"""Formats that never report findings: zero findings in them is no evidence of a clean scan.
Derived from the record kinds each reader declares."""

SECURITY_FORMATS = security_formats()
"""Formats whose findings are vulnerabilities (linters and type checkers are not). Derived
from the role each reader declares (``SECURITY_ROLES`` in ``phasebook.readers.roles``)."""


@dataclass(frozen=True)
class MetricDefinition:
    """A metric fully specified: built-in values with the programme's overrides applied."""

    id: str
    title: str
    source: MetricSource
    threshold: Threshold
    phases: tuple[int, ...]
    severity: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()
    name: str | None = None
    aggregate: Aggregate = Aggregate.LAST
    labels: tuple[tuple[str, str], ...] | None = None
    """Only samples carrying all these labels; ``()`` means samples without any label."""


def _seed(
    metric_id: str,
    title: str,
    source: MetricSource,
    check: str,
    phases: tuple[int, ...],
    **extra: object,
) -> MetricDefinition:
    return MetricDefinition(metric_id, title, source, parse_check(check), phases, **extra)  # type: ignore[arg-type]


_EARLY, _MIDDLE, _LATE = (1, 2), (3, 4, 5), (6, 7, 8)
SEED_METRICS: tuple[MetricDefinition, ...] = (
    _seed("coverage", "Test coverage (lines)", MetricSource.COVERAGE_LINES, "> 80 %", _EARLY),
    _seed(
        "vulnerabilities-critical",
        "Critical vulnerabilities",
        MetricSource.FINDINGS,
        "== 0",
        _EARLY,
        severity=("critical",),
        formats=SECURITY_FORMATS,
    ),
    _seed(
        "vulnerabilities-high",
        "High vulnerabilities",
        MetricSource.FINDINGS,
        "< 5",
        _EARLY,
        severity=("high",),
        formats=SECURITY_FORMATS,
    ),
    _seed("test-execution", "Test execution time", MetricSource.TESTS_DURATION, "< 5 min", _EARLY),
    _seed(
        "documentation",
        "Documentation coverage of public APIs",
        MetricSource.MEASUREMENT,
        ">= 100 %",
        _EARLY,
        name="documentation_coverage",
    ),
    _seed(
        "container-build",
        "Container build time",
        MetricSource.MEASUREMENT,
        "< 5 min",
        _MIDDLE,
        name="container_build_time",
    ),
    _seed(
        "deployment",
        "Deployment time",
        MetricSource.MEASUREMENT,
        "< 10 min",
        _MIDDLE,
        name="deployment_time",
    ),
    _seed(
        "rollback",
        "Rollback time",
        MetricSource.MEASUREMENT,
        "< 2 min",
        _MIDDLE,
        name="rollback_time",
    ),
    _seed(
        "provisioning",
        "Infrastructure provisioning time",
        MetricSource.MEASUREMENT,
        "< 15 min",
        _MIDDLE,
        name="provisioning_time",
    ),
    _seed(
        "alert-response",
        "Alert response time",
        MetricSource.MEASUREMENT,
        "< 5 min",
        _LATE,
        name="alert_response_time",
    ),
    _seed(
        "log-retention",
        "Log retention",
        MetricSource.MEASUREMENT,
        ">= 30 d",
        _LATE,
        name="log_retention",
    ),
    _seed("uptime", "Uptime", MetricSource.MEASUREMENT, ">= 99.9 %", _LATE, name="uptime"),
    _seed(
        "mttr",
        "Mean time to recovery",
        MetricSource.MEASUREMENT,
        "< 30 min",
        _LATE,
        name="mttr",
    ),
)


class MetricVerdict(StrEnum):
    """A metric's outcome; with no evidence it is "no data", never "pass"."""

    PASS = "pass"  # noqa: S105 - a verdict, not a password
    FAIL = "fail"
    NO_DATA = "no data"


@dataclass(frozen=True)
class MetricResult:
    """A metric's verdict for one phase, the value measured and the reports it came from."""

    definition: MetricDefinition
    verdict: MetricVerdict
    value: Fraction | None
    reason: str
    evidence: tuple[Path, ...] = field(default=())

    @property
    def display(self) -> str:
        if self.value is None:
            return "no data"
        return format_value(self.value, self.definition.threshold.unit)


def metric_definitions(programme: Programme) -> tuple[MetricDefinition, ...]:
    """The seed's metrics with the programme's overrides, then the programme's own."""
    overrides = programme.info.metrics
    result = []
    for seed in SEED_METRICS:
        spec = overrides.get(seed.id)
        result.append(seed if spec is None else _apply(seed, spec))
    for metric_id, spec in overrides.items():
        if any(seed.id == metric_id for seed in SEED_METRICS):
            continue
        assert spec.source is not None and spec.check is not None  # checked by the loader
        result.append(
            _apply(
                MetricDefinition(metric_id, spec.title or metric_id, spec.source, spec.check, ()),
                spec,
            )
        )
    return tuple(result)


def _apply(base: MetricDefinition, spec: MetricSpec) -> MetricDefinition:
    return replace(
        base,
        title=spec.title or base.title,
        source=spec.source or base.source,
        threshold=spec.check or base.threshold,
        phases=tuple(spec.phases) if spec.phases is not None else base.phases,
        severity=tuple(spec.severity) if spec.severity is not None else base.severity,
        formats=tuple(spec.formats) if spec.formats is not None else base.formats,
        name=spec.name or base.name,
        aggregate=spec.aggregate or base.aggregate,
        labels=tuple(sorted(spec.labels.items())) if spec.labels is not None else base.labels,
    )


def phase_metrics(definitions: Iterable[MetricDefinition], phase: Phase) -> list[MetricDefinition]:
    """The metrics judged for ``phase``: attached by number, or named in the phase file."""
    return [d for d in definitions if phase.number in d.phases or d.id in phase.metrics]


_MEASUREMENT_UNITS: dict[str, tuple[Unit, Fraction]] = {
    **{name: (Unit.DURATION, factor) for name, factor in DURATION_SECONDS.items()},
    "seconds": (Unit.DURATION, Fraction(1)),
    "minutes": (Unit.DURATION, Fraction(60)),
    "hours": (Unit.DURATION, Fraction(3600)),
    "%": (Unit.PERCENT, Fraction(1)),
    "percent": (Unit.PERCENT, Fraction(1)),
    "count": (Unit.COUNT, Fraction(1)),
    "": (Unit.COUNT, Fraction(1)),
    "x": (Unit.RATIO, Fraction(1)),
    "ratio": (Unit.RATIO, Fraction(1)),
    "1/s": (Unit.RATE, Fraction(1)),
    "/s": (Unit.RATE, Fraction(1)),
    "rps": (Unit.RATE, Fraction(1)),
    "req/s": (Unit.RATE, Fraction(1)),
}
_RATIO_AS_PERCENT = {
    (Unit.RATIO, Unit.PERCENT): Fraction(100),
    (Unit.PERCENT, Unit.RATIO): Fraction(1, 100),
}
"""An error rate measured as a ratio can be checked against a threshold in % and back."""


def _no_data(definition: MetricDefinition, reason: str) -> MetricResult:
    return MetricResult(definition, MetricVerdict.NO_DATA, None, reason)


def _judge(
    definition: MetricDefinition, value: Fraction, reports: Iterable[Report], reason: str
) -> MetricResult:
    passed = definition.threshold.passes(value)
    verdict = MetricVerdict.PASS if passed else MetricVerdict.FAIL
    paths = tuple(dict.fromkeys(report.path for report in reports))
    return MetricResult(definition, verdict, value, reason, paths)


def evaluate_metric(definition: MetricDefinition, evidence: PhaseEvidence) -> MetricResult:
    """Compute one metric from a phase's reports and judge it against its threshold."""
    reports = [report for _, report in evidence.reports]
    if definition.formats:
        reports = [r for r in reports if r.format in definition.formats]
    source = definition.source
    if source in (MetricSource.COVERAGE_LINES, MetricSource.COVERAGE_BRANCHES):
        return _coverage(definition, reports)
    if source is MetricSource.FINDINGS:
        return _findings(definition, reports)
    if source in (
        MetricSource.TESTS_FAILED,
        MetricSource.TESTS_PASS_RATE,
        MetricSource.TESTS_DURATION,
    ):
        return _tests(definition, reports)
    return _measurement(definition, reports)


def _coverage(definition: MetricDefinition, reports: list[Report]) -> MetricResult:
    branches = definition.source is MetricSource.COVERAGE_BRANCHES
    used, covered, total = [], 0, 0
    for report in reports:
        totals = report.totals
        if totals is None:
            continue
        part = totals.branches_covered if branches else totals.lines_covered
        whole = totals.branches_total if branches else totals.lines_total
        if part is None or not whole:
            continue
        used.append(report)
        covered += part
        total += whole
    if not used:
        return _no_data(definition, "no coverage report with this measure")
    what = "branches" if branches else "lines"
    value = Fraction(100 * covered, total)
    return _judge(definition, value, used, f"{covered} of {total} {what} covered")


def _findings(definition: MetricDefinition, reports: list[Report]) -> MetricResult:
    scanners = [r for r in reports if r.format not in NOT_SCANNERS and not r.tests]
    if not scanners:
        if definition.formats == SECURITY_FORMATS:
            wanted = "a security scanner"
        else:
            wanted = ", ".join(definition.formats) if definition.formats else "any scanner"
        return _no_data(definition, f"no report from {wanted}")
    severities = set(definition.severity)
    count = sum(
        1
        for report in scanners
        for finding in report.findings
        if not severities or finding.severity.value in severities
    )
    which = "/".join(definition.severity) or "all"
    return _judge(
        definition,
        Fraction(count),
        scanners,
        f"{count} {which} findings in {len(scanners)} report(s)",
    )


def _tests(definition: MetricDefinition, reports: list[Report]) -> MetricResult:
    used = [r for r in reports if r.tests]
    tests = [t for r in used for t in r.tests]
    if not tests:
        return _no_data(definition, "no test results")
    if definition.source is MetricSource.TESTS_FAILED:
        failed = sum(1 for t in tests if t.outcome in (Outcome.FAILED, Outcome.ERROR))
        return _judge(definition, Fraction(failed), used, f"{failed} of {len(tests)} failed")
    if definition.source is MetricSource.TESTS_PASS_RATE:
        ran = [t for t in tests if t.outcome is not Outcome.SKIPPED]
        if not ran:
            return _no_data(definition, "every test was skipped")
        passed = sum(1 for t in ran if t.outcome is Outcome.PASSED)
        return _judge(
            definition, Fraction(100 * passed, len(ran)), used, f"{passed} of {len(ran)} passed"
        )
    timed = [t.duration_s for t in tests if t.duration_s is not None]
    if not timed:
        return _no_data(definition, "the test results carry no durations")
    seconds = sum((Fraction(d).limit_denominator(1000) for d in timed), Fraction(0))
    return _judge(definition, seconds, used, f"{len(timed)} test cases timed")


def _measurement(definition: MetricDefinition, reports: list[Report]) -> MetricResult:
    pairs = [
        (report, m)
        for report in reports
        for m in report.measurements
        if m.name == definition.name and _labelled(m, definition.labels)
    ]
    if not pairs:
        wanted = "" if definition.labels is None else f" with labels {dict(definition.labels)}"
        return _no_data(definition, f"no measurement named {definition.name!r}{wanted}")
    values = []
    for _report, m in pairs:
        converted = _convert(m, definition.threshold.unit)
        if converted is None:
            return _no_data(
                definition,
                f"measurement {m.name!r} is in {m.unit!r}, which cannot be compared "
                f"with a {definition.threshold.unit.value} threshold",
            )
        values.append((m, converted))
    value = _aggregate(definition.aggregate, values)
    reason = f"{definition.aggregate.value} of {len(values)} measurement(s)"
    return _judge(definition, value, [report for report, _ in pairs], reason)


def _convert(measurement: Measurement, unit: Unit) -> Fraction | None:
    kind, factor = _MEASUREMENT_UNITS.get(measurement.unit.strip().lower(), (None, Fraction(1)))
    if kind is None:
        return None
    if kind is not unit:
        if (kind, unit) not in _RATIO_AS_PERCENT:
            return None
        factor *= _RATIO_AS_PERCENT[(kind, unit)]
    return Fraction(measurement.value).limit_denominator(10**9) * factor


def _labelled(sample: Measurement, labels: tuple[tuple[str, str], ...] | None) -> bool:
    """Whether a sample is one the metric takes: any when no labels are asked for."""
    if labels is None:
        return True
    if not labels:
        return not sample.labels
    return set(labels) <= set(sample.labels)


def _aggregate(how: Aggregate, values: list[tuple[Measurement, Fraction]]) -> Fraction:
    numbers = [value for _, value in values]
    if how is Aggregate.LAST:
        dated = [(m.timestamp, value) for m, value in values if m.timestamp is not None]
        if dated:
            return max(dated, key=lambda pair: pair[0])[1]
        return numbers[-1]
    if how is Aggregate.MAX:
        return max(numbers)
    if how is Aggregate.MIN:
        return min(numbers)
    if how is Aggregate.SUM:
        return sum(numbers, Fraction(0))
    if how is Aggregate.MEAN:
        return sum(numbers, Fraction(0)) / len(numbers)
    ordered = sorted(numbers)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def evaluate_metrics(
    programme: Programme, phase: Phase, evidence: PhaseEvidence
) -> list[MetricResult]:
    """Every metric of ``phase``, judged on its evidence."""
    return [
        evaluate_metric(definition, evidence)
        for definition in phase_metrics(metric_definitions(programme), phase)
    ]


def metric_problems(programme: Programme) -> list[Problem]:
    """Metric settings the model alone cannot check: unknown ids, missing keys, phases."""
    problems = []
    seed_ids = [seed.id for seed in SEED_METRICS]
    numbers = {phase.number for phase in programme.phases}
    where = programme.programme_source
    for metric_id, spec in programme.info.metrics.items():
        if metric_id not in seed_ids and (spec.source is None or spec.check is None):
            close = difflib.get_close_matches(metric_id, seed_ids, n=1)
            hint = (
                f"did you mean the built-in `{close[0]}`?"
                if close
                else "a new metric needs `source:` and `check:`"
            )
            problems.append(
                Problem(
                    where.locate(("metrics", metric_id, "__key__")),
                    f"metric `{metric_id}` is not built in and does not say its source and check",
                    hint,
                )
            )
        for index, number in enumerate(spec.phases or ()):
            if number not in numbers:
                problems.append(
                    Problem(
                        where.locate(("metrics", metric_id, "phases", index)),
                        f"metric `{metric_id}` is attached to phase {number}, which does not exist",
                        f"use one of: {', '.join(map(str, sorted(numbers)))}",
                    )
                )
    known = [d.id for d in metric_definitions(programme)] if not problems else seed_ids
    for phase in programme.phases:
        for index, metric_id in enumerate(phase.metrics):
            if metric_id not in known:
                close = difflib.get_close_matches(metric_id, known, n=1)
                problems.append(
                    Problem(
                        programme.locate(phase.number, "metrics", index),
                        f"unknown metric `{metric_id}`",
                        f"did you mean `{close[0]}`?" if close else f"known: {', '.join(known)}",
                    )
                )
    return problems

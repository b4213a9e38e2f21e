"""Success metrics: the seed's built-ins, the programme's overrides, and their verdicts.

A metric is judged only on evidence. With nothing to measure, the verdict is "no data" and
never "pass"; zero findings counts as zero only when a report of the right kind was read and
that report audited something (:func:`~phasebook.assess.summary.audited_nothing`: a
pip-audit run whose every dependency was skipped is no evidence of a clean audit).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from pathlib import Path

from phasebook.assess.summary import audited_nothing
from phasebook.collect import PhaseEvidence
from phasebook.evidence import Measurement, Outcome, Report
from phasebook.metric_catalog import (
    NOT_SCANNERS,
    SECURITY_FORMATS,
    MetricDefinition,
    metric_definitions,
    phase_metrics,
)
from phasebook.model import Aggregate, MetricSource, Phase, Programme
from phasebook.thresholds import DURATION_SECONDS, Unit, format_value

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


class MetricVerdict(StrEnum):
    """A metric's outcome; with no evidence it is "no data", never "pass"; in a phase not
    begun yet, anything but a pass is "not started"."""

    PASS = "pass"  # noqa: S105 - a verdict, not a password
    FAIL = "fail"
    NO_DATA = "no data"
    NOT_STARTED = "not started"


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
    empty = [(r, why) for r in scanners if (why := audited_nothing(r)) is not None]
    audited = [r for r in scanners if audited_nothing(r) is None]
    if not audited:
        return _no_data(
            definition,
            "; ".join(f"{r.path.name} audited nothing: {why}" for r, why in empty),
        )
    severities = set(definition.severity)
    count = sum(
        1
        for report in audited
        for finding in report.findings
        if not severities or finding.severity.value in severities
    )
    which = "/".join(definition.severity) or "all"
    left_out = (
        f"; not counted, as they audited nothing: {', '.join(r.path.name for r, _ in empty)}"
        if empty
        else ""
    )
    return _judge(
        definition,
        Fraction(count),
        audited,
        f"{count} {which} findings in {len(audited)} report(s){left_out}",
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

"""Thresholds and metric verdicts on both sides of each boundary, and with no data."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from pathlib import Path

import pytest

from phasebook.assess.metrics import MetricVerdict, evaluate_metric
from phasebook.collect import PhaseEvidence
from phasebook.evidence import (
    FileCoverage,
    Finding,
    Measurement,
    Outcome,
    Report,
    Severity,
    TestResult,
)
from phasebook.metric_catalog import SEED_METRICS, MetricDefinition
from phasebook.model import Aggregate, MetricSource, ReportRef
from phasebook.thresholds import ThresholdError, Unit, format_value, parse_check

SEED = {metric.id: metric for metric in SEED_METRICS}


def evidence(*reports: Report) -> PhaseEvidence:
    return PhaseEvidence(reports=[(ReportRef(path=r.path.name), r) for r in reports])


def coverage(covered: int, total: int) -> Report:
    report = Report(Path("coverage.xml"), "cobertura-xml")
    report.totals = FileCoverage(None, covered, total)
    return report


def test_parse_check_units_and_exactness() -> None:
    assert parse_check("> 80 %").value == 80
    assert parse_check("< 10 min").value == 600
    assert parse_check("< 10 min").unit is Unit.DURATION
    assert parse_check(">= 30 d").value == 30 * 86400
    assert parse_check(">= 99.9 %").value == Fraction("99.9")
    assert not parse_check("> 80 %").passes(Fraction(80))
    with pytest.raises(ThresholdError, match="unknown unit"):
        parse_check("< 5 parsecs")
    assert format_value(Fraction(272), Unit.DURATION) == "4.5 min"


@pytest.mark.parametrize(
    ("covered", "verdict"),
    [(800, MetricVerdict.FAIL), (801, MetricVerdict.PASS), (799, MetricVerdict.FAIL)],
)
def test_coverage_boundary_is_exact(covered: int, verdict: MetricVerdict) -> None:
    result = evaluate_metric(SEED["coverage"], evidence(coverage(covered, 1000)))
    assert result.verdict is verdict
    assert result.evidence == (Path("coverage.xml"),)


def test_no_report_is_no_data_never_pass() -> None:
    for metric in SEED_METRICS:
        result = evaluate_metric(metric, PhaseEvidence())
        assert result.verdict is MetricVerdict.NO_DATA, metric.id
        assert result.display == "no data"


def _finding(severity: Severity) -> Finding:
    return Finding("bandit", "B1", severity, severity.value, "t", f"fp-{id(object())}")


def test_vulnerabilities_count_only_scanner_reports() -> None:
    linter = Report(Path("pylint.json"), "pylint-json2", records=[_finding(Severity.CRITICAL)])
    assert evaluate_metric(SEED["vulnerabilities-critical"], evidence(linter)).verdict is (
        MetricVerdict.NO_DATA
    )
    clean = Report(Path("bandit.json"), "bandit-json")
    assert evaluate_metric(SEED["vulnerabilities-critical"], evidence(clean)).verdict is (
        MetricVerdict.PASS
    )
    highs = Report(
        Path("bandit.json"), "bandit-json", records=[_finding(Severity.HIGH) for _ in range(5)]
    )
    result = evaluate_metric(SEED["vulnerabilities-high"], evidence(highs))
    assert result.verdict is MetricVerdict.FAIL  # 5 is not < 5
    highs.records.pop()
    assert evaluate_metric(SEED["vulnerabilities-high"], evidence(highs)).verdict is (
        MetricVerdict.PASS
    )


def test_test_duration_and_measurement_units() -> None:
    run = Report(
        Path("junit.xml"),
        "junit-xml",
        records=[TestResult("s", f"t{i}", Outcome.PASSED, duration_s=60.0) for i in range(5)],
    )
    assert evaluate_metric(SEED["test-execution"], evidence(run)).verdict is MetricVerdict.FAIL
    run.records.pop()
    assert evaluate_metric(SEED["test-execution"], evidence(run)).verdict is MetricVerdict.PASS
    when = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    measured = Report(
        Path("m.csv"),
        "measurements",
        records=[
            Measurement("deployment_time", 12, "min", when),
            Measurement("deployment_time", 540, "s", when + dt.timedelta(days=1)),
        ],
    )
    result = evaluate_metric(SEED["deployment"], evidence(measured))
    assert result.verdict is MetricVerdict.PASS  # the latest: 9 min < 10 min
    assert result.display == "9.0 min"
    wrong_unit = Report(Path("m.csv"), "measurements", records=[Measurement("uptime", 5, "min")])
    assert evaluate_metric(SEED["uptime"], evidence(wrong_unit)).verdict is MetricVerdict.NO_DATA


MEASURED = [m for m in SEED_METRICS if m.source.value == "measurement"]


def _nudged(metric_id: str, passing: bool) -> Fraction:
    """A value just inside or just outside the metric's threshold, in its base unit."""
    threshold = SEED[metric_id].threshold
    step = Fraction(1, 100)
    below = threshold.value - step
    above = threshold.value + step
    wants_more = threshold.comparator.value in (">", ">=")
    return (above if wants_more else below) if passing else (below if wants_more else above)


@pytest.mark.parametrize("passing", [True, False])
@pytest.mark.parametrize("metric_id", [m.id for m in MEASURED])
def test_every_measured_metric_on_both_sides(metric_id: str, passing: bool) -> None:
    metric = SEED[metric_id]
    unit = {"percent": "%", "duration": "s", "count": ""}[metric.threshold.unit.value]
    value = _nudged(metric_id, passing)
    assert metric.name is not None
    report = Report(
        Path("m.csv"), "measurements", records=[Measurement(metric.name, float(value), unit)]
    )
    result = evaluate_metric(metric, evidence(report))
    assert result.verdict is (MetricVerdict.PASS if passing else MetricVerdict.FAIL)
    assert result.evidence == (Path("m.csv"),)


def test_rates_and_ratios_from_load_tests() -> None:
    """Requests per second check against `/s`; an error ratio checks against a % threshold."""
    load = Report(
        Path("load_stats.csv"),
        "locust-stats-csv",
        records=[
            Measurement("requests_per_s", 42.5, "1/s"),
            Measurement("failure_ratio", 0.004, "ratio"),
        ],
    )
    throughput = MetricDefinition(
        "throughput",
        "Throughput",
        MetricSource.MEASUREMENT,
        parse_check(">= 40 /s"),
        (1,),
        name="requests_per_s",
    )
    result = evaluate_metric(throughput, evidence(load))
    assert (result.verdict, result.display) == (MetricVerdict.PASS, "42.5 /s")
    errors = MetricDefinition(
        "errors",
        "Error rate",
        MetricSource.MEASUREMENT,
        parse_check("< 1 %"),
        (1,),
        name="failure_ratio",
    )
    result = evaluate_metric(errors, evidence(load))
    assert (result.verdict, result.display) == (MetricVerdict.PASS, "0.40 %")


def test_reports_that_never_hold_findings_are_not_a_clean_scan() -> None:
    """A Terraform plan or a load test has no findings: it is no evidence for a findings metric."""
    plan = Report(Path("plan.json"), "terraform-plan-json")
    any_findings = MetricDefinition(
        "lint", "Lint findings", MetricSource.FINDINGS, parse_check("< 10"), (1,)
    )
    assert evaluate_metric(any_findings, evidence(plan)).verdict is MetricVerdict.NO_DATA


def test_label_filter_picks_one_series_of_a_load_test() -> None:
    """`labels:` picks one endpoint; `{}` picks the samples without labels (locust's total)."""
    load = Report(
        Path("load_stats.csv"),
        "locust-stats-csv",
        records=[
            Measurement(
                "p95_response_time", 900, "ms", labels=(("method", "POST"), ("name", "/ask"))
            ),
            Measurement("p95_response_time", 120, "ms", labels=(("method", "GET"), ("name", "/"))),
            Measurement("p95_response_time", 450, "ms"),
        ],
    )

    def p95(labels: tuple[tuple[str, str], ...] | None) -> str:
        definition = MetricDefinition(
            "p95",
            "p95",
            MetricSource.MEASUREMENT,
            parse_check("< 1 s"),
            (1,),
            name="p95_response_time",
            aggregate=Aggregate.MAX,
            labels=labels,
        )
        return evaluate_metric(definition, evidence(load)).display

    assert p95(None) == "900 ms"
    assert p95((("name", "/"),)) == "120 ms"
    assert p95(()) == "450 ms"
    missing = MetricDefinition(
        "p95",
        "p95",
        MetricSource.MEASUREMENT,
        parse_check("< 1 s"),
        (1,),
        name="p95_response_time",
        labels=(("name", "/gone"),),
    )
    result = evaluate_metric(missing, evidence(load))
    assert result.verdict is MetricVerdict.NO_DATA
    assert "with labels {'name': '/gone'}" in result.reason

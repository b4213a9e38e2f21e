"""Readers of the operations family: Terraform plans, locust, k6, Prometheus queries and rules.

terraform, k6 and Prometheus do not run here, so their fixtures under
``tests/fixtures/reports/<format>/`` are small hand-made files modelled on the real shapes in
``../shared/reports``; the locust fixtures named ``real-2.47-*`` were written by locust 2.47.0
run headless against ``python -m http.server`` on loopback (and ``test_locust_real_run`` does
it again when locust is installed). Their counts, refusals and detection are in each folder's
``expect.yml``, the real files' in ``corpus.yml`` (both read by ``test_fixtures.py``); here,
what each reader makes of a record.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import importlib.util
import io
import json
import os
import shutil
import subprocess
import sys
import threading
from fractions import Fraction
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from tests.readers.support import (
    CORPUS,
    FIXTURES,
    JSON_VALUES,
    PROPERTY,
    format_of,
    only_report_errors,
    places,
    published_text,
    read_fixture,
    read_fixtures,
    replaced,
)

from phasebook.assess.metrics import MetricVerdict, evaluate_metric
from phasebook.assess.summary import summarise
from phasebook.collect import PhaseEvidence
from phasebook.evidence import Measurement, Outcome, Report
from phasebook.metric_catalog import MetricDefinition
from phasebook.model import Aggregate, MetricSource, ReportRef
from phasebook.output.report import record_json
from phasebook.readers import ReportError, detect_format, family_operations, read_report
from phasebook.thresholds import parse_check

OPS = {reader.format: reader for reader in family_operations.READERS}


def _by_name(report: Report) -> dict[tuple[str, tuple[tuple[str, str], ...]], Measurement]:
    return {(m.name, m.labels): m for m in report.measurements}


def test_detection_uses_content_not_name(tmp_path: Path) -> None:
    for name in ("locust-stats-csv/real-2.47-run_stats.csv", "prometheus-rules/alerts.yml"):
        renamed = tmp_path / "report.txt"
        renamed.write_bytes((FIXTURES / name).read_bytes())
        assert detect_format(renamed).format == format_of(name)


def test_new_records_serialise_with_their_kind() -> None:
    change = read_fixture("terraform-plan-json/one-create-1.2.json").changes[0]
    assert record_json(change) == {
        "address": "aws_s3_bucket.logs",
        "actions": ["create"],
        "type": "aws_s3_bucket",
        "provider": "registry.terraform.io/hashicorp/aws",
        "module": None,
        "mode": "managed",
        "action_reason": None,
        "kind": "change",
    }
    rule = read_fixture("prometheus-rules/alerts.yml").rules[0]
    assert record_json(rule)["kind"] == "rule"
    assert record_json(rule)["rule_type"] == "alerting"


# ------------------------------------------------------------------------------ terraform


def test_terraform_actions_modules_and_reasons() -> None:
    report = read_fixture("terraform-plan-json/many-actions-1.2.json")
    assert (report.tool, report.tool_version, report.schema_version) == (
        "terraform",
        "1.9.8",
        "1.2",
    )
    assert report.generated_at == dt.datetime(2026, 11, 21, 16, 40, tzinfo=dt.UTC)
    assert [(c.address, c.action) for c in report.changes] == [
        ("aws_s3_bucket.logs", "create"),
        ("aws_instance.web", "replace"),
        ("aws_iam_role.ci", "replace"),
        ("aws_security_group.web", "update"),
        ("random_pet.name", "no-op"),
        ("module.net.data.aws_availability_zones.all", "read"),
        ('module.db["eu"].aws_db_instance.main', "delete"),
    ]
    replaced = report.changes[1]
    assert replaced.actions == ("delete", "create")
    assert replaced.action_reason == "replace_because_cannot_update"
    assert report.changes[2].actions == ("create", "delete")  # create before destroy
    data = report.changes[5]
    assert (data.mode, data.module, data.type) == ("data", "module.net", "aws_availability_zones")
    assert report.changes[4].provider == "registry.terraform.io/hashicorp/random"
    assert [(s.reason, s.record) for s in report.skipped] == [
        ("no address", "resource_changes[7]"),
        ("unknown actions ['frobnicate']", "aws_vpc.main"),
        ("not an object", "resource_changes[9]"),
    ]


def test_terraform_old_format_and_notes() -> None:
    old = read_fixture("terraform-plan-json/old-0.1.json")
    assert (old.schema_version, old.tool_version, old.generated_at) == ("0.1", "0.12.31", None)
    assert [c.provider for c in old.changes] == ["aws", "aws"]
    assert old.changes[1].module == "module.child"
    errored = read_fixture("terraform-plan-json/errored-1.2.json")
    assert errored.notes == ["Terraform says the plan errored: it may be incomplete"]


def test_terraform_utf16_with_and_without_bom_reads_the_same() -> None:
    names = ("utf16-bom-windows.json", "utf16le-no-bom.json", "utf16be-no-bom.json")
    reports = [read_fixture(f"terraform-plan-json/{name}") for name in names]
    windows = (FIXTURES / "terraform-plan-json" / names[0]).read_bytes()
    assert windows.startswith(codecs.BOM_UTF16_LE)
    assert all(r.changes == reports[0].changes for r in reports)
    assert reports[0].changes[0].address == "aws_s3_bucket.data"
    assert {r.schema_version for r in reports} == {"1.1"}


# ------------------------------------------------------------------------------ locust


def test_locust_stats_rows_are_named_measurements() -> None:
    report = read_fixture("locust-stats-csv/real-2.47-run_stats.csv")
    assert report.tool == "locust"
    values = _by_name(report)
    home = (("method", "GET"), ("endpoint", "/"))
    assert values[("request_count", home)].value == 77
    assert values[("p95_response_time", home)].value == 11
    assert values[("p95_response_time", home)].unit == "ms"
    assert values[("p99.9_response_time", home)].unit == "ms"
    assert values[("requests_per_s", home)].unit == "1/s"
    assert values[("average_content_size", home)].unit == "B"
    missing = (("method", "GET"), ("endpoint", "/missing"))
    assert values[("failure_ratio", missing)].value == 1.0
    assert values[("failure_ratio", missing)].unit == "ratio"
    whole = values[("failure_ratio", ())]  # the Aggregated row: the whole run, no labels
    assert whole.value == pytest.approx(43 / 188)
    assert values[("request_count", ())].value == 188
    assert all(m.timestamp is None for m in report.measurements)
    assert report.generated_at is None


def test_locust_column_names_of_every_version_give_the_same_measurements() -> None:
    old = _by_name(read_fixture("locust-stats-csv/v0-quoted_requests.csv"))
    login = (("method", "POST"), ("endpoint", "/login"))
    assert old[("request_count", login)].value == 40
    assert old[("failure_count", login)].value == 2
    assert old[("median_response_time", login)].value == 9
    assert old[("failure_ratio", login)].value == pytest.approx(0.05)
    assert old[("request_count", ())].value == 160  # 0.x's "None","Total" row
    new = {m.name for m in read_fixture("locust-stats-csv/real-2.47-run_stats.csv").measurements}
    assert {name for name, _ in old} <= new


def test_locust_odd_stats_rows_and_encoding() -> None:
    report = read_fixture("locust-stats-csv/odd-gbk-extra-percentile_stats.csv")
    assert report.notes[0].startswith("the file is not UTF-8")
    endpoints = {dict(m.labels).get("endpoint") for m in report.measurements}
    assert endpoints == {None, next(e for e in endpoints if e and e.startswith("/\ufffd"))}
    assert "p99.999_response_time" in {m.name for m in report.measurements}
    assert [s.reason for s in report.skipped] == [
        "6 cells where the header has 23",
        "request count 'abc' is not a number",
        "no response times yet (percentiles N/A)",
    ]
    assert [s.record for s in report.skipped] == [
        "row 3",
        "row 4: GET /counted",
        "row 5: GET /never",
    ]


def test_locust_history_is_a_time_series() -> None:
    report = read_fixture("locust-history-csv/real-2.47-run_stats_history.csv")
    whole = [m for m in report.measurements if m.name == "request_count" and not m.labels]
    stamps = [m.timestamp for m in whole if m.timestamp is not None]
    assert len(stamps) == len(whole) == 5  # one Aggregated row a second, the first N/A
    assert stamps == sorted(stamps)
    assert report.generated_at == max(stamps)
    assert whole[-1].value == 188  # the last running total is the stats file's total
    users = {m.value for m in report.measurements if m.name == "user_count"}
    assert users <= {0, 1, 2, 3, 4}
    assert report.skipped[0].reason == "no response times yet (percentiles N/A)"
    quoted = read_fixture("locust-history-csv/v1-quoted-crlf_stats_history.csv")
    assert [s.reason for s in quoted.skipped] == [
        "no response times yet (percentiles N/A)",
        "timestamp 'yesterday' is not a Unix time",
    ]
    assert quoted.generated_at == dt.datetime.fromtimestamp(1597569276, tz=dt.UTC)


def test_locust_failures_and_exceptions_are_counts() -> None:
    failures = read_fixture("locust-failures-csv/real-2.47-run_failures.csv").measurements
    assert [(m.name, m.value, m.unit) for m in failures] == [
        ("failure_occurrences", 23, "count"),
        ("failure_occurrences", 20, "count"),
    ]
    assert failures[1].labels == (
        ("method", "POST"),
        ("endpoint", "/submit"),
        ("error", "HTTPError(\"501 Server Error: Unsupported method ('POST') for url: /submit\")"),
    )
    assert failures[0].timestamp == dt.datetime(2026, 11, 29, 1, 39, 53, tzinfo=dt.UTC)
    old = read_fixture("locust-failures-csv/v1-four-columns_failures.csv").measurements
    assert old[0].timestamp is None and old[0].value == 1688
    odd = read_fixture("locust-failures-csv/odd-rows_failures.csv")
    assert odd.measurements[1].labels[0] == ("endpoint", "/no-method")
    (exception,) = read_fixture("locust-exceptions-csv/real-2.47-multiline_exceptions.csv").measurements
    assert (exception.name, exception.value) == ("exception_count", 9)
    assert exception.labels == (
        ("message", "payload, with a comma and a second line"),
        ("nodes", "local"),
    )
    assert "locustfile2.py" not in published_text(
        read_fixture("locust-exceptions-csv/real-2.47-multiline_exceptions.csv")
    )  # tracebacks, with their paths, are not kept


# ------------------------------------------------------------------------------ k6


def _thresholds(report: Report) -> dict[tuple[str | None, str], Outcome]:
    return {(t.classname, t.name): t.outcome for t in report.tests if t.suite == "thresholds"}


def test_k6_threshold_booleans_mean_opposite_things_in_the_two_layouts() -> None:
    export = read_fixture("k6-summary-export/thresholds-crossed.json")
    summary = read_fixture("k6-summary/thresholds-crossed.json")
    assert _thresholds(export) == {
        ("http_req_duration", "p(95)<200"): Outcome.PASSED,  # false: not crossed
        ("http_req_duration", "p(99)<400"): Outcome.PASSED,
        ("http_req_failed", "rate<0.01"): Outcome.FAILED,  # true: crossed
        ("checks{group:::api}", "rate>0.99"): Outcome.FAILED,
    }
    assert _thresholds(summary) == {
        ("http_req_duration", "p(95)<200"): Outcome.PASSED,  # ok: true
        ("http_req_duration", "p(99)<400"): Outcome.PASSED,
        ("http_req_duration{step:Login API,method:POST}", "p(95)<50"): Outcome.FAILED,
        ("http_req_failed", "rate<0.01"): Outcome.FAILED,  # ok: false
    }
    smoke = read_fixture("k6-summary-export/smoke-pass.json")
    assert set(_thresholds(smoke).values()) == {Outcome.PASSED}


def test_k6_checks_are_tests_with_their_group() -> None:
    for name in ("k6-summary-export/thresholds-crossed.json", "k6-summary/thresholds-crossed.json"):
        checks = [t for t in read_fixture(name).tests if t.suite == "checks"]
        assert [(t.classname, t.name, t.outcome) for t in checks] == [
            (None, "home page loads", Outcome.PASSED),  # a check of the root group
            ("::api", "status is 200", Outcome.PASSED),
            ("::api::orders", "order created", Outcome.FAILED),
        ], name
        assert checks[2].message == "160 passed, 40 failed"
    odd = read_fixture("k6-summary-export/odd-entries.json")
    assert [(t.name, t.outcome) for t in odd.tests if t.suite == "checks"] == [
        ("never ran", Outcome.SKIPPED)
    ]
    assert sorted(s.reason for s in odd.skipped) == [
        "a check without passes and fails counts",
        "a metric that is not an object",
        "a metric without numbers",
        "a threshold without a result",
    ]


def test_k6_metric_names_units_and_tags() -> None:
    summary = _by_name(read_fixture("k6-summary/thresholds-crossed.json"))
    assert summary[("http_req_duration.p95", ())].value == 35.5
    assert summary[("http_req_duration.p95", ())].unit == "ms"
    tagged = (("method", "POST"), ("step", "Login API"))
    assert summary[("http_req_duration.p95", tagged)].value == 80.0
    expected = (("expected_response", "true"),)
    assert summary[("http_req_duration.med", expected)].value == 9.1
    failed = summary[("http_req_failed.rate", ())]
    assert (failed.value, failed.unit) == (0.1, "ratio")
    assert summary[("http_req_failed.fails", ())].unit == "count"
    assert summary[("http_reqs.rate", ())].unit == "1/s"
    assert summary[("data_sent.count", ())].unit == "B"
    assert summary[("data_sent.rate", ())].unit == "B/s"
    assert summary[("vus_max.value", ())].unit == ""
    assert summary[("case_duration_ms.p95", ())].unit == "ms"  # handleSummary says "time"
    export = read_fixture("k6-summary-export/thresholds-crossed.json")
    values = _by_name(export)
    assert values[("checks.rate", (("group", "::api"),))].value == 0.9  # the export's "value"
    assert values[("group_duration.avg", ())].unit == "ms"  # a built-in time trend
    assert values[("payload_bytes.avg", ())].unit == ""  # a custom trend: unknown
    assert export.notes == [
        "custom trends without a unit (the export does not say if they hold times, which k6 "
        "writes in ms): payload_bytes"
    ]
    old = _by_name(read_fixture("k6-summary-export/old-custom-percentiles.json"))
    assert old[("http_req_duration.p99.9", ())].value == 930.5
    assert old[("http_req_duration.count", ())].unit == "count"


def test_k6_setup_data_is_never_published() -> None:
    published = published_text(read_fixture("k6-summary/thresholds-crossed.json"))
    assert "SETUPDATAFAKE" not in published
    assert "Tr0ub4dor-k6-setup" not in published


def test_k6_feeds_a_latency_metric_by_measurement_name() -> None:
    report = read_fixture("k6-summary/thresholds-crossed.json")
    evidence = PhaseEvidence(reports=[(ReportRef(path="k6.json"), report)])
    definition = MetricDefinition(
        id="p95-latency",
        title="p95 latency",
        source=MetricSource.MEASUREMENT,
        threshold=parse_check("< 200 ms"),
        phases=(8,),
        name="http_req_duration.p95",
        aggregate=Aggregate.MAX,
    )
    result = evaluate_metric(definition, evidence)
    assert result.verdict is MetricVerdict.PASS
    assert result.value == Fraction(80, 1000)  # the slowest series, in seconds
    errors = MetricDefinition(
        id="errors",
        title="failed requests",
        source=MetricSource.MEASUREMENT,
        threshold=parse_check("< 0.01 x"),
        phases=(8,),
        name="http_req_failed.rate",
    )
    assert evaluate_metric(errors, evidence).verdict is MetricVerdict.FAIL


def test_summary_page_groups_measurements_into_series() -> None:
    evidence = PhaseEvidence(
        reports=[
            (ReportRef(path="plan.json"), read_fixture("terraform-plan-json/many-actions-1.2.json")),
            (ReportRef(path="rules.yml"), read_fixture("prometheus-rules/alerts-and-records.yaml")),
            (ReportRef(path="stats.csv"), read_fixture("locust-stats-csv/real-2.47-run_stats.csv")),
        ]
    )
    summary = summarise(evidence)
    assert [len(item.report.records) for item in summary.reports] == [7, 4, 105]
    series = {(s.name, s.label_text) for s in summary.series}
    assert ("p95_response_time", "method=GET, endpoint=/") in series
    assert ("p95_response_time", "") in series


# ------------------------------------------------------------------------------ prometheus


def test_prometheus_vector_labels_time_and_units() -> None:
    report = read_fixture("prometheus-query-json/up-vector.json")
    first = report.measurements[0]
    assert (first.name, first.value, first.unit) == ("up", 1.0, "")
    assert first.labels == (("instance", "web-1:9100"), ("job", "node"))
    assert first.timestamp == dt.datetime.fromtimestamp(1795917600.123, tz=dt.UTC)
    assert report.generated_at == first.timestamp
    nan = read_fixture("prometheus-query-json/error_ratio-vector-nan.json")
    (kept,) = nan.measurements
    assert (kept.name, kept.value, kept.unit) == ("error_ratio-vector-nan", 0.012, "")
    assert [(s.reason, s.record) for s in nan.skipped] == [
        ("value NaN is not a finite number", "error_ratio-vector-nan{handler=/api/items}"),
        ("value +Inf is not a finite number", "error_ratio-vector-nan{handler=/api/slow}"),
        ("value 'not-a-number' is not a number", "error_ratio-vector-nan{handler=/api/odd}"),
    ]


def test_prometheus_matrix_scalar_and_string() -> None:
    matrix = read_fixture("prometheus-query-json/request_duration_seconds-matrix.json")
    assert {(m.name, m.unit) for m in matrix.measurements} == {
        ("http_request_duration_seconds", "s")
    }
    assert [m.value for m in matrix.measurements if ("quantile", "0.99") in m.labels] == [
        0.41,
        0.48,
        0.52,
    ]
    assert matrix.notes[0].startswith("Prometheus warning: PromQL info")
    (scalar,) = read_fixture("prometheus-query-json/availability-scalar.json").measurements
    assert (scalar.name, scalar.value, scalar.labels) == ("availability-scalar", 99.95, ())
    histogram = read_fixture("prometheus-query-json/native-histogram-matrix.json")
    assert [s.reason for s in histogram.skipped] == [
        "native histogram samples are not read",
        "native histogram samples are not read",
        "a series without values",
    ]


def test_prometheus_units_follow_naming_conventions(tmp_path: Path) -> None:
    names = {
        "process_cpu_seconds_total": "s",
        "node_network_receive_bytes_total": "B",
        "http_requests_total": "count",
        "apiserver_request_duration_seconds_count": "count",
        "cache_hit_ratio": "ratio",
        "disk_used_percent": "%",
        "up": "",
    }
    result = [{"metric": {"__name__": n}, "value": [1795917600, "1"]} for n in names]
    path = tmp_path / "q.json"
    path.write_text(
        json.dumps({"status": "success", "data": {"resultType": "vector", "result": result}})
    )
    assert {m.name: m.unit for m in read_report(path).measurements} == names


def test_prometheus_rules_fields() -> None:
    report = read_fixture("prometheus-rules/alerts.yml")
    assert (report.tool, report.schema_version) == ("prometheus", None)
    down, errors, watchdog = report.rules
    assert (down.name, down.group, down.rule_type, down.severity, down.duration) == (
        "InstanceDown",
        "web",
        "alerting",
        "critical",
        "5m",
    )
    assert down.expr == 'up{job="web"} == 0'
    assert down.summary == "Instance {{ $labels.instance }} down"
    assert errors.expr.startswith('sum(rate(http_requests_total{code=~"5.."}[5m]))\n')
    assert (watchdog.severity, watchdog.duration, watchdog.summary) == (None, None, None)
    mixed = read_fixture("prometheus-rules/alerts-and-records.yaml").rules
    assert [(r.group, r.rule_type, r.name) for r in mixed] == [
        ("recording", "recording", "job:http_requests:rate5m"),
        ("recording", "recording", "job:http_errors:ratio5m"),
        ("slo", "alerting", "ErrorBudgetBurn"),
        ("slo", "recording", "fixed_data"),
    ]
    assert mixed[3].expr == "1"


def test_prometheus_rule_resources() -> None:
    crd = read_fixture("prometheus-rules/prometheusrule.yaml")
    assert crd.schema_version == "monitoring.coreos.com/v1"
    assert [(r.group, r.name) for r in crd.rules] == [
        ("shop.rules", "namespace:shop_cpu:rate5m"),
        ("shop.alerts", "ShopPodCrashLooping"),
    ]
    assert crd.rules[1].summary == "Pod is crash looping."
    manifests = read_fixture("prometheus-rules/multi-doc-manifests.yaml")
    assert [r.name for r in manifests.rules] == ["ShopSlow", "shop:availability:ratio30d"]
    assert manifests.notes == ["YAML document 1 is a ConfigMap, not rules: not read"]
    (listed,) = read_fixture("prometheus-rules/list-of-resources.yaml").rules
    assert (listed.name, listed.severity, listed.duration) == ("QueueBacklog", "info", "30m")


def test_prometheus_invalid_rules_are_skipped_with_the_reason() -> None:
    report = read_fixture("prometheus-rules/odd-rules.yml")
    assert report.rules[0].duration == "300"
    assert [(s.reason, s.record) for s in report.skipped] == [
        ("both alert and record: Prometheus refuses such a rule", "odd: Hello"),
        ("neither alert nor record", "odd: rule 3"),
        ("no expr", "odd: NoExpression"),
        ("no expr", "odd: EmptyExpression"),
        ("a rule that is not a mapping", "odd: rule 6"),
        ("no expr", "odd: nested_expr"),
    ]


def test_prometheus_rules_with_several_documents_are_noted(tmp_path: Path) -> None:
    path = tmp_path / "rules.yml"
    path.write_text(
        "groups:\n- name: a\n  rules:\n  - record: x\n    expr: up\n"
        "---\ngroups:\n- name: b\n  rules:\n  - alert: Y\n    expr: up == 0\n"
    )
    report = read_report(path)
    assert [r.name for r in report.rules] == ["x", "Y"]
    assert report.notes == ["2 YAML documents with rule groups: Prometheus loads only the first"]


def test_prometheus_rules_yaml_is_loaded_safely(tmp_path: Path) -> None:
    path = tmp_path / "rules.yml"
    path.write_text(
        "groups:\n- name: a\n  rules:\n  - alert: X\n    expr: !!python/object/apply:os.system ['true']\n"
    )
    with pytest.raises(ReportError, match="invalid YAML"):
        read_report(path, format="prometheus-rules")


# ------------------------------------------------------------------------------ real locust run


def _locust_command() -> list[str] | None:
    """locust as given by PHASEBOOK_LOCUST, on the PATH, or importable here; else ``None``."""
    if os.environ.get("PHASEBOOK_LOCUST"):
        return [os.environ["PHASEBOOK_LOCUST"]]
    if shutil.which("locust"):
        return [str(shutil.which("locust"))]
    if importlib.util.find_spec("locust") is not None:
        return [sys.executable, "-m", "locust"]
    return None


LOCUSTFILE = """
from locust import HttpUser, constant, task


class Visitor(HttpUser):
    wait_time = constant(0.05)

    @task(3)
    def home(self):
        self.client.get("/")

    @task(1)
    def missing(self):
        self.client.get("/missing")

    @task(1)
    def bug(self):
        raise ValueError("planted bug")
"""


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """No access log on the test's output."""


@pytest.mark.skipif(_locust_command() is None, reason="locust is not installed")
def test_locust_real_run(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("hello\n")
    (tmp_path / "locustfile.py").write_text(LOCUSTFILE)
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        command = [
            *(_locust_command() or []),
            *("-f", str(tmp_path / "locustfile.py"), "--headless", "-u", "2", "-r", "2"),
            *("-t", "3s", "--host", f"http://127.0.0.1:{server.server_port}"),
            *("--csv", str(tmp_path / "run"), "--only-summary"),
        ]
        subprocess.run(command, cwd=tmp_path, capture_output=True, timeout=120, check=False)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
    reports = {
        suffix: read_report(tmp_path / f"run_{suffix}.csv")
        for suffix in ("stats", "stats_history", "failures", "exceptions")
    }
    assert [r.format for r in reports.values()] == [
        "locust-stats-csv",
        "locust-history-csv",
        "locust-failures-csv",
        "locust-exceptions-csv",
    ]
    stats = _by_name(reports["stats"])
    missing = (("method", "GET"), ("endpoint", "/missing"))
    assert stats[("failure_ratio", missing)].value == 1.0
    failures = reports["failures"].measurements
    assert sum(m.value for m in failures) == stats[("failure_count", ())].value
    (bug,) = reports["exceptions"].measurements
    assert ("message", "planted bug") in bug.labels


# ------------------------------------------------------------------------------ corpus

needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/reports is absent")


@needs_corpus
def test_corpus_refusals_say_why() -> None:
    state = CORPUS / "terraform/show-json/checkov-tests__terraform__runner__resources__plan"
    with pytest.raises(ReportError, match="this is Terraform state"):
        read_report(state / "corrupted-tfplan.json")


def _numbers_of(report: Report) -> set[tuple[str, tuple[tuple[str, str], ...], float, str]]:
    return {(m.name, m.labels, m.value, m.unit) for m in report.measurements}


@needs_corpus
def test_corpus_k6_run_in_both_layouts_agrees() -> None:
    """The same k6 run written both ways gives the same numbers and the same crossed threshold."""
    export = read_report(
        CORPUS / "k6/summary-export/k6-1.1.0_thresholds-failed/summary-export.json"
    )
    summary = read_report(
        CORPUS / "k6/handle-summary/k6-1.1.0_thresholds-failed/handle-summary.json"
    )
    assert (export.format, summary.format) == ("k6-summary-export", "k6-summary")
    assert _numbers_of(export) == _numbers_of(summary)
    assert _thresholds(export) == _thresholds(summary)
    assert [k for k, v in _thresholds(export).items() if v is Outcome.FAILED] == [
        ("http_req_failed", "rate<0.01")
    ]
    assert {(t.classname, t.name, t.outcome) for t in export.tests if t.suite == "checks"} == {
        (t.classname, t.name, t.outcome) for t in summary.tests if t.suite == "checks"
    }


@needs_corpus
def test_corpus_k6_setup_data_tokens_are_not_published() -> None:
    for path in sorted((CORPUS / "k6" / "handle-summary").rglob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        token = (data.get("setup_data") or {}).get("token")
        if token:
            assert token[:40] not in published_text(read_report(path)), path


@needs_corpus
def test_corpus_large_rule_file_is_read_quickly() -> None:
    path = CORPUS / "prometheus/alert-rules-yaml/prometheus-testdata/rules_large.yml"
    started = dt.datetime.now(dt.UTC)
    report = read_report(path)
    assert len(report.rules) == 10002
    assert (dt.datetime.now(dt.UTC) - started).total_seconds() < 10


# ------------------------------------------------------------------------------ properties


def _utf8(name: str) -> bool:
    try:
        (FIXTURES / name).read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


OURS = set(OPS) - {"measurements"}  # the measurements fixtures belong to the core tests
READ_YAML = [name for name in read_fixtures(".yml", ".yaml") if format_of(name) in OURS]
READ_CSV = [name for name in read_fixtures(".csv") if format_of(name) in OURS and _utf8(name)]


@PROPERTY
@given(name=st.sampled_from(READ_YAML), pick=st.integers(min_value=0), value=JSON_VALUES)
def test_mutated_yaml_raises_only_report_errors(
    tmp_path: Path, name: str, pick: int, value: Any
) -> None:
    documents = list(yaml.safe_load_all((FIXTURES / name).read_text(encoding="utf-8")))
    nodes = places(documents)[1:]  # a place inside one of the documents
    mutated = replaced(documents, nodes[pick % len(nodes)], value)
    text = yaml.safe_dump_all(mutated, allow_unicode=True)
    only_report_errors(OPS[format_of(name)], tmp_path / "mutated.yml", text)


@PROPERTY
@given(
    name=st.sampled_from(READ_CSV),
    row=st.integers(min_value=0),
    cell=st.integers(min_value=0),
    value=st.text(max_size=12) | st.sampled_from(["N/A", "", "nan", "inf", "-1", "1e400"]),
    drop=st.booleans(),
)
def test_mutated_csv_raises_only_report_errors(
    tmp_path: Path, name: str, row: int, cell: int, value: str, drop: bool
) -> None:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    target = rows[row % len(rows)]
    if target:
        if drop:
            del target[cell % len(target)]
        else:
            target[cell % len(target)] = value
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    only_report_errors(OPS[format_of(name)], tmp_path / "mutated.csv", out.getvalue())



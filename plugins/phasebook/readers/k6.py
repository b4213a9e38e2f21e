"""k6 end-of-test summaries in JSON: ``--summary-export`` and ``handleSummary(data)``.

Both hold ``metrics`` and ``root_group``. In ``--summary-export`` a metric's numbers sit
directly in it (``{"avg": …, "p(95)": …, "thresholds": {"p(95)<200": false}}``); in
``handleSummary`` data they sit under ``values`` beside the metric's ``type`` and
``contains`` (``{"type": "trend", "contains": "time", "values": {…}, "thresholds":
{"p(95)<200": {"ok": true}}}``). The threshold booleans mean opposite things: in the export
``true`` says the threshold was **crossed**, in ``handleSummary`` ``ok: true`` says it held.

Each number of a metric is one measurement named ``<metric>.<stat>`` (``http_req_duration.p95``,
``http_req_duration.avg``, ``http_reqs.count``, ``http_reqs.rate``, ``http_req_failed.rate``,
``vus.max``); a sub-metric's tags (``http_req_duration{expected_response:true}``) become its
labels. Units: time trends in ms, data in bytes (per second for rates), a rate metric's rate
as a ratio, passes/fails and counts as counts; the export does not say whether a custom trend
holds times, so those are unit-less (noted). Each check (``root_group`` and its nested groups)
is a test in suite ``checks``: passed when it never failed, skipped when it never ran. Each
threshold is a test in suite ``thresholds``: failed when crossed. ``setup_data`` (often
tokens) is never read.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

from phasebook.evidence import Measurement, Outcome, Report, Skipped, TestResult
from phasebook.readers.base import ReportError, load_any, not_the_format
from phasebook.readers.roles import MEASUREMENTS_AND_TESTS, Role

EXPORT, SUMMARY = "export", "summary"
_SUMMARY_MARKERS = (
    re.compile(r'"contains"\s*:\s*"(?:time|data|default)"'),
    re.compile(r'"state"\s*:\s*\{[^{}]*"testRunDurationMs"'),
    re.compile(r'"(?:checks|groups)"\s*:\s*\['),  # lists in handleSummary, objects in the export
)
_PERCENTILE = re.compile(r"p\((\d+(?:\.\d+)?)\)")
_TIME_METRICS = frozenset(
    {
        "http_req_duration",
        "http_req_blocked",
        "http_req_connecting",
        "http_req_tls_handshaking",
        "http_req_sending",
        "http_req_waiting",
        "http_req_receiving",
        "iteration_duration",
        "group_duration",
        "ws_connecting",
        "ws_session_duration",
        "ws_ping",
        "grpc_req_duration",
    }
)
"""k6's built-in trends that hold times: the export does not say which trends do."""
_DATA_METRICS = frozenset({"data_received", "data_sent"})
_MAX_LABEL = 300
EXPECTED = (
    "a k6 summary: an object with `metrics` and `root_group` (--summary-export or "
    "handleSummary data)"
)


def _shape(head: str) -> str | None:
    """Which layout the start of a file is; the metrics may lie beyond a long ``root_group``."""
    if '"root_group"' not in head or not ('"metrics"' in head or '"checks"' in head):
        return None
    if any(marker.search(head) for marker in _SUMMARY_MARKERS):
        return SUMMARY
    return EXPORT


def _split_name(key: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """``http_req_duration{status:200,method:GET}`` → name and sorted tag labels."""
    if not key.endswith("}") or "{" not in key:
        return key, ()
    name, _, tags = key[:-1].partition("{")
    labels = []
    for part in tags.split(","):
        tag, sep, value = part.partition(":")
        if sep and tag.strip():
            labels.append((tag.strip()[:_MAX_LABEL], value.strip()[:_MAX_LABEL]))
    return name, tuple(sorted(labels))


def _stat_name(stat: str) -> str:
    match = _PERCENTILE.fullmatch(stat)
    return f"p{match.group(1)}" if match else stat


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _metric_type(name: str, values: dict[str, Any], declared: object) -> str:
    if declared in ("trend", "counter", "rate", "gauge"):
        return str(declared)
    if "passes" in values or "fails" in values:
        return "rate"
    if any(k in values for k in ("avg", "med")) or any(_PERCENTILE.fullmatch(k) for k in values):
        return "trend"
    if "count" in values:
        return "counter"
    return "gauge"


def _contains(name: str, metric_type: str, declared: object) -> str | None:
    """``time``, ``data`` or ``default`` as the summary says, else what k6's built-ins hold."""
    if declared in ("time", "data", "default"):
        return str(declared)
    if name in _TIME_METRICS:
        return "time"
    if name in _DATA_METRICS:
        return "data"
    if metric_type == "trend":
        return None  # a custom trend: times or plain numbers, the export does not say
    return "default"


def _unit(metric_type: str, contains: str | None, stat: str) -> str:
    if stat in ("passes", "fails") or (stat == "count" and contains != "data"):
        return "count"
    if metric_type == "rate" and stat in ("rate", "value"):
        return "ratio"
    if metric_type == "counter" and stat == "rate":
        return "B/s" if contains == "data" else "1/s"
    if contains == "time":
        return "ms"
    if contains == "data":
        return "B"
    return ""


def _items(value: object) -> list[object]:
    """The entries of a ``checks`` or ``groups`` field: an object in the export, a list else."""
    if isinstance(value, dict):
        return list(value.values())
    return list(value) if isinstance(value, list) else []


def _tests(group: object, path: str) -> list[tuple[str, object]]:
    """Every check of a group and its nested groups, with the group's path."""
    if not isinstance(group, dict):
        return []
    found: list[tuple[str, object]] = [(path, check) for check in _items(group.get("checks"))]
    for child in _items(group.get("groups")):
        child_path = child.get("path") if isinstance(child, dict) else None
        found += _tests(child, child_path if isinstance(child_path, str) else path)
    return found


def _check(group_path: str, check: object) -> TestResult | str:
    if not isinstance(check, dict):
        return "a check that is not an object"
    name, passes, fails = check.get("name"), check.get("passes"), check.get("fails")
    if not isinstance(name, str):
        return "a check without a name"
    passed, failed = _number(passes), _number(fails)
    if passed is None or failed is None:
        return "a check without passes and fails counts"
    if failed > 0:
        outcome = Outcome.FAILED
    elif passed > 0:
        outcome = Outcome.PASSED
    else:
        outcome = Outcome.SKIPPED  # declared but never evaluated
    return TestResult(
        suite="checks",
        name=name,
        outcome=outcome,
        classname=group_path or None,
        message=f"{passed:g} passed, {failed:g} failed",
    )


class _K6Reader:
    """One of k6's two summary layouts."""

    shape = EXPORT
    format = "k6-summary-export"
    role = Role.LOAD_TEST
    kinds = MEASUREMENTS_AND_TESTS

    def detect(self, head: str, path: Path) -> bool:
        return _shape(head) == self.shape

    def read(self, path: Path) -> Report:
        data = load_any(path)
        if not isinstance(data, dict) or not data:
            raise not_the_format(path, data, "a k6 summary", EXPECTED)
        if not isinstance(data.get("metrics"), dict):
            raise ReportError(path, f"not a k6 summary: no `metrics` object (expected {EXPECTED})")
        metrics: dict[str, Any] = data["metrics"]
        if "root_group" not in data and "state" not in data:
            raise ReportError(path, f"not a k6 summary: no `root_group` (expected {EXPECTED})")
        nested = [m for m in metrics.values() if isinstance(m, dict) and "values" in m]
        shape = SUMMARY if nested or "state" in data else EXPORT
        if shape != self.shape:
            other = "k6-summary" if shape == SUMMARY else "k6-summary-export"
            kind = "handleSummary data" if shape == SUMMARY else "a --summary-export file"
            raise ReportError(path, f"this is {kind}: read it with format {other}")
        report = Report(path=path, format=self.format, tool="k6")
        unknown_trends: set[str] = set()
        thresholds: list[TestResult | tuple[str, str]] = []
        for key, metric in metrics.items():
            result = self._metric(str(key), metric, unknown_trends)
            if isinstance(result, str):
                report.skipped.append(Skipped(result, f"metric {key}"[:_MAX_LABEL]))
            else:
                report.records.extend(result)
            if isinstance(metric, dict):
                thresholds += self._thresholds(str(key), metric.get("thresholds"))
        for group_path, check in _tests(data.get("root_group"), ""):
            test = _check(group_path, check)
            if isinstance(test, str):
                report.skipped.append(Skipped(test, group_path or "root group"))
            else:
                report.records.append(test)
        for item in thresholds:
            if isinstance(item, tuple):
                report.skipped.append(Skipped(*item))
            else:
                report.records.append(item)
        if unknown_trends:
            names = ", ".join(sorted(unknown_trends))
            report.notes.append(
                f"custom trends without a unit (the export does not say if they hold times, "
                f"which k6 writes in ms): {names}"[:500]
            )
        return report

    def _metric(
        self, key: str, metric: object, unknown_trends: set[str]
    ) -> list[Measurement] | str:
        if not isinstance(metric, dict):
            return "a metric that is not an object"
        values = metric.get("values") if self.shape == SUMMARY else metric
        if not isinstance(values, dict):
            return "a metric without values"
        name, labels = _split_name(key)
        metric_type = _metric_type(name, values, metric.get("type"))
        contains = _contains(name, metric_type, metric.get("contains"))
        found = []
        for stat, raw in values.items():
            value = _number(raw)
            if value is None or stat == "thresholds":
                continue
            stat_name = "rate" if metric_type == "rate" and stat == "value" else _stat_name(stat)
            unit = _unit(metric_type, contains, stat)
            found.append(Measurement(f"{name}.{stat_name}", value, unit, labels=labels))
        if not found:
            return "a metric without numbers"
        if contains is None:
            unknown_trends.add(name)
        return found

    def _thresholds(self, key: str, thresholds: object) -> list[TestResult | tuple[str, str]]:
        if not isinstance(thresholds, dict):
            return []
        found: list[TestResult | tuple[str, str]] = []
        for expression, state in thresholds.items():
            crossed = self._crossed(state)
            where = f"threshold {key}: {expression}"[:_MAX_LABEL]
            if crossed is None:
                found.append(("a threshold without a result", where))
                continue
            found.append(
                TestResult(
                    suite="thresholds",
                    name=str(expression)[:_MAX_LABEL],
                    outcome=Outcome.FAILED if crossed else Outcome.PASSED,
                    classname=key[:_MAX_LABEL],
                    message="crossed" if crossed else None,
                )
            )
        return found

    def _crossed(self, state: object) -> bool | None:
        """Whether the threshold was crossed; the two layouts say it the opposite way round."""
        if self.shape == EXPORT:
            return state if isinstance(state, bool) else None
        ok = state.get("ok") if isinstance(state, dict) else None
        return (not ok) if isinstance(ok, bool) else None


class K6SummaryExportReader(_K6Reader):
    shape = EXPORT
    format = "k6-summary-export"


class K6SummaryReader(_K6Reader):
    shape = SUMMARY
    format = "k6-summary"

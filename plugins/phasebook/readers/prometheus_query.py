"""Prometheus HTTP API query results (``/api/v1/query`` and ``/api/v1/query_range``) in JSON.

``{"status": "success", "data": {"resultType": "vector" | "matrix" | "scalar" | "string",
"result": …}}``. Every sample is one measurement: a vector's series give one each (``value``),
a matrix's series one per point (``values``), a scalar one. A measurement is named after the
series' ``__name__``; an expression's result has none (``rate(…)``, ``sum(…)``, a scalar), so
it is named after the file (``error_rate.json`` → ``error_rate``). The other labels are kept,
the time is the sample's. Values are strings: ``NaN`` and ``±Inf`` are not numbers a threshold
can judge, so those samples are skipped with the reason, as are string results and native
histogram samples. The unit follows Prometheus' naming conventions (``_seconds`` → s,
``_bytes`` → B, ``_ratio`` → ratio, ``_percent`` → %, ``_total``/``_count`` → count).
A ``status: error`` response is refused with Prometheus' own error.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path
from typing import Any

from phasebook.evidence import Measurement, Report, Skipped
from phasebook.readers.base import ReportError, load_any, not_the_format, starts_json
from phasebook.readers.roles import MEASUREMENTS, Role

RESULT_TYPES = ("vector", "matrix", "scalar", "string")
_STATUS = re.compile(r'"status"\s*:\s*"(?:success|error)"')
_UNITS = (
    ("_seconds", "s"),
    ("_milliseconds", "ms"),
    ("_bytes", "B"),
    ("_ratio", "ratio"),
    ("_percent", "%"),
    ("_count", "count"),
)
_MAX_LABEL = 300
_HISTOGRAM = "native histogram samples are not read"
EXPECTED = (
    "a Prometheus API answer: an object with `status` and `data.resultType` "
    "(/api/v1/query or /api/v1/query_range)"
)


def _unit(name: str) -> str:
    """The unit Prometheus' naming conventions give; a counter of seconds is still seconds."""
    base = name.removesuffix("_total")
    unit = next((unit for suffix, unit in _UNITS if base.endswith(suffix)), "")
    return unit or ("count" if name.endswith("_total") else "")


def _time(value: object) -> dt.datetime | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        return dt.datetime.fromtimestamp(float(value), tz=dt.UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _sample(name: str, labels: tuple[tuple[str, str], ...], pair: object) -> Measurement | str:
    """One ``[time, "value"]`` pair as a measurement, or why it is not one."""
    if not isinstance(pair, list) or len(pair) != 2:
        return "a sample that is not a [time, value] pair"
    when = _time(pair[0])
    if when is None:
        return f"time {str(pair[0])[:40]!r} is not a Unix time"
    raw = pair[1]
    if not isinstance(raw, str):
        return f"value {str(raw)[:40]!r} is not a string number"
    try:
        value = float(raw)
    except ValueError:
        return f"value {raw[:40]!r} is not a number"
    if not math.isfinite(value):
        return f"value {raw} is not a finite number"
    return Measurement(name=name, value=value, unit=_unit(name), timestamp=when, labels=labels)


def _series(stem: str, item: object) -> tuple[str, tuple[tuple[str, str], ...]] | None:
    if not isinstance(item, dict):
        return None
    metric = item.get("metric", {})
    if not isinstance(metric, dict):
        return None
    name = metric.get("__name__")
    labels = tuple(
        sorted(
            (str(key)[:_MAX_LABEL], str(value)[:_MAX_LABEL])
            for key, value in metric.items()
            if key != "__name__"
        )
    )
    return (name if isinstance(name, str) and name else stem), labels


class PrometheusQueryReader:
    """Answers of the Prometheus query API."""

    format = "prometheus-query-json"
    role = Role.MONITORING_QUERY
    kinds = MEASUREMENTS

    def detect(self, head: str, path: Path) -> bool:
        return (
            starts_json(head, "{")
            and bool(_STATUS.search(head))
            and ('"resultType"' in head or '"errorType"' in head)
        )

    def read(self, path: Path) -> Report:
        data = load_any(path)
        if not isinstance(data, dict) or data.get("status") not in ("success", "error"):
            raise not_the_format(path, data, "a Prometheus query answer", EXPECTED)
        if data["status"] == "error":
            kind, message = data.get("errorType"), data.get("error")
            raise ReportError(path, f"the query failed: {kind}: {message}"[:1000])
        body = data.get("data")
        result_type = body.get("resultType") if isinstance(body, dict) else None
        if not isinstance(body, dict) or result_type not in RESULT_TYPES:
            raise ReportError(
                path,
                f"not a query result: resultType {result_type!r} "
                f"(supported: {', '.join(RESULT_TYPES)})",
            )
        report = Report(path=path, format=self.format, tool="prometheus")
        self._result(path, report, str(result_type), body.get("result"))
        for key in ("warnings", "infos"):
            messages = data.get(key)
            if isinstance(messages, list):
                report.notes += [f"Prometheus {key[:-1]}: {m}"[:500] for m in messages]
        stamps = [m.timestamp for m in report.measurements if m.timestamp is not None]
        report.generated_at = max(stamps) if stamps else None
        return report

    def _result(self, path: Path, report: Report, result_type: str, result: Any) -> None:
        stem = path.stem
        if result_type in ("scalar", "string"):
            if not isinstance(result, list):
                raise ReportError(path, f"a {result_type} result is not a [time, value] pair")
            if result_type == "string":
                report.skipped.append(Skipped("a string result is not a number", stem))
            else:
                self._add(report, _sample(stem, (), result), stem)
            return
        if not isinstance(result, list):
            raise ReportError(path, f"a {result_type} result is not a list of series")
        for index, item in enumerate(result):
            series = _series(stem, item)
            if series is None or not isinstance(item, dict):
                report.skipped.append(Skipped("a series that is not an object", f"#{index}"))
                continue
            name, labels = series
            where = (name + "{" + ",".join(f"{k}={v}" for k, v in labels) + "}")[:_MAX_LABEL]
            if result_type == "vector":
                if "histogram" in item:
                    report.skipped.append(Skipped(_HISTOGRAM, where))
                else:
                    self._add(report, _sample(name, labels, item.get("value")), where)
                continue
            histograms = item.get("histograms")
            if histograms is not None:
                count = len(histograms) if isinstance(histograms, list) else 1
                report.skipped += [Skipped(_HISTOGRAM, where)] * count
            points = item.get("values")
            if isinstance(points, list):
                for point in points:
                    self._add(report, _sample(name, labels, point), where)
            elif histograms is None:
                report.skipped.append(Skipped("a series without values", where))

    @staticmethod
    def _add(report: Report, result: Measurement | str, where: str) -> None:
        if isinstance(result, str):
            report.skipped.append(Skipped(result, where[:_MAX_LABEL]))
        else:
            report.records.append(result)

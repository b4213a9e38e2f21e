"""locust CSV (``locust --headless --csv PREFIX``): stats, stats history, failures, exceptions.

Which file it is comes from its header row, never its name (``_stats.csv`` …); column
names of locust 0.x, 1.x and 2.x are all read (``# requests`` and ``Request Count`` alike).
Each row of the stats and history files is a set of measurements named after the column:
``request_count``, ``failure_count``, ``failure_ratio`` (failures / requests),
``requests_per_s``, ``failures_per_s``, ``median_response_time``, ``average_response_time``,
``min_response_time``, ``max_response_time``, ``p95_response_time`` (one per percentile
column, in ms), ``average_content_size`` (bytes) and, in the history, ``user_count``; the
endpoint's rows are labelled ``method`` and ``endpoint``, the ``Aggregated`` row (the whole
run) has no labels. History rows carry their time; a row whose percentiles are all ``N/A``
(no response yet, as in the first second of the history) is skipped with that reason. A
failures row is a ``failure_occurrences`` count labelled with method, endpoint and error, an
exceptions row an ``exception_count`` labelled with its message and nodes (the traceback,
with its paths, is not kept): they are counts of a load test, not findings of a scanner.
Every row is kept or skipped with its reason.

locust writes the file in the machine's encoding: bytes that are not UTF-8 are read as ``�``
(with a note) rather than losing the row.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from pathlib import Path

from phasebook.evidence import Measurement, Report, Skipped
from phasebook.readers.base import ReportError, decode, not_blank, read_bytes
from phasebook.readers.roles import MEASUREMENTS, Role

STATS, HISTORY, FAILURES, EXCEPTIONS = "stats", "history", "failures", "exceptions"
_WHAT = {
    STATS: "a locust _stats.csv",
    HISTORY: "a locust _stats_history.csv",
    FAILURES: "a locust _failures.csv",
    EXCEPTIONS: "a locust _exceptions.csv",
}
_HEADER = {
    STATS: "Type,Name,Request Count,…",
    HISTORY: "Timestamp,User Count,Type,Name,…",
    FAILURES: "Method,Name,Error,Occurrences",
    EXCEPTIONS: "Count,Message,Traceback,Nodes",
}

MS, COUNT, PER_S, BYTES = "ms", "count", "1/s", "B"
_COLUMNS: dict[str, tuple[str, str]] = {
    "user count": ("user_count", COUNT),
    "request count": ("request_count", COUNT),
    "# requests": ("request_count", COUNT),
    "total request count": ("request_count", COUNT),
    "failure count": ("failure_count", COUNT),
    "# failures": ("failure_count", COUNT),
    "total failure count": ("failure_count", COUNT),
    "median response time": ("median_response_time", MS),
    "total median response time": ("median_response_time", MS),
    "average response time": ("average_response_time", MS),
    "total average response time": ("average_response_time", MS),
    "min response time": ("min_response_time", MS),
    "total min response time": ("min_response_time", MS),
    "max response time": ("max_response_time", MS),
    "total max response time": ("max_response_time", MS),
    "average content size": ("average_content_size", BYTES),
    "total average content size": ("average_content_size", BYTES),
    "requests/s": ("requests_per_s", PER_S),
    "failures/s": ("failures_per_s", PER_S),
    "requests failed/s": ("failures_per_s", PER_S),
}
"""Header (lower case) → measurement name and unit; history's ``Total …`` columns are the
run's running totals, so they carry the same names as the stats file's columns."""
_PERCENTILE = re.compile(r"(\d+(?:\.\d+)?)%")
_LABEL_COLUMNS = frozenset({"type", "method", "name", "timestamp"})
_OVERALL = frozenset({"aggregated", "total"})
_TEXT_LIMIT = 300


def header_kind(header: list[str]) -> str | None:
    """Which locust file a header row belongs to, or ``None``."""
    names = [cell.strip().lower() for cell in header]
    if names[:4] == ["count", "message", "traceback", "nodes"]:
        return EXCEPTIONS
    if names[:4] == ["method", "name", "error", "occurrences"]:
        return FAILURES
    if "name" not in names or not any(_COLUMNS.get(n, ("",))[0] == "request_count" for n in names):
        return None
    return HISTORY if "timestamp" in names else STATS


def _first_row(head: str) -> list[str]:
    for line in head.lstrip("\ufeff").splitlines()[:3]:
        if line.strip():
            try:
                return next(csv.reader([line]), [])
            except csv.Error:
                return []
    return []


def _number(cell: str) -> float | None:
    try:
        value = float(cell)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _short(text: str) -> str:
    return " ".join(text.split())[:_TEXT_LIMIT]


def _load(path: Path) -> tuple[list[list[str]], list[str]]:
    """The file's non-blank rows, and notes about how it was decoded."""
    data = read_bytes(path)
    notes = []
    try:
        text = decode(path, data)
    except ReportError:
        text = data.decode("utf-8", errors="replace")
        notes.append(
            "the file is not UTF-8 (locust wrote it in the machine's encoding): "
            "bytes that are not UTF-8 are shown as �"
        )
    reader = csv.reader(io.StringIO(not_blank(path, text).lstrip("\ufeff"), newline=""))
    try:
        rows = [row for row in reader if any(cell.strip() for cell in row)]
    except csv.Error as error:
        raise ReportError(path, f"invalid CSV at line {reader.line_num}: {error}") from None
    if not rows:
        raise ReportError(path, "no header row: the file has only empty cells")
    return rows, notes


class _LocustReader:
    """One of locust's CSV files; the subclasses differ only in which."""

    kind = STATS
    format = "locust-stats-csv"
    role = Role.LOAD_TEST
    kinds = MEASUREMENTS

    def detect(self, head: str, path: Path) -> bool:
        return header_kind(_first_row(head)) == self.kind

    def read(self, path: Path) -> Report:
        rows, notes = _load(path)
        header = rows[0]
        kind = header_kind(header)
        if kind != self.kind:
            found = f"it is {_WHAT[kind]}" if kind else f"header {','.join(header)[:120]!r}"
            raise ReportError(
                path,
                f"not {_WHAT[self.kind]} ({found}): expected its header row "
                f"{_HEADER[self.kind]}, as `locust --csv` writes it",
            )
        report = Report(path=path, format=self.format, tool="locust", notes=notes)
        names = [cell.strip().lower() for cell in header]
        for number, row in enumerate(rows[1:], start=2):
            if len(row) != len(header):
                report.skipped.append(
                    Skipped(f"{len(row)} cells where the header has {len(header)}", f"row {number}")
                )
                continue
            cells = dict(zip(names, row, strict=True))
            result = _row(self.kind, names, cells)
            if isinstance(result, str):
                report.skipped.append(Skipped(result, f"row {number}: {_row_id(cells)}"))
            else:
                report.records.extend(result)
        if self.kind in (STATS, HISTORY):
            unread = [h.strip() for h, n in zip(header, names, strict=True) if not _known(n)]
            if unread:
                report.notes.append(f"columns not read: {', '.join(unread)}"[:500])
        stamps = [m.timestamp for m in report.measurements if m.timestamp is not None]
        report.generated_at = max(stamps) if stamps else None
        return report


class LocustStatsReader(_LocustReader):
    kind = STATS
    format = "locust-stats-csv"


class LocustHistoryReader(_LocustReader):
    kind = HISTORY
    format = "locust-history-csv"


class LocustFailuresReader(_LocustReader):
    kind = FAILURES
    format = "locust-failures-csv"


class LocustExceptionsReader(_LocustReader):
    kind = EXCEPTIONS
    format = "locust-exceptions-csv"


def _known(name: str) -> bool:
    return name in _LABEL_COLUMNS or name in _COLUMNS or bool(_PERCENTILE.fullmatch(name))


def _row_id(cells: dict[str, str]) -> str:
    method = cells.get("type", cells.get("method", "")).strip()
    name = cells.get("name", cells.get("message", "")).strip()
    return _short(" ".join(part for part in (method, name) if part))


def _row(kind: str, names: list[str], cells: dict[str, str]) -> list[Measurement] | str:
    """The row's measurements, or why it has none."""
    if kind == FAILURES:
        return _failure(cells)
    if kind == EXCEPTIONS:
        return _exception(cells)
    return _stats(kind, names, cells)


def _labels(cells: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """``method`` and ``endpoint``; none for the whole run's ``Aggregated`` row."""
    method = cells.get("type", cells.get("method", "")).strip()
    name = cells.get("name", "").strip()
    if method in ("", "None") and name.lower() in _OVERALL:
        return ()
    return (("method", method), ("endpoint", name)) if method else (("endpoint", name),)


def _unix_time(cell: str) -> dt.datetime | str:
    number = _number(cell.strip())
    if number is None:
        return f"timestamp {cell.strip()[:40]!r} is not a Unix time"
    try:
        return dt.datetime.fromtimestamp(number, tz=dt.UTC)
    except (OverflowError, OSError, ValueError):
        return f"timestamp {cell.strip()[:40]!r} is out of range"


def _iso_time(cell: str | None) -> dt.datetime | None:
    if not cell or not cell.strip():
        return None
    try:
        when = dt.datetime.fromisoformat(cell.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def _stats(kind: str, names: list[str], cells: dict[str, str]) -> list[Measurement] | str:
    percentiles = [n for n in names if _PERCENTILE.fullmatch(n)]
    if percentiles and all(_number(cells[n].strip()) is None for n in percentiles):
        return "no response times yet (percentiles N/A)"
    when: dt.datetime | None = None
    if kind == HISTORY:
        stamp = _unix_time(cells["timestamp"])
        if isinstance(stamp, str):
            return stamp
        when = stamp
    labels = _labels(cells)
    values: dict[str, tuple[float, str]] = {}
    for name in names:
        if name in _COLUMNS:
            measure, unit = _COLUMNS[name]
        elif match := _PERCENTILE.fullmatch(name):
            measure, unit = f"p{match.group(1)}_response_time", MS
        else:
            continue
        value = _number(cells[name].strip())
        if value is not None and measure not in values:
            values[measure] = (value, unit)
    if "request_count" not in values:
        count_column = next(n for n in names if _COLUMNS.get(n, ("",))[0] == "request_count")
        return f"request count {cells[count_column].strip()[:40]!r} is not a number"
    requests = values["request_count"][0]
    if "failure_count" in values and requests > 0:
        values["failure_ratio"] = (values["failure_count"][0] / requests, "ratio")
    return [
        Measurement(name=name, value=value, unit=unit, timestamp=when, labels=labels)
        for name, (value, unit) in values.items()
    ]


def _failure(cells: dict[str, str]) -> list[Measurement] | str:
    count = _number(cells["occurrences"].strip())
    if count is None:
        return f"occurrences {cells['occurrences'].strip()[:40]!r} is not a number"
    method, name = cells["method"].strip(), cells["name"].strip()
    labels = (("method", method), ("endpoint", name)) if method else (("endpoint", name),)
    return [
        Measurement(
            name="failure_occurrences",
            value=count,
            unit=COUNT,
            timestamp=_iso_time(cells.get("last seen")),
            labels=(*labels, ("error", _short(cells["error"]))),
        )
    ]


def _exception(cells: dict[str, str]) -> list[Measurement] | str:
    count = _number(cells["count"].strip())
    if count is None:
        return f"count {cells['count'].strip()[:40]!r} is not a number"
    labels = (("message", _short(cells["message"])), ("nodes", _short(cells["nodes"])))
    return [Measurement(name="exception_count", value=count, unit=COUNT, labels=labels)]

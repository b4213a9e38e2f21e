"""A plain measurements file for numbers no tool emits (build, deploy, rollback times…).

CSV with the header ``name,value,unit,timestamp`` exactly, or YAML with a top-level
``measurements:`` list of ``{name, value, unit, timestamp}``: the file says what it is, so
detection is never a guess.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import yaml

from phasebook.evidence import Measurement, Report, Skipped
from phasebook.readers.base import ReportError, read_text
from phasebook.readers.roles import MEASUREMENTS, Role

HEADER = ["name", "value", "unit", "timestamp"]


def _measurement(row: dict[str, Any]) -> Measurement | str:
    """The measurement, or why the row cannot be one."""
    name = str(row.get("name") or "").strip()
    if not name:
        return "no name"
    try:
        value = float(row.get("value"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return f"value {row.get('value')!r} is not a number"
    stamp = row.get("timestamp")
    when: dt.datetime | None = None
    if isinstance(stamp, dt.datetime):
        when = stamp
    elif stamp not in (None, ""):
        try:
            when = dt.datetime.fromisoformat(str(stamp))
        except ValueError:
            return f"timestamp {stamp!r} is not ISO 8601"
    if when is not None and when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return Measurement(name=name, value=value, unit=str(row.get("unit") or "").strip(),
                       timestamp=when)


class MeasurementsReader:
    """Measurements recorded by people or scripts."""

    format = "measurements"
    role = Role.MEASUREMENTS
    kinds = MEASUREMENTS

    def detect(self, head: str, path: Path) -> bool:
        first = head.lstrip("\ufeff").splitlines()[0] if head.strip() else ""
        if [cell.strip() for cell in first.split(",")] == HEADER:
            return True
        return path.suffix in (".yml", ".yaml") and head.lstrip().startswith("measurements:")

    def read(self, path: Path) -> Report:
        text = read_text(path)
        if path.suffix in (".yml", ".yaml"):
            try:
                data = yaml.safe_load(text)
            except yaml.YAMLError as error:
                raise ReportError(path, f"invalid YAML: {error}") from None
            rows = data.get("measurements") if isinstance(data, dict) else None
            if not isinstance(rows, list):
                raise ReportError(path, "a measurements YAML file needs a `measurements:` list")
        else:
            reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
            try:
                if [f.strip() for f in reader.fieldnames or []] != HEADER:
                    raise ReportError(
                        path,
                        f"the CSV header must be exactly {','.join(HEADER)} (expected a "
                        "measurements CSV, or YAML with a `measurements:` list in a .yml file)",
                    )
                rows = list(reader)
            except csv.Error as error:
                raise ReportError(path, f"invalid CSV at line {reader.line_num}: {error}") from None
        report = Report(path=path, format=self.format, tool="measurements")
        for index, row in enumerate(rows, start=1):
            result = _measurement(row) if isinstance(row, dict) else "not a mapping"
            if isinstance(result, str):
                report.skipped.append(Skipped(f"row {index}: {result}", str(index)))
            else:
                report.records.append(result)
        stamps = [m.timestamp for m in report.measurements if m.timestamp is not None]
        report.generated_at = max(stamps) if stamps else None
        return report

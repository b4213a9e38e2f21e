"""One read report, for ``phasebook read``: a few human lines, or the public JSON.

The JSON (one object a line with ``--json``) is versioned: ``phasebook_report`` is
:data:`REPORT_JSON_VERSION`, raised whenever a field changes meaning or goes away.
"""

from __future__ import annotations

import datetime as dt
import json
from enum import StrEnum
from pathlib import Path

from phasebook.evidence import Report, outcome_counts, severity_counts
from phasebook.readers import role_of

REPORT_JSON_VERSION = 1


def _plain(value: object) -> object:
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    if isinstance(value, Path):
        return value.as_posix()
    return value


def record_json(record: object) -> dict[str, object]:
    """One record as plain JSON values; every record carries its ``kind``."""
    names = getattr(record, "__slots__", None) or vars(record)
    return {name: _plain(getattr(record, name)) for name in names}


def report_json(report: Report) -> dict[str, object]:
    """The public JSON shape of a read report (documented in the user guide)."""
    return {
        "phasebook_report": REPORT_JSON_VERSION,
        "path": report.path.as_posix(),
        "role": _role(report),
        "format": report.format,
        "schema_version": report.schema_version,
        "tool": report.tool,
        "tool_version": report.tool_version,
        "generated_at": _plain(report.generated_at),
        "counts": {
            "read": report.read_count,
            "kept": len(report.records),
            "skipped": len(report.skipped),
            "skipped_by_reason": report.skipped_by_reason,
            "severity": severity_counts(report),
            "outcome": outcome_counts(report),
        },
        "totals": None if report.totals is None else record_json(report.totals),
        "notes": list(report.notes),
        "skipped": [{"reason": s.reason, "record": s.record} for s in report.skipped],
        "records": [record_json(record) for record in report.records],
    }


def _role(report: Report) -> str | None:
    role = role_of(report.format)
    return None if role is None else role.value


def json_line(report: Report) -> str:
    """The report as one line of JSON."""
    return json.dumps(report_json(report), ensure_ascii=False)


def text(report: Report) -> str:
    """A few human lines per report: format, counts, and why anything was skipped."""
    named = report.tool if report.tool != report.format else None
    tool = " ".join(part for part in (named, report.tool_version) if part)
    lines = [
        f"{report.path}: {report.format} ({_role(report)})"
        + (f" (schema {report.schema_version})" if report.schema_version else "")
        + (f", {tool}" if tool else ""),
        f"  read {report.read_count}, kept {len(report.records)}, skipped {len(report.skipped)}",
    ]
    reasons = report.skipped_by_reason.items()
    lines += [f"    skipped {count}: {reason}" for reason, count in reasons]
    if report.findings:
        counts = severity_counts(report)
        lines.append("  findings: " + ", ".join(f"{k} {v}" for k, v in counts.items() if v))
    if report.tests:
        counts = outcome_counts(report)
        lines.append("  tests: " + ", ".join(f"{k} {v}" for k, v in counts.items() if v))
    if report.totals is not None and report.totals.line_percent is not None:
        lines.append(f"  coverage: {report.totals.line_percent:.1f} % of lines")
    if report.measurements:
        lines.append(f"  measurements: {len(report.measurements)}")
    others: dict[str, int] = {}
    for record in report.records:
        if record.kind not in ("finding", "test", "coverage", "measurement"):
            others[record.kind] = others.get(record.kind, 0) + 1
    lines += [f"  {kind} records: {count}" for kind, count in sorted(others.items())]
    if report.notes:
        lines.append(f"  notes: {len(report.notes)} (what the tool could not check)")
    return "\n".join(lines)

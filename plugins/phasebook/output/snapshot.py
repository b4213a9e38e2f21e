"""The snapshot: a build's machine-readable record, versioned, published with every build.

``phasebook-snapshot.json`` holds each phase's gates, metrics, reports, findings (their
fingerprints, for "new since the last handoff") and risks (for ``phasebook digest``); earlier
snapshots in the history folder give the trends. Readers of a snapshot check
:data:`SNAPSHOT_VERSION` first.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from phasebook.assess import Assessment
from phasebook.evidence import Finding, outcome_counts, severity_counts
from phasebook.model import Programme
from phasebook.readers.registry import role_of

if TYPE_CHECKING:
    from phasebook.assess import PhaseAssessment
    from phasebook.build import Build

SNAPSHOT_VERSION = 1
SNAPSHOT_NAME = "phasebook-snapshot.json"
TITLE_LIMIT = 160


def _finding_entry(finding: Finding, role: str | None) -> dict[str, Any]:
    """One finding; ``role`` is its reader's (a vulnerability or a lint finding?). Entries
    of older snapshots have no ``role``: :mod:`phasebook.finding_kinds` tells them by tool."""
    return {
        "fingerprint": finding.fingerprint,
        "role": role,
        "tool": finding.tool,
        "rule": finding.rule,
        "severity": finding.severity.value,
        "title": finding.title[:TITLE_LIMIT],
        "path": finding.path,
    }


def snapshot(programme: Programme, assessment: Assessment) -> dict[str, Any]:
    """The build's machine-readable record: programme, evidence summary, assessment."""
    phases: dict[str, Any] = {}
    for number, item in assessment.phases.items():
        reports = [report for _, report in item.evidence.reports]
        phases[str(number)] = {
            "title": item.phase.title,
            "status": item.phase.status.value,
            "ready": item.ready,
            "gates": {
                gate.key: {"verdict": gate.verdict.value, "reason": gate.reason}
                for gate in item.gates
            },
            "metrics": {
                result.definition.id: {
                    "title": result.definition.title,
                    "value": None if result.value is None else float(result.value),
                    "display": result.display,
                    "unit": result.definition.threshold.unit.value,
                    "threshold": result.definition.threshold.text,
                    "verdict": result.verdict.value,
                }
                for result in item.metrics
            },
            "reports": [
                {
                    "path": report.path.name,
                    "format": report.format,
                    "tool": report.tool,
                    "read": report.read_count,
                    "kept": len(report.records),
                    "skipped": len(report.skipped),
                    "severity": severity_counts(report),
                    "outcome": outcome_counts(report),
                }
                for report in reports
            ],
            "missing": [missing.ref.path for missing in item.evidence.missing],
            "findings": [
                _finding_entry(finding, role.value if role else None)
                for report in reports
                for role in [role_of(report.format)]
                for finding in report.findings
            ],
            # For `phasebook digest` (risks raised or closed); a snapshot without it is older.
            "risks": {
                risk.id: {
                    "title": risk.title[:TITLE_LIMIT],
                    "status": risk.status.value,
                    "score": risk.score,
                }
                for risk in item.phase.risks
            },
        }
    return {
        "phasebook_snapshot": SNAPSHOT_VERSION,
        "as_of": assessment.as_of.isoformat(),
        "programme": {
            "name": programme.info.name,
            "version": programme.info.version,
        },
        "phases": phases,
    }


def snapshot_json(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


class SnapshotJson:
    """``phasebook check --json`` and ``phasebook snapshot``: the snapshot of the chosen phases."""

    name = "json"

    def write(self, build: Build, phases: Sequence[PhaseAssessment]) -> str:
        numbers = {str(item.phase.number) for item in phases}
        document = dict(build.snapshot)
        document["phases"] = {k: v for k, v in document["phases"].items() if k in numbers}
        return snapshot_json(document)

"""The snapshot: a build's machine-readable record, versioned, published with every build.

``phasebook-snapshot.json`` holds each phase's gates, metrics, reports, findings (their
fingerprints, for "new since the last handoff") and risks (for ``phasebook digest``); earlier
snapshots in the history folder give the trends. Readers of a snapshot check
:data:`SNAPSHOT_VERSION` first.

In memory a phase's ``findings`` is a list of entries; the published file groups them
(:func:`compact_findings`) so that a hundred thousand findings take a couple of megabytes:
fingerprints by tool, severity and role, with rule, title and path kept only for the most
severe (what history needs: counts, matching by fingerprint, and names for the top).
:func:`expand_findings` turns either version back into entries.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from phasebook.assess import Assessment
from phasebook.evidence import SEVERITY_ORDER, Finding, outcome_counts, severity_counts
from phasebook.model import Programme
from phasebook.readers.registry import role_of

if TYPE_CHECKING:
    from phasebook.assess import PhaseAssessment
    from phasebook.build import Build

SNAPSHOT_VERSION = 2
READABLE_VERSIONS = (1, 2)
"""Version 1 listed every finding in full; version 2 groups them (:func:`compact_findings`)."""
SNAPSHOT_NAME = "phasebook-snapshot.json"
TITLE_LIMIT = 160
DETAILS_PER_PHASE = 100
"""Findings of a phase whose rule, title and path the published snapshot keeps (the most
severe): what a later build lists as "fixed" by name; the rest are counted."""
_GROUP_KEYS = ("tool", "severity", "role")
_DETAIL_KEYS = ("rule", "title", "path")


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


def compact_findings(entries: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """A phase's finding entries as published: fingerprints grouped by tool, severity and role
    (space-separated, most severe group first); rule, title and path of the most severe."""
    groups: dict[tuple[Any, ...], list[str]] = {}
    for entry in entries:
        key = tuple(entry.get(name) for name in _GROUP_KEYS)
        groups.setdefault(key, []).append(entry["fingerprint"])
    ranked = sorted(entries, key=_severity_rank)[:DETAILS_PER_PHASE]
    return {
        "groups": [
            {**dict(zip(_GROUP_KEYS, key, strict=True)), "fingerprints": " ".join(prints)}
            for key, prints in sorted(groups.items(), key=_group_order)
        ],
        "details": {
            entry["fingerprint"]: {name: entry.get(name) for name in _DETAIL_KEYS}
            for entry in ranked
            if entry.get("title")
        },
    }


def expand_findings(findings: list[dict[str, Any]] | dict[str, Any]) -> list[dict[str, Any]]:
    """A phase's finding entries from a snapshot of either version; an entry whose details the
    snapshot did not keep has no rule, title or path (``None``)."""
    if isinstance(findings, list):  # version 1: every entry in full
        return findings
    details: dict[str, dict[str, Any]] = findings.get("details", {})
    return [
        {
            **{name: group.get(name) for name in _GROUP_KEYS},
            "fingerprint": fingerprint,
            **dict.fromkeys(_DETAIL_KEYS),
            **details.get(fingerprint, {}),
        }
        for group in findings["groups"]
        for fingerprint in group["fingerprints"].split()
    ]


def _severity_rank(entry: dict[str, Any]) -> int:
    return _RANKS.get(str(entry.get("severity")), len(_RANKS))


def _group_order(item: tuple[tuple[Any, ...], list[str]]) -> tuple[Any, ...]:
    (tool, severity, role), _ = item
    return (_RANKS.get(severity, len(_RANKS)), str(tool), str(role))


_RANKS = {severity.value: rank for rank, severity in enumerate(SEVERITY_ORDER)}


def snapshot_json(document: dict[str, Any]) -> str:
    """The published file: compact JSON, findings grouped (:func:`compact_findings`)."""
    phases = {
        number: {**phase, "findings": compact_findings(phase.get("findings", []))}
        for number, phase in document["phases"].items()
    }
    published = {**document, "phases": phases}
    return json.dumps(published, separators=(",", ":"), ensure_ascii=False, sort_keys=True) + "\n"


class SnapshotJson:
    """``phasebook check --json`` and ``phasebook snapshot``: the snapshot of the chosen phases."""

    name = "json"

    def write(self, build: Build, phases: Sequence[PhaseAssessment]) -> str:
        numbers = {str(item.phase.number) for item in phases}
        document = dict(build.snapshot)
        document["phases"] = {k: v for k, v in document["phases"].items() if k in numbers}
        return snapshot_json(document)

"""Open findings over time: a point per history snapshot and one for the current build.

Each point counts vulnerabilities and lint/type (quality) findings apart (see
:mod:`phasebook.finding_kinds`). A phase's point is its open findings in that build, and there
is a point only when the phase had a report of a tool that reports findings: before its
scanners ran, a phase has no data, not zero findings. The programme's point counts, for each
tool, the findings of the latest phase that ran it, so a tool run again (and clean) in a later
phase no longer counts the earlier phase's findings, while a tool run only once still does —
the same rule as "fixed since the last handoff".
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from phasebook.finding_kinds import Classifier, FindingClass
from phasebook.history import Snapshot
from phasebook.readers.registry import finding_formats


@dataclass(frozen=True)
class BurndownPoint:
    """Open findings in one build, by kind."""

    as_of: dt.date
    vulnerabilities: int
    quality: int
    unknown: int = 0
    """Findings of an older snapshot whose tool no report names (see ``finding_kinds``)."""
    current: bool = False
    """The point of the build being made (the others are history snapshots)."""


def _documents(
    history: Iterable[Snapshot], current: Mapping[str, Any]
) -> list[tuple[dt.date, Mapping[str, Any], bool]]:
    """Every snapshot's date and document, oldest first, then the current build's."""
    return [
        *((item.as_of, item.document, False) for item in history),
        (dt.date.fromisoformat(current["as_of"]), current, True),
    ]


def _ran_a_scanner(phase: Mapping[str, Any]) -> set[str]:
    """The tools of the phase's reports that report findings (scanners, linters…)."""
    formats = set(finding_formats())
    return {
        str(report.get("tool"))
        for report in phase.get("reports", [])
        if report.get("format") in formats
    }


def _point(
    as_of: dt.date, entries: Iterable[Mapping[str, Any]], classify: Classifier, now: bool
) -> BurndownPoint:
    """A point counting ``entries`` once per fingerprint, by kind."""
    kinds = {entry["fingerprint"]: classify(entry) for entry in entries}
    counts = Counter(kinds.values())
    return BurndownPoint(
        as_of,
        counts[FindingClass.VULNERABILITY],
        counts[FindingClass.QUALITY],
        counts[FindingClass.UNKNOWN],
        now,
    )


def phase_burndown(
    history: Iterable[Snapshot], current: Mapping[str, Any], number: int
) -> list[BurndownPoint]:
    """Phase ``number``'s open findings in every build whose record has its scanners' reports."""
    points = []
    for as_of, document, now in _documents(history, current):
        phase = document.get("phases", {}).get(str(number), {})
        if _ran_a_scanner(phase):
            classify = Classifier.of(document, current)
            points.append(_point(as_of, phase.get("findings", []), classify, now))
    return points


def programme_burndown(
    history: Iterable[Snapshot], current: Mapping[str, Any]
) -> list[BurndownPoint]:
    """The programme's open findings in every build that has a scanner's report: per tool,
    the findings of the latest phase that ran it."""
    points = []
    for as_of, document, now in _documents(history, current):
        phases = sorted(document.get("phases", {}).items(), key=lambda item: int(item[0]))
        latest: dict[str, str] = {}
        for key, phase in phases:
            for tool in _ran_a_scanner(phase):
                latest[tool] = key
        if not latest:
            continue
        entries = [
            entry
            for key, phase in phases
            for entry in phase.get("findings", [])
            if latest.get(str(entry.get("tool"))) == key
        ]
        points.append(_point(as_of, entries, Classifier.of(document, current), now))
    return points

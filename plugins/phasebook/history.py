"""Snapshots of each build, and what changed between them.

Every build publishes a snapshot (a versioned JSON document); a folder of earlier snapshots
gives each metric its trend and tells, per phase, which findings are new, fixed or still open
since the previous phase's handoff. Findings are matched by fingerprint, so a finding that
only moved to another line is the same finding.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from phasebook.errors import DataError, Location, Problem
from phasebook.finding_kinds import Classifier, FindingClass
from phasebook.model import Programme
from phasebook.output.snapshot import READABLE_VERSIONS, expand_findings
from phasebook.schedule import compute_schedule


@dataclass(frozen=True)
class Snapshot:
    """An earlier build's snapshot, as read back."""

    path: Path
    as_of: dt.date
    document: dict[str, Any]

    def phase(self, number: int) -> dict[str, Any]:
        phase: dict[str, Any] = self.document["phases"].get(str(number), {})
        return phase

    def fingerprints(self) -> dict[str, dict[str, Any]]:
        """Every finding of every phase, by fingerprint."""
        return {
            entry["fingerprint"]: entry
            for phase in self.document["phases"].values()
            for entry in phase.get("findings", [])
        }


def load_history(folder: Path) -> list[Snapshot]:
    """Every snapshot in ``folder``, oldest first; a bad one is an error naming the file."""
    snapshots = []
    problems = []
    for path in sorted(folder.glob("*.json")):
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
            version = document.get("phasebook_snapshot")
            if version not in READABLE_VERSIONS:
                supported = ", ".join(map(str, READABLE_VERSIONS))
                problems.append(
                    Problem(
                        Location(path),
                        f"snapshot version {version!r} is not supported",
                        f"supported: {supported}; rebuild it with this Phasebook",
                    )
                )
                continue
            for phase in document["phases"].values():
                phase["findings"] = expand_findings(phase.get("findings", []))
            snapshots.append(Snapshot(path, dt.date.fromisoformat(document["as_of"]), document))
        except (OSError, ValueError, KeyError, AttributeError, TypeError) as error:
            problems.append(Problem(Location(path), f"not a Phasebook snapshot ({error})"))
    if problems:
        raise DataError(problems)
    return sorted(snapshots, key=lambda s: s.as_of)


@dataclass(frozen=True)
class TrendPoint:
    as_of: dt.date
    value: float | None
    verdict: str


def metric_trend(
    history: Iterable[Snapshot], current: dict[str, Any], number: int, metric_id: str
) -> list[TrendPoint]:
    """A metric's values in every snapshot that has it, then the current build."""
    points = []
    for item in [*history, Snapshot(Path(), dt.date.fromisoformat(current["as_of"]), current)]:
        metric = item.phase(number).get("metrics", {}).get(metric_id)
        if metric is not None:
            points.append(TrendPoint(item.as_of, metric["value"], metric["verdict"]))
    return points


@dataclass
class FindingChanges:
    """Findings of a phase against the snapshot at the previous phase's handoff."""

    baseline: Snapshot | None
    new: list[dict[str, Any]] = field(default_factory=list)
    fixed: list[dict[str, Any]] = field(default_factory=list)
    still_open: list[dict[str, Any]] = field(default_factory=list)
    kinds: dict[str, FindingClass] = field(default_factory=dict)
    """Each finding's kind (vulnerability or quality), by fingerprint: the pages list the
    two apart."""

    def only(self, entries: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
        """The ``entries`` (new, fixed or still open) of one kind (a :class:`FindingClass`)."""
        return [entry for entry in entries if self.kinds.get(entry["fingerprint"]) == kind]


def finding_changes(
    programme: Programme, history: list[Snapshot], current: dict[str, Any], number: int
) -> FindingChanges:
    """New, fixed and still-open findings of phase ``number`` since the last handoff.

    The baseline is the latest snapshot taken on or before the previous phase's handoff.
    "Fixed" counts only tools this phase still runs, so a tool that was not run again
    does not make its findings look fixed.
    """
    phase = programme.phase(number)
    previous = programme.previous(phase)
    if previous is None:
        return FindingChanges(None)
    handoff_day = previous.handoff.date or compute_schedule(programme).of(previous.number).finish
    candidates = [s for s in history if s.as_of <= handoff_day]
    if not candidates:
        return FindingChanges(None)
    baseline = candidates[-1]
    before = baseline.fingerprints()
    now = {entry["fingerprint"]: entry for entry in current["phases"][str(number)]["findings"]}
    tools = {entry["tool"] for entry in now.values()} | {
        report["tool"] for report in current["phases"][str(number)]["reports"]
    }
    fixed = [e for key, e in before.items() if key not in now and e["tool"] in tools]
    # Each side's own reports tell an entry without a role by its tool first.
    kind_now = Classifier.of(current, baseline.document)
    kind_before = Classifier.of(baseline.document, current)
    return FindingChanges(
        baseline,
        new=[entry for key, entry in now.items() if key not in before],
        fixed=fixed,
        still_open=[entry for key, entry in now.items() if key in before],
        kinds={
            **{entry["fingerprint"]: kind_before(entry) for entry in fixed},
            **{key: kind_now(entry) for key, entry in now.items()},
        },
    )

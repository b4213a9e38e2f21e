"""The six validation gates of a phase.

A gate passes only on evidence: with nothing to judge it is "no data", never "pass".
Quality follows the phase's metrics; Testing its test results (JUnit and the like).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path

from phasebook.assess.metrics import MetricResult, MetricVerdict
from phasebook.collect import PhaseEvidence
from phasebook.evidence import Outcome
from phasebook.handoff import handoff_view
from phasebook.model import Phase, PhaseStatus, Programme, Signoff, Verdict
from phasebook.urls import safe_url


class GateVerdict(StrEnum):
    """A gate's outcome; "no data" is never a pass, "waived" is a recorded exception to one,
    and "not started" is what a phase that has not begun shows instead of failing."""

    PASS = "pass"  # noqa: S105 - a verdict, not a password
    FAIL = "fail"
    NO_DATA = "no data"
    WAIVED = "waived"
    NOT_STARTED = "not started"

    @property
    def passes(self) -> bool:
        """Counts as passed for the handoff: passed, or waived by a waiver still in force."""
        return self in (GateVerdict.PASS, GateVerdict.WAIVED)


@dataclass(frozen=True)
class Gate:
    """One gate's verdict, why, and what it was judged on."""

    key: str
    title: str
    verdict: GateVerdict
    reason: str
    details: tuple[str, ...] = field(default=())


HANDOFF_GAP = "handoff section empty: "

GATE_TITLES = {
    "completeness": "Completeness",
    "quality": "Quality",
    "documentation": "Documentation",
    "testing": "Testing",
    "review": "Review",
    "approval": "Approval",
}


def artifact_present(artifact: str, project_root: Path) -> bool:
    """A URL counts as present; a path must exist under the project root."""
    target = safe_url(artifact)
    if target is None:
        return False
    if target.startswith(("http://", "https://")):
        return True
    return (project_root / target).exists()


def _completeness(phase: Phase, project_root: Path) -> Gate:
    title = GATE_TITLES["completeness"]
    if not phase.deliverables:
        return Gate("completeness", title, GateVerdict.NO_DATA, "no deliverables are listed")
    missing = []
    for item in phase.deliverables:
        if item.status.value != "done":
            missing.append(f"{item.id} is {item.status.value.replace('_', ' ')}")
        elif not item.artifact:
            missing.append(f"{item.id} names no artifact")
        elif not artifact_present(item.artifact, project_root):
            missing.append(f"{item.id}: artifact {item.artifact} not found")
    if missing:
        return Gate(
            "completeness",
            title,
            GateVerdict.FAIL,
            f"{len(missing)} of {len(phase.deliverables)} deliverables not complete",
            tuple(missing),
        )
    count = len(phase.deliverables)
    return Gate("completeness", title, GateVerdict.PASS, f"all {count} deliverables done")


def _documentation(programme: Programme, phase: Phase) -> Gate:
    title = GATE_TITLES["documentation"]
    problems = [f"{d.id} has no rationale" for d in phase.decisions if not d.rationale]
    problems += [f"{HANDOFF_GAP}{gap}" for gap in handoff_view(programme, phase).gaps]
    if problems:
        return Gate(
            "documentation", title, GateVerdict.FAIL, f"{len(problems)} gaps", tuple(problems)
        )
    return Gate(
        "documentation",
        title,
        GateVerdict.PASS,
        f"{len(phase.decisions)} decisions with rationale; handoff complete",
    )


def _signoff(key: str, signoffs: list[Signoff]) -> Gate:
    title = GATE_TITLES[key]
    if not signoffs:
        return Gate(key, title, GateVerdict.NO_DATA, "no sign-off recorded")
    latest = max(signoffs, key=lambda s: s.date)
    verdict = GateVerdict.PASS if latest.verdict is Verdict.APPROVED else GateVerdict.FAIL
    return Gate(
        key,
        title,
        verdict,
        f"{latest.verdict.value.replace('_', ' ')} by {latest.who} on {latest.date:%Y-%m-%d}",
    )


def _quality(metrics: list[MetricResult]) -> Gate:
    title = GATE_TITLES["quality"]
    if not metrics:
        return Gate("quality", title, GateVerdict.NO_DATA, "no metrics are attached to this phase")
    failing = [m for m in metrics if m.verdict is MetricVerdict.FAIL]
    missing = [m for m in metrics if m.verdict is MetricVerdict.NO_DATA]
    details = tuple(
        f"{m.definition.title}: {m.display} (needs {m.definition.threshold.text})" for m in failing
    ) + tuple(f"{m.definition.title}: no data ({m.reason})" for m in missing)
    if failing:
        return Gate(
            "quality", title, GateVerdict.FAIL, f"{len(failing)} of {len(metrics)} metrics fail",
            details,
        )
    if missing:
        return Gate(
            "quality",
            title,
            GateVerdict.NO_DATA,
            f"{len(missing)} of {len(metrics)} metrics have no data",
            details,
        )
    return Gate("quality", title, GateVerdict.PASS, f"all {len(metrics)} metrics pass")


def _testing(evidence: PhaseEvidence) -> Gate:
    title = GATE_TITLES["testing"]
    tests = [test for _, report in evidence.reports for test in report.tests]
    if not tests:
        return Gate("testing", title, GateVerdict.NO_DATA, "no test results are attached")
    bad = [t for t in tests if t.outcome in (Outcome.FAILED, Outcome.ERROR)]
    skipped = sum(1 for t in tests if t.outcome is Outcome.SKIPPED)
    if bad:
        details = tuple(f"{t.outcome.value}: {t.classname or t.suite}::{t.name}" for t in bad[:20])
        return Gate(
            "testing", title, GateVerdict.FAIL, f"{len(bad)} of {len(tests)} tests fail", details
        )
    passed = len(tests) - skipped
    if not passed:
        return Gate("testing", title, GateVerdict.NO_DATA, f"all {skipped} tests were skipped")
    return Gate(
        "testing", title, GateVerdict.PASS, f"{passed} tests pass ({skipped} skipped)"
    )


def settle(gate: Gate, phase: Phase, as_of: dt.date) -> Gate:
    """Apply the phase's waivers and its status to a gate judged on evidence alone.

    A waiver in force turns a gate that does not pass into "waived", with who, when and why;
    an expired one leaves it failing and says so. A phase not begun yet shows "not started"
    rather than red: nothing there can fail before it starts.
    """
    if gate.verdict is GateVerdict.PASS:
        return gate
    for waiver in reversed(phase.waivers):
        if waiver.gate.value != gate.key:
            continue
        granted = f"waived by {waiver.who} on {waiver.date:%Y-%m-%d}: {waiver.reason}"
        if waiver.until is None or waiver.until >= as_of:
            until = f" (until {waiver.until:%Y-%m-%d})" if waiver.until else ""
            details = (f"without the waiver: {gate.reason}", *gate.details)
            return replace(gate, verdict=GateVerdict.WAIVED, reason=granted + until,
                           details=details)
        expired = f"its waiver by {waiver.who} expired on {waiver.until:%Y-%m-%d}"
        return replace(gate, verdict=GateVerdict.FAIL, reason=f"{gate.reason}; {expired}")
    if phase.status is PhaseStatus.PLANNED:
        return replace(gate, verdict=GateVerdict.NOT_STARTED,
                       reason=f"the phase has not started ({gate.reason})")
    return gate


def evaluate_gates(
    programme: Programme,
    phase: Phase,
    project_root: Path,
    metrics: list[MetricResult],
    evidence: PhaseEvidence,
) -> tuple[Gate, ...]:
    """The six gates of ``phase`` in the seed's order."""
    return (
        _completeness(phase, project_root),
        _quality(metrics),
        _documentation(programme, phase),
        _testing(evidence),
        _signoff("review", phase.signoffs.review),
        _signoff("approval", phase.signoffs.approval),
    )

"""The six validation gates of a phase.

A gate passes only on evidence: with nothing to judge it is "no data", never "pass".
Quality and Testing need tool reports; until a phase has them they stay "no data".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from phasebook.escape import safe_url
from phasebook.handoff import handoff_view
from phasebook.model import Phase, Programme, Signoff, Verdict


class GateVerdict(StrEnum):
    PASS = "pass"  # noqa: S105 - a verdict, not a password
    FAIL = "fail"
    NO_DATA = "no data"


@dataclass(frozen=True)
class Gate:
    """One gate's verdict, why, and what it was judged on."""

    key: str
    title: str
    verdict: GateVerdict
    reason: str
    details: tuple[str, ...] = field(default=())


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
    problems += [f"handoff section empty: {gap}" for gap in handoff_view(programme, phase).gaps]
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


def _awaiting_evidence(key: str) -> Gate:
    return Gate(
        key, GATE_TITLES[key], GateVerdict.NO_DATA, "no tool reports are attached to this phase"
    )


def evaluate_gates(programme: Programme, phase: Phase, project_root: Path) -> tuple[Gate, ...]:
    """The six gates of ``phase`` in the seed's order."""
    return (
        _completeness(phase, project_root),
        _awaiting_evidence("quality"),
        _documentation(programme, phase),
        _awaiting_evidence("testing"),
        _signoff("review", phase.signoffs.review),
        _signoff("approval", phase.signoffs.approval),
    )

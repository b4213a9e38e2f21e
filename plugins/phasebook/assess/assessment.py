"""The whole judgement of a programme at one build: metrics and gates for every phase.

Computed once per build and shared by the pages, the warnings, the snapshot and the CLI.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

from phasebook.assess.gates import HANDOFF_GAP, Gate, GateVerdict, evaluate_gates, settle
from phasebook.assess.metrics import MetricResult, MetricVerdict, evaluate_metrics
from phasebook.assess.summary import EvidenceSummary, summarise
from phasebook.collect import PhaseEvidence
from phasebook.errors import Problem
from phasebook.model import Phase, PhaseStatus, Programme


@dataclass(frozen=True)
class PhaseAssessment:
    """One phase's metrics and gates, and the summary of its evidence the pages show."""

    phase: Phase
    evidence: PhaseEvidence
    metrics: list[MetricResult]
    gates: tuple[Gate, ...]
    summary: EvidenceSummary

    @property
    def ready(self) -> bool:
        """Ready to hand off: all six gates pass (or are waived by a waiver in force)."""
        return all(gate.verdict.passes for gate in self.gates)

    @property
    def failing_metrics(self) -> list[MetricResult]:
        return [m for m in self.metrics if m.verdict is MetricVerdict.FAIL]

    @property
    def metrics_waived(self) -> bool:
        """Whether the Quality gate, which the metrics feed, is waived: a failing metric of
        this phase is then amber on the pages, not red."""
        return self.gate("quality").verdict is GateVerdict.WAIVED

    def gate(self, key: str) -> Gate:
        return next(gate for gate in self.gates if gate.key == key)


@dataclass(frozen=True)
class Assessment:
    """Every phase's assessment, as of one date."""

    as_of: dt.date
    phases: dict[int, PhaseAssessment]

    def of(self, phase: Phase) -> PhaseAssessment:
        return self.phases[phase.number]


def assess(
    programme: Programme,
    evidence: dict[int, PhaseEvidence],
    project_root: Path,
    as_of: dt.date,
) -> Assessment:
    """Judge every phase on its evidence."""
    phases = {}
    for phase in programme.phases:
        phase_evidence = evidence.get(phase.number, PhaseEvidence())
        metrics = evaluate_metrics(programme, phase, phase_evidence)
        gates = tuple(
            settle(gate, phase, as_of)
            for gate in evaluate_gates(programme, phase, project_root, metrics, phase_evidence)
        )
        if phase.status is PhaseStatus.PLANNED:
            metrics = [_not_started(result) for result in metrics]
        summary = summarise(phase_evidence)
        phases[phase.number] = PhaseAssessment(phase, phase_evidence, metrics, gates, summary)
    return Assessment(as_of, phases)


def _not_started(result: MetricResult) -> MetricResult:
    """A metric of a phase not begun: a pass stays a pass, nothing else can be judged yet."""
    if result.verdict is MetricVerdict.PASS:
        return result
    return replace(result, verdict=MetricVerdict.NOT_STARTED,
                   reason=f"the phase has not started ({result.reason})")


def gate_warnings(programme: Programme, assessment: Assessment) -> list[Problem]:
    """A phase marked done whose gates do not all pass: worth failing ``--strict`` for."""
    problems = []
    for phase in programme.phases:
        if phase.status is not PhaseStatus.DONE:
            continue
        for gate in assessment.of(phase).gates:
            if gate.key == "documentation" and all(
                detail.startswith(HANDOFF_GAP) for detail in gate.details
            ):
                continue  # handoff gaps have their own, more precise warning
            if not gate.verdict.passes:
                problems.append(
                    Problem(
                        programme.locate(phase.number, "status"),
                        f"phase {phase.number} is done but its {gate.title} gate is "
                        f"{gate.verdict.value}: {gate.reason}"
                        + "".join(f"; {detail}" for detail in gate.details[:5]),
                        "fix the evidence, or set the phase's status back to active",
                    )
                )
    return problems

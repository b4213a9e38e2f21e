"""The handoff template's sections, in the seed's order, and which of them are still empty.

One place decides what counts as "written", so the pages and the ``--strict`` warnings agree.
Decisions Made and Artifacts Produced are derived from the phase's decisions and deliverables
so a handoff never repeats (and never contradicts) them.
"""

from __future__ import annotations

from dataclasses import dataclass

from phasebook.errors import Problem
from phasebook.model import Decision, Deliverable, Phase, PhaseStatus, Programme

SECTION_TITLES = (
    ("summary", "Summary"),
    ("critical_findings", "Critical Findings"),
    ("decisions", "Decisions Made"),
    ("artifacts", "Artifacts Produced"),
    ("prerequisites", "Next Phase Prerequisites"),
    ("next_inputs", "Next Phase Inputs"),
    ("next_steps", "Recommended Next Steps"),
    ("open_questions", "Open Questions"),
    ("risks_dependencies", "Risks & Dependencies"),
)
_NEXT_PHASE_ONLY = frozenset({"prerequisites", "next_inputs"})


@dataclass(frozen=True)
class HandoffView:
    """What a handoff page shows for one phase."""

    phase: Phase
    next_phase: Phase | None
    decisions: tuple[Decision, ...]
    artifacts: tuple[Deliverable, ...]

    @property
    def summary_written(self) -> bool:
        summary = self.phase.handoff.summary
        return summary is not None and any(
            value is not None
            for value in (
                summary.overview,
                summary.objectives_achieved,
                summary.key_deliverables,
                summary.metrics,
            )
        )

    def written(self, key: str) -> bool:
        """Whether the section has content, or says "none" on purpose (an empty list)."""
        if key == "summary":
            return self.summary_written
        if key == "decisions":
            return bool(self.decisions) or self.said_none("decisions")
        if key == "artifacts":
            return bool(self.artifacts) or self.said_none("artifacts")
        return getattr(self.phase.handoff, key) is not None

    def said_none(self, key: str) -> bool:
        """Whether the phase file says "none" with an empty list: ``decisions: []`` for
        Decisions Made, ``deliverables: []`` for Artifacts Produced."""
        field = {"decisions": "decisions", "artifacts": "deliverables"}[key]
        return field in self.phase.model_fields_set and not getattr(self.phase, field)

    def required(self, key: str) -> bool:
        return self.next_phase is not None or key not in _NEXT_PHASE_ONLY

    @property
    def gaps(self) -> list[str]:
        """Titles of required sections with nothing written."""
        return [
            title
            for key, title in SECTION_TITLES
            if self.required(key) and not self.written(key)
        ]


def handoff_view(programme: Programme, phase: Phase) -> HandoffView:
    return HandoffView(
        phase=phase,
        next_phase=programme.next(phase),
        decisions=tuple(d for d in phase.decisions if d.status.value != "rejected"),
        artifacts=tuple(d for d in phase.deliverables if d.artifact),
    )


def handoff_warnings(programme: Programme) -> list[Problem]:
    """A done phase whose handoff has an empty section: worth failing ``--strict`` for."""
    problems = []
    for phase in programme.phases:
        if phase.status is not PhaseStatus.DONE:
            continue
        gaps = handoff_view(programme, phase).gaps
        if gaps:
            problems.append(
                Problem(
                    programme.locate(phase.number, "handoff", "__key__"),
                    f"phase {phase.number} is done but its handoff has empty sections: "
                    + ", ".join(gaps),
                    "write them under `handoff:`, or use an empty list to say 'none'",
                )
            )
    return problems

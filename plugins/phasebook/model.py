"""The programme as typed data: what writers put in ``data/*.yml``.

The pydantic models are the single source of truth for validation, the committed JSON Schema
(editor completion) and the data reference in the user guide, so every field has a description.
Fields typed :data:`Markdown` accept markdown; every other text is shown literally.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path
from typing import Annotated

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    InstanceOf,
    PlainSerializer,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from phasebook.errors import Location
from phasebook.thresholds import Threshold, ThresholdError, parse_check
from phasebook.yamlload import SourceMap

Markdown = Annotated[str, Field(json_schema_extra={"format": "markdown"})]
"""Text that is rendered as markdown (raw HTML is shown as text, never executed)."""

Score = Annotated[int, Field(ge=1, le=5)]

# Bounds on everything the schedule does date arithmetic with. The latest day it can reach is
# LAST_DAY + MAX_PHASE * MAX_DAYS (a chain of the longest phases), about the year 8000: inside
# Python's date range (year 9999), so no value in the YAML can overflow it.
FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(2999, 12, 31)
MAX_DAYS = 3650
MAX_PHASE = 500

Day = Annotated[dt.date, Field(ge=FIRST_DAY, le=LAST_DAY)]
"""A date from 1900-01-01 to 2999-12-31, written YYYY-MM-DD."""

Days = Annotated[int, Field(ge=1, le=MAX_DAYS)]
"""A length in calendar days: 1 to 3650 (ten years)."""

PhaseNumber = Annotated[int, Field(ge=1, le=MAX_PHASE)]
"""A phase's number: 1 to 500."""


class _Strict(BaseModel):
    """Unknown keys are errors: a typo must never silently drop data."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class PhaseStatus(StrEnum):
    PLANNED = "planned"
    ACTIVE = "active"
    DONE = "done"
    BLOCKED = "blocked"


class WorkStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    BLOCKED = "blocked"


class DecisionStatus(StrEnum):
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    SUPERSEDED = "superseded"
    REJECTED = "rejected"


class RiskStatus(StrEnum):
    OPEN = "open"
    MITIGATING = "mitigating"
    CLOSED = "closed"
    ACCEPTED = "accepted"


class Verdict(StrEnum):
    APPROVED = "approved"
    CHANGES_REQUESTED = "changes_requested"
    REJECTED = "rejected"


class GateKey(StrEnum):
    """The six validation gates of every phase."""

    COMPLETENESS = "completeness"
    QUALITY = "quality"
    DOCUMENTATION = "documentation"
    TESTING = "testing"
    REVIEW = "review"
    APPROVAL = "approval"


class FindingKind(StrEnum):
    ISSUE = "issue"
    RISK = "risk"
    BLOCKER = "blocker"


# The fields a writer may keep off a public build (`internal: [...]`); a public build shows
# "internal" in their place (see phasebook.audience).


class PhaseInternal(StrEnum):
    BRIEF = "brief"
    OBJECTIVES = "objectives"


class DeliverableInternal(StrEnum):
    OWNER = "owner"
    PURPOSE = "purpose"


class DecisionInternal(StrEnum):
    CONTEXT = "context"
    DECISION = "decision"
    RATIONALE = "rationale"


class RiskInternal(StrEnum):
    OWNER = "owner"
    MITIGATION = "mitigation"
    CONTINGENCY = "contingency"
    ESCALATION = "escalation"


INTERNAL_HELP = "Fields shown only in an internal build (`audience: internal`), e.g. `[{}]`."


class CommunicationItem(_Strict):
    """One line of the communication plan."""

    cadence: str = Field(description="How often, e.g. `weekly` or `at each handoff`.")
    channel: str = Field(description="Where: a meeting, a chat channel, an e-mail list.")
    audience: str = Field(description="Who is addressed.")
    purpose: Markdown = Field(description="What the communication is for.")
    owner: str | None = Field(None, description="Who runs it.")


class Link(_Strict):
    """A named link; URLs must be http(s) or relative."""

    title: str = Field(description="Text of the link.")
    url: str = Field(description="An http(s) URL or a path relative to the site.")
    internal: bool = Field(
        False, description="Shown only in an internal build (`audience: internal`)."
    )


class MetricSource(StrEnum):
    COVERAGE_LINES = "coverage.lines"
    COVERAGE_BRANCHES = "coverage.branches"
    FINDINGS = "findings"
    TESTS_FAILED = "tests.failed"
    TESTS_PASS_RATE = "tests.pass_rate"  # noqa: S105 - a source name
    TESTS_DURATION = "tests.duration"
    MEASUREMENT = "measurement"


class Aggregate(StrEnum):
    LAST = "last"
    MAX = "max"
    MIN = "min"
    MEAN = "mean"
    P95 = "p95"
    SUM = "sum"


def _parsed_check(value: object) -> object:
    """A check written as text becomes a :class:`Threshold` once, here, for every later use."""
    if isinstance(value, str):
        try:
            return parse_check(value)
        except ThresholdError as error:
            raise PydanticCustomError("threshold_syntax", str(error)) from None
    return value


Check = Annotated[
    InstanceOf[Threshold],
    BeforeValidator(_parsed_check),
    PlainSerializer(lambda threshold: threshold.text, return_type=str),
    WithJsonSchema({"type": "string"}),
]
"""A threshold as written in YAML (``> 80 %``), held parsed."""


class MetricSpec(_Strict):
    """A success metric: which evidence feeds it, how it is computed, and its threshold.

    Under ``metrics:`` in the programme file, a built-in id (``coverage``, ``uptime`` …)
    changes only the keys given; a new id defines a metric and needs ``source`` and ``check``.
    """

    title: str | None = Field(None, description="Name shown on the pages.")
    source: MetricSource | None = Field(None, description="The evidence that feeds the metric.")
    check: Check | None = Field(
        None, description="Comparator, threshold and unit, e.g. `> 80 %`, `< 5`, `< 10 min`."
    )
    severity: list[str] | None = Field(
        None, description="For `findings`: the severities counted (critical, high, …)."
    )
    formats: list[str] | None = Field(
        None, description="Only reports of these formats (see `phasebook read`) feed it."
    )
    name: str | None = Field(None, description="For `measurement`: the measurement's name.")
    labels: dict[str, str] | None = Field(
        None,
        description="For `measurement`: only samples with these labels, e.g. "
        "`{name: /ask, method: POST}` for one locust endpoint; `{}` for samples without labels "
        "(locust's Aggregated row, a k6 metric without submetric tags).",
    )
    aggregate: Aggregate | None = Field(
        None, description="For `measurement`: last (default), max, min, mean, p95 or sum."
    )
    phases: list[PhaseNumber] | None = Field(None, description="Phases the metric is attached to.")


class ProgrammeInfo(_Strict):
    """``data/programme.yml``: the programme-wide facts and the document metadata."""

    name: str = Field(description="Name of the programme, shown as the site's headline.")
    project: str = Field(description="The codebase or product the programme audits and deploys.")
    description: Markdown | None = Field(None, description="A paragraph on the programme's aim.")
    owner: str = Field(description="Who owns the programme document.")
    reviewers: list[str] = Field(default_factory=list, description="Who reviews the document.")
    version: str = Field(description="Document version, e.g. `1.4`; kept as text.")
    last_updated: Day = Field(description="Date of the last edit (YYYY-MM-DD).")
    start_date: Day = Field(description="Day the first phase starts (YYYY-MM-DD).")
    phase_days: Days = Field(
        14, description="Default length of a phase in calendar days (1 to 3650) when it gives none."
    )
    communication: list[CommunicationItem] = Field(
        default_factory=list, description="The communication plan."
    )
    next_steps: list[Markdown] = Field(
        default_factory=list, description="Programme-wide next steps."
    )
    links: list[Link] = Field(default_factory=list, description="Useful links for readers.")
    metrics: dict[str, MetricSpec] = Field(
        default_factory=dict,
        description="Change a built-in metric's threshold or phases, or add a metric, by id.",
    )


class Scope(_Strict):
    """What the phase covers and, as important, what it leaves out."""

    included: list[Markdown] = Field(default_factory=list, description="In scope.")
    excluded: list[Markdown] = Field(default_factory=list, description="Out of scope.")


class Artifact(_Strict):
    """Something a phase consumes or produces, by location."""

    location: str = Field(description="Path in the repository or URL.")
    description: Markdown = Field(description="What it is and what it is for.")


class Deliverable(_Strict):
    """A deliverable the phase must produce (the Completeness gate checks these)."""

    id: str = Field(description="Stable identifier, e.g. `D1.2`.")
    title: str = Field(description="What is delivered.")
    owner: str | None = Field(None, description="Who delivers it.")
    status: WorkStatus = Field(WorkStatus.PLANNED, description="Progress of the deliverable.")
    artifact: str | None = Field(
        None, description="Where the result lives: a repository path or an http(s) URL."
    )
    purpose: Markdown | None = Field(None, description="Why it exists; shown in the handoff.")
    internal: list[DeliverableInternal] = Field(
        default_factory=list, description=INTERNAL_HELP.format("owner")
    )


class Task(_Strict):
    """One line of the execution plan, with its own dates."""

    id: str | None = Field(None, description="Optional identifier, e.g. `T3.1`.")
    title: str = Field(description="What is done.")
    owner: str | None = Field(None, description="Who does it.")
    start: Day = Field(description="First day (YYYY-MM-DD).")
    end: Day = Field(description="Last day, inclusive (YYYY-MM-DD).")
    status: WorkStatus = Field(WorkStatus.PLANNED, description="Progress of the task.")

    @model_validator(mode="after")
    def _end_not_before_start(self) -> Task:
        if self.end < self.start:
            raise PydanticCustomError(
                "task_dates",
                "task ends ({end}) before it starts ({start})",
                {"end": str(self.end), "start": str(self.start)},
            )
        return self


class Decision(_Strict):
    """A decision record: what was decided, why, and what it relates to."""

    id: str = Field(description="Stable identifier, e.g. `ADR-003`.")
    title: str = Field(description="Short name of the decision.")
    date: Day | None = Field(None, description="When it was decided.")
    status: DecisionStatus = Field(DecisionStatus.PROPOSED, description="Lifecycle state.")
    context: Markdown | None = Field(None, description="The forces at play.")
    decision: Markdown | None = Field(None, description="What was decided.")
    rationale: Markdown | None = Field(None, description="Why; required before handoff.")
    relates_to: list[str] = Field(
        default_factory=list, description="Ids of deliverables, risks or other decisions."
    )
    internal: list[DecisionInternal] = Field(
        default_factory=list, description=INTERNAL_HELP.format("context")
    )


class Risk(_Strict):
    """A risk with its 1-5 likelihood and impact; the score is their product."""

    id: str = Field(description="Stable identifier, e.g. `R-07`.")
    title: str = Field(description="The risk in a few words.")
    likelihood: Score = Field(description="1 (rare) to 5 (almost certain).")
    impact: Score = Field(description="1 (negligible) to 5 (severe).")
    owner: str | None = Field(None, description="Who watches it.")
    status: RiskStatus = Field(RiskStatus.OPEN, description="Lifecycle state.")
    mitigation: Markdown | None = Field(None, description="What lowers likelihood or impact.")
    contingency: Markdown | None = Field(None, description="What happens if it occurs.")
    escalation: Markdown | None = Field(None, description="Who is told, and when.")
    review_date: Day | None = Field(None, description="Next review (YYYY-MM-DD).")
    internal: list[RiskInternal] = Field(
        default_factory=list, description=INTERNAL_HELP.format("escalation")
    )

    @property
    def score(self) -> int:
        return self.likelihood * self.impact


class Signoff(_Strict):
    """A recorded review or approval."""

    who: str = Field(description="Name (and role) of the person signing.")
    date: Day = Field(description="When (YYYY-MM-DD).")
    verdict: Verdict = Field(description="approved, changes_requested or rejected.")
    note: Markdown | None = Field(None, description="Comment, conditions.")


class Waiver(_Strict):
    """A recorded decision to let a gate that does not pass count as passed, for a while."""

    gate: GateKey = Field(description="The gate waived: completeness, quality, …, approval.")
    who: str = Field(description="Who granted the waiver (name and role).")
    date: Day = Field(description="When it was granted (YYYY-MM-DD).")
    reason: str = Field(description="Why the gate may be passed without meeting it.")
    until: Day | None = Field(
        None, description="Last day it holds (YYYY-MM-DD); after it the gate fails again."
    )

    @model_validator(mode="after")
    def _until_after_date(self) -> Waiver:
        if self.until is not None and self.until < self.date:
            raise PydanticCustomError(
                "waiver_dates", "the waiver ends ({until}) before it was granted ({date})",
                {"until": str(self.until), "date": str(self.date)},
            )
        return self


class Signoffs(_Strict):
    """Peer review and stakeholder approval of the phase."""

    review: list[Signoff] = Field(default_factory=list, description="Peer reviews.")
    approval: list[Signoff] = Field(default_factory=list, description="Stakeholder sign-offs.")


class Metric(_Strict):
    """A KPI reported in the handoff summary."""

    name: str = Field(description="What is measured.")
    value: str = Field(description="The value reached, as text (e.g. `84 %`).")
    target: str | None = Field(None, description="The target, as text (e.g. `> 80 %`).")


class CriticalFinding(_Strict):
    """An issue, risk or blocker the handoff must call out."""

    title: str = Field(description="The finding in a few words.")
    kind: FindingKind = Field(FindingKind.ISSUE, description="issue, risk or blocker.")
    detail: Markdown | None = Field(None, description="What it is and how it was resolved.")
    resolved: bool = Field(False, description="Whether it is resolved.")


class ChecklistItem(_Strict):
    """A prerequisite for the next phase."""

    item: Markdown = Field(description="What must be true.")
    done: bool = Field(False, description="Whether it is.")


class RiskDependency(_Strict):
    """A risk or dependency handed on to the next phase."""

    item: Markdown = Field(description="The risk or dependency.")
    impact: Markdown | None = Field(None, description="What happens if it bites.")
    mitigation: Markdown | None = Field(None, description="How it is contained.")


class HandoffSummary(_Strict):
    """The Summary section of the handoff template."""

    overview: Markdown | None = Field(None, description="A paragraph on the phase's outcome.")
    objectives_achieved: list[Markdown] | None = Field(None, description="Objectives met.")
    key_deliverables: list[Markdown] | None = Field(None, description="Main deliverables.")
    metrics: list[Metric] | None = Field(None, description="Metrics and KPIs reached.")


class Handoff(_Strict):
    """The output handoff; it is also the next phase's input handoff.

    A section left out is "not written yet"; an empty list says "none" on purpose.
    Decisions Made and Artifacts Produced come from the phase's decisions and deliverables
    (`decisions: []` or `deliverables: []` says "none" for them).
    """

    date: Day | None = Field(None, description="Day of the handoff.")
    summary: HandoffSummary | None = Field(None, description="Summary section.")
    critical_findings: list[CriticalFinding] | None = Field(
        None, description="Issues, risks and blockers resolved or open."
    )
    prerequisites: list[ChecklistItem] | None = Field(
        None, description="What the next phase needs before it starts."
    )
    next_inputs: list[Artifact] | None = Field(
        None, description="What the next phase receives (location - description)."
    )
    next_steps: list[Markdown] | None = Field(None, description="Recommended next steps.")
    open_questions: list[Markdown] | None = Field(None, description="Questions still open.")
    risks_dependencies: list[RiskDependency] | None = Field(
        None, description="Risks and dependencies (impact - mitigation)."
    )


class ReportRef(_Strict):
    """A tool report the phase expects, by path (a glob may match several files)."""

    path: str = Field(
        description="Path or glob relative to the data folder, e.g. `reports/phase-1/bandit.json`."
    )
    format: str | None = Field(
        None, description="The reader to use (see `phasebook read`); detected when left out."
    )
    title: str | None = Field(None, description="How the report is named on the pages.")
    required: bool = Field(
        True, description="Whether a missing file is shown as missing (it never counts as zero)."
    )


class Phase(_Strict):
    """``data/phases/*.yml``: one phase of the programme."""

    number: PhaseNumber = Field(description="Position in the programme, from 1 to 500.")
    title: str = Field(description="Name of the phase.")
    status: PhaseStatus = Field(PhaseStatus.PLANNED, description="planned, active, done, blocked.")
    depends_on: list[PhaseNumber] | None = Field(
        None,
        description="Phases that must finish first; left out means the previous phase.",
    )
    start: Day | None = Field(
        None, description="Earliest start (YYYY-MM-DD); otherwise after its dependencies."
    )
    duration_days: Days | None = Field(
        None,
        description="Length in calendar days (1 to 3650); defaults to the programme's phase_days.",
    )
    actual_start: Day | None = Field(
        None,
        description="The day the phase really started (YYYY-MM-DD), for a phase that has "
        "started (active, blocked or done); the forecast starts it there.",
    )
    actual_end: Day | None = Field(
        None,
        description="The phase's real last day, inclusive (YYYY-MM-DD), on or after "
        "`actual_start`; a done phase hands off the day after.",
    )
    brief: Markdown | None = Field(None, description="The phase brief: why it exists.")
    objectives: list[Markdown] = Field(default_factory=list, description="What it must achieve.")
    scope: Scope | None = Field(None, description="What is in and out of scope.")
    tooling: list[str] = Field(default_factory=list, description="Tools used in the phase.")
    inputs: list[Artifact] = Field(
        default_factory=list, description="Inputs beyond the previous phase's handoff."
    )
    outputs: list[Artifact] = Field(default_factory=list, description="Outputs of the phase.")
    deliverables: list[Deliverable] = Field(default_factory=list, description="Deliverables.")
    plan: list[Task] = Field(default_factory=list, description="Execution plan tasks.")
    decisions: list[Decision] = Field(default_factory=list, description="Decision records.")
    risks: list[Risk] = Field(default_factory=list, description="The phase's risks.")
    reports: list[ReportRef] = Field(
        default_factory=list, description="Tool reports that are this phase's evidence."
    )
    metrics: list[str] = Field(
        default_factory=list, description="Extra metric ids to judge this phase on."
    )
    signoffs: Signoffs = Field(default_factory=Signoffs, description="Review and approval.")
    waivers: list[Waiver] = Field(
        default_factory=list, description="Gates that count as passed though they do not pass."
    )
    handoff: Handoff = Field(default_factory=Handoff, description="The output handoff.")
    internal: list[PhaseInternal] = Field(
        default_factory=list, description=INTERNAL_HELP.format("brief")
    )

    @field_validator("actual_start", "actual_end")
    @classmethod
    def _actual_dates(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        """Actual dates belong to a phase that has started, and end on or after they start."""
        if value is None:
            return value
        if info.data.get("status") is PhaseStatus.PLANNED:
            raise PydanticCustomError(
                "actual_dates",
                "the phase is planned but records its {key} ({value}): "
                "a phase with actual dates has started",
                {"key": str(info.field_name), "value": str(value)},
            )
        start = info.data.get("actual_start")
        if info.field_name == "actual_end" and start is not None and value < start:
            raise PydanticCustomError(
                "actual_dates",
                "the phase ends ({end}) before it started ({start})",
                {"end": str(value), "start": str(start)},
            )
        return value


def dependencies_of(phase: Phase, numbers: Iterable[int]) -> tuple[int, ...]:
    """The phase's dependencies: as written, or the phase numbered just before it."""
    if phase.depends_on is not None:
        return tuple(phase.depends_on)
    earlier = [n for n in numbers if n < phase.number]
    return (earlier[-1],) if earlier else ()


class Programme(BaseModel):
    """The loaded programme: its facts, its phases in order, and where each came from.

    ``root`` is the data folder (report paths start there); ``project_root`` the folder of
    ``mkdocs.yml`` (artifact paths start there), which no path in the YAML may leave.
    """

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    info: ProgrammeInfo
    phases: tuple[Phase, ...]
    root: Path
    project_root: Path
    programme_source: SourceMap
    phase_sources: dict[int, SourceMap]

    def phase_file(self, number: int) -> Path:
        """The YAML file phase ``number`` was read from."""
        return self.phase_sources[number].path

    def locate(self, number: int, *key: str | int) -> Location:
        """Where ``key`` is written in phase ``number``'s file, for messages."""
        return self.phase_sources[number].locate(key)

    def phase(self, number: int) -> Phase:
        """The phase with that number; :class:`KeyError` if there is none."""
        for phase in self.phases:
            if phase.number == number:
                return phase
        raise KeyError(number)

    def dependencies(self, phase: Phase) -> tuple[int, ...]:
        """The phases ``phase`` starts after (see :func:`dependencies_of`)."""
        return dependencies_of(phase, [p.number for p in self.phases])

    def previous(self, phase: Phase) -> Phase | None:
        """The phase listed before ``phase``, whose output handoff is its input."""
        index = self.phases.index(phase)
        return self.phases[index - 1] if index else None

    def next(self, phase: Phase) -> Phase | None:
        """The phase listed after ``phase``."""
        index = self.phases.index(phase)
        return self.phases[index + 1] if index + 1 < len(self.phases) else None

    @property
    def current(self) -> Phase | None:
        """The first active phase; else the first not done; ``None`` when all are done."""
        for status in (PhaseStatus.ACTIVE, PhaseStatus.BLOCKED):
            for phase in self.phases:
                if phase.status is status:
                    return phase
        return next((p for p in self.phases if p.status is not PhaseStatus.DONE), None)

"""Who a build is for, and the one place that decides what a public build may show.

An internal build shows everything. A public build (``audience: public``) keeps verdicts,
counts, trends, the schedule, risks and decisions, and withholds what the reports say beyond
counts (findings one by one, file paths, lines, messages, test names, report file names),
artifact locations, and every link and field the YAML marks internal. It does so on the data,
not in the templates: :func:`view` turns the judged programme into one where that text is not
there at all, so no page, template override, macro or JSON output can show it. Templates only
ask :attr:`Audience.details` to leave out tables that would be empty.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from phasebook.assess import Assessment, Gate, MetricResult, PhaseAssessment
from phasebook.assess.summary import summarise
from phasebook.collect import MissingReport, PhaseEvidence
from phasebook.evidence import (
    FileCoverage,
    Finding,
    Measurement,
    Record,
    Report,
    ResourceChange,
    Rule,
    Skipped,
    TestResult,
)
from phasebook.history import Snapshot
from phasebook.model import Artifact, Deliverable, Phase, Programme, ReportRef

WITHHELD = "internal"
"""What a public build shows instead of a withheld value (a marked field, an artifact's
location, a skip reason or a tool's note)."""

WITHHELD_REASON = "details withheld from the public site"
"""A gate's or metric's reason that quotes a report or a path, in a public build."""


class Audience(StrEnum):
    """Who the site is for (the ``audience`` option, ``--audience`` of the command)."""

    INTERNAL = "internal"
    PUBLIC = "public"

    @property
    def details(self) -> bool:
        """Whether the build shows report details: findings one by one, tests by name, file
        paths, report files and their details pages."""
        return self is Audience.INTERNAL

    def template(self, name: str) -> str:
        """The template a page of this audience is rendered from."""
        return name if self.details else PUBLIC_TEMPLATES.get(name, name)


PUBLIC_TEMPLATES = {"section-03-findings.md.j2": "section-03-findings-public.md.j2"}
"""Pages a public build renders from a template of their own: the findings section shows
counts by severity, tool and outcome only."""


@dataclass(frozen=True)
class View:
    """What a build shows: the programme, its judgement and the earlier snapshots."""

    programme: Programme
    assessment: Assessment
    history: tuple[Snapshot, ...]


def view(
    audience: Audience,
    programme: Programme,
    assessment: Assessment,
    history: tuple[Snapshot, ...] = (),
) -> View:
    """The programme as ``audience`` may see it: unchanged for an internal build; for a
    public one, every report, artifact location and internal field withheld (new objects:
    the cached reports of ``mkdocs serve`` are never changed)."""
    if audience.details:
        return View(programme, assessment, history)
    public = public_programme(programme)
    phases = {
        number: _public_phase_assessment(public.phase(number), item)
        for number, item in assessment.phases.items()
    }
    snapshots = tuple(
        dataclasses.replace(item, document=public_snapshot(item.document)) for item in history
    )
    return View(public, Assessment(assessment.as_of, phases), snapshots)


# --- the YAML ------------------------------------------------------------------------------

ModelT = TypeVar("ModelT", bound=BaseModel)


def public_programme(programme: Programme) -> Programme:
    """The programme without internal links, internal fields and artifact locations."""
    info = programme.info
    links = [link for link in info.links if not link.internal]
    if len(links) != len(info.links):
        info = info.model_copy(update={"links": links})
    phases = tuple(_public_phase(phase) for phase in programme.phases)
    return programme.model_copy(update={"info": info, "phases": phases})


def _withhold(item: ModelT) -> ModelT:
    """``item`` with each field its ``internal`` list names shown as :data:`WITHHELD`.

    A field with nothing written stays empty ("not recorded" is still true), and only fields
    with a value are replaced, so what the writer set (``model_fields_set``) does not change.
    """
    update: dict[str, Any] = {}
    for name in map(str, getattr(item, "internal", ())):
        value = getattr(item, name)
        if value:
            update[name] = [WITHHELD] if isinstance(value, list) else WITHHELD
    return item.model_copy(update=update) if update else item


def _public_artifact(item: Artifact) -> Artifact:
    return item.model_copy(update={"location": WITHHELD})


def _public_deliverable(item: Deliverable) -> Deliverable:
    item = _withhold(item)
    return item.model_copy(update={"artifact": WITHHELD}) if item.artifact else item


def _public_ref(ref: ReportRef, fallback: str | None = None) -> ReportRef:
    """A report reference named by its title, never by its file: the path is the label too."""
    label = ref.title or f"{fallback or ref.format or 'a'} report"
    return ref.model_copy(update={"path": label, "title": label})


def _public_phase(phase: Phase) -> Phase:
    update: dict[str, Any] = {}
    lists: Mapping[str, Iterable[Any]] = {
        "inputs": map(_public_artifact, phase.inputs),
        "outputs": map(_public_artifact, phase.outputs),
        "deliverables": map(_public_deliverable, phase.deliverables),
        "decisions": map(_withhold, phase.decisions),
        "risks": map(_withhold, phase.risks),
        "reports": map(_public_ref, phase.reports),
    }
    for name, items in lists.items():
        if getattr(phase, name):
            update[name] = list(items)
    if phase.handoff.next_inputs:
        next_inputs = [_public_artifact(item) for item in phase.handoff.next_inputs]
        update["handoff"] = phase.handoff.model_copy(update={"next_inputs": next_inputs})
    return _withhold(phase).model_copy(update=update)


# --- the evidence and its judgement --------------------------------------------------------


def _public_phase_assessment(phase: Phase, item: PhaseAssessment) -> PhaseAssessment:
    """The phase's judgement with its evidence reduced to counts: the same verdicts and
    numbers, the summary recomputed from what is left so every count still adds up."""
    quoted = _quotable(item)
    evidence = _public_evidence(item.evidence)
    return PhaseAssessment(
        phase=phase,
        evidence=evidence,
        metrics=[_public_metric(result, quoted) for result in item.metrics],
        gates=tuple(_public_gate(gate, quoted) for gate in item.gates),
        summary=summarise(evidence),
    )


def _public_evidence(evidence: PhaseEvidence) -> PhaseEvidence:
    reports = [
        (_public_ref(ref, report.tool or report.format), _public_report(report, index))
        for index, (ref, report) in enumerate(evidence.reports, 1)
    ]
    missing = [
        MissingReport(_public_ref(item.ref), Path(WITHHELD)) for item in evidence.missing
    ]
    return PhaseEvidence(reports, missing)


def _public_report(report: Report, index: int) -> Report:
    """The report's counts, and nothing it says: a neutral name instead of its file's, each
    record reduced to what is counted, skip reasons and notes withheld (their number kept,
    so a scan that audited nothing is still "no data")."""
    return Report(
        path=Path(f"report-{index}"),
        format=report.format,
        schema_version=report.schema_version,
        tool=report.tool,
        tool_version=report.tool_version,
        generated_at=report.generated_at,
        records=[public_record(record) for record in report.records],
        skipped=[Skipped(WITHHELD)] * len(report.skipped),
        totals=None if report.totals is None else dataclasses.replace(report.totals, path=None),
        notes=[WITHHELD] * len(report.notes),
    )


def public_record(record: Record) -> Record:
    """A record as counted: kind, tool, severity, outcome and numbers, never a text a tool
    wrote (a finding keeps its fingerprint, so new and fixed findings still match)."""
    if isinstance(record, Finding):
        return Finding(
            record.tool, "", record.severity, "", "", record.fingerprint, kind=record.kind
        )
    if isinstance(record, TestResult):
        return TestResult("", "", record.outcome, duration_s=record.duration_s)
    if isinstance(record, FileCoverage):
        return dataclasses.replace(record, path=None)
    if isinstance(record, Measurement):
        return Measurement("", record.value, record.unit, record.timestamp)
    if isinstance(record, ResourceChange):
        return ResourceChange("", record.actions, "", mode=record.mode)
    if isinstance(record, Rule):
        return Rule("", "", record.rule_type, "", record.severity, record.duration)
    raise TypeError(f"no public form for a {type(record).__name__} record")


def _quotable(item: PhaseAssessment) -> frozenset[str]:
    """Every text of the phase's reports and artifacts a gate or metric reason may quote:
    report files, paths, notes, skip reasons, test names and messages, artifact locations.
    (Reasons never quote a finding's title; its file path is listed in case one does.)"""
    texts: set[str] = set()
    for ref, report in item.evidence.reports:
        texts.update((ref.path, str(report.path), report.path.as_posix(), report.path.name))
        texts.update(report.notes)
        texts.update(text for skip in report.skipped for text in (skip.reason, skip.record))
        for record in report.records:
            if isinstance(record, TestResult):
                texts.update((record.suite, record.name, record.classname or ""))
                texts.add(record.message or "")
            elif isinstance(record, Finding | FileCoverage):
                texts.add(record.path or "")
    texts.update(missing.ref.path for missing in item.evidence.missing)
    phase = item.phase
    texts.update(a.location for a in (*phase.inputs, *phase.outputs))
    texts.update(a.location for a in phase.handoff.next_inputs or ())
    texts.update(d.artifact or "" for d in phase.deliverables)
    return frozenset(text for text in texts if len(text.strip()) >= 3)


def _scrubbed(text: str, quoted: frozenset[str]) -> str:
    return WITHHELD_REASON if any(item in text for item in quoted) else text


def _public_gate(gate: Gate, quoted: frozenset[str]) -> Gate:
    """The verdict and its counted reason; the list of gaps behind it (deliverables and their
    artifacts, failing tests by name, metrics' reasons) stays on the internal site."""
    return dataclasses.replace(gate, reason=_scrubbed(gate.reason, quoted), details=())


def _public_metric(result: MetricResult, quoted: frozenset[str]) -> MetricResult:
    """The value and verdict; no report files as evidence, a reason that names none."""
    return dataclasses.replace(result, reason=_scrubbed(result.reason, quoted), evidence=())


# --- snapshots ------------------------------------------------------------------------------


def public_snapshot(document: Mapping[str, Any]) -> dict[str, Any]:
    """An earlier build's snapshot as a public build may show it: findings by fingerprint,
    tool and severity only; reports by counts, not by file."""
    phases = {
        key: {
            **phase,
            "findings": [_public_finding_entry(entry) for entry in phase.get("findings", [])],
            "reports": [
                {**report, "path": f"report-{index}"}
                for index, report in enumerate(phase.get("reports", []), 1)
            ],
            "missing": [WITHHELD for _ in phase.get("missing", [])],
        }
        for key, phase in document.get("phases", {}).items()
    }
    return {**document, "phases": phases}


def _public_finding_entry(entry: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "fingerprint": entry.get("fingerprint"),
        "tool": entry.get("tool"),
        "role": entry.get("role"),  # vulnerability or lint: counts stay apart in public too
        "rule": "",
        "severity": entry.get("severity"),
        "title": "",
        "path": None,
    }


__all__ = [
    "WITHHELD",
    "Audience",
    "View",
    "public_programme",
    "public_record",
    "public_snapshot",
    "view",
]

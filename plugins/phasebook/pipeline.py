"""The one-way pipeline, shared by the plugin, the CLI, the macros and the benchmarks.

:func:`build` is the whole of it: load the programme (or a :class:`DataError`), read every
phase's reports (or a :class:`ReportError`), judge metrics and gates, read the history, take the
snapshot and gather the warnings. :func:`load_checked` and :func:`evaluate` are its two halves,
for tests and tools that need only one.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from phasebook.asof import AsOfError, resolve_as_of
from phasebook.assess import Assessment, assess, gate_warnings
from phasebook.audience import Audience, view
from phasebook.build import Build, BuildSettings
from phasebook.collect import ReportCache, collect_evidence
from phasebook.date_checks import date_warnings
from phasebook.errors import DataError, Location, PhasebookError, Problem
from phasebook.handoff import handoff_warnings
from phasebook.history import Snapshot, load_history
from phasebook.load import load_programme
from phasebook.missing_paths import missing_path_warnings, missing_report_notes
from phasebook.model import Programme
from phasebook.output.snapshot import snapshot
from phasebook.readers import ReportError
from phasebook.render.gantt import gantt_warnings
from phasebook.schedule import compute_schedule, forecast

__all__ = [
    "AsOfError",
    "Audience",
    "Build",
    "BuildSettings",
    "DataError",
    "PhasebookError",
    "ReportCache",
    "ReportError",
    "assemble",
    "build",
    "evaluate",
    "load_checked",
    "resolve_as_of",
]


def load_checked(data_dir: Path, project_root: Path | None = None) -> Programme:
    """The programme, with every load-time check done (see :func:`load_programme`)."""
    return load_programme(data_dir, project_root)


def evaluate(
    programme: Programme,
    project_root: Path,
    as_of: dt.date,
    cache: ReportCache | None = None,
) -> Assessment:
    """Read every phase's reports and judge its metrics and gates."""
    evidence = collect_evidence(programme, cache)
    return assess(programme, evidence, project_root, as_of)


def build(settings: BuildSettings, cache: ReportCache | None = None) -> Build:
    """The whole build; ``cache`` keeps parsed reports across ``mkdocs serve`` rebuilds."""
    programme = load_checked(settings.data_dir, settings.project_root)
    assessment = evaluate(programme, settings.project_root, settings.as_of, cache)
    history, history_warnings = _history(settings.history_dir)
    return assemble(settings, programme, assessment, history, history_warnings)


def assemble(
    settings: BuildSettings,
    programme: Programme,
    assessment: Assessment,
    history: tuple[Snapshot, ...] = (),
    extra_warnings: list[Problem] | None = None,
) -> Build:
    """A build from a judged programme: schedule, forecast, snapshot and warnings derived once.

    Warnings judge all the data, whoever the build is for; everything else is made from what
    the build's audience may see (:func:`phasebook.audience.view`).
    """
    schedule = compute_schedule(programme)
    outlook = forecast(programme, schedule, settings.as_of)
    warnings = (
        *handoff_warnings(programme),
        *gate_warnings(programme, assessment),
        *gantt_warnings(programme, settings.as_of, schedule, outlook),
        *date_warnings(programme, schedule, settings.as_of),
        *missing_path_warnings(programme, assessment),
        *(extra_warnings or []),
    )
    shown = view(settings.audience, programme, assessment, history)
    if shown.programme is not programme:  # its schedule must hold the phases as shown
        schedule = compute_schedule(shown.programme)
        outlook = forecast(shown.programme, schedule, settings.as_of)
    return Build(
        settings=settings,
        programme=shown.programme,
        schedule=schedule,
        assessment=shown.assessment,
        history=shown.history,
        snapshot=snapshot(shown.programme, shown.assessment),
        warnings=tuple(warnings),
        forecast=outlook,
        notes=tuple(missing_report_notes(programme, assessment)),
    )


def _history(folder: Path | None) -> tuple[tuple[Snapshot, ...], list[Problem]]:
    if folder is None:
        return (), []
    if not folder.is_dir():
        problem = Problem(
            Location(folder),
            "the history folder does not exist, so no trends are shown",
            "create it, or leave the plugin's history_dir option out",
        )
        return (), [problem]
    return tuple(load_history(folder)), []

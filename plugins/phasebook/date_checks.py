"""Dates that cannot all be true: a task outside its phase, a handoff before its phase starts,
a dependency still open under a phase that is done, actual dates after the build's "as of".

Each record on its own is checked by the model (a task that ends before it starts is an
error there); these checks compare records with the schedule and the build date, so they are
warnings: the site still builds, ``--strict`` and ``phasebook validate`` fail.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from phasebook.errors import Problem
from phasebook.model import Phase, PhaseStatus, Programme, Task
from phasebook.schedule import Schedule


@dataclass(frozen=True)
class PhaseWindow:
    """The days a phase runs: its actual dates where recorded, else its plan's."""

    start: dt.date
    last_day: dt.date
    basis: str
    """Where the dates come from, for messages: "planned", "actual" …"""

    @property
    def text(self) -> str:
        return f"{self.start:%Y-%m-%d} to {self.last_day:%Y-%m-%d}, {self.basis}"


def phase_window(phase: Phase, schedule: Schedule) -> PhaseWindow:
    """A started phase runs from ``actual_start`` for its planned length, up to ``actual_end``
    when recorded; any other phase runs as planned."""
    planned = schedule.of(phase.number)
    start = phase.actual_start or planned.start
    last = phase.actual_end or start + dt.timedelta(days=planned.days - 1)
    if phase.actual_start and phase.actual_end:
        basis = "its actual dates"
    elif phase.actual_start:
        basis = "from its actual_start for its planned length"
    elif phase.actual_end:
        basis = "planned, to its actual_end"
    else:
        basis = "planned"
    return PhaseWindow(start, last, basis)


def date_warnings(programme: Programme, schedule: Schedule, as_of: dt.date) -> list[Problem]:
    """Every date of the programme that contradicts another, or the build date."""
    problems: list[Problem] = []
    for phase in programme.phases:
        window = phase_window(phase, schedule)
        problems.extend(_tasks_outside(programme, phase, window))
        problems.extend(_handoff_before_start(programme, phase, window))
        problems.extend(_actual_dates_ahead(programme, phase, as_of))
    problems.extend(_open_under_done(programme))
    return problems


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


def _task_name(task: Task) -> str:
    return f"`{task.id}`" if task.id else f"“{task.title}”"


def _tasks_outside(programme: Programme, phase: Phase, window: PhaseWindow) -> list[Problem]:
    problems = []
    for index, task in enumerate(phase.plan):
        if task.start < window.start:
            problems.append(
                Problem(
                    programme.locate(phase.number, "plan", index, "start"),
                    f"task {_task_name(task)} starts {task.start:%Y-%m-%d}, "
                    f"{_days((window.start - task.start).days)} before phase {phase.number} "
                    f"starts ({window.text})",
                    "move the task inside the phase, or start the phase earlier: `start:`, "
                    "or `actual_start:` once it has started",
                )
            )
        if task.end > window.last_day:
            problems.append(
                Problem(
                    programme.locate(phase.number, "plan", index, "end"),
                    f"task {_task_name(task)} ends {task.end:%Y-%m-%d}, "
                    f"{_days((task.end - window.last_day).days)} after phase {phase.number}'s "
                    f"last day ({window.text})",
                    "move the task inside the phase, or lengthen the phase: "
                    "`duration_days:`, or `actual_end:` once it is over",
                )
            )
    return problems


def _handoff_before_start(
    programme: Programme, phase: Phase, window: PhaseWindow
) -> list[Problem]:
    handoff = phase.handoff.date
    if handoff is None or handoff >= window.start:
        return []
    return [
        Problem(
            programme.locate(phase.number, "handoff", "date"),
            f"phase {phase.number}'s handoff is dated {handoff:%Y-%m-%d}, "
            f"{_days((window.start - handoff).days)} before the phase starts ({window.text})",
            "date the handoff when the phase ends, usually the day after its last day",
        )
    ]


def _actual_dates_ahead(programme: Programme, phase: Phase, as_of: dt.date) -> list[Problem]:
    problems = []
    for key in ("actual_start", "actual_end"):
        day: dt.date | None = getattr(phase, key)
        if day is not None and day > as_of:
            problems.append(
                Problem(
                    programme.locate(phase.number, key),
                    f"phase {phase.number}'s {key} ({day:%Y-%m-%d}) is "
                    f"{_days((day - as_of).days)} after the build's as-of date "
                    f"({as_of:%Y-%m-%d})",
                    "record actual dates once they have passed and plan with `start:` and "
                    "`duration_days:`, or build as of a later day with --as-of or "
                    "PHASEBOOK_AS_OF",
                )
            )
    return problems


def _open_under_done(programme: Programme) -> list[Problem]:
    """A phase not done while a phase that depends on it is: one of the two is out of date."""
    problems = []
    for phase in programme.phases:
        if phase.status is not PhaseStatus.DONE:
            continue
        for number in programme.dependencies(phase):
            dependency = programme.phase(number)
            if dependency.status is PhaseStatus.DONE:
                continue
            problems.append(
                Problem(
                    programme.locate(number, "status"),
                    f"phase {number} is {dependency.status.value} but phase {phase.number}, "
                    "which depends on it, is done",
                    f"set phase {number}'s status to done (with its `actual_end:`), or phase "
                    f"{phase.number}'s back to active",
                )
            )
    return problems

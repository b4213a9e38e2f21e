"""The programme's schedule, computed here rather than by Mermaid's ``after`` resolution.

Forward pass for earliest dates, backward pass for latest; a phase with no slack is on the
critical path. Durations are calendar days; ``finish`` is exclusive (the handoff day).

:func:`compute_schedule` is the plan, the baseline that never moves. :func:`forecast` lays the
recorded actual dates and the build's "as of" day over it: done phases where they really ran,
phases in progress no earlier than the build date, later phases after their dependencies'
forecast handoffs, and so the programme's forecast end.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from phasebook.model import Phase, PhaseStatus, Programme


class _Span:
    """A run of days from ``start`` to ``finish`` (exclusive: the handoff day)."""

    start: dt.date
    finish: dt.date

    @property
    def days(self) -> int:
        return (self.finish - self.start).days

    @property
    def last_day(self) -> dt.date:
        return self.finish - dt.timedelta(days=1)


@dataclass(frozen=True)
class ScheduledPhase(_Span):
    """Where a phase sits in time."""

    phase: Phase
    start: dt.date
    finish: dt.date
    depends_on: tuple[int, ...]
    slack_days: int

    @property
    def critical(self) -> bool:
        return self.slack_days == 0


@dataclass(frozen=True)
class Schedule:
    """Every phase's dates, the programme's span and its critical path."""

    phases: tuple[ScheduledPhase, ...]
    start: dt.date
    finish: dt.date

    def of(self, number: int) -> ScheduledPhase:
        return next(item for item in self.phases if item.phase.number == number)

    @property
    def critical_path(self) -> tuple[int, ...]:
        return tuple(item.phase.number for item in self.phases if item.critical)

    @property
    def critical_steps(self) -> tuple[tuple[int, ...], ...]:
        """The critical path as steps in time: critical phases that start together run side
        by side, so a path through a fork reads "5 → 6 and 7 → 8", not as one chain."""
        steps: dict[dt.date, list[int]] = {}
        for item in self.phases:
            if item.critical:
                steps.setdefault(item.start, []).append(item.phase.number)
        return tuple(tuple(numbers) for _, numbers in sorted(steps.items()))

    def week_of(self, day: dt.date) -> int:
        """Programme week (from 1) that ``day`` falls in."""
        return (day - self.start).days // 7 + 1


def compute_schedule(programme: Programme) -> Schedule:
    """Dates for every phase; assumes the loader already refused cycles and unknown phases."""
    numbers = [phase.number for phase in programme.phases]
    deps = {p.number: programme.dependencies(p) for p in programme.phases}
    length = {
        p.number: p.duration_days or programme.info.phase_days for p in programme.phases
    }
    earliest_start: dict[int, dt.date] = {}
    earliest_finish: dict[int, dt.date] = {}
    for number in _topological(deps):
        phase = programme.phase(number)
        start = phase.start or programme.info.start_date
        for dependency in deps[number]:
            start = max(start, earliest_finish[dependency])
        earliest_start[number] = start
        earliest_finish[number] = start + dt.timedelta(days=length[number])

    end = max(earliest_finish.values())
    successors: dict[int, list[int]] = {n: [] for n in numbers}
    for number, dependencies in deps.items():
        for dependency in dependencies:
            successors[dependency].append(number)
    latest_finish: dict[int, dt.date] = {}
    for number in reversed(_topological(deps)):
        latest_finish[number] = min(
            (latest_finish[s] - dt.timedelta(days=length[s]) for s in successors[number]),
            default=end,
        )
    phases = tuple(
        ScheduledPhase(
            phase=phase,
            start=earliest_start[phase.number],
            finish=earliest_finish[phase.number],
            depends_on=deps[phase.number],
            slack_days=(latest_finish[phase.number] - earliest_finish[phase.number]).days,
        )
        for phase in programme.phases
    )
    return Schedule(phases=phases, start=min(earliest_start.values()), finish=end)


IN_PROGRESS = (PhaseStatus.ACTIVE, PhaseStatus.BLOCKED)
"""Statuses of a phase that has started and not handed off."""


@dataclass(frozen=True)
class ForecastPhase(_Span):
    """A phase's dates as they really ran (done) or as now forecast, beside its plan.

    ``start`` and ``finish`` are the actual dates of a done phase and the forecast of any
    other; ``finish`` is exclusive (the handoff day), like the plan's.
    """

    planned: ScheduledPhase
    start: dt.date
    finish: dt.date

    @property
    def phase(self) -> Phase:
        return self.planned.phase

    @property
    def actual(self) -> bool:
        """Whether these are the dates the phase really ran (it is done)."""
        return self.phase.status is PhaseStatus.DONE

    @property
    def in_progress(self) -> bool:
        return self.phase.status in IN_PROGRESS

    @property
    def slip_days(self) -> int:
        """Days the handoff comes after the planned one (negative: before it)."""
        return (self.finish - self.planned.finish).days

    @property
    def late_days(self) -> int:
        """Days the handoff comes after the planned one; 0 when on time or early."""
        return max(self.slip_days, 0)

    @property
    def moved(self) -> bool:
        """Whether the dates differ from the plan's."""
        return (self.start, self.finish) != (self.planned.start, self.planned.finish)


@dataclass(frozen=True)
class Forecast:
    """The schedule as it stands on ``as_of``: the plan, and every phase's actual or forecast
    dates; the programme's forecast end against the planned one."""

    as_of: dt.date
    plan: Schedule
    phases: tuple[ForecastPhase, ...]
    start: dt.date
    finish: dt.date

    def of(self, number: int) -> ForecastPhase:
        return next(item for item in self.phases if item.phase.number == number)

    @property
    def slip_days(self) -> int:
        """Days the programme's end is forecast after the planned end (negative: before)."""
        return (self.finish - self.plan.finish).days

    @property
    def late(self) -> tuple[ForecastPhase, ...]:
        """Phases in progress (active or blocked) that will hand off later than planned."""
        return tuple(item for item in self.phases if item.in_progress and item.late_days)

    @property
    def pushed(self) -> tuple[ForecastPhase, ...]:
        """Phases not started whose forecast handoff is later than planned."""
        return tuple(
            item
            for item in self.phases
            if item.phase.status is PhaseStatus.PLANNED and item.late_days
        )

    @property
    def next_handoff(self) -> ForecastPhase | None:
        """The phase not done yet that is forecast to hand off first."""
        return min(
            (item for item in self.phases if not item.actual),
            key=lambda item: (item.finish, item.phase.number),
            default=None,
        )


def forecast(programme: Programme, schedule: Schedule, as_of: dt.date) -> Forecast:
    """Every phase's actual or forecast dates on ``as_of``, over the plan ``schedule``.

    - A done phase started on ``actual_start`` (else as planned) and handed off the day after
      ``actual_end``, else on its handoff's ``date``, else as planned.
    - A phase in progress (active or blocked) started on ``actual_start`` (else as planned) and
      runs its planned length from there (to ``actual_end`` when recorded); still open, it
      cannot hand off before the day after ``as_of``, so past its last day it is late.
    - A planned phase starts as planned, or later when a dependency's forecast handoff is later.
    """
    deps = {item.phase.number: item.depends_on for item in schedule.phases}
    start: dict[int, dt.date] = {}
    finish: dict[int, dt.date] = {}
    after_as_of = as_of + dt.timedelta(days=1)
    for number in _topological(deps):
        planned = schedule.of(number)
        phase = planned.phase
        length = dt.timedelta(days=planned.days)
        if phase.status is PhaseStatus.PLANNED:
            begin = max([planned.start, *(finish[d] for d in deps[number])])
            end = begin + length
        else:
            begin = phase.actual_start or planned.start
            if phase.actual_end is not None:
                end = phase.actual_end + dt.timedelta(days=1)
            elif phase.status is PhaseStatus.DONE and phase.handoff.date is not None:
                end = phase.handoff.date
            else:
                end = begin + length
            if phase.status is not PhaseStatus.DONE:
                end = max(end, after_as_of)
            end = max(end, begin + dt.timedelta(days=1))  # a handoff dated before the start
        start[number], finish[number] = begin, end
    phases = tuple(
        ForecastPhase(item, start[item.phase.number], finish[item.phase.number])
        for item in schedule.phases
    )
    return Forecast(
        as_of=as_of,
        plan=schedule,
        phases=phases,
        start=min(start.values()),
        finish=max(finish.values()),
    )


def _topological(deps: dict[int, tuple[int, ...]]) -> list[int]:
    order: list[int] = []
    done: set[int] = set()

    def visit(number: int) -> None:
        if number in done:
            return
        done.add(number)
        for dependency in deps[number]:
            visit(dependency)
        order.append(number)

    for number in sorted(deps):
        visit(number)
    return order

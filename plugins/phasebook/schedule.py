"""The programme's schedule, computed here rather than by Mermaid's ``after`` resolution.

Forward pass for earliest dates, backward pass for latest; a phase with no slack is on the
critical path. Durations are calendar days; ``finish`` is exclusive (the handoff day).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from phasebook.model import Phase, Programme


@dataclass(frozen=True)
class ScheduledPhase:
    """Where a phase sits in time."""

    phase: Phase
    start: dt.date
    finish: dt.date
    depends_on: tuple[int, ...]
    slack_days: int

    @property
    def days(self) -> int:
        return (self.finish - self.start).days

    @property
    def last_day(self) -> dt.date:
        return self.finish - dt.timedelta(days=1)

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

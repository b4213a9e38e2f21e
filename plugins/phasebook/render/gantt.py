"""Mermaid Gantt text computed from the schedule: every bar has explicit dates.

Mermaid's own ``after`` resolution and today marker are avoided on purpose (ordering bugs, and
the marker would use the reader's clock); the "as of" line is a ``vert`` marker at the build date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from phasebook.escape import mermaid_label
from phasebook.model import PhaseStatus, Programme, Task, WorkStatus
from phasebook.schedule import Schedule

# Mermaid's default Gantt is small and pale inside Material: set sizes explicitly.
_HEADER = (
    "---",
    "config:",
    "  gantt:",
    "    barHeight: 26",
    "    barGap: 6",
    "    topPadding: 60",
    "    leftPadding: 110",
    "    fontSize: 14",
    "    sectionFontSize: 14",
    "    numberSectionStyles: 2",
    "---",
    "gantt",
    "    dateFormat YYYY-MM-DD",
    "    axisFormat %d %b",
    "    todayMarker off",
)


@dataclass(frozen=True)
class Bar:
    """One line of a Gantt: a task bar, a milestone or a vertical marker."""

    label: str
    ident: str
    start: dt.date
    days: int
    tags: tuple[str, ...] = ()

    def line(self) -> str:
        tags = "".join(f"{tag}, " for tag in self.tags)
        label = mermaid_label(self.label)
        return f"    {label} :{tags}{self.ident}, {self.start:%Y-%m-%d}, {self.days}d"


def _chart(title: str, sections: Iterable[tuple[str, list[Bar]]], as_of: dt.date) -> str:
    lines = [*_HEADER, f"    title {mermaid_label(title)}"]
    for name, bars in sections:
        lines.append(f"    section {mermaid_label(name)}")
        lines.extend(bar.line() for bar in bars)
    lines.append(f"    As of {as_of:%Y-%m-%d} :vert, asof, {as_of:%Y-%m-%d}, 0d")
    return "\n".join(lines) + "\n"


def _status_tags(status: PhaseStatus | WorkStatus, critical: bool) -> tuple[str, ...]:
    tags: list[str] = []
    if critical:
        tags.append("crit")
    if status in (PhaseStatus.DONE, WorkStatus.DONE):
        tags.append("done")
    elif status in (PhaseStatus.ACTIVE, WorkStatus.IN_PROGRESS):
        tags.append("active")
    return tuple(tags)


def programme_gantt(programme: Programme, schedule: Schedule, as_of: dt.date) -> str:
    """The whole programme: a section per phase with its bar and its handoff milestone."""
    sections = []
    for item in schedule.phases:
        phase = item.phase
        tags = _status_tags(phase.status, item.critical)
        done = ("done",) if phase.status is PhaseStatus.DONE else ()
        sections.append(
            (
                f"Phase {phase.number}",
                [
                    Bar(phase.title, f"p{phase.number}", item.start, item.days, tags),
                    Bar(
                        f"Handoff {phase.number}",
                        f"h{phase.number}",
                        item.finish,
                        0,
                        ("milestone", *done),
                    ),
                ],
            )
        )
    return _chart(f"{programme.info.name} — timeline", sections, as_of)


def plan_gantt(title: str, tasks: list[Task], as_of: dt.date) -> str:
    """A phase's execution plan: one bar per task, with the dates the plan gives."""
    bars = [
        Bar(
            task.title,
            f"t{index}",
            task.start,
            (task.end - task.start).days + 1,
            _status_tags(task.status, critical=False),
        )
        for index, task in enumerate(tasks, start=1)
    ]
    return _chart(title, [("Plan", bars)], as_of)

"""Mermaid Gantt text computed from the schedule: every bar has explicit dates.

Mermaid's own ``after`` resolution and today marker are avoided on purpose (ordering bugs, and
the marker would use the reader's clock); the "as of" line is a ``vert`` marker at the build date.
The programme chart draws each phase's plan and, where the forecast differs from it, a second
bar with the phase's actual (done) or forecast dates, red when it hands off late.

Mermaid refuses a diagram longer than its ``maxTextSize`` and draws an error box instead, so no
chart here is longer than :data:`TEXT_LIMIT`: a chart that would be keeps its first bars and
sums up the rest in one bar. :func:`gantt_warnings` says which charts were cut, for the plugin
to log as warnings (so ``--strict`` fails).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from phasebook.errors import Location, Problem
from phasebook.escape import mermaid_label
from phasebook.model import Phase, PhaseStatus, Programme, Task, WorkStatus
from phasebook.schedule import Forecast, ForecastPhase, Schedule, compute_schedule, forecast

MERMAID_MAX_TEXT_SIZE = 50_000
"""Mermaid's ``maxTextSize`` (its default), which ``assets/phasebook-mermaid.js`` pins."""

TEXT_LIMIT = 40_000
"""The longest Gantt text Phasebook emits, in UTF-16 code units (how JavaScript counts the
length Mermaid checks); well under :data:`MERMAID_MAX_TEXT_SIZE`."""

TITLE_LIMIT = 200
"""A chart title longer than this is shortened (its length never decides what is cut)."""

PLAN_TITLE = "Phase {number} execution plan"
"""The title of a phase's plan chart (the execution-plan page uses the same words)."""

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
_OMITTED_SECTION = "Not shown"


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

    @property
    def end(self) -> dt.date:
        return self.start + dt.timedelta(days=self.days)


@dataclass(frozen=True)
class Gantt:
    """A chart's Mermaid text, and how many of its bars it draws as themselves."""

    text: str
    shown: int
    total: int
    full_size: int
    """How long the text would have been with every bar (UTF-16 code units)."""

    @property
    def omitted(self) -> int:
        return self.total - self.shown


def text_size(text: str) -> int:
    """The length JavaScript (and so Mermaid's ``maxTextSize`` check) gives ``text``."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def _title_line(title: str) -> str:
    if len(title) > TITLE_LIMIT:
        title = title[: TITLE_LIMIT - 1].rstrip() + "…"
    return f"    title {mermaid_label(title)}"


def _omitted_bar(bars: Sequence[Bar], count: int, noun: str) -> Bar:
    """One bar over the span of the bars left out, saying how many there are."""
    start = min(bar.start for bar in bars)
    end = max(bar.end for bar in bars)
    if all("done" in bar.tags for bar in bars):
        tags: tuple[str, ...] = ("done",)
    elif any("active" in bar.tags for bar in bars):
        tags = ("active",)
    else:
        tags = ()
    return Bar(f"{count:,} more {noun}", "more", start, max((end - start).days, 1), tags)


def _chart(
    title: str,
    sections: Sequence[tuple[str, Sequence[Bar]]],
    as_of: dt.date,
    *,
    noun: str,
    limit: int = TEXT_LIMIT,
) -> Gantt:
    """The chart, cut to ``limit``: first bars in order, then one bar for the rest."""
    head = [*_HEADER, _title_line(title)]
    tail = [f"    As of {as_of:%Y-%m-%d} :vert, asof, {as_of:%Y-%m-%d}, 0d"]
    body: list[tuple[str, list[str]]] = [
        (f"    section {mermaid_label(name)}", [bar.line() for bar in bars])
        for name, bars in sections
    ]
    total = sum(len(bars) for _, bars in sections)
    # Budgets count the title at its longest, so whether and where a chart is cut never
    # depends on its title; each line costs its length and a newline.
    fixed = sum(text_size(line) + 1 for line in [*_HEADER, *tail]) + len("    title ") + 1
    fixed += 2 * TITLE_LIMIT  # a title character may become two code units
    lines = [line for header, bar_lines in body for line in (header, *bar_lines)]
    body_size = sum(text_size(line) + 1 for line in lines)
    full_size = sum(text_size(line) + 1 for line in head) + body_size + len(tail[0]) + 1
    if fixed + body_size <= limit:
        return Gantt("\n".join([*head, *lines, *tail]) + "\n", total, total, full_size)

    all_bars = [bar for _, bars in sections for bar in bars]
    widest = _omitted_bar(all_bars, total, noun)
    reserve = text_size(f"    section {_OMITTED_SECTION}") + 1 + text_size(widest.line()) + 1
    budget = limit - fixed - reserve
    kept: list[str] = []
    shown = 0
    full = True
    for header, bar_lines in body:
        for index, line in enumerate(bar_lines):
            cost = text_size(line) + 1 + (text_size(header) + 1 if index == 0 else 0)
            if cost > budget:
                full = False
                break
            kept += [header, line] if index == 0 else [line]
            budget -= cost
            shown += 1
        if not full:
            break
    rest = all_bars[shown:]
    summary = _omitted_bar(rest, len(rest), noun)
    kept += [f"    section {_OMITTED_SECTION}", summary.line()]
    return Gantt("\n".join([*head, *kept, *tail]) + "\n", shown, total, full_size)


def _status_tags(status: PhaseStatus | WorkStatus, critical: bool) -> tuple[str, ...]:
    tags: list[str] = []
    if critical:
        tags.append("crit")
    if status in (PhaseStatus.DONE, WorkStatus.DONE):
        tags.append("done")
    elif status in (PhaseStatus.ACTIVE, WorkStatus.IN_PROGRESS):
        tags.append("active")
    return tuple(tags)


def _forecast_bar(item: ForecastPhase) -> Bar:
    """The phase's actual (done) or forecast dates, red when it hands off after the plan."""
    number = item.phase.number
    tags = (*(("crit",) if item.late_days else ()), *_status_tags(item.phase.status, False))
    label = f"Phase {number} {'actual' if item.actual else 'forecast'}"
    return Bar(label, f"f{number}", item.start, item.days, tags)


def programme_chart(
    programme: Programme,
    schedule: Schedule,
    as_of: dt.date,
    outlook: Forecast | None = None,
) -> Gantt:
    """The whole programme: a section per phase with its planned bar, its actual or forecast
    bar when that differs from the plan, and its planned handoff milestone."""
    outlook = outlook or forecast(programme, schedule, as_of)
    sections = []
    for item in schedule.phases:
        phase = item.phase
        tags = _status_tags(phase.status, item.critical)
        done = ("done",) if phase.status is PhaseStatus.DONE else ()
        predicted = outlook.of(phase.number)
        bars = [Bar(phase.title, f"p{phase.number}", item.start, item.days, tags)]
        if predicted.moved:
            bars.append(_forecast_bar(predicted))
        bars.append(
            Bar(f"Handoff {phase.number}", f"h{phase.number}", item.finish, 0, ("milestone", *done))
        )
        sections.append((f"Phase {phase.number}", bars))
    return _chart(f"{programme.info.name} — timeline", sections, as_of, noun="bars")


def plan_chart(title: str, tasks: Sequence[Task], as_of: dt.date) -> Gantt:
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
    return _chart(title, [("Plan", bars)], as_of, noun="tasks")


def programme_gantt(
    programme: Programme,
    schedule: Schedule,
    as_of: dt.date,
    outlook: Forecast | None = None,
) -> str:
    """The programme chart's Mermaid text (see :func:`programme_chart`)."""
    return programme_chart(programme, schedule, as_of, outlook).text


def plan_gantt(title: str, tasks: list[Task], as_of: dt.date) -> str:
    """A plan chart's Mermaid text (see :func:`plan_chart`)."""
    return plan_chart(title, tasks, as_of).text


def plan_title(phase: Phase) -> str:
    """The title of ``phase``'s plan chart."""
    return PLAN_TITLE.format(number=phase.number)


def gantt_warnings(
    programme: Programme,
    as_of: dt.date,
    schedule: Schedule | None = None,
    outlook: Forecast | None = None,
) -> list[Problem]:
    """Every chart of the programme that was cut to stay under Mermaid's size limit."""
    schedule = schedule or compute_schedule(programme)
    problems = []
    chart = programme_chart(programme, schedule, as_of, outlook)
    if chart.omitted:
        problems.append(
            Problem(
                Location(programme.programme_source.path),
                f"the programme timeline would be {chart.full_size:,} characters of Mermaid, "
                f"over Phasebook's limit of {TEXT_LIMIT:,} (Mermaid draws nothing past "
                f"{MERMAID_MAX_TEXT_SIZE:,}): it shows its first {chart.shown:,} bars of "
                f"{chart.total:,} and one bar for the other {chart.omitted:,}",
                "the phase table lists every phase",
            )
        )
    for phase in programme.phases:
        if not phase.plan:
            continue
        chart = plan_chart(plan_title(phase), phase.plan, as_of)
        if chart.omitted:
            problems.append(
                Problem(
                    programme.locate(phase.number, "plan", "__key__"),
                    f"phase {phase.number}'s execution plan Gantt would be "
                    f"{chart.full_size:,} characters of Mermaid, over Phasebook's limit of "
                    f"{TEXT_LIMIT:,} (Mermaid draws nothing past {MERMAID_MAX_TEXT_SIZE:,}): "
                    f"it shows the first {chart.shown:,} tasks of {chart.total:,} and one bar "
                    f"for the other {chart.omitted:,}",
                    "the page's task table lists every task; split the phase's plan or merge "
                    "small tasks to keep the chart whole",
                )
            )
    return problems


__all__ = [
    "MERMAID_MAX_TEXT_SIZE",
    "TEXT_LIMIT",
    "Bar",
    "Gantt",
    "gantt_warnings",
    "plan_chart",
    "plan_gantt",
    "plan_title",
    "programme_chart",
    "programme_gantt",
    "text_size",
]

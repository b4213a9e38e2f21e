"""No Gantt is longer than Mermaid accepts: a chart that would be is cut, and the build warns.

Mermaid replaces a diagram longer than its ``maxTextSize`` (50,000) with an error box, and a
reader sees no timeline at all. Phasebook keeps every chart under ``TEXT_LIMIT`` (40,000): the
first bars in order, then one bar for the rest; the plugin logs a warning so --strict fails.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import pytest
from tests.conftest import PHASE, build

from phasebook.pipeline import load_checked
from phasebook.render.gantt import (
    MERMAID_MAX_TEXT_SIZE,
    TEXT_LIMIT,
    gantt_warnings,
    plan_chart,
    plan_title,
    programme_chart,
    text_size,
)
from phasebook.schedule import compute_schedule

AS_OF = dt.date(2026, 1, 20)
TASKS = 3000


def plan_yaml(count: int, title: str = "Review module {i} of the payments service") -> str:
    """Phase 1 with ``count`` tasks, a few days each, some done, some in progress."""
    lines = [PHASE.format(number=1).replace("planned", "active").rstrip("\n"), "plan:"]
    start = dt.date(2026, 1, 5)
    for i in range(count):
        day = start + dt.timedelta(days=i % 60)
        status = "done" if i % 3 == 0 else "in_progress" if i % 3 == 1 else "planned"
        lines.append(
            f"  - {{title: '{title.format(i=i)}', start: {day}, "
            f"end: {day + dt.timedelta(days=2)}, status: {status}}}"
        )
    return "\n".join(lines) + "\n"


def test_a_3000_task_plan_is_cut_under_the_limit(programme_dir: Callable[..., Path]) -> None:
    programme = load_checked(programme_dir({1: plan_yaml(TASKS)}))
    phase = programme.phases[0]
    chart = plan_chart(plan_title(phase), phase.plan, AS_OF)
    assert text_size(chart.text) <= TEXT_LIMIT < MERMAID_MAX_TEXT_SIZE
    assert chart.full_size > MERMAID_MAX_TEXT_SIZE  # the uncut chart would not have drawn
    assert chart.total == TASKS
    assert 100 < chart.shown < TASKS
    lines = chart.text.splitlines()
    # The first tasks in plan order, then one bar over the span of the rest, then "as of".
    assert lines[lines.index("gantt") + 4 : lines.index("gantt") + 6] == [
        "    title Phase 1 execution plan",
        "    section Plan",
    ]
    assert "Review module 0 of the payments service :done, t1, 2026-01-05, 3d" in chart.text
    assert re.search(rf"[ :]t{chart.shown}, 2026", chart.text)
    assert not re.search(rf"[ :]t{chart.shown + 1}, 2026", chart.text)
    assert lines[-3:] == [
        "    section Not shown",
        f"    {TASKS - chart.shown:,} more tasks :active, more, 2026-01-05, 62d",
        "    As of 2026-01-20 :vert, asof, 2026-01-20, 0d",
    ]

    [problem] = gantt_warnings(programme, AS_OF)
    assert problem.location.path == programme.phase_file(1)
    assert problem.location.line == 4  # the `plan:` key
    assert f"shows the first {chart.shown:,} tasks of 3,000" in problem.message
    assert f"one bar for the other {TASKS - chart.shown:,}" in problem.message
    assert "task table lists every task" in problem.hint


def test_small_charts_are_whole_and_cut_charts_stay_under(
    programme_dir: Callable[..., Path],
) -> None:
    """Around the limit: never over it, and a chart is cut only when it has to be."""
    programme = load_checked(programme_dir({1: plan_yaml(700)}))
    tasks = programme.phases[0].plan
    cut = []
    for count in range(380, 700, 7):
        chart = plan_chart("Phase 1 execution plan", tasks[:count], AS_OF)
        assert text_size(chart.text) <= TEXT_LIMIT
        cut.append(chart.omitted > 0)
        if not chart.omitted:
            assert chart.text.count(" :") == count + 1  # every task and the "as of" line
    assert cut[0] is False and cut[-1] is True
    assert cut == sorted(cut)  # once cut, always cut as the plan grows
    assert gantt_warnings(load_checked(programme_dir({1: plan_yaml(10)})), AS_OF) == []


def test_length_is_counted_as_javascript_counts_it(programme_dir: Callable[..., Path]) -> None:
    """Mermaid checks ``text.length``: a character beyond U+FFFF counts twice."""
    assert text_size("a😀b") == 4
    programme = load_checked(programme_dir({1: plan_yaml(2000, "Ship 😀😀😀😀 item {i}")}))
    chart = plan_chart("Plan 😀", programme.phases[0].plan, AS_OF)
    assert chart.omitted
    assert text_size(chart.text) <= TEXT_LIMIT
    assert len(chart.text) < text_size(chart.text)


def test_a_long_title_never_decides_the_cut(programme_dir: Callable[..., Path]) -> None:
    programme = load_checked(programme_dir({1: plan_yaml(TASKS)}))
    tasks = programme.phases[0].plan
    short = plan_chart("P", tasks, AS_OF)
    long = plan_chart("P" * 5000, tasks, AS_OF)
    assert short.shown == long.shown
    assert text_size(long.text) <= TEXT_LIMIT
    assert "title " + "P" * 199 + "…\n" in long.text


def test_a_programme_of_400_phases_is_cut_too(programme_dir: Callable[..., Path]) -> None:
    phases = {n: PHASE.format(number=n) for n in range(1, 401)}
    programme = load_checked(programme_dir(phases))
    chart = programme_chart(programme, compute_schedule(programme), AS_OF)
    assert chart.total == 800  # a bar and a handoff milestone per phase
    assert chart.omitted
    assert text_size(chart.text) <= TEXT_LIMIT
    [problem] = gantt_warnings(programme, AS_OF)
    assert "the programme timeline would be" in problem.message
    assert problem.location.path.name == "programme.yml"


def test_the_browser_limit_is_the_one_python_assumes() -> None:
    """assets/phasebook-mermaid.js pins Mermaid's maxTextSize to MERMAID_MAX_TEXT_SIZE."""
    script = resources.files("phasebook").joinpath("assets/phasebook-mermaid.js").read_text()
    assert re.findall(r"maxTextSize: (\d+)", script) == [str(MERMAID_MAX_TEXT_SIZE)]


@pytest.mark.slow
def test_the_build_warns_and_strict_fails(programme_dir: Callable[..., Path]) -> None:
    """The warning is the plugin's (so --strict fails); without --strict the page is built
    with the cut chart and the full task table."""
    data = programme_dir({1: plan_yaml(TASKS)})
    result = build(data.parent)
    assert result.returncode == 1
    assert "in strict mode" in result.stderr
    warning = [line for line in result.stderr.splitlines() if "execution plan Gantt" in line]
    assert len(warning) == 1
    assert warning[0].startswith(f"WARNING - phasebook: {data / 'phases' / 'phase-1.yml'}:4:")
    assert not (data.parent / "site").exists()

    result = build(data.parent, strict=False)
    assert result.returncode == 0, result.stderr
    page = (data.parent / "site/phase-1/02-execution-plan/index.html").read_text("utf-8")
    [source] = re.findall(r'<pre class="mermaid"><code>(.*?)</code></pre>', page, re.S)
    text = html.unescape(source)
    assert text_size(text) <= TEXT_LIMIT
    assert "more tasks :active, more," in text
    assert "Review module 2999 of the payments service" in page  # in the table

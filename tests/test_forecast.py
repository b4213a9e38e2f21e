"""Planned, actual and forecast dates: lateness, what it pushes, and the programme's end.

Dates in the comments are computed by hand from the programme start (Monday 2026-01-05) and the
default 14-day phase: phase 1 runs 01-05 → 01-18 (hands off 01-19), phase 2 01-19 → 02-01
(hands off 02-02), phase 3 02-02 → 02-15 (hands off 02-16). ``finish`` is the handoff day.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.conftest import PHASE, PROGRAMME, ROOT, html_text

from phasebook.errors import DataError
from phasebook.load import load_programme
from phasebook.pipeline import BuildSettings, build
from phasebook.render import render_pages
from phasebook.render.gantt import programme_chart
from phasebook.schedule import Forecast, compute_schedule, forecast

D = dt.date
MakeData = Callable[..., Path]


def phase(number: int, status: str = "planned", extra: str = "") -> str:
    return PHASE.format(number=number).replace("planned", status) + extra


def forecast_of(programme_dir: MakeData, phases: dict[int, str], as_of: D) -> Forecast:
    """Load ``phases`` (whole YAML per phase) and forecast them on ``as_of``."""
    programme = load_programme(programme_dir(phases, programme=PROGRAMME))
    return forecast(programme, compute_schedule(programme), as_of)


def dates(outlook: Forecast) -> dict[int, tuple[D, D, int]]:
    """Every phase's forecast start, forecast handoff day and days late."""
    return {p.phase.number: (p.start, p.finish, p.late_days) for p in outlook.phases}


def test_on_time_the_forecast_is_the_plan(programme_dir: MakeData) -> None:
    """Phase 1 done as planned, phase 2 active inside its dates: nothing moves, nothing late."""
    outlook = forecast_of(
        programme_dir,
        {
            1: phase(1, "done", "actual_start: 2026-01-05\nactual_end: 2026-01-18\n"),
            2: phase(2, "active", "actual_start: 2026-01-19\n"),
            3: phase(3),
        },
        D(2026, 1, 25),
    )
    assert dates(outlook) == {
        1: (D(2026, 1, 5), D(2026, 1, 19), 0),
        2: (D(2026, 1, 19), D(2026, 2, 2), 0),
        3: (D(2026, 2, 2), D(2026, 2, 16), 0),
    }
    assert not any(item.moved for item in outlook.phases)
    assert (outlook.finish, outlook.slip_days, outlook.late) == (D(2026, 2, 16), 0, ())
    assert outlook.of(1).actual and not outlook.of(2).actual
    assert outlook.next_handoff is not None and outlook.next_handoff.phase.number == 2


def test_active_phase_on_its_last_day_is_not_late(programme_dir: MakeData) -> None:
    """As of phase 2's last day (02-01) it may still hand off on time, on 02-02."""
    outlook = forecast_of(
        programme_dir, {1: phase(1, "done"), 2: phase(2, "active")}, D(2026, 2, 1)
    )
    assert outlook.of(2).finish == D(2026, 2, 2)
    assert outlook.of(2).late_days == 0


def test_late_active_phase_pushes_its_dependants_and_the_end(programme_dir: MakeData) -> None:
    """Phase 2 still active on 02-04, three days past its last day (02-01): it is 3 days late,
    forecast to work through 02-04 and hand off 02-05; phase 3 starts then and the
    programme ends on 02-19 instead of 02-16."""
    outlook = forecast_of(
        programme_dir,
        {1: phase(1, "done"), 2: phase(2, "active"), 3: phase(3)},
        D(2026, 2, 4),
    )
    assert dates(outlook) == {
        1: (D(2026, 1, 5), D(2026, 1, 19), 0),
        2: (D(2026, 1, 19), D(2026, 2, 5), 3),
        3: (D(2026, 2, 5), D(2026, 2, 19), 3),
    }
    assert outlook.of(2).last_day == D(2026, 2, 4)  # no earlier than the build date
    assert [item.phase.number for item in outlook.late] == [2]  # the cause, in progress
    assert [item.phase.number for item in outlook.pushed] == [3]  # moved by it
    assert (outlook.finish, outlook.plan.finish, outlook.slip_days) == (
        D(2026, 2, 19), D(2026, 2, 16), 3,
    )


def test_late_start_shifts_an_active_phase(programme_dir: MakeData) -> None:
    """Phase 2 really started on 01-22, three days late: it is forecast to run its 14 days from
    there (hand off 02-05) even though the build date (01-25) is inside its plan."""
    outlook = forecast_of(
        programme_dir,
        {1: phase(1, "done"), 2: phase(2, "active", "actual_start: 2026-01-22\n")},
        D(2026, 1, 25),
    )
    assert dates(outlook)[2] == (D(2026, 1, 22), D(2026, 2, 5), 3)
    assert outlook.of(2).days == 14


def test_blocked_phase_is_forecast_like_an_active_one(programme_dir: MakeData) -> None:
    outlook = forecast_of(
        programme_dir, {1: phase(1, "done"), 2: phase(2, "blocked")}, D(2026, 2, 9)
    )
    assert dates(outlook)[2] == (D(2026, 1, 19), D(2026, 2, 10), 8)
    assert [item.phase.number for item in outlook.late] == [2]


def test_done_phase_that_ended_late_pushes_what_follows(programme_dir: MakeData) -> None:
    """Phase 1 really ended on 01-22 (four days late): phase 2 starts on 01-23, 3 after it."""
    outlook = forecast_of(
        programme_dir,
        {
            1: phase(1, "done", "actual_end: 2026-01-22\n"),
            2: phase(2),
            3: phase(3),
        },
        D(2026, 1, 23),
    )
    assert dates(outlook) == {
        1: (D(2026, 1, 5), D(2026, 1, 23), 4),
        2: (D(2026, 1, 23), D(2026, 2, 6), 4),
        3: (D(2026, 2, 6), D(2026, 2, 20), 4),
    }
    assert outlook.late == ()  # nothing in progress is late: the delay is history
    assert outlook.slip_days == 4


def test_done_phase_that_ended_early_moves_nothing_forward(programme_dir: MakeData) -> None:
    """Phase 1 ended on 01-14, four days early: its actual dates say so, but phase 2 keeps
    its planned start (an early handoff pulls no later phase forward)."""
    outlook = forecast_of(
        programme_dir,
        {
            1: phase(1, "done", "actual_start: 2026-01-05\nactual_end: 2026-01-14\n"),
            2: phase(2),
        },
        D(2026, 1, 15),
    )
    first = outlook.of(1)
    assert (first.start, first.finish, first.slip_days, first.late_days) == (
        D(2026, 1, 5), D(2026, 1, 15), -4, 0,
    )
    assert first.moved
    assert dates(outlook)[2] == (D(2026, 1, 19), D(2026, 2, 2), 0)
    assert outlook.slip_days == 0


def test_done_phase_without_actual_dates_uses_its_handoff_date(programme_dir: MakeData) -> None:
    """No actual_end: the handoff's date is the day it handed off (01-21, two days late)."""
    outlook = forecast_of(
        programme_dir,
        {1: phase(1, "done", "handoff:\n  date: 2026-01-21\n"), 2: phase(2)},
        D(2026, 1, 22),
    )
    assert dates(outlook) == {
        1: (D(2026, 1, 5), D(2026, 1, 21), 2),
        2: (D(2026, 1, 21), D(2026, 2, 4), 2),
    }


def test_actual_end_wins_over_the_handoff_date(programme_dir: MakeData) -> None:
    outlook = forecast_of(
        programme_dir,
        {1: phase(1, "done", "actual_end: 2026-01-18\nhandoff:\n  date: 2026-01-25\n")},
        D(2026, 2, 1),
    )
    assert outlook.of(1).finish == D(2026, 1, 19)


def test_planned_phase_waits_for_the_dependency_that_slipped(programme_dir: MakeData) -> None:
    """1 → {2 (10 d), 3 (4 d, 6 days of slack)} → 4. Phase 3, active, slips 4 days: its slack
    absorbs it. Phase 2, active, slips 8 days: phase 4 starts after it, on 02-06."""
    phases = {
        1: phase(1, "done"),
        2: phase(2, "active", "duration_days: 10\n"),
        3: phase(3, "active", "depends_on: [1]\nduration_days: 4\n"),
        4: phase(4, "planned", "depends_on: [2, 3]\n"),
    }
    on_time_branch = forecast_of(programme_dir, phases, D(2026, 1, 26))  # 3 days past 3's end
    assert dates(on_time_branch)[3] == (D(2026, 1, 19), D(2026, 1, 27), 4)
    assert dates(on_time_branch)[4] == (D(2026, 1, 29), D(2026, 2, 12), 0)  # as planned
    assert on_time_branch.slip_days == 0
    assert [item.phase.number for item in on_time_branch.late] == [3]

    both = forecast_of(programme_dir, phases, D(2026, 2, 5))
    assert dates(both)[2] == (D(2026, 1, 19), D(2026, 2, 6), 8)
    assert dates(both)[4] == (D(2026, 2, 6), D(2026, 2, 20), 8)
    assert both.finish == D(2026, 2, 20)
    assert [item.phase.number for item in both.late] == [2, 3]


def test_the_plan_ignores_actual_dates(programme_dir: MakeData) -> None:
    """The schedule stays the baseline: recorded dates change the forecast only."""
    programme = load_programme(
        programme_dir({1: phase(1, "done", "actual_end: 2026-01-30\n"), 2: phase(2)})
    )
    schedule = compute_schedule(programme)
    assert (schedule.of(2).start, schedule.finish) == (D(2026, 1, 19), D(2026, 2, 2))


def test_next_handoff_is_the_first_forecast_one(programme_dir: MakeData) -> None:
    outlook = forecast_of(
        programme_dir, {1: phase(1, "done"), 2: phase(2, "active"), 3: phase(3)}, D(2026, 2, 4)
    )
    assert outlook.next_handoff is not None
    assert (outlook.next_handoff.phase.number, outlook.next_handoff.finish) == (2, D(2026, 2, 5))


# --- errors --------------------------------------------------------------------------------


def load_problems(data: Path) -> list[str]:
    with pytest.raises(DataError) as caught:
        load_programme(data)
    return [f"{p.location}|{p.message}|{p.hint}" for p in caught.value.problems]


def test_actual_end_before_actual_start_is_a_located_error(programme_dir: MakeData) -> None:
    data = programme_dir(
        {1: phase(1, "done", "actual_start: 2026-01-10\nactual_end: 2026-01-09\n")}
    )
    [problem] = load_problems(data)
    where, message, hint = problem.split("|")
    assert where == f"{data / 'phases' / 'phase-1.yml'}:5:13"  # the value of actual_end
    assert message.startswith(
        "actual_end: the phase ends (2026-01-09) before it started (2026-01-10)"
    )
    assert "`actual_end` on or after `actual_start`" in hint


def test_actual_dates_on_a_planned_phase_are_an_error(programme_dir: MakeData) -> None:
    data = programme_dir({1: phase(1, "planned", "actual_start: 2026-01-05\n")})
    [problem] = load_problems(data)
    where, message, hint = problem.split("|")
    assert where.endswith("phase-1.yml:4:15")
    assert message.startswith("actual_start: the phase is planned but records its actual_start")
    assert hint


def test_actual_dates_are_bounded_like_every_date(programme_dir: MakeData) -> None:
    data = programme_dir({1: phase(1, "active", "actual_start: 3001-01-01\n")})
    [problem] = load_problems(data)
    assert "use a date from 1900-01-01 to 2999-12-31" in problem


# --- the Gantt -----------------------------------------------------------------------------


def test_gantt_draws_the_forecast_beside_the_plan(programme_dir: MakeData) -> None:
    """A phase whose dates moved gets a second bar in its section: red when late; the plan's
    bar and handoff milestone stay where the plan put them."""
    programme = load_programme(
        programme_dir({1: phase(1, "done"), 2: phase(2, "active"), 3: phase(3)})
    )
    schedule = compute_schedule(programme)
    as_of = D(2026, 2, 4)
    text = programme_chart(programme, schedule, as_of, forecast(programme, schedule, as_of)).text
    assert "    Phase 2 :crit, active, p2, 2026-01-19, 14d\n" in text
    assert "    Phase 2 forecast :crit, active, f2, 2026-01-19, 17d\n" in text
    assert "    Handoff 2 :milestone, h2, 2026-02-02, 0d\n" in text
    assert "    Phase 3 forecast :crit, f3, 2026-02-05, 14d\n" in text
    assert " f1, " not in text  # phase 1 ran as planned: no second bar
    lines = text.splitlines()
    assert lines.index("    section Phase 2") < lines.index(
        "    Phase 2 forecast :crit, active, f2, 2026-01-19, 17d"
    ) < lines.index("    section Phase 3")
    # Without a forecast given, the chart computes the same one.
    assert programme_chart(programme, schedule, as_of).text == text


def test_gantt_marks_a_done_phase_that_ran_on_other_dates_as_actual(
    programme_dir: MakeData,
) -> None:
    programme = load_programme(
        programme_dir({1: phase(1, "done", "actual_end: 2026-01-15\n"), 2: phase(2)})
    )
    schedule = compute_schedule(programme)
    text = programme_chart(programme, schedule, D(2026, 1, 16)).text
    assert "    Phase 1 actual :done, f1, 2026-01-05, 11d\n" in text


# --- the example, built --------------------------------------------------------------------


@pytest.mark.slow
def test_example_home_says_phase_3_is_late(tmp_path: Path) -> None:
    """As of 2026-12-04 the example's phase 3 (planned to end 2026-11-29) is still active: the
    home page says so in its first sentence with the programme's forecast end, and the
    timeline draws the forecast and lists the lateness."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PHASEBOOK_AS_OF": "2026-12-04"}
    site = tmp_path / "site"
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml"),
         "-d", str(site)],
        capture_output=True, text=True, env=env, check=False,
    )
    assert result.returncode == 0, result.stderr
    home = html_text(site / "index.html")
    sentence = "Phase 3 is 5 days late; programme end forecast 2027-01-30 (planned 2027-01-25)."
    assert sentence in home
    assert home.index(sentence) < home.index("At a glance")
    assert "Late phase 3 Containerization & Packaging : 5 days late" in home
    assert (
        "Next handoff 2026-12-05: phase 3 Containerization & Packaging hands off to phase 4 "
        "(forecast; planned 2026-11-30)"
    ) in home
    timeline = (site / "timeline/index.html").read_text(encoding="utf-8")
    mermaid = html.unescape(re.sub(r"<[^>]+>", "", timeline))
    assert "Phase 3 forecast :crit, active, f3, 2026-11-16, 19d" in mermaid
    text = html_text(site / "timeline/index.html")
    assert "forecast to end 2027-01-30 (5 days late)" in text


@pytest.mark.slow
def test_example_home_lists_what_changed(tmp_path: Path) -> None:
    """The home page's summary: the current phase's gates with a link to its validation page,
    findings against the previous handoff's snapshot, and a metric that moved since the
    previous snapshot (phase 3's build time was 10 minutes in it, 7.2 now)."""
    history = tmp_path / "history"
    history.mkdir()
    for path in sorted((ROOT / "data" / "history").glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        if path.name == "snapshot-phase-2-handoff.json":
            document["phases"]["3"]["metrics"]["container-build"]["value"] = 600.0
        (history / path.name).write_text(json.dumps(document), encoding="utf-8")
    settings = BuildSettings(ROOT / "data", ROOT, D(2026, 12, 4), history)
    page = next(page for page in render_pages(build(settings)) if page.uri == "index.md")
    home = page.finish(page.body)  # its tables back in the markdown
    glance = html.unescape(home[home.index("## At a glance") : home.index("### Failing gates")])
    assert '<a href="phase-3/07-validation/">0 of 6 gates pass</a>' in glance
    assert "since the snapshot of 2026-11-16 (phase 2's handoff)" in glance
    assert "Container build time 10.0 min → 7.2 min" in glance
    failing = home[home.index("### Failing gates") : home.index("### Top open risks")]
    assert "Review" in failing and "not started" not in failing
    assert "phase-4/" not in failing  # a planned phase is never failing
    risks = home[home.index("### Top open risks") : home.index("## Phases")]
    assert risks.count("<tr><td>") == 3

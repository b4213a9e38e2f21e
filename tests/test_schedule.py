"""Schedule maths: dependencies, lengths, slack and the critical path, checked by hand.

Dates in the comments are computed by hand from the programme start (Monday 2026-01-05);
``finish`` is exclusive (the handoff day), so a 14-day phase from 01-05 finishes on 01-19.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from tests.conftest import PHASE, PROGRAMME

from phasebook.load import load_programme
from phasebook.schedule import Schedule, compute_schedule

D = dt.date
MakeData = Callable[..., Path]


def schedule_of(programme_dir: MakeData, phases: dict[int, str], programme: str = PROGRAMME) -> Schedule:
    """Load a programme of ``phases`` (extra YAML per phase) and compute its schedule."""
    texts = {n: PHASE.format(number=n) + extra for n, extra in phases.items()}
    return compute_schedule(load_programme(programme_dir(texts, programme=programme)))


def dates(schedule: Schedule) -> dict[int, tuple[D, D, int]]:
    return {p.phase.number: (p.start, p.finish, p.slack_days) for p in schedule.phases}


def test_default_chain_of_fourteen_days(programme_dir: MakeData) -> None:
    """Each phase depends on the previous one and lasts phase_days (14) by default."""
    schedule = schedule_of(programme_dir, {1: "", 2: "", 3: ""})
    assert dates(schedule) == {
        1: (D(2026, 1, 5), D(2026, 1, 19), 0),
        2: (D(2026, 1, 19), D(2026, 2, 2), 0),
        3: (D(2026, 2, 2), D(2026, 2, 16), 0),
    }
    assert [p.depends_on for p in schedule.phases] == [(), (1,), (2,)]
    assert schedule.critical_path == (1, 2, 3)
    assert (schedule.start, schedule.finish) == (D(2026, 1, 5), D(2026, 2, 16))
    assert schedule.of(1).last_day == D(2026, 1, 18)
    assert schedule.of(2).days == 14


def test_default_dependency_skips_a_gap_in_numbers(programme_dir: MakeData) -> None:
    """With phases 1, 2 and 5, phase 5 follows phase 2 (the previous number that exists)."""
    schedule = schedule_of(programme_dir, {1: "", 2: "", 5: ""})
    assert schedule.of(5).depends_on == (2,)
    assert schedule.of(5).start == D(2026, 2, 2)


def test_programme_phase_days(programme_dir: MakeData) -> None:
    """phase_days in programme.yml changes every phase's default length."""
    schedule = schedule_of(programme_dir, {1: "", 2: ""}, PROGRAMME + "phase_days: 7\n")
    assert dates(schedule) == {
        1: (D(2026, 1, 5), D(2026, 1, 12), 0),
        2: (D(2026, 1, 12), D(2026, 1, 19), 0),
    }


def test_duration_days_overrides_phase_days(programme_dir: MakeData) -> None:
    """A phase's own duration_days wins over the programme default."""
    schedule = schedule_of(
        programme_dir, {1: "duration_days: 3\n", 2: ""}, PROGRAMME + "phase_days: 10\n"
    )
    assert schedule.of(1).days == 3
    assert schedule.of(2).start == D(2026, 1, 8)
    assert schedule.of(2).finish == D(2026, 1, 18)


def test_parallel_branches_and_slack(programme_dir: MakeData) -> None:
    """1 → {2 (10 d), 3 (4 d)} → 4: phase 4 waits for the longer branch, 3 has 6 days of slack."""
    schedule = schedule_of(
        programme_dir,
        {
            1: "",
            2: "duration_days: 10\n",
            3: "depends_on: [1]\nduration_days: 4\n",
            4: "depends_on: [2, 3]\n",
        },
    )
    assert dates(schedule) == {
        1: (D(2026, 1, 5), D(2026, 1, 19), 0),
        2: (D(2026, 1, 19), D(2026, 1, 29), 0),
        3: (D(2026, 1, 19), D(2026, 1, 23), 6),  # may finish as late as 01-29
        4: (D(2026, 1, 29), D(2026, 2, 12), 0),
    }
    assert schedule.critical_path == (1, 2, 4)
    assert schedule.of(4).depends_on == (2, 3)


def test_independent_phase_runs_from_the_start(programme_dir: MakeData) -> None:
    """`depends_on: []` makes a phase start with the programme, beside phase 1."""
    schedule = schedule_of(programme_dir, {1: "", 2: "depends_on: []\nduration_days: 5\n"})
    assert dates(schedule) == {
        1: (D(2026, 1, 5), D(2026, 1, 19), 0),
        2: (D(2026, 1, 5), D(2026, 1, 10), 9),  # no successor: may finish by 01-19
    }
    assert schedule.critical_path == (1,)


def test_later_explicit_start_creates_slack(programme_dir: MakeData) -> None:
    """Phase 2 may not start before 01-26: phase 1 (done 01-19) gains 7 days of slack."""
    schedule = schedule_of(programme_dir, {1: "", 2: "start: 2026-01-26\n"})
    assert dates(schedule) == {
        1: (D(2026, 1, 5), D(2026, 1, 19), 7),
        2: (D(2026, 1, 26), D(2026, 2, 9), 0),
    }
    assert schedule.critical_path == (2,)


def test_earlier_explicit_start_does_not_break_a_dependency(programme_dir: MakeData) -> None:
    """A start date before the dependency finishes is a lower bound, not a promise."""
    schedule = schedule_of(programme_dir, {1: "", 2: "start: 2026-01-06\n"})
    assert schedule.of(2).start == D(2026, 1, 19)


def test_critical_path_of_a_mixed_network(programme_dir: MakeData) -> None:
    """Five phases with parallel work, a late start and a join, every date and slack by hand.

    1: 01-05 → 01-19 (14 d)               2: independent, start 01-12, 7 d → 01-19
    3: after 1 and 2, 10 d → 01-29        4: after 1, 3 d → 01-22
    5: after 4 (default), start ≥ 02-01 → 02-01 → 02-15 (the end)
    Latest finishes: 5 → 02-15; 4 → 02-01; 3 → 02-15; 1 → min(02-05, 01-29) = 01-29; 2 → 02-05.
    """
    schedule = schedule_of(
        programme_dir,
        {
            1: "",
            2: "depends_on: []\nstart: 2026-01-12\nduration_days: 7\n",
            3: "depends_on: [1, 2]\nduration_days: 10\n",
            4: "depends_on: [1]\nduration_days: 3\n",
            5: "start: 2026-02-01\n",
        },
    )
    assert dates(schedule) == {
        1: (D(2026, 1, 5), D(2026, 1, 19), 10),
        2: (D(2026, 1, 12), D(2026, 1, 19), 17),
        3: (D(2026, 1, 19), D(2026, 1, 29), 17),
        4: (D(2026, 1, 19), D(2026, 1, 22), 10),
        5: (D(2026, 2, 1), D(2026, 2, 15), 0),
    }
    assert schedule.of(5).depends_on == (4,)
    assert schedule.critical_path == (5,)
    assert (schedule.start, schedule.finish) == (D(2026, 1, 5), D(2026, 2, 15))


def test_dependency_on_a_later_numbered_phase(programme_dir: MakeData) -> None:
    """Order follows dependencies, not numbers: phase 1 may wait for phase 2."""
    schedule = schedule_of(programme_dir, {1: "depends_on: [2]\n", 2: "depends_on: []\n"})
    assert dates(schedule) == {
        1: (D(2026, 1, 19), D(2026, 2, 2), 0),
        2: (D(2026, 1, 5), D(2026, 1, 19), 0),
    }
    assert schedule.critical_path == (1, 2)  # in programme order


def test_week_of(programme_dir: MakeData) -> None:
    """Weeks count from the schedule's first day: days 0-6 are week 1, day 7 starts week 2."""
    schedule = schedule_of(programme_dir, {1: "", 2: ""})
    assert schedule.week_of(D(2026, 1, 5)) == 1
    assert schedule.week_of(D(2026, 1, 11)) == 1
    assert schedule.week_of(D(2026, 1, 12)) == 2
    assert schedule.week_of(D(2026, 1, 19)) == 3  # phase 2 starts in week 3
    assert schedule.week_of(schedule.of(2).last_day) == 4
    assert schedule.week_of(D(2026, 1, 4)) == 0  # the day before the programme


def test_parallel_critical_phases_are_one_step(programme_dir: MakeData) -> None:
    """Phases 2 and 3 both follow 1 with equal length and both feed 4: a fork, not a chain."""
    schedule = schedule_of(
        programme_dir, {1: "", 2: "", 3: "depends_on: [1]\n", 4: "depends_on: [2, 3]\n"}
    )
    assert schedule.critical_path == (1, 2, 3, 4)
    assert schedule.critical_steps == ((1,), (2, 3), (4,))

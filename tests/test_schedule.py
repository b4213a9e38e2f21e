"""Schedule maths: dependencies, lengths, slack and the critical path, checked by hand."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from tests.conftest import PHASE

from phasebook.load import load_programme
from phasebook.schedule import compute_schedule

D = dt.date


def test_default_chain_of_fourteen_days(programme_dir: Callable[..., Path]) -> None:
    data = programme_dir({n: PHASE.format(number=n) for n in (1, 2, 3)})
    schedule = compute_schedule(load_programme(data))
    assert [(p.start, p.finish) for p in schedule.phases] == [
        (D(2026, 1, 5), D(2026, 1, 19)),
        (D(2026, 1, 19), D(2026, 2, 2)),
        (D(2026, 2, 2), D(2026, 2, 16)),
    ]
    assert schedule.critical_path == (1, 2, 3)
    assert schedule.of(3).depends_on == (2,)
    assert schedule.week_of(D(2026, 2, 2)) == 5
    assert schedule.of(1).last_day == D(2026, 1, 18)


def test_parallel_phases_and_slack(programme_dir: Callable[..., Path]) -> None:
    data = programme_dir(
        {
            1: PHASE.format(number=1),
            2: PHASE.format(number=2) + "duration_days: 10\n",
            3: PHASE.format(number=3) + "depends_on: [1]\nduration_days: 4\n",
            4: PHASE.format(number=4) + "depends_on: [2, 3]\n",
        }
    )
    schedule = compute_schedule(load_programme(data))
    assert schedule.of(3).start == D(2026, 1, 19)
    assert schedule.of(4).start == D(2026, 1, 29)  # after phase 2, the longer branch
    assert schedule.of(3).slack_days == 6
    assert schedule.critical_path == (1, 2, 4)
    assert schedule.finish == D(2026, 2, 12)


def test_phase_days_and_a_later_explicit_start(programme_dir: Callable[..., Path]) -> None:
    programme = (
        "name: P\nproject: p\nowner: o\nversion: '1'\nlast_updated: 2026-01-01\n"
        "start_date: 2026-01-05\nphase_days: 7\n"
    )
    data = programme_dir(
        {1: PHASE.format(number=1), 2: PHASE.format(number=2) + "start: 2026-01-20\n"},
        programme=programme,
    )
    schedule = compute_schedule(load_programme(data))
    assert schedule.of(1).finish == D(2026, 1, 12)
    assert schedule.of(2).start == D(2026, 1, 20)
    assert schedule.of(1).slack_days == 8  # phase 2 waits for its own start date
    assert schedule.critical_path == (2,)

"""The loader: strict YAML, typed values, and errors that say file:line:col, what and how to fix.

Every mistake a writer can make is written as a tiny programme in ``tmp_path``; each test pins
the exact location, message and hint, because those three are the whole user interface of a
data error.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.conftest import PHASE, PROGRAMME, run_cli, write

from phasebook.errors import DataError, Problem
from phasebook.load import load_programme
from phasebook.pipeline import load_checked

MakeData = Callable[..., Path]


def load_problems(data: Path) -> list[Problem]:
    """The problems ``load_programme`` raises for ``data`` (fails the test if it loads)."""
    with pytest.raises(DataError) as caught:
        load_programme(data)
    return caught.value.problems


def triples(problems: list[Problem]) -> list[tuple[str, str, str]]:
    """Problems as ``(file:line:col, message, hint)`` for exact comparison."""
    return [(str(p.location), p.message, p.hint) for p in problems]


def phase_file(data: Path, number: int = 1) -> str:
    return str(data / "phases" / f"phase-{number}.yml")


# --- YAML itself ---------------------------------------------------------------------------


def test_valid_programme_loads_in_number_order(programme_dir: MakeData) -> None:
    """Phases come back sorted by number whatever order the files are read in."""
    data = programme_dir({2: PHASE.format(number=2), 1: PHASE.format(number=1)})
    programme = load_programme(data)
    assert [p.number for p in programme.phases] == [1, 2]
    assert programme.info.start_date.isoformat() == "2026-01-05"
    assert programme.phase_file(2) == data / "phases" / "phase-2.yml"


def test_yaml_syntax_error(programme_dir: MakeData) -> None:
    """A broken flow list is reported where PyYAML noticed it, with a hint, never a traceback."""
    data = programme_dir({1: "number: 1\ntitle: [unclosed\nstatus: planned\n"})
    assert triples(load_problems(data)) == [
        (
            f"{phase_file(data)}:3:7",
            "YAML syntax error: expected ',' or ']', but got ':'",
            "check the indentation and quoting around this point",
        )
    ]


def test_yaml_bad_indentation(programme_dir: MakeData) -> None:
    """A key indented under a scalar is a syntax error on that line."""
    data = programme_dir({1: "number: 1\ntitle: a\n  bad: indent\n"})
    assert triples(load_problems(data)) == [
        (
            f"{phase_file(data)}:3:6",
            "YAML syntax error: mapping values are not allowed here",
            "check the indentation and quoting around this point",
        )
    ]


def test_duplicate_key_points_at_second_and_names_first(programme_dir: MakeData) -> None:
    """YAML would silently keep the last `title`; we refuse, pointing at the second one."""
    data = programme_dir({1: "number: 1\ntitle: A\nstatus: done\ntitle: B\n"})
    assert triples(load_problems(data)) == [
        (
            f"{phase_file(data)}:4:1",
            "duplicate key `title` (first given on line 2)",
            "keep one of the two; YAML would silently drop the first",
        )
    ]


def test_duplicate_key_inside_a_list_item(programme_dir: MakeData) -> None:
    """Duplicates are caught at any depth, with the nested key's own column."""
    text = "number: 1\ntitle: A\nrisks:\n  - id: R1\n    title: x\n    id: R2\n    likelihood: 1\n    impact: 1\n"
    data = programme_dir({1: text})
    assert triples(load_problems(data)) == [
        (
            f"{phase_file(data)}:6:5",
            "duplicate key `id` (first given on line 4)",
            "keep one of the two; YAML would silently drop the first",
        )
    ]


def test_a_list_at_the_top_is_refused(programme_dir: MakeData) -> None:
    """A phase file must be a mapping; a list is a clear error, not a pydantic dump."""
    data = programme_dir({1: "- number: 1\n"})
    (problem,) = load_problems(data)
    assert (str(problem.location), problem.message) == (
        f"{phase_file(data)}:1:1",
        "expected a mapping of `key: value` lines at the top",
    )


# --- keys ----------------------------------------------------------------------------------


def test_unknown_key_suggests_nearest(programme_dir: MakeData) -> None:
    """`titel:` is named at its own position with "did you mean `title`?"."""
    data = programme_dir({1: "number: 1\ntitel: A\n"})
    assert triples(load_problems(data)) == [
        (f"{phase_file(data)}:1:1", "missing required key `title` in the file", "add `title: …`"),
        (f"{phase_file(data)}:2:1", "unknown key `titel`", "did you mean `title`?"),
    ]


def test_unknown_key_without_a_near_match_lists_the_keys(programme_dir: MakeData) -> None:
    """With nothing close, the hint lists every key the phase accepts."""
    data = programme_dir({1: PHASE.format(number=1) + "zzzqqq: 1\n"})
    (problem,) = load_problems(data)
    assert str(problem.location) == f"{phase_file(data)}:4:1"
    assert problem.message == "unknown key `zzzqqq`"
    assert problem.hint.startswith("known keys: actual_end, actual_start, brief, decisions,")
    assert "title" in problem.hint.split(", ")


def test_unknown_key_inside_a_risk(programme_dir: MakeData) -> None:
    """A typo in a list item is found at the item's key, and the real key is then missing."""
    text = PHASE.format(number=1) + (
        "risks:\n  - id: R1\n    title: x\n    likelyhood: 3\n    impact: 2\n"
    )
    data = programme_dir({1: text})
    assert triples(load_problems(data)) == [
        (
            f"{phase_file(data)}:5:5",
            "missing required key `likelihood` in risks.0",
            "add `likelihood: …`",
        ),
        (f"{phase_file(data)}:7:5", "unknown key `likelyhood`", "did you mean `likelihood`?"),
    ]


@pytest.mark.parametrize(
    ("text", "where", "typo", "meant"),
    [
        ("handoff:\n  summary:\n    overveiw: x\n", "6:5", "overveiw", "overview"),
        (
            "handoff:\n  critical_findings:\n    - title: t\n      resovled: true\n",
            "7:7",
            "resovled",
            "resolved",
        ),
        ("scope:\n  include: [a]\n", "5:3", "include", "included"),
        (
            "plan:\n  - title: t\n    start: 2026-01-05\n    ned: 2026-01-06\n",
            "7:5",
            "ned",
            "end",
        ),
    ],
)
def test_unknown_key_deep_inside_a_phase(
    programme_dir: MakeData, text: str, where: str, typo: str, meant: str
) -> None:
    """Suggestions come from the model that owns the key, however deeply it is nested."""
    data = programme_dir({1: PHASE.format(number=1) + text})
    found = triples(load_problems(data))
    assert (f"{phase_file(data)}:{where}", f"unknown key `{typo}`", f"did you mean `{meant}`?") in (
        found
    )


def test_unknown_key_in_the_communication_plan(programme_dir: MakeData) -> None:
    """The programme file's lists get the same suggestions as phase files."""
    programme = PROGRAMME + (
        "communication:\n  - cadence: weekly\n    chanel: chat\n    audience: all\n"
        "    purpose: p\n"
    )
    data = programme_dir(programme=programme)
    path = data / "programme.yml"
    assert triples(load_problems(data)) == [
        (f"{path}:9:5", "missing required key `channel` in communication.0", "add `channel: …`"),
        (f"{path}:10:5", "unknown key `chanel`", "did you mean `channel`?"),
    ]


def test_unknown_key_inside_a_metric_setting(programme_dir: MakeData) -> None:
    """`metrics:` is a mapping of id → settings; a typo there also gets "did you mean"."""
    data = programme_dir(programme=PROGRAMME + "metrics:\n  coverage:\n    chek: '> 90 %'\n")
    assert triples(load_problems(data)) == [
        (f"{data / 'programme.yml'}:10:5", "unknown key `chek`", "did you mean `check`?"),
    ]


def test_missing_required_key(programme_dir: MakeData) -> None:
    """A phase without `title` is named at the top of the file with the key to add."""
    data = programme_dir({1: "number: 1\nstatus: planned\n"})
    assert triples(load_problems(data)) == [
        (f"{phase_file(data)}:1:1", "missing required key `title` in the file", "add `title: …`"),
    ]


def test_missing_required_key_in_a_list_item(programme_dir: MakeData) -> None:
    """A risk without `impact` points at the risk, naming its place in the list."""
    text = PHASE.format(number=1) + "risks:\n  - id: R1\n    title: x\n    likelihood: 2\n"
    data = programme_dir({1: text})
    assert triples(load_problems(data)) == [
        (f"{phase_file(data)}:5:5", "missing required key `impact` in risks.0", "add `impact: …`"),
    ]


def test_missing_key_in_the_programme_file(programme_dir: MakeData) -> None:
    """programme.yml without `start_date` names the programme file."""
    data = programme_dir(programme=PROGRAMME.replace("start_date: 2026-01-05\n", ""))
    assert triples(load_problems(data)) == [
        (
            f"{data / 'programme.yml'}:1:1",
            "missing required key `start_date` in the file",
            "add `start_date: …`",
        ),
    ]


# --- values --------------------------------------------------------------------------------


def test_bad_date(programme_dir: MakeData) -> None:
    """February 30th is refused at the value, with the expected format in the hint."""
    data = programme_dir({1: PHASE.format(number=1) + "start: 2026-02-30\n"})
    assert triples(load_problems(data)) == [
        (
            f"{phase_file(data)}:4:8",
            "start: Input should be a valid date or datetime, day value is outside expected range"
            " (got '2026-02-30')",
            "write dates as YYYY-MM-DD, e.g. 2026-03-02",
        )
    ]


def test_likelihood_out_of_range(programme_dir: MakeData) -> None:
    """Likelihood and impact are 1-5: 6 and 0 are each refused at their own value."""
    text = PHASE.format(number=1) + (
        "risks:\n  - id: R1\n    title: x\n    likelihood: 6\n    impact: 0\n"
    )
    data = programme_dir({1: text})
    assert triples(load_problems(data)) == [
        (
            f"{phase_file(data)}:7:17",
            "risks.0.likelihood: Input should be less than or equal to 5 (got '6')",
            "use a value from 1 to 5",
        ),
        (
            f"{phase_file(data)}:8:13",
            "risks.0.impact: Input should be greater than or equal to 1 (got '0')",
            "use a value from 1 to 5",
        ),
    ]


def test_unknown_status_lists_the_choices(programme_dir: MakeData) -> None:
    """An unknown enum value names every allowed value, in the message and the hint."""
    data = programme_dir({1: "number: 1\ntitle: A\nstatus: finished\n"})
    assert triples(load_problems(data)) == [
        (
            f"{phase_file(data)}:3:9",
            "status: Input should be 'planned', 'active', 'done' or 'blocked' (got 'finished')",
            "use one of: 'planned', 'active', 'done' or 'blocked'",
        )
    ]


def test_bad_boolean(programme_dir: MakeData) -> None:
    """`resolved: maybe` is refused at the value with a true/false hint."""
    text = PHASE.format(number=1) + (
        "handoff:\n  critical_findings:\n    - title: t\n      resolved: maybe\n"
    )
    data = programme_dir({1: text})
    assert triples(load_problems(data)) == [
        (
            f"{phase_file(data)}:7:17",
            "handoff.critical_findings.0.resolved: Input should be a valid boolean, unable to"
            " interpret input (got 'maybe')",
            "write true or false",
        )
    ]


def test_task_that_ends_before_it_starts(programme_dir: MakeData) -> None:
    """A task ending before its start is located at the task and says both dates."""
    text = PHASE.format(number=1) + (
        "plan:\n  - title: t\n    start: 2026-01-09\n    end: 2026-01-08\n"
    )
    data = programme_dir({1: text})
    (problem,) = load_problems(data)
    assert str(problem.location) == f"{phase_file(data)}:5:5"
    assert problem.message == "plan.0: task ends (2026-01-08) before it starts (2026-01-09)"
    # errors.py promises every problem says how to fix it.
    assert problem.hint, "the end-before-start error has no hint on how to fix it"


# --- numbers and dates the schedule computes with -----------------------------------------

HUGE = "1" + "0" * 30  # 10**30: overflowed `timedelta` with a traceback in validate and build
DAYS_HINT = "use a value from 1 to 3650"
DATES_HINT = "use a date from 1900-01-01 to 2999-12-31"


@pytest.mark.parametrize(
    ("text", "where", "message", "hint"),
    [
        (f"duration_days: {HUGE}\n", "4:16",
         f"duration_days: Input should be less than or equal to 3650 (got '{HUGE}')", DAYS_HINT),
        ("duration_days: 3651\n", "4:16",
         "duration_days: Input should be less than or equal to 3650 (got '3651')", DAYS_HINT),
        ("duration_days: 0\n", "4:16",
         "duration_days: Input should be greater than or equal to 1 (got '0')", DAYS_HINT),
        ("start: 9999-12-31\n", "4:8",
         "start: Input should be less than or equal to 2999-12-31 (got '9999-12-31')",
         DATES_HINT),
        ("start: 0001-01-01\n", "4:8",
         "start: Input should be greater than or equal to 1900-01-01 (got '0001-01-01')",
         DATES_HINT),
        (f"depends_on: [{HUGE}]\n", "4:14",
         f"depends_on.0: Input should be less than or equal to 500 (got '{HUGE}')",
         "use a value from 1 to 500"),
        ("plan:\n  - {title: t, start: 2026-01-05, end: 3000-01-01}\n", "5:40",
         "plan.0.end: Input should be less than or equal to 2999-12-31 (got '3000-01-01')",
         DATES_HINT),
        (f"risks:\n  - {{id: R, title: t, likelihood: {HUGE}, impact: 1}}\n", "5:35",
         f"risks.0.likelihood: Input should be less than or equal to 5 (got '{HUGE}')",
         "use a value from 1 to 5"),
    ],
    ids=["duration-huge", "duration-3651", "duration-0", "start-9999", "start-0001",
         "depends-on-huge", "task-end-3000", "likelihood-huge"],
)
def test_schedule_numbers_and_dates_are_bounded(
    programme_dir: MakeData, text: str, where: str, message: str, hint: str
) -> None:
    """Every number and date the schedule does arithmetic with has a range, named in the hint."""
    data = programme_dir({1: PHASE.format(number=1) + text})
    assert triples(load_problems(data)) == [(f"{phase_file(data)}:{where}", message, hint)]


@pytest.mark.parametrize(
    ("text", "where", "message", "hint"),
    [
        (f"phase_days: {HUGE}\n", "8:13",
         f"phase_days: Input should be less than or equal to 3650 (got '{HUGE}')", DAYS_HINT),
        ("metrics:\n  coverage: {phases: [0]}\n", "9:23",
         "metrics.coverage.phases.0: Input should be greater than or equal to 1 (got '0')",
         "use a value from 1 to 500"),
    ],
    ids=["phase-days-huge", "metric-phase-0"],
)
def test_programme_numbers_are_bounded(
    programme_dir: MakeData, text: str, where: str, message: str, hint: str
) -> None:
    """The programme file's numbers get the same ranges and hints."""
    data = programme_dir(programme=PROGRAMME + text)
    path = data / "programme.yml"
    assert triples(load_problems(data)) == [(f"{path}:{where}", message, hint)]


def test_a_number_too_long_to_parse_is_quoted_short(programme_dir: MakeData) -> None:
    """A 5,000-digit phase number is refused without quoting all of it back."""
    data = programme_dir({1: "number: " + "9" * 5_000 + "\ntitle: A\n"})
    ((where, message, hint),) = triples(load_problems(data))
    assert (where, hint) == (f"{phase_file(data)}:1:9", "use a value from 1 to 500")
    assert message.startswith("number: Unable to parse input string as an integer")
    assert len(message) < 200


def test_start_date_and_phase_days_are_bounded_too(programme_dir: MakeData) -> None:
    """The programme's start and default length, the other inputs of the schedule."""
    programme = PROGRAMME.replace("2026-01-05", "9999-12-31") + "phase_days: 99999\n"
    data = programme_dir(programme=programme)
    assert [message.split(":")[0] for _, message, _ in triples(load_problems(data))] == [
        "start_date",
        "phase_days",
    ]


def test_the_longest_schedule_fits_in_pythons_dates(programme_dir: MakeData) -> None:
    """The bounds leave room: the last start plus the longest chain stays before year 9999;
    a programme at the bounds schedules and validates."""
    from phasebook.model import LAST_DAY, MAX_DAYS, MAX_PHASE
    from phasebook.schedule import compute_schedule

    assert (LAST_DAY + dt.timedelta(days=MAX_PHASE * MAX_DAYS)).year < 9999
    longest = "duration_days: 3650\nstart: 2999-12-31\n"
    data = programme_dir(
        {1: PHASE.format(number=1) + longest, 500: PHASE.format(number=500) + longest},
        programme=PROGRAMME.replace("2026-01-05", "2999-12-31") + "phase_days: 3650\n",
    )
    schedule = compute_schedule(load_programme(data))
    assert schedule.finish == dt.date(2999, 12, 31) + dt.timedelta(days=2 * 3650)
    result = run_cli("validate", "--data", str(data))
    assert (result.returncode, result.stderr) == (0, "")


def test_cli_validate_huge_phase_days_exits_2(programme_dir: MakeData) -> None:
    """The overflow that was a traceback: now exit 2 and one located line."""
    data = programme_dir(programme=PROGRAMME + f"phase_days: {HUGE}\n")
    result = run_cli("validate", "--data", str(data))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        f"error: {data / 'programme.yml'}:8:13: phase_days: Input should be less than or equal "
        f"to 3650 (got '{HUGE}') ({DAYS_HINT})"
    ]


# --- checks across files -------------------------------------------------------------------


def test_dependency_on_missing_phase(programme_dir: MakeData) -> None:
    """depends_on a phase that does not exist is located at the list item."""
    data = programme_dir(
        {1: PHASE.format(number=1), 2: PHASE.format(number=2) + "depends_on: [1, 7]\n"}
    )
    assert triples(load_problems(data)) == [
        (
            f"{phase_file(data, 2)}:4:17",
            "phase 2 depends on phase 7, which does not exist",
            "use one of: 1, 2",
        )
    ]


def test_dependency_cycle(programme_dir: MakeData) -> None:
    """1 → 2 → 1 through depends_on is one problem naming the whole cycle."""
    data = programme_dir(
        {
            1: PHASE.format(number=1) + "depends_on: [2]\n",
            2: PHASE.format(number=2) + "depends_on: [1]\n",
        }
    )
    assert triples(load_problems(data)) == [
        (
            f"{phase_file(data, 2)}:4:13",
            "dependency cycle: phase 1 → phase 2 → phase 1",
            "remove one of these dependencies",
        )
    ]


def test_cycle_through_a_default_dependency(programme_dir: MakeData) -> None:
    """Phase 1 depending on 3 closes a loop with the implicit 2 → 1 and 3 → 2 edges."""
    data = programme_dir(
        {
            1: PHASE.format(number=1) + "depends_on: [3]\n",
            2: PHASE.format(number=2),
            3: PHASE.format(number=3),
        }
    )
    (problem,) = load_problems(data)
    assert problem.message == "dependency cycle: phase 1 → phase 3 → phase 2 → phase 1"


def test_phase_cannot_depend_on_itself(programme_dir: MakeData) -> None:
    """A self-dependency is its own error, not a one-phase cycle."""
    data = programme_dir({1: PHASE.format(number=1) + "depends_on: [1]\n"})
    (problem,) = load_problems(data)
    assert (str(problem.location), problem.message) == (
        f"{phase_file(data)}:4:14",
        "a phase cannot depend on itself",
    )


def test_duplicate_phase_numbers(programme_dir: MakeData) -> None:
    """Two files claiming number 1: the second is located at its number, naming the first."""
    data = programme_dir({1: PHASE.format(number=1), 2: PHASE.format(number=1)})
    assert triples(load_problems(data)) == [
        (
            f"{phase_file(data, 2)}:1:9",
            f"phase number 1 is also used by {phase_file(data, 1)}",
            "give every phase its own number",
        )
    ]


def test_duplicate_ids_across_phases(programme_dir: MakeData) -> None:
    """A deliverable id reused as a decision id in another phase names both places."""
    data = programme_dir(
        {
            1: PHASE.format(number=1) + "deliverables:\n  - id: X1\n    title: a\n",
            2: PHASE.format(number=2) + "decisions:\n  - id: X1\n    title: b\n",
        }
    )
    assert triples(load_problems(data)) == [
        (
            f"{phase_file(data, 2)}:5:9",
            f"id `X1` is already used at {phase_file(data, 1)}:5:9",
            "ids must be unique across the programme",
        )
    ]


def test_problems_across_files_are_reported_together(programme_dir: MakeData) -> None:
    """One run lists every problem of every file, programme file first, then phases in order."""
    data = programme_dir(
        {1: "number: 1\ntitel: A\n", 2: "number: 2\ntitle: B\nstatus: x\n"},
        programme=PROGRAMME.replace("owner: Ann Owner\n", ""),
    )
    found = [(str(p.location), p.message) for p in load_problems(data)]
    assert found == [
        (f"{data / 'programme.yml'}:1:1", "missing required key `owner` in the file"),
        (f"{phase_file(data, 1)}:1:1", "missing required key `title` in the file"),
        (f"{phase_file(data, 1)}:2:1", "unknown key `titel`"),
        (
            f"{phase_file(data, 2)}:3:9",
            "status: Input should be 'planned', 'active', 'done' or 'blocked' (got 'x')",
        ),
    ]


def test_missing_programme_file(tmp_path: Path) -> None:
    """No programme.yml: one clear problem naming the path and what to create."""
    write(tmp_path / "phases" / "phase-1.yml", PHASE.format(number=1))
    assert triples(load_problems(tmp_path)) == [
        (
            str(tmp_path / "programme.yml"),
            "the programme file is missing",
            "create programme.yml in the data folder (see the user guide)",
        )
    ]


@pytest.mark.parametrize("make_folder", [True, False])
def test_empty_or_absent_phases_folder(tmp_path: Path, make_folder: bool) -> None:
    """No phase files (empty or absent folder): one clear problem with an example file name."""
    write(tmp_path / "programme.yml", PROGRAMME)
    if make_folder:
        (tmp_path / "phases").mkdir()
        write(tmp_path / "phases" / "notes.txt", "not a phase")
    assert triples(load_problems(tmp_path)) == [
        (
            str(tmp_path / "phases"),
            "no phase files found",
            "add one YAML file per phase, e.g. phases/phase-1.yml",
        )
    ]


# --- what the loader keeps -----------------------------------------------------------------


def test_plain_scalars_keep_their_exact_text(programme_dir: MakeData) -> None:
    """YAML 1.1 would read 3.10 as 3.1, NO as False and 017 as 15; the text must survive."""
    programme = PROGRAMME.replace('version: "1.0"', "version: 3.10")
    phase = "number: 1\ntitle: NO\ndeliverables:\n  - id: 017\n    title: yes\n"
    loaded = load_programme(programme_dir({1: phase}, programme=programme))
    assert loaded.info.version == "3.10"
    assert loaded.phases[0].title == "NO"
    assert loaded.phases[0].deliverables[0].id == "017"
    assert loaded.phases[0].deliverables[0].title == "yes"


def test_comments_do_not_shift_positions(programme_dir: MakeData) -> None:
    """Comments (full-line and trailing) are ignored and later lines keep their numbers."""
    text = "# top\n\n# another\nnumber: 1   # the number\ntitle: x  # t\nstatus: nope  # bad\n"
    data = programme_dir({1: text})
    (problem,) = load_problems(data)
    assert str(problem.location) == f"{phase_file(data)}:6:9"
    assert problem.message.endswith("(got 'nope')")


def test_anchors_and_aliases(programme_dir: MakeData) -> None:
    """An anchored list or scalar can be reused with an alias."""
    text = PHASE.format(number=1) + (
        "objectives: &goals\n  - one\n  - two\n"
        "scope:\n  included: *goals\n  excluded: []\n"
        "deliverables:\n  - id: D1\n    title: a\n    owner: &lead Ann\n"
        "  - id: D2\n    title: b\n    owner: *lead\n"
    )
    phase = load_programme(programme_dir({1: text})).phases[0]
    assert phase.objectives == ["one", "two"]
    assert phase.scope is not None
    assert phase.scope.included == ["one", "two"]
    assert [d.owner for d in phase.deliverables] == ["Ann", "Ann"]


def test_merge_key_reuses_an_anchored_mapping(programme_dir: MakeData) -> None:
    """`<<: *risk` (which yaml.safe_load supports) copies the anchored keys, overrides win."""
    text = PHASE.format(number=1) + (
        "risks:\n"
        "  - &risk\n    id: R1\n    title: shared\n    likelihood: 2\n    impact: 3\n"
        "  - <<: *risk\n    id: R2\n"
    )
    phase = load_programme(programme_dir({1: text})).phases[0]
    assert [(r.id, r.title, r.likelihood, r.impact) for r in phase.risks] == [
        ("R1", "shared", 2, 3),
        ("R2", "shared", 2, 3),
    ]


def test_metric_settings_checked(programme_dir: MakeData) -> None:
    """Metric settings that span the model and the built-in metrics are checked at load."""
    data = programme_dir(
        {1: PHASE.format(number=1) + "metrics: [coverag]\n"},
        programme=PROGRAMME + "metrics:\n  latency: {title: p95}\n"
        "  coverage: {check: '> 90 %', phases: [4]}\n",
    )
    with pytest.raises(DataError) as caught:
        load_checked(data)
    text = str(caught.value)
    assert "metric `latency` is not built in and does not say its source and check" in text
    assert "metric `coverage` is attached to phase 4, which does not exist" in text


def test_bad_check_string_is_a_located_error(programme_dir: MakeData) -> None:
    """A threshold that does not parse is located at its value."""
    data = programme_dir(programme=PROGRAMME + "metrics:\n  coverage: {check: 'about 80'}\n")
    (problem,) = load_problems(data)
    assert str(problem.location) == f"{data / 'programme.yml'}:9:21"
    assert "is not a check" in problem.message


# --- the CLI -------------------------------------------------------------------------------

LOCATED = re.compile(r"^error: (?P<file>/.+?\.yml):(?P<line>\d+):(?P<col>\d+): .+$")


@pytest.mark.parametrize(
    "phase",
    [
        "number: 1\ntitel: A\n",  # schema problem
        "number: 1\ntitle: [unclosed\nstatus: planned\n",  # YAML syntax error
        "number: 1\ntitle: A\ntitle: B\n",  # duplicate key
    ],
)
def test_cli_validate_exits_2_with_located_lines(programme_dir: MakeData, phase: str) -> None:
    """`phasebook validate` prints one `error: file:line:col: …` line per problem, no traceback."""
    data = programme_dir({1: phase})
    result = run_cli("validate", "--data", str(data))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines
    for line in lines:
        match = LOCATED.match(line)
        assert match, line
        assert match["file"] == phase_file(data)


def test_cli_validate_missing_folder(tmp_path: Path) -> None:
    """A data folder that does not exist: both files named, exit 2, no traceback."""
    result = run_cli("validate", "--data", str(tmp_path / "nope"))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        f"error: {tmp_path / 'nope' / 'programme.yml'}: the programme file is missing"
        " (create programme.yml in the data folder (see the user guide))",
        f"error: {tmp_path / 'nope' / 'phases'}: no phase files found"
        " (add one YAML file per phase, e.g. phases/phase-1.yml)",
    ]


def test_cli_validate_ok(programme_dir: MakeData) -> None:
    """Valid data exits 0 and prints the span and critical path."""
    data = programme_dir({1: PHASE.format(number=1), 2: PHASE.format(number=2)})
    result = run_cli("validate", "--data", str(data))
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "Test programme: 2 phases, 2026-01-05 → 2026-02-02, critical path 1 → 2\n"
    )


def test_decision_relating_to_an_unknown_id(programme_dir: MakeData) -> None:
    """`relates_to` must name a deliverable, decision or risk; a typo gets "did you mean"."""
    text = PHASE.format(number=1) + (
        "risks:\n  - {id: R-01, title: x, likelihood: 2, impact: 3}\n"
        "decisions:\n  - id: ADR-001\n    title: t\n    relates_to: [R-01, R-O1]\n"
    )
    data = programme_dir({1: text})
    assert triples(load_problems(data)) == [
        (
            f"{phase_file(data)}:9:24",
            "decision `ADR-001` relates to `R-O1`, which is no deliverable, decision or risk of "
            "the programme",
            "did you mean `R-01`?",
        ),
    ]


def test_empty_lists_say_none_in_the_handoff(programme_dir: MakeData) -> None:
    """`decisions: []` and `deliverables: []` say "none"; leaving them out leaves a gap."""
    from phasebook.handoff import handoff_view

    written = "number: 1\ntitle: Done\nstatus: done\n"
    said_none = written + "decisions: []\ndeliverables: []\n"
    gaps = {
        text: handoff_view(programme, programme.phases[0]).gaps
        for text in (written, said_none)
        for programme in [load_programme(programme_dir({1: text}))]
    }
    assert {"Decisions Made", "Artifacts Produced"} <= set(gaps[written])
    assert not {"Decisions Made", "Artifacts Produced"} & set(gaps[said_none])

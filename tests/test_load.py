"""The loader: strict YAML, typed values, and errors that say file:line:col and how to fix."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.conftest import PHASE, write

from phasebook.errors import DataError
from phasebook.load import load_programme


def problems(data: Path) -> list[str]:
    with pytest.raises(DataError) as caught:
        load_programme(data)
    return [str(p) for p in caught.value.problems]


def test_valid_programme_loads_in_number_order(programme_dir: Callable[..., Path]) -> None:
    data = programme_dir({2: PHASE.format(number=2), 1: PHASE.format(number=1)})
    programme = load_programme(data)
    assert [p.number for p in programme.phases] == [1, 2]
    assert programme.info.start_date.isoformat() == "2026-01-05"


def test_yaml_syntax_error_names_line_and_column(programme_dir: Callable[..., Path]) -> None:
    data = programme_dir({1: "number: 1\ntitle: [unclosed\nstatus: planned\n"})
    (message,) = problems(data)
    assert message.startswith(f"{data / 'phases' / 'phase-1.yml'}:3:")
    assert "YAML syntax error" in message


def test_duplicate_key_points_at_second_and_names_first(
    programme_dir: Callable[..., Path],
) -> None:
    data = programme_dir({1: "number: 1\ntitle: A\ntitle: B\n"})
    (message,) = problems(data)
    assert message == (
        f"{data / 'phases' / 'phase-1.yml'}:3:1: duplicate key `title` (first given on line 2)"
        " (keep one of the two; YAML would silently drop the first)"
    )


def test_unknown_key_suggests_nearest(programme_dir: Callable[..., Path]) -> None:
    data = programme_dir({1: "number: 1\ntitel: A\n"})
    found = problems(data)
    assert f"{data / 'phases' / 'phase-1.yml'}:2:1: unknown key `titel` (did you mean `title`?)" in found


def test_unknown_key_inside_a_list_item(programme_dir: Callable[..., Path]) -> None:
    text = PHASE.format(number=1) + (
        "risks:\n  - id: R1\n    title: x\n    likelyhood: 3\n    impact: 2\n"
    )
    found = problems(programme_dir({1: text}))
    assert any(":7:5: unknown key `likelyhood` (did you mean `likelihood`?)" in p for p in found)
    assert any("missing required key `likelihood`" in p for p in found)


def test_bad_date_and_out_of_range_likelihood(programme_dir: Callable[..., Path]) -> None:
    text = PHASE.format(number=1) + (
        "start: 2026-02-30\nrisks:\n  - id: R1\n    title: x\n    likelihood: 6\n    impact: 2\n"
    )
    found = problems(programme_dir({1: text}))
    assert any(":4:8: start:" in p and "YYYY-MM-DD" in p for p in found)
    assert any(":8:17: risks.0.likelihood: Input should be less than or equal to 5" in p for p in found)


def test_unknown_status_lists_the_choices(programme_dir: Callable[..., Path]) -> None:
    found = problems(programme_dir({1: "number: 1\ntitle: A\nstatus: finished\n"}))
    assert any(":3:9:" in p and "'planned', 'active', 'done' or 'blocked'" in p for p in found)


def test_dependency_on_missing_phase(programme_dir: Callable[..., Path]) -> None:
    found = problems(programme_dir({1: PHASE.format(number=1) + "depends_on: [7]\n"}))
    assert any(
        ":4:14: phase 1 depends on phase 7, which does not exist (use one of: 1)" in p
        for p in found
    )


def test_dependency_cycle(programme_dir: Callable[..., Path]) -> None:
    data = programme_dir(
        {
            1: PHASE.format(number=1) + "depends_on: [2]\n",
            2: PHASE.format(number=2) + "depends_on: [1]\n",
        }
    )
    (message,) = problems(data)
    assert "dependency cycle: phase 1 → phase 2 → phase 1" in message


def test_duplicate_numbers_and_ids_across_files(programme_dir: Callable[..., Path]) -> None:
    risk = "risks:\n  - {id: R1, title: x, likelihood: 1, impact: 1}\n"
    data = programme_dir(
        {1: PHASE.format(number=1) + risk, 2: PHASE.format(number=1) + risk}
    )
    found = problems(data)
    assert any("phase number 1 is also used by" in p for p in found)
    assert any("id `R1` is already used at" in p and "phase-1.yml:5:" in p for p in found)


def test_task_ending_before_it_starts(programme_dir: Callable[..., Path]) -> None:
    text = PHASE.format(number=1) + "plan:\n  - {title: t, start: 2026-01-09, end: 2026-01-08}\n"
    found = problems(programme_dir({1: text}))
    assert any("task ends (2026-01-08) before it starts (2026-01-09)" in p for p in found)


def test_problems_from_several_files_reported_together(
    programme_dir: Callable[..., Path],
) -> None:
    data = programme_dir({1: "number: 1\ntitel: A\n", 2: "number: 2\ntitle: B\nstatus: x\n"})
    found = problems(data)
    assert {Path(p.split(":")[0]).name for p in found} == {"phase-1.yml", "phase-2.yml"}


def test_scalars_keep_their_text(programme_dir: Callable[..., Path]) -> None:
    programme = (
        "# a comment\nname: NO\nproject: &p demo\nowner: *p\nversion: 3.10\n"
        "last_updated: 2026-01-02\nstart_date: 2026-01-05\n"
    )
    text = PHASE.format(number=1) + "deliverables:\n  - {id: 017, title: 'yes'}\n"
    loaded = load_programme(programme_dir({1: text}, programme=programme))
    assert loaded.info.name == "NO"
    assert loaded.info.version == "3.10"
    assert loaded.info.owner == "demo"
    assert loaded.phases[0].deliverables[0].id == "017"


def test_missing_programme_file_and_empty_phases_folder(tmp_path: Path) -> None:
    (tmp_path / "phases").mkdir()
    found = problems(tmp_path)
    assert any("programme.yml: the programme file is missing" in p for p in found)
    assert any("no phase files found" in p for p in found)


def test_cli_validate_exits_2_without_traceback(programme_dir: Callable[..., Path]) -> None:
    data = programme_dir({1: "number: 1\ntitel: A\n"})
    result = subprocess.run(
        [sys.executable, "-m", "phasebook.cli", "validate", "--data", str(data)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert f"error: {data / 'phases' / 'phase-1.yml'}:2:1: unknown key `titel`" in result.stderr
    assert "Traceback" not in result.stderr


def test_metric_settings_checked(programme_dir: Callable[..., Path]) -> None:
    from phasebook.pipeline import load_checked

    data = programme_dir(
        {1: PHASE.format(number=1) + "metrics: [coverag]\n"},
        programme=(
            "name: P\nproject: p\nowner: o\nversion: '1'\nlast_updated: 2026-01-01\n"
            "start_date: 2026-01-05\nmetrics:\n  latency: {title: p95}\n"
            "  coverage: {check: '> 90 %', phases: [4]}\n"
        ),
    )
    with pytest.raises(DataError) as caught:
        load_checked(data)
    text = str(caught.value)
    assert "metric `latency` is not built in and does not say its source and check" in text
    assert "metric `coverage` is attached to phase 4, which does not exist" in text


def test_bad_check_string_is_a_located_error(programme_dir: Callable[..., Path]) -> None:
    data = programme_dir(
        programme=(
            "name: P\nproject: p\nowner: o\nversion: '1'\nlast_updated: 2026-01-01\n"
            "start_date: 2026-01-05\nmetrics:\n  coverage: {check: 'about 80'}\n"
        )
    )
    found = problems(data)
    assert any("programme.yml:8:21" in p and "is not a check" in p for p in found)


def test_write_helper_dedents(tmp_path: Path) -> None:
    path = write(tmp_path / "x.yml", "  a: 1\n  b: 2\n")
    assert path.read_text() == "a: 1\nb: 2\n"

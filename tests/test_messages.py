"""What a new user hits first, each as one located line that says what to do.

A tab in the indentation, text where a mapping belongs, nonsense dates, a path read from the
other folder, a misspelt macro: every test pins the whole ``file:line:col: what (how to fix)``.
One run of ``phasebook validate`` lists every file's problems, and never one that is only the
echo of another file's error.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.conftest import MKDOCS_YML, PHASE, PROGRAMME, build_subprocess, write

from phasebook.cli import main
from phasebook.errors import DataError
from phasebook.load import load_programme

MakeData = Callable[..., Path]
AS_OF = "2026-01-20"  # phase 1 runs 2026-01-05 to 2026-01-18, phase 2 from 2026-01-19


def validate(data: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    """``phasebook validate`` in-process: its exit status and its lines on standard error."""
    status = main(["validate", "--data", str(data), "--as-of", AS_OF])
    return status, capsys.readouterr().err.splitlines()


def load_errors(data: Path) -> list[str]:
    """Every problem loading ``data`` raises, as printed."""
    with pytest.raises(DataError) as caught:
        load_programme(data)
    return [str(problem) for problem in caught.value.problems]


def phase_file(data: Path, number: int) -> Path:
    return data / "phases" / f"phase-{number}.yml"


# --- YAML and the shape of values ----------------------------------------------------------


def test_a_tab_in_the_indentation_says_use_spaces(programme_dir: MakeData) -> None:
    data = programme_dir({1: PHASE.format(number=1) + "objectives:\n\t- Measure coverage\n"})
    assert load_errors(data) == [
        f"{phase_file(data, 1)}:5:1: a tab is used for indentation "
        "(YAML needs spaces: replace the tab with spaces)"
    ]


def test_a_tab_between_values_says_use_a_space(programme_dir: MakeData) -> None:
    data = programme_dir({1: "number: 1\ntitle:\tAudit\n"})
    assert load_errors(data) == [
        f"{phase_file(data, 1)}:2:7: a tab separates the values here "
        "(YAML allows only spaces here: replace the tab with a space)"
    ]


def test_text_where_a_list_of_mappings_belongs_names_the_keys(programme_dir: MakeData) -> None:
    data = programme_dir({1: PHASE.format(number=1) + 'inputs: "the audit report"\n'})
    assert load_errors(data) == [
        f"{phase_file(data, 1)}:4:9: inputs: expected a list of mappings "
        "(got 'the audit report') (each item needs `location` and `description`, e.g. "
        "`inputs: [{location: …, description: …}]`, or one `- key: …` block per item)"
    ]


def test_text_as_an_item_of_a_list_of_mappings(programme_dir: MakeData) -> None:
    data = programme_dir({1: PHASE.format(number=1) + 'deliverables: [ "baseline report" ]\n'})
    assert load_errors(data) == [
        f"{phase_file(data, 1)}:4:17: deliverables.0: expected a mapping "
        "(got 'baseline report') (it needs `id` and `title`, e.g. `- {id: …, title: …}`; "
        "optional keys: owner, status, artifact, purpose, internal)"
    ]


def test_text_where_a_mapping_of_optional_keys_belongs(programme_dir: MakeData) -> None:
    data = programme_dir({1: PHASE.format(number=1) + "scope: everything\n"})
    assert load_errors(data) == [
        f"{phase_file(data, 1)}:4:8: scope: expected a mapping (got 'everything') "
        "(write it as a mapping, e.g. `scope: {included: …, excluded: …}`; "
        "optional keys: included, excluded)"
    ]


def test_duplicate_key_and_schema_errors_of_a_file_in_one_run(programme_dir: MakeData) -> None:
    """The later value of a duplicate key is checked: both problems come at once."""
    data = programme_dir(programme=PROGRAMME + "phase_days: 14\nphase_days: 0\n")
    programme = data / "programme.yml"
    assert load_errors(data) == [
        f"{programme}:9:1: duplicate key `phase_days` (first given on line 8) "
        "(keep one of the two; YAML would silently drop the first)",
        f"{programme}:9:13: phase_days: Input should be greater than or equal to 1 (got '0') "
        "(use a value from 1 to 3650)",
    ]


# --- every file's problems in one run, and no echoes --------------------------------------

PHASE_3_WITH_A_TAB = """\
number: 3
title: Containers
risks:
  - id: R-02
\t  title: Image CVEs
    likelihood: 3
    impact: 4
"""

PHASE_5 = """\
number: 5
title: Pipeline
depends_on: [3, 4]
metrics: [deploymnet]
decisions:
  - id: ADR-9
    title: Blue-green
    relates_to: [R-02]
"""


def test_broken_files_give_every_problem_once_and_no_false_references(
    programme_dir: MakeData, capsys: pytest.CaptureFixture[str]
) -> None:
    """A tab in phase 3, a misspelt metric in phase 5 and a duplicate key in the programme
    file: all three in one run; phase 3's number is still read, so "depends on phase 3" is
    fine, and its risk ids are not, so `relates_to: [R-02]` is left unchecked with a note."""
    data = programme_dir(
        {
            1: PHASE.format(number=1),
            2: PHASE.format(number=2),
            3: PHASE_3_WITH_A_TAB,
            4: PHASE.format(number=4),
            5: PHASE_5,
        },
        programme=PROGRAMME + "owner: Bea Owner\nmetrics:\n  coverage: {phases: [1, 3]}\n",
    )
    status, lines = validate(data, capsys)
    assert status == 2
    assert lines == [
        f"error: {data / 'programme.yml'}:8:1: duplicate key `owner` (first given on line 3) "
        "(keep one of the two; YAML would silently drop the first)",
        f"error: {phase_file(data, 3)}:5:1: a tab is used for indentation "
        "(YAML needs spaces: replace the tab with spaces)",
        f"error: {phase_file(data, 5)}:4:11: unknown metric `deploymnet` "
        "(did you mean `deployment`?)",
        f"error: {phase_file(data, 3)}: this file has errors, so references to its ids from "
        "other files were not checked (fix the problems above, then validate again)",
    ]


def test_a_file_that_reads_but_does_not_validate_still_answers_references(
    programme_dir: MakeData,
) -> None:
    """Phase 3 has an unknown key, but its number and ids can be read: R-02 is known, the
    misspelt R-20 is still reported, and no note is needed."""
    phase_3 = PHASE_3_WITH_A_TAB.replace("\t  title", "    titel")
    phase_5 = PHASE_5.replace("metrics: [deploymnet]\n", "").replace("[R-02]", "[R-02, R-20]")
    data = programme_dir({3: phase_3, 4: PHASE.format(number=4), 5: phase_5})
    assert load_errors(data) == [
        f"{phase_file(data, 3)}:4:5: missing required key `title` in risks.0 (add `title: …`)",
        f"{phase_file(data, 3)}:5:5: unknown key `titel` (did you mean `title`?)",
        f"{phase_file(data, 5)}:7:24: decision `ADR-9` relates to `R-20`, which is no "
        "deliverable, decision or risk of the programme (did you mean `R-02`?)",
    ]


def test_a_file_whose_number_cannot_be_read_leaves_dependencies_unchecked(
    programme_dir: MakeData,
) -> None:
    data = programme_dir({3: "title: Containers\n\tnumber: 3\n", 5: PHASE_5})
    assert load_errors(data) == [
        f"{phase_file(data, 3)}:2:1: a tab is used for indentation "
        "(YAML needs spaces: replace the tab with spaces)",
        f"{phase_file(data, 5)}:4:11: unknown metric `deploymnet` (did you mean `deployment`?)",
        f"{phase_file(data, 3)}: this file has errors, so references to its phase number and "
        "its ids from other files were not checked (fix the problems above, then validate "
        "again)",
    ]


# --- dates that cannot all be true ---------------------------------------------------------


def warnings_of(data: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    status, lines = validate(data, capsys)
    assert status == 1, lines
    return lines


def test_a_task_ending_after_its_phase(
    programme_dir: MakeData, capsys: pytest.CaptureFixture[str]
) -> None:
    phase = PHASE.format(number=1) + (
        "plan:\n  - {id: T1, title: Scan, start: 2026-01-12, end: 2026-01-25}\n"
    )
    data = programme_dir({1: phase})
    assert warnings_of(data, capsys) == [
        f"warning: {phase_file(data, 1)}:5:51: task `T1` ends 2026-01-25, 7 days after "
        "phase 1's last day (2026-01-05 to 2026-01-18, planned) (move the task inside the "
        "phase, or lengthen the phase: `duration_days:`, or `actual_end:` once it is over)"
    ]


def test_a_task_starting_before_its_phase(
    programme_dir: MakeData, capsys: pytest.CaptureFixture[str]
) -> None:
    phase = PHASE.format(number=2) + "plan:\n  - title: Kick-off\n    start: 2026-01-16\n"
    data = programme_dir({1: PHASE.format(number=1), 2: phase + "    end: 2026-01-20\n"})
    assert warnings_of(data, capsys) == [
        f"warning: {phase_file(data, 2)}:6:12: task “Kick-off” starts 2026-01-16, 3 days "
        "before phase 2 starts (2026-01-19 to 2026-02-01, planned) (move the task inside the "
        "phase, or start the phase earlier: `start:`, or `actual_start:` once it has started)"
    ]


def test_a_handoff_dated_before_its_phase_starts(
    programme_dir: MakeData, capsys: pytest.CaptureFixture[str]
) -> None:
    phase = PHASE.format(number=2) + "handoff:\n  date: 2026-01-10\n"
    data = programme_dir({1: PHASE.format(number=1), 2: phase})
    assert warnings_of(data, capsys) == [
        f"warning: {phase_file(data, 2)}:5:9: phase 2's handoff is dated 2026-01-10, 9 days "
        "before the phase starts (2026-01-19 to 2026-02-01, planned) (date the handoff when "
        "the phase ends, usually the day after its last day)"
    ]


def test_a_phase_still_active_under_a_done_phase(
    programme_dir: MakeData, capsys: pytest.CaptureFixture[str]
) -> None:
    """Phase 2 depends on phase 1 (the one before it): phase 2 done means phase 1 is too."""
    active = "number: 1\ntitle: Audit\nstatus: active\nactual_start: 2026-01-05\n"
    done = "number: 2\ntitle: Tests\nstatus: done\nactual_start: 2026-01-12\n"
    data = programme_dir({1: active, 2: done})
    expected = (
        f"warning: {phase_file(data, 1)}:3:9: phase 1 is active but phase 2, which depends "
        "on it, is done (set phase 1's status to done (with its `actual_end:`), or phase 2's "
        "back to active)"
    )
    assert expected in warnings_of(data, capsys)


def test_actual_dates_after_the_as_of_day(
    programme_dir: MakeData, capsys: pytest.CaptureFixture[str]
) -> None:
    phase = "number: 1\ntitle: Audit\nstatus: active\nactual_start: 2026-01-25\n"
    data = programme_dir({1: phase})
    assert warnings_of(data, capsys) == [
        f"warning: {phase_file(data, 1)}:4:15: phase 1's actual_start (2026-01-25) is 5 days "
        "after the build's as-of date (2026-01-20) (record actual dates once they have passed "
        "and plan with `start:` and `duration_days:`, or build as of a later day with "
        "--as-of or PHASEBOOK_AS_OF)"
    ]


# --- paths that lead to nothing ------------------------------------------------------------

DONE = "number: 1\ntitle: Audit\nstatus: done\n"


def path_warnings(data: Path, capsys: pytest.CaptureFixture[str], about: str) -> list[str]:
    """The warnings naming ``about`` (a done phase also warns of its gates and handoff)."""
    return [line for line in warnings_of(data, capsys) if about in line.split(": ", 2)[-1]]


def test_a_missing_report_near_an_existing_name(
    programme_dir: MakeData, capsys: pytest.CaptureFixture[str]
) -> None:
    data = programme_dir({1: DONE + "reports:\n  - path: reports/coverge.xml\n"})
    write(data / "reports" / "coverage.xml", "<coverage/>")
    assert path_warnings(data, capsys, "report `") == [
        f"warning: {phase_file(data, 1)}:5:11: phase 1 is done but its report "
        "`reports/coverge.xml` matches no file relative to the data folder data/ "
        "(did you mean `reports/coverage.xml`?)"
    ]


def test_a_report_path_written_from_the_project_root(
    programme_dir: MakeData, capsys: pytest.CaptureFixture[str]
) -> None:
    data = programme_dir({1: DONE + "reports:\n  - {path: data/reports/junit.xml}\n"})
    write(data / "reports" / "junit.xml", "<testsuite/>")
    assert path_warnings(data, capsys, "report `") == [
        f"warning: {phase_file(data, 1)}:5:12: phase 1 is done but its report "
        "`data/reports/junit.xml` matches no file relative to the data folder data/ "
        "(did you mean `reports/junit.xml`? report paths start at the data folder, not the "
        "project root)"
    ]


def test_an_artifact_path_written_from_the_data_folder(
    programme_dir: MakeData, capsys: pytest.CaptureFixture[str]
) -> None:
    phase = DONE + "deliverables:\n  - id: D1\n    title: Report\n    status: done\n"
    data = programme_dir({1: phase + "    artifact: artifacts/report.md\n"})
    write(data / "artifacts" / "report.md", "# Report\n")
    assert path_warnings(data, capsys, "artifact `") == [
        f"warning: {phase_file(data, 1)}:8:15: deliverable `D1` is done but its artifact "
        f"`artifacts/report.md` does not exist relative to the project root {data.parent}/ "
        "(the folder of mkdocs.yml) (did you mean `data/artifacts/report.md`? artifact paths "
        "start at the project root, not the data folder)"
    ]


def test_an_artifact_that_is_nowhere(
    programme_dir: MakeData, capsys: pytest.CaptureFixture[str]
) -> None:
    phase = DONE + "deliverables:\n  - {id: D1, title: Report, status: done, artifact: x.md}\n"
    data = programme_dir({1: phase})
    assert path_warnings(data, capsys, "artifact `") == [
        f"warning: {phase_file(data, 1)}:5:53: deliverable `D1` is done but its artifact "
        f"`x.md` does not exist relative to the project root {data.parent}/ (the folder of "
        "mkdocs.yml) (add the file there, or correct the path (or use an http(s) URL))"
    ]


# --- macros in writers' pages --------------------------------------------------------------

MACROS = "  - macros:\n      module_name: hooks/macros\n      on_undefined: strict\n"
PAGES = {
    "index.md": "---\ntitle: Home\n---\n# Home\n\nWe are in {{ phasebok.gates(3) }} now.\n",
    "gates.md": "# Gates\n\nSee {{ gate_table(99) }}.\n",
    "risks.md": "# Risks\n\nTop risks:\n\n{{ phasebook_risks(top=0) }}\n",
    "call.md": "# Call\n\n{{ phasebook_risks(tpo=3) }}\n",
}
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture(scope="module")
def macro_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, str]:
    """One ``mkdocs build --strict`` of a site whose pages misuse macros: its folder, exit
    status and log."""
    project = tmp_path_factory.mktemp("macros")
    write(project / "data" / "programme.yml", PROGRAMME)
    write(project / "data" / "phases" / "phase-1.yml", PHASE.format(number=1))
    write(project / "mkdocs.yml", MKDOCS_YML.format(extra_plugins=MACROS))
    write(project / "hooks" / "macros.py", "from phasebook.macros import define_env  # noqa\n")
    for name, text in PAGES.items():
        write(project / "docs" / name, text)
    result = build_subprocess(project)
    return project, result.returncode, ANSI.sub("", result.stdout + result.stderr)


def macro_lines(log: str) -> list[str]:
    return [line.split(" - ERROR ", 1)[1] for line in log.splitlines() if " - ERROR " in line]


def test_macro_mistakes_fail_strict_without_a_traceback(
    macro_build: tuple[Path, int, str],
) -> None:
    _project, status, log = macro_build
    assert status == 1
    assert "Traceback" not in log
    assert "Aborted with 4 warnings in strict mode!" in log
    assert len(macro_lines(log)) == 4  # one line each, every page in the same build


def test_a_misspelt_name_is_located_with_a_did_you_mean(
    macro_build: tuple[Path, int, str],
) -> None:
    project, _status, log = macro_build
    assert (
        f"{project / 'docs' / 'index.md'}:6:14: `phasebok` is not a macro or variable "
        "(did you mean `phasebook_risks`, `phasebook_as_of` or `phasebook_phases`?)"
    ) in macro_lines(log)


def test_an_unknown_macro_lists_phasebooks_macros(macro_build: tuple[Path, int, str]) -> None:
    project, _status, log = macro_build
    assert (
        f"{project / 'docs' / 'gates.md'}:3:8: `gate_table` is not a macro or variable "
        "(Phasebook's macros are phasebook_as_of, phasebook_current_phase, "
        "phasebook_data_reference, phasebook_options, phasebook_phases, "
        "phasebook_report_formats, phasebook_risks, phasebook_timeline; define a macro of "
        "your own in the site's macros module, hooks/macros.py)"
    ) in macro_lines(log)


def test_a_bad_argument_to_our_macro(macro_build: tuple[Path, int, str]) -> None:
    project, _status, log = macro_build
    assert (
        f"{project / 'docs' / 'risks.md'}:5:4: `phasebook_risks(top=0)`: top must be a whole "
        "number of at least 1 (write e.g. phasebook_risks(top=5))"
    ) in macro_lines(log)


def test_a_misspelt_argument_name(macro_build: tuple[Path, int, str]) -> None:
    project, _status, log = macro_build
    assert (
        f"{project / 'docs' / 'call.md'}:3:4: `phasebook_risks`: got an unexpected keyword "
        "argument 'tpo' (call it as phasebook_risks(top=5))"
    ) in macro_lines(log)


def test_an_active_phase_names_its_missing_report_without_failing(
    programme_dir: MakeData, capsys: pytest.CaptureFixture[str]
) -> None:
    """A report not written yet is no fault, but a typo in its path must not be silent."""
    phase = PHASE.format(number=1).replace("status: planned", "status: active") + (
        "reports:\n  - path: reports/bandti.json\n"
    )
    data = programme_dir({1: phase})
    write(data / "reports/bandit.json", "{}")
    status, lines = validate(data, capsys)
    assert status == 0, lines
    assert lines == [
        f"note: {phase_file(data, 1)}:5:11: phase 1 is active and its report "
        "`reports/bandti.json` matches no file relative to the data folder data/ (did you "
        "mean `reports/bandit.json`?)"
    ]

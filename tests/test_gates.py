"""Gates and metrics driven by real reports, history matching, and ``phasebook check``.

The reports come from running coverage.py and pytest on a small module; the tests then change
a real coverage report's totals and add a failing case to a real JUnit file.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.conftest import build, run_cli, write

from phasebook.history import Snapshot, finding_changes
from phasebook.output.snapshot import SNAPSHOT_VERSION, snapshot
from phasebook.pipeline import evaluate, load_checked

AS_OF = dt.date(2026, 1, 20)
DONE_PHASE = """\
number: 1
title: Audit
status: done
deliverables:
  - {id: D1, title: Report, status: done, artifact: data/reports/coverage.xml}
decisions:
  - {id: ADR-1, title: Tools, status: accepted, rationale: They run offline.}
metrics: []
reports:
  - {path: reports/coverage.xml}
  - {path: reports/junit.xml}
  - {path: reports/bandit.json}
  - {path: reports/docs.csv}
signoffs:
  review: [{who: Rae, date: 2026-01-17, verdict: approved}]
  approval: [{who: Sam, date: 2026-01-18, verdict: approved}]
handoff:
  summary: {overview: Done.}
  critical_findings: []
  next_steps: []
  open_questions: []
  risks_dependencies: []
"""


@pytest.fixture(scope="module")
def real_reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """coverage.xml, junit.xml and bandit.json written by the real tools."""
    folder = tmp_path_factory.mktemp("real")
    (folder / "calc.py").write_text("def add(a, b):\n    return a + b\n")
    (folder / "test_calc.py").write_text(
        textwrap.dedent("""
        from calc import add

        def test_add():
            assert add(2, 2) == 4
        """)
    )

    def run(*args: str) -> None:
        subprocess.run([sys.executable, "-m", *args], cwd=folder, capture_output=True, check=False)

    run("coverage", "run", "--source=.", "-m", "pytest", "-q", "-p", "no:cacheprovider",
        "--junit-xml=junit.xml", "test_calc.py")
    run("coverage", "xml", "-o", "coverage.xml")
    run("bandit", "calc.py", "-f", "json", "-o", "bandit.json", "-q")
    return folder


@pytest.fixture
def programme(programme_dir: Callable[..., Path], real_reports: Path) -> Path:
    data = programme_dir({1: DONE_PHASE})
    for name in ("coverage.xml", "junit.xml", "bandit.json"):
        write(data / "reports" / name, (real_reports / name).read_text())
    write(data / "reports/docs.csv", "name,value,unit,timestamp\ndocumentation_coverage,100,%,\n")
    return data


def _set_coverage(data: Path, covered: int, valid: int) -> None:
    path = data / "reports/coverage.xml"
    text = path.read_text()
    text = re.sub(r'lines-valid="\d+"', f'lines-valid="{valid}"', text, count=1)
    text = re.sub(r'lines-covered="\d+"', f'lines-covered="{covered}"', text, count=1)
    path.write_text(text)


def _gates(data: Path) -> dict[str, str]:
    programme = load_checked(data)
    assessment = evaluate(programme, data.parent, AS_OF)
    return {g.key: g.verdict.value for g in assessment.phases[1].gates}


def test_real_reports_pass_every_gate(programme: Path) -> None:
    assert _gates(programme) == dict.fromkeys(
        ("completeness", "quality", "documentation", "testing", "review", "approval"), "pass"
    )


@pytest.mark.parametrize(("covered", "verdict"), [(800, "fail"), (801, "pass")])
def test_quality_on_both_sides_of_eighty_percent(programme: Path, covered: int, verdict: str) -> None:
    _set_coverage(programme, covered, 1000)
    assert _gates(programme)["quality"] == verdict


def test_a_failing_case_fails_testing_and_the_build(programme: Path) -> None:
    junit = programme / "reports/junit.xml"
    text = junit.read_text().replace(
        "</testsuite>",
        '<testcase classname="test_calc" name="test_broken" time="0.01">'
        '<failure message="assert 1 == 2">boom</failure></testcase></testsuite>',
    )
    junit.write_text(text)
    assert _gates(programme)["testing"] == "fail"
    result = build(programme.parent)
    assert result.returncode == 1
    assert "phase 1 is done but its Testing gate is fail: 1 of 2 tests fail" in result.stderr
    assert "test_calc::test_broken" in result.stderr


def test_removing_a_report_is_no_data_not_pass(programme: Path) -> None:
    (programme / "reports/coverage.xml").unlink()
    gates = _gates(programme)
    assert gates["quality"] == "no data"
    assert gates["completeness"] == "fail"  # the deliverable's artifact is gone too


def test_findings_matched_across_snapshots_by_fingerprint(programme: Path) -> None:
    write(programme / "phases/phase-2.yml", "number: 2\ntitle: Next\nreports:\n  - {path: reports/two.json}\n")
    bandit = json.loads((programme / "reports/bandit.json").read_text())
    finding = {
        "test_id": "B602", "test_name": "subprocess_popen_with_shell_equals_true",
        "issue_severity": "HIGH", "issue_confidence": "HIGH", "issue_text": "shell=True",
        "filename": "calc.py", "line_number": 3, "issue_cwe": {"id": 78},
    }
    gone = {**finding, "test_id": "B101", "issue_text": "assert used", "line_number": 9}
    bandit["results"] = [finding, gone]
    write(programme / "reports/bandit.json", json.dumps(bandit))
    moved = {**finding, "line_number": 30}
    new = {**finding, "test_id": "B105", "issue_text": "hardcoded password", "line_number": 5}
    write(programme / "reports/two.json", json.dumps({**bandit, "results": [moved, new]}))
    loaded = load_checked(programme)
    before = snapshot(loaded, evaluate(loaded, programme.parent, dt.date(2026, 1, 19)))
    # The baseline snapshot holds phase 1's findings only (phase 2 had not run yet).
    before["phases"]["2"]["findings"] = []
    current = snapshot(loaded, evaluate(loaded, programme.parent, AS_OF))
    history = [Snapshot(Path("s.json"), dt.date(2026, 1, 19), before)]
    changes = finding_changes(loaded, history, current, 2)
    assert [e["rule"] for e in changes.still_open] == ["B602"]  # moved 27 lines, same finding
    assert [e["rule"] for e in changes.new] == ["B105"]
    assert [e["rule"] for e in changes.fixed] == ["B101"]


def _check(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "phasebook.cli", "check", "--data", str(data),
         "--as-of", "2026-01-20", *args],
        capture_output=True, text=True, check=False,
    )


def test_check_exit_codes_json_and_summary(programme: Path, tmp_path: Path) -> None:
    ok = _check(programme)
    assert ok.returncode == 0, ok.stderr
    assert re.search(r"1 Audit\s+pass\s+pass\s+pass\s+pass\s+pass\s+pass\s+yes", ok.stdout)
    _set_coverage(programme, 10, 1000)
    failing = _check(programme, "--summary", str(tmp_path / "summary.md"))
    assert failing.returncode == 1
    assert "phase 1 metric Test coverage (lines): 1.0 %, needs > 80 %" in failing.stdout
    summary = (tmp_path / "summary.md").read_text()
    assert "| 1 · Audit | ✅ pass | ❌ fail |" in summary
    document = json.loads(_check(programme, "--json", "--phase", "1").stdout)
    assert document["phasebook_snapshot"] == SNAPSHOT_VERSION
    assert document["phases"]["1"]["metrics"]["coverage"]["verdict"] == "fail"
    (programme / "reports/junit.xml").write_text("<testsuite>")
    broken = _check(programme)
    assert broken.returncode == 2
    assert f"{programme / 'reports' / 'junit.xml'}: invalid XML" in broken.stderr
    assert "Traceback" not in broken.stderr


@pytest.mark.parametrize(
    ("edit", "gate", "verdict"),
    [
        (("verdict: approved}]\n  approval", "verdict: changes_requested}]\n  approval"), "review", "fail"),
        (("  approval: [{who: Sam, date: 2026-01-18, verdict: approved}]\n", ""), "approval", "no data"),
        (("rationale: They run offline.", "context: none"), "documentation", "fail"),
        (("  open_questions: []\n", ""), "documentation", "fail"),
        (("status: done, artifact", "status: in_progress, artifact"), "completeness", "fail"),
    ],
)
def test_recorded_gates_fail_on_their_own_data(
    programme: Path, edit: tuple[str, str], gate: str, verdict: str
) -> None:
    path = programme / "phases/phase-1.yml"
    text = path.read_text()
    assert edit[0] in text
    path.write_text(text.replace(edit[0], edit[1]))
    assert _gates(programme)[gate] == verdict


@pytest.mark.parametrize("body", ["null", "{}", "[]", '"x"', "0", '{"results": 3}', '{"errors": []}'])
def test_a_broken_scan_never_turns_a_failing_check_green(programme: Path, body: str) -> None:
    """High findings fail the check; the same report replaced by a value of the wrong shape is
    exit 2 naming the file, never a pass with zero findings."""
    bandit = json.loads((programme / "reports/bandit.json").read_text())
    high = {
        "test_id": "B602", "test_name": "subprocess_popen_with_shell_equals_true",
        "issue_severity": "HIGH", "issue_confidence": "HIGH", "issue_text": "shell=True",
        "filename": "calc.py", "line_number": 3, "issue_cwe": {"id": 78},
    }
    bandit["results"] = [{**high, "line_number": n} for n in range(1, 7)]
    write(programme / "reports/bandit.json", json.dumps(bandit))
    path = programme / "phases/phase-1.yml"
    path.write_text(path.read_text().replace("metrics: [", "metrics: [vulnerabilities-high, ", 1))
    before = _check(programme)
    assert before.returncode == 1, before.stdout + before.stderr
    write(programme / "reports/bandit.json", body)
    after = _check(programme)
    assert after.returncode == 2, after.stdout
    assert str(programme / "reports" / "bandit.json") in after.stderr
    assert "Traceback" not in after.stderr


def _with(data: Path, old: str, new: str) -> None:
    path = data / "phases/phase-1.yml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_a_phase_not_begun_is_not_started_never_red(programme: Path) -> None:
    """A planned phase: every gate and metric that does not pass is "not started"."""
    _set_coverage(programme, 10, 1000)
    _with(programme, "status: done", "status: planned")
    loaded = load_checked(programme)
    item = evaluate(loaded, programme.parent, AS_OF).phases[1]
    verdicts = {g.key: g.verdict.value for g in item.gates}
    assert "fail" not in verdicts.values()
    assert verdicts["quality"] == "not started"
    assert {m.verdict.value for m in item.metrics} <= {"pass", "not started"}
    assert not item.failing_metrics
    assert not item.ready  # not started is not a pass


@pytest.mark.parametrize(
    ("until", "verdict", "ready"),
    [("2026-01-31", "waived", True), ("null", "waived", True), ("2026-01-19", "fail", False)],
)
def test_a_waiver_in_force_passes_a_gate_an_expired_one_fails_it(
    programme: Path, until: str, verdict: str, ready: bool
) -> None:
    """A recorded waiver turns a failing gate into "waived" with who and why, until it ends."""
    _set_coverage(programme, 10, 1000)
    _with(programme, "metrics: []", "metrics: []\nwaivers:\n  - {gate: quality, who: Sam (sponsor), "
          f"date: 2026-01-10, until: {until}, reason: the baseline records the gaps}}")
    item = evaluate(load_checked(programme), programme.parent, AS_OF).phases[1]
    quality = item.gate("quality")
    assert quality.verdict.value == verdict
    assert item.ready is ready
    if verdict == "waived":
        assert quality.reason.startswith("waived by Sam (sponsor) on 2026-01-10: the baseline")
        assert quality.details[0].startswith("without the waiver: 1 of ")
    else:
        assert "waiver by Sam (sponsor) expired on 2026-01-19" in quality.reason
    result = _check(programme)
    assert result.returncode == (0 if ready else 1), result.stdout
    assert ("waived" in result.stdout) is ready


def test_a_waiver_that_ends_before_it_starts_is_a_located_error(programme: Path) -> None:
    _with(programme, "metrics: []", "metrics: []\nwaivers:\n  - {gate: testing, who: Sam, "
          "date: 2026-01-10, until: 2026-01-01, reason: x}")
    result = run_cli("validate", "--data", str(programme))
    assert result.returncode == 2
    assert "phase-1.yml:" in result.stderr
    assert "the waiver ends (2026-01-01) before it was granted (2026-01-10)" in result.stderr
    assert "set `until`" in result.stderr


def test_check_lists_the_gaps_behind_a_failing_gate(programme: Path) -> None:
    """`check` names every gap of a failing gate, not only how many there are."""
    _with(programme, "rationale: They run offline.", "context: none")
    result = _check(programme)
    assert result.returncode == 1
    assert "phase 1 Documentation: fail:" in result.stdout
    assert "  - ADR-1" in result.stdout

"""Readers of coverage, JUnit, bandit, SARIF and measurements, on reports the real tools write.

coverage.py, pytest and bandit run here on a small module written by the test, so the reports
are exactly what the tools emit; SARIF and measurements use small fixtures of our own.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from phasebook.evidence import Outcome, Severity
from phasebook.readers import ReportError, detect_format, read_report

MODULE = '''
import subprocess


def add(a, b):
    if a > 100:
        return -1
    return a + b


def run(command):
    return subprocess.call(command, shell=True)
'''

TESTS = '''
import pytest
from sample import add


def test_add():
    assert add(1, 2) == 3


def test_fails():
    assert add(1, 1) == 3


@pytest.fixture
def broken():
    raise RuntimeError("fixture broke")


def test_errors(broken):
    pass


@pytest.mark.skip(reason="not today")
def test_skipped():
    pass
'''


@pytest.fixture(scope="module")
def tool_reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Run coverage + pytest (JUnit) and bandit on a small sample package."""
    folder = tmp_path_factory.mktemp("tools")
    (folder / "sample.py").write_text(textwrap.dedent(MODULE))
    (folder / "test_sample.py").write_text(textwrap.dedent(TESTS))

    def run(*args: str) -> None:
        subprocess.run(
            [sys.executable, "-m", *args], cwd=folder, capture_output=True, check=False
        )

    run(
        "coverage", "run", "--branch", "--source=.", "-m", "pytest", "-q",
        "-p", "no:cacheprovider", "--junit-xml=junit.xml", "test_sample.py",
    )
    run("coverage", "xml", "-o", "coverage.xml")
    run("coverage", "json", "-o", "coverage.json")
    run("bandit", "sample.py", "-f", "json", "-o", "bandit.json", "-q")
    return folder


def test_cobertura_from_real_coverage(tool_reports: Path) -> None:
    report = read_report(tool_reports / "coverage.xml")
    assert report.format == "cobertura-xml"
    assert report.tool == "coverage.py"
    files = {record.path: record for record in report.coverage}
    assert set(files) == {"sample.py", "test_sample.py"}
    assert files["sample.py"].lines_total == 7
    assert files["sample.py"].lines_covered == 5  # `return -1` and the body of run() never ran
    assert report.totals is not None
    assert report.totals.branches_total == 2
    assert report.totals.lines_covered == sum(f.lines_covered for f in report.coverage)


def test_coverage_json_agrees_with_xml(tool_reports: Path) -> None:
    report = read_report(tool_reports / "coverage.json")
    xml = read_report(tool_reports / "coverage.xml")
    assert report.format == "coverage-json"
    assert report.schema_version in {"1", "2", "3"}
    assert report.totals is not None and xml.totals is not None
    assert report.totals.lines_covered == xml.totals.lines_covered
    assert len(report.coverage) == len(xml.coverage)


def test_junit_outcomes_from_real_pytest(tool_reports: Path) -> None:
    report = read_report(tool_reports / "junit.xml")
    assert report.format == "junit-xml"
    outcomes = {test.name: test.outcome for test in report.tests}
    assert outcomes == {
        "test_add": Outcome.PASSED,
        "test_fails": Outcome.FAILED,
        "test_errors": Outcome.ERROR,
        "test_skipped": Outcome.SKIPPED,
    }
    failed = next(t for t in report.tests if t.name == "test_fails")
    assert failed.message and "assert" in failed.message
    assert report.generated_at is not None


def test_bandit_from_real_run(tool_reports: Path) -> None:
    report = read_report(tool_reports / "bandit.json")
    assert report.format == "bandit-json"
    rules = {f.rule: f for f in report.findings}
    assert "B602" in rules  # subprocess call with shell=True
    assert rules["B602"].severity is Severity.HIGH
    assert rules["B602"].tool_severity == "HIGH"
    assert rules["B602"].path == "./sample.py"  # kept as bandit wrote it
    assert rules["B602"].cwe == ("CWE-78",)
    source = (tool_reports / "sample.py").read_text().splitlines()[rules["B602"].line - 1]
    # bandit counts columns from 0; a finding's column counts from 1, like every other tool's
    assert rules["B602"].column == source.index("subprocess") + 1


def test_fingerprint_survives_a_moved_line(tool_reports: Path, tmp_path: Path) -> None:
    data = json.loads((tool_reports / "bandit.json").read_text())
    for result in data["results"]:
        result["line_number"] += 10
        result["line_range"] = [n + 10 for n in result["line_range"]]
    moved = tmp_path / "bandit.json"
    moved.write_text(json.dumps(data))
    before = {f.fingerprint for f in read_report(tool_reports / "bandit.json").findings}
    after = {f.fingerprint for f in read_report(moved).findings}
    assert before == after


def test_sarif_runs_levels_and_version(tmp_path: Path) -> None:
    sarif = {
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "semgrep", "rules": [
                    {"id": "r1", "properties": {"security-severity": "9.1", "tags": ["CWE-89"]}}
                ]}},
                "results": [
                    {"ruleId": "r1", "level": "warning", "message": {"text": "SQL injection"},
                     "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a.py"},
                                                         "region": {"startLine": 3}}}]},
                    {"ruleId": "r2", "level": "note", "message": {"text": "style"}},
                ],
            },
            {"tool": {"driver": {"name": "gitleaks"}}, "results": []},
        ],
    }
    path = tmp_path / "scan.sarif"
    path.write_text(json.dumps(sarif))
    report = read_report(path)
    assert report.tool == "semgrep, gitleaks"
    first, second = report.findings
    assert (first.severity, first.tool_severity, first.cwe) == (Severity.CRITICAL, "9.1", ("CWE-89",))
    assert (first.path, first.line) == ("a.py", 3)
    assert second.severity is Severity.LOW
    sarif["version"] = "2.0.0"
    path.write_text(json.dumps(sarif))
    with pytest.raises(ReportError, match=r"SARIF version '2.0.0' is not supported \(supported: 2.1.0\)"):
        read_report(path)


def test_measurements_csv_and_yaml(tmp_path: Path) -> None:
    csv_file = tmp_path / "times.csv"
    csv_file.write_text(
        "name,value,unit,timestamp\n"
        "deployment_time,8.5,min,2026-11-01T10:00:00Z\n"
        "rollback_time,fast,min,2026-11-01T10:00:00Z\n"
    )
    report = read_report(csv_file)
    assert [(m.name, m.value, m.unit) for m in report.measurements] == [
        ("deployment_time", 8.5, "min")
    ]
    assert [s.reason for s in report.skipped] == ["row 2: value 'fast' is not a number"]
    yaml_file = tmp_path / "ops.yml"
    yaml_file.write_text("measurements:\n  - {name: uptime, value: 99.95, unit: '%'}\n")
    assert read_report(yaml_file).measurements[0].value == 99.95


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "the report is empty"),
        ('{"results": [{"test_id": "B1", "issue_severity": "HIGH"', "detected"),
        ("warning: something\n{}", "unknown report format"),
        ('<?xml version="1.0"?>\n<testsuite name="x"><testcase name="a">', "truncated"),
    ],
)
def test_broken_reports_are_refused(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "report.json"
    path.write_text(content)
    with pytest.raises(ReportError) as caught:
        read_report(path)
    assert str(path) in str(caught.value)
    if message != "detected":
        assert message in str(caught.value)


def test_entity_bomb_is_refused(tmp_path: Path) -> None:
    bomb = tmp_path / "junit.xml"
    bomb.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>\n'
        "<testsuite><testcase name='&lol2;'/></testsuite>\n"
    )
    with pytest.raises(ReportError, match="refused unsafe XML"):
        read_report(bomb)


def test_detection_uses_content_not_name(tool_reports: Path, tmp_path: Path) -> None:
    renamed = tmp_path / "report.txt"
    renamed.write_bytes((tool_reports / "junit.xml").read_bytes())
    assert detect_format(renamed).format == "junit-xml"
    assert read_report(renamed, "junit-xml").tests

"""The core readers (coverage, JUnit, bandit, SARIF, measurements) on fixtures of our own.

Each variant a tool really writes (empty, one, many, odd) has an exact expected count; each
broken file is refused naming it. The reports the real tools write are read in
``test_core_readers.py``; this file covers the variants a single run does not produce.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.readers.support import FIXTURES

from phasebook.evidence import FileCoverage, Outcome, Severity, outcome_counts, severity_counts
from phasebook.readers import ReportError, detect_format, read_report

# (fixture, kept, skipped)
READ = [
    ("junit-xml/pytest-four-outcomes.xml", 4, 0),
    ("junit-xml/bare-testsuite-mypy.xml", 1, 0),
    ("junit-xml/reruns.xml", 2, 0),
    ("junit-xml/empty-testsuites.xml", 0, 0),
    ("junit-xml/nested-suites.xml", 3, 0),
    ("junit-xml/stray-testcase.xml", 1, 1),
    ("junit-xml/trivy-template.xml", 2, 0),
    ("junit-xml/semgrep-junit.xml", 2, 0),
    ("junit-xml/pytest-rerunfailures-16.7.xml", 3, 4),
    ("junit-xml/surefire-flaky-and-rerun.xml", 3, 0),
    ("junit-xml/nested-under-testsuite.xml", 3, 0),
    ("cobertura-xml/coverage-py-doctype.xml", 2, 0),
    ("cobertura-xml/no-packages.xml", 0, 0),
    ("cobertura-xml/class-without-filename.xml", 1, 1),
    ("coverage-json/three-files.json", 3, 0),
    ("coverage-json/no-files.json", 0, 0),
    ("coverage-json/coverage-6-no-format.json", 1, 0),
    ("coverage-json/file-without-summary.json", 1, 1),
    ("bandit-json/no-results.json", 0, 0),
    ("bandit-json/three-severities.json", 3, 0),
    ("bandit-json/errors-and-odd-result.json", 1, 2),
    ("sarif/two-runs.sarif", 2, 0),
    ("sarif/no-runs-results.sarif", 0, 0),
    ("sarif/rule-default-level.sarif", 1, 0),
    ("sarif/rule-index-and-extensions.sarif", 6, 2),
    ("sarif/failed-run-with-results.sarif", 1, 0),
    ("measurements/timings.csv", 3, 0),
    ("measurements/odd-rows.csv", 1, 2),
    ("measurements/operations.yml", 2, 0),
    ("measurements/empty-list.yml", 0, 0),
]

# (fixture, words the error must contain)
REFUSED = [
    ("junit-xml/truncated.xml", "truncated"),
    ("junit-xml/entity-bomb.xml", "refused unsafe XML"),
    ("junit-xml/external-entity.xml", "refused unsafe XML"),
    ("junit-xml/wrong-root.xml", "not JUnit XML: the root is <report>"),
    ("junit-xml/zero-bytes.xml", "empty"),
    ("cobertura-xml/no-lines-valid.xml", "has no lines-valid attribute"),
    ("cobertura-xml/truncated.xml", "truncated"),
    ("coverage-json/format-9.json", "format 9 is not supported (supported: 1, 2, 3)"),
    ("coverage-json/truncated.json", "ends early"),
    ("coverage-json/non-numeric-count.json", "covered_lines"),
    ("bandit-json/warnings-before-json.json", "does not start with JSON"),
    ("bandit-json/truncated.json", "JSON"),
    ("sarif/version-2.0.sarif", "supported: 2.1.0"),
    ("sarif/truncated.sarif", "JSON"),
    ("sarif/run-without-results.sarif", "run 1 (lintr) has no `results` array"),
    ("sarif/no-runs.sarif", "the SARIF log has no runs"),
    ("sarif/failed-run-no-results.sarif", "its zero findings cannot be trusted"),
]


@pytest.mark.parametrize(("name", "kept", "skipped"), READ, ids=[n for n, _, _ in READ])
def test_fixture_counts(name: str, kept: int, skipped: int) -> None:
    path = FIXTURES / name
    report = read_report(path)
    assert report.format == name.partition("/")[0]
    assert detect_format(path).format == report.format
    assert (len(report.records), len(report.skipped)) == (kept, skipped)


@pytest.mark.parametrize(("name", "words"), REFUSED, ids=[n for n, _ in REFUSED])
def test_refused_with_a_clear_error_naming_the_file(name: str, words: str) -> None:
    path = FIXTURES / name
    with pytest.raises(ReportError) as caught:
        read_report(path, name.partition("/")[0])
    assert caught.value.path == path
    assert str(path) in str(caught.value)
    assert words in str(caught.value)


def test_junit_outcomes_and_reruns() -> None:
    four = read_report(FIXTURES / "junit-xml/pytest-four-outcomes.xml")
    assert outcome_counts(four) == {"passed": 1, "failed": 1, "error": 1, "skipped": 1}
    assert four.tool == "pytest"
    assert four.generated_at is not None and four.generated_at.isoformat().startswith("2026-11-20")
    failed = next(t for t in four.tests if t.outcome is Outcome.FAILED)
    assert (failed.classname, failed.name, failed.message) == (
        "tests.test_api",
        "test_login",
        "assert 401 == 200",
    )
    reruns = read_report(FIXTURES / "junit-xml/reruns.xml")
    assert [(t.name, t.outcome) for t in reruns.tests] == [
        ("test_network", Outcome.PASSED),  # failed twice, then passed: the final outcome counts
        ("test_always_broken", Outcome.FAILED),
    ]


def test_junit_templates_of_other_tools() -> None:
    trivy = read_report(FIXTURES / "junit-xml/trivy-template.xml")
    assert trivy.tool == "trivy"
    assert outcome_counts(trivy)["failed"] == 2
    semgrep = read_report(FIXTURES / "junit-xml/semgrep-junit.xml")
    assert semgrep.tool == "semgrep"
    mypy = read_report(FIXTURES / "junit-xml/bare-testsuite-mypy.xml")
    assert (mypy.tool, mypy.tests[0].outcome) == ("mypy", Outcome.FAILED)


def test_cobertura_totals_branches_and_doctype() -> None:
    report = read_report(FIXTURES / "cobertura-xml/coverage-py-doctype.xml")
    assert report.totals == FileCoverage(None, 4, 6, 1, 2)
    assert report.coverage == [FileCoverage("api.py", 3, 4, 1, 2), FileCoverage("util.py", 1, 2)]
    assert report.tool_version == "7.6.1"


def test_coverage_json_totals() -> None:
    report = read_report(FIXTURES / "coverage-json/three-files.json")
    assert report.totals is not None
    assert (report.totals.lines_covered, report.totals.lines_total) == (13, 20)
    assert report.schema_version == "3"
    old = read_report(FIXTURES / "coverage-json/coverage-6-no-format.json")
    assert old.schema_version == "1"


def test_bandit_severities_errors_and_cwe() -> None:
    report = read_report(FIXTURES / "bandit-json/three-severities.json")
    assert severity_counts(report) == {"critical": 0, "high": 1, "medium": 1, "low": 1, "info": 0}
    assert report.findings[0].cwe == ("CWE-78",)
    odd = read_report(FIXTURES / "bandit-json/errors-and-odd-result.json")
    assert odd.notes == ["broken.py: syntax error while parsing AST from file"]


def test_sarif_severity_from_score_level_and_rule_default() -> None:
    two = read_report(FIXTURES / "sarif/two-runs.sarif")
    assert two.tool == "semgrep, gitleaks"
    assert [(f.rule, f.severity) for f in two.findings] == [
        ("py.sqli", Severity.HIGH),  # security-severity 8.1
        ("py.debug", Severity.LOW),  # level note
    ]
    (checkov,) = read_report(FIXTURES / "sarif/rule-default-level.sarif").findings
    assert (checkov.severity, checkov.tool_severity) == (Severity.HIGH, "error")


def test_measurements_units_and_reasons() -> None:
    report = read_report(FIXTURES / "measurements/timings.csv")
    assert [(m.name, m.value, m.unit) for m in report.measurements] == [
        ("deploy_time", 8.5, "min"),
        ("rollback_time", 95.0, "s"),
        ("provisioning_time", 12.0, "min"),
    ]
    odd = read_report(FIXTURES / "measurements/odd-rows.csv")
    assert sorted(s.reason for s in odd.skipped) == [
        "row 1: value 'fast' is not a number",
        "row 2: no name",
    ]


def test_repeated_findings_keep_distinct_fingerprints(tmp_path: Path) -> None:
    """The same rule and message twice in one file: two findings, two fingerprints, stable."""
    data = json.loads((FIXTURES / "bandit-json/three-severities.json").read_text())
    first = data["results"][0]
    data["results"] = [first, {**first, "line_number": first["line_number"] + 40}]
    path = tmp_path / "bandit.json"
    path.write_text(json.dumps(data))
    prints = [f.fingerprint for f in read_report(path).findings]
    assert len(set(prints)) == 2
    assert prints == [f.fingerprint for f in read_report(path).findings]
    sarif = json.loads((FIXTURES / "sarif/two-runs.sarif").read_text())
    result = sarif["runs"][0]["results"][0]
    sarif["runs"][0]["results"] = [result, result, result]
    path = tmp_path / "scan.sarif"
    path.write_text(json.dumps(sarif))
    assert len({f.fingerprint for f in read_report(path).findings}) == 3

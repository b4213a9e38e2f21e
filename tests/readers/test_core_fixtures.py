"""The core readers (coverage, JUnit, bandit, SARIF, measurements) on fixtures of our own: what
each keeps of a record. Counts and refusals are in the fixtures' ``expect.yml`` (read by
``test_fixtures.py``); the reports the real tools write are read in ``test_core_readers.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.readers.support import FIXTURES

from phasebook.evidence import FileCoverage, Outcome, Severity, outcome_counts, severity_counts
from phasebook.readers import read_report


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

"""Every record of a report is counted: kept, or skipped with a reason, never lost.

The fixtures are small files written for each way a record could vanish before: a SARIF rule
named only by its index (or in an extension), JUnit re-runs, Trivy sections and kinds this
reader does not know, semgrep's skipped paths, checkov's unknown lists, Terraform's deferred
changes. Each has an exact count, in its folder's ``expect.yml``; the real tools wrote the
pytest-rerunfailures and semgrep ones (pytest 9.2 with pytest-rerunfailures 16.7; semgrep 1.187
with a local rule).
"""

from __future__ import annotations

from collections import Counter

from tests.readers.support import FIXTURES

from phasebook.evidence import Outcome, Report, Severity
from phasebook.readers import read_report


def _read(name: str) -> Report:
    return read_report(FIXTURES / name)


def _reasons(report: Report) -> Counter[str]:
    return Counter(item.reason for item in report.skipped)


def test_sarif_rules_named_by_index_or_in_an_extension() -> None:
    report = _read("sarif/rule-index-and-extensions.sarif")
    assert [(f.rule, f.severity, f.tool_severity, f.cwe) for f in report.findings] == [
        ("py/sql-injection", Severity.HIGH, "8.8", ("CWE-89",)),  # ruleIndex only
        ("py/unused-import", Severity.LOW, "note", ()),  # ruleId and ruleIndex
        ("py/command-line-injection", Severity.CRITICAL, "9.8", ("CWE-78",)),  # extension 0
        ("py/command-line-injection", Severity.CRITICAL, "9.8", ("CWE-78",)),  # by name
        ("py/unused-import", Severity.LOW, "note", ()),  # message from the indexed rule
        ("py/not-described", Severity.MEDIUM, "warning", ()),  # index past the rules
    ]
    first = report.findings[0]
    assert first.url == "https://codeql.github.com/codeql-query-help/python/py-sql-injection/"
    assert report.findings[4].title == "Unused import"
    assert _reasons(report) == {
        "SARIF kind pass: the check passed": 1,
        "suppressed (inSource)": 1,
    }
    assert report.notes == ["CodeQL error: Could not process some files due to syntax errors"]
    assert report.tool_version == "2.19.3"


def test_sarif_failed_run_is_a_note_beside_its_results() -> None:
    report = _read("sarif/failed-run-with-results.sarif")
    assert len(report.findings) == 1
    assert report.notes == [
        "ruff says its run did not succeed",
        "ruff error: Failed to parse pyproject.toml",
    ]


def test_junit_rerunfailures_counts_each_test_once_with_its_last_outcome() -> None:
    report = _read("junit-xml/pytest-rerunfailures-16.7.xml")
    assert [(t.name, t.outcome) for t in report.tests] == [
        ("test_network", Outcome.PASSED),  # two attempts failed, the third passed
        ("test_always_broken", Outcome.FAILED),  # failed all three
        ("test_fine", Outcome.PASSED),
    ]
    assert sorted(item.record for item in report.skipped) == [
        "test_flaky::test_always_broken",
        "test_flaky::test_always_broken",
        "test_flaky::test_network",
        "test_flaky::test_network",
    ]
    assert {item.reason for item in report.skipped} == {
        "re-run of this test: an earlier attempt (the last attempt counts)"
    }  # 3 kept + 4 skipped: the 7 <testcase> elements of the file (checked in test_fixtures.py)


def test_junit_surefire_flaky_and_rerun_children() -> None:
    report = _read("junit-xml/surefire-flaky-and-rerun.xml")
    assert [(t.name, t.outcome, t.message) for t in report.tests] == [
        ("chargesCard", Outcome.PASSED, "1 other failed attempt (re-runs)"),
        ("refundsCard", Outcome.PASSED, "2 other failed attempts (re-runs)"),
        (
            "rejectsExpiredCard",
            Outcome.FAILED,
            "expected exception; 1 other failed attempt (re-runs)",
        ),
    ]


def test_junit_suites_nested_under_a_testsuite_root() -> None:
    report = _read("junit-xml/nested-under-testsuite.xml")
    assert [(t.suite, t.name, t.outcome) for t in report.tests] == [
        ("all", "test_root_level", Outcome.PASSED),
        ("unit", "test_add", Outcome.PASSED),
        ("unit.slow", "test_big", Outcome.FAILED),
    ]


def test_trivy_unknown_sections_suppressed_and_custom_records_are_counted() -> None:
    report = _read("trivy-json/unknown-sections-and-suppressed.json")
    assert [f.rule for f in report.findings] == ["CVE-2024-5535"]
    assert _reasons(report) == {
        "suppressed in Trivy (ignored, by .trivyignore)": 1,
        "a Trivy custom resource (custom-resource), not a finding": 1,
        "Trivy's 'Findings' section is not read by this version of Phasebook": 2,
        "Trivy's 'Attestations' section is not read by this version of Phasebook": 1,
    }
    unknown = {(s.reason.split("'")[2], s.record) for s in report.skipped if "section" in s.reason}
    assert unknown == {("Findings", "app/sbom"), ("Attestations", "the report")}
    # Packages (--list-all-pkgs) are inventory, not findings: not counted at all (the manifest
    # pins 1 kept + 5 skipped)


def test_trivy_cluster_resource_it_could_not_scan_is_a_note() -> None:
    report = _read("trivy-json/k8s-resource-error.json")
    assert [f.path for f in report.findings] == ["default/Deployment/web"]
    assert report.notes == [
        "Trivy could not scan kube-system/DaemonSet/kube-proxy: unable to pull image: "
        "registry.k8s.io/kube-proxy:v1.31.0: timeout"
    ]


def test_semgrep_skipped_paths_are_counted_with_semgrep_reason() -> None:
    report = _read("semgrep-json/verbose-paths-skipped-1.187.json")
    assert [(f.rule, f.path) for f in report.findings] == [("no-eval", "src/app.py")]
    assert [(s.reason, s.record) for s in report.skipped] == [
        ("path skipped by semgrep: exceeded_size_limit", "src/big.py")
    ]


def test_checkov_unknown_result_lists_are_counted() -> None:
    report = _read("checkov-json/unknown-results-list.json")
    assert [f.rule for f in report.findings] == ["CKV_AWS_24"]
    assert _reasons(report) == {
        "checkov's 'unknown_checks' list is not read by this version of Phasebook": 2
    }


def test_terraform_deferred_changes_are_counted() -> None:
    report = _read("terraform-plan-json/deferred-changes-1.10.json")
    assert [c.address for c in report.changes] == ["aws_s3_bucket.logs"]
    assert [(s.reason, s.record) for s in report.skipped] == [
        ("deferred by Terraform (provider_config_unknown)", "kubernetes_namespace.app")
    ]


def test_asff_page_with_a_next_token_says_there_is_more() -> None:
    report = _read("asff-json/findings-next-token.json")
    assert len(report.findings) == 1
    assert report.notes == ["the answer has more pages (NextToken): this file holds one page"]

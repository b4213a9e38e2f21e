"""Readers of the deps family: pip-audit, CycloneDX, safety, Trivy, Snyk, ZAP, ASFF, gitleaks,
detect-secrets: the fields they map, and the secrets they never publish.

None of these tools runs offline here, so the fixtures under ``tests/fixtures/reports/<format>/``
are small hand-made reports modelled on the real shapes in ``../shared/reports``; their counts,
refusals and detection are in each folder's ``expect.yml``, and the corpus files' in
``corpus.yml`` (both read by ``test_fixtures.py``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tests.readers.support import (
    CORPUS,
    FIXTURES,
    catalog,
    claimed_by,
    fixture_paths,
    published_text,
    read_corpus,
    read_fixture,
)

from phasebook.evidence import Severity
from phasebook.readers import ReportError, family_deps, read_report

DEPS = {reader.format: reader for reader in family_deps.READERS}

# The fake secrets planted in the fixtures; none may reach any field of any record.
AWS_KEY = "AKIAQWERTYUIOPASDFGH"
GH_TOKEN = "ghp_FakeFakeFakeFakeFakeFakeFakeFake0000"
ZAP_PASSWORD = "Tr0ub4dor-and-3"
SESSION = "SESSIONFAKE7c1e0a9b"
HASHED = "3f2d8a1b7c9e4f6a0b5d2c8e1f7a9b3c4d6e8f0a"
SECRETS = (AWS_KEY, GH_TOKEN, ZAP_PASSWORD, SESSION, HASHED)


# ------------------------------------------------------------------------------ secrets


def test_no_secret_reaches_any_record() -> None:
    planted = 0
    for path in fixture_paths():
        if path.parent.name not in DEPS:
            continue
        raw = path.read_text(encoding="utf-8", errors="replace")
        planted += any(secret in raw for secret in SECRETS)
        try:
            report = read_report(path, format=path.parent.name)
        except ReportError:
            continue
        published = published_text(report)
        for secret in SECRETS:
            assert secret not in published, (path.name, secret)
    assert planted >= 6  # the fixtures really do carry the secrets


def test_zap_locations_keep_the_page_but_not_the_credentials() -> None:
    paths = [f.path for f in read_fixture("zap-json/two-sites-with-credentials.json").findings]
    assert paths[0] == "https://shop.example.test/login?user=alice&password=[redacted]"
    assert "https://shop.example.test/search?q=shoes" in paths
    alerts = [f.path for f in read_fixture("zap-alerts-json/alerts-array.json").findings]
    assert "https://api.example.test/reset?api_key=[redacted]" in alerts


def test_user_info_is_dropped_from_zap_urls(tmp_path: Path) -> None:
    report = json.loads((FIXTURES / "zap-json/two-sites-with-credentials.json").read_text())
    alert = report["site"][0]["alerts"][0]
    alert["instances"].reverse()  # the URL with user:password@host comes first
    path = tmp_path / "zap.json"
    path.write_text(json.dumps(report))
    first = read_report(path).findings[0]
    assert first.path == "https://shop.example.test/account?token=[redacted]"


# ------------------------------------------------------------------------------ per format


def test_pip_audit_fields() -> None:
    (finding,) = read_fixture("pip-audit-json/one-vuln.json").findings
    assert finding.tool == "pip-audit"
    assert finding.rule == "PYSEC-2019-217"
    assert (finding.severity, finding.tool_severity) == (Severity.MEDIUM, "")
    assert finding.cve == ("CVE-2019-10906",)
    assert (finding.package, finding.installed_version, finding.fixed_version) == (
        "jinja2",
        "2.10",
        "2.10.1",
    )
    assert finding.title.startswith("PYSEC-2019-217 in jinja2 2.10: In Pallets Jinja")


def test_pip_audit_markdown_heading_is_not_the_title() -> None:
    findings = read_fixture("pip-audit-json/many-old-list.json").findings
    assert findings[1].title == (
        "GHSA-j8r2-6x86-q33q in requests 2.19.0: Requests leaks Proxy-Authorization headers "
        "to destination servers."
    )


@pytest.mark.parametrize("suffix", ["json", "xml"])
def test_cyclonedx_pip_audit_bom_has_no_package_link(suffix: str) -> None:
    report = read_fixture(f"cyclonedx-{suffix}/pip-audit-two-vulns.{suffix}")
    assert (report.tool, report.schema_version) == ("pip-audit", "1.4")
    assert report.generated_at is not None
    assert [f.rule for f in report.findings] == ["PYSEC-2019-217", "GHSA-j8r2-6x86-q33q"]
    assert all(f.package is None and f.severity is Severity.MEDIUM for f in report.findings)


@pytest.mark.parametrize("suffix", ["json", "xml"])
def test_cyclonedx_affects_ratings_and_vex(suffix: str) -> None:
    report = read_fixture(f"cyclonedx-{suffix}/affects-ratings-vex.{suffix}")
    assert (report.tool, report.tool_version, report.schema_version) == ("grype", "0.74.0", "1.5")
    first, second = report.findings
    assert (first.severity, first.tool_severity) == (Severity.HIGH, "high")
    assert (first.package, first.installed_version) == ("requests", "2.19.0")
    assert first.cwe == ("CWE-200",)
    assert first.url == "https://nvd.nist.gov/vuln/detail/CVE-2023-32681"
    assert (second.package, second.severity, second.cve) == (
        "urllib3",
        Severity.MEDIUM,
        ("CVE-2020-0001",),
    )
    assert report.skipped[0].reason == "VEX analysis: not affected"


def test_cyclonedx_written_by_the_real_library(tmp_path: Path) -> None:
    """pip-audit's own serialiser: cyclonedx-python-lib, used the way pip-audit uses it."""
    bom_module = pytest.importorskip("cyclonedx.model.bom")
    component = pytest.importorskip("cyclonedx.model.component")
    vulnerability = pytest.importorskip("cyclonedx.model.vulnerability")
    output = pytest.importorskip("cyclonedx.output")
    schema = pytest.importorskip("cyclonedx.schema")
    Bom, Component, Vulnerability = bom_module.Bom, component.Component, vulnerability.Vulnerability
    OutputFormat, SchemaVersion, make_outputter = (
        schema.OutputFormat,
        schema.SchemaVersion,
        output.make_outputter,
    )

    bom = Bom(
        components=[
            Component(name="jinja2", version="2.10"),
            Component(name="six", version="1.16"),
        ],
        vulnerabilities=[
            Vulnerability(
                id="PYSEC-2019-217", description="Sandbox escape.", recommendation="Upgrade"
            )
        ],
    )
    for output_format, name, expected in (
        (OutputFormat.JSON, "bom.json", "cyclonedx-json"),
        (OutputFormat.XML, "bom.xml", "cyclonedx-xml"),
    ):
        path = tmp_path / name
        outputter = make_outputter(
            bom=bom, output_format=output_format, schema_version=SchemaVersion.V1_4
        )
        path.write_text(outputter.output_as_string(), encoding="utf-8")
        assert claimed_by(family_deps.READERS, path) == expected
        report = read_report(path)
        assert (report.format, report.tool, report.read_count) == (expected, "pip-audit", 1)
        assert report.findings[0].rule == "PYSEC-2019-217"


def test_safety_layouts() -> None:
    v1 = read_fixture("safety-json/v1-two.json").findings
    assert (v1[0].severity, v1[0].tool_severity, v1[0].cve) == (
        Severity.MEDIUM,
        "",
        ("CVE-2021-33203",),
    )
    assert (v1[1].severity, v1[1].tool_severity) == (Severity.CRITICAL, "CRITICAL")
    check = read_fixture("safety-json/v2-check-one-ignored.json")
    assert (check.schema_version, check.tool_version) == ("1", "2.3.5")
    (finding,) = check.findings
    assert (finding.severity, finding.cve, finding.path) == (
        Severity.MEDIUM,
        ("CVE-2022-22818",),
        "requirements.txt",
    )
    assert finding.fixed_version == "2.2.27, 3.2.12, 4.0.2"
    assert check.skipped[0].reason == "ignored by the safety policy"
    many = read_fixture("safety-json/v3-check-many.json")
    assert many.schema_version == "1.1"
    assert [(f.severity, f.tool_severity) for f in many.findings] == [
        (Severity.HIGH, "HIGH"),
        (Severity.MEDIUM, ""),
        (Severity.CRITICAL, "CVSS 9.3"),
    ]
    scan = read_fixture("safety-json/scan-3.0-projects-and-files.json")
    assert (scan.schema_version, scan.tool_version) == ("3.0", "3.6.1")
    assert [(f.package, f.installed_version, f.fixed_version) for f in scan.findings] == [
        ("pyyaml", "5.3", "5.4"),
        ("werkzeug", "3.1.4", "3.1.5"),
    ]


def test_trivy_vulnerabilities() -> None:
    report = read_fixture("trivy-json/image-many.json")
    assert (report.schema_version, report.tool_version) == ("2", "0.58.1")
    assert report.generated_at is not None and report.generated_at.year == 2026
    first = report.findings[0]
    assert (first.rule, first.severity, first.tool_severity, first.cwe) == (
        "CVE-2024-0727",
        Severity.MEDIUM,
        "MEDIUM",
        ("CWE-476",),
    )
    assert (first.package, first.installed_version, first.fixed_version) == (
        "libcrypto3",
        "3.1.4-r2",
        "3.1.4-r5",
    )
    assert first.path == "alpine:3.19 (alpine 3.19.1)"
    unknown = report.findings[2]
    assert (unknown.severity, unknown.tool_severity, unknown.fixed_version) == (
        Severity.INFO,
        "UNKNOWN",
        None,
    )
    assert report.skipped[0].reason == "vendor status: not affected"


def test_trivy_misconfigurations_secrets_and_cluster() -> None:
    misconf = read_fixture("trivy-json/fs-misconfig-pass-and-fail.json")
    assert [f.rule for f in misconf.findings] == ["AVD-DS-0002", "AVD-DS-0001"]
    assert misconf.findings[1].line == 1
    assert misconf.skipped[0].reason == "misconfiguration check passed"
    secrets = read_fixture("trivy-json/secrets-unmasked.json").findings
    assert [(f.rule, f.title, f.line) for f in secrets] == [
        ("aws-access-key-id", "AWS Access Key ID", 3),
        ("github-pat", "GitHub Personal Access Token", 7),
    ]
    cluster = read_fixture("trivy-json/k8s-cluster.json").findings
    assert {f.path for f in cluster} == {"default/Deployment/web"}


def test_snyk_keeps_one_finding_per_issue_and_package() -> None:
    report = read_fixture("snyk-json/single-duplicate-paths.json")
    urllib3, django = report.findings
    assert (urllib3.rule, urllib3.package, urllib3.fixed_version) == (
        "SNYK-PYTHON-URLLIB3-1533435",
        "urllib3",
        "1.26.5",
    )
    assert (urllib3.cve, urllib3.cwe) == (("CVE-2021-33503",), ("CWE-400",))
    assert (django.severity, django.tool_severity) == (Severity.CRITICAL, "critical")
    assert [s.reason for s in report.skipped] == [
        "duplicate: same issue via another dependency path"
    ] * 2


def test_asff_products_and_severity() -> None:
    prowler = read_fixture("asff-json/prowler-bare-list.json")
    assert (prowler.tool, prowler.schema_version) == ("Prowler", "2018-10-08")
    assert [s.reason for s in prowler.skipped] == [
        "compliance check passed",
        "archived finding",
        "suppressed in Security Hub",
    ]
    (inspector,) = read_fixture("asff-json/inspector-findings-lower.json").findings
    assert (inspector.tool, inspector.rule, inspector.cve) == (
        "inspector",
        "CVE-2023-2650",
        ("CVE-2023-2650",),
    )
    assert (inspector.package, inspector.installed_version, inspector.fixed_version) == (
        "openssl",
        "1.1.1n",
        "1.1.1u",
    )
    guardduty = read_fixture("asff-json/guardduty-Findings-upper.json").findings
    assert [(f.severity, f.tool_severity) for f in guardduty] == [
        (Severity.HIGH, "Normalized 75"),
        (Severity.LOW, "Normalized 20"),
    ]
    assert guardduty[0].url is not None and guardduty[0].url.startswith("https://eu-west-1.")


def test_zap_alerts_are_the_records() -> None:
    report = read_fixture("zap-json/two-sites-with-credentials.json")
    assert report.tool_version == "2.14.0"
    assert [(f.rule, f.severity) for f in report.findings] == [
        ("10024", Severity.LOW),
        ("10010", Severity.LOW),
        ("40018", Severity.HIGH),
        ("10035-1", Severity.LOW),
        ("10096", Severity.INFO),
    ]
    assert report.findings[2].cwe == ("CWE-89",)
    assert report.findings[4].path == "https://api.example.test"  # no instance: the site
    xml = read_fixture("zap-xml/two-alerts-with-credentials.xml")
    assert (xml.tool_version, xml.generated_at is not None) == ("2.16.1", True)
    assert xml.findings[1].path == "https://shop.example.test/cart"


def test_secret_scanners() -> None:
    leaks = read_fixture("gitleaks-json/v8-many.json").findings
    assert [(f.rule, f.path, f.line, f.column) for f in leaks] == [
        ("aws-access-token", "deploy/env.sh", 3, 12),
        ("aws-access-token", "deploy/env.sh", 9, 12),
        ("github-pat", "ci/release.yml", 14, 12),
    ]
    assert all(f.severity is Severity.HIGH for f in leaks)
    (v7,) = read_fixture("gitleaks-json/v7-one.json").findings
    assert (v7.rule, v7.path, v7.line) == ("AWS Access Key", "config/aws.ini", 4)
    baseline = read_fixture("detect-secrets-json/v1-many.json")
    assert [(f.rule, f.path, f.line) for f in baseline.findings] == [
        ("AWS Access Key", "deploy/env.sh", 3),
        ("Secret Keyword", "deploy/env.sh", 4),
    ]
    assert baseline.skipped[0].record == "tests/fixtures/keys.py:10"
    assert baseline.tool_version == "1.5.0"


def test_fingerprints_survive_a_move_to_another_line(tmp_path: Path) -> None:
    for name, shift in (
        ("gitleaks-json/v8-many.json", _shift_gitleaks),
        ("trivy-json/secrets-unmasked.json", _shift_trivy),
        ("detect-secrets-json/v1-many.json", _shift_detect_secrets),
    ):
        original = FIXTURES / name
        moved = tmp_path / original.name
        moved.write_text(json.dumps(shift(json.loads(original.read_text()))), encoding="utf-8")
        before, after = read_report(original), read_report(moved, format=original.parent.name)
        assert [f.line for f in before.findings] != [f.line for f in after.findings]
        assert [f.fingerprint for f in before.findings] == [f.fingerprint for f in after.findings]


def _shift_gitleaks(data: Any) -> Any:
    for leak in data:
        leak["StartLine"] += 10
    return data


def _shift_trivy(data: Any) -> Any:
    for secret in data["Results"][0]["Secrets"]:
        secret["StartLine"] += 10
    return data


def _shift_detect_secrets(data: Any) -> Any:
    for entries in data["results"].values():
        for entry in entries:
            entry["line_number"] += 10
    return data


# ------------------------------------------------------------------------------ corpus

SECRET_TOOLS = ("gitleaks", "detect-secrets", "trivy")
SECRET_FILES = [
    e
    for e in catalog()
    if e["tool"] in SECRET_TOOLS and "/sarif" not in e["path"] and e["expect"] == "read"
]


@pytest.mark.skipif(not SECRET_FILES, reason="../shared/reports is absent")
def test_corpus_secrets_are_not_published() -> None:
    """gitleaks' Secret/Match, Trivy's Match and detect-secrets' hashes stay out of the records."""
    checked = 0
    for entry in SECRET_FILES:
        path = CORPUS / entry["path"]
        data = json.loads(path.read_text(encoding="utf-8"))
        hidden = {
            value.strip()
            for value in _values(
                data, {"Secret", "Match", "offender", "line", "Line", "hashed_secret"}
            )
            if len(value.strip()) >= 8 and "*" not in value
        }
        published = published_text(read_corpus(entry))
        leaked = [value for value in hidden if value in published]
        assert not leaked, (entry["path"], leaked[:3])
        checked += len(hidden)
    assert checked > 100


def _values(data: Any, keys: set[str]) -> list[str]:
    if isinstance(data, dict):
        found = [v for k, v in data.items() if k in keys and isinstance(v, str)]
        return found + [x for v in data.values() for x in _values(v, keys)]
    if isinstance(data, list):
        return [x for item in data for x in _values(item, keys)]
    return []

"""``npm audit --json`` in npm 6's and npm 7+'s layouts: what each advisory becomes, what is
counted as skipped, and what is refused (npm's own error objects, other report versions).

The counts of every fixture are in ``tests/fixtures/reports/npm-audit-json/expect.yml``; this
file checks the fields. The two ``real-npm-11.19-*`` fixtures were written by npm 11.19.1.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from tests.readers.support import places, replaced

from phasebook.evidence import Severity
from phasebook.readers import READERS, ReportError, detect_format, read_report
from phasebook.readers.base import head_text
from phasebook.readers.npm_audit import (
    DUPLICATE,
    MUTED,
    NO_VIA,
    VIA_DEPENDENCY,
    NpmAuditReader,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "reports"
FOLDER = FIXTURES / "npm-audit-json"
READER = NpmAuditReader()


def _write(tmp_path: Path, data: Any, name: str = "audit.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, indent=2) if not isinstance(data, str) else data)
    return path


def _v2(vulnerabilities: dict[str, Any], total: int | None = None) -> dict[str, Any]:
    counts = {"info": 0, "low": 0, "moderate": 0, "high": 0, "critical": 0}
    counts["total"] = len(vulnerabilities) if total is None else total
    return {
        "auditReportVersion": 2,
        "vulnerabilities": vulnerabilities,
        "metadata": {"vulnerabilities": counts, "dependencies": {"total": 10}},
    }


def _advisory(source: int, name: str, severity: str = "high", **extra: Any) -> dict[str, Any]:
    return {
        "source": source,
        "name": name,
        "dependency": name,
        "title": f"Advisory {source}",
        "url": f"https://github.com/advisories/GHSA-{source % 10}aaa-bbbb-cccc",
        "severity": severity,
        "cwe": ["CWE-400"],
        "range": "<2.0.0",
        **extra,
    }


def _entry(name: str, via: list[Any], fix: Any = True) -> dict[str, Any]:
    return {
        "name": name,
        "severity": "high",
        "isDirect": True,
        "via": via,
        "effects": [],
        "range": "<2.0.0",
        "nodes": [f"node_modules/{name}"],
        "fixAvailable": fix,
    }


def test_the_manifest_covers_every_fixture() -> None:
    manifest = yaml.safe_load((FOLDER / "expect.yml").read_text(encoding="utf-8"))
    files = {path.name for path in FOLDER.iterdir()} - {"expect.yml"}
    assert set(manifest) == files
    for name, entry in manifest.items():
        path = FOLDER / name
        assert detect_format(path).format == "npm-audit-json", name
        if "refused" in entry:
            with pytest.raises(ReportError, match=entry["refused"].replace("(", r"\(")):
                read_report(path)
            continue
        report = read_report(path)
        kinds = Counter(record.kind for record in report.records)
        assert (dict(kinds), len(report.skipped), len(report.notes)) == (
            entry["kept"],
            entry.get("skipped", 0),
            entry.get("notes", 0),
        ), name


def test_npm7_advisories_are_findings_with_their_ids_and_fix() -> None:
    report = read_report(FOLDER / "npm7-lodash-minimist-mkdirp.json")
    assert (report.format, report.tool, report.schema_version) == ("npm-audit-json", "npm", "2")
    assert [
        (f.rule, f.severity, f.tool_severity, f.package, f.fixed_version) for f in report.findings
    ] == [
        ("GHSA-p6mc-m468-83gw", Severity.HIGH, "high", "lodash", "4.17.21"),
        ("GHSA-35jh-r3h4-6jhm", Severity.HIGH, "high", "lodash", "4.17.21"),
        ("GHSA-29mw-wpgm-hmr9", Severity.MEDIUM, "moderate", "lodash", "4.17.21"),
        ("GHSA-vh95-rmgr-6w4m", Severity.MEDIUM, "moderate", "minimist", None),  # fix: true
        ("GHSA-xvch-5gv4-984h", Severity.CRITICAL, "critical", "minimist", None),
    ]
    first = report.findings[0]
    assert first.cwe == ("CWE-770", "CWE-1321")
    assert first.cve == ()  # npm 7+ names the GitHub advisory, not the CVE
    assert first.installed_version is None  # npm 7+ does not say which version is installed
    assert first.url == "https://github.com/advisories/GHSA-p6mc-m468-83gw"
    assert first.title == "Prototype Pollution in lodash"
    assert [(s.reason, s.record) for s in report.skipped] == [
        (VIA_DEPENDENCY, "mkdirp via minimist")
    ]
    assert len({f.fingerprint for f in report.findings}) == 5


def test_npm7_repeats_dependency_names_and_empty_via_are_counted() -> None:
    report = read_report(FOLDER / "npm7-repeats-and-odd-entries.json")
    assert [(f.rule, f.package, f.fixed_version) for f in report.findings] == [
        ("GHSA-gxpj-cx7g-858c", "debug", "express@4.21.2"),  # fixed by upgrading express
        ("GHSA-9vvw-cc9w-f27h", "debug", "express@4.21.2"),
        ("GHSA-w9mr-4mfr-499f", "ms", None),
    ]
    assert [(s.reason, s.record) for s in report.skipped] == [
        (DUPLICATE, "GHSA-gxpj-cx7g-858c in debug"),
        (VIA_DEPENDENCY, "debug via ms"),
        (VIA_DEPENDENCY, "express via debug"),
        (NO_VIA, "left-pad"),
    ]
    assert report.notes == ["npm's metadata counts 5 vulnerable packages, the report lists 4"]
    via = sum(
        len(e["via"]) or 1 for e in json.loads(report.path.read_text())["vulnerabilities"].values()
    )
    assert report.read_count == via  # every `via` entry (or empty `via`) counted once


def test_npm6_advisories_keep_cves_installed_and_patched_versions() -> None:
    report = read_report(FOLDER / "npm6-two-advisories.json")
    assert report.schema_version == "1"
    growl, debug = report.findings
    assert (growl.rule, growl.severity, growl.cve, growl.cwe) == (
        "npm-146",
        Severity.CRITICAL,
        ("CVE-2017-16042",),
        ("CWE-94",),
    )
    assert (growl.package, growl.installed_version, growl.fixed_version) == (
        "growl",
        "1.9.2",
        ">=1.10.2",
    )
    assert growl.title == "Command Injection in growl"
    assert (debug.severity, debug.installed_version, debug.fixed_version) == (
        Severity.LOW,
        "2.6.8, 3.1.0",  # two installed versions, one advisory
        ">= 2.6.9 < 3.0.0 || >= 3.1.0",
    )
    unpatched = read_report(FOLDER / "npm6-request-no-patch.json").findings[0]
    assert (unpatched.rule, unpatched.fixed_version, unpatched.cve, unpatched.cwe) == (
        "GHSA-p8p7-x288-28g6",
        None,  # npm's "<0.0.0": nothing is patched
        ("CVE-2023-28155",),
        ("CWE-918",),
    )


@pytest.mark.parametrize("name", ["npm6-clean.json", "npm7-clean.json"], ids=["npm6", "npm7"])
def test_a_clean_audit_is_zero_findings(name: str) -> None:
    report = read_report(FOLDER / name)
    assert (report.records, report.skipped, report.notes) == ([], [], [])


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("real-npm-11.19-enolock.json", "ENOLOCK: This command requires an existing lockfile."),
        ("real-npm-11.19-endpoint-405.json", "405 Method Not Allowed - POST https://"),
        ("npm6-enoaudit-error.json", "ENOAUDIT: Your configured registry"),
    ],
)
def test_npm_errors_are_refused_with_npm_s_message(name: str, words: str) -> None:
    path = FOLDER / name
    with pytest.raises(ReportError) as caught:
        read_report(path)  # detected as npm audit, then refused
    assert caught.value.path == path
    assert caught.value.reason.startswith("npm reported an error instead of an audit: ")
    assert words in caught.value.reason


@pytest.mark.parametrize(
    ("word", "severity"),
    [
        ("critical", Severity.CRITICAL),
        ("high", Severity.HIGH),
        ("moderate", Severity.MEDIUM),
        ("low", Severity.LOW),
        ("info", Severity.INFO),
    ],
)
def test_severity_words(tmp_path: Path, word: str, severity: Severity) -> None:
    path = _write(tmp_path, _v2({"pkg": _entry("pkg", [_advisory(1, "pkg", word)])}))
    (finding,) = read_report(path).findings
    assert (finding.severity, finding.tool_severity) == (severity, word)


def test_an_advisory_without_severity_takes_its_package_s(tmp_path: Path) -> None:
    advisory = _advisory(1, "pkg")
    del advisory["severity"]
    path = _write(tmp_path, _v2({"pkg": _entry("pkg", [advisory])}))
    assert read_report(path).findings[0].severity is Severity.HIGH


def test_npm6_muted_advisories_are_counted(tmp_path: Path) -> None:
    data = json.loads((FOLDER / "npm6-clean.json").read_text())
    data["muted"] = [{"id": 118, "path": "a>b"}, {"id": 534, "path": "c"}]
    report = read_report(_write(tmp_path, data))
    assert [(s.reason, s.record) for s in report.skipped] == [(MUTED, "118"), (MUTED, "534")]


def test_a_via_entry_of_another_shape_is_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path, _v2({"pkg": _entry("pkg", [42])}))
    with pytest.raises(ReportError, match="expected an object for an advisory in 'via' of pkg"):
        read_report(path)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"auditReportVersion": 2, "vulnerabilities": []}, "expected an object with"),
        ({"auditReportVersion": 2}, "expected an object with"),
        ({"auditReportVersion": "two", "vulnerabilities": {}}, "auditReportVersion two"),
        ({"advisories": {}}, "expected an object with"),
        ({"actions": [], "advisories": []}, "expected an object with"),
        ({"vulnerabilities": {}, "metadata": {}}, "expected an object with"),
    ],
)
def test_half_a_layout_is_refused(tmp_path: Path, data: dict[str, Any], words: str) -> None:
    with pytest.raises(ReportError, match=words):
        read_report(_write(tmp_path, data), "npm-audit-json")


def test_text_printed_before_the_report_is_refused_saying_so(tmp_path: Path) -> None:
    body = (FOLDER / "npm7-clean.json").read_text()
    path = _write(tmp_path, "npm warn config production Use `--omit=dev` instead.\n" + body)
    assert detect_format(path).format == "npm-audit-json"
    with pytest.raises(ReportError, match="does not start with JSON"):
        read_report(path)


def test_npm6_detected_when_its_advisories_are_past_the_head(tmp_path: Path) -> None:
    """npm 6 writes ``actions`` first: in a big project they fill the first 64 KiB."""
    resolves = [
        {"id": 534, "path": f"pkg{n}>debug", "dev": False, "optional": False, "bundled": False}
        for n in range(2000)
    ]
    data = json.loads((FOLDER / "npm6-two-advisories.json").read_text())
    data["actions"][0]["resolves"] = resolves
    path = _write(tmp_path, data)
    assert '"advisories"' not in head_text(path)
    assert detect_format(path).format == "npm-audit-json"
    assert len(read_report(path).findings) == 2


def test_no_other_reader_claims_an_npm_audit_and_npm_claims_no_other_fixture() -> None:
    for path in sorted(FIXTURES.glob("*/*")):
        if path.name == "expect.yml":
            continue
        head = head_text(path)
        claims = [reader.format for reader in READERS if reader.detect(head, path)]
        if path.parent.name == "npm-audit-json":
            assert claims == ["npm-audit-json"], path
        else:
            assert "npm-audit-json" not in claims, path


@pytest.mark.parametrize(
    "body",
    [
        '{"vulnerabilities": {}, "metadata": {"vulnerabilities": {"total": 0}}}',
        '{"error": "Authentication failed", "ok": false}',
        '{"error": {"summary": "x"}}',
        '{"advisories": {}, "muted": []}',
        '{"actions": [{"module": "x"}], "advisories": {}}',
    ],
)
def test_lookalikes_are_not_claimed(tmp_path: Path, body: str) -> None:
    path = _write(tmp_path, body)
    assert not READER.detect(head_text(path), path)


ODD_VALUES = [None, 0, "x", [], {}, [1], {"a": 1}, True]


@pytest.mark.parametrize("name", ["npm6-two-advisories.json", "npm7-repeats-and-odd-entries.json"])
def test_any_value_anywhere_gives_a_report_or_a_report_error(tmp_path: Path, name: str) -> None:
    """Every place of a report replaced by each odd value: never another exception, and every
    record of what is read still counted."""
    data = json.loads((FOLDER / name).read_text())
    path = tmp_path / name
    for trail in places(data):
        for value in ODD_VALUES:
            path.write_text(json.dumps(replaced(data, trail, value)))
            try:
                report = READER.read(path)
            except ReportError as error:
                assert error.path == path
                continue
            assert report.read_count == len(report.records) + len(report.skipped)

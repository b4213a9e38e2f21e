"""Every fixture read as its folder's ``expect.yml`` says; every corpus file as ``corpus.yml`` says.

A manifest (``tests/fixtures/reports/<format>/expect.yml``) has one entry per file in its folder:

* ``kept: {finding: 12}``, ``skipped: 3``, ``notes: 1``: the records kept, by kind, the records
  skipped and the notes (an omitted kind or count is 0). The file is detected as the folder's
  format and read so, unless ``declare: true``: a body no reader claims (a bare ``[]``), which
  detection refuses and which is read with the format named, as a phase must name it.
* ``refused: "words"``: read with the folder's format named, the file is refused with a
  ``ReportError`` naming it, and the words are in the reason.

Whatever the entry, no reader but the folder's claims the file (except the reports of another
format in ``ANOTHER_FORMAT``). The corpus is read the same way, each file's count checked
against the catalog's by its folder's rule (``COUNTS``).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests.readers.support import (
    CORPUS,
    CORPUS_FOLDERS,
    FIXTURES,
    catalog,
    corpus_folder,
    corpus_format,
    is_bare,
    manifest,
)

from phasebook.evidence import (
    FileCoverage,
    Finding,
    Measurement,
    Outcome,
    Report,
    ResourceChange,
    Rule,
    Severity,
    TestResult,
)
from phasebook.output.report import report_json
from phasebook.readers import (
    READERS,
    ReportError,
    detect_format,
    family_deps,
    family_operations,
    family_static,
    family_tests,
    read_report,
)
from phasebook.readers.base import head_text
from phasebook.readers.measurements import MeasurementsReader
from phasebook.readers.sarif import SarifReader

FAMILIES = (family_tests, family_static, family_deps, family_operations)
FAMILY = {reader.format: family.__name__ for family in FAMILIES for reader in family.READERS}
KINDS = {
    "finding": Finding,
    "test": TestResult,
    "coverage": FileCoverage,
    "measurement": Measurement,
    "change": ResourceChange,
    "rule": Rule,
}
ANOTHER_FORMAT = {
    "k6-summary-export/handle-summary-given-as-export.json": "k6-summary",
    "locust-failures-csv/measurements-not-failures.csv": "measurements",
    "locust-stats-csv/history-named-stats_stats.csv": "locust-history-csv",
    "pylint-json/json2-given.json": "pylint-json2",
    "ruff-json/json-lines-given.json": "ruff-json-lines",
    "ruff-json-lines/array-given.jsonl": "ruff-json",
}
"""Reports of one format given as another's: detection claims them for the format they are,
and the reader of the format named refuses them."""
FOLDERS = sorted(path for path in FIXTURES.iterdir() if path.is_dir())
ENTRIES = [
    pytest.param(folder / name, entry, id=f"{folder.name}/{name}")
    for folder in FOLDERS
    for name, entry in manifest(folder).items()
]


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _lines(path: Path) -> int:
    return sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip())


def _pip_audit(path: Path) -> int:
    data = _json(path)
    dependencies = data["dependencies"] if isinstance(data, dict) else data
    return sum(len(dependency.get("vulns", [])) for dependency in dependencies)


def _semgrep(path: Path) -> int:
    data = _json(path)
    return len(data["results"]) + len(data.get("paths", {}).get("skipped", []))


RECORDS_IN_FILE: dict[str, Callable[[Path], int]] = {
    "bandit-json": lambda path: len(_json(path)["results"]),
    "coverage-json": lambda path: len(_json(path)["files"]),
    "gitleaks-json": lambda path: len(_json(path) or []),
    "hadolint-json": lambda path: len(_json(path)),
    "junit-xml": lambda path: sum(1 for _ in ET.parse(path).iter("testcase")),
    "mypy-json": _lines,
    "pip-audit-json": _pip_audit,
    "pylint-json": lambda path: len(_json(path)),
    "pylint-json2": lambda path: len(_json(path)["messages"]),
    "ruff-json": lambda path: len(_json(path)),
    "ruff-json-lines": _lines,
    "sarif": lambda path: sum(len(run.get("results") or []) for run in _json(path)["runs"]),
    "semgrep-json": _semgrep,
}
"""The records in a file of these formats, counted without the reader: kept plus skipped."""


def _claims(path: Path) -> list[str]:
    head = head_text(path)
    return [reader.format for reader in READERS if reader.detect(head, path)]


def _refused_by_detection(path: Path, format: str) -> None:
    """Detection refuses a body no reader claims; a bare one, saying to declare ``format``."""
    with pytest.raises(ReportError) as caught:
        read_report(path)
    assert caught.value.path == path
    if is_bare(path):
        assert re.search(f"{re.escape(format)}.*declare `format: X`", caught.value.reason)


def _well_formed(report: Report) -> None:
    """Records of their kind's type, skips with a reason and the record, and findings with a
    unique fingerprint, a severity, title, rule and tool, and 1-based lines and columns."""
    assert all(isinstance(record, KINDS[record.kind]) for record in report.records)
    assert all(item.reason and item.record for item in report.skipped)
    prints = [finding.fingerprint for finding in report.findings]
    assert len(prints) == len(set(prints))
    for finding in report.findings:
        assert re.fullmatch(r"[0-9a-f]{20}", finding.fingerprint)
        assert finding.severity in Severity
        assert finding.title and finding.rule and finding.tool
        assert finding.line is None or finding.line > 0
        assert finding.column is None or finding.column > 0


# ------------------------------------------------------------------------------ fixtures


@pytest.mark.parametrize("folder", FOLDERS, ids=[folder.name for folder in FOLDERS])
def test_every_fixture_has_an_entry(folder: Path) -> None:
    files = {path.name for path in folder.iterdir() if path.is_file()} - {"expect.yml"}
    assert (folder / "expect.yml").is_file()
    assert sorted(files - set(manifest(folder))) == [], "fixtures without an entry"
    assert sorted(set(manifest(folder)) - files) == [], "entries without a fixture"


def test_every_format_has_fixtures() -> None:
    assert {folder.name for folder in FOLDERS} == {reader.format for reader in READERS}


def test_every_reader_is_registered_once_most_specific_first() -> None:
    formats = [reader.format for reader in READERS]
    assert len(formats) == len(set(formats))
    assert set(formats) == set(FAMILY)
    assert isinstance(family_static.READERS[0], SarifReader)  # before tools that write SARIF
    assert isinstance(family_operations.READERS[-1], MeasurementsReader)  # the plainest


@pytest.mark.parametrize(("path", "entry"), ENTRIES)
def test_fixture(path: Path, entry: dict[str, Any]) -> None:
    assert isinstance(entry, dict), "an entry is a mapping"
    format = path.parent.name
    claims = _claims(path)
    if f"{format}/{path.name}" in ANOTHER_FORMAT:
        assert claims == [ANOTHER_FORMAT[f"{format}/{path.name}"]]
    else:
        assert set(claims) <= {format}, claims
    if "refused" in entry:
        assert set(entry) == {"refused"}
        with pytest.raises(ReportError) as caught:
            read_report(path, format)
        assert caught.value.path == path
        assert str(path) in str(caught.value)
        assert entry["refused"] in caught.value.reason
        return
    assert set(entry) <= {"kept", "skipped", "notes", "declare"}
    if entry.get("declare"):
        assert claims == []
        _refused_by_detection(path, format)
        report = read_report(path, format)
    else:
        assert detect_format(path).format == format
        report = read_report(path)
    assert report.format == format
    published: Any = report_json(report)["records"]  # every record says its kind
    kinds = Counter(record["kind"] for record in published)
    assert (dict(kinds), len(report.skipped), len(report.notes)) == (
        entry.get("kept") or {},
        entry.get("skipped", 0),
        entry.get("notes", 0),
    )
    _well_formed(report)
    if format in RECORDS_IN_FILE:
        assert RECORDS_IN_FILE[format](path) == len(report.records) + len(report.skipped)


# ------------------------------------------------------------------------------ corpus


def _numbers(pattern: str, text: str) -> list[int]:
    match = re.search(pattern, text)
    assert match, (pattern, text)
    return [int(group) for group in match.groups()]


def _leading(count: str, report: Report) -> None:
    """``"6 results (HIGH:1, …)"``, ``"9 files, …"``: the records read."""
    assert report.read_count == _numbers(r"^\s*(\d+)", count)[0]


def _trivy(count: str, report: Report) -> None:
    """``"2 vulns, 1 misconfigs, 2 secrets in 4 results"``: the records read, all kinds."""
    kinds = re.findall(r"(\d+) (?:vulns|misconfigs|secrets|licenses)", count)
    assert kinds or count.strip() == "0", count
    assert report.read_count == sum(map(int, kinds))


def _checkov(count: str, report: Report) -> None:
    """``"8 failed / 195 passed checks"``: 8 findings, 195 skipped as passed."""
    failed, passed = _numbers(r"(\d+) failed / (\d+) passed", count)
    assert len(report.findings) == failed
    assert sum(item.reason == "check passed" for item in report.skipped) == passed


def _mypy_text(count: str, report: Report) -> None:
    """``"110 error lines, 22 note lines"``: 110 error findings, and every note line read (kept
    as an info finding or skipped as attached or context), so 132 read in all."""
    errors, notes = _numbers(r"(\d+) error lines, (\d+) note lines", count)
    assert sum(finding.tool_severity == "error" for finding in report.findings) == errors
    assert report.read_count == errors + notes


def _semgrep_counts(count: str, report: Report) -> None:
    """``"27 results, 3 errors"``: 27 results read, 3 notes."""
    results, errors = _numbers(r"(\d+) results, (\d+) errors", count)
    assert (report.read_count, len(report.notes)) == (results, errors)


def _terraform(count: str, report: Report) -> None:
    """``"4 resource_changes (delete/create:1, no-op:3)"``: one change per resource change."""
    (total,) = _numbers(r"(\d+) resource_changes", count)
    assert (report.read_count, len(report.changes)) == (total, total)
    actions = {action: int(n) for action, n in re.findall(r"([a-z/-]+):(\d+)", count)}
    assert actions == dict(Counter("/".join(change.actions) for change in report.changes))


def _locust(count: str, report: Report) -> None:
    """``"5 endpoint rows + 1 Aggregated"``, ``"120 rows"``, ``"2 failure rows"``: each stats or
    history row kept has one request_count measurement; failures and exceptions one each."""
    if "endpoint rows" in count:
        rows = sum(_numbers(r"(\d+) endpoint rows \+ (\d+) Aggregated", count))
    else:
        (rows,) = _numbers(r"(\d+) (?:failure |exception )?rows", count)
    if report.format in ("locust-stats-csv", "locust-history-csv"):
        kept = sum(1 for m in report.measurements if m.name == "request_count")
    else:
        kept = len(report.records)
    assert kept + len(report.skipped) == rows
    if "Aggregated" in count:
        whole = [m for m in report.measurements if m.name == "request_count" and not m.labels]
        assert len(whole) == 1


_K6_STAT = re.compile(r"\.(?:avg|min|med|max|p[\d.]+|count|rate|value|passes|fails)$")


def _k6(count: str, report: Report) -> None:
    """``"19 metrics, 3 checks, 1 thresholds crossed"``: measurements named after 19 metrics
    (or skipped), 3 checks, 1 failed threshold."""
    metrics, checks, crossed = _numbers(
        r"(\d+) metrics, (\d+) checks, (\d+) thresholds crossed", count
    )
    names = {(_K6_STAT.sub("", m.name), m.labels) for m in report.measurements}
    skipped = [item for item in report.skipped if item.record.startswith("metric ")]
    assert len(names) + len(skipped) == metrics
    assert sum(1 for test in report.tests if test.suite == "checks") == checks
    failed = [t for t in report.tests if t.suite == "thresholds" and t.outcome is Outcome.FAILED]
    assert len(failed) == crossed


def _prometheus(count: str, report: Report) -> None:
    """``"2 groups, 2 alerting + 3 recording rules"``: all rules kept, in their groups."""
    groups, alerting, recording = _numbers(
        r"(\d+) groups, (\d+) alerting \+ (\d+) recording rules", count
    )
    found = Counter(rule.rule_type for rule in report.rules)
    assert (found["alerting"], found["recording"]) == (alerting, recording)
    assert not report.skipped
    assert len({rule.group for rule in report.rules}) == groups


COUNTS: dict[str, Callable[[str, Report], None]] = {
    "leading": _leading,
    "trivy": _trivy,
    "checkov": _checkov,
    "mypy-text": _mypy_text,
    "semgrep": _semgrep_counts,
    "terraform": _terraform,
    "locust": _locust,
    "k6": _k6,
    "prometheus": _prometheus,
}
"""How the catalog's ``count`` of a file is checked, by the rule ``corpus.yml`` names."""

CORPUS_ENTRIES = catalog()
needs_corpus = pytest.mark.skipif(not CORPUS_ENTRIES, reason="../shared/reports is absent")


@needs_corpus
def test_corpus_folders_are_all_described() -> None:
    found = Counter("/".join(entry["path"].split("/")[:2]) for entry in CORPUS_ENTRIES)
    assert found == {name: folder["files"] for name, folder in CORPUS_FOLDERS.items()}


@needs_corpus
@pytest.mark.parametrize("entry", CORPUS_ENTRIES, ids=[e["path"] for e in CORPUS_ENTRIES])
def test_corpus_file(entry: dict[str, Any]) -> None:
    path = CORPUS / entry["path"]
    format, bare = corpus_format(entry), is_bare(path)
    assert _claims(path) == ([] if bare or not head_text(path).strip() else [format])
    try:
        if bare:
            _refused_by_detection(path, format)
        report = read_report(path, format if bare else None)
    except ReportError as error:
        assert entry["expect"] in ("refuse", "either"), str(error)
        assert error.path == path
        assert str(path) in str(error)
        return
    assert entry["expect"] in ("read", "either")
    assert report.format == format
    folder = corpus_folder(entry)
    if entry["path"] in folder.get("read_count", {}):
        assert report.read_count == folder["read_count"][entry["path"]]
    else:
        COUNTS[folder["count"]](str(entry["count"]), report)
    assert len({f.fingerprint for f in report.findings}) == len(report.findings)
    report_json(report)

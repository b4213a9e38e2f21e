"""Every reader declares its role and the kinds of record it yields; the rest derives from that.

The vulnerability metrics count the formats whose role is a security one, and "zero findings"
is evidence only from a format that yields findings: both derive from the registry, so a new
reader (semgrep's supply-chain API, npm audit) counts as soon as it declares what it is.
"""

from __future__ import annotations

import dataclasses
import typing
from fractions import Fraction
from pathlib import Path

import pytest

from phasebook.assess.metrics import MetricVerdict, evaluate_metric
from phasebook.collect import PhaseEvidence
from phasebook.evidence import Record, Report
from phasebook.metric_catalog import NOT_SCANNERS, SECURITY_FORMATS, SEED_METRICS
from phasebook.model import ReportRef
from phasebook.readers import READERS, Reader, ReportError, read_report, role_of
from phasebook.readers.registry import (
    finding_formats,
    formats_with_role,
    formats_yielding,
    known_formats,
    security_formats,
)
from phasebook.readers.roles import SECURITY_ROLES, RecordKind, Role
from phasebook.reference import report_formats

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "reports"
RECORD_KINDS = {
    field.default
    for record in typing.get_args(Record)
    for field in dataclasses.fields(record)
    if field.name == "kind"
}
"""The ``kind`` of every record type the evidence model has (finding, test, coverage…)."""
SEED = {metric.id: metric for metric in SEED_METRICS}


def declaration_problems(reader: object) -> list[str]:
    """What is wrong with a reader's declaration of its role and record kinds."""
    problems = []
    if not isinstance(getattr(reader, "role", None), Role):
        problems.append("no `role` (a phasebook.readers.roles.Role)")
    kinds = getattr(reader, "kinds", None)
    if not isinstance(kinds, frozenset) or not kinds:
        problems.append("no `kinds` (a non-empty frozenset of record kinds)")
    elif not kinds <= RECORD_KINDS:
        problems.append(f"unknown record kinds {sorted(kinds - RECORD_KINDS)}")
    return problems


def _evidence(*reports: Report) -> PhaseEvidence:
    return PhaseEvidence(reports=[(ReportRef(path=r.path.name), r) for r in reports])


@pytest.mark.parametrize("reader", READERS, ids=[r.format for r in READERS])
def test_every_reader_declares_its_role_and_kinds(reader: Reader) -> None:
    assert declaration_problems(reader) == []
    assert role_of(reader.format) is reader.role


def test_a_reader_without_a_declaration_is_caught() -> None:
    class Undeclared:
        format = "undeclared"

    class Odd:
        format = "odd"
        role = "linter"  # a plain string, not a Role
        kinds = frozenset({"finding", "vulnerability"})

    assert len(declaration_problems(Undeclared())) == 2
    assert declaration_problems(Odd()) == [
        "no `role` (a phasebook.readers.roles.Role)",
        "unknown record kinds ['vulnerability']",
    ]


def test_the_record_kinds_are_the_evidence_model_s() -> None:
    """``RecordKind`` (what readers declare) names every record type of the evidence model."""
    assert set(typing.get_args(RecordKind)) == RECORD_KINDS


@pytest.mark.parametrize("reader", READERS, ids=[r.format for r in READERS])
def test_fixtures_yield_only_the_declared_kinds(reader: Reader) -> None:
    """Every fixture of the format that reads (its format declared) yields declared kinds."""
    folder = FIXTURES / reader.format
    read = 0
    for path in sorted(folder.iterdir()):
        if not path.is_file() or path.name == "expect.yml":
            continue
        try:
            report = reader.read(path)
        except ReportError:
            continue
        read += 1
        assert {record.kind for record in report.records} <= reader.kinds, path.name
    assert read, f"no fixture of {reader.format} reads"


def test_security_formats_derive_from_roles() -> None:
    assert SECURITY_FORMATS == security_formats() == formats_with_role(*SECURITY_ROLES)
    for name in ("semgrep-app-json", "npm-audit-json", "semgrep-json", "sarif", "checkov-json"):
        assert name in SECURITY_FORMATS
    for name in ("ruff-json", "pylint-json2", "mypy-text", "hadolint-json", "junit-xml"):
        assert name not in SECURITY_FORMATS
    assert {role_of(name) for name in SECURITY_FORMATS} <= SECURITY_ROLES


def test_not_scanners_are_the_formats_without_findings() -> None:
    assert set(known_formats()) - set(finding_formats()) == NOT_SCANNERS
    assert set(finding_formats()) == set(formats_yielding("finding"))
    assert {"junit-xml", "cobertura-xml", "terraform-plan-json", "k6-summary"} <= NOT_SCANNERS
    assert not NOT_SCANNERS & set(SECURITY_FORMATS)


def test_roles_of_the_formats_that_are_easy_to_get_wrong() -> None:
    assert role_of("semgrep-json") is Role.CODE_SECURITY_SCANNER
    assert role_of("semgrep-app-json") is Role.DEPENDENCY_SCANNER  # supply-chain CVEs
    assert role_of("npm-audit-json") is Role.DEPENDENCY_SCANNER
    assert role_of("checkov-json") is Role.IAC_SCANNER
    assert role_of("sarif") is Role.CODE_SECURITY_SCANNER
    assert role_of("trivy-json") is Role.IMAGE_SCANNER
    assert role_of("hadolint-json") is Role.LINTER
    assert role_of("not-a-format") is None


def test_a_semgrep_supply_chain_page_counts_for_the_vulnerability_metrics() -> None:
    page = read_report(FIXTURES / "semgrep-app-json/page.json")
    highs = [f for f in page.findings if f.severity.value == "high"]
    assert highs and all(f.cve for f in highs)
    high = evaluate_metric(SEED["vulnerabilities-high"], _evidence(page))
    assert (high.verdict, high.value, high.evidence) == (
        MetricVerdict.PASS,
        Fraction(len(highs)),
        (page.path,),
    )
    critical = evaluate_metric(SEED["vulnerabilities-critical"], _evidence(page))
    # read, so zero: not "no data"
    assert (critical.verdict, critical.value) == (MetricVerdict.PASS, Fraction(0))


def test_an_npm_audit_counts_for_the_vulnerability_metrics() -> None:
    audit = read_report(FIXTURES / "npm-audit-json/npm7-lodash-minimist-mkdirp.json")
    critical = evaluate_metric(SEED["vulnerabilities-critical"], _evidence(audit))
    assert (critical.verdict, critical.value) == (MetricVerdict.FAIL, Fraction(1))


def test_a_linter_still_does_not_count() -> None:
    linter = read_report(FIXTURES / "ruff-json/many.json")
    result = evaluate_metric(SEED["vulnerabilities-high"], _evidence(linter))
    assert result.verdict is MetricVerdict.NO_DATA


def test_the_guide_lists_each_format_with_its_role() -> None:
    table = report_formats()
    for reader in READERS:
        assert f"| `{reader.format}` | {reader.role.value} |" in table

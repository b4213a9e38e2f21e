"""Honest tiles: vulnerabilities apart from lint, "audited nothing" is no data, accepted risks
apart from open ones; and the handoff packet pages.

The reports are real ones (the example's pylint and bandit runs on Phasebook's own code, the
pip-audit fixture whose every dependency was skipped) or hand-written where a tool's failure is
hard to provoke (a SARIF run that did not succeed).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.conftest import PROGRAMME, ROOT, write

from phasebook.assess.metrics import MetricVerdict, evaluate_metric
from phasebook.assess.summary import audited_nothing, summarise
from phasebook.collect import PhaseEvidence
from phasebook.evidence import Finding, Report, Severity, Skipped
from phasebook.metric_catalog import SEED_METRICS
from phasebook.model import ReportRef
from phasebook.pipeline import BuildSettings, build
from phasebook.readers import read_report
from phasebook.render.pages import (
    PRINT_URI,
    SECTIONS,
    GeneratedPage,
    Renderer,
    demote,
    heat_map,
    packet_uri,
)

EXAMPLE = ROOT / "data" / "reports" / "phase-1"
FIXTURES = ROOT / "tests" / "fixtures" / "reports"
PIP_AUDIT_ALL_SKIPPED = FIXTURES / "pip-audit-json" / "all-skipped.json"
BANDIT_CLEAN = FIXTURES / "bandit-json" / "no-results.json"
SEED = {metric.id: metric for metric in SEED_METRICS}
VULNERABILITY_METRICS = ("vulnerabilities-critical", "vulnerabilities-high")


def evidence(*reports: Report) -> PhaseEvidence:
    return PhaseEvidence(reports=[(ReportRef(path=r.path.name), r) for r in reports])


def severities(report: Report) -> Counter[Severity]:
    return Counter(finding.severity for finding in report.findings)


def _finding(severity: Severity) -> Finding:
    return Finding("tool", "R1", severity, severity.value, "t", f"fp-{severity.value}")


# --- vulnerabilities apart from lint and type findings --------------------------------------


def test_pylint_and_bandit_in_one_phase_count_apart() -> None:
    pylint = read_report(EXAMPLE / "pylint.json")
    bandit = read_report(EXAMPLE / "bandit.json")
    assert severities(pylint)[Severity.HIGH] > 0  # pylint's errors: high, but not vulnerabilities
    summary = summarise(evidence(pylint, bandit))
    assert summary.vulnerabilities == severities(bandit)
    assert summary.lint == severities(pylint)
    assert summary.vulnerability_count == len(bandit.findings)
    assert summary.lint_count == len(pylint.findings)
    assert summary.finding_count == len(bandit.findings) + len(pylint.findings)
    assert summary.vulnerabilities_known
    high = evaluate_metric(SEED["vulnerabilities-high"], evidence(pylint, bandit))
    assert high.value == severities(bandit)[Severity.HIGH]
    assert high.evidence == (bandit.path,)


def test_only_a_linter_is_no_vulnerability_data() -> None:
    pylint = read_report(EXAMPLE / "pylint.json")
    summary = summarise(evidence(pylint))
    assert not summary.vulnerabilities_known
    assert summary.vulnerability_count == 0 and summary.lint_count == len(pylint.findings)
    for metric in VULNERABILITY_METRICS:
        assert evaluate_metric(SEED[metric], evidence(pylint)).verdict is MetricVerdict.NO_DATA


# --- "audited nothing" ----------------------------------------------------------------------


def test_pip_audit_with_every_dependency_skipped_is_no_data() -> None:
    report = read_report(PIP_AUDIT_ALL_SKIPPED)
    assert not report.records and len(report.notes) == 2
    why = audited_nothing(report)
    assert why is not None and "jinja2 not audited" in why and "1 more note" in why
    for metric in VULNERABILITY_METRICS:
        result = evaluate_metric(SEED[metric], evidence(report))
        assert result.verdict is MetricVerdict.NO_DATA
        assert result.value is None
        assert result.reason.startswith("all-skipped.json audited nothing: ")
        assert "could not be audited" in result.reason
    summary = summarise(evidence(report))
    assert not summary.vulnerabilities_known
    assert [item.report for item, _ in summary.unaudited] == [report]


def test_a_scan_that_audited_something_is_counted_beside_one_that_did_not() -> None:
    skipped_all = read_report(PIP_AUDIT_ALL_SKIPPED)
    clean = read_report(BANDIT_CLEAN)
    assert audited_nothing(clean) is None  # bandit's own "no results": a clean scan
    result = evaluate_metric(SEED["vulnerabilities-critical"], evidence(skipped_all, clean))
    assert result.verdict is MetricVerdict.PASS
    assert result.evidence == (clean.path,)
    assert "not counted, as they audited nothing: all-skipped.json" in result.reason
    assert summarise(evidence(skipped_all, clean)).vulnerabilities_known


@pytest.mark.parametrize(
    ("report", "nothing"),
    [
        # Zero records, nothing skipped, nothing said: the tool's own clean result.
        (Report(Path("clean.sarif"), "sarif"), False),
        # A SARIF run with no results that says it did not succeed.
        (Report(Path("failed.sarif"), "sarif", notes=["semgrep says its run did not succeed"]), True),
        # Every record it saw was skipped.
        (Report(Path("t.json"), "trivy-json", skipped=[Skipped("no id", {})] * 3), True),
        # A finding kept: it checked something, whatever else it says.
        (
            Report(
                Path("a.json"),
                "pip-audit-json",
                records=[_finding(Severity.MEDIUM)],
                notes=["six not audited: not on PyPI"],
            ),
            False,
        ),
    ],
    ids=["clean", "failed-run", "all-skipped", "some-found"],
)
def test_audited_nothing_rule(report: Report, nothing: bool) -> None:
    assert (audited_nothing(report) is not None) is nothing
    verdict = evaluate_metric(SEED["vulnerabilities-critical"], evidence(report)).verdict
    assert (verdict is MetricVerdict.NO_DATA) is nothing


def test_skipped_records_say_why() -> None:
    report = Report(Path("t.json"), "trivy-json", skipped=[Skipped("no id", {})] * 2)
    why = audited_nothing(report)
    assert why == "every one of its 2 record(s) was skipped (no id)"


# --- the pages: tiles, heat map, packet -----------------------------------------------------

RISKS = """\
risks:
  - {id: R-OPEN, title: Still open, likelihood: 5, impact: 4}
  - {id: R-OK, title: Lived with, likelihood: 5, impact: 4, status: accepted}
  - {id: R-GONE, title: Done with, likelihood: 2, impact: 2, status: closed}
"""


@pytest.fixture
def rendered(tmp_path: Path) -> Callable[..., dict[str, GeneratedPage]]:
    """A one-phase programme with the given reports and risks, rendered."""

    def make(reports: dict[str, Path], extra: str = "") -> dict[str, GeneratedPage]:
        data = tmp_path / "data"
        write(data / "programme.yml", PROGRAMME)
        listed = "".join(f"  - {{path: reports/{name}, title: {name}}}\n" for name in reports)
        listed = f"reports:\n{listed}" if listed else ""
        phase = f"number: 1\ntitle: Phase 1\nstatus: active\n{listed}{extra}"
        (data / "phases").mkdir(parents=True)
        (data / "phases" / "phase-1.yml").write_text(phase, encoding="utf-8")
        for name, source in reports.items():
            (data / "reports").mkdir(exist_ok=True)
            shutil.copy(source, data / "reports" / name)
        built = build(BuildSettings(data, tmp_path, dt.date(2026, 1, 20)))
        # Each page with its tables back in its body, as the site shows it.
        return {
            page.uri: dataclasses.replace(page, body=page.finish(page.body), blocks=())
            for page in Renderer(built).pages()
        }

    return make


def tiles(page: GeneratedPage) -> dict[str, tuple[str, str]]:
    """Each tile of a page by label: (its modifier classes, its value)."""
    found = re.findall(
        r'<div class="pb-tile([^"]*)"><span class="pb-tile__label">([^<]*)</span>'
        r'<span class="pb-tile__value">([^<]*)</span>',
        page.body,
    )
    return {label: (classes.strip(), value) for classes, label, value in found}


def test_findings_tiles_keep_lint_apart(rendered: Callable[..., dict[str, GeneratedPage]]) -> None:
    pylint = read_report(EXAMPLE / "pylint.json")
    bandit = read_report(EXAMPLE / "bandit.json")
    pages = rendered({"pylint.json": EXAMPLE / "pylint.json", "bandit.json": EXAMPLE / "bandit.json"})
    shown = tiles(pages["phase-1/03-findings.md"])
    high = severities(bandit)[Severity.HIGH]
    assert shown["High vulnerabilities"] == ("pb-tile--alert" if high else "pb-tile--pass", str(high))
    assert shown["Critical vulnerabilities"] == ("pb-tile--pass", "0")
    # Lint and type findings: counted, never coloured as an alert.
    assert shown["Lint and type findings"] == ("", str(len(pylint.findings)))
    assert "High findings" not in shown and "Critical findings" not in shown


def test_findings_tiles_no_data_when_the_audit_audited_nothing(
    rendered: Callable[..., dict[str, GeneratedPage]],
) -> None:
    pages = rendered({"pip-audit.json": PIP_AUDIT_ALL_SKIPPED})
    page = pages["phase-1/03-findings.md"]
    shown = tiles(page)
    assert shown["Critical / high vulnerabilities"] == ("pb-tile--no-data", "no data")
    assert "the security scans audited nothing" in page.body
    assert "Critical vulnerabilities" not in shown
    dashboard = tiles(pages["phase-1/dashboard.md"])
    assert dashboard["Critical vulnerabilities"] == ("pb-tile--no-data", "no data")
    assert "no data, pip-audit.json audited nothing&#58; no record kept" in (
        pages["phase-1/dashboard.md"].body
    )


def test_accepted_risks_are_drawn_apart_and_not_open(
    rendered: Callable[..., dict[str, GeneratedPage]],
) -> None:
    pages = rendered({}, RISKS)
    body = pages["risks.md"].body
    assert '<a class="pb-heat__accepted" href="#r-ok"' in body
    assert '<a href="#r-open"' in body
    assert "R-GONE</a>" not in body.split("## Register")[0]  # closed: not in the heat map
    assert "accepted, not open" in body  # the legend


def test_heat_map_cells_and_open_rows(programme_dir: Callable[..., Path]) -> None:
    data = programme_dir({1: "number: 1\ntitle: Phase 1\nstatus: active\n" + RISKS})
    built = build(BuildSettings(data, data.parent, dt.date(2026, 1, 20)))
    cell = heat_map(built.programme)[0][3]  # likelihood 5, impact 4
    assert [r.id for r in cell.live] == ["R-OPEN"]
    assert [r.id for r in cell.accepted] == ["R-OK"]
    rows = Renderer(built).shared["open_risk_rows"]
    assert packet_uri(built.programme.phases[0]) == "phase-1/packet.md"
    assert [risk.id for _, risk in rows] == ["R-OPEN"]


def test_demote_moves_headings_but_not_fenced_code() -> None:
    text = "## A\n\n```mermaid\n# not a heading\n```\n\n### B\n#hashtag\n###### F"
    assert demote(text, 1) == (
        "### A\n\n```mermaid\n# not a heading\n```\n\n#### B\n#hashtag\n###### F"
    )


def test_handoff_packet_pages(rendered: Callable[..., dict[str, GeneratedPage]]) -> None:
    pages = rendered({"bandit.json": EXAMPLE / "bandit.json"}, RISKS)
    packet = pages["phase-1/packet.md"]
    assert not packet.in_nav and not pages[PRINT_URI].in_nav
    document = packet.document()
    assert len(re.findall(r"^# ", document, re.MULTILINE)) == 1  # one H1
    sections = re.findall(r"^## (\d\d) (.+) \{ \.pb-packet-section \}$", document, re.MULTILINE)
    assert [(number, title) for number, title in sections] == [
        (s.slug[:2], s.title) for s in SECTIONS
    ]
    assert "## Gate checklist and sign-off { .pb-packet-section }" in document
    assert 'type="checkbox" disabled' in document
    for slug in ("06-output-handoff", "07-validation"):
        assert "[Print the handoff packet](packet.md)" in pages[f"phase-1/{slug}.md"].body
    assert "Print the handoff packet" not in document  # the link is not printed
    whole = pages[PRINT_URI].document()
    assert len(re.findall(r"^# ", whole, re.MULTILINE)) == 1
    assert "## Phase 1 · Phase 1 { .pb-packet-phase }" in whole
    assert len(re.findall(r"^### \d\d .+ \{ \.pb-packet-section \}$", whole, re.MULTILINE)) == 8
    # Links on the programme's page are relative to it, at the top of the site.
    assert "](phase-1/00-brief.md)" in whole

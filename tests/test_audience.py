"""``audience: internal | public``: one repository, two sites.

Each programme is built twice with MkDocs, once for each audience. The public site must hold
no path, message, snippet, test name or report file name from any report, no artifact path and
no link or field the YAML marks internal, in any file it publishes (pages, search index,
snapshot JSON, sitemap, compressed or not), while verdicts, counts, trends, the schedule, risks
and decisions stay. The internal site holds those same strings: the search really looks.
"""

from __future__ import annotations

import gzip
import html
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import PHASE, PROGRAMME, ROOT, build, html_text, run_cli, write

from phasebook.evidence import FileCoverage, Finding, TestResult
from phasebook.output.snapshot import expand_findings
from phasebook.readers import ReportError, read_report

pytestmark = pytest.mark.slow

AS_OF = "2026-01-20"

# Every string below comes from a report, an artifact or a field or link marked internal.
FINDING_PATH = "src/secret_module_xyz.py"
FINDING_MESSAGE = "UNIQUE-RULE-MESSAGE-123"
SNIPPET = "SNIPPET_SECRET_CALL(shell=True)"
NOTE_PATH = "src/unscannable_qqq.py"
BANDIT_FILE = "bandit-zzz.json"
JUNIT_FILE = "junit-zzz.xml"
TEST_NAME = "test_secret_case_kkk"
TEST_CLASS = "tests.secret_suite_jjj"
TEST_MESSAGE = "FAILURE-MESSAGE-888"
COVERED_PATH = "src/covered_secret_vvv.py"
UNAUDITED_FILE = "pipaudit-zzz.json"
UNAUDITED_NOTE = "secretdep-zzz"
ARTIFACT_PATH = "docs/internal-artifact-qq.md"
INTERNAL_URL = "https://intranet.example.org/INTERNAL-LINK-777"
INTERNAL_ESCALATION = "SECRET-ESCALATION-555"
INTERNAL_CONTEXT = "CONTEXT-INTERNAL-444"
HISTORY_TITLE = "HISTORY-TITLE-321"
HISTORY_PATH = "src/old_fixed_www.py"

SHOWN_INTERNALLY = (
    FINDING_PATH, FINDING_MESSAGE, NOTE_PATH, BANDIT_FILE, JUNIT_FILE, TEST_NAME, TEST_MESSAGE,
    COVERED_PATH, UNAUDITED_FILE, UNAUDITED_NOTE, ARTIFACT_PATH, INTERNAL_URL,
    INTERNAL_ESCALATION, INTERNAL_CONTEXT, HISTORY_TITLE, HISTORY_PATH,
)
NEVER_READ = (SNIPPET,)
"""Readers never keep a code snippet (it only feeds the fingerprint): in no site at all."""

PUBLIC_LINK = "https://example.org/public-status"

BANDIT = {
    "generated_at": "2026-01-18T10:00:00Z",
    "errors": [{"filename": NOTE_PATH, "reason": "syntax error while parsing AST"}],
    "metrics": {"_totals": {}},
    "results": [
        {
            "code": f"12 {SNIPPET}\n",
            "filename": FINDING_PATH,
            "issue_confidence": "HIGH",
            "issue_severity": "HIGH",
            "issue_text": FINDING_MESSAGE,
            "line_number": 12,
            "test_id": "B602",
            "test_name": "subprocess_popen_with_shell_equals_true",
        },
        {
            "filename": "src/other.py",
            "issue_confidence": "HIGH",
            "issue_severity": "LOW",
            "issue_text": "Consider possible security implications.",
            "line_number": 1,
            "test_id": "B404",
            "test_name": "blacklist",
        },
    ],
}
PIP_AUDIT = {
    "dependencies": [
        {
            "name": UNAUDITED_NOTE,
            "skip_reason": f"Dependency not found on PyPI and could not be audited: "
            f"{UNAUDITED_NOTE} (9.9)",
        }
    ],
    "fixes": [],
}
JUNIT = f"""\
<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" tests="2" failures="1" time="0.2"
 timestamp="2026-01-18T10:00:00">
<testcase classname="{TEST_CLASS}" name="test_ok" time="0.1"/>
<testcase classname="{TEST_CLASS}" name="{TEST_NAME}" time="0.1">
<failure message="{TEST_MESSAGE}">assert False</failure></testcase>
</testsuite></testsuites>
"""
COVERAGE = {
    "meta": {"format": 3, "version": "7.6.1", "timestamp": "2026-01-18T10:00:00"},
    "files": {
        COVERED_PATH: {"summary": {"covered_lines": 9, "num_statements": 10}},
        "src/other.py": {"summary": {"covered_lines": 5, "num_statements": 10}},
    },
    "totals": {"covered_lines": 14, "num_statements": 20, "percent_covered": 70.0},
}
PROGRAMME_YML = PROGRAMME + f"""\
links:
  - {{title: Public status, url: "{PUBLIC_LINK}"}}
  - {{title: Intranet runbook, url: "{INTERNAL_URL}", internal: true}}
"""
PHASE_1 = PHASE.format(number=1).replace("planned", "active") + """\
handoff:
  date: 2026-01-16
"""
PHASE_2 = PHASE.format(number=2).replace("planned", "active") + f"""\
deliverables:
  - {{id: D2.1, title: Hardened build, status: done, artifact: {ARTIFACT_PATH}}}
decisions:
  - id: ADR-9
    title: Pin the base image
    status: accepted
    context: {INTERNAL_CONTEXT}
    rationale: Reproducible builds.
    internal: [context]
risks:
  - id: R-9
    title: Registry outage
    likelihood: 4
    impact: 4
    mitigation: A mirror in a second region.
    escalation: {INTERNAL_ESCALATION}
    internal: [escalation]
reports:
  - path: reports/{BANDIT_FILE}
  - path: reports/{UNAUDITED_FILE}
  - path: reports/{JUNIT_FILE}
  - path: reports/coverage-zzz.json
"""


def _history_snapshot(fingerprint: str) -> dict[str, object]:
    """An internal build's snapshot from before phase 1's handoff: one finding since fixed."""
    old = {
        "fingerprint": "0" * 20, "tool": "bandit", "rule": "B101", "severity": "high",
        "title": HISTORY_TITLE, "path": HISTORY_PATH,
    }
    still = {**old, "fingerprint": fingerprint, "title": "still open", "path": "src/x.py"}
    phase = {"findings": [old, still], "reports": [], "metrics": {}, "gates": {}, "missing": []}
    return {"phasebook_snapshot": 1, "as_of": "2026-01-15", "phases": {"2": phase}}


MKDOCS = """\
site_name: Audience test
theme:
  name: material
  font: false
plugins:
  - search
  - phasebook:
      as_of: {as_of}
      history_dir: {history}
      audience: {audience}
"""
BY_ENV = "!ENV [PHASEBOOK_AUDIENCE, internal]"
"""How CI picks the audience per deploy: the environment variable, internal without it."""


def _programme(project: Path) -> None:
    data = project / "data"
    write(data / "programme.yml", PROGRAMME_YML)
    write(data / "phases" / "phase-1.yml", PHASE_1)
    write(data / "phases" / "phase-2.yml", PHASE_2)
    write(data / "reports" / BANDIT_FILE, json.dumps(BANDIT))
    write(data / "reports" / UNAUDITED_FILE, json.dumps(PIP_AUDIT))
    write(data / "reports" / JUNIT_FILE, JUNIT)
    write(data / "reports" / "coverage-zzz.json", json.dumps(COVERAGE))
    write(project / ARTIFACT_PATH, "# The hardened build\n")
    bandit = read_report(data / "reports" / BANDIT_FILE)
    write(project / "history" / "before.json", json.dumps(_history_snapshot(
        bandit.findings[1].fingerprint
    )))
    write(project / "mkdocs.yml", MKDOCS.format(as_of=AS_OF, history="history", audience=BY_ENV))


def _build(project: Path, audience: str | None) -> Path:
    """The site built with ``PHASEBOOK_AUDIENCE`` set to ``audience`` (unset: the default)."""
    with pytest.MonkeyPatch.context() as patch:
        if audience is None:
            patch.delenv("PHASEBOOK_AUDIENCE", raising=False)
        else:
            patch.setenv("PHASEBOOK_AUDIENCE", audience)
        result = build(project)
    assert result.returncode == 0, result.stderr
    site = project / "site"
    kept = project / f"site-{audience or 'default'}"
    shutil.move(site, kept)
    return kept


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """The programme, and its internal and public sites (the audience set through ``!ENV``)."""
    project = tmp_path_factory.mktemp("audience")
    _programme(project)
    return project, _build(project, None), _build(project, "public")


def published(site: Path) -> Iterator[tuple[Path, str]]:
    """Every text file of a site as a reader (or a crawler) gets it: compressed files
    decompressed, JSON decoded, HTML entities (twice escaped, in the search index) decoded."""
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        raw = path.read_bytes()
        if path.suffix == ".gz":
            raw = gzip.decompress(raw)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            continue  # fonts and images: no report text can be in them
        if path.name.endswith((".json", ".json.gz")):
            text = json.dumps(json.loads(text), ensure_ascii=False)
        yield path, html.unescape(html.unescape(text))


def verdicts(page: Path) -> list[str]:
    """The verdict badges of a built page, in order (the gate matrix, the gates table)."""
    return re.findall(r'class="pb-verdict pb-verdict--([a-z-]+)"', page.read_text("utf-8"))


def where(site: Path, strings: tuple[str, ...] | set[str]) -> dict[str, list[str]]:
    """Each string, with the site files that hold it (strings found nowhere left out)."""
    files = list(published(site))
    found = {s: [p.relative_to(site).as_posix() for p, text in files if s in text] for s in strings}
    return {s: paths for s, paths in found.items() if paths}


# --- a programme with distinctive strings --------------------------------------------------


def test_the_internal_site_shows_every_detail(sites: tuple[Path, Path, Path]) -> None:
    """The positive control: the search finds each string where the internal site shows it."""
    _, internal, _ = sites
    found = where(internal, SHOWN_INTERNALLY)
    assert set(found) == set(SHOWN_INTERNALLY), set(SHOWN_INTERNALLY) - set(found)
    assert list((internal / "phase-2" / "findings").glob("*/index.html"))


def test_the_public_site_holds_no_report_text_anywhere(sites: tuple[Path, Path, Path]) -> None:
    """No file of the public site (HTML, search index, snapshot, sitemap, .gz) holds a path,
    message, test, note, report file name, artifact path or internal link or field."""
    _, internal, public = sites
    assert where(public, SHOWN_INTERNALLY + NEVER_READ) == {}
    assert where(internal, NEVER_READ) == {}
    assert (public / "search" / "search_index.json").is_file()
    assert (public / "sitemap.xml.gz").is_file()


def test_the_public_site_keeps_verdicts_counts_schedule_risks_and_decisions(
    sites: tuple[Path, Path, Path],
) -> None:
    """Everything but the details is there: the same gates and metrics as the internal site,
    the counts, the timeline, the risk register (internal fields marked) and decision log."""
    _, internal, public = sites
    for page in ("index.html", "timeline/index.html", "dashboard/index.html"):
        assert (public / page).is_file(), page
    findings = html_text(public / "phase-2/03-findings/index.html")
    assert "All findings 2" in findings
    assert "Tests passed 1 / 2" in findings
    assert "bandit 0 1 0 1 0 2" in findings  # by tool: critical, high, medium, low, info, total
    assert "Line coverage · coverage.py report 70.0 %" in findings
    assert not (public / "phase-2" / "findings").exists()  # no details pages at all
    validation = html_text(public / "phase-2/07-validation/index.html")
    assert "Testing fail 1 of 2 tests fail" in validation
    assert "Test coverage (lines) 70.0 % more than 80 % fail" in validation
    assert "details withheld from the public site" in validation  # it named the pip-audit file
    risks = html_text(public / "risks/index.html")
    assert "R-9 Registry outage" in risks
    assert "A mirror in a second region." in risks
    assert "Escalation internal" in risks
    decisions = html_text(public / "phase-2/05-decisions/index.html")
    assert "Context internal" in decisions
    assert "Rationale Reproducible builds." in decisions
    home = html_text(public / "index.html")
    assert "Public status" in home
    assert "Intranet runbook" not in home
    assert verdicts(public / "index.html") == verdicts(internal / "index.html") != []


def test_the_public_snapshot_keeps_fingerprints_and_severities(
    sites: tuple[Path, Path, Path],
) -> None:
    """The public snapshot still says which findings there are (by fingerprint) and how
    severe, so trends and new-versus-fixed work from public snapshots; and the phase's
    dashboard still counts what was fixed since the handoff, without listing it."""
    _, internal, public = sites
    mine = json.loads((internal / "phasebook-snapshot.json").read_text(encoding="utf-8"))
    theirs = json.loads((public / "phasebook-snapshot.json").read_text(encoding="utf-8"))

    def kept(document: dict[str, Any]) -> list[tuple[str, str, str]]:
        return sorted(
            (entry["fingerprint"], entry["tool"], entry["severity"])
            for entry in expand_findings(document["phases"]["2"]["findings"])
        )

    assert kept(theirs) == kept(mine) != []
    gates = theirs["phases"]["2"]["gates"]
    assert {key: gate["verdict"] for key, gate in gates.items()} == {
        key: gate["verdict"] for key, gate in mine["phases"]["2"]["gates"].items()
    }
    assert theirs["phases"]["2"]["metrics"] == mine["phases"]["2"]["metrics"]
    dashboard = html_text(public / "phase-2/dashboard/index.html")
    assert "New Fixed Still open Vulnerabilities 1 1 1" in dashboard
    assert "Fixed vulnerabilities (1)" in html_text(internal / "phase-2/dashboard/index.html")
    assert "Fixed vulnerabilities" not in dashboard


def test_the_command_builds_the_same_public_snapshot(sites: tuple[Path, Path, Path]) -> None:
    """``phasebook check --audience public --json`` prints what the public site publishes."""
    project, _, public = sites
    result = run_cli(
        "check", "--all", "--json", "--audience", "public", "--as-of", AS_OF,
        "--data", str(project / "data"), "--root", str(project),
    )
    assert result.returncode in (0, 1), result.stderr
    assert json.loads(result.stdout) == json.loads(
        (public / "phasebook-snapshot.json").read_text(encoding="utf-8")
    )
    assert not any(text in result.stdout for text in SHOWN_INTERNALLY)


def test_a_field_that_cannot_be_internal_is_an_error(tmp_path: Path) -> None:
    """``internal:`` names fields of its own item: a typo is a located error with the choices."""
    data = tmp_path / "data"
    write(data / "programme.yml", PROGRAMME)
    write(data / "phases" / "phase-1.yml", PHASE.format(number=1) + """\
risks:
  - {id: R-1, title: Outage, likelihood: 2, impact: 2, internal: [escalaton]}
""")
    result = run_cli("validate", "--data", str(data), "--root", str(tmp_path))
    assert result.returncode == 2
    assert "phase-1.yml:5:" in result.stderr
    assert "risks.0.internal.0" in result.stderr
    assert "escalation" in result.stderr and "(got 'escalaton')" in result.stderr


def test_an_unknown_audience_is_refused(tmp_path: Path) -> None:
    """The option takes internal or public only: MkDocs names the choices."""
    write(tmp_path / "data" / "programme.yml", PROGRAMME)
    write(tmp_path / "data" / "phases" / "phase-1.yml", PHASE.format(number=1))
    write(tmp_path / "mkdocs.yml", MKDOCS.format(as_of=AS_OF, history="data", audience="all"))
    result = build(tmp_path)
    assert result.returncode == 1
    assert "audience" in result.stderr and "'internal', 'public'" in result.stderr


# --- the bundled example -------------------------------------------------------------------


def _report_texts(data: Path) -> set[str]:
    """What the example's reports say that a public site may not: report file names, finding
    titles and paths, test names and messages, covered files' paths, the tools' notes."""
    texts: set[str] = set()
    for path in sorted((data / "reports").rglob("*")):
        if not path.is_file():
            continue
        try:
            report = read_report(path)
        except ReportError:
            continue  # a bare `[]`, read only with its format declared
        texts.add(path.name)
        texts.update(report.notes)
        for record in report.records:
            if isinstance(record, Finding):
                texts.update((record.title, record.path or ""))
            elif isinstance(record, TestResult):
                texts.update((record.name, record.message or ""))
            elif isinstance(record, FileCoverage):
                texts.add(record.path or "")
    # Short texts ("x.py", "ok") could be any word of the site; these are the telling ones.
    return {text for text in texts if len(text) >= 12 or text.endswith((".json", ".xml"))}


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The bundled example programme (its data and history, no guide pages), built for each
    audience."""
    project = tmp_path_factory.mktemp("example")
    shutil.copytree(ROOT / "data", project / "data")
    sites = {}
    for audience in ("internal", "public"):
        config = MKDOCS.format(as_of="2026-11-28", history="data/history", audience=audience)
        write(project / "mkdocs.yml", config)
        result = build(project)
        assert result.returncode == 0, result.stderr
        sites[audience] = project / f"site-{audience}"
        shutil.move(project / "site", sites[audience])
    sites["data"] = project / "data"
    return sites


def test_the_public_example_holds_nothing_its_reports_say(example: dict[str, Path]) -> None:
    """Of everything the example's reports say, the internal site shows plenty and the public
    site nothing, in any file; its findings pages count by severity and tool."""
    texts = _report_texts(example["data"])
    shown = where(example["internal"], texts)
    assert len(shown) > len(texts) // 2, "the internal site should show most report text"
    assert where(example["public"], texts) == {}
    findings = html_text(example["public"] / "phase-1/03-findings/index.html")
    assert "Findings by severity" in findings and "All findings" in findings
    assert not list(example["public"].glob("phase-*/findings"))

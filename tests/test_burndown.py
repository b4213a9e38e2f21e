"""Open findings over the builds (the burndown), and vulnerabilities kept apart from lint.

Unit tests on hand-made snapshot documents (old entries without ``role`` and new ones with it),
then one build of the bundled example, whose dashboards must draw the burndown of its history
snapshots with the numbers those snapshots hold.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import ROOT, build_subprocess, html_text

from phasebook.burndown import BurndownPoint, phase_burndown, programme_burndown
from phasebook.finding_kinds import Classifier, FindingClass
from phasebook.history import Snapshot, load_history
from phasebook.output.snapshot import expand_findings
from phasebook.readers.registry import role_of
from phasebook.readers.roles import SECURITY_ROLES, Role
from phasebook.render import charts

BANDIT = {"tool": "bandit", "format": "bandit-json"}
RUFF = {"tool": "ruff", "format": "ruff-json"}
PYLINT = {"tool": "pylint", "format": "pylint-json2"}
JUNIT = {"tool": "pytest", "format": "junit-xml"}


def finding(fingerprint: str, tool: str, role: str | None = None) -> dict[str, Any]:
    """A snapshot's finding entry; without ``role``, as snapshots wrote it before."""
    entry = {"fingerprint": fingerprint, "tool": tool, "rule": "R1", "severity": "high",
             "title": "t", "path": None}
    return entry if role is None else {**entry, "role": role}


def document(as_of: str, phases: dict[int, tuple[list[dict[str, str]], list[dict[str, Any]]]]
             ) -> dict[str, Any]:
    """A snapshot document: per phase, its reports and its findings."""
    return {
        "phasebook_snapshot": 1,
        "as_of": as_of,
        "phases": {str(n): {"reports": reports, "findings": found}
                   for n, (reports, found) in phases.items()},
    }


def snapshot(doc: dict[str, Any]) -> Snapshot:
    return Snapshot(Path(f"{doc['as_of']}.json"), dt.date.fromisoformat(doc["as_of"]), doc)


def counts(points: list[BurndownPoint]) -> list[tuple[int, int, int]]:
    return [(p.vulnerabilities, p.quality, p.unknown) for p in points]


# --- kinds ------------------------------------------------------------------------------------


def test_an_entry_role_decides_its_kind_before_its_tool() -> None:
    classify = Classifier.of(document("2026-01-01", {1: ([BANDIT, RUFF], [])}))
    assert classify(finding("a", "bandit")) is FindingClass.VULNERABILITY
    assert classify(finding("b", "ruff")) is FindingClass.QUALITY
    assert classify(finding("c", "bandit", role="linter")) is FindingClass.QUALITY
    assert classify(finding("d", "mystery")) is FindingClass.UNKNOWN
    assert classify(finding("e", "mystery", role="not-a-role")) is FindingClass.UNKNOWN


def test_an_old_entry_takes_its_tool_from_the_first_document_that_names_it() -> None:
    old = document("2026-01-01", {1: ([], [finding("a", "pylint")])})
    current = document("2026-02-01", {1: ([PYLINT, BANDIT], [])})
    assert Classifier.of(old)(finding("a", "pylint")) is FindingClass.UNKNOWN
    assert Classifier.of(old, current)(finding("a", "pylint")) is FindingClass.QUALITY
    assert Classifier.of(old, current)(finding("b", "bandit")) is FindingClass.VULNERABILITY


# --- a phase's burndown -------------------------------------------------------------------


def test_a_phase_counts_vulnerabilities_and_lint_apart_in_every_build() -> None:
    old = document("2026-01-10", {1: ([BANDIT, RUFF], [
        finding("b1", "bandit"), finding("b2", "bandit"),
        finding("r1", "ruff"), finding("r2", "ruff"), finding("r3", "ruff"),
    ])})
    current = document("2026-01-24", {1: ([BANDIT, RUFF], [
        finding("b1", "bandit", "code-security-scanner"), finding("r4", "ruff", "linter"),
    ])})
    points = phase_burndown([snapshot(old)], current, 1)
    assert counts(points) == [(2, 3, 0), (1, 1, 0)]
    assert [p.as_of for p in points] == [dt.date(2026, 1, 10), dt.date(2026, 1, 24)]
    assert [p.current for p in points] == [False, True]


def test_a_phase_has_no_point_before_a_tool_that_finds_things_ran() -> None:
    """Tests alone (or no report at all) are no data about findings, not zero findings."""
    before = document("2026-01-03", {1: ([], []), 2: ([JUNIT], [])})
    current = document("2026-01-24", {2: ([JUNIT, BANDIT], [finding("b", "bandit")])})
    assert phase_burndown([snapshot(before)], current, 2) == [
        BurndownPoint(dt.date(2026, 1, 24), 1, 0, 0, current=True)
    ]
    assert phase_burndown([snapshot(before)], current, 1) == []


def test_a_finding_reported_twice_counts_once() -> None:
    current = document("2026-01-24", {1: ([BANDIT, BANDIT], [
        finding("same", "bandit"), finding("same", "bandit"), finding("mystery", "who"),
    ])})
    assert counts(phase_burndown([], current, 1)) == [(1, 0, 1)]


# --- the programme's burndown --------------------------------------------------------------


def test_the_programme_counts_each_tool_in_the_latest_phase_that_ran_it() -> None:
    """Ruff run again (clean) in phase 2 replaces phase 1's ruff findings; pylint, run only
    in phase 1, still counts there; bandit counts phase 2's report, not both."""
    phase_1 = ([BANDIT, RUFF, PYLINT], [
        finding("b1", "bandit"), finding("r1", "ruff"), finding("r2", "ruff"),
        finding("p1", "pylint"), finding("p2", "pylint"),
    ])
    first = document("2026-01-10", {1: phase_1, 2: ([], [])})
    current = document("2026-01-24", {1: phase_1, 2: ([BANDIT, RUFF], [
        finding("b1", "bandit"), finding("b9", "bandit"),
    ])})
    points = programme_burndown([snapshot(first)], current)
    assert counts(points) == [(1, 4, 0), (2, 2, 0)]
    assert points[-1].current


def test_the_programme_has_no_point_before_any_scanner_ran() -> None:
    empty = document("2026-01-03", {1: ([JUNIT], [])})
    current = document("2026-01-24", {1: ([BANDIT], [finding("b", "bandit")])})
    assert counts(programme_burndown([snapshot(empty)], current)) == [(1, 0, 0)]


# --- the chart --------------------------------------------------------------------------------


def test_a_count_axis_starts_at_zero_and_ends_on_a_whole_number() -> None:
    text = charts.line_chart("Open", ["a", "b"], "open findings", [[16, 16], [1804, 264]],
                             counts=True)
    assert 'y-axis "open findings" 0 --> 1983' in text
    assert "line [16, 16]" in text and "line [1804, 264]" in text
    # Without `counts`, close values keep the axis near them (a trend, not a count).
    trend = charts.line_chart("Coverage", ["a", "b"], "percent", [[100, 120]])
    assert 'y-axis "percent" 98 --> 122' in trend
    flat = charts.line_chart("Open", ["a", "b"], "n", [[0, 0], [0, 0]], counts=True)
    assert 'y-axis "n" 0 --> 1' in flat


def test_a_chart_without_values_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one value"):
        charts.line_chart("Open", [], "n", [[], []])


# --- the example's dashboards ---------------------------------------------------------------

HISTORY = ROOT / "data" / "history"
LINT = frozenset({Role.LINTER, Role.TYPE_CHECKER})


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled example, built --strict as CI builds it."""
    site = tmp_path_factory.mktemp("example") / "site"
    result = build_subprocess(ROOT, "-d", str(site))
    assert result.returncode == 0, result.stderr
    return site


def mermaid_sources(page: Path) -> list[str]:
    text = page.read_text(encoding="utf-8")
    return [html.unescape(code) for code in
            re.findall(r'<pre class="mermaid"><code>(.*?)</code></pre>', text, re.S)]


def builds(site: Path) -> list[dict[str, Any]]:
    """The example's history snapshots, oldest first, then the build's own snapshot."""
    history = [snapshot.document for snapshot in load_history(HISTORY)]
    current = published(site / "phasebook-snapshot.json")
    return [*history, current]


def published(path: Path) -> dict[str, Any]:
    """A published snapshot with each phase's findings as entries (the file groups them)."""
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    for phase in document["phases"].values():
        phase["findings"] = expand_findings(phase["findings"])
    return document


def by_role(phase: dict[str, Any]) -> tuple[int, int]:
    """A phase's vulnerabilities and lint findings, by the role of the report of their tool."""
    roles = {report["tool"]: role_of(report["format"]) for report in phase["reports"]}
    found = phase["findings"]
    return (
        len({f["fingerprint"] for f in found if roles.get(f["tool"]) in SECURITY_ROLES}),
        len({f["fingerprint"] for f in found if roles.get(f["tool"]) in LINT}),
    )


def test_the_example_has_a_history_to_draw(example: Path) -> None:
    assert len(list(HISTORY.glob("*.json"))) >= 2


def test_a_phase_dashboard_draws_its_burndown_from_the_snapshots(example: Path) -> None:
    page = example / "phase-1" / "dashboard" / "index.html"
    ran = [doc for doc in builds(example) if any(
        role_of(report["format"]) in SECURITY_ROLES | LINT for report in doc["phases"]["1"]["reports"]
    )]
    assert len(ran) >= 2
    points = [by_role(doc["phases"]["1"]) for doc in ran]
    dates = [dt.date.fromisoformat(doc["as_of"]) for doc in ran]
    chart = next(c for c in mermaid_sources(page) if "Open findings of phase 1" in c)
    assert f"line [{', '.join(str(v) for v, _ in points)}]" in chart
    assert f"line [{', '.join(str(q) for _, q in points)}]" in chart
    labels = ", ".join(f'"{day:%d %b %Y}"' for day in dates)
    assert f"x-axis [{labels}]" in chart
    rows = " ".join(
        f"{day:%Y-%m-%d}{' (this build)' if doc is ran[-1] else ''} {v} {q}"
        for doc, day, (v, q) in zip(ran, dates, points, strict=True)
    )
    assert f"As of Vulnerabilities Lint and type findings {rows}" in html_text(page)


def test_the_programme_dashboard_draws_the_programme_burndown(example: Path) -> None:
    page = example / "dashboard" / "index.html"
    chart = next(c for c in mermaid_sources(page) if "Open findings of the programme" in c)
    lines = [[int(n) for n in match.split(", ")]
             for match in re.findall(r"line \[([^\]]*)\]", chart)]
    assert len(lines) == 2 and len(lines[0]) == len(builds(example))
    # Where phase 1 alone has findings, the programme's point is phase 1's.
    first = builds(example)[0]
    if all(not phase["reports"] for key, phase in first["phases"].items() if key != "1"):
        assert (lines[0][0], lines[1][0]) == by_role(first["phases"]["1"])
    assert "Open findings over time" in html_text(page)


def test_a_phase_no_scanner_ran_in_says_so_instead_of_a_chart(example: Path) -> None:
    docs = builds(example)
    idle = [key for key in docs[-1]["phases"] if not any(
        role_of(report["format"]) in SECURITY_ROLES | LINT
        for doc in docs for report in doc["phases"].get(key, {}).get("reports", [])
    )]
    assert idle, "every phase of the example has a scanner's report"
    page = example / f"phase-{idle[0]}" / "dashboard" / "index.html"
    assert not any(f"Open findings of phase {idle[0]}" in c for c in mermaid_sources(page))
    assert (f"No burndown yet: no build has a report of a tool that finds issues (a scanner, "
            f"a linter) for phase {idle[0]}.") in html_text(page)


def test_the_published_snapshot_names_each_finding_role(example: Path) -> None:
    current = builds(example)[-1]
    found = [entry for phase in current["phases"].values() for entry in phase["findings"]]
    assert found
    assert {entry["role"] for entry in found} <= {role.value for role in SECURITY_ROLES | LINT}


def test_the_findings_page_lists_vulnerabilities_apart_from_lint(example: Path) -> None:
    current = builds(example)[-1]["phases"]["1"]
    roles = {report["tool"]: role_of(report["format"]) for report in current["reports"]}
    severe = [f for f in current["findings"] if f["severity"] in ("critical", "high")]
    text = html_text(example / "phase-1" / "03-findings" / "index.html")
    assert "Critical and high findings" not in text
    vulnerable = [f for f in severe if roles[f["tool"]] in SECURITY_ROLES]
    lint = [f for f in severe if roles[f["tool"]] in LINT]
    assert ("Critical and high vulnerabilities" in text) == bool(vulnerable)
    assert ("Most severe quality findings" in text) == bool(lint)
    if vulnerable and lint:
        part = text.split("Critical and high vulnerabilities", 1)[1]
        vulnerabilities, quality = part.split("Most severe quality findings", 1)
        assert all(f["rule"] in vulnerabilities for f in vulnerable)
        assert not any(f" {f['tool']} {f['rule']} " in vulnerabilities for f in lint)
        assert all(f" {f['tool']} {f['rule']} " in quality for f in lint)

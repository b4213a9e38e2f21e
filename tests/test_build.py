"""Real ``mkdocs build --strict`` runs of small programmes and of the bundled example."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.conftest import PHASE, ROOT, build, build_subprocess, html_text, write

pytestmark = pytest.mark.slow

SECTIONS = (
    "00-brief", "01-input-handoff", "02-execution-plan", "03-findings",
    "04-artifacts", "05-decisions", "06-output-handoff", "07-validation",
)
HANDOFF = """\
handoff:
  summary:
    overview: Phase one went well, see `notes`.
  next_steps: ["Do the {{ 7 * 7 }} thing"]
"""


def test_sections_handoff_gantt_and_edit_links(programme_dir: Callable[..., Path]) -> None:
    phase1 = PHASE.format(number=1) + HANDOFF + (
        "plan:\n  - {title: 'Audit: step #1', start: 2026-01-05, end: 2026-01-09}\n"
    )
    data = programme_dir({1: phase1, 2: PHASE.format(number=2)})
    result = build(data.parent)
    assert result.returncode == 0, result.stderr
    site = data.parent / "site"
    for number in (1, 2):
        for slug in SECTIONS:
            assert (site / f"phase-{number}" / slug / "index.html").is_file()
    output = html_text(site / "phase-1/06-output-handoff/index.html")
    incoming = html_text(site / "phase-2/01-input-handoff/index.html")
    assert "Phase one went well, see notes" in output
    assert "Phase one went well, see notes" in incoming
    assert "Do the {{ 7 * 7 }} thing" in incoming  # shown literally, never evaluated
    assert "Not written yet" in html_text(site / "phase-2/00-brief/index.html")
    timeline = (site / "timeline/index.html").read_text()
    gantt = re.search(r'<pre class="mermaid"><code>(.*?)</code></pre>', timeline, re.S)
    assert gantt is not None
    assert ":crit, p1, 2026-01-05, 14d" in gantt.group(1)
    assert ":crit, p2, 2026-01-19, 14d" in gantt.group(1)
    assert "As of 2026-01-20 :vert, asof, 2026-01-20, 0d" in gantt.group(1)
    plan = (site / "phase-1/02-execution-plan/index.html").read_text()
    assert "Audit꞉ step ＃1 :t1, 2026-01-05, 5d" in plan
    brief = (site / "phase-1/00-brief/index.html").read_text()
    assert "https://github.com/example/repo/edit/main/data/phases/phase-1.yml" in brief
    snapshot = json.loads((site / "phasebook-snapshot.json").read_text())
    assert snapshot["phasebook_snapshot"] == 1
    assert snapshot["phases"]["1"]["gates"]["review"]["verdict"] == "no data"


def test_nav_in_programme_order_with_ten_phases(programme_dir: Callable[..., Path]) -> None:
    data = programme_dir({n: PHASE.format(number=n) for n in range(1, 11)})
    write(data.parent / "docs/guide/index.md", "# Guide\n")
    result = build(data.parent)
    assert result.returncode == 0, result.stderr
    home = (data.parent / "site/index.html").read_text()
    order = [int(n) for n in re.findall(r'href="phase-(\d+)/00-brief/"', home)]
    assert order[:10] == list(range(1, 11))
    assert home.index("Guide") > home.index("Communication Plan")


def test_writer_page_keeps_text_and_macros(programme_dir: Callable[..., Path]) -> None:
    data = programme_dir({1: PHASE.format(number=1) + "brief: 'Brief says {{ 7 * 7 }}'\n"
                          "plan:\n  - {title: 'Plan {{ 6 * 7 }}', start: 2026-01-05, end: 2026-01-06}\n"})
    write(data.parent / "docs/phase-1/02-execution-plan.md", "# Our plan\n\nWriter says {{ 1 + 1 }}.\n")
    write(data.parent / "docs/index.md", "# Welcome\n")
    result = build(data.parent, extra_plugins="  - macros")
    assert result.returncode == 0, result.stderr
    page = html_text(data.parent / "site/phase-1/02-execution-plan/index.html")
    assert "Writer says 2." in page
    assert "Plan {{ 6 * 7 }}" in page and "42" not in page
    home = html_text(data.parent / "site/index.html")
    assert home.startswith("Welcome")
    assert "Phases done" in home  # the data follows the writer's text
    brief = html_text(data.parent / "site/phase-1/00-brief/index.html")
    assert "Brief says {{ 7 * 7 }}" in brief


def test_done_phase_with_empty_handoff_fails_strict(programme_dir: Callable[..., Path]) -> None:
    data = programme_dir({1: "number: 1\ntitle: Done\nstatus: done\n"})
    result = build(data.parent)
    assert result.returncode != 0
    assert f"{data / 'phases' / 'phase-1.yml'}:1:1: phase 1 is done but its handoff" in result.stderr
    assert "Review gate is no data" in result.stderr
    assert "Traceback" not in result.stderr


def test_invalid_data_fails_with_location(programme_dir: Callable[..., Path]) -> None:
    data = programme_dir({1: "number: 1\ntitle: A\nstatus: finished\n"})
    build(data.parent)  # writes mkdocs.yml
    result = build_subprocess(data.parent)
    assert result.returncode != 0
    assert f"{data / 'phases' / 'phase-1.yml'}:3:9:" in result.stderr
    assert "Traceback" not in result.stderr


def test_unreadable_report_fails_and_missing_report_is_marked(
    programme_dir: Callable[..., Path],
) -> None:
    phase = PHASE.format(number=1) + (
        "reports:\n  - path: reports/bandit.json\n  - path: reports/absent.xml\n    title: Coverage\n"
    )
    data = programme_dir({1: phase})
    write(data / "reports/bandit.json", '{"results": [')
    result = build(data.parent)
    assert result.returncode != 0
    assert f"{data / 'reports' / 'bandit.json'}:" in result.stderr
    bandit = ROOT.parent / "shared/reports/bandit/json/bandit-1.9.4-vulpy.json"
    if not bandit.is_file():
        pytest.skip("../shared/reports is not present")
    shutil.copy(bandit, data / "reports/bandit.json")
    result = build(data.parent)
    assert result.returncode == 0, result.stderr
    findings = html_text(data.parent / "site/phase-1/03-findings/index.html")
    assert "Coverage — — — — — missing" in findings
    assert "pie showData title Findings by severity" in (
        data.parent / "site/phase-1/03-findings/index.html"
    ).read_text()
    details = list((data.parent / "site/phase-1/findings").glob("*/index.html"))
    assert len(details) == 1
    assert "B201" in details[0].read_text() or "B105" in details[0].read_text()


def test_example_builds_strict(tmp_path: Path) -> None:
    """Deselected by scripts/example-reports: the example cannot certify its own reports."""
    result = build_subprocess(ROOT, "-d", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr
    home = html_text(tmp_path / "site/index.html")
    assert "Current phase 3 · Containerization & Packaging" in home
    assert "Container build time" in home  # the active phase's failing metric


"""The bundled example's evidence: paths that read the same on any machine, and a baseline
phase whose failing gate is waived in the open rather than left unmeasured.

ruff's JSON and coverage's Cobertura XML carry the absolute folder of whoever ran the tools;
``scripts/relative_paths.py`` (called by ``scripts/example-reports``) takes it out. These tests
run the real tools on files of their own, then read the committed reports and build the
example in-process.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import ROOT, write

from phasebook.assess.gates import GateVerdict
from phasebook.assess.metrics import MetricVerdict
from phasebook.evidence import FileCoverage
from phasebook.pipeline import BuildSettings, build
from phasebook.readers import read_report
from phasebook.render import render_pages

RELATIVE_PATHS = ROOT / "scripts" / "relative_paths.py"
REPORTS = ROOT / "data" / "reports"
AS_OF = dt.date(2026, 12, 4)  # the date the example's own tests build it as of


def relative_paths(root: Path, *reports: Path) -> str:
    """Run the script as ``scripts/example-reports`` does; returns what it printed."""
    done = subprocess.run(
        [sys.executable, str(RELATIVE_PATHS), str(root), *map(str, reports)],
        capture_output=True, text=True, check=True,
    )
    return done.stdout


def test_a_real_ruff_report_names_files_from_the_project_root(tmp_path: Path) -> None:
    """ruff writes absolute file names; after the script they are relative, nothing else in
    the report changed, the reader gives the relative path, and a second run leaves it be."""
    write(tmp_path / "pkg" / "mod.py", "import os\nimport sys\n")
    report = tmp_path / "ruff.json"
    subprocess.run(
        [sys.executable, "-m", "ruff", "check", "pkg", "--isolated", "--select", "F401",
         "--output-format", "json", "--output-file", str(report), "--exit-zero"],
        cwd=tmp_path, capture_output=True, check=True,
    )
    before = json.loads(report.read_text(encoding="utf-8"))
    assert len(before) == 2 and all(Path(item["filename"]).is_absolute() for item in before)

    assert "ruff.json" in relative_paths(tmp_path, report)

    after = json.loads(report.read_text(encoding="utf-8"))
    assert [item["filename"] for item in after] == ["pkg/mod.py", "pkg/mod.py"]
    assert [{**item, "filename": ""} for item in after] == [
        {**item, "filename": ""} for item in before
    ]
    assert {finding.path for finding in read_report(report).findings} == {"pkg/mod.py"}
    rewritten = report.read_bytes()
    assert relative_paths(tmp_path, report) == ""
    assert report.read_bytes() == rewritten


def test_a_real_cobertura_report_names_its_source_as_the_root(tmp_path: Path) -> None:
    """coverage.py writes the absolute folder as ``<source>``; after the script it is ``.``,
    and the files the reader sees are unchanged."""
    write(tmp_path / "pkg" / "__init__.py", "")
    write(tmp_path / "pkg" / "calc.py", "def double(x):\n    return 2 * x\n\n\ndouble(2)\n")
    report = tmp_path / "coverage.xml"
    for command in (["run", "-m", "pkg.calc"], ["xml", "-o", str(report)]):
        subprocess.run([sys.executable, "-m", "coverage", *command], cwd=tmp_path,
                       capture_output=True, check=True)
    assert f"<source>{tmp_path.resolve()}</source>" in report.read_text(encoding="utf-8")
    files_before = {r.path for r in read_report(report).records if isinstance(r, FileCoverage)}

    relative_paths(tmp_path, report)

    text = report.read_text(encoding="utf-8")
    assert "<source>.</source>" in text and str(tmp_path) not in text
    files_after = {r.path for r in read_report(report).records if isinstance(r, FileCoverage)}
    assert files_after == files_before == {"pkg/__init__.py", "pkg/calc.py"}


def test_the_script_refuses_what_it_cannot_rewrite(tmp_path: Path) -> None:
    other = write(tmp_path / "mypy.txt", "Success: no issues found in 1 source file\n")
    done = subprocess.run(
        [sys.executable, str(RELATIVE_PATHS), str(tmp_path), str(other)],
        capture_output=True, text=True, check=False,
    )
    assert done.returncode != 0
    assert "neither ruff JSON nor Cobertura XML" in done.stderr


@pytest.mark.parametrize("report", sorted(REPORTS.glob("*/ruff.json")), ids=lambda p: p.parent.name)
def test_the_example_ruff_reports_name_files_from_the_project_root(report: Path) -> None:
    for item in json.loads(report.read_text(encoding="utf-8")):
        assert not Path(item["filename"]).is_absolute(), item["filename"]
        assert item["filename"].startswith("plugins/phasebook/"), item["filename"]


@pytest.mark.parametrize("report", sorted(REPORTS.glob("*/coverage.xml")), ids=lambda p: p.parent.name)
def test_the_example_cobertura_reports_name_no_machine_folder(report: Path) -> None:
    text = report.read_text(encoding="utf-8")
    sources = text[text.index("<sources>") : text.index("</sources>")]
    assert sources.count("<source>") == 1 and "<source>.</source>" in sources


@pytest.mark.slow
def test_the_baseline_phase_is_waived_not_left_unmeasured() -> None:
    """Phase 1 records the starting point: its coverage is judged against the programme's
    threshold and fails, and its Quality gate says so under a recorded waiver instead of
    passing; the waiver is in force, so the phase is still ready, and its Validation page
    shows it."""
    built = build(BuildSettings(ROOT / "data", ROOT, AS_OF))
    baseline = built.programme.phases[0]
    judged = built.assessment.of(baseline)
    coverage = next(m for m in judged.metrics if m.definition.id == "coverage")
    assert coverage.verdict is MetricVerdict.FAIL
    quality = judged.gate("quality")
    assert quality.verdict is GateVerdict.WAIVED
    assert quality.reason.startswith(f"waived by {baseline.waivers[0].who}")
    assert any(coverage.definition.title in detail for detail in quality.details)
    assert judged.ready
    assert [m.definition.title for m in judged.failing_metrics] == [coverage.definition.title]
    validation = next(p for p in render_pages(built) if p.uri == "phase-1/07-validation.md")
    page = validation.finish(validation.body)
    assert "## Waivers" in page and "waived" in page
    # The dashboard's tile counts only what fails now; the waived one is said apart, in amber.
    assert judged.metrics_waived
    pages = {p.uri: p for p in render_pages(built)}
    dashboard = pages["dashboard.md"].finish(pages["dashboard.md"].body)
    failing_now = sum(
        len(item.failing_metrics)
        for item in built.assessment.phases.values()
        if not item.metrics_waived
    )
    assert (
        f'<div class="pb-tile pb-tile--fail"><span class="pb-tile__label">Failing metrics</span>'
        f'<span class="pb-tile__value">{failing_now}</span>'
        '<span class="pb-tile__note">and 1 under a waived gate</span></div>'
    ) in dashboard

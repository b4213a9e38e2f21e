"""``mkdocs serve`` rebuilds: a writer's page edit keeps the build, a YAML edit re-reads no
report, a report edit re-reads that report only.

MkDocs keeps a plugin with ``on_startup`` across config reloads in one process, as serve does
between rebuilds; these builds run in-process the same way.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from tests.conftest import MKDOCS_YML, PHASE, PROGRAMME, write

from phasebook.plugin import PhasebookPlugin

pytestmark = pytest.mark.slow

FINDING = {
    "test_id": "B602", "test_name": "shell", "issue_severity": "HIGH",
    "issue_confidence": "HIGH", "issue_text": "FIRST-FINDING", "filename": "a.py",
    "line_number": 3,
}
BANDIT = {
    "generated_at": "2026-01-10T10:00:00Z", "errors": [], "metrics": {"_totals": {"loc": 10}},
    "results": [FINDING],
}


def _rebuild(project: Path) -> PhasebookPlugin:
    config = load_config(config_file=str(project / "mkdocs.yml"))
    plugin = config.plugins["phasebook"]
    assert isinstance(plugin, PhasebookPlugin)
    plugin.on_startup(command="serve", dirty=False)
    mkdocs_build(config)
    return plugin


def _touch(path: Path, text: str) -> None:
    """Rewrite a file with a later modification time, as an editor's save does."""
    before = path.stat().st_mtime_ns
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before + 10**9, before + 10**9))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write(tmp_path / "data/programme.yml", PROGRAMME)
    phase = PHASE.format(number=1) + "reports:\n  - path: reports/bandit.json\n"
    write(tmp_path / "data/phases/phase-1.yml", phase)
    write(tmp_path / "data/reports/bandit.json", json.dumps(BANDIT))
    write(tmp_path / "docs/notes.md", "# Notes\n\nFirst.\n")
    write(tmp_path / "mkdocs.yml", MKDOCS_YML.format(extra_plugins=""))
    return tmp_path


def test_a_page_edit_keeps_the_build_and_its_pages(project: Path) -> None:
    plugin = _rebuild(project)
    first, pages, reads = plugin.build, plugin.rendered, plugin.cache.misses
    _touch(project / "docs/notes.md", "# Notes\n\nSecond.\n")
    assert _rebuild(project) is plugin
    assert plugin.build is first and plugin.rendered is pages
    assert plugin.cache.misses == reads
    assert "Second." in (project / "site/notes/index.html").read_text(encoding="utf-8")


def test_a_yaml_edit_rebuilds_without_reading_reports_again(project: Path) -> None:
    plugin = _rebuild(project)
    first, reads = plugin.build, plugin.cache.misses
    phase = project / "data/phases/phase-1.yml"
    _touch(phase, phase.read_text(encoding="utf-8").replace("Phase 1", "Renamed phase"))
    _rebuild(project)
    assert plugin.build is not first
    assert plugin.cache.misses == reads
    home = (project / "site/index.html").read_text(encoding="utf-8")
    assert "Renamed phase" in home


def test_a_report_edit_reads_that_report_again(project: Path) -> None:
    plugin = _rebuild(project)
    reads = plugin.cache.misses
    finding = {**FINDING, "issue_text": "REBUILT-FINDING"}
    _touch(project / "data/reports/bandit.json", json.dumps({**BANDIT, "results": [finding]}))
    _rebuild(project)
    assert plugin.cache.misses == reads + 1
    page = (project / "site/phase-1/03-findings/index.html").read_text(encoding="utf-8")
    assert "REBUILT-FINDING" in page

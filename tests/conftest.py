"""Shared fixtures: small programmes written into ``tmp_path``, and real MkDocs builds."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_REPORTS = ROOT.parent / "shared" / "reports"

PROGRAMME = """\
name: Test programme
project: demo
owner: Ann Owner
reviewers: [Rae Viewer]
version: "1.0"
last_updated: 2026-01-02
start_date: 2026-01-05
"""

PHASE = """\
number: {number}
title: Phase {number}
status: planned
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def programme_dir(tmp_path: Path) -> Callable[..., Path]:
    """Write a programme: ``programme_dir(phases={1: yaml, 2: yaml}, programme=yaml)``."""

    def make(phases: dict[int, str] | None = None, programme: str = PROGRAMME) -> Path:
        data = tmp_path / "data"
        write(data / "programme.yml", programme)
        for number, text in (phases or {1: PHASE.format(number=1)}).items():
            write(data / "phases" / f"phase-{number}.yml", text)
        return data

    return make


MKDOCS_YML = """\
site_name: Test site
repo_url: https://github.com/example/repo
edit_uri: edit/main/docs/
theme:
  name: material
  font: false
plugins:
  - search
  - phasebook:
      as_of: 2026-01-20
{extra_plugins}
"""


def build(project: Path, extra_plugins: str = "", strict: bool = True) -> subprocess.CompletedProcess[str]:
    """``mkdocs build`` of ``project`` in a subprocess, as CI runs it."""
    (project / "docs").mkdir(exist_ok=True)
    config = project / "mkdocs.yml"
    if not config.exists():
        config.write_text(MKDOCS_YML.format(extra_plugins=extra_plugins), encoding="utf-8")
    command = [sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-q"]
    if strict:
        command.append("--strict")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(command, capture_output=True, text=True, env=env, check=False)


def html_text(path: Path) -> str:
    """A built page's text without tags, entities decoded, whitespace folded."""
    import html
    import re

    raw = path.read_text(encoding="utf-8")
    body = raw[raw.find("<article") : raw.find("</article>")]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())

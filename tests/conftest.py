"""Shared fixtures: small programmes written into ``tmp_path``, and real MkDocs builds."""

from __future__ import annotations

import html
import logging
import os
import re
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, PluginError

ROOT = Path(__file__).resolve().parent.parent
# Builds publish Mermaid and tablesort from the user's asset cache when it has them: tests see
# an empty cache of their own, whatever this machine has fetched (tests that need one fill it).
os.environ["PHASEBOOK_CACHE"] = tempfile.mkdtemp(prefix="phasebook-test-cache-")
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
    """Write ``text`` (dedented) to ``path``, creating folders; returns the path."""
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
  features: [content.action.edit]
plugins:
  - search
  - phasebook:
      as_of: 2026-01-20
{extra_plugins}
"""


@dataclass
class BuildResult:
    """What a build returned and logged, shaped like a finished process."""

    returncode: int
    stderr: str


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.levelname} - {record.getMessage()}")


def build(project: Path, extra_plugins: str = "", strict: bool = True) -> BuildResult:
    """``mkdocs build --strict`` of ``project``, in-process (so coverage sees the plugin)."""
    (project / "docs").mkdir(exist_ok=True)
    config_file = project / "mkdocs.yml"
    if not config_file.exists():
        config_file.write_text(MKDOCS_YML.format(extra_plugins=extra_plugins), encoding="utf-8")
    handler = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        config = load_config(config_file=str(config_file), strict=strict)
        # As `mkdocs build` does: MkDocs keeps a plugin with on_startup across loads in one
        # process, so each build says which command it is (an earlier test may have served).
        config.plugins.on_startup(command="build", dirty=False)
        mkdocs_build(config)
        code = 0
    except (Abort, PluginError) as error:
        handler.lines.append(f"ERROR - {error}")
        code = 1
    finally:
        logger.removeHandler(handler)
    return BuildResult(code, "\n".join(handler.lines))


def build_subprocess(project: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """``mkdocs build --strict`` exactly as CI types it (for exit codes and tracebacks)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PHASEBOOK_AS_OF": "2026-11-28"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(project / "mkdocs.yml"),
         *extra],
        capture_output=True, text=True, env=env, check=False,
    )


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """``phasebook ARGS`` in a fresh interpreter, as a user runs it (exit code, stdout, stderr)."""
    return subprocess.run(
        [sys.executable, "-m", "phasebook.cli", *args],
        capture_output=True, text=True, check=False, cwd=ROOT,
    )


def html_text(path: Path) -> str:
    """A built page's text without tags, entities decoded, whitespace folded."""
    raw = path.read_text(encoding="utf-8")
    body = raw[raw.find("<article") : raw.find("</article>")]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())

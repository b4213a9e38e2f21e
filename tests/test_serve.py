"""``mkdocs serve`` never stalls on data it cannot use.

A real ``mkdocs serve`` process on a free port of 127.0.0.1: with broken data it keeps serving
and shows every problem (``file:line:col: message``, escaped) on the pages, logs each as an
error, and serves the normal site again once the data is fixed. ``mkdocs build`` still stops.
"""

from __future__ import annotations

import html
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from tests.conftest import MKDOCS_YML, PHASE, PROGRAMME, build, build_subprocess, write

pytestmark = pytest.mark.slow

START_SECONDS = 90
"""Until the first build is served (a fresh interpreter, MkDocs, Material, the plugin)."""
CHANGE_SECONDS = 60
"""Until an edit of the data shows on the served page (the watcher, then a rebuild)."""
REQUEST_SECONDS = 10
"""One request: a server stalled on a failed rebuild never answers, so this must end it."""
STOP_SECONDS = 20

GOOD = PHASE.format(number=1)
BAD_STATUS = GOOD.replace("status: planned", 'status: "<b>done</b>"')
"""An invalid value holding markup: the page must show it as text."""
BAD_STATUS_PROBLEM = (
    "phase-1.yml:3:9: status: Input should be 'planned', 'active', 'done' or 'blocked' "
    "(got '<b>done</b>')"
)
WITH_REPORT = GOOD + "reports:\n  - path: reports/bandit.json\n"
WRITER_PAGE = "# Our guide\n\nWritten by hand.\n"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Server:
    """A running ``mkdocs serve`` and what it has printed so far."""

    process: subprocess.Popen[bytes]
    url: str
    log: Path

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def get(self, path: str) -> tuple[int, str]:
        """Status and body of one request (a 404 is an answer too: MkDocs' error page)."""
        try:
            with urllib.request.urlopen(self.url + path, timeout=REQUEST_SECONDS) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8")

    def wait_for(
        self, path: str, seen: Callable[[int, str], bool], what: str, seconds: float
    ) -> str:
        """The body at ``path`` once ``seen`` holds for it; fails with the server's output."""
        deadline = time.monotonic() + seconds
        last = "no answer yet"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(
                    f"mkdocs serve exited ({self.process.returncode}) before {what}:\n"
                    f"{self.output()}"
                )
            try:
                status, body = self.get(path)
            except (urllib.error.URLError, OSError) as error:  # not up yet, or a timeout
                last = repr(error)
            else:
                if seen(status, body):
                    return body
                last = f"HTTP {status}"
            time.sleep(0.5)
        pytest.fail(f"no {what} at {path} within {seconds} s ({last}):\n{self.output()}")


@contextmanager
def serving(project: Path) -> Iterator[Server]:
    """``mkdocs serve`` of ``project``, stopped (Ctrl-C, then killed) whatever the test did."""
    port = free_port()
    log = project.parent / f"{project.name}-serve.log"
    env = {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "PHASEBOOK_CACHE": str(project.parent / "empty-asset-cache"),
    }
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-f", str(project / "mkdocs.yml"),
             "-a", f"127.0.0.1:{port}"],
            stdout=sink, stderr=subprocess.STDOUT, env=env, cwd=project,
        )
    try:
        yield Server(process, f"http://127.0.0.1:{port}", log)
    finally:
        process.send_signal(signal.SIGINT)  # MkDocs then removes its temporary site folder
        try:
            process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=STOP_SECONDS)


def article(body: str) -> str:
    """A served page's article text: tags dropped, entities decoded, whitespace folded."""
    inside = body[body.find("<article") : body.find("</article>")]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", inside)).split())


def showing_problems(status: int, body: str) -> bool:
    return status == 200 and "pb-problems" in body


def normal(status: int, body: str) -> bool:
    return status == 200 and "pb-problems" not in body


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A one-phase programme with a writer's page: ``mkdocs.yml``, ``data/``, ``docs/``."""
    root = tmp_path / "project"
    write(root / "data" / "programme.yml", PROGRAMME)
    write(root / "data" / "phases" / "phase-1.yml", GOOD)
    write(root / "docs" / "guide.md", WRITER_PAGE)
    write(root / "mkdocs.yml", MKDOCS_YML.format(extra_plugins=""))
    return root


def test_broken_from_the_start_serves_the_problems_until_fixed(project: Path) -> None:
    """Unusable data at start-up: served anyway, the problems on every page, logged as
    errors; fixing the file (the data folder is watched all the same) brings the site back."""
    phase = project / "data" / "phases" / "phase-1.yml"
    write(phase, BAD_STATUS)
    with serving(project) as server:
        home = server.wait_for("/", showing_problems, "home page listing the problems",
                               START_SECONDS)
        assert f"{phase.resolve().parent}{os.sep}{BAD_STATUS_PROBLEM}" in article(home)
        assert "<b>done</b>" not in home  # the value's markup is text on the page

        status, listed = server.get("/phasebook-problems/")
        assert status == 200
        assert BAD_STATUS_PROBLEM in article(listed)

        status, guide = server.get("/guide/")
        text = article(guide)
        assert status == 200
        assert text.index("Our guide") < text.index(BAD_STATUS_PROBLEM) < text.index(
            "Written by hand."
        )

        # No good build yet, so no stand-in: MkDocs' 404 page, which lists them too.
        status, missing = server.get("/phase-1/00-brief/")
        assert status == 404
        assert BAD_STATUS_PROBLEM in html.unescape(re.sub(r"<[^>]+>", " ", missing))

        logged = [line for line in server.output().splitlines() if BAD_STATUS_PROBLEM in line]
        assert len(logged) == 1
        assert re.match(r"ERROR\s+-\s+phasebook: ", logged[0])

        write(phase, GOOD)
        home = server.wait_for("/", normal, "the programme's home page", CHANGE_SECONDS)
        assert "Test programme" in article(home)
        assert server.get("/phase-1/00-brief/")[0] == 200
        assert server.get("/phasebook-problems/")[0] == 404
        assert "Written by hand." in article(server.get("/guide/")[1])


def test_data_that_breaks_while_serving_shows_on_the_open_page(project: Path) -> None:
    """A report that becomes unreadable: the page a writer has open reloads into the problem
    (a stand-in with the page's title), not a stalled server; removing it restores the page."""
    write(project / "data" / "phases" / "phase-1.yml", WITH_REPORT)
    report = project / "data" / "reports" / "bandit.json"
    with serving(project) as server:
        brief = server.wait_for("/phase-1/00-brief/", normal, "phase 1's brief", START_SECONDS)
        assert "Phase 1 · Brief" in article(brief)

        write(report, '{"results": [')
        brief = server.wait_for("/phase-1/00-brief/", showing_problems,
                                "the problem on phase 1's brief", CHANGE_SECONDS)
        text = article(brief)
        assert f"{report.resolve()}: " in text
        assert "Phase 1 · Brief" in text
        assert "This page comes back once the programme data loads again." in text
        status, home = server.get("/")
        assert status == 200
        assert f"{report.resolve()}: " in article(home)

        report.unlink()
        brief = server.wait_for("/phase-1/00-brief/", normal, "phase 1's brief again",
                                CHANGE_SECONDS)
        assert "Phase 1 · Brief" in article(brief)


def test_build_still_stops_on_the_same_data(project: Path) -> None:
    """Only `mkdocs serve` shows the problems: `mkdocs build`, strict or not, stops on them."""
    write(project / "data" / "phases" / "phase-1.yml", BAD_STATUS)
    plain = build(project, strict=False)
    assert plain.returncode == 1
    assert "phasebook: the programme data is invalid" in plain.stderr
    assert BAD_STATUS_PROBLEM in plain.stderr
    strict = build_subprocess(project)
    assert strict.returncode == 1
    assert BAD_STATUS_PROBLEM in strict.stderr
    assert "Traceback" not in strict.stderr
    assert not (project / "site").exists()

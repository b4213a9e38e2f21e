"""``mkdocs serve`` rebuilds: a one-page edit with Phasebook against the same pages without it,
and how many reports a YAML edit makes Phasebook read again.

Two servers run side by side, each a ``mkdocs serve`` process on a free port: the project
(Phasebook) and its exported same-pages site (plain MkDocs, see ``sites``). Edits alternate
between them: a writer's page (``--page``, the same file on both sides) gets a line
appended, then, on the Phasebook side, a phase's YAML gets its title changed. A rebuild's time
is MkDocs' own ("Documentation built in N seconds": ``on_config`` to ``on_post_build``,
Phasebook's pipeline included); the wall time from the edit to that line, which adds the file
watcher's delay, is shown beside it. ``serve_probe_hook`` logs the plugin's report-cache
counters after every build: the reports read between two builds are the ones the edit cost.
The edited files get their text back when the servers have stopped.

Goals (the performance issue): a one-page edit rebuilds in ≤ 1.05× plain; a YAML edit reads
no report again.

    python -m bench.serve_time PROJECT [--runs 3] [--page guide/index.md] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import queue
import re
import socket
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bench.generate_large import Manifest
from bench.runner import (
    BenchError,
    Goal,
    Sample,
    Section,
    child_env,
    mkdocs,
    ratio,
    run_and_report,
)
from bench.sites import BENCH, export_same_pages, inherited_config

PROBE_HOOK = BENCH / "serve_probe_hook.py"
PROBE_CONFIG = "mkdocs.bench-serve.yml"
BUILT = re.compile(r"Documentation built in ([0-9.]+) seconds")
BUILDING = re.compile(r"Building documentation")
PROBE = re.compile(r"bench-probe: reports read=(\d+|unknown)")
SERVING = re.compile(r"Serving on ")
PHASEBOOK, PLAIN, YAML_EDIT = "phasebook: page edit", "same pages: page edit", \
    "phasebook: YAML edit"
YAML_FILE = "data/phases/phase-3.yml"
NUDGE = 60.0
"""Seconds after an edit without a rebuild before the edit is written again. The file watcher
can miss an event (one full run waited out its half-hour timeout for a rebuild that never
came); the timing that counts is MkDocs' own "built in", which a second write does not
change, and the count of such writes is reported."""
SETTLE = 1.0
"""Seconds to let a server go quiet after a rebuild before the next edit."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Rebuild:
    """One rebuild as the server logged it."""

    wall: float
    built: float
    reports_read: int | None


@dataclass
class Server:
    """A ``mkdocs serve`` child whose log lines are read, with their arrival time, by a thread."""

    name: str
    config: Path
    process: subprocess.Popen[str] = field(init=False)
    lines: queue.Queue[tuple[float, str]] = field(init=False, default_factory=queue.Queue)
    reports_read: int | None = None
    building: bool = False
    """Whether the server has started a build since the last edit."""
    nudges: int = 0
    """Edits written again because no rebuild followed them (see :data:`NUDGE`)."""
    recent: deque[str] = field(init=False, default_factory=lambda: deque(maxlen=15))
    """The last lines of its log, for the error when it fails."""

    def start(self, timeout: float) -> None:
        argv = mkdocs("serve", "-f", str(self.config), "-a", f"127.0.0.1:{free_port()}")
        self.process = subprocess.Popen(
            argv, env=child_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            cwd=self.config.parent,
        )
        threading.Thread(target=self._read, daemon=True).start()
        self._until(SERVING, timeout)

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put((time.perf_counter(), line.rstrip("\n")))

    def _until(self, pattern: re.Pattern[str], timeout: float) -> tuple[float, re.Match[str]]:
        """Wait for a log line matching ``pattern``; an error when none comes in time."""
        found = self._wait_for(pattern, timeout)
        if found is None:
            state = "exited" if self.process.poll() is not None else "timed out"
            log = "\n".join(self.recent)
            raise BenchError(f"{self.name}: mkdocs serve {state} waiting for "
                             f"{pattern.pattern!r}:\n{log}")
        return found

    def _wait_for(
        self, pattern: re.Pattern[str], timeout: float
    ) -> tuple[float, re.Match[str]] | None:
        """A log line matching ``pattern`` and when it came, noting the report counter on the
        way; ``None`` when none comes in ``timeout`` seconds or the server exits."""
        deadline = time.perf_counter() + timeout
        while True:
            left = deadline - time.perf_counter()
            if left <= 0 or self.process.poll() is not None:
                return None
            try:
                when, line = self.lines.get(timeout=min(left, 1.0))
            except queue.Empty:
                continue
            self.recent.append(line)
            self.building = self.building or BUILDING.search(line) is not None
            probe = PROBE.search(line)
            if probe:
                self.reports_read = None if probe[1] == "unknown" else int(probe[1])
            found = pattern.search(line)
            if found:
                return when, found

    def rebuild_after(self, edit: Path, text: str, timeout: float) -> Rebuild:
        """Write ``text`` to ``edit`` and wait for the rebuild it causes."""
        while not self.lines.empty():
            self._drain_one()
        before = self.reports_read
        start = time.perf_counter()
        edit.write_text(text, encoding="utf-8")
        self.building = False
        while (found := self._wait_for(BUILT, min(NUDGE, timeout))) is None:
            if time.perf_counter() - start >= timeout or self.process.poll() is not None:
                self._until(BUILT, 0)  # raises, with the server's last lines
            if self.building:  # a long build, not a missed edit: wait on
                continue
            self.nudges += 1
            text += "\n"  # a change the watcher cannot take for the last one
            edit.write_text(text, encoding="utf-8")
        when, built = found
        self._quiet(timeout)
        read = None if before is None or self.reports_read is None else \
            self.reports_read - before
        return Rebuild(when - start, float(built[1]), read)

    def _quiet(self, timeout: float) -> None:
        """Wait until the log has been silent for ``SETTLE`` seconds (a second rebuild the
        same edit set off included), so the next edit meets an idle server."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            try:
                _, line = self.lines.get(timeout=SETTLE)
            except queue.Empty:
                return
            probe = PROBE.search(line)
            if probe:
                self.reports_read = None if probe[1] == "unknown" else int(probe[1])

    def _drain_one(self) -> None:
        _, line = self.lines.get_nowait()
        probe = PROBE.search(line)
        if probe:
            self.reports_read = None if probe[1] == "unknown" else int(probe[1])

    def peak_rss(self) -> int:
        """The server's peak resident set so far (``VmHWM``), in bytes; 0 where unknown."""
        status = Path(f"/proc/{self.process.pid}/status")
        with contextlib.suppress(OSError):
            for line in status.read_text(encoding="utf-8").splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
        return 0

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@contextlib.contextmanager
def restored(*paths: Path) -> Iterator[None]:
    """Give ``paths`` their text back afterwards, whatever happened."""
    saved = {path: path.read_text(encoding="utf-8") for path in paths}
    try:
        yield
    finally:
        for path, text in saved.items():
            path.write_text(text, encoding="utf-8")


def _retitled(text: str, mark: str) -> str:
    """The phase YAML with `` mark`` added to its top-level title."""
    changed, count = re.subn(r"^(title: .+)$", rf"\1 {mark}", text, count=1, flags=re.MULTILINE)
    if not count:
        raise BenchError(f"{YAML_FILE} has no top-level `title:` line to edit")
    return changed


def run(project: Path, workdir: Path, runs: int = 3, page: str = "guide/index.md",
        timeout: float = 1800.0) -> Section:
    manifest = Manifest.read(project)
    same_pages = export_same_pages(project, workdir / "same-pages").parent
    edits = {PHASEBOOK: project / "docs" / page, PLAIN: same_pages / "docs" / page}
    yaml_file = project / YAML_FILE
    for path in (*edits.values(), yaml_file):
        if not path.is_file():
            raise BenchError(f"{path}: no such file to edit (choose another --page)")
    servers = {
        PHASEBOOK: Server(PHASEBOOK, inherited_config(project, PROBE_CONFIG, [PROBE_HOOK])),
        PLAIN: Server(PLAIN, inherited_config(same_pages, PROBE_CONFIG, [PROBE_HOOK])),
    }
    section = Section(f"Serve: rebuilds of {manifest.findings} findings, {manifest.phases} "
                      "phases")
    section.samples = {PHASEBOOK: [], PLAIN: [], YAML_EDIT: []}
    reads: list[int | None] = []
    with restored(*edits.values(), yaml_file):
        try:
            for name, server in servers.items():
                print(f"serve: starting {name} (first build)", file=sys.stderr)
                server.start(timeout)
            originals = {name: path.read_text(encoding="utf-8") for name, path in edits.items()}
            yaml_text = yaml_file.read_text(encoding="utf-8")
            for number in range(1, runs + 1):
                for name, server in servers.items():
                    text = f"{originals[name]}\n\nBench edit {number}.\n"
                    rebuild = server.rebuild_after(edits[name], text, timeout)
                    section.samples[name].append(_sample(name, rebuild, server))
                    print(f"  {name:<24} run {number} {rebuild.built:6.2f} s", file=sys.stderr)
                server = servers[PHASEBOOK]
                rebuild = server.rebuild_after(yaml_file, _retitled(yaml_text, f"·{number}"),
                                               timeout)
                section.samples[YAML_EDIT].append(_sample(YAML_EDIT, rebuild, server))
                reads.append(rebuild.reports_read)
                print(f"  {YAML_EDIT:<24} run {number} {rebuild.built:6.2f} s, "
                      f"{rebuild.reports_read} reports read", file=sys.stderr)
        finally:
            for server in servers.values():
                server.stop()
            for server in servers.values():
                server.config.unlink(missing_ok=True)
    known = [count for count in reads if count is not None]
    section.figures = {
        "timing": "work = MkDocs' 'built in' seconds; wall adds the file watcher's delay",
        "reports read per YAML edit": reads if known else "unknown (TODO: no cache counters)",
        "edits written again (no rebuild within a minute)": sum(
            server.nudges for server in servers.values()
        ),
    }
    section.goals = [
        Goal("page edit: phasebook / plain (median built)",
             ratio(section.work(PHASEBOOK).median, section.work(PLAIN).median), 1.05),
        Goal("YAML edit: reports read again (max)",
             float(max(known)) if len(known) == len(reads) else None, 0.0, "reports"),
    ]
    return section


def _sample(name: str, rebuild: Rebuild, server: Server) -> Sample:
    return Sample(name, rebuild.wall, server.peak_rss(), 0.0,
                  {"seconds": rebuild.built, "reports_read": rebuild.reports_read})


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("project", type=Path, help="a project from bench.generate_large")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--page", default="guide/index.md", help="the page to edit, in docs/")
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds per build")
    parser.add_argument("--workdir", type=Path, help="keep the exported plain site here")
    parser.add_argument("--json", type=Path, help="also write the results as JSON")
    args = parser.parse_args(argv)
    project = args.project.resolve()
    run_and_report(
        args.workdir,
        lambda workdir: run(project, workdir, args.runs, args.page, args.timeout),
        args.json,
    )


if __name__ == "__main__":
    main()

"""Run the sides of a comparison as whole processes, alternating, and judge the ratios.

Each run is a fresh child process (``python -m mkdocs build …``, a reader child …), so nothing
one side leaves in memory (imported modules, caches, a warmed-up allocator) helps the other.
The sides alternate (A, B, A, B …) rather than running all of A first: drift on a shared
machine (another job starting, the CPU clocking down) then hits both sides alike.

What cannot be dropped is the OS page cache (that needs root and would slow every other
process on the machine). Alternation keeps it equally warm for both sides: every side reads
its files again on every run, after the other side has run once, and the first round can be
thrown away with ``warmup``.

Wall time is taken around the child, from spawn to exit; its CPU time comes from ``os.wait4``,
which returns that one child's resource usage (``getrusage(RUSAGE_CHILDREN)`` would add up
every child so far). Its peak RSS cannot come from there on Linux: a forked child inherits its
parent's peak as its own ``ru_maxrss``. A Python child (``python -m …`` or ``-c``) therefore
runs under ``bench.measured``, which writes the peak of its own memory map (``VmHWM``) when it
exits; any other command falls back on ``wait4``. A child may also measure a part of its own
work (reading reports, say, without the interpreter's start-up) and say so on stdout with
:func:`report`; those seconds are kept as ``work``.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
REPORT_PREFIX = "BENCH "
"""A child's own measurements: one stdout line of this prefix and a JSON object."""
AS_OF = "2026-11-28"
"""Every build is "as of" this date, so every run renders the same pages."""


class BenchError(Exception):
    """A child failed, or a benchmark could not be set up: said in one line, no traceback."""


def child_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment every child gets: quiet MkDocs, a fixed date, ``bench`` importable."""
    env = dict(os.environ)
    env["NO_MKDOCS_2_WARNING"] = "1"
    env["PHASEBOOK_AS_OF"] = AS_OF
    paths = [str(ROOT), *filter(None, env.get("PYTHONPATH", "").split(os.pathsep))]
    env["PYTHONPATH"] = os.pathsep.join(paths)
    env.update(extra or {})
    return env


def mkdocs(*args: str) -> list[str]:
    """``mkdocs ARGS`` with this interpreter (the venv's MkDocs, whatever PATH says)."""
    return [sys.executable, "-m", "mkdocs", *args]


@dataclass(frozen=True)
class Side:
    """One side of a comparison: a command run as a whole process."""

    name: str
    argv: Sequence[str]
    cwd: Path | None = None
    env: Mapping[str, str] | None = None


@dataclass(frozen=True)
class Sample:
    """One run of one side."""

    side: str
    wall: float
    """Seconds from spawn to exit."""
    max_rss: int
    """The child's peak resident set, in bytes."""
    cpu: float
    """User plus system CPU seconds of the child."""
    reported: dict[str, Any] = field(default_factory=dict)
    """What the child said about its own work (see :func:`report`)."""

    @property
    def work(self) -> float:
        """The child's own timing of its work when it gave one, else the wall time."""
        value = self.reported.get("seconds")
        return float(value) if isinstance(value, int | float) else self.wall


def report(**values: Any) -> None:
    """Called by a child: hand measurements (``seconds=…`` above all) to the runner."""
    print(REPORT_PREFIX + json.dumps(values), flush=True)


def _reported(stdout: str) -> dict[str, Any]:
    lines = [line for line in stdout.splitlines() if line.startswith(REPORT_PREFIX)]
    if not lines:
        return {}
    value = json.loads(lines[-1][len(REPORT_PREFIX) :])
    return value if isinstance(value, dict) else {}


def _measured(argv: Sequence[str], peak_file: Path) -> list[str]:
    """``argv`` run under ``bench.measured`` when it is this Python running a module or code."""
    if len(argv) >= 3 and argv[0] == sys.executable and argv[1] in ("-m", "-c"):
        target = list(argv[2:]) if argv[1] == "-m" else ["-c", *argv[2:]]
        return [sys.executable, "-m", "bench.measured", str(peak_file), *target]
    return list(argv)


def run_once(side: Side) -> Sample:
    """Run ``side`` to its end; a failure is a :class:`BenchError` with its stderr's tail."""
    env = child_env(side.env)
    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryFile() as out, \
            tempfile.TemporaryFile() as err:
        peak_file = Path(tmp) / "peak-rss"
        argv = _measured(side.argv, peak_file)
        start = time.perf_counter()
        process = subprocess.Popen(argv, cwd=side.cwd, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
        measured = peak_file.read_text(encoding="utf-8") if peak_file.is_file() else ""
    if process.returncode != 0:
        tail = "\n".join(stderr.strip().splitlines()[-15:])
        raise BenchError(
            f"{side.name}: `{' '.join(map(str, side.argv))}` exited {process.returncode}:\n{tail}"
        )
    # ru_maxrss (the fallback) is in KiB on Linux, bytes on macOS.
    scale = 1 if sys.platform == "darwin" else 1024
    return Sample(
        side=side.name,
        wall=wall,
        max_rss=int(measured) if measured.isdigit() else usage.ru_maxrss * scale,
        cpu=usage.ru_utime + usage.ru_stime,
        reported=_reported(stdout),
    )


def alternate(
    sides: Sequence[Side], runs: int, warmup: int = 0, progress: bool = True
) -> dict[str, list[Sample]]:
    """``warmup + runs`` rounds of every side in turn (A, B, A, B …); warm-up rounds dropped."""
    if runs < 1:
        raise BenchError("--runs must be at least 1")
    samples: dict[str, list[Sample]] = {side.name: [] for side in sides}
    for round_number in range(warmup + runs):
        for side in sides:
            sample = run_once(side)
            if progress:
                label = "warm-up" if round_number < warmup else f"run {round_number - warmup + 1}"
                print(f"  {side.name:<22} {label:<8} {sample.wall:8.2f} s", file=sys.stderr)
            if round_number >= warmup:
                samples[side.name].append(sample)
    return samples


@dataclass(frozen=True)
class Stats:
    """Min, median and max of a side's runs."""

    min: float
    median: float
    max: float
    runs: int

    @classmethod
    def of(cls, values: Sequence[float]) -> Stats:
        if not values:
            raise BenchError("no runs to summarise")
        return cls(min(values), statistics.median(values), max(values), len(values))


@dataclass(frozen=True)
class Goal:
    """A figure against the issue's goal: ``value`` must be at most ``limit``."""

    name: str
    value: float | None
    limit: float
    unit: str = "×"
    note: str = ""

    @property
    def verdict(self) -> str:
        if self.value is None:
            return "NO DATA"  # never a pass
        return "PASS" if self.value <= self.limit else "FAIL"

    def line(self) -> str:
        shown = "—" if self.value is None else _number(self.value, self.unit)
        note = f"  ({self.note})" if self.note else ""
        return f"{self.name:<46} {shown:>12}  goal ≤ {_number(self.limit, self.unit):<9} " \
               f"{self.verdict}{note}"


def _number(value: float, unit: str) -> str:
    if unit == "MB":
        return f"{value / 1e6:.2f} MB"
    if unit == "×":
        return f"{value:.2f}×"
    return f"{value:.3g} {unit}".strip()


def ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator > 0 else None


@dataclass
class Section:
    """One benchmark's results: the sides' runs, extra figures and the goals, printable."""

    title: str
    samples: dict[str, list[Sample]] = field(default_factory=dict)
    figures: dict[str, Any] = field(default_factory=dict)
    goals: list[Goal] = field(default_factory=list)

    def wall(self, side: str) -> Stats:
        return Stats.of([s.wall for s in self.samples[side]])

    def work(self, side: str) -> Stats:
        return Stats.of([s.work for s in self.samples[side]])

    def rss(self, side: str) -> Stats:
        return Stats.of([float(s.max_rss) for s in self.samples[side]])

    def render(self) -> str:
        lines = [f"== {self.title}"]
        if self.samples:
            lines.append(
                f"{'side':<24} {'runs':>4} {'min s':>8} {'median s':>9} {'max s':>8} "
                f"{'work med s':>10} {'peak RSS med':>13}"
            )
            for side in self.samples:
                wall, work, rss = self.wall(side), self.work(side), self.rss(side)
                lines.append(
                    f"{side:<24} {wall.runs:>4} {wall.min:>8.2f} {wall.median:>9.2f} "
                    f"{wall.max:>8.2f} {work.median:>10.3f} {rss.median / 1e6:>10.1f} MB"
                )
        for name, value in self.figures.items():
            lines.append(f"{name:<46} {value}")
        lines.extend(goal.line() for goal in self.goals)
        return "\n".join(lines)

    def as_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "samples": {side: [asdict(s) for s in runs] for side, runs in self.samples.items()},
            "stats": {
                side: {
                    "wall": asdict(self.wall(side)),
                    "work": asdict(self.work(side)),
                    "max_rss": asdict(self.rss(side)),
                }
                for side in self.samples
            },
            "figures": self.figures,
            "goals": [{**asdict(goal), "verdict": goal.verdict} for goal in self.goals],
        }


def write_json(path: Path, sections: Sequence[Section]) -> None:
    """All sections' runs, statistics, figures and verdicts, for comparing runs later."""
    path.write_text(
        json.dumps([section.as_json() for section in sections], indent=2), encoding="utf-8"
    )


def run_and_report(
    workdir: Path | None, measure: Callable[[Path], Section], json_path: Path | None
) -> None:
    """One benchmark from the command line: ``measure`` in ``workdir`` (a temporary folder,
    removed afterwards, when none is given), its section printed and optionally saved as
    JSON; a :class:`BenchError` ends the program with its message."""
    folder = workdir or Path(tempfile.mkdtemp(prefix="phasebook-bench-"))
    try:
        section = measure(folder.resolve())
    except BenchError as error:
        raise SystemExit(f"bench: {error}") from None
    finally:
        if workdir is None:
            shutil.rmtree(folder, ignore_errors=True)
    print(section.render())
    if json_path:
        write_json(json_path, [section])

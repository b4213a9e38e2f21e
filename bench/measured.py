"""Run a Python module (or ``-c`` code) and write its own peak RSS to a file when it exits.

    python -m bench.measured OUT_FILE MODULE ARGS...
    python -m bench.measured OUT_FILE -c CODE

The runner starts every Python child through this. ``os.wait4`` (and ``getrusage``) cannot
tell a child's peak memory on Linux: a child that was forked starts with its parent's peak
as its own (``ru_maxrss`` survives ``exec``), so every child of a big runner would weigh at
least the runner. ``VmHWM`` in ``/proc/self/status`` is the peak of this process's own memory
map, made fresh by ``exec``; it is read at exit, after the module has done its work.
"""

from __future__ import annotations

import atexit
import runpy
import sys
from pathlib import Path

STATUS = Path("/proc/self/status")


def peak_rss() -> int | None:
    """This process's peak resident set in bytes (``VmHWM``); ``None`` without ``/proc``."""
    try:
        text = STATUS.read_text(encoding="utf-8")
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return None


def main() -> None:
    if len(sys.argv) < 3:
        raise SystemExit("usage: python -m bench.measured OUT_FILE (MODULE | -c CODE) ARGS...")
    out, target, *args = sys.argv[1:]

    def write_peak() -> None:
        peak = peak_rss()
        Path(out).write_text("" if peak is None else str(peak), encoding="utf-8")

    atexit.register(write_peak)
    if target == "-c":
        sys.argv = ["-c", *args[1:]]
        exec(compile(args[0], "<string>", "exec"), {"__name__": "__main__"})
    else:
        sys.argv = [target, *args]
        runpy.run_module(target, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()

"""One side of the reading benchmark, run as its own process by ``bench.read_speed``.

    python -m bench.read_child phasebook|json|etree FILE...

``phasebook`` reads every file with ``phasebook.readers.read_report`` (detection included, as
a build does); ``json`` reads the bytes and ``json.loads`` them; ``etree`` parses with
``xml.etree.ElementTree`` (its C accelerator). Each side reads the file itself, so both pay
for the bytes. Only the reading is timed, not the interpreter's start-up or its imports, and
the time and the records read go back to the runner on stdout.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree

from bench.runner import report


def _phasebook() -> Callable[[Path], int]:
    # Imported here, before the clock starts, and only by the side that uses it: the other
    # sides' memory is not charged with Phasebook's modules.
    from phasebook.readers import read_report  # noqa: PLC0415

    return lambda path: len(read_report(path).records)


# The baselines parse and nothing more (no walk over the result): any work added here would
# flatter the reader.
def _json() -> Callable[[Path], int]:
    def read(path: Path) -> int:
        json.loads(path.read_bytes())
        return 0

    return read


def _etree() -> Callable[[Path], int]:
    def read(path: Path) -> int:
        ElementTree.parse(path)
        return 0

    return read


SIDES: dict[str, Callable[[], Callable[[Path], int]]] = {
    "phasebook": _phasebook,
    "json": _json,
    "etree": _etree,
}


def main(argv: list[str]) -> None:
    if len(argv) < 2 or argv[0] not in SIDES:
        raise SystemExit(f"usage: python -m bench.read_child {{{'|'.join(SIDES)}}} FILE...")
    read = SIDES[argv[0]]()
    paths = [Path(name) for name in argv[1:]]
    start = time.perf_counter()
    records = sum(read(path) for path in paths)
    seconds = time.perf_counter() - start
    report(seconds=seconds, records=records, bytes=sum(p.stat().st_size for p in paths))


if __name__ == "__main__":
    main(sys.argv[1:])

"""Reader speed and memory against plain parsing of the same bytes.

For every file in a folder (see generate_large.py): the time of ``read_report`` against
``json.loads`` / ``ElementTree.fromstring`` of the same bytes, and the reader's peak memory
(tracemalloc) against the file's size. Targets: within 2x of plain parsing, peak memory
within 3x of the input size.

    python bench/read_speed.py DIR
"""

from __future__ import annotations

import json
import sys
import time
import tracemalloc
from pathlib import Path
from xml.etree import ElementTree

from phasebook.readers import read_report


def plain_parse(path: Path) -> float:
    data = path.read_bytes()
    start = time.perf_counter()
    if path.suffix == ".xml":
        ElementTree.fromstring(data)
    else:
        json.loads(data)
    return time.perf_counter() - start


def reader(path: Path) -> tuple[float, int, int]:
    """Time without tracing (tracemalloc slows allocation), then peak memory with it."""
    start = time.perf_counter()
    report = read_report(path)
    elapsed = time.perf_counter() - start
    records = report.read_count
    del report
    tracemalloc.start()
    read_report(path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return elapsed, peak, records


def main() -> None:
    folder = Path(sys.argv[1])
    totals = {"bytes": 0, "plain": 0.0, "reader": 0.0, "records": 0}
    worst_memory = 0.0
    for path in sorted(folder.iterdir()):
        size = path.stat().st_size
        plain = plain_parse(path)
        elapsed, peak, records = reader(path)
        worst_memory = max(worst_memory, peak / size)
        totals["bytes"] += size
        totals["plain"] += plain
        totals["reader"] += elapsed
        totals["records"] += records
        print(
            f"{path.name:28} {size / 1e6:7.1f} MB  plain {plain:6.2f} s  reader {elapsed:6.2f} s"
            f"  ({elapsed / plain:4.1f}x)  peak {peak / 1e6:7.1f} MB ({peak / size:3.1f}x)"
            f"  {records} records"
        )
    ratio = totals["reader"] / totals["plain"]
    print(
        f"TOTAL {totals['bytes'] / 1e6:.0f} MB, {totals['records']} records: plain "
        f"{totals['plain']:.1f} s, reader {totals['reader']:.1f} s ({ratio:.2f}x); "
        f"worst peak memory {worst_memory:.1f}x the file size"
    )


if __name__ == "__main__":
    main()

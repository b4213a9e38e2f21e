"""The shared corpus of real reports, for the formats read by the core readers.

Each file the catalog says must be read is read with (kept + skipped) equal to its count;
each it says must be refused is refused with an error naming it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from phasebook.readers import ReportError, read_report

SHARED = Path(__file__).resolve().parents[3] / "shared" / "reports"


def _entries() -> list[dict[str, Any]]:
    if not (SHARED / "catalog.json").is_file():
        return []
    entries = json.loads((SHARED / "catalog.json").read_text())
    return [
        e
        for e in entries
        if e["tool"] in ("coverage.py", "bandit", "junit-xml")
        or e["path"].endswith((".sarif", ".sarif.json"))
        or "/sarif" in e["path"]
        or "junit" in e["path"]
    ]


ENTRIES = _entries()
pytestmark = pytest.mark.skipif(not ENTRIES, reason="../shared/reports is not present")


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["path"] for e in ENTRIES] or None)
def test_catalog_file(entry: dict[str, Any]) -> None:
    path = SHARED / entry["path"]
    match = re.match(r"(\d+)", entry["count"] or "")
    try:
        report = read_report(path)
    except ReportError as error:
        assert entry["expect"] in ("refuse", "either"), str(error)
        assert str(path) in str(error)
        return
    assert entry["expect"] != "refuse", f"{path} should have been refused"
    if match:
        assert report.read_count == int(match.group(1))

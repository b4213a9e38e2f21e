"""What the reader tests share: where the fixtures and the corpus are, reading a fixture, and
the property tests' settings, any JSON value and edits of a JSON document at any place in it.

Fixtures live in ``tests/fixtures/reports/<format>/``: a fixture's folder names its format.
A bare body (``[]``, ``null``) is no format's by detection: it is read with its format named,
as a phase must name it.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from phasebook.evidence import Report, report_json
from phasebook.readers import Reader, ReportError, read_report
from phasebook.readers.base import bare_value, head_text

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "reports"
CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "reports"


def catalog() -> list[dict[str, Any]]:
    """The entries of ``../shared/reports/catalog.json``; none when the corpus is absent."""
    path = CORPUS / "catalog.json"
    if not path.is_file():
        return []
    entries: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    return entries


def only_report_errors(reader: Reader, path: Path, content: str | bytes) -> None:
    """Write ``content`` to ``path`` and read it: a report, or a ReportError naming the file."""
    data = content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass")
    path.write_bytes(data)
    try:
        report = reader.read(path)
    except ReportError as error:
        assert error.path == path
    else:
        assert report.read_count == len(report.records) + len(report.skipped)
        report_json(report)


CLEAN_FORMATS = {
    "gitleaks": "gitleaks-json",
    "hadolint": "hadolint-json",
    "pip-audit": "pip-audit-json",
    "pylint": "pylint-json",
    "ruff": "ruff-json",
    "safety": "safety-json",
    "trivy": "trivy-json",
}
"""The format a phase names for a corpus tool's bare clean output (``[]`` or ``null``)."""


def format_of(name: str) -> str:
    """The format of the fixture ``name`` (``<format>/<file>``)."""
    return name.partition("/")[0]


def is_bare(path: Path) -> bool:
    """Whether the file is only ``[]``, ``null``, ``{}`` or a scalar: no format by detection."""
    return path.stat().st_size < 1024 and bare_value(head_text(path))[0]


def read_fixture(name: str) -> Report:
    """A fixture read as a phase would: by detection, or its format named if it is bare."""
    path = FIXTURES / name
    return read_report(path, format_of(name) if is_bare(path) else None)


def read_corpus(entry: dict[str, Any]) -> Report:
    """A corpus file read as a phase would: by detection, or its tool's format named if bare."""
    path = CORPUS / entry["path"]
    return read_report(path, CLEAN_FORMATS[entry["tool"]] if is_bare(path) else None)


def claimed_by(readers: Iterable[Reader], path: Path) -> str | None:
    """The format of the first of ``readers`` whose detection claims ``path``."""
    head = head_text(path)
    return next((r.format for r in readers if r.detect(head, path)), None)


def published_text(report: Report) -> str:
    """Everything a report publishes, as one text (records, skipped entries, metadata)."""
    return json.dumps(report_json(report), ensure_ascii=False)


PROPERTY = settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)


def places(data: Any, trail: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a JSON document, as the keys and indexes leading to it."""
    found = [trail]
    if isinstance(data, dict):
        for key, value in data.items():
            found += places(value, (*trail, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += places(value, (*trail, index))
    return found


def replaced(data: Any, trail: tuple[Any, ...], value: Any) -> Any:
    """A copy of ``data`` with ``value`` at the place ``trail``."""
    if not trail:
        return value
    data = copy.deepcopy(data)
    holder = data
    for step in trail[:-1]:
        holder = holder[step]
    holder[trail[-1]] = value
    return data

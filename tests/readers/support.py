"""What the reader tests share: the fixtures and their manifests, the corpus and what it holds,
reading either as a phase would, and the property tests' settings and edits of JSON documents.

Fixtures live in ``tests/fixtures/reports/<format>/``: a fixture's folder names its format, and
the folder's ``expect.yml`` says what each file in it reads as. ``corpus.yml`` here says which
format each folder of the shared corpus ``../shared/reports`` is read as. A bare body (``[]``,
``null``) is no format's by detection: it is read with its format named, as a phase must name it.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from phasebook.evidence import Report
from phasebook.output.report import report_json
from phasebook.readers import Reader, ReportError, read_report
from phasebook.readers.base import bare_value, head_text

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "reports"
CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "reports"
CORPUS_FOLDERS: dict[str, dict[str, Any]] = yaml.safe_load(
    Path(__file__).with_name("corpus.yml").read_text(encoding="utf-8")
)


def manifest(folder: Path) -> dict[str, dict[str, Any]]:
    """A fixture folder's ``expect.yml``: file name → what reading it gives; ``{}`` if none."""
    path = folder / "expect.yml"
    return (yaml.safe_load(path.read_text(encoding="utf-8")) or {}) if path.is_file() else {}


def fixture_paths() -> list[Path]:
    """Every fixture file, the manifests aside."""
    return sorted(p for p in FIXTURES.glob("*/*") if p.is_file() and p.name != "expect.yml")


def read_fixtures(*suffixes: str) -> list[str]:
    """The fixtures (``<format>/<file>``) their manifests say are read, ending with a suffix."""
    return [
        f"{folder.name}/{name}"
        for folder in sorted(FIXTURES.iterdir())
        for name, entry in manifest(folder).items()
        if "refused" not in entry and name.endswith(suffixes)
    ]


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


def catalog() -> list[dict[str, Any]]:
    """The entries of ``../shared/reports/catalog.json``; none when the corpus is absent."""
    path = CORPUS / "catalog.json"
    if not path.is_file():
        return []
    entries: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    return entries


def corpus_folder(entry: dict[str, Any]) -> dict[str, Any]:
    """What ``corpus.yml`` says of the folder (``<tool>/<layout>``) of a catalog entry."""
    return CORPUS_FOLDERS["/".join(entry["path"].split("/")[:2])]


def corpus_format(entry: dict[str, Any]) -> str:
    """The format a catalog entry is read as (locust's by the end of the file name)."""
    format: str | dict[str, str] = corpus_folder(entry)["format"]
    if isinstance(format, str):
        return format
    return next(name for end, name in format.items() if entry["path"].endswith(end))


def read_corpus(entry: dict[str, Any]) -> Report:
    """A corpus file read as a phase would: by detection, or its format named if it is bare."""
    path = CORPUS / entry["path"]
    return read_report(path, corpus_format(entry) if is_bare(path) else None)


def claimed_by(readers: Iterable[Reader], path: Path) -> str | None:
    """The format of the first of ``readers`` whose detection claims ``path``."""
    head = head_text(path)
    return next((r.format for r in readers if r.detect(head, path)), None)


def published_text(report: Report) -> str:
    """Everything a report publishes, as one text (records, skipped entries, metadata)."""
    return json.dumps(report_json(report), ensure_ascii=False)


def only_report_errors(reader: Reader, path: Path, content: str | bytes) -> None:
    """Write ``content`` to ``path`` and read it: a report, or a ReportError naming the file."""
    data = content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass")
    path.write_bytes(data)
    try:
        report = reader.read(path)
    except ReportError as error:
        assert error.path == path
    else:
        report_json(report)  # every record serialises for `phasebook read --json`


PROPERTY = settings(
    max_examples=150,
    deadline=None,  # readers under a loaded machine take longer than Hypothesis' 200 ms
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

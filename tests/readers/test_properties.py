"""Properties every registered reader keeps, whatever bytes it is given.

A reader either returns a report or raises :class:`ReportError` naming the file: never another
exception, whether the file is cut short, corrupted, random, or another format's report.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.readers.support import (
    FIXTURES,
    JSON_VALUES,
    PROPERTY,
    fixture_paths,
    places,
    replaced,
)

from phasebook.evidence import Report
from phasebook.output.report import report_json
from phasebook.readers import READERS, ReportError, read_report

SAMPLES = fixture_paths()
FORMATS = [reader.format for reader in READERS]


def _read_or_refuse(path: Path, format: str | None) -> Report | None:
    """The report, or ``None`` when refused with the documented error naming ``path``."""
    try:
        report = read_report(path, format)
    except ReportError as error:
        assert error.path == path
        assert str(path) in str(error)
        return None
    report_json(report)  # every record serialises for `phasebook read --json`
    return report


def test_there_are_samples_of_many_formats() -> None:
    assert len({path.parent.name for path in SAMPLES}) >= 10


@PROPERTY
@given(
    sample=st.sampled_from(SAMPLES),
    format=st.sampled_from([None, *FORMATS]),
    cut=st.floats(min_value=0, max_value=1),
)
def test_cut_short_with_any_reader(
    tmp_path: Path, sample: Path, format: str | None, cut: float
) -> None:
    data = sample.read_bytes()
    path = tmp_path / sample.name
    path.write_bytes(data[: int(len(data) * cut)])
    _read_or_refuse(path, format)


@PROPERTY
@given(
    sample=st.sampled_from(SAMPLES),
    format=st.sampled_from([None, *FORMATS]),
    flips=st.lists(
        st.tuples(st.floats(min_value=0, max_value=1), st.binary(min_size=1, max_size=4)),
        max_size=4,
    ),
)
def test_corrupted_with_any_reader(
    tmp_path: Path, sample: Path, format: str | None, flips: list[tuple[float, bytes]]
) -> None:
    data = bytearray(sample.read_bytes())
    for where, junk in flips:
        at = int(len(data) * where)
        data[at : at + len(junk)] = junk
    path = tmp_path / sample.name
    path.write_bytes(bytes(data))
    _read_or_refuse(path, format)


@PROPERTY
@given(
    format=st.sampled_from(FORMATS),
    data=st.binary(max_size=300) | st.text(max_size=300).map(str.encode),
)
def test_arbitrary_bytes_with_any_reader(tmp_path: Path, format: str, data: bytes) -> None:
    path = tmp_path / "report"
    path.write_bytes(data)
    _read_or_refuse(path, format)


@pytest.mark.parametrize(
    "sample", SAMPLES, ids=[p.relative_to(FIXTURES).as_posix() for p in SAMPLES]
)
def test_every_other_reader_refuses_or_reads_without_crashing(sample: Path) -> None:
    """A report given to the wrong reader (a user naming the wrong format) is a clean error."""
    for format in FORMATS:
        _read_or_refuse(sample, format)


def _json_samples() -> list[tuple[Path, Any]]:
    found = []
    for path in SAMPLES:
        try:
            found.append((path, json.loads(path.read_text(encoding="utf-8"))))
        except (ValueError, UnicodeDecodeError):
            continue
    return found


JSON_SAMPLES = _json_samples()


@settings(PROPERTY, max_examples=500)  # the broadest search here: more than the others
@given(
    sample=st.sampled_from(JSON_SAMPLES),
    picks=st.lists(st.tuples(st.integers(min_value=0), JSON_VALUES), min_size=1, max_size=3),
    named=st.booleans(),
)
def test_any_value_anywhere_in_a_json_report(
    tmp_path: Path, sample: tuple[Path, Any], picks: list[tuple[int, Any]], named: bool
) -> None:
    """A value of any type in any place of a real report's structure: read or refused."""
    original, data = sample
    for pick, value in picks:
        found = places(data)
        data = replaced(data, found[pick % len(found)], value)
    path = tmp_path / original.name
    path.write_text(json.dumps(data), encoding="utf-8")
    _read_or_refuse(path, original.parent.name if named else None)

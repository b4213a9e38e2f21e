"""The quick ways readers take read exactly as the plain ones they stand for.

Large reports are decoded by msgspec (``load_any``, structs, JSON lines into structs), their
fingerprints made in columns (``Fingerprints.many``, ``numbered_repeats``) and the garbage
collector paused meanwhile. Each is checked here against the plain way on the
fixtures and the shared corpus, broken copies of them included: same values, same findings in
the same order, same refusals in the same words.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.readers.support import CORPUS, FIXTURES

from phasebook.evidence import Finding, fingerprint
from phasebook.readers import ReportError, mypy, read_report, ruff
from phasebook.readers.base import load_any, load_json
from phasebook.readers.fingerprint import Fingerprints, digests, numbered_repeats
from phasebook.readers.jsonlines import load_json_lines
from phasebook.readers.redact import hidden, scrub, scrub_hidden

JSON_SUFFIXES = (".json", ".sarif", ".golden")


def _files(*suffixes: str) -> list[Path]:
    roots = [FIXTURES, CORPUS] if CORPUS.is_dir() else [FIXTURES]
    return sorted(p for root in roots for p in root.rglob("*") if p.suffix in suffixes)


def _outcome(load: Callable[[Path], Any], path: Path) -> str:
    """What loading gives, as text to compare: the value as JSON, or the refusal."""
    try:
        return json.dumps(load(path))
    except ReportError as error:
        return f"refused: {error}"


def _broken_copies(path: Path, folder: Path) -> Iterator[Path]:
    """The file, cut in half, its last byte dropped, and a byte turned into a quote."""
    data = path.read_bytes()
    yield path
    for name, broken in (
        ("half", data[: len(data) // 2]),
        ("short", data[:-1]),
        ("quote", data[: len(data) // 3] + b'"' + data[len(data) // 3 + 1 :]),
    ):
        copy = folder / f"{name}-{path.name}"
        copy.write_bytes(broken)
        yield copy


def test_there_are_json_reports_to_compare() -> None:
    assert len(_files(*JSON_SUFFIXES)) > 100


@pytest.mark.parametrize("path", _files(*JSON_SUFFIXES), ids=lambda p: p.name)
def test_load_any_gives_what_load_json_gives(tmp_path: Path, path: Path) -> None:
    for copy in _broken_copies(path, tmp_path):
        assert _outcome(load_any, copy) == _outcome(load_json, copy)


def _finding_parts() -> list[tuple[str, str | None, str | None, str]]:
    """The fingerprint parts of every finding in the fixtures, as a reader passes them."""
    parts = []
    for path in _files(*JSON_SUFFIXES):
        try:
            report = read_report(path)
        except ReportError:
            continue
        parts += [(f.rule, f.path, f.package, f.title) for f in report.findings]
    return parts


def test_many_fingerprints_are_those_made_one_by_one() -> None:
    # The fixtures' findings (and the shared corpus's, when it is there), and made-up ones
    # with many repeats of the same parts.
    made_up = [(f"R{n % 7}", f"src/m{n % 13}.py", None, f"title {n % 11}") for n in range(600)]
    parts = _finding_parts() + made_up
    assert len(parts) > 700
    repeated = parts + parts[::3]  # every third one again: numbered repeats
    one, many = Fingerprints("tool"), Fingerprints("tool")
    expected = [one(*finding) for finding in repeated]
    half = len(repeated) // 2  # two batches: a repeat of the first batch in the second
    columns = [list(column) for column in zip(*repeated, strict=True)]
    made = many.many(*(c[:half] for c in columns)) + many.many(*(c[half:] for c in columns))
    assert made == expected
    assert len(set(made)) == len(made)


def test_numbered_repeats_number_each_repeat_in_report_order() -> None:
    bases = digests(["a", "b", "a", "c", "a", "b"])
    numbered = numbered_repeats(bases)
    assert len(set(numbered)) == len(numbered)
    assert numbered[:2] == bases[:2]
    assert numbered[2] == digests([f"{bases[0]}\x1f1"])[0]
    assert numbered[4] == digests([f"{bases[0]}\x1f2"])[0]
    assert numbered[5] == digests([f"{bases[1]}\x1f1"])[0]
    assert fingerprint("x") == digests(["x"])[0]


@pytest.mark.parametrize(
    ("folder", "decoder"),
    [("ruff-json-lines", ruff._LINE_DECODER), ("mypy-json", mypy._LINE)],
)
def test_json_lines_decoded_into_structs_are_refused_in_the_same_words(
    tmp_path: Path, folder: str, decoder: Any
) -> None:
    paths = sorted((FIXTURES / folder).glob("*.json*"))
    assert paths
    for path in paths:
        lines = path.read_bytes().split(b"\n")
        broken = tmp_path / f"bad-middle-{path.name}"
        broken.write_bytes(b"\n".join([*lines[:1], b'{"file": nope}', *lines[1:]]))
        for copy in [*_broken_copies(path, tmp_path), broken]:
            plain = _outcome(lambda p: len(load_json_lines(p, "x")), copy)
            typed = _outcome(lambda p: len(load_json_lines(p, "x", decoder)), copy)
            assert typed == plain, copy


def test_the_collector_runs_again_after_every_read(tmp_path: Path) -> None:
    report = FIXTURES / "bandit-json" / "three-severities.json"
    read_report(report)
    assert gc.isenabled()
    broken = tmp_path / "broken.json"
    broken.write_text('{"results": [')
    with pytest.raises(ReportError):
        read_report(broken, "bandit-json")
    assert gc.isenabled()
    gc.disable()
    try:
        read_report(report)
        assert not gc.isenabled()  # left as the caller had it
    finally:
        gc.enable()


@pytest.mark.parametrize(
    ("value", "secrets"),
    [
        ("token abcd1234 and abcd1234efgh", ["abcd1234", "abcd1234efgh", "abc", ""]),
        ("nothing to hide", ["secret-value"]),
        ("aaaaaaaa", ["aaaa", "aaaaaa"]),
    ],
)
def test_scrubbing_with_the_secrets_sorted_once_is_scrubbing(
    value: str, secrets: list[str]
) -> None:
    expected = value
    for secret in sorted({s for s in secrets if len(s) >= 4}, key=len, reverse=True):
        expected = expected.replace(secret, "[redacted]")
    assert scrub(value, secrets) == scrub_hidden(value, hidden(secrets)) == expected


def test_a_finding_is_a_finding() -> None:
    report = read_report(FIXTURES / "hadolint-json" / "many.json")
    assert report.findings and all(type(f) is Finding for f in report.findings)

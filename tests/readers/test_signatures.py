"""A report is read only when it proves its format: no reader takes silence for a clean scan.

Every registered reader is fed ``null``, ``{}``, ``[]``, ``0``, ``"x"``, ``true`` and objects
of the wrong shape, with its format declared and by detection. Each is refused with a
:class:`ReportError` naming the file and saying what was expected, except a tool's own bare
clean output (``[]``, ``null``) read with its format declared: zero records. Detection claims
none of these bodies, whatever the file is called. (The tools' real ``[]`` and ``null`` of the
shared corpus are read so in ``test_fixtures.py``.)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from phasebook.output.report import report_json
from phasebook.readers import READERS, Reader, ReportError, read_report
from phasebook.readers.base import clean_outputs

BODIES = {
    "null": "null",
    "empty-object": "{}",
    "empty-array": "[]",
    "zero": "0",
    "string": '"x"',
    "true": "true",
    "unrelated-object": '{"unrelated": [1, 2], "name": "report"}',
    "lookalike-object": json.dumps(
        {
            "results": 0,
            "runs": {},
            "vulns": None,
            "messages": "",
            "Results": 1,
            "dependencies": {},
            "vulnerabilities": 0,
            "metrics": [],
            "site": 0,
            "Findings": {},
            "alerts": 0,
            "bomFormat": "x",
            "format_version": 1,
            "status": "x",
            "meta": 0,
            "SchemaVersion": "x",
        }
    ),
    "array-of-other-objects": '[{"id": 1, "title": "not any tool\'s record"}]',
    "array-of-numbers": "[1, 2, 3]",
}
"""Bodies that say nothing of any format, or have the wrong shape for every one."""

CLEAN = {
    "asff-json": ("[]",),
    "gitleaks-json": ("[]", "null"),
    "hadolint-json": ("[]",),
    "pip-audit-json": ("[]",),
    "pylint-json": ("[]",),
    "ruff-json": ("[]",),
    "safety-json": ("[]",),
    "trivy-json": ("null",),
    "zap-alerts-json": ("[]",),
}
"""Each tool's own bare "nothing found", read only with the format declared: gitleaks v8 and
hadolint, ruff, pylint's json, pip-audit's old list, safety 1.x, Prowler's ASFF and the ZAP API
clients write ``[]``; gitleaks v7 and Trivy before 0.20 wrote ``null``."""

CASES = [
    pytest.param(reader, body, id=f"{reader.format}-{name}")
    for reader in READERS
    for name, body in BODIES.items()
]


def _clean(reader: Reader, body: str) -> bool:
    return json.dumps(json.loads(body)) in clean_outputs(reader)


@pytest.mark.parametrize(("reader", "body"), CASES)
def test_declared_format_refuses_what_is_not_its_report(
    tmp_path: Path, reader: Reader, body: str
) -> None:
    path = tmp_path / "report.json"
    path.write_text(body, encoding="utf-8")
    if _clean(reader, body):
        report = read_report(path, reader.format)
        assert (report.records, report.skipped) == ([], [])
        report_json(report)
        return
    with pytest.raises(ReportError) as caught:
        read_report(path, reader.format)
    assert caught.value.path == path
    assert str(path) in str(caught.value)
    assert "expected" in caught.value.reason or "supported:" in caught.value.reason


@pytest.mark.parametrize(("reader", "body"), CASES)
def test_the_reader_itself_refuses_it_too(tmp_path: Path, reader: Reader, body: str) -> None:
    """``reader.read`` is the declared path: the same answer without the registry."""
    path = tmp_path / "report.json"
    path.write_text(body, encoding="utf-8")
    if _clean(reader, body):
        assert reader.read(path).read_count == 0
        return
    with pytest.raises(ReportError):
        reader.read(path)


@pytest.mark.parametrize("body", BODIES.values(), ids=BODIES.keys())
def test_detection_claims_none_of_them(tmp_path: Path, body: str) -> None:
    path = tmp_path / "report.json"
    path.write_text(body, encoding="utf-8")
    head = path.read_text(encoding="utf-8")
    assert [r.format for r in READERS if r.detect(head, path)] == []
    with pytest.raises(ReportError) as caught:
        read_report(path)
    assert caught.value.path == path


@pytest.mark.parametrize("body", ["[]", "[\n]", " [ ] \n", "null", "null\n"])
def test_detection_of_a_bare_clean_output_says_to_declare_the_format(
    tmp_path: Path, body: str
) -> None:
    path = tmp_path / "report.json"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ReportError) as caught:
        read_report(path)
    reason = caught.value.reason
    assert "declare `format: X` in the phase's reports entry if this is X's clean output" in reason
    owners = [name for name, bodies in CLEAN.items() if json.dumps(json.loads(body)) in bodies]
    assert owners
    for name in owners:
        assert name in reason
    for name in set(CLEAN) - set(owners):
        assert name not in reason


@pytest.mark.parametrize(
    "name",
    [
        "trivy.json",
        "trivy-results.json",
        "gitleaks-report.json",
        "zap.json",
        "zap-alerts.json",
        "pip-audit.json",
        "pip_audit.json",
        "snyk.json",
        "hadolint.json",
        "ruff.json",
        "pylint.json",
        "safety.json",
        "asff.json",
        "securityhub-findings.json",
        "bandit.json",
        "results.sarif",
    ],
)
@pytest.mark.parametrize("body", ["[]", "null", "{}"])
def test_a_file_name_alone_never_decides(tmp_path: Path, name: str, body: str) -> None:
    folder = tmp_path / Path(name).stem
    folder.mkdir()
    path = folder / name
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ReportError):
        read_report(path)


def test_clean_outputs_are_the_documented_ones() -> None:
    """Adding one is a decision about a tool's real behaviour: pin it here, say it in the docs."""
    assert {r.format: clean_outputs(r) for r in READERS if clean_outputs(r)} == CLEAN


@pytest.mark.parametrize("name", sorted(CLEAN))
def test_each_clean_output_is_in_the_format_reference(name: str) -> None:
    """The reader's module docstring (the guide's format reference) tells writers to declare."""
    reader = next(r for r in READERS if r.format == name)
    doc = sys.modules[type(reader).__module__].__doc__ or ""
    assert f"``format: {name}``" in doc

"""Readers of the static family: pylint, ruff, mypy, semgrep, hadolint and checkov.

pylint, ruff, mypy, semgrep and checkov run here (offline) on small files written by the tests,
with problems planted so that each tool's exact count is known; hadolint is not installed, so
its reports are hand-made fixtures modelled on real ones. The fixtures under
``tests/fixtures/reports/<format>/`` cover the odd layouts and the broken files, their counts,
refusals and detection in each folder's ``expect.yml``; ``test_fixtures.py`` reads them, and
every real report of these tools in ``../shared/reports``. Here: what each reader keeps.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.readers.support import (
    CORPUS,
    FIXTURES,
    JSON_VALUES,
    PROPERTY,
    claimed_by,
    format_of,
    only_report_errors,
    places,
    published_text,
    read_fixture,
    read_fixtures,
    replaced,
)

from phasebook.evidence import Severity
from phasebook.readers import ReportError, detect_format, family_static, read_report
from phasebook.readers.base import head_text
from phasebook.readers.sarif import SarifReader

STATIC = {reader.format: reader for reader in family_static.READERS}

# The fake secret and its hash planted in the checkov secrets fixture.
AWS_KEY = "AKIAZXCVBNMASDFGHJKL"
SECRET_HASH = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b"


def _claimed_by_a_tool_reader(path: Path) -> list[str]:
    """The static readers but SARIF's claiming ``path`` (a tool's SARIF is SARIF's alone)."""
    head = head_text(path)
    return [
        name
        for name, reader in STATIC.items()
        if not isinstance(reader, SarifReader) and reader.detect(head, path)
    ]


# ------------------------------------------------------------------------------ per format


def test_pylint_types_to_severity() -> None:
    report = read_fixture("pylint-json/many.json")
    assert [(f.rule, f.severity, f.tool_severity) for f in report.findings] == [
        ("F0002", Severity.HIGH, "fatal"),
        ("E0602", Severity.HIGH, "error"),
        ("W0611", Severity.MEDIUM, "warning"),
        ("R0912", Severity.LOW, "refactor"),
        ("C0301", Severity.LOW, "convention"),
        ("C0301", Severity.LOW, "convention"),
        ("I0011", Severity.INFO, "info"),
    ]
    undefined = report.findings[1]
    assert undefined.title == "Undefined variable 'discount_rate' (undefined-variable)"
    assert (undefined.path, undefined.line, undefined.column) == ("shop/cart.py", 42, 16)
    assert report.skipped[0].reason == "a message without id or text"
    assert report.schema_version == "json"


def test_pylint_json2_score_and_twins() -> None:
    report = read_fixture("pylint-json2/many.json")
    assert (report.schema_version, report.tool) == ("json2", "pylint")
    assert report.notes == ["pylint score 7.50/10 (3 modules linted)"]
    first, second = report.findings[:2]
    assert (first.rule, first.title) == (second.rule, second.title)
    assert first.fingerprint != second.fingerprint  # twins numbered, not merged
    same = read_report(FIXTURES / "pylint-json2/many.json").findings
    assert [f.fingerprint for f in same] == [f.fingerprint for f in report.findings]


def test_ruff_rule_severity_and_syntax_errors() -> None:
    report = read_fixture("ruff-json/many.json")
    assert [(f.rule, f.severity) for f in report.findings] == [
        ("invalid-syntax", Severity.HIGH),
        ("invalid-syntax", Severity.HIGH),  # code null (ruff 0.1–0.8): kept, not lost
        ("F401", Severity.LOW),
        ("F821", Severity.HIGH),
        ("B006", Severity.MEDIUM),
        ("E501", Severity.LOW),
        ("E501", Severity.LOW),
        ("SIM108", Severity.LOW),
        ("E902", Severity.HIGH),
    ]
    null_code = report.findings[1]
    assert (null_code.path, null_code.url) == ("/home/ci/src/shop/older_broken.py", None)
    assert null_code.title == "SyntaxError: Expected ')', found newline"
    assert report.findings[2].url == "https://docs.astral.sh/ruff/rules/unused-import"
    assert report.findings[7].path == "C:\\Users\\dev\\shop\\notebook.ipynb"
    assert report.findings[2].tool_severity == "error"
    old = read_fixture("ruff-json/old-0.0.x.json").findings
    assert [(f.rule, f.severity, f.tool_severity) for f in old] == [
        ("F401", Severity.LOW, ""),
        ("E999", Severity.HIGH, ""),
        ("S105", Severity.MEDIUM, ""),
    ]


def test_ruff_json_and_json_lines_agree() -> None:
    array = read_fixture("ruff-json/many.json")
    lines = read_fixture("ruff-json-lines/many.jsonl")
    assert [f.fingerprint for f in array.findings] == [f.fingerprint for f in lines.findings]
    assert lines.skipped[0].record == "line 10"


def test_ruff_json_lines_keep_a_message_with_a_line_separator(tmp_path: Path) -> None:
    """U+2028 inside a JSON string is not the end of a JSON line."""
    lines = (FIXTURES / "ruff-json-lines/many.jsonl").read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[0])
    first["message"] = "before\u2028after"
    path = tmp_path / "ruff.jsonl"
    path.write_text("\n".join([json.dumps(first, ensure_ascii=False), *lines[1:]]) + "\n")
    report = read_report(path, "ruff-json-lines")
    assert report.findings[0].title.split() == ["before", "after"]  # whitespace folded
    assert len(report.findings) == len(read_fixture("ruff-json-lines/many.jsonl").findings)


def test_mypy_text_notes_attach_to_their_error() -> None:
    report = read_fixture("mypy-text/errors-and-notes.txt")
    errors = [f for f in report.findings if f.tool_severity == "error"]
    assert len(errors) == 6
    assert all(f.severity is Severity.MEDIUM for f in errors)
    (revealed,) = [f for f in report.findings if f.tool_severity == "note"]
    assert (revealed.severity, revealed.rule, revealed.line) == (Severity.INFO, "note", 1020)
    assert [s.reason for s in report.skipped] == ["note on the preceding error"] * 5
    assert report.skipped[0].record == (
        'shop/compat.py:67: Hint: "python3 -m pip install types-simplejson"'
    )
    first = errors[0]
    assert (first.rule, first.title) == (
        "import-untyped",
        'Library stubs not installed for "simplejson"',
    )
    assert first.url == "https://mypy.readthedocs.io/en/stable/_refs.html#code-import-untyped"


def test_mypy_pretty_output_reads_like_the_plain_one() -> None:
    report = read_fixture("mypy-text/pretty-context-columns.txt")
    assert [(f.rule, f.title, f.line, f.column) for f in report.findings] == [
        (
            "return-value",
            'Incompatible return value type (got "int | None", expected "int")',
            9,
            12,
        ),
        ("arg-type", 'Argument 2 to "add" has incompatible type "str"; expected "int"', 12, 17),
        ("import-untyped", 'Library stubs not installed for "yaml"', 14, 1),
        ("note", 'Revealed type is "builtins.int"', 15, 13),
    ]
    assert Counter(s.reason for s in report.skipped) == {
        "error context (--show-error-context)": 2,
        "note on the preceding error": 1,
    }
    assert report.notes == [
        "line 1: ../pyproject.toml: [mypy]: python_version: Python 3.8 is not supported "
        "(must be 3.10 or higher)"
    ]


def test_mypy_blocking_and_windows_paths() -> None:
    blocked = read_fixture("mypy-text/blocking-syntax-error.txt")
    assert (blocked.findings[0].rule, blocked.findings[0].severity) == ("syntax", Severity.HIGH)
    assert blocked.notes == ["mypy stopped early: errors prevented further checking"]
    windows = read_fixture("mypy-text/windows-paths.txt").findings
    assert [(f.path, f.line, f.column) for f in windows] == [
        ("C:\\Users\\dev\\shop\\cart.py", 9, None),
        ("C:\\Users\\dev\\shop\\cart.py", 12, 17),
    ]


def test_mypy_json_records() -> None:
    report = read_fixture("mypy-json/many.jsonl")
    assert [(f.rule, f.severity, f.column) for f in report.findings] == [
        ("import-untyped", Severity.MEDIUM, 1),
        ("return-value", Severity.MEDIUM, 9),
        ("return-value", Severity.MEDIUM, 9),
        ("no-redef", Severity.MEDIUM, 5),
        ("syntax", Severity.HIGH, None),
        ("misc", Severity.INFO, 13),
    ]
    assert report.skipped[0].record == "line 7"


def test_semgrep_results_errors_and_severity() -> None:
    report = read_fixture("semgrep-json/many.json")
    assert report.tool_version == "1.185.0"
    assert [(f.rule.rsplit(".", 1)[-1], f.severity, f.tool_severity) for f in report.findings] == [
        ("subprocess-shell-true", Severity.HIGH, "ERROR"),
        ("subprocess-shell-true", Severity.HIGH, "ERROR"),
        ("template-autoescape-off", Severity.MEDIUM, "WARNING"),
        ("cdn-usage", Severity.LOW, "LOW"),
        ("eval-user-input", Severity.CRITICAL, "CRITICAL"),
        ("experiment", Severity.INFO, "EXPERIMENT"),
    ]
    shell = report.findings[0]
    assert (shell.path, shell.line, shell.column, shell.cwe) == ("shop/run.py", 6, 12, ("CWE-78",))
    assert shell.url == (
        "https://semgrep.dev/r/python.lang.security.audit.subprocess-shell-true."
        "subprocess-shell-true"
    )
    assert report.findings[2].url == "https://sg.run/Q5WZ"
    assert report.findings[2].cwe == ("CWE-79",)
    assert [s.reason for s in report.skipped] == [
        "ignored with a nosemgrep comment",
        "a result without check_id",
    ]
    assert len(report.notes) == 2
    assert report.notes[0].startswith("semgrep warn: PartialParsing in shop/templates/broken.html")
    assert report.notes[1].startswith("semgrep error: Timeout in shop/huge.py")
    old = read_fixture("semgrep-json/old-0.x.json")
    assert old.tool_version is None
    assert old.findings[0].cwe == ("CWE-327",)
    assert old.findings[0].url == "https://find-sec-bugs.github.io/bugs.htm#ECB_MODE"


def test_semgrep_app_vulns() -> None:
    report = read_fixture("semgrep-app-json/page.json")
    first, second = report.findings
    assert (first.package, first.installed_version, first.fixed_version) == (
        "grpcio",
        "1.47.0",
        "1.53.0",
    )
    assert (first.cve, first.cwe, first.severity) == (
        ("CVE-2023-1428",),
        ("CWE-617",),
        Severity.HIGH,
    )
    assert first.title == "Reachable Assertion in grpc (grpcio 1.47.0), reachable"
    assert (first.path, first.line) == ("requirements.txt", 22)
    assert first.url == "https://github.com/advisories/GHSA-6628-q6j9-w8vg"
    assert second.title.endswith(", unreachable")
    assert first.fingerprint != second.fingerprint
    assert [s.reason for s in report.skipped] == [
        "triaged closed in Semgrep",
        "a vuln without advisory ruleId or title",
    ]
    assert report.notes == [
        "the API has more pages (hasMore: true, cursor 19922841): this file holds the first "
        "page only"
    ]


def test_hadolint_levels_and_links() -> None:
    report = read_fixture("hadolint-json/many.json")
    assert [(f.rule, f.severity, f.tool_severity) for f in report.findings] == [
        ("DL3008", Severity.MEDIUM, "warning"),
        ("DL3015", Severity.LOW, "info"),
        ("DL3008", Severity.MEDIUM, "warning"),
        ("DL3000", Severity.HIGH, "error"),
        ("SC2086", Severity.LOW, "info"),
        ("DL4000", Severity.INFO, "style"),
    ]
    assert report.findings[0].path == "docker\\Dockerfile.api"
    assert report.findings[0].url == "https://github.com/hadolint/hadolint/wiki/DL3008"
    assert report.findings[4].url == "https://github.com/koalaman/shellcheck/wiki/SC2086"
    assert report.skipped[0].reason == "a result without code or message"


def test_checkov_every_check_is_counted() -> None:
    report = read_fixture("checkov-json/single-terraform.json")
    assert (report.tool, report.tool_version, report.schema_version) == (
        "checkov",
        "3.3.30",
        "terraform",
    )
    ssh, bucket = report.findings
    assert (ssh.rule, ssh.severity, ssh.tool_severity, ssh.line) == (
        "CKV_AWS_24",
        Severity.HIGH,
        "HIGH",
        6,
    )
    assert ssh.title == (
        "Ensure no security groups allow ingress from 0.0.0.0:0 to port 22 (aws_security_group.ssh)"
    )
    assert ssh.url is not None and ssh.url.startswith("https://docs.prismacloud.io/")
    assert (bucket.severity, bucket.tool_severity, bucket.url) == (Severity.MEDIUM, "", None)
    assert Counter(s.reason for s in report.skipped) == {
        "check passed": 3,
        "check skipped (suppressed): versioning is not needed for scratch data": 1,
    }
    assert report.notes == ["terraform: checkov could not parse '/home/ci/infra/modules/broken.tf'"]


def test_checkov_multi_framework_sca_and_secrets() -> None:
    report = read_fixture("checkov-json/multi-framework.json")
    assert report.schema_version == "terraform, dockerfile, secrets, sca_package"
    by_rule = {f.rule: f for f in report.findings}
    assert by_rule["CKV_AWS_20"].severity is Severity.CRITICAL
    assert by_rule["CKV_SECRET_2"].title == "AWS Access Key"
    sca = by_rule["CKV_CVE_2023_32681"]
    assert (sca.package, sca.installed_version, sca.fixed_version, sca.cve) == (
        "requests",
        "2.19.0",
        "2.31.0",
        ("CVE-2023-32681",),
    )
    published = published_text(report)
    assert AWS_KEY not in published
    assert SECRET_HASH not in published
    assert AWS_KEY in (FIXTURES / "checkov-json/multi-framework.json").read_text()


def test_checkov_quiet_and_disagreeing_summaries_are_notes() -> None:
    quiet = read_fixture("checkov-json/quiet.json")
    assert quiet.notes == [
        "terraform: 5 passed checks are counted in the summary but not listed (checkov --quiet?)",
        "terraform: 1 skipped checks are counted in the summary but not listed (checkov --quiet?)",
    ]
    fewer = read_fixture("checkov-json/summary-counts-fewer.json")
    assert fewer.notes == [
        "terraform: the summary counts 1 failed checks but 2 are listed; all listed checks were "
        "read"
    ]


# ------------------------------------------------------------------------------ moves


def _shift_pylint(data: Any) -> Any:
    messages = data["messages"] if isinstance(data, dict) else data
    for message in messages:
        message["line"] += 10
    return data


def _shift_ruff(data: Any) -> Any:
    for item in data:
        if "location" in item:
            item["location"]["row"] += 10
    return data


def _shift_semgrep(data: Any) -> Any:
    for result in data["results"]:
        result["start"]["line"] += 10
    return data


def _shift_semgrep_app(data: Any) -> Any:
    for vuln in data["vulns"]:
        location = vuln.get("dependencyFileLocation")
        if location:
            location["startLine"] = str(int(location["startLine"]) + 10)
    return data


def _shift_hadolint(data: Any) -> Any:
    for item in data:
        item["line"] += 10
    return data


def _shift_checkov(data: Any) -> Any:
    for checks in data["results"].values():
        for check in checks:
            if isinstance(check, dict):
                check["file_line_range"] = [n + 10 for n in check["file_line_range"]]
    return data


def _shift_mypy_json(data: Any) -> Any:
    for item in data:
        item["line"] += 10
        item["message"] = re.sub(r"line (\d+)", lambda m: f"line {int(m[1]) + 10}", item["message"])
    return data


JSON_MOVES: list[tuple[str, Callable[[Any], Any]]] = [
    ("pylint-json/many.json", _shift_pylint),
    ("pylint-json2/many.json", _shift_pylint),
    ("ruff-json/many.json", _shift_ruff),
    ("semgrep-json/many.json", _shift_semgrep),
    ("semgrep-app-json/page.json", _shift_semgrep_app),
    ("hadolint-json/many.json", _shift_hadolint),
    ("checkov-json/single-terraform.json", _shift_checkov),
]
LINES_MOVES: list[tuple[str, Callable[[Any], Any]]] = [
    ("ruff-json-lines/many.jsonl", _shift_ruff),
    ("mypy-json/many.jsonl", _shift_mypy_json),
]


def _assert_moved_keeps_prints(original: Path, moved: Path) -> None:
    before, after = read_report(original), read_report(moved, format=original.parent.name)
    assert [f.line for f in before.findings] != [f.line for f in after.findings]
    assert [f.fingerprint for f in before.findings] == [f.fingerprint for f in after.findings]


@pytest.mark.parametrize(("name", "shift"), JSON_MOVES, ids=[n for n, _ in JSON_MOVES])
def test_fingerprints_survive_a_move_json(tmp_path: Path, name: str, shift: Any) -> None:
    original = FIXTURES / name
    moved = tmp_path / original.name
    moved.write_text(json.dumps(shift(json.loads(original.read_text()))), encoding="utf-8")
    _assert_moved_keeps_prints(original, moved)


@pytest.mark.parametrize(("name", "shift"), LINES_MOVES, ids=[n for n, _ in LINES_MOVES])
def test_fingerprints_survive_a_move_json_lines(tmp_path: Path, name: str, shift: Any) -> None:
    original = FIXTURES / name
    rows = [json.loads(line) for line in original.read_text().splitlines() if line.strip()]
    moved = tmp_path / original.name
    moved.write_text("".join(json.dumps(row) + "\n" for row in shift(rows)), encoding="utf-8")
    _assert_moved_keeps_prints(original, moved)


def test_fingerprints_survive_a_move_mypy_text(tmp_path: Path) -> None:
    original = FIXTURES / "mypy-text/errors-and-notes.txt"
    text = re.sub(
        r"^([^:\n]+):(\d+):",
        lambda m: f"{m[1]}:{int(m[2]) + 10}:",
        original.read_text(),
        flags=re.MULTILINE,
    )
    text = text.replace("on line 30", "on line 40")
    moved = tmp_path / original.name
    moved.write_text(text, encoding="utf-8")
    _assert_moved_keeps_prints(original, moved)


# ------------------------------------------------------------------------------ real tools

BIN = Path(sys.executable).parent

SAMPLE = '''
"""A sample module with planted problems; the test knows what each tool must find."""

import os
import subprocess


def run(command: str) -> int:
    """Run a command through the shell (planted: shell=True)."""
    return subprocess.call(command, shell=True)


def run_again(command: str) -> int:
    """The same call once more (planted: shell=True again)."""
    return subprocess.call(command, shell=True)


def total(prices: dict[str, int]) -> int:
    """Add a rate that was never defined (planted: undefined name, optional operand)."""
    return prices.get("a") + 1 + undefined_rate
'''

CLEAN = '''
"""Nothing to report here."""


def double(value: int) -> int:
    """Twice the value."""
    return 2 * value
'''

RULES = """
rules:
  - id: shell-true
    pattern: subprocess.call(..., shell=True)
    message: subprocess called with shell=True
    languages: [python]
    severity: ERROR
    metadata:
      cwe: ["CWE-78: Improper Neutralization of Special Elements used in an OS Command"]
  - id: optional-get-arithmetic
    pattern: $D.get(...) + $X
    message: arithmetic on the result of dict.get, which may be None
    languages: [python]
    severity: WARNING
  - id: json-key-a
    pattern: '{"a": $X}'
    message: key a
    languages: [json]
    severity: INFO
"""

TERRAFORM = """
resource "aws_s3_bucket" "data" {
  #checkov:skip=CKV_AWS_21:versioning is not needed for scratch data
  bucket = "my-data-bucket"
  acl    = "public-read"
}

resource "aws_security_group" "ssh" {
  name = "ssh"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
"""

DOCKERFILE = """FROM python:3.12-slim
RUN pip install flask
CMD ["flask", "run"]
"""

CHECKS = "CKV_AWS_20,CKV_AWS_21,CKV_AWS_24,CKV_AWS_25,CKV_DOCKER_2,CKV_DOCKER_3,CKV_DOCKER_7"


def _tool(name: str) -> str:
    path = BIN / name
    if path.exists():
        return str(path)
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed in this environment")
    return found


def _run(folder: Path, out: str, *command: str, env: dict[str, str] | None = None) -> Path:
    """Run a tool in ``folder`` with its report on stdout; the report is written to ``out``."""
    result = subprocess.run(
        command,
        cwd=folder,
        capture_output=True,
        check=False,
        timeout=300,
        env={**os.environ, **(env or {})},
    )
    path = folder / out
    path.write_bytes(result.stdout)
    assert result.stdout.strip(), f"{command[0]} wrote nothing: {result.stderr.decode()[-2000:]}"
    return path


@pytest.fixture(scope="module")
def python_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("static-python")
    (folder / "sample.py").write_text(textwrap.dedent(SAMPLE).lstrip())
    (folder / "clean.py").write_text(textwrap.dedent(CLEAN).lstrip())
    (folder / "reveal.py").write_text("reveal_type(1)\n")
    (folder / "broken.py").write_text("def broken(:\n    pass\n")
    (folder / "bad.json").write_text('{"a": [1, 2,,, }\n')
    (folder / "rules.yml").write_text(RULES)
    return folder


@pytest.fixture(scope="module")
def pylint_reports(python_project: Path) -> Path:
    pylint = _tool("pylint")
    for kind in ("json", "json2"):
        _run(python_project, f"pylint.{kind}", pylint, f"--output-format={kind}", "sample.py")
    _run(python_project, "pylint-clean.json", pylint, "--output-format=json", "clean.py")
    return python_project


def test_pylint_real_json_and_json2(pylint_reports: Path) -> None:
    for kind in ("json", "json2"):
        path = pylint_reports / f"pylint.{kind}"
        assert claimed_by(family_static.READERS, path) == f"pylint-{kind}"
        report = read_report(path)
        assert [(f.rule, f.severity, f.line) for f in report.findings] == [
            ("E0602", Severity.HIGH, 19),
            ("W0611", Severity.MEDIUM, 3),
        ]
        assert report.skipped == []
    json2 = read_report(pylint_reports / "pylint.json2")
    assert json2.notes and json2.notes[0].startswith("pylint score ")


def test_pylint_real_clean_run_is_an_empty_list(pylint_reports: Path) -> None:
    path = pylint_reports / "pylint-clean.json"
    assert path.read_text().strip() == "[]"
    report = read_report(path, format="pylint-json")
    assert report.read_count == 0


@pytest.fixture(scope="module")
def ruff_reports(python_project: Path) -> Path:
    ruff = _tool("ruff")
    for kind in ("json", "json-lines", "sarif"):
        _run(
            python_project,
            f"ruff.{kind}",
            ruff,
            "check",
            "--isolated",
            "--no-cache",
            "--select",
            "F,S,E",
            f"--output-format={kind}",
            "sample.py",
            "broken.py",
        )
    return python_project


SYNTAX_RULES = {"invalid-syntax", "E999"}  # ruff ≥ 0.9, and 0.0.x; 0.1–0.8 wrote null


def test_ruff_real_json_and_json_lines(ruff_reports: Path) -> None:
    prints = []
    for kind in ("json", "json-lines"):
        path = ruff_reports / f"ruff.{kind}"
        assert claimed_by(family_static.READERS, path) == f"ruff-{kind}"
        report = read_report(path)
        planted = [(f.rule, f.severity) for f in report.findings if f.rule not in SYNTAX_RULES]
        assert sorted(planted) == [
            ("F401", Severity.LOW),
            ("F821", Severity.HIGH),
            ("S602", Severity.MEDIUM),
            ("S602", Severity.MEDIUM),
        ]
        syntax = [f for f in report.findings if f.rule in SYNTAX_RULES]
        assert syntax and all(f.severity is Severity.HIGH for f in syntax)
        assert all(f.path and f.path.endswith("broken.py") for f in syntax)
        assert len({f.fingerprint for f in report.findings}) == len(report.findings)
        prints.append(sorted(f.fingerprint for f in report.findings))
    assert prints[0] == prints[1]


def test_ruff_real_sarif_is_read_as_sarif(ruff_reports: Path) -> None:
    path = ruff_reports / "ruff.sarif"
    assert detect_format(path).format == "sarif"
    assert _claimed_by_a_tool_reader(path) == []
    assert read_report(path).read_count == read_report(ruff_reports / "ruff.json").read_count


@pytest.fixture(scope="module")
def mypy_reports(python_project: Path) -> Path:
    mypy = _tool("mypy")
    common = ("--no-incremental", "--cache-dir", os.devnull, "--no-error-summary")
    files = ("sample.py", "reveal.py")
    _run(python_project, "mypy.txt", mypy, *common[:3], *files)
    _run(
        python_project,
        "mypy-pretty.txt",
        mypy,
        *common[:3],
        "--pretty",
        "--show-error-context",
        "--show-column-numbers",
        *files,
        env={"MYPY_FORCE_TERMINAL_WIDTH": "60", "COLUMNS": "60"},
    )
    _run(python_project, "mypy-no-summary.txt", mypy, *common, *files)
    _run(python_project, "mypy.jsonl", mypy, *common[:3], "-O", "json", *files)
    _run(python_project, "mypy-broken.txt", mypy, *common[:3], "broken.py")
    return python_project


def test_mypy_real_text(mypy_reports: Path) -> None:
    path = mypy_reports / "mypy.txt"
    assert claimed_by(family_static.READERS, path) == "mypy-text"
    report = read_report(path)
    assert [(f.rule, f.tool_severity, f.path, f.line) for f in report.findings] == [
        ("note", "note", "reveal.py", 1),
        ("operator", "error", "sample.py", 19),
        ("name-defined", "error", "sample.py", 19),
    ]
    assert [s.reason for s in report.skipped] == ["note on the preceding error"]


def test_mypy_real_pretty_wraps_but_reads_the_same(mypy_reports: Path) -> None:
    pretty_text = (mypy_reports / "mypy-pretty.txt").read_text()
    assert "^" in pretty_text and 'In function "total"' in pretty_text
    plain = read_report(mypy_reports / "mypy.txt")
    pretty = read_report(mypy_reports / "mypy-pretty.txt")
    assert [f.title for f in pretty.findings] == [f.title for f in plain.findings]
    assert [f.fingerprint for f in pretty.findings] == [f.fingerprint for f in plain.findings]
    assert [f.column for f in pretty.findings] == [13, 12, 34]
    assert Counter(s.reason for s in pretty.skipped) == {
        "note on the preceding error": 1,
        "error context (--show-error-context)": 1,
    }


def test_mypy_real_text_without_summary_is_refused(mypy_reports: Path) -> None:
    path = mypy_reports / "mypy-no-summary.txt"
    with pytest.raises(ReportError, match="no mypy summary line"):
        read_report(path, format="mypy-text")


def test_mypy_real_blocking_syntax_error(mypy_reports: Path) -> None:
    report = read_report(mypy_reports / "mypy-broken.txt")
    # how many syntax errors `def broken(:` gives depends on mypy's parser (mypy 2: two)
    assert report.findings
    assert {(f.rule, f.severity) for f in report.findings} == {("syntax", Severity.HIGH)}
    assert len({f.fingerprint for f in report.findings}) == len(report.findings)
    assert report.notes == ["mypy stopped early: errors prevented further checking"]


def test_mypy_real_json_agrees_with_text(mypy_reports: Path) -> None:
    path = mypy_reports / "mypy.jsonl"
    assert claimed_by(family_static.READERS, path) == "mypy-json"
    report = read_report(path)
    assert [(f.rule, f.severity, f.line) for f in report.findings] == [
        ("misc", Severity.INFO, 1),
        ("operator", Severity.MEDIUM, 19),
        ("name-defined", Severity.MEDIUM, 19),
    ]
    text = read_report(mypy_reports / "mypy.txt")
    assert [f.fingerprint for f in report.findings[1:]] == [
        f.fingerprint for f in text.findings[1:]
    ]
    assert [f.column for f in report.findings[1:]] == [12, 34]  # 1-based, as the text says


SEMGREP_ENV = {"SEMGREP_ENABLE_VERSION_CHECK": "0", "SEMGREP_SEND_METRICS": "off"}


@pytest.fixture(scope="module")
def semgrep_reports(python_project: Path) -> Path:
    semgrep = _tool("semgrep")
    args = ("--config", "rules.yml", "--metrics=off", "--disable-version-check", "--quiet")
    targets = ("sample.py", "bad.json")
    _run(python_project, "semgrep.json", semgrep, *args, "--json", *targets, env=SEMGREP_ENV)
    _run(python_project, "semgrep.sarif", semgrep, *args, "--sarif", *targets, env=SEMGREP_ENV)
    return python_project


def test_semgrep_real_json_offline(semgrep_reports: Path) -> None:
    path = semgrep_reports / "semgrep.json"
    assert claimed_by(family_static.READERS, path) == "semgrep-json"
    report = read_report(path)
    assert [(f.rule, f.severity, f.line) for f in report.findings] == [
        ("shell-true", Severity.HIGH, 9),
        ("shell-true", Severity.HIGH, 14),
        ("optional-get-arithmetic", Severity.MEDIUM, 19),
    ]
    assert report.findings[0].cwe == ("CWE-78",)
    assert report.findings[0].fingerprint != report.findings[1].fingerprint
    assert len(report.notes) == 1 and "bad.json" in report.notes[0]
    assert report.tool_version


def test_semgrep_real_sarif_is_read_as_sarif(semgrep_reports: Path) -> None:
    path = semgrep_reports / "semgrep.sarif"
    assert detect_format(path).format == "sarif"
    assert _claimed_by_a_tool_reader(path) == []
    assert read_report(path).read_count == 3


CHECKOV_ENV = {"BC_SKIP_MAPPING": "TRUE", "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false"}


@pytest.fixture(scope="module")
def checkov_reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    checkov = _tool("checkov")
    folder = tmp_path_factory.mktemp("static-checkov")
    (folder / "infra").mkdir()
    (folder / "infra" / "main.tf").write_text(TERRAFORM)
    (folder / "infra" / "Dockerfile").write_text(DOCKERFILE)
    (folder / "nothing").mkdir()
    (folder / "nothing" / "README.md").write_text("no infrastructure here\n")
    base = (checkov, "-o", "json", "--skip-download")
    _run(
        folder,
        "full.json",
        *base,
        "-d",
        "infra",
        "--framework",
        "terraform",
        "dockerfile",
        "--check",
        CHECKS,
        env=CHECKOV_ENV,
    )
    _run(
        folder,
        "quiet.json",
        *base,
        "-d",
        "infra",
        "--framework",
        "terraform",
        "--quiet",
        "--check",
        CHECKS,
        env=CHECKOV_ENV,
    )
    _run(
        folder, "nothing.json", *base, "-d", "nothing", "--framework", "terraform", env=CHECKOV_ENV
    )
    return folder


def test_checkov_real_multi_framework(checkov_reports: Path) -> None:
    path = checkov_reports / "full.json"
    assert claimed_by(family_static.READERS, path) == "checkov-json"
    report = read_report(path)
    assert sorted(f.rule for f in report.findings) == [
        "CKV_AWS_20",
        "CKV_AWS_24",
        "CKV_DOCKER_2",
        "CKV_DOCKER_3",
    ]
    assert Counter(s.reason for s in report.skipped) == {
        "check passed": 2,
        "check skipped (suppressed): versioning is not needed for scratch data": 1,
    }
    assert set((report.schema_version or "").split(", ")) == {"terraform", "dockerfile"}
    assert report.notes == []


def test_checkov_real_quiet_counts_the_unlisted(checkov_reports: Path) -> None:
    report = read_report(checkov_reports / "quiet.json")
    assert sorted(f.rule for f in report.findings) == ["CKV_AWS_20", "CKV_AWS_24"]
    assert report.skipped == []
    assert report.notes == [
        "terraform: 1 passed checks are counted in the summary but not listed (checkov --quiet?)",
        "terraform: 1 skipped checks are counted in the summary but not listed (checkov --quiet?)",
    ]


def test_checkov_real_nothing_to_scan(checkov_reports: Path) -> None:
    path = checkov_reports / "nothing.json"
    assert claimed_by(family_static.READERS, path) == "checkov-json"
    report = read_report(path)
    assert (report.read_count, report.tool_version is not None) == (0, True)


# ------------------------------------------------------------------------------ corpus


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/reports is absent")
def test_corpus_semgrep_moved_finding_keeps_its_fingerprint() -> None:
    """DefectDojo's pair: the same finding on line 31, then on line 24 of the next run."""
    first = read_report(CORPUS / "semgrep/json/close_old_findings_report_line31.json").findings
    moved = read_report(
        CORPUS / "semgrep/json/close_old_findings_report_second_run_line24.json"
    ).findings
    other = read_report(
        CORPUS / "semgrep/json/close_old_findings_report_third_run_different_unique_id.json"
    ).findings
    assert [f.line for f in first] != [f.line for f in moved]
    assert [f.fingerprint for f in first] == [f.fingerprint for f in moved]
    assert [f.fingerprint for f in first] != [f.fingerprint for f in other]


# ------------------------------------------------------------------------------ properties

READ_LINES = [name for name in read_fixtures(".jsonl") if format_of(name) in STATIC]
READ_TEXT = [name for name in read_fixtures(".txt") if format_of(name) in STATIC]


@PROPERTY
@given(name=st.sampled_from(READ_LINES), pick=st.integers(min_value=0), value=JSON_VALUES)
def test_mutated_json_lines_raise_only_report_errors(
    tmp_path: Path, name: str, pick: int, value: Any
) -> None:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    nodes = places(rows)
    mutated = replaced(rows, nodes[pick % len(nodes)], value)
    lines = mutated if isinstance(mutated, list) else [mutated]
    content = "".join(json.dumps(row) + "\n" for row in lines)
    only_report_errors(STATIC[format_of(name)], tmp_path / "mutated.jsonl", content)


@PROPERTY
@given(
    name=st.sampled_from(READ_TEXT),
    lines=st.lists(st.integers(min_value=0), max_size=4),
    junk=st.text(max_size=40),
)
def test_mutated_mypy_text_raises_only_report_errors(
    tmp_path: Path, name: str, lines: list[int], junk: str
) -> None:
    rows = (FIXTURES / name).read_text(encoding="utf-8").splitlines()
    for pick in lines:
        rows[pick % len(rows)] = junk
    only_report_errors(STATIC[format_of(name)], tmp_path / "mutated.txt", "\n".join(rows))

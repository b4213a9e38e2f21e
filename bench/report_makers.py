"""Synthetic tool reports in the shapes the real tools write, for the benchmarks.

Each maker takes a seeded random source and a number of findings and returns the report as the
tool would serialise it. The bytes matter as much as the counts: real reports carry the
offending code and long descriptions, which is where most of their size comes from, so the
makers do too. Nothing here knows Phasebook; the tests read the output back with Phasebook's
readers to prove the shapes are real.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

WORDS = (
    "request", "token", "session", "cache", "model", "loader",
    "parser", "encoder", "user", "admin", "query",
)
SEVERITIES = ("LOW", "MEDIUM", "HIGH")
PYLINT_TYPES = ("convention", "refactor", "warning", "error")


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choices(WORDS, k=words))


def _code(rng: random.Random) -> str:
    # Real reports carry the offending lines; they are most of the bytes.
    return "".join(f"{n} {_text(rng, 12)} = call({_text(rng, 6)})\n" for n in range(40, 52))


def bandit(rng: random.Random, count: int) -> dict[str, Any]:
    """``bandit -f json``."""
    results = [
        {
            "code": _code(rng),
            "col_offset": 4,
            "end_col_offset": 40,
            "filename": f"src/pkg/module_{i % 997}.py",
            "issue_confidence": rng.choice(SEVERITIES),
            "issue_cwe": {"id": 78, "link": "https://cwe.mitre.org/data/definitions/78.html"},
            "issue_severity": rng.choice(SEVERITIES),
            "issue_text": _text(rng, 14),
            "line_number": 40 + i % 300,
            "line_range": [40, 41],
            "more_info": "https://bandit.readthedocs.io/en/1.9.4/plugins/b602.html",
            "test_id": f"B{600 + i % 20}",
            "test_name": "subprocess_popen_with_shell_equals_true",
        }
        for i in range(count)
    ]
    return {
        "errors": [],
        "generated_at": "2026-11-28T10:00:00Z",
        "metrics": {"_totals": {"loc": 100000, "nosec": 0}},
        "results": results,
    }


def trivy(rng: random.Random, count: int) -> dict[str, Any]:
    """``trivy image --format json`` (SchemaVersion 2)."""
    vulns = [
        {
            "VulnerabilityID": f"CVE-2026-{10000 + i}",
            "PkgName": f"lib{i % 500}",
            "InstalledVersion": "1.2.3",
            "FixedVersion": "1.2.4",
            "Severity": rng.choice(("LOW", "MEDIUM", "HIGH", "CRITICAL")),
            "Title": _text(rng, 10),
            "Description": _text(rng, 120),
            "CweIDs": ["CWE-79"],
            "References": [f"https://example.org/advisory/{i}/{n}" for n in range(6)],
        }
        for i in range(count)
    ]
    return {
        "SchemaVersion": 2,
        "CreatedAt": "2026-11-28T10:00:00Z",
        "ArtifactName": "registry.example.org/bot:1.0",
        "ArtifactType": "container_image",
        "Results": [{"Target": "app (debian 12)", "Class": "os-pkgs", "Type": "debian",
                     "Vulnerabilities": vulns}],
    }


def sarif(rng: random.Random, count: int) -> dict[str, Any]:
    """``semgrep --sarif``: SARIF 2.1.0 with the matched code as snippets."""
    results = [
        {
            "ruleId": f"rule-{i % 50}",
            "level": rng.choice(("note", "warning", "error")),
            "message": {"text": _text(rng, 40)},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": f"src/pkg/module_{i % 997}.py"},
                        "region": {"startLine": 1 + i % 400, "snippet": {"text": _code(rng)}},
                    }
                }
            ],
        }
        for i in range(count)
    ]
    rules = [{"id": f"rule-{n}", "shortDescription": {"text": _text(rng, 6)}} for n in range(50)]
    return {
        "version": "2.1.0",
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "runs": [{"tool": {"driver": {"name": "semgrep", "rules": rules}}, "results": results}],
    }


def pylint_json2(rng: random.Random, count: int) -> dict[str, Any]:
    """``pylint --output-format=json2``: messages, and statistics that must agree with them."""
    messages = []
    type_counts = dict.fromkeys(("fatal", "error", "warning", "refactor", "convention", "info"), 0)
    for i in range(count):
        kind = rng.choice(PYLINT_TYPES)
        type_counts[kind] += 1
        module = f"pkg.module_{i % 997}"
        messages.append(
            {
                "type": kind,
                "symbol": f"symbol-{i % 40}",
                "message": _text(rng, 12),
                "messageId": f"{kind[0].upper()}{1100 + i % 40}",
                "confidence": "HIGH",
                "module": module,
                "obj": f"function_{i % 211}",
                "line": 1 + i % 500,
                "column": 4,
                "endLine": 1 + i % 500,
                "endColumn": 30,
                "path": f"src/pkg/module_{i % 997}.py",
                "absolutePath": f"/work/src/pkg/module_{i % 997}.py",
            }
        )
    return {
        "messages": messages,
        "statistics": {"messageTypeCount": type_counts, "modulesLinted": 997, "score": 4.2},
    }


def semgrep_json(rng: random.Random, count: int) -> dict[str, Any]:
    """``semgrep --json`` (the CLI, not logged in: no match hashes)."""
    results = [
        {
            "check_id": f"rules.python.rule-{i % 60}",
            "path": f"src/pkg/module_{i % 997}.py",
            "start": {"line": 1 + i % 400, "col": 5, "offset": 120 * (i % 400)},
            "end": {"line": 3 + i % 400, "col": 9, "offset": 120 * (i % 400) + 240},
            "extra": {
                "message": _text(rng, 24),
                "metadata": {"cwe": ["CWE-78: OS Command Injection"], "confidence": "MEDIUM"},
                "severity": rng.choice(("INFO", "WARNING", "ERROR")),
                "fingerprint": "requires login",
                "lines": "requires login",
                "is_ignored": False,
            },
        }
        for i in range(count)
    ]
    return {
        "version": "1.185.0",
        "results": results,
        "errors": [],
        "paths": {"scanned": [f"src/pkg/module_{n}.py" for n in range(997)]},
    }


def cobertura(rng: random.Random, files: int) -> str:
    """``coverage xml``: one class per file, 120 lines each."""
    parts = [
        '<?xml version="1.0" ?>\n',
        f'<coverage version="7.6.1" timestamp="1764324000000" lines-valid="{files * 120}" '
        f'lines-covered="{files * 90}" line-rate="0.75" branches-covered="0" '
        'branches-valid="0" branch-rate="0" complexity="0">\n',
        "<sources><source>/src</source></sources>\n<packages>\n",
        '<package name="pkg" line-rate="0.8" branch-rate="0.7" complexity="0"><classes>\n',
    ]
    for n in range(files):
        parts.append(
            f'<class name="m{n}.py" filename="pkg/m{n}.py" complexity="0" line-rate="0.8" '
            'branch-rate="0.7"><methods/><lines>\n'
        )
        parts.extend(
            f'<line number="{line}" hits="{rng.choice((0, 1, 1, 1, 3))}"/>\n'
            for line in range(1, 121)
        )
        parts.append("</lines></class>\n")
    parts.append("</classes></package>\n</packages>\n</coverage>\n")
    return "".join(parts)


@dataclass(frozen=True)
class Maker:
    """One tool's report: its file name stem, suffix, Phasebook format and how to make it."""

    tool: str
    suffix: str
    format: str
    make: Callable[[random.Random, int], dict[str, Any]]


MAKERS: tuple[Maker, ...] = (
    Maker("bandit", ".json", "bandit-json", bandit),
    Maker("trivy", ".json", "trivy-json", trivy),
    Maker("semgrep-sarif", ".sarif", "sarif", sarif),
    Maker("pylint", ".json", "pylint-json2", pylint_json2),
    Maker("semgrep", ".json", "semgrep-json", semgrep_json),
)
"""The JSON families, cycled through when reports are made (one of each every five)."""

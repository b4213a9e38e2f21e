"""Generate a large programme's reports for the reader benchmark.

About 100,000 findings across 30 reports (~150 MB: bandit, trivy and semgrep JSON, SARIF,
pylint json2) and a Cobertura XML of 10,000 files. Shapes follow what the tools write.

    python bench/generate_large.py OUT_DIR [--findings 100000] [--files 10000]
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

WORDS = (
    "request", "token", "session", "cache", "model", "loader",
    "parser", "encoder", "user", "admin", "query",
)
SEVERITIES = ("LOW", "MEDIUM", "HIGH")


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


def _code(rng: random.Random) -> str:
    # Real reports carry the offending lines; they are most of the bytes.
    return "".join(f"{n} {_text(rng, 12)} = call({_text(rng, 6)})\n" for n in range(40, 52))


def bandit(rng: random.Random, count: int) -> dict[str, Any]:
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


def cobertura(rng: random.Random, files: int) -> str:
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


MAKERS: tuple[tuple[str, Callable[[random.Random, int], dict[str, Any]]], ...] = (
    ("bandit", bandit),
    ("trivy", trivy),
    ("semgrep-sarif", sarif),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--findings", type=int, default=100_000)
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--reports", type=int, default=30)
    args = parser.parse_args()
    rng = random.Random(2026)
    args.out.mkdir(parents=True, exist_ok=True)
    per_report = args.findings // args.reports
    for index in range(args.reports):
        name, make = MAKERS[index % len(MAKERS)]
        suffix = ".sarif" if name.endswith("sarif") else ".json"
        path = args.out / f"{index:02d}-{name}{suffix}"
        path.write_text(json.dumps(make(rng, per_report)), encoding="utf-8")
    (args.out / "coverage.xml").write_text(cobertura(rng, args.files), encoding="utf-8")
    total = sum(p.stat().st_size for p in args.out.iterdir())
    print(f"wrote {args.reports} reports + coverage.xml to {args.out}: {total / 1e6:.0f} MB")


if __name__ == "__main__":
    main()

"""The published snapshot: grouped findings that read back as the entries they were."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from phasebook.history import load_history
from phasebook.output.snapshot import (
    DETAILS_PER_PHASE,
    SNAPSHOT_VERSION,
    compact_findings,
    expand_findings,
    snapshot_json,
)

SEVERITIES = ("critical", "high", "medium", "low", "info")


def _entries(count: int, seed: int = 7) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    return [
        {
            "fingerprint": f"{rng.getrandbits(80):020x}",
            "role": rng.choice(("code-security", "lint", None)),
            "tool": rng.choice(("bandit", "trivy", "pylint")),
            "rule": f"CVE-2026-{n:05d}",  # scanners' rules are often one per finding
            "severity": rng.choice(SEVERITIES),
            "title": f"finding number {n} in a module that does something",
            "path": f"src/pkg/module_{n % 997}.py",
        }
        for n in range(count)
    ]


def _document(entries: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "phasebook_snapshot": SNAPSHOT_VERSION,
        "as_of": "2026-12-04",
        "programme": {"name": "p", "version": "1"},
        "phases": {"1": {"title": "One", "findings": entries}},
    }


def test_grouped_findings_read_back_as_their_entries() -> None:
    entries = _entries(5_000)
    back = expand_findings(json.loads(json.dumps(compact_findings(entries))))
    key = ("fingerprint", "role", "tool", "severity")
    assert sorted(tuple(e[k] for k in key) for e in back) == sorted(
        tuple(e[k] for k in key) for e in entries
    )
    # Most severe first; titles and paths kept for the most severe only.
    ranks = [SEVERITIES.index(e["severity"]) for e in back]
    assert ranks == sorted(ranks)
    detailed = [e for e in back if e["title"] is not None]
    assert len(detailed) == DETAILS_PER_PHASE
    assert {e["severity"] for e in detailed} == {"critical"}
    original = {e["fingerprint"]: e for e in entries}
    for entry in detailed:
        assert {k: original[entry["fingerprint"]][k] for k in ("rule", "title", "path")} == {
            k: entry[k] for k in ("rule", "title", "path")
        }
    assert {(e["rule"], e["title"], e["path"]) for e in back if e not in detailed} == {
        (None, None, None)
    }


def test_a_hundred_thousand_findings_publish_in_under_three_megabytes() -> None:
    text = snapshot_json(_document(_entries(100_000)))
    assert len(text.encode("utf-8")) < 3 * 1024 * 1024
    assert "\n" not in text.rstrip("\n")  # compact: one line


def test_history_reads_both_versions(tmp_path: Path) -> None:
    entries = _entries(50)
    old = {**_document(entries), "phasebook_snapshot": 1, "as_of": "2026-11-01"}
    (tmp_path / "a-v1.json").write_text(json.dumps(old), encoding="utf-8")
    (tmp_path / "b-v2.json").write_text(snapshot_json(_document(entries)), encoding="utf-8")
    first, second = load_history(tmp_path)
    assert first.fingerprints().keys() == second.fingerprints().keys() == {
        e["fingerprint"] for e in entries
    }
    assert second.phase(1)["findings"][0]["tool"] in ("bandit", "trivy", "pylint")

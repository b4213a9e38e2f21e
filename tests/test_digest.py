"""``phasebook digest``: what changed since an earlier snapshot, as Markdown or Slack text.

A small programme is snapshotted through the CLI (``phasebook snapshot --out``), then changed
the way a week changes one: a gate flips, a finding appears and another is fixed, a risk is
raised and another closed, a decision is made and a task runs late. The digest must say each,
in both formats, with hostile text inert in each.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.conftest import ROOT, write

from phasebook.cli import main
from phasebook.history import load_history
from phasebook.readers import read_report

PHASE = """\
number: 1
title: Audit
status: active
actual_start: 2026-01-05
plan:
  - {id: T1, title: Write it, start: 2026-01-05, end: 2026-01-09, status: in_progress}
decisions:
  - {id: ADR-0, title: Old news, date: 2026-01-05, status: accepted, rationale: Before.}
risks:
  - {id: R-1, title: First risk, likelihood: 2, impact: 2, status: open}
reports:
  - {path: reports/ruff.json, format: ruff-json}
"""
HOSTILE_RISK = "<!channel> *all* <script>x</script> [y](javascript:z) a@evil.example"


def finding(code: str, path: str, message: str) -> dict[str, object]:
    return {"code": code, "filename": path, "message": message, "fix": None, "noqa_row": 1,
            "location": {"row": 1, "column": 1}, "end_location": {"row": 1, "column": 2}}


def digest(capsys: pytest.CaptureFixture[str], data: Path, *args: str) -> tuple[int, str, str]:
    """``phasebook digest`` in this process, as of 2026-01-14: status, stdout, stderr."""
    status = main(["digest", "--data", str(data), "--as-of", "2026-01-14", *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def snapshot(capsys: pytest.CaptureFixture[str], data: Path, day: str) -> Path:
    out = data / "history" / f"{day}.json"
    out.parent.mkdir(exist_ok=True)
    assert main(["snapshot", "--data", str(data), "--as-of", day, "--out", str(out)]) == 0
    capsys.readouterr()
    return out


@pytest.fixture
def week(programme_dir: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> Path:
    """A programme snapshotted on 2026-01-08, then changed by a week's work."""
    data = programme_dir({1: PHASE})
    write(data / "reports/ruff.json", json.dumps([
        finding("F821", "src/a.py", "undefined name `a`"),
        finding("E501", "src/b.py", "line too long"),
    ]))
    snapshot(capsys, data, "2026-01-08")
    write(data / "reports/ruff.json", json.dumps([
        finding("E501", "src/b.py", "line too long"),
        finding("<@U123>|S1`", "src/<c>.py", "new *thing* <script>"),
    ]))
    phase = PHASE.replace(
        "status: open}",
        f'status: closed}}\n  - {{id: R-2, title: "{HOSTILE_RISK}", likelihood: 2, impact: 3}}',
    )
    phase += "signoffs:\n  review: [{who: Rae, date: 2026-01-12, verdict: approved}]\n"
    phase = phase.replace("rationale: Before.}", "rationale: Before.}\n"
                          "  - {id: ADR-1, title: Pick tools, date: 2026-01-12, status: accepted}")
    write(data / "phases/phase-1.yml", phase)
    return data


def severity_of(data: Path, code: str) -> str:
    """The severity the ruff reader gives a rule (read, not assumed)."""
    report = read_report(data / "reports/ruff.json", "ruff-json")
    return next(f.severity.value for f in report.findings if f.rule == code)


def test_markdown_says_what_changed(week: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = digest(capsys, week)
    assert status == 0, err
    lines = out.splitlines()
    assert lines[0] == "## Test programme — update of 2026-01-14"
    assert "Changes since 2026-01-08 (snapshot `2026-01-08.json`)." in lines
    assert "- Phase 1 · Audit: Review ⚪ no data → ✅ pass" in lines
    assert "**1** new, **1** fixed." in lines
    # ruff is a linter: its findings are never counted as vulnerabilities.
    assert "- Vulnerabilities: **0** new, **0** fixed" in lines
    assert "- Lint and type findings: **1** new, **1** fixed" in lines
    assert "Most severe new (lint and type findings):" in lines
    new = severity_of(week, "<@U123>|S1`")
    assert f"- New by severity: {new} 1; by tool: ruff 1" in lines
    assert f"- **{new}** ruff `` <@U123>|S1` `` in `src/<c>.py`" in lines
    assert "- **high** ruff `F821` in `src/a.py`" in lines  # F821 (undefined name) is fixed
    raised = next(line for line in lines if line.startswith("- Raised: **R-2**"))
    assert raised.endswith("(phase 1, score 6, open)")
    assert "- Closed: **R-1** First risk (phase 1): open → closed" in lines
    assert "- Phase 1 · Audit: task T1 Write it\\: due 2026-01-09 (5 days ago), in progress" in lines
    assert "- **ADR-1** Pick tools (phase 1, accepted, 2026-01-12)" in lines
    assert "ADR-0" not in out  # decided before the snapshot


def test_markdown_renders_report_and_yaml_text_inert(
    week: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cmarkgfm = pytest.importorskip("cmarkgfm", reason="cmarkgfm (GitHub's renderer) is needed")
    from cmarkgfm.cmark import Options

    out = digest(capsys, week)[1]
    html = cmarkgfm.github_flavored_markdown_to_html(out, options=Options.CMARK_OPT_UNSAFE)
    assert "<script" not in html and "<a " not in html and "<em>" not in html
    assert "&lt;!channel&gt; *all* &lt;script&gt;x&lt;/script&gt; [y](javascript:z)" in html


def test_slack_uses_mrkdwn_and_escapes_what_slack_reads(
    week: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = digest(capsys, week, "--format", "slack")
    assert status == 0
    lines = out.splitlines()
    assert lines[0] == "*Test programme — update of 2026-01-14*"
    assert "*Gates*" in lines and "*Findings*" in lines and "*Risks*" in lines
    assert "• Phase 1 · Audit: Review ⚪ no data → ✅ pass" in lines
    assert "*1* new, *1* fixed." in lines
    new = severity_of(week, "<@U123>|S1`")
    assert f"• *{new}* ruff `&lt;@U123&gt;|S1ˋ` in `src/&lt;c&gt;.py`" in lines
    assert f"• Raised: *R-2* {HOSTILE_RISK.replace('<', '&lt;').replace('>', '&gt;')}" \
           " (phase 1, score 6, open)" in lines
    assert "|" not in out.replace("|S1", "")  # no table
    # Nothing Slack reads as a mention, a link or a command: every < is escaped.
    assert "<" not in out and ">" not in out.replace("→", "")


def test_since_picks_the_newest_snapshot_on_or_before_it(
    week: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    earlier = json.loads((week / "history/2026-01-08.json").read_text())
    earlier["as_of"] = "2026-01-06"
    write(week / "history/2026-01-06.json", json.dumps(earlier))
    status, out, _ = digest(capsys, week, "--since", "2026-01-07")
    assert status == 0
    assert "Changes since 2026-01-06 (snapshot `2026-01-06.json`)." in out
    status, _, err = digest(capsys, week, "--since", "2026-01-01")
    assert status == 2
    assert "no snapshot in the history folder is dated on or before 2026-01-01" in err
    assert "(snapshots: 2026-01-06, 2026-01-08)" in err
    status, _, err = digest(capsys, week, "--since", "last week")
    assert status == 2 and "--since 'last week' is not a date" in err


def test_a_snapshot_from_before_risks_were_kept_says_so(
    week: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = week / "history/2026-01-08.json"
    document = json.loads(path.read_text())
    for phase in document["phases"].values():
        del phase["risks"]
    path.write_text(json.dumps(document))
    status, out, _ = digest(capsys, week)
    assert status == 0
    assert "The snapshot of 2026-01-08 records no risks" in out
    assert "Raised:" not in out


def test_output_file_and_errors(
    week: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "digest.md"
    status, out, _ = digest(capsys, week, "--output", str(target))
    assert status == 0 and out == ""
    assert target.read_text(encoding="utf-8").startswith("## Test programme — update of")
    status, _, err = digest(capsys, week, "--history", str(tmp_path / "nowhere"))
    assert status == 2 and "there is no history folder here" in err
    status, _, err = main(["digest", "--data", str(week), "--as-of", "2026-01-08"]), "", ""
    captured = capsys.readouterr()
    assert status == 2
    assert "no snapshot in the history folder is dated before 2026-01-08" in captured.err
    assert "Traceback" not in captured.err


def test_a_closed_pipe_is_no_error(week: Path) -> None:
    """`phasebook digest | head -0`: the reader is gone before the digest is written."""
    process = subprocess.Popen(
        [sys.executable, "-m", "phasebook.cli", "digest", "--data", str(week),
         "--as-of", "2026-01-14"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    with process.stderr:
        err = process.stderr.read().decode()
    assert process.wait() == 0, err
    assert err == ""


def test_the_examples_digest(capsys: pytest.CaptureFixture[str]) -> None:
    """The example compares with the newest snapshot of data/history before its day."""
    as_of = "2026-11-28"
    status = main(["digest", "--data", str(ROOT / "data"), "--root", str(ROOT),
                   "--as-of", as_of])
    captured = capsys.readouterr()
    assert status == 0, captured.err
    newest = [s for s in load_history(ROOT / "data/history") if s.as_of.isoformat() < as_of][-1]
    assert (f"Changes since {newest.as_of:%Y-%m-%d} (snapshot `{newest.path.name}`)."
            in captured.out.splitlines())
    for heading in ("Gates", "Findings", "Risks", "Late", "Decisions"):
        assert f"### {heading}" in captured.out.splitlines()

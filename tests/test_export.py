"""``phasebook export DIR``: the programme as a GitHub-flavoured Markdown tree.

The example programme is exported through the CLI (``phasebook.cli.main``) and every file is
checked against the build it came from; a small programme whose reports and YAML hold hostile
text shows that text comes out literal, rendered by cmark-gfm (GitHub's own renderer) when it
is installed. Then the folder rules: byte-identical re-exports, only the export's own files
touched, refusals that write nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import ROOT, write

from phasebook import escape
from phasebook.build import BuildSettings
from phasebook.cli import main
from phasebook.output.exportdir import MARKER
from phasebook.output.tree import SECTION_FILES, report_path, section_path
from phasebook.pipeline import build

AS_OF = "2026-11-28"


def export(capsys: pytest.CaptureFixture[str], folder: Path, *args: str) -> tuple[int, str, str]:
    """``phasebook export FOLDER ARGS`` in this process: exit status, stdout, stderr."""
    status = main(["export", str(folder), "--as-of", AS_OF, *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by POSIX path, with its bytes."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


class _Tags(HTMLParser):
    """The tags and attributes of rendered HTML, and its text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def render(markdown: str) -> _Tags:
    """The Markdown as github.com renders it (cmark-gfm with its extensions), parsed."""
    cmarkgfm = pytest.importorskip("cmarkgfm", reason="cmarkgfm (GitHub's renderer) is needed")
    from cmarkgfm.cmark import Options

    html = cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)
    parsed = _Tags()
    parsed.feed(html)
    return parsed


def folded(text: str) -> str:
    return " ".join(text.split())


def visible(text: str) -> str:
    """What a reader should see of ``text``: bidi controls named, C0 controls gone, folded."""
    named = "".join(f"<U+{ord(ch):04X}>" if ord(ch) in escape.BIDI_CONTROLS else ch
                    for ch in text)
    return folded("".join(ch for ch in named if ord(ch) >= 32 or ch in "\t\n\r"))


# The escapes, on any text ------------------------------------------------------------------

_TEXTS = st.lists(
    st.one_of(st.sampled_from(list("|\\`*_[]()<>!#&:;@~$=+-.0123 \n\twx/")),
              st.sampled_from(["www.", "http://", "a@b.co", "<!--", "-->", "\u202e", "&#42;"]),
              st.characters()),
    max_size=20,
).map("".join)


@settings(deadline=None, max_examples=150)
@given(_TEXTS, _TEXTS)
def test_a_cell_and_a_code_cell_render_as_their_text(first: str, second: str) -> None:
    """Any text in a table cell, or as code in one, renders as itself: one cell each, no tag
    but the code's, no link (cmark-gfm, with github.com's autolinks)."""
    row = f"| {escape.gfm_cell(first)} | {escape.gfm_code(second, in_table=True)} | end |"
    page = render(f"| a | b | c |\n|---|---|---|\n{row}\n")
    tags = [tag for tag, _ in page.tags]
    assert tags.count("td") == 3
    assert set(tags) <= {"table", "thead", "tbody", "tr", "th", "td", "code"}
    cells = "".join(page.text).split("\n")
    expected_first = visible(first) or "—"
    expected_second = " ".join(visible(second).split()) or "—"
    assert folded(" ".join(cells)) == folded(f"a b c {expected_first} {expected_second} end")


@settings(deadline=None, max_examples=150)
@given(_TEXTS)
def test_text_anywhere_on_a_line_renders_as_itself(value: str) -> None:
    """Text that opens a line or a heading stays text: no list, heading, quote or link."""
    for line in (f"{escape.gfm_text(value)} tail", f"## {escape.gfm_text(value)}"):
        page = render(line + "\n")
        assert {tag for tag, _ in page.tags} <= {"p", "h2"}, line
        expected = folded(f"{visible(value)} tail" if line.endswith("tail") else visible(value))
        assert folded("".join(page.text)) == expected, line


# The example programme -------------------------------------------------------------------


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The example exported twice, into two new folders."""
    base = tmp_path_factory.mktemp("export")
    for name in ("first", "second"):
        status = main(["export", str(base / name), "--data", str(ROOT / "data"),
                       "--root", str(ROOT), "--as-of", AS_OF])
        assert status == 0
    return base / "first", base / "second"


def test_the_example_has_every_phase_section_and_report(example: tuple[Path, Path]) -> None:
    result = build(BuildSettings(ROOT / "data", ROOT, dt.date.fromisoformat(AS_OF)))
    expected = {"README.md", MARKER}
    for phase in result.programme.phases:
        expected |= {section_path(phase, section.slug) for section in SECTION_FILES}
        expected |= {report_path(phase, item) for item in result.assessment.of(phase).summary.reports}
    assert set(tree(example[0])) == expected


def test_the_readme_indexes_phases_gates_and_schedule(example: tuple[Path, Path]) -> None:
    result = build(BuildSettings(ROOT / "data", ROOT, dt.date.fromisoformat(AS_OF)))
    readme = (example[0] / "README.md").read_text(encoding="utf-8")
    for phase in result.programme.phases:
        item = result.assessment.of(phase)
        planned = result.schedule.of(phase.number)
        row = next(line for line in readme.splitlines()
                   if f"](phase-{phase.number}/00-PHASE_BRIEF.md)" in line)
        passed = sum(gate.verdict.passes for gate in item.gates)
        assert f"| {phase.status.value} |" in row
        assert f"{planned.start:%Y-%m-%d} → {planned.last_day:%Y-%m-%d}" in row
        assert f"| {passed} of {len(item.gates)} |" in row
        gates = next(line for line in readme.splitlines()
                     if line.startswith(f"| [{phase.number}](phase-{phase.number}/07-VALIDATION.md)"))
        verdicts = re.findall(r"\| \S+ ([a-z ]+?) (?=\|)", gates)
        assert verdicts == [gate.verdict.value for gate in item.gates]
    assert f"as of {AS_OF}" in readme


def test_an_export_is_byte_identical_and_plain(
    example: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = tree(example[0]), tree(example[1])
    assert first == second
    for path, data in first.items():
        text = data.decode("utf-8")
        assert "\r" not in text, path
        assert text.endswith("\n") and not text.endswith("\n\n"), path
        assert not [line for line in text.split("\n") if line != line.rstrip()], path
    status, out, _ = export(capsys, example[0], "--data", str(ROOT / "data"), "--root", str(ROOT))
    assert status == 0
    assert out.strip().endswith(f"0 written, {len(first) - 1} unchanged, 0 removed")
    assert tree(example[0]) == first


def test_every_link_of_the_example_leads_to_a_file_of_the_tree(
    example: tuple[Path, Path],
) -> None:
    folder = example[0]
    for path in tree(folder):
        if not path.endswith(".md"):
            continue
        page = render((folder / path).read_text(encoding="utf-8"))
        for tag, attrs in page.tags:
            href = attrs.get("href") if tag == "a" else None
            if href is None or href.startswith(("https://", "http://", "mailto:")):
                continue
            target = (folder / path).parent / href.split("#")[0]
            assert target.resolve().is_file(), f"{path}: {href}"


# A small programme with hostile text -------------------------------------------------------

HOSTILE = (
    "a|b\n<script>alert(1)</script> [x](javascript:alert(1)) x@evil.example "
    "www.evil.example http://evil.example `tick` **bold** ~~s~~ $m$ <!-- c --> #12"
)
SECRET = "AKIAQWERTYUIOPASDFGH"
PHASE = """\
number: 1
title: "Audit <b>one</b> | [x](javascript:alert(1))"
status: active
brief: |
  Plain **words**, then <script>alert(1)</script> and [a link](javascript:alert(1)),
  [b](javascript&#58;alert(2)) and [c](javascript\\:alert(3)).

  ```
  code keeps <b>this</b>
objectives: ["<img src=x onerror=alert(1)> | pipe"]
deliverables:
  - {id: D1, title: "Report | <i>x</i>", status: done, artifact: artifacts/report.md}
  - {id: D2, title: Missing, status: planned, artifact: artifacts/missing.md}
decisions:
  - {id: ADR-1, title: "Use <u>x</u>", date: 2026-01-10, status: accepted,
     rationale: "Because [y](javascript:alert(1)) <script>z</script>"}
risks:
  - {id: R-1, title: "Risk | <script>", likelihood: 3, impact: 4,
     mitigation: "Watch <b>it</b> | closely"}
reports:
  - {path: reports/ruff.json, format: ruff-json}
  - {path: reports/gitleaks.json}
"""


@pytest.fixture
def hostile(programme_dir: Callable[..., Path]) -> Path:
    """A programme whose YAML and reports hold markup, links, pipes, newlines and a secret."""
    data = programme_dir({1: PHASE})
    finding = {
        "code": "S<b>1</b>|2", "filename": "src/<img src=x>|we`ird.py", "message": HOSTILE,
        "location": {"row": 3, "column": 1}, "end_location": {"row": 3, "column": 2},
        "name": "rule", "url": "javascript:alert(1)", "fix": None, "noqa_row": 3,
    }
    write(data / "reports/ruff.json", json.dumps([finding]))
    leak = {
        "Description": f"AWS key {SECRET}", "StartLine": 3, "StartColumn": 1, "EndLine": 3,
        "EndColumn": 20, "Line": f"KEY={SECRET}", "Match": f"KEY={SECRET}", "Secret": SECRET,
        "File": "deploy/env.sh", "Commit": "abc", "RuleID": "aws-access-token",
    }
    write(data / "reports/gitleaks.json", json.dumps([leak]))
    write(data.parent / "artifacts/report.md", "# The report\n")
    return data


def test_hostile_text_comes_out_literal(
    hostile: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "programme"
    status, _, err = export(capsys, folder, "--data", str(hostile))
    assert status == 0, err
    files = tree(folder)
    for path, data in files.items():
        text = data.decode("utf-8")
        # Raw: no link to a refused URL, no bare autolink, no secret (tags: rendered below).
        assert not re.search(r"(?<!\\)\]\(javascript", text) and "www.evil" not in text, path
        assert "http://evil" not in text and "x@evil" not in text, path
        assert SECRET not in text, path
    report = (folder / report_path_named(files, "ruff")).read_text(encoding="utf-8")
    page = render(report)
    assert not [attrs for tag, attrs in page.tags if tag in ("script", "img", "b", "i", "u")]
    assert [tag for tag, _ in page.tags if tag == "a"] == ["a", "a"]  # the two navigation links
    # The message is shown whole, in one cell: the pipe and the newline split nothing.
    assert folded(HOSTILE) in folded("".join(page.text))
    assert "src/<img src=x>|we`ird.py:3" in "".join(page.text)


def report_path_named(files: dict[str, bytes], stem: str) -> str:
    return next(path for path in files if path.startswith("phase-1/03-FINDINGS/") and stem in path)


def test_hostile_yaml_stays_text_and_prose_stays_markdown(
    hostile: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "programme"
    assert export(capsys, folder, "--data", str(hostile))[0] == 0
    for path, data in tree(folder).items():
        if not path.endswith(".md"):
            continue
        page = render(data.decode("utf-8"))
        for tag, attrs in page.tags:
            assert tag not in ("script", "img", "u", "i"), (path, tag)
            href = attrs.get("href") or ""
            assert not href.startswith(("javascript", "http")), (path, href)
    brief = render((folder / "phase-1/00-PHASE_BRIEF.md").read_text(encoding="utf-8"))
    text = folded("".join(brief.text))
    assert "Audit <b>one</b> | [x](javascript:alert(1))" in text  # the title, literally
    assert "<script>alert(1)</script>" in text  # writers' raw HTML is shown, not run
    assert ("strong", {}) in brief.tags  # writers' Markdown is still Markdown
    assert "code keeps <b>this</b>" in text  # the unclosed fence was closed, its text kept
    assert "<img src=x onerror=alert(1)> | pipe" in text
    risk = "Watch <b>it</b> | closely"
    assert risk in text  # a prose cell keeps its pipe inside the cell


def test_artifacts_index_says_what_exists_and_links_it(
    hostile: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "programme"
    assert export(capsys, folder, "--data", str(hostile))[0] == 0
    index = (folder / "phase-1/04-ARTIFACTS/README.md").read_text(encoding="utf-8")
    found = next(line for line in index.splitlines() if line.startswith("| D1 |"))
    missing = next(line for line in index.splitlines() if line.startswith("| D2 |"))
    assert found.endswith("| yes |") and missing.endswith("| **no** |")
    link = re.search(r"\]\(([^)]+)\)", found)
    assert link is not None
    target = (folder / "phase-1/04-ARTIFACTS" / link.group(1)).resolve()
    assert target == (tmp_path / "artifacts/report.md").resolve()
    assert "](" not in missing  # no link to a file that is not there


# The folder rules --------------------------------------------------------------------------


def test_a_folder_of_someone_else_is_refused_and_left_alone(
    hostile: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "notes"
    write(folder / "todo.md", "mine\n")
    status, out, err = export(capsys, folder, "--data", str(hostile))
    assert status == 2 and not out
    assert f"error: {folder} holds files and no {MARKER} marker" in err
    assert tree(folder) == {"todo.md": b"mine\n"}
    status, _, err = export(capsys, hostile / "export", "--data", str(hostile))
    assert status == 2 and "is inside the data folder" in err
    assert not (hostile / "export").exists()
    status, _, err = export(capsys, tmp_path, "--data", str(hostile))
    assert status == 2 and "is the project folder or holds it" in err
    assert "Traceback" not in err


def test_only_the_exports_own_files_are_rewritten_or_removed(
    hostile: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "programme"
    assert export(capsys, folder, "--data", str(hostile))[0] == 0
    first = tree(folder)
    write(folder / "phase-1/NOTES.md", "a team's own notes\n")
    write(folder / MARKER, (folder / MARKER).read_text() + "../outside.txt\n/etc/passwd\n")
    write(tmp_path / "outside.txt", "keep me\n")
    gitleaks = report_path_named(first, "gitleaks")
    phase = (hostile / "phases/phase-1.yml").read_text()
    write(hostile / "phases/phase-1.yml", phase.replace("  - {path: reports/gitleaks.json}\n", ""))
    status, out, err = export(capsys, folder, "--data", str(hostile))
    assert status == 0, err
    assert out.strip().endswith(", 1 removed")
    after = tree(folder)
    assert gitleaks not in after
    assert after["phase-1/NOTES.md"] == b"a team's own notes\n"
    assert (tmp_path / "outside.txt").read_text() == "keep me\n"
    assert set(first) - set(after) == {gitleaks}


def test_a_file_in_the_way_is_refused_before_anything_is_written(
    hostile: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "programme"
    assert export(capsys, folder, "--data", str(hostile))[0] == 0
    first = tree(folder)
    write(hostile / "phases/phase-2.yml", "number: 2\ntitle: Two\n")
    write(folder / "phase-2/05-DECISIONS.md", "written by hand\n")
    status, _, err = export(capsys, folder, "--data", str(hostile))
    assert status == 2
    assert "these files exist and are not the export's own" in err
    assert "  phase-2/05-DECISIONS.md" in err.splitlines()
    assert tree(folder) == {**first, "phase-2/05-DECISIONS.md": b"written by hand\n"}


def test_a_symlink_out_of_the_folder_is_refused(
    hostile: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "programme"
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    folder.mkdir()
    (folder / MARKER).write_text("phase-1/00-PHASE_BRIEF.md\n")
    (folder / "phase-1").symlink_to(outside, target_is_directory=True)
    status, _, err = export(capsys, folder, "--data", str(hostile))
    assert status == 2 and "lead out of the folder through a symlink" in err
    assert not list(outside.iterdir())

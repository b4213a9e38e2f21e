"""Details rows made as each page is written, and the row builders that make them.

A report's details pages are most of a large site's bytes. MkDocs converts every page before it
writes the first, so the rows of a page left out of search are made only in ``on_post_page``:
while the site is built, those pages hold a placeholder, never their thousand rows.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import jinja2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import MKDOCS_YML, PHASE, PROGRAMME, build, write
from tests.test_golden import AS_OF, GOLDEN

from phasebook import escape
from phasebook.evidence import Finding, Report, Severity
from phasebook.pipeline import BuildSettings
from phasebook.pipeline import build as pipeline_build
from phasebook.render.blocks import fill_late
from phasebook.render.detail_rows import truncated
from phasebook.render.findings import merged_groups, report_groups, rule_groups
from phasebook.render.pages import Renderer

pytestmark = pytest.mark.slow

FINDINGS = 2_500
TESTS = 1_200

HOOK = """\
import json
from pathlib import Path

SEEN = {}


def on_page_context(context, page, config, nav):
    # After every page is converted, before this one is written: what MkDocs holds now.
    SEEN[page.file.src_uri] = {
        "rows": page.content.count("<tr>"),
        "placeholder": "<!--pb-block-" in page.content,
    }
    return context


def on_post_build(config):
    Path(config.config_file_path).with_name("seen.json").write_text(json.dumps(SEEN))
"""


def _bandit(count: int) -> str:
    results = [
        {
            "test_id": f"B{100 + n % 5}",
            "test_name": "check",
            "issue_severity": ("LOW", "MEDIUM", "HIGH")[n % 3],
            "issue_confidence": "HIGH",
            "issue_text": f"Issue <b>{n}</b> {{{{ 7 * 7 }}}}",
            "filename": f"src/m{n % 40}.py",
            "line_number": n + 1,
        }
        for n in range(count)
    ]
    document = {"generated_at": "2026-11-20T10:00:00Z", "errors": [], "results": results}
    return json.dumps({**document, "metrics": {}})


def _junit(count: int) -> str:
    cases = "".join(
        f'<testcase classname="t.m{n % 9}" name="case_{n}" time="0.01"/>' for n in range(count)
    )
    return f'<testsuite name="unit" tests="{count}" failures="0" errors="0">{cases}</testsuite>'


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, dict[str, object]]]:
    project = tmp_path_factory.mktemp("late")
    reports = (
        "reports:\n"
        "  - {path: reports/bandit.json, title: Bandit}\n"
        "  - {path: reports/junit.xml, title: Unit tests}\n"
    )
    write(project / "data/programme.yml", PROGRAMME)
    write(project / "data/phases/phase-1.yml", PHASE.format(number=1) + reports)
    write(project / "data/reports/bandit.json", _bandit(FINDINGS))
    write(project / "data/reports/junit.xml", _junit(TESTS))
    write(project / "hooks/seen.py", HOOK)
    config = MKDOCS_YML.format(extra_plugins="") + "hooks:\n  - hooks/seen.py\n"
    write(project / "mkdocs.yml", config)
    result = build(project, strict=False)
    assert result.returncode == 0, result.stderr
    seen = json.loads((project / "seen.json").read_text(encoding="utf-8"))
    return project / "site", seen


def _detail_pages(seen: dict[str, dict[str, object]]) -> list[str]:
    return sorted(uri for uri in seen if uri.startswith("phase-1/findings/"))


def test_detail_pages_hold_a_placeholder_until_written(built: tuple[Path, dict]) -> None:
    _, seen = built
    details = _detail_pages(seen)
    # 2,500 findings in parts of 1,000, and 1,200 test cases in two parts.
    assert len(details) == 5, details
    for uri in details:
        assert seen[uri]["placeholder"], uri
        assert seen[uri]["rows"] < 40, (uri, seen[uri])  # headers and the By-rule table only
    # A page in search has its tables when the search index reads it.
    summary = seen["phase-1/03-findings.md"]
    assert not summary["placeholder"] and summary["rows"] > 5


def test_written_pages_have_every_row_and_no_marker(built: tuple[Path, dict]) -> None:
    site, _ = built
    finding_rows = test_rows = 0
    for page in sorted((site / "phase-1/findings").rglob("index.html")):
        html = page.read_text(encoding="utf-8")
        finding_rows += len(re.findall(r'<tr><td data-sort="\d"><span class="pb-severity', html))
        test_rows += html.count('<td class="pb-msg">t.m')
        assert "Issue <b>" not in html  # report text escaped on the way
    assert finding_rows == FINDINGS
    assert test_rows == TESTS
    for path in site.rglob("*"):
        if path.suffix in {".html", ".json", ".xml"}:
            text = path.read_text(encoding="utf-8", errors="replace")
            assert "pb-late-" not in text and "pb-block-" not in text, path


TEXTS = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_literal_is_the_template_escape_as_text(value: str) -> None:
    assert escape.literal(value) == str(escape.text(value))
    assert escape.literal_cell(value) == str(escape.cell(value))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab  c.", max_size=400), st.integers(10, 200))
def test_truncated_reads_as_jinjas_filter(value: str, length: int) -> None:
    env = jinja2.Environment(autoescape=False)
    expected = env.from_string("{{ v|truncate(n) }}").render(v=value, n=length)
    assert truncated(value, length) == expected


FINDING = st.builds(
    Finding,
    tool=st.sampled_from(["bandit", "semgrep"]),
    rule=st.sampled_from(["R1", "R2", "R3"]),
    severity=st.sampled_from(list(Severity)),
    tool_severity=st.just("x"),
    title=st.text(max_size=3),
    fingerprint=st.text(max_size=3),
    path=st.one_of(st.none(), st.sampled_from(["a.py", "b.py"])),
    line=st.one_of(st.none(), st.integers(1, 3)),
)


def _naive_groups(reports: list[Report]) -> list[tuple[object, ...]]:
    """Groups counted one finding at a time, the example the first at the smallest location."""
    counts: dict[tuple[str, str, Severity], int] = {}
    examples: dict[tuple[str, str, Severity], Finding] = {}
    where = lambda f: (f.path is None, f.path or "", f.line or 0)  # noqa: E731
    for report in reports:
        for finding in report.findings:
            key = (finding.tool, finding.rule, finding.severity)
            counts[key] = counts.get(key, 0) + 1
            if key not in examples or where(finding) < where(examples[key]):
                examples[key] = finding
    return sorted(
        ((*key, counts[key], id(examples[key])) for key in counts),
        key=lambda g: (list(Severity).index(g[2]), -g[3], g[0], g[1]),
    )


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(FINDING, max_size=12), max_size=3))
def test_rule_groups_count_and_pick_the_first_example(parts: list[list[Finding]]) -> None:
    reports = [Report(path=Path(f"r{i}.json"), format="x", records=list(p)) for i, p in
               enumerate(parts)]
    got = [(g.tool, g.rule, g.severity, g.count, id(g.example)) for g in rule_groups(reports)]
    assert got == _naive_groups(reports)
    merged = merged_groups(report_groups(report) for report in reports)
    assert [(g.tool, g.rule, g.count) for g in merged] == [(g[0], g[1], g[3]) for g in got]


def test_later_keeps_row_markup_and_escapes_anything_else() -> None:
    """``later()`` is open to a site's own templates: what a row maker did not mark as HTML
    (report text passed through another function) is escaped, now or when the page is written."""
    renderer = Renderer(pipeline_build(BuildSettings(GOLDEN / "data", GOLDEN, AS_OF)))
    raw = "<img src=x onerror=alert(1)>"
    now = str(renderer._later(str, raw))
    assert "<img" not in now and escape.text(raw) == now
    row = str(renderer._later(lambda: escape.trusted("<tr><td>a</td></tr>")))
    assert row == "<tr><td>a</td></tr>"
    renderer._late = []  # as while a details page renders: rows are made when it is written
    marker = str(renderer._later(str, raw))
    filled = fill_late(marker, renderer.nonce, tuple(renderer._late))
    assert filled == now

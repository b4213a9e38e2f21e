"""Escaping for every landing place: unit tests, and property tests over arbitrary text.

`escape.text` is the templates' autoescape: the one thing between a YAML value (or a tool's
report text) and a broken table, an executed script, a Jinja expression or a broken diagram.
The whole rendering route (templates, Markdown, sanitizer) is tested in test_rendering_route.py.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import ROOT

from phasebook import escape
from phasebook.model import Task
from phasebook.render.gantt import plan_gantt

PROPERTY = settings(deadline=None)
"""For the property tests: no per-example deadline, which a loaded machine overran."""

HOSTILE = "a|b {{ 7*7 }} {% x %} <script>alert(1)</script> *em* [l](javascript:x) #h : ; %%"

# Mermaid 11's Gantt lexer (INITIAL state) tries these rules before a task's text; a label that
# starts with one of them is read as a statement, not as the label. \b is JavaScript's (ASCII).
_JS_WORD_END = r"(?![A-Za-z0-9_])"
GANTT_LEXER_PREFIX = re.compile(
    r"^(?:%|accTitle\s*:|accDescr\s*[:{]|href\s+\"|call\s|click\s"
    rf"|gantt{_JS_WORD_END}|dateFormat\s|inclusiveEndDates{_JS_WORD_END}"
    rf"|topAxis{_JS_WORD_END}|axisFormat\s|tickInterval\s|includes\s|excludes\s|todayMarker\s"
    rf"|weekday\s+(?:mon|tues|wednes|thurs|fri|satur|sun)day{_JS_WORD_END}"
    rf"|weekend\s+(?:fri|satur)day{_JS_WORD_END}|[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}{_JS_WORD_END}"
    r"|title\s|accDescription\s|section\s)",
    re.IGNORECASE,
)
GANTT_KEYWORDS = (
    "title", "section", "dateFormat", "axisFormat", "tickInterval", "excludes", "includes",
    "todayMarker", "weekday monday", "weekend friday", "inclusiveEndDates", "topAxis", "click",
    "call", "href", "accTitle", "accDescr", "accDescription", "gantt", "vert", "2026-01-05",
)


def _norm(text: str) -> str:
    """Whitespace folded the way a reader sees it."""
    return " ".join(text.split())


def _visible(text: str) -> str:
    """The text a reader should see: C0 controls (never printable) dropped, whitespace folded."""
    return _norm("".join(ch for ch in text if ord(ch) >= 32 or ch in "\t\n\r"))


def _cells(rendered: str) -> list[str]:
    """The body cells of the first row of a rendered table, as HTML."""
    body = rendered.split("<tbody>", 1)[1]
    return re.findall(r"<td[^>]*>(.*?)</td>", body, re.S)


def _named_bidi(value: str) -> str:
    """What a reader sees of bidi controls: their names."""
    return "".join(f"<U+{ord(ch):04X}>" if ord(ch) in escape.BIDI_CONTROLS else ch for ch in value)


def _plain(fragment: str) -> str:
    return _norm(html.unescape(re.sub(r"<[^>]+>", "", fragment)))


def _table(*cells: str) -> str:
    header = "| " + " | ".join(f"h{i}" for i in range(len(cells))) + " |"
    rule = "|" + "---|" * len(cells)
    rendered: str = markdown.markdown(
        f"{header}\n{rule}\n| " + " | ".join(cells) + " |", extensions=["tables"]
    )
    return rendered


# --- unit tests ----------------------------------------------------------------------------


def test_cell_keeps_hostile_text_literal() -> None:
    """Pipes, Jinja, HTML and markup in a cell all come out as the same literal text."""
    out = escape.cell(HOSTILE)
    for raw in ("|", "{", "}", "<", "*", "["):
        assert raw not in out
    cells = _cells(_table("x", out, "end"))
    assert len(cells) == 3
    assert _plain(cells[1]) == _norm(HOSTILE)


def test_cell_of_nothing_is_a_dash() -> None:
    """An empty or missing value shows a dash, so the table keeps its shape."""
    assert escape.cell(None) == "—"
    assert escape.cell("") == "—"
    assert escape.cell("  \n ") == "—"


def test_text_neutralises_line_start_markup() -> None:
    """A value starting like a list, heading or quote stays text when it starts a line."""
    for value in ("1. not a list", "- nor this", "+ nor this", "# nor a heading", "> nor a quote"):
        rendered = markdown.markdown(escape.text(value))
        assert _plain(rendered) == value
        assert not re.search(r"<(ol|ul|h1|blockquote)", rendered), value


def test_text_never_starts_a_line_of_its_own() -> None:
    """Newlines in data become entities: no fence, heading or definition can start a line."""
    out = escape.text("a\n```\n# h\n[x]: javascript:alert(1)")
    assert "\n" not in out
    assert html.unescape(out) == "a\n```\n# h\n[x]: javascript:alert(1)"


def test_text_drops_python_markdown_placeholders() -> None:
    r"""\x02 and \x03 are Python-Markdown's own placeholder markers: never let them through."""
    assert escape.text("a\x02b\x03c") == "abc"


def test_text_shows_bidi_controls() -> None:
    """Bidi controls are named, never obeyed: they cannot reorder what a reader sees."""
    out = escape.text("admin\u202etxt.exe\u2066")
    assert html.unescape(out) == "admin<U+202E>txt.exe<U+2066>"
    assert escape.mermaid_label("a\u202eb") == "a<U+202E>b".replace("<", "\u2039").replace(
        ">", "\u203a"
    )


def test_numbers_and_markup_pass_unchanged() -> None:
    """Numbers carry no syntax; Markup made by Phasebook is not escaped twice."""
    assert escape.text(-5) == "-5"
    assert escape.text(escape.code("x")) == "<code>x</code>"


def test_mermaid_label_replaces_syntax() -> None:
    """Colon, hash, semicolon, percent and braces become look-alikes Mermaid ignores."""
    assert escape.mermaid_label("Build: step #1; 100% {x}") == "Build꞉ step ＃1； 100％ (x)"
    assert escape.mermaid_label("a\nb\tc") == "a b c"
    assert escape.mermaid_label("") == "·"


@pytest.mark.parametrize(
    "label",
    [
        "title of it",
        "Section two",
        "gantt",
        "click here",
        "excludes weekends",
        "Call the vendor",
        "call",
        "accDescription of the audit",
        "2026-01-05 kickoff",
        "weekend friday deploy",
        "Ganttä review",
    ],
)
def test_mermaid_label_never_starts_like_a_gantt_statement(label: str) -> None:
    """A task named like a Gantt statement must still be read as a task's text."""
    out = escape.mermaid_label(label)
    assert not GANTT_LEXER_PREFIX.match(f"{out} :"), out  # as it sits in a task line
    assert _norm(out.removeprefix("· ")) == _norm(label)


def test_safe_url_refuses_scripts_and_other_hosts() -> None:
    """javascript:, data:, vbscript: and protocol-relative URLs are refused; http(s) kept."""
    for bad in (
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox",
        "//evil.example/x",
        "https:evil.example",
        "",
        "   ",
    ):
        assert escape.safe_url(bad) is None, bad
    for good in (
        "https://example.org/a?b=c#d",
        "http://x.y",
        "HTTPS://example.org",
        "guide/index.md",
        "../a.md",
        "/abs/path/",
        "#section",
        "mailto:a@b.c",
    ):
        assert escape.safe_url(good) == good, good


@pytest.mark.parametrize("url", ["\\\\evil.example/x", "/\\evil.example/x", "\\/evil.example"])
def test_safe_url_refuses_backslash_protocol_relative(url: str) -> None:
    """Browsers read `\\` as `/` in http(s) URLs: `/\\host` is `//host`, another site."""
    assert escape.safe_url(url) is None


def test_link_and_artifact() -> None:
    """A refused URL leaves the title as text; an allowed one is an escaped <a>."""
    assert escape.link("x|y", "javascript:alert(1)") == escape.text("x|y")
    assert escape.link('a "b" <c>', "https://e.org/?q=1&r=2") == (
        '<a href="https&#58;//e.org/?q&#61;1&#38;r&#61;2">a &#34;b&#34; &#60;c&#62;</a>'
    )
    assert html.unescape(escape.artifact("https://e.org/r")) == (
        '<a href="https://e.org/r">https://e.org/r</a>'
    )
    assert html.unescape(escape.artifact("javascript:alert(1)")) == (
        "<code>javascript:alert(1)</code>"
    )
    assert escape.artifact("reports/{{x}}.json") == (
        "<code>reports/&#123;&#123;x&#125;&#125;.json</code>"
    )


def test_anchor() -> None:
    """Anchors are lower-case letters, digits and dashes, never empty."""
    assert escape.anchor("ADR-003: Use {{ x }}") == "adr-003-use-x"
    assert escape.anchor("!!!") == "item"


# --- property tests ------------------------------------------------------------------------


@PROPERTY
@given(st.text())
def test_cell_output_has_no_table_or_template_syntax(value: str) -> None:
    """For any text, a cell holds no raw pipe, newline, `<`, `{` or `}`."""
    out = escape.cell(value)
    assert not set("|\n\r<{}`") & set(out)


@PROPERTY
@given(st.text())
def test_text_in_a_table_keeps_cells_and_text(value: str) -> None:
    """`text()` inside a one-row Markdown table: three cells, and the reader sees the input."""
    cells = _cells(_table("x", escape.text(value), "end"))
    assert len(cells) == 3
    assert _plain(cells[0]) == "x"
    assert _plain(cells[2]) == "end"
    assert _plain(cells[1]) == _visible(_named_bidi(value))


@PROPERTY
@given(st.text())
def test_text_in_a_paragraph_is_literal(value: str) -> None:
    """`text()` as a paragraph: no markup of any kind, the text as written."""
    rendered = markdown.markdown(escape.text(value))
    assert not re.search(r"<(?!/?p>)", rendered)
    assert _plain(rendered) == _visible(_named_bidi(value))


@PROPERTY
@given(st.text())
def test_text_round_trips_in_html(value: str) -> None:
    """`text()` hides every HTML and Jinja character and unescapes to the input."""
    out = escape.text(value)
    assert not set("<>\"'{}\n") & set(out)
    kept = "".join(ch for ch in value if ord(ch) >= 32 or ch in "\t\n\r")
    assert html.unescape(out) == _named_bidi(kept)


@PROPERTY
@given(st.one_of(st.text(), st.tuples(
    st.sampled_from(GANTT_KEYWORDS),
    st.sampled_from(["", " ", "  ", "\t", ":", "-"]),
    st.text(),
).map("".join)))
def test_mermaid_label_has_no_syntax(text: str) -> None:
    """For any text (and any keyword-led text), a label is inert in a Gantt line."""
    out = escape.mermaid_label(text)
    assert not set(":;#\n\r{}") & set(out)
    assert "%%" not in out
    assert out
    assert not GANTT_LEXER_PREFIX.match(f"{out} :"), out  # as it sits in a task line


@PROPERTY
@given(st.text())
def test_safe_url_only_lets_through_http_or_relative(text: str) -> None:
    """Whatever comes in, what comes out is http(s) with a host, mailto, or a same-site path."""
    out = escape.safe_url(text)
    if out is None:
        return
    lowered = out.lower()
    if lowered.startswith(("http://", "https://", "mailto:")):
        return
    assert not re.match(r"^[a-z][a-z0-9+.-]*:", lowered), out
    assert not re.match(r"^[/\\]{2}", out), out


# --- the real Mermaid parser (node + the vendored mermaid.min.js) ---------------------------

MERMAID_JS = ROOT / "vendor" / "mermaid" / "mermaid.min.js"
NODE_PARSE = """
const fs = require('fs');
const noop = () => {};
globalThis.window = globalThis; globalThis.self = globalThis;
globalThis.addEventListener = noop; globalThis.removeEventListener = noop;
globalThis.navigator = {userAgent: 'node'};
globalThis.document = {
  createElement: () => ({style: {}, setAttribute: noop, appendChild: noop, getContext: () => null}),
  querySelector: () => null, querySelectorAll: () => [], addEventListener: noop,
  documentElement: {style: {}}, body: {appendChild: noop},
};
require('vm').runInThisContext(fs.readFileSync(process.argv[2], 'utf8'));
const charts = JSON.parse(fs.readFileSync(0, 'utf8'));
(async () => {
  const out = [];
  for (const chart of charts) {
    try { await globalThis.mermaid.parse(chart); out.push(null); }
    catch (error) { out.push(String(error.message || error)); }
  }
  console.log(JSON.stringify(out));
})();
"""

HOSTILE_TASKS = (
    "Plain task",
    "Audit: step #1; 100% {done}",
    "title: sneaky",
    "section B",
    "%% not a comment",
    "click me",
    "Call the vendor",
    "accDescription of the audit",
    "2026-01-05 kickoff",
    "Ganttä review",
    "<b>bold</b> & \"quoted\"",
    "line one\nline two",
)


def mermaid_parse_errors(charts: list[str], tmp_path: Path) -> list[str | None]:
    """Parse each chart with the vendored Mermaid in node; ``None`` where it parses."""
    node = shutil.which("node")
    if node is None or not MERMAID_JS.is_file():
        pytest.skip("needs `node` and vendor/mermaid/mermaid.min.js (scripts/install-test-deps)")
    script = tmp_path / "parse.js"
    script.write_text(NODE_PARSE, encoding="utf-8")
    # Mermaid sanitises titles with DOMPurify, which needs a real DOM: leave title lines out
    # (a title line is `title` + the rest of the line, whatever it holds).
    stripped = [
        "\n".join(line for line in chart.splitlines() if not line.lstrip().startswith("title "))
        for chart in charts
    ]
    result = subprocess.run(
        [node, str(script), str(MERMAID_JS)],
        input=json.dumps(stripped), capture_output=True, text=True, check=True, timeout=120,
    )
    errors: list[str | None] = json.loads(result.stdout)
    return errors


def test_hostile_task_names_parse_in_real_mermaid(tmp_path: Path) -> None:
    """Each hostile task name, alone in a plan Gantt, parses as one task in Mermaid 11."""
    day = dt.date(2026, 1, 5)
    charts = [
        plan_gantt("Plan", [Task(title=name, start=day, end=day)], day) for name in HOSTILE_TASKS
    ]
    errors = mermaid_parse_errors(charts, tmp_path)
    failing = {
        name: (error or "").splitlines()[-1][:80]
        for name, error in zip(HOSTILE_TASKS, errors, strict=True)
        if error
    }
    assert failing == {}

"""Escaping for every landing place, including property tests over arbitrary text."""

from __future__ import annotations

import html
import re

import markdown
from hypothesis import given
from hypothesis import strategies as st

from phasebook import escape

HOSTILE = "a|b {{ 7*7 }} {% x %} <script>alert(1)</script> *em* [l](javascript:x) #h : ; %%"


def _norm(text: str) -> str:
    return " ".join(text.split())


def test_cell_keeps_everything_literal() -> None:
    out = escape.cell(HOSTILE)
    for raw in ("|", "{", "}", "<", "*", "["):
        assert raw not in out
    rendered = markdown.markdown(f"| h |\n|---|\n| {out} |", extensions=["tables"])
    text = html.unescape(re.sub(r"<[^>]+>", "", rendered.split("<td>")[1].split("</td>")[0]))
    assert text == _norm(HOSTILE)


def test_markdown_field_keeps_markup_but_not_html_or_jinja() -> None:
    out = escape.markdown("**bold** <script>x</script> `<code> {{ y }}` {{ z }}")
    rendered = markdown.markdown(out)
    assert "<strong>bold</strong>" in rendered
    assert "<script>" not in rendered
    assert "<code>&lt;code&gt; {{ y }}</code>" in rendered
    assert "{{ z }}" not in out


def test_mermaid_label_and_keywords() -> None:
    assert escape.mermaid_label("Build: step #1; 100%") == "Build꞉ step ＃1； 100％"
    assert escape.mermaid_label("title of it").startswith("· ")
    assert escape.mermaid_label("") == "·"


def test_safe_url() -> None:
    for bad in ("javascript:alert(1)", "data:text/html,x", "vbscript:x", "//evil.example", " "):
        assert escape.safe_url(bad) is None
    for good in ("https://example.org/a?b=c", "http://x.y", "guide/index.md", "../a.md"):
        assert escape.safe_url(good) == good
    assert escape.link("x", "javascript:alert(1)") == "x"


@given(st.text())
def test_cell_never_breaks_a_table(text: str) -> None:
    out = escape.cell(text)
    assert not set("|\n\r<{}") & set(out)
    rendered = markdown.markdown(f"| a | b |\n|---|---|\n| {out} | end |", extensions=["tables"])
    row = rendered.split("<tbody>")[1]
    assert row.count("<td>") == 2
    cell_html = row.split("<td>")[1].split("</td>")[0]
    expected = _norm("".join(ch for ch in text if ord(ch) >= 32 or ch in "\t\n\r")) or "—"
    assert _norm(html.unescape(re.sub(r"<[^>]+>", "", cell_html))) == expected


@given(st.text())
def test_html_text_round_trips(text: str) -> None:
    out = escape.html_text(text)
    assert not set("<>\"'{}") & set(out.replace("&#", ""))
    assert html.unescape(out) == text


@given(st.text())
def test_mermaid_label_has_no_syntax(text: str) -> None:
    out = escape.mermaid_label(text)
    assert not set(":;#\n{}\"") & set(out)
    assert "%%" not in out
    assert not re.match(r"(?i)(title|section|dateformat|excludes|vert)\b", out)

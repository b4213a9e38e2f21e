"""The whole rendering route, as a property: any text in any report or writer field.

Pages are rendered from the golden programme, then turned into HTML by Python-Markdown with the
example site's own extensions (as MkDocs would), and read back with an HTML parser:

- report text (every string field of every record kind, the report's own names, skip reasons,
  notes, the report's title in YAML) changes no element and no attribute: the page has exactly
  the elements and attributes it has when every such field is a plain word;
- writers' Markdown (brief, decision text, handoff overview) adds only what the sanitizer
  allows: its tags, no event handler, no style but text alignment, links that are http(s),
  mailto or relative, images only from the site itself.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import markdown
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from mkdocs.config import load_config
from tests.conftest import ROOT
from tests.test_golden import AS_OF, GOLDEN

from phasebook.assess import assess
from phasebook.collect import PhaseEvidence
from phasebook.evidence import (
    FileCoverage,
    Finding,
    Measurement,
    Outcome,
    Report,
    ResourceChange,
    Rule,
    Severity,
    Skipped,
    TestResult,
)
from phasebook.model import Programme, ReportRef
from phasebook.pipeline import BuildSettings, assemble, load_checked
from phasebook.render import GeneratedPage, ensure_markdown_extensions, render_pages
from phasebook.render.prose import ALLOWED_TAGS

HOSTILE = (
    "[x](javascript:alert(1)) ![i](https://evil.example/p.png) <img src=x onerror=alert(1)>",
    "\\`` `<details open ontoggle=alert(1)>` \\`` <style>*{}</style> <iframe src=//e.example>",
    "```\nunclosed fence\n> [d]: javascript:alert(1)\n- [l]:\n  javascript:alert(2)",
    "{{ 7*7 }} {% raw %} | a | b |\n|---|---|\n<!-- x --> &lt;b&gt; \u202etxt.exe",
    "<a href='javascript:alert(1)'>a</a> <svg onload=alert(1)> www.evil.example :smile:",
)
# Text with at least one visible character (an empty value is a dash, a structural change).
TEXT = st.text(min_size=1).filter(lambda value: value.strip() != "")
SETTINGS_GOLDEN = BuildSettings(GOLDEN / "data", GOLDEN, AS_OF)
SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


class _Elements(HTMLParser):
    """Every start tag with its attribute names, and every URL in an href or src."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: Counter[tuple[str, tuple[str, ...]]] = Counter()
        self.urls: list[tuple[str, str]] = []
        self.attributes: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements[tag, tuple(sorted(name for name, _ in attrs))] += 1
        for name, value in attrs:
            self.attributes.append((tag, name, value or ""))
            if name in ("href", "src"):
                self.urls.append((tag, value or ""))


@cache
def _converter() -> markdown.Markdown:
    config = load_config(str(ROOT / "mkdocs.yml"))
    extensions = list(config.markdown_extensions)
    configs = dict(config.mdx_configs)
    ensure_markdown_extensions(extensions, configs)
    return markdown.Markdown(extensions=extensions, extension_configs=configs)


@cache
def _plain_html(route: str, uri: str, page: GeneratedPage) -> _Elements:
    """The page with plain words in every field, parsed once per run."""
    return _html(page)


def _html(page: GeneratedPage) -> _Elements:
    """The page as the site shows it: converted, then its set-aside tables put back."""
    converter = _converter()
    converter.reset()
    parser = _Elements()
    parser.feed(page.finish(converter.convert(page.document().split("---\n", 2)[2])))
    parser.close()
    return parser


@cache
def _programme() -> Programme:
    return load_checked(GOLDEN / "data")


def _report(value: str) -> Report:
    """A report of every record kind, every string field ``value``."""
    name = value.replace("/", "-").replace("\x00", "-").strip() or "x"
    finding = Finding(
        tool=value, rule=value, severity=Severity.HIGH, tool_severity=value, title=value,
        fingerprint=value, path=value, line=3, column=1, cwe=(value,), cve=(value,),
        package=value, installed_version=value, fixed_version=value, url=value,
    )
    return Report(
        path=Path("/reports") / name[:100],
        format=value,
        schema_version=value,
        tool=value,
        tool_version=value,
        generated_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        records=[
            finding,
            dataclasses.replace(finding, severity=Severity.CRITICAL),
            TestResult(suite=value, name=value, outcome=Outcome.FAILED, classname=value,
                       duration_s=1.0, message=value),
            FileCoverage(path=value, lines_covered=1, lines_total=2),
            Measurement(name=value, value=1.0, unit=value, labels=((value, value),)),
            ResourceChange(address=value, actions=("delete", "create"), type=value,
                           provider=value, module=value, action_reason=value),
            Rule(name=value, group=value, rule_type="alerting", expr=value, severity=value,
                 duration=value, summary=value),
        ],
        skipped=[Skipped(reason=value, record=value)],
        notes=[value],
    )


@cache
def _report_pages(value: str) -> dict[str, GeneratedPage]:
    programme = _programme()
    evidence = {phase.number: PhaseEvidence() for phase in programme.phases}
    ref = ReportRef(path="reports/x.json", title=value)
    evidence[1] = PhaseEvidence(reports=[(ref, _report(value))])
    assessment = assess(programme, evidence, GOLDEN, AS_OF)
    pages = render_pages(assemble(SETTINGS_GOLDEN, programme, assessment))
    # The details page is named after the report's title: keyed by its place instead.
    return {
        "details" if page.uri.startswith("phase-1/findings/") else page.uri: page
        for page in pages
        if page.uri.startswith(("phase-1/03", "phase-1/findings/", "phase-1/07"))
    }


def hostile_examples(test: Any) -> Any:
    """Any visible text, and each hand-written payload first."""
    for payload in HOSTILE:
        test = example(payload)(test)
    return SETTINGS(given(TEXT)(test))


@hostile_examples
def test_report_text_changes_no_element_or_attribute(value: str) -> None:
    """Every page that shows report data has the same elements whatever the report says."""
    plain = _report_pages("word")
    hostile = _report_pages(value)
    assert set(hostile) == set(plain)
    assert hostile["details"].blocks  # its tables skip Markdown: checked after put_back
    for uri, page in hostile.items():
        got, want = _html(page), _plain_html("report", uri, plain[uri])
        assert got.elements == want.elements, uri
        assert [url for tag, url in got.urls if not _ours(url)] == [], uri


def _ours(url: str) -> bool:
    """A link Phasebook makes: to another page or anchor of this site, or Material's own."""
    return not urlsplit(url).scheme and not url.startswith("//")


@cache
def _writer_pages(value: str) -> dict[str, GeneratedPage]:
    programme = _programme()
    first = programme.phases[0]
    decisions = [
        decision.model_copy(update={"context": value, "rationale": value})
        for decision in first.decisions
    ]
    handoff = first.handoff.model_copy(
        update={"summary": first.handoff.summary.model_copy(update={"overview": value})}
    )
    phase = first.model_copy(update={"brief": value, "decisions": decisions, "handoff": handoff})
    changed = programme.model_copy(update={"phases": [phase, *programme.phases[1:]]})
    evidence = {item.number: PhaseEvidence() for item in changed.phases}
    assessment = assess(changed, evidence, GOLDEN, AS_OF)
    return {
        page.uri: page
        for page in render_pages(assemble(SETTINGS_GOLDEN, changed, assessment))
        if page.uri in ("phase-1/00-brief.md", "phase-1/05-decisions.md", "decisions.md",
                        "phase-1/06-output-handoff.md", "phase-2/01-input-handoff.md")
    }


_SANITIZED_ATTRIBUTES = {"href", "src", "alt", "title", "start", "style", "open", "disabled",
                         "checked", "type", "class", "rel"}


@hostile_examples
def test_writer_markdown_adds_only_what_the_sanitizer_allows(value: str) -> None:
    """A writer's field may add Markdown's elements, never a script, handler or foreign image."""
    plain = _writer_pages("word")
    for uri, page in _writer_pages(value).items():
        got, want = _html(page), _plain_html("writer", uri, plain[uri])
        added = got.elements - want.elements
        for (tag, names), _count in added.items():
            assert tag in ALLOWED_TAGS, (uri, tag)
            assert set(names) <= _SANITIZED_ATTRIBUTES, (uri, tag, names)
        for tag, name, attribute in got.attributes:
            assert not name.startswith("on"), (uri, tag, name)
            if name == "style":
                assert attribute.replace(" ", "").rstrip(";").startswith("text-align:"), uri
        for tag, url in got.urls:
            scheme = urlsplit(url).scheme
            if tag == "img":
                assert not scheme and not url.startswith("//"), (uri, url)
            else:
                assert scheme in ("", "http", "https", "mailto"), (uri, url)
                assert not url.replace("\\", "/").startswith("//"), (uri, url)

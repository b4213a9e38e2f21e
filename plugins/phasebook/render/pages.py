"""Every page Phasebook generates, as markdown, from the programme and its schedule.

Pages are rendered from Jinja templates (package data, overridable file by file) with
``StrictUndefined``; templates escape every value with the filter for where it lands.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import posixpath
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from phasebook import burndown, escape
from phasebook.assess import MetricResult, PhaseAssessment
from phasebook.assess.gates import GATE_TITLES
from phasebook.assess.summary import TOP_LIMIT, EvidenceSummary, ReportSummary
from phasebook.audience import WITHHELD
from phasebook.build import Build
from phasebook.collect import MissingReport
from phasebook.escape import trusted
from phasebook.evidence import (
    SEVERITY_ORDER,
    SEVERITY_RANK,
    Finding,
    Outcome,
    Report,
    Severity,
    outcome_counts,
)
from phasebook.handoff import SECTION_TITLES, handoff_view
from phasebook.history import finding_changes, metric_trend
from phasebook.model import Phase, Programme, Risk, RiskStatus
from phasebook.render import blocks, charts, gantt, prose
from phasebook.render.blocks import LateRows
from phasebook.render.detail_rows import (
    case_rows,
    coverage_rows,
    field_text,
    percent,
    record_columns,
    record_rows,
)
from phasebook.render.findings import (
    RULE_LIMIT,
    RuleGroup,
    finding_columns,
    finding_location,
    finding_rows,
    merged_groups,
    report_groups,
    severity_rank,
)
from phasebook.schedule import Schedule
from phasebook.thresholds import Unit, format_value


@dataclass(frozen=True)
class Section:
    """One of the eight sections every phase has, at a stable URL."""

    slug: str
    title: str

    def uri(self, phase: Phase) -> str:
        return f"phase-{phase.number}/{self.slug}.md"


SECTIONS = (
    Section("00-brief", "Brief"),
    Section("01-input-handoff", "Input Handoff"),
    Section("02-execution-plan", "Execution Plan"),
    Section("03-findings", "Findings"),
    Section("04-artifacts", "Artifacts"),
    Section("05-decisions", "Decisions"),
    Section("06-output-handoff", "Output Handoff"),
    Section("07-validation", "Validation"),
)

OVERVIEW_PAGES = (
    ("index.md", "Home", "home.md.j2"),
    ("timeline.md", "Timeline", "timeline.md.j2"),
    ("risks.md", "Risk Register", "risks.md.j2"),
    ("decisions.md", "Decision Log", "decisions.md.j2"),
    ("communication.md", "Communication Plan", "communication.md.j2"),
    ("dashboard.md", "Dashboard", "dashboard.md.j2"),
)


WIDE_PAGES = frozenset({"index.md", "timeline.md", "risks.md", "dashboard.md"})
"""Overview pages that are data pages (see :attr:`GeneratedPage.wide`)."""
WIDE_SECTIONS = frozenset({"03-findings", "07-validation"})
"""Phase sections that are data pages; each phase's dashboard and report details are too."""


def dashboard_uri(phase: Phase) -> str:
    """Each phase's metrics dashboard, beside its eight sections."""
    return f"phase-{phase.number}/dashboard.md"


PRINT_URI = "print.md"
"""The whole programme to print: every phase's handoff packet (out of the nav)."""

PACKET_LINKED_FROM = ("06-output-handoff", "07-validation")
"""The sections that link to their phase's handoff packet."""


def packet_uri(phase: Phase) -> str:
    """Each phase's handoff packet: its eight sections and gate checklist on one printable
    page (out of the nav, linked from the output handoff and validation pages)."""
    return f"phase-{phase.number}/packet.md"


def demote(markdown: str, levels: int) -> str:
    """The ATX headings of ``markdown`` ``levels`` deeper (at most H6), fenced code left alone:
    sections joined on one page under its H1. Data never starts a line with ``#`` (the
    templates' escape turns it into an entity), so only the templates' headings move."""
    lines, fence = [], ""
    for line in markdown.split("\n"):
        stripped = line.lstrip()
        hashes = len(line) - len(line.lstrip("#"))
        if fence:
            if stripped.startswith(fence):
                fence = ""
        elif stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
        elif 0 < hashes <= 6 and line[hashes : hashes + 1] == " ":
            lines.append("#" * min(hashes + levels, 6) + line[hashes:])
            continue
        lines.append(line)
    return "\n".join(lines)


@dataclass(frozen=True)
class GeneratedPage:
    """A page's URI, titles and markdown body (without the H1), and the YAML it came from."""

    uri: str
    title: str
    heading: str
    body: str
    source: Path
    in_nav: bool = True
    wide: bool = False
    """A data page (dashboard, timeline, register, findings, validation): no table of contents,
    and a ``.pb-wide`` marker that lets phasebook.css widen the grid on a wide screen."""
    searchable: bool = True
    """Left out of the search index when false: a report's detail pages hold thousands of rows
    whose text would swamp the index (and the build); their summaries stay searchable."""
    blocks: tuple[str, ...] = ()
    """Tables set aside from :attr:`body` (see :mod:`~phasebook.render.blocks`): whoever
    converts the markdown puts them back with :meth:`finish`."""
    nonce: str = ""
    """What marks the placeholders of :attr:`blocks` in :attr:`body`."""

    late: tuple[LateRows, ...] = ()
    """Rows the page's tables are filled with when it is written (see :mod:`.blocks`)."""

    def finish(self, html: str) -> str:
        """The converted page with its set-aside tables back in place, their rows made."""
        if self.blocks:
            html = blocks.put_back(html, self.nonce, self.blocks)
        return blocks.fill_late(html, self.nonce, self.late) if self.late else html

    def tables_aside(self, nonce: str) -> GeneratedPage:
        """This page with its tables set aside from Markdown (see :mod:`.blocks`)."""
        body, tables = blocks.set_aside(self.body, nonce)
        return dataclasses.replace(self, body=body, blocks=tables, nonce=nonce)

    def document(self) -> str:
        """The whole markdown file: front matter that keeps macros off (hides the table of
        contents of a data page, keeps a detail page out of search), the title, the body."""
        front = "render_macros: false\n" + ("hide:\n  - toc\n" if self.wide else "")
        front += "" if self.searchable else "search:\n  exclude: true\n"
        marker = '<div class="pb-wide"></div>\n\n' if self.wide else ""
        return f"---\n{front}---\n\n# {escape.text(self.heading)}\n\n{marker}{self.body}"


def environment(templates_dir: Path | None = None) -> jinja2.Environment:
    """The template environment: site overrides first, then the bundled templates.

    Autoescape with :func:`escape.text` as the finalizer: every value a template prints is
    literal text for HTML and Markdown alike unless it is :class:`~markupsafe.Markup` that
    Phasebook made (links, code, sanitized prose, Mermaid text).
    """
    loaders: list[jinja2.BaseLoader] = []
    if templates_dir is not None:
        loaders.append(jinja2.FileSystemLoader(templates_dir))
    loaders.append(jinja2.PackageLoader("phasebook", "templates"))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        finalize=escape.text,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        inline=escape.text,
        html=escape.text,
        cell=escape.cell,
        md=prose.block,
        mdcell=prose.inline,
        mditem=prose.inline,
        mermaid=escape.mermaid_label,
        anchor=escape.anchor,
        code=escape.code,
        artifact=_artifact,
        date=_date,
        words=lambda value: str(value).replace("_", " "),
        numeric_head=lambda title: (title, "num"),
    )
    env.globals.update(
        link=escape.link,
        sections=SECTIONS,
        handoff_titles=dict(SECTION_TITLES),
        score_band=score_band,
        pie=charts.pie,
    )
    return env


def score_band(score: int) -> str:
    """The colour band of a risk score (likelihood × impact, 1-25)."""
    if score >= 15:
        return "critical"
    if score >= 10:
        return "high"
    if score >= 5:
        return "medium"
    return "low"


def _artifact(value: object) -> Markup:
    """An artifact's location; withheld from a public build it reads as plain text."""
    return escape.text(value) if value == WITHHELD else escape.artifact(value)


def _date(value: dt.date | None) -> Markup:
    return trusted("—" if value is None else f"{value:%Y-%m-%d}")


def risk_rows(programme: Programme) -> list[tuple[Phase, Risk]]:
    """Every risk with its phase, highest score first (then likelihood, then id)."""
    rows = [(phase, risk) for phase in programme.phases for risk in phase.risks]
    rows.sort(key=lambda row: (-row[1].score, -row[1].likelihood, row[1].id))
    return rows


@dataclass(frozen=True)
class HeatCell:
    """The risks at one likelihood and impact: live ones, and the ones accepted as they are."""

    live: list[Risk]
    accepted: list[Risk]


def is_live(risk: Risk) -> bool:
    """Whether a risk still counts as open (open or being mitigated): not closed, and not
    accepted (a recorded decision to live with it)."""
    return risk.status not in (RiskStatus.CLOSED, RiskStatus.ACCEPTED)


def heat_map(programme: Programme) -> list[list[HeatCell]]:
    """Risks not closed in a 5×5 grid: rows likelihood 5→1, columns impact 1→5; accepted
    risks are kept apart from live ones in each cell."""
    grid = [[HeatCell([], []) for _ in range(5)] for _ in range(5)]
    for _phase, risk in risk_rows(programme):
        if risk.status is RiskStatus.CLOSED:
            continue
        cell = grid[5 - risk.likelihood][risk.impact - 1]
        (cell.live if is_live(risk) else cell.accepted).append(risk)
    return grid


SERIES_LIMIT = 100
"""Measured series listed on a findings page; the details pages hold every sample."""

DETAIL_ROWS = 1000
"""Rows per findings detail page: keeps every generated page well under 1 MB of HTML."""


@dataclass(frozen=True)
class PhaseFindings:
    """What the findings page of one phase shows."""

    summary: EvidenceSummary
    missing: list[MissingReport]


def page_url(uri: str, directory_urls: bool) -> str:
    """The URL MkDocs gives the page built from ``uri`` (as ``File.url`` does)."""
    stem, _ = posixpath.splitext(uri)
    if not uri.endswith(".md"):
        return uri
    if not directory_urls:
        return f"{stem}.html"
    if posixpath.basename(stem) == "index":
        folder = posixpath.dirname(stem)
        return f"{folder}/" if folder else ""
    return f"{stem}/"


def page_href(target: str, current: str, directory_urls: bool) -> str:
    """A relative URL from the page built from ``current`` to the one built from ``target``."""
    destination = page_url(target, directory_urls)
    here = page_url(current, directory_urls)
    base = here.rstrip("/") if here.endswith("/") or not here else posixpath.dirname(here)
    relative = posixpath.relpath(destination or ".", base or ".")
    if destination.endswith("/") or not destination:
        relative = "./" if relative == "." else f"{relative}/"
    return relative


def detail_uri(phase: Phase, item: ReportSummary, part: int) -> str:
    """Where the details of one report live; long reports are split into parts."""
    suffix = "" if part == 1 else f"-part-{part}"
    return f"phase-{phase.number}/findings/{item.slug}{suffix}.md"


def _location(finding: Finding) -> Markup:
    return trusted(finding_location(finding))


def _rows_html(make: Callable[..., str], *args: Any) -> str:
    """What ``make(*args)`` gives, as HTML for a page: a row maker's own markup as it is,
    anything else (a template that passes another function to ``later``) escaped as text."""
    return str(escape.text(make(*args)))


def _package(finding: Finding) -> Markup:
    if not finding.package:
        return trusted("—")
    version = f" {finding.installed_version}" if finding.installed_version else ""
    return escape.cell(f"{finding.package}{version}")


def _unit_label(unit: Unit) -> str:
    labels = {
        Unit.PERCENT: "percent",  # "%" would be escaped to a full-width sign few fonts have
        Unit.DURATION: "minutes",
        Unit.COUNT: "count",
        Unit.RATE: "per second",
    }
    return labels.get(unit, "ratio")


def _burndown_chart(title: str, points: list[burndown.BurndownPoint]) -> Markup:
    """Open findings over the builds: vulnerabilities first, lint and type findings second."""
    return charts.line_chart(
        title,
        [f"{point.as_of:%d %b %Y}" for point in points],
        "open findings",
        [[point.vulnerabilities for point in points], [point.quality for point in points]],
        counts=True,
    )


def _scale(value: float, unit: Unit) -> float:
    """Trend values in the unit of their axis label (durations in minutes)."""
    return value / 60 if unit is Unit.DURATION else value


def _detail_tables(report: Report) -> dict[str, list[Any]]:
    """A report's records by kind, each in reading order (findings: most severe first)."""
    tables: dict[str, list[Any]] = {}
    for record in report.records:
        tables.setdefault(record.kind, []).append(record)
    if "finding" in tables:
        tables["finding"].sort(
            key=lambda f: (SEVERITY_RANK[f.severity], f.path or "", f.line or 0, f.rule)
        )
    if "coverage" in tables:
        tables["coverage"].sort(key=lambda f: f.path or "")
    return tables


class Renderer:
    """Renders the pages of one :class:`Build`; made once per build (pages and macros alike).

    What every page shares is computed here once; each page adds only its own link helpers.
    """

    def __init__(
        self,
        build: Build,
        templates_dir: Path | None = None,
        directory_urls: bool = True,
    ) -> None:
        self.build = build
        self.programme = build.programme
        self.assessment = build.assessment
        self.schedule: Schedule = build.schedule
        self.as_of = build.as_of
        self.project_root = build.project_root
        self.directory_urls = directory_urls
        self.nonce = secrets.token_hex(8)
        """Marks this build's table placeholders: a writer's page cannot forge one."""
        self._late: list[LateRows] | None = None
        """The late rows of the page being rendered, when it may have some."""
        self._groups: dict[int, tuple[Report, list[RuleGroup]]] = {}
        """Each report's rule groups, made once (see :meth:`_rule_groups`)."""
        self.env = environment(templates_dir)
        self.findings = {
            number: PhaseFindings(item.summary, item.evidence.missing)
            for number, item in build.assessment.phases.items()
        }
        self.shared = self._shared()

    def _failing_metric_rows(self) -> list[tuple[PhaseAssessment, MetricResult]]:
        return [
            (item, result)
            for item in self.assessment.phases.values()
            for result in item.failing_metrics
        ]

    def _report_uri(self, phase: Phase, path: Path) -> str:
        """The details page of the report read from ``path`` (the findings page if none)."""
        for item in self.findings[phase.number].summary.reports:
            if item.report.path == path:
                return detail_uri(phase, item, 1)
        return f"phase-{phase.number}/03-findings.md"

    def _age(self, report: Report) -> str:
        days = report.age_days(self.as_of)
        if days is None:
            return "unknown"
        return "today" if days == 0 else f"{days} day{'s' if abs(days) != 1 else ''}"

    def _trend_chart(self, result: MetricResult, points: list[Any]) -> Markup:
        unit = result.definition.threshold.unit
        threshold = _scale(float(result.definition.threshold.value), unit)
        values = [_scale(point.value, unit) for point in points]
        return charts.line_chart(
            result.definition.title,
            [f"{point.as_of:%Y-%m-%d}" for point in points],
            _unit_label(unit),
            [values, [threshold] * len(values)],
        )

    def _source_of(self, phase: Phase) -> str:
        path = self.programme.phase_file(phase.number)
        try:
            return path.resolve().relative_to(self.project_root.resolve()).as_posix()
        except ValueError:
            return path.name

    def _context(self, uri: str) -> dict[str, Any]:
        here = posixpath.dirname(uri)

        def url(target: str) -> Markup:
            """A Markdown link target: the source file, which MkDocs turns into a URL."""
            return trusted(posixpath.relpath(target, here or "."))

        def href(target: str, fragment: str | None = None) -> Markup:
            """An HTML link target: the built page's URL (MkDocs leaves HTML blocks alone)."""
            relative = page_href(target, uri, self.directory_urls)
            return trusted(relative + (f"#{escape.anchor(fragment)}" if fragment else ""))

        return {
            **self.shared,
            "url": url,
            "href": href,
            "section_uri": lambda phase, slug: url(f"phase-{phase.number}/{slug}.md"),
        }

    def _shared(self) -> dict[str, Any]:
        history = list(self.build.history)
        current = dict(self.build.snapshot)
        return {
            "source_of": self._source_of,
            "programme": self.programme,
            "info": self.programme.info,
            "schedule": self.schedule,
            "forecast": self.build.forecast,
            "as_of": self.as_of,
            "section_path": lambda phase, slug: f"phase-{phase.number}/{slug}.md",
            "severity_slices": lambda summary: [
                (sev.value, summary.by_severity[sev]) for sev in SEVERITY_ORDER
            ],
            "tool_slices": lambda summary: [
                (tool, sum(counts.values())) for tool, counts in sorted(summary.by_tool.items())
            ],
            "trend_mermaid": self._trend_chart,
            "risk_rows": risk_rows(self.programme),
            "heat_map": heat_map(self.programme),
            "open_risk_rows": [row for row in risk_rows(self.programme) if is_live(row[1])],
            # Mermaid text made by Phasebook, every label through its own escape.
            "programme_gantt": lambda: trusted(
                gantt.programme_gantt(
                    self.programme, self.schedule, self.as_of, self.build.forecast
                )
            ),
            "plan_gantt": lambda phase: trusted(
                gantt.plan_gantt(f"Phase {phase.number} execution plan", phase.plan, self.as_of)
            ),
            "handoff": lambda phase: handoff_view(self.programme, phase),
            "assessment": self.assessment,
            "gates": lambda phase: self.assessment.of(phase).gates,
            "metrics": lambda phase: self.assessment.of(phase).metrics,
            "evidence": lambda phase: self.findings[phase.number],
            "severities": SEVERITY_ORDER,
            "severity": Severity,
            "outcome": Outcome,
            "top_limit": TOP_LIMIT,
            "series_limit": SERIES_LIMIT,
            "age": self._age,
            "location": _location,
            "package": _package,
            "percent": percent,
            "skipped_reasons": lambda report: report.skipped_by_reason.items(),
            "outcome_counts": outcome_counts,
            "detail_uri": detail_uri,
            "report_uri": self._report_uri,
            "gate_titles": GATE_TITLES,
            "failing_metric_rows": self._failing_metric_rows,
            "history": history,
            "dashboard_uri": dashboard_uri,
            "trend": lambda phase, result: metric_trend(
                history, current, phase.number, result.definition.id
            ),
            "changes_of": lambda phase: finding_changes(
                self.programme, history, current, phase.number
            ),
            "unit_label": _unit_label,
            "value_text": lambda value, unit: format_value(Fraction(value), unit),
            "columns": record_columns,
            "rule_groups": self._rule_groups,
            "rule_limit": RULE_LIMIT,
            "finding_columns": finding_columns,
            "finding_rows": finding_rows,
            "case_rows": case_rows,
            "coverage_rows": coverage_rows,
            "record_rows": record_rows,
            "later": self._later,
            "severity_rank": severity_rank,
            "field_text": field_text,
            "scale": _scale,
            "phase_burndown": lambda phase: burndown.phase_burndown(
                history, current, phase.number
            ),
            "programme_burndown": lambda: burndown.programme_burndown(history, current),
            "burndown_mermaid": _burndown_chart,
            "audience": self.build.audience,
        }

    def _rule_groups(self, reports: Iterable[Report]) -> list[RuleGroup]:
        """:func:`~.findings.rule_groups`, each report grouped once per build: a phase's
        findings page is rendered again in both handoff packets."""
        parts = []
        for report in reports:
            known = self._groups.get(id(report))
            if known is None or known[0] is not report:
                known = self._groups[id(report)] = (report, report_groups(report))
            parts.append(known[1])
        return merged_groups(parts)

    def _later(self, make: Callable[..., str], *args: Any) -> Markup:
        """``make(*args)``'s rows when the page is written, not now (see :mod:`.blocks`): on a
        report's details pages, so that their HTML is never all in memory at once. Elsewhere
        the rows are made at once."""
        if self._late is None:
            return trusted(_rows_html(make, *args))
        self._late.append(functools.partial(_rows_html, make, *args))
        return trusted(blocks.late_marker(self.nonce, len(self._late) - 1))

    def _render_late(
        self, template: str, uri: str, **extra: Any
    ) -> tuple[str, tuple[LateRows, ...]]:
        """:meth:`render`, and the rows the page's ``later()`` calls left to make."""
        self._late = []
        try:
            return self.render(template, uri, **extra), tuple(self._late)
        finally:
            self._late = None

    def render(self, template: str, uri: str, **extra: Any) -> str:
        return self.env.get_template(template).render(**self._context(uri), **extra)

    def pages(self) -> list[GeneratedPage]:
        programme = self.programme
        result = [
            GeneratedPage(
                uri,
                title,
                programme.info.name if uri == "index.md" else title,
                self.render(template, uri),
                programme.programme_source.path,
                wide=uri in WIDE_PAGES,
            )
            for uri, title, template in OVERVIEW_PAGES
        ]
        for phase in programme.phases:
            for section in SECTIONS:
                uri = section.uri(phase)
                body = self._section(phase, section, uri)
                if section.slug in PACKET_LINKED_FROM:
                    body = (
                        "[Print the handoff packet](packet.md){ .pb-packet-link }\n\n" + body
                    )
                source = programme.phase_file(phase.number)
                if section.slug == "01-input-handoff" and programme.previous(phase):
                    previous = programme.previous(phase)
                    assert previous is not None
                    source = programme.phase_file(previous.number)
                result.append(
                    GeneratedPage(
                        uri,
                        f"{section.slug[:2]} {section.title}",
                        f"Phase {phase.number} · {section.title}",
                        body,
                        source,
                        wide=section.slug in WIDE_SECTIONS,
                    )
                )
            result.append(
                GeneratedPage(
                    dashboard_uri(phase),
                    "Dashboard",
                    f"Phase {phase.number} · Dashboard",
                    self.render(
                        "phase-dashboard.md.j2",
                        dashboard_uri(phase),
                        phase=phase,
                        previous=programme.previous(phase),
                    ),
                    programme.phase_file(phase.number),
                    wide=True,
                )
            )
            if self.build.audience.details:
                result.extend(self._detail_pages(phase))
        result.extend(self._packet_pages())
        return [page.tables_aside(self.nonce) for page in result]

    def _section(self, phase: Phase, section: Section, uri: str) -> str:
        """One section of ``phase`` as markdown, its links relative to the page at ``uri``."""
        return self.render(
            self.build.audience.template(f"section-{section.slug}.md.j2"),
            uri,
            phase=phase,
            item=self.schedule.of(phase.number),
            previous=self.programme.previous(phase),
            next_phase=self.programme.next(phase),
        )

    def packet(self, phase: Phase, uri: str, depth: int = 1) -> str:
        """A phase's handoff packet for the page at ``uri``: every section, headings demoted
        by ``depth`` (the page's own H1 and, on the programme's page, the phase's H2 above)."""
        parts = [
            # Markdown the section templates made, every value in it escaped there.
            (section, trusted(demote(self._section(phase, section, uri), depth)))
            for section in SECTIONS
        ]
        return self.render(
            "packet-phase.md.j2",
            uri,
            phase=phase,
            item=self.schedule.of(phase.number),
            parts=parts,
            depth=depth,
        )

    def _packet_pages(self) -> list[GeneratedPage]:
        """Each phase's handoff packet, and the whole programme's: printable, out of the nav."""
        programme = self.programme
        pages = [
            GeneratedPage(
                packet_uri(phase),
                "Handoff packet",
                f"Phase {phase.number} · Handoff packet",
                self.packet(phase, packet_uri(phase)),
                programme.phase_file(phase.number),
                in_nav=False,
                searchable=False,  # the sections again: search finds them there
            )
            for phase in programme.phases
        ]
        packets = [
            (phase, trusted(self.packet(phase, PRINT_URI, depth=2)))
            for phase in programme.phases
        ]
        pages.append(
            GeneratedPage(
                PRINT_URI,
                "Handoff packets",
                f"{programme.info.name} · Handoff packets",
                self.render("packet-programme.md.j2", PRINT_URI, packets=packets),
                programme.programme_source.path,
                in_nav=False,
                searchable=False,
            )
        )
        return pages

    def _detail_pages(self, phase: Phase) -> list[GeneratedPage]:
        """One page per report (split in parts of DETAIL_ROWS rows), out of the nav."""
        pages = []
        for item in self.findings[phase.number].summary.reports:
            report = item.report
            tables = _detail_tables(report)
            shown = finding_columns(tables.get("finding", ()))
            longest = max((len(rows) for rows in tables.values()), default=1)
            parts = -(-longest // DETAIL_ROWS)
            for part in range(1, parts + 1):
                window = slice((part - 1) * DETAIL_ROWS, part * DETAIL_ROWS)
                uri = detail_uri(phase, item, part)
                body, late = self._render_late(
                    "findings-detail.md.j2",
                    uri,
                    phase=phase,
                    item=item,
                    part=part,
                    parts=parts,
                    tables={kind: rows[window] for kind, rows in tables.items()},
                    shown=shown,
                )
                title = item.title + (f" (part {part})" if parts > 1 else "")
                pages.append(
                    GeneratedPage(
                        uri,
                        title,
                        f"Phase {phase.number} · {title}",
                        body,
                        self.programme.phase_file(phase.number),
                        in_nav=False,
                        wide=True,
                        searchable=False,
                        late=late,
                    )
                )
        return pages


def render_pages(
    build: Build, templates_dir: Path | None = None, directory_urls: bool = True
) -> list[GeneratedPage]:
    """All generated pages in programme order (overview pages first, then each phase)."""
    return Renderer(build, templates_dir, directory_urls).pages()

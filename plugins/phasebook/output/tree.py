"""``phasebook export``: the programme as the plain Markdown tree teams keep in a repository.

One folder per phase with the seed's eight sections as files (``00-PHASE_BRIEF.md`` …
``07-VALIDATION.md``; ``03-FINDINGS/`` with a file per report, ``04-ARTIFACTS/`` an index of
the deliverables) and a ``README.md`` that indexes the phases, their gates and the schedule.
GitHub-flavoured Markdown, written from the one :class:`~phasebook.build.Build`.

Templates (``templates/export-*.md.j2``) print every value through :func:`escape.gfm_text`
(the finalizer; there is no HTML autoescape to bypass it): report and YAML text is literal,
never markup or a link. Only the filters below make Markdown, each from escaped parts:
code spans, links Phasebook makes, and writers' prose (:mod:`phasebook.output.gfm`). There are
no macros: a macro's output would be escaped again, so shared pieces are included.

The same build gives the same bytes: no date but the build's "as of", LF line ends, one
trailing newline, everything in programme order or sorted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from markupsafe import Markup

from phasebook import escape
from phasebook.assess.gates import GATE_TITLES
from phasebook.assess.summary import ReportSummary, audited_nothing
from phasebook.build import Build
from phasebook.evidence import (
    SEVERITY_ORDER,
    Outcome,
    Report,
    outcome_counts,
    severity_counts,
)
from phasebook.handoff import handoff_view
from phasebook.model import Phase
from phasebook.output import gfm
from phasebook.readers import role_of
from phasebook.render.findings import RULE_LIMIT, rule_groups
from phasebook.urls import safe_url

VERDICT_MARKS = {
    "pass": "✅",
    "fail": "❌",
    "no data": "⚪",
    "waived": "🟠",
    "not started": "⏳",
}
"""A gate verdict's mark, before its word (the word is what a screen reader and grep see)."""

FAILED_TEST_LIMIT = 50
SERIES_LIMIT = 100


@dataclass(frozen=True)
class SectionFile:
    """One of the eight sections of a phase, as a file of its folder."""

    slug: str
    path: str
    title: str
    template: str


SECTION_FILES = (
    SectionFile("00-brief", "00-PHASE_BRIEF.md", "Brief", "export-brief.md.j2"),
    SectionFile("01-input-handoff", "01-INPUT_HANDOFF.md", "Input Handoff",
                "export-input-handoff.md.j2"),
    SectionFile("02-execution-plan", "02-EXECUTION_PLAN.md", "Execution Plan",
                "export-plan.md.j2"),
    SectionFile("03-findings", "03-FINDINGS/README.md", "Findings", "export-findings.md.j2"),
    SectionFile("04-artifacts", "04-ARTIFACTS/README.md", "Artifacts", "export-artifacts.md.j2"),
    SectionFile("05-decisions", "05-DECISIONS.md", "Decisions", "export-decisions.md.j2"),
    SectionFile("06-output-handoff", "06-OUTPUT_HANDOFF.md", "Output Handoff",
                "export-output-handoff.md.j2"),
    SectionFile("07-validation", "07-VALIDATION.md", "Validation", "export-validation.md.j2"),
)
README = "README.md"


def phase_folder(phase: Phase) -> str:
    return f"phase-{phase.number}"


def section_path(phase: Phase, slug: str) -> str:
    """The file of a phase's section, from the top of the tree."""
    section = next(item for item in SECTION_FILES if item.slug == slug)
    return f"{phase_folder(phase)}/{section.path}"


def report_path(phase: Phase, item: ReportSummary) -> str:
    """A report's file under ``03-FINDINGS/``: its slug (unique in the phase); a long one, or
    ``readme``, shortened and made unique by a hash of it."""
    stem = item.slug
    if len(stem) > 80 or stem.lower() == "readme":  # a short, still unique name
        digest = hashlib.sha256(stem.encode("utf-8")).hexdigest()[:8]
        stem = f"{stem[:70].strip('-')}-{digest}"
    return f"{phase_folder(phase)}/03-FINDINGS/{stem}.md"


def environment() -> jinja2.Environment:
    """The export's templates: every printed value through :func:`escape.gfm_text`."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("phasebook", "templates"),
        undefined=jinja2.StrictUndefined,
        # The finalizer escapes for GFM; Jinja's HTML autoescape would let `*`, `|` and `[`
        # through wherever it builds Markup itself (`~`, join, macros).
        autoescape=False,  # noqa: S701
        finalize=escape.gfm_text,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        cell=escape.gfm_cell,
        code=escape.gfm_code,
        codecell=lambda value: escape.gfm_code(value, in_table=True),
        prose=gfm.prose,
        item=gfm.prose_item,
        prosecell=gfm.prose_cell,
        date=_date,
        words=lambda value: str(value).replace("_", " "),
        anchor=escape.anchor,
        mark=lambda verdict: escape.trusted(VERDICT_MARKS.get(str(verdict), "")),
    )
    return env


def _date(value: dt.date | None) -> Markup:
    return escape.trusted("—" if value is None else f"{value:%Y-%m-%d}")


def export_files(build: Build, target: Path | None = None) -> dict[str, str]:
    """Every file of the tree by its POSIX path in the export folder, sorted.

    ``target`` is where the tree goes: when it is inside the project, an artifact that exists
    is linked by its path from the file that names it; elsewhere it is only named.
    """
    return ExportTree(build, target).files()


class ExportTree:
    """Renders the tree of one build; what every file shares is computed once."""

    def __init__(self, build: Build, target: Path | None = None) -> None:
        self.build = build
        self.programme = build.programme
        self.root = build.project_root.resolve()
        self.target = _inside(target.resolve(), self.root) if target is not None else None
        self.env = environment()
        self.shared = self._shared()

    def files(self) -> dict[str, str]:
        files = {README: self.render("export-readme.md.j2", README)}
        for phase in self.programme.phases:
            item = self.build.assessment.of(phase)
            for section in SECTION_FILES:
                path = section_path(phase, section.slug)
                files[path] = self.render(
                    section.template, path, phase=phase, item=item, section=section
                )
            for report in item.summary.reports:
                path = report_path(phase, report)
                files[path] = self.render(
                    "export-report.md.j2", path, phase=phase, item=item, report=report
                )
        return dict(sorted(files.items()))

    def render(self, template: str, path: str, **extra: Any) -> str:
        text = self.env.get_template(template).render(**self.shared, **self._here(path), **extra)
        return tidy(text)

    def _shared(self) -> dict[str, Any]:
        build = self.build
        return {
            "programme": self.programme,
            "info": self.programme.info,
            "schedule": build.schedule,
            "forecast": build.forecast,
            "assessment": build.assessment,
            "as_of": build.as_of,
            "sections": SECTION_FILES,
            "gate_titles": GATE_TITLES,
            "severities": [severity.value for severity in SEVERITY_ORDER],
            "outcomes": [outcome.value for outcome in Outcome],
            "source_of": self._source_of,
            "handoff": lambda phase: handoff_view(self.programme, phase),
            "previous": self.programme.previous,
            "next_phase": self.programme.next,
            "risks": lambda phase: sorted(phase.risks, key=lambda r: (-r.score, r.id)),
            "rule_groups": lambda report: rule_groups([report]),
            "rule_limit": RULE_LIMIT,
            "failed_limit": FAILED_TEST_LIMIT,
            "series_limit": SERIES_LIMIT,
            "severity_counts": severity_counts,
            "outcome_counts": outcome_counts,
            "audited_nothing": audited_nothing,
            "role_of": lambda report: (role := role_of(report.format)) and role.value,
            "exists": self._exists,
            "report_file": report_path,
            "data_path": self._data_path,
            "other_kinds": _other_kinds,
            "percent": lambda part, whole: f"{100.0 * part / whole:.1f} %" if whole else "—",
            "series_of": lambda item, report: [s for s in item.summary.series
                                               if s.report is report],
        }

    def _here(self, path: str) -> dict[str, Callable[..., Markup]]:
        """Helpers whose links start from the file at ``path``."""
        folder = posixpath.dirname(path)

        def to(target: str, anchor: str | None = None) -> Markup:
            """A link target to another file of the tree (paths Phasebook names itself)."""
            relative = posixpath.relpath(target, folder or ".")
            return escape.trusted(quote(relative) + (f"#{escape.anchor(anchor)}" if anchor else ""))

        def location(value: object, in_table: bool = False) -> Markup:
            """An artifact's location: a link to an http(s) URL or to a file that exists in
            the project (when the tree is inside it), else the path as code."""
            shown = escape.gfm_code(value, in_table=in_table)
            url = escape.gfm_url(value)
            if url is not None and url.startswith(("http://", "https://")):
                return escape.trusted(f"[{escape.gfm_text(value)}]({url})")
            if self.target is None or url is None or not self._exists(value):
                return shown
            absolute = (self.root / str(value)).resolve()
            relative = os.path.relpath(absolute, self.target / folder)
            return escape.trusted(f"[{shown}]({quote(Path(relative).as_posix())})")

        return {"to": to, "location": location}

    def _exists(self, value: object) -> bool | None:
        """Whether an artifact path exists in the project; ``None`` for a URL or a path that
        is not allowed (the loader has already refused one that leaves the project)."""
        target = safe_url(value)
        if target is None or target.startswith(("http://", "https://", "mailto:")):
            return None
        path = (self.root / target).resolve()
        return _inside(path, self.root) is not None and path.exists()

    def _data_path(self, report: Report) -> str:
        """A report's path from the data folder, as a phase names it."""
        try:
            return report.path.resolve().relative_to(self.programme.root.resolve()).as_posix()
        except ValueError:
            return report.path.name

    def _source_of(self, phase: Phase) -> str:
        path = self.programme.phase_file(phase.number)
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return path.name


def _inside(path: Path, root: Path) -> Path | None:
    return path if path == root or root in path.parents else None


def _other_kinds(report: Report) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for record in report.records:
        if record.kind not in ("finding", "test", "coverage", "measurement"):
            counts[record.kind] = counts.get(record.kind, 0) + 1
    return sorted(counts.items())


_BLANK_RUNS = re.compile(r"\n{3,}")


def tidy(text: str) -> str:
    """One blank line at most between blocks (outside fenced code), no trailing spaces, LF,
    one newline at the end."""
    out: list[str] = []
    fence = ""
    for chunk in re.split(r"(?m)^( {0,3}(?:`{3,}|~{3,}).*)$", text.replace("\r\n", "\n")):
        if chunk.lstrip(" ").startswith(("```", "~~~")):
            marker = chunk.lstrip(" ")[:3]
            fence = "" if fence and marker[0] == fence else (fence or marker[0])
            out.append(chunk)
        elif fence:
            out.append(chunk)
        else:
            lines = "\n".join(line.rstrip() for line in chunk.split("\n"))
            out.append(_BLANK_RUNS.sub("\n\n", lines))
    return "".join(out).strip("\n") + "\n"

"""The assessment as plain text and as a CI job summary (markdown), for ``phasebook check``."""

from __future__ import annotations

from collections.abc import Sequence

from phasebook.assess import Assessment, GateVerdict, PhaseAssessment
from phasebook.assess.gates import GATE_TITLES
from phasebook.build import Build
from phasebook.escape import cell

_MARK = {
    GateVerdict.PASS: "pass",
    GateVerdict.FAIL: "FAIL",
    GateVerdict.NO_DATA: "no data",
    GateVerdict.WAIVED: "waived",
    GateVerdict.NOT_STARTED: "not started",
}
_EMOJI = {
    GateVerdict.PASS: "✅",
    GateVerdict.FAIL: "❌",
    GateVerdict.NO_DATA: "⚪",
    GateVerdict.WAIVED: "🟠",
    GateVerdict.NOT_STARTED: "⏳",
}


def gate_matrix_text(phases: list[PhaseAssessment]) -> str:
    """Phases × gates as an aligned text table."""
    header = ["phase", *GATE_TITLES.values(), "ready"]
    rows = [
        [
            f"{item.phase.number} {item.phase.title}"[:34],
            *(_MARK[gate.verdict] for gate in item.gates),
            "yes" if item.ready else "no",
        ]
        for item in phases
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(text.ljust(width) for text, width in zip(row, widths, strict=True))
             for row in [header, *rows]]
    return "\n".join(line.rstrip() for line in lines)


def problems_text(phases: list[PhaseAssessment]) -> str:
    """Every gate that does not pass, with the gaps behind it, and every failing metric."""
    lines = []
    for item in phases:
        for gate in item.gates:
            if gate.verdict not in (GateVerdict.PASS, GateVerdict.NOT_STARTED):
                lines.append(
                    f"phase {item.phase.number} {gate.title}: {gate.verdict.value}: {gate.reason}"
                )
                lines.extend(f"  - {detail}" for detail in gate.details)
        for result in item.failing_metrics:
            lines.append(
                f"phase {item.phase.number} metric {result.definition.title}: "
                f"{result.display}, needs {result.definition.threshold.text}"
            )
    return "\n".join(lines)


def summary_markdown(assessment: Assessment, phases: list[PhaseAssessment]) -> str:
    """A markdown summary for a CI job page (GitHub's $GITHUB_STEP_SUMMARY)."""
    lines = [
        f"## Phasebook check, as of {assessment.as_of:%Y-%m-%d}",
        "",
        "| Phase | " + " | ".join(GATE_TITLES.values()) + " | Ready |",
        "|---|" + "---|" * (len(GATE_TITLES) + 1),
    ]
    for item in phases:
        marks = " | ".join(f"{_EMOJI[g.verdict]} {g.verdict.value}" for g in item.gates)
        title = cell(f"{item.phase.number} · {item.phase.title}")
        lines.append(f"| {title} | {marks} | {'yes' if item.ready else 'no'} |")
    failing = [(item, result) for item in phases for result in item.failing_metrics]
    if failing:
        lines += ["", "### Failing metrics", "", "| Phase | Metric | Value | Threshold |",
                  "|---|---|---|---|"]
        lines += [
            f"| {item.phase.number} | {cell(r.definition.title)} | {cell(r.display)} "
            f"| {cell(r.definition.threshold.text)} |"
            for item, r in failing
        ]
    return "\n".join(lines) + "\n"


class GateMatrixText:
    """``phasebook check``: the gate matrix, then every problem, one line each."""

    name = "text"

    def write(self, build: Build, phases: Sequence[PhaseAssessment]) -> str:
        problems = problems_text(list(phases))
        return gate_matrix_text(list(phases)) + (f"\n\n{problems}" if problems else "") + "\n"


class CiSummary:
    """``phasebook check --summary``: markdown for a CI job page."""

    name = "summary"

    def write(self, build: Build, phases: Sequence[PhaseAssessment]) -> str:
        return summary_markdown(build.assessment, list(phases))

"""``phasebook digest``: the daily update the communication plan asks for, ready to post.

What changed between an earlier snapshot in the history folder and this build: gates that
changed verdict, findings new and fixed, risks raised, closed or changed, what is late, and
the decisions dated since. Everything is read from the snapshots and the one
:class:`~phasebook.build.Build`; nothing is recomputed.

Two formats from one :class:`Digest`: GitHub-flavoured Markdown (``markdown``) and Slack's
mrkdwn (``slack``: ``*bold*``, ``•`` bullets, no tables). Every value is escaped for the
format it lands in (:mod:`phasebook.escape`); report text (rules, paths) is code in both.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from phasebook import escape
from phasebook.assess.gates import GATE_TITLES
from phasebook.build import Build
from phasebook.errors import PhasebookError
from phasebook.evidence import SEVERITY_ORDER
from phasebook.finding_kinds import Classifier, FindingClass
from phasebook.history import Snapshot
from phasebook.model import Decision, PhaseStatus, RiskStatus
from phasebook.output.tree import VERDICT_MARKS

TOP_LIMIT = 5
"""New and fixed findings listed one by one, most severe first (the rest are counted)."""
FORMATS = ("markdown", "slack")
_LIVE = frozenset({RiskStatus.OPEN.value, RiskStatus.MITIGATING.value})


class DigestError(PhasebookError):
    """No earlier snapshot to compare with."""


@dataclass(frozen=True)
class GateChange:
    phase: int
    phase_title: str
    gate: str
    before: str | None
    after: str


@dataclass(frozen=True)
class RiskChange:
    """A risk whose status or score moved; ``None`` where it did not exist."""

    id: str
    phase: int
    title: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@dataclass(frozen=True)
class Late:
    """One line of "what is late": a phase (late or pushed) or a task past its end."""

    phase: int
    phase_title: str
    text: str


@dataclass(frozen=True)
class Digest:
    """What changed since ``since`` (the baseline snapshot's date), as of ``as_of``."""

    programme: str
    as_of: dt.date
    since: dt.date
    baseline: str
    gates: list[GateChange]
    new: list[dict[str, Any]]
    fixed: list[dict[str, Any]]
    risks_known: bool
    raised: list[RiskChange]
    closed: list[RiskChange]
    changed: list[RiskChange]
    late: list[Late]
    decisions: list[tuple[int, Decision]]


def baseline(history: Iterable[Snapshot], as_of: dt.date, since: dt.date | None) -> Snapshot:
    """The snapshot to compare with: the newest taken on or before ``since``; without it,
    the newest taken before the build's day."""
    snapshots = sorted(history, key=lambda s: (s.as_of, s.path.name))
    if since is not None:
        candidates = [s for s in snapshots if s.as_of <= since]
        wanted = f"on or before {since:%Y-%m-%d}"
    else:
        candidates = [s for s in snapshots if s.as_of < as_of]
        wanted = f"before {as_of:%Y-%m-%d}"
    if not candidates:
        dates = ", ".join(f"{s.as_of:%Y-%m-%d}" for s in snapshots) or "none"
        raise DigestError(
            f"no snapshot in the history folder is dated {wanted} (snapshots: {dates}); "
            "keep one a day with `phasebook snapshot --out <history>/<date>.json`, or pass "
            "another --since"
        )
    return candidates[-1]


def digest(build: Build, base: Snapshot) -> Digest:
    """The changes from ``base`` to ``build``."""
    current = Snapshot(Path(), build.as_of, dict(build.snapshot))
    new, fixed = _findings(base, current)
    # Vulnerabilities apart from lint and type findings: each entry says which it is.
    kind_now = Classifier.of(current.document, base.document)
    kind_before = Classifier.of(base.document, current.document)
    new = [{**entry, "kind": kind_now(entry).value} for entry in new]
    fixed = [{**entry, "kind": kind_before(entry).value} for entry in fixed]
    known = all("risks" in phase for phase in base.document["phases"].values())
    raised, closed, changed = _risks(base, current) if known else ([], [], [])
    return Digest(
        programme=build.programme.info.name,
        as_of=build.as_of,
        since=base.as_of,
        baseline=base.path.name,
        gates=_gates(base, current),
        new=new,
        fixed=fixed,
        risks_known=known,
        raised=raised,
        closed=closed,
        changed=changed,
        late=_late(build),
        decisions=sorted(
            (
                (phase.number, decision)
                for phase in build.programme.phases
                for decision in phase.decisions
                if decision.date is not None and base.as_of < decision.date <= build.as_of
            ),
            key=lambda pair: (pair[1].date or base.as_of, pair[0], pair[1].id),
        ),
    )


def _gates(base: Snapshot, current: Snapshot) -> list[GateChange]:
    changes = []
    for number, phase in sorted(current.document["phases"].items(), key=lambda i: int(i[0])):
        before = base.phase(int(number)).get("gates", {})
        for key, gate in phase["gates"].items():
            old = before.get(key, {}).get("verdict")
            if old != gate["verdict"]:
                title = GATE_TITLES.get(key, key)
                changes.append(GateChange(int(number), phase["title"], title, old, gate["verdict"]))
    return changes


def _findings(
    base: Snapshot, current: Snapshot
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """New and fixed findings by fingerprint. A finding counts as fixed only if its tool
    still reports: a tool not run again does not make its findings look fixed."""
    before, now = base.fingerprints(), current.fingerprints()
    tools = {entry["tool"] for entry in now.values()} | {
        report["tool"]
        for phase in current.document["phases"].values()
        for report in phase.get("reports", [])
    }
    new = [entry for key, entry in now.items() if key not in before]
    fixed = [e for key, e in before.items() if key not in now and e.get("tool") in tools]
    return _ranked(new), _ranked(fixed)


def _ranked(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(entries, key=lambda e: (_rank(e), e.get("tool") or "", e.get("rule") or "",
                                          e.get("path") or "", e.get("fingerprint", "")))


def _rank(entry: dict[str, Any]) -> int:
    names = [severity.value for severity in SEVERITY_ORDER]
    severity = entry.get("severity")
    return names.index(severity) if severity in names else len(names)


def _risks(
    base: Snapshot, current: Snapshot
) -> tuple[list[RiskChange], list[RiskChange], list[RiskChange]]:
    def every(snapshot: Snapshot) -> dict[str, tuple[int, dict[str, Any]]]:
        return {
            risk_id: (int(number), risk)
            for number, phase in sorted(snapshot.document["phases"].items(),
                                        key=lambda i: int(i[0]))
            for risk_id, risk in phase.get("risks", {}).items()
        }

    before, now = every(base), every(current)
    raised, closed, changed = [], [], []
    for risk_id in sorted(before.keys() | now.keys()):
        old = before[risk_id][1] if risk_id in before else None
        new = now[risk_id][1] if risk_id in now else None
        number = (now.get(risk_id) or before[risk_id])[0]
        title = str((new or old or {}).get("title", ""))
        change = RiskChange(risk_id, number, title, old, new)
        was_live = old is not None and old["status"] in _LIVE
        is_live = new is not None and new["status"] in _LIVE
        if is_live and not was_live:
            raised.append(change)
        elif was_live and (new is None or new["status"] == RiskStatus.CLOSED.value):
            closed.append(change)
        elif old is not None and new is not None and (
            old["status"] != new["status"] or old.get("score") != new.get("score")
        ):
            changed.append(change)
    return raised, closed, changed


def _late(build: Build) -> list[Late]:
    """Phases in progress past their planned handoff, phases pushed with them, tasks of
    phases not done that are past their last day and not done."""
    items = [
        Late(item.phase.number, item.phase.title,
             f"{item.late_days} day{_s(item.late_days)} late: forecast handoff "
             f"{item.finish:%Y-%m-%d} (planned {item.planned.finish:%Y-%m-%d})")
        for item in build.forecast.late
    ]
    items += [
        Late(item.phase.number, item.phase.title,
             f"pushed {item.late_days} day{_s(item.late_days)} later: forecast start "
             f"{item.start:%Y-%m-%d} (planned {item.planned.start:%Y-%m-%d})")
        for item in build.forecast.pushed
    ]
    for phase in build.programme.phases:
        if phase.status is PhaseStatus.DONE:
            continue
        for task in phase.plan:
            if task.status.value != "done" and task.end < build.as_of:
                days = (build.as_of - task.end).days
                name = f"{task.id} {task.title}" if task.id else task.title
                items.append(Late(phase.number, phase.title,
                                  f"task {name}: due {task.end:%Y-%m-%d} ({days} day{_s(days)} "
                                  f"ago), {task.status.value.replace('_', ' ')}"))
    return items


def _s(count: int) -> str:
    return "" if count == 1 else "s"


# The two formats: the same lines, each value escaped for where it lands.


@dataclass(frozen=True)
class _Style:
    heading: Callable[[str], str]
    bullet: str
    strong: Callable[[str], str]
    text: Callable[[object], str]
    code: Callable[[object], str]


_MARKDOWN = _Style(
    heading=lambda title: f"### {title}",
    bullet="- ",
    strong=lambda value: f"**{value}**",
    text=lambda value: str(escape.gfm_text(value)),
    code=lambda value: str(escape.gfm_code(value)),
)
_SLACK = _Style(
    heading=lambda title: f"*{title}*",
    bullet="• ",
    strong=lambda value: f"*{value}*",
    text=escape.slack_text,
    code=escape.slack_code,
)


def markdown(item: Digest) -> str:
    """The digest as GitHub-flavoured Markdown (for an issue, a wiki, Teams, a mail)."""
    title = f"## {_MARKDOWN.text(item.programme)} — update of {item.as_of:%Y-%m-%d}"
    return _write(item, _MARKDOWN, title)


def slack(item: Digest) -> str:
    """The digest as Slack mrkdwn (a message's ``text``, or pasted as it is)."""
    title = f"*{_SLACK.text(item.programme)} — update of {item.as_of:%Y-%m-%d}*"
    return _write(item, _SLACK, title)


def render(item: Digest, format: str) -> str:
    """The digest in ``format`` (one of :data:`FORMATS`)."""
    return slack(item) if format == "slack" else markdown(item)


def _write(item: Digest, style: _Style, title: str) -> str:
    lines = [
        title,
        "",
        f"Changes since {item.since:%Y-%m-%d} (snapshot {style.code(item.baseline)}).",
    ]
    for heading, body in (
        ("Gates", _gate_lines(item, style)),
        ("Findings", _finding_lines(item, style)),
        ("Risks", _risk_lines(item, style)),
        ("Late", _late_lines(item, style)),
        ("Decisions", _decision_lines(item, style)),
    ):
        lines += ["", style.heading(heading), "", *body]
    return "\n".join(lines) + "\n"


def _verdict(value: str | None, style: _Style) -> str:
    if value is None:
        return "—"
    mark = VERDICT_MARKS.get(value, "")
    return f"{mark} {style.text(value)}".strip()


def _phase(number: int, title: str, style: _Style) -> str:
    return f"Phase {number} · {style.text(title)}"


def _gate_lines(item: Digest, style: _Style) -> list[str]:
    if not item.gates:
        return ["No gate changed its verdict."]
    lines, by_phase = [], _group(item.gates, lambda change: (change.phase, change.phase_title))
    for (number, phase_title), changes in by_phase:
        moves = "; ".join(
            f"{style.text(change.gate)} {_verdict(change.before, style)} → "
            f"{_verdict(change.after, style)}"
            for change in changes
        )
        lines.append(f"{style.bullet}{_phase(number, phase_title, style)}: {moves}")
    return lines


def _group(items: list[GateChange], key: Callable[[GateChange], tuple[int, str]]
           ) -> list[tuple[tuple[int, str], list[GateChange]]]:
    groups: dict[tuple[int, str], list[GateChange]] = {}
    for entry in items:
        groups.setdefault(key(entry), []).append(entry)
    return list(groups.items())


def _finding_lines(item: Digest, style: _Style) -> list[str]:
    lines = [f"{style.strong(str(len(item.new)))} new, {style.strong(str(len(item.fixed)))} "
             f"fixed."]
    breakdown = [
        f"{style.bullet}{word} by severity: {_counts(entries, 'severity', style)}; "
        f"by tool: {_counts(entries, 'tool', style)}"
        for word, entries in (("New", item.new), ("Fixed", item.fixed))
        if entries
    ]
    by_kind = [
        f"{style.bullet}{title}: {style.strong(str(len(of(item.new))))} new, "
        f"{style.strong(str(len(of(item.fixed))))} fixed"
        for kind, title in _KINDS
        for of in [_of_kind(kind)]
        if kind != FindingClass.UNKNOWN or of(item.new) or of(item.fixed)
    ]
    lines += ["", *by_kind, *breakdown] if item.new or item.fixed else []
    for word, every in (("new", item.new), ("fixed", item.fixed)):
        for kind, title in _KINDS:
            entries = _of_kind(kind)(every)
            if not entries:
                continue
            lines += ["", f"Most severe {word} ({title.lower()}):", ""]
            lines += [f"{style.bullet}{_finding(entry, style)}" for entry in entries[:TOP_LIMIT]]
            if len(entries) > TOP_LIMIT:
                lines.append(f"{style.bullet}… and {len(entries) - TOP_LIMIT} more")
    return lines


_KINDS = (
    (FindingClass.VULNERABILITY, "Vulnerabilities"),
    (FindingClass.QUALITY, "Lint and type findings"),
    (FindingClass.UNKNOWN, "Findings of an unknown kind"),
)


def _of_kind(kind: FindingClass) -> Callable[[list[dict[str, Any]]], list[dict[str, Any]]]:
    return lambda entries: [entry for entry in entries if entry.get("kind") == kind]


def _counts(entries: list[dict[str, Any]], key: str, style: _Style) -> str:
    counts = Counter(str(entry.get(key) or "unknown") for entry in entries)
    if key == "severity":
        order = [severity.value for severity in SEVERITY_ORDER]
        ordered = sorted(counts.items(), key=lambda pair: (
            order.index(pair[0]) if pair[0] in order else len(order), pair[0]))
    else:
        ordered = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))
    return ", ".join(f"{style.text(name)} {count}" for name, count in ordered)


def _finding(entry: dict[str, Any], style: _Style) -> str:
    where = f" in {style.code(entry['path'])}" if entry.get("path") else ""
    return (f"{style.strong(style.text(entry.get('severity') or 'unknown'))} "
            f"{style.text(entry.get('tool') or 'unknown')} {style.code(entry.get('rule') or '—')}"
            f"{where}")


def _risk_lines(item: Digest, style: _Style) -> list[str]:
    if not item.risks_known:
        return [f"The snapshot of {item.since:%Y-%m-%d} records no risks (it is older than "
                "risk tracking in snapshots), so no change can be told."]
    lines = []
    for word, changes in (("Raised", item.raised), ("Closed", item.closed),
                          ("Changed", item.changed)):
        for change in changes:
            lines.append(f"{style.bullet}{word}: {_risk(change, style)}")
    return lines or ["No risk was raised, closed or changed."]


def _risk(change: RiskChange, style: _Style) -> str:
    old, new = change.before, change.after
    head = f"{style.strong(style.text(change.id))} {style.text(change.title)} (phase {change.phase}"
    if new is None:
        return f"{head}, removed from the register)"
    if old is None:
        return f"{head}, score {new['score']}, {style.text(new['status'])})"
    moves = []
    if old["status"] != new["status"]:
        moves.append(f"{style.text(old['status'])} → {style.text(new['status'])}")
    if old.get("score") != new.get("score"):
        moves.append(f"score {old.get('score')} → {new.get('score')}")
    return f"{head}): " + "; ".join(moves)


def _late_lines(item: Digest, style: _Style) -> list[str]:
    if not item.late:
        return ["Nothing is late."]
    return [
        f"{style.bullet}{_phase(entry.phase, entry.phase_title, style)}: {style.text(entry.text)}"
        for entry in item.late
    ]


def _decision_lines(item: Digest, style: _Style) -> list[str]:
    if not item.decisions:
        return [f"No decision is dated after {item.since:%Y-%m-%d}."]
    return [
        f"{style.bullet}{style.strong(style.text(decision.id))} {style.text(decision.title)} "
        f"(phase {number}, {style.text(decision.status.value)}, "
        f"{decision.date:%Y-%m-%d})"
        for number, decision in item.decisions
    ]

"""The metrics a programme is judged on: the seed's built-ins and the programme's overrides.

What a metric is (its source, threshold, the phases it belongs to) is decided here, at load
time, so the loader can check every metric a phase names; :mod:`phasebook.assess.metrics`
judges them on evidence. Which report formats feed the vulnerability metrics derives from the
role each reader declares.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, replace

from phasebook.errors import Problem
from phasebook.model import Aggregate, MetricSource, MetricSpec, Phase, Programme
from phasebook.readers.registry import finding_formats, known_formats, security_formats
from phasebook.thresholds import Threshold, parse_check

NOT_SCANNERS = frozenset(known_formats()) - frozenset(finding_formats())
"""Formats that never report findings: zero findings in them is no evidence of a clean scan.
Derived from the record kinds each reader declares."""

SECURITY_FORMATS = security_formats()
"""Formats whose findings are vulnerabilities (linters and type checkers are not). Derived
from the role each reader declares (``SECURITY_ROLES`` in ``phasebook.readers.roles``)."""


@dataclass(frozen=True)
class MetricDefinition:
    """A metric fully specified: built-in values with the programme's overrides applied."""

    id: str
    title: str
    source: MetricSource
    threshold: Threshold
    phases: tuple[int, ...]
    severity: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()
    name: str | None = None
    aggregate: Aggregate = Aggregate.LAST
    labels: tuple[tuple[str, str], ...] | None = None
    """Only samples carrying all these labels; ``()`` means samples without any label."""


def _seed(
    metric_id: str,
    title: str,
    source: MetricSource,
    check: str,
    phases: tuple[int, ...],
    **extra: object,
) -> MetricDefinition:
    return MetricDefinition(metric_id, title, source, parse_check(check), phases, **extra)  # type: ignore[arg-type]


_EARLY, _MIDDLE, _LATE = (1, 2), (3, 4, 5), (6, 7, 8)
SEED_METRICS: tuple[MetricDefinition, ...] = (
    _seed("coverage", "Test coverage (lines)", MetricSource.COVERAGE_LINES, "> 80 %", _EARLY),
    _seed(
        "vulnerabilities-critical",
        "Critical vulnerabilities",
        MetricSource.FINDINGS,
        "== 0",
        _EARLY,
        severity=("critical",),
        formats=SECURITY_FORMATS,
    ),
    _seed(
        "vulnerabilities-high",
        "High vulnerabilities",
        MetricSource.FINDINGS,
        "< 5",
        _EARLY,
        severity=("high",),
        formats=SECURITY_FORMATS,
    ),
    _seed("test-execution", "Test execution time", MetricSource.TESTS_DURATION, "< 5 min", _EARLY),
    _seed(
        "documentation",
        "Documentation coverage of public APIs",
        MetricSource.MEASUREMENT,
        ">= 100 %",
        _EARLY,
        name="documentation_coverage",
    ),
    _seed(
        "container-build",
        "Container build time",
        MetricSource.MEASUREMENT,
        "< 5 min",
        _MIDDLE,
        name="container_build_time",
    ),
    _seed(
        "deployment",
        "Deployment time",
        MetricSource.MEASUREMENT,
        "< 10 min",
        _MIDDLE,
        name="deployment_time",
    ),
    _seed(
        "rollback",
        "Rollback time",
        MetricSource.MEASUREMENT,
        "< 2 min",
        _MIDDLE,
        name="rollback_time",
    ),
    _seed(
        "provisioning",
        "Infrastructure provisioning time",
        MetricSource.MEASUREMENT,
        "< 15 min",
        _MIDDLE,
        name="provisioning_time",
    ),
    _seed(
        "alert-response",
        "Alert response time",
        MetricSource.MEASUREMENT,
        "< 5 min",
        _LATE,
        name="alert_response_time",
    ),
    _seed(
        "log-retention",
        "Log retention",
        MetricSource.MEASUREMENT,
        ">= 30 d",
        _LATE,
        name="log_retention",
    ),
    _seed("uptime", "Uptime", MetricSource.MEASUREMENT, ">= 99.9 %", _LATE, name="uptime"),
    _seed(
        "mttr",
        "Mean time to recovery",
        MetricSource.MEASUREMENT,
        "< 30 min",
        _LATE,
        name="mttr",
    ),
)


def metric_definitions(programme: Programme) -> tuple[MetricDefinition, ...]:
    """The seed's metrics with the programme's overrides, then the programme's own."""
    overrides = programme.info.metrics
    result = []
    for seed in SEED_METRICS:
        spec = overrides.get(seed.id)
        result.append(seed if spec is None else _apply(seed, spec))
    for metric_id, spec in overrides.items():
        if any(seed.id == metric_id for seed in SEED_METRICS):
            continue
        assert spec.source is not None and spec.check is not None  # checked by the loader
        result.append(
            _apply(
                MetricDefinition(metric_id, spec.title or metric_id, spec.source, spec.check, ()),
                spec,
            )
        )
    return tuple(result)


def _apply(base: MetricDefinition, spec: MetricSpec) -> MetricDefinition:
    return replace(
        base,
        title=spec.title or base.title,
        source=spec.source or base.source,
        threshold=spec.check or base.threshold,
        phases=tuple(spec.phases) if spec.phases is not None else base.phases,
        severity=tuple(spec.severity) if spec.severity is not None else base.severity,
        formats=tuple(spec.formats) if spec.formats is not None else base.formats,
        name=spec.name or base.name,
        aggregate=spec.aggregate or base.aggregate,
        labels=tuple(sorted(spec.labels.items())) if spec.labels is not None else base.labels,
    )


def phase_metrics(definitions: Iterable[MetricDefinition], phase: Phase) -> list[MetricDefinition]:
    """The metrics judged for ``phase``: attached by number, or named in the phase file."""
    return [d for d in definitions if phase.number in d.phases or d.id in phase.metrics]


def metric_problems(programme: Programme) -> list[Problem]:
    """Metric settings the model alone cannot check: unknown ids, missing keys, phases."""
    problems = []
    seed_ids = [seed.id for seed in SEED_METRICS]
    numbers = {phase.number for phase in programme.phases}
    where = programme.programme_source
    for metric_id, spec in programme.info.metrics.items():
        if metric_id not in seed_ids and (spec.source is None or spec.check is None):
            close = difflib.get_close_matches(metric_id, seed_ids, n=1)
            hint = (
                f"did you mean the built-in `{close[0]}`?"
                if close
                else "a new metric needs `source:` and `check:`"
            )
            problems.append(
                Problem(
                    where.locate(("metrics", metric_id, "__key__")),
                    f"metric `{metric_id}` is not built in and does not say its source and check",
                    hint,
                )
            )
        for index, number in enumerate(spec.phases or ()):
            if number not in numbers:
                problems.append(
                    Problem(
                        where.locate(("metrics", metric_id, "phases", index)),
                        f"metric `{metric_id}` is attached to phase {number}, which does not exist",
                        f"use one of: {', '.join(map(str, sorted(numbers)))}",
                    )
                )
    known = [d.id for d in metric_definitions(programme)] if not problems else seed_ids
    for phase in programme.phases:
        for index, metric_id in enumerate(phase.metrics):
            if metric_id not in known:
                close = difflib.get_close_matches(metric_id, known, n=1)
                problems.append(
                    Problem(
                        programme.locate(phase.number, "metrics", index),
                        f"unknown metric `{metric_id}`",
                        f"did you mean `{close[0]}`?" if close else f"known: {', '.join(known)}",
                    )
                )
    return problems

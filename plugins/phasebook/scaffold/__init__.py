"""``phasebook init``: a new programme that builds with ``mkdocs build --strict`` at once.

The scaffold is the standard programme of the design: eight phases with their titles, two
weeks each, each after the one before, the tooling of each phase and the reports its tools
write (listed commented out, with the command that writes each). Every text a team must make
its own is a stub in the writers' voice, "Replace this: …", that is valid data, so the site
builds before anyone has written a word. The built-in metrics keep the phases the seed gives
them (:mod:`phasebook.metric_catalog`); a programme of fewer phases overrides none of them.

Where the files come from:

- the templates beside this module (``*.j2``: Jinja, :class:`~jinja2.StrictUndefined`, every
  value a user typed quoted by :func:`yaml_scalar`), listed in :func:`files`;
- the JSON Schemas, generated from the model (:func:`phasebook.schema.schema_texts`), so the
  ``yaml-language-server`` line of each YAML file points at a schema inside the project;
- the GitHub Pages workflow ``github/workflows/pages.yml``, copied byte for byte.

:func:`write` writes nothing over anything: when a file it would write exists, it writes
nothing at all and says which.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path, PurePosixPath

import jinja2
import yaml

from phasebook.errors import PhasebookError
from phasebook.metric_catalog import SEED_METRICS, MetricDefinition
from phasebook.model import FIRST_DAY, LAST_DAY, MetricSource
from phasebook.schema import schema_texts

PHASE_DAYS = 14
"""Every phase of the standard programme lasts two weeks."""

WORKFLOW_TEMPLATE = PurePosixPath("github/workflows/pages.yml")
"""The GitHub Pages workflow, inside this package; written as ``.github/workflows/pages.yml``."""

WORKFLOW_TARGET = PurePosixPath(".github/workflows/pages.yml")

@dataclass(frozen=True)
class ExpectedReport:
    """A report a phase of the standard programme reads, and the command that writes it.

    ``command`` runs from the project folder; ``{out}`` is the report's path there
    (``data/reports/phase-N/<file>``) and ``{dir}`` its folder.
    """

    file: str
    title: str
    format: str
    command: str

    def path(self, number: int) -> str:
        """The report's path as a phase file writes it: relative to the data folder."""
        return f"reports/phase-{number}/{self.file}"

    def command_for(self, number: int) -> str:
        folder = f"data/reports/phase-{number}"
        return self.command.format(out=f"{folder}/{self.file}", dir=folder)


@dataclass(frozen=True)
class StandardPhase:
    """One phase of the standard programme (the design's table)."""

    number: int
    title: str
    focus: str
    """What the phase does, as the end of the sentence "In the standard programme, it …"."""
    objectives: tuple[str, ...]
    scope: tuple[str, ...]
    tooling: tuple[str, ...]
    reports: tuple[ExpectedReport, ...]


def _r(file: str, title: str, format: str, command: str) -> ExpectedReport:
    return ExpectedReport(file, title, format, command)


STANDARD_PHASES: tuple[StandardPhase, ...] = (
    StandardPhase(
        1,
        "Foundation Audit & Baseline",
        "establishes where the codebase stands before anything changes: code quality, "
        "dependency vulnerabilities, test coverage, a security baseline and technical debt. "
        "It ends with a remediation roadmap that every later phase draws its backlog from.",
        (
            "Replace this: measure coverage, lint, type and security findings on the main branch.",
            "Replace this: inventory the dependencies and their known vulnerabilities.",
            "Replace this: agree a prioritised remediation roadmap with the next phase's lead.",
        ),
        (
            "Code quality: lint, types, complexity",
            "Dependency vulnerabilities",
            "Test coverage",
            "Security baseline",
            "Technical-debt register",
            "Remediation roadmap",
        ),
        ("pytest-cov", "bandit", "safety", "pip-audit", "mypy", "pylint", "ruff"),
        (
            _r("coverage.xml", "Baseline coverage", "cobertura-xml",
               "pytest --cov=src --cov-report=xml:{out}"),
            _r("junit.xml", "Baseline test run", "junit-xml", "pytest --junit-xml={out}"),
            _r("bandit.json", "bandit", "bandit-json", "bandit -r src -f json -o {out}"),
            _r("pip-audit.json", "pip-audit", "pip-audit-json", "pip-audit -f json -o {out}"),
            _r("safety.json", "safety", "safety-json",
               "safety scan --output json --save-as json {out}"),
            _r("mypy.txt", "mypy", "mypy-text", "mypy src > {out}"),
            _r("pylint.json", "pylint", "pylint-json2",
               "pylint src --output-format=json2:{out}"),
            _r("ruff.json", "ruff", "ruff-json",
               "ruff check --output-format json --output-file {out}"),
        ),
    ),
    StandardPhase(
        2,
        "Testing & Quality Enhancement",
        "raises test coverage above 80 %, adds integration and performance tests, and puts "
        "every check in CI and in pre-commit hooks, with a quality dashboard, so quality "
        "cannot slip back.",
        (
            "Replace this: line coverage above 80 %, with integration tests of the main paths.",
            "Replace this: a performance test of the busiest endpoint, with its target.",
            "Replace this: CI runs every check on each pull request; pre-commit runs them locally.",
        ),
        (
            "Unit and integration tests",
            "Performance tests",
            "Continuous integration",
            "Quality dashboard",
            "Pre-commit hooks",
        ),
        ("pytest", "coverage", "locust"),
        (
            _r("junit.xml", "Test suite", "junit-xml", "pytest --junit-xml={out}"),
            _r("coverage.xml", "Coverage", "cobertura-xml",
               "coverage run -m pytest && coverage xml -o {out}"),
            _r("pip-audit.json", "pip-audit", "pip-audit-json", "pip-audit -f json -o {out}"),
            _r("load_stats.csv", "Performance test (locust)", "locust-stats-csv",
               "locust --headless -f locustfile.py --host URL --run-time 5m --csv {dir}/load"),
        ),
    ),
    StandardPhase(
        3,
        "Containerization & Packaging",
        "packages the application as a small, reproducible container image with health "
        "checks, a compose file for local development, a registry with a tagging scheme and "
        "image scanning in CI.",
        (
            "Replace this: a multi-stage Dockerfile; the image runs as a non-root user and "
            "builds in under five minutes.",
            "Replace this: `docker compose up` runs the application and what it needs, locally.",
            "Replace this: every image pushed is scanned, with no critical vulnerability.",
        ),
        (
            "Dockerfile and .dockerignore",
            "Compose file for local development",
            "Container registry and tagging",
            "Image scanning and Dockerfile linting",
            "Health and readiness checks",
        ),
        ("Trivy", "hadolint"),
        (
            _r("trivy.json", "Trivy image scan", "trivy-json",
               "trivy image --format json --output {out} IMAGE"),
            _r("hadolint.json", "hadolint", "hadolint-json", "hadolint -f json Dockerfile > {out}"),
        ),
    ),
    StandardPhase(
        4,
        "Infrastructure as Code",
        "describes the infrastructure as Terraform modules (environments, network, secrets "
        "and IAM), reviewed like code and checked by checkov.",
        (
            "Replace this: every environment is built from the same modules.",
            "Replace this: an environment is provisioned in under 15 minutes.",
            "Replace this: no failing checkov check without a recorded decision.",
        ),
        ("Terraform modules", "Environments", "Network", "Secrets", "IAM"),
        ("checkov", "Terraform"),
        (
            _r("results_json.json", "checkov", "checkov-json",
               "checkov -d infra -o json --output-file-path {dir}"),
            _r("plan.json", "Terraform plan", "terraform-plan-json",
               "terraform show -json plan.out > {out}"),
        ),
    ),
    StandardPhase(
        5,
        "Deployment Pipeline",
        "automates the way from a merge to production: workflows, promotion between "
        "environments, blue-green releases, rollback, runbooks and smoke tests.",
        (
            "Replace this: a deployment takes under 10 minutes and a rollback under 2.",
            "Replace this: promotion moves a tested artifact between environments, never "
            "rebuilds it.",
            "Replace this: smoke tests gate every promotion.",
        ),
        (
            "Deployment workflows",
            "Promotion between environments",
            "Blue-green deployment",
            "Rollback",
            "Runbooks",
            "Smoke tests",
        ),
        ("pytest (JUnit smoke tests)", "pipeline timings"),
        (
            _r("smoke-junit.xml", "Smoke tests", "junit-xml",
               "pytest tests/smoke --junit-xml={out}"),
        ),
    ),
    StandardPhase(
        6,
        "Monitoring & Observability",
        "gives the service the logs, metrics, alerts and traces needed to run it, service "
        "level objectives to judge it by and an incident playbook.",
        (
            "Replace this: an alert reaches the on-call engineer within 5 minutes.",
            "Replace this: logs are kept for 30 days.",
            "Replace this: SLOs agreed with the service's users, on a dashboard.",
        ),
        ("Logging", "Metrics", "Alerting", "Tracing", "SLOs", "Incident playbook"),
        ("Prometheus", "incident records"),
        (
            _r("up.json", "Prometheus: targets up", "prometheus-query-json",
               "curl -fsS 'http://prometheus:9090/api/v1/query?query=up' -o {out}"),
        ),
    ),
    StandardPhase(
        7,
        "Security Hardening",
        "closes the security gaps the audit found and automates security: secrets "
        "management, scanning in CI, RBAC and IAM, compliance checks and a penetration test.",
        (
            "Replace this: no secret in the repository or its history.",
            "Replace this: code, dependencies and the running service are scanned on every "
            "change.",
            "Replace this: every penetration-test finding is fixed, or accepted by a decision.",
        ),
        ("Secrets", "Scanning automation", "RBAC and IAM", "Compliance", "Penetration test"),
        ("Snyk", "OWASP ZAP", "semgrep", "AWS Security Hub", "gitleaks"),
        (
            _r("snyk.json", "Snyk", "snyk-json", "snyk test --json-file-output={out}"),
            _r("zap.json", "OWASP ZAP baseline", "zap-json", "zap-baseline.py -t URL -J {out}"),
            _r("semgrep.sarif", "semgrep (SARIF)", "sarif",
               "semgrep --config rules.yml --sarif --output {out}"),
            _r("security-hub.json", "Security Hub findings (ASFF)", "asff-json",
               "aws securityhub get-findings --output json > {out}"),
            _r("gitleaks.json", "gitleaks", "gitleaks-json",
               "gitleaks detect --report-format json --report-path {out}"),
        ),
    ),
    StandardPhase(
        8,
        "Production Readiness",
        "proves the service holds its load, can be recovered and can be run by the "
        "operations team, and ends with the go-live decision.",
        (
            "Replace this: a load test at the expected peak, with headroom, meets its targets.",
            "Replace this: the disaster-recovery plan is rehearsed.",
            "Replace this: the operations manual is handed over and the go-live checklist "
            "signed.",
        ),
        ("Load tests", "Disaster-recovery plan", "Operations manual", "Go-live checklist"),
        ("k6", "locust"),
        (
            _r("k6-summary.json", "k6 load test", "k6-summary-export",
               "k6 run --summary-export {out} load.js"),
            _r("load_stats.csv", "Load test (locust)", "locust-stats-csv",
               "locust --headless -f locustfile.py --host URL --run-time 30m --csv {dir}/load"),
        ),
    ),
)

MEASUREMENTS_FILE = "measurements.csv"


class ScaffoldError(PhasebookError):
    """The new programme cannot be written; nothing was (``existing`` names the files)."""

    def __init__(self, message: str, existing: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.existing = tuple(existing)


@dataclass(frozen=True)
class Options:
    """What ``phasebook init`` asks for."""

    name: str
    project: str
    owner: str
    start: dt.date
    today: dt.date
    phases: int = len(STANDARD_PHASES)
    macros: bool = False

    def __post_init__(self) -> None:
        if not 1 <= self.phases <= len(STANDARD_PHASES):
            raise ScaffoldError(
                f"a new programme has 1 to {len(STANDARD_PHASES)} phases, not {self.phases}"
            )
        for what, value in (("name", self.name), ("project", self.project),
                            ("owner", self.owner)):
            if not value.strip():
                raise ScaffoldError(f"the programme's {what} is empty")
        for what, day in (("start", self.start), ("today", self.today)):
            if not FIRST_DAY <= day <= LAST_DAY:
                raise ScaffoldError(f"the {what} date {day} is not from {FIRST_DAY} to {LAST_DAY}")


@dataclass(frozen=True)
class ScaffoldFile:
    """One file of the new project: its path (POSIX, relative) and its bytes."""

    path: str
    content: bytes


def first_monday(day: dt.date) -> dt.date:
    """``day`` if it is a Monday, else the Monday after it: the default start of phase 1."""
    return day + dt.timedelta(days=-day.weekday() % 7)


# --- YAML text -------------------------------------------------------------------------------

_PLAIN = re.compile(r"[A-Za-z0-9(][A-Za-z0-9 ()._/+\-&—–·']*")


def yaml_scalar(value: str) -> str:
    """``value`` as a YAML scalar that any YAML reader (and Phasebook's) reads back exactly.

    Plain when it is ordinary words that no reader takes for another type; otherwise a
    double-quoted scalar, with every character that is not printable escaped (a line or
    paragraph separator inside quotes would otherwise be folded into a space).
    """
    if _PLAIN.fullmatch(value) and value == value.strip() and " '" not in value:
        try:
            if yaml.safe_load(value) == value:  # not `yes`, `null`, `1.0` or a date
                return value
        except yaml.YAMLError:
            pass
    quoted = json.dumps(value, ensure_ascii=False)
    return "".join(ch if ch.isprintable() else _escape(ch) for ch in quoted)


def _escape(ch: str) -> str:
    code = ord(ch)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _wrap(text: str, prefix: str, width: int = 96) -> str:
    """``text`` wrapped to ``width``, every line starting with ``prefix``; words stay whole."""
    return textwrap.fill(
        text,
        width,
        initial_indent=prefix,
        subsequent_indent=prefix,
        break_on_hyphens=False,
        break_long_words=False,
    )


def _block(text: str) -> str:
    """Prose for a YAML literal block (``key: |``), indented by two spaces."""
    return "\n".join(_wrap(paragraph, "  ") for paragraph in text.split("\n"))


def _comment(text: str) -> str:
    """Prose as YAML comment lines."""
    return _wrap(text, "# ")


# --- the files -------------------------------------------------------------------------------


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("phasebook", "scaffold"),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # noqa: S701 - YAML, Markdown and Python text; values go through |yaml
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(yaml=yaml_scalar, block=_block, comment=_comment)
    return env


def _metrics_of(number: int) -> list[MetricDefinition]:
    return [metric for metric in SEED_METRICS if number in metric.phases]


def _measurement_report(number: int) -> ExpectedReport | None:
    """The measurements file of a phase whose built-in metrics read measurements."""
    names = [m.name for m in _metrics_of(number) if m.source is MetricSource.MEASUREMENT and m.name]
    if not names:
        return None
    return ExpectedReport(
        MEASUREMENTS_FILE,
        "Measurements",
        "measurements",
        "the numbers no tool writes, as CSV with the header name,value,unit,timestamp: "
        + ", ".join(names),
    )


def expected_reports(phase: StandardPhase) -> tuple[ExpectedReport, ...]:
    """The reports the phase file lists (commented out): its tools' and its measurements."""
    measurements = _measurement_report(phase.number)
    return (*phase.reports, *([measurements] if measurements else []))


def _metric_line(metric: MetricDefinition, numbers: Sequence[int]) -> str:
    here = [n for n in metric.phases if n in numbers]
    if here:
        where = ("phase " if len(here) == 1 else "phases ") + ", ".join(map(str, here))
    else:
        where = "none of this programme's phases (`phases:` attaches it)"
    return f"{metric.id}: {metric.title} {metric.threshold.text}, in {where}"


def files(options: Options) -> list[ScaffoldFile]:
    """Every file of the new project, in the order they are listed to the user."""
    env = _environment()
    phases = STANDARD_PHASES[: options.phases]
    numbers = [phase.number for phase in phases]
    values = {
        "options": options,
        "phase_days": PHASE_DAYS,
        "metric_lines": [_metric_line(metric, numbers) for metric in SEED_METRICS],
    }

    def render(template: str, target: str) -> ScaffoldFile:
        return ScaffoldFile(target, env.get_template(template).render(values).encode("utf-8"))

    result = [
        render("mkdocs.yml.j2", "mkdocs.yml"),
        render("index.md.j2", "docs/index.md"),
        render("programme.yml.j2", "data/programme.yml"),
    ]
    for phase in phases:
        text = env.get_template("phase.yml.j2").render(
            values,
            phase=phase,
            status="active" if phase.number == 1 else "planned",
            weeks=f"{2 * phase.number - 1}–{2 * phase.number}",
            metrics=_metrics_of(phase.number),
            reports=[
                (report.path(phase.number), report, report.command_for(phase.number))
                for report in expected_reports(phase)
            ],
        )
        result.append(ScaffoldFile(f"data/phases/phase-{phase.number}.yml", text.encode("utf-8")))
    result.append(render("history-readme.md.j2", "data/history/README.md"))
    result += [
        ScaffoldFile(f"schema/{name}", text.encode("utf-8"))
        for name, text in schema_texts().items()
    ]
    workflow = workflow_template()
    if workflow is not None:
        result.append(ScaffoldFile(str(WORKFLOW_TARGET), workflow))
    result.append(render("pre-commit-config.yaml.j2", ".pre-commit-config.yaml"))
    result.append(render("gitignore.j2", ".gitignore"))
    if options.macros:
        result.append(render("macros.py.j2", "hooks/macros.py"))
    return result


def workflow_template() -> bytes | None:
    """The Pages workflow shipped with the package; ``None`` in an installation without it."""
    path = resources.files("phasebook").joinpath("scaffold", *WORKFLOW_TEMPLATE.parts)
    return path.read_bytes() if path.is_file() else None


# --- writing ---------------------------------------------------------------------------------


def conflicts(folder: Path, scaffold: Sequence[ScaffoldFile]) -> list[str]:
    """The files (or folders in their way) that exist already, as paths relative to ``folder``."""
    found: list[str] = []
    for item in scaffold:
        relative = PurePosixPath(item.path)
        if os.path.lexists(folder / relative):
            found.append(item.path)
            continue
        for parent in reversed(relative.parents[:-1]):  # data, then data/phases
            target = folder / parent
            if os.path.lexists(target) and not target.is_dir():
                found.append(f"{parent} (a file where a folder is needed)")
                break
    return list(dict.fromkeys(found))


def write(folder: Path, scaffold: Sequence[ScaffoldFile]) -> list[Path]:
    """Write the project into ``folder`` (created if need be); the paths written.

    :class:`ScaffoldError` when any file exists already (nothing is written then), or when
    writing fails (what was written is removed again).
    """
    if folder.exists() and not folder.is_dir():
        raise ScaffoldError(f"{folder} is a file, not a folder")
    existing = conflicts(folder, scaffold)
    if existing:
        message = f"{folder} already holds {len(existing)} of the files to write"
        raise ScaffoldError(message, existing)
    written: list[Path] = []
    made: list[Path] = []
    try:
        for item in scaffold:
            target = folder / PurePosixPath(item.path)
            missing = [p for p in (target.parent, *target.parent.parents) if not p.exists()]
            for parent in reversed(missing):
                parent.mkdir()
                made.append(parent)
            with target.open("xb") as stream:  # "x": never over a file that appeared meanwhile
                written.append(target)
                stream.write(item.content)
    except OSError as error:
        for path in reversed(written):
            path.unlink(missing_ok=True)
        for path in reversed(made):
            with contextlib.suppress(OSError):  # a folder someone else filled meanwhile
                path.rmdir()
        raise ScaffoldError(f"cannot write the new programme into {folder}: {error}") from None
    return written


__all__ = [
    "STANDARD_PHASES",
    "ExpectedReport",
    "Options",
    "ScaffoldError",
    "ScaffoldFile",
    "StandardPhase",
    "conflicts",
    "expected_reports",
    "files",
    "first_monday",
    "workflow_template",
    "write",
    "yaml_scalar",
]

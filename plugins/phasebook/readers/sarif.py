"""SARIF 2.1.0, from any tool (semgrep, CodeQL, bandit, Trivy, Snyk, gitleaks, checkov, ruff…).

Several runs per file; the tool is each run's ``tool.driver.name``. Severity comes from the
rule's ``security-severity`` (CVSS-like) when there is one, else from the result's ``level``
(or the rule's default level): error → high, warning → medium, note → low, none → info.

A result names its rule by ``ruleId``, by ``ruleIndex`` into ``tool.driver.rules``, or by a
``rule`` reference whose ``index`` and ``toolComponent`` point into one of
``tool.extensions`` (CodeQL's query packs): the rule's level, severity, CWE and URL come from
there whichever way it is named.

A log must say what ran: a ``runs`` list, and in each run a ``results`` array, empty when the
tool found nothing. SARIF reserves a missing (or ``null``) ``results`` for a tool that failed
to produce any, and a log without runs records no analysis: both are refused, as is anything
without the envelope (``null``, ``[]``, ``{}``). A result of kind ``pass`` or
``notApplicable``, one suppressed in the source (``suppressions`` accepted) and one whose
``baselineState`` is ``absent`` are counted as skipped. A run the tool says failed
(``executionSuccessful: false``) and its error notifications become report notes; such a run
with no results is refused (its zero cannot be trusted).

Role: code-security scanner. SARIF is the exchange format of code scanners (CodeQL, semgrep,
bandit, gitleaks, checkov…), so its findings count for the vulnerability metrics. A linter's
SARIF (ruff, hadolint) would count too: read the linter's own JSON instead, or give the
metric ``formats:`` without ``sarif``.
"""

from __future__ import annotations

from itertools import repeat
from pathlib import Path
from typing import Any, TypeAlias

import msgspec

from phasebook.evidence import Report, Severity, Skipped
from phasebook.readers.base import (
    ArrayOr,
    ObjectOr,
    ReportError,
    load_json,
    load_typed,
    not_the_format,
)
from phasebook.readers.columns import findings
from phasebook.readers.fingerprint import digests, normal, numbered_repeats
from phasebook.readers.ids import cwe_ids
from phasebook.readers.roles import FINDINGS, Role
from phasebook.readers.shapes import loose_get, loose_items, loose_object, not_an_object

SUPPORTED_VERSIONS = ("2.1.0",)
_LEVELS = {"error": Severity.HIGH, "warning": Severity.MEDIUM, "note": Severity.LOW,
           "none": Severity.INFO}
_RATED_LEVELS = {level: (severity, level) for level, severity in _LEVELS.items()}
EXPECTED = "a SARIF 2.1.0 log: an object with `version` and a `runs` list"
NOT_PROBLEMS = {
    "pass": "SARIF kind pass: the check passed",
    "notApplicable": "SARIF kind notApplicable: the check does not apply",
}


# The parts of a SARIF log read here; everything else (snippets, code flows, rules' help
# texts, artifacts) is skipped while parsing. Values are ``Any`` and judged below.


class _Message(msgspec.Struct, gc=False):
    text: Any = None
    markdown: Any = None


class _ArtifactLocation(msgspec.Struct, gc=False):
    uri: Any = None


class _Region(msgspec.Struct, gc=False):
    startLine: Any = None


class _PhysicalLocation(msgspec.Struct, gc=False):
    artifactLocation: ObjectOr[_ArtifactLocation] = None
    region: ObjectOr[_Region] = None


class _Location(msgspec.Struct, gc=False):
    physicalLocation: ObjectOr[_PhysicalLocation] = None


class _Result(msgspec.Struct, gc=False):
    ruleId: Any = None
    ruleIndex: Any = None
    rule: Any = None
    kind: Any = None
    level: Any = None
    message: ObjectOr[_Message] = None
    locations: ArrayOr[ObjectOr[_Location]] = None
    suppressions: Any = None
    baselineState: Any = None


class _Rule(msgspec.Struct, gc=False):
    id: Any = None
    shortDescription: Any = None
    defaultConfiguration: Any = None
    properties: Any = None
    helpUri: Any = None


class _Driver(msgspec.Struct, gc=False):
    name: Any = None
    semanticVersion: Any = None
    version: Any = None
    rules: ArrayOr[ObjectOr[_Rule]] = None


class _Tool(msgspec.Struct, gc=False):
    driver: ObjectOr[_Driver] = None
    extensions: ArrayOr[ObjectOr[_Driver]] = None


class _Invocation(msgspec.Struct, gc=False):
    executionSuccessful: Any = None
    toolExecutionNotifications: Any = None


class _Run(msgspec.Struct, gc=False):
    tool: ObjectOr[_Tool] = None
    results: ArrayOr[ObjectOr[_Result]] = None
    invocations: ArrayOr[ObjectOr[_Invocation]] = None


class _Log(msgspec.Struct, gc=False):
    version: Any = None
    runs: ArrayOr[ObjectOr[_Run]] = None


_Document: TypeAlias = ObjectOr[_Log]
_DECODER: msgspec.json.Decoder[_Document] = msgspec.json.Decoder(_Document)
_NO_DRIVER = _Driver()


def _security_severity(properties: dict[str, Any]) -> tuple[Severity, str] | None:
    raw = properties.get("security-severity")
    if not isinstance(raw, str | int | float):
        return None
    try:
        score = float(raw)
    except (TypeError, ValueError, OverflowError):  # not a number, or an int too large
        return None
    if score >= 9.0:
        return Severity.CRITICAL, str(raw)
    if score >= 7.0:
        return Severity.HIGH, str(raw)
    if score >= 4.0:
        return Severity.MEDIUM, str(raw)
    return (Severity.LOW if score > 0 else Severity.INFO), str(raw)


class SarifReader:
    """Static Analysis Results Interchange Format, version 2.1.0."""

    format = "sarif"
    role = Role.CODE_SECURITY_SCANNER
    kinds = FINDINGS

    def detect(self, head: str, path: Path) -> bool:
        return '"runs"' in head and ("sarif" in head.lower() or '"version"' in head)

    def read(self, path: Path) -> Report:
        data = load_typed(path, _DECODER)
        if not isinstance(data, _Log) or not isinstance(data.runs, list):
            raise not_the_format(path, load_json(path), "a SARIF log", EXPECTED)
        version = data.version
        if version not in SUPPORTED_VERSIONS:
            raise ReportError(
                path,
                f"SARIF version {version!r} is not supported "
                f"(supported: {', '.join(SUPPORTED_VERSIONS)})",
            )
        if not data.runs:
            raise ReportError(
                path,
                "the SARIF log has no runs: it records no analysis (a tool that found nothing "
                "writes a run with an empty `results` array)",
            )
        report = Report(path=path, format=self.format, schema_version=str(version))
        tools = []
        for number, run in enumerate(data.runs, 1):
            if not isinstance(run, _Run):
                raise ReportError(path, "a SARIF run is not an object")
            tools.append(_RunReader(path, report, run).read(number))
        report.tool = ", ".join(dict.fromkeys(tools)) or None
        return report


class _RuleInfo:
    """What a rule gives each of its results; worked out once per rule and run."""

    __slots__ = ("cwe", "default_level", "named", "rated", "url")

    def __init__(self, path: Path, rule_id: str, rule: _Rule | None) -> None:
        self.named = normal(rule_id)
        if rule is None:  # a result's rule the run does not describe
            self.rated: tuple[Severity, str] | None = None
            self.default_level: Any = None
            self.cwe: tuple[str, ...] = ()
            self.url: str | None = None
            return
        properties = loose_object(path, rule.properties, "a rule's 'properties'")
        self.rated = _security_severity(properties)
        self.default_level = rule.defaultConfiguration
        self.cwe = cwe_ids(
            [
                tag.split("-")[-1].split(":")[0]
                for tag in loose_items(path, properties.get("tags"), "a rule's 'tags'")
                if isinstance(tag, str) and tag.upper().startswith(("CWE-", "EXTERNAL/CWE/CWE-"))
            ]
        )
        self.url = rule.helpUri if isinstance(rule.helpUri, str) else None


def _not_a_problem(result: _Result) -> str | None:
    """Why a result is no open problem (a passed check, suppressed, gone), or ``None``."""
    if isinstance(result.kind, str) and result.kind in NOT_PROBLEMS:
        return NOT_PROBLEMS[result.kind]
    suppressions = result.suppressions
    if isinstance(suppressions, list) and any(
        isinstance(s, dict) and s.get("status", "accepted") == "accepted" for s in suppressions
    ):
        kinds = {str(s.get("kind", "?")) for s in suppressions if isinstance(s, dict)}
        return f"suppressed ({', '.join(sorted(kinds))})"
    if result.baselineState == "absent":
        return "absent since the baseline (fixed)"
    return None


_Row = tuple[str, Severity, str, str, str, str | None, int | None, tuple[str, ...], str | None]
"""A finding's rule, severity, tool's severity, title, fingerprint text, path, line, CWE, URL."""


class _Component:
    """One tool component's rules (the driver's or an extension's), by index and by id."""

    __slots__ = ("by_id", "name", "rules")

    def __init__(self, path: Path, driver: _Driver) -> None:
        self.name = driver.name
        self.rules: list[_Rule | None] = [
            rule if isinstance(rule, _Rule) else None
            for rule in loose_items(path, driver.rules, "a tool's 'rules'")
        ]
        self.by_id = {str(rule.id): rule for rule in self.rules if rule is not None}


class _RunReader:
    """One run: its tool's name and rules, then each result."""

    def __init__(self, path: Path, report: Report, run: _Run) -> None:
        self.path = path
        self.report = report
        self.run = run
        driver, extensions = self._tool(run.tool)
        self.name = str(driver.name or "sarif")
        report.tool_version = report.tool_version or driver.semanticVersion or driver.version
        self.driver = _Component(path, driver)
        self.extensions = [_Component(path, extension) for extension in extensions]
        self.infos: dict[tuple[str, int], _RuleInfo] = {}
        self.paths: dict[str | None, str] = {None: ""}
        """Each path normalised once for the fingerprints, as the name is."""
        self.prefix = normal(self.name) + "\x1f"

    def _tool(self, tool: Any) -> tuple[_Driver, list[_Driver]]:
        """The run's driver (the tool) and its extensions (plug-ins, query packs)."""
        if isinstance(tool, _Tool):
            if isinstance(tool.driver, _Driver):
                driver = tool.driver
            elif tool.driver:
                raise not_an_object(self.path, tool.driver, "a run's 'tool.driver'")
            else:
                driver = _NO_DRIVER
            extensions = loose_items(self.path, tool.extensions, "a tool's 'extensions'")
            return driver, [e for e in extensions if isinstance(e, _Driver)]
        if tool:
            raise not_an_object(self.path, tool, "a run's 'tool'")
        return _NO_DRIVER, []

    def read(self, number: int) -> str:
        """Each result as a row of values, then the findings built from those in one go."""
        report = self.report
        if not isinstance(self.run.results, list):
            raise ReportError(
                self.path,
                f"run {number} ({self.name}) has no `results` array: SARIF's way of saying the "
                "tool did not produce results (an empty array says it found nothing)",
            )
        if not self._invocations() and not self.run.results:
            raise ReportError(
                self.path,
                f"run {number} ({self.name}) says it did not succeed (executionSuccessful: "
                "false) and has no results: its zero findings cannot be trusted",
            )
        rows: list[_Row] = []
        for index, result in enumerate(self.run.results):
            if type(result) is not _Result:
                report.skipped.append(Skipped("a result without a message", f"#{index + 1}"))
                continue
            why = _not_a_problem(result)
            row = None if why else self._row(result)
            if why or row is None:
                where = f"#{index + 1} {result.ruleId or ''}".strip()
                report.skipped.append(Skipped(why or "a result without a message", where))
            else:
                rows.append(row)
        if rows:
            rules, severities, words, titles, texts, paths, lines, cwes, urls = zip(
                *rows, strict=True
            )
            report.records.extend(
                findings(
                    len(rows),
                    tool=repeat(self.name),
                    rule=rules,
                    severity=severities,
                    tool_severity=words,
                    title=titles,
                    fingerprint=numbered_repeats(digests(texts)),
                    path=paths,
                    line=lines,
                    cwe=cwes,
                    url=urls,
                )
            )
        return self.name

    def _invocations(self) -> bool:
        """What the tool says went wrong in its run, as notes; whether the run succeeded."""
        succeeded = True
        for invocation in loose_items(self.path, self.run.invocations, "a run's 'invocations'"):
            if not isinstance(invocation, _Invocation):
                continue
            if invocation.executionSuccessful is False:
                succeeded = False
                self.report.notes.append(f"{self.name} says its run did not succeed")
            notifications = invocation.toolExecutionNotifications
            for item in notifications if isinstance(notifications, list) else ():
                if isinstance(item, dict) and item.get("level", "warning") == "error":
                    text = loose_get(self.path, item.get("message"), "text", "a notification")
                    self.report.notes.append(f"{self.name} error: {str(text or '?')[:300]}")
        return succeeded

    def _component(self, reference: Any) -> _Component:
        """The component a rule reference's ``toolComponent`` names: an extension, or the
        driver (also when it names no extension there is)."""
        if not isinstance(reference, dict):
            return self.driver
        index, name = reference.get("index"), reference.get("name")
        if type(index) is int and 0 <= index < len(self.extensions):
            return self.extensions[index]
        named = [e for e in self.extensions if name is not None and e.name == name]
        return named[0] if named else self.driver

    def _rule(self, result: _Result) -> tuple[str, _Rule | None]:
        """The result's rule id and its rule: by ``ruleIndex``/``rule.index`` in the named
        component, else by id; the id from the rule when the result gives none."""
        reference = loose_object(self.path, result.rule, "a result's 'rule'")
        rule_id = result.ruleId or reference.get("id")
        component = self.driver
        index = result.ruleIndex
        if reference:
            component = self._component(reference.get("toolComponent"))
            if type(reference.get("index")) is int:
                index = reference["index"]
        rule = None
        if type(index) is int and 0 <= index < len(component.rules):
            rule = component.rules[index]
        elif rule_id:
            rule = component.by_id.get(str(rule_id))
        if not rule_id and rule is not None:
            rule_id = rule.id
        return (rule_id if type(rule_id) is str else str(rule_id or "")), rule

    def _info(self, rule_id: str, rule: _Rule | None) -> _RuleInfo:
        key = (rule_id, id(rule))
        info = self.infos.get(key)
        if info is None:
            info = self.infos[key] = _RuleInfo(self.path, rule_id, rule)
        return info

    def _row(self, result: _Result) -> _Row | None:
        message = result.message
        text = (message.text or message.markdown) if type(message) is _Message else None
        rule_id, rule = self._rule(result)
        if not text:
            if rule is None:
                return None
            text = loose_get(
                self.path, rule.shortDescription, "text", "a rule's 'shortDescription'"
            )
            if not text:
                return None
        info = self._info(rule_id, rule)
        rated = info.rated
        if rated is None:
            level = result.level or loose_get(
                self.path, info.default_level, "level", "a rule's 'defaultConfiguration'"
            )
            level = str(level or "warning")
            rated = _RATED_LEVELS.get(level) or (Severity.MEDIUM, level)
        where, line = self._location(result.locations)
        first_line = " ".join(str(text).split())[:300]
        where_normal = self.paths.get(where)
        if where_normal is None:
            where_normal = self.paths[where] = normal(where)
        # The text fingerprint(tool, rule_id, where, None, first_line) hashes. first_line is
        # normalised already, but for the one space its cut may end with.
        fingerprint_text = (
            f"{self.prefix}{info.named}\x1f{where_normal}\x1f\x1f{first_line.removesuffix(' ')}"
        )
        return (
            rule_id or "result",
            rated[0],
            rated[1],
            first_line,
            fingerprint_text,
            where,
            line,
            info.cwe,
            info.url,
        )

    def _location(self, locations: Any) -> tuple[str | None, int | None]:
        """The first location with a file: its path and line."""
        path = self.path
        if type(locations) is not list:
            locations = loose_items(path, locations, "a result's 'locations'")
        for location in locations:
            if type(location) is _Location:
                physical = location.physicalLocation
            elif location:
                raise not_an_object(path, location, "a result's location")
            else:
                continue
            if type(physical) is _PhysicalLocation:
                artifact, region = physical.artifactLocation, physical.region
            elif physical:
                raise not_an_object(path, physical, "a location's 'physicalLocation'")
            else:
                continue
            if type(artifact) is _ArtifactLocation:
                uri = artifact.uri
            elif artifact:
                raise not_an_object(path, artifact, "a location's 'artifactLocation'")
            else:
                uri = None
            if type(region) is _Region:
                line = region.startLine
            elif region:
                raise not_an_object(path, region, "a location's 'region'")
            else:
                line = None
            if uri:
                return str(uri), line if isinstance(line, int) else None
        return None, None

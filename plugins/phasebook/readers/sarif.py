"""SARIF 2.1.0, from any tool (semgrep, CodeQL, bandit, Trivy, Snyk, gitleaks, checkov, ruff…).

Several runs per file; the tool is each run's ``tool.driver.name``. Severity comes from the
rule's ``security-severity`` (CVSS-like) when there is one, else from the result's ``level``
(or the rule's default level): error → high, warning → medium, note → low, none → info.
"""

from __future__ import annotations

from itertools import repeat
from pathlib import Path
from typing import Any, TypeAlias

import msgspec

from phasebook.evidence import Report, Severity, Skipped
from phasebook.readers.base import ArrayOr, ObjectOr, ReportError, load_typed
from phasebook.readers.values import (
    digests,
    findings,
    loose_get,
    loose_items,
    loose_object,
    normal,
    not_an_object,
    numbered_repeats,
)

SUPPORTED_VERSIONS = ("2.1.0",)
_LEVELS = {"error": Severity.HIGH, "warning": Severity.MEDIUM, "note": Severity.LOW,
           "none": Severity.INFO}
_RATED_LEVELS = {level: (severity, level) for level, severity in _LEVELS.items()}


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
    rule: Any = None
    level: Any = None
    message: ObjectOr[_Message] = None
    locations: ArrayOr[ObjectOr[_Location]] = None


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


class _Run(msgspec.Struct, gc=False):
    tool: ObjectOr[_Tool] = None
    results: ArrayOr[ObjectOr[_Result]] = None


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

    def detect(self, head: str, path: Path) -> bool:
        return '"runs"' in head and ("sarif" in head.lower() or '"version"' in head)

    def read(self, path: Path) -> Report:
        data = load_typed(path, _DECODER)
        if not isinstance(data, _Log) or not isinstance(data.runs, list):
            raise ReportError(path, "not SARIF: no 'runs' list")
        version = data.version
        if version not in SUPPORTED_VERSIONS:
            raise ReportError(
                path,
                f"SARIF version {version!r} is not supported "
                f"(supported: {', '.join(SUPPORTED_VERSIONS)})",
            )
        report = Report(path=path, format=self.format, schema_version=str(version))
        tools = []
        for run in data.runs:
            if not isinstance(run, _Run):
                raise ReportError(path, "a SARIF run is not an object")
            tools.append(_RunReader(path, report, run).read())
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
        self.cwe = tuple(
            "CWE-" + tag.split("-")[-1].split(":")[0]
            for tag in loose_items(path, properties.get("tags"), "a rule's 'tags'")
            if isinstance(tag, str) and tag.upper().startswith(("CWE-", "EXTERNAL/CWE/CWE-"))
        )
        self.url = rule.helpUri if isinstance(rule.helpUri, str) else None


_Row = tuple[str, Severity, str, str, str, str | None, int | None, tuple[str, ...], str | None]
"""A finding's rule, severity, tool's severity, title, fingerprint text, path, line, CWE, URL."""


class _RunReader:
    """One run: its tool's name and rules, then each result."""

    def __init__(self, path: Path, report: Report, run: _Run) -> None:
        self.path = path
        self.report = report
        self.run = run
        tool = run.tool
        driver = _NO_DRIVER
        if isinstance(tool, _Tool):
            if isinstance(tool.driver, _Driver):
                driver = tool.driver
            elif tool.driver:
                raise not_an_object(path, tool.driver, "a run's 'tool.driver'")
        elif tool:
            raise not_an_object(path, tool, "a run's 'tool'")
        self.name = str(driver.name or "sarif")
        report.tool_version = report.tool_version or driver.semanticVersion or driver.version
        self.rules = {
            str(rule.id): rule
            for rule in loose_items(path, driver.rules, "a tool's 'rules'")
            if isinstance(rule, _Rule)
        }
        self.infos: dict[str, _RuleInfo] = {}
        self.paths: dict[str | None, str] = {None: ""}
        """Each path normalised once for the fingerprints, as the name is."""
        self.prefix = normal(self.name) + "\x1f"

    def read(self) -> str:
        """Each result as a row of values, then the findings built from those in one go."""
        report = self.report
        rows: list[_Row] = []
        for index, result in enumerate(loose_items(self.path, self.run.results, "'results'")):
            row = self._row(result) if type(result) is _Result else None
            if row is None:
                report.skipped.append(Skipped("a result without a message", f"#{index + 1}"))
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

    def _info(self, rule_id: str) -> _RuleInfo:
        info = self.infos[rule_id] = _RuleInfo(self.path, rule_id, self.rules.get(rule_id))
        return info

    def _row(self, result: _Result) -> _Row | None:
        message = result.message
        text = (message.text or message.markdown) if type(message) is _Message else None
        rule_id = result.ruleId or loose_get(self.path, result.rule, "id", "a result's 'rule'")
        if type(rule_id) is not str:
            rule_id = str(rule_id or "")
        if not text:
            rule = self.rules.get(rule_id)
            if rule is None:
                return None
            text = loose_get(
                self.path, rule.shortDescription, "text", "a rule's 'shortDescription'"
            )
            if not text:
                return None
        info = self.infos.get(rule_id) or self._info(rule_id)
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

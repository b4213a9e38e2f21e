"""CycloneDX BOMs with vulnerabilities (JSON and XML), as pip-audit ``-f cyclonedx-*`` writes them.

A BOM lists components and, since spec 1.4, vulnerabilities. The records are the
vulnerabilities: a component without one is inventory, not a finding, and is not counted.
pip-audit links no vulnerability to its component (no ``affects``), so its findings carry no
package; other producers' ``affects`` refs are resolved to component names. A vulnerability
whose VEX analysis says it does not apply is counted as skipped. pip-audit names no tool of its
own in the BOM, so a BOM naming only CycloneDX's libraries is credited to pip-audit.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, TypeAlias

import msgspec

from phasebook.evidence import SEVERITY_ORDER, Report, Severity, Skipped
from phasebook.readers.base import ObjectOr, ReportError, load_json, load_typed, not_the_format
from phasebook.readers.columns import Row, from_rows
from phasebook.readers.fingerprint import Fingerprints
from phasebook.readers.ids import cwe_ids, ids_with_prefix
from phasebook.readers.roles import FINDINGS, Role
from phasebook.readers.scalars import joined, opt_text, parse_time, texts
from phasebook.readers.shapes import arr, obj
from phasebook.readers.titles import summary_line, vulnerability_title
from phasebook.readers.xmlsafe import Element, parse_xml

SUPPORTED_SPECS = ("1.0", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6")
NAMESPACE = "http://cyclonedx.org/schema/bom/"
DEFAULT_TOOL = "pip-audit"
UNRATED = Severity.MEDIUM
"""pip-audit rates nothing; an unrated known vulnerability counts as medium."""

SEVERITY = {
    "critical": Severity.CRITICAL,
    "high": Severity.HIGH,
    "medium": Severity.MEDIUM,
    "low": Severity.LOW,
    "info": Severity.INFO,
    "none": Severity.INFO,
}
"""CycloneDX rating severities; ``unknown`` is treated as unrated."""

NOT_APPLICABLE = {
    "not_affected": "VEX analysis: not affected",
    "false_positive": "VEX analysis: false positive",
    "resolved": "VEX analysis: resolved",
    "resolved_with_pedigree": "VEX analysis: resolved",
}

_JSON_HEAD = re.compile(r'"bomFormat"\s*:\s*"CycloneDX"')
EXPECTED_JSON = "a CycloneDX BOM: an object with `bomFormat: CycloneDX` and `specVersion`"
_XML_HEAD = re.compile(r"<bom\b[^>]*\bxmlns\s*=\s*[\"']http://cyclonedx\.org/schema/bom/")


class _Bom(msgspec.Struct, gc=False):
    """A BOM's parts read (its vulnerabilities as plain objects, shared with the XML);
    dependencies, services and the rest are skipped while parsing."""

    bomFormat: Any = None
    specVersion: Any = None
    metadata: Any = None
    components: Any = None
    vulnerabilities: Any = None


_Document: TypeAlias = ObjectOr[_Bom]
_DECODER: msgspec.json.Decoder[_Document] = msgspec.json.Decoder(_Document)
_FIELDS = (
    "rule",
    "severity",
    "tool_severity",
    "title",
    "cwe",
    "cve",
    "package",
    "installed_version",
    "url",
)


class CycloneDxJsonReader:
    format = "cyclonedx-json"
    role = Role.DEPENDENCY_SCANNER
    kinds = FINDINGS

    def detect(self, head: str, path: Path) -> bool:
        return _JSON_HEAD.search(head) is not None

    def read(self, path: Path) -> Report:
        bom = load_typed(path, _DECODER)
        if not isinstance(bom, _Bom) or bom.bomFormat != "CycloneDX":
            raise not_the_format(path, load_json(path), "a CycloneDX BOM", EXPECTED_JSON)
        metadata = bom.metadata if isinstance(bom.metadata, dict) else {}
        components: dict[str, tuple[str, str | None]] = {}
        _json_components(path, bom.components, components)
        return _report(
            path,
            self.format,
            spec=opt_text(bom.specVersion),
            tools=_json_tools(metadata.get("tools")),
            timestamp=metadata.get("timestamp"),
            components=components,
            vulnerabilities=[
                obj(path, v, "a vulnerability")
                for v in arr(path, bom.vulnerabilities, "'vulnerabilities'")
            ],
        )


class CycloneDxXmlReader:
    format = "cyclonedx-xml"
    role = Role.DEPENDENCY_SCANNER
    kinds = FINDINGS

    def detect(self, head: str, path: Path) -> bool:
        return _XML_HEAD.search(head) is not None

    def read(self, path: Path) -> Report:
        root = parse_xml(path, expected="a CycloneDX BOM: a <bom> root in CycloneDX's namespace")
        namespace, _, name = root.tag.rpartition("}")
        if name != "bom" or not namespace.startswith("{" + NAMESPACE):
            raise ReportError(path, "not a CycloneDX BOM: the root is not <bom> in its namespace")
        spec = namespace.removeprefix("{" + NAMESPACE)
        components: dict[str, tuple[str, str | None]] = {}
        _xml_components(_child(root, "components"), components)
        metadata = _child(root, "metadata")
        return _report(
            path,
            self.format,
            spec=spec,
            tools=_xml_tools(metadata),
            timestamp=_child_text(metadata, "timestamp"),
            components=components,
            vulnerabilities=[_xml_vulnerability(v) for v in _children(root, "vulnerabilities")],
        )


def _report(
    path: Path,
    format: str,
    *,
    spec: str | None,
    tools: list[tuple[str, str | None]],
    timestamp: Any,
    components: dict[str, tuple[str, str | None]],
    vulnerabilities: list[dict[str, Any]],
) -> Report:
    if spec not in SUPPORTED_SPECS:
        raise ReportError(
            path,
            f"unsupported CycloneDX spec version {spec!r}; supported: {', '.join(SUPPORTED_SPECS)}",
        )
    scanners = [
        (name, version) for name, version in tools if not name.lower().startswith("cyclonedx")
    ]
    tool, tool_version = scanners[0] if scanners else (DEFAULT_TOOL, None)
    report = Report(
        path=path,
        format=format,
        schema_version=spec,
        tool=tool,
        tool_version=tool_version,
        generated_at=parse_time(timestamp),
    )
    rows: list[Row] = []
    for vuln in vulnerabilities:
        vuln_id = opt_text(vuln.get("id"))
        if vuln_id is None:
            raise ReportError(path, "a CycloneDX vulnerability has no 'id'")
        affected = [components[ref] for ref in _affects(vuln) if ref in components]
        package = joined([name for name, _ in affected])
        version = joined([version for _, version in affected])
        state = _word(obj(path, vuln.get("analysis") or {}, "'analysis'").get("state"))
        if state in NOT_APPLICABLE:
            report.skipped.append(
                Skipped(NOT_APPLICABLE[state], f"{vuln_id} {package or ''}".strip())
            )
            continue
        severity, tool_severity = _rating(path, vuln.get("ratings"))
        source = vuln.get("source")
        rows.append(
            (
                vuln_id,
                None,
                package,
                vuln_id,
                vuln_id,
                severity,
                tool_severity,
                vulnerability_title(
                    vuln_id, package, version, summary_line(vuln.get("description"))
                ),
                cwe_ids(vuln.get("cwes")),
                ids_with_prefix([vuln_id, *_reference_ids(vuln)], "CVE-"),
                package,
                version,
                opt_text(source.get("url")) if isinstance(source, dict) else None,
            )
        )
    report.records.extend(from_rows(Fingerprints(tool), rows, _FIELDS, tool=tool))
    return report


def _word(value: Any) -> str:
    return value.strip().lower() if isinstance(value, str) else ""


def _rating(path: Path, ratings: Any) -> tuple[Severity, str]:
    """The most severe rating the BOM gives, with its own word; unrated when none."""
    words = [
        _word(obj(path, r, "a rating").get("severity")) for r in arr(path, ratings, "'ratings'")
    ]
    rated = [(SEVERITY[w], w) for w in words if w in SEVERITY]
    if not rated:
        return UNRATED, next((w for w in words if w), "")
    return min(rated, key=lambda pair: SEVERITY_ORDER.index(pair[0]))


def _affects(vuln: dict[str, Any]) -> list[str]:
    affects = vuln.get("affects")
    if not isinstance(affects, list):
        return []
    return [t for t in (opt_text(a.get("ref")) for a in affects if isinstance(a, dict)) if t]


def _reference_ids(vuln: dict[str, Any]) -> list[str]:
    references = vuln.get("references")
    if not isinstance(references, list):
        return []
    return texts([r.get("id") for r in references if isinstance(r, dict)])


def _json_tools(tools: Any) -> list[tuple[str, str | None]]:
    """Tools as a 1.4 list, or a 1.5 ``{components: [...]}`` object."""
    if isinstance(tools, dict):
        tools = tools.get("components")
    if not isinstance(tools, list):
        return []
    return [
        (name, opt_text(t.get("version")))
        for t in tools
        if isinstance(t, dict) and (name := opt_text(t.get("name")))
    ]


def _json_components(path: Path, raw: Any, found: dict[str, tuple[str, str | None]]) -> None:
    """Every component by ``bom-ref``, nested ones included (walked without recursion)."""
    pending = list(arr(path, raw, "'components'"))
    while pending:
        component = obj(path, pending.pop(), "a component")
        ref, name = opt_text(component.get("bom-ref")), opt_text(component.get("name"))
        if ref and name:
            found.setdefault(ref, (name, opt_text(component.get("version"))))
        pending.extend(arr(path, component.get("components"), "nested 'components'"))


def _local(element: Element) -> str:
    return element.tag.rpartition("}")[2]


def _child(element: Element | None, name: str) -> Element | None:
    if element is None:
        return None
    return next((c for c in element if _local(c) == name), None)


def _children(element: Element | None, name: str) -> list[Element]:
    """The children of ``element``'s ``name`` child (``<vulnerabilities><vulnerability>``…)."""
    holder = _child(element, name)
    return [] if holder is None else list(holder)


def _child_text(element: Element | None, name: str) -> str | None:
    child = _child(element, name)
    return None if child is None else opt_text(child.text)


def _xml_tools(metadata: Element | None) -> list[tuple[str, str | None]]:
    tools = _child(metadata, "tools")
    if tools is None:
        return []
    entries = [t for t in tools if _local(t) == "tool"] + _children(tools, "components")
    return [(name, _child_text(t, "version")) for t in entries if (name := _child_text(t, "name"))]


def _xml_components(holder: Element | None, found: dict[str, tuple[str, str | None]]) -> None:
    pending = [] if holder is None else list(holder)
    while pending:
        component = pending.pop()
        ref, name = component.get("bom-ref"), _child_text(component, "name")
        if ref and name:
            found.setdefault(ref, (name, _child_text(component, "version")))
        pending.extend(_children(component, "components"))


def _xml_vulnerability(element: Element) -> dict[str, Any]:
    """One ``<vulnerability>`` in the JSON shape, so both encodings share one reader."""
    source = _child(element, "source")
    return {
        "id": _child_text(element, "id"),
        "description": _child_text(element, "description"),
        "source": {"url": _child_text(source, "url")},
        "ratings": [
            {"severity": _child_text(r, "severity")} for r in _children(element, "ratings")
        ],
        "cwes": [c.text for c in _children(element, "cwes")],
        "references": [{"id": _child_text(r, "id")} for r in _children(element, "references")],
        "affects": [{"ref": _child_text(t, "ref")} for t in _children(element, "affects")],
        "analysis": {"state": _child_text(_child(element, "analysis"), "state")},
    }

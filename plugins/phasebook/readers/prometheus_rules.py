"""Prometheus rule files in YAML, plain or as Kubernetes ``PrometheusRule`` resources.

A rule file is ``groups: [{name, rules: [...]}]``; each rule has ``alert:`` (an alerting rule,
with ``for``, ``labels.severity`` and ``annotations``) or ``record:`` (a recording rule), and
an ``expr``. The Prometheus Operator wraps the same groups in a resource with ``apiVersion:
monitoring.coreos.com/v1``, ``kind: PrometheusRule`` and ``spec.groups`` (another apiVersion
is refused); a file may hold several YAML documents, and a ``kind: List`` of such resources
is read too. Each rule is one :class:`~phasebook.evidence.Rule` (kind ``rule``, ``rule_type``
alerting or recording); a rule that Prometheus would refuse (neither or both of ``alert`` and
``record``, no ``expr``) is skipped with the reason. A group that is not a mapping with a
``rules`` list makes the file unreadable: how many rules it held cannot be told.

The YAML is parsed with PyYAML's safe loader (the C one when available: rule packs of ten
thousand rules are common).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from phasebook.evidence import Report, Rule, Skipped
from phasebook.readers.base import ReportError, read_text
from phasebook.readers.roles import RULES, Role

API_VERSIONS = ("monitoring.coreos.com/v1",)
_GROUPS_LINE = re.compile(r"(?m)^groups:")
_RULE_LINE = re.compile(r"(?m)^[ \t]*(?:-[ \t]+)?(?:alert|record):[ \t]*\S")
_RESOURCE = re.compile(r"(?m)^[ \t]*(?:-[ \t]+)?kind:[ \t]*[\"']?PrometheusRule[\"']?[ \t]*$")
_SCALARS = (str, int, float)
_TEXT_LIMIT = 300
EXPECTED = "expected a rule file (`groups:` of rules) or `kind: PrometheusRule` resources"


def _documents(path: Path, text: str) -> list[Any]:
    try:
        if yaml.__with_libyaml__:
            return list(yaml.load_all(text, Loader=yaml.CSafeLoader))
        return list(yaml.safe_load_all(text))
    except yaml.YAMLError as error:
        message = " ".join(str(error).split())[:500]
        raise ReportError(path, f"invalid YAML: {message}") from None
    except (ValueError, OverflowError, RecursionError) as error:  # e.g. a date like 2024-02-30
        raise ReportError(path, f"invalid YAML value: {str(error)[:200]}") from None


def _scalar(value: object) -> str | None:
    """A YAML scalar as text (``for: 5m`` is text, ``for: 300`` a number); else ``None``."""
    if isinstance(value, bool) or not isinstance(value, _SCALARS):
        return None
    text = " ".join(str(value).split())
    return text or None


def _rule(group: str, rule: object) -> Rule | str:
    """The rule, or why Prometheus would not load it."""
    if not isinstance(rule, dict):
        return "a rule that is not a mapping"
    alert, record = _scalar(rule.get("alert")), _scalar(rule.get("record"))
    if alert and record:
        return "both alert and record: Prometheus refuses such a rule"
    if not alert and not record:
        return "neither alert nor record"
    expr = rule.get("expr")
    if isinstance(expr, bool) or not isinstance(expr, _SCALARS) or not str(expr).strip():
        return "no expr"
    labels = rule.get("labels")
    annotations = rule.get("annotations")
    severity = _scalar(labels.get("severity")) if isinstance(labels, dict) else None
    summary = _scalar(annotations.get("summary")) if isinstance(annotations, dict) else None
    return Rule(
        name=alert or record or "",
        group=group,
        rule_type="alerting" if alert else "recording",
        expr=str(expr).strip(),
        severity=severity,
        duration=_scalar(rule.get("for")) if alert else None,
        summary=summary[:_TEXT_LIMIT] if summary else None,
    )


def _resources(document: dict[str, Any]) -> list[dict[str, Any]]:
    """The ``PrometheusRule`` resources of a document (one, or the items of a ``List``)."""
    if document.get("kind") == "PrometheusRule":
        return [document]
    items = document.get("items") if document.get("kind") == "List" else None
    if not isinstance(items, list):
        return []
    return [i for i in items if isinstance(i, dict) and i.get("kind") == "PrometheusRule"]


class PrometheusRulesReader:
    """Prometheus alerting and recording rules."""

    format = "prometheus-rules"
    role = Role.MONITORING_RULES
    kinds = RULES

    def detect(self, head: str, path: Path) -> bool:
        if _RESOURCE.search(head):
            return True
        return bool(_GROUPS_LINE.search(head) and _RULE_LINE.search(head) and "expr:" in head)

    def read(self, path: Path) -> Report:
        documents = _documents(path, read_text(path))
        report = Report(path=path, format=self.format, tool="prometheus")
        plain = 0
        groups_found = False
        versions: list[str] = []
        for number, document in enumerate(documents, start=1):
            if document is None:
                continue
            if not isinstance(document, dict):
                raise ReportError(
                    path, f"YAML document {number} is not a mapping of rule groups: {EXPECTED}"
                )
            if "groups" in document and "kind" not in document:
                plain += 1
                groups_found = True
                self._groups(path, report, document["groups"], f"document {number}")
                continue
            resources = _resources(document)
            if not resources:
                kind = document.get("kind")
                if kind is None:
                    raise ReportError(
                        path,
                        f"YAML document {number} is not a rule file: no `groups:` and no "
                        f"`kind: PrometheusRule` ({EXPECTED})",
                    )
                report.notes.append(f"YAML document {number} is a {kind}, not rules: not read")
                continue
            for resource in resources:
                version = resource.get("apiVersion")
                if version not in API_VERSIONS:
                    raise ReportError(
                        path,
                        f"unsupported PrometheusRule apiVersion {version!r} "
                        f"(supported: {', '.join(API_VERSIONS)})",
                    )
                versions.append(str(version))
                spec = resource.get("spec")
                if not isinstance(spec, dict):
                    raise ReportError(path, f"the PrometheusRule in document {number} has no spec")
                groups_found = True
                self._groups(path, report, spec.get("groups"), f"document {number}")
        if not groups_found:
            raise ReportError(
                path, f"no rule groups: neither `groups:` nor a PrometheusRule ({EXPECTED})"
            )
        report.schema_version = versions[0] if versions else None
        if plain > 1:
            report.notes.append(
                f"{plain} YAML documents with rule groups: Prometheus loads only the first"
            )
        return report

    @staticmethod
    def _groups(path: Path, report: Report, groups: object, where: str) -> None:
        if groups is None:
            return
        if not isinstance(groups, list):
            raise ReportError(path, f"`groups` in {where} is not a list")
        for index, group in enumerate(groups):
            if not isinstance(group, dict):
                raise ReportError(path, f"group {index + 1} in {where} is not a mapping")
            name = _scalar(group.get("name")) or ""
            rules = group.get("rules")
            if rules is None:
                continue
            if not isinstance(rules, list):
                raise ReportError(path, f"the rules of group {name or index + 1!r} are not a list")
            for position, rule in enumerate(rules, start=1):
                result = _rule(name, rule)
                if isinstance(result, str):
                    label = _rule_label(rule) or f"rule {position}"
                    report.skipped.append(Skipped(result, f"{name}: {label}"[:_TEXT_LIMIT]))
                else:
                    report.records.append(result)


def _rule_label(rule: object) -> str | None:
    if not isinstance(rule, dict):
        return None
    return _scalar(rule.get("alert")) or _scalar(rule.get("record"))

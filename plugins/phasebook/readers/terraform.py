"""Terraform plan JSON (``terraform show -json plan.out``): one record per resource change.

The plan is an object with ``format_version`` (``0.x`` from Terraform 0.12–0.15, ``1.x``
since 1.0; another major version is refused), ``terraform_version`` and
``resource_changes[]``, each with an ``address``, ``type``, ``provider_name`` and
``change.actions``: ``["create"]``, ``["update"]``, ``["delete"]``, ``["read"]`` (a data
source), ``["no-op"]``, ``["delete", "create"]`` or ``["create", "delete"]`` (a replacement).
Every entry is one :class:`~phasebook.evidence.ResourceChange`, ``no-op`` included, so the
counts match the plan; an entry without an address or with actions Terraform does not write is
skipped with the reason, as is each of ``deferred_changes`` (changes Terraform put off to a
later plan). ``terraform show -json`` of a *state* (``values`` without
``planned_values``) is refused: it describes what exists, not what a plan would change.

Windows PowerShell redirects write UTF-16; with or without a byte-order mark it is read.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
from pathlib import Path
from typing import TypeVar

from phasebook.evidence import Report, ResourceChange, Skipped
from phasebook.readers.base import (
    ReportError,
    decode,
    load_json,
    not_blank,
    not_the_format,
    read_bytes,
    starts_json,
)
from phasebook.readers.roles import CHANGES, Role

T = TypeVar("T")

SUPPORTED_MAJORS = ("0", "1")
ACTIONS = frozenset({"no-op", "create", "read", "update", "delete", "forget"})
_VERSION = re.compile(r"(\d+)\.\d+")
EXPECTED = (
    "a plan: an object with `format_version`, `terraform_version` and `resource_changes`, as "
    "`terraform show -json plan.out` writes it"
)


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le``/``-be`` when the text starts like UTF-16 JSON but has no byte-order mark.

    JSON starts with an ASCII character, so UTF-16 shows as a zero byte beside it.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or len(data) < 2:
        return None
    if data[0] != 0 and data[1] == 0:
        return "utf-16-le"
    if data[0] == 0 and data[1] != 0:
        return "utf-16-be"
    return None


def plan_text(path: Path) -> str:
    """The plan as text, whatever encoding Windows gave it."""
    data = read_bytes(path)
    encoding = _utf16_without_bom(data)
    if encoding is None:
        text = decode(path, data)
    else:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as error:
            where = f"{error.reason} at byte {error.start}"
            raise ReportError(path, f"not {encoding} text ({where})") from None
    return not_blank(path, text)


def _when(value: object) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        when = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def _change(entry: object) -> ResourceChange | str:
    """The resource change, or why the entry cannot be one."""
    if not isinstance(entry, dict):
        return "not an object"
    address = entry.get("address")
    if not isinstance(address, str) or not address:
        return "no address"
    change = entry.get("change")
    actions = change.get("actions") if isinstance(change, dict) else None
    if not isinstance(actions, list) or not actions:
        return "no change.actions"
    if not all(isinstance(a, str) and a in ACTIONS for a in actions):
        return f"unknown actions {actions!r}"[:200]
    module = entry.get("module_address")
    reason = entry.get("action_reason")
    return ResourceChange(
        address=address,
        actions=tuple(actions),
        type=_text_or(entry.get("type"), ""),
        provider=_text_or(entry.get("provider_name"), None),
        module=module if isinstance(module, str) and module else None,
        mode=_text_or(entry.get("mode"), "managed"),
        action_reason=reason if isinstance(reason, str) and reason else None,
    )


def _text_or(value: object, default: T) -> str | T:
    return value if isinstance(value, str) and value else default


class TerraformPlanReader:
    """Terraform plans in JSON."""

    format = "terraform-plan-json"
    role = Role.INFRASTRUCTURE_PLAN
    kinds = CHANGES

    def detect(self, head: str, path: Path) -> bool:
        text = head.replace("\x00", "")[:4096]  # UTF-16 without a BOM reads as NULs here
        return starts_json(text, "{", "format_version", "terraform_version")

    def read(self, path: Path) -> Report:
        data = load_json(path, plan_text(path))
        if not isinstance(data, dict) or "format_version" not in data:
            raise not_the_format(path, data, "a Terraform plan", EXPECTED)
        version = data["format_version"]
        match = _VERSION.fullmatch(version) if isinstance(version, str) else None
        if match is None or match.group(1) not in SUPPORTED_MAJORS:
            raise ReportError(
                path,
                f"unsupported plan format_version {version!r} "
                f"(supported: {', '.join(m + '.x' for m in SUPPORTED_MAJORS)})",
            )
        if "values" in data and not {"planned_values", "resource_changes"} & data.keys():
            raise ReportError(
                path,
                "this is Terraform state (`terraform show -json` without a plan file), not a "
                "plan: write the plan with `terraform plan -out plan.out` and "
                "`terraform show -json plan.out`",
            )
        if not {"planned_values", "resource_changes", "configuration"} & data.keys():
            raise ReportError(path, "not a Terraform plan: no resource_changes or planned_values")
        changes = data.get("resource_changes", [])
        if changes is None:
            changes = []
        if not isinstance(changes, list):
            raise ReportError(path, "resource_changes is not a list")
        tool_version = data.get("terraform_version")
        report = Report(
            path=path,
            format=self.format,
            schema_version=version,
            tool="terraform",
            tool_version=tool_version if isinstance(tool_version, str) else None,
            generated_at=_when(data.get("timestamp")),
        )
        for index, entry in enumerate(changes):
            result = _change(entry)
            if isinstance(result, str):
                where = entry.get("address") if isinstance(entry, dict) else None
                label = where if isinstance(where, str) and where else f"resource_changes[{index}]"
                report.skipped.append(Skipped(result, label))
            else:
                report.records.append(result)
        deferred = data.get("deferred_changes")
        for entry in deferred if isinstance(deferred, list) else []:
            change = entry.get("resource_change") if isinstance(entry, dict) else None
            where = change.get("address") if isinstance(change, dict) else None
            why = entry.get("reason") if isinstance(entry, dict) else None
            report.skipped.append(
                Skipped(f"deferred by Terraform ({why or 'no reason'})", str(where or "?"))
            )
        if data.get("errored") is True:
            report.notes.append("Terraform says the plan errored: it may be incomplete")
        elif data.get("complete") is False:
            report.notes.append("Terraform says the plan is incomplete (deferred changes)")
        return report

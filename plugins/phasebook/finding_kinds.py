"""Whether a finding recorded in a snapshot is a vulnerability or a code-quality finding.

The pages keep the two apart everywhere (a linter's "error" is rated high, and is still not a
vulnerability). A snapshot's finding entry names the role of the reader that reported it
(``role``, written since the entries carry it); an older entry, or one a public build has
stripped, has only its tool, which the snapshot's own reports (and then the current build's)
map to a format, and so to its reader's role. A tool no report names stays "unknown".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from phasebook.assess.summary import LINT_ROLES
from phasebook.readers.registry import role_of
from phasebook.readers.roles import SECURITY_ROLES, Role


class FindingClass(StrEnum):
    """What a finding counts as on the pages."""

    VULNERABILITY = "vulnerability"
    """Reported by a security scanner (a role in ``readers.roles.SECURITY_ROLES``)."""
    QUALITY = "quality"
    """Reported by a linter or a type checker: code quality, never a vulnerability."""
    UNKNOWN = "unknown"
    """An old entry whose tool no report of the snapshot or the build names."""


def kind_of_role(role: Role | None) -> FindingClass:
    """The kind of the findings a reader of ``role`` reports."""
    if role in SECURITY_ROLES:
        return FindingClass.VULNERABILITY
    if role in LINT_ROLES:
        return FindingClass.QUALITY
    return FindingClass.UNKNOWN


def tool_roles(documents: Iterable[Mapping[str, Any]]) -> dict[str, Role]:
    """Each tool's role, from the reports the snapshot ``documents`` list (format and tool);
    the first document that names a tool decides it."""
    roles: dict[str, Role] = {}
    for document in documents:
        for phase in document.get("phases", {}).values():
            for report in phase.get("reports", []):
                tool, role = report.get("tool"), role_of(str(report.get("format")))
                if tool and role is not None:
                    roles.setdefault(str(tool), role)
    return roles


@dataclass(frozen=True)
class Classifier:
    """Tells the kind of a snapshot's finding entry: by its ``role``, else by its tool."""

    tools: Mapping[str, Role]

    @classmethod
    def of(cls, *documents: Mapping[str, Any]) -> Classifier:
        """A classifier whose tools come from ``documents``, the first naming a tool winning
        (pass the snapshot being read first, then the current build's)."""
        return cls(tool_roles(documents))

    def __call__(self, entry: Mapping[str, Any]) -> FindingClass:
        named = entry.get("role")
        role = _ROLES.get(named) if isinstance(named, str) else None
        if role is None:
            role = self.tools.get(str(entry.get("tool")))
        return _CLASS_OF_ROLE[role]


_ROLES = {role.value: role for role in Role}
_CLASS_OF_ROLE: dict[Role | None, FindingClass] = {
    role: kind_of_role(role) for role in (*Role, None)
}
"""What :func:`kind_of_role` says of each role: a snapshot has an entry per finding."""

"""Titles of dependency vulnerabilities: the advisory's first line, the package it is in."""

from __future__ import annotations

from typing import Any

from phasebook.readers.scalars import text


def summary_line(value: Any, limit: int = 120) -> str:
    """The first line of prose in an advisory (markdown headings skipped), shortened."""
    for raw in text(value).splitlines():
        line = " ".join(raw.split())
        if line and not line.startswith("#"):
            return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"
    return ""


def vulnerability_title(
    vuln_id: str, package: str | None, version: str | None, summary: str
) -> str:
    """A readable title for a dependency vulnerability that has no title of its own."""
    where = " ".join(part for part in (package, version) if part)
    head = f"{vuln_id} in {where}" if where else vuln_id
    return f"{head}: {summary}" if summary else head

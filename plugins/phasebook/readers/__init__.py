"""Report readers: one per format behind one small interface, in an explicit registry.

The format is detected from the content, never from the file name: each detector looks for
its format's own keys and shape. A body that says nothing of its format (``null``, ``[]``,
``{}``, a bare scalar) is detected as nothing; where it is a tool's own clean output (a bare
``[]``), it is read only when the format is named explicitly.
"""

from __future__ import annotations

import json
from pathlib import Path

from phasebook.evidence import Report
from phasebook.readers.base import (
    Reader,
    ReportError,
    bare_value,
    clean_outputs,
    collection_paused,
    head_text,
    shown,
)
from phasebook.readers.registry import READERS, known_formats, reader_for, role_of
from phasebook.readers.roles import Role

__all__ = [
    "READERS",
    "Reader",
    "ReportError",
    "Role",
    "detect_format",
    "read_report",
    "role_of",
]


def detect_format(path: Path) -> Reader:
    """The reader for ``path``, by content; an error listing the known formats otherwise."""
    try:
        head = head_text(path)
    except OSError as error:
        raise ReportError(path, f"cannot read the file: {error.strerror}") from None
    if not head.strip():
        raise ReportError(path, "the report is empty (0 bytes or only whitespace)")
    for reader in READERS:
        if reader.detect(head, path):
            return reader
    known = ", ".join(known_formats())
    bare, value = bare_value(head)
    if bare:
        raise ReportError(path, _bare_refusal(value, known))
    raise ReportError(path, f"unknown report format; known formats: {known}")


def _bare_refusal(value: object, known: str) -> str:
    """Why a bare ``[]``, ``null`` or scalar is no report by itself, and what to do."""
    body = json.dumps(value)
    clean = [r.format for r in READERS if body in clean_outputs(r)]
    if not clean:
        return (
            f"is {shown(value)}, which is no report of any known format: a report is the "
            f"object or array a tool writes, with its own keys (known formats: {known})"
        )
    return (
        f"is {shown(value)}, which no format is detected from: it is the clean output "
        f"(nothing found) of {', '.join(clean)}, but also what a broken run may leave: "
        "declare `format: X` in the phase's reports entry if this is X's clean output "
        "(`phasebook read --format X` likewise)"
    )


def read_report(path: Path, format: str | None = None) -> Report:
    """Read one report, with the named format or the detected one."""
    if format is not None:
        reader = reader_for(format)
        if reader is None:
            known = ", ".join(known_formats())
            raise ReportError(path, f"unknown format {format!r}; known formats: {known}")
    else:
        reader = detect_format(path)
    with collection_paused():
        return reader.read(path)

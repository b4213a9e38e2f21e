"""Report readers: one per format behind one small interface, in an explicit registry.

The format is detected from the content (the file name is only a hint) or named explicitly.
"""

from __future__ import annotations

from pathlib import Path

from phasebook.evidence import Report
from phasebook.readers.base import Reader, ReportError, head_text
from phasebook.readers.registry import READERS

__all__ = ["READERS", "Reader", "ReportError", "detect_format", "read_report"]


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
    known = ", ".join(reader.format for reader in READERS)
    raise ReportError(path, f"unknown report format; known formats: {known}")


def read_report(path: Path, format: str | None = None) -> Report:
    """Read one report, with the named format or the detected one."""
    if format is not None:
        reader = next((r for r in READERS if r.format == format), None)
        if reader is None:
            known = ", ".join(r.format for r in READERS)
            raise ReportError(path, f"unknown format {format!r}; known formats: {known}")
    else:
        reader = detect_format(path)
    return reader.read(path)

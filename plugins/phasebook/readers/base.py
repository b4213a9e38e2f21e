"""What every reader shares: the interface, the one error type, and safe loading of bytes.

A reader is small: ``detect`` looks at the first bytes (cheap, no full parse) and ``read``
turns the whole file into a :class:`~phasebook.evidence.Report` or raises :class:`ReportError`.
"""

from __future__ import annotations

import codecs
import json
from pathlib import Path
from typing import Any, Protocol

from phasebook.errors import PhasebookError
from phasebook.evidence import Report, Severity

HEAD_BYTES = 64 * 1024


class ReportError(PhasebookError):
    """A report cannot be read; the message names the file and says why."""

    def __init__(self, path: Path, message: str) -> None:
        self.path = path
        self.reason = message
        super().__init__(f"{path}: {message}")


class Reader(Protocol):
    """One report format."""

    format: str
    """Stable name of the format, e.g. ``bandit-json``; usable in a phase's YAML."""

    def detect(self, head: str, path: Path) -> bool:
        """Whether the start of the file (decoded text, up to 64 KiB) is this format."""
        ...

    def read(self, path: Path) -> Report:
        """Read the whole report; raise :class:`ReportError` when it cannot be read."""
        ...


def decode(path: Path, data: bytes) -> str:
    """Bytes to text: UTF-8 (with or without BOM) or UTF-16 with a BOM (Windows tools)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif data.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    else:
        encoding = "utf-8"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        where = f"{error.reason} at byte {error.start}"
        raise ReportError(path, f"not {encoding} text ({where})") from None


def read_text(path: Path) -> str:
    """The file as text; a missing, unreadable or empty file is an error, never "no findings"."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ReportError(path, f"cannot read the file: {error.strerror}") from None
    text = decode(path, data)
    if not text.strip():
        raise ReportError(
            path, "the report is empty (0 bytes or only whitespace); the tool wrote no output"
        )
    return text


def head_text(path: Path) -> str:
    """The first bytes of the file, decoded leniently, for format detection."""
    with path.open("rb") as handle:
        data = handle.read(HEAD_BYTES)
    try:
        return decode(path, data)
    except ReportError:
        return data.decode("utf-8", errors="replace")


def load_json(path: Path, text: str | None = None) -> Any:
    """Parse a JSON report; truncation and text printed before the JSON are clear errors."""
    text = read_text(path) if text is None else text
    stripped = text.lstrip()
    if stripped[:1] not in ("{", "[", "n"):
        first = stripped.splitlines()[0][:80] if stripped else ""
        raise ReportError(
            path,
            f"does not start with JSON (first line: {first!r}); the tool may have printed "
            "warnings before its report: write the report with the tool's output-file option",
        )
    try:
        return json.loads(text)
    except RecursionError:
        raise ReportError(path, "the JSON is nested too deeply to be a report") from None
    except json.JSONDecodeError as error:
        if _ends_early(text, error):
            raise ReportError(
                path, f"the JSON ends early at line {error.lineno} (truncated report?)"
            ) from None
        raise ReportError(
            path, f"invalid JSON at line {error.lineno} column {error.colno}: {error.msg}"
        ) from None


def _ends_early(text: str, error: json.JSONDecodeError) -> bool:
    """Whether the parser ran out of text (a cut-off file) rather than met a wrong byte."""
    end = len(text.rstrip())
    if error.pos >= end - 1:
        return True
    return error.msg.startswith("Unterminated string") and text.rstrip()[-1:] not in ("}", "]")


SEVERITY_WORDS = {
    "critical": Severity.CRITICAL,
    "blocker": Severity.CRITICAL,
    "high": Severity.HIGH,
    "error": Severity.HIGH,
    "major": Severity.HIGH,
    "medium": Severity.MEDIUM,
    "moderate": Severity.MEDIUM,
    "warning": Severity.MEDIUM,
    "low": Severity.LOW,
    "minor": Severity.LOW,
    "note": Severity.LOW,
    "info": Severity.INFO,
    "informational": Severity.INFO,
    "negligible": Severity.INFO,
    "none": Severity.INFO,
    "unknown": Severity.INFO,
}


def severity_from_word(word: str | None, default: Severity = Severity.INFO) -> Severity:
    """Map a tool's severity word to ours (callers keep the tool's own word too)."""
    if not word:
        return default
    return SEVERITY_WORDS.get(str(word).strip().lower(), default)


def require_keys(path: Path, data: Any, keys: tuple[str, ...], what: str) -> dict[str, Any]:
    """``data`` as a dict with ``keys``, or a :class:`ReportError` saying which are missing."""
    if not isinstance(data, dict):
        raise ReportError(path, f"expected a JSON object for {what}, found {type(data).__name__}")
    missing = [key for key in keys if key not in data]
    if missing:
        raise ReportError(path, f"not a {what}: missing {', '.join(missing)}")
    return data

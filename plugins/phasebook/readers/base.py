"""What every reader shares: the interface, the one error type, and safe loading of bytes.

A reader is small: it declares its ``format``, ``role`` and record ``kinds``; ``detect`` looks
at the first bytes (cheap, no full parse) and ``read`` turns the whole file into a
:class:`~phasebook.evidence.Report` or raises :class:`ReportError`.
"""

from __future__ import annotations

import codecs
import gc
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol, TypeAlias, TypeVar, runtime_checkable

import msgspec

from phasebook.errors import PhasebookError
from phasebook.evidence import Report
from phasebook.readers.roles import RecordKind, Role

HEAD_BYTES = 64 * 1024

T = TypeVar("T")

ObjectOr: TypeAlias = T | list[Any] | str | int | float | bool | None
"""For :func:`load_typed`: a JSON object decoded as the ``msgspec.Struct`` ``T``, any other
JSON value as it is, so that a wrong type reaches the reader's own checks instead of failing."""

ArrayOr: TypeAlias = list[T] | dict[str, Any] | str | int | float | bool | None
"""For :func:`load_typed`: a JSON array decoded as ``list[T]``, any other JSON value as it is."""


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

    role: Role
    """What the tool is (dependency scanner, linter, tests…): what its reports count for."""

    kinds: frozenset[RecordKind]
    """The kinds of record ``read`` yields (``finding``, ``test``…); never empty."""

    def detect(self, head: str, path: Path) -> bool:
        """Whether the start of the file (decoded text, up to 64 KiB) is this format."""
        ...

    def read(self, path: Path) -> Report:
        """Read the whole report; raise :class:`ReportError` when it cannot be read."""
        ...


@runtime_checkable
class CleanOutput(Protocol):
    """A reader whose tool writes a bare ``[]`` or ``null`` when it finds nothing."""

    format: str
    clean_output: tuple[str, ...]
    """Those bodies as JSON text. No detector claims them (any tool could have written them,
    or a broken run), so they are read only when the phase names the format."""


def clean_outputs(reader: Reader) -> tuple[str, ...]:
    """The bare bodies ``reader`` reads as "nothing found" when its format is declared."""
    return reader.clean_output if isinstance(reader, CleanOutput) else ()


def shown(value: Any) -> str:
    """A report's top-level value as a refusal names it: `null`, `[]`, `{}`, `0`, keys…"""
    if value is None or isinstance(value, bool | int | float):
        return f"`{json.dumps(value)}`"
    if isinstance(value, str):
        return f"the string `{json.dumps(value[:40])}`"
    if isinstance(value, list):
        return f"an array of {len(value)} items" if value else "an empty array `[]`"
    if isinstance(value, dict):
        if not value:
            return "an empty object `{}`"
        keys = ", ".join(f"`{key}`" for key in list(value)[:5])
        return f"an object with {keys}{', …' if len(value) > 5 else ''}"
    return "a value of another shape"


def not_the_format(path: Path, value: Any, what: str, expected: str) -> ReportError:
    """The refusal of a value without the format's own signature: what it is, what was wanted."""
    return ReportError(path, f"is {shown(value)}, not {what}: expected {expected}")


def top_array(
    path: Path,
    value: Any,
    what: str,
    expected: str,
    *,
    keys: tuple[str, ...],
    clean: tuple[str, ...] = (),
) -> list[Any]:
    """A report's top-level array of records, at least one of them an object with one of the
    tool's ``keys`` (odd ones are the reader's to skip); ``[]`` or ``null`` only where
    ``clean`` says it is the tool's own "nothing found" (reached only with the format
    declared: see :class:`CleanOutput`). Anything else is refused, never read as zero."""
    if isinstance(value, list) and value:
        if any(isinstance(item, dict) and not item.keys().isdisjoint(keys) for item in value):
            return value
        raise not_the_format(path, value, what, expected)
    if (value is None and "null" in clean) or (value == [] and "[]" in clean):
        return []
    raise not_the_format(path, value, what, expected)


S = TypeVar("S", bound=msgspec.Struct)


def top_structs(
    path: Path,
    value: Any,
    what: str,
    expected: str,
    *,
    kind: type[S],
    keys: tuple[str, ...],
    clean: tuple[str, ...] = (),
) -> list[Any]:
    """:func:`top_array` of a value :func:`load_typed` decoded, its objects as ``kind``
    structs whose fields for the tool's ``keys`` (as JSON names them) default to
    ``msgspec.UNSET``, so that "has one of the keys" reads as it does for a dict."""
    if isinstance(value, list) and value:
        names = [f.name for f in msgspec.structs.fields(kind) if f.encode_name in keys]
        for item in value:
            if type(item) is kind and any(getattr(item, n) is not msgspec.UNSET for n in names):
                return value
    elif (value is None and "null" in clean) or (value == [] and "[]" in clean):
        return []
    raise not_the_format(path, load_json(path), what, expected)


_BARE = re.compile(r"\A\s*(?:null|true|false|-?\d[\d.eE+-]*|\"[^\n]*\"|\[\s*\]|\{\s*\})\s*\Z")


def described(text: str) -> str:
    """A text report's start as a refusal names it: a bare JSON value, or its first words."""
    start = head_start(text)
    bare, value = bare_value(start)
    return shown(value) if bare else f"text starting {start[:40]!r}"


def bare_value(text: str) -> tuple[bool, Any]:
    """``(True, value)`` when ``text`` is only a scalar, ``[]`` or ``{}``: a body that says
    nothing of its format; ``(False, None)`` otherwise."""
    if len(text) > 1024 or not _BARE.match(text):
        return False, None
    try:
        return True, json.loads(text)
    except ValueError:
        return False, None


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
    return _text(path, read_bytes(path))


def read_bytes(path: Path) -> bytes:
    """The file's bytes; a missing or unreadable file is a :class:`ReportError`."""
    try:
        return path.read_bytes()
    except OSError as error:
        raise ReportError(path, f"cannot read the file: {error.strerror}") from None


def not_blank(path: Path, text: str) -> str:
    """``text``, or the refusal of an empty report: no output is never "nothing found"."""
    if not text.strip():
        raise ReportError(
            path, "the report is empty (0 bytes or only whitespace); the tool wrote no output"
        )
    return text


def _text(path: Path, data: bytes) -> str:
    return not_blank(path, decode(path, data))


def head_text(path: Path) -> str:
    """The first bytes of the file, decoded leniently, for format detection."""
    with path.open("rb") as handle:
        data = handle.read(HEAD_BYTES)
    try:
        return decode(path, data)
    except ReportError:
        return data.decode("utf-8", errors="replace")


BLANK = "\ufeff \t\r\n"
"""What may come before a report's first token: JSON's white space, and a byte-order mark."""


def head_start(head: str) -> str:
    """The text from its first token on: the start a detector (or a refusal) looks at."""
    return head.lstrip(BLANK)


def first_line(head: str) -> str:
    """The first line that is not blank: a JSON-lines detector looks at it alone, so that a
    JSON array spread over many lines is never taken for JSON lines."""
    return head_start(head).partition("\n")[0]


def starts_json(head: str, opener: str, *keys: str) -> bool:
    """Whether ``head`` starts with ``opener`` (``{`` or ``[``) and names each of ``keys`` as
    a JSON key (``"key"``): the start most JSON detectors share, before their own signature.

    A detector that leaves out the opener lets text printed before a report reach its reader,
    whose refusal then says to write the report with the tool's output option."""
    return head_start(head).startswith(opener) and all(f'"{key}"' in head for key in keys)


@contextmanager
def collection_paused() -> Iterator[None]:
    """The cyclic garbage collector paused while a report is read.

    A large report makes hundreds of thousands of objects and no garbage; the collector would
    walk all of them again and again as they are made (up to half of ``json.loads``' own time
    on a big report). It runs again, as before, once the report is read.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def load_json(path: Path, text: str | None = None) -> Any:
    """Parse a JSON report; truncation and text printed before the JSON are clear errors."""
    text = read_text(path) if text is None else text
    stripped = text.lstrip()
    if not _JSON_START.match(stripped):
        bare, value = bare_value(stripped)
        if bare:  # a bare scalar: the reader's own check says what it expected instead
            return value
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
    except ValueError as error:  # e.g. an integer of more digits than Python converts
        raise ReportError(path, f"invalid JSON: {error}") from None


_JSON_START = re.compile(
    r"\{|null|(?:n|nu|nul)\Z"
    r"|\[[ \t\n\r]*(?:[^a-zA-Z]|true|false|null|(?:t|tr|tru|f|fa|fal|fals|n|nu|nul)?\Z)"
)
"""How a report's JSON starts: ``{``, ``null`` or ``[`` before anything but a word. A tool's
log line printed before its report (``[main]  INFO …``, ``npm warn …``) is not JSON."""


def _ends_early(text: str, error: json.JSONDecodeError) -> bool:
    """Whether the parser ran out of text (a cut-off file) rather than met a wrong byte."""
    end = len(text.rstrip())
    if error.pos >= end - 1:
        return True
    return error.msg.startswith("Unterminated string") and text.rstrip()[-1:] not in ("}", "]")


def load_typed(path: Path, decoder: msgspec.json.Decoder[T], data: bytes | None = None) -> T:
    """Parse a JSON report straight into the reader's ``msgspec.Struct`` types.

    Large reports are mostly text no reader uses (advisories, code snippets); decoding into
    structs that declare only the fields a reader needs skips it, which is several times
    faster than :func:`load_json` and builds far less in memory. The values are those of
    ``msgspec.convert(load_json(path), decoder.type)``: whenever msgspec refuses the bytes
    (broken or truncated JSON, text before it, ``NaN``, numbers out of range, lone
    surrogates, deep nesting) :func:`load_json` parses them again, so errors read exactly as
    for every other JSON report. (What is skipped is not built, so a skipped value nested
    deeper than ``json`` parses, or an integer longer than Python converts, is no error.)

    Declare containers with :data:`ObjectOr` and :data:`ArrayOr` and values as ``Any``: a
    value of an unexpected type then reaches the reader's own checks instead of failing here.
    ``data`` is the file's bytes when the reader has read them already.
    """
    data = read_bytes(path) if data is None else data
    document: bytes | memoryview | str
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        document = _text(path, data)
    else:
        if not data.isascii():
            _check_utf8(path, data)  # msgspec does not look into the strings it skips
        document = memoryview(data)[3:] if data.startswith(codecs.BOM_UTF8) else data
    try:
        value = decoder.decode(document)
    except (ValueError, RecursionError):  # msgspec's DecodeError and ValidationError
        try:
            converted: T = msgspec.convert(load_json(path, _text(path, data)), decoder.type)
        except msgspec.ValidationError as error:
            raise ReportError(path, f"unexpected JSON structure: {error}") from None
        return converted
    return value  # a bare scalar too: the reader's own check refuses it, saying what it wanted


_ANY: msgspec.json.Decoder[Any] = msgspec.json.Decoder()


def load_any(path: Path) -> Any:
    """The values :func:`load_json` gives, decoded by msgspec: dicts and lists as ``json``
    makes them, in about half its time (a reader that reads most of a report, or whose
    reports are small, need not declare structs). Errors read exactly as :func:`load_json`'s.
    """
    return load_typed(path, _ANY)


def _check_utf8(path: Path, data: bytes, chunk: int = 1 << 20) -> None:
    """Refuse text that is not UTF-8 as :func:`decode` does, without a copy of the file."""
    check = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    try:
        for start in range(0, len(data), chunk):
            check.decode(view[start : start + chunk], final=start + chunk >= len(data))
    except UnicodeDecodeError:
        decode(path, data)  # raises, naming the byte
        raise

"""The one way Phasebook parses XML: defusedxml, no DTD fetched, no entity expansion.

Readers import :class:`Element` (for their types) from here too: no other module of the
package imports ``xml.*`` (``tests/test_xml_hardening.py`` checks it).

coverage.py writes a DOCTYPE with a remote DTD URL; defusedxml never fetches it, and
entity declarations (billion laughs, external entities) are refused with a clear message. Text
that is not XML at all (``null``, ``[]``, a JSON report) is refused saying what was expected.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring, iterparse

from phasebook.readers.base import ReportError, described, head_start, head_text, read_text

__all__ = ["Element", "iter_xml", "parse_xml"]

ANY_XML = "an XML document"


def parse_xml(path: Path, text: str | None = None, expected: str = ANY_XML) -> Element:
    """The root element of an XML report, parsed safely."""
    text = read_text(path) if text is None else text
    _refuse_if_not_xml(path, text, expected)
    try:
        root: Element = fromstring(text.encode("utf-8") if text.startswith("<?xml") else text)
    except (DefusedXmlException, ParseError) as error:
        raise _refusal(path, error) from None
    return root


def iter_xml(path: Path, expected: str = ANY_XML) -> Iterator[tuple[str, Element]]:
    """``(event, element)`` pairs ("start"/"end") streamed from the file, parsed safely.

    For large reports (a Cobertura file of 10,000 files): the caller clears each element it
    has read, so memory stays flat instead of holding the whole tree.
    """
    if path.stat().st_size == 0:
        raise ReportError(path, "the report is empty (0 bytes); the tool wrote no output")
    _refuse_if_not_xml(path, head_text(path), expected)
    try:
        yield from iterparse(str(path), events=("start", "end"))
    except (DefusedXmlException, ParseError) as error:
        raise _refusal(path, error) from None


def _refuse_if_not_xml(path: Path, text: str, expected: str) -> None:
    """A report that does not start with ``<`` is no XML: say what it is and what was wanted."""
    start = head_start(text)
    if start and not start.startswith("<"):
        raise ReportError(path, f"is {described(start)}, not XML: expected {expected}")


def _refusal(path: Path, error: Exception) -> ReportError:
    """The one wording of "this XML cannot be read", for both ways of parsing."""
    if isinstance(error, DefusedXmlException):
        kind = type(error).__name__
        why = "entity declarations are not allowed"
        return ReportError(path, f"refused unsafe XML ({kind}): {why}")
    assert isinstance(error, ParseError)
    line, column = error.position
    truncated = "no element found" in str(error) or "unclosed token" in str(error)
    hint = " (truncated report?)" if truncated else ""
    return ReportError(path, f"invalid XML at line {line} column {column}: {error}{hint}")

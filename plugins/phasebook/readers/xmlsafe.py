"""The one way Phasebook parses XML: defusedxml, no DTD fetched, no entity expansion.

coverage.py writes a DOCTYPE with a remote DTD URL; defusedxml never fetches it, and
entity declarations (billion laughs, external entities) are refused with a clear message.
"""

from __future__ import annotations

from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from phasebook.readers.base import ReportError, read_text


def parse_xml(path: Path, text: str | None = None) -> Element:
    """The root element of an XML report, parsed safely."""
    text = read_text(path) if text is None else text
    try:
        return fromstring(text.encode("utf-8") if text.startswith("<?xml") else text)
    except DefusedXmlException as error:
        kind = type(error).__name__
        raise ReportError(
            path, f"refused unsafe XML ({kind}): entity declarations are not allowed"
        ) from None
    except ParseError as error:
        line, column = error.position
        truncated = "no element found" in str(error) or "unclosed token" in str(error)
        hint = " (truncated report?)" if truncated else ""
        raise ReportError(
            path, f"invalid XML at line {line} column {column}: {error}{hint}"
        ) from None

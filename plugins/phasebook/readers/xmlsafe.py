"""The one way Phasebook parses XML: no DTD or entity fetched, no entity declaration expanded.

Readers import :class:`Element` (for their types) from here too: no other module of the
package imports ``xml.*`` (``tests/test_xml_hardening.py`` checks it).

Two parsers behind one guard, with one wording of every refusal:

* **The fast path**, C ElementTree (expat, several times quicker than a parser in Python), is
  taken only for a document whose prolog (what comes before the root's start tag) is plain:
  the XML declaration, comments, processing instructions and at most a DOCTYPE with no
  internal subset, in an encoding that reads ASCII as ASCII. Without an internal subset no
  entity can be declared at all; C ElementTree sets no handler for external entities, so expat
  (which does no I/O of its own) never loads a DTD or an entity: coverage.py's DOCTYPE with a
  remote DTD URL is parsed, never fetched. It needs expat 2.4.1 or later, whose own guard
  against entity amplification is a second line.
* **Everything else** (an internal subset, UTF-16, a prolog longer than the first 64 KiB, an
  older expat) is parsed by defusedxml, which refuses entity declarations (billion laughs,
  external entities) with a clear message.

Text that is not XML at all (``null``, ``[]``, a JSON report) is refused saying what was
expected.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import cast
from xml.etree.ElementTree import Element, ParseError, XMLPullParser, fromstring, iterparse
from xml.parsers.expat import version_info as expat_version

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as defused_fromstring
from defusedxml.ElementTree import iterparse as defused_iterparse

from phasebook.readers.base import (
    HEAD_BYTES,
    ReportError,
    described,
    head_start,
    head_text,
    read_text,
)

__all__ = ["Element", "iter_xml", "parse_xml"]

ANY_XML = "an XML document"

SAFE_EXPAT = (2, 4, 1)
"""The first expat with its own limits on entity amplification (billion laughs)."""
FAST = expat_version >= SAFE_EXPAT

_PLAIN_PROLOG = re.compile(
    rb"""\A(?:\xef\xbb\xbf)?                         # a UTF-8 byte-order mark
    (?:[ \t\r\n]                                    # white space,
    |<!--(?:(?!-->).)*-->                          # a comment,
    |<\?(?:(?!\?>).)*\?>                            # the XML declaration or a PI,
    |<!DOCTYPE[ \t\r\n](?:[^\[\]>"']|"[^"]*"|'[^']*')*>  # a DOCTYPE without [ ]
    )*
    <[A-Za-z_:]                                    # then the root's start tag
    """,
    re.DOTALL | re.VERBOSE,
)
"""A prolog in which no entity can be declared (there is no internal DTD subset). Each part
ends where the XML parser ends it (a comment at its first ``-->``, a DOCTYPE at the first
``>`` outside its quoted ids), so the pattern reads the prolog as expat does."""
_ENCODING = re.compile(rb"""\A(?:\xef\xbb\xbf)?<\?xml\s[^>]*?encoding\s*=\s*["']([^"']*)["']""")
_ASCII_ENCODINGS = frozenset(
    {b"utf-8", b"utf8", b"us-ascii", b"ascii", b"iso-8859-1", b"latin-1", b"latin1"}
)
"""Encodings expat reads natively in which the prolog's bytes are what they look like."""


def plain_prolog(head: bytes) -> bool:
    """Whether the C parser may read a document starting with ``head``: expat is recent
    enough, the prolog is complete in ``head``, declares no entity and has no internal DTD
    subset, and the encoding shows ASCII as ASCII (no UTF-16, no EBCDIC)."""
    if not FAST:
        return False
    if b"<!ENTITY" in head or _PLAIN_PROLOG.match(head) is None:
        return False
    declared = _ENCODING.match(head)
    return declared is None or declared.group(1).lower() in _ASCII_ENCODINGS


def parse_xml(path: Path, text: str | None = None, expected: str = ANY_XML) -> Element:
    """The root element of an XML report, parsed safely."""
    text = read_text(path) if text is None else text
    _refuse_if_not_xml(path, text, expected)
    document: str | bytes = text.encode("utf-8") if text.startswith("<?xml") else text
    head = document[:HEAD_BYTES]
    fast = plain_prolog(head if isinstance(head, bytes) else head.encode("utf-8"))
    try:  # S314: C ElementTree only behind plain_prolog (see the module docstring)
        root: Element = fromstring(document) if fast else defused_fromstring(document)  # noqa: S314
    except (DefusedXmlException, ParseError) as error:
        raise _refusal(path, error) from None
    return root


def iter_xml(path: Path, expected: str = ANY_XML) -> Iterator[tuple[str, Element]]:
    """``("start", root)``, then ``("end", element)`` for every element as its end tag is read.

    For large reports (a Cobertura file of 10,000 files): the caller clears each element it
    has read, so memory stays flat instead of holding the whole tree. The root comes first as
    its start tag reads (its attributes, no children yet).
    """
    if path.stat().st_size == 0:
        raise ReportError(path, "the report is empty (0 bytes); the tool wrote no output")
    _refuse_if_not_xml(path, head_text(path), expected)
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    try:
        root = _root_start(head) if plain_prolog(head) else None
        if root is None:
            yield from _defused_events(path)
            return
        yield "start", root
        yield from iterparse(str(path), events=("end",))  # noqa: S314 (a plain prolog)
    except (DefusedXmlException, ParseError) as error:
        raise _refusal(path, error) from None


def _root_start(head: bytes) -> Element | None:
    """The root as its start tag reads, parsed from the head alone; ``None`` when the head
    holds no start tag. (An error after the start tag is left to the whole parse.)"""
    parser: XMLPullParser[Element] = XMLPullParser(events=("start",))
    parser.feed(head)
    for event in parser.read_events():
        return cast(tuple[str, Element], event)[1]  # the first "start" event's element
    return None


def _defused_events(path: Path) -> Iterator[tuple[str, Element]]:
    """defusedxml's events in :func:`iter_xml`'s shape: the root's start, then every end."""
    events = defused_iterparse(str(path), events=("start", "end"))
    for event, element in events:
        yield event, element  # the root's start, the first event there is
        break
    for event, element in events:
        if event == "end":
            yield event, element


def _refuse_if_not_xml(path: Path, text: str, expected: str) -> None:
    """A report that does not start with ``<`` is no XML: say what it is and what was wanted."""
    start = head_start(text)
    if start and not start.startswith("<"):
        raise ReportError(path, f"is {described(start)}, not XML: expected {expected}")


def _refusal(path: Path, error: Exception) -> ReportError:
    """The one wording of "this XML cannot be read", for every way of parsing."""
    if isinstance(error, DefusedXmlException):
        kind = type(error).__name__
        why = "entity declarations are not allowed"
        return ReportError(path, f"refused unsafe XML ({kind}): {why}")
    assert isinstance(error, ParseError)
    line, column = error.position
    truncated = "no element found" in str(error) or "unclosed token" in str(error)
    hint = " (truncated report?)" if truncated else ""
    return ReportError(path, f"invalid XML at line {line} column {column}: {error}{hint}")

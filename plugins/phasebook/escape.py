"""Escaping for every place text from YAML or a report can land.

Markdown has no autoescape, so each template picks the filter for where the value lands. All of
them turn ``{`` and ``}`` into HTML entities so no Jinja engine (mkdocs-macros) ever sees a
``{{`` or ``{%`` coming from data.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

_BRACES = str.maketrans({"{": "&#123;", "}": "&#125;"})
# Markdown (and pymdownx) syntax characters, as numeric entities: unlike backslash escapes,
# entities work for every character whatever extensions a site enables, and inside tables.
_MD_ENTITIES = str.maketrans({ch: f"&#{ord(ch)};" for ch in "&<>\"'\\`*_[]#|~^=$:!+-{}"})
# ``|`` too: HTML often sits inside a markdown table cell, where a raw pipe splits the cell.
_HTML_ENTITIES = str.maketrans({ch: f"&#{ord(ch)};" for ch in "&<>\"'{}|"})
# C0 controls (Python-Markdown uses \x02 and \x03 as its own placeholders) are dropped.
_CONTROLS = dict.fromkeys(ch for ch in range(32) if chr(ch) not in "\t\n\r")
_LIST_NUMBER = re.compile(r"^(\d+)([.)])")
_CODE = re.compile(r"(`+)(.+?)\1|^(?:```|~~~).*?^(?:```|~~~)\s*$", re.DOTALL | re.MULTILINE)
_MERMAID = str.maketrans(
    {
        ":": "\ua789",  # modifier letter colon: looks like ':' but is not Mermaid syntax
        "#": "\uff03",
        ";": "\uff1b",
        "%": "\uff05",
        "<": "\u2039",
        ">": "\u203a",
        "\n": " ",
        "\r": " ",
        "\t": " ",
        '"': "\u201d",
        "`": "\u2018",
        "{": "(",
        "}": ")",
    }
)
# Mermaid's lexer is JavaScript, where ``\b`` is ASCII-only ("Ganttä" starts with the keyword
# there), so the word end is spelt out instead of Python's Unicode-aware ``\b``.
_MERMAID_KEYWORDS = re.compile(
    r"^(?:(?:title|section|dateformat|axisformat|tickinterval|excludes|includes|todaymarker|"
    r"weekday|weekend|inclusiveenddates|topaxis|click|call|href|acctitle|accdescr|"
    r"accdescription|displaymode|gantt|vert)(?![A-Za-z0-9_])|[0-9]{4}-[0-9]{2}-[0-9]{2})",
    re.IGNORECASE,
)
# Where a link or image target starts, and a reference definition; a refused target loses its
# markup (however its label nests) and shows as text.
_LINK_TARGET = re.compile(r"\]\(\s*(<[^>\n]*>|[^\s)]*)")
_REFERENCE_DEFINITION = re.compile(r"^( {0,3})\[([^\[\]]*)\]:[ \t]*\n?[ \t]*(\S*)", re.MULTILINE)
_PIPE_AFTER_BACKSLASHES = re.compile(r"(\\*)\|")


def html_text(value: object) -> str:
    """Text for HTML content or a quoted attribute value."""
    return str(value).translate(_HTML_ENTITIES)


def inline(value: object) -> str:
    """Plain text shown literally inside markdown: no markup, no HTML, one line."""
    text = " ".join(str(value).translate(_CONTROLS).split())
    text = text.translate(_MD_ENTITIES)
    return _LIST_NUMBER.sub(lambda m: f"{m.group(1)}&#{ord(m.group(2))};", text)


def cell(value: object) -> str:
    """Plain text for a markdown table cell: literal, pipes escaped, one line."""
    text = "" if value is None else inline(value)
    return text or "—"


def markdown(value: object) -> str:
    """A writer's markdown field: markup kept, raw HTML shown as text, no Jinja."""
    text = str(value).translate(_CONTROLS)
    pieces: list[str] = []
    last = 0
    for match in _CODE.finditer(text):
        pieces.append(_escape_outside_code(text[last : match.start()]))
        pieces.append(match.group(0))
        last = match.end()
    pieces.append(_escape_outside_code(text[last:]))
    return "".join(pieces)


def _escape_outside_code(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").translate(_BRACES)
    text = _LINK_TARGET.sub(_unsafe_target_to_text, text)
    return _REFERENCE_DEFINITION.sub(_unsafe_definition_to_text, text)


def _allowed_target(raw: str) -> bool:
    # Entities first: ``<`` is already ``&lt;`` here, and ``<javascript:…>`` is a target too.
    target = html.unescape(raw).strip()
    return safe_url(target.removeprefix("<").removesuffix(">")) is not None


def _unsafe_target_to_text(match: re.Match[str]) -> str:
    """``](`` before a refused URL becomes text, so no link or image is made of it."""
    if _allowed_target(match.group(1)):
        return match.group(0)
    return "]&#40;" + match.group(0)[2:]


def _unsafe_definition_to_text(match: re.Match[str]) -> str:
    """A reference definition with a refused URL stops being one (its ``[`` is escaped)."""
    if _allowed_target(match.group(3)):
        return match.group(0)
    return match.group(1) + "&#91;" + match.group(0)[len(match.group(1)) + 1 :]


def markdown_item(value: object) -> str:
    """A markdown field as a list item: continuation lines indented under the bullet."""
    return "\n    ".join(markdown(value).strip().splitlines())


def anchor(value: object) -> str:
    """An id fit for an HTML anchor: lower-case letters, digits and dashes only."""
    return re.sub(r"[^a-z0-9]+", "-", str(value).lower()).strip("-") or "item"


def code(value: object) -> str:
    """Literal text as inline HTML code (entities work there, unlike markdown code spans)."""
    return f"<code>{html_text(value)}</code>"


def artifact(value: object) -> str:
    """A deliverable's artifact: a link when it is an http(s) URL, else the path as code."""
    target = safe_url(value)
    if target is not None and target.startswith(("http://", "https://")):
        return link(target, target)
    return code(value)


def markdown_cell(value: object) -> str:
    """A markdown field inside a table cell: markup kept, one line, pipes escaped."""
    if value in (None, ""):
        return "—"
    text = markdown(value)
    return "<br>".join(
        _PIPE_AFTER_BACKSLASHES.sub(_escaped_pipe, line) for line in text.strip().splitlines()
    )


def _escaped_pipe(match: re.Match[str]) -> str:
    """A pipe the table reads as text: after an odd run of backslashes it already is."""
    slashes = match.group(1)
    return match.group(0) if len(slashes) % 2 else f"{slashes}\\|"


def mermaid_label(value: object) -> str:
    """Text for a Mermaid label: no character that Mermaid would read as syntax."""
    text = " ".join(str(value).translate(_MERMAID).split())
    if _MERMAID_KEYWORDS.match(text):
        text = "\u00b7 " + text
    return text or "\u00b7"


def safe_url(value: object) -> str | None:
    """The URL if it is http(s) or relative, else ``None`` (``javascript:`` and friends)."""
    text = str(value).strip()
    if not text or any(ord(ch) < 32 for ch in text):
        return None
    if text.replace("\\", "/").startswith("//"):  # browsers read \\host and /\host as //host
        return None
    parts = urlsplit(text)
    if parts.scheme in ("http", "https") and parts.netloc:
        return text
    if not parts.scheme and not text.startswith("//"):
        return text
    return None


def link(title: object, url: object) -> str:
    """A markdown-safe HTML link, or the title as text when the URL is not allowed."""
    target = safe_url(url)
    if target is None:
        return inline(title)
    return f'<a href="{html_text(target)}">{html_text(title)}</a>'

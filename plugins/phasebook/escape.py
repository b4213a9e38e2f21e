"""Escaping for every place text from YAML or a report can land.

One rule for text: :func:`text` makes a value literal wherever Phasebook puts it, in HTML
content, in a quoted attribute, and in Markdown around it. It is the templates' autoescape, so a
template cannot forget it. Every character that HTML, Markdown, pymdownx, Jinja (mkdocs-macros)
or Python-Markdown's own placeholders could read as syntax becomes a numeric entity, data never
starts a new line of the page (newlines become ``&#10;``), C0 controls are dropped and bidi
controls are shown as ``<U+202E>`` so they cannot reorder what a reader sees.

Mermaid text has its own escape (:func:`mermaid_label`), and so do the GitHub-flavoured Markdown
files and Slack messages the CLI writes (``gfm_*``, ``slack_*``); URLs pass :func:`safe_url` or
are not links at all. Writers' Markdown is rendered and sanitized in :mod:`phasebook.render.prose`.
"""

from __future__ import annotations

import re

from markupsafe import Markup

from phasebook.urls import BIDI_CONTROLS, safe_url

_VISIBLE_BIDI = {code: f"<U+{code:04X}>" for code in BIDI_CONTROLS}
# C0 controls (Python-Markdown uses \x02 and \x03 as its own placeholders) are dropped.
_CONTROLS = dict.fromkeys(ch for ch in range(32) if chr(ch) not in "\t\n\r")
# HTML's five, Markdown's and pymdownx's syntax characters, and Jinja's braces, as numeric
# entities: entities are literal in HTML, in attributes, in Markdown text and in tables.
_SYNTAX = "&<>\"'\\`*_[]#|~^=$:!{}"
_TEXT_TABLE = {
    **_CONTROLS,
    **{ord(ch): f"&#{ord(ch)};" for ch in _SYNTAX},
    **{code: f"&lt;U+{code:04X}&gt;" for code in BIDI_CONTROLS},
    ord("\n"): "&#10;",
    ord("\r"): "&#13;",
    ord("\t"): "&#9;",
}
# What starts a Markdown block when a value opens a line: a list number, a bullet, an indent.
_LINE_START = re.compile(r"^(?:(\d+)\.|([-+]|\x20(?=\x20{3})))")
_MERMAID = str.maketrans(
    {
        ":": "\ua789",  # modifier letter colon: looks like ':' but is not Mermaid syntax
        "#": "\uff03",
        ";": "\uff1b",
        "%": "\uff05",
        "<": "\u2039",
        ">": "\u203a",
        "&": " and ",  # the full-width ＆ is missing from many fonts (a box on the chart)
        "\n": " ",
        "\r": " ",
        "\t": " ",
        '"': "\u201d",
        "`": "\u2018",
        "{": "(",
        "}": ")",
        **_CONTROLS,
        **{code: f"\u2039U+{code:04X}\u203a" for code in BIDI_CONTROLS},
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


def trusted(markup: str) -> Markup:
    """Markup that Phasebook made itself (its tags around escaped text, Mermaid, sanitized
    HTML): the one place where a string is declared safe, so every such place is findable."""
    return Markup(markup)  # noqa: S704 - the trust boundary: callers pass only their own markup


def text(value: object) -> Markup:
    """Any value as literal text for HTML, an attribute or Markdown (the templates' autoescape)."""
    if isinstance(value, Markup):
        return value
    if isinstance(value, bool) or value is None:
        return trusted(str(value))
    if isinstance(value, int | float):
        return trusted(str(value))
    return trusted(literal(str(value)))


_BLOCK_STARTERS = frozenset("0123456789-+ ")
"""The first characters :data:`_LINE_START` can match: the regex runs only after one."""


def literal(value: str) -> str:
    """:func:`text` of a string, as a plain ``str``: for rows made by the thousand (a report's
    details), where a :class:`~markupsafe.Markup` per cell costs more than the escaping."""
    escaped = value.translate(_TEXT_TABLE)
    if escaped[:1] in _BLOCK_STARTERS:
        return _LINE_START.sub(_line_start, escaped, count=1)
    return escaped


def literal_cell(value: str | None) -> str:
    """:func:`cell` of a string or ``None``, as a plain ``str`` (see :func:`literal`)."""
    if value is None or not value.strip():
        return "—"
    shown = literal(value)
    return shown if shown.strip() else "—"


def _line_start(match: re.Match[str]) -> str:
    if match.group(1) is not None:
        return f"{match.group(1)}&#46;"
    return f"&#{ord(match.group(2))};"


def visible_bidi(value: str) -> str:
    """Bidi controls replaced by their names, for text that is escaped later."""
    return value.translate(_VISIBLE_BIDI)


def cell(value: object) -> Markup:
    """Literal text for a table cell; an empty value (or one of controls only) is a dash."""
    shown = text(value) if value is not None and str(value).strip() else trusted("")
    return shown if shown.strip() else trusted("—")


def anchor(value: object) -> Markup:
    """An id fit for an HTML anchor: lower-case letters, digits and dashes only."""
    return trusted(re.sub(r"[^a-z0-9]+", "-", str(value).lower()).strip("-") or "item")


def code(value: object) -> Markup:
    """Literal text as inline code."""
    return trusted("<code>") + text(value) + trusted("</code>")


def artifact(value: object) -> Markup:
    """A deliverable's artifact: a link when it is an http(s) URL, else the path as code."""
    target = safe_url(value)
    if target is not None and target.startswith(("http://", "https://")):
        return link(target, target)
    return code(value)


def mermaid_label(value: object) -> Markup:
    """Text for a Mermaid label: no character that Mermaid would read as syntax."""
    label = " ".join(str(value).translate(_MERMAID).split())
    if _MERMAID_KEYWORDS.match(label):
        label = "\u00b7 " + label
    return trusted(label or "\u00b7")


def link(title: object, url: object) -> Markup:
    """An HTML link, or the title as text when the URL is not allowed."""
    target = safe_url(url)
    if target is None:
        return text(title)
    return trusted('<a href="') + text(target) + trusted('">') + text(title) + trusted("</a>")


# GitHub-flavoured Markdown files (`phasebook export`, `phasebook digest`) are read raw in diffs
# too, so syntax characters are backslash-escaped (GFM takes any ASCII punctuation so) rather
# than made entities. A newline never reaches a new line of the file. github.com also links an
# e-mail address, www. and scheme:// on its own; its e-mail autolink runs on the decoded text,
# so no escape stops it: an empty HTML comment after the "@" (dropped on display) does.
_GFM_TABLE = {
    **_CONTROLS,
    **{ord(ch): f"\\{ch}" for ch in "\\`*_[]<>|~$#&:"},
    **{code: f"\\<U+{code:04X}\\>" for code in BIDI_CONTROLS},
    ord("@"): "@<!---->",
    ord("\n"): "&#10;",
    ord("\r"): "&#13;",
    ord("\t"): "&#9;",
}
# What starts a block when a value opens a line: a list number, a bullet, a setext underline,
# an indent ("#", ">" and fences are escaped everywhere already).
_GFM_LINE_START = re.compile(r"^(?:(\d+)([.)])|([-+=])|\x20(?=\x20{3}))")
_GFM_WWW = re.compile(r"(?i)(?<=www)\.")
_FLAT = {**_CONTROLS, ord("\n"): " ", ord("\r"): " ", ord("\t"): " "}


def gfm_text(value: object) -> Markup:
    """Literal text anywhere in a GitHub-flavoured Markdown file (paragraph, list item,
    heading, table cell): never markup, never a link, always one line."""
    if isinstance(value, Markup):
        return value
    if isinstance(value, bool | int | float) or value is None:
        return trusted(str(value))
    escaped = _GFM_WWW.sub("\\.", str(value).translate(_GFM_TABLE))
    return trusted(_GFM_LINE_START.sub(_gfm_line_start, escaped, count=1))


def _gfm_line_start(match: re.Match[str]) -> str:
    if match.group(1) is not None:
        return f"{match.group(1)}\\{match.group(2)}"
    if match.group(3) is not None:
        return f"\\{match.group(3)}"
    return "&#32;"


def gfm_cell(value: object) -> Markup:
    """:func:`gfm_text` for a table cell; an empty value (or one of controls only) is a dash."""
    shown = gfm_text(value) if value is not None and str(value).strip() else trusted("")
    return shown if shown.strip() else trusted("—")


def gfm_code(value: object, in_table: bool = False) -> Markup:
    """Literal text as a GFM code span, on one line: its fence is longer than any run of
    backticks in it, and in a table cell its pipes are escaped (GFM splits cells first)."""
    flat = visible_bidi(str(value)).translate(_FLAT)
    if not flat.strip():
        return trusted("—")
    fence = "`" * (max((len(run) for run in re.findall(r"`+", flat)), default=0) + 1)
    if flat[0] in "` " or flat[-1] in "` ":
        flat = f" {flat} "
    if in_table:
        flat = flat.replace("|", "\\|")
    return trusted(f"{fence}{flat}{fence}")


def gfm_url(value: object) -> str | None:
    """A URL fit for a GFM link's destination, or ``None`` when :func:`safe_url` refuses it:
    spaces percent-encoded, and the characters a destination reads as syntax backslashed."""
    target = safe_url(value)
    if target is None:
        return None
    return re.sub(r"([\\()<>&`])", r"\\\1", target.replace(" ", "%20"))


_SLACK = {**_FLAT, ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;"}


def slack_text(value: object) -> str:
    """Text for a Slack mrkdwn message, on one line: ``&``, ``<`` and ``>`` escaped as Slack
    asks, so no ``<!channel>``, ``<@user>`` or ``<url|link>`` can be made from data."""
    return visible_bidi(str(value)).translate(_SLACK)


def slack_code(value: object) -> str:
    """Report text for Slack as inline code, where Slack applies no bold, italics or links;
    a backtick (which would close it) is shown as ``ˋ``."""
    flat = slack_text(value).replace("`", "\u02cb").strip()
    return f"`{flat}`" if flat else "—"


__all__ = [
    "BIDI_CONTROLS",
    "anchor",
    "artifact",
    "cell",
    "code",
    "gfm_cell",
    "gfm_code",
    "gfm_text",
    "gfm_url",
    "link",
    "mermaid_label",
    "safe_url",
    "slack_code",
    "slack_text",
    "text",
    "trusted",
    "visible_bidi",
]

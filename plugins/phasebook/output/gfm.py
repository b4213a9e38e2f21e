"""Writers' Markdown fields (brief, rationale, handoff text …) for a GitHub-flavoured file.

On the site a field is rendered on its own and sanitized (:mod:`phasebook.render.prose`). In an
exported ``.md`` file it stays Markdown, so that it reads as written on github.com and in a diff,
with the same limits: no raw HTML (``<`` is shown as text), no link to a URL that
:func:`~phasebook.urls.safe_url` refuses, no fence left open to swallow the rest of the file,
no control characters, bidi controls shown by name. Code (fenced or inline) is left as written:
it is literal there already.
"""

from __future__ import annotations

import html
import re

from markupsafe import Markup

from phasebook.escape import trusted, visible_bidi
from phasebook.urls import safe_url

_CONTROLS = dict.fromkeys(ch for ch in range(32) if chr(ch) not in "\t\n")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CLOSER = re.compile(r"^ {0,3}(`{3,}|~{3,})[ \t]*$")
_CODE_SPAN = re.compile(r"(`+)(?:.+?)(?<!`)\1(?!`)", re.DOTALL)
_INLINE_LINK = re.compile(r"\]\(\s*<?([^\s)>]*)")
_BACKSLASHED = re.compile(r"\\([!-/:-@\[-`{-~])")
_DEFINITION = re.compile(r"^( {0,3})\[([^\]]+)\]:\s*<?(\S*?)>?(?=\s|$)", re.MULTILINE)


def prose(source: object) -> Markup:
    """A Markdown field as a block of the file (blank lines around it in the template)."""
    if source is None or not str(source).strip():
        return trusted("")
    text = visible_bidi(str(source).replace("\r\n", "\n").replace("\r", "\n"))
    return trusted(_guard(text.translate(_CONTROLS)).strip("\n"))


def prose_item(source: object) -> Markup:
    """A Markdown field as a list item's text: later lines indented under the bullet."""
    block = str(prose(source))
    if not block:
        return trusted("—")
    return trusted("\n".join(f"  {line}" if line else "" for line in block.split("\n")).lstrip())


def prose_cell(source: object) -> Markup:
    """A Markdown field inside a table cell: one line, lines joined by ``<br>``, pipes
    escaped (GFM splits a row into cells before it reads anything else). A fence cannot open
    in a cell, so no line is code here but inline code."""
    if source is None or not str(source).strip():
        return trusted("—")
    text = visible_bidi(str(source).replace("\r\n", "\n").replace("\r", "\n"))
    lines = [line.strip() for line in _inline(text.translate(_CONTROLS)).split("\n")]
    return trusted("<br>".join(line for line in lines if line).replace("|", "\\|"))


def _guard(text: str) -> str:
    """Fenced code kept (an open fence closed at the end); everything else :func:`_inline`."""
    out: list[str] = []
    pending: list[str] = []
    fence = ""
    for line in text.split("\n"):
        opener = _FENCE.match(line)
        if fence:
            out.append(line)
            if _CLOSER.match(line) and line.strip().startswith(fence):
                fence = ""
        elif opener:
            if pending:
                out.append(_inline("\n".join(pending)))
            pending = []
            fence = opener.group(1)
            out.append(line)
        else:
            pending.append(line)
    if pending:
        out.append(_inline("\n".join(pending)))
    if fence:
        out.append(fence)
    return "\n".join(out)


def _inline(text: str) -> str:
    """Code spans kept as written; around them no raw HTML and no link to a refused URL."""
    parts, last = [], 0
    for span in _CODE_SPAN.finditer(text):
        parts.append(_plain(text[last : span.start()]))
        parts.append(span.group(0))
        last = span.end()
    parts.append(_plain(text[last:]))
    return "".join(parts)


def _plain(text: str) -> str:
    text = text.replace("<", "&lt;")
    text = _INLINE_LINK.sub(_inline_link, text)
    return _DEFINITION.sub(_definition, text)


def _allowed(destination: str) -> bool:
    """Whether a link destination is allowed once GFM has read it: backslash escapes and
    entities resolved first (``javascript&#58;`` is ``javascript:`` to a renderer)."""
    return safe_url(html.unescape(_BACKSLASHED.sub(r"\1", destination))) is not None


def _inline_link(match: re.Match[str]) -> str:
    """``](url`` stays a link only for an allowed URL; else the bracket is shown as text."""
    if _allowed(match.group(1)):
        return match.group(0)
    return "]&#40;" + match.group(0)[2:]


def _definition(match: re.Match[str]) -> str:
    """A link reference definition with a refused URL is shown as text, defining nothing."""
    if _allowed(match.group(3)):
        return match.group(0)
    return f"{match.group(1)}&#91;{match.group(0)[len(match.group(1)) + 1 :]}"

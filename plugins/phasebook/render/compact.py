"""Material's navigation without its template's indentation.

Material's nav templates indent every level and leave a blank line per Jinja tag: more than
half of a nav's bytes are whitespace between tags, and every page carries the nav. The
browser folds such a run to one space (or to nothing between block boxes), so folding it
first changes nothing it renders but the page's weight. Only whitespace that stands alone
between two tags is folded, only inside Material's ``<nav class="md-nav …">`` (those before
the page's content), and never inside an element whose whitespace may matter (``<pre>``,
``<code>``, ``<textarea>``, ``<script>`` …).
"""

from __future__ import annotations

import re

_NAV_START = re.compile(r"""<nav\s[^>]*?\bclass\s*=\s*["']?md-nav[\s"'>]""", re.IGNORECASE)
_TOKEN = re.compile(
    r"""
      (?P<comment><!--.*?-->)
    | (?P<tag></?(?P<name>[A-Za-z][A-Za-z0-9-]*)(?:[^>"']|"[^"]*"|'[^']*')*>)
    | (?P<text>[^<]+|<)
    """,
    re.DOTALL | re.VERBOSE,
)
_CONTENT = '<div class="md-content"'
"""Where Material starts a page's content: its navs all come before, a writer's HTML after."""
_KEEP_WHITESPACE = frozenset({"pre", "code", "kbd", "samp", "textarea", "script", "style"})
"""Elements whose inner whitespace may be shown or run as it is."""
_RAW_TEXT = frozenset({"script", "style", "textarea", "title"})
"""Elements whose content is not markup: copied up to their end tag unread."""


def compact_nav(html: str) -> str:
    """``html`` with each run of whitespace between two tags of its Material navs folded.

    A run becomes one newline when it holds one, else one space, so the page renders the
    same; text, attributes and the protected elements are left byte for byte, and so is
    everything from the content on. A nav that never closes is left as it is.
    """
    out: list[str] = []
    done = 0
    content = html.find(_CONTENT)
    navs_end = content if content >= 0 else len(html)
    while (start := _NAV_START.search(html, done, navs_end)) is not None:
        folded = _fold_nav(html, start.start())
        if folded is None:
            break
        end, text = folded
        out += [html[done : start.start()], text]
        done = end
    out.append(html[done:])
    return "".join(out)


def _fold_nav(html: str, start: int) -> tuple[int, str] | None:
    """Where the nav opening at ``start`` closes, and its folded text (None: it never does)."""
    parts: list[str] = []
    kept: list[str] = []
    depth = 0
    position = start
    after_tag = False
    blank: str | None = None  # whitespace right after a tag: folded if a tag comes next
    while (token := _TOKEN.match(html, position)) is not None:
        text = token.group()
        position = token.end()
        if token.group("text") is not None:
            if blank is not None:
                parts.append(blank)
            blank = text if after_tag and not kept and not text.strip() else None
            after_tag = False
            if blank is None:
                parts.append(text)
            continue
        if blank is not None:
            parts.append("\n" if "\n" in blank else " ")
            blank = None
        after_tag = True
        parts.append(text)
        name = (token.group("name") or "").lower()
        closing = text.startswith("</")
        if name in _RAW_TEXT and not closing:
            end = _raw_text_end(html, name, position)
            parts.append(html[position:end])
            position = end
        elif name in _KEEP_WHITESPACE:
            _track(kept, name, closing)
        elif name == "nav":
            depth += -1 if closing else 1
            if depth == 0:
                return position, "".join(parts)
    return None


def _raw_text_end(html: str, name: str, position: int) -> int:
    """Where the raw text of a ``<script>`` (…) that starts at ``position`` ends."""
    end = re.compile(rf"</{name}[\s/>]", re.IGNORECASE).search(html, position)
    return end.start() if end else len(html)


def _track(kept: list[str], name: str, closing: bool) -> None:
    """Open and close the protected elements we are inside."""
    if not closing:
        kept.append(name)
    elif name in kept:
        del kept[len(kept) - 1 - kept[::-1].index(name) :]

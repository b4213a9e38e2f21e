"""Writers' Markdown fields (brief, rationale, handoff text …) as sanitized HTML.

A field is rendered on its own by Python-Markdown, then the HTML goes through ``nh3`` (Rust's
ammonia) with an allow-list of the tags and attributes Markdown and pymdownx produce. The result
is balanced HTML that enters the page as an HTML block the page's Markdown does not parse, so an
unclosed fence, a stray ``<details>`` or a link definition in one field cannot reach outside it.
Links may be http, https, mailto or relative; images only come from the site itself.
"""

from __future__ import annotations

import functools
from urllib.parse import urlsplit

import markdown
import nh3
from markupsafe import Markup

from phasebook.escape import BIDI_CONTROLS, safe_url, trusted

_EXTENSIONS = (
    "tables",
    "admonition",
    "sane_lists",
    "pymdownx.details",
    "pymdownx.superfences",
    "pymdownx.tasklist",
    "pymdownx.tilde",
)
_EXTENSION_CONFIGS = {
    "pymdownx.tasklist": {"custom_checkbox": True},
    "pymdownx.highlight": {"use_pygments": False},
}
ALLOWED_TAGS = {
    *("p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "code"),
    *("em", "strong", "del", "s", "ins", "sub", "sup", "mark", "kbd", "abbr", "span"),
    *("ul", "ol", "li", "dl", "dt", "dd", "a", "img", "div", "details", "summary"),
    *("table", "thead", "tbody", "tr", "th", "td", "label", "input"),
}
_ADMONITIONS = {
    *("note", "abstract", "summary", "tldr", "info", "todo", "tip", "hint", "important"),
    *("success", "check", "done", "question", "help", "faq", "warning", "caution"),
    *("attention", "failure", "fail", "missing", "danger", "error", "bug", "example", "quote"),
    "cite",
    "admonition",
}
_CLASSES = {
    "div": _ADMONITIONS,
    "details": _ADMONITIONS,
    "p": {"admonition-title"},
    "ul": {"task-list"},
    "li": {"task-list-item"},
    "label": {"task-list-control"},
    "span": {"task-list-indicator"},
    "pre": {"highlight"},
}
_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
    "th": {"style"},
    "td": {"style"},
    "abbr": {"title"},
    "details": {"open"},
    "input": {"disabled", "checked"},
}
# Characters that a preprocessor of the surrounding page could still read in an HTML block
# (fences, Jinja), as entities; they never appear in tag syntax, so this changes no markup.
_AFTER = {
    ord("`"): "&#96;",
    ord("~"): "&#126;",
    ord("{"): "&#123;",
    ord("}"): "&#125;",
    **{code: f"&lt;U+{code:04X}&gt;" for code in BIDI_CONTROLS},
}
_BEFORE = dict.fromkeys(ch for ch in range(32) if chr(ch) not in "\t\n\r")


def _keep_attribute(tag: str, name: str, value: str) -> str | None:
    """Links only to allowed URLs; images only from this site (no scheme, no host)."""
    if name in ("href", "src"):
        target = safe_url(value)
        if target is None:
            return None
        if tag == "img" and urlsplit(target).scheme:
            return None
        return target
    return value


@functools.cache
def _cleaner() -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=ALLOWED_TAGS,
        attributes=_ATTRIBUTES,
        attribute_filter=_keep_attribute,
        url_schemes={"http", "https", "mailto"},
        allowed_classes=_CLASSES,
        filter_style_properties={"text-align"},
        tag_attribute_values={"input": {"type": {"checkbox"}}},
    )


@functools.cache
def _markdown() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=list(_EXTENSIONS), extension_configs=_EXTENSION_CONFIGS, output_format="html"
    )


def to_html(source: object) -> str:
    """A writer's Markdown as sanitized HTML (no wrapper)."""
    converter = _markdown()
    converter.reset()
    rendered = converter.convert(str(source).translate(_BEFORE))
    return _cleaner().clean(rendered).translate(_AFTER).strip()


def block(source: object) -> Markup:
    """A Markdown field as an HTML block of its own (blank lines around it in the template)."""
    if source is None or str(source).strip() == "":
        return trusted("")
    return trusted(f'<div class="pb-prose">{to_html(source)}</div>')


def inline(source: object) -> Markup:
    """A Markdown field inside an HTML element (a cell, a list item): one paragraph unwrapped."""
    if source is None or str(source).strip() == "":
        return trusted("—")
    rendered = to_html(source)
    if rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
        return trusted(rendered[3:-4])
    return trusted(f'<div class="pb-prose">{rendered}</div>')

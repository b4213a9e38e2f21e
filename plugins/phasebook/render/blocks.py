"""Big tables that skip Markdown: set aside before conversion, put back in the HTML after.

A report's details page is a thousand rows of HTML that Python-Markdown would parse tag by tag
(its raw-HTML and ``md_in_html`` passes cost most of a large build) only to write it out
unchanged. The tables are Phasebook's own HTML, every cell already escaped by the rendering
route (``<`` in report text is an entity), so a comment placeholder stands in for each during
conversion. Report text cannot forge one (its ``<`` is an entity), nor can a writer's page
that a generated body is appended to: each build marks its placeholders with a random nonce.

The rows of those tables can come later still (:func:`late_marker`): a marker in the table
stands for rows made only when the page is written, so that a hundred thousand findings are
never all in memory as HTML at once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

TABLE = re.compile(r'<div class="pb-table[^"<>]*"><table>.*?</table></div>', re.DOTALL)


def _placeholder(nonce: str, index: int) -> str:
    return f"<!--pb-block-{nonce}-{index}-->"


def set_aside(markdown: str, nonce: str) -> tuple[str, tuple[str, ...]]:
    """The markdown with each generated table replaced by a placeholder, and the tables."""
    blocks: list[str] = []

    def keep(match: re.Match[str]) -> str:
        blocks.append(match.group(0))
        return _placeholder(nonce, len(blocks) - 1)

    return TABLE.sub(keep, markdown), tuple(blocks)


def put_back(html: str, nonce: str, blocks: tuple[str, ...]) -> str:
    """The converted page with its tables in place again."""
    for index, block in enumerate(blocks):
        html = html.replace(_placeholder(nonce, index), block, 1)
    return html


LateRows = Callable[[], str]
"""Rows made when the page is written: HTML that Phasebook makes, every value escaped."""


def late_marker(nonce: str, index: int) -> str:
    """What stands for a page's ``index``-th late rows until :func:`fill_late` makes them."""
    return f"<!--pb-late-{nonce}-{index}-->"


def fill_late(html: str, nonce: str, late: Sequence[LateRows]) -> str:
    """The page with each late marker replaced by its rows, made now."""
    for index, make in enumerate(late):
        before, marker, after = html.partition(late_marker(nonce, index))
        if marker:
            html = f"{before}{make()}{after}"
    return html

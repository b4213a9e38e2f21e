"""The site ``mkdocs serve`` shows while the programme data cannot be used.

A build stops on such data; a served site keeps serving instead, so the writer sees what is
wrong where they look: the list of problems on the home page, on a page of its own, and on each
page the last good build generated (so an open page reloads into the list, not a 404), until
the data loads again. The list is rendered by ``problems.md.j2``, every problem escaped as text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from phasebook.render.pages import GeneratedPage, environment

PROBLEMS_URI = "phasebook-problems.md"
"""The page that lists the problems (``/phasebook-problems/``), only while there are some."""

COMES_BACK = "This page comes back once the programme data loads again."


def problems_block(problems: Sequence[str], templates_dir: Path | None = None) -> str:
    """The problems as an HTML block (a Material "failure" admonition), for any page."""
    template = environment(templates_dir).get_template("problems.md.j2")
    return template.render(problems=list(problems))


def outline(pages: Iterable[GeneratedPage]) -> tuple[GeneratedPage, ...]:
    """What a stand-in needs of each page (address, titles, source), without its body: kept
    from a good build without holding on to its pages."""
    return tuple(
        GeneratedPage(page.uri, page.title, page.heading, "", page.source) for page in pages
    )


def problem_pages(
    block: str, previous: Iterable[GeneratedPage], source: Path
) -> list[GeneratedPage]:
    """The home page and the problems page, then a stand-in for each page of the last good
    build (out of the nav), all showing ``block``; ``source`` is where their edit links go."""
    pages = {
        "index.md": GeneratedPage(
            "index.md", "Home", "The programme data has problems", block, source
        ),
        PROBLEMS_URI: GeneratedPage(
            PROBLEMS_URI, "Problems", "Problems in the programme data", block, source
        ),
    }
    for page in previous:  # a new page, not a copy: nothing of the old body comes along
        pages.setdefault(
            page.uri,
            GeneratedPage(
                page.uri, page.title, page.heading, f"{block}\n\n{COMES_BACK}\n", page.source,
                in_nav=False,
            ),
        )
    return list(pages.values())


__all__ = ["PROBLEMS_URI", "outline", "problem_pages", "problems_block"]

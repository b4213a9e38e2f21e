"""A writer's macro mistake as one located line: ``page:line:col: what (how to fix)``.

mkdocs-macros reports a failing page with a Python traceback, and an unknown name as Jinja's
"'phasebok' is undefined". :mod:`phasebook.macros` hands these functions the error, the page's
markdown and its source file; they say which name is unknown, where it is written in the source
file (front matter and text Phasebook puts around the page included), and which known name was
probably meant. No MkDocs here: the macros module does the wiring.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from pathlib import Path

from jinja2 import TemplateSyntaxError, UndefinedError

from phasebook.errors import PhasebookError

_UNDEFINED = re.compile(r"^'(?P<name>[^']+)' is undefined$")
_NO_ATTRIBUTE = re.compile(r"^(?P<owner>.+) has no (?:attribute|element) (?P<name>.+)$")
_SHOWN = 60  # characters of a writer's value quoted back


class MacroProblem(PhasebookError):
    """A call of one of Phasebook's macros that cannot be answered: what is wrong, and how to
    call it instead."""

    def __init__(self, message: str, hint: str, name: str | None = None) -> None:
        self.message = message
        self.hint = hint
        self.name = name  # the macro's name, to find the call's column
        super().__init__(f"{message} ({hint})")


def code(text: object) -> str:
    """A writer's text as an inline code span on one line: literal in the page and in the log
    (a code span has no markup and no HTML; backticks inside would end it)."""
    flat = " ".join(str(text).replace("`", "'").split())
    return f"`{flat if len(flat) <= _SHOWN else flat[: _SHOWN - 1] + '…'}`"


def located(
    error: Exception,
    markdown: str,
    source_file: Path | None,
    label: str,
    known: list[str],
) -> str:
    """The one line for ``error`` raised while rendering ``markdown``, the page's text as
    mkdocs-macros renders it; ``source_file`` is the writer's file, ``label`` its name, and
    ``known`` the names a page may use (see :func:`known_names`)."""
    line = _template_line(error)
    what, hint, needle = _explain(error, known)
    where = label
    if line is not None:
        source_line, column = _source_position(markdown, source_file, line, needle)
        where += f":{source_line}" + (f":{column}" if column else "")
    return f"{where}: {what} ({hint})"


def known_names(macros: Iterable[str], variables: Iterable[str]) -> list[str]:
    """The names a page may use, macros first (private ones left out)."""
    names = sorted(name for name in macros if not name.startswith("_"))
    return names + sorted({n for n in variables if not n.startswith("_")} - set(names))


def _explain(error: Exception, known: list[str]) -> tuple[str, str, str | None]:
    """What went wrong, how to fix it, and the text to look for in the line (for a column)."""
    if isinstance(error, MacroProblem):
        return error.message, error.hint, error.name
    if isinstance(error, TemplateSyntaxError):
        return (
            f"Jinja syntax error: {error.message}",
            "check the braces; to show `{{` or `{%` as text, wrap it in {% raw %} … "
            "{% endraw %}",
            None,
        )
    message = str(error)
    undefined = _UNDEFINED.match(message)
    if undefined:
        name = undefined["name"]
        return f"{code(name)} is not a macro or variable", _did_you_mean(name, known), name
    attribute = _NO_ATTRIBUTE.match(message)
    if attribute:
        name = attribute["name"].strip("'\"")
        return (
            f"{code(attribute['owner'].strip(chr(39)))} has no attribute {code(name)}",
            "check the spelling of the name after the dot",
            name,
        )
    return message, "check the macro call", None


def _did_you_mean(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.6)
    if close:
        shown = [f"`{match}`" for match in close]
        choice = shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} or {shown[-1]}"
        return f"did you mean {choice}?"
    phasebook = [macro for macro in known if macro.startswith("phasebook_")]
    return (
        f"Phasebook's macros are {', '.join(phasebook)}; define a macro of your own in the "
        "site's macros module, hooks/macros.py"
    )


def _template_line(error: Exception) -> int | None:
    """The line of the page's text being rendered when ``error`` was raised."""
    if isinstance(error, TemplateSyntaxError):
        return error.lineno
    line = None
    trace = error.__traceback__
    while trace is not None:  # Jinja rewrites the traceback so template frames show its lines
        if trace.tb_frame.f_code.co_filename == "<template>":
            line = trace.tb_lineno
        trace = trace.tb_next
    return line


def _source_position(
    markdown: str, source_file: Path | None, line: int, needle: str | None
) -> tuple[int, int | None]:
    """Line (and column of ``needle``) in the writer's file of line ``line`` of ``markdown``:
    the same text nearest that line, or after the front matter when it is not found."""
    lines = markdown.splitlines()
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    column = text.find(needle) + 1 if needle and needle in text else None
    try:
        source = source_file.read_text(encoding="utf-8") if source_file else ""
    except (OSError, UnicodeDecodeError):
        source = ""
    source_lines = source.splitlines()
    same = [number for number, written in enumerate(source_lines, 1) if written == text]
    if text and same:
        return min(same, key=lambda number: abs(number - line)), column
    return line + _front_matter_lines(source_lines), column


def _front_matter_lines(lines: list[str]) -> int:
    if not lines or lines[0].strip() != "---":
        return 0
    for number, text in enumerate(lines[1:], 2):
        if text.strip() in ("---", "..."):
            return number
    return 0


EXPLAINED: tuple[type[Exception], ...] = (UndefinedError, TemplateSyntaxError, MacroProblem)
"""The errors :func:`located` explains; any other is a bug, and keeps its traceback."""

__all__ = ["EXPLAINED", "MacroProblem", "code", "known_names", "located"]

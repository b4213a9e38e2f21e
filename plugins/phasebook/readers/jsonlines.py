"""Reports written as JSON lines: one JSON object a line (ruff ``json-lines``, mypy ``-O json``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from phasebook.readers.base import ReportError, bare_value, not_the_format, read_text
from phasebook.readers.shapes import obj


def load_json_lines(path: Path, what: str) -> list[tuple[int, dict[str, Any]]]:
    """Every non-blank line of a JSON-lines report as ``(line number, object)``.

    A JSON array, text before the first object or a cut-off last line are clear errors, so a
    JSON-lines reader never mistakes another layout (or half a report) for "no findings".
    """
    text = read_text(path)
    bare, value = bare_value(text)
    if bare:
        raise not_the_format(path, value, what, "one JSON object a line")
    # Only \n (and \r\n) end a line: JSON strings may hold U+2028 and other characters that
    # str.splitlines() would split on.
    lines = text.split("\n")
    numbered = [(n, line.strip()) for n, line in enumerate(lines, 1) if line.strip()]
    first = numbered[0][1]
    if first.startswith("["):
        raise ReportError(
            path, f"this is a JSON array, not JSON lines: expected one object a line, as {what} is"
        )
    rows: list[tuple[int, dict[str, Any]]] = []
    last = numbered[-1][0]
    for number, line in numbered:
        if not line.startswith("{"):
            raise ReportError(
                path,
                f"line {number} is not a JSON object (it starts {line[:60]!r}); the tool may "
                "have printed warnings into its report: write it with the tool's output option",
            )
        try:
            value = json.loads(line)
        except RecursionError:
            raise ReportError(path, f"line {number} is nested too deeply") from None
        except json.JSONDecodeError as error:
            if number == last:
                raise ReportError(
                    path, f"the last line ({number}) is cut off (truncated report?)"
                ) from None
            raise ReportError(path, f"invalid JSON on line {number}: {error.msg}") from None
        rows.append((number, obj(path, value, f"line {number} of {what}")))
    return rows

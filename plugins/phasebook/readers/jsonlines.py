"""Reports written as JSON lines: one JSON object a line (ruff ``json-lines``, mypy ``-O json``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import msgspec

from phasebook.readers.base import ReportError, bare_value, not_the_format, read_text
from phasebook.readers.shapes import not_an_object, obj


def load_json_lines(
    path: Path, what: str, decoder: msgspec.json.Decoder[Any] | None = None
) -> list[tuple[int, Any]]:
    """Every non-blank line of a JSON-lines report as ``(line number, object)``.

    A JSON array, text before the first object or a cut-off last line are clear errors, so a
    JSON-lines reader never mistakes another layout (or half a report) for "no findings".
    With a ``decoder`` each line is decoded straight into the reader's struct (an object that
    is not one is an error as for a dict); a line it refuses is parsed again by ``json`` so
    that the error reads the same.
    """
    text = read_text(path)
    bare, value = bare_value(text)
    if bare:
        raise not_the_format(path, value, what, "one JSON object a line")
    # Only \n (and \r\n) end a line: JSON strings may hold U+2028 and other characters that
    # str.splitlines() would split on.
    numbered = [
        (n, stripped) for n, line in enumerate(text.split("\n"), 1) if (stripped := line.strip())
    ]
    first = numbered[0][1]
    if first.startswith("["):
        raise ReportError(
            path, f"this is a JSON array, not JSON lines: expected one object a line, as {what} is"
        )
    rows: list[tuple[int, Any]] = []
    last = numbered[-1][0]
    kind = None if decoder is None else decoder.type
    for number, line in numbered:
        if not line.startswith("{"):
            raise ReportError(
                path,
                f"line {number} is not a JSON object (it starts {line[:60]!r}); the tool may "
                "have printed warnings into its report: write it with the tool's output option",
            )
        if decoder is not None:
            try:
                value = decoder.decode(line)
            except (ValueError, RecursionError):  # msgspec's errors: json's words follow
                value = msgspec.convert(_loaded(path, line, number, last), kind)
            if type(value) is not kind:
                raise not_an_object(path, value, f"line {number} of {what}")
            rows.append((number, value))
        else:
            value = _loaded(path, line, number, last)
            rows.append((number, obj(path, value, f"line {number} of {what}")))
    return rows


def _loaded(path: Path, line: str, number: int, last: int) -> Any:
    """One line parsed by ``json``, its errors named by line."""
    try:
        return json.loads(line)
    except RecursionError:
        raise ReportError(path, f"line {number} is nested too deeply") from None
    except json.JSONDecodeError as error:
        if number == last:
            raise ReportError(
                path, f"the last line ({number}) is cut off (truncated report?)"
            ) from None
        raise ReportError(path, f"invalid JSON on line {number}: {error.msg}") from None

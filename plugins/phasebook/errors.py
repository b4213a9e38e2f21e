"""The one exception family Phasebook raises for users' mistakes.

Every error carries where it happened (``file:line:col``), what is wrong and how to fix it, so
the MkDocs adapter and the CLI can print it without a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Location:
    """A place in a source file; line and column count from 1 like editors do."""

    path: Path
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        text = str(self.path)
        if self.line is not None:
            text += f":{self.line}"
            if self.column is not None:
                text += f":{self.column}"
        return text


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data: where, what and how to fix it."""

    location: Location
    message: str
    hint: str = ""

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text


class PhasebookError(Exception):
    """Base of every error Phasebook raises on purpose; never a bug."""


class DataError(PhasebookError):
    """The programme data cannot be used; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


class PathError(PhasebookError):
    """A path written in the YAML that must not be used: absolute, or leading out of the project.

    The loader turns it into a located :class:`Problem`; the build into a report error.
    """

    def __init__(self, message: str, hint: str) -> None:
        self.message = message
        self.hint = hint
        super().__init__(f"{message} ({hint})")

"""Phasebook's output formats besides the site's pages (which :mod:`phasebook.render` writes).

Each is one module with one job, written from the one :class:`~phasebook.build.Build` (or, for
``phasebook read``, from one report); every JSON format carries its own version number:

- :mod:`~phasebook.output.snapshot`: the build's snapshot JSON (``phasebook_snapshot``);
- :mod:`~phasebook.output.text`: the gate matrix as text and the CI job summary (markdown);
- :mod:`~phasebook.output.report`: one read report as text and as JSON (``phasebook_report``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from phasebook.assess import PhaseAssessment
    from phasebook.build import Build


class BuildOutput(Protocol):
    """One output format of a build, for the phases chosen (``phasebook check --phase``)."""

    name: str

    def write(self, build: Build, phases: Sequence[PhaseAssessment]) -> str:
        """The whole output as text."""
        ...

"""One build: everything a site, the CLI, the macros and the benchmarks need, made once.

A :class:`Build` is immutable and made by :func:`phasebook.pipeline.build`; every consumer reads
its numbers from here and never recomputes them (the pages, ``phasebook check``, the snapshot).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from phasebook.assess import Assessment
from phasebook.audience import Audience
from phasebook.errors import Problem
from phasebook.history import Snapshot
from phasebook.model import Programme
from phasebook.schedule import Forecast, Schedule


@dataclass(frozen=True)
class BuildSettings:
    """Where the data is, the boundary it may not leave, the day the build is as of, and who
    it is for."""

    data_dir: Path
    project_root: Path
    as_of: dt.date
    history_dir: Path | None = None
    """Earlier builds' snapshots, for trends and "new since the last handoff"; optional."""
    audience: Audience = Audience.INTERNAL
    """Who the build is for: a public build withholds report details (see :mod:`audience`)."""


@dataclass(frozen=True)
class Build:
    """The programme, its schedule and forecast, its evidence judged, its history and what to
    warn about."""

    settings: BuildSettings
    programme: Programme
    schedule: Schedule
    assessment: Assessment
    history: tuple[Snapshot, ...]
    snapshot: Mapping[str, Any]
    """This build's snapshot (published as ``phasebook-snapshot.json``)."""
    warnings: tuple[Problem, ...]
    """Degraded but usable data: worth failing ``--strict`` and ``phasebook validate`` for."""
    forecast: Forecast
    """The schedule as of the build date: actual dates, forecast dates and lateness."""
    notes: tuple[Problem, ...] = ()
    """Worth saying, not a fault (an active phase's report not written yet): info lines."""

    @property
    def as_of(self) -> dt.date:
        return self.settings.as_of

    @property
    def project_root(self) -> Path:
        return self.settings.project_root

    @property
    def audience(self) -> Audience:
        return self.settings.audience

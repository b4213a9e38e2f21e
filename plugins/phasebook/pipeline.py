"""The one-way pipeline in two calls, shared by the plugin, the CLI and the benchmarks.

``load_checked`` turns the data folder into a programme (or a :class:`DataError`);
``evaluate`` reads the reports and judges every phase (or a :class:`ReportError`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from phasebook.assess import Assessment, assess, metric_problems
from phasebook.collect import ReportCache, collect_evidence
from phasebook.errors import DataError
from phasebook.load import load_programme
from phasebook.model import Programme


def load_checked(data_dir: Path) -> Programme:
    """Load the programme and check what spans the model and the built-in metrics."""
    programme = load_programme(data_dir)
    problems = metric_problems(programme)
    if problems:
        raise DataError(problems)
    return programme


def evaluate(
    programme: Programme,
    project_root: Path,
    as_of: dt.date,
    cache: ReportCache | None = None,
) -> Assessment:
    """Read every phase's reports and judge its metrics and gates."""
    evidence = collect_evidence(programme, cache)
    return assess(programme, evidence, project_root, as_of)

"""Phasebook: a phase-wise audit & deployment programme, from YAML and tool reports to a site.

The package is layered so data flows one way: :mod:`phasebook.load` turns YAML into the typed
:mod:`phasebook.model`, :mod:`phasebook.schedule` computes dates, :mod:`phasebook.render` turns
both into markdown pages, and only :mod:`phasebook.plugin` knows about MkDocs.
"""

from __future__ import annotations

from phasebook.errors import DataError, PhasebookError, Problem
from phasebook.load import load_programme
from phasebook.model import Phase, Programme

__all__ = ["DataError", "Phase", "PhasebookError", "Problem", "Programme", "load_programme"]

"""Readers of test and coverage results, most specific first."""

from __future__ import annotations

from phasebook.readers.base import Reader
from phasebook.readers.cobertura import CoberturaReader
from phasebook.readers.coverage_json import CoverageJsonReader
from phasebook.readers.junit import JUnitReader

READERS: tuple[Reader, ...] = (CoberturaReader(), CoverageJsonReader(), JUnitReader())

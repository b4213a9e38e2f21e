"""Readers of operational numbers, most specific first."""

from __future__ import annotations

from phasebook.readers.base import Reader
from phasebook.readers.measurements import MeasurementsReader

READERS: tuple[Reader, ...] = (MeasurementsReader(),)

"""Readers of static analysis output, most specific first."""

from __future__ import annotations

from phasebook.readers.bandit import BanditReader
from phasebook.readers.base import Reader
from phasebook.readers.sarif import SarifReader

READERS: tuple[Reader, ...] = (SarifReader(), BanditReader())

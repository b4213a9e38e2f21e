"""Readers of the operations family, most specific first."""

from __future__ import annotations

from phasebook.readers.base import Reader

READERS: tuple[Reader, ...] = ()

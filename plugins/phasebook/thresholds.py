"""The small threshold language: ``"> 80 %"``, ``"< 5"``, ``"< 10 min"``, ``">= 99.9 %"``.

Values are exact fractions so boundaries are exact: 80.0 % does not pass ``> 80 %``.
Durations are compared in seconds whatever unit each side was written in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction


class Unit(StrEnum):
    PERCENT = "percent"
    COUNT = "count"
    DURATION = "duration"
    RATIO = "ratio"
    RATE = "rate"
    """Events per second (requests per second from load tests)."""


DURATION_SECONDS = {
    "ms": Fraction(1, 1000),
    "s": Fraction(1),
    "sec": Fraction(1),
    "min": Fraction(60),
    "h": Fraction(3600),
    "d": Fraction(86400),
    "days": Fraction(86400),
}
_CHECK = re.compile(r"^\s*(<=|>=|==|!=|<|>)\s*(-?\d+(?:\.\d+)?)\s*([a-z%/]*)\s*$")
RATE_UNITS = ("/s", "rps")


class Comparator(StrEnum):
    GT = ">"
    GE = ">="
    LT = "<"
    LE = "<="
    EQ = "=="
    NE = "!="

    def holds(self, value: Fraction, threshold: Fraction) -> bool:
        return {
            Comparator.GT: value > threshold,
            Comparator.GE: value >= threshold,
            Comparator.LT: value < threshold,
            Comparator.LE: value <= threshold,
            Comparator.EQ: value == threshold,
            Comparator.NE: value != threshold,
        }[self]

    @property
    def words(self) -> str:
        return {
            Comparator.GT: "more than",
            Comparator.GE: "at least",
            Comparator.LT: "less than",
            Comparator.LE: "at most",
            Comparator.EQ: "exactly",
            Comparator.NE: "anything but",
        }[self]


@dataclass(frozen=True)
class Threshold:
    """A comparator and a value in base units (percent, count, seconds or ratio)."""

    comparator: Comparator
    value: Fraction
    unit: Unit
    text: str

    def passes(self, value: Fraction) -> bool:
        return self.comparator.holds(value, self.value)


class ThresholdError(ValueError):
    """A check string that is not in the threshold language."""


def parse_check(text: str) -> Threshold:
    """Parse ``"> 80 %"`` and friends; the unit decides how values are compared."""
    match = _CHECK.match(text)
    if match is None:
        raise ThresholdError(
            f"{text!r} is not a check: write a comparator (>, >=, <, <=, ==, !=), a number "
            "and an optional unit (%, ms, s, min, h, d, x, /s), e.g. '> 80 %' or '< 10 min'"
        )
    comparator, number, unit_text = match.groups()
    value = Fraction(number)
    if unit_text == "%":
        unit = Unit.PERCENT
    elif unit_text in DURATION_SECONDS:
        unit = Unit.DURATION
        value *= DURATION_SECONDS[unit_text]
    elif unit_text in ("", "count"):
        unit = Unit.COUNT
    elif unit_text == "x":
        unit = Unit.RATIO
    elif unit_text in RATE_UNITS:
        unit = Unit.RATE
    else:
        known = "%, " + ", ".join(DURATION_SECONDS) + ", x, " + ", ".join(RATE_UNITS)
        raise ThresholdError(f"unknown unit {unit_text!r} in {text!r}; use one of: {known}")
    return Threshold(Comparator(comparator), value, unit, " ".join(text.split()))


def format_value(value: Fraction, unit: Unit) -> str:
    """A value for people: ``80.0 %``, ``3``, ``4 min 12 s``."""
    if unit is Unit.PERCENT:
        return f"{float(value):.2f} %".replace(".00 %", ".0 %")
    if unit is Unit.DURATION:
        seconds = float(value)
        if seconds < 1:
            return f"{seconds * 1000:.0f} ms"
        if seconds < 120:
            return f"{seconds:.1f} s"
        if seconds < 7200:
            return f"{seconds / 60:.1f} min"
        if seconds < 172800:
            return f"{seconds / 3600:.1f} h"
        return f"{seconds / 86400:.1f} d"
    suffix = " /s" if unit is Unit.RATE else ""
    if value.denominator == 1:
        return f"{value.numerator}{suffix}"
    return f"{float(value):.3g}{suffix}"

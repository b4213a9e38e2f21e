"""Mermaid pie and line charts, as text computed in Python.

Every label goes through :func:`~phasebook.escape.mermaid_label`; numbers are formatted here, so
a template only places the result inside a ``mermaid`` fence.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from markupsafe import Markup

from phasebook.escape import mermaid_label, trusted


def pie(title: str, slices: Iterable[tuple[object, int]]) -> Markup:
    """A pie with counts shown; empty slices are left out (Mermaid cannot draw them)."""
    lines = [f"pie showData title {mermaid_label(title)}"]
    lines.extend(f'    "{mermaid_label(label)}" : {count}' for label, count in slices if count)
    return trusted("\n".join(lines) + "\n")


def line_chart(
    title: str,
    x_labels: Sequence[str],
    unit: str,
    series: Sequence[Sequence[float]],
    *,
    counts: bool = False,
) -> Markup:
    """Lines over the same x labels, on a y axis that leaves room above and below them.

    Mermaid would fit the axis to the data exactly, which puts a flat line on the chart's edge
    where no one sees it; a tenth of the range (or of the value) is added on both sides.
    ``counts`` (how many findings…) starts the axis at zero, so a fall is drawn to scale, and
    ends it on a whole number.
    """
    values = [value for points in series for value in points]
    if not values:
        raise ValueError("a line chart needs at least one value")
    low, high = min(values), max(values)
    margin = (high - low) / 10 or abs(high) / 10 or 1.0
    bottom = 0.0 if low >= 0 and (counts or low - margin < 0) else low - margin
    top = float(math.ceil(high + margin)) if counts else high + margin
    xs = ", ".join(f'"{mermaid_label(label)}"' for label in x_labels)
    lines = [
        "xychart-beta",
        f'    title "{mermaid_label(title)}"',
        f"    x-axis [{xs}]",
        f'    y-axis "{mermaid_label(unit)}" {_number(bottom)} --> {_number(top)}',
    ]
    lines.extend(f"    line [{', '.join(_number(v) for v in points)}]" for points in series)
    return trusted("\n".join(lines) + "\n")


def _number(value: float) -> str:
    """A number Mermaid reads: no exponent, at most four significant decimals."""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text

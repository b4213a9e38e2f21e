"""Judge the programme: gates per phase, computed from data (and later, evidence)."""

from __future__ import annotations

from phasebook.assess.gates import Gate, GateVerdict, evaluate_gates

__all__ = ["Gate", "GateVerdict", "evaluate_gates"]

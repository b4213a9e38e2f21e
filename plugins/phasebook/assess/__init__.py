"""Judge the programme: metrics and gates per phase, computed from data and evidence."""

from __future__ import annotations

from phasebook.assess.assessment import Assessment, PhaseAssessment, assess, gate_warnings
from phasebook.assess.gates import Gate, GateVerdict
from phasebook.assess.metrics import MetricResult, MetricVerdict

__all__ = [
    "Assessment",
    "Gate",
    "GateVerdict",
    "MetricResult",
    "MetricVerdict",
    "PhaseAssessment",
    "assess",
    "gate_warnings",
]

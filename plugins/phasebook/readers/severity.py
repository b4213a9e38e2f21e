"""A tool's severity as ours: from its words (``moderate``, ``blocker``…) or a CVSS score.

Readers keep the tool's own word as ``tool_severity`` beside the normalised one; a reader whose
tool uses its own scale (bandit, pylint, semgrep…) maps it in its module, where the format
reference explains why.
"""

from __future__ import annotations

from phasebook.evidence import Severity

SEVERITY_WORDS = {
    "critical": Severity.CRITICAL,
    "blocker": Severity.CRITICAL,
    "high": Severity.HIGH,
    "error": Severity.HIGH,
    "major": Severity.HIGH,
    "medium": Severity.MEDIUM,
    "moderate": Severity.MEDIUM,
    "warning": Severity.MEDIUM,
    "low": Severity.LOW,
    "minor": Severity.LOW,
    "note": Severity.LOW,
    "info": Severity.INFO,
    "informational": Severity.INFO,
    "negligible": Severity.INFO,
    "none": Severity.INFO,
    "unknown": Severity.INFO,
}


def severity_from_word(word: str | None, default: Severity = Severity.INFO) -> Severity:
    """Map a tool's severity word to ours (callers keep the tool's own word too)."""
    if not word:
        return default
    return SEVERITY_WORDS.get(str(word).strip().lower(), default)


CVSS_BANDS: tuple[tuple[float, Severity], ...] = (
    (9.0, Severity.CRITICAL),
    (7.0, Severity.HIGH),
    (4.0, Severity.MEDIUM),
    (0.1, Severity.LOW),
)


def severity_from_score(score: float) -> Severity:
    """CVSS v3 qualitative bands: 9.0 critical, 7.0 high, 4.0 medium, 0.1 low, 0 none."""
    for floor, severity in CVSS_BANDS:
        if score >= floor:
            return severity
    return Severity.INFO

"""Gather each phase's reports: read what exists, note what is missing, cache across rebuilds.

``mkdocs serve`` rebuilds on every change; a report is parsed again only when its
``(path, mtime_ns, size)`` changed, so editing a page does not re-read 100 MB of scanner output.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from phasebook.errors import PathError
from phasebook.evidence import Report
from phasebook.load import report_files
from phasebook.model import Programme, ReportRef
from phasebook.readers import ReportError, read_report


@dataclass(frozen=True)
class MissingReport:
    """A report the phase expects that is not there: shown as missing, never as zero."""

    ref: ReportRef
    pattern: Path


@dataclass
class PhaseEvidence:
    """What one phase's reports say, and which are missing."""

    reports: list[tuple[ReportRef, Report]] = field(default_factory=list)
    missing: list[MissingReport] = field(default_factory=list)


@dataclass
class ReportCache:
    """Parsed reports keyed by file identity; keep one instance across serve rebuilds."""

    entries: dict[tuple[Path, str | None], tuple[int, int, Report]] = field(default_factory=dict)
    hits: int = 0
    misses: int = 0
    used: set[tuple[Path, str | None]] = field(default_factory=set)
    """The entries the current build read; :meth:`prune` forgets the others."""

    def read(self, path: Path, format: str | None) -> Report:
        stat = path.stat()
        key = (path.resolve(), format)
        self.used.add(key)
        cached = self.entries.get(key)
        if cached is not None and cached[:2] == (stat.st_mtime_ns, stat.st_size):
            self.hits += 1
            return cached[2]
        self.misses += 1
        report = read_report(path, format)
        self.entries[key] = (stat.st_mtime_ns, stat.st_size, report)
        return report

    def begin(self) -> None:
        """A build starts: no entry is used yet."""
        self.used = set()

    def prune(self) -> None:
        """A build read all it needed: keep only its reports (others may be gone)."""
        self.entries = {key: entry for key, entry in self.entries.items() if key in self.used}

    def unchanged(self) -> bool:
        """Whether every report held is still the file that was read (same mtime and size)."""
        for (path, _), (mtime, size, _) in self.entries.items():
            try:
                stat = path.stat()
            except OSError:
                return False
            if (stat.st_mtime_ns, stat.st_size) != (mtime, size):
                return False
        return True


def collect_evidence(
    programme: Programme, cache: ReportCache | None = None
) -> dict[int, PhaseEvidence]:
    """Every phase's evidence; an unreadable report raises :class:`ReportError`.

    The files are found again here (the folder may have changed since loading), so a path
    out of the project root is refused here too, named by its place in the YAML.
    """
    cache = cache or ReportCache()
    cache.begin()
    result: dict[int, PhaseEvidence] = {}
    errors: list[ReportError] = []
    for phase in programme.phases:
        evidence = PhaseEvidence()
        for index, ref in enumerate(phase.reports):
            pattern = programme.root / ref.path
            try:
                matches = report_files(programme.root, ref.path, programme.project_root)
            except PathError as error:
                where = programme.locate(phase.number, "reports", index, "path")
                errors.append(ReportError(Path(str(where)), str(error)))
                continue
            if not matches:
                evidence.missing.append(MissingReport(ref, pattern))
                continue
            for path in matches:
                try:
                    evidence.reports.append((ref, cache.read(path, ref.format)))
                except ReportError as error:
                    errors.append(error)
        result[phase.number] = evidence
    if errors:
        raise ReportErrors(errors)
    cache.prune()
    return result


class ReportErrors(ReportError):
    """Several reports could not be read; each keeps its own file and reason."""

    def __init__(self, errors: list[ReportError]) -> None:
        self.errors = errors
        Exception.__init__(self, "\n".join(str(error) for error in errors))
        self.path = errors[0].path
        self.reason = errors[0].reason

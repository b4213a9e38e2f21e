"""Paths in the YAML that lead to nothing: a done phase's report, a done deliverable's artifact.

Two bases are easy to mix up: report paths start at the data folder, artifact paths at the
project root (the folder of ``mkdocs.yml``). So each warning names the folder the path was
looked for in, where the YAML writes it, and the file that was probably meant: the same path
under the other base, or a name one typo away.
"""

from __future__ import annotations

import difflib
import itertools
import os
from pathlib import Path, PurePosixPath

from phasebook.assess import Assessment
from phasebook.assess.gates import artifact_present
from phasebook.errors import Problem
from phasebook.model import PhaseStatus, Programme, WorkStatus

_GLOB = frozenset("*?[")
_LISTED = 2000
"""Names of one folder compared with a missing name; a folder of a million files is not read."""


def missing_path_warnings(programme: Programme, assessment: Assessment) -> list[Problem]:
    """Missing required reports of done phases and missing artifacts of done deliverables."""
    problems = _missing_reports(programme, assessment, PhaseStatus.DONE)
    for phase in programme.phases:
        for index, deliverable in enumerate(phase.deliverables):
            artifact = deliverable.artifact
            if deliverable.status is not WorkStatus.DONE or not artifact:
                continue
            if artifact_present(artifact, programme.project_root):
                continue
            problems.append(
                Problem(
                    programme.locate(phase.number, "deliverables", index, "artifact"),
                    f"deliverable `{deliverable.id}` is done but its artifact `{artifact}` "
                    f"does not exist {artifact_base(programme)}",
                    _artifact_hint(programme, artifact),
                )
            )
    return problems


def missing_report_notes(programme: Programme, assessment: Assessment) -> list[Problem]:
    """Reports an active phase expects that match no file yet: not a fault (the tool may not
    have run), but named with their place in the YAML so a typo is not silent."""
    return _missing_reports(programme, assessment, PhaseStatus.ACTIVE)


def _missing_reports(
    programme: Programme, assessment: Assessment, status: PhaseStatus
) -> list[Problem]:
    problems = []
    verb = "is done but" if status is PhaseStatus.DONE else "is active and"
    for phase in programme.phases:
        if phase.status is not status:
            continue
        for missing in assessment.of(phase).evidence.missing:
            if status is PhaseStatus.DONE and not missing.ref.required:
                continue
            index = next(i for i, ref in enumerate(phase.reports) if ref is missing.ref)
            problems.append(
                Problem(
                    programme.locate(phase.number, "reports", index, "path"),
                    f"phase {phase.number} {verb} its report `{missing.ref.path}` "
                    f"matches no file {report_base(programme)}",
                    _report_hint(programme, missing.ref.path),
                )
            )
    return problems


def report_base(programme: Programme) -> str:
    """Where report paths start, as the messages say it."""
    root = programme.project_root
    data = programme.root.resolve()
    shown = data.relative_to(root).as_posix() if data.is_relative_to(root) else str(data)
    return f"relative to the data folder {shown}/"


def artifact_base(programme: Programme) -> str:
    """Where artifact paths start, as the messages say it."""
    return f"relative to the project root {programme.project_root}/ (the folder of mkdocs.yml)"


def _report_hint(programme: Programme, text: str) -> str:
    data = programme.root.resolve()
    root = programme.project_root
    other = root / text
    if not _GLOB & set(text) and other.is_file() and other.resolve().is_relative_to(data):
        meant = other.resolve().relative_to(data).as_posix()
        return (
            f"did you mean `{meant}`? report paths start at the data folder, "
            "not the project root"
        )
    near = nearest_path(data, text)
    if near is not None:
        return f"did you mean `{near}`?"
    return "add the report there, correct the path, or set `required: false` on it"


def _artifact_hint(programme: Programme, text: str) -> str:
    data = programme.root.resolve()
    root = programme.project_root
    if (data / text).exists() and (data / text).resolve().is_relative_to(root):
        meant = (data / text).resolve().relative_to(root).as_posix()
        return (
            f"did you mean `{meant}`? artifact paths start at the project root, "
            "not the data folder"
        )
    near = nearest_path(root, text)
    if near is not None:
        return f"did you mean `{near}`?"
    return "add the file there, or correct the path (or use an http(s) URL)"


def nearest_path(base: Path, text: str) -> str | None:
    """An existing path under ``base`` that ``text`` misspells, one part at a time (a glob
    pattern is never guessed at); ``None`` when there is none."""
    if _GLOB & set(text):
        return None
    folder = base
    parts: list[str] = []
    for part in PurePosixPath(text.replace("\\", "/")).parts:
        if part in ("", "."):
            continue
        if part == ".." or (folder / part).exists():
            parts.append(part)
            folder = folder / part
            continue
        if not folder.is_dir():
            return None
        try:
            with os.scandir(folder) as entries:
                names = [entry.name for entry in itertools.islice(entries, _LISTED)]
        except OSError:
            return None
        close = difflib.get_close_matches(part, names, n=1, cutoff=0.75)
        if not close:
            return None
        parts.append(close[0])
        folder = folder / close[0]
    found = "/".join(parts)
    return found if folder.exists() and found != text else None

"""Where ``phasebook export`` may write, and writing there: only the files it owns.

An export folder carries a marker, ``.phasebook-export``, listing the files the last export
wrote. The rules, checked before anything is written (so a refused export writes nothing):

- the folder is new, empty, or holds a marker: a folder with other files and no marker is
  someone else's, and is refused;
- it is not the data folder, inside it, nor the project root or a folder above it;
- a file the export would write that exists but is not in the marker is not its own: refused;
- no file is written through a symlink that leads out of the folder.

Then every file whose bytes differ is written (an unchanged file keeps its time stamp), files
of the last export the new one no longer has are removed (with folders left empty), and the
marker is written last. Files the marker does not list are never touched.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import Path

from phasebook.errors import PhasebookError

MARKER = ".phasebook-export"
_MARKER_HEAD = (
    "# Written by `phasebook export`. The files below are its own: the next export rewrites\n"
    "# or removes them. It never touches any other file in this folder.\n"
)


class ExportError(PhasebookError):
    """The export folder cannot be used; nothing was written."""

    def __init__(self, message: str, paths: list[str] | None = None) -> None:
        self.paths = paths or []
        super().__init__(message)


@dataclass
class ExportResult:
    """What an export did, by path in the folder."""

    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def check_folder(folder: Path, data_dir: Path, project_root: Path) -> None:
    """Refuse a folder the export must not write into (see the module's rules)."""
    target = folder.resolve()
    data = data_dir.resolve()
    root = project_root.resolve()
    if target == data or data in target.parents:
        raise ExportError(
            f"{folder} is inside the data folder {data_dir}: the export would mix generated "
            "files with the programme's data (choose a folder outside it, e.g. programme/)"
        )
    if target == root or target in root.parents:
        raise ExportError(
            f"{folder} is the project folder or holds it (choose a folder of its own inside "
            "the project, e.g. programme/)"
        )
    if target.exists() and not target.is_dir():
        raise ExportError(f"{folder} is a file, not a folder (choose a folder)")


def write_export(folder: Path, files: dict[str, str]) -> ExportResult:
    """Write ``files`` (POSIX path → text) into ``folder`` under the marker's rules."""
    previous = _owned(folder)
    foreign = [path for path in files if path not in previous and _occupied(folder, path)]
    escaping = [path for path in files if not _stays_inside(folder, path)]
    if escaping:
        raise ExportError(
            f"{folder}: these paths lead out of the folder through a symlink (remove the "
            "links, or choose another folder); nothing was written", escaping
        )
    if foreign:
        raise ExportError(
            f"{folder}: these files exist and are not the export's own (move them away, or "
            "choose another folder); nothing was written", foreign
        )
    result = ExportResult()
    folder.mkdir(parents=True, exist_ok=True)
    for path, text in files.items():
        target = folder / path
        data = text.encode("utf-8")
        if target.is_file() and not target.is_symlink() and target.read_bytes() == data:
            result.unchanged.append(path)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_symlink():
            target.unlink()
        target.write_bytes(data)
        result.written.append(path)
    for path in sorted(previous - files.keys()):
        target = folder / path
        if (target.is_file() or target.is_symlink()) and _stays_inside(folder, path):
            target.unlink()
            result.removed.append(path)
            _prune(folder, target.parent)
    marker = folder / MARKER
    if marker.is_symlink():
        marker.unlink()
    marker.write_bytes((_MARKER_HEAD + "".join(f"{path}\n" for path in sorted(files))).encode())
    return result


def _owned(folder: Path) -> set[str]:
    """The files the last export wrote; an error when the folder is someone else's."""
    if not folder.exists():
        return set()
    marker = folder / MARKER
    if not marker.is_file():
        if any(folder.iterdir()):
            raise ExportError(
                f"{folder} holds files and no {MARKER} marker, so it is not an earlier "
                "export (choose an empty or new folder); nothing was written"
            )
        return set()
    owned = set()
    for line in marker.read_text(encoding="utf-8").splitlines():
        path = line.strip()
        if path and not path.startswith("#") and _safe_relative(path):
            owned.add(path)
    return owned


def _safe_relative(path: str) -> bool:
    """A marker line names a file below the folder: relative, no ``..``, no backslash."""
    normal = posixpath.normpath(path)
    return (
        normal == path
        and not posixpath.isabs(path)
        and "\\" not in path
        and ".." not in path.split("/")
        and path != MARKER
    )


def _occupied(folder: Path, path: str) -> bool:
    """Whether something not ours is in the way: the file itself, or a file where one of its
    folders goes."""
    target = folder / path
    if target.exists() or target.is_symlink():
        return True
    return any(
        (folder / parent).exists() and not (folder / parent).is_dir()
        for parent in _parents(path)
    )


def _parents(path: str) -> list[str]:
    parts = path.split("/")[:-1]
    return ["/".join(parts[: index + 1]) for index in range(len(parts))]


def _stays_inside(folder: Path, path: str) -> bool:
    """Whether writing ``path`` lands inside ``folder`` (no symlinked folder leads out)."""
    base = folder.resolve()
    parent = (folder / path).parent.resolve()
    return parent == base or base in parent.parents


def _prune(folder: Path, directory: Path) -> None:
    """Remove folders the export emptied, up to (not including) the export folder."""
    base = folder.resolve()
    current = directory
    while current.resolve() != base and base in current.resolve().parents:
        if any(current.iterdir()):
            return
        current.rmdir()
        current = current.parent

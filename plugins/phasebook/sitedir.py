"""Where a build may write, and how it replaces the previous site only once it has succeeded.

MkDocs empties ``site_dir`` before it builds. Two things follow, and this module guards both:

- a ``site_dir`` that is, or holds, a folder the site is built *from* (``mkdocs build -d data``,
  ``-d .``) deletes the sources; :func:`overlap` says so before anything is touched;
- a build that fails part way has already deleted the previous site. :class:`Staging` builds
  into a fresh folder beside ``site_dir`` instead and swaps it in with renames when the build
  succeeded; a failed build only removes its own staging folder.

Plain file-system code: no MkDocs here, the adapter turns the messages into ``PluginError``.
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

SourceKind = Literal["root", "folder", "file"]


@dataclass(frozen=True)
class Source:
    """Something the site is built from.

    ``root`` (the project folder) may hold the site folder but must not be in it; a ``folder``
    (docs, data, templates …) may neither hold it nor be in it; a ``file`` must not be in it.
    """

    what: str
    path: Path
    kind: SourceKind = "folder"


def overlap(site_dir: Path, sources: Iterable[Source]) -> str | None:
    """Why building into ``site_dir`` would delete or overwrite a source; ``None`` if it would
    not. Paths are compared resolved, so a symlink or ``..`` does not hide an overlap."""
    site = site_dir.resolve()
    if site.exists() and not site.is_dir():
        return f"site_dir {site} is a file, not a folder"
    for source in sources:
        path = source.path.resolve()
        if path == site:
            return f"site_dir {site} is {source.what}"
        if path.is_relative_to(site):
            return f"site_dir {site} contains {source.what} ({path})"
        if source.kind == "folder" and site.is_relative_to(path):
            return f"site_dir {site} is inside {source.what} ({path})"
    return None


def _is_hidden(name: str) -> bool:
    # MkDocs never writes or cleans hidden entries of site_dir (a `.git` of a deploy checkout,
    # say): the swap carries them over to the new site.
    return name.startswith(".")


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()


@dataclass
class Staging:
    """A build's own folder, swapped in for ``target`` by :meth:`commit` or dropped by
    :meth:`discard`."""

    target: Path
    folder: Path
    beside: bool
    """Whether ``folder`` sits beside ``target`` (same file system: the swap is two renames)."""
    moved: list[str] = field(default_factory=list)

    @classmethod
    def begin(cls, target: Path, *, keep_existing: bool = False) -> Staging:
        """A fresh staging folder beside ``target`` (``target`` may not exist yet).

        ``keep_existing`` (``mkdocs build --dirty``) starts it as a copy of the current site,
        file times kept, so MkDocs rebuilds only what changed.
        """
        target = target.resolve()
        target.parent.mkdir(parents=True, exist_ok=True)
        token = f"{os.getpid()}-{secrets.token_hex(4)}"
        folder = target.parent / f".{target.name}.phasebook-new-{token}"
        beside = True
        try:
            folder.mkdir()
        except OSError:  # the parent is not writable: stage elsewhere, copy in at the end
            folder = Path(tempfile.mkdtemp(prefix="phasebook-site-"))
            beside = False
        if keep_existing and target.is_dir():
            shutil.copytree(
                target,
                folder,
                symlinks=True,
                dirs_exist_ok=True,
                ignore=lambda where, names: (
                    [n for n in names if _is_hidden(n)] if Path(where) == target else []
                ),
            )
        return cls(target, folder, beside)

    def commit(self) -> None:
        """Put the staged site where the old one was; on failure the old one stays.

        Beside the target: rename the old site aside, rename the new one in, delete the old.
        Otherwise (the parent is read-only, or the target is a mount point) the old site's
        entries are replaced one by one, which is not atomic but still happens only now.
        """
        target = self.target
        if not self.beside:
            self._replace_contents()
            return
        if not target.exists():
            try:
                self.folder.replace(target)
            except OSError:
                target.mkdir(parents=True, exist_ok=True)
                self._replace_contents()
            return
        aside = target.parent / f".{target.name}.phasebook-old-{secrets.token_hex(4)}"
        try:
            target.replace(aside)
        except OSError:  # a mount point, or a busy folder on some systems
            self._replace_contents()
            return
        try:
            self.moved = []
            for entry in sorted(aside.iterdir()):
                if _is_hidden(entry.name) and not (self.folder / entry.name).exists():
                    entry.replace(self.folder / entry.name)
                    self.moved.append(entry.name)
            shutil.copymode(aside, self.folder)
            self.folder.replace(target)
        except OSError:
            for name in self.moved:
                (self.folder / name).replace(aside / name)
            aside.replace(target)
            raise
        shutil.rmtree(aside, ignore_errors=True)

    def _replace_contents(self) -> None:
        target = self.target
        for entry in sorted(target.iterdir()):
            if not _is_hidden(entry.name):
                _remove(entry)
        for entry in sorted(self.folder.iterdir()):
            destination = target / entry.name
            if destination.exists() or destination.is_symlink():
                _remove(destination)
            shutil.move(entry, destination)
        shutil.rmtree(self.folder, ignore_errors=True)

    def discard(self) -> None:
        """Remove the staging folder and whatever a failed build left in it."""
        shutil.rmtree(self.folder, ignore_errors=True)


__all__ = ["Source", "Staging", "overlap"]

"""What a build was made from, as file identities: ``mkdocs serve`` rebuilds on every save, and
when none of a build's inputs changed (a writer edited a page) the previous build still holds.

A file is ``(path, mtime_ns, size)``, as the report cache keys it. The signature covers every
file under the data, history and templates folders (a new file may match a report glob); the
report cache says whether the reports a build read, wherever they are, are still the same
(:meth:`~phasebook.collect.ReportCache.unchanged`). Both are taken before a build reads, so a
file saved during a build makes the next one differ.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from phasebook.build import BuildSettings

FileIdentity = tuple[str, int, int]
Signature = tuple[BuildSettings, tuple[str, ...], tuple[FileIdentity, ...]]


def signature(settings: BuildSettings, templates_dir: Path | None) -> Signature:
    """The identity of the settings and of every file in the folders a build reads."""
    folders = [settings.data_dir, settings.history_dir, templates_dir]
    files = sorted(_files_under(f for f in folders if f is not None))
    return settings, tuple(map(str, folders)), tuple(_identities(files))


def _files_under(folders: Iterable[Path]) -> Iterable[str]:
    for folder in folders:
        for parent, _, names in os.walk(folder):  # Path.walk is Python 3.12
            yield from (str(Path(parent, name)) for name in names)


def _identities(paths: Iterable[str]) -> Iterable[FileIdentity]:
    for path in paths:
        try:
            stat = Path(path).stat()
        except OSError:
            yield (path, -1, -1)  # gone: differs from any identity it had
            continue
        yield (path, stat.st_mtime_ns, stat.st_size)

"""What a build was made from, as file identities: ``mkdocs serve`` rebuilds on every save, and
when none of a build's inputs changed (a writer edited a page) the previous build still holds.

A file is ``(path, mtime_ns, size)``, as the report cache keys it. The inputs are every file
under the data, history and templates folders, and the reports the previous build read
(globs may reach outside the data folder).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from phasebook.build import Build, BuildSettings

FileIdentity = tuple[str, int, int]
Signature = tuple[BuildSettings, tuple[str, ...], tuple[FileIdentity, ...]]


def signature(
    settings: BuildSettings, templates_dir: Path | None, previous: Build | None
) -> Signature:
    """The identity of everything a build of ``settings`` reads (see the module)."""
    folders = [settings.data_dir, settings.history_dir, templates_dir]
    files = sorted({*_files_under(f for f in folders if f is not None), *_reports(previous)})
    return settings, tuple(map(str, folders)), tuple(_identities(files))


def _files_under(folders: Iterable[Path]) -> Iterable[str]:
    for folder in folders:
        for parent, _, names in os.walk(folder):  # Path.walk is Python 3.12
            yield from (str(Path(parent, name)) for name in names)


def _reports(build: Build | None) -> Iterable[str]:
    if build is None:
        return
    for item in build.assessment.phases.values():
        yield from (str(report.path) for _, report in item.evidence.reports)


def _identities(paths: Iterable[str]) -> Iterable[FileIdentity]:
    for path in paths:
        try:
            stat = Path(path).stat()
        except OSError:
            yield (path, -1, -1)  # gone: differs from any identity it had
            continue
        yield (path, stat.st_mtime_ns, stat.st_size)

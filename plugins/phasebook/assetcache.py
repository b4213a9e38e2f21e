"""The asset cache: the pinned browser libraries (:mod:`phasebook.vendored`), fetched once with
``npm pack``, checked, and published with every site built on this machine.

The folder is ``PHASEBOOK_CACHE``, else ``$XDG_CACHE_HOME/phasebook``, else
``~/.cache/phasebook``; it holds ``<package>/<file>``, the layout of the repository's
``vendor/``, so ``phasebook assets fetch --dir vendor`` fills that folder the same way.

Nothing counts for being there. A tarball is checked against its pinned SHA-512 before it is
opened, each file taken out of it against its pinned SHA-256 before anything is written, and a
cached file again each time a build would publish it. Files are taken out by their exact member
name, read as bytes and written under Phasebook's own names, so no name in an archive decides
where anything is written (no path traversal, no links). No MkDocs here.
"""

from __future__ import annotations

import enum
import hashlib
import os
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from phasebook.errors import PhasebookError
from phasebook.vendored import Package

CACHE_ENV = "PHASEBOOK_CACHE"
FETCH_COMMAND = "phasebook assets fetch"
MAX_FILE_BYTES = 64 * 1024 * 1024
"""Larger than any pinned file (Mermaid is 3.5 MB): a bigger member is refused unread."""
NPM_TIMEOUT_SECONDS = 600


class AssetError(PhasebookError):
    """A package cannot be fetched, or its files are not the pinned ones; nothing was written."""


def cache_root(environ: Mapping[str, str] | None = None) -> Path:
    """The cache folder: ``PHASEBOOK_CACHE``, else ``$XDG_CACHE_HOME/phasebook``, else
    ``~/.cache/phasebook`` (a relative ``XDG_CACHE_HOME`` is ignored, as the XDG spec says)."""
    env = os.environ if environ is None else environ
    if chosen := env.get(CACHE_ENV):
        return Path(chosen).expanduser()
    xdg = env.get("XDG_CACHE_HOME", "")
    if xdg and Path(xdg).is_absolute():
        return Path(xdg) / "phasebook"
    return Path.home() / ".cache" / "phasebook"


class State(enum.Enum):
    """What a folder holds of a package: all of it as pinned, not all of it (an interrupted
    or no fetch: fetch it), or a file that differs from its pin (something altered it)."""

    VERIFIED = "verified"
    MISSING = "missing"
    MODIFIED = "fails its check"


@dataclass(frozen=True)
class Status:
    """What a folder holds of one package."""

    package: Package
    folder: Path
    state: State
    detail: str = ""
    """Why it is not verified: the file that is missing, or the checksum that differs."""

    @property
    def verified(self) -> bool:
        return self.state is State.VERIFIED

    @property
    def script(self) -> Path:
        return self.folder / self.package.script

    def __str__(self) -> str:
        head = f"{self.package.name} {self.package.version}: {self.state.value}"
        return f"{head} ({self.detail})" if self.detail else f"{head} ({self.folder})"


def status(root: Path, package: Package) -> Status:
    """Whether ``root/<package>/`` holds every pinned file of ``package``, each as pinned."""
    folder = root / package.name
    missing = [pinned.name for pinned in package.files if not (folder / pinned.name).is_file()]
    if missing:
        what = "not fetched" if len(missing) == len(package.files) else ", ".join(missing)
        return Status(package, folder, State.MISSING, f"{what} in {folder}")
    for pinned in package.files:
        path = folder / pinned.name
        try:
            actual = _sha256_file(path)
        except OSError as error:
            return Status(package, folder, State.MODIFIED, f"{path} cannot be read: {error}")
        if actual != pinned.sha256:
            return Status(
                package, folder, State.MODIFIED,
                f"{path} has SHA-256 {actual}, not the pinned {pinned.sha256}",
            )
    return Status(package, folder, State.VERIFIED)


@dataclass(frozen=True)
class Choice:
    """Which copy of a package's script a site publishes."""

    package: Package
    path: Path | None
    """The option's file when it exists, else the verified cached one; ``None``: neither."""
    refused: Status | None = None
    """A cached copy that fails its check: never published."""


def choose(package: Package, option: Path | None, root: Path) -> Choice:
    """The option's file (the user's own choice, published as is), else the cache's."""
    if option is not None and option.is_file():
        return Choice(package, option)
    cached = status(root, package)
    if cached.verified:
        return Choice(package, cached.script)
    refused = cached if cached.state is State.MODIFIED else None
    return Choice(package, None, refused)


def fallback_line(missing: Sequence[Package], root: Path) -> str:
    """The build's one line when packages have no local copy: what the site does without them
    and the command that fixes it."""
    names = " or ".join(f"{package.label} {package.version}" for package in missing)
    effects = "; ".join(package.without for package in missing)
    return (
        f"no local {names} (neither the plugin options nor the cache {root} has a checked "
        f"copy): {effects}. `{FETCH_COMMAND}` puts the pinned copies in the cache (needs npm)"
    )


def install(package: Package, tarball: Path, root: Path) -> Status:
    """Check ``tarball`` against the pins and put its files into ``root/<package>/``.

    Every check passes before the first file is written; each file is written under a
    temporary name and renamed, so an interrupted run never leaves half a file.
    """
    actual = _sha512_file(tarball)
    if actual != package.sha512:
        raise AssetError(
            f"{tarball}: SHA-512 {actual} is not the one pinned for {package.spec} "
            f"({package.sha512}): refused, nothing was installed (the registry, or a proxy "
            "in between, served other bytes; fetch again, and never edit the pin to match)"
        )
    contents = _read_members(package, tarball)
    folder = root / package.name
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for pinned in package.files:
            part = folder / f".{pinned.name}.part"
            part.write_bytes(contents[pinned.name])
            part.replace(folder / pinned.name)
    except OSError as error:
        raise AssetError(f"cannot write {package.spec} into {folder}: {error}") from None
    return status(root, package)


def _read_members(package: Package, tarball: Path) -> dict[str, bytes]:
    """Each pinned file's bytes, taken out by its exact member name and checked."""
    contents: dict[str, bytes] = {}
    try:
        with tarfile.open(tarball, "r:gz") as archive:
            for pinned in package.files:
                try:
                    member = archive.getmember(pinned.member)
                except KeyError:
                    raise AssetError(
                        f"{tarball}: {pinned.member} is not in it: refused, nothing was "
                        f"installed (is this the npm tarball of {package.spec}?)"
                    ) from None
                if not member.isfile() or member.size > MAX_FILE_BYTES:
                    raise AssetError(
                        f"{tarball}: {pinned.member} is not a regular file of at most "
                        f"{MAX_FILE_BYTES} bytes: refused, nothing was installed"
                    )
                stream = archive.extractfile(member)
                data = stream.read(MAX_FILE_BYTES + 1) if stream is not None else b""
                digest = hashlib.sha256(data).hexdigest()
                if digest != pinned.sha256:
                    raise AssetError(
                        f"{tarball}: {pinned.member} has SHA-256 {digest}, not the pinned "
                        f"{pinned.sha256}: refused, nothing was installed (after a deliberate "
                        "version bump, pin this SHA-256 in phasebook/vendored.py)"
                    )
                contents[pinned.name] = data
    except (tarfile.TarError, EOFError, OSError) as error:
        raise AssetError(
            f"{tarball}: not a readable npm tarball ({error}): refused, nothing was installed"
        ) from None
    return contents


def fetch(package: Package, root: Path, npm: str = "npm") -> Status:
    """``npm pack`` the pinned version and install it; nothing to do when ``root`` already
    holds it, verified. ``npm pack`` downloads the tarball only: no install, no scripts."""
    current = status(root, package)
    if current.verified:
        return current
    program = shutil.which(npm)
    if program is None:
        raise AssetError(
            f"npm not found, so {package.spec} cannot be fetched (install Node.js, which "
            f"brings npm, then run `{FETCH_COMMAND}` again)"
        )
    with tempfile.TemporaryDirectory(prefix="phasebook-npm-") as work:
        command = [program, "pack", "--silent", "--ignore-scripts", package.spec]
        try:
            run = subprocess.run(  # noqa: S603 - a fixed argument list, no shell
                command, cwd=work, capture_output=True, text=True, check=False,
                timeout=NPM_TIMEOUT_SECONDS,
            )
        except subprocess.TimeoutExpired:
            raise AssetError(
                f"`npm pack {package.spec}` took more than {NPM_TIMEOUT_SECONDS} s (check the "
                "network and npm's registry setting, then run again)"
            ) from None
        if run.returncode != 0:
            said = " ".join(run.stderr.split()[-40:]) or f"exit status {run.returncode}"
            raise AssetError(
                f"`npm pack {package.spec}` failed: {said} (check the network and npm's "
                "registry setting, then run again)"
            )
        tarballs = sorted(Path(work).glob("*.tgz"))
        if len(tarballs) != 1:
            raise AssetError(
                f"`npm pack {package.spec}` left {len(tarballs)} tarballs, not one: "
                "nothing was installed"
            )
        return install(package, tarballs[0], root)


def _sha256_file(path: Path) -> str:
    with path.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def _sha512_file(path: Path) -> str:
    try:
        with path.open("rb") as stream:
            return hashlib.file_digest(stream, "sha512").hexdigest()
    except OSError as error:
        raise AssetError(f"{path}: cannot be read: {error}") from None


__all__ = [
    "CACHE_ENV",
    "FETCH_COMMAND",
    "AssetError",
    "Choice",
    "State",
    "Status",
    "cache_root",
    "choose",
    "fallback_line",
    "fetch",
    "install",
    "status",
]

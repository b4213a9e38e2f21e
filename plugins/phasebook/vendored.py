"""The browser libraries a site publishes, pinned: the one place their versions and checksums live.

Each is an npm package at one version. Two checksums pin it: the SHA-512 of the tarball
``npm pack`` fetches (the registry's ``dist.integrity``, in hex), checked before anything is
taken out of it, and the SHA-256 of each file taken out, checked again every time a build
publishes it from the cache (:mod:`phasebook.assetcache`). ``phasebook assets fetch``, the
plugin and ``scripts/fetch-mermaid`` / ``scripts/fetch-tablesort`` all read them here.

A new version is a deliberate change: bump the version and the tarball's SHA-512, run
``phasebook assets fetch`` (it refuses the files and prints their SHA-256), pin those, run the
tests.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PinnedFile:
    """One file taken out of a package's tarball."""

    member: str
    """Its path in the tarball (npm puts everything under ``package/``)."""
    name: str
    """Its name in the package's folder of the cache (or of ``vendor/``)."""
    sha256: str


@dataclass(frozen=True)
class Package:
    """An npm package at a pinned version, and the files Phasebook takes from it."""

    name: str
    version: str
    sha512: str
    """The tarball's SHA-512, in hex."""
    files: tuple[PinnedFile, ...]
    script: str
    """The file the site publishes (the others are its licence and its ``package.json``)."""
    label: str
    """What it is called in messages."""
    without: str
    """What a site does without it (the build's one line when no copy is found)."""

    @property
    def spec(self) -> str:
        """What ``npm pack`` is asked for."""
        return f"{self.name}@{self.version}"

    @property
    def script_file(self) -> PinnedFile:
        return next(pinned for pinned in self.files if pinned.name == self.script)


MERMAID = Package(
    name="mermaid",
    version="11.17.2",
    sha512=(
        "57a2b70bc101744b0f1595d228c25eea9a50384371b87011afd1af1d7e21878e"
        "e501b84c443f6a7f8a042bb2e869143150b31af34feab798073bbdda0a578106"
    ),
    files=(
        PinnedFile(
            "package/dist/mermaid.min.js",
            "mermaid.min.js",
            "581ed7d74bd9048d0e3a91363927d72ef22942d7722546b27f7cc29e35390eb8",
        ),
        PinnedFile(
            "package/LICENSE",
            "LICENSE",
            "ec9fb67dcb25eccc416ed56e1aab819222c805a2a4bfe4cb19e7556bf2ffde80",
        ),
        PinnedFile(
            "package/package.json",
            "package.json",
            "b3aa59ed78f7146391d76e6da0753e33ab31da809a5dbb5f45ee627365f40a5e",
        ),
    ),
    script="mermaid.min.js",
    label="Mermaid",
    without="diagrams load Mermaid from the theme's CDN",
)

TABLESORT = Package(
    name="tablesort",
    version="5.7.1",
    sha512=(
        "c26fb14a9a279a5375b298aec0696bbcd1a81bc7c4b28fb2f3a38e8d2f8f9744"
        "2c8defdc39549f52f10b71720b59cf3fb2011d63f34630fa34aa1146c982a7c1"
    ),
    # Only the core: phasebook-tables.js sorts numbers with its own comparator, so none of
    # tablesort's sort plugins (dist/sorts/) is needed.
    files=(
        PinnedFile(
            "package/dist/tablesort.min.js",
            "tablesort.min.js",
            "ee99f17ebc985170899a004e9f6bf09e7f60eb4b459b6bfe6683cf0140352c63",
        ),
        PinnedFile(
            "package/LICENCE",
            "LICENCE",
            "6ba5a8c71b9ab70f3f6247d8ec968b4a1e3767a52ff1dea41ff4bf6bcf02a9a8",
        ),
        PinnedFile(
            "package/package.json",
            "package.json",
            "e5dff228d8e3b251475c561bcff46d5465a08897b3037e41d75adc99bd43bbc2",
        ),
    ),
    script="tablesort.min.js",
    label="tablesort",
    without="findings tables filter but do not sort",
)

PACKAGES = (MERMAID, TABLESORT)
"""Every pinned package, by the name ``phasebook assets`` knows it as."""

__all__ = ["MERMAID", "PACKAGES", "TABLESORT", "Package", "PinnedFile"]

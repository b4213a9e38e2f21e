"""The asset cache: pinned Mermaid and tablesort, fetched with npm, checked, published offline.

No network: tarballs are built here with npm's layout (``package/…``) and pinned by test
packages; ``npm`` itself is a stand-in script on ``PATH``. One build uses the repository's
``vendor/`` (fetched from the registry by ``scripts/fetch-mermaid`` and ``fetch-tablesort``)
as the cache, against the real pins.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import re
import shutil
import subprocess
import sys
import tarfile
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.conftest import ROOT, build, run_cli

from phasebook import assetcache, plugin
from phasebook.assetcache import AssetError, State
from phasebook.vendored import MERMAID, PACKAGES, TABLESORT, Package, PinnedFile

SCRIPT = b"window.fakeLibrary = function () { return 1; };\n"
LICENCE = b"MIT: the fake library's licence\n"
MANIFEST = b'{"name": "fakelib", "version": "1.2.3"}\n'


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def tarball(path: Path, members: dict[str, bytes], links: dict[str, str] | None = None) -> Path:
    """A gzipped tarball holding ``members`` (name → bytes) and symbolic ``links``."""
    with tarfile.open(path, "w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        for name, target in (links or {}).items():
            info = tarfile.TarInfo(name)
            info.type = tarfile.SYMTYPE
            info.linkname = target
            archive.addfile(info)
    return path


def pinned(name: str, tgz: Path, script: bytes = SCRIPT) -> Package:
    """A package pinned to ``tgz`` and to the fake files' checksums (``script``'s for its
    script), laid out like an npm tarball."""
    return Package(
        name=name,
        version="1.2.3",
        sha512=hashlib.sha512(tgz.read_bytes()).hexdigest(),
        files=(
            PinnedFile(f"package/dist/{name}.min.js", f"{name}.min.js", sha256(script)),
            PinnedFile("package/LICENSE", "LICENSE", sha256(LICENCE)),
            PinnedFile("package/package.json", "package.json", sha256(MANIFEST)),
        ),
        script=f"{name}.min.js",
        label=name.title(),
        without=f"{name} is not there",
    )


def npm_layout(name: str, script: bytes = SCRIPT) -> dict[str, bytes]:
    return {
        f"package/dist/{name}.min.js": script,
        "package/LICENSE": LICENCE,
        "package/package.json": MANIFEST,
        "package/README.md": b"# not taken\n",
    }


@pytest.fixture
def fake(tmp_path: Path) -> tuple[Package, Path]:
    """A well-formed fake package and its tarball, pinned to each other."""
    tgz = tarball(tmp_path / "fakelib-1.2.3.tgz", npm_layout("fakelib"))
    return pinned("fakelib", tgz), tgz


# --- where the cache is ------------------------------------------------------------------


def test_cache_root_follows_the_environment(tmp_path: Path) -> None:
    """PHASEBOOK_CACHE, else an absolute XDG_CACHE_HOME, else ~/.cache/phasebook."""
    own, xdg = tmp_path / "own", tmp_path / "xdg"
    both = {"PHASEBOOK_CACHE": str(own), "XDG_CACHE_HOME": str(xdg)}
    assert assetcache.cache_root(both) == own
    assert assetcache.cache_root({"XDG_CACHE_HOME": str(xdg)}) == xdg / "phasebook"
    home = Path.home() / ".cache" / "phasebook"
    assert assetcache.cache_root({"XDG_CACHE_HOME": "relative/cache"}) == home
    assert assetcache.cache_root({}) == home


# --- install: check, then write ----------------------------------------------------------


def test_install_takes_only_the_pinned_files(fake: tuple[Package, Path], tmp_path: Path) -> None:
    package, tgz = fake
    root = tmp_path / "cache"
    result = assetcache.install(package, tgz, root)
    assert result.verified
    assert result.script == root / "fakelib" / "fakelib.min.js"
    assert result.script.read_bytes() == SCRIPT
    assert sorted(path.name for path in (root / "fakelib").iterdir()) == [
        "LICENSE", "fakelib.min.js", "package.json",
    ]
    assert assetcache.status(root, package).verified


def test_a_tarball_that_is_not_the_pinned_one_is_refused(
    fake: tuple[Package, Path], tmp_path: Path
) -> None:
    """Other bytes than the pinned SHA-512: refused, with both checksums, nothing written."""
    package, _ = fake
    other = tarball(tmp_path / "other.tgz", npm_layout("fakelib", b"window.evil = 1;\n"))
    root = tmp_path / "cache"
    with pytest.raises(AssetError) as caught:
        assetcache.install(package, other, root)
    message = str(caught.value)
    actual = hashlib.sha512(other.read_bytes()).hexdigest()
    assert message.startswith(f"{other}: SHA-512 {actual} is not the one pinned for fakelib@1.2.3")
    assert package.sha512 in message
    assert "refused, nothing was installed" in message
    assert not root.exists()


def test_a_file_that_is_not_the_pinned_one_is_refused(tmp_path: Path) -> None:
    """The tarball is the pinned one but a file in it is not: nothing at all is written, not
    even the files that match (the licence, package.json)."""
    tgz = tarball(tmp_path / "fakelib-1.2.3.tgz", npm_layout("fakelib"))
    package = pinned("fakelib", tgz, script=b"what the pin expects\n")
    root = tmp_path / "cache"
    with pytest.raises(AssetError, match=r"package/dist/fakelib\.min\.js has SHA-256 "
                       + sha256(SCRIPT) + ", not the pinned " + sha256(b"what the pin expects\n")):
        assetcache.install(package, tgz, root)
    assert not (root / "fakelib").exists()


def test_links_and_names_that_climb_out_are_never_followed(tmp_path: Path) -> None:
    """A pinned member that is a link is refused; a member named ``../…`` is never written
    (files are taken out by their pinned names only)."""
    outside = tmp_path / "outside"
    linked = tarball(
        tmp_path / "linked.tgz",
        {"package/LICENSE": LICENCE, "package/package.json": MANIFEST},
        links={"package/dist/fakelib.min.js": "/etc/passwd"},
    )
    with pytest.raises(AssetError, match=r"package/dist/fakelib\.min\.js is not a regular file"):
        assetcache.install(pinned("fakelib", linked), linked, tmp_path / "cache")

    climbing = tarball(
        tmp_path / "climbing.tgz",
        {**npm_layout("fakelib"), "../outside/evil.js": b"x", "/tmp/evil.js": b"x"},
    )
    root = tmp_path / "deep" / "cache"
    assert assetcache.install(pinned("fakelib", climbing), climbing, root).verified
    assert not outside.exists()
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.js")) == [
        "deep/cache/fakelib/fakelib.min.js"
    ]


def test_a_missing_member_is_refused(tmp_path: Path) -> None:
    members = npm_layout("fakelib")
    del members["package/LICENSE"]
    tgz = tarball(tmp_path / "fakelib-1.2.3.tgz", members)
    with pytest.raises(AssetError, match="package/LICENSE is not in it"):
        assetcache.install(pinned("fakelib", tgz), tgz, tmp_path / "cache")


def test_a_cached_file_altered_later_fails_its_check(
    fake: tuple[Package, Path], tmp_path: Path
) -> None:
    package, tgz = fake
    root = tmp_path / "cache"
    assetcache.install(package, tgz, root)
    script = root / "fakelib" / "fakelib.min.js"
    script.write_bytes(SCRIPT + b"window.evil = 1;\n")
    result = assetcache.status(root, package)
    assert result.state is State.MODIFIED
    assert result.detail == (
        f"{script} has SHA-256 {sha256(script.read_bytes())}, not the pinned {sha256(SCRIPT)}"
    )
    choice = assetcache.choose(package, None, root)
    assert (choice.path, choice.refused) == (None, result)
    (root / "fakelib" / "LICENSE").unlink()
    assert assetcache.status(root, package).state is State.MISSING


# --- fetch with npm (a stand-in on PATH) --------------------------------------------------


def fake_npm(folder: Path, tgz: Path | None, exit_status: int = 0) -> Path:
    """An ``npm`` that records its arguments and "packs" ``tgz`` into the current folder."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "npm"
    script.write_text(
        f"#!{sys.executable}\n"
        "import pathlib, shutil, sys\n"
        f"pathlib.Path({str(folder / 'args')!r}).write_text(' '.join(sys.argv[1:]))\n"
        f"source = {str(tgz) if tgz else ''!r}\n"
        "if source:\n"
        "    name = sys.argv[-1].replace('@', '-') + '.tgz'\n"
        "    shutil.copy(source, name)\n"
        "    print(name)\n"
        f"else:\n    print('npm error 404 Not Found - GET https://registry/x', file=sys.stderr)\n"
        f"sys.exit({exit_status})\n",
        encoding="utf-8",
    )
    script.chmod(0o755)
    return folder


def cli(*args: str, path: Path) -> subprocess.CompletedProcess[str]:
    """``phasebook ARGS`` with only ``path`` (and the interpreter's folder) on PATH."""
    env = {**os.environ, "PATH": f"{path}{os.pathsep}{Path(sys.executable).parent}"}
    return subprocess.run(
        [sys.executable, "-m", "phasebook.cli", *args],
        capture_output=True, text=True, check=False, cwd=ROOT, env=env,
    )


def test_fetch_asks_npm_for_the_pinned_version_and_refuses_other_bytes(tmp_path: Path) -> None:
    """`phasebook assets fetch`: `npm pack` of the pinned spec; a tarball that is not the
    pinned one is refused (exit 2, the file and both checksums said) and nothing is written."""
    impostor = tarball(tmp_path / "impostor.tgz", npm_layout("mermaid", b"window.evil = 1;\n"))
    npm = fake_npm(tmp_path / "bin", impostor)
    root = tmp_path / "cache"
    run = cli("assets", "fetch", "mermaid", "--dir", str(root), path=npm)
    assert run.returncode == 2
    assert (npm / "args").read_text() == f"pack --silent --ignore-scripts {MERMAID.spec}"
    assert re.fullmatch(
        rf"error: \S+/mermaid-11\.17\.2\.tgz: SHA-512 [0-9a-f]{{128}} is not the one pinned "
        rf"for mermaid@11\.17\.2 \({MERMAID.sha512}\): refused, nothing was installed .*\n",
        run.stderr,
    ), run.stderr
    assert "Traceback" not in run.stderr
    assert not root.exists()


def test_fetch_says_why_npm_failed_or_is_missing(tmp_path: Path) -> None:
    failing = fake_npm(tmp_path / "bin", None, exit_status=1)
    run = cli("assets", "fetch", "tablesort", "--dir", str(tmp_path / "cache"), path=failing)
    assert run.returncode == 2
    assert run.stderr.startswith(
        f"error: `npm pack {TABLESORT.spec}` failed: npm error 404 Not Found"
    )
    missing = cli("assets", "fetch", "--dir", str(tmp_path / "cache"), path=tmp_path / "none")
    assert missing.returncode == 2
    assert missing.stderr.splitlines() == [
        f"error: npm not found, so {package.spec} cannot be fetched (install Node.js, which "
        "brings npm, then run `phasebook assets fetch` again)"
        for package in PACKAGES
    ]


def test_fetch_installs_what_npm_packs_and_then_leaves_npm_alone(
    fake: tuple[Package, Path], tmp_path: Path
) -> None:
    """A tarball that matches the pins is installed; once the cache holds the package,
    checked, fetching again does not run npm at all."""
    package, tgz = fake
    npm = fake_npm(tmp_path / "bin", tgz)
    root = tmp_path / "cache"
    assert assetcache.fetch(package, root, npm=str(npm / "npm")).verified
    assert (npm / "args").read_text() == "pack --silent --ignore-scripts fakelib@1.2.3"
    (npm / "args").unlink()
    assert assetcache.fetch(package, root, npm=str(npm / "npm")).verified
    assert not (npm / "args").exists()


def test_status_says_what_the_cache_holds(tmp_path: Path) -> None:
    root = tmp_path / "cache"
    run = run_cli("assets", "status", "--dir", str(root))
    assert run.returncode == 1
    assert run.stdout.splitlines() == [
        f"{package.name} {package.version}: missing (not fetched in {root / package.name})"
        for package in PACKAGES
    ]
    unknown = run_cli("assets", "status", "leftpad")
    assert unknown.returncode == 2
    assert unknown.stderr == "error: no pinned package leftpad (known: mermaid, tablesort)\n"


# --- the plugin: publish the cached copy, or say once that there is none ------------------


MakeData = Callable[..., Path]


def site_scripts(site: Path) -> list[str]:
    """The ``src`` of every script the home page loads, in order."""
    return re.findall(r'<script src="([^"]+)"', (site / "index.html").read_text(encoding="utf-8"))


def fallback_lines(log: str) -> list[str]:
    return [line for line in log.splitlines() if "`phasebook assets fetch`" in line]


def require_vendor() -> None:
    """The repository's vendor/ holds the pinned files (``make test`` fetches them)."""
    if all(assetcache.status(ROOT / "vendor", package).verified for package in PACKAGES):
        return
    if os.environ.get("CI"):
        pytest.fail("vendor/ lacks the pinned Mermaid or tablesort (scripts/install-test-deps)")
    pytest.skip("vendor/ lacks the pinned Mermaid or tablesort: run `make mermaid`")


@pytest.mark.slow
def test_no_copy_anywhere_is_said_once_and_the_site_still_builds(
    programme_dir: MakeData, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Empty cache, no ``mermaid_js``: one info line naming the command (``--strict`` still
    passes), the theme's CDN for Mermaid, no tablesort; Phasebook's Mermaid guard stays."""
    caplog.set_level(logging.INFO, logger="mkdocs")  # as the mkdocs command shows them
    empty = tmp_path / "empty-cache"
    monkeypatch.setenv("PHASEBOOK_CACHE", str(empty))
    project = programme_dir().parent
    result = build(project)
    assert result.returncode == 0, result.stderr
    lines = fallback_lines(result.stderr)
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("INFO - phasebook: no local Mermaid 11.17.2 or tablesort 5.7.1")
    assert str(empty) in lines[0]
    assert "diagrams load Mermaid from the theme's CDN" in lines[0]
    names = [src.rsplit("/", 1)[-1] for src in site_scripts(project / "site")]
    assert "phasebook-mermaid.js" in names
    assert "mermaid.min.js" not in names
    assert "tablesort.min.js" not in names
    assert not (project / "site" / "assets" / "phasebook" / "mermaid.min.js").exists()


@pytest.mark.slow
def test_the_cached_copies_are_published_with_the_site(
    programme_dir: MakeData, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache filled from vendor/ (the registry's files, real pins): both scripts are
    published and the pages load them from the site itself, in the order that matters."""
    require_vendor()
    cache = tmp_path / "cache"
    for package in (MERMAID, TABLESORT):
        shutil.copytree(ROOT / "vendor" / package.name, cache / package.name)
    monkeypatch.setenv("PHASEBOOK_CACHE", str(cache))
    project = programme_dir().parent
    result = build(project)
    assert result.returncode == 0, result.stderr
    assert fallback_lines(result.stderr) == []
    site = project / "site"
    for package in (MERMAID, TABLESORT):
        published = site / "assets" / "phasebook" / package.script
        assert published.read_bytes() == (cache / package.name / package.script).read_bytes()
    scripts = site_scripts(site)
    assert not [src for src in scripts if "://" in src or src.startswith("//")]
    names = [src.rsplit("/", 1)[-1] for src in scripts]
    mermaid = names.index("mermaid.min.js")
    assert names[mermaid + 1] == "phasebook-mermaid.js"
    assert names.index("tablesort.min.js") < names.index("phasebook-tables.js")


@pytest.mark.slow
def test_an_altered_cached_copy_is_never_published(
    programme_dir: MakeData, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    fake: tuple[Package, Path],
) -> None:
    """A cached file changed after its fetch: a warning that names it and the fix (so
    ``--strict`` fails) and the site goes without it; untouched, the same copy is published."""
    package, tgz = fake
    cache = tmp_path / "cache"
    assetcache.install(package, tgz, cache)
    monkeypatch.setattr(plugin, "MERMAID", package)
    monkeypatch.setenv("PHASEBOOK_CACHE", str(cache))
    project = programme_dir().parent
    published = project / "site" / "assets" / "phasebook" / "mermaid.min.js"

    assert build(project).returncode == 0
    assert published.read_bytes() == SCRIPT

    script = cache / "fakelib" / "fakelib.min.js"
    altered = b"window.evil = 1;\n"
    script.write_bytes(altered)
    strict = build(project)
    assert strict.returncode == 1
    warning = (
        f"WARNING - phasebook: the cached Fakelib is not published: {script} has SHA-256 "
        f"{sha256(altered)}, not the pinned {sha256(SCRIPT)} "
        "(`phasebook assets fetch` fetches it again)"
    )
    assert warning in strict.stderr.splitlines()
    assert published.read_bytes() == SCRIPT  # the aborted build left the last good site

    lenient = build(project, strict=False)
    assert lenient.returncode == 0
    assert not published.exists()
    assert "mermaid.min.js" not in [s.rsplit("/", 1)[-1] for s in site_scripts(project / "site")]

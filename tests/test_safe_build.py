"""A build never destroys: no site_dir over the sources, and a failed build keeps the old site.

MkDocs empties ``site_dir`` before it builds. The plugin refuses a ``site_dir`` that is, holds
or sits in a source folder, and builds into a staging folder beside ``site_dir`` that replaces
the previous site only when the build succeeded (``phasebook.sitedir``).
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from tests.conftest import MKDOCS_YML, PHASE, build, write

from phasebook.sitedir import Source, Staging, overlap

REPORTED = PHASE.format(number=1) + "reports:\n  - path: reports/bandit.json\n"
DONE_WITHOUT_HANDOFF = "number: 1\ntitle: Done\nstatus: done\n"


def tree(folder: Path) -> dict[str, tuple[bytes, int] | None]:
    """Every entry under ``folder``: a file's bytes and mtime, ``None`` for a folder."""
    return {
        path.relative_to(folder).as_posix(): (
            None if path.is_dir() else (path.read_bytes(), path.stat().st_mtime_ns)
        )
        for path in sorted(folder.rglob("*"))
    }


def leftovers(project: Path) -> list[str]:
    """Staging folders a build left beside the site."""
    return sorted(p.name for p in project.iterdir() if ".phasebook-" in p.name)


def mkdocs(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``mkdocs ARGS`` in ``project``, as a user types it."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", *args], cwd=project, env=env,
        capture_output=True, text=True, check=False,
    )


@pytest.fixture
def project(programme_dir: Callable[..., Path]) -> Path:
    """A one-phase programme that expects a bandit report (missing at first: not an error)."""
    data = programme_dir({1: REPORTED})
    write(data.parent / "mkdocs.yml", MKDOCS_YML.format(extra_plugins=""))
    write(data.parent / "docs" / "notes.md", "# Notes\n\nBy hand.\n")
    return data.parent


# --- site_dir over the sources is refused before anything is deleted -----------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    ("site_dir", "message"),
    [
        ("data", "site_dir {root}/data is the phasebook data_dir"),
        ("data/reports", "site_dir {root}/data/reports is inside the phasebook data_dir"),
        (".", "The 'docs_dir' should not be within the 'site_dir'"),  # MkDocs' own check
        ("docs", "The 'docs_dir' should not be within the 'site_dir'"),
        ("mkdocs.yml", "site_dir {root}/mkdocs.yml is a file, not a folder"),
    ],
)
def test_site_dir_over_the_sources_is_refused(project: Path, site_dir: str, message: str) -> None:
    write(project / "data" / "reports" / "keep.txt", "evidence\n")
    before = tree(project)
    result = mkdocs(project, "build", "-d", site_dir)
    assert result.returncode == 1, result.stderr
    assert message.format(root=project.resolve()) in result.stderr
    assert "Traceback" not in result.stderr
    assert tree(project) == before  # nothing deleted, nothing written
    if "phasebook" in message:
        assert "Choose a folder of its own for the site" in result.stderr


def test_overlap_names_every_kind_of_source(tmp_path: Path) -> None:
    """The rule itself, including what MkDocs does not check: the project folder, hooks."""
    root = tmp_path / "project"
    (root / "data").mkdir(parents=True)
    sources = [
        Source("the project folder", root, "root"),
        Source("the data_dir", root / "data"),
        Source("a source file", root / "hooks" / "macros.py", "file"),
    ]
    assert overlap(root / "site", sources) is None
    assert overlap(root / "data", sources) == f"site_dir {root / 'data'} is the data_dir"
    assert overlap(root, sources) == f"site_dir {root} is the project folder"
    assert overlap(tmp_path, sources) == (
        f"site_dir {tmp_path} contains the project folder ({root})"
    )
    assert overlap(root / "data" / "out", sources) == (
        f"site_dir {root / 'data' / 'out'} is inside the data_dir ({root / 'data'})"
    )
    assert overlap(root / "hooks", sources) == (
        f"site_dir {root / 'hooks'} contains a source file ({root / 'hooks' / 'macros.py'})"
    )
    # A symlink does not hide the overlap.
    (tmp_path / "link").symlink_to(root / "data")
    assert overlap(tmp_path / "link", sources) == f"site_dir {root / 'data'} is the data_dir"


# --- a failed build keeps the previous site ---------------------------------------------------


@pytest.mark.slow
def test_failed_builds_keep_the_previous_site(project: Path) -> None:
    """A report that breaks after a good build, a template that fails, a warning under --strict:
    each build fails and the previous site stays byte for byte (and file times too)."""
    site = project / "site"
    assert build(project).returncode == 0
    (site / ".git").mkdir()  # e.g. a gh-pages checkout: MkDocs never cleans hidden entries
    (site / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n", encoding="utf-8")
    before = tree(site)
    assert "phase-1/00-brief/index.html" in before

    # 1. A report that cannot be read: the build stops in on_files, after MkDocs' clean.
    write(project / "data" / "reports" / "bandit.json", '{"results": [')
    result = build(project)
    assert result.returncode == 1
    assert "bandit.json" in result.stderr
    assert tree(site) == before
    assert leftovers(project) == []
    (project / "data" / "reports" / "bandit.json").unlink()

    # 2. A page template that fails while rendering (a Jinja error, not one of ours).
    write(project / "overrides" / "timeline.md.j2", "{{ no_such_variable }}\n")
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "mkdocs.yml").write_text(
        config.replace("      as_of: 2026-01-20\n",
                       "      as_of: 2026-01-20\n      templates_dir: overrides\n"),
        encoding="utf-8",
    )
    result_process = mkdocs(project, "build")
    assert result_process.returncode != 0
    assert "no_such_variable" in result_process.stderr
    assert tree(site) == before
    assert leftovers(project) == []
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")

    # 3. A warning under --strict: MkDocs aborts after on_post_build, when the site is built.
    write(project / "data" / "phases" / "phase-1.yml", DONE_WITHOUT_HANDOFF)
    result = build(project)
    assert result.returncode == 1
    assert "in strict mode" in result.stderr
    assert tree(site) == before
    assert leftovers(project) == []

    # The same build without --strict succeeds and replaces the site; hidden entries stay.
    result = build(project, strict=False)
    assert result.returncode == 0, result.stderr
    after = tree(site)
    assert after != before
    assert after[".git/HEAD"] == before[".git/HEAD"]
    assert leftovers(project) == []


@pytest.mark.slow
def test_build_leaves_site_dir_pointing_at_the_site(project: Path) -> None:
    """After the build config.site_dir is the real folder again: gh-deploy pushes it."""
    config = load_config(config_file=str(project / "mkdocs.yml"), strict=True)
    wanted = config.site_dir
    mkdocs_build(config)
    assert config.site_dir == wanted
    assert (Path(wanted) / "index.html").is_file()
    assert leftovers(project) == []


@pytest.mark.slow
def test_serve_builds_in_place(project: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Under ``mkdocs serve`` (its own temporary site_dir) nothing is staged or swapped."""
    serving = project / "served"
    config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(serving))
    config.plugins.on_startup(command="serve", dirty=False)
    with caplog.at_level(logging.INFO, logger="mkdocs"):
        mkdocs_build(config, serve_url="http://127.0.0.1:8000/")
    config.plugins.on_shutdown()
    assert config.site_dir == str(serving)
    assert (serving / "index.html").is_file()
    assert f"Building documentation to directory: {serving}" not in caplog.text
    assert "the new site replaces" not in caplog.text
    assert leftovers(project) == []


# --- the staging folder itself ----------------------------------------------------------------


def test_staging_swaps_in_and_keeps_hidden_entries(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write(site / "old.html", "old")
    write(site / ".git" / "HEAD", "ref")
    site.chmod(0o750)
    staging = Staging.begin(site)
    assert staging.folder.parent == tmp_path and staging.beside
    write(staging.folder / "new.html", "new")
    assert (site / "old.html").is_file()  # nothing changes before the commit
    staging.commit()
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*")) == [
        ".git", ".git/HEAD", "new.html"
    ]
    assert site.stat().st_mode & 0o777 == 0o750
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_staging_into_a_new_folder_and_discard(tmp_path: Path) -> None:
    site = tmp_path / "deep" / "site"
    staging = Staging.begin(site)
    write(staging.folder / "index.html", "new")
    staging.commit()
    assert (site / "index.html").read_text() == "new"
    failed = Staging.begin(site)
    write(failed.folder / "index.html", "half")
    failed.discard()
    assert (site / "index.html").read_text() == "new"
    assert sorted(p.name for p in site.parent.iterdir()) == ["site"]


def test_dirty_staging_starts_from_the_current_site(tmp_path: Path) -> None:
    """``mkdocs build --dirty``: unchanged files keep their bytes and times (MkDocs compares
    times to decide what to rebuild); hidden entries are carried over at the swap."""
    site = tmp_path / "site"
    page = write(site / "page" / "index.html", "page")
    os.utime(page, ns=(1_000_000_000, 1_000_000_000))
    write(site / ".git" / "HEAD", "ref")
    staging = Staging.begin(site, keep_existing=True)
    copied = staging.folder / "page" / "index.html"
    assert copied.read_text() == "page"
    assert copied.stat().st_mtime_ns == 1_000_000_000
    assert not (staging.folder / ".git").exists()
    staging.commit()
    assert (site / ".git" / "HEAD").read_text() == "ref"
    assert (site / "page" / "index.html").read_text() == "page"


def test_staging_elsewhere_replaces_the_contents(tmp_path: Path) -> None:
    """When the folder beside the site cannot be used (read-only parent, a mount point), the
    staged files replace the old ones in place, hidden entries kept."""
    site = tmp_path / "site"
    write(site / "old.html", "old")
    write(site / ".well-known" / "x", "kept")
    staging = Staging.begin(site)
    staging.discard()
    elsewhere = Staging(site.resolve(), tmp_path / "elsewhere", beside=False)
    write(elsewhere.folder / "new.html", "new")
    elsewhere.commit()
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*")) == [
        ".well-known", ".well-known/x", "new.html"
    ]
    assert not elsewhere.folder.exists()

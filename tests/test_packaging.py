"""The package as users get it: the sdist and the wheel `python -m build` makes, checked as the
package index checks them, then the wheel installed into a fresh venv that builds a site.

Slow: the build installs setuptools into an isolated environment, and the fresh venv installs
the wheel's dependencies, both from the package index (pip's cache makes a second run quick).
The sdist is built from a copy of the working tree as it is (bytecode included, no stale
``*.egg-info``), so what it ships depends on ``pyproject.toml`` alone.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
from tests.conftest import PROGRAMME, ROOT, write

pytestmark = pytest.mark.slow

PACKAGE = ROOT / "plugins" / "phasebook"
AS_OF = "2026-01-20"


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """A command with the environment a user's shell has: no PYTHONPATH, no active venv."""
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    env |= {"NO_MKDOCS_2_WARNING": "1", "PHASEBOOK_AS_OF": AS_OF}
    return subprocess.run(
        [str(arg) for arg in args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


def shipped_files() -> list[str]:
    """Every file of the package's source that must reach users, relative to the package:
    modules, templates, assets, ``py.typed`` and the scaffold (bytecode never)."""
    return sorted(
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    )


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``python -m build`` (sdist, then the wheel from the sdist) of the working tree."""
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md", *(p.name for p in ROOT.glob("LICEN[CS]E*"))):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(
        ROOT / "plugins", source / "plugins", ignore=shutil.ignore_patterns("*.egg-info")
    )
    out = source / "dist"
    result = run(sys.executable, "-m", "build", "--outdir", out, source)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return out


def only(folder: Path, pattern: str) -> Path:
    (found,) = folder.glob(pattern)
    return found


def test_twine_check_passes(dist: Path) -> None:
    """The metadata and the README render as PyPI will show them (``twine check --strict``)."""
    files = sorted(dist.iterdir())
    assert sorted(f.suffix for f in files) == [".gz", ".whl"], files
    result = run(sys.executable, "-m", "twine", "check", "--strict", *files)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("PASSED") == 2, result.stdout


def test_wheel_ships_every_package_file(dist: Path) -> None:
    """Every module, template (``templates/*.j2``), asset, ``py.typed`` and scaffold file is in
    the wheel, byte for byte; no bytecode is."""
    expected = shipped_files()
    for kind in ("templates/", "assets/", "scaffold/github/workflows/pages.yml", "py.typed"):
        assert any(name.startswith(kind) for name in expected), f"no {kind} in {PACKAGE}"
    with zipfile.ZipFile(only(dist, "*.whl")) as wheel:
        names = set(wheel.namelist())
        missing = [name for name in expected if f"phasebook/{name}" not in names]
        assert not missing, f"not in the wheel (see [tool.setuptools.package-data]): {missing}"
        changed = [
            name for name in expected
            if wheel.read(f"phasebook/{name}") != (PACKAGE / name).read_bytes()
        ]
        assert not changed, changed
        assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
        (entry_points,) = [n for n in names if n.endswith(".dist-info/entry_points.txt")]
        text = wheel.read(entry_points).decode()
    assert "[console_scripts]\nphasebook = phasebook.cli:main" in text
    assert "[mkdocs.plugins]\nphasebook = phasebook.plugin:PhasebookPlugin" in text


def test_sdist_ships_every_package_file(dist: Path) -> None:
    """The sdist holds the same files (the wheel above is built from it) and no bytecode."""
    with tarfile.open(only(dist, "*.tar.gz")) as sdist:
        names = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    missing = [name for name in shipped_files() if f"plugins/phasebook/{name}" not in names]
    assert not missing, missing
    assert {"pyproject.toml", "README.md", "PKG-INFO"} <= names
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]


@pytest.fixture(scope="module")
def venv(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel installed as a user installs it (dependencies from the
    package index); its ``bin`` folder. This venv's pip installs into it (``--python``): the
    same install, without the ten seconds ``ensurepip`` takes; no bytecode, for speed."""
    folder = tmp_path_factory.mktemp("venv")
    made = run(sys.executable, "-m", "venv", "--without-pip", folder)
    assert made.returncode == 0, made.stderr
    bin_dir = folder / "bin"
    installed = run(
        sys.executable, "-m", "pip", "--python", bin_dir / "python", "install", "--quiet",
        "--no-compile", only(dist, "*.whl"),
    )
    assert installed.returncode == 0, installed.stdout[-3000:] + installed.stderr[-3000:]
    return bin_dir


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small programme as the guide's "smallest site" lays it out, macros included."""
    folder = tmp_path_factory.mktemp("project")
    write(folder / "mkdocs.yml", """\
        site_name: Installed from the wheel
        theme:
          name: material
          font: false
        plugins:
          - search
          - phasebook:
              history_dir: data/history
          - macros:
              module_name: hooks/macros
              on_undefined: strict
        """)
    write(folder / "hooks/macros.py", "from phasebook.macros import define_env  # noqa: F401\n")
    write(folder / "data/programme.yml", PROGRAMME)
    write(folder / "data/phases/phase-1.yml", """\
        number: 1
        title: Foundation Audit & Baseline
        status: active
        objectives:
          - Measure coverage on `main`.
        """)
    write(folder / "data/phases/phase-2.yml", "number: 2\ntitle: Testing\n")
    (folder / "data/history").mkdir()
    write(folder / "docs/notes.md", "# Notes\n\nThe current phase: {{ phasebook_current_phase() }}\n")
    return folder


def test_installed_package_is_the_wheel(venv: Path, project: Path) -> None:
    """The venv imports Phasebook from its own site-packages, not from this checkout."""
    result = run(venv / "python", "-c", "import phasebook; print(phasebook.__file__)", cwd=project)
    assert result.returncode == 0, result.stderr
    location = Path(result.stdout.strip())
    assert location.is_relative_to(venv.parent), location
    assert "site-packages" in location.parts


def test_installed_wheel_builds_a_site_strict(venv: Path, project: Path) -> None:
    """The venv's ``mkdocs build --strict`` builds the programme with the plugin, its templates,
    assets and macros."""
    result = run(venv / "mkdocs", "build", "--strict", "-d", "site", cwd=project)
    assert result.returncode == 0, result.stderr
    site = project / "site"
    for page in ("index.html", "phase-1/00-brief/index.html", "phase-2/07-validation/index.html",
                 "timeline/index.html", "phasebook-snapshot.json",
                 "assets/phasebook/phasebook.css"):
        assert (site / page).is_file(), page
    assert "Foundation Audit" in (site / "notes/index.html").read_text(encoding="utf-8")


def test_installed_phasebook_validate(venv: Path, project: Path) -> None:
    """The venv's ``phasebook validate`` reads the same programme: no error, no warning."""
    result = run(venv / "phasebook", "validate", "--data", "data", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "Test programme: 2 phases" in result.stdout

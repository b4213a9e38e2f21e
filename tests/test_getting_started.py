"""The getting-started page, walked as a newcomer walks it: every command line of its ```sh
blocks runs, in the page's order, in an empty folder, in one shell state carried from line to
line (``cd``, ``. .venv/bin/activate``), each under ``bash -eo pipefail``. Phasebook comes from
the wheel ``python -m build`` makes of this checkout, installed by the page's own ``pip``.

A few lines cannot run as written here: they reach GitHub or npm, or serve until Ctrl-C.
``HANDLED`` below says how each one runs instead, and why; a line the page changes is no longer
known, so the test fails until ``HANDLED`` follows. Any other line runs exactly as written; one
that looks like it needs the network or never ends (``NEEDS_HANDLING``) fails the test first.

No network: pip never reaches an index (``PIP_NO_INDEX``). The project's venv sees the packages
of this test's environment through a ``.pth`` file, with their commands (``mkdocs``, ``pip``,
``pre-commit``) bound to its own Python, so Phasebook's dependencies are "already installed"
and only the wheel is new. The ``.pth`` names the folder only, so the ``.pth`` files in it (this
checkout's editable install) are not read: ``phasebook`` imports from the wheel or not at all;
pip leaves the editable install alone ("outside environment"). (Building the wheel installs
setuptools into ``python -m build``'s isolated environment, as tests/test_packaging.py does.)
"""

from __future__ import annotations

import html
import importlib.metadata
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path

import pytest
import yaml
from tests.conftest import ROOT, html_text

from phasebook import assetcache
from phasebook.render.pages import SECTIONS
from phasebook.vendored import PACKAGES

PAGE = ROOT / "docs" / "guide" / "getting-started.md"
TEMPLATE = ROOT / "plugins" / "phasebook" / "scaffold" / "github" / "workflows" / "pages.yml"
TEST_BIN = Path(sys.executable).parent  # this test environment's commands
TEST_SITE_PACKAGES = Path(sysconfig.get_path("purelib"))
# The day the walk happens: init starts phase 1 on the next Monday, 2026-12-07, the dates the
# page shows for `phasebook validate`.
AS_OF = "2026-12-02"
SHELLS = {"sh", "bash", "shell", "console", "zsh", "shell-session"}
# What would reach the network or never end if run as written: such a line must be in HANDLED.
NEEDS_HANDLING = re.compile(r"://|\bserve\b|\bassets fetch\b|\b(?:clone|curl|wget|npm|gh)\b")


# --- the page --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    """A fenced code block of the page: its language, first line number, text lines and
    ``title="…"``."""

    language: str
    line: int
    lines: tuple[str, ...]
    title: str = ""


FENCE = re.compile(r"^(?P<indent> *)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")


def blocks(text: str) -> list[Block]:
    """Every fenced block, its lines dedented by the fence's indentation (a block in a list)."""
    found: list[Block] = []
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        opening = FENCE.match(lines[index])
        index += 1
        if not opening:
            continue
        indent, fence = opening["indent"], opening["fence"]
        body: list[str] = []
        while index < len(lines) and lines[index].strip() != fence:
            body.append(lines[index].removeprefix(indent))
            index += 1
        index += 1
        language = (opening["info"].split() or [""])[0]
        title = re.search(r'title="([^"]*)"', opening["info"])
        found.append(
            Block(language, index - len(body) - 1, tuple(body), title[1] if title else "")
        )
    return found


@dataclass(frozen=True)
class Command:
    """One command line of an ```sh block (continuation lines joined), with its line number."""

    line: int
    text: str


def commands(text: str) -> list[Command]:
    found: list[Command] = []
    for block in blocks(text):
        if block.language != "sh":
            continue
        pending = ""
        for number, raw in enumerate(block.lines, start=block.line):
            line = pending + raw
            if line.endswith("\\"):
                pending = line[:-1]
                continue
            pending = ""
            if line.strip() and not line.lstrip().startswith("#"):
                found.append(Command(number, line.strip()))
        assert not pending, f"{PAGE.name}:{block.line}: a block ends in a continuation line"
    return found


def block_after(text: str, command: str, language: str = "text") -> Block:
    """The first ``language`` block after the ```sh block holding ``command``."""
    seen = False
    for block in blocks(text):
        if block.language == "sh" and command in block.lines:
            seen = True
        elif seen and block.language == language:
            return block
    raise AssertionError(f"no ```{language} block after `{command}` in {PAGE.name}")


# --- the shell the walk runs in --------------------------------------------------------------


@dataclass
class Walk:
    """A shell session in a folder: its current folder and environment carry from line to line,
    as in a terminal where one types the page's commands."""

    root: Path
    cwd: Path
    env: dict[str, str]
    outputs: dict[str, subprocess.CompletedProcess[str]] = field(default_factory=dict)

    def run(self, line: str, *, extra_path: Path | None = None) -> subprocess.CompletedProcess[str]:
        """``line`` under ``bash -eo pipefail``; fails the test on a non-zero status. A failure in
        an ``a && b`` list, which ``-e`` lets through, fails it too. ``extra_path`` goes first on
        PATH for this line only."""
        state = self.root / ".walk-state"
        state.mkdir(exist_ok=True)
        script = (
            f"{line}\n__walk_status=$?\n"
            f"pwd -P > {shlex.quote(str(state / 'cwd'))}\n"
            f"env -0 > {shlex.quote(str(state / 'env'))}\n"
            "exit $__walk_status\n"
        )
        env = dict(self.env)
        if extra_path is not None:
            env["PATH"] = f"{extra_path}{os.pathsep}{env['PATH']}"
        result = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
            cwd=self.cwd, env=env, capture_output=True, text=True, check=False, timeout=600,
        )
        assert result.returncode == 0, (
            f"`{line}` (in {self.cwd}) exited {result.returncode}:\n"
            f"{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
        )
        self.cwd = Path((state / "cwd").read_text(encoding="utf-8").strip())
        carried = dict(
            item.split("=", 1)
            for item in (state / "env").read_text(encoding="utf-8").split("\0")
            if "=" in item
        )
        for name in ("_", "SHLVL", "PWD", "OLDPWD"):
            carried.pop(name, None)
        if extra_path is not None:
            carried["PATH"] = self.env["PATH"]
        self.env = carried
        return result

    def which(self, command: str) -> Path:
        found = shutil.which(command, path=self.env["PATH"])
        assert found, f"no `{command}` on the walk's PATH"
        return Path(found)


def user_environment(root: Path) -> dict[str, str]:
    """A newcomer's shell: no venv active, a home of its own (no git or pip configuration, a
    fresh pre-commit and Phasebook cache), ``python`` the interpreter this Python's venv was
    made from, and nothing of this test's environment on PATH."""
    home = root / "home"
    home.mkdir()
    python_dir = root / "system-python"
    python_dir.mkdir()
    base = Path(getattr(sys, "_base_executable", sys.executable))
    (python_dir / "python").symlink_to(base)
    path = [python_dir, *(Path(p) for p in os.environ["PATH"].split(os.pathsep) if p)]
    path = [p for p in path if p.resolve() != TEST_BIN.resolve()]
    return {
        "PATH": os.pathsep.join(map(str, path)),
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "TMPDIR": os.environ.get("TMPDIR", "/tmp"),
        "NO_MKDOCS_2_WARNING": "1",
        "PHASEBOOK_AS_OF": AS_OF,
        "PIP_NO_INDEX": "1",  # no line of the page may reach a package index
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_AUTHOR_NAME": "Ann Owner",
        "GIT_AUTHOR_EMAIL": "ann@example.com",
        "GIT_COMMITTER_NAME": "Ann Owner",
        "GIT_COMMITTER_EMAIL": "ann@example.com",
    }


# --- the lines that do not run as written ----------------------------------------------------


@dataclass(frozen=True)
class Handled:
    """How a line of the page runs here, and why not as written."""

    reason: str
    run: Callable[[Walk, Path], None]  # (walk, wheel)


def _venv(walk: Walk, wheel: Path) -> None:
    walk.run("python -m venv --without-pip .venv && . .venv/bin/activate")
    venv = Path(walk.env["VIRTUAL_ENV"])
    site = walk.run("python -c 'import sysconfig; print(sysconfig.get_path(\"purelib\"))'")
    (Path(site.stdout.strip()) / "_getting_started_test.pth").write_text(
        f"{TEST_SITE_PACKAGES}\n", encoding="utf-8"
    )
    phasebook_commands = {
        entry.name
        for entry in importlib.metadata.distribution("mkdocs-phasebook").entry_points
        if entry.group == "console_scripts"
    }
    shebang = f"#!{TEST_BIN}/python"
    for script in sorted(TEST_BIN.iterdir()):
        target = venv / "bin" / script.name
        if target.exists() or script.name in phasebook_commands or not script.is_file():
            continue
        with script.open("rb") as file:
            first = file.readline().decode("utf-8", "replace")
        if first.startswith(shebang):
            rest = script.read_text(encoding="utf-8").split("\n", 1)[1]
            target.write_text(f"#!{venv}/bin/python\n{rest}", encoding="utf-8")
            target.chmod(0o755)


def _install_wheel(walk: Walk, wheel: Path) -> None:
    result = walk.run(f"pip install {shlex.quote(str(wheel))}")
    assert "Successfully installed mkdocs-phasebook-" in result.stdout, result.stdout


def _serve(walk: Walk, wheel: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = walk.root / "serve.log"
    with log.open("w", encoding="utf-8") as out:
        server = subprocess.Popen(
            ["bash", "--noprofile", "--norc", "-c",
             f"exec mkdocs serve --dev-addr 127.0.0.1:{port}"],
            cwd=walk.cwd, env=walk.env, stdout=out, stderr=subprocess.STDOUT,
        )
    try:
        home = _get_when_up(f"http://127.0.0.1:{port}/", server, log)
        assert "payments-api — Audit & Deployment Programme" in home
        brief = _get(f"http://127.0.0.1:{port}/phase-1/00-brief/")
        assert "1 · Foundation Audit & Baseline" in html.unescape(brief)
    finally:
        server.send_signal(signal.SIGINT)  # Ctrl-C, as the page says
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
            pytest.fail(f"mkdocs serve did not stop on Ctrl-C:\n{log.read_text()[-3000:]}")
    walk.outputs["mkdocs serve"] = subprocess.CompletedProcess(
        server.args, server.returncode, log.read_text(encoding="utf-8"), ""
    )


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        assert response.status == 200, url
        body: bytes = response.read()
    return body.decode("utf-8")


def _get_when_up(url: str, server: subprocess.Popen[bytes], log: Path) -> str:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert server.poll() is None, f"mkdocs serve ended:\n{log.read_text()[-3000:]}"
        try:
            return _get(url)
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.5)
    pytest.fail(f"mkdocs serve did not answer in 120 s:\n{log.read_text()[-3000:]}")


def _local_remote(walk: Walk, wheel: Path) -> None:
    remote = walk.root / "github-stand-in.git"
    walk.run(f"git init -q --bare {shlex.quote(str(remote))}")
    walk.run(f"git remote add origin {shlex.quote(str(remote))}")


def _fetch_assets(walk: Walk, wheel: Path) -> None:
    vendor = ROOT / "vendor"
    if not all(assetcache.status(vendor, package).verified for package in PACKAGES):
        pytest.fail("vendor/ lacks the pinned Mermaid or tablesort: run `make mermaid`")
    cache = Path(walk.env["HOME"]) / ".cache" / "phasebook"  # no PHASEBOOK_CACHE, no XDG
    for package in PACKAGES:
        shutil.copytree(vendor / package.name, cache / package.name)
    no_npm = walk.root / "no-npm"
    no_npm.mkdir()
    (no_npm / "npm").write_text("#!/bin/sh\necho 'npm: no network here' >&2\nexit 97\n")
    (no_npm / "npm").chmod(0o755)
    walk.run(GUIDE_FETCH, extra_path=no_npm)


GUIDE_PIP = 'pip install "mkdocs-phasebook @ git+https://github.com/phasebook-dev/phasebook"'
GUIDE_FETCH = "phasebook assets fetch    # npm pack mermaid@11.17.2 and tablesort@5.7.1, checked"
HANDLED: dict[str, Handled] = {
    "python -m venv .venv && . .venv/bin/activate": Handled(
        "a venv with pip would fetch Phasebook's dependencies from the index: it is made "
        "--without-pip and activated, then sees this test environment's packages (a .pth file) "
        "with their commands bound to its Python",
        _venv,
    ),
    GUIDE_PIP: Handled(
        "GitHub: the venv's pip installs the wheel built from this checkout instead",
        _install_wheel,
    ),
    "mkdocs serve": Handled(
        "serves until Ctrl-C: started on a free port, / and a phase page fetched (200), then "
        "stopped with SIGINT",
        _serve,
    ),
    "git remote add origin https://github.com/OWNER/REPO.git": Handled(
        "GitHub: a local bare repository is the remote, so `git push` runs as written",
        _local_remote,
    ),
    GUIDE_FETCH: Handled(
        "npm pack downloads from the registry: the cache is filled first from vendor/ (the "
        "same pinned files), so the fetch runs as written, checks them and downloads nothing "
        "(an `npm` that fails comes first on PATH)",
        _fetch_assets,
    ),
}


def page_commands() -> list[Command]:
    return commands(PAGE.read_text(encoding="utf-8"))


def test_every_command_is_run_or_handled() -> None:
    """The walk knows every line: the handled ones are on the page as written, and no other
    line needs the network or runs forever. Commands sit in ```sh blocks only."""
    text = PAGE.read_text(encoding="utf-8")
    other_shells = [b.line for b in blocks(text) if b.language in SHELLS - {"sh"}]
    assert not other_shells, f"write commands in ```sh blocks (lines {other_shells})"
    lines = [command.text for command in page_commands()]
    assert len(lines) >= 10, lines
    stale = [line for line in HANDLED if line not in lines]
    assert not stale, f"HANDLED names lines the page no longer has: {stale}"
    unhandled = [
        f"{PAGE.name}:{c.line}: {c.text}" for c in page_commands()
        if c.text not in HANDLED and NEEDS_HANDLING.search(c.text)
    ]
    assert not unhandled, f"say in HANDLED how these run offline: {unhandled}"
    assert all(handled.reason for handled in HANDLED.values())


# --- the walk --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``python -m build --wheel`` of the working tree, copied as tests/test_packaging.py
    copies it (no stale ``*.egg-info``)."""
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md", *(p.name for p in ROOT.glob("LICEN[CS]E*"))):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(
        ROOT / "plugins", source / "plugins",
        ignore=shutil.ignore_patterns("*.egg-info", "__pycache__"),
    )
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    result = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(source / "dist"), str(source)],
        env=env, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    (found,) = (source / "dist").glob("*.whl")
    return found


@pytest.fixture(scope="module")
def walk(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Walk:
    """Every command of the page, in order, from an empty folder."""
    root = tmp_path_factory.mktemp("getting-started")
    start = root / "work"
    start.mkdir()
    session = Walk(root, start, user_environment(root))
    for command in page_commands():
        handled = HANDLED.get(command.text)
        if handled is not None:
            handled.run(session, wheel)
            continue
        assert not NEEDS_HANDLING.search(command.text), (
            f"{PAGE.name}:{command.line}: `{command.text}` needs the network or never ends: "
            "say in HANDLED how it runs here"
        )
        session.outputs[command.text] = session.run(command.text)
    return session


@pytest.fixture(scope="module")
def project(walk: Walk) -> Path:
    """The folder the page's ``cd`` leads to, where ``phasebook init`` wrote the programme."""
    assert (walk.cwd / "mkdocs.yml").is_file(), walk.cwd
    assert walk.cwd == (walk.root / "work" / "payments-audit").resolve()
    return walk.cwd


def output_of(walk: Walk, prefix: str) -> subprocess.CompletedProcess[str]:
    (found,) = [result for line, result in walk.outputs.items() if line.startswith(prefix)]
    return found


@pytest.mark.slow
def test_the_commands_come_from_the_wheel(walk: Walk, project: Path) -> None:
    """``phasebook``, ``mkdocs``, ``pip`` and ``pre-commit`` are the project venv's, and its
    Python imports Phasebook from the wheel, not from this checkout."""
    venv = project / ".venv"
    for command in ("phasebook", "mkdocs", "pip", "pre-commit", "python"):
        assert walk.which(command).parent == venv / "bin", command
    where = walk.run("python -c 'import phasebook; print(phasebook.__file__)'").stdout.strip()
    assert Path(where).is_relative_to(venv), where
    assert "site-packages" in Path(where).parts
    # the wheel's install left this environment's own Phasebook as it was
    assert importlib.metadata.distribution("mkdocs-phasebook").read_text("RECORD")


@pytest.mark.slow
def test_init_wrote_the_files_the_page_lists(walk: Walk, project: Path) -> None:
    """Every path of the page's list is a file init wrote (as it says, and on disk), and every
    file it wrote is on the list."""
    text = PAGE.read_text(encoding="utf-8")
    init_line = next(c.text for c in page_commands() if c.text.startswith("phasebook init"))
    listed = [line.split()[0] for line in block_after(text, init_line).lines if line.strip()]
    patterns = [path.replace("phase-N", "phase-*") for path in listed]
    printed = output_of(walk, "phasebook init").stdout
    written = re.findall(r"^  (\S+)$", printed.split("Next:")[0], re.MULTILINE)
    assert len(written) == 17, printed
    assert all((project / name).is_file() for name in written)
    for pattern in patterns:
        assert any(fnmatch(n, pattern) for n in written), f"init did not write {pattern}"
    unlisted = [name for name in written if not any(fnmatch(name, p) for p in patterns)]
    assert not unlisted, f"init wrote files the page does not list: {unlisted}"
    assert "Replace this" in output_of(walk, "grep -rn").stdout


@pytest.mark.slow
def test_validate_prints_what_the_page_shows(walk: Walk) -> None:
    line = next(c.text for c in page_commands() if c.text.startswith("phasebook validate"))
    shown = block_after(PAGE.read_text(encoding="utf-8"), line).lines
    result = walk.outputs[line]
    assert result.stdout.splitlines() == list(shown)
    assert result.stderr == ""


@pytest.mark.slow
def test_serve_answered(walk: Walk) -> None:
    log = walk.outputs["mkdocs serve"].stdout
    assert "Serving on http://127.0.0.1:" in log
    assert "ERROR" not in log and "WARNING" not in log, log


@pytest.mark.slow
def test_the_strict_build_wrote_every_page(walk: Walk, project: Path) -> None:
    result = output_of(walk, "mkdocs build --strict")
    assert "WARNING" not in result.stderr, result.stderr
    site = project / "site"
    for number in range(1, 9):
        for section in SECTIONS:
            assert (site / f"phase-{number}" / section.slug / "index.html").is_file()
    assert "Replace this: a few lines" in html_text(site / "index.html")


def build_a_copy(walk: Walk, project: Path, folder: Path, edits: list[tuple[str, str, str]]
                 ) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """``mkdocs build --strict`` of a copy of the walked programme, named as the page's
    examples name it, after ``(file, old, new)`` edits."""
    copy = folder / "payments-audit"
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns(".venv", ".git", "site"))
    for name, old, new in edits:
        path = copy / name
        text = path.read_text(encoding="utf-8")
        assert old in text, (name, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = subprocess.run(
        [str(walk.which("mkdocs")), "build", "--strict"], cwd=copy, env=walk.env,
        capture_output=True, text=True, check=False,
    )
    return copy.resolve(), result


def assert_shows(shown: Block, copy: Path, log: str) -> None:
    """Each line of the page's example is a line of the log; the page's folder stands for the
    copy's, and "…" for text the page leaves out."""
    lines = log.splitlines()
    for line in shown.lines:
        if line.strip() in {"", "…"}:
            continue
        text = line.replace("/home/ann/payments-audit", str(copy))
        pattern = ".*".join(re.escape(part) for part in text.split("…"))
        assert any(re.fullmatch(pattern, out) for out in lines), f"{line}\nnot in:\n{log}"


@pytest.mark.slow
def test_the_pages_mistakes_are_what_the_build_says(
    walk: Walk, project: Path, tmp_path: Path
) -> None:
    """The page's examples of a build that stops: a misspelt key and a wrong status (errors),
    then phase 1 marked done in the new programme (warnings under ``--strict``)."""
    text = PAGE.read_text(encoding="utf-8")
    copy, result = build_a_copy(walk, project, tmp_path / "errors", [
        ("data/phases/phase-1.yml", "\ntooling:", "\ntoolng:"),
        ("data/phases/phase-2.yml", "status: planned", "status: finished"),
    ])
    assert result.returncode == 1
    # MkDocs logs on stderr, and says "Aborted …" on stdout
    assert_shows(block_after(text, "mkdocs serve"), copy, result.stderr + result.stdout)
    build_line = next(c.text for c in page_commands() if c.text.startswith("mkdocs build"))
    copy, result = build_a_copy(walk, project, tmp_path / "warnings", [
        ("data/phases/phase-1.yml", "status: active", "status: done"),
    ])
    assert result.returncode == 1
    assert_shows(block_after(text, build_line), copy, result.stderr + result.stdout)


@pytest.mark.slow
def test_the_hook_checked_the_commit(walk: Walk, project: Path) -> None:
    """pre-commit ran the local hook offline, before the run the page shows and the commit."""
    text = PAGE.read_text(encoding="utf-8")
    (shown,) = block_after(text, "pre-commit run --all-files").lines
    assert output_of(walk, "pre-commit run --all-files").stdout.splitlines() == [shown]
    assert (project / ".git/hooks/pre-commit").is_file()
    committed = output_of(walk, "git commit")
    said = committed.stdout + committed.stderr  # git runs the hook with its output on stderr
    assert re.search(r"^phasebook validate\.+Passed$", said, re.MULTILINE), said


@pytest.mark.slow
def test_the_push_published_the_programme_on_main(walk: Walk, project: Path) -> None:
    """The remote's ``main`` holds the programme with its workflow, without the venv or the
    built site; ``main`` is the branch the workflow publishes."""
    remote = walk.root / "github-stand-in.git"
    files = walk.run(f"git --git-dir {shlex.quote(str(remote))} ls-tree -r --name-only main")
    tracked = files.stdout.split()
    for name in (".github/workflows/pages.yml", ".pre-commit-config.yaml", "mkdocs.yml",
                 "data/programme.yml", "data/phases/phase-8.yml", "docs/index.md"):
        assert name in tracked, name
    assert not [n for n in tracked if n.startswith((".venv/", "site/", ".site."))], tracked
    workflow = yaml.safe_load((project / ".github/workflows/pages.yml").read_text("utf-8"))
    assert workflow[True]["push"]["branches"] == ["main"]  # YAML 1.1 reads `on` as True
    assert "refs/heads/main" in workflow["jobs"]["deploy"]["if"]


@pytest.mark.slow
def test_the_workflow_is_valid_and_the_template(project: Path) -> None:
    """The workflow init wrote (and the page's copy command rewrote) is the package's template,
    valid against GitHub's workflow schema."""
    workflows = sorted((project / ".github/workflows").glob("*.yml"))
    assert [w.name for w in workflows] == ["pages.yml"]
    assert workflows[0].read_bytes() == TEMPLATE.read_bytes()
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
         *map(str, workflows)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_the_asset_cache_holds_the_pins(walk: Walk) -> None:
    status = output_of(walk, "phasebook assets status").stdout
    cache = Path(walk.env["HOME"]) / ".cache" / "phasebook"
    for package in PACKAGES:
        assert assetcache.status(cache, package).verified, package.name
        assert f"{package.name} {package.version}" in status, status


@pytest.mark.slow
def test_the_smallest_site_builds_strict(walk: Walk, tmp_path: Path) -> None:
    """The files the page writes by hand, as its titled blocks give them, build ``--strict``
    with the wheel's MkDocs, macros included."""
    text = PAGE.read_text(encoding="utf-8")
    section = text.split("\n## The smallest site\n", 1)[1]
    files = {b.title: b.lines for b in blocks(section) if b.title}
    assert sorted(files) == ["data/phases/phase-1.yml", "data/phases/phase-2.yml",
                             "data/programme.yml", "hooks/macros.py", "mkdocs.yml"]
    site = tmp_path / "smallest"
    for name, lines in files.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    (site / "docs").mkdir()  # "MkDocs needs the folder, empty or not"
    result = subprocess.run(
        [str(walk.which("mkdocs")), "build", "--strict"], cwd=site, env=walk.env,
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    brief = html_text(site / "site/phase-1/00-brief/index.html")
    assert "Measure where payments-api stands before anything changes." in brief

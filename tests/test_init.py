"""``phasebook init``: a new programme that validates, builds ``--strict`` and passes its own
pre-commit hook straight away, and never writes over a file."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from mkdocs.utils.yaml import yaml_load
from tests.conftest import ROOT, build_subprocess, html_text

import phasebook.scaffold
from phasebook.build import BuildSettings
from phasebook.cli import main
from phasebook.load import load_programme
from phasebook.metric_catalog import SEED_METRICS, metric_definitions, phase_metrics
from phasebook.model import PhaseStatus, Programme
from phasebook.pipeline import build
from phasebook.readers.registry import known_formats
from phasebook.render.pages import SECTIONS
from phasebook.scaffold import ScaffoldError, ScaffoldFile, write, yaml_scalar
from phasebook.schedule import compute_schedule
from phasebook.schema import schema_texts

AS_OF = "2026-12-02"  # a Wednesday: the default start is the Monday after, 2026-12-07
START = dt.date(2026, 12, 7)
TITLES = (
    "Foundation Audit & Baseline",
    "Testing & Quality Enhancement",
    "Containerization & Packaging",
    "Infrastructure as Code",
    "Deployment Pipeline",
    "Monitoring & Observability",
    "Security Hardening",
    "Production Readiness",
)
WORKFLOW = Path(phasebook.scaffold.__file__).parent / "github" / "workflows" / "pages.yml"
WORKFLOW_MISSING = (
    f"{WORKFLOW.relative_to(ROOT)} is missing: it is the GitHub Pages workflow template that "
    "`phasebook init` copies into every new project as .github/workflows/pages.yml"
)
VENV_BIN = Path(sys.executable).parent  # where `phasebook` is installed with this Python


@pytest.fixture(autouse=True)
def _as_of(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PHASEBOOK_AS_OF", AS_OF)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")


def init(folder: Path, *args: str) -> int:
    return main(["init", str(folder), *args])


def files_under(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def load(project: Path) -> Programme:
    return load_programme(project / "data", project)


def test_init_writes_the_standard_programme(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "payments"
    assert init(project, "--project", "payments-api", "--owner", "Ann Owner (EM)") == 0
    out = capsys.readouterr().out
    written = files_under(project)
    expected = [
        ".gitignore",
        ".pre-commit-config.yaml",
        "data/history/README.md",
        *(f"data/phases/phase-{n}.yml" for n in range(1, 9)),
        "data/programme.yml",
        "docs/index.md",
        "mkdocs.yml",
        "schema/phase.schema.json",
        "schema/programme.schema.json",
    ]
    assert [name for name in written if not name.startswith(".github/")] == expected
    listed = re.findall(r"^  (\S+)$", out, re.MULTILINE)
    assert sorted(listed) == written  # every file written is named, and nothing else
    assert f"cd {project} && mkdocs serve" in out

    programme = load(project)
    info = programme.info
    assert info.name == "payments-api — Audit & Deployment Programme"
    assert (info.project, info.owner) == ("payments-api", "Ann Owner (EM)")
    assert (info.start_date, info.last_updated, info.phase_days) == (START, dt.date(2026, 12, 2), 14)
    assert info.communication and info.metrics == {}
    assert [p.title for p in programme.phases] == list(TITLES)
    assert [p.status for p in programme.phases] == [PhaseStatus.ACTIVE] + [PhaseStatus.PLANNED] * 7
    assert [programme.dependencies(p) for p in programme.phases] == [()] + [
        (n,) for n in range(1, 8)
    ]
    schedule = compute_schedule(programme)
    for phase in programme.phases:
        assert schedule.of(phase.number).start == START + dt.timedelta(days=14 * (phase.number - 1))
        assert phase.brief and phase.brief.startswith("Replace this:")
        assert phase.objectives and all(o.startswith("Replace this:") for o in phase.objectives)
        assert phase.scope and phase.scope.included and phase.scope.excluded
        assert phase.tooling
        assert phase.reports == []  # nothing shown as missing before CI writes a report
        assert phase.metrics == []
    # the seed's metrics, on the seed's phases
    definitions = metric_definitions(programme)
    assert definitions == SEED_METRICS
    for phase in programme.phases:
        expected_ids = [m.id for m in SEED_METRICS if phase.number in m.phases]
        assert [m.id for m in phase_metrics(definitions, phase)] == expected_ids


def test_schema_lines_point_at_the_schemas_written(tmp_path: Path) -> None:
    assert init(tmp_path) == 0
    for name, text in schema_texts().items():
        assert (tmp_path / "schema" / name).read_text(encoding="utf-8") == text
    for path in [tmp_path / "data/programme.yml", *sorted((tmp_path / "data/phases").iterdir())]:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
        assert match, first
        assert (path.parent / match[1]).resolve().is_file(), match[1]


@pytest.mark.parametrize("count", range(1, 9))
def test_every_phase_count_validates(tmp_path: Path, count: int) -> None:
    assert init(tmp_path, "--phases", str(count)) == 0
    programme = load(tmp_path)
    assert [p.title for p in programme.phases] == list(TITLES[:count])
    assert sorted((tmp_path / "data/phases").iterdir()) == [
        tmp_path / f"data/phases/phase-{n}.yml" for n in range(1, count + 1)
    ]
    result = build(BuildSettings(tmp_path / "data", tmp_path, START, tmp_path / "data/history"))
    assert result.warnings == ()
    # nothing in the files attaches a metric to a phase the programme lacks
    text = (tmp_path / "data/programme.yml").read_text(encoding="utf-8")
    assert not re.search(r"^metrics:", text, re.MULTILINE)


def test_validate_and_check_pass(tmp_path: Path) -> None:
    """What the pre-commit hook and the Pages workflow run, in a fresh interpreter."""
    assert init(tmp_path) == 0
    for command in ("validate", "check"):
        run = subprocess.run(
            [sys.executable, "-m", "phasebook.cli", command, "--data", str(tmp_path / "data")],
            capture_output=True, text=True, check=False,
        )
        assert run.returncode == 0, run.stderr
        assert run.stderr == ""
        if command == "validate":
            assert "8 phases, 2026-12-07 → 2027-03-29, critical path 1 → 2 → 3" in run.stdout


def test_commented_reports_are_valid_once_uncommented(tmp_path: Path) -> None:
    """Each phase lists its expected reports commented out; uncommented, they are valid."""
    assert init(tmp_path) == 0
    for path in (tmp_path / "data/phases").iterdir():
        text = path.read_text(encoding="utf-8")
        head, block = text.split("# reports:\n")
        assert all(line.startswith("#   ") for line in block.splitlines())
        path.write_text(head + "reports:\n" + re.sub(r"^# ", "", block, flags=re.M), "utf-8")
    programme = load(tmp_path)
    result = build(BuildSettings(tmp_path / "data", tmp_path, START))
    assert result.warnings == ()
    for phase in programme.phases:
        assert phase.reports, phase.number
        for ref in phase.reports:
            assert ref.path.startswith(f"reports/phase-{phase.number}/")
            assert ref.format in known_formats()
        missing = result.assessment.phases[phase.number].evidence.missing
        assert len(missing) == len(phase.reports)  # shown as missing, never as zero


def test_start_is_the_first_monday_from_today(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for as_of, start in (("2026-12-02", "2026-12-07"), ("2026-12-07", "2026-12-07"),
                         ("2026-12-13", "2026-12-14")):
        monkeypatch.setenv("PHASEBOOK_AS_OF", as_of)
        assert init(tmp_path / as_of) == 0
        assert str(load(tmp_path / as_of).info.start_date) == start
    assert init(tmp_path / "given", "--start", "2027-01-05") == 0
    assert load(tmp_path / "given").info.start_date == dt.date(2027, 1, 5)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--start", "2027-13-01"], "write it as YYYY-MM-DD"),
        (["--start", "3000-01-01"], "is not from 1900-01-01 to 2999-12-31"),
        (["--name", "  "], "name is empty"),
    ],
)
def test_bad_options_write_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert init(tmp_path / "new", *args) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "new").exists()


def test_phase_count_outside_the_standard_programme_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for count in ("0", "9"):
        with pytest.raises(SystemExit) as stop:
            init(tmp_path, "--phases", count)
        assert stop.value.code == 2
        assert "--phases" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_refuses_to_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "data/phases").mkdir(parents=True)
    (tmp_path / "mkdocs.yml").write_text("site_name: mine\n", encoding="utf-8")
    (tmp_path / "data/phases/phase-3.yml").write_text("number: 3\n", encoding="utf-8")
    (tmp_path / "README.md").write_text("mine\n", encoding="utf-8")  # not in the way
    assert init(tmp_path) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"{tmp_path} already holds 2 of the files to write" in captured.err
    assert re.search(r"^  mkdocs\.yml$", captured.err, re.MULTILINE)
    assert re.search(r"^  data/phases/phase-3\.yml$", captured.err, re.MULTILINE)
    assert "nothing was written" in captured.err
    assert files_under(tmp_path) == ["README.md", "data/phases/phase-3.yml", "mkdocs.yml"]
    assert (tmp_path / "mkdocs.yml").read_text(encoding="utf-8") == "site_name: mine\n"
    assert (tmp_path / "data/phases/phase-3.yml").read_text(encoding="utf-8") == "number: 3\n"


def test_refuses_a_file_where_a_folder_goes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "docs").write_text("a file\n", encoding="utf-8")
    assert init(tmp_path) == 2
    assert "docs (a file where a folder is needed)" in capsys.readouterr().err
    assert files_under(tmp_path) == ["docs"]


def test_a_failed_write_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scaffold = [ScaffoldFile("a.txt", b"a"), ScaffoldFile("b/c/d.txt", b"d"),
                ScaffoldFile("e/f.txt", b"f")]
    real_open = Path.open

    def failing_open(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self.name == "f.txt":
            raise OSError(28, "No space left on device")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", failing_open)
    with pytest.raises(ScaffoldError, match="No space left on device"):
        write(tmp_path / "new", scaffold)
    assert not (tmp_path / "new").exists()


def test_the_pages_workflow_is_copied(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert WORKFLOW.is_file(), WORKFLOW_MISSING
    assert init(tmp_path) == 0
    copy = tmp_path / ".github/workflows/pages.yml"
    assert copy.read_bytes() == WORKFLOW.read_bytes()
    assert "  .github/workflows/pages.yml\n" in capsys.readouterr().out
    # the workflow fetches earlier snapshots into the folder the plugin reads them from
    workflow_env = yaml.safe_load(copy.read_text(encoding="utf-8")).get("env", {})
    plugins = yaml_load((tmp_path / "mkdocs.yml").read_text(encoding="utf-8"))["plugins"]
    if "HISTORY_DIR" in workflow_env:
        assert workflow_env["HISTORY_DIR"] == plugins[1]["phasebook"]["history_dir"]


def test_macros_only_when_asked(tmp_path: Path) -> None:
    assert init(tmp_path / "plain") == 0
    assert init(tmp_path / "macros", "--macros") == 0
    plain = yaml_load((tmp_path / "plain/mkdocs.yml").read_text(encoding="utf-8"))
    with_macros = yaml_load((tmp_path / "macros/mkdocs.yml").read_text(encoding="utf-8"))
    names = [p if isinstance(p, str) else next(iter(p)) for p in plain["plugins"]]
    assert names == ["search", "phasebook"]
    assert plain["theme"]["font"] is False
    assert plain["plugins"][1]["phasebook"] == {"data_dir": "data", "history_dir": "data/history"}
    assert not (tmp_path / "plain/hooks").exists()
    assert "{{" not in (tmp_path / "plain/docs/index.md").read_text(encoding="utf-8")
    assert with_macros["plugins"][2]["macros"]["module_name"] == "hooks/macros"
    module = (tmp_path / "macros/hooks/macros.py").read_text(encoding="utf-8")
    assert "from phasebook.macros import define_env as define_phasebook_env" in module
    compile(module, "hooks/macros.py", "exec")
    assert "{{ phasebook_current_phase() }}" in (tmp_path / "macros/docs/index.md").read_text(
        encoding="utf-8"
    )


@pytest.mark.parametrize(
    "text",
    ["yes", "null", "3.10", "2026-01-01", "#1: Ops", "- dash", "O'Brien & Sons", '"q" \\ x',
     "{{ jinja }}", "!tag *alias &anchor", "line\u2028break", "Zoë 🚀 — ok", "[x], {y}"],
)
def test_names_are_kept_exactly(tmp_path: Path, text: str) -> None:
    args = ["--name", text, "--project", text, "--owner", text]
    assert init(tmp_path, *args) == 0
    info = load(tmp_path).info
    assert (info.name, info.project, info.owner) == (text, text, text)
    config = yaml_load((tmp_path / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["site_name"] == text


@given(st.text())
def test_yaml_scalar_reads_back(text: str) -> None:
    assert yaml.safe_load(f"key: {yaml_scalar(text)}\n") == {"key": text}


def test_the_shipped_hook_manifest() -> None:
    manifest = ROOT / ".pre-commit-hooks.yaml"
    run = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-manifest", str(manifest)],
        capture_output=True, text=True, check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    (hook,) = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    assert hook["id"] == "phasebook-validate"
    assert hook["language"] == "python"  # pre-commit installs this package for other repos
    assert hook["entry"] == "phasebook validate"
    assert hook["pass_filenames"] is False


def test_the_new_project_hook_is_local(tmp_path: Path) -> None:
    assert init(tmp_path) == 0
    config_file = tmp_path / ".pre-commit-config.yaml"
    run = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-config", str(config_file)],
        capture_output=True, text=True, check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    (repo,) = yaml.safe_load(config_file.read_text(encoding="utf-8"))["repos"]
    assert repo["repo"] == "local"  # runs offline, with the phasebook already installed
    (hook,) = repo["hooks"]
    assert hook == {
        "id": "phasebook-validate",
        "name": "phasebook validate",
        "entry": "phasebook validate --data data",
        "language": "system",
        "pass_filenames": False,
        "files": "^data/",
    }


# --- real runs: mkdocs build --strict, pre-commit ------------------------------------------


@pytest.fixture(scope="module")
def new_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("init") / "programme"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PHASEBOOK_AS_OF", AS_OF)
        assert init(project, "--project", "payments-api") == 0
    return project


@pytest.mark.slow
def test_the_new_programme_builds_strict(new_project: Path) -> None:
    run = build_subprocess(new_project)
    assert run.returncode == 0, run.stderr
    assert "WARNING" not in run.stderr
    site = new_project / "site"
    phases = sorted(p.name for p in site.glob("phase-*") if p.is_dir())
    assert phases == [f"phase-{n}" for n in range(1, 9)]
    for number in range(1, 9):
        for section in SECTIONS:
            page = site / f"phase-{number}" / section.slug / "index.html"
            assert page.is_file(), page
    home = html_text(site / "index.html")
    assert "payments-api — Audit & Deployment Programme" in home
    assert "Replace this: a few lines for the people who read this site" in home
    assert "1 · Foundation Audit & Baseline" in home
    findings = html_text(site / "phase-1/03-findings/index.html")
    assert "No tool reports are attached" in findings
    assert "missing" not in findings.lower()


@pytest.mark.slow
def test_the_macros_variant_builds_strict(tmp_path: Path) -> None:
    assert init(tmp_path, "--macros", "--phases", "3") == 0
    run = build_subprocess(tmp_path)
    assert run.returncode == 0, run.stderr
    assert "WARNING" not in run.stderr
    home = html_text(tmp_path / "site/index.html")
    assert "Current phase: 1 · Foundation Audit & Baseline, as of 2026-11-28." in home


def _pre_commit(project: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {
        key: value for key, value in os.environ.items() if not key.startswith("GIT_")
    }  # a test run from inside a git hook must not reach the outer repository
    env.update(
        PRE_COMMIT_HOME=str(home),
        PATH=f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}",  # the local hook's `phasebook`
        NO_MKDOCS_2_WARNING="1",
    )
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never"],
        capture_output=True, text=True, check=False, cwd=project, env=env,
    )


@pytest.mark.slow
def test_pre_commit_runs_the_hook(tmp_path: Path) -> None:
    git = shutil.which("git")
    assert git, "pre-commit needs git on PATH"
    assert (VENV_BIN / "phasebook").exists(), f"no phasebook command in {VENV_BIN}"
    project = tmp_path / "programme"
    assert init(project) == 0
    subprocess.run([git, "init", "-q"], cwd=project, check=True)
    subprocess.run([git, "add", "-A"], cwd=project, check=True)
    run = _pre_commit(project, tmp_path / "pre-commit-home")
    assert run.returncode == 0, run.stdout + run.stderr
    assert re.search(r"^phasebook validate\.+Passed$", run.stdout, re.MULTILINE), run.stdout

    phase = project / "data/phases/phase-2.yml"
    phase.write_text(
        phase.read_text(encoding="utf-8").replace("status: planned", "status: finished"),
        encoding="utf-8",
    )
    subprocess.run([git, "add", "-A"], cwd=project, check=True)
    run = _pre_commit(project, tmp_path / "pre-commit-home")
    assert run.returncode == 1
    assert re.search(r"^phasebook validate\.+Failed$", run.stdout, re.MULTILINE), run.stdout
    assert re.search(r"data/phases/phase-2\.yml:\d+:\d+: status: ", run.stdout), run.stdout

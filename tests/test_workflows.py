"""The GitHub workflows: this repository's (``.github/workflows/``) and the Pages workflow that
``phasebook init`` gives new projects (``scaffold/github/workflows/pages.yml``).

Every file is valid against GitHub's workflow schema, vendored in check-jsonschema (offline).
The job graphs are read from the YAML: what runs before what, which job may publish, with
which permissions, on which events. The Pages build job's shell steps then run for real, in
order, against a "live site" served on localhost: the history fetch, the gate check, the strict
build and the history carried forward, over two consecutive publications.
"""

from __future__ import annotations

import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from tests.conftest import PROGRAMME, ROOT, write

from phasebook.cli import main as phasebook_cli

WORKFLOWS = ROOT / ".github" / "workflows"
TEMPLATE = ROOT / "plugins" / "phasebook" / "scaffold" / "github" / "workflows" / "pages.yml"
PAGES = {"template": TEMPLATE, "repository": WORKFLOWS / "pages.yml"}
RELEASE = WORKFLOWS / "release.yml"
EVERY_WORKFLOW = [*sorted(WORKFLOWS.glob("*.yml")), TEMPLATE]
BIN = Path(sys.executable).parent


def load(path: Path) -> dict[str, Any]:
    """A workflow as a dict; ``on`` stays ``on`` (YAML 1.1 would read it as ``True``)."""
    document: dict[Any, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in document:
        document["on"] = document.pop(True)
    return document


def step_index(steps: list[dict[str, Any]], test: Any, what: str) -> int:
    """The index of the only step for which ``test(step)`` holds."""
    found = [i for i, step in enumerate(steps) if test(step)]
    assert len(found) == 1, f"{len(found)} steps {what}"
    return found[0]


def uses(action: str) -> Any:
    return lambda step: str(step.get("uses", "")).startswith(f"{action}@")


def runs(text: str) -> Any:
    return lambda step: text in step.get("run", "")


EXPRESSION = re.compile(r"'[^']*'|&&|\|\||==|!=|!|\(|\)|[A-Za-z_][\w.-]*")


def evaluate(condition: str, context: dict[str, str]) -> bool:
    """A job's ``if:`` written with ``==``, ``!=``, ``&&``, ``||``, ``!``, parentheses,
    'strings' and context names; any other syntax fails the test."""
    text = condition.strip().removeprefix("${{").removesuffix("}}")
    assert not EXPRESSION.sub("", text).strip(), f"cannot read {condition!r}"
    words = {"&&": "and", "||": "or", "!": "not"}
    python = []
    for token in EXPRESSION.findall(text):
        if token in words:
            python.append(words[token])
        elif token in {"==", "!=", "(", ")"}:
            python.append(token)
        elif token.startswith("'"):
            python.append(repr(token[1:-1]))
        else:
            python.append(repr(context[token]))
    return bool(eval(" ".join(python)))


# --- every workflow ------------------------------------------------------------------------


def check_jsonschema(*files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
         *map(str, files)],
        capture_output=True, text=True, check=False,
    )


def test_every_workflow_matches_githubs_schema() -> None:
    assert {path.name for path in EVERY_WORKFLOW} >= {"pages.yml", "release.yml"}
    result = check_jsonschema(*EVERY_WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_catches_a_mistake(tmp_path: Path) -> None:
    broken = tmp_path / "pages.yml"
    broken.write_text(TEMPLATE.read_text().replace("pages: write", "pages: publish"))
    result = check_jsonschema(broken)
    assert result.returncode != 0
    assert "pages" in result.stdout


@pytest.mark.parametrize("path", EVERY_WORKFLOW, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_scripts_take_no_expressions_and_actions_name_a_version(path: Path) -> None:
    """``${{ }}`` is never pasted into a shell script (values come in through ``env:``), and
    every action names the release it runs."""
    for job in load(path)["jobs"].values():
        for step in job["steps"]:
            assert "${{" not in step.get("run", ""), step
            if "uses" in step:
                assert re.fullmatch(r"[\w.-]+/[\w.-]+@[\w./-]+", step["uses"]), step["uses"]


# --- the Pages workflow ----------------------------------------------------------------------


@pytest.fixture(params=sorted(PAGES), ids=str)
def pages(request: pytest.FixtureRequest) -> dict[str, Any]:
    return load(PAGES[request.param])


def test_pages_runs_on_main_and_pull_requests(pages: dict[str, Any]) -> None:
    on = pages["on"]
    assert on["push"] == {"branches": ["main"]}
    assert "pull_request" in on
    assert "pull_request_target" not in on  # it would hand a fork's code a writing token


@pytest.mark.parametrize(
    ("event", "ref", "deploys"),
    [
        ("push", "refs/heads/main", True),
        ("workflow_dispatch", "refs/heads/main", True),
        ("pull_request", "refs/pull/7/merge", False),
        ("pull_request", "refs/heads/main", False),
        ("workflow_dispatch", "refs/heads/feature", False),
    ],
)
def test_pages_deploys_only_main_never_a_pull_request(
    pages: dict[str, Any], event: str, ref: str, deploys: bool
) -> None:
    deploy = pages["jobs"]["deploy"]
    context = {"github.event_name": event, "github.ref": ref}
    assert evaluate(deploy["if"], context) is deploys


def test_pages_deploy_needs_the_build_and_only_deploys(pages: dict[str, Any]) -> None:
    jobs = pages["jobs"]
    assert set(jobs) == {"build", "deploy"}
    deploy = jobs["deploy"]
    assert deploy["needs"] in ("build", ["build"])
    assert deploy["environment"]["name"] == "github-pages"
    # Nothing from the repository runs where the token can publish: no checkout, no script.
    assert [step.get("uses") for step in deploy["steps"]] == ["actions/deploy-pages@v4"]
    assert deploy["environment"]["url"] == "${{ steps.deployment.outputs.page_url }}"
    assert deploy["steps"][0]["id"] == "deployment"


def test_pages_permissions_write_only_where_it_deploys(pages: dict[str, Any]) -> None:
    assert pages["permissions"] == {"contents": "read"}
    jobs = pages["jobs"]
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    # configure-pages reads the site's address: `pages: read`, nothing that writes.
    assert jobs["build"]["permissions"] == {"contents": "read", "pages": "read"}


def test_pages_deployments_queue_and_are_never_cancelled(pages: dict[str, Any]) -> None:
    assert pages["jobs"]["deploy"]["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    # Not on the workflow or the build: pull requests must not wait for (or replace) a deploy.
    assert "concurrency" not in pages
    assert "concurrency" not in pages["jobs"]["build"]


def test_pages_build_steps_come_in_order(pages: dict[str, Any]) -> None:
    steps = pages["jobs"]["build"]["steps"]
    checkout = step_index(steps, uses("actions/checkout"), "check out")
    epoch = step_index(steps, runs("SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)"), "date")
    configure = step_index(steps, uses("actions/configure-pages"), "configure Pages")
    fetch = step_index(steps, runs("phasebook-snapshot.json"), "fetch the snapshot")
    check = step_index(steps, runs('phasebook check --summary "$GITHUB_STEP_SUMMARY"'), "check")
    build = step_index(steps, runs("mkdocs build --strict"), "build")
    carry = step_index(steps, runs("touch site/.nojekyll"), "carry the history")
    upload = step_index(steps, uses("actions/upload-pages-artifact"), "upload")
    assert checkout == 0
    assert configure < fetch < check < build < carry < upload
    assert epoch < check  # the check and the build are as of the commit's day
    assert steps[configure]["id"] == "pages"
    assert steps[fetch]["env"] == {"PAGES_URL": "${{ steps.pages.outputs.base_url }}"}
    assert steps[upload]["with"] == {"path": "site"}


def test_pages_a_failing_gate_fails_the_run(pages: dict[str, Any]) -> None:
    """No step is allowed to fail quietly, and none runs after a failure."""
    for step in pages["jobs"]["build"]["steps"]:
        assert "continue-on-error" not in step, step
        assert "if" not in step, step
        assert "|| true" not in step.get("run", ""), step


def test_repository_pages_runs_the_templates_steps() -> None:
    """This repository's Pages workflow differs from the template only in how it installs
    (Python's pip cache, Phasebook from the checkout, Mermaid bundled)."""
    template, repository = load(PAGES["template"]), load(PAGES["repository"])
    assert repository["on"] == template["on"]
    assert repository["permissions"] == template["permissions"]
    assert repository["jobs"]["deploy"] == template["jobs"]["deploy"]
    assert repository["env"]["HISTORY_DIR"] == template["env"]["HISTORY_DIR"]
    ours, theirs = repository["jobs"]["build"], template["jobs"]["build"]
    assert ours["permissions"] == theirs["permissions"]
    shared = [
        step for step in theirs["steps"]
        if "pip install" not in step.get("run", "") and not uses("actions/setup-python")(step)
    ]
    assert [step for step in ours["steps"] if step in shared] == shared


def history_dir_option(mkdocs_yml: str) -> str:
    (value,) = re.findall(r"^\s*history_dir:\s*(\S+)\s*$", mkdocs_yml, re.MULTILINE)
    return value


def test_history_folder_is_the_one_the_site_reads() -> None:
    repository = load(PAGES["repository"])["env"]["HISTORY_DIR"]
    assert repository == history_dir_option((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    scaffold = TEMPLATE.parents[2] / "mkdocs.yml.j2"
    if scaffold.exists():  # what `phasebook init` writes next to the workflow
        template = load(TEMPLATE)["env"]["HISTORY_DIR"]
        assert template == history_dir_option(scaffold.read_text(encoding="utf-8"))


# --- the release workflow --------------------------------------------------------------------


def test_release_runs_on_version_tags_only() -> None:
    release = load(RELEASE)
    assert release["on"] == {"push": {"tags": ["v*"]}}
    assert release["permissions"] == {"contents": "read"}


def test_release_publishes_the_checked_build() -> None:
    jobs = load(RELEASE)["jobs"]
    assert set(jobs) == {"build", "publish"}
    build, publish = jobs["build"], jobs["publish"]
    assert publish["needs"] in ("build", ["build"])
    steps = build["steps"]
    made = step_index(steps, runs("python -m build"), "build the dist")
    checked = step_index(steps, runs("twine check --strict dist/*"), "check the dist")
    handed = step_index(steps, uses("actions/upload-artifact"), "upload the dist")
    assert made < checked < handed
    assert steps[handed]["with"]["name"] == "dist"
    assert steps[handed]["with"]["path"] == "dist/"
    # publish: the same files, uploaded by the index's own action and nothing else
    assert [step.get("uses") for step in publish["steps"]] == [
        "actions/download-artifact@v4", "pypa/gh-action-pypi-publish@release/v1",
    ]
    assert publish["steps"][0]["with"] == {"name": "dist", "path": "dist/"}


def test_release_id_token_only_where_it_publishes() -> None:
    jobs = load(RELEASE)["jobs"]
    assert jobs["publish"]["permissions"] == {"id-token": "write"}
    assert jobs["publish"]["environment"]["name"] == "pypi"
    assert "permissions" not in jobs["build"]  # the workflow's `contents: read`


@pytest.mark.parametrize(("tag", "status"), [("v{version}", 0), ("v{version}.1", 1), ("x", 1)])
def test_release_refuses_a_tag_that_is_not_the_version(tag: str, status: int) -> None:
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    (step,) = [s for s in load(RELEASE)["jobs"]["build"]["steps"] if "GITHUB_REF_NAME" in s.get("run", "")]
    result = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
        cwd=ROOT, capture_output=True, text=True, check=False,
        env={**os.environ, "GITHUB_REF_NAME": tag.format(version=version),
             "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"},
    )
    assert result.returncode == status, result.stdout + result.stderr


# --- the Pages build job, run for real ---------------------------------------------------------


@contextmanager
def live_site(folder: Path, failing: frozenset[str] = frozenset()) -> Iterator[str]:
    """``folder`` served over HTTP as a project site (under ``/repo``); its base URL, written
    as configure-pages writes it (no trailing slash). Paths in ``failing`` answer 500."""

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(folder), **kwargs)

        def do_GET(self) -> None:
            if self.path.removeprefix("/repo/") in failing:
                self.send_error(500)
            else:
                super().do_GET()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/repo"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@dataclass
class JobRun:
    ran: list[str]
    failed: str | None
    log: str
    summary: str


def run_build_job(project: Path, base_url: str, runner_temp: Path) -> JobRun:
    """The template's build job, its shell steps in order as GitHub runs them (``bash -eo
    pipefail``, ``GITHUB_ENV``, ``GITHUB_STEP_SUMMARY``, ``RUNNER_TEMP``). The actions are
    stood in for: the project is the checkout, this venv is the Python with Phasebook
    installed, ``base_url`` is configure-pages' output, the test reads ``site/`` itself."""
    workflow = load(TEMPLATE)
    job = workflow["jobs"]["build"]
    runner_temp.mkdir(parents=True, exist_ok=True)
    github_env = runner_temp / "github_env"
    summary = runner_temp / "step_summary.md"
    keep = {"HOME", "LANG", "LC_ALL", "TMPDIR", "USER"}
    env = {name: value for name, value in os.environ.items() if name in keep}
    env |= {
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
        "GITHUB_ENV": str(github_env),
        "GITHUB_STEP_SUMMARY": str(summary),
        "RUNNER_TEMP": str(runner_temp),
        "NO_PROXY": "127.0.0.1",
    }
    env |= {name: str(value) for name, value in workflow["env"].items()}
    outputs = {"${{ steps.pages.outputs.base_url }}": base_url}
    ran: list[str] = []
    log = []
    for number, step in enumerate(job["steps"]):
        if "uses" in step or "pip install" in step["run"]:
            continue
        name = step.get("name", step["run"])
        github_env.write_text("")
        script = runner_temp / f"step-{number}.sh"
        script.write_text(step["run"])
        step_env = {key: outputs[value] for key, value in step.get("env", {}).items()}
        result = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=project, env=env | step_env, capture_output=True, text=True, check=False,
        )
        ran.append(name)
        log.append(f"## {name}\n{result.stdout}{result.stderr}")
        for line in github_env.read_text().splitlines():
            key, _, value = line.partition("=")
            env[key] = value
        if result.returncode != 0:
            return JobRun(ran, name, "\n".join(log), summary.read_text() if summary.exists() else "")
    return JobRun(ran, None, "\n".join(log), summary.read_text())


def git(project: Path, *args: str, date: str = "2026-02-10T12:00:00+00:00") -> None:
    subprocess.run(
        ["git", "-c", "user.name=CI", "-c", "user.email=ci@example.com",
         "-c", "commit.gpgsign=false", *args],
        cwd=project, check=True, capture_output=True,
        env={**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date},
    )


def snapshot(project: Path, as_of: str, out: Path, version: int | None = None) -> bytes:
    """The project's snapshot as of ``as_of``, written to ``out`` (its version replaced)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    status = phasebook_cli(["snapshot", "--data", str(project / "data"), "--root", str(project),
                            "--as-of", as_of, "--out", str(out)])
    assert status == 0
    if version is not None:
        document = json.loads(out.read_text())
        out.write_text(json.dumps(document | {"phasebook_snapshot": version}))
    return out.read_bytes()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A checkout of a small programme, as `phasebook init` lays one out: committed on
    2026-02-10, with one committed snapshot (as of 2026-01-27)."""
    folder = tmp_path / "checkout"
    write(folder / "mkdocs.yml", """\
        site_name: Published by the workflow
        theme:
          name: material
          font: false
        plugins:
          - search
          - phasebook:
              data_dir: data
              history_dir: data/history
        """)
    write(folder / "data/programme.yml", PROGRAMME)
    write(folder / "data/phases/phase-1.yml", "number: 1\ntitle: Baseline\nstatus: active\n")
    write(folder / "data/phases/phase-2.yml", "number: 2\ntitle: Testing\n")
    write(folder / "docs/notes.md", "# Notes\n")
    snapshot(folder, "2026-01-27", folder / "data/history/snapshot-phase-1-handoff.json")
    git(folder, "init", "-q")
    git(folder, "add", ".")
    git(folder, "commit", "-q", "-m", "programme")
    return folder


BUILD_STEPS = [
    "Date the build by its commit",
    "Fetch the history from the live site",
    "Check the gates",
    "Build the site",
    "Carry the history forward",
]


def names(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.glob("*.json"))


@pytest.mark.slow
def test_history_grows_from_publication_to_publication(project: Path, tmp_path: Path) -> None:
    """Run 1 fetches the live snapshot and the ones the site carries, keeps in the history
    only those that are readable, older than the build and not dated like a committed one,
    builds, and publishes everything it fetched for the next run. Run 2, a week later, from a
    fresh checkout, finds run 1's snapshot and the carried ones: one more point of history,
    with nothing committed."""
    live = tmp_path / "live" / "repo"
    carried = live / "phasebook-history"
    snapshot(project, "2026-02-03", live / "phasebook-snapshot.json")
    fetched = {day: snapshot(project, day, carried / f"live-{day}.json")
               for day in ("2026-01-20", "2026-01-27", "2026-02-10")}
    snapshot(project, "2026-01-13", carried / "live-2026-01-13.json", version=99)
    write(live / "escape.json", "{}")
    (carried / "index.txt").write_text(
        "live-2026-01-20.json\nlive-2026-01-27.json\nlive-2026-02-10.json\n"
        "live-2026-01-13.json\nlive-2026-01-06.json\n../escape.json\n"
    )

    with live_site(live.parent) as url:
        first = run_build_job(project, url, tmp_path / "runner-1")
    assert first.failed is None, first.log
    assert first.ran == BUILD_STEPS
    history = project / "data" / "history"
    # 01-27 is dated like the committed snapshot, 02-10 is the build's own day, 01-13 is of
    # another snapshot version (a warning), 01-06 is listed but absent, ../escape.json never read
    assert names(history) == [
        "live-2026-01-20.json", "live-2026-02-03.json", "snapshot-phase-1-handoff.json",
    ]
    assert (history / "live-2026-01-20.json").read_bytes() == fetched["2026-01-20"]
    assert "::warning::a snapshot of the live site is left out" in first.log
    assert "snapshot version 99 is not supported" in first.log
    assert not (project / "data" / "escape.json").exists()
    site = project / "site"
    assert (site / ".nojekyll").is_file()
    assert json.loads((site / "phasebook-snapshot.json").read_text())["as_of"] == "2026-02-10"
    assert (site / "phasebook-history/index.txt").read_text().split() == [
        "live-2026-01-20.json", "live-2026-01-27.json", "live-2026-02-03.json",
        "live-2026-02-10.json",
    ]
    assert "Phasebook check, as of 2026-02-10" in first.summary

    # The next push: run 1's site is live; a fresh checkout has the committed files only.
    shutil.rmtree(tmp_path / "live")
    shutil.copytree(site, tmp_path / "live" / "repo")
    shutil.rmtree(site)
    for path in history.glob("live-*.json"):
        path.unlink()
    git(project, "commit", "-q", "--allow-empty", "-m", "a week on", date="2026-02-17T09:00:00Z")
    with live_site(tmp_path / "live") as url:
        second = run_build_job(project, url, tmp_path / "runner-2")
    assert second.failed is None, second.log
    assert names(history) == [
        "live-2026-01-20.json", "live-2026-02-03.json", "live-2026-02-10.json",
        "snapshot-phase-1-handoff.json",
    ]
    # 02-10 is run 1's own snapshot, not the older one of that day the site carried
    published = (tmp_path / "live/repo/phasebook-snapshot.json").read_bytes()
    assert (history / "live-2026-02-10.json").read_bytes() == published
    assert json.loads((site / "phasebook-snapshot.json").read_text())["as_of"] == "2026-02-17"


@pytest.mark.slow
def test_first_publication_finds_no_history(project: Path, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with live_site(tmp_path / "empty") as url:
        result = run_build_job(project, url, tmp_path / "runner")
    assert result.failed is None, result.log
    assert "no earlier snapshot" in result.log
    assert names(project / "data/history") == ["snapshot-phase-1-handoff.json"]
    assert (project / "site/phasebook-history/index.txt").read_text() == ""
    assert (project / "site/.nojekyll").is_file()


def test_unreachable_history_stops_the_run(project: Path, tmp_path: Path) -> None:
    """Anything but "not found" stops the run before the build: publishing without the
    history would drop it for good."""
    (tmp_path / "live/repo").mkdir(parents=True)
    with live_site(tmp_path / "live", failing=frozenset({"phasebook-snapshot.json"})) as url:
        result = run_build_job(project, url, tmp_path / "runner")
    assert result.failed == "Fetch the history from the live site", result.log
    assert "HTTP Error 500" in result.log
    assert not (project / "site").exists()


def test_a_failing_gate_stops_the_run_before_the_build(project: Path, tmp_path: Path) -> None:
    """A phase marked done whose gates do not pass: the check fails the run (the job summary
    shows the matrix), nothing is built, so nothing can be deployed."""
    write(project / "data/phases/phase-1.yml", "number: 1\ntitle: Baseline\nstatus: done\n")
    (tmp_path / "empty").mkdir()
    with live_site(tmp_path / "empty") as url:
        result = run_build_job(project, url, tmp_path / "runner")
    assert result.failed == "Check the gates", result.log
    assert result.ran == BUILD_STEPS[:3]
    assert "| 1 · Baseline |" in result.summary
    assert not (project / "site").exists()


# --- the guide -------------------------------------------------------------------------------

GUIDE = ROOT / "docs" / "guide"


def test_publishing_guide_explains_every_step() -> None:
    text = (GUIDE / "publishing.md").read_text(encoding="utf-8")
    steps = load(TEMPLATE)["jobs"]["build"]["steps"]
    named = [step["name"] for step in steps if "name" in step]
    assert named, "the template's steps have names"
    missing = [name for name in named if f"| {name} |" not in text]
    assert not missing, f"docs/guide/publishing.md does not explain: {missing}"
    for fragment in ('phasebook check --summary "$GITHUB_STEP_SUMMARY"', "mkdocs build --strict",
                     "cancel-in-progress: false", "id-token: write", "release.yml"):
        assert fragment in text, fragment


def test_guide_workflow_snippets_are_whole() -> None:
    """A workflow shown in the guide says when it runs (no `jobs:` without `on:`)."""
    for page in sorted(GUIDE.glob("*.md")):
        text = page.read_text(encoding="utf-8")
        for block in re.findall(r"```ya?ml[^\n]*\n(.*?)```", text, re.DOTALL):
            if re.search(r"^jobs:", block, re.MULTILINE):
                assert re.search(r"^on:", block, re.MULTILINE), (page.name, block)


def test_getting_started_copies_the_template(tmp_path: Path) -> None:
    """The command the guide gives to copy the workflow from the installed package works."""
    text = (GUIDE / "getting-started.md").read_text(encoding="utf-8")
    (command,) = [line for line in text.splitlines()
                  if "scaffold/github/workflows/pages.yml" in line and line.startswith("python")]
    (tmp_path / ".github/workflows").mkdir(parents=True)
    result = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", command], cwd=tmp_path,
        env={**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"},
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / ".github/workflows/pages.yml").read_bytes() == TEMPLATE.read_bytes()

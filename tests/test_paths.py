"""Paths written in the YAML stay inside the project root (the folder of ``mkdocs.yml``).

A report ``path:`` (relative to the data folder) or an artifact path (relative to the project
root) that is absolute, climbs out with ``..``, or reaches a symbolic link to somewhere outside
is a ``file:line:col`` problem in ``phasebook validate``; the build checks the files again
before reading one, and names the YAML place instead of publishing the file.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.conftest import PHASE, PROGRAMME, ROOT, build, run_cli, write

from phasebook.collect import ReportCache, collect_evidence
from phasebook.errors import DataError
from phasebook.load import find_project_root, load_programme
from phasebook.model import ReportRef
from phasebook.readers import ReportError

MakeData = Callable[..., Path]
HEAD = PHASE.format(number=1)  # three lines: number, title, status
JUNIT = ROOT / "tests" / "fixtures" / "reports" / "junit-xml" / "pytest-four-outcomes.xml"
REPORT_HOW = "relative to the data folder, e.g. `reports/phase-1/bandit.json`"
ARTIFACT_HOW = "relative to the project root (the folder of mkdocs.yml), or an http(s) URL"
LINK_HINT = "copy the file into the project instead of linking to it"


def reports(path: str) -> str:
    """A phase whose one report path is ``path`` (its value at line 5, column 11)."""
    return HEAD + f"reports:\n  - path: {path}\n"


def problems(data: Path) -> list[tuple[str, str, str]]:
    """``(file:line:col, message, hint)`` of every problem loading ``data`` raises."""
    with pytest.raises(DataError) as caught:
        load_programme(data)
    return [(str(p.location), p.message, p.hint) for p in caught.value.problems]


def outside_file(tmp_path_factory: pytest.TempPathFactory, name: str = "secret.json") -> Path:
    """A file in a folder that is not under the test's project."""
    return write(tmp_path_factory.mktemp("outside") / name, '{"secret": "TOPSECRET"}\n')


# --- report paths --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "shown", "message"),
    [
        ("../../secret.json", "../../secret.json", "leads outside the project root {root}"),
        ("reports/../../../x.json", "reports/../../../x.json", "leads outside the project root {root}"),
        ("'..\\..\\x.json'", "..\\..\\x.json", "leads outside the project root {root}"),
        ("/etc/passwd", "/etc/passwd", "is an absolute path"),
        ("'C:\\reports\\x.json'", "C:\\reports\\x.json", "is an absolute path"),
        ("'\\\\server\\share\\x.json'", "\\\\server\\share\\x.json", "is an absolute path"),
    ],
)
def test_report_path_outside_the_root(
    programme_dir: MakeData, written: str, shown: str, message: str
) -> None:
    """Absolute paths (POSIX or Windows) and `..` past the root are located at the value."""
    data = programme_dir({1: reports(written)})
    root = data.parent.resolve()
    hint = (
        f"write it {REPORT_HOW}"
        if "absolute" in message
        else f"keep the file inside the project and write the path {REPORT_HOW}"
    )
    assert problems(data) == [
        (
            f"{data / 'phases' / 'phase-1.yml'}:5:11",
            f"report path `{shown}` " + message.format(root=root),
            hint,
        )
    ]


@pytest.mark.parametrize(
    ("written", "shown"), [("reports/a**/x.json", "reports/a**/x.json"), ("''", "")]
)
def test_report_path_that_is_no_pattern(programme_dir: MakeData, written: str, shown: str) -> None:
    """A pattern glob refuses (which crashed the build) is a located problem."""
    data = programme_dir({1: reports(written)})
    ((where, message, hint),) = problems(data)
    assert where == f"{data / 'phases' / 'phase-1.yml'}:5:11"
    assert message.startswith(f"report path `{shown}` is not a usable pattern: ")
    assert hint.startswith("use `*` inside a name and `**` only as a whole folder name")


def test_report_path_may_climb_within_the_root(programme_dir: MakeData) -> None:
    """`../reports/…` from the data folder is still inside the project: read as before."""
    data = programme_dir({1: reports("../ci/*.xml")})
    (data.parent / "ci").mkdir()
    shutil.copy(JUNIT, data.parent / "ci")
    programme = load_programme(data)
    evidence = collect_evidence(programme)[1]
    assert [report.path.name for _, report in evidence.reports] == ["pytest-four-outcomes.xml"]


def test_symlinked_report_is_refused(
    programme_dir: MakeData, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A report that is a link to a file outside the project is named with its target."""
    secret = outside_file(tmp_path_factory)
    data = programme_dir({1: reports("reports/*.json")})
    link = data / "reports" / "leak.json"
    link.parent.mkdir()
    link.symlink_to(secret)
    root = data.parent.resolve()
    assert problems(data) == [
        (
            f"{data / 'phases' / 'phase-1.yml'}:5:11",
            f"report path `reports/*.json` reaches {link}, a link to {secret.resolve()} outside "
            f"the project root {root}",
            LINK_HINT,
        )
    ]


def test_report_in_a_symlinked_folder_is_refused(
    programme_dir: MakeData, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A folder linked from outside: the files found through it are outside too."""
    secret = outside_file(tmp_path_factory)
    data = programme_dir({1: reports("reports/ext/*.json")})
    (data / "reports").mkdir()
    (data / "reports" / "ext").symlink_to(secret.parent, target_is_directory=True)
    ((where, message, hint),) = problems(data)
    assert where == f"{data / 'phases' / 'phase-1.yml'}:5:11"
    assert f"a link to {secret.resolve()} outside the project root" in message
    assert hint == LINK_HINT


def test_every_path_problem_of_a_phase_at_once(programme_dir: MakeData) -> None:
    """Two bad reports and a bad artifact: three problems from one run."""
    text = HEAD + (
        "reports:\n  - path: /a.json\n  - path: ../../b.json\n"
        "deliverables:\n  - id: D1\n    title: t\n    artifact: ../../c.md\n"
    )
    data = programme_dir({1: text})
    found = [where.split(".yml:")[1] for where, _, _ in problems(data)]
    assert found == ["5:11", "6:11", "10:15"]


# --- artifact paths ------------------------------------------------------------------------

ARTIFACT_FIELDS = [
    ("deliverables:\n  - id: D1\n    title: t\n    artifact: {}\n", "7:15"),
    ("inputs:\n  - location: {}\n    description: d\n", "5:15"),
    ("outputs:\n  - location: {}\n    description: d\n", "5:15"),
    ("handoff:\n  next_inputs:\n    - location: {}\n      description: d\n", "6:17"),
]


@pytest.mark.parametrize(("field", "where"), ARTIFACT_FIELDS)
@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("../outside.md", "artifact `../outside.md` leads outside the project root {root}"),
        ("data/../../x.md", "artifact `data/../../x.md` leads outside the project root {root}"),
        ("/etc/passwd", "artifact `/etc/passwd` is an absolute path"),
        ("file:///etc/passwd", "artifact `file:///etc/passwd` is a file: URL"),
    ],
)
def test_artifact_outside_the_root(
    programme_dir: MakeData, field: str, where: str, written: str, message: str
) -> None:
    """Every path-or-URL field (deliverables, inputs, outputs, next inputs) is checked."""
    data = programme_dir({1: HEAD + field.format(written)})
    ((location, found, hint),) = problems(data)
    assert location == f"{data / 'phases' / 'phase-1.yml'}:{where}"
    assert found == message.format(root=data.parent.resolve())
    assert ARTIFACT_HOW in hint


@pytest.mark.parametrize(
    "written",
    ["https://example.org/x", "http://example.org/../x", "data/artifacts/x.md", "docs/../README.md",
     "s3://bucket/key", "runbooks/"],
)
def test_artifact_urls_and_inside_paths_are_fine(programme_dir: MakeData, written: str) -> None:
    """http(s) URLs are URLs, not paths; a path that stays inside loads (present or not)."""
    field = ARTIFACT_FIELDS[0][0]
    programme = load_programme(programme_dir({1: HEAD + field.format(written)}))
    assert programme.phases[0].deliverables[0].artifact == written


def test_symlinked_artifact_is_refused(
    programme_dir: MakeData, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """An artifact that exists as a link to outside the project is refused with its target."""
    secret = outside_file(tmp_path_factory, "notes.md")
    data = programme_dir({1: HEAD + ARTIFACT_FIELDS[0][0].format("data/artifacts/notes.md")})
    link = data / "artifacts" / "notes.md"
    link.parent.mkdir()
    link.symlink_to(secret)
    root = data.parent.resolve()
    assert problems(data) == [
        (
            f"{data / 'phases' / 'phase-1.yml'}:7:15",
            f"artifact `data/artifacts/notes.md` reaches {root / 'data/artifacts/notes.md'}, a "
            f"link to {secret.resolve()} outside the project root {root}",
            LINK_HINT,
        )
    ]


def test_symlink_loop_is_refused_not_a_traceback(programme_dir: MakeData) -> None:
    """A link to itself (resolving it raised RuntimeError) is a located problem."""
    data = programme_dir({1: HEAD + ARTIFACT_FIELDS[0][0].format("data/artifacts/loop")})
    link = data / "artifacts" / "loop"
    link.parent.mkdir()
    link.symlink_to("loop")
    assert problems(data) == [
        (
            f"{data / 'phases' / 'phase-1.yml'}:7:15",
            f"artifact `data/artifacts/loop` reaches {data.parent.resolve() / 'data/artifacts/loop'}"
            ", a link that loops",
            "replace the link with the file itself",
        )
    ]


# --- the project root ----------------------------------------------------------------------


def test_project_root_is_the_folder_of_mkdocs_yml(tmp_path: Path) -> None:
    """With the data two levels down, `..` may climb to mkdocs.yml's folder and no further."""
    project = tmp_path / "project"
    write(project / "mkdocs.yml", "site_name: x\n")
    data = project / "site" / "data"
    write(data / "programme.yml", PROGRAMME)
    write(data / "phases" / "phase-1.yml", reports("../../ci/*.xml"))
    assert find_project_root(data) == project.resolve()
    assert load_programme(data).project_root == project.resolve()
    write(data / "phases" / "phase-1.yml", reports("../../../ci/*.xml"))
    ((_, message, _),) = problems(data)
    assert message == f"report path `../../../ci/*.xml` leads outside the project root {project}"


def test_without_mkdocs_yml_the_root_is_the_data_folders_parent(tmp_path: Path) -> None:
    """As `phasebook check` assumes for artifacts when no --root is given."""
    assert find_project_root(tmp_path / "data") == tmp_path.resolve()


# --- the build -----------------------------------------------------------------------------


def test_collect_refuses_a_link_made_after_loading(
    programme_dir: MakeData, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The build finds the files again: a link that appeared since is refused, not read."""
    secret = outside_file(tmp_path_factory)
    data = programme_dir({1: reports("reports/*.json")})
    programme = load_programme(data)
    (data / "reports").mkdir()
    (data / "reports" / "leak.json").symlink_to(secret)
    cache = ReportCache()
    with pytest.raises(ReportError) as caught:
        collect_evidence(programme, cache)
    text = str(caught.value)
    assert text.startswith(f"{data / 'phases' / 'phase-1.yml'}:5:11: report path `reports/*.json`")
    assert f"a link to {secret.resolve()} outside the project root" in text
    assert cache.misses == 0


@pytest.mark.parametrize("path", ["/etc/passwd", "../../secret.json", "reports/a**/x"])
def test_collect_refuses_paths_the_loader_would_have(programme_dir: MakeData, path: str) -> None:
    """Even handed a programme that skipped the loader's checks: an error, never a traceback."""
    programme = load_programme(programme_dir({1: HEAD}))
    phase = programme.phases[0].model_copy(update={"reports": [ReportRef(path=path)]})
    programme = programme.model_copy(update={"phases": (phase,)})
    with pytest.raises(ReportError) as caught:
        collect_evidence(programme)
    assert str(caught.value).startswith(f"{programme.phase_file(1)}:1:1: report path `{path}`")


def test_build_refuses_a_report_outside_and_publishes_nothing(
    tmp_path: Path, programme_dir: MakeData, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The bug: `path: ../../secret.json` was read and its findings published."""
    secret = outside_file(tmp_path_factory)
    relative = Path("..") / ".." / secret.parent.name / secret.name
    data = programme_dir({1: reports(str(relative))})
    result = build(tmp_path)
    assert result.returncode == 1
    assert f"{data / 'phases' / 'phase-1.yml'}:5:11: report path `{relative}`" in result.stderr
    site = tmp_path / "site"
    published = [p.read_text(errors="replace") for p in site.rglob("*") if p.is_file()]
    assert not any("TOPSECRET" in text for text in published)


def test_cli_validate_names_the_report_path(programme_dir: MakeData) -> None:
    """`phasebook validate`: exit 2 and one located line, no traceback."""
    data = programme_dir({1: reports("/etc/passwd")})
    result = run_cli("validate", "--data", str(data))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        f"error: {data / 'phases' / 'phase-1.yml'}:5:11: report path `/etc/passwd` is an "
        f"absolute path (write it {REPORT_HOW})"
    ]

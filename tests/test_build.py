"""Real ``mkdocs build --strict`` runs of small programmes and of the bundled example.

One module-scoped site (ten phases, a writer's page, mkdocs-macros on) serves most checks; the
failure cases and the example get their own builds.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.conftest import (
    MKDOCS_YML,
    PHASE,
    PROGRAMME,
    ROOT,
    build,
    build_subprocess,
    html_text,
    run_cli,
    write,
)

from phasebook.output.snapshot import SNAPSHOT_VERSION
from phasebook.readers import READERS

pytestmark = pytest.mark.slow

SECTIONS = (
    "00-brief", "01-input-handoff", "02-execution-plan", "03-findings",
    "04-artifacts", "05-decisions", "06-output-handoff", "07-validation",
)
EDIT = "https://github.com/example/repo/edit/main/"
PHASE_1 = PHASE.format(number=1).replace("planned", "active") + """\
brief: 'Brief says {{ 7 * 7 }} and <script>alert(1)</script>'
plan:
  - {title: 'Audit: step #1; {{ 7 * 7 }}', start: 2026-01-05, end: 2026-01-09}
handoff:
  summary:
    overview: Phase one went well, see `notes`.
    metrics: [{name: Coverage, value: 84 %, target: '> 80 %'}]
  critical_findings:
    - {title: 'Pipes | everywhere', kind: blocker, resolved: true}
  next_steps: ['Do the {{ 6 * 7 }} thing']
  open_questions: []
"""
WRITER_PAGE = "# Our plan\n\nWriter says {{ 1 + 1 }}.\n"


def edit_link(page: Path) -> str:
    """The href of Material's "Edit this page" button."""
    match = re.search(r'<a href="([^"]+)" title="Edit this page"', page.read_text(encoding="utf-8"))
    assert match, f"no edit link on {page}"
    return html.unescape(match[1])


def gantt_text(page: Path) -> str:
    """The Mermaid source of the first diagram on a built page, as Mermaid will read it."""
    match = re.search(
        r'<pre class="mermaid"><code>(.*?)</code></pre>', page.read_text(encoding="utf-8"), re.S
    )
    assert match, f"no Mermaid diagram on {page}"
    return html.unescape(match[1]).rstrip("\n") + "\n"


def text_from(page: Path, heading: str) -> str:
    """A built page's article text from ``heading`` on."""
    text = html_text(page)
    assert heading in text, (heading, text[:300])
    return text[text.index(heading) :]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Ten phases, a writer's page for phase 1's plan, macros on; built once with --strict."""
    project = tmp_path_factory.mktemp("site")
    data = project / "data"
    write(data / "programme.yml", PROGRAMME)
    write(data / "phases" / "phase-1.yml", PHASE_1)
    for number in range(2, 11):
        write(data / "phases" / f"phase-{number}.yml", PHASE.format(number=number))
    write(project / "docs" / "phase-1" / "02-execution-plan.md", WRITER_PAGE)
    write(project / "docs" / "guide" / "index.md", "# Guide\n\nWritten by hand.\n")
    result = build(project, extra_plugins="  - macros")
    assert result.returncode == 0, result.stderr
    return project / "site"


def test_eight_sections_for_every_phase(site: Path) -> None:
    """Every phase has its eight section pages at phase-N/<slug>/index.html."""
    for number in range(1, 11):
        for slug in SECTIONS:
            assert (site / f"phase-{number}" / slug / "index.html").is_file(), (number, slug)


def test_input_handoff_is_the_previous_output_handoff(site: Path) -> None:
    """Phase 2's 01-input-handoff shows the same handoff text as phase 1's 06-output-handoff."""
    output = text_from(site / "phase-1/06-output-handoff/index.html", "Summary")
    incoming = text_from(site / "phase-2/01-input-handoff/index.html", "Summary")
    assert incoming == output
    assert "Phase one went well, see notes" in output
    assert "Pipes | everywhere" in output
    assert "Do the {{ 6 * 7 }} thing" in output  # shown literally, never evaluated
    assert "42" not in output


def test_section_without_data_says_not_written_yet(site: Path) -> None:
    """A phase with no brief says so instead of showing an empty page."""
    brief = html_text(site / "phase-2/00-brief/index.html")
    assert "Not written yet" in brief
    assert "Add brief to data/phases/phase-2.yml" in brief


def test_gantt_holds_the_computed_dates(site: Path) -> None:
    """The timeline's Mermaid text has every phase with its computed start and length."""
    text = gantt_text(site / "timeline/index.html")
    start = dt.date(2026, 1, 5)
    for number in range(1, 11):
        day = start + dt.timedelta(days=14 * (number - 1))
        tags = "crit, active, " if number == 1 else "crit, "
        assert f"    Phase {number} :{tags}p{number}, {day:%Y-%m-%d}, 14d\n" in text
        handoff = day + dt.timedelta(days=14)
        assert f"    Handoff {number} :milestone, h{number}, {handoff:%Y-%m-%d}, 0d\n" in text
    assert "    As of 2026-01-20 :vert, asof, 2026-01-20, 0d\n" in text
    assert "todayMarker off" in text  # never the reader's clock


def test_plan_gantt_escapes_the_task_name(site: Path) -> None:
    """The plan's Gantt keeps the task's dates and shows its name without Mermaid syntax."""
    text = gantt_text(site / "phase-1/02-execution-plan/index.html")
    assert "    Audit꞉ step ＃1； (( 7 * 7 )) :t1, 2026-01-05, 5d\n" in text


def test_edit_links_point_at_the_yaml(site: Path) -> None:
    """Generated pages edit the YAML they came from; a writer's page edits itself."""
    assert edit_link(site / "phase-3/00-brief/index.html") == f"{EDIT}data/phases/phase-3.yml"
    assert edit_link(site / "phase-3/07-validation/index.html") == (
        f"{EDIT}data/phases/phase-3.yml"
    )
    # The input handoff is written in the previous phase's file.
    assert edit_link(site / "phase-2/01-input-handoff/index.html") == (
        f"{EDIT}data/phases/phase-1.yml"
    )
    assert edit_link(site / "risks/index.html") == f"{EDIT}data/programme.yml"
    assert edit_link(site / "phase-1/02-execution-plan/index.html") == (
        f"{EDIT}docs/phase-1/02-execution-plan.md"
    )


def test_nav_lists_phases_in_programme_order(site: Path) -> None:
    """Phase 10 comes after phase 9, not after phase 1; writers' pages come last."""
    home = (site / "index.html").read_text(encoding="utf-8")
    order = [int(n) for n in re.findall(r'href="phase-(\d+)/00-brief/"', home)]
    assert order[:10] == list(range(1, 11))
    titles = re.findall(r"(\d+) · Phase \1", html.unescape(re.sub(r"<[^>]+>", " ", home)))
    assert [int(t) for t in dict.fromkeys(titles)] == list(range(1, 11))
    assert home.index('href="guide/"') > home.index('href="communication/"')


def test_writer_page_keeps_its_text_and_gets_the_data(site: Path) -> None:
    """docs/phase-1/02-execution-plan.md: the writer's text first, macros run, data appended."""
    page = site / "phase-1/02-execution-plan/index.html"
    text = html_text(page)
    assert text.startswith("Our plan")
    assert page.read_text(encoding="utf-8").count("<h1") == 1
    assert "Writer says 2." in text  # the writer's macro is evaluated
    assert "{{ 1 + 1 }}" not in text
    task = "Audit: step #1; {{ 7 * 7 }}"
    assert task in text  # the appended data, literally
    assert text.index("Writer says 2.") < text.index(task)
    assert "49" not in text


def test_yaml_field_is_never_evaluated_by_macros(site: Path) -> None:
    """`{{ 7 * 7 }}` in a YAML field shows literally on a generated page, even with macros on;
    raw HTML in a writer's Markdown field is sanitized away (a script with its content)."""
    brief = html_text(site / "phase-1/00-brief/index.html")
    assert "Brief says {{ 7 * 7 }} and" in brief
    assert "alert(1)" not in brief
    assert "49" not in brief
    raw = (site / "phase-1/00-brief/index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in raw


def test_snapshot_is_published(site: Path) -> None:
    """Each build publishes its snapshot for the history folder."""
    snapshot = json.loads((site / "phasebook-snapshot.json").read_text(encoding="utf-8"))
    assert snapshot["phasebook_snapshot"] == SNAPSHOT_VERSION
    assert sorted(snapshot["phases"], key=int) == [str(n) for n in range(1, 11)]


# --- builds that must fail -----------------------------------------------------------------


def test_done_phase_with_empty_handoff_fails_strict(programme_dir: Callable[..., Path]) -> None:
    """A done phase whose handoff is empty warns, naming the YAML, and --strict fails."""
    data = programme_dir({1: "number: 1\ntitle: Done\nstatus: done\n"})
    result = build(data.parent)
    assert result.returncode != 0
    assert (
        f"WARNING - phasebook: {data / 'phases' / 'phase-1.yml'}:1:1: phase 1 is done but its"
        " handoff has empty sections: Summary, Critical Findings, Decisions Made, Artifacts"
        " Produced, Recommended Next Steps, Open Questions, Risks & Dependencies"
    ) in result.stderr
    assert "Aborted with" in result.stderr and "strict mode" in result.stderr
    assert "Traceback" not in result.stderr


def test_same_phase_builds_without_strict(programme_dir: Callable[..., Path]) -> None:
    """The handoff gap is a warning, not an error: without --strict the site is built."""
    data = programme_dir({1: "number: 1\ntitle: Done\nstatus: done\n"})
    result = build(data.parent, strict=False)
    assert result.returncode == 0, result.stderr
    assert (data.parent / "site/phase-1/06-output-handoff/index.html").is_file()


@pytest.mark.parametrize(
    ("phase", "where", "message"),
    [
        ("number: 1\ntitle: A\nstatus: finished\n", "3:9", "status: Input should be"),
        ("number: 1\ntitle: [oops\nstatus: done\n", "3:7", "YAML syntax error"),
        ("number: 1\ntitel: A\n", "2:1", "unknown key `titel` (did you mean `title`?)"),
    ],
)
def test_invalid_data_fails_with_location_and_no_traceback(
    programme_dir: Callable[..., Path], phase: str, where: str, message: str
) -> None:
    """`mkdocs build --strict` on bad data: exit 1, `file:line:col: message`, no traceback."""
    data = programme_dir({1: phase})
    write(data.parent / "mkdocs.yml", MKDOCS_YML.format(extra_plugins=""))
    (data.parent / "docs").mkdir()
    result = build_subprocess(data.parent)
    assert result.returncode == 1
    assert f"{data / 'phases' / 'phase-1.yml'}:{where}: {message}" in result.stderr
    assert "phasebook: the programme data is invalid" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (data.parent / "site").exists()


def test_unreadable_report_fails_and_missing_report_is_marked(
    programme_dir: Callable[..., Path],
) -> None:
    """A truncated report stops the build naming the file; a missing one is shown as missing."""
    phase = PHASE.format(number=1) + (
        "reports:\n  - path: reports/bandit.json\n  - path: reports/absent.xml\n    title: Coverage\n"
    )
    data = programme_dir({1: phase})
    write(data / "reports/bandit.json", '{"results": [')
    result = build(data.parent)
    assert result.returncode != 0
    assert f"{data / 'reports' / 'bandit.json'}:" in result.stderr
    bandit = ROOT.parent / "shared/reports/bandit/json/bandit-1.9.4-vulpy.json"
    if not bandit.is_file():
        pytest.skip("../shared/reports is not present")
    shutil.copy(bandit, data / "reports/bandit.json")
    result = build(data.parent)
    assert result.returncode == 0, result.stderr
    findings = html_text(data.parent / "site/phase-1/03-findings/index.html")
    assert "Coverage — — — — — missing" in findings
    details = list((data.parent / "site/phase-1/findings").glob("*/index.html"))
    assert len(details) == 1


# --- the bundled example -------------------------------------------------------------------


def test_example_builds_strict(tmp_path: Path) -> None:
    """The repository's own mkdocs.yml builds with --strict, every phase in place; the site's
    snapshot is exactly what `phasebook check --all --json` says of the same data (one path)."""
    phases = sorted((ROOT / "data" / "phases").glob("*.yml"))
    result = build_subprocess(ROOT, "-d", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    site = tmp_path / "site"
    for number in range(1, len(phases) + 1):
        for slug in SECTIONS:
            assert (site / f"phase-{number}" / slug / "index.html").is_file(), (number, slug)
    assert "gantt" in gantt_text(site / "timeline/index.html")
    guide = html_text(site / "guide/reports/index.html")
    missing = [reader.format for reader in READERS if f" {reader.format} " not in guide]
    assert not missing, f"formats missing from the guide's reports page: {missing}"
    check = run_cli("check", "--all", "--json", "--as-of", "2026-11-28")
    assert check.returncode in (0, 1), check.stderr
    published = json.loads((site / "phasebook-snapshot.json").read_text(encoding="utf-8"))
    assert json.loads(check.stdout) == published

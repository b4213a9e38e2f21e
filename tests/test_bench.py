"""The benchmarks measure what they say: generated reports are real, runs alternate as whole
processes, the plain sites are the pages Phasebook builds.

Tiny sizes only: these check the measuring, not Phasebook's speed (``python -m bench.run_all``
does that).
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest
from bench import build_time, read_speed, scale_phases
from bench.generate_large import Manifest, generate
from bench.report_makers import MAKERS
from bench.runner import BenchError, Goal, Section, Side, alternate, run_once
from bench.serve_time import _retitled
from bench.site_size import PageGrowth, page_set
from bench.sites import STUB, _drop_top_level

from phasebook.collect import collect_evidence
from phasebook.pipeline import load_checked
from phasebook.readers import read_report


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated project: 9 phases (one cloned), every JSON family twice, a Cobertura file."""
    folder = tmp_path_factory.mktemp("bench") / "project"
    generate(folder, findings=53, phases=9, cobertura_files=4, reports=2 * len(MAKERS))
    return folder


def test_generated_reports_read_back_with_the_counts_the_manifest_gives(project: Path) -> None:
    manifest = Manifest.read(project)
    json_reports = [r for r in manifest.reports if r.format != "cobertura-xml"]
    assert Counter(r.format for r in json_reports) == Counter(
        {maker.format: 2 for maker in MAKERS}
    )
    assert sum(r.findings for r in json_reports) == manifest.findings == 53
    for generated in manifest.reports:
        path = project / generated.path
        report = read_report(path)  # detected, as a build detects it
        assert report.format == generated.format, path.name
        assert generated.bytes == path.stat().st_size
        assert not report.skipped, path.name
        if generated.format == "cobertura-xml":
            assert len(report.records) == 4
            assert report.totals is not None and report.totals.lines_total == 4 * 120
        else:
            assert len(report.findings) == generated.findings, path.name
    assert manifest.input_bytes == sum(
        p.stat().st_size for p in (project / "data" / "reports").rglob("*") if p.is_file()
    )


def test_generated_programme_loads_and_attaches_the_reports_to_open_phases(project: Path) -> None:
    programme = load_checked(project / "data", project)
    assert [phase.number for phase in programme.phases] == list(range(1, 10))
    clone = programme.phases[-1]
    assert clone.title.endswith(" 9") and clone.status != "done"
    evidence = collect_evidence(programme)
    manifest = Manifest.read(project)
    for generated in manifest.reports:
        paths = {report.path.name for _, report in evidence[generated.phase].reports}
        assert Path(generated.path).name in paths
        assert programme.phases[generated.phase - 1].status != "done"


def test_generated_project_refuses_a_folder_it_did_not_make(tmp_path: Path) -> None:
    (tmp_path / "mine.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(SystemExit, match="not a generated project"):
        generate(tmp_path, findings=1, reports=1, cobertura_files=0)
    assert (tmp_path / "mine.txt").read_text(encoding="utf-8") == "keep me"


def _child(name: str, log: Path, seconds: float, megabytes: int = 0) -> Side:
    code = (
        "import sys; from bench.runner import report\n"
        f"held = bytearray({megabytes} * 1024 * 1024)\n"
        f"with open({str(log)!r}, 'a') as f: f.write({name!r} + '\\n')\n"
        f"report(seconds={seconds})\n"
    )
    return Side(name, [sys.executable, "-c", code])


def test_runner_alternates_whole_processes_and_drops_the_warm_up(tmp_path: Path) -> None:
    log = tmp_path / "order.txt"
    samples = alternate([_child("A", log, 1.5), _child("B", log, 0.5)], runs=3, warmup=1,
                        progress=False)
    assert log.read_text(encoding="utf-8").split() == ["A", "B"] * 4
    assert [len(samples["A"]), len(samples["B"])] == [3, 3]
    section = Section("test", samples)
    assert section.work("A").median == 1.5 and section.work("B").median == 0.5
    wall = section.wall("A")
    assert wall.min <= wall.median <= wall.max and wall.min > 0


def test_runner_takes_each_childs_own_peak_memory(tmp_path: Path) -> None:
    """wait4 gives one child's peak: a small child after a big one is not charged its peak."""
    log = tmp_path / "order.txt"
    big = run_once(_child("big", log, 0, megabytes=200))
    small = run_once(_child("small", log, 0))
    assert big.max_rss > 200 * 1024 * 1024
    assert small.max_rss < big.max_rss - 150 * 1024 * 1024


def test_runner_does_not_charge_a_child_with_its_parents_memory(tmp_path: Path) -> None:
    """A forked child inherits its parent's ru_maxrss on Linux; the runner must not."""
    held = bytearray(300 * 1024 * 1024)
    held[::4096] = b"x" * len(held[::4096])  # touch every page: it is resident now
    small = run_once(_child("small", tmp_path / "order.txt", 0))
    assert small.max_rss < 150 * 1024 * 1024
    del held


def test_runner_reports_a_failing_child_with_its_stderr() -> None:
    side = Side("broken", [sys.executable, "-c", "import sys; sys.exit('no such report')"])
    with pytest.raises(BenchError, match=r"broken: .* exited 1:\nno such report"):
        run_once(side)


def test_goal_verdicts_never_pass_without_data() -> None:
    assert Goal("x", None, 1.0).verdict == "NO DATA"
    assert Goal("x", 1.0, 1.0).verdict == "PASS"
    assert Goal("x", 1.01, 1.0).verdict == "FAIL"


def test_floor_config_drops_only_the_extra_files() -> None:
    text = (
        "site_name: x\nextra_css:\n- a.css\nnav:\n- Home: index.md\n"
        "extra_javascript:\n- path: b.js\n  defer: true\nnot_in_nav: '/p.md'\n"
    )
    assert _drop_top_level(text, ("extra_css", "extra_javascript")) == (
        "site_name: x\nnav:\n- Home: index.md\nnot_in_nav: '/p.md'\n"
    )


def test_yaml_edit_changes_only_the_phase_title() -> None:
    text = "number: 3\ntitle: Containers & Packaging\nplan:\n- title: keep\n"
    assert _retitled(text, "·2") == (
        "number: 3\ntitle: Containers & Packaging ·2\nplan:\n- title: keep\n"
    )
    with pytest.raises(BenchError, match="no top-level `title:`"):
        _retitled("number: 3\n", "·1")


def _pages(site: Path, sizes: dict[str, int]) -> Path:
    for page, size in sizes.items():
        (site / page).parent.mkdir(parents=True, exist_ok=True)
        (site / page).write_bytes(b"x" * size)
    return site


def test_page_growth_compares_only_the_pages_both_sites_have(tmp_path: Path) -> None:
    small = {"index.html": 200, "phase-1/index.html": 100, "only-small.html": 10}
    large = {"index.html": 500, "phase-1/index.html": 103, "phase-9/index.html": 9000}
    growth = PageGrowth.between(_pages(tmp_path / "a", small), _pages(tmp_path / "b", large))
    expected = {page: large[page] / small[page] for page in small.keys() & large.keys()}
    assert growth.ratios == expected
    assert growth.median == (expected["index.html"] + expected["phase-1/index.html"]) / 2
    assert growth.largest == ("index.html", expected["index.html"])
    assert growth.under("phase-").largest == ("phase-1/index.html", expected["phase-1/index.html"])
    assert PageGrowth({}).median is None and PageGrowth({}).largest is None


@pytest.mark.slow
def test_scale_bench_compares_each_page_at_both_sizes(tmp_path: Path) -> None:
    """One real run at 8 and 11 phases: every goal gets a figure, the page figure is over
    every page of the smaller site, and the brief's ratio is the files' own."""
    section = scale_phases.run(tmp_path, findings_per_phase=10, runs=1, large=11)
    assert all(goal.value is not None for goal in section.goals)
    small, large = tmp_path / "site-8", tmp_path / "site-11"
    pages = len(page_set(small))
    assert section.figures["pages in both sites, size at 11 / at 8 phases"].startswith(
        f"{pages} pages, median "
    )
    brief = [(site / scale_phases.BRIEF).stat().st_size for site in (small, large)]
    goals = {goal.name: goal.value for goal in section.goals}
    assert goals["phase 1 brief size, 11 / 8 phases"] == brief[1] / brief[0]
    assert goals["same page's size, 11 / 8 phases (median)"] == (
        PageGrowth.between(small, large).median
    )
    assert "(phase-" in section.figures["largest growth: a phase's page"]


@pytest.mark.slow
def test_build_bench_builds_the_same_pages_on_every_side(project: Path, tmp_path: Path) -> None:
    """One real run: the plain site renders Phasebook's HTML (edit links aside), the floor has
    the same pages as stubs, and every goal gets a figure."""
    section = build_time.run(project, tmp_path, runs=1)  # raises if the sites differ
    assert set(section.samples) == {build_time.PHASEBOOK, build_time.SAME_PAGES,
                                    build_time.FLOOR}
    assert all(goal.value is not None for goal in section.goals)
    same = (tmp_path / "same-pages" / "docs").rglob("*.md")
    text = "\n".join(page.read_text(encoding="utf-8") for page in same)
    assert "trivy (generated, " in text  # the generated reports are on the exported pages
    floor_page = tmp_path / "floor" / "docs" / "phase-3" / "03-findings.md"
    assert STUB in floor_page.read_text(encoding="utf-8")
    assert "floor (stub pages)" in section.render()


@pytest.mark.slow
def test_read_bench_reads_every_generated_finding(project: Path) -> None:
    section = read_speed.run(project, runs=1)
    formats = {maker.format for maker in MAKERS} | {"cobertura-xml"}
    assert len(section.goals) == len(formats)
    for fmt in formats:
        reader = section.samples[f"{fmt}: phasebook"][0]
        assert reader.reported["bytes"] > 0
        assert reader.work < reader.wall  # the child timed its reading, not its start-up

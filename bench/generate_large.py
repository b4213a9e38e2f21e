"""Generate a large programme as a self-contained project, for every benchmark to run against.

The project is the bundled example (``mkdocs.yml``, ``docs/``, ``hooks/``, ``data/`` and the
vendored Mermaid and tablesort) with generated reports attached to its phases, round-robin over
the phases that are not done (a done phase's gates would fail on them):
``--findings`` findings spread over ``--reports`` JSON reports that cycle through bandit,
Trivy, semgrep SARIF, pylint json2 and semgrep JSON (see ``report_makers``), plus one Cobertura
XML of ``--cobertura-files`` files on the first of those phases. ``--phases`` above eight adds
phases cloned from the example's planned phases 4–8 (their ids suffixed, their dates moved).

At the defaults (100,000 findings, 30 reports, 10,000 Cobertura files) it writes about 130 MB
of JSON and a 36 MB Cobertura file: about 170 MB of reports with the example's own.
``bench-project.json`` in the project lists every generated report with its format, phase,
findings and bytes, and the total size of the project's reports (the benchmarks' "input").

    python -m bench.generate_large OUT_DIR [--findings 100000] [--phases 8]
        [--cobertura-files 10000] [--reports 30]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import shutil
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import yaml

from bench.report_makers import MAKERS, cobertura

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = "bench-project.json"
REPORTS_SUBDIR = "reports/bench"
"""Where the generated reports go, relative to the data folder."""
TEMPLATE_PHASES = (4, 5, 6, 7, 8)
"""The example's planned phases, cloned in turn for phases 9 and up."""
EXAMPLE_PHASES = 8
PHASE_DAYS = 14


@dataclass(frozen=True)
class GeneratedReport:
    """One generated report: where it is (relative to the project), what it holds."""

    path: str
    format: str
    phase: int
    findings: int
    bytes: int


@dataclass(frozen=True)
class Manifest:
    """What a generated project holds; the benchmarks read it instead of guessing."""

    findings: int
    phases: int
    cobertura_files: int
    reports: list[GeneratedReport]
    input_bytes: int
    """Every report of the project (the example's and the generated ones), in bytes."""

    def write(self, project: Path) -> None:
        (project / MANIFEST).write_text(json.dumps(asdict(self), indent=2), encoding="utf-8")

    @classmethod
    def read(cls, project: Path) -> Manifest:
        path = project / MANIFEST
        if not path.is_file():
            raise SystemExit(
                f"{path}: not a generated project (make one with "
                f"`python -m bench.generate_large {project}`)"
            )
        data = json.loads(path.read_text(encoding="utf-8"))
        reports = [GeneratedReport(**report) for report in data.pop("reports")]
        return cls(reports=reports, **data)


class _Dumper(yaml.SafeDumper):
    """Multi-line text as ``|`` blocks, so the generated YAML reads like the example's."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def _dump(path: Path, data: dict[str, Any]) -> None:
    text = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    path.write_text(text, encoding="utf-8")


def copy_example(out: Path, example: Path = ROOT) -> None:
    """The example project: config, writers' pages, macros, data and the vendored scripts.

    ``example`` is any project laid out like the bundled one (mkdocs.yml, docs/, hooks/, data/
    with phases 1–8); the bundled example is the default.
    """
    shutil.copy2(example / "mkdocs.yml", out / "mkdocs.yml")
    for folder in ("docs", "hooks", "data"):
        shutil.copytree(example / folder, out / folder)
    for vendored in ("mermaid", "tablesort"):  # what mkdocs.yml and the plugin publish
        source = example / "vendor" / vendored
        if source.is_dir():
            shutil.copytree(source, out / "vendor" / vendored)


def _shift_dates(value: Any, days: int) -> Any:
    if isinstance(value, dt.date):
        return value + dt.timedelta(days=days)
    if isinstance(value, dict):
        return {key: _shift_dates(item, days) for key, item in value.items()}
    if isinstance(value, list):
        return [_shift_dates(item, days) for item in value]
    return value


def clone_phase(template: dict[str, Any], number: int) -> dict[str, Any]:
    """A planned phase like ``template``, numbered ``number``, its ids and dates its own."""
    offset = number - int(template["number"])
    phase: dict[str, Any] = _shift_dates(template, offset * PHASE_DAYS)
    phase["number"] = number
    phase["title"] = f"{template['title']} {number}"
    phase.pop("depends_on", None)  # the previous phase, like a plain sequence
    renamed: dict[str, str] = {}
    for key in ("deliverables", "plan", "decisions", "risks"):
        for item in phase.get(key) or []:
            renamed[item["id"]] = new_id = f"{item['id']}-{number}"
            item["id"] = new_id
    for decision in phase.get("decisions") or []:
        decision["relates_to"] = [renamed.get(i, i) for i in decision.get("relates_to") or []]
    return phase


def write_phases(data: Path, phases: int) -> dict[int, dict[str, Any]]:
    """The example's phases plus clones up to ``phases``, by number (not yet written)."""
    folder = data / "phases"
    loaded = {}
    for path in sorted(folder.glob("*.yml")):
        phase = yaml.safe_load(path.read_text(encoding="utf-8"))
        loaded[int(phase["number"])] = phase
    for number in range(EXAMPLE_PHASES + 1, phases + 1):
        template = loaded[TEMPLATE_PHASES[(number - EXAMPLE_PHASES - 1) % len(TEMPLATE_PHASES)]]
        loaded[number] = clone_phase(template, number)
    return loaded


def write_reports(
    data: Path,
    phases: dict[int, dict[str, Any]],
    findings: int,
    reports: int,
    cobertura_files: int,
    rng: random.Random,
) -> list[GeneratedReport]:
    """Write the reports under ``data/reports/bench`` and attach them to the open phases."""
    open_phases = [n for n, phase in sorted(phases.items()) if phase.get("status") != "done"]
    folder = data / REPORTS_SUBDIR
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for index in range(reports):
        maker = MAKERS[index % len(MAKERS)]
        count = findings // reports + (1 if index < findings % reports else 0)
        name = f"{index:02d}-{maker.tool}{maker.suffix}"
        path = folder / name
        path.write_text(json.dumps(maker.make(rng, count)), encoding="utf-8")
        phase = open_phases[index % len(open_phases)]
        _attach(phases[phase], name, f"{maker.tool} (generated, {count} findings)")
        written.append(
            GeneratedReport(f"data/{REPORTS_SUBDIR}/{name}", maker.format, phase, count,
                            path.stat().st_size)
        )
    if cobertura_files:
        path = folder / "coverage.xml"
        path.write_text(cobertura(rng, cobertura_files), encoding="utf-8")
        _attach(phases[open_phases[0]], path.name, f"coverage ({cobertura_files} files)")
        written.append(
            GeneratedReport(f"data/{REPORTS_SUBDIR}/coverage.xml", "cobertura-xml",
                            open_phases[0], 0, path.stat().st_size)
        )
    return written


def _attach(phase: dict[str, Any], name: str, title: str) -> None:
    phase.setdefault("reports", []).append({"path": f"{REPORTS_SUBDIR}/{name}", "title": title})


def generate(
    out: Path,
    *,
    findings: int = 100_000,
    phases: int = EXAMPLE_PHASES,
    cobertura_files: int = 10_000,
    reports: int = 30,
    seed: int = 2026,
    example: Path = ROOT,
) -> Manifest:
    """Write the project into ``out`` (which must not exist, or be a generated project)."""
    if phases < EXAMPLE_PHASES:
        raise SystemExit(f"--phases {phases}: the example has {EXAMPLE_PHASES}; use 8 or more")
    if reports < 1:
        raise SystemExit("--reports must be at least 1")
    if out.exists():
        if not (out / MANIFEST).is_file():
            raise SystemExit(f"{out} exists and is not a generated project: choose a new folder")
        shutil.rmtree(out)
    out.mkdir(parents=True)
    copy_example(out, example)
    data = out / "data"
    loaded = write_phases(data, phases)
    rng = random.Random(seed)
    written = write_reports(data, loaded, findings, reports, cobertura_files, rng)
    for number, phase in loaded.items():
        _dump(data / "phases" / f"phase-{number}.yml", phase)
    input_bytes = sum(p.stat().st_size for p in (data / "reports").rglob("*") if p.is_file())
    manifest = Manifest(findings, phases, cobertura_files, written, input_bytes)
    manifest.write(out)
    return manifest


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out", type=Path, help="the project folder to write (new)")
    parser.add_argument("--findings", type=int, default=100_000)
    parser.add_argument("--phases", type=int, default=EXAMPLE_PHASES)
    parser.add_argument("--cobertura-files", type=int, default=10_000)
    parser.add_argument("--reports", type=int, default=30)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--example", type=Path, default=ROOT,
                        help="the project to start from (default: the bundled example)")
    args = parser.parse_args(argv)
    manifest = generate(
        args.out,
        findings=args.findings,
        phases=args.phases,
        cobertura_files=args.cobertura_files,
        reports=args.reports,
        seed=args.seed,
        example=args.example,
    )
    print(
        f"wrote {args.out}: {manifest.phases} phases, {len(manifest.reports)} generated reports "
        f"({manifest.findings} findings), reports total {manifest.input_bytes / 1e6:.1f} MB",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()

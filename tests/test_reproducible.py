"""The same sources and SOURCE_DATE_EPOCH build the same site, byte for byte.

The "as of" date comes from one function (``phasebook.asof``) for the plugin and the CLI:
the option, ``PHASEBOOK_AS_OF``, ``SOURCE_DATE_EPOCH`` in UTC, or today in UTC; a report's
age counts from its own timestamp, never from its file's mtime.

Two copies of the example (created in opposite orders, with different file times, in different
folders) are built in fresh interpreters that differ in time zone, locale and hash seed. Every
file of the two sites must be identical, ``sitemap.xml.gz`` included (MkDocs dates its gzip
header from SOURCE_DATE_EPOCH).
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.conftest import PHASE, ROOT

from phasebook.asof import AsOfError, resolve_as_of
from phasebook.cli import main
from phasebook.evidence import Report

# 2026-11-28 12:00 UTC: already 2026-11-29 in Kiritimati (UTC+14), still the 28th in UTC.
EPOCH = int(dt.datetime(2026, 11, 28, 12, tzinfo=dt.UTC).timestamp())
SOURCES = ("mkdocs.yml", "data", "docs", "hooks", "vendor/mermaid")
ENVIRONMENTS = (
    {"TZ": "UTC", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "PYTHONHASHSEED": "0"},
    {"TZ": "Pacific/Kiritimati", "LANG": "de_DE.UTF-8", "LC_ALL": "de_DE.UTF-8",
     "PYTHONHASHSEED": "4242"},
)


def source_files() -> list[Path]:
    """The example's files, relative to the repository (vendor/mermaid only when fetched)."""
    files = []
    for name in SOURCES:
        path = ROOT / name
        if path.is_file():
            files.append(Path(name))
        elif path.is_dir():
            files += [p.relative_to(ROOT) for p in path.rglob("*") if p.is_file()]
    return sorted(files)


def copy_example(target: Path, files: list[Path], file_time: int) -> Path:
    """Copy ``files`` in the order given, each stamped with ``file_time``."""
    for name in files:
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / name, target / name)
        os.utime(target / name, (file_time, file_time))
    return target


def build_site(project: Path, overrides: dict[str, str]) -> Path:
    env = {key: value for key, value in os.environ.items()
           if key not in ("PHASEBOOK_AS_OF", "SOURCE_DATE_EPOCH")}
    env.update(overrides, SOURCE_DATE_EPOCH=str(EPOCH), NO_MKDOCS_2_WARNING="1")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(project / "mkdocs.yml")],
        cwd=project, env=env, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    return project / "site"


def differences(first: Path, second: Path) -> list[str]:
    """What differs between two trees: missing files, and a diff excerpt per changed file."""
    one = {p.relative_to(first).as_posix(): p for p in first.rglob("*") if p.is_file()}
    two = {p.relative_to(second).as_posix(): p for p in second.rglob("*") if p.is_file()}
    found = [f"only in one build: {name}" for name in sorted(one.keys() ^ two.keys())]
    for name in sorted(one.keys() & two.keys()):
        a, b = one[name].read_bytes(), two[name].read_bytes()
        if a == b:
            continue
        try:
            diff = difflib.unified_diff(
                a.decode().splitlines(), b.decode().splitlines(), lineterm="", n=0
            )
            found.append(f"{name}:\n" + "\n".join(list(diff)[2:8]))
        except UnicodeDecodeError:
            found.append(f"{name}: binary files differ")
    return found


@pytest.mark.slow
def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    files = source_files()
    assert any(name.parts[:2] == ("data", "phases") for name in files)
    first = copy_example(tmp_path / "one", files, 1_000_000_000)
    second = copy_example(tmp_path / "second-copy", files[::-1], 1_700_000_000)

    sites = [build_site(first, ENVIRONMENTS[0]), build_site(second, ENVIRONMENTS[1])]

    assert differences(*sites) == []
    assert (sites[0] / "sitemap.xml.gz").is_file()
    # The date is SOURCE_DATE_EPOCH's in UTC, not the builder's local date (the 29th).
    snapshot = json.loads((sites[1] / "phasebook-snapshot.json").read_text(encoding="utf-8"))
    assert snapshot["as_of"] == "2026-11-28"


# --- the date, and ages measured against it ---------------------------------------------------


def test_as_of_order() -> None:
    epoch = {"SOURCE_DATE_EPOCH": str(EPOCH)}
    named = {**epoch, "PHASEBOOK_AS_OF": "2026-01-02"}
    assert resolve_as_of("2025-05-05", named) == dt.date(2025, 5, 5)
    assert resolve_as_of(dt.date(2025, 5, 6), named) == dt.date(2025, 5, 6)
    assert resolve_as_of(None, named) == dt.date(2026, 1, 2)
    assert resolve_as_of(None, epoch) == dt.date(2026, 11, 28)  # UTC, whatever TZ says
    assert resolve_as_of(None, {"SOURCE_DATE_EPOCH": str(EPOCH + 11 * 3600)}) == dt.date(
        2026, 11, 28
    )
    assert resolve_as_of(None, {"SOURCE_DATE_EPOCH": ""}) == dt.datetime.now(dt.UTC).date()
    assert resolve_as_of(None, {}) == dt.datetime.now(dt.UTC).date()


@pytest.mark.parametrize(
    ("explicit", "environ", "message"),
    [
        ("28/11/2026", {}, "as_of '28/11/2026' is not a date; write it as YYYY-MM-DD"),
        (None, {"PHASEBOOK_AS_OF": "soon"}, "the environment variable PHASEBOOK_AS_OF 'soon'"),
        (None, {"SOURCE_DATE_EPOCH": "1.5"}, "SOURCE_DATE_EPOCH='1.5' is not a whole number"),
        (None, {"SOURCE_DATE_EPOCH": "9" * 30}, "is out of range"),
    ],
)
def test_as_of_errors_say_where_and_how(
    explicit: str | None, environ: dict[str, str], message: str
) -> None:
    with pytest.raises(AsOfError, match=re.escape(message)):
        resolve_as_of(explicit, environ)


def test_report_age_is_never_the_file_time(tmp_path: Path) -> None:
    path = tmp_path / "report.json"
    path.write_text("{}", encoding="utf-8")
    os.utime(path, (0, 0))
    as_of = dt.date(2026, 11, 28)
    assert Report(path=path, format="x").age_days(as_of) is None
    late = dt.datetime(2026, 11, 27, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    assert Report(path=path, format="x", generated_at=late).age_days(as_of) == 0  # 28 UTC
    naive = dt.datetime(2026, 11, 20, 23, 30)
    assert Report(path=path, format="x", generated_at=naive).age_days(as_of) == 8


def test_cli_uses_the_same_order(
    programme_dir: Callable[..., Path], monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = programme_dir({1: PHASE.format(number=1)})
    monkeypatch.delenv("PHASEBOOK_AS_OF", raising=False)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    monkeypatch.setenv("TZ", "Pacific/Kiritimati")
    assert main(["snapshot", "--data", str(data)]) == 0
    assert json.loads(capsys.readouterr().out)["as_of"] == "2026-11-28"
    monkeypatch.setenv("PHASEBOOK_AS_OF", "2026-02-03")
    assert main(["snapshot", "--data", str(data)]) == 0
    assert json.loads(capsys.readouterr().out)["as_of"] == "2026-02-03"
    assert main(["snapshot", "--data", str(data), "--as-of", "2026-04-05"]) == 0
    assert json.loads(capsys.readouterr().out)["as_of"] == "2026-04-05"
    monkeypatch.setenv("PHASEBOOK_AS_OF", "tomorrow")
    assert main(["snapshot", "--data", str(data)]) == 2
    assert "PHASEBOOK_AS_OF 'tomorrow' is not a date" in capsys.readouterr().err

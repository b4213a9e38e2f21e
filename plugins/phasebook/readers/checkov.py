"""checkov ``-o json``: one report object, a list of them, or a bare summary.

One framework scanned: ``{check_type, results{passed_checks, failed_checks, skipped_checks,
parsing_errors}, summary{passed, failed, skipped, parsing_errors, resource_count,
checkov_version}, url}``. Several frameworks (``checkov -d .`` without ``--framework``): a
list of those objects. Nothing to scan: only a summary object ``{passed, failed, skipped,
parsing_errors, resource_count, checkov_version}`` (checkov 2 spells the last two
``parsingerrors``, ``resourcecount``). Any other shape is refused, naming these three.

Every check is counted: a failed check is a finding; a passed check is skipped with the reason
"check passed"; a suppressed one (``#checkov:skip=ID:why``) is skipped with the reason "check
skipped (suppressed): why". ``--quiet`` leaves out the passed and skipped lists: then the
summary's counts of what is not listed become a note. Each parsing error is a note (checkov
could not look in that file).

The summary is checked against the lists: a summary counting more checks than are listed
means checks were lost (a cut or edited file) and the report is refused, naming both numbers;
a summary counting fewer (seen in hand-edited files) only adds a note, since nothing listed
is lost.

Severity: the check's ``severity`` (CRITICAL/HIGH/MEDIUM/LOW/INFO, filled only with a
Prisma Cloud API key) when present, else medium — a failed policy check is a real
misconfiguration, but checkov alone does not say how bad. The check's ``guideline`` is the
URL. For SCA checks the package, versions and CVE come from ``vulnerability_details``. The
fingerprint is tool, check id, file, resource and check name: never the line range. For the
secrets framework the resource (a hash of the secret) is not used in the title.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from phasebook.evidence import Report, Severity, Skipped
from phasebook.readers.base import ReportError, head_start, load_any, not_the_format
from phasebook.readers.columns import Row, from_rows
from phasebook.readers.fingerprint import Fingerprints
from phasebook.readers.ids import ids_with_prefix
from phasebook.readers.roles import FINDINGS, Role
from phasebook.readers.scalars import opt_int, opt_text, score, texts
from phasebook.readers.severity import severity_from_score, severity_from_word
from phasebook.readers.shapes import arr, obj

TOOL = "checkov"
DEFAULT = Severity.MEDIUM
SUPPORTED = (
    "supported layouts: one report {check_type, results, summary}, a list of such reports "
    "(several frameworks), or the summary-only object checkov writes when nothing was scanned"
)
_SUMMARY_KEYS = ("passed", "failed", "skipped")
_LISTS = (("failed_checks", "failed"), ("passed_checks", "passed"), ("skipped_checks", "skipped"))
_KNOWN_RESULTS = {key for key, _ in _LISTS} | {"parsing_errors"}
EXPECTED = (
    "checkov's JSON: an object with `check_type`, `results` and `summary`, a list of those, "
    "or the summary-only object with `checkov_version`"
)


class CheckovReader:
    """checkov's JSON output (any framework)."""

    format = "checkov-json"
    role = Role.IAC_SCANNER
    kinds = FINDINGS

    def detect(self, head: str, path: Path) -> bool:
        if head_start(head)[:1] not in ("{", "["):
            return False
        if '"check_type"' in head and ('"failed_checks"' in head or '"passed_checks"' in head):
            return True
        return '"checkov_version"' in head and all(f'"{key}"' in head for key in _SUMMARY_KEYS)

    def read(self, path: Path) -> Report:
        data = load_any(path)
        if not (isinstance(data, list) and data) and not (isinstance(data, dict) and data):
            raise not_the_format(path, data, "a checkov report", EXPECTED)
        parts = data if isinstance(data, list) else [data]
        report = Report(path=path, format=self.format, tool=TOOL)
        rows: list[Row] = []
        types: list[str] = []
        for index, raw in enumerate(parts):
            part = obj(path, raw, f"checkov report #{index + 1}")
            version = opt_text(_dict(part.get("summary")).get("checkov_version")) or opt_text(
                part.get("checkov_version")
            )
            report.tool_version = report.tool_version or version
            if "results" not in part and "check_type" not in part:
                _summary_only(path, report, part)
                continue
            check_type = opt_text(part.get("check_type"))
            if check_type is None or not isinstance(part.get("results"), dict):
                raise not_the_format(path, part, f"checkov report #{index + 1}", EXPECTED)
            types.append(check_type)
            _read_part(path, report, rows, part, check_type)
        report.schema_version = ", ".join(dict.fromkeys(types)) or None
        report.records.extend(from_rows(Fingerprints(TOOL), rows, _FIELDS, tool=TOOL))
        return report


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _count(path: Path, summary: dict[str, Any], key: str, *aliases: str) -> int:
    for name in (key, *aliases):
        if name in summary:
            number = opt_int(summary[name])
            if number is None:
                raise ReportError(path, f"the checkov summary's {name!r} is not a number")
            return number
    return 0


def _summary_only(path: Path, report: Report, summary: dict[str, Any]) -> None:
    """The bare summary checkov writes when it found nothing to scan."""
    if "checkov_version" not in summary or not all(key in summary for key in _SUMMARY_KEYS):
        raise not_the_format(path, summary, "a checkov report", EXPECTED)
    failed = _count(path, summary, "failed")
    if failed:
        raise ReportError(
            path, f"the checkov summary counts {failed} failed checks but lists none; {SUPPORTED}"
        )
    unlisted = {key: _count(path, summary, key) for key in ("passed", "skipped")}
    if any(unlisted.values()):
        report.notes.append(
            f"checkov summary only: {unlisted['passed']} passed and {unlisted['skipped']} "
            "skipped checks are not listed"
        )


def _read_part(
    path: Path, report: Report, rows: list[Row], part: dict[str, Any], check_type: str
) -> None:
    results = _dict(part.get("results"))
    summary = _dict(part.get("summary"))
    if "failed_checks" not in results:
        raise ReportError(path, f"the {check_type} report has no failed_checks; {SUPPORTED}")
    for key, word in _LISTS:
        if key not in results:
            stated = _count(path, summary, word)
            if stated:
                report.notes.append(
                    f"{check_type}: {stated} {word} checks are counted in the summary but not "
                    "listed (checkov --quiet?)"
                )
            continue
        checks = arr(path, results[key], f"{check_type} {key}")
        for index, raw in enumerate(checks):
            check = obj(path, raw, f"{check_type} {key} #{index + 1}")
            _add(report, rows, check, check_type, word)
        if summary:
            _agree(path, report, check_type, word, _count(path, summary, word), len(checks))
    for error in arr(path, results.get("parsing_errors"), f"{check_type} parsing_errors"):
        report.notes.append(f"{check_type}: checkov could not parse {opt_text(error) or error!r}")
    for key, value in results.items():
        if key not in _KNOWN_RESULTS and isinstance(value, list):
            reason = f"checkov's {key!r} list is not read by this version of Phasebook"
            report.skipped += [Skipped(reason, check_type)] * len(value)


def _agree(
    path: Path, report: Report, check_type: str, word: str, stated: int, listed: int
) -> None:
    """The summary against the list: fewer listed means lost checks; more is only noted."""
    if stated > listed:
        raise ReportError(
            path,
            f"the {check_type} summary counts {stated} {word} checks but the report lists "
            f"{listed} (cut or edited report?)",
        )
    if stated < listed:
        report.notes.append(
            f"{check_type}: the summary counts {stated} {word} checks but {listed} are listed; "
            "all listed checks were read"
        )


_FIELDS = (
    "rule",
    "severity",
    "tool_severity",
    "title",
    "path",
    "line",
    "cve",
    "package",
    "installed_version",
    "fixed_version",
    "url",
)


def _add(
    report: Report, rows: list[Row], check: dict[str, Any], check_type: str, word: str
) -> None:
    check_id = opt_text(check.get("check_id"))
    name = " ".join(str(opt_text(check.get("check_name")) or "").split())
    file = opt_text(check.get("file_path")) or opt_text(check.get("repo_file_path"))
    resource = opt_text(check.get("resource"))
    where = " ".join(t for t in (check_id or "?", file or "", resource or "") if t)
    if word == "passed":
        report.skipped.append(Skipped("check passed", where))
        return
    if word == "skipped":
        why = opt_text(_dict(check.get("check_result")).get("suppress_comment")) or "no reason"
        report.skipped.append(Skipped(f"check skipped (suppressed): {why}", where))
        return
    if check_id is None:
        report.skipped.append(Skipped("a failed check without check_id", where))
        return
    secret = check_type == "secrets"
    lines = check.get("file_line_range")
    line = opt_int(lines[0]) if isinstance(lines, list) and lines else None
    details = _dict(check.get("vulnerability_details"))
    word_severity = opt_text(check.get("severity")) or opt_text(details.get("severity"))
    severity = severity_from_word(word_severity, DEFAULT) if word_severity else DEFAULT
    cvss = score(details.get("cvss"))
    if word_severity is None and cvss is not None:
        severity = severity_from_score(cvss)
    title = name or check_id
    if resource and not secret:
        title = f"{title} ({resource})"
    guideline = opt_text(check.get("guideline"))
    rows.append(
        (
            check_id,
            file,
            resource,
            name,
            check_id,
            severity,
            word_severity or "",
            title,
            file,
            line if line else None,
            ids_with_prefix(texts(details.get("id")), "CVE-"),
            opt_text(details.get("package_name")),
            opt_text(details.get("package_version")),
            opt_text(details.get("fixed_version")),
            guideline if guideline and guideline.startswith(("https://", "http://")) else None,
        )
    )

"""JUnit XML: ``<testsuites>`` or a bare ``<testsuite>`` root (pytest, mypy, semgrep, Trivy…).

The outcome of a case is its final one: a ``<failure>`` or ``<error>`` child fails it, a
``<skipped>`` skips it. A test run more than once is counted once, with its last outcome:

* pytest-rerunfailures writes each attempt as its own ``<testcase>`` with the same classname
  and name in the same suite (the earlier ones without their failure); the last is kept and
  each earlier one is skipped as a re-run, so the counts still add up to the file's cases;
* Maven Surefire's ``<rerunFailure>``/``<flakyFailure>`` (and ``…Error``) children record
  earlier failed attempts inside the one case: the case keeps its final outcome (passed when
  only those are there) and its message says how many other attempts failed.

Suites nested in suites are read at every depth.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from phasebook.evidence import Outcome, Report, Skipped, TestResult
from phasebook.readers.base import ReportError
from phasebook.readers.roles import TESTS, Role
from phasebook.readers.xmlsafe import Element, parse_xml

_OUTCOMES = (("failure", Outcome.FAILED), ("error", Outcome.ERROR), ("skipped", Outcome.SKIPPED))
EXPECTED = "JUnit XML: a <testsuites> or <testsuite> root with <testcase> elements"


def _seconds(text: str | None) -> float | None:
    if not text:
        return None
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None


class JUnitReader:
    """JUnit XML test results."""

    format = "junit-xml"
    role = Role.TESTS
    kinds = TESTS

    def detect(self, head: str, path: Path) -> bool:
        return "<testsuite" in head

    def read(self, path: Path) -> Report:
        root = parse_xml(path, expected=EXPECTED)
        if root.tag not in ("testsuites", "testsuite"):
            raise ReportError(path, f"not JUnit XML: the root is <{root.tag}>")
        report = Report(path=path, format=self.format, tool=_tool(root))
        suites = list(root.iter("testsuite"))  # the root too when it is one; nested at any depth
        stamp = next((s.get("timestamp") for s in suites if s.get("timestamp")), None)
        if stamp:
            try:
                when = dt.datetime.fromisoformat(stamp)
                report.generated_at = when if when.tzinfo else when.replace(tzinfo=dt.UTC)
            except ValueError:
                report.notes.append(f"unreadable timestamp {stamp!r}")
        for suite in suites:
            _read_suite(report, suite)
        if root.tag == "testsuites":
            for stray in root.findall("testcase"):
                report.skipped.append(Skipped("a <testcase> outside any <testsuite>", _id(stray)))
        return report


def _tool(root: Element) -> str:
    name = (root.get("name") or "").lower()
    suites = [root, *root.iter("testsuite")]
    for suite in suites:
        suite_name = (suite.get("name") or "").lower()
        for tool in ("pytest", "mypy", "semgrep", "trivy"):
            if tool in suite_name or tool in name:
                return tool
    return "junit"


def _id(case: Element) -> str:
    return "::".join(part for part in (case.get("classname"), case.get("name")) if part)


_RERUNS = ("rerunFailure", "rerunError", "flakyFailure", "flakyError")
RERUN = "re-run of this test: an earlier attempt (the last attempt counts)"


def _read_suite(report: Report, suite: Element) -> None:
    """The suite's cases, each counted once: an earlier attempt of a re-run test is skipped."""
    name = suite.get("name") or ""
    kept: dict[tuple[str | None, str | None], int] = {}
    for case in suite.findall("testcase"):
        result = _case(name, case)
        key = (case.get("classname"), case.get("name"))
        earlier = kept.get(key)
        if earlier is None:
            kept[key] = len(report.records)
            report.records.append(result)
        else:  # a later attempt: it takes the first one's place, which is skipped
            report.skipped.append(Skipped(RERUN, _id(case)))
            report.records[earlier] = result


def _case(suite: str, case: Element) -> TestResult:
    outcome, message = Outcome.PASSED, None
    for tag, candidate in _OUTCOMES:
        child = case.find(tag)
        if child is not None:
            outcome = candidate
            message = child.get("message") or (child.text or "").strip()[:500] or None
            break
    attempts = sum(1 for child in case if child.tag in _RERUNS)
    if attempts:
        others = f"{attempts} other failed attempt{'s' if attempts > 1 else ''} (re-runs)"
        message = f"{message}; {others}" if message else others
    return TestResult(
        suite=suite,
        name=case.get("name") or "",
        outcome=outcome,
        classname=case.get("classname"),
        duration_s=_seconds(case.get("time")),
        message=message,
    )

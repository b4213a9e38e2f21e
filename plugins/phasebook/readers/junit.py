"""JUnit XML: ``<testsuites>`` or a bare ``<testsuite>`` root (pytest, mypy, semgrep, Trivy…).

The outcome of a case is its final one: a ``<failure>`` or ``<error>`` child fails it, a
``<skipped>`` skips it; pytest-rerunfailures' ``<rerunFailure>``/``<flakyFailure>`` children
record earlier attempts of a case that finally passed, so it counts as passed.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from xml.etree.ElementTree import Element

from phasebook.evidence import Outcome, Report, Skipped, TestResult
from phasebook.readers.base import ReportError
from phasebook.readers.xmlsafe import parse_xml

_OUTCOMES = (("failure", Outcome.FAILED), ("error", Outcome.ERROR), ("skipped", Outcome.SKIPPED))


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

    def detect(self, head: str, path: Path) -> bool:
        return "<testsuite" in head

    def read(self, path: Path) -> Report:
        root = parse_xml(path)
        if root.tag not in ("testsuites", "testsuite"):
            raise ReportError(path, f"not JUnit XML: the root is <{root.tag}>")
        report = Report(path=path, format=self.format, tool=_tool(root))
        suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
        stamp = next((s.get("timestamp") for s in suites if s.get("timestamp")), None)
        if stamp:
            try:
                when = dt.datetime.fromisoformat(stamp)
                report.generated_at = when if when.tzinfo else when.replace(tzinfo=dt.UTC)
            except ValueError:
                report.notes.append(f"unreadable timestamp {stamp!r}")
        for suite in suites:
            name = suite.get("name") or ""
            for case in suite.findall("testcase"):
                report.records.append(_case(name, case))
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


def _case(suite: str, case: Element) -> TestResult:
    outcome, message = Outcome.PASSED, None
    for tag, candidate in _OUTCOMES:
        child = case.find(tag)
        if child is not None:
            outcome = candidate
            message = child.get("message") or (child.text or "").strip()[:500] or None
            break
    return TestResult(
        suite=suite,
        name=case.get("name") or "",
        outcome=outcome,
        classname=case.get("classname"),
        duration_s=_seconds(case.get("time")),
        message=message,
    )

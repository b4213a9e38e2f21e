"""The 03 Findings page and its report details pages, built by MkDocs from reports of every kind.

One module-scoped site: a phase with twenty thousand bandit findings (some hostile), a SARIF
file from a second tool, a JUnit run, a measurements file and a report that is missing.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from tests.conftest import MKDOCS_YML, PHASE, PROGRAMME, build, html_text, write

pytestmark = pytest.mark.slow

MANY = 20_000
HOSTILE_TEXT = "<script>alert(1)</script> {{ 7 * 7 }} | [x](javascript:alert(2))"
PAGE_LIMIT = 1024 * 1024


def _bandit(count: int) -> str:
    severities = ("LOW", "MEDIUM", "HIGH")
    results = [
        {
            "test_id": f"B{100 + n % 7}",
            "test_name": "hardcoded_password_string",
            "issue_severity": severities[n % 3],
            "issue_confidence": "HIGH",
            "issue_text": f"Possible hardcoded password number {n}",
            "filename": f"src/module_{n % 300}.py",
            "line_number": n % 500 + 1,
            "issue_cwe": {"id": 259, "link": "https://cwe.mitre.org/data/definitions/259.html"},
            "more_info": "https://bandit.readthedocs.io/",
        }
        for n in range(count)
    ]
    results.append(
        {
            "test_id": "B999",
            "test_name": "hostile",
            "issue_severity": "HIGH",
            "issue_confidence": "HIGH",
            "issue_text": HOSTILE_TEXT,
            "filename": "src/a|b.py",
            "line_number": 3,
            "more_info": "javascript:alert(3)",
        }
    )
    return json.dumps(
        {"generated_at": "2026-11-20T10:00:00Z", "errors": [], "results": results, "metrics": {}}
    )


SARIF = {
    "version": "2.1.0",
    "runs": [
        {
            "tool": {"driver": {"name": "semgrep", "rules": [{"id": "rule.one"}]}},
            "results": [
                {
                    "ruleId": "rule.one",
                    "level": "error",
                    "message": {"text": "Tainted input reaches a shell"},
                    "locations": [
                        {
                            "physicalLocation": {
                                "artifactLocation": {"uri": "app.py"},
                                "region": {"startLine": 9},
                            }
                        }
                    ],
                }
            ],
        }
    ],
}
JUNIT = """\
<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" tests="3" failures="1" errors="0" skipped="0">
<testcase classname="tests.test_a" name="test_ok" time="0.01"/>
<testcase classname="tests.test_a" name="test_ok_too" time="0.02"/>
<testcase classname="tests.test_a" name="test_broken" time="0.03"><failure message="boom">assert 1 == 2</failure></testcase>
</testsuite></testsuites>
"""
MEASUREMENTS = """\
name,value,unit,timestamp
deploy_time,420,s,2026-11-01T10:00:00
deploy_time,380,s,2026-11-02T10:00:00
rollback_time,95,s,2026-11-02T11:00:00
"""
PLAN = {
    "format_version": "1.2",
    "terraform_version": "1.9.5",
    "resource_changes": [
        {
            "address": f"aws_s3_bucket.{name}",
            "mode": "managed",
            "type": "aws_s3_bucket",
            "name": name,
            "provider_name": "registry.terraform.io/hashicorp/aws",
            "change": {"actions": actions},
            **({"action_reason": reason} if reason else {}),
        }
        for name, actions, reason in [
            ("logs", ["create"], None),
            ("assets", ["create"], None),
            ("state", ["delete", "create"], "replace_because_cannot_update"),
            ("old", ["delete"], "delete_because_no_resource_config"),
            ("site", ["no-op"], None),
        ]
    ],
}
RULES = """\
groups:
  - name: api
    rules:
      - alert: HighErrorRate
        expr: rate(http_errors_total[5m]) > 0.05
        for: 5m
        labels: {severity: critical}
        annotations: {summary: More than 5 % of requests fail}
      - alert: SlowResponses
        expr: histogram_quantile(0.95, rate(http_duration_seconds_bucket[5m])) > 1
        labels: {severity: warning}
      - record: job:http_requests:rate5m
        expr: sum by (job) (rate(http_requests_total[5m]))
"""
REPORTS = """\
reports:
  - {path: reports/plan.json, title: Terraform plan}
  - {path: reports/alerts.yml, title: Alert rules}
  - {path: reports/bandit.json, title: Bandit}
  - {path: reports/semgrep.sarif, title: Semgrep}
  - {path: reports/junit.xml, title: Unit tests}
  - {path: reports/timings.csv, title: Timings}
  - {path: reports/absent.json, title: Trivy image scan}
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("findings")
    data = project / "data"
    write(data / "programme.yml", PROGRAMME)
    write(data / "phases/phase-1.yml", PHASE.format(number=1) + REPORTS)
    write(data / "reports/bandit.json", _bandit(MANY))
    write(data / "reports/semgrep.sarif", json.dumps(SARIF))
    write(data / "reports/junit.xml", JUNIT)
    write(data / "reports/timings.csv", MEASUREMENTS)
    write(data / "reports/plan.json", json.dumps(PLAN))
    write(data / "reports/alerts.yml", RULES)
    write(project / "mkdocs.yml", MKDOCS_YML.format(extra_plugins="  - macros"))
    result = build(project, strict=False)
    assert result.returncode == 0, result.stderr
    return project / "site"


def _findings(site: Path) -> str:
    return html_text(site / "phase-1/03-findings/index.html")


BY_RULE = re.compile(r'<div class="pb-table pb-findings pb-by-rule">.*?</table></div>', re.S)


def _rows(page: Path) -> int:
    """Body rows of the tables on a built page, but for the "By rule" table."""
    text = BY_RULE.sub("", page.read_text(encoding="utf-8"))
    return text.count("<tr>") - text.count("<thead>")


def _by_rule_counts(page: Path) -> list[int]:
    """The counts of the "By rule" table of a built page."""
    (table,) = BY_RULE.findall(page.read_text(encoding="utf-8"))
    return [int(n) for n in re.findall(r'<td class="pb-num">(\d+)</td>', table)]


def test_summary_counts_every_report(site: Path) -> None:
    text = _findings(site)
    assert f"Bandit bandit-json bandit {MANY + 1} {MANY + 1} 0" in text
    assert "Semgrep sarif 2.1.0 semgrep 1 1 0" in text
    assert "Unit tests junit-xml" in text
    assert "Trivy image scan — — — — — missing" in text
    assert "1 expected report(s) are not there" in text
    high = sum(1 for n in range(MANY) if n % 3 == 2) + 2  # the hostile one and semgrep's error
    assert f"High vulnerabilities {high}" in text  # bandit and semgrep: security scanners


def test_charts_by_severity_and_by_tool(site: Path) -> None:
    raw = (site / "phase-1/03-findings/index.html").read_text(encoding="utf-8")
    assert "pie showData title Findings by severity" in raw
    assert "pie showData title Findings by tool" in raw
    assert f'"bandit" : {MANY + 1}' in raw
    assert '"semgrep" : 1' in raw


def test_tests_and_measurements_are_summarised(site: Path) -> None:
    text = _findings(site)
    assert "Unit tests 2 1 0 0" in text
    assert "1 failed or erroring test(s)" in text
    assert "Timings deploy_time — 2 380 380 420 s" in text
    assert "Timings rollback_time — 1 95 95 95 s" in text


def test_every_generated_page_stays_under_a_megabyte(site: Path) -> None:
    pages = list((site / "phase-1").rglob("index.html"))
    assert len(pages) > 20
    sizes = {page: page.stat().st_size for page in pages}
    assert max(sizes.values()) < PAGE_LIMIT, max(sizes, key=sizes.__getitem__)


def test_details_are_split_and_keep_every_finding(site: Path) -> None:
    parts = sorted(
        (site / "phase-1/findings").glob("bandit*/index.html"),
        key=lambda page: int(page.parent.name.rpartition("-")[2] or 1)
        if "part" in page.parent.name
        else 1,
    )
    assert len(parts) == -(-(MANY + 1) // 1000)
    assert sum(_rows(page) for page in parts) == MANY + 1
    # Part 1 counts every finding of the report by rule; the other parts do not repeat it.
    assert sum(_by_rule_counts(parts[0])) == MANY + 1
    assert all("pb-by-rule" not in page.read_text(encoding="utf-8") for page in parts[1:])
    first = html_text(site / "phase-1/findings/bandit/index.html")
    assert f"part 1 of {len(parts)}" in first
    last = html_text(parts[-1])
    each = first.split("Each finding", 1)[1]  # after the "By rule" table, which has every severity
    assert " low " not in each and " high " in each  # most severe first
    assert " low " in last and " high " not in last


def test_details_of_other_kinds(site: Path) -> None:
    timings = html_text(site / "phase-1/findings/timings/index.html")
    assert "Measurements" in timings
    assert "deploy_time 420 s 2026-11-01T10:00:00" in timings
    tests = html_text(site / "phase-1/findings/unit-tests/index.html")
    assert "tests.test_a::test_broken failed 0.030 boom" in tests


def test_report_text_lands_inert(site: Path) -> None:
    """A finding's text and link come from the report: shown literally, never run or linked."""
    for page in [site / "phase-1/03-findings/index.html", *(site / "phase-1/findings").rglob("*.html")]:
        raw = page.read_text(encoding="utf-8")
        assert "<script>alert" not in raw, page
        assert "javascript:" not in raw.replace("javascript&#58;", ""), page
    pages = (site / "phase-1/findings").rglob("index.html")
    (text,) = [html_text(page) for page in pages if "B999" in html_text(page)]
    assert f"hostile: {HOSTILE_TEXT} src/a|b.py:3" in text


def test_infrastructure_changes_and_destructive_ones(site: Path) -> None:
    text = _findings(site)
    assert "Planned changes by action" in (site / "phase-1/03-findings/index.html").read_text()
    assert "create 2 delete 1 no-op 1 replace 1" in text
    assert "2 resource(s) would be deleted or replaced" in text
    assert "Terraform plan aws_s3_bucket.state aws_s3_bucket replace replace because cannot update" in text
    assert "aws_s3_bucket.logs" not in text.split("would be deleted or replaced")[1]


def test_monitoring_rules_are_counted(site: Path) -> None:
    assert "Alert rules 2 1 critical 1, warning 1" in _findings(site)
    details = html_text(site / "phase-1/findings/alert-rules/index.html")
    assert "Rules" in details
    assert "HighErrorRate api alerting rate(http_errors_total[5m]) > 0.05 critical 5m" in details


def test_detail_pages_stay_out_of_search_and_summaries_stay_in(site: Path) -> None:
    """Twenty thousand rows would swamp the index; the findings summary is what people search."""
    index = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"].split("#", 1)[0] for doc in index["docs"]}
    assert "phase-1/03-findings/" in locations
    assert not [where for where in locations if where.startswith("phase-1/findings/")]
    assert "Possible hardcoded password number 19999" not in json.dumps(index)
    # Excluded from search, still published and reachable from the summary.
    assert (site / "phase-1/findings/bandit/index.html").is_file()

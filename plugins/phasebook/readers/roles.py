"""What a reader is: its role, and the kinds of record it yields.

Every reader declares both next to its format (``role = Role.LINTER``, ``kinds = FINDINGS``);
the registry derives from them what the rest of Phasebook asks of a format — which reports
the vulnerability metrics count, which ones can say "nothing found" — so adding a reader
never means editing a hand-kept list elsewhere.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal, TypeAlias


class Role(StrEnum):
    """What a tool does, as Phasebook's metrics and pages tell reports apart."""

    DEPENDENCY_SCANNER = "dependency-scanner"
    """Known vulnerabilities (CVEs, advisories) in the packages a project depends on."""
    IMAGE_SCANNER = "image-scanner"
    """Vulnerabilities, misconfigurations and secrets in container images and file systems."""
    CODE_SECURITY_SCANNER = "code-security-scanner"
    """Security weaknesses in the project's own source code (SAST)."""
    SECRETS_SCANNER = "secrets-scanner"
    """Credentials committed to the code or its history."""
    DAST_SCANNER = "dast-scanner"
    """Vulnerabilities of a running web application, found by attacking it."""
    IAC_SCANNER = "iac-scanner"
    """Insecure settings in infrastructure code (Terraform, Kubernetes, Dockerfiles…)."""
    CLOUD_POSTURE = "cloud-posture"
    """Findings about a cloud account as it runs (AWS Security Hub and the tools feeding it)."""
    LINTER = "linter"
    """Style, likely bugs and code smells: findings, but not vulnerabilities."""
    TYPE_CHECKER = "type-checker"
    """Type errors: findings, but not vulnerabilities."""
    TESTS = "tests"
    """Test results."""
    COVERAGE = "coverage"
    """Test coverage, per file and in total."""
    MEASUREMENTS = "measurements"
    """Numbers recorded by hand or by a pipeline (timings, counts)."""
    INFRASTRUCTURE_PLAN = "infrastructure-plan"
    """The resource changes an infrastructure tool would make."""
    MONITORING_QUERY = "monitoring-query"
    """A monitoring system's answer to a query: current values of its series."""
    MONITORING_RULES = "monitoring-rules"
    """The alerting and recording rules a monitoring system evaluates."""
    LOAD_TEST = "load-test"
    """Timings, rates and pass/fail checks of a load test."""


SECURITY_ROLES: frozenset[Role] = frozenset(
    {
        Role.DEPENDENCY_SCANNER,
        Role.IMAGE_SCANNER,
        Role.CODE_SECURITY_SCANNER,
        Role.SECRETS_SCANNER,
        Role.DAST_SCANNER,
        Role.IAC_SCANNER,
        Role.CLOUD_POSTURE,
    }
)
"""Roles whose findings are vulnerabilities: the reports the vulnerability metrics count.
A linter's or a type checker's findings are not."""

RecordKind: TypeAlias = Literal["finding", "test", "coverage", "measurement", "change", "rule"]
"""The ``kind`` of each record type in :mod:`phasebook.evidence`."""

FINDINGS: frozenset[RecordKind] = frozenset({"finding"})
TESTS: frozenset[RecordKind] = frozenset({"test"})
COVERAGE: frozenset[RecordKind] = frozenset({"coverage"})
MEASUREMENTS: frozenset[RecordKind] = frozenset({"measurement"})
CHANGES: frozenset[RecordKind] = frozenset({"change"})
RULES: frozenset[RecordKind] = frozenset({"rule"})
MEASUREMENTS_AND_TESTS: frozenset[RecordKind] = MEASUREMENTS | TESTS
"""k6: each number is a measurement, each check and threshold a test."""

"""Readers of the deps family, most specific first.

Dependency and image scanners (pip-audit, CycloneDX, npm audit, safety, Trivy, Snyk), web and
cloud scanners (ZAP, Security Hub ASFF) and secret scanners (gitleaks, detect-secrets). ASFF
comes before Trivy because Trivy's ASFF template also writes a ``SchemaVersion``; npm audit
comes before Snyk, whose detector needs only ``vulnerabilities`` and a Snyk key. No detector here
claims a bare ``null`` or ``[]`` (gitleaks', Trivy's, pip-audit's… clean output, but anyone's):
those are read only with the format named in the phase.
"""

from __future__ import annotations

from phasebook.readers.asff import AsffReader
from phasebook.readers.base import Reader
from phasebook.readers.cyclonedx import CycloneDxJsonReader, CycloneDxXmlReader
from phasebook.readers.detect_secrets import DetectSecretsReader
from phasebook.readers.gitleaks import GitleaksReader
from phasebook.readers.npm_audit import NpmAuditReader
from phasebook.readers.pip_audit import PipAuditReader
from phasebook.readers.safety import SafetyReader
from phasebook.readers.snyk import SnykReader
from phasebook.readers.trivy import TrivyReader
from phasebook.readers.zap import ZapAlertsJsonReader, ZapJsonReader, ZapXmlReader

READERS: tuple[Reader, ...] = (
    AsffReader(),
    TrivyReader(),
    CycloneDxJsonReader(),
    CycloneDxXmlReader(),
    NpmAuditReader(),
    SnykReader(),
    SafetyReader(),
    PipAuditReader(),
    ZapJsonReader(),
    ZapXmlReader(),
    ZapAlertsJsonReader(),
    DetectSecretsReader(),
    GitleaksReader(),
)

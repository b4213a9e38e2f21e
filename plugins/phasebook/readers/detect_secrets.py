"""detect-secrets baselines (``detect-secrets scan``), from 0.9 to 1.x.

``results`` maps each file to its potential secrets. The ``hashed_secret`` (a SHA-1 of the
secret, open to guessing for short ones) is never published. A secret audited as a false
positive (``is_secret: false``) is counted as skipped. detect-secrets rates nothing: every
potential secret is ``high``. A baseline is detect-secrets' object, ``results`` beside
``plugins_used``: empty ``results`` there is detect-secrets saying it found nothing; anything
else is refused.
"""

from __future__ import annotations

from pathlib import Path

from phasebook.evidence import Finding, Report, Severity, Skipped
from phasebook.readers.base import ReportError, load_json, not_the_format
from phasebook.readers.fingerprint import Fingerprints
from phasebook.readers.redact import scrub
from phasebook.readers.roles import FINDINGS, Role
from phasebook.readers.scalars import opt_int, opt_text, parse_time, text
from phasebook.readers.shapes import arr, obj

TOOL = "detect-secrets"
SUPPORTED_MAJORS = ("0", "1")
POTENTIAL = Severity.HIGH
AUDITED_FALSE = "audited as not a secret (is_secret: false)"
EXPECTED = (
    "an object with `results` (files to their secrets) and `plugins_used`, as "
    "`detect-secrets scan` writes a baseline"
)


class DetectSecretsReader:
    format = "detect-secrets-json"
    role = Role.SECRETS_SCANNER
    kinds = FINDINGS

    def detect(self, head: str, path: Path) -> bool:
        return '"results"' in head and '"plugins_used"' in head

    def read(self, path: Path) -> Report:
        data = load_json(path)
        if not (
            isinstance(data, dict)
            and isinstance(data.get("results"), dict)
            and isinstance(data.get("plugins_used"), list)
        ):
            raise not_the_format(path, data, "a detect-secrets baseline", EXPECTED)
        version = opt_text(data.get("version"))
        if version is not None and version.split(".")[0] not in SUPPORTED_MAJORS:
            supported = ", ".join(f"{major}.x" for major in SUPPORTED_MAJORS)
            raise ReportError(
                path, f"unsupported detect-secrets version {version!r}; supported: {supported}"
            )
        report = Report(
            path=path,
            format=self.format,
            tool=TOOL,
            tool_version=version,
            generated_at=parse_time(data.get("generated_at")),
        )
        prints = Fingerprints(TOOL)
        for filename, raw_entries in data["results"].items():
            for raw in arr(path, raw_entries, f"the results of {filename}"):
                entry = obj(path, raw, f"a potential secret in {filename}")
                hidden = [text(entry.get("hashed_secret"))]
                kind = scrub(opt_text(entry.get("type")) or "secret", hidden)
                where = scrub(filename, hidden)
                line = opt_int(entry.get("line_number"))
                if entry.get("is_secret") is False:
                    report.skipped.append(Skipped(AUDITED_FALSE, f"{where}:{line}"))
                    continue
                report.records.append(
                    Finding(
                        tool=TOOL,
                        rule=kind,
                        severity=POTENTIAL,
                        tool_severity="",
                        title=f"Potential secret: {kind}",
                        fingerprint=prints(kind, where, None, kind),
                        path=where,
                        line=line,
                    )
                )
        return report

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
from typing import Any, TypeAlias

import msgspec

from phasebook.evidence import Report, Severity, Skipped
from phasebook.readers.base import (
    ArrayOr,
    ObjectOr,
    ReportError,
    load_json,
    load_typed,
    not_the_format,
)
from phasebook.readers.columns import Row, from_rows
from phasebook.readers.fingerprint import Fingerprints
from phasebook.readers.redact import hidden, scrub_hidden
from phasebook.readers.roles import FINDINGS, Role
from phasebook.readers.scalars import opt_int, opt_text, parse_time, text
from phasebook.readers.shapes import arr, not_an_object

TOOL = "detect-secrets"
SUPPORTED_MAJORS = ("0", "1")
POTENTIAL = Severity.HIGH
AUDITED_FALSE = "audited as not a secret (is_secret: false)"
EXPECTED = (
    "an object with `results` (files to their secrets) and `plugins_used`, as "
    "`detect-secrets scan` writes a baseline"
)


class _Secret(msgspec.Struct, gc=False):
    type: Any = None
    hashed_secret: Any = None
    line_number: Any = None
    is_secret: Any = None


_Results: TypeAlias = (
    dict[str, ArrayOr[ObjectOr[_Secret]]] | list[Any] | str | int | float | bool | None
)


class _Baseline(msgspec.Struct, gc=False):
    version: Any = None
    generated_at: Any = None
    plugins_used: Any = None
    results: _Results = None


_Document: TypeAlias = ObjectOr[_Baseline]
_DECODER: msgspec.json.Decoder[_Document] = msgspec.json.Decoder(_Document)
_FIELDS = ("rule", "title", "path", "line")


class DetectSecretsReader:
    format = "detect-secrets-json"
    role = Role.SECRETS_SCANNER
    kinds = FINDINGS

    def detect(self, head: str, path: Path) -> bool:
        return '"results"' in head and '"plugins_used"' in head

    def read(self, path: Path) -> Report:
        data = load_typed(path, _DECODER)
        if not (
            isinstance(data, _Baseline)
            and isinstance(data.results, dict)
            and isinstance(data.plugins_used, list)
        ):
            raise not_the_format(path, load_json(path), "a detect-secrets baseline", EXPECTED)
        version = opt_text(data.version)
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
            generated_at=parse_time(data.generated_at),
        )
        rows: list[Row] = []
        for filename, raw_entries in data.results.items():
            for entry in arr(path, raw_entries, f"the results of {filename}"):
                if type(entry) is not _Secret:
                    raise not_an_object(path, entry, f"a potential secret in {filename}")
                secrets = hidden([text(entry.hashed_secret)])
                kind = scrub_hidden(opt_text(entry.type) or "secret", secrets)
                where = scrub_hidden(filename, secrets)
                line = opt_int(entry.line_number)
                if entry.is_secret is False:
                    report.skipped.append(Skipped(AUDITED_FALSE, f"{where}:{line}"))
                    continue
                rows.append(
                    (kind, where, None, kind, kind, f"Potential secret: {kind}", where, line)
                )
        report.records.extend(
            from_rows(
                Fingerprints(TOOL), rows, _FIELDS, tool=TOOL, severity=POTENTIAL, tool_severity=""
            )
        )
        return report

"""hadolint ``-f json``: one array of ``{code, level, message, file, line, column}``.

``code`` is a hadolint rule (``DL3008``) or a ShellCheck rule for the ``RUN`` lines
(``SC2086``); ``level`` is error, warning, info or style. Severity: error → high, warning →
medium, info → low (a real but minor issue, such as a missing ``--no-install-recommends``),
style → info; the level is kept as ``tool_severity``. hadolint writes ``[]`` when it finds
nothing; since any tool (or a broken run) may leave ``[]``, it is read as zero findings only
when the phase declares ``format: hadolint-json``, never detected.

The fingerprint is tool, rule, file and message, numbered when repeated: never the line.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, TypeAlias

import msgspec

from phasebook.evidence import Report, Severity, Skipped
from phasebook.readers.base import ArrayOr, ObjectOr, load_typed, starts_json, top_structs
from phasebook.readers.columns import Row, from_rows
from phasebook.readers.fingerprint import Fingerprints
from phasebook.readers.roles import FINDINGS, Role
from phasebook.readers.scalars import opt_int, opt_text
from phasebook.readers.shapes import not_an_object

TOOL = "hadolint"
SEVERITY = {
    "error": Severity.HIGH,
    "warning": Severity.MEDIUM,
    "info": Severity.LOW,
    "style": Severity.INFO,
}
_CODE = re.compile(r'"code"\s*:\s*"(?:DL|SC)\d{4}"')
_RULE = re.compile(r"(DL|SC)\d+")
EXPECTED = (
    "an array of results with hadolint's keys (code, level, message, file, line), as "
    "`hadolint -f json` writes it"
)


class _Result(msgspec.Struct, gc=False):
    code: Any = msgspec.UNSET
    level: Any = msgspec.UNSET
    message: Any = None
    file: Any = None
    line: Any = None
    column: Any = None


_Document: TypeAlias = ArrayOr[ObjectOr[_Result]]
_DECODER: msgspec.json.Decoder[_Document] = msgspec.json.Decoder(_Document)
_FIELDS = ("rule", "severity", "tool_severity", "title", "path", "line", "column", "url")


class HadolintReader:
    """hadolint's JSON output."""

    format = "hadolint-json"
    role = Role.LINTER
    kinds = FINDINGS
    clean_output = ("[]",)

    def detect(self, head: str, path: Path) -> bool:
        return starts_json(head, "[", "level", "file") and _CODE.search(head) is not None

    def read(self, path: Path) -> Report:
        results = top_structs(
            path,
            load_typed(path, _DECODER),
            "a hadolint report",
            EXPECTED,
            kind=_Result,
            keys=("code", "level"),
            clean=self.clean_output,
        )
        report = Report(path=path, format=self.format, tool=TOOL)
        rows: list[Row] = []
        urls: dict[str, str | None] = {}
        unset = msgspec.UNSET
        for index, item in enumerate(results):
            if type(item) is not _Result:
                raise not_an_object(path, item, f"result #{index + 1}")
            code = opt_text(None if item.code is unset else item.code)
            message = " ".join(str(opt_text(item.message) or "").split())
            if code is None or not message:
                report.skipped.append(Skipped("a result without code or message", f"#{index + 1}"))
                continue
            level = opt_text(None if item.level is unset else item.level) or ""
            file = opt_text(item.file)
            url = urls.get(code, unset)
            if url is unset:
                url = urls[code] = _wiki(code)
            rows.append(
                (
                    code,
                    file,
                    None,
                    message,
                    code,
                    SEVERITY.get(level.lower(), Severity.INFO),
                    level,
                    message,
                    file,
                    opt_int(item.line),
                    opt_int(item.column),
                    url,
                )
            )
        report.records.extend(from_rows(Fingerprints(TOOL), rows, _FIELDS, tool=TOOL))
        return report


def _wiki(code: str) -> str | None:
    """The rule's page: hadolint's wiki for DL rules, ShellCheck's for SC ones."""
    if not _RULE.fullmatch(code):
        return None
    wiki = "hadolint/hadolint/wiki" if code.startswith("DL") else "koalaman/shellcheck/wiki"
    return f"https://github.com/{wiki}/{code}"

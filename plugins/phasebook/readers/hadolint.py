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

from phasebook.evidence import Finding, Report, Severity, Skipped
from phasebook.readers.base import load_json, starts_json, top_array
from phasebook.readers.fingerprint import Fingerprints
from phasebook.readers.roles import FINDINGS, Role
from phasebook.readers.scalars import opt_int, opt_text
from phasebook.readers.shapes import obj

TOOL = "hadolint"
SEVERITY = {
    "error": Severity.HIGH,
    "warning": Severity.MEDIUM,
    "info": Severity.LOW,
    "style": Severity.INFO,
}
_CODE = re.compile(r'"code"\s*:\s*"(?:DL|SC)\d{4}"')
EXPECTED = (
    "an array of results with hadolint's keys (code, level, message, file, line), as "
    "`hadolint -f json` writes it"
)


class HadolintReader:
    """hadolint's JSON output."""

    format = "hadolint-json"
    role = Role.LINTER
    kinds = FINDINGS
    clean_output = ("[]",)

    def detect(self, head: str, path: Path) -> bool:
        return starts_json(head, "[", "level", "file") and _CODE.search(head) is not None

    def read(self, path: Path) -> Report:
        results = top_array(
            path,
            load_json(path),
            "a hadolint report",
            EXPECTED,
            keys=("code", "level"),
            clean=self.clean_output,
        )
        report = Report(path=path, format=self.format, tool=TOOL)
        prints = Fingerprints(TOOL)
        for index, raw in enumerate(results):
            item = obj(path, raw, f"result #{index + 1}")
            code = opt_text(item.get("code"))
            message = " ".join(str(opt_text(item.get("message")) or "").split())
            if code is None or not message:
                report.skipped.append(Skipped("a result without code or message", f"#{index + 1}"))
                continue
            level = opt_text(item.get("level")) or ""
            file = opt_text(item.get("file"))
            wiki = "hadolint/hadolint/wiki" if code.startswith("DL") else "koalaman/shellcheck/wiki"
            report.records.append(
                Finding(
                    tool=TOOL,
                    rule=code,
                    severity=SEVERITY.get(level.lower(), Severity.INFO),
                    tool_severity=level,
                    title=message,
                    fingerprint=prints(code, file, None, message),
                    path=file,
                    line=opt_int(item.get("line")),
                    column=opt_int(item.get("column")),
                    url=f"https://github.com/{wiki}/{code}"
                    if re.fullmatch(r"(DL|SC)\d+", code)
                    else None,
                )
            )
        return report

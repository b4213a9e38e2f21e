"""hadolint ``-f json``: one array of ``{code, level, message, file, line, column}``.

``code`` is a hadolint rule (``DL3008``) or a ShellCheck rule for the ``RUN`` lines
(``SC2086``); ``level`` is error, warning, info or style. Severity: error → high, warning →
medium, info → low (a real but minor issue, such as a missing ``--no-install-recommends``),
style → info; the level is kept as ``tool_severity``. hadolint writes ``[]`` when it finds
nothing, which is only read as hadolint's when the file's path names hadolint.

The fingerprint is tool, rule, file and message, numbered when repeated: never the line.
"""

from __future__ import annotations

import re
from pathlib import Path

from phasebook.evidence import Finding, Report, Severity, Skipped
from phasebook.readers.base import ReportError, load_json
from phasebook.readers.values import (
    Fingerprints,
    arr,
    is_empty_body,
    obj,
    opt_int,
    opt_text,
    path_hints,
)

TOOL = "hadolint"
SEVERITY = {
    "error": Severity.HIGH,
    "warning": Severity.MEDIUM,
    "info": Severity.LOW,
    "style": Severity.INFO,
}
_CODE = re.compile(r'"code"\s*:\s*"(?:DL|SC)\d{4}"')


class HadolintReader:
    """hadolint's JSON output."""

    format = "hadolint-json"

    def detect(self, head: str, path: Path) -> bool:
        if is_empty_body(head):
            return head.strip() != "null" and path_hints(path, "hadolint")
        return (
            head.lstrip().startswith("[")
            and '"level"' in head
            and '"file"' in head
            and _CODE.search(head) is not None
        )

    def read(self, path: Path) -> Report:
        data = load_json(path)
        if isinstance(data, dict):
            raise ReportError(
                path,
                "expected hadolint's JSON array, found an object (supported: hadolint -f json)",
            )
        report = Report(path=path, format=self.format, tool=TOOL)
        prints = Fingerprints(TOOL)
        for index, raw in enumerate(arr(path, data, "the hadolint report")):
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

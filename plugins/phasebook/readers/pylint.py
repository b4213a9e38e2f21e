"""pylint ``--output-format=json`` and ``--output-format=json2`` (pylint 3.0+).

``json`` is a bare array of messages ``{type, module, obj, line, column, endLine, endColumn,
path, symbol, message, message-id}`` (pylint 2.x has no ``endLine``/``endColumn``).
``json2`` is an object ``{messages: [...], statistics: {messageTypeCount, modulesLinted,
score}}`` whose messages spell the id ``messageId`` and add ``confidence`` and
``absolutePath``. The two are told apart by their top level (array or object), and an object
of any other shape is refused with the supported layouts. pylint's json writes ``[]`` when it
finds nothing; since any tool (or a broken run) may leave ``[]``, it is read as zero findings
only when the phase declares ``format: pylint-json``, never detected (json2 always says so in
its statistics).

Severity follows pylint's message type (kept as ``tool_severity``): fatal and error → high
(pylint could not check, or found a probable bug), warning → medium, refactor and convention
→ low, info → info. json2's ``messageTypeCount`` must agree with the messages listed (else the
file was cut or edited and is refused); its score becomes a report note. Columns are made
1-based (pylint counts from 0). The fingerprint is tool, message id, file, enclosing object and
message, numbered when repeated: never the line.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from phasebook.evidence import Finding, Report, Severity, Skipped
from phasebook.readers.base import ReportError, load_json, not_the_format, starts_json, top_array
from phasebook.readers.fingerprint import Fingerprints
from phasebook.readers.roles import FINDINGS, Role
from phasebook.readers.scalars import opt_int, opt_text, score
from phasebook.readers.shapes import obj

TOOL = "pylint"
SEVERITY = {
    "fatal": Severity.HIGH,
    "error": Severity.HIGH,
    "warning": Severity.MEDIUM,
    "refactor": Severity.LOW,
    "convention": Severity.LOW,
    "info": Severity.INFO,
}
SUPPORTED = (
    "supported: pylint json (an array of messages with 'message-id') and json2 (an object "
    "with 'messages' and 'statistics.messageTypeCount', pylint 3.0+)"
)
EXPECTED_JSON = (
    "an array of messages with pylint's keys (message-id, symbol, message, path, line), as "
    "`pylint --output-format=json` writes it"
)
EXPECTED_JSON2 = (
    "an object with `messages` (a list) and `statistics` with `messageTypeCount`, as "
    "`pylint --output-format=json2` writes it"
)


class PylintJson2Reader:
    """pylint's json2 reporter: messages plus statistics and the score."""

    format = "pylint-json2"
    role = Role.LINTER
    kinds = FINDINGS

    def detect(self, head: str, path: Path) -> bool:
        if not starts_json(head, "{", "messages"):
            return False
        return '"messageId"' in head or '"messageTypeCount"' in head

    def read(self, path: Path) -> Report:
        data = load_json(path)
        if not isinstance(data, dict) or not data:
            raise not_the_format(path, data, "a pylint json2 report", EXPECTED_JSON2)
        messages, statistics = data.get("messages"), data.get("statistics")
        if not isinstance(statistics, dict) or not isinstance(messages, list):
            raise not_the_format(path, data, "a pylint json2 report", EXPECTED_JSON2)
        counts = statistics.get("messageTypeCount")
        if not isinstance(counts, dict):
            raise ReportError(path, f"unknown pylint json2 statistics; {SUPPORTED}")
        report = Report(path=path, format=self.format, tool=TOOL, schema_version="json2")
        prints = Fingerprints(TOOL)
        for index, raw in enumerate(messages):
            _add(report, prints, obj(path, raw, f"message #{index + 1}"), "messageId", index)
        _check_counts(path, counts, messages)
        rating = score(statistics.get("score"))
        modules = opt_int(statistics.get("modulesLinted"))
        if rating is not None:
            linted = f" ({modules} modules linted)" if modules is not None else ""
            report.notes.append(f"pylint score {rating:.2f}/10{linted}")
        return report


class PylintJsonReader:
    """pylint's json reporter: a bare array of messages."""

    format = "pylint-json"
    role = Role.LINTER
    kinds = FINDINGS
    clean_output = ("[]",)

    def detect(self, head: str, path: Path) -> bool:
        return starts_json(head, "[", "message-id", "symbol")

    def read(self, path: Path) -> Report:
        data = load_json(path)
        if isinstance(data, dict):
            hint = " (this looks like json2: read it as pylint-json2)" if "messages" in data else ""
            raise not_the_format(path, data, "a pylint json report", EXPECTED_JSON + hint)
        messages = top_array(
            path,
            data,
            "a pylint json report",
            EXPECTED_JSON,
            keys=("message-id", "symbol"),
            clean=self.clean_output,
        )
        report = Report(path=path, format=self.format, tool=TOOL, schema_version="json")
        prints = Fingerprints(TOOL)
        for index, raw in enumerate(messages):
            _add(report, prints, obj(path, raw, f"message #{index + 1}"), "message-id", index)
        return report


def _check_counts(path: Path, counts: dict[str, Any], messages: list[Any]) -> None:
    """json2's per-type counts against the listed messages: a difference means a cut file."""
    listed = Counter(str(m.get("type")) for m in messages if isinstance(m, dict))
    stated = {str(kind): opt_int(number) for kind, number in counts.items()}
    if any(number is None for number in stated.values()):
        raise ReportError(path, f"messageTypeCount is not a table of numbers; {SUPPORTED}")
    for kind in sorted(set(stated) | set(listed)):
        if (stated.get(kind) or 0) != listed.get(kind, 0):
            raise ReportError(
                path,
                f"statistics.messageTypeCount says {stated.get(kind) or 0} {kind} messages but "
                f"the report lists {listed.get(kind, 0)} (cut or edited report?)",
            )


def _add(
    report: Report, prints: Fingerprints, message: dict[str, Any], id_key: str, index: int
) -> None:
    where = f"#{index + 1}"
    rule = opt_text(message.get(id_key)) or opt_text(message.get("symbol"))
    text = " ".join(str(opt_text(message.get("message")) or "").split())
    if rule is None or not text:
        report.skipped.append(Skipped("a message without id or text", where))
        return
    kind = opt_text(message.get("type")) or ""
    symbol = opt_text(message.get("symbol"))
    file = opt_text(message.get("path"))
    column = opt_int(message.get("column"))
    report.records.append(
        Finding(
            tool=TOOL,
            rule=rule,
            severity=SEVERITY.get(kind.lower(), Severity.INFO),
            tool_severity=kind,
            title=f"{text} ({symbol})" if symbol and symbol != rule else text,
            fingerprint=prints(rule, file, opt_text(message.get("obj")), text),
            path=file,
            line=opt_int(message.get("line")),
            column=None if column is None else column + 1,
        )
    )

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
    starts_json,
    top_structs,
)
from phasebook.readers.columns import Row, from_rows
from phasebook.readers.fingerprint import Fingerprints
from phasebook.readers.roles import FINDINGS, Role
from phasebook.readers.scalars import opt_int, opt_text, score
from phasebook.readers.shapes import not_an_object

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


# The fields read, in both layouts (json spells the id ``message-id``, json2 ``messageId``).


class _Message(msgspec.Struct, gc=False):
    message_id: Any = msgspec.field(default=msgspec.UNSET, name="message-id")
    messageId: Any = msgspec.UNSET
    symbol: Any = msgspec.UNSET
    message: Any = None
    type: Any = None
    path: Any = None
    obj: Any = None
    line: Any = None
    column: Any = None


class _Statistics(msgspec.Struct, gc=False):
    messageTypeCount: Any = None
    modulesLinted: Any = None
    score: Any = None


class _Json2(msgspec.Struct, gc=False):
    messages: ArrayOr[ObjectOr[_Message]] = None
    statistics: ObjectOr[_Statistics] = None


_Messages: TypeAlias = ArrayOr[ObjectOr[_Message]]
_JSON: msgspec.json.Decoder[_Messages] = msgspec.json.Decoder(_Messages)
_Json2Document: TypeAlias = ObjectOr[_Json2]
_JSON2: msgspec.json.Decoder[_Json2Document] = msgspec.json.Decoder(_Json2Document)
_FIELDS = ("rule", "severity", "tool_severity", "title", "path", "line", "column")


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
        data = load_typed(path, _JSON2)
        if (
            not isinstance(data, _Json2)
            or not isinstance(data.statistics, _Statistics)
            or not isinstance(data.messages, list)
        ):
            raise not_the_format(path, load_json(path), "a pylint json2 report", EXPECTED_JSON2)
        messages, statistics = data.messages, data.statistics
        counts = statistics.messageTypeCount
        if not isinstance(counts, dict):
            raise ReportError(path, f"unknown pylint json2 statistics; {SUPPORTED}")
        report = Report(path=path, format=self.format, tool=TOOL, schema_version="json2")
        _read_messages(path, report, messages, json2=True)
        _check_counts(path, counts, messages)
        rating = score(statistics.score)
        modules = opt_int(statistics.modulesLinted)
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
        data = load_typed(path, _JSON)
        if isinstance(data, dict):
            hint = " (this looks like json2: read it as pylint-json2)" if "messages" in data else ""
            raise not_the_format(path, data, "a pylint json report", EXPECTED_JSON + hint)
        messages = top_structs(
            path,
            data,
            "a pylint json report",
            EXPECTED_JSON,
            kind=_Message,
            keys=("message-id", "symbol"),
            clean=self.clean_output,
        )
        report = Report(path=path, format=self.format, tool=TOOL, schema_version="json")
        _read_messages(path, report, messages, json2=False)
        return report


def _check_counts(path: Path, counts: dict[str, Any], messages: list[Any]) -> None:
    """json2's per-type counts against the listed messages: a difference means a cut file."""
    listed = Counter(str(m.type) for m in messages if type(m) is _Message)
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


def _read_messages(path: Path, report: Report, messages: list[Any], *, json2: bool) -> None:
    """Every message a finding, or skipped with the reason; the findings made in one go."""
    rows: list[Row] = []
    unset = msgspec.UNSET
    for index, message in enumerate(messages):
        if type(message) is not _Message:
            raise not_an_object(path, message, f"message #{index + 1}")
        given = message.messageId if json2 else message.message_id
        symbol = opt_text(None if message.symbol is unset else message.symbol)
        rule = opt_text(None if given is unset else given) or symbol
        text = " ".join(str(opt_text(message.message) or "").split())
        if rule is None or not text:
            report.skipped.append(Skipped("a message without id or text", f"#{index + 1}"))
            continue
        kind = opt_text(message.type) or ""
        file = opt_text(message.path)
        column = opt_int(message.column)
        rows.append(
            (
                rule,
                file,
                opt_text(message.obj),
                text,
                rule,
                SEVERITY.get(kind.lower(), Severity.INFO),
                kind,
                f"{text} ({symbol})" if symbol and symbol != rule else text,
                file,
                opt_int(message.line),
                None if column is None else column + 1,
            )
        )
    report.records.extend(from_rows(Fingerprints(TOOL), rows, _FIELDS, tool=TOOL))

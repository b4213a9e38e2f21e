"""OWASP ZAP reports: traditional JSON (``site[].alerts[]``), XML (``OWASPZAPReport``) and the
API's alert list (``/JSON/core/view/alerts``: one entry per instance).

In the JSON and XML reports the record is the alert, with its instances under it, so one
finding per alert, located at its first instance. ZAP's evidence, attack and parameter values
can hold credentials (a password sent in a URL, a session token): none of them is published.
Locations are URLs with the user-info dropped and credential-like query values redacted.
Alerts marked as false positives (confidence 0) are counted as skipped.

The JSON report must carry ZAP's ``@version``/``@generated`` beside ``site``. The API's alert
list is ``{"alerts": [...]}``; a bare array of alerts is how the API clients hand it over
(``zap.core.alerts()`` dumped as JSON), ``[]`` when ZAP raised nothing. Since any tool (or a
broken run) may leave ``[]``, it is read as zero findings only when the phase declares
``format: zap-alerts-json``, never detected; so is ``{"alerts": []}``.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any, TypeAlias
from urllib.parse import unquote_plus, urlsplit, urlunsplit

import msgspec

from phasebook.evidence import Report, Severity, Skipped
from phasebook.readers.base import (
    ArrayOr,
    ObjectOr,
    ReportError,
    load_json,
    load_typed,
    not_the_format,
    top_structs,
)
from phasebook.readers.columns import Row, from_rows
from phasebook.readers.fingerprint import Fingerprints
from phasebook.readers.ids import cwe_ids
from phasebook.readers.redact import REDACTED, scrub
from phasebook.readers.roles import FINDINGS, Role
from phasebook.readers.scalars import opt_text, text
from phasebook.readers.shapes import arr, not_an_object
from phasebook.readers.xmlsafe import Element, parse_xml

TOOL = "zap"
RISK_CODES = {"3": Severity.HIGH, "2": Severity.MEDIUM, "1": Severity.LOW, "0": Severity.INFO}
RISK_WORDS = {
    "high": Severity.HIGH,
    "medium": Severity.MEDIUM,
    "low": Severity.LOW,
    "informational": Severity.INFO,
    "info": Severity.INFO,
}
FALSE_POSITIVE = "marked as a false positive in ZAP (confidence 0)"

_CREDENTIAL = re.compile(
    r"pass|pwd|secret|token|key|auth|sess|sid|cred|sig|code|jwt|bearer|cookie|otp|pin", re.I
)
_ALERTS_HEAD = re.compile(r'\A\s*(?:\[|\{\s*"alerts"\s*:\s*\[)\s*\{')
_JSON_REPORT_KEYS = ('"@version"', '"@generated"', '"@programName"')
EXPECTED_JSON = (
    "an object with `site` and ZAP's `@version`/`@generated`, as ZAP's traditional JSON "
    "report writes it"
)
EXPECTED_ALERTS = (
    "ZAP's API alert list: an object with an `alerts` list, or a bare array of alerts with "
    "`pluginId` and `risk`"
)
ALERT_KEYS = ("pluginId", "alertRef", "risk")
_FIELDS = ("rule", "severity", "tool_severity", "title", "path", "cwe")
_UNSET = msgspec.UNSET


# The fields read. Of an alert's instances (often thousands) only the first is used, and of it
# only the URL and the values to hide in it; request and response texts are skipped.


class _Instance(msgspec.Struct, gc=False):
    uri: Any = None
    evidence: Any = None
    attack: Any = None


class _Alert(msgspec.Struct, gc=False):
    pluginid: Any = None
    alertRef: Any = None
    alert: Any = None
    name: Any = None
    riskcode: Any = None
    riskdesc: Any = None
    confidence: Any = None
    cweid: Any = None
    instances: ArrayOr[ObjectOr[_Instance]] = None


class _Site(msgspec.Struct, gc=False):
    name: Any = msgspec.field(default=None, name="@name")
    alerts: ArrayOr[ObjectOr[_Alert]] | msgspec.UnsetType = _UNSET


class _JsonReport(msgspec.Struct, gc=False):
    version: Any = msgspec.field(default=_UNSET, name="@version")
    generated: Any = msgspec.field(default=_UNSET, name="@generated")
    program: Any = msgspec.field(default=_UNSET, name="@programName")
    site: list[ObjectOr[_Site]] | _Site | str | int | float | bool | msgspec.UnsetType | None = (
        _UNSET
    )


class _ApiAlert(msgspec.Struct, gc=False):
    pluginId: Any = _UNSET
    alertRef: Any = _UNSET
    risk: Any = _UNSET
    alert: Any = None
    name: Any = None
    confidence: Any = None
    cweid: Any = None
    url: Any = None
    param: Any = None
    evidence: Any = None
    attack: Any = None


class _Envelope(msgspec.Struct, gc=False):
    alerts: ArrayOr[ObjectOr[_ApiAlert]] = None


_JsonDocument: TypeAlias = ObjectOr[_JsonReport]
_JSON: msgspec.json.Decoder[_JsonDocument] = msgspec.json.Decoder(_JsonDocument)
_AlertsDocument: TypeAlias = _Envelope | list[ObjectOr[_ApiAlert]] | str | int | float | bool | None
_ALERTS: msgspec.json.Decoder[_AlertsDocument] = msgspec.json.Decoder(_AlertsDocument)


def _given(value: Any) -> Any:
    """A field's value, ``None`` when the report leaves it out (as ``dict.get`` gives)."""
    return None if value is _UNSET else value


class ZapJsonReader:
    format = "zap-json"
    role = Role.DAST_SCANNER
    kinds = FINDINGS

    def detect(self, head: str, path: Path) -> bool:
        return '"site"' in head and any(key in head for key in _JSON_REPORT_KEYS)

    def read(self, path: Path) -> Report:
        data = load_typed(path, _JSON)
        if (
            not isinstance(data, _JsonReport)
            or data.site is _UNSET
            or (data.version is _UNSET and data.generated is _UNSET and data.program is _UNSET)
        ):
            raise not_the_format(path, load_json(path), "a ZAP JSON report", EXPECTED_JSON)
        report = _new_report(path, self.format, _given(data.version), _given(data.generated))
        sites = data.site if isinstance(data.site, list) else [data.site]
        rows: list[Row] = []
        for site in sites:
            if type(site) is not _Site:
                raise not_an_object(path, site, "a site")
            site_name = opt_text(site.name)
            if site.alerts is _UNSET:
                raise ReportError(path, f"the ZAP site {site_name!r} has no 'alerts'")
            for alert in arr(path, site.alerts, "a site's 'alerts'"):
                if type(alert) is not _Alert:
                    raise not_an_object(path, alert, "an alert")
                instances = arr(path, alert.instances, "'instances'")
                for instance in instances:
                    if type(instance) is not _Instance:
                        raise not_an_object(path, instance, "an instance")
                fields = {
                    "pluginid": alert.pluginid,
                    "alertRef": alert.alertRef,
                    "alert": alert.alert,
                    "name": alert.name,
                    "riskcode": alert.riskcode,
                    "riskdesc": alert.riskdesc,
                    "confidence": alert.confidence,
                    "cweid": alert.cweid,
                }
                first = [
                    {"uri": i.uri, "evidence": i.evidence, "attack": i.attack}
                    for i in instances[:1]
                ]
                _alert(report, rows, fields, first, site_name)
        report.records.extend(from_rows(Fingerprints(TOOL), rows, _FIELDS, tool=TOOL))
        return report


class ZapXmlReader:
    format = "zap-xml"
    role = Role.DAST_SCANNER
    kinds = FINDINGS

    def detect(self, head: str, path: Path) -> bool:
        return "<OWASPZAPReport" in head

    def read(self, path: Path) -> Report:
        root = parse_xml(path, expected="ZAP's XML report: an <OWASPZAPReport> root")
        if root.tag != "OWASPZAPReport":
            raise ReportError(path, f"not a ZAP XML report: the root is <{root.tag}>")
        report = _new_report(path, self.format, root.get("version"), root.get("generated"))
        rows: list[Row] = []
        for site in root.iter("site"):
            for item in site.iter("alertitem"):
                alert = {child.tag: child.text or "" for child in item if len(child) == 0}
                instances = [_fields(i) for i in item.iter("instance")]
                if not instances and "uri" in alert:
                    instances = [alert]
                _alert(report, rows, alert, instances, site.get("name"))
        report.records.extend(from_rows(Fingerprints(TOOL), rows, _FIELDS, tool=TOOL))
        return report


class ZapAlertsJsonReader:
    format = "zap-alerts-json"
    role = Role.DAST_SCANNER
    kinds = FINDINGS
    clean_output = ("[]",)

    def detect(self, head: str, path: Path) -> bool:
        if _ALERTS_HEAD.match(head):
            return '"pluginId"' in head and '"risk"' in head
        return False

    def read(self, path: Path) -> Report:
        data = load_typed(path, _ALERTS)
        if isinstance(data, _Envelope) and isinstance(data.alerts, list):
            alerts = data.alerts  # the API's own envelope: [] in it is ZAP's "no alerts"
        elif isinstance(data, _Envelope):
            raise not_the_format(path, load_json(path), "a ZAP alert list", EXPECTED_ALERTS)
        else:
            alerts = top_structs(
                path,
                data,
                "a ZAP alert list",
                EXPECTED_ALERTS,
                kind=_ApiAlert,
                keys=ALERT_KEYS,
                clean=self.clean_output,
            )
        report = Report(path=path, format=self.format, tool=TOOL)
        rows: list[Row] = []
        for entry in alerts:
            if type(entry) is not _ApiAlert:
                raise not_an_object(path, entry, "an alert")
            alert = {
                "pluginid": _given(entry.pluginId),
                "alertRef": _given(entry.alertRef),
                "alert": entry.alert,
                "name": entry.name,
                "riskdesc": _given(entry.risk),
                "confidence": entry.confidence,
                "cweid": entry.cweid,
            }
            instance = {
                "uri": entry.url,
                "param": entry.param,
                "evidence": entry.evidence,
                "attack": entry.attack,
            }
            _alert(report, rows, alert, [instance], None)
        report.records.extend(from_rows(Fingerprints(TOOL), rows, _FIELDS, tool=TOOL))
        return report


def _fields(element: Element) -> dict[str, str]:
    return {child.tag: child.text or "" for child in element}


def _new_report(path: Path, format: str, version: Any, generated: Any) -> Report:
    return Report(
        path=path,
        format=format,
        tool=TOOL,
        tool_version=opt_text(version),
        generated_at=_generated(text(generated)),
    )


def _generated(value: str) -> dt.datetime | None:
    """ZAP's ``generated``, e.g. ``Tue, 12 May 2020 20:57:30`` (localised ones give ``None``)."""
    try:
        return dt.datetime.strptime(value.strip(), "%a, %d %b %Y %H:%M:%S")
    except ValueError:
        return None


def _alert(
    report: Report,
    rows: list[Row],
    alert: dict[str, Any],
    instances: list[dict[str, Any]],
    site: str | None,
) -> None:
    rule = opt_text(alert.get("alertRef")) or opt_text(alert.get("pluginid")) or "zap-alert"
    title = opt_text(alert.get("alert")) or opt_text(alert.get("name")) or rule
    confidence = text(alert.get("confidence")).strip().lower()
    if confidence in ("0", "false positive"):
        report.skipped.append(Skipped(FALSE_POSITIVE, f"{rule} {title}"))
        return
    severity, word = _severity(alert)
    first = instances[0] if instances else {}
    location = _safe_uri(first) or site
    rows.append(
        (
            rule,
            site or location,
            None,
            title,
            rule,
            severity,
            word,
            title,
            location,
            cwe_ids(alert.get("cweid")),
        )
    )


def _severity(alert: dict[str, Any]) -> tuple[Severity, str]:
    code = text(alert.get("riskcode")).strip()
    word = text(alert.get("riskdesc")).strip()
    if code in RISK_CODES:
        return RISK_CODES[code], word or code
    risk = word.split("(")[0].strip().lower()
    return RISK_WORDS.get(risk, Severity.INFO), word


def _safe_uri(instance: dict[str, Any]) -> str | None:
    """The instance's URL without user-info and with credential-like query values redacted."""
    uri = opt_text(instance.get("uri"))
    if uri is None:
        return None
    hidden = {text(instance.get(k)).strip() for k in ("evidence", "attack")} - {""}
    long_hidden = [value for value in hidden if len(value) >= 8]
    try:
        parts = urlsplit(uri)
        host = parts.hostname or ""
        host = f"[{host}]" if ":" in host else host
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return REDACTED
    pairs = []
    for pair in parts.query.split("&") if parts.query else []:
        key, sep, value = pair.partition("=")
        if value and (_CREDENTIAL.search(key) or value in hidden or unquote_plus(value) in hidden):
            value = REDACTED
        pairs.append(f"{key}{sep}{scrub(value, long_hidden)}")
    netloc = f"{host}{port}" if parts.netloc else ""
    return urlunsplit(
        (
            parts.scheme,
            netloc,
            scrub(parts.path, long_hidden),
            "&".join(pairs),
            scrub(parts.fragment, long_hidden),
        )
    )

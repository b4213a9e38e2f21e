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
from typing import Any
from urllib.parse import unquote_plus, urlsplit, urlunsplit

from phasebook.evidence import Finding, Report, Severity, Skipped
from phasebook.readers.base import ReportError, load_json, not_the_format, top_array
from phasebook.readers.fingerprint import Fingerprints
from phasebook.readers.ids import cwe_ids
from phasebook.readers.redact import REDACTED, scrub
from phasebook.readers.roles import FINDINGS, Role
from phasebook.readers.scalars import opt_text, text
from phasebook.readers.shapes import arr, obj
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


class ZapJsonReader:
    format = "zap-json"
    role = Role.DAST_SCANNER
    kinds = FINDINGS

    def detect(self, head: str, path: Path) -> bool:
        return '"site"' in head and any(key in head for key in _JSON_REPORT_KEYS)

    def read(self, path: Path) -> Report:
        data = load_json(path)
        if (
            not isinstance(data, dict)
            or "site" not in data
            or not any(key.strip('"') in data for key in _JSON_REPORT_KEYS)
        ):
            raise not_the_format(path, data, "a ZAP JSON report", EXPECTED_JSON)
        report = _new_report(path, self.format, data.get("@version"), data.get("@generated"))
        sites = data["site"] if isinstance(data["site"], list) else [data["site"]]
        prints = Fingerprints(TOOL)
        for raw_site in sites:
            site = obj(path, raw_site, "a site")
            site_name = opt_text(site.get("@name"))
            if "alerts" not in site:
                raise ReportError(path, f"the ZAP site {site_name!r} has no 'alerts'")
            for raw in arr(path, site.get("alerts"), "a site's 'alerts'"):
                alert = obj(path, raw, "an alert")
                instances = [
                    obj(path, i, "an instance")
                    for i in arr(path, alert.get("instances"), "'instances'")
                ]
                _alert(report, prints, alert, instances, site_name)
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
        prints = Fingerprints(TOOL)
        for site in root.iter("site"):
            for item in site.iter("alertitem"):
                alert = {child.tag: child.text or "" for child in item if len(child) == 0}
                instances = [_fields(i) for i in item.iter("instance")]
                if not instances and "uri" in alert:
                    instances = [alert]
                _alert(report, prints, alert, instances, site.get("name"))
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
        data = load_json(path)
        if isinstance(data, dict) and isinstance(data.get("alerts"), list):
            alerts = data["alerts"]  # the API's own envelope: [] in it is ZAP's "no alerts"
        elif isinstance(data, dict):
            raise not_the_format(path, data, "a ZAP alert list", EXPECTED_ALERTS)
        else:
            alerts = top_array(
                path,
                data,
                "a ZAP alert list",
                EXPECTED_ALERTS,
                keys=ALERT_KEYS,
                clean=self.clean_output,
            )
        report = Report(path=path, format=self.format, tool=TOOL)
        prints = Fingerprints(TOOL)
        for raw in alerts:
            entry = obj(path, raw, "an alert")
            alert = {
                "pluginid": entry.get("pluginId"),
                "alertRef": entry.get("alertRef"),
                "alert": entry.get("alert"),
                "name": entry.get("name"),
                "riskdesc": entry.get("risk"),
                "confidence": entry.get("confidence"),
                "cweid": entry.get("cweid"),
            }
            instance = {k: entry.get(k) for k in ("url", "param", "evidence", "attack")}
            instance["uri"] = instance.pop("url")
            _alert(report, prints, alert, [instance], None)
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
    prints: Fingerprints,
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
    report.records.append(
        Finding(
            tool=TOOL,
            rule=rule,
            severity=severity,
            tool_severity=word,
            title=title,
            fingerprint=prints(rule, site or location, None, title),
            path=location,
            cwe=cwe_ids(alert.get("cweid")),
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

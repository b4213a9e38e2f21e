"""Readers of infrastructure plans, load tests and operations, most specific first.

Each detector looks for what only its format has (a plan's ``terraform_version``, k6's
``root_group``, a query answer's ``resultType``, a rule file's ``groups:`` with ``alert:`` or
``record:`` rules, locust's header rows), so none claims the plain measurements file, which
comes last.
"""

from __future__ import annotations

from phasebook.readers.base import Reader
from phasebook.readers.k6 import K6SummaryExportReader, K6SummaryReader
from phasebook.readers.locust import (
    LocustExceptionsReader,
    LocustFailuresReader,
    LocustHistoryReader,
    LocustStatsReader,
)
from phasebook.readers.measurements import MeasurementsReader
from phasebook.readers.prometheus_query import PrometheusQueryReader
from phasebook.readers.prometheus_rules import PrometheusRulesReader
from phasebook.readers.terraform import TerraformPlanReader

READERS: tuple[Reader, ...] = (
    TerraformPlanReader(),
    K6SummaryReader(),
    K6SummaryExportReader(),
    PrometheusQueryReader(),
    PrometheusRulesReader(),
    LocustStatsReader(),
    LocustHistoryReader(),
    LocustFailuresReader(),
    LocustExceptionsReader(),
    MeasurementsReader(),
)

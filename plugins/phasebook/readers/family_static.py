"""Readers of static analysis output, most specific first.

SARIF comes first: several of these tools (semgrep, ruff, hadolint, checkov, bandit) can also
write SARIF, and a SARIF file is always read as SARIF. The JSON readers then check keys only
their format has; mypy's text output, recognised by its message and summary lines, comes last.
JSON-lines readers look at the first line only, so a JSON array is never taken for them.
"""

from __future__ import annotations

from phasebook.readers.bandit import BanditReader
from phasebook.readers.base import Reader
from phasebook.readers.checkov import CheckovReader
from phasebook.readers.hadolint import HadolintReader
from phasebook.readers.mypy import MypyJsonReader, MypyTextReader
from phasebook.readers.pylint import PylintJson2Reader, PylintJsonReader
from phasebook.readers.ruff import RuffJsonLinesReader, RuffJsonReader
from phasebook.readers.sarif import SarifReader
from phasebook.readers.semgrep import SemgrepAppReader, SemgrepJsonReader

READERS: tuple[Reader, ...] = (
    SarifReader(),
    BanditReader(),
    CheckovReader(),
    SemgrepJsonReader(),
    SemgrepAppReader(),
    PylintJson2Reader(),
    PylintJsonReader(),
    HadolintReader(),
    RuffJsonReader(),
    RuffJsonLinesReader(),
    MypyJsonReader(),
    MypyTextReader(),
)

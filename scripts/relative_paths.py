"""Take the machine's project folder out of the example's tool reports.

ruff's JSON names every file by its absolute path, and coverage's Cobertura XML names the
absolute folder its file names start from; neither has an option to do otherwise. Committed
as they are, the example's findings would read ``/home/someone/phasebook/plugins/…`` and
change with every machine that regenerates them (a finding's fingerprint includes its file).

    python scripts/relative_paths.py ROOT REPORT...

A ruff JSON report: each diagnostic's ``filename`` under ROOT becomes relative to ROOT. A
Cobertura XML report: a ``<source>`` that is ROOT becomes ``.``. Anything else is refused. A
file is written back only when something changed, in the layout the tool wrote it.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any


def relative_ruff(text: str, root: Path) -> str:
    """ruff's JSON array with each ``filename`` under ``root`` made relative to it."""
    diagnostics: list[dict[str, Any]] = json.loads(text)
    for diagnostic in diagnostics:
        name = Path(diagnostic["filename"])
        if name.is_relative_to(root):
            diagnostic["filename"] = name.relative_to(root).as_posix()
    if not diagnostics:
        return text  # `[]`: nothing to rewrite, and the file stays byte for byte
    return json.dumps(diagnostics, indent=2, ensure_ascii=False)  # ruff's own layout


def relative_cobertura(text: str, root: Path) -> str:
    """Cobertura XML with a ``<source>`` naming ``root`` replaced by ``.``."""
    source = re.compile(r"<source>\s*" + re.escape(str(root)) + r"/?\s*</source>")
    return source.sub("<source>.</source>", text)


def rewrite(report: Path, root: Path) -> bool:
    """Rewrite one report in place; True when it changed."""
    text = report.read_text(encoding="utf-8")
    if report.suffix == ".json":
        new = relative_ruff(text, root)
    elif report.suffix == ".xml":
        new = relative_cobertura(text, root)
    else:
        raise SystemExit(f"{report}: neither ruff JSON nor Cobertura XML (.json or .xml)")
    if new == text:
        return False
    report.write_text(new, encoding="utf-8")
    return True


def main(argv: list[str]) -> int:
    if len(argv) < 2:  # ROOT and at least one report
        raise SystemExit(__doc__)
    root = Path(argv[0]).resolve()
    for name in argv[1:]:
        if rewrite(Path(name), root):
            print(f"{name}: paths relative to {root}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Documentation coverage of Phasebook's public API, as a Phasebook measurements file.

Public API = every name a package exports in ``__all__`` (the package and its subpackages).
Writes ``name,value,unit,timestamp`` CSV: the metric ``documentation_coverage`` in percent.

    python scripts/doc_coverage.py OUT.csv
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil
import sys
from pathlib import Path

import phasebook


def public_objects() -> dict[str, object]:
    """Every object named in an ``__all__`` of phasebook or one of its modules."""
    found: dict[str, object] = {}
    modules = [phasebook.__name__] + [
        info.name for info in pkgutil.walk_packages(phasebook.__path__, "phasebook.")
    ]
    for name in modules:
        module = importlib.import_module(name)
        for export in getattr(module, "__all__", ()):
            found[f"{name}.{export}"] = getattr(module, export)
    return found


def own_doc(obj: object) -> str:
    """The object's own docstring: a class does not inherit its base's here."""
    if inspect.isclass(obj):
        return str(obj.__dict__.get("__doc__") or "")
    return str(getattr(obj, "__doc__", "") or "")


def main() -> None:
    objects = {
        name: obj
        for name, obj in public_objects().items()
        if inspect.isclass(obj) or inspect.isfunction(obj) or inspect.ismodule(obj)
    }
    documented = [name for name, obj in objects.items() if own_doc(obj).strip()]
    missing = sorted(set(objects) - set(documented))
    for name in missing:
        print(f"undocumented: {name}", file=sys.stderr)
    percent = 100.0 * len(documented) / len(objects) if objects else 0.0
    now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    Path(sys.argv[1]).write_text(
        f"name,value,unit,timestamp\ndocumentation_coverage,{percent:.2f},%,{now}\n",
        encoding="utf-8",
    )
    print(f"{len(documented)} of {len(objects)} public objects documented ({percent:.1f} %)")


if __name__ == "__main__":
    main()

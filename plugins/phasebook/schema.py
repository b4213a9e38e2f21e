"""JSON Schemas for the data files, generated from the model so they never drift.

The committed copies under ``schema/`` give editors completion and checking (the example YAML
files point at them with a ``yaml-language-server`` comment); a test regenerates and compares.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from phasebook.model import Phase, ProgrammeInfo

SCHEMAS: dict[str, type[BaseModel]] = {
    "programme.schema.json": ProgrammeInfo,
    "phase.schema.json": Phase,
}


def schema_for(model: type[BaseModel]) -> dict[str, Any]:
    """The JSON Schema of one file kind, with the draft it follows."""
    schema = model.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def schema_texts() -> dict[str, str]:
    """File name → schema text, formatted as committed."""
    return {
        name: json.dumps(schema_for(model), indent=2, ensure_ascii=False) + "\n"
        for name, model in SCHEMAS.items()
    }


def write_schemas(folder: Path) -> list[Path]:
    """Write every schema into ``folder``; returns the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in schema_texts().items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written

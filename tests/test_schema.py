"""The committed JSON Schemas are exactly what the model generates, and the example uses them."""

from __future__ import annotations

import json

from tests.conftest import ROOT

from phasebook.schema import schema_texts


def test_committed_schemas_match_the_model() -> None:
    for name, text in schema_texts().items():
        committed = (ROOT / "schema" / name).read_text(encoding="utf-8")
        assert committed == text, f"schema/{name} is stale: run `phasebook schema`"


def test_schema_forbids_unknown_keys_and_documents_fields() -> None:
    phase = json.loads(schema_texts()["phase.schema.json"])
    assert phase["additionalProperties"] is False
    assert phase["properties"]["status"]["$ref"].endswith("PhaseStatus")
    assert "description" in phase["properties"]["title"]


def test_example_files_point_at_the_schemas() -> None:
    first = (ROOT / "data/programme.yml").read_text().splitlines()[0]
    assert first == "# yaml-language-server: $schema=../schema/programme.schema.json"
    for path in sorted((ROOT / "data/phases").glob("*.yml")):
        line = path.read_text().splitlines()[0]
        assert line == "# yaml-language-server: $schema=../../schema/phase.schema.json", path
        assert (path.parent / line.split("=", 1)[1]).resolve() == ROOT / "schema/phase.schema.json"

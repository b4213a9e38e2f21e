"""The committed JSON Schemas are exactly what the model generates, and the example uses them."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from tests.conftest import ROOT, run_cli

from phasebook.schema import SCHEMAS, schema_texts

EXAMPLE_FILES = [ROOT / "data" / "programme.yml", *sorted((ROOT / "data" / "phases").glob("*.yml"))]


def _validator_class() -> Any:
    """jsonschema's 2020-12 validator (a dependency of checkov, from the test extras)."""
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is not installed")
    return jsonschema.Draft202012Validator


def test_committed_schemas_match_the_model() -> None:
    """schema/*.json are byte-for-byte what the model generates: no drift after a model change."""
    committed = {p.name for p in (ROOT / "schema").glob("*.json")}
    assert committed == set(SCHEMAS)
    for name, text in schema_texts().items():
        on_disk = (ROOT / "schema" / name).read_text(encoding="utf-8")
        assert on_disk == text, f"schema/{name} is stale: run `phasebook schema`"


def test_cli_writes_the_same_schemas(tmp_path: Path) -> None:
    """`phasebook schema --out DIR` writes exactly schema_texts()."""
    result = run_cli("schema", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    for name, text in schema_texts().items():
        assert (tmp_path / name).read_text(encoding="utf-8") == text


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_schemas_are_valid_draft_2020_12(name: str) -> None:
    """Editors can use the schemas: each is a valid 2020-12 JSON Schema."""
    validator_class = _validator_class()
    schema = json.loads(schema_texts()[name])
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    validator_class.check_schema(schema)


def test_schema_forbids_unknown_keys_and_documents_fields() -> None:
    """Like the loader, the schema refuses unknown keys and describes every field."""
    phase = json.loads(schema_texts()["phase.schema.json"])
    assert phase["additionalProperties"] is False
    assert phase["required"] == ["number", "title"]
    assert phase["properties"]["status"]["$ref"].endswith("PhaseStatus")
    for name, prop in phase["properties"].items():
        assert prop.get("description"), name
    risk = phase["$defs"]["Risk"]
    assert risk["properties"]["likelihood"]["minimum"] == 1
    assert risk["properties"]["likelihood"]["maximum"] == 5


def test_example_files_point_at_the_schemas() -> None:
    """The first line of every example file is a yaml-language-server pointer that resolves."""
    assert len(EXAMPLE_FILES) > 1  # the programme and its phases
    for path in EXAMPLE_FILES:
        line = path.read_text(encoding="utf-8").splitlines()[0]
        kind = "programme" if path.name == "programme.yml" else "phase"
        prefix = "../" if kind == "programme" else "../../"
        assert line == f"# yaml-language-server: $schema={prefix}schema/{kind}.schema.json", path
        target = (path.parent / line.split("=", 1)[1]).resolve()
        assert target == ROOT / "schema" / f"{kind}.schema.json"
        assert target.is_file()


def _json_values(value: Any) -> Any:
    """YAML values as an editor's JSON view sees them (dates as ISO text)."""
    if isinstance(value, dict):
        return {str(k): _json_values(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_values(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_example_files_validate_against_their_schema(path: Path) -> None:
    """What an editor checks agrees with the loader: the example has no schema error."""
    kind = "programme" if path.name == "programme.yml" else "phase"
    schema = json.loads(schema_texts()[f"{kind}.schema.json"])
    validator_class = _validator_class()
    validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
    document = _json_values(yaml.safe_load(path.read_text(encoding="utf-8")))
    errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(document)]
    assert errors == []

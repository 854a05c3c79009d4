"""The JSON Schemas in schema/ match the model and accept the bundled files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from afweging.content import schema_dir
from afweging.model import CriteriaSet
from afweging.schema import check_schemas, schema_text, write_schemas

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = sorted((ROOT / "criteria").glob("*.yaml")) + sorted((ROOT / "scenarios").glob("*.yaml"))


def test_schemas_are_in_sync_with_the_model() -> None:
    assert check_schemas() == [], "run: python -m afweging schema"


def test_check_notices_a_stale_schema(tmp_path: Path) -> None:
    write_schemas(tmp_path)
    assert check_schemas(tmp_path) == []
    (tmp_path / "criteria.schema.json").write_text("{}", encoding="utf-8")
    assert check_schemas(tmp_path) == ["criteria.schema.json"]


def _as_json(data: object) -> object:
    """Integer keys (scale levels) become strings, as an editor sees YAML as JSON."""
    if isinstance(data, dict):
        return {str(k): _as_json(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_as_json(v) for v in data]
    return data


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_bundled_file_names_its_schema_and_passes_it(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    kind = "criteria" if path.parent.name == "criteria" else "scenario"
    assert first == f"# yaml-language-server: $schema=../schema/{kind}.schema.json"
    schema = yaml.safe_load((schema_dir() / f"{kind}.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(_as_json(yaml.safe_load(path.read_text(encoding="utf-8"))), schema)


def test_schema_rejects_an_unknown_field() -> None:
    schema = yaml.safe_load(schema_text(CriteriaSet, "criteria.schema.json"))
    doc = {"id": "x", "label": {"nl": "a", "en": "b"}, "criteria": [], "colour": "red"}
    with pytest.raises(jsonschema.ValidationError, match="colour"):
        jsonschema.validate(doc, schema)


def test_core_never_imports_streamlit() -> None:
    code = (
        "import sys, pkgutil, importlib, afweging\n"
        "for m in pkgutil.walk_packages(afweging.__path__, 'afweging.'):\n"
        "    if m.name != 'afweging.__main__': importlib.import_module(m.name)\n"
        "print('streamlit' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert result.stdout.strip() == "False"

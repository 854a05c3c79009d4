"""JSON Schemas for the two file kinds, generated from the model.

The bundled YAML files name these schemas on their first line, so an editor
with a YAML language server checks a file while someone types.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from afweging.content import schema_dir
from afweging.model import Case, CriteriaSet

SCHEMAS: dict[str, type[BaseModel]] = {
    "criteria.schema.json": CriteriaSet,
    "scenario.schema.json": Case,
}


def schema_text(model: type[BaseModel], name: str) -> str:
    """The schema of ``model`` as stable, pretty JSON."""
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": name,
        **model.model_json_schema(),
    }
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def write_schemas(folder: Path | None = None) -> list[Path]:
    """Write every schema file (into ``schema/`` beside the content); returns the paths."""
    folder = folder or schema_dir()
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, model in SCHEMAS.items():
        path = folder / name
        path.write_text(schema_text(model, name), encoding="utf-8")
        written.append(path)
    return written


def check_schemas(folder: Path | None = None) -> list[str]:
    """Names of schema files that are missing or differ from the model."""
    folder = folder or schema_dir()
    stale = []
    for name, model in SCHEMAS.items():
        path = folder / name
        if not path.is_file() or path.read_text(encoding="utf-8") != schema_text(model, name):
            stale.append(name)
    return stale

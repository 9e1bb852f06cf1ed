"""JSON Schema for every kind of content file and for case files, for editors' completion and checks."""

from __future__ import annotations

import json
from pathlib import Path

from .loader import FILES, NEUTRAL_FILES, model_for


def schema_name(kind: str) -> str:
    """'chapters/' -> 'chapter', 'faq.yaml' -> 'faq'."""
    return "chapter" if kind == "chapters/" else kind.removesuffix(".yaml").replace("/", "-")


def neutral_schema_name(rel: str) -> str:
    """'nso.yaml' -> 'nso', 'sandbox/world.yaml' -> 'world'; the structure of a file whose words are per
    language: 'symptoms.yaml' -> 'symptoms-structure'."""
    name = rel.removesuffix(".yaml").rsplit("/", 1)[-1]
    return f"{name}-structure" if rel in FILES else name


def write_schemas(out: Path) -> list[Path]:
    from ..case.model import Case

    out.mkdir(parents=True, exist_ok=True)
    written = []
    targets = {schema_name(kind): model_for(spec) for kind, spec in FILES.items()}
    targets["case"] = Case
    for rel, spec in NEUTRAL_FILES.items():
        targets[neutral_schema_name(rel)] = model_for(spec)
    for name, model in sorted(targets.items()):
        path = out / f"{name}.schema.json"
        schema = model.model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema.setdefault("title", name)
        path.write_text(json.dumps(schema, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(path)
    return written


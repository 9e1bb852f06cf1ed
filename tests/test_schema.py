"""Editors get JSON Schema for every content file and for case files, and the committed schemas are current."""

import json

from guide import CONTENT_DIR
from guide.content.schema import write_schemas


def test_committed_schemas_match_the_models(tmp_path):
    written = write_schemas(tmp_path)
    assert {p.name for p in written} >= {"chapter.schema.json", "faq.schema.json", "rules.schema.json", "case.schema.json"}
    for path in written:
        committed = CONTENT_DIR / "schema" / path.name
        assert committed.is_file(), f"{committed} missing: run `python -m guide schema`"
        assert json.loads(committed.read_text()) == json.loads(path.read_text()), f"{committed.name} is stale: run `python -m guide schema`"


def test_schema_forbids_unknown_keys_so_editors_flag_typos(tmp_path):
    write_schemas(tmp_path)
    chapter = json.loads((tmp_path / "chapter.schema.json").read_text())
    assert chapter["additionalProperties"] is False
    assert chapter["$defs"]["Step"]["additionalProperties"] is False
    assert "description" in chapter["$defs"]["Step"]["properties"]["ui_labels"]

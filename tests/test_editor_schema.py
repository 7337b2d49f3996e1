"""The editors' JSON Schemas of data/ are generated from schema.py, up to date, and accept the data."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest

from chatbot_watch.datamodel import schema
from chatbot_watch.reading import load
from chatbot_watch.tools import editor_schema
from tests.conftest import FIXTURE_DATA, REAL_DATA


def test_committed_schemas_are_up_to_date() -> None:
    # A field, vocabulary value or limit changed in schema.py without regenerating fails here.
    assert editor_schema.main(["--data", str(REAL_DATA), "--check"]) == 0


@pytest.mark.parametrize("folder", [REAL_DATA, FIXTURE_DATA], ids=["real", "fixture"])
def test_valid_data_is_valid_for_the_editor_too(folder: Path) -> None:
    dataset, problems = load.load(folder)
    assert [p for p in problems if not p.warning] == []
    for kind in schema.KINDS:
        doc = {kind.key: [r.values for r in dataset.records[kind.name]]}
        jsonschema.Draft202012Validator(editor_schema.kind_schema(kind)).validate(doc)
    jsonschema.Draft202012Validator(editor_schema.dataset_schema()).validate(dataset.meta)


@pytest.mark.parametrize(
    ("record", "error"),
    [
        ({"id": "CA-001", "jurisdiction": "KR", "authority": "x", "action_type": "ban_everything"}, "is not one of"),
        ({"id": "CA-001", "jurisdicton": "KR"}, "Additional properties are not allowed ('jurisdicton'"),
        ({"id": "ca-1"}, "does not match"),
    ],
)
def test_the_editor_flags_what_validate_refuses(record: dict, error: str) -> None:
    kind = schema.KIND_BY_NAME["actions"]
    errors = [e.message for e in jsonschema.Draft202012Validator(editor_schema.kind_schema(kind)).iter_errors(
        {"actions": [record]})]  # fmt: skip
    assert any(error in e for e in errors), errors


def test_every_data_file_points_its_editor_at_its_schema() -> None:
    # Every file of a kind, data/<kind>.yaml and data/<kind>/*.yaml alike (a split kind's files
    # point one folder up), so whatever file a maintainer adds must carry the line.
    seen = 0
    for kind in [*(k.name for k in schema.KINDS), "dataset"]:
        files = [(REAL_DATA / f"{kind}.yaml", "schema")] if (REAL_DATA / f"{kind}.yaml").exists() else []
        files += [(p, "../schema") for p in sorted((REAL_DATA / kind).glob("*.yaml"))]
        assert files, kind
        for path, where in files:
            first = path.read_text(encoding="utf-8").splitlines()[0]
            assert first == f"# yaml-language-server: $schema={where}/{kind}.schema.json", path
            seen += 1
        assert (REAL_DATA / "schema" / f"{kind}.schema.json").is_file()
    assert seen >= 6

"""Docs stay complete: every data field, vocabulary value and view column is in data/README.md,
and its field and view tables are the ones the model generates."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from chatbot_watch.datamodel import schema, vocabularies
from chatbot_watch.store import duck
from chatbot_watch.tools import fielddocs
from tests.conftest import ROOT

README = (ROOT / "data" / "README.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    """The text of a `## title` section up to the next `## ` heading."""
    m = re.search(rf"^## {re.escape(title)}\s*$(.*?)(?=^## |\Z)", README, flags=re.M | re.S)
    assert m, f"data/README.md has no '## {title}' section"
    return m.group(1)


def test_the_field_and_view_tables_are_generated_from_the_model() -> None:
    assert fielddocs.render(README) == README, (
        "data/README.md is out of date: run python -m chatbot_watch.tools.fielddocs"
    )
    assert fielddocs.main(["--check"]) == 0


def test_a_table_the_readme_has_no_place_for_is_named(tmp_path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(README.replace("<!-- generated: items:parents -->\n", ""), encoding="utf-8")
    with pytest.raises(fielddocs.MissingTable, match="no place for items:parents"):
        fielddocs.render(readme.read_text(encoding="utf-8"))
    assert fielddocs.main(["--check", "--readme", str(readme)]) == 1


@pytest.mark.parametrize("kind", schema.KINDS, ids=[k.name for k in schema.KINDS])
def test_every_field_of_every_kind_is_documented_in_its_section(kind: schema.RecordKind) -> None:
    text = section(f"{kind.name}.yaml")
    missing = [f.name for f in kind.fields if f"`{f.name}`" not in text]
    assert missing == [], f"fields of {kind.name} missing from data/README.md: {missing}"


def test_dataset_and_nested_fields_are_documented() -> None:
    fields = schema.DATASET_FIELDS + schema.SOURCE_FIELDS + schema.PARENT_FIELDS
    missing = [f.name for f in fields if f"`{f.name}`" not in README]
    assert missing == []


@pytest.mark.parametrize("vocab", list(vocabularies.VOCABULARIES))
def test_every_vocabulary_value_is_documented(vocab: str) -> None:
    text = section("Vocabularies")
    missing = [v for v in vocabularies.VOCABULARIES[vocab] if f"`{v}`" not in text]
    assert missing == [], f"{vocab} values missing from data/README.md: {missing}"


def test_every_view_column_is_documented(fixture_db: Path) -> None:
    con = duck.connect(fixture_db)
    try:
        for view in ("flows", "restrictions"):
            cols = [r[0] for r in con.execute(f"DESCRIBE {view}").fetchall()]
            m = re.search(rf"^### View {view}\s*$(.*?)(?=^##|\Z)", README, flags=re.M | re.S)
            assert m, f"no '### View {view}' section"
            missing = [c for c in cols if f"`{c}`" not in m.group(1)]
            assert missing == [], f"columns of {view} missing: {missing}"
    finally:
        con.close()

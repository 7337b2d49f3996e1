"""Every field of the data model reaches the database, the export and diff: nothing a maintainer
writes in data/ is validated and then silently dropped."""

from __future__ import annotations

from pathlib import Path

import pytest

from chatbot_watch import diff, duck, schema
from chatbot_watch.build import build
from chatbot_watch.model import MODEL, SOURCES
from tests.conftest import REAL_DATA, edit


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("model") / "real.duckdb"
    build(REAL_DATA, out)
    return out


def _columns(db: Path, table: str) -> list[tuple[str, str, str]]:
    con = duck.connect(db)
    try:
        return [(r[0], r[1], r[2]) for r in con.execute(f'DESCRIBE "{table}"').fetchall()]  # names from the model
    finally:
        con.close()


@pytest.mark.parametrize("kind", [k.name for k in schema.KINDS])
def test_every_field_of_a_kind_is_stored(db: Path, kind: str) -> None:
    stored = MODEL.stored_kind(kind)
    columns = {name for name, *_ in _columns(db, stored.table.name)}
    items = {it.field: it.table.name for it in stored.items}
    missing = [
        f.name
        for f in schema.KIND_BY_NAME[kind].fields
        if stored.column_of(f.name) not in columns and f.name not in items and f.name != SOURCES
    ]
    assert missing == [], f"{kind}: fields validated but never written to the database: {missing}"
    for table in items.values():
        assert _columns(db, table), table


def test_every_table_is_as_the_model_declares_it(db: Path) -> None:
    for table in MODEL.tables:
        found = _columns(db, table.name)
        declared = [(c.name, c.type, "NO" if c.not_null else "YES") for c in table.columns]
        assert found == declared, table.name


def test_every_source_field_is_stored() -> None:
    stored = {c.field for t in (MODEL.sources.table, MODEL.citations.table) for c in t.columns if c.field}
    assert stored == {f.name for f in schema.SOURCE_FIELDS}


def test_a_yaml_only_field_reaches_diff(tmp_path: Path, data_copy: Path) -> None:
    # diff reads every stored column: a field added to the model and stored shows in its changes.
    old, new = tmp_path / "old.duckdb", tmp_path / "new.duckdb"
    build(data_copy, old)
    edit(data_copy, "actions.yaml", "  status: lifted\n", "  status: ended\n")
    edit(data_copy, "actions.yaml", "  lifted: 2025-04-28\n", "  lifted: null\n  lifted_unknown: No source gives it.\n")
    build(data_copy, new)
    fields = {(c.id, c.field) for c in diff.changes(old, new)}
    assert ("CA-001", "lifted_unknown") in fields and ("CA-001", "status") in fields

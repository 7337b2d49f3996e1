"""Every field of the data model reaches the database, the export and diff: nothing a maintainer
writes in data/ is validated and then silently dropped."""

from __future__ import annotations

from pathlib import Path

import pytest

from chatbot_watch import diff, duck, schema
from chatbot_watch.build import build
from tests.conftest import REAL_DATA, edit

# Fields stored outside their kind's own table, and where (checked below too).
ELSEWHERE = {"sources": "record_sources", "parents": "company_parents"}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("model") / "real.duckdb"
    build(REAL_DATA, out)
    return out


def _columns(db: Path, table: str) -> set[str]:
    con = duck.connect(db)
    try:
        return {r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()}  # table names from schema/diff
    finally:
        con.close()


@pytest.mark.parametrize("kind", [k.name for k in schema.KINDS])
def test_every_field_of_a_kind_is_stored(db: Path, kind: str) -> None:
    stored = next(k for k in diff.KINDS if k.table == kind)
    columns = {stored.rename.get(c, c) for c in _columns(db, stored.table)} | {stored.key}
    linked = {name for name, *_ in stored.links}
    missing = [
        f.name
        for f in schema.KIND_BY_NAME[kind].fields
        if f.name not in columns and f.name not in linked and f.name not in ELSEWHERE
    ]
    assert missing == [], f"{kind}: fields validated but never written to the database: {missing}"
    for f in schema.KIND_BY_NAME[kind].fields:
        if f.name in ELSEWHERE:
            assert _columns(db, ELSEWHERE[f.name]), f.name


def test_a_yaml_only_field_reaches_diff(tmp_path: Path, data_copy: Path) -> None:
    # diff reads every stored column: a field added to the model and stored shows in its changes.
    old, new = tmp_path / "old.duckdb", tmp_path / "new.duckdb"
    build(data_copy, old)
    edit(data_copy, "actions.yaml", "  status: lifted\n", "  status: ended\n")
    edit(data_copy, "actions.yaml", "  lifted: 2025-04-28\n", "  lifted: null\n  lifted_unknown: No source gives it.\n")
    build(data_copy, new)
    fields = {(c.id, c.field) for c in diff.changes(old, new)}
    assert ("CA-001", "lifted_unknown") in fields and ("CA-001", "status") in fields

"""Every field of the data model reaches the database, the export and diff: nothing a maintainer
writes in data/ is validated and then silently dropped. A field added to a copy of the model
(schema.py's declaration alone) is validated, stored, shown, exported, diffed and documented."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from chatbot_watch.datamodel import schema
from chatbot_watch.datamodel.blocks import Storage
from chatbot_watch.datamodel.storage import MODEL, SOURCES, Model
from chatbot_watch.queries import recordpage
from chatbot_watch.reading import load
from chatbot_watch.store import diff, duck
from chatbot_watch.store.build import build
from chatbot_watch.store.export import ExportError, export
from chatbot_watch.tools import editor_schema, fielddocs
from tests.conftest import FIXTURE_DATA, ROOT, edit, line_of


@pytest.fixture
def db(real_db: Path) -> Path:
    return real_db


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


# ---------------------------------------------------------------------------
# A field added to a copy of the model reaches every part that reads the model
# ---------------------------------------------------------------------------

REVIEWER = schema.Field("reviewer", "str", "Who reviewed the finding for this dataset.", max_len=80)
WITH_REVIEWER = MODEL.with_field("findings", REVIEWER)
TODAY = dt.date(2026, 11, 29)


@pytest.mark.parametrize(
    ("model", "message"),
    [
        (
            MODEL.with_field(
                "findings",
                schema.Field("reviews", "list", "Reviews.", item=schema.Field("review", "object", "One.", fields=())),
            ),
            "reviews: a list of mappings needs a table of its own",
        ),
        (
            MODEL.with_field("companies", schema.Field("country_name", "str", "Its name.")),
            "companies: two columns named country_name",
        ),
        (
            dataclasses.replace(
                MODEL,
                storage=tuple(
                    Storage("apps", "Apps", "The apps.", columns=("id", "nmae")) if s.kind == "apps" else s
                    for s in MODEL.storage
                ),
            ),
            "names a field apps.nmae that schema.py does not declare",
        ),
    ],
    ids=["list-of-mappings", "same-column", "unknown-field"],
)
def test_a_storage_the_database_cannot_hold_is_refused(model: Model, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        model.ddl()


def test_the_copy_leaves_the_model_alone() -> None:
    assert "reviewer" not in {f.name for f in MODEL.kind("findings").fields}
    assert "reviewer" not in {c.name for c in MODEL.table("findings").columns}
    assert WITH_REVIEWER.table("findings").column("reviewer").field == "reviewer"


def test_a_field_added_to_the_model_reaches_validate_database_page_export_diff_and_docs(
    tmp_path: Path, data_copy: Path
) -> None:
    edit(data_copy, "findings.yaml", "- id: AF-001\n", "- id: AF-001\n  reviewer: First Reviewer\n")
    line = line_of(data_copy, "findings.yaml", "reviewer:")

    # validate: the copy accepts the field; the model without it does not.
    assert load.validate(data_copy, TODAY, model=WITH_REVIEWER) == []
    assert [str(p) for p in load.validate(data_copy, TODAY)] == [
        f"{data_copy / 'findings.yaml'}:{line}: reviewer: unknown field"
    ]
    # ... and it checks the field like any other: a list where text is due, text too long.
    wrong = tmp_path / "wrong"
    shutil.copytree(data_copy, wrong)
    edit(wrong, "findings.yaml", "  reviewer: First Reviewer\n", "  reviewer: [a, b]\n")
    assert [str(p) for p in load.validate(wrong, TODAY, model=WITH_REVIEWER)] == [
        f"{wrong / 'findings.yaml'}:{line}: reviewer: expected a text value, got a list"
    ]
    edit(wrong, "findings.yaml", "  reviewer: [a, b]\n", f"  reviewer: {'x' * 81}\n")
    assert [str(p) for p in load.validate(wrong, TODAY, model=WITH_REVIEWER)] == [
        f"{wrong / 'findings.yaml'}:{line}: reviewer: too long (81 characters, at most 80)"
    ]

    # the database: a column of the findings table, holding the value.
    old = tmp_path / "old.duckdb"
    build(data_copy, old, today=TODAY, model=WITH_REVIEWER)
    assert ("reviewer", "VARCHAR", "YES") in _columns(old, "findings")
    con = duck.connect(old)
    try:
        rows = con.execute("SELECT id, reviewer FROM findings ORDER BY id").fetchall()
    finally:
        con.close()
    assert rows == [("AF-001", "First Reviewer"), ("AF-004", None)]
    # ... which the record's page lists among its fields.
    con = duck.connect(old)
    try:
        page = recordpage.record(con, "finding", "AF-001")
    finally:
        con.close()
    assert page is not None and ("reviewer", "First Reviewer") in page["fields"]

    # the export: a described column of findings.csv, and the value in it.
    out = tmp_path / "export"
    export(old, out, WITH_REVIEWER)
    dp = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    fields = next(r["schema"]["fields"] for r in dp["resources"] if r["name"] == "findings")
    assert {"name": "reviewer", "type": "string", "description": REVIEWER.doc} in fields
    with (out / "findings.csv").open(encoding="utf-8", newline="") as fh:
        assert {r["id"]: r["reviewer"] for r in csv.DictReader(fh)} == {"AF-001": "First Reviewer", "AF-004": ""}
    # A database built without the field is refused rather than described wrongly.
    plain_db = tmp_path / "plain.duckdb"
    build(FIXTURE_DATA, plain_db, today=TODAY)
    with pytest.raises(ExportError, match="findings does not have the data model's columns"):
        export(plain_db, tmp_path / "export2", WITH_REVIEWER)

    # diff: a change of the field, by its data-file name.
    edit(data_copy, "findings.yaml", "  reviewer: First Reviewer\n", "  reviewer: Second Reviewer\n")
    new = tmp_path / "new.duckdb"
    build(data_copy, new, today=TODAY, model=WITH_REVIEWER)
    assert diff.changes(old, new, WITH_REVIEWER) == [
        diff.Change("finding", "AF-001", "changed", "reviewer", "First Reviewer", "Second Reviewer")
    ]
    # the change log a rebuild writes over the old database says the same.
    build(data_copy, old, today=TODAY, model=WITH_REVIEWER)
    con = duck.connect(old)
    try:
        logged = con.execute("SELECT summary FROM change_log WHERE change = 'changed'").fetchall()
    finally:
        con.close()
    assert logged == [("changed finding AF-001: reviewer: 'First Reviewer' -> 'Second Reviewer'",)]

    # the editors' JSON Schema of findings.yaml: a property with its doc.
    findings_schema = json.loads(editor_schema.schemas(WITH_REVIEWER)["findings.schema.json"])
    reviewer = findings_schema["properties"]["findings"]["items"]["properties"]["reviewer"]
    assert reviewer["description"] == REVIEWER.doc and reviewer["anyOf"][0]["maxLength"] == 80

    # the docs: a row of the findings table in data/README.md, which is then out of date.
    row = "| `reviewer` | text, one line, ≤ 80 | no | Who reviewed the finding for this dataset. |"
    assert row in fielddocs.tables(WITH_REVIEWER)["kind:findings"].splitlines()
    readme = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    assert row not in readme and row in fielddocs.render(readme, WITH_REVIEWER)

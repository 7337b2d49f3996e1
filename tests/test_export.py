"""The open-data export: a Frictionless package that validates and matches the database row for row."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import frictionless
import pytest

from chatbot_watch.store import duck
from chatbot_watch.store.export import TABLES, UNDOCUMENTED, ExportError, describe, export, field_type


@pytest.fixture(scope="module", params=["fixture", "real"])
def exported(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(database, export folder) for the fixture data and for the real data."""
    db = request.getfixturevalue(f"{request.param}_db")  # the session's build (read only)
    out = tmp_path_factory.mktemp(request.param) / "export"
    export(db, out)
    return db, out


def db_rows(db: Path, sql: str, files: Path | None = None) -> list[tuple]:
    """Rows of `sql` on the database, hardened (duck.py); `files`: a folder it may also read."""
    con = duck.connect(db, allowed_dirs=[files] if files else ())
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_package_validates_with_frictionless(exported: tuple[Path, Path]) -> None:
    _, out = exported
    report = frictionless.validate(out / "datapackage.json")
    assert report.valid, report.flatten(["taskName", "rowNumber", "fieldName", "type", "note"])[:10]
    assert [t.name for t in report.tasks] == [t.name for t in TABLES]


def test_every_format_has_the_database_row_count(exported: tuple[Path, Path]) -> None:
    db, out = exported
    con = duck.connect(db, allowed_dirs=[out])  # one connection: opening one takes DuckDB 16 ms
    try:
        for t in TABLES:
            expected = con.execute(f'SELECT count(*) FROM "{t.name}"').fetchone()[0]
            assert len(csv_rows(out / f"{t.name}.csv")) == expected, t.name
            assert len(json.loads((out / f"{t.name}.json").read_text(encoding="utf-8"))) == expected, t.name
            parquet = con.execute(f"SELECT count(*) FROM read_parquet('{out / (t.name + '.parquet')}')").fetchone()[0]
            assert parquet == expected, t.name
    finally:
        con.close()


def test_descriptor_carries_version_licence_and_sources(exported: tuple[Path, Path]) -> None:
    db, out = exported
    meta = dict(db_rows(db, "SELECT key, value FROM meta"))
    dp = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert dp["name"] == "chatbot-watch"
    assert dp["version"] == meta["data_version"]
    assert dp["created"] == meta["built_at"]
    assert dp["as_of"] == meta["as_of"]
    assert dp["licenses"] == [
        {
            "name": "CC-BY-4.0",
            "path": "https://creativecommons.org/licenses/by/4.0/",
            "title": "Creative Commons Attribution 4.0 International",
        }
    ]
    assert dp["sources"][0]["title"].startswith("Chatbot Watch contributors")
    assert dp["sources"][1]["path"] == "record_sources.csv"
    assert [r["path"] for r in dp["resources"]] == [f"{t.name}.csv" for t in TABLES]
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert f"Data version {meta['data_version']}, as of {meta['as_of']}" in readme
    assert "CC\\-BY\\-4\\.0" in readme  # as markdown text: dataset.yaml's text is escaped


@pytest.mark.parametrize(
    ("table", "column", "type_", "required"),
    [
        ("findings", "id", "string", True),
        ("findings", "audit_day", "date", False),
        ("findings", "recipient_countries", "string", False),
        ("flows", "source_count", "integer", False),
        ("vocabularies", "position", "integer", True),
        ("companies", "chain_ids", "string", False),  # a list: never "required" (an empty list is an empty cell)
    ],
)
def test_table_schema_types(exported: tuple[Path, Path], table: str, column: str, type_: str, required: bool) -> None:
    _, out = exported
    dp = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    schema = next(r["schema"] for r in dp["resources"] if r["name"] == table)
    f = next(f for f in schema["fields"] if f["name"] == column)
    assert f["type"] == type_
    assert f.get("constraints", {}).get("required", False) is required
    assert f["description"] and f["description"] != UNDOCUMENTED


def test_no_description_uses_a_real_record_as_an_example(exported: tuple[Path, Path]) -> None:
    """Descriptions describe the model, for any data set built with it: no app, company or record
    of the data names an example (the store names Google Play and App Store are the taxonomy's)."""
    db, out = exported
    dp = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    texts = [r["description"] for r in dp["resources"]]
    texts += [f["description"] for r in dp["resources"] for f in r["schema"]["fields"]]
    texts = [t.replace("Google Play", "").replace("App Store", "") for t in texts]
    names = {v for t in ("apps", "companies") for row in db_rows(db, f"SELECT id, name FROM {t}") for v in row}
    names |= {r[0] for r in db_rows(db, "SELECT id FROM findings UNION ALL SELECT id FROM actions")}
    assert len(names) > 10
    used = sorted((n, t) for n in names for t in texts if re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", t))
    assert used == []


def test_primary_and_foreign_keys(exported: tuple[Path, Path]) -> None:
    _, out = exported
    dp = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    schemas = {r["name"]: r["schema"] for r in dp["resources"]}
    assert schemas["findings"]["primaryKey"] == ["id"]
    assert schemas["record_sources"]["primaryKey"] == ["record_kind", "record_id", "position"]
    assert "primaryKey" not in schemas["flows"]
    assert {"fields": "data_type_id", "reference": {"resource": "data_types", "fields": "id"}} in schemas[
        "finding_data_types"
    ]["foreignKeys"]


def test_every_exported_column_has_a_description(exported: tuple[Path, Path]) -> None:
    db, _ = exported
    each = [f"SELECT '{t.name}', column_name FROM (DESCRIBE SELECT * FROM \"{t.name}\")" for t in TABLES]
    described = db_rows(db, " UNION ALL ".join(each))  # one query, one connection
    assert {table for table, _ in described} == {t.name for t in TABLES}
    missing = [f"{table}.{name}" for table, name in described if describe(table, name) == UNDOCUMENTED]
    assert missing == []


def test_lists_are_joined_in_csv_and_arrays_elsewhere(fixture_db_copy: Path, tmp_path: Path) -> None:
    db = fixture_db_copy
    export(db, tmp_path / "out")
    out = tmp_path / "out"
    apps = {r["id"]: r for r in csv_rows(out / "apps.csv")}
    assert apps["deepseek"]["platforms"] == "ios; android; web"
    assert apps["gemini"]["developer_id"] == ""  # null
    as_json = {r["id"]: r for r in json.loads((out / "apps.json").read_text(encoding="utf-8"))}
    assert as_json["deepseek"]["platforms"] == ["ios", "android", "web"]
    assert as_json["gemini"]["developer_id"] is None
    parquet = db_rows(db, f"SELECT platforms FROM read_parquet('{out / 'apps.parquet'}') WHERE id = 'deepseek'", out)
    assert parquet == [(["ios", "android", "web"],)]
    findings = {r["id"]: r for r in json.loads((out / "findings.json").read_text(encoding="utf-8"))}
    assert findings["AF-001"]["audit_day"] == "2025-04-24"
    # Rows come in key order, so two exports of the same build are identical.
    assert [r["finding_id"] for r in csv_rows(out / "flows.csv")] == ["AF-001", "AF-001", "AF-004"]


def test_a_broken_csv_fails_validation(exported: tuple[Path, Path], tmp_path: Path) -> None:
    """The descriptor's keys are real checks: a finding id that does not exist is caught."""
    _, out = exported
    copy = tmp_path / "copy"
    copy.mkdir()
    for p in out.iterdir():
        copy.joinpath(p.name).write_bytes(p.read_bytes())
    rows = (copy / "finding_recipients.csv").read_text(encoding="utf-8").splitlines()
    rows[1] = "AF-999" + rows[1][rows[1].index(",") :]
    (copy / "finding_recipients.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    report = frictionless.validate(copy / "datapackage.json")
    assert not report.valid
    assert [e[0] for e in report.flatten(["type"])] == ["foreign-key"]


def test_refuses_a_folder_that_is_not_an_export(fixture_db_copy: Path, tmp_path: Path) -> None:
    db = fixture_db_copy
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "README.md").write_text("mine\n", encoding="utf-8")
    with pytest.raises(ExportError, match="not empty and holds no earlier Chatbot Watch export"):
        export(db, folder)
    assert [p.name for p in folder.iterdir()] == ["README.md"]
    assert (folder / "README.md").read_text(encoding="utf-8") == "mine\n"


def test_replaces_an_earlier_export_and_leaves_no_temporary_folder(fixture_db_copy: Path, tmp_path: Path) -> None:
    db = fixture_db_copy
    out = tmp_path / "out"
    first = export(db, out)
    second = export(db, out)
    assert len(second.files) == len(TABLES) * 3 + 2
    assert first.counts == second.counts and second.counts["findings"] == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["db.duckdb", "out"]


def test_missing_database_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="database file not found"):
        export(tmp_path / "nope.duckdb", tmp_path / "out")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("duckdb_type", "expected"),
    [
        ("VARCHAR", "string"),
        ("VARCHAR[]", "string"),
        ("INTEGER", "integer"),
        ("BIGINT", "integer"),
        ("DATE", "date"),
        ("DOUBLE", "number"),
        ("DECIMAL(18,3)", "number"),
        ("BOOLEAN", "boolean"),
        ("TIMESTAMP WITH TIME ZONE", "datetime"),
    ],
)
def test_field_type(duckdb_type: str, expected: str) -> None:
    assert field_type(duckdb_type) == expected


def test_an_earlier_export_with_a_users_file_beside_it_is_refused(fixture_db_copy: Path, tmp_path: Path) -> None:
    # Issue 13, item 11: a user's README.md next to a datapackage.json was overwritten.
    db = fixture_db_copy
    out = tmp_path / "out"
    export(db, out)
    (out / "notes.md").write_text("mine\n", encoding="utf-8")
    with pytest.raises(ExportError, match=r"files it did not write: notes.md"):
        export(db, out)
    # A folder with only a datapackage.json of ours (no marker) and the user's README is not ours either.
    other = tmp_path / "other"
    other.mkdir()
    (other / "datapackage.json").write_text('{"name": "chatbot-watch"}', encoding="utf-8")
    (other / "README.md").write_text("mine\n", encoding="utf-8")
    with pytest.raises(ExportError, match="holds no earlier Chatbot Watch export"):
        export(db, other)
    assert (other / "README.md").read_text(encoding="utf-8") == "mine\n"
    assert (out / "notes.md").read_text(encoding="utf-8") == "mine\n"


def test_an_export_folder_that_is_a_link_is_refused(fixture_db_copy: Path, tmp_path: Path) -> None:
    db = fixture_db_copy
    (tmp_path / "real").mkdir()
    (tmp_path / "out").symlink_to(tmp_path / "real")
    with pytest.raises(ExportError, match="exists and is not a folder"):
        export(db, tmp_path / "out")
    assert list((tmp_path / "real").iterdir()) == []

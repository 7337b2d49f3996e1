"""The DuckDB build: atomic, bulk, with the documented views; and the real data's key facts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from chatbot_watch.store import duck
from chatbot_watch.store.build import BuildError, TargetError, build
from tests.conftest import FIXTURE_DATA, edit

FLOW_COLUMNS = {
    "finding_id", "app_id", "app_name", "platform", "company_id", "company_name", "parent_company_name",
    "data_type_id", "data_type_label", "recipient_countries", "evidence_status", "auditor", "audit_date", "source_url",
}  # fmt: skip
RESTRICTION_COLUMNS = {
    "action_id", "country_code", "country_name", "subdivision", "authority", "action_type", "scope", "app_id",
    "app_name", "announced", "lifted", "status", "source_url",
}  # fmt: skip


def rows(path: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = duck.connect(path)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def test_fixture_build_has_views_with_documented_columns(tmp_path: Path) -> None:
    out = tmp_path / "x.duckdb"
    result = build(FIXTURE_DATA, out, today=dt.date(2026, 11, 29))
    assert result.counts == {"data_types": 3, "companies": 3, "apps": 2, "findings": 2, "actions": 3}
    assert len(result.data_version) == 12
    flow_cols = {r[0] for r in rows(out, "DESCRIBE flows")}
    assert FLOW_COLUMNS <= flow_cols
    restriction_cols = {r[0] for r in rows(out, "DESCRIBE restrictions")}
    assert RESTRICTION_COLUMNS <= restriction_cols
    # finding x data type x recipient: AF-001 has 2 data types and 1 recipient, AF-004 1 type and none.
    got = rows(out, "SELECT finding_id, data_type_id, company_name, parent_company_name FROM flows ORDER BY 1, 2")
    assert got == [
        ("AF-001", "chat_content", "Volcano Engine", "ByteDance"),
        ("AF-001", "device_info", "Volcano Engine", "ByteDance"),
        ("AF-004", "keystroke_patterns", None, None),
    ]
    meta = dict(rows(out, "SELECT key, value FROM meta"))
    assert meta["as_of"] == "2026-06-30" and meta["data_version"] == result.data_version


def test_data_version_is_a_content_hash(tmp_path: Path, data_copy: Path) -> None:
    a = build(FIXTURE_DATA, tmp_path / "a.duckdb", today=dt.date(2026, 11, 29)).data_version
    b = build(data_copy, tmp_path / "b.duckdb", today=dt.date(2026, 11, 29)).data_version
    assert a == b
    edit(data_copy, "apps.yaml", "name: Gemini", "name: Google Gemini")
    c = build(data_copy, tmp_path / "c.duckdb", today=dt.date(2026, 11, 29)).data_version
    assert c != a


def test_failed_build_leaves_previous_file_intact(tmp_path: Path, data_copy: Path) -> None:
    out = tmp_path / "db.duckdb"
    build(data_copy, out, today=dt.date(2026, 11, 29))
    before = out.read_bytes()
    edit(data_copy, "actions.yaml", "jurisdiction: IT", "jurisdiction: XX")
    with pytest.raises(BuildError) as err:
        build(data_copy, out, today=dt.date(2026, 11, 29))
    assert any("jurisdiction" in str(p) and "XX" in str(p) for p in err.value.problems)
    assert out.read_bytes() == before
    # No temporary file left; the file cache (filecache.py) is kept beside the database.
    assert sorted(p.name for p in tmp_path.iterdir()) == [".db.duckdb.cache", "data", "db.duckdb"]


def test_build_replaces_file_atomically_for_open_readers(tmp_path: Path, data_copy: Path) -> None:
    out = tmp_path / "db.duckdb"
    build(data_copy, out, today=dt.date(2026, 11, 29))
    reader = duckdb.connect(str(out), read_only=True)
    try:
        edit(data_copy, "apps.yaml", "name: Gemini", "name: Google Gemini")
        build(data_copy, out, today=dt.date(2026, 11, 29))
        # The open reader keeps its consistent (old) snapshot; a new process would see the new file.
        assert reader.execute("SELECT name FROM apps WHERE id = 'gemini'").fetchone() == ("Gemini",)
    finally:
        reader.close()
    assert rows(out, "SELECT name FROM apps WHERE id = 'gemini'") == [("Google Gemini",)]


# --- the real data: the facts the issue names -------------------------------------------------


def test_real_data_sizes(real_db: Path) -> None:
    (actions, countries) = rows(real_db, "SELECT count(*), count(DISTINCT country_code) FROM actions")[0]
    assert actions >= 95 and countries >= 20
    assert rows(real_db, "SELECT count(*) FROM findings")[0][0] >= 55
    assert rows(real_db, "SELECT count(*) FROM companies")[0][0] >= 20
    assert rows(real_db, "SELECT count(*) FROM apps")[0][0] >= 10


# The facts the first issue named, on the fixture data (which mirrors them): a test that pinned the
# real data's exact contents failed whenever a valid record was added or corrected (issue 22).


def test_deepseek_volcano_engine_bytedance_confirmed_by_pipc(fixture_db: Path) -> None:
    got = rows(
        fixture_db,
        """SELECT DISTINCT finding_id, ownership_chain, evidence_status, auditor, source_url FROM flows
           WHERE app_id = 'deepseek' AND company_id = 'volcano-engine' AND data_type_id = 'chat_content'
           AND parent_company_name = 'ByteDance' ORDER BY finding_id""",
    )
    assert got[0][0] == "AF-001"
    assert got[0][1] == "Volcano Engine → ByteDance"
    assert got[0][2] == "confirmed_by_regulator"
    assert "PIPC" in got[0][3]
    assert got[0][4].startswith("https://")


def test_korea_download_suspension_and_italy_block(fixture_db: Path) -> None:
    kr = rows(
        fixture_db,
        """SELECT action_id, effective, lifted, status FROM restrictions
           WHERE country_code = 'KR' AND action_type = 'download_suspension' AND app_id = 'deepseek'""",
    )
    assert kr == [("CA-001", "2025-02-15", "2025-04-28", "lifted")]
    it = rows(
        fixture_db,
        """SELECT action_id, announced, authority FROM restrictions
           WHERE country_code = 'IT' AND app_id = 'deepseek' AND action_type = 'processing_limitation'""",
    )
    assert it == [("CA-010", "2025-01-30", "Garante per la protezione dei dati personali")]


def test_every_record_cites_an_http_source(real_db: Path) -> None:
    for kind, table in (("finding", "findings"), ("action", "actions"), ("company", "companies")):
        uncited = rows(
            real_db,
            f"SELECT id FROM {table} WHERE id NOT IN (SELECT record_id FROM record_sources WHERE record_kind = ?)",
            [kind],
        )
        assert uncited == [], f"{table} without a source: {uncited}"
    bad = rows(real_db, "SELECT url FROM sources WHERE NOT regexp_matches(url, '^https?://[^/]+\\.[^/]+')")
    assert bad == []


@pytest.mark.parametrize("name", ["findings.yaml", "app.duckdb", "sub/app.duckdb"])
def test_build_refuses_an_output_inside_the_data_folder(data_copy: Path, name: str) -> None:
    # Issue 13, item 7: `build --data data --out data/findings.yaml` overwrote the YAML.
    before = (data_copy / "findings.yaml").read_bytes()
    with pytest.raises(TargetError, match="may not be written inside the data folder"):
        build(data_copy, data_copy / name, today=dt.date(2026, 11, 29))
    assert (data_copy / "findings.yaml").read_bytes() == before
    assert not (data_copy / "app.duckdb").exists()


def test_build_replaces_only_a_database(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("mine\n")
    with pytest.raises(TargetError, match="exists and is not a DuckDB database"):
        build(FIXTURE_DATA, notes, today=dt.date(2026, 11, 29))
    assert notes.read_text() == "mine\n"
    link = tmp_path / "link.duckdb"
    db = tmp_path / "db.duckdb"
    build(FIXTURE_DATA, db, today=dt.date(2026, 11, 29))
    link.symlink_to(db)
    with pytest.raises(TargetError, match="is not a DuckDB database"):
        build(FIXTURE_DATA, link, today=dt.date(2026, 11, 29))
    build(FIXTURE_DATA, db, today=dt.date(2026, 11, 29))  # an earlier build is replaced


def test_build_refuses_data_that_would_crash_the_reader(data_copy: Path, tmp_path: Path) -> None:
    # Issue 13, item 6: 50,000 levels crashed `build` (and the app building on first visit).
    (data_copy / "apps.yaml").write_text("apps: " + "[" * 50_000 + "]" * 50_000)
    with pytest.raises(BuildError) as err:
        build(data_copy, tmp_path / "db.duckdb", today=dt.date(2026, 11, 29))
    wanted = f"{data_copy / 'apps.yaml'}:1: (yaml): YAML nesting is deeper than 20 levels"
    assert any(str(p).startswith(wanted) for p in err.value.problems), err.value.problems


def test_the_app_building_on_first_visit_reports_hostile_data(
    data_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Issue 13, item 6: with no database yet, the first visitor's build of 50,000-level nesting
    # took the whole Streamlit process down. The app builds through the same bounded loader.
    import streamlit as st

    from tests.apptest import new_app

    (data_copy / "apps.yaml").write_text("apps: " + "[" * 50_000 + "]" * 50_000)
    cfg = tmp_path / "config.yaml"
    cfg.write_text(f"site_title: T\ndata_dir: {data_copy}\ndb_path: {tmp_path / 'db.duckdb'}\n")
    monkeypatch.setenv("CHATBOT_WATCH_CONFIG", str(cfg))
    monkeypatch.delenv("CHATBOT_WATCH_DB", raising=False)
    monkeypatch.delenv("CHATBOT_WATCH_DATA_DIR", raising=False)
    st.cache_resource.clear()
    try:
        at = new_app().run()
        assert not at.exception
        assert "the data files do not validate" in at.error[0].value
        assert f"{data_copy / 'apps.yaml'}:1: (yaml): YAML nesting is deeper than 20 levels" in at.code[0].value
        assert not (tmp_path / "db.duckdb").exists()
    finally:
        st.cache_resource.clear()

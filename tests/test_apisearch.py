"""The API's text query and publisher filter, and its sources list (issue 24, item 2): done when
the API's publisher=Reuters returns the same records as the database holds. Expected records are
read from the database's own tables (record_sources, findings, actions), folded in Python."""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

import duckdb
import pytest

from tests.asgi import Client


def folded(text: str) -> str:
    """Case, accents and width folded, independently of the code under test."""
    t = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    return "".join(c for c in t if not unicodedata.combining(c))


def every_row(real_client: Client, path: str) -> list[dict]:
    rows: list[dict] = []
    url: str | None = path + ("&" if "?" in path else "?") + "limit=1000"
    while url:
        answer = real_client.get(url)
        assert answer.status == 200, answer.text
        body = answer.json()
        rows += body["rows"]
        url = body["next"]
    return rows


def _counted(real_con: duckdb.DuckDBPyConnection) -> tuple[set[str], set[str]]:
    """Findings the flows view counts (not superseded, with a data type) and every action."""
    findings = {
        r[0]
        for r in real_con.execute(
            "SELECT id FROM findings WHERE superseded_by IS NULL AND id IN (SELECT finding_id FROM finding_data_types)"
        ).fetchall()
    }
    return findings, {r[0] for r in real_con.execute("SELECT id FROM actions").fetchall()}


def _publisher_records(real_con: duckdb.DuckDBPyConnection, word: str) -> set[str]:
    rows = real_con.execute("SELECT record_id, publisher FROM record_sources").fetchall()
    return {i for i, p in rows if folded(word) in folded(p)}


@pytest.mark.parametrize("typed", ["Reuters", "reuters", "ＲＥＵＴＥＲＳ"])
def test_publisher_reuters_returns_the_records_the_database_holds(
    real_client: Client, real_con: duckdb.DuckDBPyConnection, typed: str
) -> None:
    expected = _publisher_records(real_con, "Reuters")
    assert expected, "no source published by Reuters in the data"
    findings, actions = _counted(real_con)
    shown, typed = typed, quote(typed)
    flows = every_row(real_client, f"/api/v1/flows.json?publisher={typed}")
    assert {r["finding_id"] for r in flows} == expected & findings
    restrictions = every_row(real_client, f"/api/v1/restrictions.json?publisher={typed}")
    assert {r["action_id"] for r in restrictions} == expected & actions
    body = real_client.get(f"/api/v1/restrictions.json?publisher={typed}").json()
    assert body["filters"]["publisher"] == [shown]
    # The sources list: exactly the sources whose publisher matches, each with every field
    sources = every_row(real_client, f"/api/v1/sources.json?publisher={typed}")
    every = real_con.execute("SELECT record_kind, record_id, position, publisher FROM record_sources").fetchall()
    want = {(k, i, n) for k, i, n, p in every if "reuters" in folded(p)}
    assert {(r["record_kind"], r["record_id"], r["position"]) for r in sources} == want
    assert set(sources[0]) >= {"url", "publisher", "published", "kind", "language", "quote", "translation"}


def test_the_sources_list_holds_every_source_of_every_record(
    real_client: Client, real_con: duckdb.DuckDBPyConnection
) -> None:
    rows = every_row(real_client, "/api/v1/sources.json")
    db = real_con.execute("SELECT record_kind, record_id, position, url, quote FROM record_sources").fetchall()
    assert sorted((r["record_kind"], r["record_id"], r["position"], r["url"], r["quote"]) for r in rows) == sorted(db)
    csv_lines = real_client.get("/api/v1/sources.csv?limit=1000").text.splitlines()
    assert csv_lines[0].startswith("record_kind,record_id,position,url,publisher")


def test_q_takes_the_sites_search_text(real_client: Client, real_con: duckdb.DuckDBPyConnection) -> None:
    findings, actions = _counted(real_con)
    # A record id finds that record alone
    some = sorted(findings)[0]
    assert {r["finding_id"] for r in every_row(real_client, f"/api/v1/flows.json?q={some.lower()}")} == {some}
    # An app's name finds every finding and action concerning it, in any case
    app_id, name = real_con.execute(
        """SELECT a.id, a.name FROM apps a JOIN findings f ON f.app_id = a.id
           GROUP BY ALL ORDER BY count(*) DESC, a.id LIMIT 1"""
    ).fetchone()
    about = {r[0] for r in real_con.execute("SELECT id FROM findings WHERE app_id = ?", [app_id]).fetchall()} & findings
    got = {r["finding_id"] for r in every_row(real_client, f"/api/v1/flows.json?q={name.upper()}")}
    assert about <= got
    concerned = {
        r[0] for r in real_con.execute("SELECT action_id FROM action_apps WHERE app_id = ?", [app_id]).fetchall()
    }
    got_actions = {r["action_id"] for r in every_row(real_client, f"/api/v1/restrictions.json?q={name}")}
    assert concerned <= got_actions <= actions
    # q and publisher together: both must hold
    both = {r["finding_id"] for r in every_row(real_client, f"/api/v1/flows.json?q={name}&publisher=Reuters")}
    assert both == got & _publisher_records(real_con, "Reuters")
    # Nothing matches: no rows, not every row
    assert every_row(real_client, "/api/v1/flows.json?q=zzzzqqqq-nothing") == []


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("flows.json?q=a&q=b", "q"),
        ("flows.json?q=" + "x" * 81, "q"),
        ("apps.json?publisher=Reuters", "publisher"),
        ("sources.json?country=KR", "country"),
    ],
)
def test_bad_text_parameters_are_named(real_client: Client, path: str, parameter: str) -> None:
    answer = real_client.get(f"/api/v1/{path}")
    assert answer.status == 400
    assert answer.json()["parameter"] == parameter

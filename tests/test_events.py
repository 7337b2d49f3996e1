"""Events, not edits (issue 24, item 4): the feeds and the Overview's latest changes say what
happened in the world in plain words, and list the data's corrections apart, never a field dump."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import streamlit as st

from chatbot_watch.store.build import build
from tests.conftest import edit

TODAY = dt.date(2026, 11, 29)
A = "{http://www.w3.org/2005/Atom}"
# What a dumped value looks like: a list of records, a quoted value, an arrow between two values.
DUMP = re.compile(r"\[\{|\{'|': |' -> |-> \[|: null ->|^changed |^added |^removed ")


def _edited(tmp_path: Path, data_copy: Path) -> tuple[Path, Path]:
    """The fixture built, then edited (an evidence status, an authority, a source) and built again."""
    db, feeds = tmp_path / "db.duckdb", tmp_path / "feeds"
    build(data_copy, db, today=TODAY, feeds_dir=feeds)
    edit(data_copy, "findings.yaml", "evidence_status: alleged", "evidence_status: observed_by_auditor")
    edit(data_copy, "actions.yaml", "authority: Governor of Texas", "authority: Governor of Texas <b>&</b>")
    edit(data_copy, "actions.yaml", "quote: Texas bans DeepSeek on state devices.", "quote: Texas bans DeepSeek.")
    build(data_copy, db, today=TODAY, feeds_dir=feeds)
    return db, feeds


def _entries(path: Path) -> list[tuple[str, str]]:
    root = ET.parse(path).getroot()
    assert root.tag == f"{A}feed"
    return [(e.findtext(f"{A}title") or "", e.findtext(f"{A}content") or "") for e in root.findall(f"{A}entry")]


def test_no_feed_entry_is_a_field_dump(tmp_path: Path, data_copy: Path) -> None:
    _db, feeds = _edited(tmp_path, data_copy)
    every = [(p.name, t, c) for p in sorted(feeds.glob("*.xml")) for t, c in _entries(p)]
    assert every
    dumps = [(name, t) for name, t, c in every for line in (t, *c.splitlines()) if DUMP.search(line)]
    assert dumps == []


def test_overview_latest_changes_hold_no_field_dumps(
    tmp_path: Path, data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.apptest import open_page

    db, feeds = _edited(tmp_path, data_copy)
    cfg = tmp_path / "config.yaml"
    cfg.write_text(f"site_title: T\ndata_dir: {data_copy}\ndb_path: {db}\nfeeds_dir: {feeds}\n")
    monkeypatch.setenv("CHATBOT_WATCH_CONFIG", str(cfg))
    monkeypatch.delenv("CHATBOT_WATCH_DB", raising=False)
    st.cache_resource.clear()
    st.cache_data.clear()
    try:
        at = open_page("overview")
        shown = [str(v) for df in at.dataframe for col in df.value.columns for v in df.value[col]]
    finally:
        st.cache_resource.clear()
        st.cache_data.clear()
    assert shown
    assert [s for s in shown if DUMP.search(s)] == []


# ---------------------------------------------------------------------------
# The chronology on the pages and in the API
# ---------------------------------------------------------------------------


def _actions(db: Path, country: str) -> list[tuple]:
    from chatbot_watch.store import duck

    con = duck.connect(db)
    try:
        return con.execute(
            "SELECT id, effective, lifted, status FROM actions WHERE country_code = ? ORDER BY id", [country]
        ).fetchall()
    finally:
        con.close()


def test_a_country_page_shows_its_events_in_date_order(use_db: callable, fixture_db: Path) -> None:
    from tests.apptest import frames, open_page

    use_db(fixture_db)
    at = open_page("countries", country=["KR"])
    assert "Chronology of events" in [s.value for s in at.subheader]
    table = next(df for df in frames(at) if "What happened" in df.columns)
    dates = list(table["Date"])
    assert dates == sorted(dates)  # oldest first (dates as written sort as text: 2025-02 < 2025-02-15)
    shown = set(zip(table["Record"], table["Date"], table["Event"], strict=True))
    for action_id, effective, lifted, status in _actions(fixture_db, "KR"):
        if effective:
            assert (action_id, effective, "Takes effect") in shown
        if lifted and status == "lifted":
            assert (action_id, lifted, "Lifted") in shown
            lifted_row = next(w for r, d, w in zip(table["Record"], table["Date"], table["What happened"], strict=True)
                              if r == action_id and d == lifted)  # fmt: skip
            assert lifted_row.endswith(" lifted") and "[{" not in lifted_row


@pytest.fixture(scope="module")
def client(fixture_db: Path):  # noqa: ANN201
    from tests.asgi import Client, web_app

    with pytest.MonkeyPatch.context() as mp:
        yield Client(web_app(mp, fixture_db))


def test_the_events_endpoint_answers_the_question_with_the_pages_filters(client, fixture_db: Path) -> None:  # noqa: ANN001
    from chatbot_watch import queries
    from chatbot_watch.filters import Filters
    from chatbot_watch.store import events

    got = client.get("/api/v1/events.json?country=KR&app=deepseek&since=2025-02&until=2025-05")
    assert got.status == 200, got.text
    body = got.json()
    con = queries.connect(str(fixture_db))
    try:
        want = events.events(con, Filters(country=("KR",), app=("deepseek",), since=dt.date(2025, 2, 1),
                                          until=dt.date(2025, 5, 31))).rows  # fmt: skip
        everything = events.events(con, Filters()).rows
    finally:
        con.close()
    assert body["row_count"] == len(want) > 0
    assert [(r["record_id"], r["event"], r["date"]) for r in body["rows"]] == list(
        zip(want["record_id"], want["event"], want["date"], strict=True)
    )
    assert all(r["country_code"] == "KR" and "2025-02" <= r["date"][:7] <= "2025-05" for r in body["rows"])
    assert len(everything) > len(want)  # the filters narrowed it
    # Paged like the other list endpoints; in another language the sentences are translated.
    first = client.get("/api/v1/events.json?limit=1&lang=ko").json()
    assert first["row_count"] == len(everything) and len(first["rows"]) == 1 and "lang=ko" in first["next"]
    assert first["rows"][0]["what"] != client.get("/api/v1/events.json?limit=1").json()["rows"][0]["what"]
    csv = client.get("/api/v1/events.csv?country=KR")
    assert csv.status == 200 and csv.text.splitlines()[0].startswith("date,event,event_label,record_id")
    for bad, param in (("lang=xx", "lang"), ("since=someday", "since"), ("country=ZZ", "country"), ("q=x", "q")):
        answer = client.get(f"/api/v1/events.json?{bad}")
        assert answer.status == 400 and answer.json()["parameter"] == param, bad
    spec = client.get("/api/v1/openapi.json").json()["paths"]
    assert {p["name"] for p in spec["/api/v1/events.json"]["get"]["parameters"]} >= {"country", "since", "lang"}


def test_events_without_a_date_are_left_out_and_counted(tmp_path: Path, data_copy: Path) -> None:
    from chatbot_watch import queries, views
    from chatbot_watch.filters import Filters
    from chatbot_watch.store import events

    edit(data_copy, "findings.yaml", "audit_date: 2025-02\n", "audit_date: null\n")
    db = tmp_path / "db.duckdb"
    build(data_copy, db, today=TODAY)
    con = queries.connect(str(db))
    try:
        (undated,) = con.execute("SELECT count(*) FROM findings WHERE audit_date IS NULL").fetchone()
        found = events.events(con, Filters())
        v = views.view(con, queries.meta(con), queries.filter_options(con), "/apps", {"app": ["deepseek"]})
    finally:
        con.close()
    assert undated == 1 and found.undated == undated
    assert found.note() == "1 event without a date is not listed."
    assert v.table("events").note.endswith(found.note())  # said beside the table, on every rendering

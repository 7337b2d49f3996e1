"""The change log carried from build to build, the Atom feeds, the latest changes and correction links."""

from __future__ import annotations

import datetime as dt
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import duckdb
import pytest
import streamlit as st

from chatbot_watch.filters import Filters
from chatbot_watch.store import changelog, duck, events
from chatbot_watch.store.build import TargetError, build
from chatbot_watch.store.diff import changes
from chatbot_watch.tools.corrections import correction_url
from tests.apptest import open_page
from tests.conftest import edit

TODAY = dt.date(2026, 11, 29)
A = "{http://www.w3.org/2005/Atom}"


def log(db: Path) -> list[tuple]:
    con = duck.connect(db)
    try:
        return con.execute(
            "SELECT kind, record_id, change, field, summary, countries, apps FROM change_log ORDER BY seq"
        ).fetchall()
    finally:
        con.close()


def test_changes_are_logged_and_carried_over(tmp_path: Path, data_copy: Path) -> None:
    db, feeds = tmp_path / "db.duckdb", tmp_path / "feeds"
    build(data_copy, db, today=TODAY, feeds_dir=feeds)
    first = log(db)
    assert len(first) == 1 and first[0][2] == "built" and first[0][4].startswith("First build of the dataset")
    edit(data_copy, "findings.yaml", "evidence_status: alleged", "evidence_status: observed_by_auditor")
    edit(data_copy, "actions.yaml", "- id: CA-050", "- id: CA-051")
    edit(data_copy, "apps.yaml", "name: Gemini", "name: Google Gemini")
    build(data_copy, db, today=TODAY, feeds_dir=feeds)
    rows = log(db)
    assert rows[0] == first[0]  # carried over
    new = {(k, r, c, f) for k, r, c, f, *_ in rows[1:]}
    assert new == {
        ("finding", "AF-004", "changed", "evidence_status"),
        ("action", "CA-050", "removed", None),
        ("action", "CA-051", "added", None),
        ("app", "gemini", "changed", "name"),
    }
    af = next(r for r in rows if r[1] == "AF-004")
    assert af[4] == "changed finding AF-004: evidence_status: 'alleged' -> 'observed_by_auditor'"
    assert af[5] == ["CN"]  # where its data went (the fixture names no examiner country for it)
    assert af[6] == ["deepseek"]
    # Each change is scoped to its own record's countries and apps (read for all changes at once).
    assert next(r for r in rows if r[1] == "CA-051")[5:] == (["US"], ["deepseek"])
    assert next(r for r in rows if r[1] == "CA-050")[5:] == (["US"], ["deepseek"])  # from the removed record
    assert next(r for r in rows if r[1] == "gemini")[5:] == ([], ["gemini"])
    # Building the same data again adds nothing.
    build(data_copy, db, today=TODAY, feeds_dir=feeds)
    assert len(log(db)) == len(rows)


def test_feeds_are_valid_atom_overall_per_country_and_app(tmp_path: Path, data_copy: Path) -> None:
    db, feeds = tmp_path / "db.duckdb", tmp_path / "feeds"
    build(data_copy, db, today=TODAY, feeds_dir=feeds)
    edit(data_copy, "findings.yaml", "evidence_status: alleged", "evidence_status: observed_by_auditor")
    edit(data_copy, "actions.yaml", "authority: Governor of Texas", "authority: Governor of Texas <b>&</b>")
    build(data_copy, db, today=TODAY, feeds_dir=feeds)
    con = duck.connect(db)
    try:
        happened = events.events(con, Filters(), newest_first=True).rows
        (authority,) = con.execute("SELECT authority FROM actions WHERE id = 'CA-050'").fetchone()
    finally:
        con.close()
    countries = sorted({f"country-{c}.xml" for c in happened["country_code"] if c})
    apps = sorted({f"app-{a}.xml" for ids in happened["app_ids"] for a in ids})
    names = sorted(p.name for p in feeds.iterdir())
    assert names == sorted([changelog.MARKER, "changes.xml", "corrections.xml", *countries, *apps])
    root = ET.parse(feeds / "changes.xml").getroot()
    titles = [e.find(f"{A}title").text for e in root.findall(f"{A}entry")]
    assert titles == [f"{r.what} ({r.date})" for r in happened.itertuples()]
    assert authority == "Governor of Texas <b>&</b>" and any(t.startswith(authority + ": ") for t in titles)
    assert "&lt;b&gt;&amp;&lt;/b&gt;" in (feeds / "changes.xml").read_text()  # escaped, never markup
    us = [e.find(f"{A}title").text for e in ET.parse(feeds / "country-US.xml").getroot().findall(f"{A}entry")]
    assert us == [f"{r.what} ({r.date})" for r in happened.itertuples() if r.country_code == "US"] and us
    fixed = [e.find(f"{A}title").text for e in ET.parse(feeds / "corrections.xml").getroot().findall(f"{A}entry")]
    assert fixed == [
        "CA-050: authority corrected",
        "AF-004: evidence status changed from Alleged to Observed by an auditor",
    ]


def test_correction_url_names_record_and_source() -> None:
    url = correction_url(
        "https://github.com/example/repo", "finding", "AF-001", "https://a.example/x", "http://h/flows"
    )
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "github.com", "/example/repo/issues/new")
    q = parse_qs(parts.query)
    assert q["title"] == ["Correction: finding AF-001"]
    assert "https://a.example/x" in q["body"][0] and "data/findings.yaml" in q["body"][0]
    assert q["labels"] == ["correction"]


@pytest.fixture
def app_env(tmp_path: Path, data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    db = tmp_path / "db.duckdb"
    feeds = tmp_path / "feeds"
    build(data_copy, db, today=TODAY, feeds_dir=feeds)
    edit(data_copy, "apps.yaml", "name: Gemini", "name: Google Gemini")
    build(data_copy, db, today=TODAY, feeds_dir=feeds)
    cfg = tmp_path / "config.yaml"
    cfg.write_text(
        f"site_title: T\ndata_dir: {data_copy}\ndb_path: {db}\n"
        f"feeds_dir: {feeds}\nrepository_url: https://github.com/example/chatbot-watch\n"
    )
    monkeypatch.setenv("CHATBOT_WATCH_CONFIG", str(cfg))
    monkeypatch.delenv("CHATBOT_WATCH_DB", raising=False)
    st.cache_resource.clear()
    st.cache_data.clear()
    yield db
    st.cache_resource.clear()
    st.cache_data.clear()


def test_overview_lists_latest_changes(app_env: Path) -> None:
    at = open_page("overview")
    changes = at.dataframe[-1].value
    assert list(changes["Correction"]) == ["gemini: name corrected"]  # in plain words; additions are events
    assert any("Follow (Atom)" in c.value and "changes.xml" in c.value for c in at.caption)
    assert any("corrections.xml" in c.value for c in at.caption)


def test_every_claim_table_links_a_correction(app_env: Path) -> None:
    at = open_page("restrictions")
    table = at.dataframe[-1].value
    assert "Correction" in table.columns
    url = table.loc[table["Action"] == "/record?id=CA-001", "Correction"].iloc[0]  # the id links its record
    assert url.startswith("https://github.com/example/chatbot-watch/issues/new?")
    assert parse_qs(urlsplit(url).query)["title"] == ["Correction: government action CA-001"]
    # The Overview's recent events mix findings and actions: each row's correction names its own kind.
    at.switch_page("pages/overview.py").run()
    events = next(t.value for t in at.dataframe if "Event" in t.value.columns)
    links = zip(events["Record"], events["Correction"], strict=True)
    titles = {record: parse_qs(urlsplit(url).query)["title"][0] for record, url in links}
    assert titles["/record?id=CA-001"] == "Correction: government action CA-001"
    assert titles["/record?id=AF-001"] == "Correction: finding AF-001"


def test_changes_read_from_the_differing_records_only_match_the_full_diff(tmp_path: Path, data_copy: Path) -> None:
    # changelog compares only the records whose rows differ; the result must be diff.changes'.
    old, new = tmp_path / "old.duckdb", tmp_path / "new.duckdb"
    build(data_copy, old, today=TODAY)
    edit(data_copy, "findings.yaml", "evidence_status: alleged", "evidence_status: observed_by_auditor")
    swapped = "data_types: [device_info, chat_content]"
    edit(data_copy, "findings.yaml", "data_types: [chat_content, device_info]", swapped)
    edit(data_copy, "actions.yaml", "- id: CA-050", "- id: CA-051")
    edit(data_copy, "apps.yaml", "platforms: [ios, android, web]", "platforms: [ios, web]")
    edit(data_copy, "companies.yaml", "affiliate of ByteDance", "affiliate")
    edit(data_copy, "companies.yaml", "quote: DeepSeek is a Chinese AI company.", "quote: DeepSeek is an AI company.")
    edit(data_copy, "dataset.yaml", 'title: "Chatbot', 'title: "New Chatbot')
    build(data_copy, new, today=TODAY)
    with tempfile.TemporaryDirectory() as folder:
        parts = Path(folder) / "o.duckdb", Path(folder) / "n.duckdb"
        assert changelog._changed_parts(old, new, *parts)  # the shortcut is taken, not the fallback
        assert len(changes(*parts)) == len(changes(old, new))
    found = changelog._changes(old, new)
    assert found == changes(old, new)
    assert {(c.kind, c.change) for c in found} >= {("finding", "changed"), ("action", "added"), ("dataset", "changed")}


def test_a_table_whose_key_repeats_is_compared_row_by_row(tmp_path: Path, data_copy: Path) -> None:
    # Rows are matched by their table's key; an older file whose key repeats (a row twice) must
    # still show the change, which matching by key alone would miss.
    old, new = tmp_path / "old.duckdb", tmp_path / "new.duckdb"
    build(data_copy, old, today=TODAY)
    edit(data_copy, "apps.yaml", "name: Gemini", "name: Google Gemini")
    build(data_copy, new, today=TODAY)
    con = duckdb.connect(str(old))
    try:
        con.execute("INSERT INTO company_domains SELECT * FROM company_domains WHERE domain = 'volces.com'")
    finally:
        con.close()
    with tempfile.TemporaryDirectory() as folder:
        parts = Path(folder) / "o.duckdb", Path(folder) / "n.duckdb"
        assert changelog._changed_parts(old, new, *parts)
        con = duck.connect(parts[0])
        try:
            touched = con.execute("SELECT id FROM companies UNION ALL SELECT id FROM apps ORDER BY 1").fetchall()
        finally:
            con.close()
    assert touched == [("gemini",), ("volcano-engine",)]
    assert changelog._changes(old, new) == changes(old, new)


def _parse_every_feed(feeds: Path) -> list[str]:
    """Parse every feed in the folder (a strict XML parser: ill-formed XML raises); return the entry titles."""
    titles = []
    for path in sorted(feeds.glob("*.xml")):
        root = ET.parse(path).getroot()
        assert root.tag == f"{A}feed", path
        titles += [e.find(f"{A}title").text for e in root.findall(f"{A}entry")]
    return titles


def test_a_bad_character_in_the_change_log_does_not_break_the_feeds(tmp_path: Path, data_copy: Path) -> None:
    # Issue 13, item 8: an app name with U+FFFE passed validation; changes.xml became ill-formed
    # and stayed so after the data was fixed, because the change log keeps the old value. Today
    # validation refuses it; a row already in the log (an older build's) is cleaned when written.
    db, feeds = tmp_path / "db.duckdb", tmp_path / "feeds"
    build(data_copy, db, today=TODAY, feeds_dir=feeds)
    con = duckdb.connect(str(db))
    con.execute(
        "INSERT INTO change_log VALUES (99, 'old', '2026-01-01T00:00:00+00:00', 'app', 'gem\ufffeini\x01', "
        "'changed', 'name', '\"Gemini\"', '\"Gem\ufffeini\x01\"', 'changed app gemini: name: Gem\ufffeini\x0b', [], "
        "['gemini'])"
    )
    con.close()
    edit(data_copy, "apps.yaml", "name: Gemini", "name: Google Gemini")
    build(data_copy, db, today=TODAY, feeds_dir=feeds)
    titles = _parse_every_feed(feeds)
    assert "gem\ufffdini\ufffd: name corrected" in titles
    assert "gemini: name corrected" in titles
    assert (feeds / "corrections.xml").is_file()


def test_feeds_are_never_written_over_files_a_build_did_not_write(tmp_path: Path, data_copy: Path) -> None:
    # Issue 13, item 7: `--feeds docs` deleted every unrelated *.xml in docs/.
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "sitemap.xml").write_text("<urlset/>")
    (docs / "index.md").write_text("mine")
    with pytest.raises(TargetError, match=r"holds files a build did not write \(index.md, sitemap.xml\)"):
        build(data_copy, tmp_path / "db.duckdb", today=TODAY, feeds_dir=docs)
    assert sorted(p.name for p in docs.iterdir()) == ["index.md", "sitemap.xml"]
    assert not (tmp_path / "db.duckdb").exists()  # refused before anything was written


def test_feeds_written_before_the_marker_are_replaced(tmp_path: Path, data_copy: Path) -> None:
    # Feeds of an older build (no marker) are recognised by name and Atom id and replaced.
    db, feeds = tmp_path / "db.duckdb", tmp_path / "feeds"
    build(data_copy, db, today=TODAY, feeds_dir=feeds)
    written = sorted(p.name for p in feeds.iterdir())
    assert "changes.xml" in written and "corrections.xml" in written
    (feeds / changelog.MARKER).unlink()
    (feeds / "app-gone.xml").write_bytes(
        (feeds / "changes.xml").read_bytes().replace(b"feed:changes", b"feed:app-gone")
    )
    build(data_copy, db, today=TODAY, feeds_dir=feeds)
    assert sorted(p.name for p in feeds.iterdir()) == written  # app-gone.xml, an older build's, is gone
    (feeds / "app-mine.xml").write_text("<?xml version='1.0'?><feed/>")  # named as ours, but not ours
    with pytest.raises(TargetError, match="app-mine.xml"):
        build(data_copy, db, today=TODAY, feeds_dir=feeds)

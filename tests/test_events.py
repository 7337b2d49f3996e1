"""Events, not edits (issue 24, item 4): the feeds and the Overview's latest changes say what
happened in the world in plain words, and list the data's corrections apart, never a field dump."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import streamlit as st

from chatbot_watch.build import build
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

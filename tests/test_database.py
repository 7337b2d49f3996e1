"""Builds that cannot hurt: live switch to a new build, last good build kept, killed builds."""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from chatbot_watch.build import build
from chatbot_watch.database import Database, DatabaseError
from tests.conftest import REAL_DATA, ROOT, edit

TODAY = dt.date(2026, 11, 29)


def app_names(db: Database) -> dict[str, str]:
    cur = db.cursor()
    try:
        return dict(cur.execute("SELECT id, name FROM apps").fetchall())
    finally:
        cur.close()


def test_switches_to_a_new_build_without_restart(tmp_path: Path, data_copy: Path) -> None:
    out = tmp_path / "db.duckdb"
    first = build(data_copy, out, today=TODAY).data_version
    db = Database(out)
    assert db.refresh() == first
    in_flight = db.cursor()  # a query running on the old build while the new one lands
    edit(data_copy, "apps.yaml", "name: Gemini", "name: Google Gemini")
    second = build(data_copy, out, today=TODAY).data_version
    assert second != first
    assert db.refresh() == second
    assert app_names(db)["gemini"] == "Google Gemini"
    assert in_flight.execute("SELECT name FROM apps WHERE id = 'gemini'").fetchone() == ("Gemini",)
    in_flight.close()
    # A third build closes the first one's connection and removes its link file.
    edit(data_copy, "apps.yaml", "name: Google Gemini", "name: Gemini (Google)")
    build(data_copy, out, today=TODAY)
    db.refresh()
    assert len(list(tmp_path.glob(".db.duckdb.*.open"))) == 2
    db.close()
    assert list(tmp_path.glob(".db.duckdb.*.open")) == []


def test_a_damaged_new_file_leaves_the_last_good_build_serving(tmp_path: Path, data_copy: Path) -> None:
    out = tmp_path / "db.duckdb"
    good = build(data_copy, out, today=TODAY).data_version
    db = Database(out)
    db.refresh()
    junk = tmp_path / "junk"
    junk.write_bytes(b"this is not a database" * 1000)
    os.replace(junk, out)
    assert db.refresh() == good
    assert db.last_error is not None
    assert app_names(db)["gemini"] == "Gemini"
    db.close()


@pytest.mark.parametrize("content", [None, b"", b"garbage" * 100])
def test_no_usable_database_at_start_is_a_clear_error(tmp_path: Path, content: bytes | None) -> None:
    path = tmp_path / "db.duckdb"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(DatabaseError, match="db.duckdb"):
        Database(path).refresh()


def test_killed_builds_never_leave_a_broken_database(tmp_path: Path) -> None:
    out = tmp_path / "db.duckdb"
    good = build(REAL_DATA, out).data_version
    rng = random.Random(20261129)
    cmd = [sys.executable, "-m", "chatbot_watch", "build", "--data", str(REAL_DATA), "--out", str(out)]
    hit_write = 0
    for i in range(10):
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if i % 2:
            time.sleep(rng.uniform(0.0, 2.5))  # anywhere in the run
        else:  # while the new file is being written
            deadline = time.monotonic() + 20
            while proc.poll() is None and not list(tmp_path.glob(".db.duckdb.*.tmp")) and time.monotonic() < deadline:
                time.sleep(0.002)
            hit_write += bool(list(tmp_path.glob(".db.duckdb.*.tmp")))
            time.sleep(rng.uniform(0.0, 0.15))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        db = Database(out)
        assert db.refresh() == good  # same data: every complete build has the same version
        assert len(app_names(db)) >= 10
        db.close()
    assert hit_write >= 3, "the kills never landed while a build was writing"
    # A later build cleans up what killed builds left behind.
    build(REAL_DATA, out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["db.duckdb"]


def test_running_app_shows_a_new_build_without_restart(
    tmp_path: Path, data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "db.duckdb"
    build(data_copy, out, today=TODAY)
    monkeypatch.setenv("CHATBOT_WATCH_DB", str(out))
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    first_screen = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert "1 national restriction in 1 jurisdiction, plus 1 restriction by 1 state or region" in first_screen
    edit(data_copy, "actions.yaml", "jurisdiction: US", "jurisdiction: IT")
    edit(data_copy, "actions.yaml", "  subdivision: US-TX\n", "")
    build(data_copy, out, today=TODAY)
    at.run()
    assert "2 national restrictions in 1 jurisdiction." in " ".join(m.value for m in at.markdown).replace("\\", "")
    st.cache_resource.clear()

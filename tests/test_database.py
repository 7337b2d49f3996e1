"""Builds that cannot hurt: live switch to a new build, last good build kept, killed builds."""

from __future__ import annotations

import datetime as dt
import os
import select
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import streamlit as st

from chatbot_watch.store.build import build
from chatbot_watch.store.database import Database, DatabaseError
from tests.apptest import new_app
from tests.conftest import FIXTURE_DATA, ROOT, edit

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


# Where tests/killpoint.py stops a build for the kill, and whether the build's temporary file
# exists there.
KILL_POINTS = [
    ("reserved", True),  # the empty temporary file
    ("execute:2", True),  # partly written
    ("checkpoint", True),  # every table written, in the write-ahead log only
    ("connect:2", True),  # checkpointed, the change log not yet written
    ("replace", True),  # complete, about to replace the database
    ("replaced", False),  # the new database in place
]


def test_killed_builds_never_leave_a_broken_database(tmp_path: Path) -> None:
    out = tmp_path / "db" / "db.duckdb"
    good = build(FIXTURE_DATA, out).data_version
    db = Database(out)
    assert db.refresh() == good
    names = app_names(db)
    db.close()
    assert names
    for stage, temporary in KILL_POINTS:
        cmd = [sys.executable, "-m", "tests.killpoint", stage, "build", "--data", str(FIXTURE_DATA), "--out", str(out)]
        with open(tmp_path / "stderr.txt", "wb") as err:
            proc = subprocess.Popen(cmd, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err)
            ready, _, _ = select.select([proc.stdout], [], [], 120)
            said = proc.stdout.readline().decode().strip() if ready else "(nothing in 120 s)"  # type: ignore[union-attr]
            proc.kill()  # SIGKILL: no handler, no cleanup
            proc.wait()
            proc.stdin.close()  # type: ignore[union-attr]
            proc.stdout.close()  # type: ignore[union-attr]
        assert said == stage, f"the build never reached {stage}: {(tmp_path / 'stderr.txt').read_text()}"
        assert proc.returncode == -signal.SIGKILL
        left = sorted(p.name for p in out.parent.glob(".db.duckdb.*.tmp*"))
        assert bool(left) is temporary, (stage, left)
        db = Database(out)
        assert db.refresh() == good, stage  # same data: every complete build has the same version
        assert app_names(db) == names, stage
        db.close()
    # A later build cleans up what killed builds left behind.
    build(FIXTURE_DATA, out)
    assert sorted(p.name for p in out.parent.iterdir()) == [".db.duckdb.cache", "db.duckdb"]


def test_running_app_shows_a_new_build_without_restart(
    tmp_path: Path, data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "db.duckdb"
    build(data_copy, out, today=TODAY)
    monkeypatch.setenv("CHATBOT_WATCH_DB", str(out))
    st.cache_resource.clear()
    st.cache_data.clear()
    at = new_app()
    at.run()
    first_screen = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert "1 national restriction in 1 jurisdiction, plus 1 restriction by 1 state or region" in first_screen
    edit(data_copy, "actions.yaml", "jurisdiction: US", "jurisdiction: IT")
    edit(data_copy, "actions.yaml", "  subdivision: US-TX\n", "")
    build(data_copy, out, today=TODAY)
    at.run()
    assert "2 national restrictions in 1 jurisdiction." in " ".join(m.value for m in at.markdown).replace("\\", "")
    st.cache_resource.clear()

"""App faults: missing or damaged database, bad settings, missing data folder: a clear page."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.apptest import open_page
from tests.conftest import FIXTURE_DATA


@pytest.fixture(autouse=True)
def fresh_caches() -> None:
    st.cache_resource.clear()
    st.cache_data.clear()
    yield
    st.cache_resource.clear()
    st.cache_data.clear()


def run_app(monkeypatch: pytest.MonkeyPatch, **env: str) -> AppTest:
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    return open_page("overview")


def test_missing_database_is_built_on_first_start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "sub" / "db.duckdb"
    at = run_app(monkeypatch, CHATBOT_WATCH_DB=str(db), CHATBOT_WATCH_DATA_DIR=str(FIXTURE_DATA))
    assert db.exists()
    assert [m.value for m in at.metric] == ["2", "1", "1", "1 of 2"]


def test_missing_database_and_broken_data_explain_what_to_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, data)
    (data / "apps.yaml").write_text("apps:\n- id: Bad Id\n")
    at = run_app(monkeypatch, CHATBOT_WATCH_DB=str(tmp_path / "db.duckdb"), CHATBOT_WATCH_DATA_DIR=str(data))
    assert "do not validate" in at.error[0].value
    assert "apps.yaml:2: id:" in at.code[0].value
    assert not (tmp_path / "db.duckdb").exists()


def test_missing_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = run_app(monkeypatch, CHATBOT_WATCH_DB=str(tmp_path / "db.duckdb"), CHATBOT_WATCH_DATA_DIR=str(tmp_path / "x"))
    assert "do not validate" in at.error[0].value
    assert "data folder does not exist" in at.code[0].value


def test_damaged_database_gives_a_clear_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "db.duckdb"
    db.write_bytes(b"\x00garbage" * 500)
    at = run_app(monkeypatch, CHATBOT_WATCH_DB=str(db))
    assert "cannot be read" in at.error[0].value and "python -m chatbot_watch build" in at.error[0].value


def test_invalid_settings_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = tmp_path / "config.yaml"
    cfg.write_text("site_title: x\ncolour: red\n")
    at = run_app(monkeypatch, CHATBOT_WATCH_CONFIG=str(cfg))
    shown = at.error[0].value.replace("\\", "")  # the markdown source escapes punctuation
    assert "settings file is invalid" in shown
    assert "colour: unknown setting" in shown


def test_database_path_inside_the_data_folder_is_explained(data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = run_app(monkeypatch, CHATBOT_WATCH_DB=str(data_copy / "db.duckdb"), CHATBOT_WATCH_DATA_DIR=str(data_copy))
    assert "The database cannot be built where the settings put it" in " ".join(e.value for e in at.error)
    assert not (data_copy / "db.duckdb").exists()

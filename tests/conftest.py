"""Shared test fixtures: the tiny hand-written data set and helpers to break copies of it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_DATA = ROOT / "tests" / "fixtures" / "data"
REAL_DATA = ROOT / "data"


@pytest.fixture(scope="session")
def fixture_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture data built once per test session (read only: tests that change a database
    build their own)."""
    from chatbot_watch.build import build

    out = tmp_path_factory.mktemp("fixture-db") / "fixture.duckdb"
    build(FIXTURE_DATA, out)
    return out


@pytest.fixture(scope="session")
def real_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real data built once per test session (read only)."""
    from chatbot_watch.build import build

    out = tmp_path_factory.mktemp("real-db") / "real.duckdb"
    build(REAL_DATA, out)
    return out


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the fixture data folder."""
    dst = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, dst)
    return dst


def edit(folder: Path, name: str, old: str, new: str, count: int = 1) -> None:
    """Replace text in a data file; fails loudly if the text is not there."""
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def line_of(folder: Path, name: str, needle: str, nth: int = 1) -> int:
    """1-based line number of the nth line containing needle."""
    seen = 0
    for i, line in enumerate((folder / name).read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            seen += 1
            if seen == nth:
                return i
    raise AssertionError(f"{needle!r} not found in {name}")


@pytest.fixture
def use_db(monkeypatch: pytest.MonkeyPatch) -> Iterator[callable]:
    def use(path: Path) -> None:
        monkeypatch.setenv("CHATBOT_WATCH_DB", str(path))
        st.cache_resource.clear()
        st.cache_data.clear()

    yield use
    st.cache_resource.clear()
    st.cache_data.clear()

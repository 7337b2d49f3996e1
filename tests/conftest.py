"""Shared test fixtures: the tiny hand-written data set and helpers to break copies of it; the
builds and real servers every module may share (made once per session, or once per worker when
the tests run in parallel: `make test` runs pytest-xdist)."""

from __future__ import annotations

import fcntl
import functools
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from streamlit.components.v2 import manifest_scanner

# Every new AppTest scans the metadata of every installed package for Streamlit components (about
# 0.1 s; a few hundred AppTests a run). The installed packages do not change during a run, so each
# process scans once; the running server (serve.py) scans at its start, as before.
manifest_scanner.scan_component_manifests = functools.cache(manifest_scanner.scan_component_manifests)

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_DATA = ROOT / "tests" / "fixtures" / "data"
# The real data; CHATBOT_WATCH_TEST_REAL_DATA points the suite at another copy of it (scripts/
# new_records_check.py adds valid records of every kind to a copy and runs the suite on it: no
# test may depend on the real data's exact contents).
REAL_DATA = Path(os.environ.get("CHATBOT_WATCH_TEST_REAL_DATA") or ROOT / "data")


def built_once(tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], Path]) -> Path:
    """The database `make(folder)` builds (and returns), built once per test run: the first
    pytest-xdist worker to need it builds it into the run's shared temporary folder, under a lock;
    every worker then gets a copy of its own (the file and the build's cache folder beside it), in
    a folder of its own, as if it had built it itself (a copy takes milliseconds, a build of the
    real data seconds of CPU)."""
    mine = tmp_path_factory.mktemp(name)
    if "PYTEST_XDIST_WORKER" not in os.environ:
        return make(mine)
    shared = tmp_path_factory.getbasetemp().parent / f"shared-{name}"
    shared.mkdir(exist_ok=True)
    with (shared / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = shared / "built"
        if not done.exists():
            built = make(shared / "build")
            done.write_text(str(built.relative_to(shared / "build")), encoding="utf-8")
    for item in (shared / "build").iterdir():
        (shutil.copytree if item.is_dir() else shutil.copy2)(item, mine / item.name)
    return mine / done.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def fixture_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture data built once per test session (read only: tests that change a database
    build their own)."""
    from chatbot_watch.store.build import build

    def make(folder: Path) -> Path:
        folder.mkdir(exist_ok=True)
        build(FIXTURE_DATA, folder / "fixture.duckdb")
        return folder / "fixture.duckdb"

    return built_once(tmp_path_factory, "fixture-db", make)


@pytest.fixture(scope="session")
def real_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real data built once per test session (read only)."""
    from chatbot_watch.store.build import build

    def make(folder: Path) -> Path:
        folder.mkdir(exist_ok=True)
        build(REAL_DATA, folder / "real.duckdb")
        return folder / "real.duckdb"

    return built_once(tmp_path_factory, "real-db", make)


@pytest.fixture(scope="module")
def real_client(real_db: Path) -> Iterator[Any]:
    """The web app (pages, API, feeds) in-process on the real data's build: a tests.asgi.Client."""
    from tests.asgi import Client, web_app

    with pytest.MonkeyPatch.context() as mp:
        yield Client(web_app(mp, real_db))


@pytest.fixture(scope="module")
def real_con(real_db: Path) -> Iterator[Any]:
    """A connection to the real data's build (read only), as the site's queries open it."""
    from chatbot_watch import queries

    c = queries.connect(str(real_db))
    yield c
    c.close()


@pytest.fixture
def fixture_db_copy(fixture_db: Path, tmp_path: Path) -> Path:
    """A private copy of the fixture build at tmp_path/db.duckdb, for a test that replaces, changes
    or might damage its database (a copy takes milliseconds, a build most of a second)."""
    out = tmp_path / "db.duckdb"
    shutil.copyfile(fixture_db, out)
    return out


@pytest.fixture(scope="session")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile copy of the fixture data (tests/hostile.py) built once per session (read only)."""
    from chatbot_watch.store.build import build
    from tests.hostile import write_hostile

    def make(root: Path) -> Path:
        root.mkdir(exist_ok=True)
        build(write_hostile(root / "data"), root / "hostile.duckdb")
        return root / "hostile.duckdb"

    return built_once(tmp_path_factory, "hostile-db", make)


@dataclass(frozen=True)
class Site:
    """A real server (serve.py, started as `make run` starts it) and the database it serves."""

    url: str
    db: Path


def _site(db: Path, tmp_path_factory: pytest.TempPathFactory, name: str) -> Iterator[Site]:
    from chatbot_watch.tools.devserver import run_server

    # A copy in a folder of its own: what the server writes beside its database (the corrections
    # inbox, links to open builds) stays there.
    folder = tmp_path_factory.mktemp(name)
    served = folder / db.name
    shutil.copyfile(db, served)
    with run_server(db_path=served, log=folder / "server.log") as (url, _proc):
        yield Site(url, served)


@pytest.fixture(scope="session")
def real_site(real_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The real data served once per session, for the HTTP, API and browser tests."""
    yield from _site(real_db, tmp_path_factory, "real-site")


@pytest.fixture(scope="session")
def hostile_site(hostile_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The hostile data served once per session."""
    yield from _site(hostile_db, tmp_path_factory, "hostile-site")


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


def all_tables(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, sorted; the build's time left out (meta's built_at, the log's column)."""
    from chatbot_watch.store import duck

    con = duck.connect(db)
    try:
        names = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables ORDER BY 1").fetchall()]
        out = {}
        for name in names:
            cols = [
                r[0]
                for r in con.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
                    [name],
                ).fetchall()
                if r[0] != "built_at"
            ]
            where = " WHERE key <> 'built_at'" if name == "meta" else ""
            quoted = ", ".join('"' + c + '"' for c in cols)
            rows = con.execute(f'SELECT {quoted} FROM "{name}"{where}').fetchall()
            out[name] = sorted(rows, key=repr)
        return out
    finally:
        con.close()


# Modules run first, in this order (each in its own order; the others follow as collected): the
# browser tests, which need Chromium and real servers, stay together at the head of the first
# worker's queue (pytest-xdist's worksteal takes work from the tail of a queue), so other workers
# rarely start a browser and servers for a few of them; the HTTP tests of the same real and hostile
# servers follow them on that worker (elsewhere they started two more servers, about 9 s of CPU);
# then the modules with the longest single tests, which would otherwise start near the end of the
# run and keep it waiting.
FIRST = ("test_browser.py", "test_web.py", "test_patch.py", "test_web_limits.py", "test_database.py", "test_publish.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: i for i, name in enumerate(FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(FIRST)))

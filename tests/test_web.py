"""The web layer of the real server (serve.py): health checks, first paint, link previews, headers.

Every request goes over HTTP to a real server started as `make run` starts it, on the fixture
database or a build of the real data; HTML is read as a crawler reads it, without a browser.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from chatbot_watch.build import build
from chatbot_watch.devserver import run_server
from tests.conftest import REAL_DATA


class Answer:
    """One HTTP answer: status, headers (lower-case names) and body."""

    def __init__(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def json(self) -> object:
        return json.loads(self.body)


def get(url: str, headers: dict[str, str] | None = None, method: str = "GET") -> Answer:
    req = urllib.request.Request(url, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:  # noqa: S310 - loopback
            return Answer(r.status, {k.lower(): v for k, v in r.headers.items()}, r.read())
    except urllib.error.HTTPError as e:
        return Answer(e.code, {k.lower(): v for k, v in e.headers.items()}, e.read())


@pytest.fixture(scope="module")
def real_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("web") / "real.duckdb"
    build(REAL_DATA, out)
    return out


@pytest.fixture(scope="module")
def server(real_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    log = tmp_path_factory.mktemp("web-log") / "server.log"
    with run_server(db_path=real_db, log=log) as (base, _proc):
        yield base


def meta(db: Path) -> dict[str, str]:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return dict(con.execute("SELECT key, value FROM meta").fetchall())
    finally:
        con.close()


# --- health --------------------------------------------------------------------------------------


def test_healthz_and_readyz_name_the_data_version(server: str, real_db: Path) -> None:
    live = get(server + "/healthz")
    assert (live.status, live.text) == (200, "ok")
    ready = get(server + "/readyz")
    m = meta(real_db)
    assert ready.status == 200
    assert ready.json() == {"status": "ready", "data_version": m["data_version"], "as_of": m["as_of"]}
    assert ready.headers["cache-control"] == "no-store"


def test_readyz_is_503_without_a_database_while_healthz_stays_ok(tmp_path: Path) -> None:
    with run_server(db_path=tmp_path / "missing.duckdb", log=tmp_path / "server.log") as (base, _proc):
        assert get(base + "/healthz").status == 200
        ready = get(base + "/readyz")
        assert ready.status == 503
        body = ready.json()
        assert body["status"] == "not ready" and "missing.duckdb" in body["error"]


def test_streamlit_still_answers_its_own_paths(server: str) -> None:
    assert get(server + "/_stcore/health").text == "ok"
    # The frontend's probe under a deep link's path stays a 404 (an HTML answer would break the app).
    assert get(server + "/countries/_stcore/health").status == 404
    assert get(server + "/app/static/countries-110m.json").json()["type"] == "Topology"

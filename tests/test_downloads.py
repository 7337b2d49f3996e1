"""Downloads: exactly the rows given, with as-of date, version and filters; the whole dataset."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from pathlib import Path

from chatbot_watch import queries
from chatbot_watch.build import build
from chatbot_watch.downloads import csv_text, json_text, package_zip
from chatbot_watch.filters import Filters
from tests.conftest import FIXTURE_DATA


def _db(tmp_path: Path) -> queries.Con:
    out = tmp_path / "d.duckdb"
    build(FIXTURE_DATA, out, today=dt.date(2026, 11, 29))
    return queries.connect(str(out))


def test_csv_and_json_carry_rows_and_context(tmp_path: Path) -> None:
    con = _db(tmp_path)
    f = Filters(country=("KR",))
    rows = queries.restrictions(con, f)
    meta = queries.meta(con)
    text = csv_text(rows, meta, "Restrictions", f, "http://x/restrictions?country=KR")
    lines = text.splitlines()
    assert lines[0] == "# Chatbot Watch: Restrictions"
    assert lines[1] == f"# data as of 2026-06-30, version {meta['data_version']}"
    assert lines[2] == "# filters: country=KR"
    table = list(csv.DictReader(io.StringIO("\n".join(x for x in lines if not x.startswith("#")))))
    assert [(r["action_id"], r["announced"], r["lifted"], r["effective_day"]) for r in table] == [
        ("CA-001", "2025-02-17", "2025-04-28", "2025-02-15")
    ]
    payload = json.loads(json_text(rows, meta, "Restrictions", f, "http://x/restrictions?country=KR"))
    assert payload["filters"] == {"country": ["KR"]} and payload["as_of"] == "2026-06-30"
    assert payload["row_count"] == 1 and payload["rows"][0]["action_id"] == "CA-001"
    assert payload["rows"][0]["effective_day"] == "2025-02-15"


def test_lists_in_flows_are_joined_in_csv_and_kept_in_json(tmp_path: Path) -> None:
    con = _db(tmp_path)
    rows = queries.flows(con, Filters(app=("deepseek",)))
    meta = queries.meta(con)
    text = csv_text(rows, meta, "Flows", Filters(), "u")
    table = list(csv.DictReader(io.StringIO("\n".join(x for x in text.splitlines() if not x.startswith("#")))))
    assert {r["recipient_countries"] for r in table} == {"CN"}
    assert {r["domains"] for r in table if r["finding_id"] == "AF-004"} == {"volceapplog.com"}
    payload = json.loads(json_text(rows, meta, "Flows", Filters(), "u"))
    assert payload["rows"][0]["recipient_countries"] == ["CN"]


def test_whole_dataset_package_zip_matches_the_database(tmp_path: Path) -> None:
    out = tmp_path / "d.duckdb"
    build(FIXTURE_DATA, out, today=dt.date(2026, 11, 29))
    z = zipfile.ZipFile(io.BytesIO(package_zip(out)))
    con = queries.connect(str(out))
    names = set(z.namelist())
    assert {"chatbot-watch/datapackage.json", "chatbot-watch/README.md"} <= names
    package = json.loads(z.read("chatbot-watch/datapackage.json"))
    assert package["version"] == queries.meta(con)["data_version"]
    for name in ("flows", "restrictions", "findings", "actions", "companies", "sources"):
        rows = list(csv.DictReader(io.StringIO(z.read(f"chatbot-watch/{name}.csv").decode())))
        assert len(rows) == con.execute(f"SELECT count(*) FROM {name}").fetchone()[0], name
        assert f"chatbot-watch/{name}.parquet" in names and f"chatbot-watch/{name}.json" in names

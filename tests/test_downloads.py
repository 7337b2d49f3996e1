"""Downloads: exactly the rows given, with as-of date, version and filters; the whole dataset."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from chatbot_watch import queries
from chatbot_watch.filters import Filters
from chatbot_watch.views.downloads import csv_text, file_stem, json_text, package_zip


@pytest.fixture
def con(fixture_db: Path) -> Iterator[queries.Con]:
    c = queries.connect(str(fixture_db))
    yield c
    c.close()


def test_csv_and_json_carry_rows_and_context(con: queries.Con) -> None:
    f = Filters(country=("KR",))
    rows = queries.restrictions(con, f)
    meta = queries.meta(con)
    text = csv_text(rows)
    # The header is on line 1, so pandas' default read_csv and spreadsheets read it as it is.
    assert text.splitlines()[0].startswith("action_id,country_code,")
    assert pd.read_csv(io.StringIO(text))["action_id"].tolist() == ["CA-001"]
    # The metadata is in the file name and the JSON download.
    assert file_stem("Restrictions", f, meta["as_of"]) == "chatbot-watch_restrictions_country-KR_2026-06-30"
    table = list(csv.DictReader(io.StringIO(text)))
    assert [(r["action_id"], r["announced"], r["lifted"], r["effective_day"]) for r in table] == [
        ("CA-001", "2025-02-17", "2025-04-28", "2025-02-15")
    ]
    payload = json.loads(json_text(rows, meta, "Restrictions", f, "http://x/restrictions?country=KR"))
    assert payload["filters"] == {"country": ["KR"]} and payload["as_of"] == "2026-06-30"
    assert payload["row_count"] == 1 and payload["rows"][0]["action_id"] == "CA-001"
    assert payload["rows"][0]["effective_day"] == "2025-02-15"


def test_lists_in_flows_are_joined_in_csv_and_kept_in_json(con: queries.Con) -> None:
    rows = queries.flows(con, Filters(app=("deepseek",)))
    meta = queries.meta(con)
    text = csv_text(rows)
    table = list(csv.DictReader(io.StringIO(text)))
    assert {r["recipient_countries"] for r in table} == {"CN"}
    assert {r["domains"] for r in table if r["finding_id"] == "AF-004"} == {"volceapplog.com"}
    payload = json.loads(json_text(rows, meta, "Flows", Filters(), "u"))
    assert payload["rows"][0]["recipient_countries"] == ["CN"]


def test_excel_csv_has_a_byte_order_mark_and_the_same_rows(con: queries.Con) -> None:
    rows = queries.flows(con, Filters())
    plain, excel = csv_text(rows), csv_text(rows, excel=True)
    assert excel == "\ufeff" + plain and not plain.startswith("\ufeff")
    assert pd.read_csv(io.StringIO(excel)).columns[0] == "finding_id"  # pandas skips the mark


def test_file_names_say_view_filters_and_date() -> None:
    f = Filters(country=("KR", "IT"), app=("deepseek",), since=dt.date(2025, 1, 1))
    assert file_stem("Data flows", f, "2026-11-29") == (
        "chatbot-watch_data-flows_country-KR_country-IT_app-deepseek_since-2025-01-01_2026-11-29"
    )
    many = Filters(country=tuple(f"C{i}" for i in range(60)))
    stem = file_stem("Restrictions", many, "2026-11-29")
    assert len(stem) <= 140 and stem.endswith("_etc_2026-11-29")


def test_whole_dataset_package_zip_matches_the_database(fixture_db: Path) -> None:
    out = fixture_db
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

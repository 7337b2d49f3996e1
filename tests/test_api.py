"""The HTTP API: every endpoint and format, every filter, strict 400s, ETag/304, CORS, paging, CSV
safety and the OpenAPI description. Expected rows come from the query functions on the same
database, never from the API itself. The requests go to web.py's routes and middleware in-process
(tests/asgi.py, on a build of the real data); a real server (serve.py) answers the API in
test_csv_from_the_server_neutralises_a_formula_in_the_data and in tests/test_web.py."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import duckdb
import pytest

from chatbot_watch import queries
from chatbot_watch.filters import Filters
from chatbot_watch.queries import chartdata, recordpage
from chatbot_watch.store.build import build
from chatbot_watch.tools.devserver import run_server
from chatbot_watch.web import api, apiparams
from tests.asgi import Client, web_app
from tests.conftest import edit
from tests.test_web import get


@pytest.fixture(scope="module")
def client(real_db: Path) -> Iterator[Client]:
    with pytest.MonkeyPatch.context() as mp:
        yield Client(web_app(mp, real_db))


@pytest.fixture(scope="module")
def con(real_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    c = queries.connect(str(real_db))
    yield c
    c.close()


def api_json(client: Client, path: str, **params: object) -> dict:
    q = urlencode(list(_pairs(params)))
    r = client.get(f"/api/v1/{path}" + (f"?{q}" if q else ""))
    assert r.status == 200, r.text
    assert r.headers["content-type"] == "application/json"
    return r.json()  # type: ignore[return-value]


def _pairs(params: dict[str, object]) -> Iterator[tuple[str, str]]:
    for k, v in params.items():
        for item in v if isinstance(v, list | tuple) else [v]:
            yield k, str(item)


# (endpoint, filters as URL parameters, the same as Filters, the id column to compare)
CASES = [
    ("flows", {}, Filters(), "finding_id"),
    ("flows", {"country": "CN"}, Filters(country=("CN",)), "finding_id"),
    ("flows", {"country": "KR", "country_role": "examiner"}, Filters(country=("KR",), country_role="examiner"),
     "finding_id"),
    ("flows", {"app": "deepseek", "evidence": "confirmed_by_regulator"},
     Filters(app=("deepseek",), evidence=("confirmed_by_regulator",)), "finding_id"),
    ("flows", {"data_type": ["device_identifiers", "chat_content"]},
     Filters(data_type=("device_identifiers", "chat_content")), "finding_id"),
    ("flows", {"since": "2025-01-01", "until": "2025-06-30"},
     Filters(since=dt.date(2025, 1, 1), until=dt.date(2025, 6, 30)), "finding_id"),
    ("flows", {"company": "bytedance"}, Filters(company=("bytedance",)), "finding_id"),
    ("restrictions", {}, Filters(), "action_id"),
    ("restrictions", {"country": "KR"}, Filters(country=("KR",)), "action_id"),
    ("restrictions", {"country": ["IT", "US"], "app": "deepseek"}, Filters(country=("IT", "US"), app=("deepseek",)),
     "action_id"),
    ("restrictions", {"action_type": "government_device_ban", "since": "2025-02-01"},
     Filters(action_type=("government_device_ban",), since=dt.date(2025, 2, 1)), "action_id"),
    ("companies", {}, Filters(), "company_id"),
    ("companies", {"app": "deepseek"}, Filters(app=("deepseek",)), "company_id"),
    ("countries", {}, Filters(), "country_code"),
    ("countries", {"app": "deepseek"}, Filters(app=("deepseek",)), "country_code"),
]  # fmt: skip

QUERY = {
    "flows": queries.flows,
    "restrictions": queries.restrictions,
    "companies": queries.companies,
    "countries": chartdata.map_counts,
}


@pytest.mark.parametrize(("endpoint", "params", "f", "id_col"), CASES)
def test_json_rows_are_the_query_rows(
    client: Client, con, endpoint: str, params: dict, f: Filters, id_col: str
) -> None:
    expected = QUERY[endpoint](con, f)
    assert not expected.empty or params == {}, "a case that matches nothing proves little"
    body = api_json(client, f"{endpoint}.json", **params, limit=apiparams.MAX_LIMIT)
    assert body["row_count"] == len(expected)
    assert [r[id_col] for r in body["rows"]] == list(expected[id_col])
    assert body["filters"] == {k: [str(x) for x in (v if isinstance(v, list) else [v])] for k, v in params.items()}
    m = queries.meta(con)
    assert (body["data_version"], body["as_of"], body["licence"]) == (m["data_version"], m["as_of"], m["licence"])


@pytest.mark.parametrize(("endpoint", "params", "f", "id_col"), [c for c in CASES if c[0] in ("flows", "restrictions")])
def test_csv_has_the_header_on_line_one_and_the_query_rows(
    client: Client, con, endpoint: str, params: dict, f: Filters, id_col: str
) -> None:
    expected = QUERY[endpoint](con, f)
    q = urlencode([*_pairs(params), ("limit", str(apiparams.MAX_LIMIT))])
    r = client.get(f"/api/v1/{endpoint}.csv?{q}")
    assert r.status == 200 and r.headers["content-type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(r.text, newline="")))
    assert r.text.split("\r\n", 1)[0] == ",".join(expected.columns)
    assert [row[id_col] for row in rows] == list(expected[id_col])
    m = queries.meta(con)
    assert r.headers["x-data-version"] == m["data_version"] and r.headers["x-as-of"] == m["as_of"]
    assert r.headers["x-row-count"] == str(len(expected))
    assert r.headers["x-filters"] == urlencode(f.to_query())


def test_apps_lists_every_app_with_its_developer(client: Client, con) -> None:
    body = api_json(client, "apps.json", limit=apiparams.MAX_LIMIT)
    n = con.execute("SELECT count(*) FROM apps").fetchone()[0]
    assert body["row_count"] == n == len(body["rows"])
    deepseek = next(r for r in body["rows"] if r["id"] == "deepseek")
    assert deepseek == {k: v for k, v in queries.app_info(con, "deepseek").items()}
    one = api_json(client, "apps.json", app="deepseek")
    assert [r["id"] for r in one["rows"]] == ["deepseek"]


def test_a_record_has_every_field_and_its_sources(client: Client, con) -> None:
    body = api_json(client, "records/CA-001.json")
    rec = recordpage.record(con, "action", "CA-001")
    assert (body["kind"], body["id"], body["title"]) == ("action", "CA-001", rec["title"])
    assert body["fields"] == dict(rec["fields"])
    assert [s["quote"] for s in body["sources"]] == list(rec["sources"]["quote"])
    assert body["sources"] and all(s["url"].startswith("https://") for s in body["sources"])
    assert api_json(client, "records/app:deepseek.json")["kind"] == "app"
    assert api_json(client, "records/company:deepseek.json")["kind"] == "company"


@pytest.mark.parametrize(
    ("path", "status", "expected"),
    [
        ("flows.json?country=XX", 400, {"parameter": "country", "value": "XX"}),
        ("flows.json?country=KR&country=ZZ", 400, {"parameter": "country", "value": "ZZ"}),
        ("flows.json?evidence=rumour", 400, {"parameter": "evidence", "value": "rumour"}),
        ("flows.json?data_type=%3Cscript%3E", 400, {"parameter": "data_type", "value": "<script>"}),
        ("flows.json?colour=red", 400, {"parameter": "colour"}),
        ("flows.json?action_type=fine", 400, {"parameter": "action_type"}),  # not a filter of flows
        ("restrictions.json?evidence=alleged", 400, {"parameter": "evidence"}),
        ("restrictions.json?action_type=ban", 400, {"parameter": "action_type", "value": "ban"}),
        ("restrictions.json?since=2025-13-01", 400, {"parameter": "since", "value": "2025-13-01"}),
        ("restrictions.json?since=yesterday", 400, {"parameter": "since", "value": "yesterday"}),
        ("restrictions.json?since=2025-01-01&since=2025-02-01", 400, {"parameter": "since"}),
        ("restrictions.json?since=2025-06-01&until=2025-01-01", 400, {"parameter": "filters"}),
        ("flows.json?country_role=owner", 400, {"parameter": "country_role", "value": "owner"}),
        ("flows.json?limit=0", 400, {"parameter": "limit", "value": "0"}),
        ("flows.json?limit=1001", 400, {"parameter": "limit", "value": "1001"}),
        ("flows.json?offset=-1", 400, {"parameter": "offset", "value": "-1"}),
        ("flows.json?limit=ten", 400, {"parameter": "limit", "value": "ten"}),
        ("apps.json?app=nope", 400, {"parameter": "app", "value": "nope"}),
        ("apps.json?country=KR", 400, {"parameter": "country"}),
        ("records/CA-001.json?x=1", 400, {"parameter": "x"}),
        ("records/deepseek.json", 400, {"error": "ambiguous_id", "candidates": ["app:deepseek", "company:deepseek"]}),
        ("records/AF-999999.json", 404, {"error": "not_found", "id": "AF-999999"}),
    ],
)
def test_unknown_parameters_and_values_are_refused_by_name(
    client: Client, path: str, status: int, expected: dict
) -> None:
    r = client.get(f"/api/v1/{path}")
    assert r.status == status
    assert r.headers["content-type"] == "application/json"
    assert r.headers["access-control-allow-origin"] == "*"
    body = r.json()
    assert {k: body.get(k) for k in expected} == expected
    assert body.get("message")


def test_etag_gives_304_and_changes_with_the_query(client: Client) -> None:
    first = client.get("/api/v1/restrictions.json?country=KR")
    tag = first.headers["etag"]
    assert first.headers["cache-control"] == api.CACHE_CONTROL
    again = client.get("/api/v1/restrictions.json?country=KR", headers={"If-None-Match": tag})
    assert again.status == 304 and again.body == b"" and again.headers["etag"] == tag
    other = client.get("/api/v1/restrictions.json?country=IT", headers={"If-None-Match": tag})
    assert other.status == 200 and other.headers["etag"] != tag
    csv_answer = client.get("/api/v1/restrictions.csv?country=KR", headers={"If-None-Match": tag})
    assert csv_answer.status == 200  # another format, another ETag
    rec = client.get("/api/v1/records/CA-001.json")
    assert client.get("/api/v1/records/CA-001.json", headers={"If-None-Match": rec.headers["etag"]}).status == 304


def test_cors_on_get_and_preflight(client: Client) -> None:
    r = client.get("/api/v1/flows.json?limit=1", headers={"Origin": "https://newsroom.example"})
    assert r.headers["access-control-allow-origin"] == "*"
    assert "ETag" in r.headers["access-control-expose-headers"]
    pre = client.get("/api/v1/flows.json", method="OPTIONS")
    assert pre.status == 204 and pre.headers["access-control-allow-origin"] == "*"
    assert "GET" in pre.headers["access-control-allow-methods"]


def test_limit_and_offset_page_through_every_row(client: Client, con) -> None:
    expected = list(queries.restrictions(con, Filters())["action_id"])
    got: list[str] = []
    path = "/api/v1/restrictions.json?limit=40"
    while path:
        body = client.get(path).json()
        assert body["row_count"] == len(expected) and len(body["rows"]) <= 40
        got += [r["action_id"] for r in body["rows"]]
        path = body["next"]
    assert got == expected
    default = api_json(client, "restrictions.json")
    assert (default["limit"], len(default["rows"])) == (
        apiparams.DEFAULT_LIMIT,
        min(apiparams.DEFAULT_LIMIT, len(expected)),
    )
    r = client.get("/api/v1/restrictions.csv?limit=5&offset=5")
    assert r.headers["link"] == '</api/v1/restrictions.csv?limit=5&offset=10>; rel="next"'
    assert [row["action_id"] for row in csv.DictReader(io.StringIO(r.text, newline=""))] == expected[5:10]


def test_openapi_describes_every_route_and_the_allowed_values(client: Client, con) -> None:
    spec = api_json(client, "openapi.json")
    assert spec["openapi"].startswith("3.")
    for e in api.ENDPOINTS.values():
        for fmt in e.formats:
            op = spec["paths"][f"/api/v1/{e.name}.{fmt}"]["get"]
            assert [p["name"] for p in op["parameters"]] == [*e.filters, *e.text, "limit", "offset"]
    flows = {p["name"]: p for p in spec["paths"]["/api/v1/flows.json"]["get"]["parameters"]}
    assert "deepseek" in flows["app"]["schema"]["items"]["enum"]
    assert "/api/v1/records/{id}.json" in spec["paths"]
    assert spec["info"]["license"]["name"] == queries.meta(con)["licence"]


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised() -> None:
    import pandas as pd

    df = pd.DataFrame(
        {
            "text": ['=HYPERLINK("https://evil.example")', "+1", "-cmd", "@SUM(A1)", "\tx", "\rx", "plain", None],
            "n": [-5, 1, 2, 3, 4, 5, 6, 7],
        }
    )
    rows = list(csv.reader(io.StringIO(api.csv_body(df), newline="")))
    assert [r[0] for r in rows[1:]] == ["'=HYPERLINK(\"https://evil.example\")", "'+1", "'-cmd", "'@SUM(A1)", "'\tx",
                                        "'\rx", "plain", ""]  # fmt: skip
    assert rows[1][1] == "-5"  # numbers stay numbers


def test_csv_from_the_server_neutralises_a_formula_in_the_data(data_copy: Path, tmp_path: Path) -> None:
    edit(data_copy, "actions.yaml", "authority: Governor of Texas", "authority: '=HYPERLINK(\"https://evil.example\")'")
    db = tmp_path / "formula.duckdb"
    build(data_copy, db)
    with run_server(db_path=db, log=tmp_path / "server.log") as (base, _proc):
        r = get(base + "/api/v1/restrictions.csv")
        json_rows = get(base + "/api/v1/restrictions.json").json()["rows"]  # type: ignore[index]
    rows = list(csv.DictReader(io.StringIO(r.text, newline="")))
    assert '\'=HYPERLINK("https://evil.example")' in {row["authority"] for row in rows}
    assert '=HYPERLINK("https://evil.example")' in {row["authority"] for row in json_rows}  # JSON stays exact


def test_a_month_or_a_year_is_a_date_in_the_url_too(client: Client, con) -> None:
    # Issue 24, item 4: what the sidebar takes, the URL takes, read as the same days.
    body = api_json(client, "restrictions.json", since="2025-02", until="2025", limit=1000)
    assert body["filters"] == {"since": ["2025-02-01"], "until": ["2025-12-31"]}
    full = api_json(client, "restrictions.json", since="2025-02-01", until="2025-12-31", limit=1000)
    assert body["rows"] == full["rows"] and body["row_count"] == full["row_count"] > 0

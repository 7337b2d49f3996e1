"""The app developer's country beside the recipient's (issue 24, item 8): `app_country` and
`not_app_country` on the flows and companies views and the API, `country_role=based_in`, and what an
unknown developer country leaves out. Expected values are read from the base tables of the real
build (findings, apps, companies), never from the view the filters run on."""

from __future__ import annotations

import duckdb
import pytest

from chatbot_watch.i18n import counted
from tests.asgi import Client

# Findings counted by the flows view: not superseded, with the app's developer's country.
FINDINGS = """SELECT f.id AS finding_id, d.country_code AS dev FROM findings f JOIN apps a ON a.id = f.app_id
              LEFT JOIN companies d ON d.id = a.developer_id
              WHERE f.superseded_by IS NULL AND f.id IN (SELECT finding_id FROM finding_data_types)"""


def _all_rows(real_client: Client, path: str) -> list[dict]:
    body = real_client.get(f"{path}&limit=1000").json()
    assert body["row_count"] == len(body["rows"]), "more rows than one page"
    return body["rows"]


def _dev_countries(real_con: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in real_con.execute(f"SELECT DISTINCT dev FROM ({FINDINGS}) WHERE dev IS NOT NULL").fetchall()]


def test_app_country_keeps_exactly_the_findings_of_apps_made_there(
    real_client: Client, real_con: duckdb.DuckDBPyConnection
) -> None:
    countries = _dev_countries(real_con)
    assert countries, "no app with a developer country in the data"
    for code in countries:
        expected = {
            r[0] for r in real_con.execute(f"SELECT finding_id FROM ({FINDINGS}) WHERE dev = ?", [code]).fetchall()
        }
        rows = _all_rows(real_client, f"/api/v1/flows.json?app_country={code}")
        assert {r["finding_id"] for r in rows} == expected, code
        assert {r["app_country"] for r in rows} == {code}
        # not_app_country: the findings of apps whose developer is known to be based elsewhere
        others = {
            r[0]
            for r in real_con.execute(
                f"SELECT finding_id FROM ({FINDINGS}) WHERE dev IS NOT NULL AND dev <> ?", [code]
            ).fetchall()
        }
        rows = _all_rows(real_client, f"/api/v1/flows.json?not_app_country={code}")
        assert {r["finding_id"] for r in rows} == others, code


def test_the_china_question_is_one_url(real_client: Client, real_con: duckdb.DuckDBPyConnection) -> None:
    """Companies based in X receiving data from apps whose developer is not based in X, for every X
    a recipient is based in: the API's companies and the page's table list exactly those."""
    recipients = [
        r[0]
        for r in real_con.execute(
            "SELECT DISTINCT country_code FROM companies WHERE country_code IS NOT NULL"
        ).fetchall()
    ]
    assert recipients
    for code in recipients:
        expected = {
            r[0]
            for r in real_con.execute(
                f"""SELECT DISTINCT c.id FROM ({FINDINGS}) f JOIN finding_recipients fr ON fr.finding_id = f.finding_id
                    JOIN companies c ON c.id = fr.company_id
                    WHERE c.country_code = $x AND f.dev IS NOT NULL AND f.dev <> $x""",
                {"x": code},
            ).fetchall()
        }
        query = f"country={code}&country_role=based_in&not_app_country={code}"
        rows = _all_rows(real_client, f"/api/v1/companies.json?{query}")
        assert {r["company_id"] for r in rows} == expected, code
        view = real_client.get(f"/api/v1/views/companies.json?{query}").json()
        assert view["filters"]["not_app_country"] == [code]
        table = view["tables"][0]
        assert table["row_count"] == len(expected)


def test_a_view_says_how_many_findings_an_unknown_developer_country_leaves_out(
    real_client: Client, real_con: duckdb.DuckDBPyConnection
) -> None:
    unknown = real_con.execute(f"SELECT count(*), list(finding_id) FROM ({FINDINGS}) WHERE dev IS NULL").fetchone()
    if not unknown[0]:
        pytest.skip("every app with a finding has a developer country")
    for code in _dev_countries(real_con):
        for param in ("app_country", "not_app_country"):
            view = real_client.get(f"/api/v1/views/flows.json?{param}={code}").json()
            said = counted(unknown[0], "{n} finding", "{n} findings")
            assert any(said in s and "not recorded" in s for s in view["sentences"]), (param, code, view["sentences"])
            html = real_client.get(f"/flows?{param}={code}").text
            assert said in html
    # Without the filter nothing is left out and nothing is said
    assert real_client.get("/api/v1/views/flows.json").json()["sentences"] == []


def test_the_flows_and_companies_tables_show_both_countries(
    real_client: Client, real_con: duckdb.DuckDBPyConnection
) -> None:
    flows = real_client.get("/api/v1/views/flows.json?limit=1000").json()["tables"][0]
    headings = [c["heading"] for c in flows["columns"]]
    assert "Recipient based in" in headings and "App's developer based in" in headings
    names = dict(real_con.execute("SELECT country_code, country_name FROM companies").fetchall())
    devs = dict(real_con.execute(f"SELECT finding_id, dev FROM ({FINDINGS})").fetchall())
    for row in flows["rows"]:
        dev = devs[row["finding_id"]]
        assert row["app_country_name"] == (names.get(dev, dev) if dev else "")
    companies = real_client.get("/api/v1/views/companies.json?limit=1000").json()["tables"][0]
    assert "Apps' developers based in" in [c["heading"] for c in companies["columns"]]

"""A journalist's workflow: forgiving URLs read as the canonical view, the company filter with its
subsidiaries, search, and the applied-filter chips (AppTest on the fixture and the real data)."""

from __future__ import annotations

from pathlib import Path

import pytest

from chatbot_watch import queries
from chatbot_watch.filters import Filters, parse_query
from chatbot_watch.queries import textsearch
from chatbot_watch.store import events
from tests.apptest import all_text, frames, open_page

OPTIONS = {
    "country": {"KR": "South Korea", "KP": "North Korea", "GB": "United Kingdom", "IT": "Italy"},
    "company": {"bytedance": "ByteDance"},
    "data_type": {},
    "app": {"deepseek": "DeepSeek"},
    "evidence": {"alleged": "Alleged"},
    "action_type": {},
}
ALIASES = {"country": {"korea": "KR", "uk": "GB", "south korea": "KR"}, "app": {"deepseek": "deepseek"}}


@pytest.mark.parametrize(
    ("given", "read"),
    [
        ({"country": ["kr"]}, ("country", ("KR",))),
        ({"country": ["Korea"]}, ("country", ("KR",))),
        ({"country": ["South Korea"]}, ("country", ("KR",))),
        ({"country": ["UK"]}, ("country", ("GB",))),
        ({"country": ["italy", "IT"]}, ("country", ("IT",))),  # the same country twice is kept once
        ({"app": ["DeepSeek"]}, ("app", ("deepseek",))),
        ({"evidence": ["ALLEGED"]}, ("evidence", ("alleged",))),
        ({"company": ["Bytedance"]}, ("company", ("bytedance",))),
    ],
)
def test_url_values_are_read_by_name_alias_and_case(given: dict, read: tuple) -> None:
    result = parse_query(given, OPTIONS, ALIASES)
    name, values = read
    assert getattr(result.filters, name) == values
    # The canonical URL replaces what was typed, and the visitor is told how it was read.
    assert result.filters.to_query() == [(name, v) for v in values]
    if given[name][0] != values[0]:
        assert result.notices and result.notices[0].startswith(f"Read {name.replace('_', ' ')} '{given[name][0]}' as")


def test_unmatched_values_are_still_refused() -> None:
    result = parse_query({"country": ["Narnia"], "app": ["deep"]}, OPTIONS, ALIASES)
    assert result.filters == Filters()
    assert any("Ignored unknown country value(s) 'Narnia'" in n for n in result.notices)
    assert any("Ignored unknown app value(s) 'deep'" in n for n in result.notices)


def test_alias_url_shows_the_canonical_view(use_db: callable, real_db: Path) -> None:
    use_db(real_db)
    at = open_page("overview", country="Korea", app="DeepSeek")
    assert at.query_params["country"] in (["KR"], "KR") and at.query_params["app"] in (["deepseek"], "deepseek")
    notices = " ".join(w.value for w in at.warning)
    assert "Read country" in notices and "South Korea" in notices


def test_company_filter_includes_subsidiaries_and_says_so(use_db: callable, fixture_db: Path) -> None:
    con = queries.connect(str(fixture_db))
    rows = queries.flows(con, Filters(company=("bytedance",)))
    assert set(rows["company_name"]) == {"Volcano Engine"}  # owned by ByteDance; AF-001's recipient
    assert list(queries.company_group(con, ("bytedance",))["name"]) == ["Volcano Engine"]
    assert queries.flows(con, Filters(company=("volcano-engine",)))["finding_id"].unique().tolist() == ["AF-001"]
    use_db(fixture_db)
    at = open_page("flows", company="bytedance")
    assert set(frames(at)[-1]["Recipient"]) == {"Volcano Engine"}
    assert "Company: includes the companies it owns today: Volcano Engine." in all_text(at).replace("\\", "")


def test_company_filter_on_restrictions_covers_its_apps(use_db: callable, real_db: Path) -> None:
    con = queries.connect(str(real_db))
    apps = con.execute(
        """SELECT DISTINCT a.name FROM apps a JOIN companies c ON c.id = a.developer_id
           WHERE list_contains(c.chain_ids, 'bytedance')"""
    ).fetchall()
    owned = {
        n for (n,) in con.execute("SELECT name FROM companies WHERE list_contains(chain_ids, 'bytedance')").fetchall()
    }
    rows = queries.restrictions(con, Filters(company=("bytedance",)))
    assert not rows.empty
    # Each row is about one of ByteDance's apps, or belongs to an action that names ByteDance or a
    # company it owns (such an action lists its other apps too).
    for app, companies in zip(rows["app_name"], rows["companies"], strict=True):
        names = set(companies) if isinstance(companies, list | tuple) or hasattr(companies, "tolist") else set()
        assert app in {a for (a,) in apps} or names & owned, (app, companies)


@pytest.mark.parametrize(
    ("q", "first"),
    [("korea", ("country", "KR")), ("Deep", ("app", "deepseek")), ("volcano", ("company", "volcano-engine")),
     ("af-001", ("finding", "AF-001")), ("UK", ("country", "GB"))],
)  # fmt: skip
def test_search_finds_by_name_alias_and_id(real_db: Path, q: str, first: tuple[str, str]) -> None:
    found = textsearch.search(queries.connect(str(real_db)), q)
    assert (found["kind"].iat[0], found["id"].iat[0]) == first


def test_search_page_links_each_result(use_db: callable, real_db: Path) -> None:
    use_db(real_db)
    at = open_page("search", q="korea")
    links = [(p.proto.label, p.proto.query_string) for p in at.get("page_link")]
    first_label, first_query = links[0]
    assert first_label.replace("\\", "").startswith("Country: South Korea") and first_query == "country=KR"
    at = open_page("search", q="zzzz-nothing")
    assert "Nothing found" in " ".join(i.value for i in at.info)


def test_search_box_opens_the_search_page(use_db: callable, fixture_db: Path) -> None:
    use_db(fixture_db)
    at = open_page("overview")
    at.text_input(key="search_box").input("volcano").run()
    assert "Search" in at.title[0].value
    links = [p.proto.label.replace("\\", "") for p in at.get("page_link")]
    assert "Company: Volcano Engine" in links


def test_several_countries_are_shown_side_by_side(use_db: callable, real_db: Path) -> None:
    use_db(real_db)
    at = open_page("countries", country=["KR", "IT"])
    assert [t.label for t in at.tabs if t.label in ("South Korea", "Italy")] == ["South Korea", "Italy"]
    subheaders = [s.value.replace("\\", "") for s in at.subheader]
    assert "What South Korea's regulators and agencies found" in subheaders
    assert "What Italy's regulators and agencies found" in subheaders


def test_words_not_codes(use_db: callable, real_db: Path) -> None:
    use_db(real_db)
    at = open_page("countries", country="US")
    subheaders = [s.value.replace("\\", "") for s in at.subheader]
    assert "What the United States' regulators and agencies found" in subheaders
    assert any("the United States" in s for s in subheaders)
    companies = frames(open_page("companies"))[0]
    kinds = " ".join(companies["Kind"])
    assert "AI developer" in kinds and "ai_developer" not in kinds and "social_media" not in kinds
    con = queries.connect(str(real_db))
    us = events.events(con, Filters(country=("US",))).rows
    state_rows = us[us["place"].str.contains(r"\(United States\)")]
    assert not state_rows.empty  # a state's action is placed "Texas (United States)"
    assert not any(p.startswith("United States") for p in state_rows["place"])

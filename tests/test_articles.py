"""Charts made for articles (issue 24, item 3): the by-country chart, the readable timeline, and the
PNG/SVG version of every chart with a plain title, a takeaway, a legend readable at 700 px and a
source line naming the exact view's full public URL. Expected values are read from the database."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from chatbot_watch import i18n, queries
from chatbot_watch.datamodel import vocabularies
from chatbot_watch.filters import Filters
from chatbot_watch.queries import chartdata
from chatbot_watch.store import duck
from chatbot_watch.views import articles, charts
from tests.apptest import open_page

BANS = Filters(action_type=("government_device_ban",))
BASE = "https://chatbot-watch.example.org"


def _sql(db: Path, sql: str, params: list[Any] | None = None) -> pd.DataFrame:
    con = duck.connect(db)
    try:
        return con.execute(sql, params or []).df()
    finally:
        con.close()


def _charts(as_of: dt.date, f: Filters) -> dict[str, tuple[Callable[..., Any], Callable[..., Any], tuple]]:
    """Each chart the restrictions page draws: its function, its query and the query's arguments."""
    return {
        "world_map_spec": (charts.world_map_spec, chartdata.map_counts, (f,)),
        "by_country": (charts.by_country, chartdata.by_country, (f,)),
        "actions_by_type": (charts.actions_by_type, chartdata.actions_by_type, (f,)),
        "timeline": (charts.timeline, chartdata.timeline, (f, as_of)),
    }


def _article(db: Path, name: str, f: Filters = BANS, lang: str = "en", page: str = "restrictions") -> dict:
    """The article version of chart `name` of the view, as the app's download makes it."""
    con = queries.connect(str(db))
    try:
        meta = queries.meta(con)
        fn, query, args = _charts(dt.date.fromisoformat(meta["as_of"]), f)[name]
        with i18n.using(lang):
            frame = query(con, *args)
            made = fn(frame)
            spec = made if isinstance(made, dict) else made.to_dict()
            return articles.article(spec, name, frame, page, f, queries.filter_options(con), meta, "Chatbot Watch")
    finally:
        con.close()


def _subtitle(spec: dict) -> list[str]:
    return list(spec["title"]["subtitle"])


def _title(spec: dict) -> str:
    text = spec["title"]["text"]
    return " ".join(text) if isinstance(text, list) else text


def _meta(db: Path) -> dict[str, str]:
    rows = _sql(db, "SELECT key, value FROM meta")
    return dict(zip(rows["key"], rows["value"], strict=True))


# --- what the issue reported, reproduced -------------------------------------------------------


def test_timeline_image_is_titled_by_what_it_shows_not_by_the_site(real_db: Path) -> None:
    # The timeline is a layer chart: its title sat in its layers, and the image was titled "Chatbot Watch".
    con = queries.connect(str(real_db))
    try:
        tl = chartdata.timeline(con, BANS, dt.date.fromisoformat(queries.meta(con)["as_of"]))
    finally:
        con.close()
    spec = charts.for_article(charts.timeline(tl).to_dict(), source="Source")
    assert _title(spec) != "Chatbot Watch"
    assert _title(spec) == " ".join(charts.lines(i18n.gettext("Timeline: from announcement (or effect) to lifting")))
    assert _title(_article(real_db, "timeline")) == "Government-device bans of AI chatbot apps: timeline"


@pytest.mark.parametrize("name", ["world_map_spec", "by_country", "actions_by_type", "timeline"])
def test_source_line_names_the_full_public_url_of_the_view(
    real_db: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    # The map's image said "/?action_type=government_device_ban": no host, and the overview's path.
    monkeypatch.setenv("CHATBOT_WATCH_BASE_URL", BASE + "/")
    meta = _meta(real_db)
    lines = _subtitle(_article(real_db, name))
    assert f"Source: Chatbot Watch, {BASE}/restrictions?action_type=government_device_ban" in lines
    assert f"Data as of {meta['as_of']} · version {meta['data_version']} · {meta['licence']}" in lines
    # The filters by their labels, never their ids.
    label = vocabularies.ACTION_TYPES["government_device_ban"][0]
    assert f"Filters: action type: {label}" in lines
    assert not any("action_type=government_device_ban" in s and "Source" not in s for s in lines)


def test_source_line_says_plainly_when_no_public_address_is_configured(
    real_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CHATBOT_WATCH_BASE_URL", raising=False)
    text = " ".join(_subtitle(_article(real_db, "by_country")))
    assert (
        "Source: Chatbot Watch, /restrictions?action_type=government_device_ban "
        "(no public address is configured for this server)" in text
    )


def test_source_line_keeps_the_language_and_breaks_a_long_url_only_before_an_ampersand(
    real_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHATBOT_WATCH_BASE_URL", BASE)
    f = Filters(action_type=("government_device_ban", "network_block"), country=("KR", "US", "AU", "JP"))
    lines = _subtitle(_article(real_db, "by_country", f, lang="ko"))
    with i18n.using("ko"):
        url = articles.view_url("restrictions", f)
    assert url.startswith(BASE + "/restrictions?") and url.endswith("&lang=ko")
    start = next(i for i, s in enumerate(lines) if s.startswith(BASE))
    joined = "".join(lines[start : start + len(articles._url_lines(url, 104))])
    assert joined == url
    assert all(s.startswith("&") for s in lines[start + 1 : start + len(articles._url_lines(url, 104))])


# --- plain title, takeaway, legend ----------------------------------------------------------------


def test_by_country_image_has_a_plain_title_and_a_takeaway_from_the_data(real_db: Path) -> None:
    spec = _article(real_db, "by_country")
    assert _title(spec) == "Government-device bans of AI chatbot apps, by country"
    per = _sql(
        real_db,
        """SELECT country_code, any_value(country_name) AS name, count(DISTINCT action_id) AS n,
           count(DISTINCT CASE WHEN subdivision IS NULL THEN action_id END) AS national,
           count(DISTINCT CASE WHEN subdivision IS NOT NULL THEN action_id END) AS regional
           FROM app_restrictions WHERE action_type = 'government_device_ban' GROUP BY ALL ORDER BY n DESC""",
    )
    total = int(_sql(real_db, "SELECT count(DISTINCT action_id) FROM app_restrictions "
                     "WHERE action_type = 'government_device_ban'").iat[0, 0])  # fmt: skip
    top = per[per["n"] == per["n"].max()]
    takeaway = _subtitle(spec)[0]
    if len(top) == 1:
        row = top.iloc[0]
        assert takeaway.startswith(f"{row['name']} has the most: {row['n']} of {total}")
        if row["national"] and row["regional"]:
            assert f"({row['national']} national, {row['regional']} by states, provinces or cities)" in takeaway
    else:
        assert f"have the most: {top['n'].iat[0]} each of {total}" in takeaway


@pytest.mark.parametrize("name", ["world_map_spec", "by_country", "actions_by_type", "timeline"])
def test_image_is_700_px_wide_and_its_legend_readable_there(real_db: Path, name: str) -> None:
    spec = _article(real_db, name)
    assert spec["width"] == charts.ARTICLE_WIDTH == 700
    assert spec["autosize"] == {"type": "fit-x", "contains": "padding"}  # legend and labels inside the 700 px
    assert spec["config"]["legend"]["labelFontSize"] >= 11 and spec["config"]["legend"]["titleFontSize"] >= 11
    assert spec["config"]["axis"]["labelFontSize"] >= 11
    import vl_convert

    svg = vl_convert.vegalite_to_svg(charts.inline_map(spec))
    assert re.search(r'<svg[^>]* width="700"', svg)


def test_translated_image_has_its_title_in_the_language(real_db: Path) -> None:
    spec = _article(real_db, "by_country", lang="ko")
    with i18n.using("ko"):
        subject = i18n.gettext(vocabularies.ACTION_TYPE_TITLES["government_device_ban"])
        expected = i18n.gettext(articles.CHART_TITLES["by_country"]).format(subject=subject)
    assert _title(spec) == expected and expected != "Government-device bans of AI chatbot apps, by country"


# --- the by-country chart -------------------------------------------------------------------------


def test_by_country_counts_national_and_subnational_apart(real_db: Path) -> None:
    con = queries.connect(str(real_db))
    try:
        rows = chartdata.by_country(con, BANS)
    finally:
        con.close()
    expected = _sql(
        real_db,
        """SELECT country_code, subdivision IS NOT NULL AS subnational, action_type_label,
           count(DISTINCT action_id) AS actions FROM app_restrictions
           WHERE action_type = 'government_device_ban' GROUP BY ALL""",
    )
    got = rows[["country_code", "subnational", "action_type_label", "actions"]]
    merged = got.merge(expected, on=["country_code", "subnational", "action_type_label"], suffixes=("", "_db"))
    assert len(merged) == len(got) and (merged["actions"] == merged["actions_db"]).all()
    in_view = expected["country_code"].nunique()
    assert rows["countries_in_view"].iat[0] == in_view
    assert rows["country_code"].nunique() == min(in_view, chartdata.BY_COUNTRY_MAX)
    assert rows["all_actions"].iat[0] == expected["actions"].sum()


def test_by_country_chart_draws_each_level_as_its_own_bar(real_db: Path) -> None:
    con = queries.connect(str(real_db))
    try:
        rows = chartdata.by_country(con, BANS)
    finally:
        con.close()
    spec = charts.by_country(rows).to_dict()
    (data,) = spec["datasets"].values()
    bars = {d["row"] for d in data}
    names = dict(zip(rows["country_code"], rows["country_name"], strict=True))
    for code, sub in set(zip(rows["country_code"], rows["subnational"], strict=True)):
        row = charts.REGIONAL_ROW.format(country=names[code]) if sub else names[code]
        assert row in bars
    assert spec["encoding"]["color"]["field"] == "action_type_label"
    assert spec["encoding"]["y"]["sort"] == list(dict.fromkeys(d["row"] for d in data))


def test_restrictions_page_draws_the_by_country_chart_and_says_what_it_leaves_out(
    use_db: Callable, real_db: Path
) -> None:
    use_db(real_db)
    at = open_page("restrictions")
    specs = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    assert any(s.get("encoding", {}).get("y", {}).get("field") == "row" for s in specs)
    in_view = int(_sql(real_db, "SELECT count(DISTINCT country_code) FROM app_restrictions").iat[0, 0])
    captions = " ".join(c.value for c in at.caption)
    if in_view > chartdata.BY_COUNTRY_MAX:
        left = in_view - chartdata.BY_COUNTRY_MAX
        assert f"{left} more {'country' if left == 1 else 'countries'} not shown" in captions


# --- the timeline ---------------------------------------------------------------------------------


def test_timeline_rows_name_apps_grouped_by_country_with_dates_above_and_below(real_db: Path) -> None:
    con = queries.connect(str(real_db))
    try:
        tl = chartdata.timeline(con, BANS, dt.date.fromisoformat(queries.meta(con)["as_of"]))
    finally:
        con.close()
    spec = charts.timeline(tl).to_dict()
    (data,) = spec["datasets"].values()
    assert len(data) == min(len(tl), charts.TIMELINE_ROWS)
    drawn = {d["action_id"] for d in data}
    assert drawn == set(tl["action_id"].iloc[-charts.TIMELINE_ROWS :])  # the most recent
    apps = _sql(
        real_db,
        "SELECT action_id, app_name FROM app_restrictions WHERE action_id IN (SELECT unnest($1::VARCHAR[]))",
        [sorted(drawn)],
    )
    labels = json.loads(spec["layer"][0]["encoding"]["y"]["axis"]["labelExpr"].removesuffix("[datum.value]"))
    by_key = {d["key"]: d for d in data}
    for key, label in labels.items():
        action = by_key[key]["action_id"]
        assert action not in label  # the id is in the tooltip, not the label
        first_app = sorted(apps.loc[apps["action_id"] == action, "app_name"].dropna())
        if first_app:
            assert first_app[0] in label
    # Grouped: each country's rows are together.
    countries = [d["country"] for d in data]
    for country in set(countries):
        at = [i for i, c in enumerate(countries) if c == country]
        assert at == list(range(at[0], at[-1] + 1)), country
    orients = {layer["encoding"]["x"]["axis"]["orient"] for layer in spec["layer"]}
    assert orients == {"top", "bottom"}
    assert any(t["title"] == "Record" and t["field"] == "action_id" for t in spec["layer"][0]["encoding"]["tooltip"])


def test_timeline_says_how_many_actions_it_does_not_draw(use_db: Callable, real_db: Path) -> None:
    use_db(real_db)
    at = open_page("restrictions", action_type=["government_device_ban"])
    dated = _sql(
        real_db,
        """SELECT count(DISTINCT action_id) FILTER (WHERE coalesce(effective_day, announced_day) IS NOT NULL)
           FROM app_restrictions WHERE action_type = 'government_device_ban'""",
    ).iat[0, 0]
    captions = " ".join(c.value for c in at.caption).replace("\\", "")
    left = int(dated) - min(int(dated), charts.TIMELINE_ROWS)
    if left:
        word = "action" if left == 1 else "actions"
        assert f"{left} more {word} not shown: narrow the filters or download the table." in captions


# --- the exported image ---------------------------------------------------------------------------


def test_exported_svg_of_the_device_bans_view_carries_title_takeaway_and_source(
    real_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import vl_convert

    monkeypatch.setenv("CHATBOT_WATCH_BASE_URL", BASE)
    spec = _article(real_db, "by_country")
    svg = vl_convert.vegalite_to_svg(spec)
    # A title's lines are <text>, a subtitle's lines <tspan>s of one <text>.
    texts = [t.replace("&amp;", "&") for t in re.findall(r"<t(?:ext|span)[^>]*>([^<]*)</t(?:ext|span)>", svg)]
    assert "Government-device bans of AI chatbot apps, by country" in texts
    assert f"Source: Chatbot Watch, {BASE}/restrictions?action_type=government_device_ban" in texts
    assert _subtitle(spec)[0] in texts  # the takeaway
    png = vl_convert.vegalite_to_png(spec, scale=1)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    timeline = vl_convert.vegalite_to_svg(_article(real_db, "timeline"))
    assert "Government-device bans of AI chatbot apps: timeline" in timeline
    assert not re.search(r">[^<]*CA-\d+[^<]*</text>", timeline)  # no record id as a label


def test_images_say_what_they_leave_out(real_db: Path) -> None:
    # The by-country chart draws the countries with the most actions, the timeline the most recent
    # dated actions: each image says how many it leaves out.
    everything = Filters()
    countries = int(_sql(real_db, "SELECT count(DISTINCT country_code) FROM app_restrictions").iat[0, 0])
    lines = " ".join(_subtitle(_article(real_db, "by_country", everything)))
    left = countries - min(countries, chartdata.BY_COUNTRY_MAX)
    if left:
        word = "country" if left == 1 else "countries"
        assert f"{left} more {word} with fewer actions not shown." in lines
    else:
        assert "not shown" not in lines
    dated = int(
        _sql(
            real_db,
            "SELECT count(DISTINCT action_id) FROM app_restrictions "
            "WHERE coalesce(effective_day, announced_day) IS NOT NULL",
        ).iat[0, 0]
    )
    lines = " ".join(_subtitle(_article(real_db, "timeline", everything)))
    if dated > charts.TIMELINE_ROWS:
        assert f"Drawn: the {charts.TIMELINE_ROWS} most recent dated actions, grouped by country." in lines

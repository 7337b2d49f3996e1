"""Page tests (AppTest): the values a visitor sees for given URLs and filters, and the chart specs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chatbot_watch.store import duck
from chatbot_watch.store.build import build
from tests.apptest import all_text, cell_values, frames, heatmap_layer, open_page, specs
from tests.test_text_safety import shown

PAGES = ["overview", "flows", "restrictions", "countries", "apps", "companies", "about"]


def test_overview_headline_figures(use_db: callable, fixture_db: Path) -> None:
    use_db(fixture_db)
    at = open_page("overview")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {
        "Restrictions in force": "2",  # IT's processing limitation, Texas's device ban
        "Jurisdictions restricting": "1",  # IT: Texas is a state, counted apart
        "Apps with recorded findings": "1",
        "Findings confirmed": "1 of 2",  # the same words as the server-rendered page
    }
    # The map's data: one row per jurisdiction with the ISO numeric id the TopoJSON uses.
    world = [s for s, _ in specs(at) if s.get("projection", {}).get("type") == "equalEarth"]
    assert world, "no world map"
    assert world[0]["data"]["url"] == "app/static/countries-110m.json"  # served, never inlined
    lookup = world[0]["layer"][1]["transform"][0]
    assert lookup["lookup"] == "id" and "country_code" in lookup["from"]["fields"]


def test_flows_page_values_and_chart(use_db: callable, fixture_db: Path) -> None:
    use_db(fixture_db)
    at = open_page("flows", app="deepseek")
    table = frames(at)[-1]
    assert len(table) == 3
    assert cell_values(table, "Recipient") == {"Volcano Engine"}
    assert cell_values(table, "Ownership chain") == {"Volcano Engine → ByteDance"}
    assert cell_values(table, "Evidence") == {"Confirmed by a regulator", "Alleged"}
    assert cell_values(table, "Source") >= {
        "https://www.gadgets360.com/ai/news/south-korea-spy-agency-deepseek-excessively-collects-personal-data-7683638/amp"
    }
    heatmaps = [s for s, _ in specs(at) if heatmap_layer(s)]
    assert heatmaps and heatmap_layer(heatmaps[0])["encoding"]["x"]["title"] == "Recipient company"
    assert heatmap_layer(heatmaps[0])["encoding"]["color"]["scale"]["range"][0] == "#0072B2"


def test_evidence_filter_narrows_flows(use_db: callable, fixture_db: Path) -> None:
    use_db(fixture_db)
    at = open_page("flows", evidence="alleged")
    table = frames(at)[-1]
    assert list(table["Finding"]) == ["AF-004"]
    assert "None of the matching findings names a recipient company; they are listed below." in all_text(at)


def test_restrictions_by_country(use_db: callable, fixture_db: Path) -> None:
    use_db(fixture_db)
    at = open_page("restrictions", country="IT")
    table = frames(at)[-1]
    assert list(table["Action"]) == ["CA-010"]
    assert list(table["Type"]) == ["Processing limitation order"]
    timeline = [s for s, _ in specs(at) if any(la.get("encoding", {}).get("x2") for la in s.get("layer", [s]))]
    assert timeline, "no timeline chart"


def test_country_with_nothing_recorded_says_so(use_db: callable, fixture_db: Path) -> None:
    use_db(fixture_db)
    at = open_page("countries", country="FI")
    text = all_text(at)
    assert "Finland" in text
    assert "No government action in Finland recorded as of 2026-06-30." in text


def test_filters_survive_a_page_switch(use_db: callable, fixture_db: Path) -> None:
    use_db(fixture_db)
    at = open_page("overview", country="KR")
    # KR's one action (lifted) is no restriction in force, and no data goes to KR.
    assert [m.value for m in at.metric] == ["0", "0", "0", "0 of 0"]
    at.switch_page("pages/restrictions.py").run()
    assert list(frames(at)[-1]["Action"]) == ["CA-001"]
    # The sidebar widget itself still holds KR (app.py drew it on this page too), and so does the URL.
    assert at.multiselect(key="country").value == ["KR"]
    assert at.query_params["country"] == ["KR"] or at.query_params["country"] == "KR"


def test_unknown_url_values_show_a_notice(use_db: callable, fixture_db: Path) -> None:
    use_db(fixture_db)
    at = open_page("overview", country=["KR", "ZZ"], app="<b>x</b>", since="never")
    warnings = " ".join(shown(w.value) for w in at.warning)  # escaped markdown: text only
    assert "Ignored unknown country value(s) 'ZZ'" in warnings
    assert "Ignored unknown app value(s) '<b>x</b>'" in warnings
    assert "Ignored 'since=never'" in warnings
    at.switch_page("pages/restrictions.py").run()
    assert list(frames(at)[-1]["Action"]) == ["CA-001"]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_shows_as_of_and_version(use_db: callable, fixture_db: Path, page: str) -> None:
    use_db(fixture_db)
    at = open_page(page, country="KR", app="deepseek")
    # The newest event the fixture records (CA-001 lifted 2025-04-28) and the review date, apart.
    line = "Newest event recorded: 2025-04-28 · sources reviewed up to 2026-06-30 · version"
    assert any(line in shown(c.value) for c in at.caption)


# --- real data: the questions each page must answer --------------------------------------------


def test_real_korea_profile(use_db: callable, real_db: Path) -> None:
    use_db(real_db)
    at = open_page("countries", country="KR")
    restrictions, findings = frames(at)[0], frames(at)[1]
    suspension = restrictions[restrictions["Action"] == "CA-001"].iloc[0]
    assert suspension["Type"] == "Download suspension" and suspension["App"] == "DeepSeek"
    assert suspension["Effective"] == "2025-02-15" and suspension["Lifted"] == "2025-04-28"
    # The ministries' February 2025 bans on work computers are government-device bans (data/README.md's rule).
    bans = restrictions[restrictions["Type"] == "Government-device ban"]
    assert any("Ministry" in a for a in bans["Authority"])
    pipc = findings[findings["Finding"] == "AF-001"].iloc[0]
    assert "PIPC" in pipc["Examined by"] and "Volcano Engine" in pipc["Recipients named"]
    assert pipc["Ownership chain"] == "Volcano Engine → ByteDance"


def test_real_italy_restrictions(use_db: callable, real_db: Path) -> None:
    use_db(real_db)
    at = open_page("restrictions", country="IT")
    table = frames(at)[-1]
    garante = table[table["Authority"] == "Garante per la protezione dei dati personali"]
    assert {"CA-010", "CA-012", "CA-013"} <= set(garante["Action"])
    assert set(table["Jurisdiction"]) == {"Italy"}


@pytest.mark.parametrize("page", ["flows", "apps"])
def test_real_deepseek_flows_show_volcano_engine_bytedance(use_db: callable, real_db: Path, page: str) -> None:
    use_db(real_db)
    at = open_page(page, app="deepseek")
    chains = set().union(*(cell_values(df, "Ownership chain") for df in frames(at)))
    assert "Volcano Engine → ByteDance" in chains


def test_real_companies_show_bytedance_chain(use_db: callable, real_db: Path) -> None:
    use_db(real_db)
    at = open_page("companies")
    table = frames(at)[0]
    assert "Volcano Engine → ByteDance" in set(table["Ownership chain"])
    assert "TikTok → ByteDance" in set(table["Ownership chain"])


def test_data_type_and_date_filters(use_db: callable, fixture_db: Path) -> None:
    use_db(fixture_db)
    at = open_page("flows", data_type="keystroke_patterns")
    assert list(frames(at)[-1]["Finding"]) == ["AF-004"]
    at = open_page("restrictions", since="2025-02-01")
    # CA-010 (2025-01-30) and CA-050 (January 2025, counted from its first day) fall before the range.
    assert list(frames(at)[-1]["Action"]) == ["CA-001"]
    at = open_page("restrictions", until="2025-01-31")
    assert sorted(frames(at)[-1]["Action"]) == ["CA-010", "CA-050"]


def test_capped_heatmap_says_what_it_leaves_out(use_db: callable, tmp_path: Path) -> None:
    from chatbot_watch.queries import chartdata
    from chatbot_watch.tools import synth

    synth.generate(tmp_path / "x3", scale=3, seed=5)
    db = tmp_path / "x3.duckdb"
    build(tmp_path / "x3", db)
    use_db(db)
    con = duck.connect(db)
    apps, companies = con.execute(
        "SELECT count(DISTINCT app_id), count(DISTINCT company_id) FROM flows WHERE company_id IS NOT NULL"
    ).fetchone()
    con.close()
    assert apps > chartdata.MATRIX_MAX_APPS  # the data this test needs
    at = open_page("flows")
    shown = frames(at)[0]  # the heatmap's table tab
    assert shown["App"].nunique() <= chartdata.MATRIX_MAX_APPS
    assert shown["Recipient"].nunique() <= chartdata.MATRIX_MAX_COMPANIES
    note = f"of {apps} apps and {companies} companies that match the filters"
    assert any(note in c.value for c in at.caption), [c.value for c in at.caption]
    # Below the cap, no such note.
    at = open_page("flows", app="synthetic-app-00001")
    assert not any("that match the filters" in c.value for c in at.caption)


def test_about_shows_how_citable_the_records_are(use_db: callable, data_copy: Path, tmp_path: Path) -> None:
    # Issue 22: the shares check-sources prints, on the About page, from the build's own counts. One of
    # the fixture's two findings is made cite-ready (a direct source first, language stated, its
    # decision named); the other and the three actions are not.
    text = (data_copy / "findings.yaml").read_text(encoding="utf-8")
    quote = (
        "    quote: Among the data transferred were AI prompt inputs, along with device, network, and app information."
    )
    quote += "\n"
    text = text.replace(quote, quote + "    language: en\n    kind: direct\n", 1).replace(
        "  evidence_status: confirmed_by_regulator\n  sources:\n",
        "  evidence_status: confirmed_by_regulator\n  primary_documents:\n  - issuer: PIPC\n    title: Decision\n"
        "    access: not_read\n  sources:\n",
        1,
    )
    (data_copy / "findings.yaml").write_text(text, encoding="utf-8")
    db = tmp_path / "about.duckdb"
    build(data_copy, db)
    use_db(db)
    at = open_page("about")
    table = next(t for t in frames(at) if "Primary document named" in t.columns)
    assert table.to_dict(orient="records") == [
        {
            "Records": "Government actions",
            "Number": "3",
            "Main source in the authority's own words": "0 (0 %)",
            "Main source primary / direct / secondary / not reviewed": "0 / 0 / 0 / 3",
            "Quote language stated (translated when not English)": "0 (0 %)",
            "Primary document named": "0 (0 %)",
            "All three": "0 (0 %)",
        },
        {
            "Records": "Findings",
            "Number": "2",
            "Main source in the authority's own words": "1 (50 %)",
            "Main source primary / direct / secondary / not reviewed": "0 / 1 / 0 / 1",
            "Quote language stated (translated when not English)": "1 (50 %)",
            "Primary document named": "1 (50 %)",
            "All three": "1 (50 %)",
        },
    ]


@pytest.mark.parametrize("page, params", [("countries", {"country": "KR"}), ("restrictions", {}), ("overview", {})])
def test_every_date_column_keeps_the_width_of_a_whole_date(
    use_db: callable, real_db: Path, page: str, params: dict[str, str]
) -> None:
    """Issue 24, item 5: a short heading ("Lifted") sized its date column too narrow, and dates
    showed as "2025-04-2…". Every date column of every table is given ui.tables.DATE_WIDTH, which
    tests/test_browser.py measures a whole date against in the grid's font."""
    from chatbot_watch.ui.tables import DATE_COLUMNS, DATE_WIDTH
    from chatbot_watch.views import columns

    date_headings = {str(h) for table in vars(columns).values() if isinstance(table, dict)
                     for c, h in table.items() if c in DATE_COLUMNS}  # fmt: skip
    use_db(real_db)
    at = open_page(page, **params)
    seen = 0
    for d in at.dataframe:
        config = json.loads(d.proto.columns or "{}")
        for heading in d.value.columns:
            if heading in date_headings:
                seen += 1
                assert config.get(heading, {}).get("width") == DATE_WIDTH, (page, heading)
    assert seen, f"no date column on {page}"

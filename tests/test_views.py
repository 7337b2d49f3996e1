"""One view, three renderings: for every page and a set of filters, the Streamlit page (AppTest),
the server-rendered HTML page and the API's view JSON (`/api/v1/views/<page>.json`) say the same
heading, figures, table captions and column headings, chart titles, captions and data headings,
because all three draw one views.View.

The HTML and the API are asked in-process (tests/asgi.py) on the fixture database the app reads."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

import pytest

from chatbot_watch import views
from tests.apptest import frames, open_page, specs
from tests.asgi import Client, web_app
from tests.test_embeds import title_of
from tests.test_text_safety import shown

URLS: list[tuple[str, dict[str, list[str]]]] = [
    ("overview", {}),
    ("overview", {"country": ["IT"]}),
    ("flows", {}),
    ("flows", {"app": ["deepseek"]}),
    ("restrictions", {}),
    ("restrictions", {"country": ["IT"], "action_type": ["processing_limitation"]}),
    ("restrictions", {"action_type": ["government_device_ban"]}),
    ("countries", {}),
    ("countries", {"country": ["KR"]}),
    ("countries", {"country": ["KR", "IT"]}),
    ("apps", {}),
    ("apps", {"app": ["deepseek"]}),
    ("companies", {}),
    # The developer's country (issue 24, item 8): the China question as one URL
    ("flows", {"app_country": ["CN"]}),
    ("companies", {"country": ["CN"], "country_role": ["based_in"], "not_app_country": ["CN"]}),
    ("about", {}),
    ("search", {"q": ["deepseek"]}),
    ("record", {"id": ["CA-001"]}),
    # The same agreement in the other languages (issue 25).
    ("overview", {"lang": ["ko"]}),
    ("countries", {"country": ["KR"], "lang": ["ko"]}),
    ("record", {"id": ["CA-001"], "lang": ["ko"]}),
    ("restrictions", {"lang": ["it"]}),
    ("apps", {"app": ["deepseek"], "lang": ["ja"]}),
    ("flows", {"lang": ["zh-Hant"]}),
    # A chronology of events (issue 24, item 4): a country's, an app's and its country's in a period,
    # a company's, a record's.
    ("countries", {"country": ["KR"], "app": ["deepseek"], "since": ["2025-02"], "until": ["2025-05"]}),
    ("companies", {"company": ["deepseek"]}),
    ("record", {"id": ["app:deepseek"]}),
    ("record", {"id": ["AF-001"], "lang": ["it"]}),
]
# Tables the app draws as something else than a grid (a record's fields and sources as text, search
# results as links): their captions are compared, not their headings.
NOT_GRIDS = {"fields", "documents", "sources", "results"}


class _Page(HTMLParser):
    """What the HTML page says: h1, figures (dt, dd), section headings, each table's headings, notes."""

    def __init__(self) -> None:
        super().__init__()
        self.h1 = ""
        self.figures: list[tuple[str, str]] = []
        self.headings: list[str] = []
        self.tables: list[list[str]] = []
        self.notes: list[str] = []
        self._tag, self._text = "", ""

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "table":
            self.tables.append([])
        if tag in ("h1", "h2", "h3", "dt", "dd", "th") or (tag == "p" and ("class", "cw-note") in attrs):
            self._tag, self._text = tag, ""

    def handle_data(self, data: str) -> None:
        if self._tag:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag != self._tag:
            return
        text, self._tag = self._text.strip(), ""
        if tag == "h1":
            self.h1 = text
        elif tag in ("h2", "h3"):
            self.headings.append(text)
        elif tag == "dt":
            self.figures.append((text, ""))
        elif tag == "dd":
            self.figures[-1] = (self.figures[-1][0], text)
        elif tag == "th":
            self.tables[-1].append(text)
        elif tag == "p":
            self.notes.append(text)


def _html(text: str) -> _Page:
    root = text.split('<div id="root">', 1)[1]
    p = _Page()
    p.feed(root)
    return p


@pytest.fixture(scope="module")
def client(fixture_db: Path) -> Client:
    with pytest.MonkeyPatch.context() as mp:
        yield Client(web_app(mp, fixture_db))


@pytest.mark.parametrize(("page", "params"), URLS, ids=[f"{p}?{urlencode(q, doseq=True)}" for p, q in URLS])
def test_the_app_the_html_page_and_the_api_say_the_same(
    client: Client, use_db: callable, fixture_db: Path, page: str, params: dict[str, list[str]]
) -> None:
    query = urlencode(params, doseq=True)
    path = views.PAGE_BY_KEY[page].path
    api = client.get(f"/api/v1/views/{page}.json?{query}")
    assert api.status == 200, api.text
    v = api.json()
    html = _html(client.get(f"{path}?{query}").text)
    use_db(fixture_db)
    at = open_page(page, **params)

    # The heading
    assert shown(at.title[0].value) == html.h1 == v["heading"]
    # The figures, in order (a country's tab after the page's own)
    figures = [(f["label"], f["value"]) for f in v["figures"]]
    assert [(shown(m.label), shown(m.value)) for m in at.metric] == figures
    assert html.figures == figures
    # Each table: its caption on the app's page and in the HTML, its headings as the app's grid's.
    app_headings = {shown(s.value) for s in at.subheader}
    grids = [list(df.columns) for df in frames(at)]
    for t in v["tables"]:
        headings = [c["heading"] for c in t["columns"]]
        if t["row_count"] == 0:
            continue
        assert t["caption"] in html.headings
        if t["name"] not in ("facts",):
            assert t["caption"] in app_headings, (t["caption"], app_headings)
        if t["name"] in NOT_GRIDS:
            continue
        assert any([h for h in grid if h in headings] == headings for grid in grids), (t["name"], headings, grids)
        # The HTML page shows some of the same columns, under the same headings, in the same order.
        assert any(cols and cols == [h for h in headings if h in cols] for cols in html.tables), (
            t["name"],
            html.tables,
        )
    # Each chart: its title drawn in the app and heading its section of the HTML page, its caption
    # under it in both, its data's headings as the app's Table tab's and the HTML table's.
    drawn = [title_of(spec) for spec, _proto in specs(at)]
    captions = {shown(c.value) for c in at.caption}
    for ch in v["charts"]:
        headings = [c["heading"] for c in ch["columns"]]
        assert ch["title"] in html.headings, (ch["name"], html.headings)
        if ch["row_count"] == 0:
            assert not ch["instead"] or ch["instead"] in html.notes
            continue
        assert ch["title"] in drawn, (ch["name"], drawn)
        assert ch["caption"] in captions and ch["caption"] in html.notes, ch["name"]
        assert any([h for h in grid if h in headings] == headings for grid in grids), (ch["name"], headings, grids)
        assert headings in html.tables, (ch["name"], headings, html.tables)
    assert len(drawn) == len([ch for ch in v["charts"] if ch["row_count"]])  # no chart the view does not declare


def test_a_views_rows_are_paged_and_its_filters_checked(client: Client) -> None:
    v = client.get("/api/v1/views/restrictions.json?limit=1&offset=1").json()
    t = v["tables"][0]
    assert t["name"] == "restrictions" and t["limit"] == 1 and t["offset"] == 1 and len(t["rows"]) == 1
    assert t["row_count"] > 1 and set(t["rows"][0]) == {c["column"] for c in t["columns"]}
    bad = client.get("/api/v1/views/restrictions.json?country=ZZ")
    assert bad.status == 400 and bad.json()["parameter"] == "country"
    assert client.get("/api/v1/views/nothing.json").status == 404
    assert client.get("/api/v1/views/search.json?q=deepseek").json()["tables"][0]["row_count"] >= 1


def test_every_page_is_declared_once_with_its_builder() -> None:
    assert [m.PAGE.key for m in views.MODULES] == list(views.PAGE_BY_KEY)
    for m in views.MODULES:
        assert callable(m.build) and m.PAGE.path in views.PAGES
        assert (
            Path(f"pages/{m.PAGE.key}.py").exists()
            or (Path(__file__).parents[1] / "pages" / f"{m.PAGE.key}.py").exists()
        )


@pytest.mark.parametrize("params", [{}, {"country": ["IT"]}])
def test_the_app_index_counts_what_each_report_card_shows(
    use_db: callable, fixture_db: Path, params: dict[str, list[str]]
) -> None:
    """Issue 24, item 5: /apps is an index with counts, not an empty picker; each row's figures
    are those of the app's own report card under the same filters."""
    use_db(fixture_db)
    index = next(df for df in frames(open_page("apps", **params)) if "Government actions" in df.columns)
    assert len(index) >= 2
    compared = 0
    for row in index.itertuples(index=False):
        app = dict(zip(index.columns, row, strict=True))
        if app["Findings"] == 0 and app["Government actions"] == 0:
            continue
        use_db(fixture_db)
        card = open_page("apps", **params, app=[app["App"]])
        figures = {shown(m.label): shown(m.value) for m in card.metric}
        assert (figures["Findings"], figures["Government actions"], figures["In force"]) == (
            str(app["Findings"]),
            str(app["Government actions"]),
            str(app["In force"]),
        ), app["App"]
        compared += 1
    assert compared >= 1


def test_a_records_preview_states_its_claim_and_shows_its_own_card(client: Client, fixture_db: Path) -> None:
    """Issue 24, item 6: a finding's and an action's description says who did what to which app,
    when and how sure (or whether in force); each has an image of its own naming it (a card, not
    the world map)."""
    from chatbot_watch import queries
    from chatbot_watch.queries import recordpage
    from chatbot_watch.web import previews

    con = queries.connect(str(fixture_db))
    try:
        meta, options = queries.meta(con), queries.filter_options(con)
        images = {}
        for rid, kind in (("AF-001", "finding"), ("CA-001", "action")):
            s = recordpage.record_summary(con, kind, rid)
            v = views.view(con, meta, options, "/record", {"id": [rid]})
            assert v.description.startswith(f"{s['who']} ")  # who
            assert s["apps"] in v.description and s["date"] in v.description  # which app, when
            if kind == "finding":
                assert s["status"] in v.description  # how sure
            spec = json.dumps(previews.chart_spec(con, v), ensure_ascii=False)
            assert rid in spec and s["who"] in spec and "geoshape" not in spec
            images[rid] = client.get(v.image)
            assert images[rid].status == 200 and images[rid].headers.get("content-type") == "image/png"
        assert images["AF-001"].body != images["CA-001"].body
    finally:
        con.close()

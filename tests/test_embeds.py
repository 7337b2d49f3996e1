"""Embeds (issue 24, item 7): a page opened in a frame outside embed mode answers a small framable
page saying how to embed (never the browser's broken-frame icon); embed mode stays framable; a
part of a view (`embed=true&part=<name>`) is shown alone. Web tests in-process (tests/asgi.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from chatbot_watch import views
from chatbot_watch.web import embeds
from tests.apptest import new_app, open_page, specs, start
from tests.asgi import Client, web_app
from tests.test_text_safety import shown

FRAMED = {"Sec-Fetch-Dest": "iframe"}


@pytest.fixture(scope="module")
def client(fixture_db: Path) -> Iterator[Client]:
    with pytest.MonkeyPatch.context() as mp:
        yield Client(web_app(mp, fixture_db))


@pytest.mark.parametrize("path", list(views.PAGES))
def test_a_framed_page_outside_embed_mode_says_how_to_embed(client: Client, path: str) -> None:
    answer = client.get(f"{path}?lang=ko", headers=FRAMED)
    assert answer.status == 200
    csp = answer.headers["content-security-policy"]
    assert "frame-ancestors *" in csp and "script-src" not in csp and "default-src 'none'" in csp
    assert "x-frame-options" not in answer.headers
    assert "sec-fetch-dest" in answer.headers["vary"].lower()
    assert "<script" not in answer.text
    assert f'href="{path}?lang=ko" target="_blank" rel="noopener"' in answer.text
    assert 'lang="ko"' in answer.text  # in the reader's language


def test_the_same_page_unframed_or_in_embed_mode_is_the_page(client: Client) -> None:
    plain = client.get("/flows?app=deepseek")
    assert "frame-ancestors 'none'" in plain.headers["content-security-policy"]
    assert plain.headers["x-frame-options"] == "DENY"
    assert "cw-first-paint" in plain.text
    embedded = client.get("/flows?app=deepseek&embed=true", headers=FRAMED)
    assert "frame-ancestors *" in embedded.headers["content-security-policy"]
    assert "x-frame-options" not in embedded.headers
    assert "cw-first-paint" in embedded.text  # the page itself, not the notice
    # A frame of something that is no page (a script, the API) is not answered with the notice
    api = client.get("/api/v1/flows.json?limit=1", headers=FRAMED)
    assert api.headers["content-type"] == "application/json"


def test_the_notice_keeps_what_the_url_carries_as_text(client: Client) -> None:
    answer = client.get('/flows?app=%3Cscript%3Ealert(1)%3C/script%3E&x="><img src=x>', headers=FRAMED)
    assert answer.status == 200
    assert "<script>" not in answer.text and "<img" not in answer.text


def test_an_embed_code_names_one_part_and_is_sized_to_it() -> None:
    code = embeds.iframe("https://example.org/flows?app=deepseek", "flows", 'A "title"', embeds.part_height(3))
    assert 'src="https://example.org/flows?app=deepseek&amp;embed=true&amp;part=flows"' in code
    assert f'height="{embeds.part_height(3)}"' in code and "&quot;title&quot;" in code
    assert embeds.part_height(3) < embeds.part_height(100) == embeds.part_height(embeds.TABLE_ROWS_SHOWN)
    assert embeds.part_height(chart="matrix", chart_height=300) < embeds.part_height(chart="matrix", chart_height=900)


def title_of(spec: dict) -> str:
    """A drawn chart's title as one line (a title may carry a subtitle, and long ones are wrapped)."""
    title = spec.get("title") or next((layer["title"] for layer in spec.get("layer", []) if "title" in layer), None)
    text = title.get("text") if isinstance(title, dict) else title
    return " ".join(text) if isinstance(text, list) else str(text)


def _embedded(page: str, part: str) -> AppTest:
    at = new_app()
    at.context = {"is_embedded": True}
    at.query_params["embed"] = "true"
    at.query_params["part"] = part
    at.query_params["app"] = "deepseek"
    start(at, page)
    assert not at.exception, [e.value for e in at.exception]
    return at


def _view(db: Path, page: str) -> views.View:
    from chatbot_watch import queries

    con = queries.connect(str(db))
    try:
        return views.view(
            con, queries.meta(con), queries.filter_options(con), views.PAGE_BY_KEY[page].path, {"app": ["deepseek"]}
        )
    finally:
        con.close()


def test_a_table_part_is_shown_alone(use_db: callable, fixture_db: Path) -> None:
    use_db(fixture_db)
    v = _view(fixture_db, "flows")
    table = v.table("flows")
    at = _embedded("flows", "flows")
    assert [shown(s.value) for s in at.subheader] == [table.caption]
    assert len(at.dataframe) == 1 and len(at.dataframe[0].value) == table.total
    assert not at.metric and not specs(at)  # no figures, no chart: the table alone
    assert not [b for b in at.button if b.label.startswith(("Cite this view", "Embed"))]
    line = shown(at.caption[0].value)
    assert v.heading in line and v.date_line in line and "/flows?app=deepseek" in at.caption[0].value


def test_a_chart_part_is_shown_alone(use_db: callable, fixture_db: Path) -> None:
    use_db(fixture_db)
    at = _embedded("flows", "evidence")
    chart = _view(fixture_db, "flows").chart("evidence")
    drawn = specs(at)
    # The chart alone, under the title its view declares, with its data as a table in the next tab.
    assert len(drawn) == 1 and title_of(drawn[0][0]) == chart.title and not at.subheader
    assert len(at.dataframe) == 1 and len(at.dataframe[0].value) == chart.table.total and not at.metric
    assert shown(at.caption[1].value) == chart.caption


def test_every_chart_a_view_declares_is_a_part_an_embed_shows(use_db: callable, fixture_db: Path) -> None:
    use_db(fixture_db)
    v = _view(fixture_db, "restrictions")
    assert [c.name for c in v.charts] == ["map", "by_country", "by_type", "timeline"]
    for chart in v.charts:
        at = _embedded("restrictions", chart.name)
        assert not at.warning, chart.name  # a part the page has
        drawn = specs(at)
        assert len(drawn) == (0 if chart.empty else 1) and (not drawn or title_of(drawn[0][0]) == chart.title)


def test_an_unknown_part_names_the_parts(use_db: callable, fixture_db: Path) -> None:
    use_db(fixture_db)
    at = _embedded("flows", "nonsense<b>")
    text = " ".join(shown(w.value) for w in at.warning)
    assert "no part called 'nonsense<b>'" in text
    assert all(p in text for p in ("flows", "matrix", "evidence"))


def test_every_chart_and_table_has_an_embed_control(use_db: callable, fixture_db: Path) -> None:
    use_db(fixture_db)
    at = open_page("flows", app="deepseek")
    v = _view(fixture_db, "flows")
    charts = [b for b in at.button if b.label == "Embed this chart"]
    tables = [b for b in at.button if b.label == "Embed this table"]
    assert (len(charts), len(tables)) == (len([c for c in v.charts if not c.empty]), len(v.tables))
    embed = tables
    embed[-1].click().run()  # the table's: the iframe code of that table alone
    code = next(c.value for c in at.code if "<iframe" in c.value)
    assert "embed=true&amp;part=flows" in code and "app=deepseek" in code
    assert f'height="{embeds.part_height(v.table("flows").total)}"' in code

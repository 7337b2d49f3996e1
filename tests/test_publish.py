"""The static edition (issue 23, item 4): `publish` writes every sitemap page as plain HTML whose
every internal link resolves, whose text is the live first paint's, with the API's files, the
feeds, the sitemap and link-preview images. On the fixture database, in-process (no server)."""

from __future__ import annotations

import dataclasses
import html
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from chatbot_watch import queries
from chatbot_watch.config import load_settings
from chatbot_watch.web import firstpaint, previews, publish
from tests.conftest import built_once

BASE = "https://live.example.org"
HREF = re.compile(r'href="([^"]*)"')
TAG = re.compile(r"<[^>]+>")


@pytest.fixture(scope="module")
def edition(fixture_db: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, publish.Published]:
    """The fixture database's static edition, published once per run (each worker reads a copy)."""

    def make(root: Path) -> Path:
        root.mkdir(exist_ok=True)
        done = publish.publish(publish.settings_for(load_settings(), fixture_db), root / "site", BASE, images=True)
        (root / "published.json").write_text(json.dumps({**dataclasses.asdict(done), "out": None}), encoding="utf-8")
        return root / "site"

    out = built_once(tmp_path_factory, "static-edition", make)
    done = json.loads((out.parent / "published.json").read_text(encoding="utf-8"))
    return out, publish.Published(**{**done, "out": out})


def _body(page: str) -> str:
    return page.split("<body>", 1)[1].split("</body>", 1)[0]


def _text(fragment: str) -> str:
    return " ".join(html.unescape(TAG.sub(" ", fragment)).split())


def test_every_sitemap_page_is_published_at_its_path(edition: tuple[Path, publish.Published], fixture_db: Path) -> None:
    out, done = edition
    con = queries.connect(str(fixture_db))
    urls = previews.sitemap_paths(con)
    con.close()
    assert done.pages == len(urls) > 10
    for url in urls:
        assert (out / publish.static_path(url)).is_file(), url
    assert publish.static_path("/countries?country=KR") == "countries/kr/index.html"
    assert publish.static_path("/record?id=CA-001") == "record/ca-001/index.html"
    assert publish.static_path("/record?id=app:deepseek") == "record/app-deepseek/index.html"
    assert publish.static_path("/") == "index.html"


def test_every_internal_link_resolves_and_others_go_to_the_live_site(edition: tuple[Path, publish.Published]) -> None:
    out, _ = edition
    checked = 0
    for page in out.rglob("*.html"):
        for href in HREF.findall(page.read_text(encoding="utf-8")):
            href = html.unescape(href)
            if re.match(r"https?://", href):
                continue  # the live site, or a cited source
            assert not href.startswith("/"), (page, href)  # no site-relative link survives
            target = (page.parent / urlsplit(href).path).resolve()
            assert target.is_file() and out.resolve() in target.parents, (page, href)
            checked += 1
    assert checked > 100


def test_a_page_says_what_the_live_first_paint_says(edition: tuple[Path, publish.Published], fixture_db: Path) -> None:
    out, _ = edition
    con = queries.connect(str(fixture_db))
    ctx = {
        "meta": queries.meta(con),
        "options": queries.filter_options(con),
        "aliases": queries.filter_aliases(con),
        "site": "Chatbot Watch",
    }
    try:
        for url in ("/", "/countries?country=KR", "/record?id=CA-001", "/apps?app=deepseek", "/restrictions"):
            v = publish._view(con, ctx, url)
            live = _text(firstpaint.body_html(v)).replace(firstpaint.LOADING_NOTE, "")
            page = (out / publish.static_path(url)).read_text(encoding="utf-8")
            static = _text(_body(page))
            assert static.startswith(live.strip()), url
            assert "This is the static edition of the page. Open the interactive page" in static
            canonical = re.search(r'<link rel="canonical" href="([^"]+)"', page).group(1)
            assert html.unescape(canonical) == BASE + v.canonical
            assert f'<a href="{html.escape(BASE + v.canonical)}">Open the interactive page</a>' in page
            assert "<script" not in page
    finally:
        con.close()


def test_the_api_files_are_the_apis_answers(edition: tuple[Path, publish.Published], fixture_db: Path) -> None:
    out, _ = edition
    flows = json.loads((out / "api/v1/flows.json").read_text(encoding="utf-8"))
    con = queries.connect(str(fixture_db))
    try:
        assert flows["row_count"] == len(flows["rows"]) == len(queries.flows(con, queries.Filters()))
    finally:
        con.close()
    record = json.loads((out / "api/v1/records/CA-001.json").read_text(encoding="utf-8"))
    assert record["id"] == "CA-001" and record["sources"]
    assert (out / "api/v1/restrictions.csv").read_text(encoding="utf-8").startswith("action_id,")
    assert json.loads((out / "api/v1/openapi.json").read_text(encoding="utf-8"))["openapi"]


def test_feeds_sitemap_and_images(edition: tuple[Path, publish.Published]) -> None:
    out, done = edition
    assert (out / "feeds" / "changes.xml").is_file() and done.feeds >= 1
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{BASE}/countries?country=KR</loc>" in sitemap
    home = (out / "index.html").read_text(encoding="utf-8")
    image = re.search(r'<meta property="og:image" content="([^"]+)"', home).group(1)
    assert image.startswith(BASE + "/og/") and (out / image.removeprefix(BASE + "/")).read_bytes()[:4] == b"\x89PNG"
    assert done.images >= 5


def test_publish_replaces_its_own_edition_and_refuses_another_folder(fixture_db: Path, tmp_path: Path) -> None:
    settings = publish.settings_for(load_settings(), fixture_db)
    other = tmp_path / "other"
    other.mkdir()
    (other / "keep.txt").write_text("mine")
    with pytest.raises(publish.PublishError, match="not empty and holds no earlier static edition"):
        publish.publish(settings, other, BASE, images=False)
    assert (other / "keep.txt").read_text() == "mine"
    out = tmp_path / "site"
    publish.publish(settings, out, BASE, images=False)
    (out / "stale.html").write_text("old")
    publish.publish(settings, out, BASE, images=False)
    assert not (out / "stale.html").exists() and (out / "index.html").is_file()

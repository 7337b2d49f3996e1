"""The web layer under scale and abuse (issue 26): trusted hosts, errors that name no server path,
JSON 404s, CORS preflight everywhere, URL text in titles, link-preview renders, bounded caches,
API paging in the database, and a sitemap split into files.

Driven in-process (tests/asgi.py) on the fixture database, so a test can count renders and
sitemap builds, shrink the sitemap's file size and send from chosen client addresses; the same
middleware and routes run in serve.py (tests/test_web.py checks them over HTTP).
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import quote

import pytest

from chatbot_watch import i18n, queries
from chatbot_watch.filters import Filters
from chatbot_watch.web import api, clients, previews
from chatbot_watch.web import site as web_site
from tests.asgi import Client, web_app
from tests.test_web import head_of, root_of

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture
def app(monkeypatch: pytest.MonkeyPatch, fixture_db: Path):  # noqa: ANN201 - a Starlette app
    return web_app(monkeypatch, fixture_db)


@pytest.fixture
def client(app) -> Client:  # noqa: ANN001
    return Client(app)


# --- item 5: trusted hosts -------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/countries?country=KR", "/robots.txt", "/sitemap.xml", "/api/v1/apps.json"])
def test_a_request_for_another_host_gets_400_and_names_no_host(app, path: str) -> None:  # noqa: ANN001
    r = Client(app, host="evil.example").get(path)
    assert r.status == 400 and b"evil.example" not in r.body
    assert r.headers["x-frame-options"] == "DENY"  # the security headers are on the refusal too


@pytest.mark.parametrize("host", ["localhost", "localhost:8501", "127.0.0.1:8501", "[::1]:8501", "LOCALHOST"])
def test_localhost_names_are_allowed_by_default(app, host: str) -> None:  # noqa: ANN001
    r = Client(app, host=host).get("/countries?country=KR")
    assert r.status == 200
    assert head_of(r.text).canonical == f"http://{host.lower()}/countries?country=KR"


@pytest.mark.parametrize("host", ["", "localhost.evil.example", "evil.example:80@localhost", "a b"])
def test_odd_host_headers_are_refused(app, host: str) -> None:  # noqa: ANN001
    assert Client(app, host=host).get("/").status == 400


def test_health_probes_answer_any_host(app) -> None:  # noqa: ANN001
    probe = Client(app, host="10.1.2.3:8501")  # a kubelet asks by the pod's address
    assert probe.get("/healthz").status == 200 and probe.get("/readyz").status == 200


def test_with_a_base_url_every_link_names_it_whatever_host_is_allowed(
    monkeypatch: pytest.MonkeyPatch, fixture_db: Path
) -> None:
    app = web_app(monkeypatch, fixture_db, {"CHATBOT_WATCH_BASE_URL": "https://watch.example.org/"})
    site = Client(app, host="watch.example.org")
    page = site.get("/countries?country=KR")
    h = head_of(page.text)
    assert h.canonical == "https://watch.example.org/countries?country=KR"
    assert h.meta["og:url"] == h.canonical and h.meta["og:image"].startswith("https://watch.example.org/og/")
    assert "Sitemap: https://watch.example.org/sitemap.xml" in site.get("/robots.txt").text
    local = Client(app, host="localhost:8501").get("/countries?country=KR")  # allowed, but links name the site
    assert head_of(local.text).canonical == "https://watch.example.org/countries?country=KR"
    assert Client(app, host="evil.example").get("/countries?country=KR").status == 400


def test_allowed_hosts_come_from_the_settings(monkeypatch: pytest.MonkeyPatch, fixture_db: Path) -> None:
    app = web_app(monkeypatch, fixture_db, {"CHATBOT_WATCH_ALLOWED_HOSTS": ".example.net"})
    assert Client(app, host="www.example.net").get("/robots.txt").status == 200
    assert Client(app, host="example.net").get("/robots.txt").status == 200
    assert Client(app, host="localhost").get("/robots.txt").status == 400
    assert Client(app, host="badexample.net").get("/robots.txt").status == 400


# --- item 6: the smaller ones ----------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/v2/flows.json", "/api/v1/nothing.json", "/api/", "/og/nothing.png", "/og/x"])
def test_unknown_api_and_image_paths_are_json_404s(client: Client, path: str) -> None:
    r = client.get(path)
    assert r.status == 404 and r.headers["content-type"] == "application/json"
    assert r.json()["error"] == "not_found" and "<html" not in r.text


def test_without_a_database_errors_name_no_server_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    missing = tmp_path / "secret-folder" / "missing.duckdb"
    client = Client(web_app(monkeypatch, missing))
    for path in ("/readyz", "/api/v1/flows.json", "/api/v1/records/AF-001.json", "/api/v1/openapi.json"):
        r = client.get(path)
        assert r.status == 503, path
        assert (
            "secret-folder" not in r.text and "missing.duckdb" not in r.text and "/" not in r.json().get("error", "")
        ), r.text
    assert client.get("/readyz").json() == {"status": "not ready", "error": "the database is missing or cannot be read"}


@pytest.mark.parametrize(
    "path", ["/api/v1/flows.json", "/api/v1/apps.json", "/api/v1/records/AF-001.json", "/api/v1/openapi.json"]
)
def test_every_api_route_answers_a_cors_preflight(client: Client, path: str) -> None:
    asked = {"Origin": "https://news.example", "Access-Control-Request-Method": "GET"}
    r = client.get(path, method="OPTIONS", headers=asked)
    assert r.status == 204 and r.headers["access-control-allow-origin"] == "*"
    assert "GET" in r.headers["access-control-allow-methods"]


@pytest.mark.parametrize("evil", ["\u202e", "\x00", "\u200f", "\u2028", "\x1b[31m", "\ufeff"])
def test_control_and_bidi_characters_from_the_url_never_reach_a_title_or_the_page(client: Client, evil: str) -> None:
    for path in (f"/search?q={quote('deep' + evil + 'seek')}", f"/record?id={quote('CA-' + evil + '001')}"):
        r = client.get(path)
        assert r.status == 200
        h = head_of(r.text)
        for text in (h.title, h.meta["og:title"], root_of(r.text)):
            assert evil not in text and "\x1b" not in text
    assert head_of(client.get("/search?q=" + quote("deep\u202eseek")).text).title == "Search: deepseek - Chatbot Watch"


# --- item 4: link-preview renders ------------------------------------------------------------------


def test_distinct_query_text_makes_one_render_per_image(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    renders: list[dict] = []
    monkeypatch.setattr(previews, "_IMAGES", previews.Memo(64, 2**24, weigh=len))
    monkeypatch.setattr(previews, "render", lambda spec: renders.append(spec) or b"\x89PNG fake")
    answers = [client.get(f"/og/search.png?q=probe-{i}&utm_source={i}") for i in range(200)]
    assert {a.status for a in answers} == {200} and len(renders) == 1
    assert len({a.headers["etag"] for a in answers}) == 1
    # Each view is still its own image: another page, another filter.
    client.get("/og/countries.png?country=KR")
    client.get("/og/countries.png?country=Korea")  # an alias of the same view
    client.get("/og/countries.png?country=KR&q=x")
    assert len(renders) == 2


def test_one_address_cannot_start_renders_without_end(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(previews, "_IMAGES", previews.Memo(512, 2**24, weigh=len))
    monkeypatch.setattr(previews, "render", lambda spec: b"\x89PNG fake")
    burst = 3
    monkeypatch.setattr(web_site.current(), "og_limit", clients.RateLimiter(0.001, burst))
    views = [f"/og/countries.png?country={c}" for c in ("KR", "IT", "US", "AU", "CN", "TW", "FR", "DE")]
    mine = [client.get(v, client=("192.0.2.9", 1000)).status for v in views]
    assert mine == [200] * burst + [429] * (len(views) - burst)
    # Another address still gets new images, and everyone gets those already made.
    assert client.get(views[-1], client=("192.0.2.10", 1000)).status == 200
    assert client.get(views[0], client=("192.0.2.9", 1000)).status == 200


# --- item 1: bounded caches and API paging ---------------------------------------------------------


def test_distinct_filters_keep_the_cache_within_its_byte_budget(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(web_site, "CACHE_BYTES", 256 * 1024)
    small = web_site.Memo(web_site.CACHE_ENTRIES, 256 * 1024, weigh=web_site.size_of)
    monkeypatch.setattr(web_site.current(), "_cache", small)
    # Issue 26: one client's 326 requests with distinct `since` dates took the server from 320 MB to
    # 8 GB, a whole filtered frame kept per date. Now an answer is kept, within the byte budget.
    for day in range(326):
        since = dt.date(2020, 1, 1) + dt.timedelta(days=day)
        assert client.get(f"/api/v1/flows.json?since={since}&limit=1000").status == 200
        if day % 20 == 0:  # pages too (first paints and their views share the cache)
            assert client.get(f"/countries?since={since}").status == 200
    assert 0 < web_site.current().cache_bytes <= 256 * 1024


def test_list_endpoints_page_in_the_database(client: Client, request: pytest.FixtureRequest) -> None:
    # The flows and restrictions endpoints never fetch every matching row for one page.
    for name in ("flows", "restrictions"):
        endpoint = api.ENDPOINTS[name]
        request.addfinalizer(lambda e=endpoint, q=endpoint.query: object.__setattr__(e, "query", q))
        object.__setattr__(endpoint, "query", lambda *_a: pytest.fail("the API fetched every matching row"))
    every = queries.flows(web_site.current().cursor(), Filters())
    assert len(every) >= 3
    a = client.get("/api/v1/flows.json?limit=1&offset=1").json()
    assert a["row_count"] == len(every) and [r["finding_id"] for r in a["rows"]] == [every["finding_id"].iat[1]]
    assert a["next"] == "/api/v1/flows.json?limit=1&offset=2"
    actions = queries.restrictions(web_site.current().cursor(), Filters(country=("KR",)))
    b = client.get("/api/v1/restrictions.csv?country=KR&limit=2").text.splitlines()
    assert [line.split(",")[0] for line in b[1:]] == list(actions["action_id"].iloc[:2])


# --- item 3: the sitemap ---------------------------------------------------------------------------


def _locs(text: str, path: str) -> list[str]:
    return [e.text or "" for e in ET.fromstring(text).findall(path, NS)]


def test_the_sitemap_is_an_index_of_files_within_the_limit(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(previews, "SITEMAP_URLS", 7)
    # Every page in each of the site's languages (issue 25), English first.
    pages = previews.sitemap_paths(web_site.current().cursor())
    every = [i18n.with_lang(p, lang) for p in pages for lang in i18n.LANGUAGES]
    index = client.get("/sitemap.xml")
    assert index.status == 200 and index.headers["content-type"].startswith("application/xml")
    files = _locs(index.text, "s:sitemap/s:loc")
    assert files == [f"http://localhost/sitemap-{n}.xml" for n in range(1, -(-len(every) // 7) + 1)]
    seen: list[str] = []
    for url in files:
        part = _locs(client.get(url.removeprefix("http://localhost")).text, "s:url/s:loc")
        assert 1 <= len(part) <= 7
        seen += part
    assert seen == ["http://localhost" + p for p in every]
    assert client.get(f"/sitemap-{len(files) + 1}.xml").status == 404


def test_a_new_host_costs_no_sitemap_rebuild(client: Client, app, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    builds: list[int] = []
    real = previews.sitemap_paths
    monkeypatch.setattr(previews, "sitemap_paths", lambda con: builds.append(1) or real(con))
    first = client.get("/sitemap-1.xml").text
    other = Client(app, host="127.0.0.1:8501").get("/sitemap-1.xml").text
    assert len(builds) == 1
    assert "<loc>http://localhost/</loc>" in first and "<loc>http://127.0.0.1:8501/</loc>" in other

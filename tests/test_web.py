"""The web layer of the real server (serve.py): health checks, first paint, link previews, headers.

Every request goes over HTTP to a real server started as `make run` starts it, on the fixture
database or a build of the real data; HTML is read as a crawler reads it, without a browser.
"""

from __future__ import annotations

import html
import json
import re
import struct
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

import pytest

from chatbot_watch import queries
from chatbot_watch.filters import Filters
from chatbot_watch.queries import recordpage
from chatbot_watch.store import events
from chatbot_watch.tools.devserver import run_server
from tests.conftest import Site


class Answer:
    """One HTTP answer: status, headers (lower-case names) and body."""

    def __init__(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def json(self) -> object:
        return json.loads(self.body)


def get(url: str, headers: dict[str, str] | None = None, method: str = "GET") -> Answer:
    req = urllib.request.Request(url, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:  # noqa: S310 - loopback
            return Answer(r.status, {k.lower(): v for k, v in r.headers.items()}, r.read())
    except urllib.error.HTTPError as e:
        return Answer(e.code, {k.lower(): v for k, v in e.headers.items()}, e.read())


@pytest.fixture
def server(real_site: Site) -> str:
    return real_site.url


def meta(db: Path) -> dict[str, str]:
    from chatbot_watch.store import duck

    con = duck.connect(db)
    try:
        return dict(con.execute("SELECT key, value FROM meta").fetchall())
    finally:
        con.close()


# --- health --------------------------------------------------------------------------------------


def test_healthz_and_readyz_name_the_data_version(server: str, real_db: Path) -> None:
    live = get(server + "/healthz")
    assert (live.status, live.text) == (200, "ok")
    ready = get(server + "/readyz")
    m = meta(real_db)
    assert ready.status == 200
    assert ready.json() == {"status": "ready", "data_version": m["data_version"], "as_of": m["as_of"]}
    assert ready.headers["cache-control"] == "no-store"


def test_readyz_is_503_without_a_database_while_healthz_stays_ok(tmp_path: Path) -> None:
    with run_server(db_path=tmp_path / "missing.duckdb", log=tmp_path / "server.log") as (base, _proc):
        assert get(base + "/healthz").status == 200
        ready = get(base + "/readyz")
        assert ready.status == 503
        body = ready.json()
        # Says what is wrong without naming the server's files (issue 26).
        assert body == {"status": "not ready", "error": "the database is missing or cannot be read"}
        assert "missing.duckdb" not in ready.text and str(tmp_path) not in get(base + "/api/v1/flows.json").text


def test_streamlit_still_answers_its_own_paths(server: str) -> None:
    assert get(server + "/_stcore/health").text == "ok"
    # The frontend's probe under a deep link's path stays a 404 (an HTML answer would break the app).
    assert get(server + "/countries/_stcore/health").status == 404
    assert get(server + "/app/static/countries-110m.json").json()["type"] == "Topology"


# --- first paint and link previews -----------------------------------------------------------------


class Head(HTMLParser):
    """<title>, <meta> and <link rel=canonical> of a page, as a crawler reads them."""

    def __init__(self) -> None:
        super().__init__()
        self.title = ""
        self.meta: dict[str, str] = {}
        self.canonical = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "title":
            self._in_title = True
        elif tag == "meta" and ("name" in a or "property" in a):
            self.meta[a.get("name") or a["property"]] = a.get("content", "")
        elif tag == "link" and a.get("rel") == "canonical":
            self.canonical = a["href"]

    def handle_endtag(self, tag: str) -> None:
        self._in_title = self._in_title and tag != "title"

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def head_of(text: str) -> Head:
    h = Head()
    h.feed(text)
    return h


def root_of(text: str) -> str:
    """The HTML of #root (the first paint): up to the stylesheet link that follows it, before the
    inline script that starts the app."""
    start = text.index('<div id="root">')
    return text[start : text.index('<link rel="stylesheet"', start)]


@pytest.fixture(scope="module")
def con(real_db: Path) -> Iterator[queries.Con]:
    c = queries.connect(str(real_db))
    yield c
    c.close()


def _expected(con: queries.Con, path: str) -> tuple[str, str, str]:
    """(title, a phrase of the description, the first row's record link) from the query functions."""
    as_of = queries.meta(con)["as_of"]
    if path == "/countries?country=KR":
        rows = queries.restrictions(con, Filters(country=("KR",)))
        in_force = rows.loc[rows["status"] == "in_force", "action_id"].nunique()
        return (
            "South Korea: restrictions of chatbot apps - Chatbot Watch",
            f"{rows['action_id'].nunique()} government actions, {in_force} in force, concerning ",
            f"/record?id={rows['action_id'].iat[0]}",
        )
    if path == "/restrictions?country=IT":
        rows = queries.restrictions(con, Filters(country=("IT",)))
        return (
            "Restrictions: country: Italy - Chatbot Watch",
            f"{rows['action_id'].nunique()} government actions",
            f"/record?id={rows['action_id'].iat[0]}",
        )
    if path == "/apps?app=deepseek":
        flows = queries.flows(con, Filters(app=("deepseek",)))
        return (
            "DeepSeek: who receives its users' data, where it is restricted - Chatbot Watch",
            f"{flows['finding_id'].nunique()} findings name",
            f"/record?id={flows['finding_id'].iat[0]}",
        )
    if path == "/flows?app=deepseek":
        flows = queries.flows(con, Filters(app=("deepseek",)))
        return (
            "Data flows: app: DeepSeek - Chatbot Watch",
            f"{flows['finding_id'].nunique()} findings about 1 app",
            f"/record?id={flows['finding_id'].iat[0]}",
        )
    if path == "/":
        recent = events.events(con, Filters(), newest_first=True).rows
        a = queries.answers(con, Filters())
        return (
            "Chatbot Watch: which chatbot apps send user data where, and where they are restricted",
            f"As of {as_of}, {a['restrictions_in_force']} restrictions of chatbot apps are in force",
            f"/record?id={recent['record_id'].iat[0]}",
        )
    if path == "/companies":
        rows = queries.companies(con, Filters())
        return (
            "Companies - Chatbot Watch",
            f"{len(rows)} companies named as receiving chatbot users' data",
            f"/record?id=company%3A{rows['company_id'].iat[0]}",
        )
    if path == "/record?id=CA-001":
        rec = recordpage.record(con, "action", "CA-001")
        assert rec is not None
        return (f"{rec['title']} - Chatbot Watch", f"{len(rec['sources'])} public source", rec["sources"]["url"].iat[0])
    assert path == "/about"
    return ("About the data - Chatbot Watch", queries.meta(con)["description"][:60], "/api/v1/openapi.json")


PAGE_URLS = [
    "/",
    "/countries?country=KR",
    "/restrictions?country=IT",
    "/apps?app=deepseek",
    "/flows?app=deepseek",
    "/companies",
    "/record?id=CA-001",
    "/about",
]


@pytest.mark.parametrize("path", PAGE_URLS)
def test_page_html_has_title_description_canonical_previews_and_first_rows(server: str, con, path: str) -> None:
    r = get(server + path)
    assert r.status == 200 and r.headers["content-type"] == "text/html; charset=utf-8"
    title, phrase, first_link = _expected(con, path)
    h = head_of(r.text)
    assert h.title == title
    assert phrase in h.meta["description"] and queries.meta(con)["as_of"] in r.text
    assert h.canonical == server + path
    assert h.meta["og:title"] == title.removesuffix(" - Chatbot Watch")
    assert h.meta["og:description"] == h.meta["description"]
    assert h.meta["og:url"] == server + path
    assert h.meta["og:image"].startswith(server + "/og/") and h.meta["twitter:card"] == "summary_large_image"
    root = root_of(r.text)
    assert f'href="{html.escape(first_link)}"' in root
    m = queries.meta(con)
    assert (
        "<h1>" in root and f"Newest event recorded: {m['newest_event']} · sources reviewed up to {m['as_of']}" in root
    )
    assert "<script" not in root


def test_canonical_puts_parameters_in_one_order_and_drops_what_the_page_ignores(server: str) -> None:
    a = head_of(get(server + "/restrictions?app=deepseek&country=KR&evidence=alleged&x=1").text)
    b = head_of(get(server + "/restrictions?country=KR&app=deepseek").text)
    assert a.canonical == b.canonical == server + "/restrictions?country=KR&app=deepseek"


def test_names_and_aliases_are_read_as_the_app_reads_them(server: str) -> None:
    r = get(server + "/countries?country=Korea")
    assert head_of(r.text).canonical == server + "/countries?country=KR"
    assert "<h1>South Korea</h1>" in root_of(r.text)
    assert "Read country &#x27;Korea&#x27; as South Korea." in root_of(r.text)


def test_search_page_links_each_result_to_its_page(server: str) -> None:
    r = get(server + "/search?q=deepseek")
    h = head_of(r.text)
    assert h.title == "Search: deepseek - Chatbot Watch" and h.canonical == server + "/search?q=deepseek"
    root = root_of(r.text)
    assert 'href="/apps?app=deepseek"' in root and 'href="/companies?company=deepseek"' in root


def test_hostile_parameters_are_escaped_and_reported_like_the_app(server: str) -> None:
    evil = "<script>alert(1)</script>"
    r = get(server + "/flows?" + urlencode({"app": evil, "country": "KR", '"><img src=x>': "1"}))
    root = root_of(r.text)
    assert evil not in r.text and "<img src=x>" not in r.text
    assert "Ignored unknown app value(s) &#x27;&lt;script&gt;alert(1)&lt;/script&gt;&#x27;." in root
    assert "Ignored unknown URL parameter(s)" in root
    assert head_of(r.text).canonical.endswith("/flows?country=KR")


def test_first_paint_of_hostile_data_stays_text(hostile_site: Site) -> None:
    from tests.hostile import EVIL_HOST

    base = hostile_site.url
    pages = [get(base + p).text for p in ("/", "/flows", "/restrictions", "/companies", "/apps?app=deepseek")]
    record = get(base + "/record?id=AF-001").text
    for text in [*pages, record]:
        root = root_of(text)
        assert (
            "<script" not in root and "<img" not in root and "javascript:" not in root.replace("javascript:window", "")
        )
        assert "&lt;script&gt;" in root
        head = text[: text.index("</head>")]
        assert "<script>alert" not in head and f'<img src="https://{EVIL_HOST}' not in head
    # Links from the data are http(s) only and escaped inside the attribute.
    assert f'href="https://{EVIL_HOST}/&lt;script&gt;' in root_of(record)


def test_sitemap_is_valid_xml_with_every_country_app_company_and_record(server: str, con) -> None:
    index = get(server + "/sitemap.xml")
    assert index.status == 200 and index.headers["content-type"].startswith("application/xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    files = [e.text for e in ET.fromstring(index.body).findall("s:sitemap/s:loc", ns)]
    assert files == [f"{server}/sitemap-1.xml"]  # the real data fits one file of 50,000 URLs
    r = get(files[0])
    assert r.status == 200 and r.headers["content-type"].startswith("application/xml")
    locs = [e.text for e in ET.fromstring(r.body).findall("s:url/s:loc", ns)]
    assert len(locs) == len(set(locs))
    assert f"{server}/countries?country=KR" in locs and f"{server}/apps?app=deepseek" in locs
    everything = Filters()
    ids = set(queries.flows(con, everything)["finding_id"]) | set(queries.restrictions(con, everything)["action_id"])
    assert {f"{server}/record?id={i}" for i in ids} <= set(locs)
    n_apps = con.execute("SELECT count(*) FROM apps").fetchone()[0]
    assert sum(1 for u in locs if "/record?id=app%3A" in u and "lang=" not in u) == n_apps
    # Every page in each of the site's languages too (issue 25).
    for lang in ("ko", "ja", "zh-Hant", "it"):
        assert f"{server}/countries?country=KR&lang={lang}" in locs
        assert sum(1 for u in locs if "/record?id=app%3A" in u and u.endswith(f"&lang={lang}")) == n_apps
    assert b"&amp;" not in r.body or b"&amp;amp;" not in r.body


def test_robots_points_to_the_sitemap(server: str) -> None:
    text = get(server + "/robots.txt").text
    assert "User-agent: *" in text and f"Sitemap: {server}/sitemap.xml" in text and "Disallow: /api/" in text


def test_og_image_is_a_png_of_the_views_chart_with_an_etag(server: str) -> None:
    page = head_of(get(server + "/countries?country=KR").text)
    image = page.meta["og:image"]
    r = get(image)
    assert r.status == 200 and r.headers["content-type"] == "image/png"
    assert r.body[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", r.body[16:24])
    assert width >= 1000 and height >= 300
    assert get(image, headers={"If-None-Match": r.headers["etag"]}).status == 304
    assert get(server + "/og/nowhere.png").status == 404


# --- issue 26 over HTTP: hosts, JSON 404s, Streamlit's metrics ---------------------------------------


def test_another_host_gets_400_from_the_real_server(server: str) -> None:
    r = get(server + "/countries?country=KR", headers={"Host": "evil.example"})
    assert r.status == 400 and b"evil.example" not in r.body
    assert get(server + "/healthz", headers={"Host": "10.0.0.7:8501"}).status == 200  # probes by address


@pytest.mark.parametrize("path", ["/api/v1/nothing.json", "/api/whatever", "/og/nothing", "/og/nothing.png"])
def test_unknown_api_and_image_paths_are_json_404s_not_the_apps_page(server: str, path: str) -> None:
    r = get(server + path)
    assert r.status == 404 and r.headers["content-type"] == "application/json" and b"<html" not in r.body


@pytest.mark.parametrize("path", ["/_stcore/metrics", "/countries/_stcore/metrics"])
def test_streamlit_metrics_are_not_served_on_the_apps_port(server: str, path: str) -> None:
    assert get(server + path).status == 404  # Streamlit itself would answer /_stcore/metrics


# --- security headers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/", "/countries?country=KR", "/api/v1/flows.json?limit=1", "/healthz", "/robots.txt"]
)
def test_every_response_has_the_security_headers(server: str, path: str) -> None:
    h = get(server + path).headers
    csp = h["content-security-policy"]
    assert "script-src 'self' 'sha256-" in csp and "'unsafe-inline'" not in csp.split("script-src", 1)[1].split(";")[0]
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert h["x-content-type-options"] == "nosniff"
    assert h["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in h["permissions-policy"]


def test_the_stylesheet_no_longer_holds_the_first_paint() -> None:
    from chatbot_watch.web import index

    html = index.index_html()
    head, _, body = html.partition("</head>")
    assert 'rel="stylesheet"' not in head  # in <head> it held every paint until it arrived
    assert body.index('<div id="root"></div>') < body.index('rel="stylesheet"')
    assert index.stylesheet_after_root("<html><head></head><body>x</body></html>") == (
        "<html><head></head><body>x</body></html>"  # another layout is left as it is
    )


def test_the_apps_scripts_start_after_the_first_frame() -> None:
    from chatbot_watch.web import index, security

    original = index._index_path().read_text(encoding="utf-8")
    script = re.search(r'<script type="module" crossorigin src="([^"]+)"></script>', original)
    preloads = re.findall(r'<link rel="modulepreload" crossorigin href="([^"]+)">', original)
    assert script and len(preloads) > 10  # Streamlit's layout, as this change expects it
    head, _, body = index.index_html().partition("</head>")
    assert "modulepreload" not in head and '<script type="module"' not in head
    boot = re.search(r"<script>(.*?)</script>\s*</body>", body, flags=re.S)
    assert boot and f'"{script.group(1)}"' in boot.group(1) and all(f'"{u}"' in boot.group(1) for u in preloads)
    assert "requestAnimationFrame" in boot.group(1) and f"setTimeout(go,{index.START_MS})" in boot.group(1)
    # The only inline scripts are Streamlit's own and this one, each allowed by its hash.
    csp = security.content_security_policy(index.index_html())
    assert (
        all(h in csp for h in security.inline_script_hashes(index.index_html()))
        and len(security.inline_script_hashes(index.index_html())) == 2
    )
    other = "<html><head></head><body>x</body></html>"
    assert index.scripts_after_first_frame(other) == other  # another layout is left as it is


def test_no_font_holds_the_first_paint() -> None:
    """Streamlit's font preload starts with the scripts (Chrome held the first frame for it), and
    the first paint's text is in the system's font (Streamlit's "Source Sans" is declared with
    `font-display: block`: invisible until it arrives) (issue 26, item 7)."""
    from chatbot_watch.web import firstpaint, index

    original = index._index_path().read_text(encoding="utf-8")
    fonts = re.findall(r'<link\s+rel="preload"\s+href="([^"]+)"\s+as="font"', original)
    assert fonts  # Streamlit's layout, as this change expects it
    head, _, body = index.index_html().partition("</head>")
    assert 'as="font"' not in head
    boot = re.search(r"<script>(.*?)</script>\s*</body>", body, flags=re.S)
    assert boot and all(f'"{u}"' in boot.group(1) for u in fonts) and 'l.as="font"' in boot.group(1)
    assert "Source Sans" not in firstpaint.STYLE

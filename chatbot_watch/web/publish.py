"""The static edition: every page of the sitemap as plain HTML, with the API's files, the feeds, the
sitemap and the link-preview images, for any static host or CDN (issue 23, item 4).

    python -m chatbot_watch publish --out DIR [--db PATH] [--base-url https://chatbot.watch]
                                    [--static-url https://static.chatbot.watch] [--no-images]

A page is the server-rendered view the live site sends before any script runs (firstpaint.py),
drawn by the same code, as a document of its own: every table's first rows, readable without
JavaScript. Each page lives at a path-style address (`/countries?country=KR` ->
`countries/kr/index.html`, `/record?id=CA-001` -> `record/ca-001/index.html`) and carries a
canonical link to the live page and a link to the interactive app. Links between published
pages are relative and name `index.html`, so the folder also works opened from disk; a link to a
view that is not published (a filtered list) goes to the live site. The API's answers are
written by the API's own handlers, called in-process (no server): `api/v1/<endpoint>.json|csv`
(every row, no filter), `api/v1/records/<id>.json` for every published record and
`api/v1/openapi.json`. The feeds are changelog.py's; the sitemap names the live pages (the
canonical ones); a link-preview image is rendered once per distinct image (previews.image_key) for
every page but the record pages, which name the live site's image.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import html
import json
import posixpath
import re
import shutil
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from starlette.applications import Starlette

from chatbot_watch import queries, views
from chatbot_watch.config import Settings
from chatbot_watch.store import changelog
from chatbot_watch.web import api, apiparams, firstpaint, previews
from chatbot_watch.web.site import Site, use

MARKER = ".chatbot-watch-static-edition"  # a folder `publish` may replace holds this file
_HREF = re.compile(r'href="([^"]*)"')
_SLUG = re.compile(r"[^a-z0-9_-]+")


class PublishError(Exception):
    """The static edition cannot be written (a folder that is not ours, a clash of addresses)."""


@dataclass(frozen=True)
class Published:
    """What `publish` wrote."""

    out: Path
    pages: int
    api_files: int
    feeds: int
    images: int
    seconds: float


def static_path(url: str) -> str:
    """The file a site-relative page address is published as, relative to the edition's root:
    `/` -> `index.html`, `/flows` -> `flows/index.html`, `/countries?country=KR` ->
    `countries/kr/index.html`, `/record?id=app:deepseek` -> `record/app-deepseek/index.html`."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    for _key, value in sorted(parse_qsl(parts.query, keep_blank_values=True)):
        slug = _SLUG.sub("-", value.lower()).strip("-")
        segments.append(slug or "-")
    return "/".join([*segments, "index.html"])


def relative(from_file: str, to_file: str) -> str:
    """The relative link from one published file to another (`../../countries/kr/index.html`)."""
    return posixpath.relpath(to_file, posixpath.dirname(from_file) or ".")


def _ready(out: Path) -> None:
    """An empty folder, or one `publish` wrote before (replaced whole); anything else is refused."""
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise PublishError(f"{out} is not a folder")
    if out.is_dir() and any(out.iterdir()):
        if not (out / MARKER).is_file():
            raise PublishError(f"{out} is not empty and holds no earlier static edition; choose an empty folder")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("Written by python -m chatbot_watch publish; replaced whole by the next run.\n")


def _write(out: Path, rel: str, data: bytes | str) -> None:
    path = out / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)


# ---------------------------------------------------------------------------
# The API's answers, from its own handlers, in-process
# ---------------------------------------------------------------------------


def _run(coroutine: Any) -> None:
    """Run `coroutine` to its end: here, or on a thread of its own when this thread already runs an
    event loop (publish called from async code, or from a test worker where Playwright runs one)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(coroutine)
        return
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, coroutine).result()


def _asgi_get(app: Any, path: str, query: str = "") -> tuple[int, bytes]:
    """GET `path` from an ASGI app in this process: (status, body)."""
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(b"host", b"localhost")],
        "client": ("127.0.0.1", 0),
        "server": ("localhost", 80),
    }
    _run(app(scope, receive, send))
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return status, body


def _api_files(settings: Settings, record_ids: list[str]) -> dict[str, bytes]:
    """Every list endpoint in every format (all rows), each published record and the OpenAPI
    description, as the API answers them: relative path -> body."""
    site = Site(settings)
    previous = use(site)  # the handlers read the site of this build
    try:
        return _api_answers(Starlette(routes=api.routes()), record_ids)
    finally:
        if previous is not None:
            use(previous)
        site.close()


def _api_answers(app: Starlette, record_ids: list[str]) -> dict[str, bytes]:
    files: dict[str, bytes] = {}

    def get(path: str, query: str = "") -> bytes:
        status, body = _asgi_get(app, path, query)
        if status != 200:
            raise PublishError(f"the API answered {status} for {path}?{query}")
        return body

    for e in api.ENDPOINTS.values():
        # Every row, apiparams.MAX_LIMIT per file: <name>.<fmt>, then <name>-2.<fmt>, <name>-3.<fmt> ...
        total = json.loads(get(f"{api.PREFIX}/{e.name}.json", "limit=1"))["row_count"]
        for fmt in e.formats:
            for n, offset in enumerate(range(0, max(total, 1), apiparams.MAX_LIMIT), 1):
                name = e.name if n == 1 else f"{e.name}-{n}"
                files[f"{api.PREFIX}/{name}.{fmt}".lstrip("/")] = get(
                    f"{api.PREFIX}/{e.name}.{fmt}", f"limit={apiparams.MAX_LIMIT}&offset={offset}"
                )
    for rid in record_ids:
        path = f"{api.PREFIX}/records/{rid}.json"
        files[path.lstrip("/")] = get(path)
    files[f"{api.PREFIX}/openapi.json".lstrip("/")] = get(f"{api.PREFIX}/openapi.json")
    return files


# ---------------------------------------------------------------------------
# Pages
# ---------------------------------------------------------------------------


def _view(con: queries.Con, ctx: dict[str, Any], url: str) -> views.View:
    parts = urlsplit(url)
    params: dict[str, list[str]] = {}
    for k, v in parse_qsl(parts.query, keep_blank_values=True):
        params.setdefault(k, []).append(v)
    return views.view(con, ctx["meta"], ctx["options"], parts.path, params, ctx["aliases"], ctx["site"])


def _rewrite_links(body: str, here: str, pages: dict[str, str], files: set[str], base_url: str) -> str:
    """Site-relative links of a page's body: to a published page or file, relative; to anything
    else, the live site's address. Absolute links are left alone."""

    def one(m: re.Match[str]) -> str:
        href = html.unescape(m.group(1))
        if not href.startswith("/") or href.startswith("//"):
            return m.group(0)
        if href in pages:
            target = relative(here, pages[href])
        elif href.lstrip("/") in files:
            target = relative(here, href.lstrip("/"))
        else:
            target = base_url + href
        return f'href="{html.escape(target)}"'

    return _HREF.sub(one, body)


def page_document(v: views.View, body: str, base_url: str, image_url: str | None) -> str:
    """A page of the static edition: the head the live page sends (canonical: the live page) and
    the view's body, as a document of its own (no script)."""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n    <meta charset="utf-8" />\n'
        '    <meta name="viewport" content="width=device-width, initial-scale=1" />\n    '
        + firstpaint.head_html(v, base_url, image_url)
        + "\n</head>\n<body>\n"
        + body
        + "\n</body>\n</html>\n"
    )


def _closing(v: views.View, base_url: str) -> str:
    live = html.escape(base_url + v.canonical)
    return (
        f'This is the static edition of the page. <a href="{live}">Open the interactive page</a> for the '
        "charts, every filter and the downloads."
    )


def publish(
    settings: Settings,
    out: Path,
    base_url: str,
    static_url: str | None = None,
    images: bool = True,
    progress: Callable[[str], None] = lambda _m: None,
) -> Published:
    """Write the static edition of the database `settings.db_path` into `out`."""
    start = time.monotonic()
    base_url = base_url.rstrip("/")
    static_url = (static_url or base_url).rstrip("/")
    _ready(out)
    con = queries.connect(str(settings.db_path))
    try:
        ctx = {
            "meta": queries.meta(con),
            "options": queries.filter_options(con),
            "aliases": queries.filter_aliases(con),
            "site": settings.site_title,
        }
        urls = previews.sitemap_paths(con)
        pages = {u: static_path(u) for u in urls}
        clash = len(set(pages.values())) != len(pages)
        if clash:
            raise PublishError("two pages would be published at the same address")
        record_ids = [dict(parse_qsl(urlsplit(u).query))["id"] for u in urls if urlsplit(u).path == "/record"]
        progress(f"{len(urls)} pages, {len(record_ids)} records")
        api_files = _api_files(settings, record_ids)
        for rel, body in api_files.items():
            _write(out, rel, body)
        progress(f"{len(api_files)} API files")
        rendered: dict[Any, str] = {}
        files = set(api_files)
        # One page at a time (a view is dropped once written): at x100 there are some 20,000.
        for url in urls:
            v = _view(con, ctx, url)
            # Record pages keep the live site's image (one per record would be most of the run's time).
            if images and v.page != "record" and previews.image_key(v) not in rendered:
                key = previews.image_key(v)
                name = f"og/{v.page}-{hashlib.sha256(repr(key).encode()).hexdigest()[:16]}.png"
                _write(out, name, previews.image_png(con, v))
                rendered[key] = name
            here = pages[url]
            body = _rewrite_links(firstpaint.body_html(v, _closing(v, base_url)), here, pages, files, base_url)
            image = rendered.get(previews.image_key(v)) if images else None
            _write(out, here, page_document(v, body, base_url, f"{static_url}/{image}" if image else None))
        progress(f"{len(urls)} pages, {len(rendered)} link-preview images")
        feeds = changelog.write_feeds(settings.db_path, out / "feeds", url_prefix=static_url + "/feeds")
        lastmod = ctx["meta"].get("built_at", "")[:10]
        sitemaps = previews.sitemap_files(urls, lastmod)
        if len(sitemaps) == 1:
            _write(out, "sitemap.xml", previews.with_base(sitemaps[0], base_url))
        else:
            _write(out, "sitemap.xml", previews.sitemap_index(static_url, len(sitemaps), lastmod))
            for n, text in enumerate(sitemaps, 1):
                _write(out, f"sitemap-{n}.xml", previews.with_base(text, base_url))
        _write(out, "robots.txt", f"User-agent: *\nAllow: /\nSitemap: {static_url}/sitemap.xml\n")
    finally:
        con.close()
    return Published(out, len(urls), len(api_files), len(feeds), len(rendered), time.monotonic() - start)


def settings_for(settings: Settings, db: Path | None) -> Settings:
    """The settings with another database (the `--db` flag)."""
    return dataclasses.replace(settings, db_path=db.resolve()) if db else settings

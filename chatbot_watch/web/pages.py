"""Pages for browsers and crawlers without the app: each page path answered with Streamlit's
index.html holding the view's first paint (FirstPaintMiddleware; firstpaint.py writes it), the
link-preview images (`/og/<page>.png`, previews.py), `/robots.txt` and the sitemap (an index of
`/sitemap-<n>.xml` files). Page HTML is Streamlit's own index.html with the view written into its
`<head>` and `#root`; the app replaces it when it mounts. Only the exact page paths are answered:
any path that contains `/_stcore/` (the frontend probes `<page>/_stcore/health` on a deep link, and
would take an HTML answer as the app's base path), static files, components, media and the API pass
through."""

from __future__ import annotations

import logging
from urllib.parse import parse_qsl, urlencode

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from chatbot_watch import views
from chatbot_watch.config import ConfigError
from chatbot_watch.filters import PAGE_FILTERS
from chatbot_watch.store.database import DatabaseError
from chatbot_watch.web import api, clients, firstpaint, index, previews
from chatbot_watch.web.site import OG_PER_SECOND, base_url, client_address, current

log = logging.getLogger(__name__)

# Paths never answered by the page middleware (Streamlit's own, static files, the API).
PASS_THROUGH_PREFIXES = ("/_stcore", "/static", "/app/static", "/component", "/media", "/api")
# ---------------------------------------------------------------------------
# First paint
# ---------------------------------------------------------------------------

MAX_QUERY = 4096
PAGE_BY_NAME = {page.key: path for path, page in views.PAGES.items()}


def render_page(path: str, query: str, base: str) -> str:
    """Streamlit's index.html with the first paint of `path?query` (cached per data version)."""
    key = ("page", path, query, base)
    return current().cached(key, lambda: firstpaint.page_html(index.index_html(), _view(path, query), base))


def _view(path: str, query: str) -> views.View:
    pairs = parse_qsl(query, keep_blank_values=True)
    params: dict[str, list[str]] = {}
    for k, v in pairs:
        params.setdefault(k, []).append(v)
    site = current()
    return views.view(
        site.cursor(), site.meta(), site.options(), path, params, site.aliases(), site.settings.site_title
    )


def json_not_found(_request: Request) -> Response:
    """A JSON 404 for a path under /og/ that is no link-preview image (the path is not echoed)."""
    return JSONResponse({"error": "not_found", "message": "no such image"}, status_code=404,
                        headers={"Cache-Control": "no-store"})  # fmt: skip


def image_query(path: str, query: str) -> str:
    """Of a link-preview image's query string, only what the image shows: the page's filters (and
    the record page's `id`). Anything else (`q`, `embed`, tracking parameters) draws the same
    image, so it must not make another view, cache entry or render."""
    key = views.PAGES[path].key
    used = {*PAGE_FILTERS[key], *(("id",) if key == "record" else ())}
    return urlencode([(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k in used])


def og_image(request: Request) -> Response:
    """`/og/<page>.png?<filters>`: the PNG of the view's main chart (link previews), made once per
    data version and image (previews.image_key); a client address may start OG_BURST renders, then
    one every 1/OG_PER_SECOND s (429 beyond that), while images already made are served to all."""

    path = PAGE_BY_NAME.get(request.path_params["page"])
    if path is None or len(request.url.query) > MAX_QUERY:
        return json_not_found(request)
    query = image_query(path, request.url.query)
    try:
        version = current().version()
        v = current().cached(("view", path, query), lambda: _view(path, query))
    except (DatabaseError, ConfigError, OSError):
        return PlainTextResponse("database unavailable", status_code=503, headers={"Retry-After": "30"})
    key = previews.image_key(v)
    tag = api.etag(version, "og", repr(key))
    headers = {"ETag": tag, "Cache-Control": "public, max-age=3600"}
    if request.headers.get("if-none-match") == tag:
        return Response(status_code=304, headers=headers)
    png = previews.kept_png(key)
    if png is None:
        if not current().og_limit.allow(clients.limit_key(client_address(request.scope))):
            return PlainTextResponse(
                "too many new link-preview images from this address; try again in a minute",
                status_code=429,
                headers={"Retry-After": str(round(1 / OG_PER_SECOND)), "Cache-Control": "no-store"},
            )
        png = previews.image_png(current().cursor(), v)
    return Response(png, media_type="image/png", headers=headers)


def robots(request: Request) -> Response:

    return PlainTextResponse(
        previews.robots_txt(base_url(request.scope)), headers={"Cache-Control": "public, max-age=3600"}
    )


def _sitemap_paths() -> list[str]:
    """The sitemap's pages (in English) of the data version served, listed once per version and
    kept outside the answer cache (a crawler's run of pages must not evict them); each file lists
    them in every language, written when asked for (previews.language_file)."""

    site = current()
    version = site.version()
    with site.sitemap_lock:
        if site.sitemap.get("version") != version:
            m = site.meta()
            paths = previews.sitemap_paths(site.cursor())
            site.sitemap.clear()
            site.sitemap.update(version=version, paths=paths, lastmod=m.get("built_at", "")[:10])
        return site.sitemap["paths"]


XML_CACHE = {"Cache-Control": "public, max-age=3600"}


def sitemap(request: Request) -> Response:
    """`/sitemap.xml`: a sitemap index of `/sitemap-<n>.xml` files, each of at most
    previews.SITEMAP_URLS URLs (the protocol's limit is 50,000 URLs or 50 MB a file), listing every
    page in each of the site's languages. The pages are listed once per data version; each file is
    written when asked for, with the host of the answer."""

    base = base_url(request.scope)
    try:
        paths = _sitemap_paths()
    except (DatabaseError, ConfigError, OSError):
        return PlainTextResponse("database unavailable", status_code=503, headers={"Retry-After": "30"})
    text = previews.sitemap_index(base, previews.file_count(paths), current().sitemap.get("lastmod", ""))
    return Response(text, media_type="application/xml", headers=XML_CACHE)


def sitemap_file(request: Request) -> Response:
    """`/sitemap-<n>.xml`: the n-th file of the sitemap index (1-based)."""

    base = base_url(request.scope)
    try:
        paths = _sitemap_paths()
    except (DatabaseError, ConfigError, OSError):
        return PlainTextResponse("database unavailable", status_code=503, headers={"Retry-After": "30"})
    n = request.path_params["number"]
    if not 1 <= n <= previews.file_count(paths):
        return PlainTextResponse("no such sitemap file", status_code=404)
    text = previews.language_file(paths, n, current().sitemap.get("lastmod", ""))
    return Response(previews.with_base(text, base), media_type="application/xml", headers=XML_CACHE)


class FirstPaintMiddleware:
    """Answers GET/HEAD of the exact page paths with index.html holding the view's first paint.

    Everything else passes through untouched, in particular any path containing `/_stcore/` and
    the static, component, media and API prefixes. Without a usable database, or if rendering
    fails, the page is Streamlit's plain index.html (the app then says what is wrong)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if (
            path in views.PAGES
            and scope["method"] in ("GET", "HEAD")
            and "/_stcore/" not in path
            and not path.startswith(PASS_THROUGH_PREFIXES)
        ):
            query = scope.get("query_string", b"").decode("latin-1")
            if len(query) <= MAX_QUERY:
                try:
                    text = await anyio.to_thread.run_sync(render_page, path, query, base_url(scope))
                except (DatabaseError, ConfigError, OSError):
                    text = None
                except Exception:  # noqa: BLE001 - never let the first paint break the page itself
                    log.exception("first paint of %s failed", path)
                    text = None
                if text is not None:
                    body = text.encode("utf-8")
                    response = Response(
                        b"" if scope["method"] == "HEAD" else body,
                        media_type="text/html; charset=utf-8",
                        headers={"Cache-Control": "no-cache", "Content-Length": str(len(body))},
                    )
                    await response(scope, receive, send)
                    return
        await self.app(scope, receive, send)

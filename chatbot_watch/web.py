"""The open-web layer around the Streamlit app: routes and middleware that serve.py gives `st.App`.

Health checks (`/healthz`, `/readyz`), the HTTP API (api.py), server-rendered first paint and link
previews for every page URL (firstpaint.py, previews.py), `/robots.txt`, `/sitemap.xml` (an index
of `/sitemap-<n>.xml` files), and the security headers of every response. Only the site's own
host names are answered (TrustedHostMiddleware: the base URL's host and `allowed_hosts`), and
Streamlit's `/_stcore/metrics` is refused. Every cache here is bounded by entries and bytes and
keyed only by what changes the answer. No Streamlit import: these are plain Starlette parts over
the same read-only database and query functions as the app.

Page HTML is Streamlit's own index.html with the view written into its `<head>` and `#root`; the
app replaces it when it mounts. Only the exact page paths are answered here: any path that
contains `/_stcore/` (the frontend probes `<page>/_stcore/health` on a deep link, and would take an
HTML answer as the app's base path), static files, components, media and the API pass through.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlencode

import anyio.to_thread
from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from chatbot_watch import clients, firstpaint, paths, queries, views
from chatbot_watch.config import ConfigError, Settings, load_settings
from chatbot_watch.database import Database, DatabaseError
from chatbot_watch.filters import PAGE_FILTERS
from chatbot_watch.memo import Memo, size_of

log = logging.getLogger(__name__)

# Paths never answered by the page middleware (Streamlit's own, static files, the API).
PASS_THROUGH_PREFIXES = ("/_stcore", "/static", "/app/static", "/component", "/media", "/api")
# The web layer's cache of answers (pages, API answers, views): bounded by entries and by bytes
# (memo.size_of), so no run of distinct requests can grow the server past it.
CACHE_ENTRIES = 4096
CACHE_BYTES = 64 * 2**20
# Link-preview renders (about half a second of CPU each) one client address may start: a burst of
# OG_BURST, then one every 1/OG_PER_SECOND seconds. Images already made are served without limit.
OG_BURST = 12
OG_PER_SECOND = 0.2


class Site:
    """The web layer's read-only view of the database: the app's `Database` (switched to a new
    build live), and a cache of rendered answers per data version, bounded by entries and bytes."""

    def __init__(self, settings: Settings | None = None) -> None:
        self._settings = settings
        self._db: Database | None = None
        self._lock = threading.Lock()
        self._cache: Memo[Any] = Memo(CACHE_ENTRIES, CACHE_BYTES, weigh=size_of)
        self._cache_version = ""
        self.og_limit = clients.RateLimiter(OG_PER_SECOND, OG_BURST)

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = load_settings()
        return self._settings

    def database(self) -> Database:
        with self._lock:
            if self._db is None:
                self._db = Database(self.settings.db_path)
            return self._db

    def version(self) -> str:
        """The data version being served (one `stat`; switches to a new build). Raises
        DatabaseError when there is no usable database."""
        return self.database().refresh()

    def cursor(self) -> queries.Con:
        return self.database().cursor()

    def cached(self, key: tuple[Any, ...], make: Callable[[], Any]) -> Any:
        """`make()` once per data version and key (least recently used dropped past CACHE_ENTRIES
        entries or CACHE_BYTES bytes). Keys hold only what changes the answer."""
        version = self.version()
        with self._lock:
            if version != self._cache_version:
                self._cache.clear()
                self._cache_version = version
        return self._cache.get((version, *key), make)

    @property
    def cache_bytes(self) -> int:
        """The estimated bytes the cache holds (at most CACHE_BYTES)."""
        return self._cache.weight

    def meta(self) -> dict[str, str]:
        return self.cached(("meta",), lambda: queries.meta(self.cursor()))

    def options(self) -> dict[str, dict[str, str]]:
        """The allowed values of each list filter, as the app's sidebar offers them."""
        return self.cached(("filter_options",), lambda: queries.filter_options(self.cursor()))

    def aliases(self) -> dict[str, dict[str, str]]:
        """Names and aliases the pages accept for filter values ("Korea" -> KR), as the app reads them."""
        return self.cached(("filter_aliases",), lambda: queries.filter_aliases(self.cursor()))

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None


# ---------------------------------------------------------------------------
# Health
# ---------------------------------------------------------------------------


async def healthz(_request: Request) -> Response:
    """Liveness: the process answers HTTP (on the event loop: never queued behind the thread pool's
    work, so a probe measures the process, not the load)."""
    return PlainTextResponse("ok", headers={"Cache-Control": "no-store"})


def readyz(_request: Request) -> Response:
    """Readiness: the database is present and readable; says which data version is served."""
    site = SITE
    try:
        site.version()
        m = queries.meta(site.cursor())
    except (DatabaseError, ConfigError, OSError) as exc:
        # The reason names the server's files: it goes to the log, the probe gets what kind it is.
        log.warning("not ready: %s", exc)
        body = {"status": "not ready", "error": _unready_reason(exc)}
        return JSONResponse(body, status_code=503, headers={"Cache-Control": "no-store"})
    except Exception as exc:  # noqa: BLE001 - a probe reports any failure to read as "not ready"
        log.exception("readiness check failed")
        body = {"status": "not ready", "error": type(exc).__name__}
        return JSONResponse(body, status_code=503, headers={"Cache-Control": "no-store"})
    body = {"status": "ready", "data_version": m.get("data_version"), "as_of": m.get("as_of")}
    return JSONResponse(body, headers={"Cache-Control": "no-store"})


def _unready_reason(exc: Exception) -> str:
    """What is wrong, in words that name no server path (the full reason is in the log)."""
    if isinstance(exc, ConfigError):
        return "the settings cannot be read"
    if isinstance(exc, DatabaseError) and "no data version" in str(exc):
        return "the database has no data version"
    return "the database is missing or cannot be read"


# ---------------------------------------------------------------------------
# Trusted hosts and private paths
# ---------------------------------------------------------------------------

# Probes (a container's health check, Kubernetes' kubelet) ask by the pod's address: these answer
# any Host, and name none.
HOST_EXEMPT_PATHS = ("/healthz", "/readyz", "/_stcore/health")


def configured_base_url() -> str:
    """CHATBOT_WATCH_BASE_URL when it is an http(s) address, without a trailing slash; else ""."""
    configured = os.environ.get(paths.ENV_BASE_URL, "").strip().rstrip("/")
    return configured if configured.startswith(("https://", "http://")) else ""


def split_host(host: str) -> str:
    """The host name of a Host header, lower-case, without its port ("[::1]" keeps its brackets)."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[: host.find("]") + 1] if "]" in host else ""
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def allowed_hosts(settings: Settings) -> tuple[str, ...]:
    """The host names the site answers to: the base URL's host, if one is set, and config.yaml's
    `allowed_hosts` (CHATBOT_WATCH_ALLOWED_HOSTS), localhost names by default."""
    from urllib.parse import urlsplit

    base = configured_base_url()
    named = (split_host(urlsplit(base).netloc),) if base else ()
    return tuple(dict.fromkeys([*named, *settings.allowed_hosts]))


def host_allowed(host: str, allowed: tuple[str, ...]) -> bool:
    """Whether Host header `host` names an allowed host (".example.org" allows it and its subdomains)."""
    name = split_host(host)
    if not name or not _HOST.fullmatch(host.strip()):
        return False
    return any(name == a or (a.startswith(".") and (name == a[1:] or name.endswith(a))) for a in allowed)


class TrustedHostMiddleware:
    """Answers 400 to any HTTP request or websocket whose Host is not an allowed host (Django's
    ALLOWED_HOSTS), so no page, link preview, robots.txt or sitemap names a host the request chose.
    Health probes (HOST_EXEMPT_PATHS) answer any Host; they name none."""

    def __init__(self, app: ASGIApp, allowed: tuple[str, ...] | None = None) -> None:
        self.app = app
        self._allowed = allowed

    @property
    def allowed(self) -> tuple[str, ...]:
        if self._allowed is None:
            self._allowed = allowed_hosts(SITE.settings)
        return self._allowed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or scope.get("path", "") in HOST_EXEMPT_PATHS:
            await self.app(scope, receive, send)
            return
        try:
            allowed = self.allowed
        except ConfigError:
            allowed = ("localhost", "127.0.0.1", "[::1]")
        if host_allowed(Headers(scope=scope).get("host", ""), allowed):
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        response = PlainTextResponse("Bad Request: this site does not answer to that host name", status_code=400)
        await response(scope, receive, send)


class PrivatePathsMiddleware:
    """Refuses Streamlit's `/_stcore/metrics` (process internals) on the app's own port, whatever
    proxy is or is not in front of it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("path", "").rstrip("/").endswith("/_stcore/metrics"):
            await PlainTextResponse("Not Found", status_code=404)(scope, receive, send)
            return
        await self.app(scope, receive, send)


# ---------------------------------------------------------------------------
# Security headers
# ---------------------------------------------------------------------------


def _index_path() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("streamlit")
    assert spec is not None and spec.origin is not None
    return Path(spec.origin).parent / "static" / "index.html"


def inline_script_hashes(html: str) -> list[str]:
    """CSP source expressions ('sha256-...') for each inline <script> of `html`."""
    import base64

    out = []
    for m in re.finditer(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, flags=re.S | re.I):
        digest = hashlib.sha256(m.group(1).encode("utf-8")).digest()
        out.append(f"'sha256-{base64.b64encode(digest).decode('ascii')}'")
    return out


def content_security_policy(index_html: str, embed: bool = False) -> str:
    """As strict as Streamlit's frontend and Vega allow (checked in tests/test_browser.py):
    scripts only from this origin plus the hash of index.html's one inline script (no inline
    script injected into a page can run) and WebAssembly compilation (`'wasm-unsafe-eval'`: the
    frontend compiles WebAssembly; it allows no JavaScript eval); styles inline because
    Streamlit's components inject their CSS at run time; no plugins, forms and base URL to self;
    no framing by other sites, except a page asked for in embed mode (`?embed=true`, Streamlit's
    chrome-free view, offered by "Embed this view"), which any site may frame."""
    scripts = " ".join(["'self'", *inline_script_hashes(index_html), "'wasm-unsafe-eval'"])
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {scripts}",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "worker-src 'self' blob:",
            "frame-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors *" if embed else "frame-ancestors 'none'",
        ]
    )


def security_headers(index_html: str, embed: bool = False) -> list[tuple[str, str]]:
    """The headers every response carries (a handler's own value wins); `embed`: a page asked for
    in embed mode, which other sites may frame.

    No `Cross-Origin-Opener-Policy`: it cost every cold deep link about 1.6 % of its time to fully
    drawn (bench.mount_whatif, docs/benchmarks.md: the browser moves the page out of the new tab's
    browsing context group), to guard window references between this page and a cross-origin
    opener or popup. The site has no login, no personal data and no secret to leak that way; its
    framing is ruled by `frame-ancestors` and X-Frame-Options."""
    return [
        ("Content-Security-Policy", content_security_policy(index_html, embed)),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "strict-origin-when-cross-origin"),
        *([] if embed else [("X-Frame-Options", "DENY")]),
        (
            "Permissions-Policy",
            "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=(), browsing-topics=()",
        ),
    ]


def is_embed_page(scope: Scope) -> bool:
    """A page (not a script, an API answer or a health check) asked for in embed mode."""
    if scope.get("path", "") not in views.PAGES:
        return False
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    return any(v.lower() == "true" for v in query.get("embed", []))


class SecurityHeadersMiddleware:
    """Adds `security_headers` to every HTTP response (pure ASGI: websockets pass untouched)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.headers = security_headers(INDEX_HTML)
        self.embed_headers = security_headers(INDEX_HTML, embed=True)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        extra = self.embed_headers if is_embed_page(scope) else self.headers

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in extra:
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


# ---------------------------------------------------------------------------
# First paint
# ---------------------------------------------------------------------------

_HOST = re.compile(r"(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?")
MAX_QUERY = 4096
PAGE_BY_NAME = {page.key: path for path, page in views.PAGES.items()}


def base_url(scope: Scope) -> str:
    """The site's public address for absolute links (canonical, og:url, sitemap): the
    CHATBOT_WATCH_BASE_URL setting, else the request's scheme and Host, which TrustedHostMiddleware
    has checked against the allowed hosts (a Host that is no plain host name gives site-relative
    links rather than echoing it)."""
    configured = configured_base_url()
    if configured:
        return configured
    host = Headers(scope=scope).get("host", "")
    scheme = scope.get("scheme", "http")
    if not _HOST.fullmatch(host) or scheme not in ("http", "https"):
        return ""
    return f"{scheme}://{host.lower()}"


def render_page(path: str, query: str, base: str) -> str:
    """Streamlit's index.html with the first paint of `path?query` (cached per data version)."""
    key = ("page", path, query, base)
    return SITE.cached(key, lambda: firstpaint.page_html(INDEX_HTML, _view(path, query), base))


def _view(path: str, query: str) -> views.View:
    pairs = parse_qsl(query, keep_blank_values=True)
    params: dict[str, list[str]] = {}
    for k, v in pairs:
        params.setdefault(k, []).append(v)
    return views.view(
        SITE.cursor(), SITE.meta(), SITE.options(), path, params, SITE.aliases(), SITE.settings.site_title
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


def client_address(scope: Scope) -> str:
    """The request's client address: the connection's, or a trusted proxy's X-Forwarded-For (clients.py)."""
    peer = (scope.get("client") or (None, None))[0]
    forwarded = Headers(scope=scope).getlist("x-forwarded-for")
    return clients.client_address(peer, forwarded, SITE.settings.trusted_proxies)


def og_image(request: Request) -> Response:
    """`/og/<page>.png?<filters>`: the PNG of the view's main chart (link previews), made once per
    data version and image (previews.image_key); a client address may start OG_BURST renders, then
    one every 1/OG_PER_SECOND s (429 beyond that), while images already made are served to all."""
    from chatbot_watch import api, previews

    path = PAGE_BY_NAME.get(request.path_params["page"])
    if path is None or len(request.url.query) > MAX_QUERY:
        return json_not_found(request)
    query = image_query(path, request.url.query)
    try:
        version = SITE.version()
        v = SITE.cached(("view", path, query), lambda: _view(path, query))
    except (DatabaseError, ConfigError, OSError):
        return PlainTextResponse("database unavailable", status_code=503, headers={"Retry-After": "30"})
    key = previews.image_key(v)
    tag = api.etag(version, "og", repr(key))
    headers = {"ETag": tag, "Cache-Control": "public, max-age=3600"}
    if request.headers.get("if-none-match") == tag:
        return Response(status_code=304, headers=headers)
    png = previews.kept_png(key)
    if png is None:
        if not SITE.og_limit.allow(clients.limit_key(client_address(request.scope))):
            return PlainTextResponse(
                "too many new link-preview images from this address; try again in a minute",
                status_code=429,
                headers={"Retry-After": str(round(1 / OG_PER_SECOND)), "Cache-Control": "no-store"},
            )
        png = previews.image_png(SITE.cursor(), v)
    return Response(png, media_type="image/png", headers=headers)


def robots(request: Request) -> Response:
    from chatbot_watch import previews

    return PlainTextResponse(
        previews.robots_txt(base_url(request.scope)), headers={"Cache-Control": "public, max-age=3600"}
    )


def _sitemap_paths() -> list[str]:
    """The sitemap's pages (in English) of the data version served, listed once per version and
    kept outside the answer cache (a crawler's run of pages must not evict them); each file lists
    them in every language, written when asked for (previews.language_file)."""
    from chatbot_watch import previews

    version = SITE.version()
    with _SITEMAP_LOCK:
        if _SITEMAP.get("version") != version:
            m = SITE.meta()
            paths = previews.sitemap_paths(SITE.cursor())
            _SITEMAP.clear()
            _SITEMAP.update(version=version, paths=paths, lastmod=m.get("built_at", "")[:10])
        return _SITEMAP["paths"]


_SITEMAP: dict[str, Any] = {}
_SITEMAP_LOCK = threading.Lock()
XML_CACHE = {"Cache-Control": "public, max-age=3600"}


def sitemap(request: Request) -> Response:
    """`/sitemap.xml`: a sitemap index of `/sitemap-<n>.xml` files, each of at most
    previews.SITEMAP_URLS URLs (the protocol's limit is 50,000 URLs or 50 MB a file), listing every
    page in each of the site's languages. The pages are listed once per data version; each file is
    written when asked for, with the host of the answer."""
    from chatbot_watch import previews

    base = base_url(request.scope)
    try:
        paths = _sitemap_paths()
    except (DatabaseError, ConfigError, OSError):
        return PlainTextResponse("database unavailable", status_code=503, headers={"Retry-After": "30"})
    text = previews.sitemap_index(base, previews.file_count(paths), _SITEMAP.get("lastmod", ""))
    return Response(text, media_type="application/xml", headers=XML_CACHE)


def sitemap_file(request: Request) -> Response:
    """`/sitemap-<n>.xml`: the n-th file of the sitemap index (1-based)."""
    from chatbot_watch import previews

    base = base_url(request.scope)
    try:
        paths = _sitemap_paths()
    except (DatabaseError, ConfigError, OSError):
        return PlainTextResponse("database unavailable", status_code=503, headers={"Retry-After": "30"})
    n = request.path_params["number"]
    if not 1 <= n <= previews.file_count(paths):
        return PlainTextResponse("no such sitemap file", status_code=404)
    text = previews.language_file(paths, n, _SITEMAP.get("lastmod", ""))
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


_STYLESHEET = re.compile(r'\s*<link rel="stylesheet"[^>]*>')


def stylesheet_after_root(index_html: str) -> str:
    """Streamlit's index.html with its one stylesheet link moved from <head> to just after #root.

    In <head>, after the 58 preloaded scripts, the stylesheet holds every paint until it has
    arrived, the server-rendered first paint included (measured: first content 0.9-1.75x
    Datasette, against 0.7-1.1x with the link after #root; docs/benchmarks.md). After #root it
    holds only what follows it; the app's scripts still wait for it before they run."""
    link = _STYLESHEET.search(index_html)
    if link is None or '<div id="root"></div>' not in index_html:
        return index_html  # another Streamlit layout: leave it as it is
    moved = index_html.replace(link.group(0), "", 1)
    return moved.replace('<div id="root"></div>', '<div id="root"></div>' + link.group(0).strip(), 1)


_MODULE_SCRIPT = re.compile(r'\s*<script type="module" crossorigin src="([^"]+)"></script>')
_MODULE_PRELOAD = re.compile(r'\s*<link rel="modulepreload" crossorigin href="([^"]+)">')
# Starts the app's scripts once the first frame is drawn, or after START_MS if no frame comes (a
# tab opened in the background draws none until it is shown).
_BOOT = (
    "(()=>{let done=false;const go=()=>{if(done)return;done=true;const h=document.head;"
    'for(const u of %s){const l=document.createElement("link");l.rel="preload";l.as="font";'
    'l.type="font/woff2";l.crossOrigin="";l.href=u;h.appendChild(l)}'
    'for(const u of %s){const l=document.createElement("link");l.rel="modulepreload";l.crossOrigin="";'
    'l.href=u;h.appendChild(l)}const s=document.createElement("script");s.type="module";s.crossOrigin="";'
    "s.src=%s;h.appendChild(s)};requestAnimationFrame(()=>setTimeout(go,0));setTimeout(go,%d)})()"
)
# Streamlit's preload of its "Source Sans" font (in <head>): it delayed the first frame with content
# (measured, docs/benchmarks.md), so it is started with the scripts instead (issue 26, item 7).
_FONT_PRELOAD = re.compile(r'\s*<link\s+rel="preload"\s+href="([^"]+)"\s+as="font"[^>]*>')
START_MS = 250


def scripts_after_first_frame(index_html: str) -> str:
    """Streamlit's index.html with its module script and its 58 `modulepreload` links started by a
    small inline script once the first frame is drawn, instead of from <head>.

    From <head> the browser fetches and compiles the app's JavaScript (about 1 MB) while it parses
    the page, and draws the server-rendered first paint only after that: at about 300-400 ms on
    this machine against Datasette's 220-290 ms. Started after the first frame, the first paint
    shows at about 180 ms, and the app is fully drawn as soon as before (bench.mount_whatif,
    docs/benchmarks.md). The inline script is allowed by its hash in the Content-Security-Policy.

    Streamlit's preload of its font moves into the same script: with it in <head>, a record page's
    content came into view later (median 290 ms against 223 ms, same rounds), and its first content
    with the first paint in the system's font went from 1.3-1.4x Datasette's row page to 1.06-1.13x
    (docs/benchmarks.md, issue 26)."""
    script = _MODULE_SCRIPT.search(index_html)
    preloads = _MODULE_PRELOAD.findall(index_html)
    if script is None or "</body>" not in index_html:
        return index_html  # another Streamlit layout: leave it as it is
    fonts = _FONT_PRELOAD.findall(index_html)
    out = _FONT_PRELOAD.sub("", _MODULE_PRELOAD.sub("", index_html.replace(script.group(0), "", 1)))
    boot = _BOOT % (json.dumps(fonts), json.dumps(preloads), json.dumps(script.group(1)), START_MS)
    return out.replace("</body>", f"<script>{boot}</script>\n  </body>", 1)


INDEX_HTML = scripts_after_first_frame(stylesheet_after_root(_index_path().read_text(encoding="utf-8")))
SITE = Site()


def routes() -> list[BaseRoute]:
    """The routes serve.py adds to the Streamlit app."""
    from chatbot_watch import api

    return [
        Route("/healthz", healthz, methods=["GET", "HEAD"]),
        Route("/readyz", readyz, methods=["GET", "HEAD"]),
        Route("/robots.txt", robots, methods=["GET", "HEAD"]),
        Route("/sitemap.xml", sitemap, methods=["GET", "HEAD"]),
        Route("/sitemap-{number:int}.xml", sitemap_file, methods=["GET", "HEAD"]),
        Route("/og/{page}.png", og_image, methods=["GET", "HEAD"]),
        Route("/og/{rest:path}", json_not_found, methods=["GET", "HEAD"]),
        *api.routes(),
    ]


def middleware() -> list[Middleware]:
    """The middleware serve.py adds, outermost first: security headers on every answer (400s
    included), trusted hosts, private paths, then the first paint."""
    return [
        Middleware(SecurityHeadersMiddleware),
        Middleware(TrustedHostMiddleware),
        Middleware(PrivatePathsMiddleware),
        Middleware(FirstPaintMiddleware),
    ]

"""The open-web layer around the Streamlit app: routes and middleware that serve.py gives `st.App`.

Health checks (`/healthz`, `/readyz`), the HTTP API (api.py), server-rendered first paint and link
previews for every page URL (firstpaint.py, previews.py), `/robots.txt`, `/sitemap.xml`, and the
security headers of every response. No Streamlit import: these are plain Starlette parts over the
same read-only database and query functions as the app.

Page HTML is Streamlit's own index.html with the view written into its `<head>` and `#root`; the
app replaces it when it mounts. Only the exact page paths are answered here: any path that
contains `/_stcore/` (the frontend probes `<page>/_stcore/health` on a deep link, and would take an
HTML answer as the app's base path), static files, components, media and the API pass through.
"""

from __future__ import annotations

import collections
import hashlib
import json
import logging
import os
import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, parse_qsl

import anyio.to_thread
from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from chatbot_watch import firstpaint, paths, queries
from chatbot_watch.config import ConfigError, Settings, load_settings
from chatbot_watch.database import Database, DatabaseError

log = logging.getLogger(__name__)

# Paths never answered by the page middleware (Streamlit's own, static files, the API).
PASS_THROUGH_PREFIXES = ("/_stcore", "/static", "/app/static", "/component", "/media", "/api")
CACHE_ENTRIES = 512


class Site:
    """The web layer's read-only view of the database: the app's `Database` (switched to a new
    build live), and a small cache of rendered answers per data version."""

    def __init__(self, settings: Settings | None = None) -> None:
        self._settings = settings
        self._db: Database | None = None
        self._lock = threading.Lock()
        self._cache: collections.OrderedDict[tuple[Any, ...], Any] = collections.OrderedDict()
        self._cache_version = ""

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
        """`make()` once per data version and key (least recently used dropped past CACHE_ENTRIES)."""
        version = self.version()
        with self._lock:
            if version != self._cache_version:
                self._cache.clear()
                self._cache_version = version
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        value = make()
        with self._lock:
            if version == self._cache_version:
                self._cache[key] = value
                while len(self._cache) > CACHE_ENTRIES:
                    self._cache.popitem(last=False)
        return value

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


def healthz(_request: Request) -> Response:
    """Liveness: the process answers HTTP."""
    return PlainTextResponse("ok", headers={"Cache-Control": "no-store"})


def readyz(_request: Request) -> Response:
    """Readiness: the database is present and readable; says which data version is served."""
    site = SITE
    try:
        site.version()
        m = queries.meta(site.cursor())
    except (DatabaseError, ConfigError, OSError) as exc:
        body = {"status": "not ready", "error": str(exc)}
        return JSONResponse(body, status_code=503, headers={"Cache-Control": "no-store"})
    except Exception as exc:  # noqa: BLE001 - a probe reports any failure to read as "not ready"
        log.exception("readiness check failed")
        body = {"status": "not ready", "error": type(exc).__name__}
        return JSONResponse(body, status_code=503, headers={"Cache-Control": "no-store"})
    body = {"status": "ready", "data_version": m.get("data_version"), "as_of": m.get("as_of")}
    return JSONResponse(body, headers={"Cache-Control": "no-store"})


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
    if scope.get("path", "") not in firstpaint.PAGES:
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
PAGE_BY_NAME = {key: path for path, (key, _title) in firstpaint.PAGES.items()}


def base_url(scope: Scope) -> str:
    """The site's public address for absolute links (canonical, og:url, sitemap): the
    CHATBOT_WATCH_BASE_URL setting, else the request's scheme and Host if it is a plain host name
    (anything else gives site-relative links rather than echoing it)."""
    configured = os.environ.get(paths.ENV_BASE_URL, "").strip().rstrip("/")
    if configured.startswith(("https://", "http://")):
        return configured
    host = Headers(scope=scope).get("host", "")
    scheme = scope.get("scheme", "http")
    if not _HOST.fullmatch(host) or scheme not in ("http", "https"):
        return ""
    return f"{scheme}://{host}"


def render_page(path: str, query: str, base: str) -> str:
    """Streamlit's index.html with the first paint of `path?query` (cached per data version)."""
    key = ("page", path, query, base)
    return SITE.cached(key, lambda: firstpaint.page_html(INDEX_HTML, _view(path, query), base))


def _view(path: str, query: str) -> firstpaint.View:
    pairs = parse_qsl(query, keep_blank_values=True)
    params: dict[str, list[str]] = {}
    for k, v in pairs:
        params.setdefault(k, []).append(v)
    return firstpaint.view(
        SITE.cursor(), SITE.meta(), SITE.options(), path, params, SITE.aliases(), SITE.settings.site_title
    )


def og_image(request: Request) -> Response:
    """`/og/<page>.png?<filters>`: the PNG of the view's main chart (link previews)."""
    from chatbot_watch import api, previews

    path = PAGE_BY_NAME.get(request.path_params["page"])
    query = request.url.query
    if path is None or len(query) > MAX_QUERY:
        return PlainTextResponse("not found", status_code=404)
    try:
        version = SITE.version()
        v = SITE.cached(("view", path, query), lambda: _view(path, query))
    except (DatabaseError, ConfigError, OSError):
        return PlainTextResponse("database unavailable", status_code=503, headers={"Retry-After": "30"})
    tag = api.etag(version, "og", v.canonical)
    headers = {"ETag": tag, "Cache-Control": "public, max-age=3600"}
    if request.headers.get("if-none-match") == tag:
        return Response(status_code=304, headers=headers)
    png = previews.image_png(SITE.cursor(), v)
    return Response(png, media_type="image/png", headers=headers)


def robots(request: Request) -> Response:
    from chatbot_watch import previews

    return PlainTextResponse(
        previews.robots_txt(base_url(request.scope)), headers={"Cache-Control": "public, max-age=3600"}
    )


def sitemap(request: Request) -> Response:
    """`/sitemap.xml`: every page, country, app, company and record (needs absolute URLs)."""
    from chatbot_watch import previews

    base = base_url(request.scope)
    try:
        m = SITE.meta()
        text = SITE.cached(
            ("sitemap", base),
            lambda: previews.sitemap_xml(base, previews.sitemap_paths(SITE.cursor()), m.get("built_at", "")[:10]),
        )
    except (DatabaseError, ConfigError, OSError):
        return PlainTextResponse("database unavailable", status_code=503, headers={"Retry-After": "30"})
    return Response(text, media_type="application/xml", headers={"Cache-Control": "public, max-age=3600"})


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
            path in firstpaint.PAGES
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
    'for(const u of %s){const l=document.createElement("link");l.rel="modulepreload";l.crossOrigin="";'
    'l.href=u;h.appendChild(l)}const s=document.createElement("script");s.type="module";s.crossOrigin="";'
    "s.src=%s;h.appendChild(s)};requestAnimationFrame(()=>setTimeout(go,0));setTimeout(go,%d)})()"
)
START_MS = 250


def scripts_after_first_frame(index_html: str) -> str:
    """Streamlit's index.html with its module script and its 58 `modulepreload` links started by a
    small inline script once the first frame is drawn, instead of from <head>.

    From <head> the browser fetches and compiles the app's JavaScript (about 1 MB) while it parses
    the page, and draws the server-rendered first paint only after that: at about 300-400 ms on
    this machine against Datasette's 220-290 ms. Started after the first frame, the first paint
    shows at about 180 ms, and the app is fully drawn as soon as before (bench.mount_whatif,
    docs/benchmarks.md). The inline script is allowed by its hash in the Content-Security-Policy."""
    script = _MODULE_SCRIPT.search(index_html)
    preloads = _MODULE_PRELOAD.findall(index_html)
    if script is None or "</body>" not in index_html:
        return index_html  # another Streamlit layout: leave it as it is
    out = _MODULE_PRELOAD.sub("", index_html.replace(script.group(0), "", 1))
    boot = _BOOT % (json.dumps(preloads), json.dumps(script.group(1)), START_MS)
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
        Route("/og/{page}.png", og_image, methods=["GET", "HEAD"]),
        *api.routes(),
    ]


def middleware() -> list[Middleware]:
    """The middleware serve.py adds, outermost first."""
    return [Middleware(SecurityHeadersMiddleware), Middleware(FirstPaintMiddleware)]

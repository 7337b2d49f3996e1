"""The open-web layer's routes and middleware, which serve.py gives `st.App`, built by functions
(`routes()`, `middleware()`): health checks (`/healthz`, `/readyz`), the HTTP API (api.py), the
pages' first paint, link previews, robots.txt and the sitemap (pages.py), and security (security.py).
No Streamlit import: these are plain Starlette parts over the same read-only database and query
functions as the app; tests drive them in-process (tests/asgi.py)."""

from __future__ import annotations

import logging

from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from chatbot_watch import queries
from chatbot_watch.config import ConfigError
from chatbot_watch.store.database import DatabaseError
from chatbot_watch.web import api, embeds, pages
from chatbot_watch.web.security import PrivatePathsMiddleware, SecurityHeadersMiddleware, TrustedHostMiddleware
from chatbot_watch.web.site import current

log = logging.getLogger(__name__)

# ---------------------------------------------------------------------------
# Health
# ---------------------------------------------------------------------------


async def healthz(_request: Request) -> Response:
    """Liveness: the process answers HTTP (on the event loop: never queued behind the thread pool's
    work, so a probe measures the process, not the load)."""
    return PlainTextResponse("ok", headers={"Cache-Control": "no-store"})


def readyz(_request: Request) -> Response:
    """Readiness: the database is present and readable; says which data version is served."""
    site = current()
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


def routes() -> list[BaseRoute]:
    """The routes serve.py adds to the Streamlit app."""
    return [
        Route("/healthz", healthz, methods=["GET", "HEAD"]),
        Route("/readyz", readyz, methods=["GET", "HEAD"]),
        Route("/robots.txt", pages.robots, methods=["GET", "HEAD"]),
        Route("/sitemap.xml", pages.sitemap, methods=["GET", "HEAD"]),
        Route("/sitemap-{number:int}.xml", pages.sitemap_file, methods=["GET", "HEAD"]),
        Route("/og/{page}.png", pages.og_image, methods=["GET", "HEAD"]),
        Route("/og/{rest:path}", pages.json_not_found, methods=["GET", "HEAD"]),
        *api.routes(),
    ]


def middleware() -> list[Middleware]:
    """The middleware serve.py adds, outermost first: security headers on every answer (400s
    included), trusted hosts, private paths, the notice for a framed page outside embed mode, then
    the first paint."""
    return [
        Middleware(SecurityHeadersMiddleware),
        Middleware(TrustedHostMiddleware),
        Middleware(PrivatePathsMiddleware),
        Middleware(embeds.FramedNoticeMiddleware),
        Middleware(pages.FirstPaintMiddleware),
    ]

"""Security of every answer: only the site's own host names are answered (TrustedHostMiddleware),
Streamlit's `/_stcore/metrics` is refused (PrivatePathsMiddleware), and every response carries the
security headers (SecurityHeadersMiddleware: a strict Content-Security-Policy, no framing except in
embed mode)."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qs

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from chatbot_watch import views
from chatbot_watch.config import ConfigError, Settings
from chatbot_watch.web import embeds, index
from chatbot_watch.web.site import HOST, configured_base_url, current

# ---------------------------------------------------------------------------
# Trusted hosts and private paths
# ---------------------------------------------------------------------------

# Probes (a container's health check, Kubernetes' kubelet) ask by the pod's address: these answer
# any Host, and name none.
HOST_EXEMPT_PATHS = ("/healthz", "/readyz", "/_stcore/health")


def split_host(host: str) -> str:
    """The host name of a Host header, lower-case, without its port ("[::1]" keeps its brackets)."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[: host.find("]") + 1] if "]" in host else ""
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def allowed_hosts(settings: Settings) -> tuple[str, ...]:
    """The host names the site answers to: the base URL's host, if one is set, and config.yaml's
    `allowed_hosts` (CHATBOT_WATCH_ALLOWEDHOSTS), localhost names by default."""
    from urllib.parse import urlsplit

    base = configured_base_url()
    named = (split_host(urlsplit(base).netloc),) if base else ()
    return tuple(dict.fromkeys([*named, *settings.allowed_hosts]))


def host_allowed(host: str, allowed: tuple[str, ...]) -> bool:
    """Whether Host header `host` names an allowed host (".example.org" allows it and its subdomains)."""
    name = split_host(host)
    if not name or not HOST.fullmatch(host.strip()):
        return False
    return any(name == a or (a.startswith(".") and (name == a[1:] or name.endswith(a))) for a in allowed)


class TrustedHostMiddleware:
    """Answers 400 to any HTTP request or websocket whose Host is not an allowed host (Django's
    ALLOWEDHOSTS), so no page, link preview, robots.txt or sitemap names a host the request chose.
    Health probes (HOST_EXEMPT_PATHS) answer any Host; they name none."""

    def __init__(self, app: ASGIApp, allowed: tuple[str, ...] | None = None) -> None:
        self.app = app
        self._allowed = allowed

    @property
    def allowed(self) -> tuple[str, ...]:
        if self._allowed is None:
            self._allowed = allowed_hosts(current().settings)
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
        self.headers = security_headers(index.index_html())
        self.embed_headers = security_headers(index.index_html(), embed=True)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        # A framed page outside embed mode gets the framable notice (embeds.py), which sets its own CSP.
        framable = is_embed_page(scope) or embeds.framed_without_embed(scope)
        extra = self.embed_headers if framable else self.headers

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in extra:
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)

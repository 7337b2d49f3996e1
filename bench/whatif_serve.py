"""What-ifs for the benchmark: serve.py with one part of the web layer left out or changed.

`CHATBOT_WATCH_WHATIF` picks the variant (`python -m bench.mount_whatif` and `python -m
bench.versus --what-if` start one server per variant). Never served to visitors.

- `no-first-paint`: Streamlit's plain index.html on page URLs, the security headers kept;
- `no-headers`: the first paint kept, no security-headers middleware;
- `bare`: `st.App` around app.py with no routes and no middleware;
- `no-<header>`: everything kept, the security headers without that one (`no-csp`,
  `no-permissions`, `no-frame`, `no-referrer`, `no-nosniff`; `no-coop` was measured the same way
  before Cross-Origin-Opener-Policy was dropped, docs/benchmarks.md);
- `early-fetch`: everything kept, and the app's scripts fetched (not compiled) from <head> at low
  priority while the first paint draws (`<link rel=preload as=script fetchpriority=low>`);
- `boot-now`: everything kept, but the inline script starts the app's scripts at once, at the end
  of <body>, instead of after the first frame.

(`system-font` and `no-font-preload`, the first paint in "Source Sans" against the system's font
and Streamlit's font preload in <head> against started with the scripts, were measured the same
way before both were adopted (issue 26, docs/benchmarks.md); they are in git history, 9293336.)
"""

import os
from collections.abc import Callable
from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware
from starlette.types import ASGIApp

from chatbot_watch.web import app as web
from chatbot_watch.web import index, pages, security

APP = Path(__file__).resolve().parent.parent / "app.py"
VARIANT = os.environ.get("CHATBOT_WATCH_WHATIF", "")
WITHOUT_HEADER = {
    "no-csp": "Content-Security-Policy",
    "no-permissions": "Permissions-Policy",
    "no-frame": "X-Frame-Options",
    "no-referrer": "Referrer-Policy",
    "no-nosniff": "X-Content-Type-Options",
}


class HeadersWithout(security.SecurityHeadersMiddleware):
    """The security-headers middleware without the header VARIANT names."""

    def __init__(self, app: ASGIApp) -> None:
        super().__init__(app)
        left_out = WITHOUT_HEADER[VARIANT]
        self.headers = [(k, v) for k, v in self.headers if k != left_out]
        self.embed_headers = [(k, v) for k, v in self.embed_headers if k != left_out]


def _early_fetch(index_html: str) -> str:
    """index.html with a low-priority preload (fetch only) of each script the boot script starts."""
    original = index._index_path().read_text(encoding="utf-8")
    urls = [*index._MODULE_PRELOAD.findall(original), *index._MODULE_SCRIPT.findall(original)]
    links = "".join(f'<link rel="preload" as="script" crossorigin fetchpriority="low" href="{u}">' for u in urls)
    return index_html.replace("</head>", links + "</head>", 1)


def _boot_now(index_html: str) -> str:
    """index.html whose boot script starts the app's scripts at once."""
    after_frame = f"requestAnimationFrame(()=>setTimeout(go,0));setTimeout(go,{index.START_MS})}})()"
    assert after_frame in index_html, "the boot script changed"
    return index_html.replace(after_frame, "go()})()", 1)


# Variants of the page every first paint is written into (the CSP hashes the changed inline script).
PAGE: dict[str, Callable[[str], str]] = {"early-fetch": _early_fetch, "boot-now": _boot_now}
MIDDLEWARE = {
    **{name: [Middleware(HeadersWithout), Middleware(pages.FirstPaintMiddleware)] for name in WITHOUT_HEADER},
    **{name: web.middleware() for name in PAGE},
    "no-first-paint": [Middleware(security.SecurityHeadersMiddleware)],
    "no-headers": [Middleware(pages.FirstPaintMiddleware)],
    "bare": [],
}
if VARIANT not in MIDDLEWARE:
    raise SystemExit(f"CHATBOT_WATCH_WHATIF={VARIANT!r}: use one of {', '.join(MIDDLEWARE)}")
if VARIANT in PAGE:
    _variant = PAGE[VARIANT](index.index_html())
    index.index_html = lambda: _variant  # every answer starts from the variant's page

app = st.App(APP, routes=[] if VARIANT == "bare" else web.routes(), middleware=MIDDLEWARE[VARIANT])

"""What-ifs for the benchmark: serve.py with one part of the web layer left out.

`CHATBOT_WATCH_WHATIF` picks the variant (`python -m bench.mount_whatif` starts one server per
variant): `no-first-paint` (Streamlit's plain index.html on page URLs, the security headers kept),
`no-headers` (the first paint kept, no security-headers middleware), `bare` (`st.App` around app.py
with no routes and no middleware). Never served to visitors.
"""

import os
from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware

from chatbot_watch import web

APP = Path(__file__).resolve().parent.parent / "app.py"
VARIANT = os.environ.get("CHATBOT_WATCH_WHATIF", "")
MIDDLEWARE = {
    "no-first-paint": [Middleware(web.SecurityHeadersMiddleware)],
    "no-headers": [Middleware(web.FirstPaintMiddleware)],
    "bare": [],
}
if VARIANT not in MIDDLEWARE:
    raise SystemExit(f"CHATBOT_WATCH_WHATIF={VARIANT!r}: use one of {', '.join(MIDDLEWARE)}")

app = st.App(APP, routes=[] if VARIANT == "bare" else web.routes(), middleware=MIDDLEWARE[VARIANT])

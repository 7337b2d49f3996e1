"""A what-if for the benchmark: serve.py with Streamlit's stylesheet link moved after `#root`.

In Streamlit's index.html the one stylesheet (`static/css/index.*.css`) sits in <head>, after the
58 `modulepreload` links of its JavaScript; a stylesheet in <head> holds every paint until it has
arrived, the server-rendered first paint included. Placed after `#root` in <body>, it holds only
what follows it, so the first paint can show at once; the app's scripts still wait for it before
they run. `python -m bench.versus --what-if` times this beside serve.py and Datasette.
"""

import re
from pathlib import Path

import streamlit as st

from chatbot_watch import web

_LINK = re.search(r'\s*<link rel="stylesheet"[^>]*>', web.INDEX_HTML)
assert _LINK is not None, "Streamlit's index.html has no stylesheet link any more"
web.INDEX_HTML = web.INDEX_HTML.replace(_LINK.group(0), "", 1).replace(
    '<div id="root"></div>', '<div id="root"></div>' + _LINK.group(0).strip(), 1
)
app = st.App(Path(__file__).resolve().parent.parent / "app.py", routes=web.routes(), middleware=web.middleware())

"""Chatbot Watch's web server: the Streamlit app (app.py) plus the open-web layer around it.

    streamlit run serve.py                       (what `make run` does, through deploy/streamlit_nodelay.py)
    uvicorn serve:app --host 0.0.0.0 --port 8501 (any ASGI server; without TCP_NODELAY, see the launcher)

`st.App` is Streamlit's ASGI (Starlette) application: app.py stays the Streamlit script, and
chatbot_watch/web/app.py adds what a browser, a crawler or a script gets without running it: health
checks, the HTTP API, server-rendered first paint and link previews, and security headers.
"""

from pathlib import Path

import streamlit as st

from chatbot_watch.web import app as web

app = st.App(Path(__file__).resolve().with_name("app.py"), routes=web.routes(), middleware=web.middleware())

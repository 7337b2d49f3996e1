"""Search (?q=korea): apps, companies, countries and records by name, alias or id, each linking to its page.

What the page says is its view (chatbot_watch/views/search.py); the search box is drawn here."""

from urllib.parse import urlencode

import streamlit as st

from chatbot_watch import ui
from chatbot_watch.i18n import _
from chatbot_watch.views import search

ui.page_setup()
f = ui.page_filters("search")
q = ui.own_params("search")["q"]
v = ui.page_view("search", f)
ui.view_header(v)
typed = st.text_input(
    _("Search for"), value=q, placeholder=_("DeepSeek, PIPC, Reuters, Korea, AF-001"), key=f"search-{q}"
)
if " ".join(typed.split())[: search.MAX_QUERY] != q:
    st.query_params["q"] = " ".join(typed.split())[: search.MAX_QUERY]
    st.rerun()
results = v.table("results")
ui.search_results(results.frame if results else None, q, results.caption if results else "")
ui.footer(v.heading, "search" + (f"?{urlencode({'q': q})}" if q else ""), f)

"""Search (?q=korea): apps, companies, countries and records by name, alias or id, each linking to its page."""

from urllib.parse import urlencode

import streamlit as st

from chatbot_watch import queries, ui
from chatbot_watch.filters import url_text

ui.page_setup()
f = ui.page_filters("search")
q = " ".join(url_text((st.query_params.get_all("q") or [""])[0]).split())[:80]
ui.header("Search", "Find an app, a company, a country or a record by name, alias or id.")
typed = st.text_input("Search for", value=q, placeholder="DeepSeek, ByteDance, Korea, AF-001", key=f"search-{q}")
if " ".join(typed.split())[:80] != q:
    st.query_params["q"] = " ".join(typed.split())[:80]
    st.rerun()
ui.search_results(ui.query(queries.search, q) if q else None, q)
ui.footer("Search", "search" + (f"?{urlencode({'q': q})}" if q else ""), f)

"""The floor Streamlit itself sets: one st.dataframe of the restrictions view, from the same database.

    CHATBOT_WATCH_DB=build/chatbot_watch.duckdb streamlit run bench/minimal_app.py

Written the idiomatic way (a cached read-only connection, a cached query keyed on the filter),
and filtered by `?country=` like the real pages, so a rerun with a new query string does the
same kind of work: read the URL, run one query, send one table. The benchmark serves it beside
the app and reports each page's time as a ratio of this page's time.
"""

from __future__ import annotations

import os

import duckdb
import pandas as pd
import streamlit as st

from chatbot_watch import queries


@st.cache_resource
def _con() -> duckdb.DuckDBPyConnection:
    return queries.connect(os.environ["CHATBOT_WATCH_DB"])


@st.cache_data(max_entries=512)
def _rows(countries: tuple[str, ...]) -> pd.DataFrame:
    cur = _con().cursor()
    try:
        return cur.execute(
            "SELECT action_id, country_name, authority, action_type, app_name, announced, status, source_url "
            "FROM restrictions WHERE len($c) = 0 OR list_contains($c, country_code) "
            "ORDER BY announced_day DESC NULLS LAST, action_id",
            {"c": list(countries)},
        ).df()
    finally:
        cur.close()


st.title("Restrictions (minimal page)")
st.dataframe(_rows(tuple(st.query_params.get_all("country"))), hide_index=True)

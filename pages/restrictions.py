"""Restrictions: where chatbot apps are banned, blocked, investigated or fined, and since when.

What the page says, its charts included, is its view (chatbot_watch/views/restrictions.py)."""

import streamlit as st

from chatbot_watch import ui
from chatbot_watch.i18n import N_

ui.page_setup()
f = ui.page_filters("restrictions")
v = ui.page_view("restrictions", f)
ui.view_header(v)
ui.view_figures(v)
actions = v.table("restrictions")
ui.undated_note(f, ("actions",))
if actions.frame.empty:
    ui.nothing_matches(N_("government action"), f)
else:
    for chart in v.charts:  # the map, by country, by type, the timeline
        ui.view_chart(chart, f)
    st.subheader(actions.caption)
    ui.view_table(actions)
ui.downloads(actions.frame, v.heading, f, ui.page_url("restrictions", f))
ui.footer(v.heading, "restrictions", f)

"""Overview: the answers in plain words, the map of restrictions in force, the main data flows, what changed.

What the page says, its map and heatmap included, is its view (chatbot_watch/views/overview.py)."""

import streamlit as st

from chatbot_watch import ui
from chatbot_watch.i18n import N_, _

ui.page_setup()
f = ui.page_filters("overview")
v = ui.page_view("overview", f)
ui.view_header(v)
st.markdown("\n".join(f"- {ui.md(s)}" for s in v.sentences))
ui.view_figures(v)

st.subheader(_("Where chatbot apps are restricted"))
if not ui.view_chart(v.chart("map"), f):
    ui.nothing_matches(N_("government action"), f)

st.subheader(_("Main data flows"))
ui.evidence_legend()
if not ui.view_chart(v.chart("matrix"), f):
    ui.nothing_matches(N_("data flow to a named company"), f)

recent = v.table("recent")
st.subheader(recent.caption)
ui.view_table(recent)
ui.undated_note(f)
changes = v.table("changes")
st.subheader(changes.caption)
ui.view_table(changes)
ui.feed_links(f)
ui.footer(_("Overview"), "", f)

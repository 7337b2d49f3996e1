"""Data flows: which app sends which data types to which company (and its parent).

What the page says, its charts included, is its view (chatbot_watch/views/flows.py)."""

import streamlit as st

from chatbot_watch import ui
from chatbot_watch.i18n import N_, _

ui.page_setup()
f = ui.page_filters("flows")
v = ui.page_view("flows", f)
ui.view_header(v)
ui.view_figures(v)
for sentence in v.sentences:  # what the developer-country filters leave out, with the number
    st.caption(ui.md(sentence))
flows = v.table("flows")
ui.undated_note(f, ("findings",))
if flows.frame.empty:
    ui.nothing_matches(N_("finding"), f)
else:
    ui.evidence_legend()
    if not ui.view_chart(v.chart("matrix"), f):
        st.info(_("None of the matching findings names a recipient company; they are listed below."))
    ui.view_chart(v.chart("evidence"), f)
    st.subheader(flows.caption)
    ui.view_table(flows)
ui.downloads(flows.frame, v.heading, f, ui.page_url("flows", f))
ui.footer(v.heading, "flows", f)

"""Companies: recipient companies, their ownership chains, and which apps send them what.

What the page says is its view (chatbot_watch/views/companies.py); the ownership picker is drawn here."""

import streamlit as st

from chatbot_watch import queries, ui
from chatbot_watch.i18n import N_, _, translate_values
from chatbot_watch.views import columns

ui.page_setup()
f = ui.page_filters("companies")
v = ui.page_view("companies", f)
ui.view_header(v)
ui.view_figures(v)
for sentence in v.sentences:  # what the developer-country filters leave out, with the number
    st.caption(ui.md(sentence))
companies = v.table("companies")
rows = companies.frame
ui.undated_note(f, ("findings",))
if rows.empty:
    ui.nothing_matches(N_("recipient company"), f)
    ui.chronology(v.table("events"))
    ui.footer(v.heading, "companies", f)
    st.stop()

st.subheader(companies.caption)
ui.view_table(companies)
if v.table("events") is not None:
    ui.chronology(v.table("events"))

st.subheader(_("Ownership chain"))
names = dict(zip(rows["company_id"], rows["company_name"], strict=True))
chosen = st.selectbox(_("Company"), options=list(names), format_func=lambda c: names[c], key="company_pick")
chain = ui.query(queries.company_chain, chosen)
if chain.empty:
    st.info(_("No owner recorded for {company}.").format(company=ui.md(names[chosen])))
else:
    ui.table(chain, translate_values(columns.CHAIN), link_cols=())

ui.downloads(rows, "Recipient companies", f, ui.page_url("companies", f))
ui.footer(_("Recipient companies"), "companies", f)

"""Restrictions: where chatbot apps are banned, blocked, investigated or fined, and since when.

What the page says is its view (chatbot_watch/views/restrictions.py); the charts are drawn here."""

import streamlit as st

from chatbot_watch import ui
from chatbot_watch.i18n import N_, _
from chatbot_watch.queries import chartdata
from chatbot_watch.views import charts, columns

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
    ui.map_with_table(f)
    ui.by_country_section(f)
    ui.chart_with_table(
        ui.ChartRef(charts.actions_by_type, chartdata.actions_by_type, (f,)),
        ui.query(chartdata.actions_by_type, f),
        _("Number of actions of each type, split by current status."),
        columns.ACTIONS_BY_TYPE,
        f,
        part="by_type",
    )
    ui.timeline_section(f)
    st.subheader(actions.caption)
    ui.view_table(actions)
ui.downloads(actions.frame, v.heading, f, ui.page_url("restrictions", f))
ui.footer(v.heading, "restrictions", f)

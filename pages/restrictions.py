"""Restrictions: where chatbot apps are banned, blocked, investigated or fined, and since when."""

import streamlit as st

from chatbot_watch import charts, queries, ui

ui.page_setup()
f = ui.page_filters("restrictions")
ui.header("Restrictions", "Where are chatbot apps restricted, by whom, since when, and is it still in force?")

rows = ui.query(queries.restrictions, f)
ui.undated_note(f, ("actions",))
if rows.empty:
    ui.nothing_matches("government action", f)
else:
    ui.map_with_table(f)
    by_type = ui.query(queries.actions_by_type, f)
    ui.chart_with_table(
        ui.ChartRef(charts.actions_by_type, queries.actions_by_type, (f,)),
        by_type,
        "Number of actions of each type, split by current status.",
        {"action_type_label": "Type of action", "status_label": "Status", "actions": "Actions"},
        f,
    )
    ui.timeline_section(f)
    st.subheader(f"All matching actions ({rows['action_id'].nunique()} actions, {len(rows)} rows)")
    st.caption(
        "One row per action and app concerned. Dates keep the precision the sources give (day or month). "
        "Click an action id for the record: every field, each source with its full quote, and the form to report a "
        "correction."
    )
    ui.restrictions_table(rows)
url = ui.page_url("restrictions", f)
ui.downloads(rows, "Restrictions", f, url)
ui.footer("Restrictions", "restrictions", f)

"""Data flows: which app sends which data types to which company (and its parent)."""

import streamlit as st

from chatbot_watch import ui

ui.page_setup()
f = ui.current_filters()
ui.header("Data flows", "Which app sends which kinds of user data to which company, and how sure is it?")
ui.evidence_legend()

if not ui.flow_matrix_section(
    f, "Rows: apps; columns: companies named as recipients; colour: the strongest evidence behind the flow."
):
    st.info("No named recipient company matches these filters.")

ev = ui.query("evidence_counts", f)
ui.chart_with_table(
    ui.chart_spec("evidence_bars", "evidence_counts", f),
    ev,
    "Number of findings at each level of the evidence scale.",
    {"evidence_label": "Evidence", "findings": "Findings"},
)

rows = ui.query("flows", f)
st.subheader(f"All matching flows ({rows['finding_id'].nunique()} findings, {len(rows)} rows)")
st.caption("One row per finding, data type and named recipient. A blank recipient means the source named none.")
ui.flows_table(rows)
url = ui.page_url("flows", f)
ui.downloads(rows, "Data flows", f, url)
ui.footer("Data flows", "flows", f)

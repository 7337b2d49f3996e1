"""Data flows: which app sends which data types to which company (and its parent)."""

import streamlit as st

from chatbot_watch import charts, queries, ui

ui.page_setup()
f = ui.page_filters("flows")
ui.header("Data flows", "Which app sends which kinds of user data to which company, and how sure is it?")
rows = ui.query(queries.flows, f)
ui.undated_note(f, ("findings",))
if rows.empty:
    ui.nothing_matches("finding", f)
else:
    ui.evidence_legend()
    if not ui.flow_matrix_section(f, "Rows: apps; columns: companies named as recipients."):
        st.info("None of the matching findings names a recipient company; they are listed below.")
    ev = ui.query(queries.evidence_counts, f)
    ui.chart_with_table(
        ui.ChartRef(charts.evidence_bars, queries.evidence_counts, (f,)),
        ev,
        "Number of findings at each level of the evidence scale.",
        {"evidence_label": "Evidence", "findings": "Findings"},
        f,
    )
    st.subheader(f"All matching flows ({rows['finding_id'].nunique()} findings, {len(rows)} rows)")
    st.caption(
        "One row per finding, data type and named recipient, each with its own finding's evidence. A blank recipient "
        "means the source named none. Click a finding id for the record: every field, each source with its "
        "full quote, and the form to report a correction."
    )
    ui.flows_table(rows)
url = ui.page_url("flows", f)
ui.downloads(rows, "Data flows", f, url)
ui.footer("Data flows", "flows", f)

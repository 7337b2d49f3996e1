"""Data flows: which app sends which data types to which company (and its parent)."""

import streamlit as st

from chatbot_watch import ui

ui.page_setup()
f = ui.current_filters()
ui.header("Data flows", "Which app sends which kinds of user data to which company, and how sure is it?")
ui.evidence_legend()

matrix = ui.query("flow_matrix", f)
if matrix.empty:
    st.info("No named recipient company matches these filters.")
else:
    ui.chart_with_table(
        ui.chart_spec("flow_matrix", "flow_matrix", f),
        matrix[["app_name", "company_name", "parent", "data_types", "findings", "evidence_label"]].rename(
            columns={
                "app_name": "App",
                "company_name": "Recipient",
                "parent": "Parent company",
                "data_types": "Data types",
                "findings": "Findings",
                "evidence_label": "Strongest evidence",
            }
        ),
        "Rows: apps; columns: companies named as recipients; colour: the strongest evidence behind the flow.",
    )

ev = ui.query("evidence_counts", f)
ui.chart_with_table(
    ui.chart_spec("evidence_bars", "evidence_counts", f),
    ev[["evidence_label", "findings"]].rename(columns={"evidence_label": "Evidence", "findings": "Findings"}),
    "Number of findings at each level of the evidence scale.",
)

rows = ui.query("flows", f)
st.subheader(f"All matching flows ({rows['finding_id'].nunique()} findings, {len(rows)} rows)")
st.caption("One row per finding, data type and named recipient. A blank recipient means the source named none.")
ui.table(
    rows,
    {
        "finding_id": "Finding",
        "app_name": "App",
        "platform": "Platform",
        "data_type_label": "Data type",
        "company_name": "Recipient",
        "ownership_chain": "Ownership chain",
        "recipient_described": "Recipient as reported",
        "recipient_countries": "To countries",
        "evidence_label": "Evidence",
        "auditor": "Examined by",
        "audit_date": "Date",
        "source_url": "Source",
    },
    record=("finding", "finding_id"),
)
url = ui.page_url("flows", f)
ui.downloads(rows, "Data flows", f, url)
ui.footer("Data flows", "flows", f)

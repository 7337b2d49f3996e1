"""Companies: recipient companies, their ownership chains, and which apps send them what."""

import streamlit as st

from chatbot_watch import queries, ui

ui.page_setup()
f = ui.page_filters("companies")
ui.header("Companies", "Which companies receive chatbot users' data, who owns them, and which apps send them what?")

rows = ui.query(queries.companies, f)
ui.undated_note(f, ("findings",))
if rows.empty:
    ui.nothing_matches("recipient company", f)
    ui.footer("Recipient companies", "companies", f)
    st.stop()

ui.table(
    rows,
    {
        "company_name": "Company",
        "country_name": "Based in",
        "ownership_chain": "Ownership chain",
        "kinds": "Kind",
        "apps": "Apps sending data",
        "evidence_by_status": "Data types by evidence",
        "evidence_label": "Weakest evidence",
        "findings": "Findings",
        "finding_ids": "Finding ids",
        "domains": "Known domains",
    },
    link_cols=(),
    record=("company", "company_id"),
)
st.caption(
    "Each data type is listed under the evidence of the findings that name it; a company's row is never shown "
    "stronger than its weakest claim. Each company's findings, with their sources, are on the Data flows page."
)

st.subheader("Ownership chain")
names = dict(zip(rows["company_id"], rows["company_name"], strict=True))
chosen = st.selectbox("Company", options=list(names), format_func=lambda c: names[c], key="company_pick")
chain = ui.query(queries.company_chain, chosen)
if chain.empty:
    st.info(f"No owner recorded for {ui.md(names[chosen])}.")
else:
    ui.table(
        chain,
        {
            "company_name": "Company",
            "parent_name": "Owned by",
            "since": "Since",
            "until": "Until",
            "note": "As the sources put it",
        },
        link_cols=(),
    )

url = ui.page_url("companies", f)
ui.downloads(rows, "Recipient companies", f, url)
ui.footer("Recipient companies", "companies", f)

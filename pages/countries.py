"""Countries: one jurisdiction's profile (?country=KR): restrictions, regulators' findings, flows there."""

from dataclasses import replace

import streamlit as st

from chatbot_watch import ui
from chatbot_watch.countries import all_countries
from chatbot_watch.filters import ACTION_FILTERS

ui.page_setup()
f = ui.page_filters("countries")
names = all_countries()
code = ui.chosen(f.country)
if code is None:
    ui.header(
        "Countries", "Pick a country to see what is restricted there, what its regulators found, and where data goes."
    )
    ui.picker("country", f.country, names, "Choose a country or the EU")
    ui.data_note(f)
    st.stop()

name = names.get(code, code)
as_of = ui.meta()["as_of"]
ui.header(f"{name}", f"What is restricted in {name}, by whom and since when; what its regulators found.")
ui.picker("country", f.country, names, "Choose another country or the EU")
here = replace(f, country=(code,))
url = ui.page_url("countries", here)
ui.undated_note(here)

st.subheader("Restrictions")
rows = ui.query("restrictions", here)
if rows.empty:
    ui.nothing_matches(f"government action in {name}", here.only(ACTION_FILTERS), fixed=("country",))
else:
    in_force = rows.loc[rows["status"] == "in_force", "action_id"].nunique()
    st.markdown(f"**{rows['action_id'].nunique()}** actions recorded, **{in_force}** in force as of {as_of}.")
    st.caption(ui.RECORD_HINT)
    ui.restrictions_table(rows, drop=("country_name",))
    ui.downloads(rows, f"Restrictions in {code}", here, url)

st.subheader(f"What {ui.md(name)}'s regulators and agencies found", anchor=False)
found = ui.query("regulator_findings", code, here)
if found.empty:
    st.info(f"No finding by a public body of {ui.md(name)} matches these filters as of {as_of}.")
else:
    st.caption(ui.RECORD_HINT)
    ui.table(
        found,
        {
            "finding_id": "Finding",
            "app_name": "App",
            "recipients": "Recipients named",
            "ownership_chain": "Ownership chain",
            "data_types": "Data types",
            "evidence_label": "Evidence",
            "auditor": "Examined by",
            "audit_date": "Date",
            "source_url": "Source",
            "source_quote": "Quote (main source)",
        },
        record=("finding", "finding_id"),
    )
    ui.downloads(found, f"Findings by authorities of {code}", here, url)

st.subheader(f"Data flows to companies based in or data sent to {ui.md(name)}", anchor=False)
to_here = replace(here, country_role="recipient")
flows = ui.query("flows", to_here)
if flows.empty:
    st.info(f"No data flow to {ui.md(name)} matches these filters as of {as_of}.")
else:
    st.caption(ui.RECORD_HINT)
    ui.flows_table(flows, drop=("platform", "recipient_described", "audit_date"))
    ui.downloads(flows, f"Data flows to {code}", to_here, url)

ui.footer(f"Country profile: {name}", "countries", here)

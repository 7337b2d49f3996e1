"""Countries: one jurisdiction's profile (?country=KR): restrictions, regulators' findings, flows there.

With several countries selected (?country=KR&country=IT), each has its own tab, side by side."""

from dataclasses import replace

import streamlit as st

from chatbot_watch import queries, ui
from chatbot_watch.countries import all_countries, in_text, possessive
from chatbot_watch.filters import ACTION_FILTERS, Filters


def profile(code: str, f: Filters) -> None:
    """One country's restrictions, its regulators' findings and the data flows to it."""
    as_of = ui.meta()["as_of"]
    here = replace(f, country=(code,))
    url = ui.page_url("countries", here)
    ui.undated_note(here)

    st.subheader("Restrictions", anchor=False)
    rows = ui.query(queries.restrictions, here)
    if rows.empty:
        ui.nothing_matches(f"government action in {in_text(code)}", here.only(ACTION_FILTERS), fixed=("country",))
    else:
        in_force = rows.loc[rows["status_class"] == "in_force", "action_id"].nunique()
        st.markdown(f"**{rows['action_id'].nunique()}** actions recorded, **{in_force}** in force as of {as_of}.")
        st.caption(ui.RECORD_HINT)
        ui.restrictions_table(rows, drop=("country_name",))
        ui.downloads(rows, f"Restrictions in {code}", here, url)

    st.subheader(f"What {ui.md(possessive(code))} regulators and agencies found", anchor=False)
    found = ui.query(queries.regulator_findings, code, here)
    if found.empty:
        st.info(f"No finding by a public body of {ui.md(in_text(code))} matches these filters as of {as_of}.")
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

    st.subheader(f"Data flows to companies based in, or data sent to, {ui.md(in_text(code))}", anchor=False)
    to_here = replace(here, country_role="recipient")
    flows = ui.query(queries.flows, to_here)
    if flows.empty:
        st.info(f"No data flow to {ui.md(in_text(code))} matches these filters as of {as_of}.")
    else:
        st.caption(ui.RECORD_HINT)
        ui.flows_table(flows, drop=("platform", "recipient_described", "audit_date"))
        ui.downloads(flows, f"Data flows to {code}", to_here, url)


ui.page_setup()
f = ui.page_filters("countries")
names = all_countries()
if not f.country:
    ui.header(
        "Countries", "Pick a country to see what is restricted there, what its regulators found, and where data goes."
    )
    ui.picker("country", f.country, names, "Choose a country or the EU")
    ui.data_note(f)
    st.stop()

if len(f.country) == 1:
    code = f.country[0]
    name = names.get(code, code)
    ui.header(name, f"What is restricted in {in_text(code)}, by whom and since when; what its regulators found.")
    ui.picker("country", f.country, names, "Choose another country or the EU")
    profile(code, f)
    ui.footer(f"Country profile: {name}", "countries", f)
else:
    shown = [names.get(c, c) for c in f.country]
    ui.header(", ".join(shown), "Each country's restrictions, its regulators' findings and the data flows to it.")
    st.caption(f"{len(shown)} countries are selected: each has its own tab, in the order of the filter.")
    for code, tab in zip(f.country, st.tabs(shown), strict=True):
        with tab:
            profile(code, f)
    ui.footer(f"Country profiles: {', '.join(shown)}", "countries", f)

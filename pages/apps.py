"""Apps: one app's report card (?app=deepseek): recipients, data types, evidence, restrictions, timeline."""

from dataclasses import replace

import streamlit as st

from chatbot_watch import ui

ui.page_setup()
f = ui.current_filters()
apps = ui.query("filter_options")["app"]
app_id = ui.chosen(f.app)
if app_id is None:
    ui.header("Apps", "Pick an app for its report card: who receives its users' data, and where it is restricted.")
    ui.picker("app", f.app, apps, "Choose an app")
    ui.data_note(f)
    st.stop()

info = ui.query("app_info", app_id)
as_of = ui.meta()["as_of"]
ui.header(
    f"{info['name']}", "Report card: who receives its users' data, what data, how sure, and where it is restricted."
)
facts = {
    "Developer": info["developer_name"] or "not recorded",
    "Developer's ownership": info["developer_chain"] or "not recorded",
    "Developer based in": info["developer_country"] or "not recorded",
    "Platforms examined": info["platforms"] or "not recorded",
    "Also known as": info["aliases"] or "—",
}
ui.picker("app", f.app, apps, "Choose another app")
ui.facts_table(facts)
ui.correction_button("app", app_id)

here = replace(f, app=(app_id,))
# The country filter selects restrictions here; the app's data flows are shown wherever the data goes.
flow_filters = replace(here, country=())
st.subheader("Who receives its users' data")
ui.evidence_legend()
matrix = ui.query("flow_matrix", flow_filters)
flows = ui.query("flows", flow_filters)
if flows.empty:
    st.info(f"No finding about {ui.md(info['name'])} recorded as of {as_of}.")
else:
    if not matrix.empty:
        ui.chart_with_table(
            ui.chart_spec(
                "flow_matrix", "flow_matrix", flow_filters, cargs=(f"Companies named as receiving {info['name']} data",)
            ),
            matrix[["company_name", "parent", "data_types", "findings", "evidence_label"]].rename(
                columns={
                    "company_name": "Recipient",
                    "parent": "Parent company",
                    "data_types": "Data types",
                    "findings": "Findings",
                    "evidence_label": "Strongest evidence",
                }
            ),
            "Colour: the strongest evidence behind each flow.",
        )
    ui.table(
        flows,
        {
            "finding_id": "Finding",
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

st.subheader("Where it is restricted")
rows = ui.query("restrictions", here)
if rows.empty:
    st.info(f"No government action against {ui.md(info['name'])} recorded as of {as_of}.")
else:
    tl = ui.query("timeline", here, ui.as_of())
    ui.chart_with_table(
        ui.chart_spec(
            "timeline", "timeline", here, ui.as_of(), cargs=(f"Actions concerning {info['name']} over time",)
        ),
        tl[["place", "action_id", "action_type_label", "announced", "lifted", "status_label"]].rename(
            columns={
                "place": "Where",
                "action_id": "Action",
                "action_type_label": "Type",
                "announced": "Announced",
                "lifted": "Lifted",
                "status_label": "Status",
            }
        ),
        "Each bar runs from when an action was announced or took effect to when it was lifted.",
    )
    ui.table(
        rows,
        {
            "action_id": "Action",
            "country_name": "Jurisdiction",
            "subdivision_name": "State / region",
            "authority": "Authority",
            "action_type_label": "Type",
            "scope_label": "Scope",
            "announced": "Announced",
            "lifted": "Lifted",
            "status_label": "Status",
            "source_url": "Source",
        },
        record=("action", "action_id"),
    )

url = ui.page_url("apps", here)
ui.downloads(flows, f"Flows of {app_id}", here, url)
ui.footer(f"App report card: {info['name']}", "apps", here)

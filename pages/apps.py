"""Apps: one app's report card (?app=deepseek): recipients, data types, evidence, restrictions, timeline."""

from dataclasses import replace

import streamlit as st

from chatbot_watch import queries, ui

ui.page_setup()
f = ui.page_filters("apps")
apps = ui.query(queries.filter_options)["app"]
app_id = ui.chosen(f.app)
if app_id is None:
    ui.header("Apps", "Pick an app for its report card: who receives its users' data, and where it is restricted.")
    ui.picker("app", f.app, apps, "Choose an app")
    ui.data_note(f)
    st.stop()

info = ui.query(queries.app_info, app_id)
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
url = ui.page_url("apps", here)
ui.undated_note(here)
# The country filter selects restrictions here; the app's data flows are shown wherever the data goes.
flow_filters = here.without("country", "country_role")
st.subheader("Who receives its users' data")
if f.country:
    st.caption("The country filter selects restrictions on this page; data flows are shown wherever the data goes.")
ui.evidence_legend()
flows = ui.query(queries.flows, flow_filters)
if flows.empty:
    st.info(f"No finding about {ui.md(info['name'])} matches these filters as of {as_of}.")
else:
    ui.flow_matrix_section(
        flow_filters,
        "Columns: companies named as receiving the app's data.",
        title=f"Companies named as receiving {info['name']} data",
        drop=("app_name",),
    )
    st.caption(ui.RECORD_HINT)
    ui.flows_table(flows, drop=("app_name",))
    ui.downloads(flows, f"Flows of {app_id}", flow_filters, url)

st.subheader("Where it is restricted")
rows = ui.query(queries.restrictions, here)
if rows.empty:
    st.info(f"No government action against {ui.md(info['name'])} matches these filters as of {as_of}.")
else:
    ui.timeline_section(here, title=f"Actions concerning {info['name']} over time", drop=("apps",))
    st.caption(ui.RECORD_HINT)
    ui.restrictions_table(rows, drop=("app_name", "effective"))
    ui.downloads(rows, f"Restrictions of {app_id}", here, url)

ui.footer(f"App report card: {info['name']}", "apps", here)

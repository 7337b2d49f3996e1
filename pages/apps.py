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
flows = ui.query("flows", flow_filters)
if flows.empty:
    st.info(f"No finding about {ui.md(info['name'])} recorded as of {as_of}.")
else:
    ui.flow_matrix_section(
        flow_filters,
        "Colour: the strongest evidence behind each flow.",
        title=f"Companies named as receiving {info['name']} data",
        drop=("app_name",),
    )
    ui.flows_table(flows, drop=("app_name",))

st.subheader("Where it is restricted")
rows = ui.query("restrictions", here)
if rows.empty:
    st.info(f"No government action against {ui.md(info['name'])} recorded as of {as_of}.")
else:
    ui.timeline_section(here, title=f"Actions concerning {info['name']} over time", drop=("apps",))
    ui.restrictions_table(rows, drop=("app_name", "effective"))

url = ui.page_url("apps", here)
ui.downloads(flows, f"Flows of {app_id}", here, url)
ui.footer(f"App report card: {info['name']}", "apps", here)

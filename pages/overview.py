"""Overview: headline figures, the world map of restrictions, the main data flows, what changed."""

import streamlit as st

from chatbot_watch import ui

ui.page_setup()
f = ui.current_filters()
ui.header(
    "Chatbot Watch", "Which AI chatbot apps send which user data to which companies, and where they are restricted."
)

h = ui.query("headline", f)
c = st.columns(4)
c[0].metric("Apps with recorded findings", h["apps"])
c[1].metric("Recipient companies named", h["recipients"])
c[2].metric("Jurisdictions that acted", h["jurisdictions"])
c[3].metric("Actions in force", h["in_force"], help=f"of {h['actions']} actions recorded")

st.subheader("Where chatbot apps are restricted")
counts = ui.query("map_counts", f)
ui.map_with_table(ui.chart_spec("world_map_spec", "map_counts", f), counts)

st.subheader("Main data flows")
ui.evidence_legend()
ui.flow_matrix_section(
    f, "Each cell is an app whose data a named company received; unnamed recipients are listed on the Data flows page."
)

st.subheader("Most recent events")
ui.table(
    ui.query("recent", f, 10),
    {
        "date": "Date",
        "kind": "Event",
        "record_id": "Record",
        "what": "What",
        "apps": "Apps",
        "status": "Status / evidence",
        "source_url": "Source",
    },
)
st.subheader("Latest changes to the data")
ui.table(
    ui.query("recent_changes", f, 10),
    {"built_at": "Build date", "summary": "Change", "data_version": "Data version"},
    link_cols=(),
)
ui.feed_links(f)
ui.footer("Overview", "", f)

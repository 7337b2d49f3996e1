"""Overview: the answers in plain words, the map of restrictions in force, the main data flows, what changed."""

import streamlit as st

from chatbot_watch import queries, ui

ui.page_setup()
f = ui.page_filters("overview")
ui.header(
    ui.settings().site_title,
    "Which AI chatbot apps send which user data to which companies, and where they are restricted.",
)

a = ui.query(queries.answers, f)
ui.answers(a)
c = st.columns(4)
c[0].metric(
    "Restrictions in force",
    a["restrictions_in_force"],
    help="Device bans, network blocks, download suspensions, nationwide blocks and processing limitations in "
    "force, national and by states or regions; investigations, requests and advisories are not counted.",
)
c[1].metric(
    "Jurisdictions restricting",
    a["countries_in_force"],
    help="Countries (and the EU) with a national restriction in force; states and regions are counted apart.",
)
c[2].metric("Apps with recorded findings", a["finding_apps"])
c[3].metric("Findings confirmed", a["confirmed"], help=f"of {a['findings']} findings")

st.subheader("Where chatbot apps are restricted")
counts = ui.query(queries.map_counts, f)
if counts.empty:
    ui.nothing_matches("government action", f)
else:
    ui.map_with_table(f)

st.subheader("Main data flows")
ui.evidence_legend()
if not ui.flow_matrix_section(
    f, "Each cell is an app whose data a named company received; unnamed recipients are listed on the Data flows page."
):
    ui.nothing_matches("data flow to a named company", f)

st.subheader("Most recent events")
ui.table(
    ui.query(queries.recent, f, 10),
    {
        "date": "Date",
        "kind": "Event",
        "record_id": "Record",
        "what": "What",
        "apps": "Apps",
        "status": "Status / evidence",
        "source_url": "Source",
    },
    record=(None, "record_id"),
)
ui.undated_note(f)
if not f.has_dates():
    ui.undated_events_note(f)
st.subheader("Latest changes to the data")
ui.table(
    ui.query(queries.recent_changes, f, 10),
    {"built_at": "Date", "summary": "Change", "data_version": "Version (commit or build)"},
    link_cols=(),
)
ui.feed_links(f)
ui.footer("Overview", "", f)

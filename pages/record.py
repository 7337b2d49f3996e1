"""Record: one finding, action, app or company (?id=AF-001): every field, sources with full quotes, history."""

import streamlit as st

from chatbot_watch import queries, ui

ui.page_setup()
f = ui.page_filters("record")
raw = (st.query_params.get_all("id") or [""])[0][:80]
matches = ui.query(queries.resolve_record, raw) if raw.strip() else []
if len(matches) != 1:
    ui.header("Record", "Every field of one record, its sources with their full quotes, and its history.")
    ui.record_lookup(raw, matches)
    ui.data_note(f)
    st.stop()

kind, record_id = matches[0]
rec = ui.query(queries.record, kind, record_id)
ui.header(rec["title"], "Every field of this record as the data file holds it, its sources and its history.")
ui.record_links(rec["links"])
st.subheader("Fields")
ui.record_fields(rec["fields"])
ui.correction_form(kind, record_id, [name for name, _ in rec["fields"]])
st.subheader(f"Sources ({len(rec['sources'])})")
ui.record_sources(rec["sources"])
st.subheader("History")
ui.record_history(rec["history"])
ui.footer(rec["title"], ui.record_link(record_id, kind).lstrip("/"), f)

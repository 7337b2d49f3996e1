"""Record: one finding, action, app or company (?id=AF-001): every field, sources with full quotes, history."""

import streamlit as st

from chatbot_watch import queries, ui
from chatbot_watch.filters import url_text

ui.page_setup()
f = ui.page_filters("record")
raw = url_text((st.query_params.get_all("id") or [""])[0])[:80]
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
superseded = dict(rec["fields"]).get("superseded_by")
if superseded:
    st.info(
        f"Superseded by {superseded}: a later finding records this flow on stronger or final evidence, so this "
        "one is shown here but not counted in any chart, table or download."
    )
st.subheader("Fields")
ui.record_fields(rec["fields"])
if not ui.embed_mode():  # a page framed by any site carries no form (no clickjacking a correction)
    ui.correction_form(kind, record_id, [name for name, _ in rec["fields"]])
if kind in ("finding", "action"):
    st.subheader(f"Primary documents ({len(rec['documents'])})")
    ui.record_documents(rec["documents"])
st.subheader(f"Sources ({len(rec['sources'])})")
ui.record_sources(rec["sources"])
st.subheader("History")
ui.record_history(rec["history"])
ui.footer(rec["title"], ui.record_link(record_id, kind).lstrip("/"), f)

"""Record: one finding, action, app or company (?id=AF-001): every field, sources with full quotes, history."""

import streamlit as st

from chatbot_watch import ui
from chatbot_watch.i18n import _
from chatbot_watch.queries import recordpage

ui.page_setup()
f = ui.page_filters("record")
raw = ui.own_params("record")["id"]
v = ui.page_view("record", f)
matches = ui.query(recordpage.resolve_record, raw) if raw.strip() else []
ui.view_header(v)
if len(matches) != 1:
    ui.record_lookup(raw, matches)
    ui.data_note(f)
    st.stop()

kind, record_id = matches[0]
rec = ui.query(recordpage.record, kind, record_id)
ui.record_links(rec["links"])
superseded = dict(rec["fields"]).get("superseded_by")
if superseded:
    st.info(
        _(
            "Superseded by {finding}: a later finding records this flow on stronger or final evidence, so this "
            "one is shown here but not counted in any chart, table or download."
        ).format(finding=superseded)
    )
st.subheader(v.table("fields").caption)
ui.record_fields(rec["fields"])
if not ui.embed_mode():  # a page framed by any site carries no form (no clickjacking a correction)
    ui.correction_form(kind, record_id, [name for name, _value in rec["fields"]])
if kind in ("finding", "action"):
    st.subheader(v.table("documents").caption)
    ui.record_documents(rec["documents"])
st.subheader(v.table("sources").caption)
ui.record_sources(rec["sources"])
ui.chronology(v.table("events"))
st.subheader(v.table("history").caption)
ui.record_history(rec["history"])
ui.footer(rec["title"], ui.record_link(record_id, kind).lstrip("/"), f)

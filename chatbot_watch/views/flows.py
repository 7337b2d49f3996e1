"""Data flows (`/flows`): which app sends which kinds of user data to which company, and how sure it is."""

from __future__ import annotations

import pandas as pd

from chatbot_watch import queries, schema
from chatbot_watch.views import columns
from chatbot_watch.views.base import Ctx, Figure, Page, Table, View, n, record_table

PAGE = Page(
    "flows",
    "/flows",
    "Data flows",
    ":material/swap_horiz:",
    "Which app sends which kinds of user data to which company, and how sure is it?",
)
NOTE = (
    "One row per finding, data type and named recipient, each with its own finding's evidence. A blank recipient "
    "means the source named none. Click a finding id for the record: every field, each source with its "
    "full quote, and the form to report a correction."
)

CONFIRMED_HELP = (
    "Findings whose evidence is one of: "
    + ", ".join(schema.label("EVIDENCE_STATUS", e) for e in schema.EVIDENCE_STRENGTH if e in schema.CONFIRMED_EVIDENCE)
    + "."
)


def flows_table(rows: pd.DataFrame, caption: str, drop: tuple[str, ...] = (), note: str = "", group: str = "") -> Table:
    """The flows rows as a table (the Data flows page, an app's and a country's)."""
    return record_table(
        "flows", caption, rows, columns.FLOWS, columns.FLOWS_BRIEF, ("finding", "finding_id"), drop, note, group
    )


def build(c: Ctx, v: View) -> View:
    h = queries.headline(c.con, v.filters)
    rows = queries.flows(c.con, v.filters)
    v.figures = [
        Figure("Findings", str(h["findings"])),
        Figure("Apps", str(h["apps"])),
        Figure("Recipient companies", str(h["recipients"])),
        Figure("Findings confirmed", str(h["confirmed"]), CONFIRMED_HELP),
    ]
    v.description = (
        f"{n(h['findings'], 'finding')} about {n(h['apps'], 'app')} name "
        f"{n(h['recipients'], 'recipient company', 'recipient companies')}, "
        f"{h['confirmed']} confirmed, as of {v.as_of}."
    )
    caption = f"All matching flows ({rows['finding_id'].nunique()} findings, {len(rows)} rows)"
    v.tables = [flows_table(rows, caption, note=NOTE)]
    return v

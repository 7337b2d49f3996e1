"""Data flows (`/flows`): which app sends which kinds of user data to which company, and how sure it is."""

from __future__ import annotations

import pandas as pd

from chatbot_watch import queries
from chatbot_watch.datamodel import vocabularies
from chatbot_watch.i18n import N_, _
from chatbot_watch.queries import developers
from chatbot_watch.views import chartparts, columns
from chatbot_watch.views.base import Ctx, Figure, Page, Table, View, n, record_table

PAGE = Page(
    "flows",
    "/flows",
    N_("Data flows"),
    ":material/swap_horiz:",
    N_("Which app sends which kinds of user data to which company, and how sure is it?"),
)
NOTE = N_(
    "One row per finding, data type and named recipient, each with its own finding's evidence. A blank recipient "
    "means the source named none. Click a finding id for the record: every field, each source with its "
    "full quote, and the form to report a correction."
)


def confirmed_help() -> str:
    """What "confirmed" counts: the evidence statuses shown as confirmed, by their labels."""
    statuses = _(", ").join(
        _(vocabularies.label("EVIDENCE_STATUS", e))
        for e in vocabularies.EVIDENCE_STRENGTH
        if e in vocabularies.CONFIRMED_EVIDENCE
    )
    return _("Findings whose evidence is one of: {statuses}.").format(statuses=statuses)


def flows_table(rows: pd.DataFrame, caption: str, drop: tuple[str, ...] = (), note: str = "", group: str = "") -> Table:
    """The flows rows as a table (the Data flows page, an app's and a country's)."""
    named = developers.with_country_names(rows)
    return record_table(
        "flows", caption, named, columns.FLOWS, columns.FLOWS_BRIEF, ("finding", "finding_id"), drop, note, group
    )


def build(c: Ctx, v: View) -> View:
    h = queries.headline(c.con, v.filters)
    rows = queries.flows(c.con, v.filters)
    v.figures = [
        Figure(_("Findings"), str(h["findings"])),
        Figure(_("Apps"), str(h["apps"])),
        Figure(_("Recipient companies"), str(h["recipients"])),
        Figure(_("Findings confirmed"), str(h["confirmed"]), confirmed_help()),
    ]
    v.description = _("{findings} about {apps} name {recipients}, {confirmed} confirmed, as of {as_of}.").format(
        findings=n(h["findings"], "{n} finding", "{n} findings"),
        apps=n(h["apps"], "{n} app", "{n} apps"),
        recipients=n(h["recipients"], "{n} recipient company", "{n} recipient companies"),
        confirmed=h["confirmed"],
        as_of=v.as_of,
    )
    caption = _("All matching flows ({findings} findings, {rows} rows)").format(
        findings=rows["finding_id"].nunique(), rows=len(rows)
    )
    left = developers.left_out_sentence(developers.unknown_left_out(c.con, v.filters))
    v.sentences = [left] if left else []
    v.tables = [flows_table(rows, caption, note=_(NOTE))]
    v.charts = [
        chartparts.flow_matrix(c.con, v.filters, _("Rows: apps; columns: companies named as recipients.")),
        chartparts.evidence(c.con, v.filters),
    ]
    return v

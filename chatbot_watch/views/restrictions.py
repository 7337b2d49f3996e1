"""Restrictions (`/restrictions`): where chatbot apps are banned, blocked, investigated or fined, by
whom, since when, and whether it is still in force."""

from __future__ import annotations

import pandas as pd

from chatbot_watch import queries
from chatbot_watch.i18n import N_, _
from chatbot_watch.views import chartparts, columns
from chatbot_watch.views.base import Ctx, Figure, Page, Table, View, n, names, record_table

PAGE = Page(
    "restrictions",
    "/restrictions",
    N_("Restrictions"),
    ":material/block:",
    N_("Where are chatbot apps restricted, by whom, since when, and is it still in force?"),
)
NOTE = N_(
    "One row per action and app concerned. Dates keep the precision the sources give (day or month). "
    "Click an action id for the record: every field, each source with its full quote, and the form to report a "
    "correction."
)
IN_FORCE_HELP = N_("Actions whose status is in force, as the sources last said.")


def restrictions_table(
    rows: pd.DataFrame, caption: str, drop: tuple[str, ...] = (), note: str = "", group: str = ""
) -> Table:
    """The restriction rows as a table (the Restrictions page, an app's and a country's)."""
    return record_table(
        "restrictions",
        caption,
        rows,
        columns.RESTRICTIONS,
        columns.RESTRICTIONS_BRIEF,
        ("action", "action_id"),
        drop,
        note,
        group,
    )


def in_force(rows: pd.DataFrame) -> int:
    """Distinct actions in force among restriction rows (one row per action and app)."""
    return int(rows.loc[rows["status_class"] == "in_force", "action_id"].nunique())


def build(c: Ctx, v: View) -> View:
    h = queries.headline(c.con, v.filters)
    rows = queries.restrictions(c.con, v.filters)
    v.figures = [
        Figure(_("Government actions"), str(h["actions"])),
        Figure(_("In force"), str(h["in_force"]), _(IN_FORCE_HELP)),
        Figure(_("Jurisdictions"), str(h["jurisdictions"])),
    ]
    apps = names(list(rows["app_name"].dropna()))
    parts = {
        "actions": n(h["actions"], "{n} government action", "{n} government actions"),
        "in_force": h["in_force"],
        "jurisdictions": n(h["jurisdictions"], "{n} jurisdiction", "{n} jurisdictions"),
        "apps": apps,
        "as_of": v.as_of,
    }
    v.description = (
        _("{actions}, {in_force} in force, in {jurisdictions}, concerning {apps}, as of {as_of}.")
        if apps
        else _("{actions}, {in_force} in force, in {jurisdictions}, as of {as_of}.")
    ).format(**parts)
    caption = _("All matching actions ({actions} actions, {rows} rows)").format(
        actions=rows["action_id"].nunique(), rows=len(rows)
    )
    v.tables = [restrictions_table(rows, caption, note=_(NOTE))]
    v.charts = [
        chartparts.world_map(c.con, v.filters),
        chartparts.by_country(c.con, v.filters),
        chartparts.by_type(c.con, v.filters),
        chartparts.timeline(c.con, v.filters, v.as_of),
    ]
    return v

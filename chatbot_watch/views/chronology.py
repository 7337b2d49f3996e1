"""A chronology section of a view: the events (events.py) of a country, an app, a company or one
record, in date order, oldest first, with what it leaves out (events without a date) said beside it.
The app, the plain HTML page and the API's view JSON draw the same table."""

from __future__ import annotations

from collections.abc import Sequence

from chatbot_watch import queries
from chatbot_watch.filters import Filters
from chatbot_watch.i18n import _
from chatbot_watch.store import events
from chatbot_watch.views import columns
from chatbot_watch.views.base import Table, record_href, without

NAME = "events"


def chronology_table(
    con: queries.Con,
    f: Filters,
    record: tuple[str, str] | None = None,
    drop: Sequence[str] = (),
    group: str = "",
) -> Table:
    """The events matching `f` (or those of one action or finding, `record`), oldest first; its
    note says the order and how many events have no date and are not listed."""
    found = events.events(con, f, record=record)
    note = " ".join(p for p in (_("Oldest first; each date as precise as its source."), found.note()) if p)
    return Table(
        NAME,
        _("Chronology of events"),
        found.rows,
        without(columns.EVENTS, drop),
        brief=tuple(c for c in columns.EVENTS_BRIEF if c not in drop),
        links={"record_id": lambda r: record_href(r["record_id"]), "source_url": lambda r: r["source_url"]},
        record=(None, "record_id"),
        note=note,
        group=group,
    )

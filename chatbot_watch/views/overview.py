"""The Overview (`/`): the answers in plain words, the headline figures, the most recent events
(events.py) and the latest corrections to the data, in plain words (the map and the flows heatmap
are the app's charts of the same)."""

from __future__ import annotations

from chatbot_watch import queries
from chatbot_watch.i18n import N_, _
from chatbot_watch.store import events
from chatbot_watch.views import chartparts, columns
from chatbot_watch.views.base import Ctx, Figure, Page, Table, View, record_href
from chatbot_watch.views.wording import headline_sentences

PAGE = Page(
    "overview",
    "/",
    N_("Overview"),
    ":material/public:",
    N_("Which AI chatbot apps send which user data to which companies, and where they are restricted."),
)
RECENT_EVENTS = 10


def build(c: Ctx, v: View) -> View:
    a = queries.answers(c.con, v.filters)
    v.sentences = headline_sentences(a, v.as_of)
    v.heading = v.site
    if not v.applied:
        v.title = _("{site}: which chatbot apps send user data where, and where they are restricted").format(
            site=v.site
        )
    v.description = " ".join(v.sentences[:2])
    v.figures = [
        Figure(
            _("Restrictions in force"),
            str(a["restrictions_in_force"]),
            _(
                "Device bans, network blocks, download suspensions, nationwide blocks and processing limitations in "
                "force, national and by states or regions; investigations, requests and advisories are not counted."
            ),
        ),
        Figure(
            _("Jurisdictions restricting"),
            str(a["countries_in_force"]),
            _("Countries (and the EU) with a national restriction in force; states and regions are counted apart."),
        ),
        Figure(_("Apps with recorded findings"), str(a["finding_apps"])),
        Figure(
            _("Findings confirmed"),
            _("{confirmed} of {findings}").format(confirmed=a["confirmed"], findings=a["findings"]),
            _("of {findings} findings").format(findings=a["findings"]),
        ),
    ]
    happened = events.events(c.con, v.filters, newest_first=True)
    v.tables = [
        Table(
            "recent",
            _("Most recent events"),
            happened.rows.head(RECENT_EVENTS),
            columns.EVENTS,
            brief=("date", "what", "record_id", "place"),
            links={"record_id": lambda r: record_href(r["record_id"]), "source_url": lambda r: r["source_url"]},
            record=(None, "record_id"),
            note=" ".join(p for p in (_("Newest first."), happened.note()) if p),
        ),
        Table(
            "changes",
            _("Corrections to the data"),
            events.corrections(c.con, v.filters, RECENT_EVENTS),
            columns.CORRECTIONS,
            # A source's corrections name its address, which has no record page.
            links={"record_id": lambda r: record_href(r["record_id"], r["kind"]) if r["kind"] != "source" else ""},
            note=_("Edits of records already published, newest first; new records appear as events above."),
        ),
    ]
    v.charts = [
        chartparts.world_map(c.con, v.filters),
        chartparts.flow_matrix(
            c.con,
            v.filters,
            _(
                "Each cell is an app whose data a named company received; unnamed recipients are listed on the "
                "Data flows page."
            ),
        ),
    ]
    return v

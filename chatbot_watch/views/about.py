"""About the data (`/about`): where the data comes from, what the categories mean, how to correct it
(the method text itself is the app's page; its figures are here)."""

from __future__ import annotations

from chatbot_watch.i18n import N_, _
from chatbot_watch.views.base import Ctx, Figure, Page, View

PAGE = Page(
    "about",
    "/about",
    N_("About the data"),
    ":material/info:",
    N_("Where the data comes from, what the categories mean, and how to correct it."),
)


def build(c: Ctx, v: View) -> View:
    v.description = c.meta.get("description", "")
    v.figures = [
        Figure(_("Sources reviewed up to"), v.as_of),
        Figure(_("Newest event recorded"), c.meta.get("newest_event", "") or _("none")),
        Figure(_("Data version"), v.version),
        Figure(_("Licence"), c.meta.get("licence", "")),
        Figure(_("Findings"), c.meta.get("count_findings", "")),
        Figure(_("Government actions"), c.meta.get("count_actions", "")),
    ]
    return v

"""About the data (`/about`): where the data comes from, what the categories mean, how to correct it
(the method text itself is the app's page; its figures are here)."""

from __future__ import annotations

from chatbot_watch.views.base import Ctx, Figure, Page, View

PAGE = Page(
    "about",
    "/about",
    "About the data",
    ":material/info:",
    "Where the data comes from, what the categories mean, and how to correct it.",
)


def build(c: Ctx, v: View) -> View:
    v.description = c.meta.get("description", "")
    v.figures = [
        Figure("Sources reviewed up to", v.as_of),
        Figure("Newest event recorded", c.meta.get("newest_event", "") or "none"),
        Figure("Data version", v.version),
        Figure("Licence", c.meta.get("licence", "")),
        Figure("Findings", c.meta.get("count_findings", "")),
        Figure("Government actions", c.meta.get("count_actions", "")),
    ]
    return v

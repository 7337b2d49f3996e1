"""Embedding one chart or table (issue 24, item 7): the "Embed" control next to each chart and table
(an iframe of that part alone, sized to it; embeds.py makes the code), and the page of one part
(`?embed=true&part=<name>`): the part alone, with the view's heading, date line and a link to the
whole view, instead of the whole page."""

from __future__ import annotations

import streamlit as st

from chatbot_watch import views
from chatbot_watch.filters import PAGE_FILTERS
from chatbot_watch.i18n import _
from chatbot_watch.ui.state import _RUN, current_filters
from chatbot_watch.ui.urlstate import embed_mode, page_url
from chatbot_watch.web import embeds


def _page_key() -> str:
    return str(getattr(_RUN, "page", "")) or "overview"


def _embed_dialog(code: str) -> None:
    st.code(code, language="html", wrap_lines=True)
    st.caption(
        _(
            "Paste it into an article: this chart or table alone, sized to it, with its filters, its date line and "
            "a link to the whole view; it keeps showing the latest data."
        )
    )


def embed_button(part: str, title: str, height: int, group: str = "", chart: bool = False) -> None:
    """The "Embed" control of one part of this page (a chart or a table, shown `height` pixels high
    in its iframe: embeds.part_height); none in embed mode."""
    if embed_mode():
        return
    key = _page_key()
    url = page_url(views.PAGE_BY_KEY[key].path, current_filters().only(PAGE_FILTERS[key]))
    label = _("Embed this chart") if chart else _("Embed this table")
    if st.button(label, icon=":material/code:", key=f"embed-{part}-{group}", type="tertiary"):
        code = embeds.iframe(url, part, title, height)
        st.dialog(label, width="large")(_embed_dialog)(code)


def asked_part() -> str | None:
    """The part the URL asks for alone (`part=`), in embed mode only."""
    part = st.query_params.get("part")
    return part[:40] if part and embed_mode() else None

"""One chart or table of a page drawn alone, in embed mode (`?embed=true&part=<name>`): the parts
a page can show alone are its view's charts and tables, by their names."""

from __future__ import annotations

import streamlit as st

from chatbot_watch import views
from chatbot_watch.i18n import _
from chatbot_watch.mdtext import md
from chatbot_watch.ui.figures import view_chart
from chatbot_watch.ui.urlstate import page_filters, page_url
from chatbot_watch.ui.view import page_view, view_table
from chatbot_watch.web import embeds


def embed_part(key: str, part: str) -> None:
    """The page of one part of page `key`'s view: its heading and date line, the part alone, and a
    link to the whole view (opened outside the frame); a notice naming the parts for an unknown one."""
    f = page_filters(key)
    v = page_view(key, f)
    whole = page_url(views.PAGE_BY_KEY[key].path, f)
    label = _("The whole view on Chatbot Watch")
    st.caption(f"**{md(v.heading)}** · {md(v.date_line)} · [{label}]({whole})")
    table = next((t for t in v.tables if t.name == part), None)
    if table is not None:
        st.subheader(md(table.caption), anchor=False)
        view_table(table, height=38 + 35 * max(1, min(table.total, embeds.TABLE_ROWS_SHOWN)))
        return
    chart = v.chart(part)
    if chart is not None:  # the chart draws its own title
        if not view_chart(chart, f):
            st.info(_("Nothing matches these filters."))
        return
    known = [t.name for t in v.tables] + [c.name for c in v.charts]
    st.warning(
        md(_("This page has no part called '{part}'. Its parts: {parts}.").format(part=part, parts=", ".join(known)))
    )

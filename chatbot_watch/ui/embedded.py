"""One chart or table of a page drawn alone, in embed mode (`?embed=true&part=<name>`): the parts
a page can show alone are its charts (web/embeds.py) and its view's tables."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from chatbot_watch import views
from chatbot_watch.filters import Filters
from chatbot_watch.i18n import _
from chatbot_watch.mdtext import md
from chatbot_watch.queries import chartdata
from chatbot_watch.ui.figures import ChartRef, chart_with_table, map_with_table
from chatbot_watch.ui.sections import flow_matrix_section, timeline_section
from chatbot_watch.ui.state import query
from chatbot_watch.ui.urlstate import page_filters, page_url
from chatbot_watch.ui.view import page_view, view_table
from chatbot_watch.views import charts, columns
from chatbot_watch.web import embeds


def _charts(f: Filters) -> dict[str, Callable[[], object]]:
    return {
        "map": lambda: map_with_table(f),
        "matrix": lambda: flow_matrix_section(f, _("Rows: apps; columns: companies named as recipients.")),
        "evidence": lambda: chart_with_table(
            ChartRef(charts.evidence_bars, chartdata.evidence_counts, (f,)),
            query(chartdata.evidence_counts, f),
            _("Number of findings at each level of the evidence scale."),
            columns.EVIDENCE_COUNTS,
            f,
        ),
        "by_type": lambda: chart_with_table(
            ChartRef(charts.actions_by_type, chartdata.actions_by_type, (f,)),
            query(chartdata.actions_by_type, f),
            _("Number of actions of each type, split by current status."),
            columns.ACTIONS_BY_TYPE,
            f,
        ),
        "timeline": lambda: timeline_section(f),
    }


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
    if part in embeds.CHARTS.get(key, ()):
        st.subheader(_(embeds.CHART_TITLES[part]), anchor=False)
        _charts(f)[part]()
        return
    known = [t.name for t in v.tables] + list(embeds.CHARTS.get(key, ()))
    st.warning(
        md(_("This page has no part called '{part}'. Its parts: {parts}.").format(part=part, parts=", ".join(known)))
    )

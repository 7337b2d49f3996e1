"""Embedding one chart or table (issue 24, item 7): the "Embed" control next to each chart and table
(an iframe of that part alone, sized to it; embeds.py makes the code), and the page of one part
(`?embed=true&part=<name>`): the part alone, with the view's heading, date line and a link to the
whole view, instead of the whole page."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from chatbot_watch import charts, embeds, queries, views
from chatbot_watch.filters import PAGE_FILTERS, Filters
from chatbot_watch.i18n import _
from chatbot_watch.mdtext import md
from chatbot_watch.ui.state import _RUN, current_filters, query
from chatbot_watch.ui.urlstate import embed_mode, page_filters, page_url
from chatbot_watch.views import columns


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


def _charts(f: Filters) -> dict[str, Callable[[], object]]:
    from chatbot_watch.ui.figures import ChartRef, chart_with_table, map_with_table
    from chatbot_watch.ui.sections import flow_matrix_section, timeline_section

    return {
        "map": lambda: map_with_table(f),
        "matrix": lambda: flow_matrix_section(f, _("Rows: apps; columns: companies named as recipients.")),
        "evidence": lambda: chart_with_table(
            ChartRef(charts.evidence_bars, queries.evidence_counts, (f,)),
            query(queries.evidence_counts, f),
            _("Number of findings at each level of the evidence scale."),
            columns.EVIDENCE_COUNTS,
            f,
        ),
        "by_type": lambda: chart_with_table(
            ChartRef(charts.actions_by_type, queries.actions_by_type, (f,)),
            query(queries.actions_by_type, f),
            _("Number of actions of each type, split by current status."),
            columns.ACTIONS_BY_TYPE,
            f,
        ),
        "timeline": lambda: timeline_section(f),
    }


def embed_part(key: str, part: str) -> None:
    """The page of one part of page `key`'s view: its heading and date line, the part alone, and a
    link to the whole view (opened outside the frame); a notice naming the parts for an unknown one."""
    from chatbot_watch.ui.view import page_view, view_table

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

"""A view (views.View) drawn in Streamlit: the page's view for this run's filters, its heading and
question, its figures and its tables, each as the view declares them (its charts: ui/figures.py; the
plain HTML page and the API draw the same View)."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from chatbot_watch import i18n, queries, views
from chatbot_watch.filters import PAGE_FILTERS, Filters
from chatbot_watch.i18n import _
from chatbot_watch.mdtext import md
from chatbot_watch.ui.embedpart import embed_button
from chatbot_watch.ui.furniture import header
from chatbot_watch.ui.state import RESULT_KEY, current_filters, data_version, query, settings
from chatbot_watch.ui.tables import SOURCE_LINK_COLUMNS, table
from chatbot_watch.web import embeds


def _build(
    con: queries.Con, key: str, f: Filters, params: tuple[tuple[str, tuple[str, ...]], ...], site: str, lang: str
) -> views.View:
    v = views.for_filters(
        con,
        queries.meta(con),
        queries.filter_options(con),
        key,
        f,
        {k: list(vs) for k, vs in params},
        site,
        lang=lang,
    )
    # Each table's display (the charts' tables too) is cached under the view's key (ui.display_table).
    for t in [*v.tables, *(ch.table for ch in v.charts)]:
        t.frame.attrs[RESULT_KEY] = repr((data_version(), "view", key, f, params, t.name, t.group, lang))
    return v


def own_params(key: str) -> dict[str, str]:
    """The page's own URL parameters (the search text, a record id), as every renderer reads them."""
    return views.own_params(key, {name: st.query_params.get_all(name) for name in views.PAGE_BY_KEY[key].params})


def page_view(key: str, f: Filters) -> views.View:
    """The view of page `key` for the filters it applies (`f`, from `page_filters`) and its own URL
    parameters, shared by every session (read-only); made once per data version and URL."""
    own = tuple(sorted((k, (v,)) for k, v in own_params(key).items()))
    return query(_build, key, f.only(PAGE_FILTERS[key]), own, settings().site_title, i18n.current())


def tab_title(key: str) -> str:
    """The browser tab's title for page `key` with this run's filters: the view's own title, the
    same the server-rendered page carries ("South Korea: restrictions of chatbot apps - Chatbot
    Watch"), so the tab keeps it once the app has loaded. The page then draws the same cached view."""
    return page_view(key, current_filters()).title


def view_header(v: views.View) -> None:
    """The view's heading, its question and the date line."""
    header(v.heading, v.question, v.date_line)


LONG_VALUE = 6  # characters of a figure's value beyond which figures share a row by three


def view_figures(v: views.View, group: str = "") -> None:
    """The view's headline figures (of `group`: one country's tab), side by side."""
    shown = v.figures_of(group)
    if not shown:
        return
    # Long values (a date, a version, the licence) get a third of the width, so none is cut off.
    per_row = len(shown) if max(len(f.value) for f in shown) <= LONG_VALUE else min(3, len(shown))
    for start in range(0, len(shown), per_row):
        row = shown[start : start + per_row]
        for col, fig in zip(st.columns(per_row), row, strict=False):
            # Label and value as text (a value such as the licence comes from the data; metric renders Markdown).
            col.metric(md(fig.label), md(fig.value), help=md(fig.help) if fig.help else None)


def view_table(t: views.Table, drop: Sequence[str] = (), height: int | None = None) -> None:
    """One table of the view: its note, then its rows under the declared headings, record ids
    linked to their pages and source links showing their host, and its "Embed" control."""
    if t.note:
        st.caption(t.note)
    shown = {k: h for k, h in t.columns.items() if k not in drop}
    links = tuple(c for c in SOURCE_LINK_COLUMNS if c in shown)
    table(t.frame, shown, link_cols=links, record=t.record, height=height)
    embed_button(t.name, t.caption, embeds.part_height(t.total), t.group)


def chronology(t: views.Table | None) -> None:
    """A view's chronology of events (views/chronology.py): its heading, what it leaves out, its rows."""
    if t is None:
        return
    st.subheader(t.caption, anchor=False)
    if t.frame.empty:
        if t.note:
            st.caption(t.note)
        st.info(_("Nothing matches these filters."))
    else:
        view_table(t)

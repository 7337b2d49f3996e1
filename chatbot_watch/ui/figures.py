"""The charts a view declares, drawn on a page: each with its Table tab (its text alternative), its
caption, PNG/SVG downloads for articles and "Embed"; the world map's click opens a country's profile."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import pyarrow as pa
import streamlit as st

from chatbot_watch import i18n, queries
from chatbot_watch.filters import Filters
from chatbot_watch.i18n import _
from chatbot_watch.mdtext import md
from chatbot_watch.ui.embedpart import embed_button
from chatbot_watch.ui.state import _SPECS, data_version, meta, query, settings
from chatbot_watch.ui.tables import date_columns, display_table
from chatbot_watch.ui.urlstate import _current_page, request_page, set_filter
from chatbot_watch.views import articles, charts
from chatbot_watch.views.base import Chart
from chatbot_watch.views.downloads import file_stem
from chatbot_watch.web.embeds import part_height


def _arrow_bytes(rows: list[dict[str, Any]]) -> bytes:
    """A chart dataset as Arrow IPC stream bytes, the form Streamlit sends to the browser."""
    table = pa.Table.from_pandas(pd.DataFrame(rows), preserve_index=False)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


_ALTAIR_NAME = re.compile(r"data-[0-9a-f]{32}")


def stable_dataset_names(spec: dict, prefix: str) -> dict:
    """`spec` with its datasets named `prefix-0`, `prefix-1`, ... in order, instead of by a hash of
    their content (Altair's names).

    Streamlit's frontend draws a chart anew (parses, compiles, builds every mark) whenever the spec
    apart from its data changes, and only swaps the data in the drawn chart when it does not: with
    names that do not depend on the data, a filter change is a data swap (issue 26, item 7)."""
    datasets = spec.get("datasets")
    if not isinstance(datasets, dict) or not datasets:
        return spec
    names = {old: f"{prefix}-{i}" for i, old in enumerate(datasets) if _ALTAIR_NAME.fullmatch(old)}
    if not names:
        return spec  # named already (the world map's counts)
    text = json.dumps({k: v for k, v in spec.items() if k != "datasets"})
    for old, new in names.items():
        text = text.replace(json.dumps(old), json.dumps(new))
    out = json.loads(text)
    out["datasets"] = {names.get(k, k): v for k, v in datasets.items()}
    return out


def _make_chart_spec(
    chart: Callable[..., Any], query_fn: Callable[..., Any], qargs: tuple, cargs: tuple, frame: pd.DataFrame | None
) -> dict:
    # Building and validating an Altair spec costs tens of milliseconds: done once per view.
    made = chart(query(query_fn, *qargs) if frame is None else frame, *cargs)
    spec = stable_dataset_names(made if isinstance(made, dict) else made.to_dict(), f"data-{chart.__name__}")
    # Tabular datasets go to the browser as Arrow bytes; Streamlit converts them on every call
    # unless they already are bytes, so convert them here, once.
    datasets = spec.get("datasets")
    if isinstance(datasets, dict):
        spec["datasets"] = {
            name: _arrow_bytes(rows) if isinstance(rows, list) else rows for name, rows in datasets.items()
        }
    return spec


def chart_spec(
    chart: Callable[..., Any],
    query_fn: Callable[..., Any],
    *qargs: Any,
    cargs: tuple = (),
    frame: pd.DataFrame | None = None,
) -> dict:
    """The Vega-Lite spec of `chart` (a `charts` function) drawn on `query_fn(*qargs)` (a `queries`
    function; `frame` when given is its result, read already by the view), cached per data version
    and language (its titles, axes, legends and labels are in the run's language) and shared by
    every session (read-only)."""
    key = (data_version(), i18n.current(), chart.__qualname__, query_fn.__qualname__, qargs, cargs)
    return _SPECS.get(key, lambda: _make_chart_spec(chart, query_fn, qargs, cargs, frame))


@dataclass(frozen=True)
class ChartRef:
    """A chart of the page: `chart` (a `charts` function) drawn on `query_fn(*qargs)` (a `queries`
    function), with `cargs`."""

    chart: Callable[..., Any]
    query_fn: Callable[..., Any]
    qargs: tuple[Any, ...]
    cargs: tuple[Any, ...] = ()
    frame: pd.DataFrame | None = field(default=None, compare=False, hash=False)  # query_fn's result, if read

    def spec(self) -> dict:
        """The cached, browser-ready spec (see `chart_spec`)."""
        return chart_spec(self.chart, self.query_fn, *self.qargs, cargs=self.cargs, frame=self.frame)

    def article_spec(self, f: Filters, page: str) -> dict:
        """The spec as a stand-alone image for an article about page `page` with filters `f`: a plain
        title from the filters, a takeaway, the filters in words and the source line (the view's full
        public URL, as-of date, version, licence) drawn in (chatbot_watch.views.articles)."""
        frame = query(self.query_fn, *self.qargs) if self.frame is None else self.frame
        made = self.chart(frame, *self.cargs)
        spec = made if isinstance(made, dict) else made.to_dict()
        name = self.chart.__name__
        return articles.article(
            spec, name, frame, page, f, query(queries.filter_options), meta(), settings().site_title
        )


def view_chart(ch: Chart, f: Filters) -> bool:
    """A chart the view declares (views/chartparts.py) and, beside it in a tab, its data as a table
    (the chart's text alternative, headings and labels in the reader's language); under the chart
    its caption (what it shows and leaves out), "Download chart" (PNG, SVG) with title, filters,
    source, as-of date and licence, and "Embed". A chart with nothing to draw shows what the view
    says instead (if anything). False when nothing was drawn."""
    if ch.empty:
        if ch.instead:
            st.caption(md(ch.instead))
        return False
    ref = ChartRef(ch.draw, ch.source, ch.args, (ch.title,), ch.data)
    t_chart, t_table = st.tabs([_("Chart"), _("Table")])
    with t_chart:
        st.vega_lite_chart(ref.spec(), width="stretch", **(_map_selection() if ch.name == "map" else {}))
        st.caption(md(ch.caption))
        chart_downloads(ref, f)
        drawn = ref.spec().get("height")
        height = part_height(chart=ch.name, chart_height=drawn if isinstance(drawn, int) else 400)
        embed_button(ch.name, ch.title, height, chart=True)
    with t_table:
        headings = ch.table.columns
        shown = display_table(ch.table.frame, headings)
        st.dataframe(shown, hide_index=True, width="stretch", column_config=date_columns(headings))
    return True


def chart_downloads(ref: ChartRef, f: Filters) -> None:
    """PNG and SVG of a chart for an article, made when clicked (offline, by vl-convert)."""
    m = meta()
    # Read while the page runs: a download is made later, outside the page's run.
    page = _current_page() or "overview"
    stem = file_stem(f"{page} {ref.chart.__name__}", f, m["as_of"])

    def render(fmt: str) -> bytes | str:
        import vl_convert

        spec = charts.inline_map(ref.article_spec(f, page))
        return vl_convert.vegalite_to_png(spec, scale=2) if fmt == "png" else vl_convert.vegalite_to_svg(spec)

    formats = (("png", "PNG", "image/png", ":material/image:"), ("svg", "SVG", "image/svg+xml", ":material/draw:"))
    for col, (fmt, name, mime, icon) in zip(st.columns([1, 1, 2]), formats, strict=False):
        col.download_button(
            _("Chart as {format}").format(format=name),
            lambda fmt=fmt: render(fmt),
            file_name=f"{stem}.{fmt}",
            mime=mime,
            key=f"{fmt}-{ref.chart.__name__}",
            on_click="ignore",
            icon=icon,
            help=_("The chart with its title, filters, source line, as-of date and licence, ready for an article."),
        )


def _map_selection() -> dict[str, Any]:
    """The world map's selection: clicking a country opens its profile."""

    def on_click() -> None:
        state = st.session_state.get("world_map")
        selection = (state or {}).get("selection", {}).get(charts.MAP_SELECTION) or []
        codes = [d.get("country_code") for d in selection if isinstance(d, dict) and d.get("country_code")]
        if codes:
            set_filter("country", [str(codes[0])])
            request_page("countries")

    return {"on_select": on_click, "key": "world_map", "selection_mode": [charts.MAP_SELECTION]}

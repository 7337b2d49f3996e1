"""Tables and downloads: display-ready Arrow tables (lists joined, blanks for missing values), record
ids linked to their pages, source links showing their host, column help, CSV/JSON downloads and the
whole-dataset package."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import pyarrow as pa
import streamlit as st

from chatbot_watch.filters import Filters
from chatbot_watch.i18n import _
from chatbot_watch.reading.urls import shown_url
from chatbot_watch.tools.corrections import KIND_COLUMN, with_correction_links
from chatbot_watch.ui.recordlinks import record_link_list
from chatbot_watch.ui.state import _PACKAGES, _TABLES, RESULT_KEY, meta, settings
from chatbot_watch.views import columns, record_href
from chatbot_watch.views.downloads import csv_text, file_stem, json_text, package_zip

LINK = st.column_config.LinkColumn

# What a column's values mean, shown when a reader hovers its header (declared with the headings).
COLUMN_HELP = columns.HELP


def _display(value: Any) -> Any:
    """Table cell text: lists joined, missing values blank (never the word "None")."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, list | tuple) or (hasattr(value, "tolist") and not isinstance(value, str)):
        items = value.tolist() if hasattr(value, "tolist") else list(value)
        return ", ".join(str(v) for v in items)
    return value


# Columns holding a record's source links: shown with the host the browser visits (urls.shown_url).
SOURCE_LINK_COLUMNS = ("source_url", "url")


def _to_display(df: pd.DataFrame, columns: dict[str, str]) -> pa.Table:
    shown = df[[c for c in columns if c in df.columns]]
    links = [c for c in SOURCE_LINK_COLUMNS if c in shown.columns]
    if links:
        shown = shown.assign(**{c: shown[c].map(lambda u: shown_url(u) if isinstance(u, str) else u) for c in links})
    shown = shown.rename(columns=columns)
    shown.attrs = {}  # the query's cache key is ours, not the browser's
    for col in shown.columns:
        if shown[col].dtype.kind not in "iufbmM":  # text and lists: blanks instead of "None"
            shown[col] = shown[col].astype(object).map(_display).astype(str)
    return pa.Table.from_pandas(shown, preserve_index=False)


def display_table(
    df: pd.DataFrame,
    columns: dict[str, str],
    prepare: Callable[[pd.DataFrame], pd.DataFrame] | None = None,
    prepare_key: tuple[Any, ...] = (),
) -> pa.Table:
    """The `columns` of `df` (after `prepare`, if given) under their shown names, lists joined and
    blanks for missing values, as an Arrow table (what the browser receives).

    Made once per cached query result and shared, under the result's own cache key (which `query`
    puts in `df.attrs`) with the columns and `prepare_key` (what `prepare` depends on); a frame that
    is not a query's result is converted each time, never cached.
    """

    def make() -> pa.Table:
        return _to_display(prepare(df) if prepare else df, columns)

    result = df.attrs.get(RESULT_KEY)
    if result is None:
        return make()
    # pandas hands `attrs` on to frames derived from a result (a filtered copy): its shape is part
    # of the key, so a derived frame never gets the table of the result it came from.
    shape = (len(df), tuple(df.columns))
    _old, made = _TABLES.get((result, shape, tuple(columns.items()), prepare_key), lambda: (None, make()))
    return made


# A record's page: one definition for the app and the first paint (`/record?id=AF-001`, `app:…`).
record_link = record_href


def _link_ids(df: pd.DataFrame, id_col: str, kind: str | None) -> pd.DataFrame:
    out = df.copy()
    kinds = out[KIND_COLUMN] if kind is None else [kind] * len(out)
    out[id_col] = [
        record_link(str(v), k) if isinstance(v, str) and v else "" for v, k in zip(out[id_col], kinds, strict=True)
    ]
    return out


def table(
    df: pd.DataFrame,
    columns: dict[str, str],
    link_cols: tuple[str, ...] = ("source_url",),
    height: int | None = None,
    record: tuple[str | None, str] | None = None,
) -> None:
    """A data table with readable headers; source URLs as links showing the host.

    `df` is a cached query result (see `display_table`). With `record=(kind, id column)` the
    id column links each row to its record's page (every field, the sources with their full
    quotes); with a repository configured, each row also links a pre-filled "report a
    correction" issue naming the record and its source. A table of several kinds passes
    `(None, id column)`: each row's kind is then in its `record_kind` column.
    """
    columns = dict(columns)
    repo = settings().repository_url
    config: dict[str, Any] = {}
    steps: list[Callable[[pd.DataFrame], pd.DataFrame]] = []
    key: tuple[Any, ...] = ()
    if record is not None and record[1] in columns:
        kind, id_col = record
        steps.append(lambda d: _link_ids(d, id_col, kind))
        key += ("ids", kind, id_col)
        config[columns[id_col]] = LINK(columns[id_col], display_text=r"id=(?:app%3A|company%3A)?([^&]*)")
    if record is not None and repo:
        url = st.context.url or ""
        columns["correction_url"] = _("Correction")
        link_cols = (*link_cols, "correction_url")
        kind, id_col = record
        steps.insert(0, lambda d: with_correction_links(d, repo, kind, id_col, url))
        key += ("corrections", repo, kind, id_col, url)

    def prepare(d: pd.DataFrame) -> pd.DataFrame:
        for step in steps:
            d = step(d)
        return d

    data = display_table(df, columns, prepare=prepare if steps else None, prepare_key=key)
    # The help is declared under the English headings; the shown ones are in the reader's language.
    for heading, text in COLUMN_HELP.items():
        shown = _(heading)
        if shown in columns.values() and shown not in config:
            config[shown] = st.column_config.TextColumn(shown, help=_(text))
    for heading, column in date_columns(columns).items():
        config.setdefault(heading, column)
    for c in link_cols:
        if c in columns:
            shown_text = _("Report a correction") if c == "correction_url" else r"https?://(?:www\.)?([^/]+)"
            config[columns[c]] = LINK(columns[c], display_text=shown_text)
    kw: dict[str, Any] = {"height": height or min(38 + 35 * max(data.num_rows, 1), 640)}
    st.dataframe(data, hide_index=True, width="stretch", column_config=config, **kw)
    if record is not None:  # the records as real links, for the keyboard (the grid's links are on a canvas)
        record_link_list(df, *record)


DATE_COLUMNS = ("date", "announced", "effective", "lifted", "audit_date", "published", "since", "until", "built_at")
DATE_WIDTH = 104  # pixels: a day's date in the grid's font, with its padding


def downloads(df: pd.DataFrame, name: str, f: Filters, url: str) -> None:
    """Download the rows of the table just above as CSV (plain, or for Excel) and JSON (with the
    as-of date, version, filters and URL); file names say the view, filters and as-of date."""
    m = meta()
    slug = "".join(ch if ch.isalnum() else "-" for ch in name.lower()).strip("-")
    stem = file_stem(name, f, m["as_of"])
    c1, c2, c3 = st.columns(3)
    # Deferred: the files are made when a visitor clicks, not on every rerun.
    c1.download_button(
        _("Download CSV"),
        lambda: csv_text(df),
        file_name=f"{stem}.csv",
        mime="text/csv",
        width="stretch",
        key=f"csv-{slug}",
        on_click="ignore",
        help=_(
            "Plain CSV, header on the first line. Its filters and as-of date are in the file name; "
            "the JSON download carries every detail of the view."
        ),
    )
    c2.download_button(
        _("CSV for Excel"),
        lambda: csv_text(df, excel=True),
        file_name=f"{stem}_excel.csv",
        mime="text/csv",
        width="stretch",
        key=f"xlsx-{slug}",
        on_click="ignore",
        help=_("The same CSV with a byte order mark, so that Excel reads accents and non-Latin names right."),
    )
    c3.download_button(
        _("Download JSON"),
        lambda: json_text(df, m, name, f, url),
        file_name=f"{stem}.json",
        mime="application/json",
        width="stretch",
        key=f"json-{slug}",
        on_click="ignore",
    )


def whole_dataset_download() -> None:
    """Offer the whole current build as the zipped open-data package of `export` (made on click)."""
    m = meta()
    db_path, version = settings().db_path, m["data_version"]
    st.download_button(
        _("Download the whole dataset (data package: CSV, JSON, Parquet)"),
        # Made on the first click for a build, then shared: a full export is seconds of work.
        lambda: _PACKAGES.get(version, lambda: package_zip(db_path)),
        file_name=f"chatbot-watch-{m['data_version']}.zip",
        mime="application/zip",
        on_click="ignore",
        key="whole-dataset",
    )


def date_columns(columns: dict[str, str]) -> dict[str, Any]:
    """The column configuration that keeps each date column of `columns` (id -> shown heading) the
    width of a whole date ("2025-04-28"): a short heading ("Lifted") sized them too narrow."""
    return {columns[c]: st.column_config.TextColumn(columns[c], width=DATE_WIDTH) for c in DATE_COLUMNS if c in columns}


def facts_table(facts: dict[str, str]) -> None:
    """A two-column table of labelled facts, shown as plain text."""
    text_table([(k, v) for k, v in facts.items()], ["", _("Value")])


def text_table(rows: list[tuple[Any, ...]], headers: list[str]) -> None:
    """A small table of plain text (a few rows of labels and meanings)."""
    key = ("text", tuple(tuple(r) for r in rows), tuple(headers))
    _old, data = _TABLES.get(key, lambda: (None, _text_arrow(rows, headers)))
    st.dataframe(data, hide_index=True, width="stretch")


def _text_arrow(rows: list[tuple[Any, ...]], headers: list[str]) -> pa.Table:
    cols = {h: pa.array(["" if r[i] is None else str(r[i]) for r in rows], pa.string()) for i, h in enumerate(headers)}
    return pa.table(cols)

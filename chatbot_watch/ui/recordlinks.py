"""Keyboard links to a table's records (issue 24, item 5). `st.dataframe` draws its cells on a
canvas: a keyboard user cannot follow a record id's link in it (Enter opens a cell overlay, Tab walks
every cell of a row). Right after each table of records, one collapsed line ("Links to the 37 records
in this table") opens a compact list of real links (`st.page_link`: an <a href> to the record page),
reached with Tab and opened with Enter. The grid keeps its sorting and scrolling; a sighted reader
sees one extra line, not the ids twice."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from chatbot_watch.i18n import _, counted
from chatbot_watch.mdtext import md
from chatbot_watch.tools.corrections import KIND_COLUMN

MAX_LINKS = 300  # links listed per table; beyond it the list says how many it leaves out
RECORD_PAGE = "pages/record.py"
# For an app's or a company's row, the column naming it (its id is a slug, its name is what a reader knows).
NAME_COLUMNS = ("company_name", "app_name", "name")


def _records(df: pd.DataFrame, kind: str | None, id_col: str) -> list[tuple[str, str, str]]:
    """(kind, id, label) of the distinct records of `df`, in the table's order."""
    kinds = df[KIND_COLUMN] if kind is None and KIND_COLUMN in df.columns else [kind] * len(df)
    name_col = next((c for c in NAME_COLUMNS if c in df.columns), None) if kind in ("app", "company") else None
    names = df[name_col] if name_col else df[id_col]
    seen: set[tuple[str, str]] = set()
    out = []
    for k, rid, name in zip(kinds, df[id_col], names, strict=True):
        if not isinstance(rid, str) or not rid or (str(k), rid) in seen:
            continue
        seen.add((str(k), rid))
        out.append((str(k), rid, name if isinstance(name, str) and name else rid))
    return out


def record_link_list(df: pd.DataFrame, kind: str | None, id_col: str) -> None:
    """After a table of records: every record it shows as a keyboard-reachable link, in a
    collapsed expander (nothing when the table has no record)."""
    if id_col not in df.columns:
        return
    found = _records(df, kind, id_col)
    if not found:
        return
    label = counted(len(found), "Links to the {n} record in this table", "Links to the {n} records in this table")
    with st.expander(label, icon=":material/link:"):
        with st.container(horizontal=True, gap="small"):
            for k, rid, name in found[:MAX_LINKS]:
                value = f"{k}:{rid}" if k in ("app", "company") else rid
                st.page_link(RECORD_PAGE, label=md(name), query_params={"id": value})
        if len(found) > MAX_LINKS:
            st.caption(
                _("The first {shown} of {total} records are listed; the table and its downloads hold them all.").format(
                    shown=MAX_LINKS, total=len(found)
                )
            )

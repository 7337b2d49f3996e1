"""Validated records -> the rows of each table of the model, as columns (lists of values).

A full build (build.py) makes every table from every record; a patching rebuild (patch.py)
makes only the rows of the records that changed, with the same functions. Columns are built one
list comprehension each, straight from the records: at 200,000 records that is several times
faster than a dict per row turned into a DataFrame.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import duckdb
import pyarrow as pa

from chatbot_watch.datamodel import evidence, vocabularies
from chatbot_watch.datamodel.blocks import Derived, Records, Table, Values
from chatbot_watch.datamodel.storage import (
    META,
    SOURCES,
    VOCABULARIES,
    FieldColumn,
    Filled,
    ItemTable,
    Model,
    StoredKind,
    source_id,
)

SCHEMA_VERSION = "1"
REVIEWED_PREFIX = evidence.REVIEWED_PREFIX

Columns = dict[str, list[Any]]
Citation = tuple[str, str, int, Values]  # (kind word, record id, position, the source's fields)


def vocabulary_table() -> Columns:
    """Every value of every closed vocabulary, with its label, meaning and position."""
    rows = [
        (vname.lower(), vid, lab, desc, pos, vocabularies.value_class(vname, vid))
        for vname, vocab in vocabularies.VOCABULARIES.items()
        for pos, (vid, (lab, desc)) in enumerate(vocab.items())
    ]
    return _columns(_names(VOCABULARIES), rows)


def whole_table(stored: StoredKind) -> bool:
    """Whether a derived column of the kind's table is computed from all its rows (model.Derived)."""
    return any(isinstance(p, Derived) and p.whole_table for p in stored.filled.parts)


def kind_tables(stored: StoredKind, rows: list[Values], recs: Records) -> dict[str, Columns]:
    """The kind's table and item tables for the records `rows`."""
    out = {stored.table.name: fill(stored.filled, rows, recs)}
    for items in stored.items:
        out[items.table.name] = item_rows(items, rows)
    return out


def citations(m: Model, recs: Records) -> list[Citation]:
    """Every citation of `recs`, kind by kind in the model's citation order, each record's in its order."""
    return [
        (stored.kind.word, r["id"], pos, s)
        for stored in m.cited
        for r in recs.get(stored.kind.name, ())
        for pos, s in enumerate(r.get(SOURCES) or [])
    ]


def citation_table(m: Model, cited: list[Citation], ids: dict[str, str] | None = None) -> Columns:
    """The rows of `record_sources` for the citations `cited`; `ids`: source ids already made,
    by URL (a URL's id is a hash: at x1000, 435,000 of them)."""
    fields = [p.field for p in m.citations.parts if isinstance(p, FieldColumn)]
    known = ids or {}
    return _columns(
        _names(m.citations.table),
        [
            (word, rid, pos, known.get(s["url"]) or source_id(s["url"]), *[s.get(f) for f in fields])
            for word, rid, pos, s in cited
        ],
    )


def first_citations(cited: Iterable[Citation], urls: set[str] | None = None) -> dict[str, Values]:
    """Each URL (of `urls`, or all) as its first citation gives it: one row of `sources` each."""
    first: dict[str, Values] = {}
    for *_, s in cited:
        url = s["url"]
        if url not in first and (urls is None or url in urls):
            first[url] = s
    return first


def source_table(m: Model, first: dict[str, Values], recs: Records) -> Columns:
    """The rows of `sources` for the sources `first` (URL -> fields)."""
    return fill(m.sources, list(first.values()), recs) if first else {}


def meta_table(m: Model, meta: Values, recs: Records, version: str, built_at: str) -> Columns:
    """The `meta` table: the data version, the build's time, the dataset's fields, the counts."""
    counts = {k: len(v) for k, v in recs.items()}
    t_meta = {
        "data_version": version,
        "built_at": built_at,
        "schema_version": SCHEMA_VERSION,
        **{f.name: meta.get(f.name) for f in m.dataset_fields if f.kind != "list"},
        # Each jurisdiction's own review date (dataset.yaml's `reviews`), read by wording.review_facts.
        **{f"{REVIEWED_PREFIX}{r['jurisdiction']}": r["reviewed"] for r in meta.get("reviews") or ()},
        **{f"count_{k}": str(v) for k, v in counts.items()},
        **evidence.meta_facts(recs),
    }
    return {"key": list(t_meta), "value": [None if v is None else str(v) for v in t_meta.values()]}


def fill(filled: Filled, rows: list[Values], recs: Records) -> Columns:
    """The columns of a table whose rows are `rows`: each field as it is (a list copied, empty
    when missing), then the derived columns, in the table's order."""
    out: Columns = {}
    for part in filled.parts:
        if isinstance(part, FieldColumn):
            name = part.field
            if part.is_list:
                out[part.column] = [list(r.get(name) or []) for r in rows]
            else:
                out[part.column] = [r.get(name) for r in rows]
        else:
            values = part.compute(rows, recs)
            for column, col_values in zip(part.columns, values, strict=True):
                out[column.name] = col_values
    return {c.name: out[c.name] for c in filled.table.columns}


def item_rows(items: ItemTable, rows: list[Values]) -> Columns:
    """One row per item of a list field: the owner's id, the item (or its fields), its position."""
    name = items.field
    if items.value is not None:
        if items.position:
            made = [(r["id"], v, pos) for r in rows for pos, v in enumerate(r.get(name) or [])]
        else:
            made = [(r["id"], v) for r in rows for v in r.get(name) or []]
    else:
        fields = [c.field for c in items.item_columns]
        made = [
            (r["id"], *[item.get(f) for f in fields], *((pos,) if items.position else ()))
            for r in rows
            for pos, item in enumerate(r.get(name) or [])
        ]
    return _columns(_names(items.table), made)


_ARROW_TYPES = {"VARCHAR": pa.string(), "VARCHAR[]": pa.list_(pa.string()), "DATE": pa.date32(), "INTEGER": pa.int32()}


def arrow_schema(table: Table, names: Iterable[str]) -> pa.Schema | None:
    """The Arrow types of the columns `names` of a model table (None if one has a type not mapped)."""
    types = {c.name: c.type for c in table.columns}
    try:
        return pa.schema([(n, _ARROW_TYPES[types[n]]) for n in names])
    except KeyError:
        return None


def insert(con: duckdb.DuckDBPyConnection, name: str, columns: Columns, table: Table | None = None) -> None:
    """Append the rows `columns` to the table `name` (a name from the model, never from input).

    Arrow, not pandas: its types come from every value (DuckDB would guess an object column's
    type from a sample), and at x100 the inserts take a third less time. With the model's
    `table`, the Arrow types come from its columns: inferring them took three quarters of the
    conversion (at x1000, about 1.5 s).
    """
    found = frame(columns, table)
    if found is not None:
        insert_frame(con, name, found)


def frame(columns: Columns, table: Table | None = None) -> pa.Table | None:
    """`columns` as an Arrow table (typed as the model's `table` says, when given); None if empty."""
    if not columns:
        return None
    schema = arrow_schema(table, columns) if table is not None else None
    made = pa.table(columns, schema=schema) if schema is not None else pa.table(columns)
    return made if made.num_rows else None


def insert_frame(con: duckdb.DuckDBPyConnection, name: str, made: pa.Table) -> None:
    """Append the Arrow table `made` to the table `name` (a name from the model, never from input)."""
    cols = ", ".join(f'"{c}"' for c in made.column_names)
    con.register("_frame", made)
    try:
        con.execute(f'INSERT INTO "{name}" ({cols}) SELECT {cols} FROM _frame')  # names come from the model
    finally:
        con.unregister("_frame")


def _names(table: Table) -> tuple[str, ...]:
    return tuple(c.name for c in table.columns)


def _columns(names: tuple[str, ...], rows: list[tuple[Any, ...]]) -> Columns:
    """Rows (tuples) -> columns; a table without rows has no columns (not inserted)."""
    if not rows:
        return {}
    return {name: list(col) for name, col in zip(names, zip(*rows, strict=True), strict=True)}


__all__ = [
    "META",
    "SCHEMA_VERSION",
    "Columns",
    "citation_table",
    "citations",
    "fill",
    "first_citations",
    "frame",
    "insert",
    "insert_frame",
    "item_rows",
    "kind_tables",
    "meta_table",
    "source_table",
    "vocabulary_table",
    "whole_table",
]

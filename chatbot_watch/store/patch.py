"""A rebuild that patches the database it replaces: only the rows of the records that changed.

Every build stores, beside the model's tables, a digest of each record (load.set_digests: a
hash of the record's text) and a key of the code and model that made the database
(`build_info`, `record_digests`; neither is exported). A later build with the same key compares
its records' digests with those: when few records changed, it copies the previous database and,
in the copy, deletes and inserts the rows of those records only (their table, item tables and
citations, the sources they cite or cited, the app's materialised views where they appear, the
meta table). Everything else is the same by construction:

- a row of a kind's table comes from its own record, except in a table with a derived column
  computed from all its rows (model.Derived.whole_table: the ownership chain): there every row
  is computed again when one of its records changed, and the rows that differ from the
  database's are rewritten;
- item tables and citations come from their own record only;
- a `sources` row is the first citation of its URL over all records in order; only the URLs
  cited by a changed record (before or after) are looked up again, and when the other records
  are not in the same order as before, no patch is made;
- the app's copies of the views are redone where a view's column names a rewritten row's record
  (model.View.refresh_by), and whole when a kind it reads has no such column.

tests/test_patch.py edits data in many ways and checks that every table of a patched database
holds exactly what a full build of the same data holds. Anything unusual (no previous database,
another key, a write-ahead log beside it, too many changes) gives a full build.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from chatbot_watch.datamodel.blocks import Records
from chatbot_watch.datamodel.dataset import Dataset
from chatbot_watch.datamodel.sqlviews import VIEWS
from chatbot_watch.datamodel.storage import Model
from chatbot_watch.store import duck, rows
from chatbot_watch.store.diff import SOURCE_KIND

STATE_DDL = """
CREATE TABLE build_info (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);
CREATE TABLE record_digests (kind VARCHAR NOT NULL, id VARCHAR NOT NULL, position INTEGER NOT NULL,
                             digest VARCHAR NOT NULL);
"""

# Past this share of all records changed, a full build is about as fast and a patch is not made.
MAX_CHANGED_SHARE = 0.2


@dataclass(frozen=True)
class Plan:
    """What a patch rewrites: per kind, the ids of the records added, removed or changed."""

    changed: dict[str, set[str]]

    @property
    def count(self) -> int:
        return sum(len(ids) for ids in self.changed.values())


def write_state(con: duckdb.DuckDBPyConnection, key: str, ds: Dataset) -> None:
    """Create the build's own tables in a new database: its key and every record's digest."""
    con.execute(STATE_DDL)
    con.execute("INSERT INTO build_info VALUES ('build_key', ?)", [key])
    _insert_digests(con, ds)


def _insert_digests(con: duckdb.DuckDBPyConnection, ds: Dataset) -> None:
    kinds, ids, positions, digests = [], [], [], []
    for kind, recs in ds.records.items():
        for pos, r in enumerate(recs):
            if r.digest is None:
                continue  # never patched against: such a record always counts as changed
            kinds.append(kind)
            ids.append(str(r.values.get("id")))  # Record.id, without a property call per record
            positions.append(pos)
            digests.append(r.digest)
    rows.insert(con, "record_digests", {"kind": kinds, "id": ids, "position": positions, "digest": digests})


def plan(previous: Path, ds: Dataset, key: str) -> Plan | None:
    """What patching the database `previous` into a build of `ds` rewrites, or None for a full build."""
    if not previous.is_file() or previous.is_symlink() or os.path.lexists(f"{previous}.wal"):
        return None
    try:
        con = duck.connect(previous)
        try:
            found = con.execute("SELECT value FROM build_info WHERE key = 'build_key'").fetchone()
            if found is None or found[0] != key:
                return None
            old = con.execute("SELECT kind, id, digest FROM record_digests ORDER BY kind, position").fetchall()
        finally:
            con.close()
    except duckdb.Error:
        return None  # an older database, or not one of ours: build it whole
    old_digests: dict[str, dict[str, str]] = {}
    for kind, rid, digest in old:
        old_digests.setdefault(kind, {})[rid] = digest
    changed: dict[str, set[str]] = {}
    total = 0
    for kind, recs in ds.records.items():
        before = old_digests.pop(kind, {})
        total += len(recs)
        rids = [str(r.values.get("id")) for r in recs]  # Record.id, without a property call per record
        ids = {rid for rid, r in zip(rids, recs, strict=True) if r.digest is None or before.get(rid) != r.digest}
        ids |= before.keys() - set(rids)
        # The records that did not change must be in the same order (the first citation of a URL
        # depends on it): a record moved without a change gives a full build.
        kept_new = [rid for rid in rids if rid not in ids]
        kept_old = [rid for rid in before if rid not in ids]
        if kept_new != kept_old:
            return None
        if ids:
            changed[kind] = ids
    if old_digests:  # a kind the model no longer has
        return None
    result = Plan(changed)
    if result.count > MAX_CHANGED_SHARE * max(total, 1):
        return None
    return result


def apply(
    con: duckdb.DuckDBPyConnection, the_plan: Plan, ds: Dataset, m: Model, version: str, built_at: str
) -> dict[str, set[str]]:
    """Rewrite, in the copied database `con`, what `the_plan` says changed (see the module's
    docstring). Returns the records that changed by kind word (as `diff` names them), with the
    source URLs whose row was looked up again under diff.SOURCE_KIND: what the change log compares."""
    recs: Records = {k: [r.values for r in v] for k, v in ds.records.items()}
    words = {s.kind.name: s.kind.word for s in m.stored}
    changed = {kind: ids for kind, ids in the_plan.changed.items() if kind in words}
    _ids_table(con, "changed", [(kind, words[kind], rid) for kind, ids in changed.items() for rid in ids])
    citations = m.citations.table.name
    # The URLs the changed records cited before their rows go.
    urls = {
        r[0]
        for r in con.execute(
            f'SELECT DISTINCT url FROM "{citations}" c JOIN changed t ON t.word = c.record_kind AND t.id = c.record_id'
        ).fetchall()
    }
    # Per kind, the rows of its table rewritten: the changed records', and in a whole-table kind
    # every row whose derived values moved with them (`_whole_table`).
    rewritten: dict[str, set[str]] = {}
    for stored in m.stored:
        kind = stored.kind.name
        ids = changed.get(kind)
        if not ids:
            continue
        for items in stored.items:
            con.execute(
                f'DELETE FROM "{items.table.name}" WHERE "{items.owner}" IN (SELECT id FROM changed WHERE kind = ?)',
                [kind],
            )
        if stored.cited:
            con.execute(
                f'DELETE FROM "{citations}" WHERE record_kind = ? AND record_id IN '
                "(SELECT id FROM changed WHERE kind = ?)",
                [stored.kind.word, kind],
            )
        new_rows = [r for r in recs[kind] if r["id"] in ids]
        if rows.whole_table(stored):
            ids, table = _whole_table(con, stored.table.name, rows.fill(stored.filled, recs[kind], recs))
        else:
            table = rows.fill(stored.filled, new_rows, recs)
        rewritten[kind] = ids
        _ids_table(con, "kind_rows", [(kind, words[kind], rid) for rid in ids])
        con.execute(f'DELETE FROM "{stored.table.name}" WHERE id IN (SELECT id FROM kind_rows)')
        rows.insert(con, stored.table.name, table, stored.table)
        for items in stored.items:
            rows.insert(con, items.table.name, rows.item_rows(items, new_rows), items.table)
        if stored.cited:
            cited = rows.citations(m, {kind: new_rows})
            urls |= {s["url"] for *_, s in cited}
            rows.insert(con, citations, rows.citation_table(m, cited), m.citations.table)

    # Sources: each URL a changed record cites or cited, as its first citation now gives it.
    if urls:
        _temp_table(con, "touched_urls", {"url": sorted(urls)})
        con.execute(f'DELETE FROM "{m.sources.table.name}" WHERE url IN (SELECT url FROM touched_urls)')
        first = rows.first_citations(rows.citations(m, recs), urls)
        rows.insert(con, m.sources.table.name, rows.source_table(m, first, recs), m.sources.table)

    con.execute(f'DELETE FROM "{rows.META.name}"')
    rows.insert(con, rows.META.name, rows.meta_table(m, ds.meta, recs, version, built_at), rows.META)
    con.execute("DELETE FROM record_digests")
    _insert_digests(con, ds)
    _ids_table(con, "rewritten", [(kind, words[kind], rid) for kind, ids in rewritten.items() for rid in ids])
    _refresh_views(con, {kind for kind, ids in rewritten.items() if ids})
    out = {words[kind]: set(ids) for kind, ids in changed.items()}
    out[SOURCE_KIND] = urls
    return out


def _ids_table(con: duckdb.DuckDBPyConnection, name: str, ids: list[tuple[str, str, str]]) -> None:
    """A temporary table `name` of record ids: (kind, word, id)."""
    _temp_table(con, name, {column: [t[i] for t in ids] for i, column in enumerate(("kind", "word", "id"))})


def _temp_table(con: duckdb.DuckDBPyConnection, name: str, columns: dict[str, list[str]]) -> None:
    """A temporary table `name` (this module's) of text `columns`, replacing one of that name."""
    con.register("_temp", pa.table({c: pa.array(v, pa.string()) for c, v in columns.items()}))
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM _temp")
    finally:
        con.unregister("_temp")


def _whole_table(con: duckdb.DuckDBPyConnection, name: str, table: rows.Columns) -> tuple[set[str], rows.Columns]:
    """Of a table computed whole (`table`), the ids of the rows that are not in the database as
    they are there (new, gone or different), and those rows' columns."""
    cols = list(table)
    quoted = ", ".join(f'"{c}"' for c in cols)
    key = cols.index("id")
    old = {row[key]: row for row in con.execute(f'SELECT {quoted} FROM "{name}"').fetchall()}
    new = list(zip(*table.values(), strict=True))
    keep = [i for i, row in enumerate(new) if old.pop(row[key], None) != row]
    ids = {new[i][key] for i in keep} | set(old)
    return ids, {c: [table[c][i] for i in keep] for c in cols}


def _refresh_views(con: duckdb.DuckDBPyConnection, kinds: set[str]) -> None:
    """Redo the rows of the app's materialised views (`app_<view>`) that the rewritten rows
    (`rewritten`) of `kinds` touch: by the view's columns naming them (model.View.refresh_by),
    the whole view when a kind it reads has none."""
    for view in VIEWS:
        hit = kinds & set(view.reads)
        if not hit:
            continue
        table, by = f"app_{view.name}", view.refresh_by
        if hit <= {k for k, _ in by}:
            found = [(k, col) for k, col in by if k in hit]
            cond = " OR ".join(f'"{col}" IN (SELECT id FROM rewritten WHERE kind = ?)' for _, col in found)
            params: list[Any] = [k for k, _ in found]
            con.execute(f'DELETE FROM "{table}" WHERE {cond}', params)  # names come from the model
            con.execute(f'INSERT INTO "{table}" SELECT * FROM "{view.name}" WHERE {cond}', params)
        else:
            con.execute(f'DELETE FROM "{table}"')
            con.execute(f'INSERT INTO "{table}" SELECT * FROM "{view.name}"')


__all__ = ["MAX_CHANGED_SHARE", "STATE_DDL", "Plan", "apply", "plan", "write_state"]

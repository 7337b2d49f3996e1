"""A rebuild that patches the database it replaces: only the rows of the records that changed.

Every build stores, beside the model's tables, a digest of each record (load.set_digests: a
hash of the record's text) and a key of the code and model that made the database
(`build_info`, `record_digests`; neither is exported). A later build with the same key compares
its records' digests with those: when few records changed, it copies the previous database and,
in the copy, deletes and inserts the rows of those records only (their table, item tables and
citations, the sources they cite or cited, the app's materialised views where they appear, the
meta table). Everything else is the same by construction:

- a row of a kind's table comes from its own record, except in a table with a derived column
  computed from all its rows (model.Derived.whole_table: the ownership chain), which is
  rewritten whole when any of its records changed;
- a `sources` row is the first citation of its URL over all records in order; only the URLs
  cited by a changed record (before or after) are looked up again, and when the other records
  are not in the same order as before, no patch is made;
- the app's copies of the views are redone for the changed records of the kinds a view can
  redo by a column (model.View.refresh_by), and whole when another kind it reads changed.

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

from chatbot_watch import duck, rows
from chatbot_watch.dataset import Dataset
from chatbot_watch.diff import SOURCE_KIND
from chatbot_watch.model import VIEWS, Model, Records

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
            ids.append(r.id)
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
        ids = {r.id for r in recs if r.digest is None or before.get(r.id) != r.digest}
        ids |= before.keys() - {r.id for r in recs}
        # The records that did not change must be in the same order (the first citation of a URL
        # depends on it): a record moved without a change gives a full build.
        kept_new = [r.id for r in recs if r.id not in ids]
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
    # Per kind: the ids whose rows are rewritten (all of them in a whole-table kind).
    redo: dict[str, set[str]] = {}
    for stored in m.stored:
        ids = the_plan.changed.get(stored.kind.name)
        if not ids:
            continue
        if rows.whole_table(stored):
            old_ids = {r[0] for r in con.execute(f'SELECT id FROM "{stored.table.name}"').fetchall()}
            ids = old_ids | {r["id"] for r in recs[stored.kind.name]}
        redo[stored.kind.name] = ids
    words = {s.kind.name: s.kind.word for s in m.stored}
    touched = [(kind, words[kind], rid) for kind, ids in redo.items() for rid in ids]
    con.register(
        "_touched",
        pa.table(
            {
                "kind": [t[0] for t in touched],
                "word": [t[1] for t in touched],
                "id": [t[2] for t in touched],
            },
            schema=pa.schema([("kind", pa.string()), ("word", pa.string()), ("id", pa.string())]),
        ),
    )
    con.execute("CREATE TEMP TABLE touched AS SELECT * FROM _touched")
    con.unregister("_touched")

    citations = m.citations.table.name
    # The URLs the changed records cited before, then the rows of those records.
    urls = {
        r[0]
        for r in con.execute(
            f'SELECT DISTINCT url FROM "{citations}" c JOIN touched t ON t.word = c.record_kind AND t.id = c.record_id'
        ).fetchall()
    }
    for stored in m.stored:
        kind = stored.kind.name
        ids = redo.get(kind)
        if not ids:
            continue
        con.execute(f'DELETE FROM "{stored.table.name}" WHERE id IN (SELECT id FROM touched WHERE kind = ?)', [kind])
        for items in stored.items:
            con.execute(
                f'DELETE FROM "{items.table.name}" WHERE "{items.owner}" IN (SELECT id FROM touched WHERE kind = ?)',
                [kind],
            )
        if stored.cited:
            con.execute(
                f'DELETE FROM "{citations}" WHERE record_kind = ? AND record_id IN '
                "(SELECT id FROM touched WHERE kind = ?)",
                [stored.kind.word, kind],
            )
        new_rows = [r for r in recs[kind] if r["id"] in ids]
        for name, columns in rows.kind_tables(stored, new_rows, recs).items():
            rows.insert(con, name, columns)
        if stored.cited:
            cited = rows.citations(m, {kind: new_rows})
            urls |= {s["url"] for *_, s in cited}
            rows.insert(con, citations, rows.citation_table(m, cited))

    # Sources: each URL a changed record cites or cited, as its first citation now gives it.
    if urls:
        _urls_table(con, urls)
        con.execute(f'DELETE FROM "{m.sources.table.name}" WHERE url IN (SELECT url FROM touched_urls)')
        first = rows.first_citations(rows.citations(m, recs), urls)
        rows.insert(con, m.sources.table.name, rows.source_table(m, first, recs))

    con.execute(f'DELETE FROM "{rows.META.name}"')
    rows.insert(con, rows.META.name, rows.meta_table(m, ds.meta, recs, version, built_at))
    con.execute("DELETE FROM record_digests")
    _insert_digests(con, ds)
    _refresh_views(con, set(redo), {s.kind.name for s in m.stored if rows.whole_table(s)})
    out = {words[kind]: set(ids) for kind, ids in the_plan.changed.items() if kind in words}
    out[SOURCE_KIND] = urls
    return out


def _urls_table(con: duckdb.DuckDBPyConnection, urls: set[str]) -> None:
    con.register("_urls", pa.table({"url": pa.array(sorted(urls), pa.string())}))
    con.execute("CREATE TEMP TABLE touched_urls AS SELECT * FROM _urls")
    con.unregister("_urls")


def _refresh_views(con: duckdb.DuckDBPyConnection, kinds: set[str], whole: set[str]) -> None:
    """Redo the rows of the app's materialised views (`app_<view>`) that the changed kinds touch."""
    for view in VIEWS:
        hit = kinds & set(view.reads)
        if not hit:
            continue
        table, by = f"app_{view.name}", dict(view.refresh_by)
        if hit <= set(by) and not hit & whole:
            cond = " OR ".join(f'"{by[k]}" IN (SELECT id FROM touched WHERE kind = ?)' for k in sorted(hit))
            params: list[Any] = sorted(hit)
            con.execute(f'DELETE FROM "{table}" WHERE {cond}', params)  # names come from the model
            con.execute(f'INSERT INTO "{table}" SELECT * FROM "{view.name}" WHERE {cond}', params)
        else:
            con.execute(f'DELETE FROM "{table}"')
            con.execute(f'INSERT INTO "{table}" SELECT * FROM "{view.name}"')


__all__ = ["MAX_CHANGED_SHARE", "STATE_DDL", "Plan", "apply", "plan", "write_state"]

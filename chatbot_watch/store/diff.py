"""Two built databases -> the records added, removed and changed between them, field by field.

`changes(old_path, new_path)` is the reusable core (the CLI's `diff` and a feed of changes both
call it). It compares the normalised tables, record by record, for every kind of the data model
(model.py): the dataset's own facts (`dataset.yaml`), data types, companies, apps, findings,
actions, and sources (keyed by URL). The model maps each column back to its field, so fields are
named as in the YAML files (`app`, `developer`, `jurisdiction`, not the database's `app_id` …);
list fields kept one row per item are compared as lists (a finding's `data_types` and
`recipients`, an action's `apps` and `companies`, a company's `parents`), and so is each
record's list of source URLs. Where a source URL or a parent stays, its details are compared too
(`sources[1].quote`, `parents[0].until`, the index being the new one). Columns the build derives
(`country_name`, `*_day`, `evidence_class`, ownership chains …) are left out: they change only
when a field they come from changes, and that field is reported.

Each difference is a `Change`:

- `Change(kind, id, "added", None, None, {field: value, ...})` for a new record,
- `Change(kind, id, "removed", None, {field: value, ...}, None)` for a record that is gone,
- `Change(kind, id, "changed", field, old, new)` for each field that differs.

`kind` is singular (`finding`, `action`, `company`, `app`, `data_type`, `source`, `dataset`);
`id` is the record id, a source's URL, or `dataset.yaml`. Changes come in a stable order: by
kind as listed, then id, then field order.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

import duckdb

from chatbot_watch.datamodel import schema
from chatbot_watch.datamodel.blocks import Table
from chatbot_watch.datamodel.storage import MODEL, SOURCES, ItemTable, Model
from chatbot_watch.store import duck

ChangeType = Literal["added", "removed", "changed"]


class DiffError(Exception):
    """A database could not be read; the message says which and why, in one line."""


@dataclass(frozen=True)
class Change:
    """One difference between two builds (see the module docstring)."""

    kind: str
    id: str
    change: ChangeType
    field: str | None
    old: Any
    new: Any

    def text(self) -> str:
        """One readable line, e.g. `changed finding AF-001: evidence_status: 'alleged' -> 'observed_by_auditor'`."""
        if self.change != "changed":
            return f"{self.change} {self.kind} {self.id}"
        old, new = _shown_pair(self.old, self.new)
        return f"changed {self.kind} {self.id}: {self.field}: {old} -> {new}"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


DATASET_KIND = "dataset"
SOURCE_KIND = "source"


def kind_order(model: Model = MODEL) -> tuple[str, ...]:
    """The kinds as `Change.kind` names them, in the order changes are listed."""
    return (DATASET_KIND, *(s.kind.word for s in model.stored), SOURCE_KIND)


Records = dict[str, dict[str, dict[str, Any]]]  # kind -> id -> field -> value


@dataclass(frozen=True)
class Build:
    """What a database says about itself (from its meta table)."""

    path: Path
    data_version: str
    as_of: str
    built_at: str


def _connect(path: Path) -> duckdb.DuckDBPyConnection:
    if not path.is_file():
        raise DiffError(f"{path}: database file not found")
    try:
        return duck.connect(path)
    except duckdb.Error as exc:
        raise DiffError(f"{path}: cannot open as a DuckDB database: {str(exc).splitlines()[0]}") from None


def _query(
    con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None
) -> tuple[list[str], list[tuple[Any, ...]]]:
    cur = con.execute(sql, params or [])
    cols = [d[0] for d in cur.description or []]
    return cols, cur.fetchall()


def _meta(con: duckdb.DuckDBPyConnection, path: Path) -> dict[str, str]:
    try:
        _, rows = _query(con, "SELECT key, value FROM meta")
    except duckdb.Error:
        raise DiffError(f"{path}: not a Chatbot Watch database (no meta table)") from None
    return {k: v for k, v in rows}


def read_build(path: Path) -> Build:
    """The version facts of one database. Raises DiffError."""
    path = Path(path)
    con = _connect(path)
    try:
        meta = _meta(con, path)
    finally:
        con.close()
    return Build(path, meta.get("data_version", "?"), meta.get("as_of", "?"), meta.get("built_at", "?"))


Only = dict[str, set[str]]  # kind (as diff names it) -> the ids (URLs for sources) to read


def _where(column: str, only: Only | None, kind: str) -> tuple[str, list[Any]]:
    """A WHERE clause keeping the rows of the records `only` names of `kind` (none: every row)."""
    if only is None:
        return "", []
    return f" WHERE {_q(column)} IN (SELECT unnest(?::VARCHAR[]))", [sorted(only.get(kind, ()))]


def _records(path: Path, model: Model = MODEL, only: Only | None = None) -> Records:
    """Every record of every kind in one build (or those of `only`, and the dataset), as
    {field: value} with the data files' field names.

    Details compared item by item (a source's quote, a parent link's dates) are kept under
    `_<field>` as a list of mappings, the first field of each being the item's key.
    """
    con = _connect(path)
    try:
        meta = _meta(con, path)
        out: Records = {DATASET_KIND: {schema.DATASET_FILE: {f.name: meta.get(f.name) for f in model.dataset_fields}}}
        cited = [c for c in model.citations.table.columns if c.field]  # url first
        where, params = "", []
        if only is not None:
            pairs = [(kind, rid) for kind, ids in only.items() if kind != SOURCE_KIND for rid in ids]
            where = " WHERE (record_kind, record_id) IN (SELECT unnest(?::VARCHAR[]), unnest(?::VARCHAR[]))"
            params = [[p[0] for p in pairs], [p[1] for p in pairs]]
        _, rows = _query(
            con,
            f"SELECT record_kind, record_id, {', '.join(_q(c.name) for c in cited)} "
            f"FROM {_q(model.citations.table.name)}{where} ORDER BY record_kind, record_id, position",
            params,
        )
        sources: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        for rkind, rid, *values in rows:
            sources[(rkind, rid)].append({c.field: v for c, v in zip(cited, values, strict=True)})
        for stored in model.stored:
            word = stored.kind.word
            recs = _table_records(con, stored.table, "id", *_where("id", only, word))
            lists: dict[str, dict[str, list[Any]]] = {}
            details: dict[str, dict[str, list[dict[str, Any]]]] = {}
            for items in stored.items:
                if stored.column_of(items.field) is not None:
                    continue  # a column holds the same list (a company's domains)
                lists[items.field], found = _item_lists(con, items, *_where(items.owner, only, word))
                if found is not None:
                    details[items.field] = found
            for rid, rec in recs.items():
                for fname, grouped in lists.items():
                    rec[fname] = grouped.get(rid, [])
                    if fname in details:
                        rec[f"_{fname}"] = details[fname].get(rid, [])
                if stored.cited:
                    cites = sources.get((stored.kind.word, rid), [])
                    rec[SOURCES] = [s[cited[0].field] for s in cites]
                    rec[f"_{SOURCES}"] = cites
            out[stored.kind.word] = recs
        out[SOURCE_KIND] = _table_records(con, model.sources.table, "url", *_where("url", only, SOURCE_KIND))
        return out
    except duckdb.Error as exc:
        raise DiffError(f"{path}: {str(exc).splitlines()[0]}") from None
    finally:
        con.close()


def _q(name: str) -> str:
    return f'"{name}"'  # names come from the model, never from input


def _table_records(
    con: duckdb.DuckDBPyConnection, table: Table, key: str, where: str = "", params: list[Any] | None = None
) -> dict[str, dict[str, Any]]:
    """The rows of a table by `key` (those `where` keeps), named as fields: derived columns left
    out, a column the model does not know (a database built by another version) kept under its own name."""
    known = {c.name: c.field for c in table.columns}
    cols, rows = _query(con, f"SELECT * FROM {_q(table.name)}{where} ORDER BY {_q(key)}", params)
    names = [known.get(c, c) for c in cols]
    out: dict[str, dict[str, Any]] = {}
    for row in rows:
        values = dict(zip(cols, row, strict=True))
        out[str(values[key])] = {
            name: v for c, name, v in zip(cols, names, row, strict=True) if name is not None and c != key
        }
    return out


def _item_lists(
    con: duckdb.DuckDBPyConnection, items: ItemTable, where: str = "", params: list[Any] | None = None
) -> tuple[dict[str, list[Any]], dict[str, list[dict[str, Any]]] | None]:
    """A list field kept one row per item: each record's list (of values, or of the items' keys)
    and, for a list of mappings, each record's items as mappings (of the rows `where` keeps)."""
    order = f"{_q(items.owner)}" + (", position" if items.position else "")
    grouped: dict[str, list[Any]] = defaultdict(list)
    if items.value is not None:
        _, rows = _query(
            con,
            f"SELECT {_q(items.owner)}, {_q(items.value)} FROM {_q(items.table.name)}{where} ORDER BY {order}",
            params,
        )
        for owner, value in rows:
            grouped[owner].append(value)
        return grouped, None
    cols = items.item_columns
    _, rows = _query(
        con,
        f"SELECT {_q(items.owner)}, {', '.join(_q(c.column) for c in cols)} "
        f"FROM {_q(items.table.name)}{where} ORDER BY {order}",
        params,
    )
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for owner, *values in rows:
        item = {c.field: v for c, v in zip(cols, values, strict=True)}
        found[owner].append(item)
        grouped[owner].append(values[0])
    return grouped, found


def _public(rec: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in rec.items() if not k.startswith("_")}


def _pairs(old: list[dict[str, Any]], new: list[dict[str, Any]], key: str) -> list[tuple[int, dict, dict]]:
    """Items present on both sides, matched by key (the n-th occurrence with the n-th), with the new index."""
    seen_old: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for item in old:
        seen_old[item[key]].append(item)
    used: dict[Any, int] = defaultdict(int)
    out = []
    for i, item in enumerate(new):
        k = item[key]
        if used[k] < len(seen_old[k]):
            out.append((i, seen_old[k][used[k]], item))
            used[k] += 1
    return out


def _compare(kind: str, rid: str, old: dict[str, Any], new: dict[str, Any], notes: list[str]) -> list[Change]:
    out = []
    for name in new:
        if name.startswith("_"):
            continue
        if name not in old:
            notes.append(f"{kind}.{name} exists only in the new build (schema change); not compared")
            continue
        if old[name] != new[name]:
            out.append(Change(kind, rid, "changed", name, old[name], new[name]))
    for name in old:
        if not name.startswith("_") and name not in new:
            notes.append(f"{kind}.{name} exists only in the old build (schema change); not compared")
    for detail in new:
        if not detail.startswith("_"):
            continue
        items_old, items_new = old.get(detail, []), new[detail]
        if not items_new and not items_old:
            continue
        key = next(iter((items_new or items_old)[0]))  # the items' first field identifies them
        for i, a, b in _pairs(items_old, items_new, key):
            for f in b:
                if f != key and a.get(f) != b.get(f):
                    out.append(Change(kind, rid, "changed", f"{detail[1:]}[{i}].{f}", a.get(f), b.get(f)))
    return out


def compare(
    old_path: Path, new_path: Path, model: Model = MODEL, only: Only | None = None
) -> tuple[list[Change], list[str]]:
    """The changes from the build at `old_path` to the one at `new_path`, and notes on schema
    differences; columns are named as the data files name them through `model`. With `only`,
    the records it names (and the dataset) are compared, no other."""
    old, new = _records(Path(old_path), model, only), _records(Path(new_path), model, only)
    changes: list[Change] = []
    notes: list[str] = []
    for kind in kind_order(model):
        a, b = old.get(kind, {}), new.get(kind, {})
        for rid in sorted(set(a) | set(b)):
            if rid not in a:
                changes.append(Change(kind, rid, "added", None, None, _public(b[rid])))
            elif rid not in b:
                changes.append(Change(kind, rid, "removed", None, _public(a[rid]), None))
            else:
                changes.extend(_compare(kind, rid, a[rid], b[rid], notes))
    return changes, sorted(set(notes))


def changes(old_path: Path, new_path: Path, model: Model = MODEL, only: Only | None = None) -> list[Change]:
    """Every record added, removed or changed (field by field) from one build to another (of
    those `only` names, when given). Raises DiffError."""
    return compare(old_path, new_path, model, only)[0]


# ---------------------------------------------------------------------------
# Showing values
# ---------------------------------------------------------------------------

LONG = 120
CONTEXT = 30


def _show(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, list):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    return repr(value)


def _shown_pair(old: Any, new: Any) -> tuple[str, str]:
    """Both values for a text line; long texts are cut to the part that differs, with context."""
    if not (isinstance(old, str) and isinstance(new, str)) or max(len(old), len(new)) <= LONG:
        return _show(old), _show(new)
    p = 0
    while p < min(len(old), len(new)) and old[p] == new[p]:
        p += 1
    s = 0
    while s < min(len(old), len(new)) - p and old[-1 - s] == new[-1 - s]:
        s += 1
    start = max(0, p - CONTEXT)

    def cut(text: str) -> str:
        end = min(len(text), len(text) - s + CONTEXT)
        return ("…" if start > 0 else "") + text[start:end] + ("…" if end < len(text) else "")

    return repr(cut(old)), repr(cut(new))


def summary(chs: list[Change]) -> str:
    """One line: how many records were added, removed and changed."""
    if not chs:
        return "no differences"
    added = sum(c.change == "added" for c in chs)
    removed = sum(c.change == "removed" for c in chs)
    changed = len({(c.kind, c.id) for c in chs if c.change == "changed"})
    fields = sum(c.change == "changed" for c in chs)
    return f"{added} added, {removed} removed, {changed} changed ({fields} field(s))"


def as_json(old: Build, new: Build, chs: list[Change], notes: list[str]) -> str:
    """The JSON document `diff --json` prints."""

    def build(b: Build) -> dict[str, str]:
        return {"path": str(b.path), "data_version": b.data_version, "as_of": b.as_of, "built_at": b.built_at}

    doc = {"old": build(old), "new": build(new), "changes": [c.as_dict() for c in chs], "notes": notes}
    return json.dumps(doc, indent=2, ensure_ascii=False, default=str)

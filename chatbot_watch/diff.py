"""Two built databases -> the records added, removed and changed between them, field by field.

`changes(old_path, new_path)` is the reusable core (the CLI's `diff` and a feed of changes both
call it). It compares the normalised tables, record by record, for the kinds in `KINDS`:
the dataset's own facts (`dataset.yaml`), data types, companies, apps, findings, actions, and
sources (keyed by URL). Fields are named as in the YAML files (`app`, `developer`,
`jurisdiction`, not the database's `app_id` …); list fields that live in link tables are
compared as lists (a finding's `data_types` and `recipients`, an action's `apps` and
`companies`, a company's `parents`), and so is each record's list of source URLs. Where a
source URL or a parent stays, its details are compared too (`sources[1].quote`,
`parents[0].until`, the index being the new one). Columns the build derives (`country_name`,
`*_day`, `evidence_class`, ownership chains …) are left out: they change only when a field they
come from changes, and that field is reported.

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
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

import duckdb

from chatbot_watch import duck

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


@dataclass(frozen=True)
class Kind:
    """How one kind of record is read from a build for comparison."""

    name: str
    table: str
    key: str = "id"
    derived: frozenset[str] = frozenset()
    rename: dict[str, str] = field(default_factory=dict)
    links: tuple[tuple[str, str, str, str], ...] = ()  # (field, link table, owner column, value column)
    record_kind: str | None = None  # how record_sources names the kind; None: no sources


KINDS: tuple[Kind, ...] = (
    Kind("data_type", "data_types", derived=frozenset({"category_label"})),
    Kind(
        "company",
        "companies",
        derived=frozenset(
            {"country_name", "parent_id", "parent_since", "ultimate_parent_id", "chain_ids", "ownership_chain"}
        ),
        rename={"country_code": "country"},
        record_kind="company",
    ),
    Kind("app", "apps", rename={"developer_id": "developer"}, record_kind="app"),
    Kind(
        "finding",
        "findings",
        derived=frozenset({"audit_day", "audit_precision", "evidence_class"}),
        rename={"app_id": "app"},
        links=(
            ("data_types", "finding_data_types", "finding_id", "data_type_id"),
            ("recipients", "finding_recipients", "finding_id", "company_id"),
        ),
        record_kind="finding",
    ),
    Kind(
        "action",
        "actions",
        derived=frozenset(
            {"country_name", "subdivision_name"}
            | {f"{d}_{s}" for d in ("announced", "effective", "lifted") for s in ("day", "precision")}
        ),
        rename={"country_code": "jurisdiction"},
        links=(
            ("apps", "action_apps", "action_id", "app_id"),
            ("companies", "action_companies", "action_id", "company_id"),
        ),
        record_kind="action",
    ),
    Kind("source", "sources", key="url", derived=frozenset({"id", "published_day"})),
)
KIND_ORDER = ("dataset",) + tuple(k.name for k in KINDS)
DATASET_FIELDS = ("title", "as_of", "licence", "licence_url", "publisher", "description")
SOURCE_DETAILS = ("publisher", "published", "quote")
PARENT_DETAILS = ("since", "until", "note")

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


def _query(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    cur = con.execute(sql)
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


def _records(path: Path) -> Records:
    """Every record of every kind in one build, as {field: value} with YAML field names."""
    con = _connect(path)
    try:
        meta = _meta(con, path)
        out: Records = {"dataset": {"dataset.yaml": {k: meta.get(k) for k in DATASET_FIELDS}}}
        _, cites = _query(
            con,
            "SELECT record_kind, record_id, url, publisher, published, quote FROM record_sources "
            "ORDER BY record_kind, record_id, position",
        )
        sources: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        for rkind, rid, url, publisher, published, quote in cites:
            sources[(rkind, rid)].append({"url": url, "publisher": publisher, "published": published, "quote": quote})
        _, plinks = _query(
            con, "SELECT company_id, parent_id, since, until, note FROM company_parents ORDER BY company_id, position"
        )
        parents: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for cid, pid, since, until, note in plinks:
            parents[cid].append({"company": pid, "since": since, "until": until, "note": note})
        for kind in KINDS:
            cols, rows = _query(con, f'SELECT * FROM "{kind.table}" ORDER BY "{kind.key}"')  # names from KINDS
            links: dict[str, dict[str, list[Any]]] = {}
            for fname, table, owner, value in kind.links:
                _, lrows = _query(con, f'SELECT "{owner}", "{value}" FROM "{table}" ORDER BY "{owner}", position')
                grouped: dict[str, list[Any]] = defaultdict(list)
                for o, v in lrows:
                    grouped[o].append(v)
                links[fname] = grouped
            recs: dict[str, dict[str, Any]] = {}
            for row in rows:
                values = dict(zip(cols, row, strict=True))
                rid = str(values[kind.key])
                rec = {kind.rename.get(c, c): v for c, v in values.items() if c != kind.key and c not in kind.derived}
                for fname, grouped in links.items():
                    rec[fname] = grouped.get(rid, [])
                if kind.name == "company":
                    rec["parents"] = [p["company"] for p in parents.get(rid, [])]
                    rec["_parents"] = parents.get(rid, [])
                if kind.record_kind:
                    cited = sources.get((kind.record_kind, rid), [])
                    rec["sources"] = [s["url"] for s in cited]
                    rec["_sources"] = cited
                recs[rid] = rec
            out[kind.name] = recs
        return out
    except duckdb.Error as exc:
        raise DiffError(f"{path}: {str(exc).splitlines()[0]}") from None
    finally:
        con.close()


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
    for detail, key, fields in (("_parents", "company", PARENT_DETAILS), ("_sources", "url", SOURCE_DETAILS)):
        label = detail[1:]
        for i, a, b in _pairs(old.get(detail, []), new.get(detail, []), key):
            for f in fields:
                if a.get(f) != b.get(f):
                    out.append(Change(kind, rid, "changed", f"{label}[{i}].{f}", a.get(f), b.get(f)))
    return out


def compare(old_path: Path, new_path: Path) -> tuple[list[Change], list[str]]:
    """The changes from the build at `old_path` to the one at `new_path`, and notes on schema differences."""
    old, new = _records(Path(old_path)), _records(Path(new_path))
    changes: list[Change] = []
    notes: list[str] = []
    for kind in KIND_ORDER:
        a, b = old.get(kind, {}), new.get(kind, {})
        for rid in sorted(set(a) | set(b)):
            if rid not in a:
                changes.append(Change(kind, rid, "added", None, None, _public(b[rid])))
            elif rid not in b:
                changes.append(Change(kind, rid, "removed", None, _public(a[rid]), None))
            else:
                changes.extend(_compare(kind, rid, a[rid], b[rid], notes))
    return changes, sorted(set(notes))


def changes(old_path: Path, new_path: Path) -> list[Change]:
    """Every record added, removed or changed (field by field) from one build to another. Raises DiffError."""
    return compare(old_path, new_path)[0]


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

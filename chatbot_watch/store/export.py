"""A built database -> an open-data package: CSV, JSON and Parquet per table, described as a
Frictionless Data Package (`datapackage.json`) with a README.

The tables exported, their keys, links and column descriptions come from the data model
(model.py: every table of the model but `meta`, and the two public views), never from input. CSV cannot hold
lists, so a list column (DuckDB `VARCHAR[]`) is written to CSV as its items joined with `'; '`
and typed `string` in the Table Schema; JSON and Parquet keep it as an array. Rows are written in
a stable order (the table's key), so two exports of the same build have the same CSV and JSON
files. Files are written to a temporary folder beside the target and moved into place
one by one; the names written are kept in a marker file (`MARKER`), and a folder that holds
anything but the files of an earlier export listed there is refused rather than overwritten, so
`--out data` cannot clobber `data/README.md`, nor `--out` an export folder a user's own README.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import duckdb

from chatbot_watch.datamodel import blocks, sqlviews, vocabularies
from chatbot_watch.datamodel import storage as model
from chatbot_watch.datamodel.evidence import review_facts
from chatbot_watch.mdtext import md
from chatbot_watch.store import duck
from chatbot_watch.store.build import VIEWS_SQL

PACKAGE_NAME = "chatbot-watch"
MARKER = ".chatbot-watch-export.json"  # the names of the files an export wrote into its folder
FORMATS = ("csv", "json", "parquet")
LIST_SEPARATOR = "; "


class ExportError(Exception):
    """The export could not be written; the message says why in one line."""


@dataclass(frozen=True)
class Table:
    """One exported table or view: its order, key, links to other tables, and each column's meaning.

    Made from the data model (model.py): its tables and the two public views (`tables()`).
    """

    name: str
    title: str
    description: str
    order_by: tuple[str, ...]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[tuple[str, str, str], ...] = ()  # (column, other table, other column)
    docs: tuple[tuple[str, str], ...] = ()  # (column, meaning), in the table's order
    columns: tuple[blocks.Column, ...] | None = None  # a table's columns as the model declares them; None: a view


def tables(m: model.Model = model.MODEL) -> tuple[Table, ...]:
    """What the export writes: the two public views, then every exported table of the model."""
    out = [
        Table(
            v.name,
            v.title,
            v.doc,
            v.order_by,
            (),
            v.foreign_keys,
            tuple((c, vocabularies.plain(d)) for c, d in v.columns.items()),
        )
        for v in sqlviews.VIEWS
    ]
    for t in m.tables:
        if t.exported:
            out.append(
                Table(
                    t.name,
                    t.title,
                    t.doc,
                    t.rows_order,
                    t.key,
                    tuple((c.name, c.refs, "id") for c in t.columns if c.refs),
                    tuple((c.name, c.doc) for c in t.columns),
                    t.columns,
                )
            )
    return tuple(out)


TABLES: tuple[Table, ...] = tables()

UNDOCUMENTED = "(no description)"


def describe(table: str, column: str, m: model.Model = model.MODEL) -> str:
    """The description of one exported column (UNDOCUMENTED if none is known; a test forbids that)."""
    for t in tables(m) if m is not model.MODEL else TABLES:
        if t.name == table:
            return dict(t.docs).get(column) or UNDOCUMENTED
    return UNDOCUMENTED


# ---------------------------------------------------------------------------
# Table Schema
# ---------------------------------------------------------------------------


def field_type(duckdb_type: str) -> str:
    """Table Schema type of a DuckDB column type; lists become strings (joined in CSV)."""
    t = duckdb_type.upper()
    if t.endswith("[]"):
        return "string"
    if t in ("INTEGER", "BIGINT", "SMALLINT", "TINYINT", "HUGEINT", "UBIGINT", "UINTEGER"):
        return "integer"
    if t in ("DOUBLE", "FLOAT", "REAL") or t.startswith("DECIMAL"):
        return "number"
    if t == "DATE":
        return "date"
    if t == "BOOLEAN":
        return "boolean"
    if t.startswith("TIMESTAMP"):
        return "datetime"
    return "string"


@dataclass(frozen=True)
class Column:
    """One column of an exported table as the database declares it."""

    name: str
    type: str
    nullable: bool

    @property
    def is_list(self) -> bool:
        return self.type.endswith("[]")


def columns(con: duckdb.DuckDBPyConnection, table: Table) -> list[Column]:
    """The columns of a table or view as the database has them, in order. Raises ExportError when
    a table's are not the model's (a database built by another version of the model)."""
    rows = con.execute(f'DESCRIBE SELECT * FROM "{table.name}"').fetchall()  # name from the model, not input
    found = [Column(r[0], r[1], r[2] != "NO") for r in rows]
    if table.columns is not None:
        declared = [Column(c.name, c.type, not c.not_null) for c in table.columns]
        if [(c.name, c.type) for c in found] != [(c.name, c.type) for c in declared]:
            raise ExportError(
                f"the database's table {table.name} does not have the data model's columns "
                "(built by another version?): build it again"
            )
        return declared
    return found


def table_schema(table: Table, cols: list[Column]) -> dict[str, Any]:
    """The Frictionless Table Schema of one exported CSV file."""
    docs = dict(table.docs)
    fields = []
    for c in cols:
        desc = docs.get(c.name) or UNDOCUMENTED
        if c.is_list:
            desc += f" A list: in CSV its items are joined with '{LIST_SEPARATOR}'; JSON and Parquet keep an array."
        f: dict[str, Any] = {"name": c.name, "type": field_type(c.type), "description": desc}
        if c.type.upper() == "DATE":
            f["format"] = "default"
        if not c.nullable and not c.is_list:
            f["constraints"] = {"required": True}
        fields.append(f)
    out: dict[str, Any] = {"fields": fields, "missingValues": [""]}
    if table.primary_key:
        out["primaryKey"] = list(table.primary_key)
    if table.foreign_keys:
        out["foreignKeys"] = [
            {"fields": col, "reference": {"resource": other, "fields": other_col}}
            for col, other, other_col in table.foreign_keys
        ]
    return out


# ---------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote."""

    out_dir: Path
    data_version: str
    as_of: str
    counts: dict[str, int]
    files: tuple[Path, ...]


def _literal(path: Path) -> str:
    """A file path as a SQL string literal (COPY takes no bound parameter for its target)."""
    return "'" + str(path).replace("'", "''") + "'"


def _meta(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    try:
        rows = con.execute("SELECT key, value FROM meta").fetchall()
    except duckdb.Error as exc:
        raise ExportError(f"not a Chatbot Watch database (no meta table): {exc}") from None
    meta = {k: v for k, v in rows}
    for key in ("data_version", "as_of", "built_at"):
        if not meta.get(key):
            raise ExportError(f"the database's meta table has no {key}")
    return meta


# downloads.FORMULA_START in SQL: text a spreadsheet would run as a formula gets a leading "'".
_FORMULA_START_SQL = "('=', '+', '-', '@', chr(9), chr(13))"


def _csv_column(c: Column) -> str:
    """The SQL of one CSV column: a list joined, formula-leading text neutralised (OWASP)."""
    value = f"array_to_string(\"{c.name}\", '{LIST_SEPARATOR}')" if c.is_list else f'"{c.name}"'
    if not (c.is_list or c.type.upper() == "VARCHAR"):
        return value
    return f"CASE WHEN left({value}, 1) IN {_FORMULA_START_SQL} THEN '''' || {value} ELSE {value} END AS \"{c.name}\""


def _copy(con: duckdb.DuckDBPyConnection, table: Table, cols: list[Column], folder: Path) -> None:
    order = ", ".join(f'"{c}"' for c in table.order_by)
    plain = ", ".join(f'"{c.name}"' for c in cols)
    csv_cols = ", ".join(_csv_column(c) for c in cols)
    src = f'FROM "{table.name}" ORDER BY {order} NULLS FIRST'
    con.execute(f"COPY (SELECT {csv_cols} {src}) TO {_literal(folder / (table.name + '.csv'))} (FORMAT csv, HEADER)")
    con.execute(f"COPY (SELECT {plain} {src}) TO {_literal(folder / (table.name + '.json'))} (FORMAT json, ARRAY true)")
    con.execute(
        f"COPY (SELECT {plain} {src}) TO {_literal(folder / (table.name + '.parquet'))} "
        "(FORMAT parquet, COMPRESSION zstd)"
    )


def descriptor(meta: dict[str, str], resources: list[dict[str, Any]]) -> dict[str, Any]:
    """The datapackage.json content for a build's meta facts and its resources."""
    licence = meta.get("licence") or "CC-BY-4.0"
    publisher = meta.get("publisher") or "Chatbot Watch contributors"
    return {
        "profile": "tabular-data-package",
        "name": PACKAGE_NAME,
        "title": meta.get("title") or "Chatbot Watch",
        "description": meta.get("description") or "",
        "version": meta["data_version"],
        "created": meta["built_at"],
        **review_facts(meta),
        "schema_version": meta.get("schema_version"),
        "keywords": ["AI chatbots", "privacy", "data flows", "government restrictions", "audit findings"],
        "licenses": [{"name": licence, "path": meta.get("licence_url") or "", "title": _licence_title(licence)}],
        "contributors": [{"title": publisher, "role": "publisher"}],
        "sources": [
            {"title": f"{publisher}: the Chatbot Watch dataset (human-edited YAML, built into this package)"},
            {
                "title": "Every record cites its own public sources (URL, publisher, date, verbatim quote): "
                "see sources.csv and record_sources.csv in this package",
                "path": "record_sources.csv",
            },
        ],
        "resources": resources,
    }


def _leads(meta: dict[str, str]) -> str:
    leads = review_facts(meta)["open_leads"]
    return "not counted" if leads is None else str(leads)


def _licence_title(licence: str) -> str:
    return {"CC-BY-4.0": "Creative Commons Attribution 4.0 International"}.get(licence, licence)


def readme(meta: dict[str, str], counts: dict[str, int], exported: tuple[Table, ...] = TABLES) -> str:
    """The README.md written into the export folder (text from dataset.yaml escaped: see mdtext.md)."""
    publisher = md(meta.get("publisher") or "Chatbot Watch contributors")
    title = md(meta.get("title") or "Chatbot Watch")
    year = meta["as_of"][:4]
    meta = {k: md(v) if k in ("description", "licence") else v for k, v in meta.items()}  # licence_url: validated
    lines = [
        f"# {title}",
        "",
        meta.get("description") or "",
        "",
        f"- Data version: `{meta['data_version']}` (a hash of the data files it was built from)",
        f"- Sources reviewed up to: {meta['as_of']} (`as_of`, the date the dataset was last reviewed as a whole)",
        f"- Newest event recorded: {meta.get('newest_event') or 'none'} (the latest date a finding or action holds)",
        f"- Open leads at the review: {_leads(meta)} (news items `watch` found that maintainers have not yet"
        " added or dismissed)",
        f"- Built: {meta['built_at']}",
        f"- Licence: {meta.get('licence')} ({meta.get('licence_url')}); publisher: {publisher}",
        "",
        "## Files",
        "",
        "Each table comes in three formats with the same rows: `<table>.csv` (UTF-8, header row),",
        "`<table>.json` (an array of records) and `<table>.parquet` (zstd-compressed). In CSV a list",
        f"column holds its items joined with `{LIST_SEPARATOR}` (an item could itself contain that text:",
        "use the JSON or Parquet file when that matters); JSON and Parquet keep the list as an array.",
        "An empty CSV cell means null (unknown, or not stated by the sources). A CSV text cell that",
        "starts with `=`, `+`, `-`, `@`, a tab or a carriage return carries one extra leading `'`, so",
        "that no spreadsheet runs it as a formula; the JSON and Parquet files hold the exact values.",
        "`datapackage.json` describes every table and column (Frictionless Data Package, Table Schema);",
        "check it with `frictionless validate datapackage.json`.",
        "",
        "| Table | Rows | What it holds |",
        "| --- | --- | --- |",
    ]
    for t in exported:
        lines.append(f"| `{t.name}` | {counts[t.name]} | {t.description} |")
    lines += [
        "",
        "`flows` and `restrictions` are the public, stable views; the other tables are the normalised",
        "data they are built from. Every finding, action and company cites public sources with a",
        "verbatim quote: `record_sources` lists them record by record, `sources` once per URL.",
        "Read a finding's `evidence_status` before repeating it: `alleged` and `reported_by_press`",
        "are claims, not confirmed facts.",
        "",
        "## How to cite",
        "",
        f"{publisher} ({year}). *{title}*. Data version {meta['data_version']}, as of {meta['as_of']}.",
        f"Licensed under {meta.get('licence')} ({meta.get('licence_url')}).",
        "",
        "When you quote a single record, cite its own sources too.",
        "",
    ]
    return "\n".join(lines)


def _written_before(out_dir: Path) -> set[str]:
    """The file names the marker of an earlier export lists (empty when there is none)."""
    marker = out_dir / MARKER
    if marker.is_symlink() or not marker.is_file():
        return set()
    try:
        names = json.loads(marker.read_text(encoding="utf-8")).get("files")
    except (OSError, ValueError, AttributeError):
        return set()
    return {n for n in names if isinstance(n, str) and "/" not in n} if isinstance(names, list) else set()


def _check_target(out_dir: Path) -> None:
    """Refuse a target that is a file or a link, or a folder holding anything an earlier export
    did not write (by its marker: a `datapackage.json` alone is no proof, a user's README.md
    beside one was overwritten)."""
    if out_dir.is_symlink() or (out_dir.exists() and not out_dir.is_dir()):
        raise ExportError(f"{out_dir} exists and is not a folder")
    if not out_dir.is_dir() or not any(out_dir.iterdir()):
        return
    listed = _written_before(out_dir)
    foreign = sorted(
        p.name
        for p in out_dir.iterdir()
        if p.name != MARKER and not (p.name in listed and not p.is_symlink() and p.is_file())
    )
    if not listed or foreign:
        shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
        raise ExportError(
            f"{out_dir} is not empty and holds no earlier Chatbot Watch export"
            + (f" (files it did not write: {shown})" if listed else "")
            + "; choose a new or empty folder"
        )


@lru_cache(maxsize=4)
def _built_views(m: model.Model) -> dict[str, str]:
    """The SQL of the views a build creates (sql/views.sql), as DuckDB stores it."""
    con = duck.connect(None)
    try:
        con.execute(m.ddl())
        con.execute(VIEWS_SQL.read_text(encoding="utf-8"))
        return dict(con.execute("SELECT view_name, sql FROM duckdb_views() WHERE NOT internal").fetchall())
    finally:
        con.close()


def _check_relations(con: duckdb.DuckDBPyConnection, m: model.Model, exported: tuple[Table, ...]) -> None:
    """Refuse a database whose exported tables are not what a build makes: each must be a base
    table, or one of the build's own views with exactly the build's SQL (a view planted in a
    database file could read anything its connection may)."""
    views = _built_views(m)
    found = dict(
        con.execute(
            "SELECT table_name, 'table' FROM duckdb_tables() WHERE schema_name = 'main' "
            "UNION ALL SELECT view_name, sql FROM duckdb_views() WHERE schema_name = 'main' AND NOT internal"
        ).fetchall()
    )
    for table in exported:
        what = found.get(table.name)
        if what is None:
            raise ExportError(f"the database has no table {table.name}")
        expected = views.get(table.name, "table")
        if what != expected:
            kind = "a view the build did not create" if what != "table" else "a table, not the build's view"
            raise ExportError(f"{table.name} is {kind}: refusing to export this database")


def export(db_path: Path, out_dir: Path, m: model.Model = model.MODEL) -> ExportResult:
    """Write every table of `tables(m)` from the database at `db_path` into `out_dir`. Raises ExportError.

    `m` is the data model the database was built with (model.py; a test passes a copy).
    """
    exported = TABLES if m is model.MODEL else tables(m)
    db_path, out_dir = Path(db_path), Path(out_dir)
    if not db_path.is_file():
        raise ExportError(f"{db_path}: database file not found (run build first)")
    _check_target(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".tmp", dir=out_dir.parent))
    try:
        try:
            # Hardened (duck.py): the only folder its statements may touch is the one it writes.
            con = duck.connect(db_path, allowed_dirs=(tmp,))
        except duckdb.Error as exc:
            raise ExportError(f"{db_path}: cannot open the database: {exc}") from None
        try:
            _check_relations(con, m, exported)
            meta = _meta(con)
            resources, counts = [], {}
            for table in exported:
                cols = columns(con, table)
                _copy(con, table, cols, tmp)
                n = con.execute(f'SELECT count(*) FROM "{table.name}"').fetchone()
                counts[table.name] = int(n[0]) if n else 0
                resources.append(
                    {
                        "name": table.name,
                        "path": f"{table.name}.csv",
                        "title": table.title,
                        "description": table.description,
                        "profile": "tabular-data-resource",
                        "format": "csv",
                        "mediatype": "text/csv",
                        "encoding": "utf-8",
                        "schema": table_schema(table, cols),
                    }
                )
        except duckdb.Error as exc:
            raise ExportError(f"{db_path}: {str(exc).splitlines()[0]}") from None
        finally:
            con.close()
        (tmp / "datapackage.json").write_text(
            json.dumps(descriptor(meta, resources), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        (tmp / "README.md").write_text(readme(meta, counts, exported), encoding="utf-8")
        out_dir.mkdir(parents=True, exist_ok=True)
        names = sorted(p.name for p in tmp.iterdir())
        stale = _written_before(out_dir) - set(names)
        # The marker first: it lists the new files and the old ones still there, so that an
        # export stopped half-way leaves a folder the next one accepts.
        marker = {"written_by": "chatbot-watch export", "files": sorted(set(names) | stale)}
        (tmp / MARKER).write_text(json.dumps(marker, indent=1) + "\n", encoding="utf-8")
        os.replace(tmp / MARKER, out_dir / MARKER)
        files = []
        for name in names:
            os.replace(tmp / name, out_dir / name)
            files.append(out_dir / name)
        for name in sorted(stale):  # files of an earlier export this one does not write (a dropped table)
            (out_dir / name).unlink(missing_ok=True)
        marker["files"] = names
        (tmp / MARKER).write_text(json.dumps(marker, indent=1) + "\n", encoding="utf-8")
        os.replace(tmp / MARKER, out_dir / MARKER)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return ExportResult(out_dir, meta["data_version"], meta["as_of"], counts, tuple(files))

"""A built database -> an open-data package: CSV, JSON and Parquet per table, described as a
Frictionless Data Package (`datapackage.json`) with a README.

The tables exported are a fixed list in code (`TABLES`), never taken from input. CSV cannot hold
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
import re
import shutil
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import duckdb

from chatbot_watch import duck, schema
from chatbot_watch.build import SQL_DIR
from chatbot_watch.mdtext import md

PACKAGE_NAME = "chatbot-watch"
MARKER = ".chatbot-watch-export.json"  # the names of the files an export wrote into its folder
FORMATS = ("csv", "json", "parquet")
LIST_SEPARATOR = "; "


class ExportError(Exception):
    """The export could not be written; the message says why in one line."""


@dataclass(frozen=True)
class Table:
    """One exported table or view: its order, key, links to other tables and meaning."""

    name: str
    title: str
    description: str
    order_by: tuple[str, ...]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[tuple[str, str, str], ...] = ()  # (column, other table, other column)


TABLES: tuple[Table, ...] = (
    Table(
        "flows",
        "Data flows",
        "Public view: one row per finding x data type x named recipient company (company columns empty when the "
        "finding names none). Count findings with count(DISTINCT finding_id).",
        ("finding_id", "data_type_id", "company_id"),
        foreign_keys=(("finding_id", "findings", "id"),),
    ),
    Table(
        "restrictions",
        "Restrictions",
        "Public view: one row per government action x app (app columns empty when the action names only "
        "companies). Count actions with count(DISTINCT action_id).",
        ("action_id", "app_id"),
        foreign_keys=(("action_id", "actions", "id"),),
    ),
    Table(
        "apps",
        "Apps",
        "The chatbot apps, one row per app.",
        ("id",),
        ("id",),
        (("developer_id", "companies", "id"),),
    ),
    Table(
        "companies",
        "Companies",
        "Developers and recipients of data, one row per company, with the current parent and the ownership chain.",
        ("id",),
        ("id",),
        (("parent_id", "companies", "id"), ("ultimate_parent_id", "companies", "id")),
    ),
    Table(
        "company_parents",
        "Ownership links",
        "Every ownership link of a company, current and past, nearest parent first (position 0).",
        ("company_id", "position"),
        ("company_id", "position"),
        (("company_id", "companies", "id"), ("parent_id", "companies", "id")),
    ),
    Table(
        "company_domains",
        "Company domains",
        "Internet domains a source ties to a company, one row per company and domain.",
        ("company_id", "domain"),
        ("company_id", "domain"),
        (("company_id", "companies", "id"),),
    ),
    Table(
        "data_types",
        "Data types",
        "The data-type taxonomy findings classify data with.",
        ("id",),
        ("id",),
    ),
    Table(
        "findings",
        "Audit findings",
        "Audit findings: one claim, from one examination, that an app sent some kinds of data somewhere.",
        ("id",),
        ("id",),
        (("app_id", "apps", "id"),),
    ),
    Table(
        "finding_data_types",
        "Data types of findings",
        "A finding's data types, in the order the finding lists them.",
        ("finding_id", "position"),
        ("finding_id", "position"),
        (("finding_id", "findings", "id"), ("data_type_id", "data_types", "id")),
    ),
    Table(
        "finding_recipients",
        "Recipients of findings",
        "The companies a finding names as recipients, in the order the finding lists them.",
        ("finding_id", "position"),
        ("finding_id", "position"),
        (("finding_id", "findings", "id"), ("company_id", "companies", "id")),
    ),
    Table(
        "actions",
        "Government actions",
        "Government actions restricting apps or companies, one row per action.",
        ("id",),
        ("id",),
    ),
    Table(
        "action_apps",
        "Apps of actions",
        "The apps an action names, in the order the action lists them.",
        ("action_id", "position"),
        ("action_id", "position"),
        (("action_id", "actions", "id"), ("app_id", "apps", "id")),
    ),
    Table(
        "action_companies",
        "Companies of actions",
        "The companies an action addresses, in the order the action lists them.",
        ("action_id", "position"),
        ("action_id", "position"),
        (("action_id", "actions", "id"), ("company_id", "companies", "id")),
    ),
    Table(
        "sources",
        "Sources",
        "Every distinct source page cited, one row per URL.",
        ("id",),
        ("id",),
    ),
    Table(
        "record_sources",
        "Citations",
        "Every citation of a source by a record, with its verbatim quote; position 0 is the record's main source.",
        ("record_kind", "record_id", "position"),
        ("record_kind", "record_id", "position"),
        (("source_id", "sources", "id"),),
    ),
    Table(
        "vocabularies",
        "Vocabularies",
        "Every value of the closed vocabularies (evidence status, action types, scopes ...) with label and meaning.",
        ("vocabulary", "position"),
        ("vocabulary", "id"),
    ),
)
TABLE_BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}

# ---------------------------------------------------------------------------
# Column descriptions
# ---------------------------------------------------------------------------

# The two public views, worded as in data/README.md ("View flows", "View restrictions"); a test
# keeps the two in step.
VIEW_COLUMNS: dict[str, dict[str, str]] = {
    "flows": {
        "finding_id": "The finding's `id` (AF-…).",
        "app_id": "The app examined.",
        "app_name": "Its name.",
        "platform": "Platform examined; NULL if not stated.",
        "app_version": "App version examined; NULL if not stated.",
        "company_id": "The recipient company; NULL when the finding names none.",
        "company_name": "Its name.",
        "company_country": "Its headquarters country code; NULL if unsourced.",
        "parent_company_id": "Its current parent company; NULL if none.",
        "parent_company_name": "The parent's name.",
        "ultimate_parent_id": "Top of its ownership chain (the company itself when it has no parent).",
        "ultimate_parent_name": "That company's name.",
        "ownership_chain": 'The chain as text, from the company to its ultimate owner ("Subsidiary → Parent").',
        "recipient_described": "Recipients as the source words them.",
        "data_type_id": "One data type of the finding.",
        "data_type_label": "Its label.",
        "data_category": "Its category ([DATA_CATEGORIES](#data_categories) value).",
        "recipient_countries": "Countries the data went to (list; for the whole finding, not per company).",
        "domains": "Domains the data went to (list; for the whole finding).",
        "evidence_status": "The finding's evidence status value.",
        "evidence_label": 'Its label ("Confirmed by a regulator" …).',
        "evidence_class": "How the app shows it: `confirmed`, `declared` or `claimed`.",
        "auditor": "Who examined the app.",
        "auditor_kind": "Kind of examiner.",
        "auditor_country": "Country (or EU) of a public examiner.",
        "method": "How it was examined.",
        "audit_date": "Partial date as written (`2026-05`).",
        "audit_day": "Earliest day of `audit_date`, as a DATE, for sorting and filtering.",
        "source_url": "URL of the main (first) source.",
        "source_publisher": "Its publisher.",
        "source_published": "Its publication date as written; NULL if none.",
        "source_quote": "The main source's verbatim quote that supports the record.",
        "source_count": "Number of sources cited by the finding.",
    },
    "restrictions": {
        "action_id": "The action's `id` (CA-…).",
        "country_code": "The `jurisdiction`: country code or `EU`.",
        "country_name": 'Its readable name ("South Korea", "European Union").',
        "subdivision": "ISO 3166-2 code when a state or province acted; NULL otherwise.",
        "subdivision_name": "Its name.",
        "authority": "Body that took the action.",
        "action_type": "Action type value.",
        "action_type_label": "Its label.",
        "scope": "Scope value.",
        "scope_label": "Its label.",
        "app_id": "One app concerned; NULL when the action names only companies.",
        "app_name": "Its name.",
        "companies": "Names of the companies the action names (list, same on every row of the action); NULL if none.",
        "announced": "Announcement date as written (partial).",
        "announced_day": "Its earliest day, as a DATE.",
        "effective": "Date it took effect as written; NULL if unknown.",
        "effective_day": "Its earliest day.",
        "lifted": "Date lifted or ended as written; NULL while in force or unknown.",
        "lifted_day": "Its earliest day.",
        "status": "Status value.",
        "status_label": "Its label.",
        "action_described": "The action as the source words it.",
        "scope_described": "The scope as the source words it.",
        "status_described": "The status as the sources put it.",
        "source_url": "URL of the main (first) source.",
        "source_publisher": "Its publisher.",
        "source_published": "Its publication date as written; NULL if none.",
        "source_quote": "The main source's verbatim quote that supports the record.",
        "source_count": "Number of sources cited by the action.",
    },
}

# Columns of the tables that the build derives rather than copies from a YAML field.
_DERIVED: dict[str, dict[str, str]] = {
    "apps": {"developer_id": "Company that develops the app (`developer`); null if no source names it."},
    "companies": {
        "country_code": "Headquarters country (`country`, ISO 3166-1 alpha-2); null if no source states it.",
        "country_name": "Readable name of `country_code`.",
        "parent_id": "Current parent company: the first parent link whose `until` is null; null if none.",
        "parent_since": "Since when the current parent owns the company, where known (partial date).",
        "ultimate_parent_id": "Top of the ownership chain (the company itself when it has no parent).",
        "chain_ids": "The ownership chain as company ids, from the company itself to the top.",
        "ownership_chain": "The ownership chain as text, from the company to its ultimate owner "
        "('Subsidiary → Parent').",
    },
    "findings": {
        "app_id": "The app examined (`app`).",
        "audit_day": "Earliest day of `audit_date`, as a date, for sorting.",
        "audit_precision": "Precision of `audit_date`: day, month or year.",
        "evidence_class": "How the app shows the evidence status: confirmed, declared or claimed.",
    },
    "actions": {
        "country_code": "The `jurisdiction`: ISO 3166-1 alpha-2 country code, or EU.",
        "country_name": "Readable name of the jurisdiction.",
        "subdivision_name": "Readable name of the subdivision.",
        **{
            f"{k}_{suffix}": text.format(k=k)
            for k in ("announced", "effective", "lifted")
            for suffix, text in (
                ("day", "Earliest day of `{k}`, as a date, for sorting."),
                ("precision", "Precision of `{k}`: day, month or year."),
            )
        },
    },
    "data_types": {"category_label": "Label of the category."},
    "company_parents": {
        "company_id": "The company owned.",
        "parent_id": "The parent company.",
        "position": "Order of the link in the company's `parents` (0 = nearest).",
    },
    "company_domains": {"company_id": "The company.", "domain": "One of its internet domains."},
    "finding_data_types": {
        "finding_id": "The finding.",
        "data_type_id": "One of its data types.",
        "position": "Order in the finding's `data_types` (0 = first).",
    },
    "finding_recipients": {
        "finding_id": "The finding.",
        "company_id": "One of its recipient companies.",
        "position": "Order in the finding's `recipients` (0 = first).",
    },
    "action_apps": {
        "action_id": "The action.",
        "app_id": "One of the apps it names.",
        "position": "Order in the action's `apps` (0 = first).",
    },
    "action_companies": {
        "action_id": "The action.",
        "company_id": "One of the companies it addresses.",
        "position": "Order in the action's `companies` (0 = first).",
    },
    "sources": {
        "id": "Stable id of the source: S- plus a hash of its URL.",
        "published_day": "Earliest day of `published`, as a date.",
        "publisher": "Site or outlet that published it, as the first record citing it gives it.",
    },
    "record_sources": {
        "record_kind": "Kind of the citing record: finding, action, company or app.",
        "record_id": "Id of the citing record.",
        "position": "Order in the record's `sources` (0 = main source).",
        "source_id": "The source (see sources).",
    },
    "vocabularies": {
        "vocabulary": "Vocabulary name in lowercase (evidence_status, action_types, scopes ...).",
        "id": "The value as written in the data.",
        "label": "Its human label.",
        "description": "What it means.",
        "position": "Order within the vocabulary (0 = first; evidence status strongest first).",
    },
}

_KIND_FIELDS: dict[str, tuple[schema.Field, ...]] = {
    **{k.name: k.fields for k in schema.KINDS},
    "sources": schema.SOURCE_FIELDS,
    "record_sources": schema.SOURCE_FIELDS,
    "company_parents": schema.PARENT_FIELDS,
}

UNDOCUMENTED = "(no description)"
_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")


def describe(table: str, column: str) -> str:
    """The description of one exported column (UNDOCUMENTED if none is known; a test forbids that)."""
    if table in VIEW_COLUMNS:
        # The README's wording, less its Markdown links ("[DATA_CATEGORIES](#data_categories)").
        return _MD_LINK.sub(r"\1", VIEW_COLUMNS[table].get(column, UNDOCUMENTED))
    derived = _DERIVED.get(table, {})
    if column in derived:
        return derived[column]
    for f in _KIND_FIELDS.get(table, ()):
        if f.name == column:
            return f.doc
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


def columns(con: duckdb.DuckDBPyConnection, table: str) -> list[Column]:
    """The columns of a table or view, in order."""
    if table not in TABLE_BY_NAME:
        raise ValueError(f"not an exported table: {table}")
    rows = con.execute(f'DESCRIBE SELECT * FROM "{table}"').fetchall()  # name from TABLES, not input
    return [Column(r[0], r[1], r[2] != "NO") for r in rows]


def table_schema(table: Table, cols: list[Column]) -> dict[str, Any]:
    """The Frictionless Table Schema of one exported CSV file."""
    fields = []
    for c in cols:
        desc = describe(table.name, c.name)
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
        "as_of": meta["as_of"],
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


def _licence_title(licence: str) -> str:
    return {"CC-BY-4.0": "Creative Commons Attribution 4.0 International"}.get(licence, licence)


def readme(meta: dict[str, str], counts: dict[str, int]) -> str:
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
        f"- As of: {meta['as_of']} (the date the dataset was last reviewed as a whole)",
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
    for t in TABLES:
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


@lru_cache(maxsize=1)
def _built_views() -> dict[str, str]:
    """The SQL of the views a build creates (sql/views.sql), as DuckDB stores it."""
    con = duck.connect(None)
    try:
        con.execute((SQL_DIR / "tables.sql").read_text(encoding="utf-8"))
        con.execute((SQL_DIR / "views.sql").read_text(encoding="utf-8"))
        return dict(con.execute("SELECT view_name, sql FROM duckdb_views() WHERE NOT internal").fetchall())
    finally:
        con.close()


def _check_relations(con: duckdb.DuckDBPyConnection) -> None:
    """Refuse a database whose exported tables are not what a build makes: each must be a base
    table, or one of the build's own views with exactly the build's SQL (a view planted in a
    database file could read anything its connection may)."""
    views = _built_views()
    found = dict(
        con.execute(
            "SELECT table_name, 'table' FROM duckdb_tables() WHERE schema_name = 'main' "
            "UNION ALL SELECT view_name, sql FROM duckdb_views() WHERE schema_name = 'main' AND NOT internal"
        ).fetchall()
    )
    for table in TABLES:
        what = found.get(table.name)
        if what is None:
            raise ExportError(f"the database has no table {table.name}")
        expected = views.get(table.name, "table")
        if what != expected:
            kind = "a view the build did not create" if what != "table" else "a table, not the build's view"
            raise ExportError(f"{table.name} is {kind}: refusing to export this database")


def export(db_path: Path, out_dir: Path) -> ExportResult:
    """Write every table of `TABLES` from the database at `db_path` into `out_dir`. Raises ExportError."""
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
            _check_relations(con)
            meta = _meta(con)
            resources, counts = [], {}
            for table in TABLES:
                cols = columns(con, table.name)
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
        (tmp / "README.md").write_text(readme(meta, counts), encoding="utf-8")
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

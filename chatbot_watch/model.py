"""Where each field of the data model is stored, declared once beside schema.py.

schema.py says what the data files hold (kinds, fields, vocabularies); this module says where each
field goes in the database: the kind's table and the field's column (`app` is stored as `app_id`),
a table of its own for a list kept one row per item (`finding_data_types`), and the columns the
build derives from fields (`audit_day`, `country_name`, the ownership chain ...). Everything else
is generated from the two:

- the CREATE TABLE statements (`Model.ddl`) and the columns the build fills (build.py);
- diff's mapping from columns back to the data files' field names (diff.py);
- the change log's comparison of builds (changelog.py) and the record page's fields (queries.py);
- the data package's Table Schemas: types, keys, foreign keys, descriptions (export.py);
- the field tables of data/README.md (fielddocs.py); the editors' JSON Schemas follow schema.py.

A field not named here is stored as it is: a column of its kind's table with the field's own name
(a list as VARCHAR[]), after the columns named here, in schema.py's order. So adding a field to
schema.py is enough to validate, store, export, diff and document it; name it here only to rename
it, place it, or keep a list one row per item. A list of mappings must be named (there is no
column for it). `tests/test_model.py` adds a field to a copy of the model and follows it through.

The two public views (`flows`, `restrictions`) are SQL (sql/views.sql); their columns' meanings
are declared here (`VIEWS`) for the export and data/README.md.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from chatbot_watch import schema
from chatbot_watch.countries import country_name, subdivision_name
from chatbot_watch.fieldcheck import parse_pdate
from chatbot_watch.schema import Field, RecordKind, plain

Values = dict[str, Any]  # one record's (or one source's) fields, as loaded
Records = dict[str, list[Values]]  # kind name -> its records' values
Compute = Callable[[list[Values], Records], list[list[Any]]]  # rows, all records -> one list per column

SOURCES = "sources"  # the field cited kinds keep their sources in (stored in `sources` and `record_sources`)


# ---------------------------------------------------------------------------
# The building blocks
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of a table: type, nullability, meaning, and the field it holds (if any)."""

    name: str
    type: str = "VARCHAR"  # DuckDB type
    not_null: bool = False
    doc: str = ""
    field: str | None = None  # the data files' field it holds; None: made by the build
    refs: str | None = None  # the table whose `id` it holds (a foreign key in the export)


@dataclass(frozen=True)
class Table:
    """One table of the database, as the build creates it and the export describes it."""

    name: str
    title: str
    doc: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()  # what identifies a row (the export's primary key)
    enforced: bool = False  # the database declares `key` as PRIMARY KEY (item tables: kept by construction)
    order_by: tuple[str, ...] = ()  # the export's row order, when not `key`
    exported: bool = True

    def column(self, name: str) -> Column:
        """The column called `name` (KeyError if there is none)."""
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.name} has no column {name!r}")

    @property
    def rows_order(self) -> tuple[str, ...]:
        return self.order_by or self.key

    def ddl(self) -> str:
        """The CREATE TABLE statement (names come from this module, never from input)."""
        parts = [f'"{c.name}" {c.type}{" NOT NULL" if c.not_null else ""}' for c in self.columns]
        if self.enforced:
            parts.append("PRIMARY KEY (" + ", ".join(f'"{k}"' for k in self.key) + ")")
        return f'CREATE TABLE "{self.name}" (\n    ' + ",\n    ".join(parts) + "\n);"


@dataclass(frozen=True)
class As:
    """A field stored under another column name: `As("app", "app_id")`."""

    field: str
    column: str


@dataclass(frozen=True)
class Derived:
    """Columns the build computes, by `compute`, from the rows of their table (and all records).

    `whole_table`: a row's values depend on other rows of the table (the ownership chain), so a
    rebuild that patches the database (patch.py) computes the whole table again when any of its
    records changed, and rewrites the rows that differ. Without it, a row's values come from its
    own record only.
    """

    columns: tuple[Column, ...]
    compute: Compute
    whole_table: bool = False


@dataclass(frozen=True)
class Items:
    """A list field kept one row per item in a table of its own, in the list's order.

    A list of values has one `value` column; a list of mappings one column per field of the
    mapping (`columns` names those to rename or place first, as a kind's `columns` does).
    """

    field: str
    table: str
    title: str
    doc: str
    owner: str  # the column holding the id of the record the item belongs to
    value: str | None = None
    columns: tuple[str | As, ...] = ()
    position: bool = True  # a `position` column keeps the list's order (0 = first)
    owner_doc: str = ""
    value_doc: str = ""


@dataclass(frozen=True)
class Storage:
    """How one kind of record is stored: its table, the columns named first, its item tables."""

    kind: str
    title: str
    doc: str
    columns: tuple[str | As | Derived, ...] = ()
    items: tuple[Items, ...] = ()


# ---------------------------------------------------------------------------
# Derived columns: small named functions, one list of values per column
# ---------------------------------------------------------------------------


def _pdate_parts(field: str, prefix: str | None = None, precision: bool = True) -> Derived:
    """`<prefix>_day` (earliest day, DATE) and `<prefix>_precision` of a partial-date field."""
    prefix = prefix or field

    def compute(rows: list[Values], _: Records) -> list[list[Any]]:
        seen: dict[str, tuple[Any, Any]] = {}  # dates repeat: each is parsed once
        days, precisions = [], []
        for r in rows:
            value = r.get(field)
            if value is None:
                days.append(None)
                precisions.append(None)
                continue
            parts = seen.get(value)
            if parts is None:
                parsed = parse_pdate(value)
                parts = seen[value] = (parsed[0], parsed[2]) if parsed else (None, None)
            days.append(parts[0])
            precisions.append(parts[1])
        return [days, precisions] if precision else [days]

    day = Column(f"{prefix}_day", "DATE", doc=f"Earliest day of `{field}`, as a date, for sorting.")
    if not precision:
        return Derived((day,), compute)
    return Derived((day, Column(f"{prefix}_precision", doc=f"Precision of `{field}`: day, month or year.")), compute)


def _country_name(field: str, not_null: bool = False) -> Derived:
    def compute(rows: list[Values], _: Records) -> list[list[Any]]:
        return [[country_name(r.get(field)) for r in rows]]

    return Derived((Column("country_name", not_null=not_null, doc=f"Readable name of `{field}`."),), compute)


def _subdivision_name(rows: list[Values], _: Records) -> list[list[Any]]:
    return [[subdivision_name(r.get("subdivision")) for r in rows]]


def _category_label(rows: list[Values], _: Records) -> list[list[Any]]:
    return [[schema.label("DATA_CATEGORIES", r["category"]) for r in rows]]


def _evidence_class(rows: list[Values], _: Records) -> list[list[Any]]:
    return [[schema.EVIDENCE_CLASS[r["evidence_status"]] for r in rows]]


def _current_parent(company: Values) -> Values | None:
    return next((p for p in company.get("parents") or [] if p.get("until") is None), None)


def _ownership(rows: list[Values], _: Records) -> list[list[Any]]:
    """The current parent, the top of the ownership chain, the chain as ids and as text."""
    companies = {r["id"]: r for r in rows}

    def chain(cid: str) -> list[str]:
        out = [cid]
        while True:
            p = _current_parent(companies[out[-1]])
            if p is None or p["company"] in out or p["company"] not in companies:
                return out
            out.append(p["company"])

    parents = [_current_parent(c) for c in rows]
    chains = [chain(c["id"]) for c in rows]
    return [
        [p["company"] if p else None for p in parents],
        [p.get("since") if p else None for p in parents],
        [ch[-1] for ch in chains],
        chains,
        [" → ".join(companies[x]["name"] for x in ch) for ch in chains],
    ]


def source_id(url: str) -> str:
    """Stable id of a source: a short hash of its URL."""
    return "S-" + hashlib.sha256(url.encode()).hexdigest()[:10]


def _source_ids(rows: list[Values], _: Records) -> list[list[Any]]:
    return [[source_id(s["url"]) for s in rows]]


CATEGORY_LABEL = Derived((Column("category_label", not_null=True, doc="Label of the category."),), _category_label)
SUBDIVISION_NAME = Derived((Column("subdivision_name", doc="Readable name of the subdivision."),), _subdivision_name)
EVIDENCE_CLASS = Derived(
    (
        Column(
            "evidence_class",
            not_null=True,
            doc="How the app shows the evidence status: confirmed, declared or claimed.",
        ),
    ),
    _evidence_class,
)
OWNERSHIP = Derived(
    (
        Column("parent_id", doc="Current parent company: the first parent link whose `until` is null; null if none.",
               refs="companies"),
        Column("parent_since", doc="Since when the current parent owns the company, where known."),
        Column("ultimate_parent_id", not_null=True, refs="companies",
               doc="Top of the ownership chain (the company itself when it has no parent)."),
        Column("chain_ids", "VARCHAR[]", not_null=True,
               doc="The ownership chain as company ids, from the company itself to the top."),
        Column("ownership_chain", not_null=True,
               doc="The ownership chain as text, from the company to its ultimate owner ('Subsidiary → Parent')."),
    ),
    _ownership,
    whole_table=True,  # a chain reads the parents' rows
)  # fmt: skip


# ---------------------------------------------------------------------------
# Where each kind is stored: the columns named first (renamed with As, derived columns in place);
# every other field follows as a column of its own name; lists kept one row per item in Items.
# ---------------------------------------------------------------------------

# fmt: off
STORAGE: tuple[Storage, ...] = (
    Storage("data_types", "Data types", "The data-type taxonomy findings classify data with.",
            columns=("id", "label", "category", CATEGORY_LABEL)),
    Storage("companies", "Companies",
            "Developers and recipients of data, one row per company, with the current parent and the ownership chain.",
            columns=("id", "name", As("country", "country_code"), _country_name("country"), "city", "kinds",
                     "legal_names", "aliases", OWNERSHIP, "domains"),
            items=(Items("parents", "company_parents", "Ownership links",
                         "Every ownership link of a company, current and past, nearest parent first (position 0).",
                         owner="company_id", columns=(As("company", "parent_id"),), owner_doc="The company owned."),
                   Items("domains", "company_domains", "Company domains",
                         "Internet domains a source ties to a company, one row per company and domain.",
                         owner="company_id", value="domain", position=False,
                         value_doc="One of its internet domains."),
                   Items("local_names", "company_local_names", "Local names of companies",
                         "A company's name as other languages write it, one row per language and name.",
                         owner="company_id"))),
    Storage("apps", "Apps", "The chatbot apps, one row per app.",
            columns=("id", "name", As("developer", "developer_id")),
            items=(Items("local_names", "app_local_names", "Local names of apps",
                         "An app's name as other languages write it, one row per language and name.",
                         owner="app_id"),)),
    Storage("findings", "Audit findings",
            "Audit findings: one claim, from one examination, that an app sent some kinds of data somewhere.",
            columns=("id", As("app", "app_id"), "platform", "app_version", "auditor", "auditor_kind",
                     "auditor_country", "method", "audit_date", _pdate_parts("audit_date", "audit"),
                     "data_described", "recipient_described", "domains", "recipient_countries", "evidence_status",
                     EVIDENCE_CLASS),
            items=(Items("data_types", "finding_data_types", "Data types of findings",
                         "A finding's data types, in the order the finding lists them.",
                         owner="finding_id", value="data_type_id", value_doc="One of its data types."),
                   Items("recipients", "finding_recipients", "Recipients of findings",
                         "The companies a finding names as recipients, in the order the finding lists them.",
                         owner="finding_id", value="company_id", value_doc="One of its recipient companies."),
                   Items("primary_documents", "finding_documents", "Primary documents of findings",
                         "The primary documents behind a finding (the regulator's decision, the auditor's report), "
                         "most important first.", owner="finding_id"))),
    Storage("actions", "Government actions", "Government actions restricting apps or companies, one row per action.",
            columns=("id", As("jurisdiction", "country_code"), _country_name("jurisdiction", not_null=True),
                     "subdivision", SUBDIVISION_NAME, "authority", "action_type", "action_described", "scope",
                     "scope_described", "status", "status_described", "notes", "announced", _pdate_parts("announced"),
                     "effective", _pdate_parts("effective"), "lifted", _pdate_parts("lifted")),
            items=(Items("apps", "action_apps", "Apps of actions",
                         "The apps an action names, in the order the action lists them.",
                         owner="action_id", value="app_id", value_doc="One of the apps it names."),
                   Items("companies", "action_companies", "Companies of actions",
                         "The companies an action addresses, in the order the action lists them.",
                         owner="action_id", value="company_id", value_doc="One of the companies it addresses."),
                   Items("primary_documents", "action_documents", "Primary documents of actions",
                         "The primary documents behind an action (decision, order, press release, letter), "
                         "most important first.", owner="action_id"))),
)
# fmt: on

# Every source page once (keyed by URL), and every citation with its quote: the `sources` field
# of every kind. A source field not named here is kept per citation (in `record_sources`).
# Citations are stored kind by kind in this order (other cited kinds after): where records cite
# one URL with different details, the `sources` row takes the first citation's.
CITATION_ORDER = ("findings", "actions", "companies", "apps")
SOURCE_PAGE_COLUMNS: tuple[str | As | Derived, ...] = (
    Derived((Column("id", doc="Stable id of the source: S- plus a hash of its URL."),), _source_ids),
    "url",
    "publisher",
    "published",
    _pdate_parts("published", precision=False),
    "accessed",
)
CITATION_COLUMNS: tuple[str | As | Derived, ...] = ("url", "publisher", "published", "quote")

VOCABULARIES = Table(
    "vocabularies",
    "Vocabularies",
    "Every value of the closed vocabularies (evidence status, action types, scopes ...) with label and meaning.",
    (
        Column(
            "vocabulary",
            not_null=True,
            doc="Vocabulary name in lowercase (evidence_status, action_types, scopes ...).",
        ),
        Column("id", not_null=True, doc="The value as written in the data."),
        Column("label", not_null=True, doc="Its human label."),
        Column("description", not_null=True, doc="What it means."),
        Column(
            "position",
            "INTEGER",
            not_null=True,
            doc="Order within the vocabulary (0 = first; evidence status strongest first).",
        ),
        Column(
            "view_class",
            doc="How the views treat the value: an evidence status's class (confirmed, declared, claimed), whether "
            "an action type restricts (restricts, other), an action status's class (in_force, open, closed); "
            "NULL for the other vocabularies.",
        ),
    ),
    key=("vocabulary", "id"),
    enforced=True,
    order_by=("vocabulary", "position"),
)

META = Table(
    "meta",
    "Build facts",
    "Key/value facts of the build: data version, as-of date, build time, schema version, the dataset's "
    "fields and record counts.",
    (
        Column("key", not_null=True, doc="Name of the fact."),
        Column("value", doc="Its value, as text."),
    ),
    key=("key",),
    enforced=True,
    exported=False,
)


# ---------------------------------------------------------------------------
# The public views: SQL in sql/views.sql; their columns' meanings here
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class View:
    """One public view: what a row is, its row order, its links, and each column's meaning (Markdown)."""

    name: str
    title: str
    doc: str
    order_by: tuple[str, ...]
    foreign_keys: tuple[tuple[str, str, str], ...]  # (column, table, column)
    columns: dict[str, str]
    # The kinds whose records its rows are made of (tests/test_patch.py checks them against the
    # tables the SQL reads), and, for some of them, the column that names the record a row
    # comes from: a rebuild that patches the database (patch.py) redoes only the rows of the
    # app's materialised copy whose record changed, and all of them when another kind changed.
    reads: tuple[str, ...] = ()
    refresh_by: tuple[tuple[str, str], ...] = ()  # (kind, column): every column a row names a record of the kind in


VIEWS: tuple[View, ...] = (
    View(
        "flows",
        "Data flows",
        "Public view: one row per finding x data type x named recipient company (company columns empty when the "
        "finding names none). Count findings with count(DISTINCT finding_id). A superseded finding "
        "(`superseded_by`) is left out: the finding that supersedes it stands for it.",
        ("finding_id", "data_type_id", "company_id"),
        (("finding_id", "findings", "id"),),
        {
            "finding_id": "The finding's `id` (AF-…).",
            "app_id": "The app examined.",
            "app_name": "Its name.",
            "app_developer_id": "The company that develops the app; NULL if not recorded.",
            "app_country": "That developer's headquarters country code; NULL if the developer or its country is "
            "not recorded.",
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
            "source_quote": "The main source's verbatim quote that supports the record, in its own language.",
            "source_language": "Language of that quote ([LANGUAGES](#languages) value); NULL if not stated.",
            "source_translation": "Chatbot Watch's English translation of that quote when it is not English.",
            "source_kind": "What the main source is: primary, direct or secondary ([SOURCE_KINDS](#source_kinds)); "
            "NULL until reviewed.",
            "source_count": "Number of sources cited by the finding.",
        },
        reads=("findings", "apps", "companies", "data_types"),
        refresh_by=(
            ("findings", "finding_id"),
            ("apps", "app_id"),
            ("companies", "company_id"),
            ("companies", "app_developer_id"),
            ("companies", "parent_company_id"),
            ("companies", "ultimate_parent_id"),
            ("data_types", "data_type_id"),
        ),
    ),
    View(
        "restrictions",
        "Restrictions",
        "Public view: one row per government action x app (app columns empty when the action names only "
        "companies). Count actions with count(DISTINCT action_id).",
        ("action_id", "app_id"),
        (("action_id", "actions", "id"),),
        {
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
            "companies": "Names of the companies the action names (list, same on every row of the action); "
            "NULL if none.",
            "announced": "Announcement date as written (partial).",
            "announced_day": "Its earliest day, as a DATE.",
            "effective": "Date it took effect as written; NULL if unknown.",
            "effective_day": "Its earliest day.",
            "lifted": "Date lifted or ended as written; NULL while in force or unknown.",
            "lifted_day": "Its earliest day.",
            "status": "Status value.",
            "status_label": "Its label.",
            "status_class": "What the status means for the views: in_force (applies now), open (not yet in effect, "
            "or under way) or closed (no longer applies); see the vocabularies' `view_class`.",
            "restricts": "Whether the action type restricts the use or availability of an app (what the map and the "
            "'in force' counts take); see the vocabularies' `view_class`.",
            "action_described": "The action as the source words it.",
            "scope_described": "The scope as the source words it.",
            "status_described": "The status as the sources put it.",
            "source_url": "URL of the main (first) source.",
            "source_publisher": "Its publisher.",
            "source_published": "Its publication date as written; NULL if none.",
            "source_quote": "The main source's verbatim quote that supports the record, in its own language.",
            "source_language": "Language of that quote ([LANGUAGES](#languages) value); NULL if not stated.",
            "source_translation": "Chatbot Watch's English translation of that quote when it is not English.",
            "source_kind": "What the main source is: primary, direct or secondary ([SOURCE_KINDS](#source_kinds)); "
            "NULL until reviewed.",
            "source_count": "Number of sources cited by the action.",
        },
        reads=("actions", "apps", "companies"),
        refresh_by=(("actions", "action_id"), ("apps", "app_id")),
    ),
)


# ---------------------------------------------------------------------------
# The model: schema.py's kinds with their storage, resolved into tables
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldColumn:
    """A field stored as a column, as the build fills it."""

    field: str
    column: str
    is_list: bool


Part = FieldColumn | Derived


@dataclass(frozen=True)
class Filled:
    """A table filled from a list of mappings (records, sources): each part gives columns, in order."""

    table: Table
    parts: tuple[Part, ...]


@dataclass(frozen=True)
class ItemTable:
    """A list field of a kind kept one row per item: owner, the item's column(s), position."""

    field: str
    table: Table
    owner: str
    value: str | None  # a list of values: the column holding the item
    item_columns: tuple[FieldColumn, ...]  # a list of mappings: its fields' columns
    position: bool


@dataclass(frozen=True)
class StoredKind:
    """One kind of record as stored: its table, its item tables, and whether it cites sources."""

    kind: RecordKind
    filled: Filled
    items: tuple[ItemTable, ...]
    cited: bool

    @property
    def table(self) -> Table:
        return self.filled.table

    def column_of(self, field: str) -> str | None:
        """The column of the kind's table that holds `field`, None if it has none."""
        for part in self.filled.parts:
            if isinstance(part, FieldColumn) and part.field == field:
                return part.column
        return None


@dataclass(frozen=True)
class Model:
    """The data model: the kinds of schema.py, how each is stored, the dataset's fields.

    `MODEL` below is the one the app uses; a copy (`with_field`) can be passed to load, build,
    export and diff, which is how the tests show that a new field reaches all of them.
    """

    kinds: tuple[RecordKind, ...] = schema.KINDS
    storage: tuple[Storage, ...] = STORAGE
    dataset_fields: tuple[Field, ...] = schema.DATASET_FIELDS

    def kind(self, name: str) -> RecordKind:
        """The kind called `name` (KeyError if there is none)."""
        for k in self.kinds:
            if k.name == name:
                return k
        raise KeyError(name)

    def with_field(self, kind: str, field: Field) -> Model:
        """A copy of the model whose `kind` has one more field, at the end."""
        kinds = tuple(dataclasses.replace(k, fields=(*k.fields, field)) if k.name == kind else k for k in self.kinds)
        return dataclasses.replace(self, kinds=kinds)

    @cached_property
    def stored(self) -> tuple[StoredKind, ...]:
        """Every kind as stored, in the order of `kinds`."""
        declared = {s.kind: s for s in self.storage}
        unknown = set(declared) - {k.name for k in self.kinds}
        if unknown:
            raise ValueError(f"model.py stores kinds schema.py does not declare: {sorted(unknown)}")
        return tuple(self._resolve(k, declared.get(k.name)) for k in self.kinds)

    def stored_kind(self, name: str) -> StoredKind:
        for s in self.stored:
            if s.kind.name == name:
                return s
        raise KeyError(name)

    @cached_property
    def cited(self) -> tuple[StoredKind, ...]:
        """The kinds whose records cite sources, in the order their citations are stored."""
        found = [s for s in self.stored if s.cited]
        rank = {name: i for i, name in enumerate(CITATION_ORDER)}
        return tuple(sorted(found, key=lambda s: rank.get(s.kind.name, len(rank))))

    @cached_property
    def source_fields(self) -> tuple[Field, ...]:
        """The fields of a source (the items of every kind's `sources`)."""
        for k in self.kinds:
            for f in k.fields:
                if f.name == SOURCES and f.item is not None:
                    return f.item.fields
        return ()

    @cached_property
    def sources(self) -> Filled:
        """The `sources` table: one row per distinct source URL."""
        return _filled(
            "sources",
            "Sources",
            "Every distinct source page cited, one row per URL.",
            self.source_fields,
            SOURCE_PAGE_COLUMNS,
            rest=False,
            key=("id",),
            docs={"publisher": "Site or outlet that published it, as the first record citing it gives it."},
        )

    @cached_property
    def citations(self) -> Filled:
        """The `record_sources` table: every citation of a source by a record (source fields after
        the four bookkeeping columns, which the build fills itself)."""
        words = ", ".join(s.kind.word for s in self.cited)
        head = (
            Column("record_kind", not_null=True, doc=f"Kind of the citing record: {words}."),
            Column("record_id", not_null=True, doc="Id of the citing record."),
            Column("position", "INTEGER", not_null=True, doc="Order in the record's `sources` (0 = main source)."),
            Column("source_id", not_null=True, doc="The source (see sources).", refs="sources"),
        )
        return _filled(
            "record_sources",
            "Citations",
            "Every citation of a source by a record, with its verbatim quote; position 0 is the record's main source.",
            self.source_fields,
            CITATION_COLUMNS,
            rest=True,
            key=("record_kind", "record_id", "position"),
            head=head,
            enforced=False,
            skip=_named(SOURCE_PAGE_COLUMNS) - _named(CITATION_COLUMNS),
        )

    @cached_property
    def tables(self) -> tuple[Table, ...]:
        """Every table of the database, in the order they are created and exported."""
        out: list[Table] = []
        for s in self.stored:
            out.append(s.table)
            out.extend(it.table for it in s.items)
        out += [self.sources.table, self.citations.table, VOCABULARIES, META]
        names = [t.name for t in out]
        if len(set(names)) != len(names):
            raise ValueError(f"two tables share a name: {names}")
        return tuple(out)

    def table(self, name: str) -> Table:
        for t in self.tables:
            if t.name == name:
                return t
        raise KeyError(name)

    def ddl(self) -> str:
        """The CREATE TABLE statements of every table."""
        return "\n\n".join(t.ddl() for t in self.tables) + "\n"

    @cached_property
    def derived_columns(self) -> frozenset[str]:
        """Names of the columns the build derives in the kinds' tables (no field of their own)."""
        return frozenset(c.name for s in self.stored for c in s.table.columns if c.field is None)

    def _table_of(self, kind_name: str | None) -> str | None:
        return kind_name if kind_name in {k.name for k in self.kinds} else None

    def _resolve(self, kind: RecordKind, storage: Storage | None) -> StoredKind:
        storage = storage or Storage(kind.name, kind.name.replace("_", " ").capitalize(), kind.doc)
        item_fields = {it.field for it in storage.items}
        cited = any(f.name == SOURCES for f in kind.fields)
        skip = item_fields | ({SOURCES} if cited else set())
        filled = _filled(
            kind.name,
            storage.title,
            storage.doc,
            kind.fields,
            storage.columns,
            rest=True,
            key=("id",),
            skip=skip,
            refs=self._table_of,
            where=kind.name,
        )
        items = tuple(self._items(kind, it) for it in storage.items)
        return StoredKind(kind, filled, items, cited)

    def _items(self, kind: RecordKind, it: Items) -> ItemTable:
        f = kind.field(it.field)
        if f.kind != "list" or f.item is None:
            raise ValueError(f"{kind.name}.{it.field}: only a list field can be kept one row per item")
        owner = Column(
            it.owner, not_null=True, doc=it.owner_doc or f"The {kind.word.replace('_', ' ')}.", refs=kind.name
        )
        order = f"Order in the {kind.word.replace('_', ' ')}'s `{f.name}` (0 = first)."
        position = (Column("position", "INTEGER", not_null=True, doc=order),) if it.position else ()
        if f.item.kind == "object":
            inner = _filled(
                "", "", "", f.item.fields, it.columns, rest=True, refs=self._table_of, where=f"{kind.name}.{f.name}"
            )
            columns = (owner, *inner.table.columns, *position)
            item_columns = tuple(p for p in inner.parts if isinstance(p, FieldColumn))
            value = None
            key = (it.owner, "position") if it.position else (it.owner, *(c.column for c in item_columns))
        else:
            if not it.value:
                raise ValueError(f"{kind.name}.{it.field}: name the column of the items (value=...)")
            doc = it.value_doc or f"One item of its `{f.name}`."
            val = Column(it.value, not_null=True, doc=doc, field=f.name, refs=self._table_of(f.item.ref))
            columns = (owner, val, *position)
            item_columns = ()
            value = it.value
            key = (it.owner, "position") if it.position else (it.owner, it.value)
        table = Table(it.table, it.title, it.doc, columns, key=key)
        return ItemTable(f.name, table, it.owner, value, item_columns, it.position)


def _field_column(f: Field, column: str, refs: Callable[[str | None], str | None], docs: dict[str, str]) -> Column:
    if f.kind == "object" or (f.kind == "list" and f.item is not None and f.item.kind in ("object", "list")):
        raise ValueError(f"{f.name}: a list of mappings needs a table of its own: declare Items(...) in model.py")
    doc = docs.get(f.name) or plain(f.doc)
    if column != f.name:  # "The app examined (`app` in the data files)."
        doc = doc.removesuffix(".") + f" (`{f.name}` in the data files)."
    is_list = f.kind == "list"
    return Column(
        column,
        "VARCHAR[]" if is_list else "VARCHAR",
        not_null=f.required and not f.nullable and not is_list,
        doc=doc,
        field=f.name,
        refs=None if is_list else refs(f.ref),
    )


def _named(declared: tuple[str | As | Derived, ...]) -> set[str]:
    """The fields a column declaration names."""
    return {e if isinstance(e, str) else e.field for e in declared if not isinstance(e, Derived)}


def _filled(
    name: str,
    title: str,
    doc: str,
    fields: tuple[Field, ...],
    declared: tuple[str | As | Derived, ...],
    *,
    rest: bool,
    key: tuple[str, ...] = (),
    skip: set[str] | frozenset[str] = frozenset(),
    refs: Callable[[str | None], str | None] = lambda _: None,
    docs: dict[str, str] | None = None,
    head: tuple[Column, ...] = (),
    enforced: bool = True,
    where: str = "",
) -> Filled:
    """The columns of a table filled from mappings with `fields`: those `declared`, in order, then
    (with `rest`) every other field not in `skip`, in the fields' order."""
    by_name = {f.name: f for f in fields}
    docs = docs or {}
    columns: list[Column] = list(head)
    parts: list[Part] = []
    named: set[str] = set()

    def add(field: str, column: str) -> None:
        f = by_name.get(field)
        if f is None:
            raise ValueError(f"model.py names a field {where or name}.{field} that schema.py does not declare")
        named.add(field)
        columns.append(_field_column(f, column, refs, docs))
        parts.append(FieldColumn(field, column, f.kind == "list"))

    for entry in declared:
        if isinstance(entry, Derived):
            columns.extend(entry.columns)
            parts.append(entry)
        elif isinstance(entry, As):
            add(entry.field, entry.column)
        else:
            add(entry, entry)
    if rest:
        for f in fields:
            if f.name not in named and f.name not in skip:
                add(f.name, f.name)
    names = [c.name for c in columns]
    if len(set(names)) != len(names):
        twice = sorted({n for n in names if names.count(n) > 1})
        raise ValueError(f"{where or name}: two columns named {', '.join(twice)}: rename one with As(...) in model.py")
    key_columns = [c for c in columns if c.name in key]
    if key and len(key_columns) != len(key):
        raise ValueError(f"{name}: key {key} is not among its columns")
    columns = [dataclasses.replace(c, not_null=True) if c.name in key else c for c in columns]
    table = Table(name, title, doc, tuple(columns), key=key, enforced=enforced and bool(key))
    return Filled(table, tuple(parts))


MODEL = Model()

"""The building blocks of the data model's storage: a column, a table, a field renamed (As), a
column derived by a named function (Derived), a list kept one row per item (Items), and where a
record kind is stored (Storage). storage.py declares the data model's storage with them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Values = dict[str, Any]  # one record's (or one source's) fields, as loaded


Records = dict[str, list[Values]]  # kind name -> its records' values


Compute = Callable[[list[Values], Records], list[list[Any]]]  # rows, all records -> one list per column


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

"""What a view is: a page's declaration (`Page`) and what one of its URLs says (`View`): heading,
question, figures, sentences, tables and charts. Every renderer (the Streamlit page, the plain HTML page,
the API's view JSON) draws a `View`; none writes a title, a figure or a column heading of its own."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import pandas as pd

from chatbot_watch import i18n, queries
from chatbot_watch.filters import Filters
from chatbot_watch.i18n import _, with_lang

SITE_NAME = "Chatbot Watch"


@dataclass(frozen=True)
class Page:
    """One page of the site, declared once: its key (in URLs of the API and previews), URL path,
    title in the navigation and as its heading, navigation icon, the question it answers, and the
    URL parameters of its own besides the filters (the search text, a record id)."""

    key: str
    path: str
    title: str
    icon: str
    question: str
    params: tuple[str, ...] = ()


@dataclass(frozen=True)
class Figure:
    """One headline figure: its label, value (as shown) and what it counts."""

    label: str
    value: str
    help: str = ""
    group: str = ""  # the part of the page it belongs to (a country's tab); "" for the whole page


@dataclass
class Table:
    """One table of a view: every matching row (`frame`), the columns shown under their headings
        (`columns`), the few the plain HTML page shows (`brief`, default all; in the columns' order),
    what links where."""

    name: str
    caption: str
    frame: pd.DataFrame
    columns: dict[str, str]
    brief: tuple[str, ...] = ()
    # column -> href of a row (the HTML page's links; the app links record ids by `record`)
    links: dict[str, Callable[[Mapping[str, str]], str]] = field(default_factory=dict)
    record: tuple[str | None, str] | None = None  # (record kind, id column); kind None: the row's `record_kind`
    note: str = ""
    group: str = ""
    whole: bool = False  # the HTML page shows every row (a record's fields), not only the first ones

    @property
    def total(self) -> int:
        return len(self.frame)

    @property
    def shown(self) -> list[tuple[str, str]]:
        """(column, heading) of the columns the HTML page and the API show, in order."""
        brief = set(self.brief or self.columns)
        return [(c, h) for c, h in self.columns.items() if c in brief and c in self.frame.columns]

    def rows(self, n: int | None = None, offset: int = 0) -> list[dict[str, str]]:
        """Rows `offset` to `offset + n` (all with None) as text, every column of the frame."""
        part = self.frame.iloc[offset : None if n is None else offset + n]
        return [{c: text(v) for c, v in r.items()} for r in part.to_dict(orient="records")]


@dataclass
class Chart:
    """One chart of a view, declared once (views/chartparts.py): its name (the `part=` that embeds
    it alone), its title, what it shows and what it leaves out (`caption`, with the numbers), and its
    data as a table (`table`: the chart's text alternative, the app's Table tab, the HTML page's
    table, the API's rows). The app draws it with `draw` (a `charts` function) on `source(con,
    *args)` (a `chartdata` query) under `title`."""

    name: str
    title: str
    caption: str
    table: Table
    draw: Callable[..., Any]
    source: Callable[..., Any]
    args: tuple[Any, ...] = ()
    group: str = ""
    instead: str = ""  # what the page says in its place when it has nothing to draw ("" : nothing)
    # What `source(con, *args)` returned, as the chart draws it (the table may be translated).
    data: pd.DataFrame | None = None

    @property
    def empty(self) -> bool:
        """Nothing to draw: the page says so instead of drawing an empty chart."""
        return self.table.frame.empty


@dataclass(frozen=True)
class Ctx:
    """What a page's builder reads: the database, the dataset facts, the filters' options, the
    URL's parameters (the page's own, such as `id` and `q`)."""

    con: queries.Con
    meta: Mapping[str, str]
    options: Mapping[str, Mapping[str, str]]
    params: Mapping[str, Sequence[str]]


@dataclass
class View:
    """What one page URL says, whoever draws it."""

    page: str
    title: str  # the <title> and the browser tab
    heading: str
    question: str
    description: str
    canonical: str  # path and normalised query
    as_of: str
    date_line: str
    version: str
    filters: Filters = field(default_factory=Filters)
    applied: str = ""
    notices: list[str] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    site: str = SITE_NAME  # the site's name (config.yaml's site_title)
    groups: list[tuple[str, str]] = field(default_factory=list)  # (group, its name): a country's tab
    lang: str = "en"  # the language it is written in (i18n.LANGUAGES)

    def table(self, name: str, group: str = "") -> Table | None:
        """The view's table called `name` (in `group`), or None when the view has none."""
        return next((t for t in self.tables if t.name == name and t.group == group), None)

    def chart(self, name: str, group: str = "") -> Chart | None:
        """The view's chart called `name` (in `group`), or None when the view has none."""
        return next((c for c in self.charts if c.name == name and c.group == group), None)

    def figures_of(self, group: str = "") -> list[Figure]:
        return [f for f in self.figures if f.group == group]

    @property
    def image(self) -> str:
        """Path of the link-preview image (the view's main chart)."""
        _path, _sep, query = self.canonical.partition("?")
        return f"/og/{self.page}.png" + (f"?{query}" if query else "")


def text(value: object) -> str:
    """A cell as text: lists joined with commas, missing values blank."""
    if hasattr(value, "tolist") and not isinstance(value, str):
        value = value.tolist()  # an array (a list column) or a numpy scalar
    if value is None or (not isinstance(value, list | tuple | str) and pd.isna(value)):
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def record_href(record_id: str, kind: str | None = None) -> str:
    """The record page of an id (`/record?id=AF-001`, `/record?id=app:deepseek`), in the reader's
    language; the app links the same."""
    return with_lang("/record?" + urlencode({"id": f"{kind}:{record_id}" if kind in ("app", "company") else record_id}))


def page_href(path: str, **params: str) -> str:
    """A page's address with `params`, in the reader's language (`/apps?app=deepseek&lang=ko`)."""
    return with_lang(path + ("?" + urlencode(params) if params else ""))


def n(number: int, one: str, many: str) -> str:
    """`number` and the noun in the right number, in the reader's language: `n(3, "{n} finding",
    "{n} findings")` ("3 findings"; the catalogs hold both forms and each language's plural rules)."""
    return i18n.counted(number, one, many)


def names(values: Sequence[str], most: int = 4) -> str:
    """Distinct names in a sentence: "A, B and C", "A, B, C, D and 2 more"."""
    found = sorted({v for v in values if v})
    if not found:
        return ""
    sep = _(", ")
    if len(found) > most:
        return _("{names} and {more} more").format(names=sep.join(found[:most]), more=len(found) - most)
    if len(found) == 1:
        return found[0]
    return _("{names} and {last}").format(names=sep.join(found[:-1]), last=found[-1])


def canonical(path: str, f: Filters, extra: Sequence[tuple[str, str]] = ()) -> str:
    """`path` with the filters (and `extra`) in one order, in the reader's language: the view's
    canonical address."""
    q = urlencode([*f.to_query(), *extra])
    return with_lang(path + (f"?{q}" if q else ""))


def without(columns: Mapping[str, str], drop: Sequence[str]) -> dict[str, str]:
    """`columns` less those in `drop` (a column a page shows elsewhere, such as its one app)."""
    return {k: v for k, v in columns.items() if k not in drop}


def record_table(
    name: str,
    caption: str,
    rows: pd.DataFrame,
    columns: Mapping[str, str],
    brief: tuple[str, ...],
    record: tuple[str, str],
    drop: Sequence[str] = (),
    note: str = "",
    group: str = "",
) -> Table:
    """A table of records (one row per record, or per record and app, data type ...): its id column
    (`record`: kind and column) links to the record's page, in the app and in the HTML alike."""
    id_col = record[1]
    return Table(
        name,
        caption,
        rows,
        without(columns, drop),
        brief=brief,
        links={id_col: lambda r: record_href(r[id_col])},
        record=record,
        note=note,
        group=group,
    )

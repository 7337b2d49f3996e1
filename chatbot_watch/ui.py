"""The only Streamlit-aware module: cached database, shared filters in the URL, page furniture.

Pages call these helpers and stay thin. Untrusted text from the data is shown with
`st.text`/dataframes or escaped before it reaches markdown; links come only from the
database, where validation let in nothing but http(s) URLs.
"""

from __future__ import annotations

import datetime as dt
import html
import secrets
import threading
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pandas as pd
import pyarrow as pa
import streamlit as st
from streamlit import dataframe_util

from chatbot_watch import charts, queries
from chatbot_watch.config import Settings, load_settings
from chatbot_watch.corrections import correction_url, with_correction_links
from chatbot_watch.database import Database, DatabaseError
from chatbot_watch.downloads import csv_text, file_stem, json_text, package_zip
from chatbot_watch.filters import (
    ALL_PARAMS,
    COUNTRY_ROLES,
    DATE_PARAMS,
    DEFAULT_COUNTRY_ROLE,
    IGNORED_PARAMS,
    LIST_PARAMS,
    PAGE_FILTERS,
    PAGE_PARAMS,
    Filters,
    parse_query,
)
from chatbot_watch.mdtext import WORD_JOINER, md  # noqa: F401 - md: the one safe path for text
from chatbot_watch.memo import Memo
from chatbot_watch.urls import shown_url

FILTER_LABELS = {
    "country": "Country",
    "company": "Company",
    "data_type": "Data type",
    "app": "App",
    "evidence": "Evidence status",
    "action_type": "Action type",
    "since": "From date",
    "until": "To date",
    "country_role": "Country, for data flows",
}
FILTER_HELP = {
    "company": "A company and the companies it owns (through today's ownership chain): flows to them, and "
    "actions naming them or concerning the apps they develop.",
}
# Why a filter does not apply on a page, said next to "Not applied on this page".
NOT_APPLIED_WHY = {
    "evidence": "government actions have no evidence status",
    "data_type": "government actions name no data types",
    "action_type": "data flows are findings, not actions",
    "country_role": "it only changes what the country filter means for data flows",
}
COUNTRY_ROLE_LABELS = {
    "recipient": "Data going there, or to companies based there",
    "examiner": "Found by its regulators and agencies",
}
GOTO_KEY = "_goto_page"
LAST_QUERY_KEY = "_last_query"


# ---------------------------------------------------------------------------
# Settings and database
# ---------------------------------------------------------------------------


@st.cache_resource(show_spinner=False)
def settings() -> Settings:
    """The validated settings (config.yaml plus environment overrides)."""
    return load_settings()


@st.cache_resource(show_spinner=False)
def database(path: str) -> Database:
    """The shared Database object for a file path."""
    return Database(Path(path))


def ensure_database(s: Settings) -> None:
    """Build the database from the data folder on first start; explain and stop if that fails,
    or if the file cannot be opened."""
    if not s.db_path.exists():
        from chatbot_watch.build import BuildError, build

        try:
            with st.spinner("Building the database from the data files (first start)…"):
                build(s.data_dir, s.db_path)
        except BuildError as exc:
            st.error(
                "The database has not been built and the data files do not validate. "
                "Run `python -m chatbot_watch validate` and fix the problems listed; the first ones are:"
            )
            st.code("\n".join(str(p) for p in exc.problems[:20]), language=None)
            st.stop()
        except OSError as exc:
            st.error(
                f"The database could not be built ({md(exc.strerror or exc)}). Run `python -m chatbot_watch build`."
            )
            st.stop()
    try:
        _THIS_RUN.version = _served_version()
    except DatabaseError as exc:
        st.error(
            "The database file cannot be read: it may be damaged or from another version. "
            "Rebuild it with `python -m chatbot_watch build` (the data files are not affected)."
        )
        st.caption(md(str(exc)))
        st.stop()


def cursor() -> queries.Con:
    """A cursor on the app's database."""
    return database(str(settings().db_path)).cursor()


def data_version() -> str:
    """The content hash of the build being served (cache key of every query).

    Checked once per script run (one `stat`, in `ensure_database`, which app.py calls first), so
    every query of a run sees the same build and a new build is picked up without a restart.
    When the version changes, the results and charts cached for the old one are dropped at once
    (they can never be asked for again) instead of holding memory until evicted.
    """
    return getattr(_THIS_RUN, "version", None) or _served_version()


def _served_version() -> str:
    """Ask the database for the build it serves (one `stat`); drop caches of an older build."""
    version = database(str(settings().db_path)).refresh()
    if _SERVED["version"] != version:
        with _SERVED_LOCK:
            if _SERVED["version"] not in (None, version):
                clear_caches()
            _SERVED["version"] = version
    return version


# Per script-run thread: the version this run serves (set by ensure_database at the run's start).
_THIS_RUN = threading.local()
_SERVED: dict[str, str | None] = {"version": None}
_SERVED_LOCK = threading.Lock()


def _weight(value: Any) -> int:
    """Rough bytes a cached value holds (a text cell costs about 80 bytes with its object)."""
    if isinstance(value, pd.DataFrame):
        return 1024 + 80 * len(value) * max(len(value.columns), 1)
    if isinstance(value, pa.Table):
        return 1024 + int(value.nbytes)
    if isinstance(value, dict):
        return 1024 + sum(len(v) if isinstance(v, bytes) else 0 for v in value.get("datasets", {}).values())
    return 4096


# Every session shares these (read-only!): query results, chart specs and display tables, keyed
# on the data version. Bounded by count and size; see memo.py for why not st.cache_*.
_QUERIES: Memo[Any] = Memo(max_entries=512, max_weight=384 * 2**20, weigh=_weight)
_SPECS: Memo[dict] = Memo(max_entries=512, max_weight=64 * 2**20, weigh=_weight)
_PACKAGES: Memo[bytes] = Memo(max_entries=2, max_weight=512 * 2**20, weigh=len)
_TABLES: Memo[tuple[Any, pa.Table]] = Memo(max_entries=512, max_weight=256 * 2**20, weigh=lambda v: _weight(v[1]))


def clear_caches() -> None:
    """Forget every cached query result, chart spec and display table (a new build is served)."""
    for memo in (_QUERIES, _SPECS, _TABLES, _PACKAGES):
        memo.clear()


def query(name: str, *args: Any) -> Any:
    """Run a named query from `queries`, cached on the data version and the (hashable) arguments.

    Every session shares the one result: callers must treat it as read-only (pages select
    into new frames, downloads copy).
    """
    return _QUERIES.get((data_version(), name, args), lambda: _run_query(name, args))


def _run_query(name: str, args: tuple[Any, ...]) -> Any:
    fn = getattr(queries, name)
    cur = cursor()
    try:
        return fn(cur, *args)
    finally:
        cur.close()


def meta() -> dict[str, str]:
    """Dataset facts (version, as-of date, licence, counts)."""
    return query("meta")


def as_of() -> dt.date:
    """The dataset's as-of date."""
    return dt.date.fromisoformat(meta()["as_of"])


# ---------------------------------------------------------------------------
# Shared filters <-> URL
# ---------------------------------------------------------------------------


def _current_query() -> dict[str, list[str]]:
    return {k: st.query_params.get_all(k) for k in st.query_params}


def sidebar_filters() -> Filters:
    """Draw the shared filters in the sidebar, synchronised with the URL; return them.

    A URL that differs from the one this session last wrote (a deep link, an edited URL, the
    Back button) sets the filters; otherwise the widgets hold them and the URL follows them.
    Switching pages keeps them, because the widgets live in app.py, outside any page.
    """
    options = query("filter_options")
    raw = _current_query()
    filter_pairs = tuple((k, v) for k in ALL_PARAMS for v in raw.get(k, ()))
    last = st.session_state.get(LAST_QUERY_KEY)
    notices: list[str] = []
    if filter_pairs and filter_pairs != last or (last is None):
        result = parse_query(raw, options, query("filter_aliases"))
        notices = result.notices
        f = result.filters
        for name in LIST_PARAMS:
            st.session_state[name] = list(getattr(f, name))
        for name in DATE_PARAMS:
            st.session_state[name] = getattr(f, name)
        st.session_state["country_role"] = f.country_role

    with st.sidebar:
        search_box()
        st.markdown("### Filters")
        for name in LIST_PARAMS:
            labels = options[name]
            st.multiselect(
                FILTER_LABELS[name],
                options=list(labels),
                format_func=lambda v, labels=labels: labels.get(v, v),
                key=name,
                placeholder="All",
                # Typing "Italy" + Enter picks the highlighted option, never "Select N matches", and
                # matches by substring rather than fuzzily (no "US Minor Outlying Islands" for "Italy").
                select_all=False,
                filter_mode="contains",
                help=FILTER_HELP.get(name),
            )
            if name == "country":
                st.radio(
                    "For data flows, a country means",
                    options=list(COUNTRY_ROLES),
                    format_func=COUNTRY_ROLE_LABELS.__getitem__,
                    key="country_role",
                    help="Data flows can concern a country in two ways: the data goes there (or to a company "
                    "based there), or a regulator or agency of that country found it.",
                )
        # Full width (not two columns): the whole date stays readable in the box.
        for name in DATE_PARAMS:
            st.date_input(
                FILTER_LABELS[name],
                value=None,
                key=name,
                format="YYYY-MM-DD",
                min_value=dt.date(2015, 1, 1),
                max_value=dt.date(2030, 12, 31),
                help="Records without any date are left out while a date is set; each page says how many.",
            )
        st.button("Clear all filters", on_click=_clear_filters, width="stretch")

    f = Filters(
        **{name: tuple(v for v in st.session_state.get(name) or () if v in options[name]) for name in LIST_PARAMS},
        since=st.session_state.get("since"),
        until=st.session_state.get("until"),
        country_role=st.session_state.get("country_role") or DEFAULT_COUNTRY_ROLE,
    )
    if f.since and f.until and f.since > f.until:
        notices.append("The 'From date' is after the 'To date': the date range is not applied.")
        f = f.without(*DATE_PARAMS)
    pairs = f.to_query()
    if tuple(pairs) != filter_pairs or any(k not in ALL_PARAMS + IGNORED_PARAMS for k in raw):
        # Parameters a page reads itself (the record id, the search) stay in the URL; Streamlit
        # keeps its own embed parameters itself.
        kept = [(k, v) for k in PAGE_PARAMS for v in raw.get(k, ())[:1]]
        st.query_params.from_dict(_group(pairs + kept))
    st.session_state[LAST_QUERY_KEY] = tuple(pairs)
    for n in notices:  # they quote the URL: text only
        st.warning(md(n), icon=":material/warning:")
    return f


def embed_mode() -> bool:
    """Whether the page is asked for in embed mode (`?embed=true`: inside an article's iframe)."""
    return bool(st.context.is_embedded)


def url_filters() -> Filters:
    """The shared filters read from the URL alone (embed mode: no widgets), with the same notices."""
    result = parse_query(_current_query(), query("filter_options"), query("filter_aliases"))
    for n in result.notices:
        st.warning(md(n), icon=":material/warning:")
    return result.filters


def _group(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for k, v in pairs:
        out.setdefault(k, []).append(v)
    return out


def _clear_filters() -> None:
    for name in LIST_PARAMS:
        st.session_state[name] = []
    for name in DATE_PARAMS:
        st.session_state[name] = None
    st.session_state["country_role"] = DEFAULT_COUNTRY_ROLE


def set_filter(name: str, values: list[str]) -> None:
    """Callback helper: set one shared filter (takes effect on the rerun)."""
    st.session_state[name] = values


def request_page(page_key: str, params: dict[str, str] | None = None) -> None:
    """Callback helper: ask app.py to switch to a page on the next run (with these URL parameters)."""
    st.session_state[GOTO_KEY] = (page_key, params)


def pop_requested_page() -> tuple[str | None, dict[str, str] | None]:
    """The page a callback asked for and its URL parameters, if any (cleared once read)."""
    asked = st.session_state.pop(GOTO_KEY, None)
    return asked if isinstance(asked, tuple) else (asked, None)


def search_box() -> None:
    """One box that finds apps, companies, countries and record ids, and opens the search page."""

    def go() -> None:
        text = " ".join(str(st.session_state.get("search_box") or "").split())[:80]
        if text:
            request_page("search", {"q": text})
        st.session_state["search_box"] = ""

    st.text_input(
        "Search",
        key="search_box",
        placeholder="App, company, country or AF-001",
        on_change=go,
        help="Finds apps, companies and countries by name or alias, and records by id; Enter opens the results.",
    )


_RESULT_PAGES = {
    "app": ("pages/apps.py", "app"),
    "company": ("pages/companies.py", "company"),
    "country": ("pages/countries.py", "country"),
    "finding": ("pages/record.py", "id"),
    "action": ("pages/record.py", "id"),
}
_RESULT_WHAT = {"app": "App", "company": "Company", "country": "Country", "finding": "Finding", "action": "Action"}


def search_results(found: pd.DataFrame | None, q: str) -> None:
    """Search results, each a link to its page (app report card, company, country profile, record)."""
    if not q:
        st.info("Type a name, an alias or a record id (AF-001, CA-010).")
        return
    if found is None or found.empty:
        st.info(f"Nothing found for “{md(q)}”. Try part of a name (Deep), an alias (UK) or an id (AF-0).")
        return
    st.caption(f"{len(found)} result{'s' if len(found) != 1 else ''} for “{md(q)}”" + (
        f" (the first {queries.SEARCH_MAX})" if len(found) >= queries.SEARCH_MAX else ""))  # fmt: skip
    for row in found.itertuples(index=False):
        page, param = _RESULT_PAGES[row.kind]
        value = row.id
        matched = "" if str(row.matched).casefold() in (str(row.label).casefold(), str(row.id).casefold()) else (
            f" (matched “{row.matched}”)")  # fmt: skip
        st.page_link(page, label=md(f"{_RESULT_WHAT[row.kind]}: {row.label}{matched}"), query_params={param: value})


# ---------------------------------------------------------------------------
# Page furniture
# ---------------------------------------------------------------------------


def page_url(path: str, f: Filters) -> str:
    """Absolute URL of a page with the filters, for citations."""
    base = (st.context.url or "").split("?")[0]
    if "://" in base:
        scheme_host = base.split("://", 1)
        host = scheme_host[1].split("/", 1)[0]
        base = f"{scheme_host[0]}://{host}"
    q = urlencode(f.to_query())
    return f"{base}/{path.strip('/')}" + (f"?{q}" if q else "")


def header(title: str, question: str) -> None:
    """Page title (escaped: it may come from the data), the question the page answers and the
    data's as-of date (first screen: a screenshot always carries its date)."""
    st.title(md(title), anchor=False)
    st.caption(f"{md(question)} **Data as of {meta()['as_of']}.**")
    filter_chips()
    note = getattr(_RUN, "filter_note", "")
    if note:
        st.caption(note)


def filter_chips() -> None:
    """The filters this page applies, as chips above its content (on every width): clicking one
    removes that filter value."""
    chips = getattr(_RUN, "chips", [])
    if not chips:
        return
    if embed_mode():  # no widgets to change in an embedded view: say what it shows
        st.caption(md("Filters: " + "; ".join(label for _, _, label in chips)))
        return
    keys = [f"{n}={v}" for n, v, _ in chips]
    # Pill labels are markdown: values from the URL and the data are made inert.
    shown = {f"{n}={v}": f"{md(label)}  ✕" for n, v, label in chips}
    widget = "chips-" + "&".join(keys)

    def remove() -> None:
        kept = set(st.session_state.get(widget) or ())
        for n, v, _ in chips:
            if f"{n}={v}" in kept:
                continue
            if n in LIST_PARAMS:
                st.session_state[n] = [x for x in st.session_state.get(n) or [] if x != v]
            elif n in DATE_PARAMS:
                st.session_state[n] = None
            else:
                st.session_state[n] = DEFAULT_COUNTRY_ROLE

    st.pills(
        "Filters applied here (click one to remove it)",
        options=keys,
        selection_mode="multi",
        default=keys,
        format_func=shown.__getitem__,
        key=widget,
        on_change=remove,
    )


def answers(a: dict[str, Any]) -> None:
    """The first screen's answers, in plain words written from the data."""
    from chatbot_watch.wording import headline_sentences

    st.markdown("\n".join(f"- {md(s)}" for s in headline_sentences(a, meta()["as_of"])))


def undated_events_note(f: Filters) -> None:
    """Under a list of dated events: how many records of the view have no date and cannot appear."""
    counts = query("undated", f)
    if counts["actions"] or counts["findings"]:
        st.caption(
            f"Not listed here because they have no date: {counts['actions']} {_plural(counts['actions'], 'action')}"
            f" and {counts['findings']} {_plural(counts['findings'], 'finding')} (they are on the Restrictions and "
            "Data flows pages)."
        )


def data_note(f: Filters) -> None:
    """The as-of date and data version of what is shown, and the filters it applies."""
    m = meta()
    st.caption(f"Data as of {m['as_of']} · version {m['data_version']} · filters: {md(f.describe())}")


def filter_value_label(name: str, value: str) -> str:
    """A filter value as a visitor reads it ("South Korea", "Confirmed by a regulator")."""
    if name == "country_role":
        return COUNTRY_ROLE_LABELS.get(value, value).lower()
    options = query("filter_options").get(name, {})
    return str(options.get(value, value))


def page_filters(page: str) -> Filters:
    """The filters this page applies (the rest of the shared filters stay in the sidebar and the
    URL for other pages), with a line saying which are applied here and which are not, and why.
    Pages pass the result to their queries, downloads, citation and footer, which therefore name
    only what was applied."""
    f = current_filters()
    _RUN.page = "" if page == "overview" else page
    _RUN.filter_note = ""
    _RUN.chips = []
    applies = PAGE_FILTERS[page]
    here = f.only(applies)
    applied = here.active()
    ignored = [n for n in f.active() if n not in applies]
    parts = []
    chips: list[tuple[str, str, str]] = []  # (filter, value, what the chip says)
    for n in applied:
        value = getattr(here, n)
        values = value if isinstance(value, tuple) else (value.isoformat() if hasattr(value, "isoformat") else value,)
        chips += [(n, str(v), f"{FILTER_LABELS[n]}: {filter_value_label(n, v)}") for v in values]
    _RUN.chips = chips
    if here.company:
        group = query("company_group", here.company)
        owned = [str(x) for x in group["name"]]
        parts.append(
            md(f"Company: includes the companies it owns today: {', '.join(owned)}.")
            if owned
            else md("Company: no company owned by it is recorded.")
        )
    if ignored:
        why = "; ".join(
            f"{FILTER_LABELS[n].lower()}" + (f" ({NOT_APPLIED_WHY[n]})" if n in NOT_APPLIED_WHY else "")
            for n in ignored
        )
        parts.append("**Not applied on this page:** " + md(why) + ".")
    if here.country and "country" in applies and page in ("flows", "companies", "overview"):
        parts.append(md(f"For data flows, country means: {filter_value_label('country_role', here.country_role)}."))
    # Drawn by `header`, under the page's title, so it sits next to the content it describes.
    _RUN.filter_note = " ".join(parts)
    return here


def undated_note(f: Filters, kinds: tuple[str, ...] = ("actions", "findings")) -> None:
    """With a date range set: how many records the range leaves out because they have no date,
    and a link to the same view without the range, where they are."""
    if not f.has_dates():
        return
    counts = query("undated", f)
    left = [(counts[k], k) for k in kinds if counts[k]]
    if not left:
        return
    what = " and ".join(f"{n} {k if n != 1 else k[:-1]}" for n, k in left)
    verb = "has" if sum(n for n, _ in left) == 1 else "have"
    st.caption(
        f":material/event_busy: The date range leaves out {what} that {verb} no date at all. "
        f"[Same view without the date range]({page_path(_current_page(), f.without(*DATE_PARAMS))})"
    )


def _current_page() -> str:
    return str(getattr(_RUN, "page", ""))


def page_path(path: str, f: Filters) -> str:
    """Site-relative URL of a page with the filters, for links inside the app (never built from
    the request's host)."""
    q = urlencode(f.to_query())
    return f"/{path.strip('/')}" + (f"?{q}" if q else "")


def nothing_matches(what: str, f: Filters, fixed: tuple[str, ...] = ()) -> None:
    """An empty state: nothing matches, with the applied filters a visitor can relax (each a link
    to the same view without it; `fixed` ones, such as a profile's country, are not offered);
    never an empty chart."""
    active = tuple(n for n in f.active() if n not in fixed)
    if not active:
        st.info(f"No {what} recorded as of {meta()['as_of']}.")
        return
    links = " · ".join(
        f"[without {FILTER_LABELS[n].lower()}]({page_path(_current_page(), f.without(n))})" for n in active
    )
    st.info(f"Nothing matches: no {what} with these filters. Relax a filter: {links}")


def evidence_legend() -> None:
    """Say what separates a confirmed finding from an allegation."""
    st.caption(
        "Evidence: **confirmed** = confirmed by a regulator, acknowledged by the company, observed by an auditor "
        "or stopped after being established; **declared** = the company's own privacy label or policy; "
        "**claimed** = reported by the press, alleged or disputed. See About the data for the scale."
    )


def _make_chart_spec(chart: str, query_name: str, qargs: tuple[Any, ...], cargs: tuple[Any, ...]) -> dict:
    # Building and validating an Altair spec costs tens of milliseconds: done once per view.
    made = getattr(charts, chart)(query(query_name, *qargs), *cargs)
    spec = made if isinstance(made, dict) else made.to_dict()
    # Tabular datasets go to the browser as Arrow bytes; Streamlit converts them on every call
    # unless they already are bytes, so convert them here, once (with Streamlit's own function).
    datasets = spec.get("datasets")
    if isinstance(datasets, dict):
        spec["datasets"] = {
            name: dataframe_util.convert_anything_to_arrow_bytes(pd.DataFrame(rows)) if isinstance(rows, list) else rows
            for name, rows in datasets.items()
        }
    return spec


def chart_spec(chart: str, query_name: str, *qargs: Any, cargs: tuple[Any, ...] = ()) -> dict:
    """The Vega-Lite spec of `charts.<chart>` drawn on `queries.<query_name>(*qargs)`, cached per
    data version and shared by every session (read-only)."""
    key = (data_version(), chart, query_name, qargs, cargs)
    return _SPECS.get(key, lambda: _make_chart_spec(chart, query_name, qargs, cargs))


@dataclass(frozen=True)
class ChartRef:
    """A chart of the page: `charts.<chart>` drawn on `queries.<query_name>(*qargs)`, with `cargs`."""

    chart: str
    query_name: str
    qargs: tuple[Any, ...]
    cargs: tuple[Any, ...] = ()

    def spec(self) -> dict:
        """The cached, browser-ready spec (see `chart_spec`)."""
        return chart_spec(self.chart, self.query_name, *self.qargs, cargs=self.cargs)

    def article_spec(self, f: Filters) -> dict:
        """The spec as a stand-alone image: title, filters, source line, as-of date and licence drawn in."""
        made = getattr(charts, self.chart)(query(self.query_name, *self.qargs), *self.cargs)
        spec = made if isinstance(made, dict) else made.to_dict()
        m = meta()
        return charts.for_article(
            spec,
            filters=f.describe() if f.active() else "",
            source=f"Source: Chatbot Watch, {page_url(_current_page(), f)} · data as of {m['as_of']} · "
            f"version {m['data_version']} · {m['licence']}",
        )


def chart_with_table(
    ref: ChartRef, table: pd.DataFrame, caption: str, columns: dict[str, str], f: Filters, **chart_kw: Any
) -> Any:
    """A chart and, beside it in a tab, the same data as a table (the chart's text alternative):
    the `columns` of `table` (a cached query result), under the names they map to; under the chart,
    its caption and "Download chart" (PNG, SVG) with title, filters, source, as-of date and licence."""
    t_chart, t_table = st.tabs(["Chart", "Table"])
    with t_chart:
        event = st.vega_lite_chart(ref.spec(), width="stretch", **chart_kw)
        st.caption(caption)
        chart_downloads(ref, f)
    with t_table:
        st.dataframe(display_table(table, columns), hide_index=True, width="stretch")
    return event


def chart_downloads(ref: ChartRef, f: Filters) -> None:
    """PNG and SVG of a chart for an article, made when clicked (offline, by vl-convert)."""
    m = meta()
    stem = file_stem(f"{_current_page() or 'overview'} {ref.chart}", f, m["as_of"])

    def render(fmt: str) -> bytes | str:
        import vl_convert

        spec = charts.inline_map(ref.article_spec(f))
        return vl_convert.vegalite_to_png(spec, scale=2) if fmt == "png" else vl_convert.vegalite_to_svg(spec)

    c1, c2, _ = st.columns([1, 1, 2])
    c1.download_button(
        "Chart as PNG",
        lambda: render("png"),
        file_name=f"{stem}.png",
        mime="image/png",
        key=f"png-{ref.chart}",
        on_click="ignore",
        icon=":material/image:",
        help="The chart with its title, filters, source line, as-of date and licence, ready for an article.",
    )
    c2.download_button(
        "Chart as SVG",
        lambda: render("svg"),
        file_name=f"{stem}.svg",
        mime="image/svg+xml",
        key=f"svg-{ref.chart}",
        on_click="ignore",
        icon=":material/draw:",
    )


LINK = st.column_config.LinkColumn
# What a column's values mean, shown when a reader hovers its header.
COLUMN_HELP = {
    "Evidence": "How strong the support for this finding is, from 'Confirmed by a regulator' to 'Alleged' "
    "(About the data lists the scale).",
    "Weakest evidence": "The weakest evidence among the findings this row folds together: the row never "
    "claims more than that.",
    "Data types by evidence": "Each data type under the evidence status of the findings that name it.",
    "Status": "In force, ongoing, pending, lifted or ended, as the sources last said.",
    "Scope": "Who or what the action covers: government devices, networks, all users, new downloads ...",
    "Quote (main source)": "The main source's own words supporting the record; the record page has every source.",
}


def _display(value: Any) -> Any:
    """Table cell text: lists joined, missing values blank (never the word "None")."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, list | tuple) or (hasattr(value, "tolist") and not isinstance(value, str)):
        items = value.tolist() if hasattr(value, "tolist") else list(value)
        return ", ".join(str(v) for v in items)
    return value


# Columns holding a record's source links: shown with the host the browser visits (urls.shown_url).
SOURCE_LINK_COLUMNS = ("source_url", "url")


def _to_display(df: pd.DataFrame, columns: dict[str, str]) -> pa.Table:
    shown = df[[c for c in columns if c in df.columns]]
    links = [c for c in SOURCE_LINK_COLUMNS if c in shown.columns]
    if links:
        shown = shown.assign(**{c: shown[c].map(lambda u: shown_url(u) if isinstance(u, str) else u) for c in links})
    shown = shown.rename(columns=columns)
    for col in shown.columns:
        if shown[col].dtype.kind not in "iufbmM":  # text and lists: blanks instead of "None"
            shown[col] = shown[col].astype(object).map(_display).astype(str)
    return pa.Table.from_pandas(shown, preserve_index=False)


def display_table(
    df: pd.DataFrame,
    columns: dict[str, str],
    prepare: Callable[[pd.DataFrame], pd.DataFrame] | None = None,
    prepare_key: tuple[Any, ...] = (),
) -> pa.Table:
    """The `columns` of `df` (after `prepare`, if given) under their shown names, lists joined and
    blanks for missing values, as an Arrow table (what the browser receives).

    Made once per cached query result and shared: `df` must be a result of `query` (or another
    object that lives as long and is never changed), since it is remembered by identity;
    `prepare_key` names what `prepare` depends on.
    """

    def make() -> pa.Table:
        return _to_display(prepare(df) if prepare else df, columns)

    key = (id(df), tuple(columns.items()), prepare_key)
    ref, made = _TABLES.get(key, lambda: (weakref.ref(df), make()))
    if ref() is not df:  # kept for an object that died and whose id was reused: replace it
        _TABLES.discard(key)
        ref, made = _TABLES.get(key, lambda: (weakref.ref(df), make()))
    return made


def record_link(record_id: str, kind: str | None = None) -> str:
    """Site-relative URL of a record's page (`/record?id=AF-001`, `/record?id=app:deepseek`)."""
    return "/record?" + urlencode({"id": f"{kind}:{record_id}" if kind in ("app", "company") else record_id})


def _link_ids(df: pd.DataFrame, id_col: str, kind: str | None) -> pd.DataFrame:
    out = df.copy()
    out[id_col] = [record_link(str(v), kind) if isinstance(v, str) and v else "" for v in out[id_col]]
    return out


def table(
    df: pd.DataFrame,
    columns: dict[str, str],
    link_cols: tuple[str, ...] = ("source_url",),
    height: int | None = None,
    record: tuple[str, str] | None = None,
) -> None:
    """A data table with readable headers; source URLs as links showing the host.

    `df` is a cached query result (see `display_table`). With `record=(kind, id column)` the
    id column links each row to its record's page (every field, the sources with their full
    quotes); with a repository configured, each row also links a pre-filled "report a
    correction" issue naming the record and its source.
    """
    columns = dict(columns)
    repo = settings().repository_url
    config: dict[str, Any] = {}
    steps: list[Callable[[pd.DataFrame], pd.DataFrame]] = []
    key: tuple[Any, ...] = ()
    if record is not None and record[1] in columns:
        kind, id_col = record
        steps.append(lambda d: _link_ids(d, id_col, kind))
        key += ("ids", kind, id_col)
        config[columns[id_col]] = LINK(columns[id_col], display_text=r"id=(?:app%3A|company%3A)?(.*)$")
    if record is not None and repo and record[0] != "record":
        url = st.context.url or ""
        columns["correction_url"] = "Correction"
        link_cols = (*link_cols, "correction_url")
        kind, id_col = record
        steps.insert(0, lambda d: with_correction_links(d, repo, kind, id_col, url))
        key += ("corrections", repo, kind, id_col, url)

    def prepare(d: pd.DataFrame) -> pd.DataFrame:
        for step in steps:
            d = step(d)
        return d

    data = display_table(df, columns, prepare=prepare if steps else None, prepare_key=key)
    for shown, text in COLUMN_HELP.items():
        if shown in columns.values() and shown not in config:
            config[shown] = st.column_config.TextColumn(shown, help=text)
    for c in link_cols:
        if c in columns:
            shown_text = "Report a correction" if c == "correction_url" else r"https?://(?:www\.)?([^/]+)"
            config[columns[c]] = LINK(columns[c], display_text=shown_text)
    kw: dict[str, Any] = {"height": height or min(38 + 35 * max(data.num_rows, 1), 640)}
    st.dataframe(data, hide_index=True, width="stretch", column_config=config, **kw)


def downloads(df: pd.DataFrame, name: str, f: Filters, url: str) -> None:
    """Download the rows of the table just above as CSV (plain, or for Excel) and JSON (with the
    as-of date, version, filters and URL); file names say the view, filters and as-of date."""
    m = meta()
    slug = "".join(ch if ch.isalnum() else "-" for ch in name.lower()).strip("-")
    stem = file_stem(name, f, m["as_of"])
    c1, c2, c3 = st.columns(3)
    # Deferred: the files are made when a visitor clicks, not on every rerun.
    c1.download_button(
        "Download CSV",
        lambda: csv_text(df),
        file_name=f"{stem}.csv",
        mime="text/csv",
        width="stretch",
        key=f"csv-{slug}",
        on_click="ignore",
        help="Plain CSV, header on the first line. Its filters and as-of date are in the file name; "
        "the JSON download carries every detail of the view.",
    )
    c2.download_button(
        "CSV for Excel",
        lambda: csv_text(df, excel=True),
        file_name=f"{stem}_excel.csv",
        mime="text/csv",
        width="stretch",
        key=f"xlsx-{slug}",
        on_click="ignore",
        help="The same CSV with a byte order mark, so that Excel reads accents and non-Latin names right.",
    )
    c3.download_button(
        "Download JSON",
        lambda: json_text(df, m, name, f, url),
        file_name=f"{stem}.json",
        mime="application/json",
        width="stretch",
        key=f"json-{slug}",
        on_click="ignore",
    )


def whole_dataset_download() -> None:
    """Offer the whole current build as the zipped open-data package of `export` (made on click)."""
    m = meta()
    db_path, version = settings().db_path, m["data_version"]
    st.download_button(
        "Download the whole dataset (data package: CSV, JSON, Parquet)",
        # Made on the first click for a build, then shared: a full export is seconds of work.
        lambda: _PACKAGES.get(version, lambda: package_zip(db_path)),
        file_name=f"chatbot-watch-{m['data_version']}.zip",
        mime="application/zip",
        on_click="ignore",
        key="whole-dataset",
    )


def record_lookup(raw: str, matches: list[tuple[str, str]]) -> None:
    """The record page without exactly one record: a box for an id, or the records an id names."""
    if raw.strip() and not matches:
        st.warning(f"No record has the id “{md(raw)}”. Ids look like AF-001 (findings), CA-001 (actions), "
                   "or an app's or company's short name (deepseek).")  # fmt: skip
    for kind, rid in matches:
        st.page_link("pages/record.py", label=f"The {kind} “{rid}”", query_params={"id": f"{kind}:{rid}"})
    typed = st.text_input("Record id", value="", placeholder="AF-001, CA-001, deepseek", key="record_id_box")
    if typed.strip():
        st.query_params["id"] = typed.strip()[:80]
        st.rerun()


_LINK_PAGES = {"apps": "pages/apps.py", "companies": "pages/companies.py", "countries": "pages/countries.py"}
_LINK_WHAT = {"apps": "App", "companies": "Company", "countries": "Country"}


def record_links(links: list[tuple[str, str, str, str]]) -> None:
    """Links from a record to the pages of the app, company and country it names."""
    if not links:
        return
    cols = st.columns(min(len(links), 4))
    for i, (page, label, param, value) in enumerate(links):
        with cols[i % len(cols)]:
            st.page_link(_LINK_PAGES[page], label=f"{_LINK_WHAT[page]}: {md(label)}", query_params={param: value})


def record_sources(sources: pd.DataFrame) -> None:
    """Each source of a record: publisher, dates, the full verbatim quote (as text) and its link."""
    for row in sources.itertuples(index=False):
        dates = f"published {row.published}" if _given(row.published) else "publication date not given"
        if _given(row.accessed):
            dates += f", accessed {row.accessed}"
        main = " (main source)" if row.position == 0 else ""
        st.markdown(f"**{row.position + 1}. {md(row.publisher)}**{main} · {md(dates)}")
        st.markdown("> " + md(row.quote))
        st.link_button(f"Open the source ({md(source_host(row.url))})", row.url)


def _given(value: Any) -> bool:
    return value is not None and not (isinstance(value, float) and pd.isna(value)) and str(value) != ""


def record_fields(fields: list[tuple[str, str]]) -> None:
    """Every field of a record in full (long notes wrap; nothing is cut off), as escaped text."""
    lines = ["| Field | Value |", "| --- | --- |"]
    lines += [f"| {md(name)} | {md(value) if value else '*not recorded*'} |" for name, value in fields]
    st.markdown("\n".join(lines))


def source_host(url: str) -> str:
    """The host a source link opens (shown beside it)."""
    from urllib.parse import urlsplit

    return (urlsplit(url).hostname or "").removeprefix("www.")


def record_history(history: pd.DataFrame) -> None:
    """A record's rows of the change log, or a line saying none is recorded."""
    if history.empty:
        st.caption(
            "No change to this record is in the change log (it starts with the first build of this copy of the data)."
        )
        return
    table(
        history,
        {"built_at": "Build date", "change": "Change", "field": "Field", "old": "Before", "new": "After",
         "data_version": "Data version"},
        link_cols=(),
    )  # fmt: skip


def correction_button(kind: str, record_id: str) -> None:
    """A "report a correction" button for one record, when a repository is configured."""
    repo = settings().repository_url
    if repo:
        st.link_button(
            "Report a correction to this record", correction_url(repo, kind, record_id, None, st.context.url or "")
        )


# Under each claim table: where a reader checks a row and reports a correction.
RECORD_HINT = (
    "Click an id for its record: every field, its sources with their full quotes, and a form to report a correction."
)


def correction_form(kind: str, record_id: str, fields: list[str]) -> None:
    """A record's "Report a correction" form: stored in the local corrections inbox (validated,
    rate-limited; what was sent is shown back as plain text only); with a repository configured,
    the pre-filled issue link as well."""
    from chatbot_watch import inbox

    s = settings()
    with st.expander("Report a correction to this record", icon=":material/edit_note:"):
        st.caption(
            "Tell the maintainers what is wrong and which public source shows it. They check every report "
            "against its source before changing anything; nothing you send is published."
        )
        any_field = "Not sure, or several"
        with st.form(f"correction-{kind}-{record_id}", enter_to_submit=False):
            field = st.selectbox("Field (optional)", [any_field, *fields])
            wrong = st.text_area("What is wrong?", max_chars=inbox.LIMITS["what_is_wrong"])
            right = st.text_area("The correct value", max_chars=inbox.LIMITS["correct_value"])
            source = st.text_input(
                "Source that shows it (an https:// or http:// address)", max_chars=inbox.LIMITS["source_url"]
            )
            contact = st.text_input(
                "Your contact (optional; seen only by the maintainers)", max_chars=inbox.LIMITS["contact"]
            )
            sent = st.form_submit_button("Send the correction")
        if sent:
            report = inbox.Report(kind, record_id, wrong, right, source, "" if field == any_field else field,
                                  contact, data_version())  # fmt: skip
            # A random token per browser session, for the per-session limit (the inbox stores its hash).
            token = st.session_state.setdefault("_correction_session", secrets.token_hex(16))
            try:
                number = inbox.submit(s.corrections_db, report, token)
            except inbox.Invalid as exc:
                st.error("Nothing was sent. Please correct: " + "; ".join(
                    f"{inbox.LABELS.get(f, f)}: {md(m)}" for f, m in exc.problems))  # fmt: skip
            except inbox.RateLimited as exc:
                st.warning(md(str(exc)))
            except inbox.InboxError:
                st.error("The corrections inbox cannot be written just now; nothing was sent.")
            else:
                st.success(f"Thank you: correction {number} is in the maintainers' inbox. What they received:")
                st.text(inbox.details(inbox.get(s.corrections_db, number)))  # type: ignore[arg-type]
        if s.repository_url:
            st.link_button(
                "Or open a pre-filled issue in the project's repository",
                correction_url(s.repository_url, kind, record_id, None, st.context.url or ""),
            )


def feed_links(f: Filters) -> None:
    """Links to the Atom feeds of changes (overall, and for the filtered countries and apps)."""
    feeds = settings().feeds_dir
    links = [("All changes", "changes")]
    links += [(f"Changes concerning {c}", f"country-{c}") for c in f.country]
    links += [(f"Changes concerning {a}", f"app-{a}") for a in f.app]
    shown = [
        f"[{md(label)}](/app/static/feeds/{name}.xml)" for label, name in links if (feeds / f"{name}.xml").exists()
    ]
    if shown:
        st.caption("Follow changes (Atom): " + " · ".join(shown))


def citation(title: str, url: str) -> str:
    """How to cite a view: title, as-of date, data version, URL and today's date."""
    m = meta()
    accessed = dt.date.today().isoformat()
    version = m["data_version"]
    return f"Chatbot Watch, “{title}”, data as of {m['as_of']} (version {version}), {url} (accessed {accessed})."


@st.dialog("Cite this view", width="large")
def _citation_dialog(text: str, embed: str) -> None:
    st.code(text, language=None, wrap_lines=True)
    st.caption("The copy button is at the top right of the citation. The link reopens exactly this view.")
    st.markdown("**Embed this view**")
    st.code(embed, language="html", wrap_lines=True)
    st.caption(
        "Paste it into an article: the same view, without the sidebar and menus, with its filters; it keeps "
        "showing the latest data."
    )


def embed_snippet(title: str, url: str) -> str:
    """An iframe that shows `url` in Streamlit's chrome-free embed mode (`embed=true`)."""
    src = url + ("&" if "?" in url else "?") + "embed=true"
    return (
        f'<iframe src="{html.escape(src, quote=True)}" title="{html.escape(f"Chatbot Watch: {title}", quote=True)}" '
        'width="100%" height="900" style="border:0" loading="lazy"></iframe>'
    )


def cite(title: str, url: str) -> None:
    """A 'Cite this view' button that opens the citation, ready to copy.

    A dialog, not an expander: its code block (and the syntax-highlighting script behind it,
    about a quarter of a second of a reader's first page load) is made only when asked for.
    """
    if st.button("Cite this view", icon=":material/format_quote:", key="cite-view"):
        _citation_dialog(citation(title, url), embed_snippet(title, url))


def footer(title: str, path: str, f: Filters) -> None:
    """The as-of line and the citation, at the bottom of every page."""
    st.divider()
    cite(title, page_url(path, f))
    data_note(f)


@dataclass(frozen=True)
class PageSpec:
    """A page's file, title, URL path and icon (the public URL contract)."""

    file: str
    title: str
    url_path: str
    icon: str


def current_filters() -> Filters:
    """The shared filters app.py read for this run."""
    return st.session_state.get("filters") or Filters()


def map_with_table(f: Filters, caption: str | None = None) -> None:
    """The world map of what is in force (clicking a country opens its profile) and the same data as a table."""
    counts = query("map_counts", f)

    def on_click() -> None:
        state = st.session_state.get("world_map")
        selection = (state or {}).get("selection", {}).get(charts.MAP_SELECTION) or []
        codes = [d.get("country_code") for d in selection if isinstance(d, dict) and d.get("country_code")]
        if codes:
            set_filter("country", [str(codes[0])])
            request_page("countries")

    off_map = [str(n) for n, i in zip(counts["country_name"], counts["id"], strict=True) if i is None]
    chart_with_table(
        ChartRef("world_map_spec", "map_counts", (f,)),
        counts,
        caption
        or "Colour: what is in force in each country. Restrictions are device bans, network blocks, download "
        "suspensions, nationwide blocks and processing limitations; restrictions by states or regions are counted "
        "apart and never added into a country's national figure; investigations, requests and advisories are not "
        "counted as restrictions."
        + (f" Not on the map: {md(', '.join(off_map))} (in the table)." if off_map else ""),
        {
            "country_name": "Jurisdiction",
            "category": "What is in force",
            "national_in_force": "National restrictions in force",
            "regional_in_force": "State or regional restrictions in force",
            "regions_in_force": "States or regions",
            "open_other": "Investigations and other open actions",
            "lifted_or_ended": "Lifted or ended",
            "actions": "All actions",
            "apps": "Apps",
        },
        f,
        on_select=on_click,
        key="world_map",
        selection_mode=[charts.MAP_SELECTION],
    )


def chosen(selected: tuple[str, ...]) -> str | None:
    """The one value a profile page shows: the first value of its filter, if any."""
    return selected[0] if selected else None


def picker(name: str, selected: tuple[str, ...], options: dict[str, str], label: str) -> None:
    """A selector for a profile page; picking sets the shared filter, so the URL names the profile."""
    current = chosen(selected)
    choices = list(selected) if len(selected) > 1 else list(options)
    key = f"pick_{name}_{current}_{len(selected)}"

    def on_change() -> None:
        picked = st.session_state.get(key)
        if picked:
            set_filter(name, [picked])

    if len(selected) > 1:
        st.caption(f"Several values are selected in the {FILTER_LABELS[name].lower()} filter; showing one at a time.")
    st.selectbox(
        label,
        options=choices,
        index=choices.index(current) if current in choices else None,
        format_func=lambda v: options.get(v, v),
        key=key,
        on_change=on_change,
        placeholder=label,
    )


def facts_table(facts: dict[str, str]) -> None:
    """A two-column table of labelled facts, shown as plain text."""
    text_table([(k, v) for k, v in facts.items()], ["", "Value"])


def text_table(rows: list[tuple[Any, ...]], headers: list[str]) -> None:
    """A small table of plain text (a few rows of labels and meanings)."""
    key = ("text", tuple(tuple(r) for r in rows), tuple(headers))
    _, data = _TABLES.get(key, lambda: (None, _text_arrow(rows, headers)))
    st.dataframe(data, hide_index=True, width="stretch")


def _text_arrow(rows: list[tuple[Any, ...]], headers: list[str]) -> pa.Table:
    cols = {h: pa.array(["" if r[i] is None else str(r[i]) for r in rows], pa.string()) for i, h in enumerate(headers)}
    return pa.table(cols)


# ---------------------------------------------------------------------------
# Every page runs inside app.py
# ---------------------------------------------------------------------------

_RUN = threading.local()


@contextmanager
def inside_app() -> Iterator[None]:
    """Mark that app.py (navigation, shared filters) is running the current page."""
    _RUN.inside = True
    try:
        yield
    finally:
        _RUN.inside = False


def page_setup() -> None:
    """First call of every page: make sure the page runs inside app.py.

    Streamlit runs a file in `pages/` on its own (its older multipage mode) for the first
    session of a fresh server and in AppTest page switches; then app.py has not drawn the
    navigation and filters. In that case run app.py, which runs this page inside it, and stop.
    """
    if getattr(_RUN, "inside", False):
        return
    import runpy

    from chatbot_watch import paths

    runpy.run_path(str(paths.ROOT / "app.py"), run_name="__main__")
    st.stop()


# ---------------------------------------------------------------------------
# Sections shared by several pages
# ---------------------------------------------------------------------------

# Column order: what a reader needs first comes first (phones show only the first columns).
FLOW_COLUMNS = {
    "finding_id": "Finding",
    "app_name": "App",
    "data_type_label": "Data type",
    "company_name": "Recipient",
    "ownership_chain": "Ownership chain",
    "evidence_label": "Evidence",
    "auditor": "Examined by",
    "audit_date": "Date",
    "recipient_countries": "To countries",
    "recipient_described": "Recipient as reported",
    "platform": "Platform",
    "source_url": "Source",
    "source_quote": "Quote (main source)",
}
RESTRICTION_COLUMNS = {
    "action_id": "Action",
    "country_name": "Jurisdiction",
    "action_type_label": "Type",
    "app_name": "App",
    "status_label": "Status",
    "announced": "Announced",
    "effective": "Effective",
    "lifted": "Lifted",
    "authority": "Authority",
    "subdivision_name": "State / region",
    "scope_label": "Scope",
    "source_url": "Source",
    "source_quote": "Quote (main source)",
}
MATRIX_COLUMNS = {
    "app_name": "App",
    "company_name": "Recipient",
    "parent": "Parent company",
    "evidence_by_status": "Data types by evidence",
    "evidence_label": "Weakest evidence",
    "findings": "Findings",
    "finding_ids": "Finding ids",
}
TIMELINE_COLUMNS = {
    "place": "Where",
    "action_id": "Action",
    "action_type_label": "Type",
    "apps": "Apps",
    "announced": "Announced",
    "lifted": "Lifted",
    "status_label": "Status",
}


def _without(columns: dict[str, str], drop: tuple[str, ...]) -> dict[str, str]:
    return {k: v for k, v in columns.items() if k not in drop}


def flows_table(rows: pd.DataFrame, drop: tuple[str, ...] = ()) -> None:
    """The flows rows with evidence, source and correction link per row."""
    table(rows, _without(FLOW_COLUMNS, drop), record=("finding", "finding_id"))


def restrictions_table(rows: pd.DataFrame, drop: tuple[str, ...] = ()) -> None:
    """The restriction rows with status, source and correction link per row."""
    table(rows, _without(RESTRICTION_COLUMNS, drop), record=("action", "action_id"))


def flow_matrix_section(f: Filters, caption: str, title: str | None = None, drop: tuple[str, ...] = ()) -> bool:
    """The app x recipient heatmap with its table; False (and nothing drawn) when it would be empty.

    A cell folds several claims together, so its colour is the weakest of them and a dot marks
    cells where some are stronger; the tooltip and the table list the data types by evidence."""
    matrix = query("flow_matrix", f)
    if matrix.empty:
        return False
    cargs = (title,) if title else ()
    caption += (
        " A cell can stand for several findings: its colour is the weakest evidence among them, a dot marks cells"
        " where some claims are stronger, and the tooltip and the Table tab list each data type under its own"
        " evidence."
    )
    apps, companies = int(matrix["apps_in_view"].iat[0]), int(matrix["companies_in_view"].iat[0])
    if apps > queries.MATRIX_MAX_APPS or companies > queries.MATRIX_MAX_COMPANIES:
        caption += (
            f" Drawn and listed here: the {min(apps, queries.MATRIX_MAX_APPS)} apps and"
            f" {min(companies, queries.MATRIX_MAX_COMPANIES)} recipient companies with the most findings, of"
            f" {apps} apps and {companies} companies that match the filters; the Data flows table lists every flow."
        )
    chart_with_table(
        ChartRef("flow_matrix", "flow_matrix", (f,), cargs), matrix, caption, _without(MATRIX_COLUMNS, drop), f
    )
    return True


def timeline_section(f: Filters, title: str | None = None, drop: tuple[str, ...] = ()) -> None:
    """The timeline of actions (announced -> lifted) with its table, saying next to it how many
    actions of the view it cannot draw (no date, or over the cap) and which ends are unknown."""
    day = as_of()
    tl = query("timeline", f, day)
    total = query("action_count", f)
    cargs = (title,) if title else ()
    notes = [
        "Each bar runs from when an action was announced or took effect to when it was lifted or ended; "
        "actions still in force, ongoing or pending run to the as-of date."
    ]
    no_end = int((~tl["end_known"]).sum()) if not tl.empty else 0
    if no_end:
        notes.append(
            f"{no_end} lifted or ended {_plural(no_end, 'action')} with no known end date: a diamond at the start."
        )
    undated = query("undated", f)["actions"] if not f.has_dates() else 0
    if undated:
        one = undated == 1
        notes.append(
            f"{undated} {_plural(undated, 'action')} {'has' if one else 'have'} no date and "
            f"{'is' if one else 'are'} not on the timeline; the table below lists {'it' if one else 'them'}."
        )
    capped = total - undated - len(tl)
    if capped > 0:
        notes.append(f"Only the {len(tl)} most recent dated actions are drawn; {capped} older ones are in the table.")
    if tl.empty:
        st.caption(" ".join(notes[1:]) or "No dated action to draw.")
        return
    chart_with_table(
        ChartRef("timeline", "timeline", (f, day), cargs), tl, " ".join(notes), _without(TIMELINE_COLUMNS, drop), f
    )


def _plural(n: int, word: str) -> str:
    return word if n == 1 else word + "s"

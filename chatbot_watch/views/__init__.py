"""Views: what each page of the site says, declared once, in one module per page (its `PAGE` and
its `build`), and drawn three ways: by the Streamlit page (`pages/`, through `ui`), as plain HTML
(`firstpaint`, the server-rendered page and the static edition) and as JSON (the API's
`/api/v1/views/<page>.json`). `view` reads a page URL's parameters exactly as the app does
(`filters.parse_query` with the data's options, then the page's PAGE_FILTERS) and builds its View."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from types import ModuleType

from chatbot_watch import i18n, queries
from chatbot_watch.datamodel import vocabularies
from chatbot_watch.filters import PAGE_FILTERS, Filters, parse_query, url_text
from chatbot_watch.i18n import N_, _
from chatbot_watch.views import about, apps, companies, countries, flows, overview, record, restrictions, search
from chatbot_watch.views.base import SITE_NAME, Chart, Ctx, Figure, Page, Table, View, canonical, record_href, text
from chatbot_watch.views.wording import date_line

__all__ = [
    "Chart",
    "MODULES",
    "PAGES",
    "PAGE_BY_KEY",
    "SITE_NAME",
    "Ctx",
    "Figure",
    "Page",
    "Table",
    "View",
    "applied_text",
    "for_filters",
    "own_params",
    "read_lang",
    "record_href",
    "text",
    "view",
]

# In the navigation's order.
MODULES: tuple[ModuleType, ...] = (overview, flows, restrictions, countries, apps, companies, about, search, record)
PAGES: dict[str, Page] = {m.PAGE.path: m.PAGE for m in MODULES}  # URL path -> page
PAGE_BY_KEY: dict[str, Page] = {m.PAGE.key: m.PAGE for m in MODULES}
_BUILDERS: dict[str, Callable[[Ctx, View], View]] = {m.PAGE.key: m.build for m in MODULES}
_MODULE_BY_KEY: dict[str, ModuleType] = {m.PAGE.key: m for m in MODULES}
FILTER_WORDS = {
    "country": N_("country"),
    "company": N_("company"),
    "data_type": N_("data type"),
    "app": N_("app"),
    "evidence": N_("evidence"),
    "action_type": N_("action type"),
    "since": N_("since"),
    "until": N_("until"),
    "country_role": N_("country means"),
    "app_country": N_("app's developer based in"),
    "not_app_country": N_("app's developer not based in"),
}
# Table columns holding a vocabulary's label (translated with the catalogs), and those holding a
# country's name beside its code (named from CLDR in the reader's language).
LABEL_COLUMNS = (
    "evidence_label",
    "weakest_label",
    "status_label",
    "action_type_label",
    "scope_label",
    "category_label",
    "data_type_label",
    "level_label",
)
# Columns of one table holding labels (the latest events' kind and status or evidence; what is in
# force in a country); elsewhere a `kind` is an id that links are made from.
TABLE_LABEL_COLUMNS = {"recent": ("kind", "status"), "map": ("category",), "jurisdictions": ("category",)}
COUNTRY_COLUMNS = {"country_name": "country_code"}
# Columns naming an app or a company beside its id: shown by the name the reader's language
# writes (local_names: 딥시크, 바이트댄스) where the data records one.
NAME_COLUMNS = {"app_name": ("app", "app_id"), "company_name": ("company", "company_id"), "name": ("app", "app_id")}


def option_label(name: str, value: str, options: Mapping[str, Mapping[str, str]]) -> str:
    """A filter value as the reader's language names it (a country from CLDR, a vocabulary's label
    from the catalogs; apps and companies by their names)."""
    label = str(options.get(name, {}).get(value, value))
    if name in ("country", "app_country", "not_app_country"):
        return i18n.country_name(value, label)
    if name in ("evidence", "action_type", "data_type", "country_role"):
        return _(label)
    return label


def applied_text(f: Filters, options: Mapping[str, Mapping[str, str]]) -> str:
    """The filters a view applies, in words ("country: Italy; app: DeepSeek"), in the reader's language."""
    parts = []
    for name in f.active():
        value = getattr(f, name)
        values = value if isinstance(value, tuple) else (value.isoformat() if hasattr(value, "isoformat") else value,)
        shown = _(", ").join(option_label(name, str(v), options) for v in values)
        parts.append(f"{_(FILTER_WORDS[name]) if name in FILTER_WORDS else name}: {shown}")
    return "; ".join(parts)


# Columns holding several labels in a text ("Chat content and prompts, Device identifiers";
# "Confirmed by a regulator: Traffic (content not stated); Alleged: …"): each label is translated.
TEXT_LABEL_COLUMNS = ("data_types", "evidence_by_status")


def _labels_pattern(options: Mapping[str, Mapping[str, str]]) -> re.Pattern[str] | None:
    """The data types' and evidence statuses' labels, longest first (one may contain another)."""
    labels = {*options.get("data_type", {}).values(), *(lab for lab, _doc in vocabularies.EVIDENCE_STATUS.values())}
    labels = {str(lab) for lab in labels if lab}
    if not labels:
        return None
    return re.compile("|".join(re.escape(lab) for lab in sorted(labels, key=len, reverse=True)))


def _translated(t: Table, options: Mapping[str, Mapping[str, str]], local: Mapping[tuple[str, str], str]) -> None:
    """A table in the reader's language: its headings, its vocabulary labels, country names and the
    apps' and companies' local names (a copy of the shared frame is changed, never the cached one)."""
    t.columns = i18n.translate_values(t.columns)
    labels = [c for c in (*LABEL_COLUMNS, *TABLE_LABEL_COLUMNS.get(t.name, ())) if c in t.frame.columns]
    texts = [c for c in TEXT_LABEL_COLUMNS if c in t.frame.columns]
    countries = [c for c, code in COUNTRY_COLUMNS.items() if c in t.frame.columns and code in t.frame.columns]
    named = [c for c, (_kind, key) in NAME_COLUMNS.items() if c in t.frame.columns and key in t.frame.columns]
    if not labels and not countries and not texts and not named:
        return
    frame = t.frame.copy()
    for c in named:
        kind, key = NAME_COLUMNS[c]
        frame[c] = [
            local.get((kind, k), v) if isinstance(k, str) and isinstance(v, str) and v else v
            for k, v in zip(frame[key], frame[c], strict=True)
        ]
    for c in labels:
        frame[c] = [_(v) if isinstance(v, str) else v for v in frame[c]]
    pattern = _labels_pattern(options) if texts else None
    for c in texts if pattern else ():
        frame[c] = [pattern.sub(lambda m: _(m.group(0)), v) if isinstance(v, str) else v for v in frame[c]]
    for c in countries:
        code = COUNTRY_COLUMNS[c]
        frame[c] = [
            i18n.country_name(k, v) if isinstance(k, str) and isinstance(v, str) else v
            for k, v in zip(frame[code], frame[c], strict=True)
        ]
    frame.attrs = dict(t.frame.attrs)
    t.frame = frame


def own_params(key: str, params: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """The page's own parameters (`Page.params`: the search text, a record id) as the page reads
    them from the URL's `params` (name -> all values): its module's `typed`, so the app, the HTML
    page and the API read them alike."""
    module = _MODULE_BY_KEY[key]
    return {name: module.typed({name: list(params.get(name, ()))}) for name in module.PAGE.params}


def for_filters(
    con: queries.Con,
    meta: Mapping[str, str],
    options: Mapping[str, Mapping[str, str]],
    key: str,
    f: Filters,
    params: Mapping[str, list[str]] | None = None,
    site: str = SITE_NAME,
    notices: list[str] | None = None,
    lang: str | None = None,
) -> View:
    """The view of page `key` for filters already read (`f`, narrowed here to the page's own) and the
    page's own parameters (`params`: `id`, `q`), in language `lang` (default: the current one)."""
    with i18n.using(lang or i18n.current()):
        page = PAGE_BY_KEY[key]
        f = f.only(PAGE_FILTERS[key])
        applied = applied_text(f, options)
        title = _(page.title)
        base = View(
            page=key,
            title=f"{title}: {applied} - {site}" if applied else f"{title} - {site}",
            heading=title,
            question=_(page.question),
            description="",
            canonical=canonical(page.path, f),
            as_of=meta.get("as_of", ""),
            date_line=date_line(meta, f.country),
            version=meta.get("data_version", ""),
            filters=f,
            applied=applied,
            notices=list(notices or []),
            site=site,
            lang=i18n.current(),
        )
        v = _BUILDERS[key](Ctx(con, meta, options, params or {}), base)
        if v.lang != i18n.DEFAULT:
            local = queries.local_names(con, v.lang)
            for t in [*v.tables, *(ch.table for ch in v.charts)]:
                _translated(t, options, local)
        return v


def view(
    con: queries.Con,
    meta: Mapping[str, str],
    options: Mapping[str, Mapping[str, str]],
    path: str,
    params: Mapping,
    aliases: Mapping[str, Mapping[str, str]] | None = None,
    site: str = SITE_NAME,
) -> View:
    """The view of the page at `path` for query parameters `params` (name -> all values), as the app
    shows it: values matched by id, name or alias (`aliases`, queries.filter_aliases) as the sidebar
    does, with a notice for each value read otherwise or dropped."""
    key = PAGES[path].key
    lang, notices = read_lang(params)
    with i18n.using(lang):  # the notices in the page's language
        result = parse_query(params, options, aliases)
    return for_filters(con, meta, options, key, result.filters, params, site, notices + result.notices, lang)


def read_lang(params: Mapping) -> tuple[str, list[str]]:
    """The language a URL's `lang` asks for (English without it), and a notice when it names none
    of the site's languages."""
    raw = (list(params.get("lang", ())) or [""])[0]
    lang = i18n.parse_lang(raw)
    if raw and lang is None:
        offered = ", ".join(f"{k} ({name})" for k, name in i18n.LANGUAGES.items())
        return i18n.DEFAULT, [
            f"The language '{url_text(raw)[:20]}' is not offered; the page is in English. Offered: {offered}."
        ]
    return lang or i18n.DEFAULT, []

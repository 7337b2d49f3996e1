"""Views: what each page of the site says, declared once, in one module per page (its `PAGE` and
its `build`), and drawn three ways: by the Streamlit page (`pages/`, through `ui`), as plain HTML
(`firstpaint`, the server-rendered page and the static edition) and as JSON (the API's
`/api/v1/views/<page>.json`). `view` reads a page URL's parameters exactly as the app does
(`filters.parse_query` with the data's options, then the page's PAGE_FILTERS) and builds its View."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from types import ModuleType

from chatbot_watch import queries
from chatbot_watch.filters import PAGE_FILTERS, Filters, parse_query
from chatbot_watch.views import about, apps, companies, countries, flows, overview, record, restrictions, search
from chatbot_watch.views.base import SITE_NAME, Ctx, Figure, Page, Table, View, canonical, record_href, text
from chatbot_watch.wording import date_line

__all__ = [
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
FILTER_WORDS = {"data_type": "data type", "action_type": "action type", "country_role": "country means"}


def applied_text(f: Filters, options: Mapping[str, Mapping[str, str]]) -> str:
    """The filters a view applies, in words ("country: Italy; app: DeepSeek")."""
    parts = []
    for name in f.active():
        value = getattr(f, name)
        values = value if isinstance(value, tuple) else (value.isoformat() if hasattr(value, "isoformat") else value,)
        shown = ", ".join(str(options.get(name, {}).get(v, v)) for v in values)
        parts.append(f"{FILTER_WORDS.get(name, name)}: {shown}")
    return "; ".join(parts)


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
) -> View:
    """The view of page `key` for filters already read (`f`, narrowed here to the page's own) and the
    page's own parameters (`params`: `id`, `q`)."""
    page = PAGE_BY_KEY[key]
    f = f.only(PAGE_FILTERS[key])
    applied = applied_text(f, options)
    base = View(
        page=key,
        title=f"{page.title}: {applied} - {site}" if applied else f"{page.title} - {site}",
        heading=page.title,
        question=page.question,
        description="",
        canonical=canonical(page.path, f),
        as_of=meta.get("as_of", ""),
        date_line=date_line(meta, f.country),
        version=meta.get("data_version", ""),
        filters=f,
        applied=applied,
        notices=list(notices or []),
        site=site,
    )
    return _BUILDERS[key](Ctx(con, meta, options, params or {}), base)


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
    result = parse_query(params, options, aliases)
    return for_filters(con, meta, options, key, result.filters, params, site, result.notices)

"""Search (`/search?q=korea`): apps, companies, countries and records by name, alias or id, each
linking to its page."""

from __future__ import annotations

from urllib.parse import urlencode

from chatbot_watch import queries
from chatbot_watch.filters import url_text
from chatbot_watch.views import columns
from chatbot_watch.views.base import Ctx, Page, Table, View, n, record_href

PAGE = Page(
    "search",
    "/search",
    "Search",
    ":material/search:",
    "Find an app, a company, a country or a record by name, alias or id.",
    params=("q",),
)
MAX_QUERY = 80
LINKS = {
    "app": lambda i: "/apps?" + urlencode({"app": i}),
    "company": lambda i: "/companies?" + urlencode({"company": i}),
    "country": lambda i: "/countries?" + urlencode({"country": i}),
    "finding": record_href,
    "action": record_href,
}
WHAT = {"app": "App", "company": "Company", "country": "Country", "finding": "Finding", "action": "Action"}


def typed(params: dict | object) -> str:
    """The search text of the URL's `q`, spaces folded, at most MAX_QUERY characters."""
    raw = (list(params.get("q", ())) or [""])[0]  # type: ignore[union-attr]
    return " ".join(url_text(raw).split())[:MAX_QUERY]


def build(c: Ctx, v: View) -> View:
    q = typed(c.params)
    v.description = f"Search {v.site}'s apps, companies, countries and records by name, alias or id."
    if not q:
        return v
    v.canonical = "/search?" + urlencode({"q": q})
    v.title = f"Search: {q} - {v.site}"
    found = queries.search(c.con, q)
    found = found.assign(what=[WHAT.get(k, k.capitalize()) for k in found["kind"]])
    more = f" (the first {queries.SEARCH_MAX})" if len(found) >= queries.SEARCH_MAX else ""
    v.tables = [
        Table(
            "results",
            f"{n(len(found), 'result')} for “{q}”{more}",
            found,
            columns.SEARCH,
            links={"label": lambda r: LINKS[r["kind"]](r["id"])},
        )
    ]
    return v

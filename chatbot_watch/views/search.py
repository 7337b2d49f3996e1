"""Search (`/search?q=korea`): apps, companies, countries and records by name, alias, id, authority,
publisher or the words of their quotes (textsearch.py), each linking to its page."""

from __future__ import annotations

from urllib.parse import urlencode

import pandas as pd

from chatbot_watch import textsearch
from chatbot_watch.filters import url_text
from chatbot_watch.views import columns
from chatbot_watch.views.base import Ctx, Page, Table, View, n, record_href

PAGE = Page(
    "search",
    "/search",
    "Search",
    ":material/search:",
    "Find an app, a company, a country or a record by name, alias or id, or records by authority, publisher "
    "or the words of their quotes.",
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


NOUNS = {"country": ("country", "countries"), "app": ("app", None), "company": ("company", "companies"),
         "finding": ("finding", None), "action": ("government action", None)}  # fmt: skip


def caption(found: pd.DataFrame, q: str) -> str:
    """ "83 results for “deepseek”: 1 app, 1 company, 30 findings, 150 government actions (the
    first 50 government actions listed)": how many matched of each kind, and what is left out."""
    totals = found.drop_duplicates("kind").set_index("kind")["kind_total"].to_dict()
    kinds = [k for k in textsearch.KIND_ORDER if k in totals]
    total = sum(int(totals[k]) for k in kinds)
    out = f"{n(total, 'result')} for “{q}”"
    if kinds:
        out += ": " + ", ".join(n(int(totals[k]), *NOUNS[k]) for k in kinds)
    cut = [k for k in kinds if totals[k] > textsearch.PER_KIND]
    if cut:
        out += f" (the first {textsearch.PER_KIND} " + " and ".join(n(2, *NOUNS[k]).split(" ", 1)[1] for k in cut)
        out += " listed)"
    return out


def build(c: Ctx, v: View) -> View:
    q = typed(c.params)
    v.description = (
        f"Search {v.site}'s apps, companies, countries and records by name, alias, id, authority, publisher or quote."
    )
    if not q:
        return v
    v.canonical = "/search?" + urlencode({"q": q})
    v.title = f"Search: {q} - {v.site}"
    found = textsearch.search(c.con, q)
    found = found.assign(what=[WHAT.get(k, k.capitalize()) for k in found["kind"]])
    v.tables = [
        Table(
            "results",
            caption(found, q),
            found,
            columns.SEARCH,
            links={"label": lambda r: LINKS[r["kind"]](r["id"])},
        )
    ]
    return v

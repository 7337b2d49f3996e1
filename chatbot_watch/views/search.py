"""Search (`/search?q=korea`): apps, companies, countries and records by name, alias, id, authority,
publisher or the words of their quotes (textsearch.py), each linking to its page."""

from __future__ import annotations

import pandas as pd

from chatbot_watch.filters import url_text
from chatbot_watch.i18n import N_, _
from chatbot_watch.queries import textsearch
from chatbot_watch.views import columns
from chatbot_watch.views.base import Ctx, Page, Table, View, n, page_href, record_href

PAGE = Page(
    "search",
    "/search",
    N_("Search"),
    ":material/search:",
    N_(
        "Find an app, a company, a country or a record by name, alias or id, or records by authority, publisher "
        "or the words of their quotes."
    ),
    params=("q",),
)
MAX_QUERY = 80
LINKS = {
    "app": lambda i: page_href("/apps", app=i),
    "company": lambda i: page_href("/companies", company=i),
    "country": lambda i: page_href("/countries", country=i),
    "finding": record_href,
    "action": record_href,
}
WHAT = {
    "app": N_("App"),
    "company": N_("Company"),
    "country": N_("Country"),
    "finding": N_("Finding"),
    "action": N_("Action"),
}


def typed(params: dict | object) -> str:
    """The search text of the URL's `q`, spaces folded, at most MAX_QUERY characters."""
    raw = (list(params.get("q", ())) or [""])[0]  # type: ignore[union-attr]
    return " ".join(url_text(raw).split())[:MAX_QUERY]


NOUNS = {"country": (N_("{n} country"), N_("{n} countries")), "app": (N_("{n} app"), N_("{n} apps")),
         "company": (N_("{n} company"), N_("{n} companies")), "finding": (N_("{n} finding"), N_("{n} findings")),
         "action": (N_("{n} government action"), N_("{n} government actions"))}  # fmt: skip
# The kinds' plural nouns alone ("the first 50 findings and government actions listed").
PLURALS = {"country": N_("countries"), "app": N_("apps"), "company": N_("companies"), "finding": N_("findings"),
           "action": N_("government actions")}  # fmt: skip


def caption(found: pd.DataFrame, q: str) -> str:
    """ "83 results for “deepseek”: 1 app, 1 company, 30 findings, 150 government actions (the
    first 50 government actions listed)": how many matched of each kind, and what is left out."""
    totals = found.drop_duplicates("kind").set_index("kind")["kind_total"].to_dict()
    kinds = [k for k in textsearch.KIND_ORDER if k in totals]
    total = sum(int(totals[k]) for k in kinds)
    out = _("{results} for “{q}”").format(results=n(total, "{n} result", "{n} results"), q=q)
    if kinds:
        out += ": " + _(", ").join(n(int(totals[k]), *NOUNS[k]) for k in kinds)
    cut = [k for k in kinds if totals[k] > textsearch.PER_KIND]
    if cut:
        out += " " + _("(the first {n} {kinds} listed)").format(
            n=textsearch.PER_KIND, kinds=_(" and ").join(_(PLURALS[k]) for k in cut)
        )
    return out


def build(c: Ctx, v: View) -> View:
    q = typed(c.params)
    v.description = _(
        "Search {site}'s apps, companies, countries and records by name, alias, id, authority, publisher or quote."
    ).format(site=v.site)
    if not q:
        return v
    v.canonical = page_href("/search", q=q)
    v.title = _("Search: {q} - {site}").format(q=q, site=v.site)
    found = textsearch.search(c.con, q)
    found = found.assign(what=[_(WHAT[k]) if k in WHAT else k.capitalize() for k in found["kind"]])
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

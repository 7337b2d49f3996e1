"""Companies (`/companies`): the companies named as receiving chatbot users' data, who owns them, and
which apps send them what."""

from __future__ import annotations

from chatbot_watch import queries
from chatbot_watch.views import columns
from chatbot_watch.views.base import Ctx, Figure, Page, Table, View, n, names, record_href

PAGE = Page(
    "companies",
    "/companies",
    "Companies",
    ":material/domain:",
    "Which companies receive chatbot users' data, who owns them, and which apps send them what?",
)
NOTE = (
    "A company's row carries the strongest evidence that it receives chatbot users' data; each data type is "
    "listed under the evidence of the findings that name it, so no data type reads stronger than its own "
    "records. Each company's findings, with their sources, are on the Data flows page."
)


def build(c: Ctx, v: View) -> View:
    rows = queries.companies(c.con, v.filters)
    v.figures = [Figure("Recipient companies", str(len(rows)))]
    v.description = (
        f"{n(len(rows), 'company', 'companies')} named as receiving chatbot users' data"
        + (f", {names(list(rows['company_name']), most=3)} among them" if len(rows) else "")
        + f", as of {v.as_of}."
    )
    v.tables = [
        Table(
            "companies",
            "Recipient companies",
            rows,
            columns.COMPANIES,
            brief=columns.COMPANIES_BRIEF,
            links={"company_name": lambda r: record_href(r["company_id"], "company")},
            record=("company", "company_id"),
            note=NOTE,
        )
    ]
    return v

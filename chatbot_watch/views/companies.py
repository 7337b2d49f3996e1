"""Companies (`/companies`): the companies named as receiving chatbot users' data, who owns them, and
which apps send them what."""

from __future__ import annotations

from chatbot_watch import queries
from chatbot_watch.i18n import N_, _
from chatbot_watch.queries import developers
from chatbot_watch.views import columns
from chatbot_watch.views.base import Ctx, Figure, Page, Table, View, n, names, record_href
from chatbot_watch.views.chronology import chronology_table

PAGE = Page(
    "companies",
    "/companies",
    N_("Companies"),
    ":material/domain:",
    N_("Which companies receive chatbot users' data, who owns them, and which apps send them what?"),
)
NOTE = N_(
    "A company's row carries the strongest evidence that it receives chatbot users' data; each data type is "
    "listed under the evidence of the findings that name it, so no data type reads stronger than its own "
    "records. Each company's findings, with their sources, are on the Data flows page."
)


def build(c: Ctx, v: View) -> View:
    rows = queries.companies(c.con, v.filters)
    rows["app_countries_names"] = [developers.country_names(codes) for codes in rows["app_countries"]]
    left = developers.left_out_sentence(developers.unknown_left_out(c.con, v.filters))
    v.sentences = [left] if left else []
    v.figures = [Figure(_("Recipient companies"), str(len(rows)))]
    companies = n(len(rows), "{n} company", "{n} companies")
    v.description = (
        _("{companies} named as receiving chatbot users' data, {names} among them, as of {as_of}.")
        if len(rows)
        else _("{companies} named as receiving chatbot users' data, as of {as_of}.")
    ).format(companies=companies, names=names(list(rows["company_name"]), most=3), as_of=v.as_of)
    v.tables = [
        Table(
            "companies",
            _("Recipient companies"),
            rows,
            columns.COMPANIES,
            brief=columns.COMPANIES_BRIEF,
            links={"company_name": lambda r: record_href(r["company_id"], "company")},
            record=("company", "company_id"),
            note=_(NOTE),
        )
    ]
    if v.filters.company:  # the events concerning the chosen companies (and their subsidiaries)
        v.tables.append(chronology_table(c.con, v.filters))
    return v

"""Countries (`/countries?country=KR`): one jurisdiction's profile (its restrictions, its regulators'
findings, the data flows to it); several countries side by side, each in its own part; without a
country, the jurisdictions with recorded actions."""

from __future__ import annotations

from dataclasses import replace

from chatbot_watch import i18n, queries
from chatbot_watch.datamodel.countries import all_countries, in_text, possessive
from chatbot_watch.filters import ACTION_FILTERS
from chatbot_watch.i18n import N_, _
from chatbot_watch.queries import chartdata
from chatbot_watch.views import chartparts, columns
from chatbot_watch.views.base import Ctx, Figure, Page, Table, View, canonical, n, names, page_href, record_table
from chatbot_watch.views.chronology import chronology_table
from chatbot_watch.views.flows import flows_table
from chatbot_watch.views.restrictions import IN_FORCE_HELP, in_force, restrictions_table

PAGE = Page(
    "countries",
    "/countries",
    N_("Countries"),
    ":material/flag:",
    N_("Pick a country to see what is restricted there, what its regulators found, and where data goes."),
)
RECORD_HINT = N_(
    "Click a record id for every field, each source with its full quote, and the form to report a correction."
)


def _profile(c: Ctx, v: View, code: str, group: str) -> None:
    """One country's figures and tables, in `group` ("" when it is the only country)."""
    here = replace(v.filters, country=(code,))
    rows = queries.restrictions(c.con, here)
    v.figures += [
        Figure(_("Actions recorded"), str(rows["action_id"].nunique()), group=group),
        Figure(_("In force"), str(in_force(rows)), _(IN_FORCE_HELP), group=group),
    ]
    hint = _(RECORD_HINT)
    v.tables.append(restrictions_table(rows, _("Restrictions"), drop=("country_name",), note=hint, group=group))
    found = queries.regulator_findings(c.con, code, here)
    v.tables.append(
        record_table(
            "authority_findings",
            _("What {country_s} regulators and agencies found").format(country_s=_possessive(code)),
            found,
            columns.AUTHORITY_FINDINGS,
            columns.AUTHORITY_FINDINGS_BRIEF,
            ("finding", "finding_id"),
            note=hint,
            group=group,
        )
    )
    flows = queries.flows(c.con, replace(here, country_role="recipient"))
    v.tables.append(
        flows_table(
            flows,
            _("Data flows to companies based in, or data sent to, {country}").format(country=_in_text(code)),
            drop=("platform", "recipient_described", "audit_date"),
            note=hint,
            group=group,
        )
    )
    v.tables.append(chronology_table(c.con, here, drop=("place",) if len(v.filters.country) == 1 else (), group=group))


def build(c: Ctx, v: View) -> View:
    known = all_countries()
    if not v.filters.country:
        counts = chartdata.map_counts(c.con, v.filters.only(ACTION_FILTERS))
        v.description = _("{jurisdictions} with recorded government actions on chatbot apps, as of {as_of}.").format(
            jurisdictions=n(len(counts), "{n} jurisdiction", "{n} jurisdictions"), as_of=v.as_of
        )
        v.tables = [
            Table(
                "jurisdictions",
                _("Jurisdictions with recorded actions"),
                counts,
                columns.MAP,
                brief=columns.MAP_BRIEF,
                links={"country_name": lambda r: page_href("/countries", country=r["country_code"])},
            )
        ]
        return v
    codes = v.filters.country
    shown = [i18n.country_name(code, known.get(code, code)) for code in codes]
    v.heading = _(", ").join(shown)
    if len(codes) == 1:
        v.title = _("{country}: restrictions of chatbot apps - {site}").format(country=shown[0], site=v.site)
        v.question = _("What is restricted in {country}, by whom and since when; what its regulators found.").format(
            country=_in_text(codes[0])
        )
        _profile(c, v, codes[0], "")
    else:
        v.title = _("{country}: restrictions of chatbot apps - {site}").format(country=v.heading, site=v.site)
        v.question = _("Each country's restrictions, its regulators' findings and the data flows to it.")
        v.groups = list(zip(codes, shown, strict=True))
        for code in codes:
            _profile(c, v, code, code)
        v.charts = [chartparts.by_country(c.con, v.filters)]  # the countries side by side
    v.canonical = canonical("/countries", v.filters)
    # Each part's figures, in the order _profile adds them: actions recorded, in force.
    counts = {g: [f.value for f in v.figures_of(g)] for g, _name in (v.groups or [("", shown[0])])}
    parts = [
        (
            name,
            _("{actions}, {in_force} in force").format(
                actions=n(int(counts[g][0]), "{n} government action", "{n} government actions"), in_force=counts[g][1]
            ),
        )
        for g, name in (v.groups or [("", shown[0])])
    ]
    if len(codes) == 1:
        apps = names(list(v.tables[0].frame["app_name"].dropna()))
        v.description = (
            _("{summary}, concerning {apps}, as of {as_of}.") if apps else _("{summary}, as of {as_of}.")
        ).format(summary=parts[0][1], apps=apps, as_of=v.as_of)
    else:
        summary = "; ".join(_("{country}: {summary}").format(country=name, summary=s) for name, s in parts)
        v.description = _("{summary}, as of {as_of}.").format(summary=summary, as_of=v.as_of)
    return v


def _in_text(code: str) -> str:
    """The country as a sentence names it ("the United States"; in other languages CLDR's name)."""
    return in_text(code) if i18n.current() == i18n.DEFAULT else i18n.country_name(code, in_text(code))


def _possessive(code: str) -> str:
    """ "South Korea's", in English; the country's name elsewhere (the message carries the grammar)."""
    return possessive(code) if i18n.current() == i18n.DEFAULT else i18n.country_name(code, possessive(code))

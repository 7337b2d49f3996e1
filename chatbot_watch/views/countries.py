"""Countries (`/countries?country=KR`): one jurisdiction's profile (its restrictions, its regulators'
findings, the data flows to it); several countries side by side, each in its own part; without a
country, the jurisdictions with recorded actions."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode

from chatbot_watch import queries
from chatbot_watch.countries import all_countries, in_text, possessive
from chatbot_watch.filters import ACTION_FILTERS
from chatbot_watch.views import columns
from chatbot_watch.views.base import Ctx, Figure, Page, Table, View, canonical, n, names, record_table
from chatbot_watch.views.flows import flows_table
from chatbot_watch.views.restrictions import IN_FORCE_HELP, in_force, restrictions_table

PAGE = Page(
    "countries",
    "/countries",
    "Countries",
    ":material/flag:",
    "Pick a country to see what is restricted there, what its regulators found, and where data goes.",
)
RECORD_HINT = "Click a record id for every field, each source with its full quote, and the form to report a correction."


def _profile(c: Ctx, v: View, code: str, group: str) -> None:
    """One country's figures and tables, in `group` ("" when it is the only country)."""
    here = replace(v.filters, country=(code,))
    rows = queries.restrictions(c.con, here)
    v.figures += [
        Figure("Actions recorded", str(rows["action_id"].nunique()), group=group),
        Figure("In force", str(in_force(rows)), IN_FORCE_HELP, group=group),
    ]
    v.tables.append(restrictions_table(rows, "Restrictions", drop=("country_name",), note=RECORD_HINT, group=group))
    found = queries.regulator_findings(c.con, code, here)
    v.tables.append(
        record_table(
            "authority_findings",
            f"What {possessive(code)} regulators and agencies found",
            found,
            columns.AUTHORITY_FINDINGS,
            columns.AUTHORITY_FINDINGS_BRIEF,
            ("finding", "finding_id"),
            note=RECORD_HINT,
            group=group,
        )
    )
    flows = queries.flows(c.con, replace(here, country_role="recipient"))
    v.tables.append(
        flows_table(
            flows,
            f"Data flows to companies based in, or data sent to, {in_text(code)}",
            drop=("platform", "recipient_described", "audit_date"),
            note=RECORD_HINT,
            group=group,
        )
    )


def build(c: Ctx, v: View) -> View:
    known = all_countries()
    if not v.filters.country:
        counts = queries.map_counts(c.con, v.filters.only(ACTION_FILTERS))
        v.description = (
            f"{n(len(counts), 'jurisdiction')} with recorded government actions on chatbot apps, as of {v.as_of}."
        )
        v.tables = [
            Table(
                "jurisdictions",
                "Jurisdictions with recorded actions",
                counts,
                columns.MAP,
                brief=columns.MAP_BRIEF,
                links={"country_name": lambda r: "/countries?" + urlencode({"country": r["country_code"]})},
            )
        ]
        return v
    codes = v.filters.country
    shown = [known.get(code, code) for code in codes]
    v.heading = ", ".join(shown)
    if len(codes) == 1:
        v.title = f"{shown[0]}: restrictions of chatbot apps - {v.site}"
        v.question = f"What is restricted in {in_text(codes[0])}, by whom and since when; what its regulators found."
        _profile(c, v, codes[0], "")
    else:
        v.title = f"{v.heading}: restrictions of chatbot apps - {v.site}"
        v.question = "Each country's restrictions, its regulators' findings and the data flows to it."
        v.groups = list(zip(codes, shown, strict=True))
        for code in codes:
            _profile(c, v, code, code)
    v.canonical = canonical("/countries", v.filters)
    figures = {(f.group, f.label): f.value for f in v.figures}
    v.description = "; ".join(
        f"{name}: {n(int(figures[(g, 'Actions recorded')]), 'government action')}, {figures[(g, 'In force')]} in force"
        for g, name in (v.groups or [("", shown[0])])
    )
    if len(codes) == 1:
        apps = names(list(v.tables[0].frame["app_name"].dropna()))
        v.description = v.description.removeprefix(f"{shown[0]}: ") + (f", concerning {apps}" if apps else "")
    v.description += f", as of {v.as_of}."
    return v

"""Apps (`/apps?app=deepseek`): one app's report card (its developer, who receives its users' data,
what data and how sure, where it is restricted); without an app, the list of apps."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from chatbot_watch import i18n, queries
from chatbot_watch.i18n import N_, _
from chatbot_watch.views import chartparts, columns
from chatbot_watch.views.base import Ctx, Figure, Page, Table, View, canonical, n, names, page_href, text
from chatbot_watch.views.chronology import chronology_table
from chatbot_watch.views.flows import flows_table
from chatbot_watch.views.restrictions import IN_FORCE_HELP, in_force, restrictions_table

PAGE = Page(
    "apps",
    "/apps",
    N_("Apps"),
    ":material/chat:",
    N_("Pick an app for its report card: who receives its users' data, and where it is restricted."),
)
QUESTION = N_("Report card: who receives its users' data, what data, how sure, and where it is restricted.")
RECORD_HINT = N_(
    "Click a record id for every field, each source with its full quote, and the form to report a correction."
)


def facts(info: dict, local: dict | None = None) -> pd.DataFrame:
    """The app's facts as rows of (fact, value); "not recorded" where the data has none. In another
    language than English, the developer by its local name and its country by CLDR's name."""
    missing = _("not recorded")
    local = local or {}
    developer = local.get(("company", str(info.get("developer_id"))), text(info.get("developer_name")))
    country = text(info.get("developer_country"))
    if country and isinstance(info.get("developer_country_code"), str):
        country = i18n.country_name(info["developer_country_code"], country)
    values = {
        _("Developer"): developer or missing,
        _("Developer's ownership"): text(info.get("developer_chain")) or missing,
        _("Developer based in"): country or missing,
        _("Platforms examined"): text(info.get("platforms")) or missing,
        _("Also known as"): text(info.get("aliases")) or "—",
    }
    return pd.DataFrame({"fact": list(values), "value": list(values.values())})


def build(c: Ctx, v: View) -> View:
    if not v.filters.app:
        listed = queries.app_index(c.con, v.filters)
        v.description = _("Report cards of {apps}, as of {as_of}.").format(
            apps=n(len(listed), "{n} AI chatbot app", "{n} AI chatbot apps"), as_of=v.as_of
        )
        v.tables = [
            Table(
                "apps",
                _("Apps"),
                listed,
                columns.APPS,
                links={"name": lambda r: page_href("/apps", app=r["app_id"])},
                note=_(
                    "Findings count wherever the data goes (the country filter is not applied to them); "
                    "government actions follow every filter. Pick an app for its report card."
                ),
            )
        ]
        return v
    app_id = v.filters.app[0]
    info = queries.app_info(c.con, app_id) or {"name": app_id}
    here = replace(v.filters, app=(app_id,))
    v.heading = str(info["name"])
    local = queries.local_names(c.con, v.lang) if v.lang != i18n.DEFAULT else {}
    if ("app", app_id) in local and local[("app", app_id)] != v.heading:
        v.heading = f"{local[('app', app_id)]} ({info['name']})"  # 딥시크 (DeepSeek)
    v.title = _("{app}: who receives its users' data, where it is restricted - {site}").format(
        app=info["name"], site=v.site
    )
    v.question = _(QUESTION)
    v.canonical = canonical("/apps", here)
    # The country filter selects restrictions here; the app's data flows are shown wherever the data goes.
    flows = queries.flows(c.con, here.without("country", "country_role"))
    rows = queries.restrictions(c.con, here)
    findings = flows["finding_id"].nunique()
    recipients = flows["company_name"].dropna()
    actions = rows["action_id"].nunique()
    v.figures = [
        Figure(_("Findings"), str(findings)),
        Figure(_("Recipient companies"), str(recipients.nunique())),
        Figure(_("Government actions"), str(actions)),
        Figure(_("In force"), str(in_force(rows)), _(IN_FORCE_HELP)),
    ]
    named = names(list(recipients), most=3)
    parts = {
        "findings": n(findings, "{n} finding", "{n} findings"),
        "named": named,
        "actions": n(actions, "{n} government action", "{n} government actions"),
        "in_force": in_force(rows),
        "as_of": v.as_of,
    }
    v.description = (
        _("{findings} name {named} as receiving its users' data; {actions}, {in_force} in force, as of {as_of}.")
        if named
        else _("{findings}; {actions}, {in_force} in force, as of {as_of}.")
    ).format(**parts)
    hint = _(RECORD_HINT)
    v.tables = [
        Table("facts", _("About the app"), facts(info, local), columns.FACTS),
        flows_table(flows, _("Who receives its users' data"), drop=("app_name",), note=hint),
        restrictions_table(rows, _("Where it is restricted"), drop=("app_name", "effective"), note=hint),
        chronology_table(c.con, here),
    ]
    name = str(info["name"])
    v.charts = [
        chartparts.flow_matrix(
            c.con,
            here.without("country", "country_role"),
            _("Columns: companies named as receiving the app's data."),
            title=_("Companies named as receiving {app} data").format(app=name),
            drop=("app_name",),
        ),
        *([chartparts.by_country(c.con, here)] if rows["country_code"].nunique() > 1 else []),
        chartparts.timeline(
            c.con, here, v.as_of, title=_("Actions concerning {app} over time").format(app=name), drop=("apps",)
        ),
    ]
    return v

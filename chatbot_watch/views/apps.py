"""Apps (`/apps?app=deepseek`): one app's report card (its developer, who receives its users' data,
what data and how sure, where it is restricted); without an app, the list of apps."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode

import pandas as pd

from chatbot_watch import queries
from chatbot_watch.views import columns
from chatbot_watch.views.base import Ctx, Figure, Page, Table, View, canonical, n, names, text
from chatbot_watch.views.flows import flows_table
from chatbot_watch.views.restrictions import IN_FORCE_HELP, in_force, restrictions_table

PAGE = Page(
    "apps",
    "/apps",
    "Apps",
    ":material/chat:",
    "Pick an app for its report card: who receives its users' data, and where it is restricted.",
)
QUESTION = "Report card: who receives its users' data, what data, how sure, and where it is restricted."
RECORD_HINT = "Click a record id for every field, each source with its full quote, and the form to report a correction."


def facts(info: dict) -> pd.DataFrame:
    """The app's facts as rows of (fact, value); "not recorded" where the data has none."""
    values = {
        "Developer": text(info.get("developer_name")) or "not recorded",
        "Developer's ownership": text(info.get("developer_chain")) or "not recorded",
        "Developer based in": text(info.get("developer_country")) or "not recorded",
        "Platforms examined": text(info.get("platforms")) or "not recorded",
        "Also known as": text(info.get("aliases")) or "—",
    }
    return pd.DataFrame({"fact": list(values), "value": list(values.values())})


def build(c: Ctx, v: View) -> View:
    if not v.filters.app:
        listed = queries.app_index(c.con, v.filters)
        v.description = f"Report cards of {n(len(listed), 'AI chatbot app')}, as of {v.as_of}."
        v.tables = [
            Table(
                "apps",
                "Apps",
                listed,
                columns.APPS,
                links={"name": lambda r: "/apps?" + urlencode({"app": r["app_id"]})},
                note="Findings count wherever the data goes (the country filter is not applied to them); "
                "government actions follow every filter. Pick an app for its report card.",
            )
        ]
        return v
    app_id = v.filters.app[0]
    info = queries.app_info(c.con, app_id) or {"name": app_id}
    here = replace(v.filters, app=(app_id,))
    v.heading = str(info["name"])
    v.title = f"{info['name']}: who receives its users' data, where it is restricted - {v.site}"
    v.question = QUESTION
    v.canonical = canonical("/apps", here)
    # The country filter selects restrictions here; the app's data flows are shown wherever the data goes.
    flows = queries.flows(c.con, here.without("country", "country_role"))
    rows = queries.restrictions(c.con, here)
    findings = flows["finding_id"].nunique()
    recipients = flows["company_name"].dropna()
    actions = rows["action_id"].nunique()
    v.figures = [
        Figure("Findings", str(findings)),
        Figure("Recipient companies", str(recipients.nunique())),
        Figure("Government actions", str(actions)),
        Figure("In force", str(in_force(rows)), IN_FORCE_HELP),
    ]
    named = names(list(recipients), most=3)
    v.description = (
        f"{n(findings, 'finding')}"
        + (f" name {named} as receiving its users' data" if named else "")
        + f"; {n(actions, 'government action')}, {in_force(rows)} in force, as of {v.as_of}."
    )
    v.tables = [
        Table("facts", "About the app", facts(info), columns.FACTS),
        flows_table(flows, "Who receives its users' data", drop=("app_name",), note=RECORD_HINT),
        restrictions_table(rows, "Where it is restricted", drop=("app_name", "effective"), note=RECORD_HINT),
    ]
    return v

"""What the charts draw: the map's counts by country, the flow matrix, evidence and action-type
counts, the timeline and the by-country counts (national and sub-national apart), each with its cap."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from chatbot_watch.datamodel import vocabularies
from chatbot_watch.datamodel.countries import numeric_code
from chatbot_watch.filters import Filters
from chatbot_watch.queries import FLOW_WHERE, RESTRICTION_WHERE, Con, _df, _params, evidence_groups

MAP_CATEGORIES = {
    "national": "National restriction in force",
    "regional": "Restriction in force in a state or region only",
    "open": "Investigation or other action open, no restriction in force",
    "closed": "Lifted or ended actions only",
}


def map_counts(con: Con, f: Filters) -> pd.DataFrame:
    """One row per jurisdiction with recorded actions, for the map of restrictions.

    `category` says what the colour means (MAP_CATEGORIES): a restriction in force nationally,
    only in states or regions (never added into the country's national count), only open
    investigations or other non-restricting actions, or only lifted or ended actions. What restricts
    and what is in force come from the schema's classes (`restricts`, `status_class`)."""
    df = _df(
        con,
        f"""WITH r AS (SELECT * FROM app_restrictions WHERE {RESTRICTION_WHERE})
            SELECT country_code, any_value(country_name) AS country_name,
            count(DISTINCT action_id) AS actions,
            count(DISTINCT CASE WHEN status_class = 'in_force' THEN action_id END) AS in_force,
            count(DISTINCT CASE WHEN restricts AND status_class = 'in_force' AND subdivision IS NULL
                  THEN action_id END) AS national_in_force,
            count(DISTINCT CASE WHEN restricts AND status_class = 'in_force' AND subdivision IS NOT NULL
                  THEN action_id END) AS regional_in_force,
            count(DISTINCT CASE WHEN restricts AND status_class = 'in_force' AND subdivision IS NOT NULL
                  THEN subdivision END) AS regions_in_force,
            count(DISTINCT CASE WHEN status_class = 'open'
                  OR (status_class = 'in_force' AND NOT restricts) THEN action_id END) AS open_other,
            count(DISTINCT CASE WHEN status_class = 'closed' THEN action_id END) AS lifted_or_ended,
            string_agg(DISTINCT action_type_label, ', ' ORDER BY action_type_label) AS action_types,
            string_agg(DISTINCT app_name, ', ' ORDER BY app_name) AS apps
            FROM r GROUP BY country_code ORDER BY national_in_force DESC, regional_in_force DESC,
            actions DESC, country_name, country_code""",
        _params(f),
    )
    df["category"] = [
        MAP_CATEGORIES["national"]
        if n
        else MAP_CATEGORIES["regional"]
        if r
        else MAP_CATEGORIES["open"]
        if o
        else MAP_CATEGORIES["closed"]
        for n, r, o in zip(df["national_in_force"], df["regional_in_force"], df["open_other"], strict=True)
    ]
    df["id"] = [numeric_code(c) for c in df["country_code"]]
    return df


def flow_matrix(con: Con, f: Filters) -> pd.DataFrame:
    """App x recipient company for the flows heatmap: findings, data types, and the evidence of
    each claim in the cell (see `evidence_groups`: the cell's colour is its strongest claim of a
    flow, each data type keeps its own evidence).

    Limited to the MATRIX_MAX_APPS apps and MATRIX_MAX_COMPANIES companies with the most findings
    in the view, so the heatmap stays readable as the data grows; `apps_in_view` and
    `companies_in_view` say how many there are in all."""
    claims = _df(
        con,
        f"""WITH fl AS (SELECT * FROM app_flows WHERE company_id IS NOT NULL AND {FLOW_WHERE}),
            top_apps AS (SELECT app_id FROM fl GROUP BY app_id
                         ORDER BY count(DISTINCT finding_id) DESC, app_id LIMIT $max_apps),
            top_companies AS (SELECT company_id FROM fl GROUP BY company_id
                              ORDER BY count(DISTINCT finding_id) DESC, company_id LIMIT $max_companies)
            SELECT app_name, app_id, company_name, company_id, coalesce(parent_company_name, '') AS parent,
            finding_id, data_type_label, evidence_status,
            (SELECT count(DISTINCT app_id) FROM fl) AS apps_in_view,
            (SELECT count(DISTINCT company_id) FROM fl) AS companies_in_view
            FROM fl WHERE app_id IN (SELECT app_id FROM top_apps)
              AND company_id IN (SELECT company_id FROM top_companies)
            ORDER BY app_name, company_name, app_id, company_id, finding_id, data_type_label""",
        {**_params(f), "max_apps": MATRIX_MAX_APPS, "max_companies": MATRIX_MAX_COMPANIES},
    )
    cell = ["app_name", "app_id", "company_name", "company_id", "parent"]
    if claims.empty:
        return pd.DataFrame(
            columns=[*cell, "findings", "finding_ids", "data_types", "evidence_by_status", "evidence_status",
                     "evidence_label", "weakest_label", "mixed", "apps_in_view", "companies_in_view"]
        )  # fmt: skip
    counts = (
        claims.groupby(cell, sort=False)
        .agg(
            findings=("finding_id", "nunique"),
            finding_ids=("finding_id", lambda v: ", ".join(sorted(set(v)))),
            data_types=("data_type_label", lambda v: ", ".join(sorted(set(v)))),
            apps_in_view=("apps_in_view", "first"),
            companies_in_view=("companies_in_view", "first"),
        )
        .reset_index()
    )
    out = counts.merge(evidence_groups(claims, cell), on=cell)
    return out.sort_values(["app_name", "company_name"]).reset_index(drop=True)


def evidence_counts(con: Con, f: Filters) -> pd.DataFrame:
    """Findings per evidence status (every status of the scale, or of the evidence filter; zero where none)."""
    df = _df(
        con,
        f"""SELECT evidence_status, count(DISTINCT finding_id) AS findings
            FROM app_flows WHERE {FLOW_WHERE} GROUP BY ALL""",
        _params(f),
    )
    counts = dict(zip(df["evidence_status"], df["findings"], strict=True))
    # With an evidence filter only the statuses asked for are listed (no other status appears at all).
    shown = [k for k in vocabularies.EVIDENCE_STATUS if not f.evidence or k in f.evidence]
    return pd.DataFrame(
        {
            "evidence_status": shown,
            "evidence_label": [vocabularies.label("EVIDENCE_STATUS", k) for k in shown],
            "findings": [int(counts.get(k, 0)) for k in shown],
        }
    )


def actions_by_type(con: Con, f: Filters) -> pd.DataFrame:
    """Actions per action type and status."""
    return _df(
        con,
        f"""SELECT action_type_label, status_label, count(DISTINCT action_id) AS actions
            FROM app_restrictions WHERE {RESTRICTION_WHERE} GROUP BY ALL
            ORDER BY actions DESC, action_type_label, status_label""",
        _params(f),
    )


TIMELINE_MAX = 200


MATRIX_MAX_APPS = 40


MATRIX_MAX_COMPANIES = 40


def timeline(con: Con, f: Filters, as_of: dt.date) -> pd.DataFrame:
    """One row per dated action for a timeline, from its start (effective, else announced) to its end.

    `end` is the lift date; actions still in force, ongoing or pending run to the as-of date
    (`runs_to_date`); a lifted or ended action whose end date is unknown has `end_known` False and
    `end` equal to its start (drawn as a point, never as a bar running to today).
    At most the TIMELINE_MAX most recent actions: more bars are unreadable (the table beside the
    page lists every action). Undated actions cannot be drawn: see `undated`."""
    df = (
        _df(
            con,
            f"""SELECT action_id, any_value(country_name) AS country_name, any_value(country_code) AS country_code,
            any_value(subdivision_name) AS subdivision_name,
            any_value(coalesce(subdivision_name, country_name)) AS place,
            any_value(action_type_label) AS action_type_label, any_value(status_label) AS status_label,
            any_value(status) AS status, any_value(status_class) AS status_class, any_value(authority) AS authority,
            string_agg(DISTINCT app_name, ', ' ORDER BY app_name) AS apps,
            any_value(coalesce(effective_day, announced_day)) AS start,
            any_value(lifted_day) AS lifted_day, any_value(announced) AS announced, any_value(lifted) AS lifted,
            any_value(source_url) AS source_url
            FROM app_restrictions WHERE {RESTRICTION_WHERE} GROUP BY action_id
            HAVING start IS NOT NULL ORDER BY start DESC, action_id LIMIT $limit""",
            {**_params(f), "limit": TIMELINE_MAX},
        )
        .iloc[::-1]
        .reset_index(drop=True)
    )
    df["start"] = pd.to_datetime(df["start"])
    lifted = pd.to_datetime(df["lifted_day"])
    closed = df["status_class"] == "closed"
    df["runs_to_date"] = ~closed & lifted.isna()  # still applies or open: the bar runs to the as-of date
    df["end_known"] = lifted.notna() | df["runs_to_date"]
    df["end"] = lifted.where(lifted.notna(), pd.Timestamp(as_of)).where(df["end_known"], df["start"])
    # A lift date at a coarser precision than the start can fall before it ("2026-01" vs 16 Jan):
    # never draw a bar backwards.
    df["end"] = df[["start", "end"]].max(axis=1)
    return df


BY_COUNTRY_MAX = 15


# The two levels of government kept apart (charts.LEVELS marks them for the catalogs).
LEVEL_LABELS = {False: "National", True: "State, province, prefecture or city"}


def by_country(con: Con, f: Filters) -> pd.DataFrame:
    """Actions per jurisdiction and action type, national and sub-national (a state, province,
    prefecture or city: `subnational`) apart, for the by-country chart.

    One row per country, level and type; `country_actions` (the country's actions, both levels),
    `national` and `regional` (its actions at each level) repeat on each of its rows. At most the
    BY_COUNTRY_MAX countries with the most actions; `countries_in_view` and `all_actions` count
    every country and action that match, so a chart can say what it leaves out. `places` names
    the states, provinces or cities of a sub-national row."""
    df = _df(
        con,
        f"""WITH r AS (SELECT * FROM app_restrictions WHERE {RESTRICTION_WHERE}),
            per AS (
                SELECT country_code, any_value(country_name) AS country_name, subdivision IS NOT NULL AS subnational,
                any_value(action_type) AS action_type, action_type_label, count(DISTINCT action_id) AS actions,
                string_agg(DISTINCT subdivision_name, ', ' ORDER BY subdivision_name) AS places
                FROM r GROUP BY country_code, subnational, action_type_label
            ),
            c AS (
                SELECT country_code, sum(actions) AS country_actions,
                sum(CASE WHEN NOT subnational THEN actions ELSE 0 END) AS national,
                sum(CASE WHEN subnational THEN actions ELSE 0 END) AS regional
                FROM per GROUP BY country_code
            ),
            ranked AS (
                SELECT *, row_number() OVER (ORDER BY country_actions DESC, country_code) AS country_rank,
                count(*) OVER () AS countries_in_view, sum(country_actions) OVER () AS all_actions FROM c
            )
            SELECT per.*, ranked.* EXCLUDE (country_code) FROM per JOIN ranked USING (country_code)
            WHERE country_rank <= $most
            ORDER BY country_rank, subnational, actions DESC, action_type_label""",
        {**_params(f), "most": BY_COUNTRY_MAX},
    )
    for c in ("actions", "country_actions", "national", "regional", "country_rank", "countries_in_view", "all_actions"):
        df[c] = df[c].astype("int64")
    df["level_label"] = [LEVEL_LABELS[bool(s)] for s in df["subnational"]]
    return df

"""Named, parameterised queries over the built database, returning DataFrames.

Every query takes bound parameters only; user input never becomes SQL text. The functions
take a DuckDB connection (or cursor) so they run the same in the app, in tests and in a
notebook. Filter semantics (documented on the About page):
- country: restrictions in that jurisdiction; flows whose recipient is based in, or whose
  data goes to, that country;
- data_type, evidence: flows only; action_type: restrictions only; app: both;
- since/until: the audit date of a finding, the announcement (else effective) date of an action.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb
import pandas as pd

from chatbot_watch.datamodel import schema, vocabularies
from chatbot_watch.datamodel.countries import all_countries, country_aliases, numeric_code
from chatbot_watch.datamodel.storage import MODEL
from chatbot_watch.filters import Filters
from chatbot_watch.store import duck

Con = duckdb.DuckDBPyConnection


def connect(path: str) -> Con:
    """A read-only, hardened connection (duck.py): no file, network or extension access beyond
    the database, no settings changes."""
    return duck.connect(path)


def _params(f: Filters) -> dict[str, Any]:
    return {
        "countries": list(f.country),
        "companies": list(f.company),
        "data_types": list(f.data_type),
        "apps": list(f.app),
        "evidence": list(f.evidence),
        "action_types": list(f.action_type),
        "since": f.since,
        "until": f.until,
        "country_role": f.country_role,
        "app_countries": list(f.app_country),
        "not_app_countries": list(f.not_app_country),
        "by_records": f.records is not None,
        "record_ids": list(f.records or ()),
    }


FLOW_WHERE = """
    (len($countries) = 0
        OR ($country_role = 'examiner' AND list_contains($countries, auditor_country))
        OR ($country_role = 'based_in' AND list_contains($countries, company_country))
        OR ($country_role = 'recipient' AND (list_contains($countries, company_country)
            OR list_has_any(recipient_countries, $countries))))
    AND (len($app_countries) = 0 OR list_contains($app_countries, app_country))
    AND (len($not_app_countries) = 0
        OR (app_country IS NOT NULL AND NOT list_contains($not_app_countries, app_country)))
    AND (len($companies) = 0 OR company_id IN (SELECT id FROM companies WHERE list_has_any(chain_ids, $companies)))
    AND (len($data_types) = 0 OR list_contains($data_types, data_type_id))
    AND (len($apps) = 0 OR list_contains($apps, app_id))
    AND (len($evidence) = 0 OR list_contains($evidence, evidence_status))
    AND ($since IS NULL OR audit_day >= $since)
    AND ($until IS NULL OR audit_day <= $until)
    AND (NOT $by_records OR list_contains($record_ids, finding_id))
"""

RESTRICTION_WHERE = """
    (len($countries) = 0 OR list_contains($countries, country_code))
    AND (len($companies) = 0
        OR action_id IN (SELECT x.action_id FROM action_companies x JOIN companies c ON c.id = x.company_id
                         WHERE list_has_any(c.chain_ids, $companies))
        OR app_id IN (SELECT a.id FROM apps a JOIN companies c ON c.id = a.developer_id
                      WHERE list_has_any(c.chain_ids, $companies)))
    AND (len($apps) = 0 OR list_contains($apps, app_id))
    AND (len($action_types) = 0 OR list_contains($action_types, action_type))
    AND ($since IS NULL OR coalesce(announced_day, effective_day) >= $since)
    AND ($until IS NULL OR coalesce(announced_day, effective_day) <= $until)
    AND (NOT $by_records OR list_contains($record_ids, action_id))
"""


def _df(con: Con, sql: str, params: dict[str, Any] | None = None) -> pd.DataFrame:
    cur = con.cursor()
    try:
        if params:
            used = {k: v for k, v in params.items() if f"${k}" in sql}
            return cur.execute(sql, used).df()
        return cur.execute(sql).df()
    finally:
        cur.close()


def meta(con: Con) -> dict[str, str]:
    """Dataset facts: data_version, as_of, built_at, title, licence, counts."""
    df = _df(con, "SELECT key, value FROM meta")
    return dict(zip(df["key"], df["value"], strict=True))


def filter_options(con: Con) -> dict[str, dict[str, str]]:
    """Allowed values of each list filter (value -> label), in display order."""
    apps = _df(con, "SELECT id, name FROM apps ORDER BY lower(name), id")
    dts = _df(con, "SELECT id, label FROM data_types ORDER BY category, label")
    comps = _df(con, "SELECT id, name FROM companies ORDER BY lower(name), id")
    # Countries the data names first (A-Z), then the others (A-Z): typing "Korea" and Enter in a
    # picker, which takes the first match, gives South Korea, not North Korea.
    named = set(
        _df(
            con,
            """SELECT country_code AS c FROM actions UNION SELECT auditor_country FROM findings
               UNION SELECT country_code FROM companies""",
        )["c"].dropna()
    )
    countries = all_countries()
    country_options = {c: n for c, n in countries.items() if c in named} | countries
    return {
        "country": country_options,
        "app_country": country_options,
        "not_app_country": country_options,
        "company": dict(zip(comps["id"], comps["name"], strict=True)),
        "data_type": dict(zip(dts["id"], dts["label"], strict=True)),
        "app": dict(zip(apps["id"], apps["name"], strict=True)),
        "evidence": {k: v[0] for k, v in vocabularies.EVIDENCE_STATUS.items()},
        "action_type": {k: v[0] for k, v in vocabularies.ACTION_TYPES.items()},
    }


def filter_aliases(con: Con) -> dict[str, dict[str, str]]:
    """Other names URL values may use for each list filter (case-folded alias -> value): common
    country names and abbreviations, app and company aliases and legal names."""
    apps = _df(con, "SELECT id, name, aliases FROM apps")
    comps = _df(con, "SELECT id, name, aliases, legal_names FROM companies")
    app_aliases = {}
    for r in apps.itertuples():
        for a in [r.name, *(r.aliases if r.aliases is not None else [])]:
            app_aliases.setdefault(" ".join(str(a).split()).casefold(), r.id)
    company_aliases = {}
    for r in comps.itertuples():
        names = [
            r.name,
            *(r.aliases if r.aliases is not None else []),
            *(r.legal_names if r.legal_names is not None else []),
        ]
        for a in names:
            company_aliases.setdefault(" ".join(str(a).split()).casefold(), r.id)
    countries = country_aliases()
    return {
        "country": countries,
        "app_country": countries,
        "not_app_country": countries,
        "app": app_aliases,
        "company": company_aliases,
    }


FLOW_COLUMNS = """
    finding_id, app_id, app_name, app_country, platform, company_id, company_name, company_country,
    parent_company_name, ownership_chain, recipient_described, data_type_id, data_type_label,
    data_category, recipient_countries, domains, evidence_status, evidence_label, evidence_class,
    auditor, auditor_kind, auditor_country, method, audit_date, audit_day, source_url, source_publisher,
    source_published, source_quote, source_count
"""


def flows(con: Con, f: Filters) -> pd.DataFrame:
    """Rows of the `flows` view that match the filters, newest audit first."""
    sql = f"""SELECT {FLOW_COLUMNS} FROM app_flows WHERE {FLOW_WHERE} ORDER BY {FLOW_ORDER}"""
    return _df(con, sql, _params(f))


FLOW_ORDER = """audit_day DESC NULLS LAST, finding_id, app_name, company_name NULLS LAST, data_type_label,
    company_id NULLS LAST, data_type_id"""


RESTRICTION_COLUMNS = """
    action_id, country_code, country_name, subdivision, subdivision_name, authority, action_type,
    action_type_label, scope, scope_label, app_id, app_name, companies, announced, announced_day, effective,
    effective_day, lifted, lifted_day, status, status_label, status_class, restricts, action_described,
    scope_described,
    status_described, source_url, source_publisher, source_published, source_quote, source_count
"""


def restrictions(con: Con, f: Filters) -> pd.DataFrame:
    """Rows of the `restrictions` view that match the filters, newest first."""
    sql = f"SELECT {RESTRICTION_COLUMNS} FROM app_restrictions WHERE {RESTRICTION_WHERE} ORDER BY {RESTRICTION_ORDER}"
    return _df(con, sql, _params(f))


RESTRICTION_ORDER = "coalesce(announced_day, effective_day) DESC NULLS LAST, action_id, app_name NULLS LAST, app_id"


def _page(
    con: Con, source: str, where: str, columns: str, order: str, f: Filters, limit: int, offset: int
) -> tuple[pd.DataFrame, int]:
    params = _params(f)
    cur = con.cursor()
    try:
        used = {k: v for k, v in params.items() if f"${k}" in where}
        (total,) = cur.execute(f"SELECT count(*) FROM {source} WHERE {where}", used).fetchone()  # type: ignore[misc]
    finally:
        cur.close()
    rows = _df(
        con,
        f"SELECT {columns} FROM {source} WHERE {where} ORDER BY {order} LIMIT $limit OFFSET $offset",
        {**params, "limit": limit, "offset": offset},
    )
    return rows, int(total)


def flows_page(con: Con, f: Filters, limit: int, offset: int) -> tuple[pd.DataFrame, int]:
    """`limit` rows of `flows` from row `offset` (same rows, same order), paged in the database, and
    how many rows match in all (the API pages without holding every matching row)."""
    return _page(con, "app_flows", FLOW_WHERE, FLOW_COLUMNS, FLOW_ORDER, f, limit, offset)


def restrictions_page(con: Con, f: Filters, limit: int, offset: int) -> tuple[pd.DataFrame, int]:
    """`limit` rows of `restrictions` from row `offset`, paged in the database, and the match count."""
    return _page(con, "app_restrictions", RESTRICTION_WHERE, RESTRICTION_COLUMNS, RESTRICTION_ORDER, f, limit, offset)


def headline(con: Con, f: Filters) -> dict[str, int]:
    """Headline figures for the filtered view."""
    p = _params(f)
    fl = _df(
        con,
        f"""SELECT count(DISTINCT finding_id) AS findings, count(DISTINCT app_id) AS apps,
            count(DISTINCT company_id) AS recipients,
            count(DISTINCT CASE WHEN evidence_class = 'confirmed' THEN finding_id END) AS confirmed
            FROM app_flows WHERE {FLOW_WHERE}""",
        p,
    ).iloc[0]
    rs = _df(
        con,
        f"""SELECT count(DISTINCT action_id) AS actions, count(DISTINCT country_code) AS jurisdictions,
            count(DISTINCT CASE WHEN status_class = 'in_force' THEN action_id END) AS in_force
            FROM app_restrictions WHERE {RESTRICTION_WHERE}""",
        p,
    ).iloc[0]
    return {
        "findings": int(fl["findings"]),
        "apps": int(fl["apps"]),
        "recipients": int(fl["recipients"]),
        "confirmed": int(fl["confirmed"]),
        "actions": int(rs["actions"]),
        "jurisdictions": int(rs["jurisdictions"]),
        "in_force": int(rs["in_force"]),
    }


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


def answers(con: Con, f: Filters) -> dict[str, Any]:
    """Plain-language figures for the first screen: restrictions in force (national and in states
    or regions, apart), the apps they concern, the most common kind, and findings by strength."""
    p = _params(f)
    rs = _df(
        con,
        f"""WITH r AS (SELECT * FROM app_restrictions WHERE {RESTRICTION_WHERE}
                       AND status_class = 'in_force' AND restricts)
            SELECT count(DISTINCT action_id) AS in_force,
              count(DISTINCT CASE WHEN subdivision IS NULL THEN country_code END) AS countries,
              count(DISTINCT CASE WHEN subdivision IS NOT NULL THEN subdivision END) AS regions,
              count(DISTINCT CASE WHEN subdivision IS NOT NULL THEN country_code END) AS region_countries,
              count(DISTINCT CASE WHEN subdivision IS NULL THEN action_id END) AS national,
              count(DISTINCT app_id) AS apps,
              string_agg(DISTINCT app_name, ', ' ORDER BY app_name) AS app_names
            FROM r""",
        p,
    ).iloc[0]
    kinds = _df(
        con,
        f"""SELECT action_type_label, count(DISTINCT action_id) AS n FROM app_restrictions
            WHERE {RESTRICTION_WHERE} AND status_class = 'in_force' AND restricts
            GROUP BY ALL ORDER BY n DESC, action_type_label""",
        p,
    )
    fl = _df(
        con,
        f"""SELECT count(DISTINCT finding_id) AS findings, count(DISTINCT app_id) AS apps,
              count(DISTINCT CASE WHEN evidence_class = 'confirmed' THEN finding_id END) AS confirmed,
              count(DISTINCT CASE WHEN evidence_class = 'claimed' THEN finding_id END) AS claimed,
              count(DISTINCT CASE WHEN evidence_class = 'declared' THEN finding_id END) AS declared
            FROM app_flows WHERE {FLOW_WHERE}""",
        p,
    ).iloc[0]
    return {
        "restrictions_in_force": int(rs["in_force"]),
        "national_in_force": int(rs["national"]),
        "countries_in_force": int(rs["countries"]),
        "regions_in_force": int(rs["regions"]),
        "region_countries": int(rs["region_countries"]),
        "restricted_apps": int(rs["apps"]),
        "restricted_app_names": rs["app_names"] or "",
        "kinds_in_force": list(zip(kinds["action_type_label"], kinds["n"].astype(int), strict=True)),
        "findings": int(fl["findings"]),
        "finding_apps": int(fl["apps"]),
        "confirmed": int(fl["confirmed"]),
        "claimed": int(fl["claimed"]),
        "declared": int(fl["declared"]),
    }


def undated(con: Con, f: Filters) -> dict[str, int]:
    """Records that match the filters except the date range and have no date at all.

    With a date range set they are left out of the view (the page says how many); without one
    they are in the tables but cannot be drawn on a timeline or in the "recent" list."""
    p = _params(f.without("since", "until"))
    acts = _df(
        con,
        f"""SELECT count(DISTINCT action_id) AS n FROM app_restrictions WHERE {RESTRICTION_WHERE}
            AND announced_day IS NULL AND effective_day IS NULL""",
        p,
    )
    finds = _df(
        con, f"SELECT count(DISTINCT finding_id) AS n FROM app_flows WHERE {FLOW_WHERE} AND audit_day IS NULL", p
    )
    return {"actions": int(acts["n"].iat[0]), "findings": int(finds["n"].iat[0])}


def evidence_groups(claims: pd.DataFrame, by: list[str], item: str = "data_type_label") -> pd.DataFrame:
    """Fold claims (one row per finding x data type x ...) into one row per `by` group, keeping
    each claim's own evidence: `evidence_by_status` lists the items under each evidence status,
    strongest first ("Confirmed by a regulator: Traffic. Alleged: Keystroke patterns").

    The group's `evidence_status`/`evidence_label` is its STRONGEST claim: a group says that data
    flows (from this app to this company), and that is as sure as the best-supported claim of a
    flow; what flows is said data type by data type, each under its own status, so no data type
    ever reads stronger than its own records. `mixed` says whether some claims in the group rest
    on weaker evidence; `weakest_label` names the weakest."""
    rank = {s: i for i, s in enumerate(vocabularies.EVIDENCE_STRENGTH)}
    # One pass over plain values (a pandas group and mask per group cost seconds at x100): groups
    # in order of first appearance, missing keys together, as groupby(sort=False, dropna=False).
    grouped: dict[tuple[Any, ...], tuple[tuple[Any, ...], dict[str, set[str]]]] = {}
    columns = [claims[c].tolist() for c in by]
    for *keys, status, value in zip(*columns, claims["evidence_status"].tolist(), claims[item].tolist(), strict=True):
        norm = tuple(None if k is None or (isinstance(k, float) and k != k) else k for k in keys)
        entry = grouped.setdefault(norm, (tuple(keys), {}))
        found = entry[1].setdefault(status, set())
        if pd.notna(value):
            found.add(str(value))
    rows = []
    for keys, by_status in grouped.values():
        statuses = sorted(by_status, key=rank.__getitem__)
        parts = [f"{vocabularies.label('EVIDENCE_STATUS', st)}: {', '.join(sorted(by_status[st]))}" for st in statuses]
        rows.append(
            {
                **dict(zip(by, keys, strict=True)),
                "evidence_by_status": ". ".join(parts),
                "evidence_status": statuses[0],
                "evidence_label": vocabularies.label("EVIDENCE_STATUS", statuses[0]),
                "weakest_label": vocabularies.label("EVIDENCE_STATUS", statuses[-1]),
                "mixed": len(statuses) > 1,
            }
        )
    cols = [*by, "evidence_by_status", "evidence_status", "evidence_label", "weakest_label", "mixed"]
    return pd.DataFrame(rows, columns=cols)


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


def action_count(con: Con, f: Filters) -> int:
    """Number of actions matching the filters (dated or not)."""
    df = _df(con, f"SELECT count(DISTINCT action_id) AS n FROM app_restrictions WHERE {RESTRICTION_WHERE}", _params(f))
    return int(df["n"].iat[0])


def recent(con: Con, f: Filters, limit: int = 8) -> pd.DataFrame:
    """The most recent dated events (actions announced or lifted, findings published).

    `date` keeps the precision of the source ("2025-04" stays a month); `day` only sorts;
    `record_kind` names each row's kind (`action`, `finding`) as record pages do. `what` says the
    event in the reader's language (`event_text`), from its parts (`event`, the place, the action
    type, the authority or auditor, the app), which are kept as columns.
    """
    p = _params(f)
    sql = f"""
        WITH r AS (SELECT * FROM app_restrictions WHERE {RESTRICTION_WHERE}),
        fl AS (SELECT * FROM app_flows WHERE {FLOW_WHERE}),
        ev AS (
            SELECT any_value(coalesce(announced_day, effective_day)) AS day,
                any_value(coalesce(announced, effective)) AS date, action_id AS record_id, 'Action' AS kind,
                'action' AS record_kind, 'action' AS event, any_value(country_code) AS country_code,
                any_value(country_name) AS country_name, any_value(subdivision_name) AS subdivision_name,
                any_value(action_type_label) AS action_type_label, any_value(authority) AS who,
                string_agg(DISTINCT app_name, ', ' ORDER BY app_name) AS apps, any_value(status_label) AS status,
                any_value(source_url) AS source_url
            FROM r GROUP BY action_id
            UNION ALL
            SELECT any_value(lifted_day), any_value(lifted), action_id, any_value(status_label), 'action', 'end',
                any_value(country_code), any_value(country_name), any_value(subdivision_name),
                any_value(action_type_label), any_value(authority),
                string_agg(DISTINCT app_name, ', ' ORDER BY app_name), any_value(status_label), any_value(source_url)
            FROM r WHERE lifted_day IS NOT NULL GROUP BY action_id
            UNION ALL
            SELECT any_value(audit_day), any_value(audit_date), finding_id, 'Finding', 'finding', 'finding',
                NULL, NULL, NULL, NULL, any_value(auditor), any_value(app_name), any_value(evidence_label),
                any_value(source_url)
            FROM fl GROUP BY finding_id
        )
        SELECT date, kind, record_id, record_kind, event, country_code, country_name, subdivision_name,
            action_type_label, who, apps, status, source_url
        FROM ev WHERE day IS NOT NULL
        ORDER BY day DESC, record_id, kind LIMIT $limit"""
    df = _df(con, sql, {**p, "limit": limit})
    df.insert(4, "what", [event_text(r) for r in df.to_dict(orient="records")])
    return df


def event_text(row: dict) -> str:
    """An event in the reader's language: "South Korea: Download suspension (PIPC)", "…: Download
    suspension lifted (…)", "Korea Media and Communications Commission on Grok"."""
    from chatbot_watch import i18n
    from chatbot_watch.i18n import _

    if row["event"] == "finding":
        return _("{auditor} on {app}").format(auditor=row["who"], app=row["apps"])
    country = i18n.country_name(row["country_code"], row["country_name"] or "")
    place = f"{row['subdivision_name']} ({country})" if row["subdivision_name"] else country
    type_label, status_label = row["action_type_label"] or "", row["status"] or ""
    kind = _(type_label)
    if row["event"] == "end":
        status = _(status_label)
        status = status.lower() if i18n.current() == i18n.DEFAULT else status
        return _("{place}: {action_type} {status} ({authority})").format(
            place=place, action_type=kind, status=status, authority=row["who"]
        )
    return _("{place}: {action_type} ({authority})").format(place=place, action_type=kind, authority=row["who"])


def record_sources(con: Con, kind: str, record_ids: list[str]) -> pd.DataFrame:
    """All sources (with quotes) of the given findings or actions."""
    return _df(
        con,
        """SELECT record_id, position, url, publisher, published, quote, language, translation, kind
           FROM record_sources
           WHERE record_kind = $kind AND list_contains($ids, record_id) ORDER BY record_id, position""",
        {"kind": kind, "ids": record_ids},
    )


def companies(con: Con, f: Filters) -> pd.DataFrame:
    """Recipient companies with their ownership chain and what apps send them (filtered flows),
    with each data type under its own evidence status (see `evidence_groups`)."""
    df = _df(
        con,
        f"""WITH fl AS (SELECT * FROM app_flows WHERE company_id IS NOT NULL AND {FLOW_WHERE})
            SELECT c.id AS company_id, c.name AS company_name, c.country_name, c.ownership_chain,
                array_to_string(c.kinds, ', ') AS kinds, array_to_string(c.domains, ', ') AS domains,
                count(DISTINCT fl.finding_id) AS findings,
                string_agg(DISTINCT fl.app_name, ', ' ORDER BY fl.app_name) AS apps,
                string_agg(DISTINCT fl.app_country, ', ' ORDER BY fl.app_country) AS app_countries,
                string_agg(DISTINCT fl.data_type_label, ', ' ORDER BY fl.data_type_label) AS data_types,
                string_agg(DISTINCT fl.finding_id, ', ' ORDER BY fl.finding_id) AS finding_ids
            FROM fl JOIN companies c ON c.id = fl.company_id
            GROUP BY ALL ORDER BY findings DESC, company_name, company_id""",
        _params(f),
    )
    claims = _df(
        con,
        f"""SELECT company_id, data_type_label, evidence_status FROM app_flows
            WHERE company_id IS NOT NULL AND {FLOW_WHERE}""",
        _params(f),
    )
    groups = evidence_groups(claims, ["company_id"])
    df["kinds"] = [
        ", ".join(vocabularies.label("COMPANY_KINDS", k.strip()) for k in str(v).split(",") if k.strip()) if v else ""
        for v in df["kinds"]
    ]
    return df.merge(groups, on="company_id", how="left")


def company_chain(con: Con, company_id: str) -> pd.DataFrame:
    """The ownership links of a company and of each of its owners, nearest first."""
    return _df(
        con,
        """WITH c AS (SELECT chain_ids FROM companies WHERE id = $id)
           SELECT p.company_id, cc.name AS company_name, p.parent_id, pc.name AS parent_name, p.since, p.until, p.note
           FROM c, unnest(c.chain_ids) WITH ORDINALITY AS u(cid, pos)
           JOIN company_parents p ON p.company_id = u.cid
           JOIN companies cc ON cc.id = p.company_id JOIN companies pc ON pc.id = p.parent_id
           ORDER BY u.pos, p.position""",
        {"id": company_id},
    )


def local_names(con: Con, lang: str) -> dict[tuple[str, str], str]:
    """The first name in `lang` of each app and company that has one: (kind, id) -> name. Chinese
    in Traditional characters takes a zh-Hant name only (never a Simplified one)."""
    rows = con.execute(
        """SELECT 'app', app_id, name, position FROM app_local_names WHERE lang = $lang
           UNION ALL SELECT 'company', company_id, name, position FROM company_local_names WHERE lang = $lang
           ORDER BY 1, 2, 4""",
        {"lang": lang},
    ).fetchall()
    out: dict[tuple[str, str], str] = {}
    for kind, rid, name, _position in rows:
        out.setdefault((kind, rid), name)
    return out


def app_info(con: Con, app_id: str) -> dict[str, Any] | None:
    """One app with its developer and the developer's ownership chain."""
    df = _df(
        con,
        """SELECT a.id, a.name, a.developer_id, c.name AS developer_name, c.country_name AS developer_country,
               c.country_code AS developer_country_code,
               c.ownership_chain AS developer_chain, array_to_string(a.platforms, ', ') AS platforms,
               a.website, a.ios_app_id, a.android_package, array_to_string(a.aliases, ', ') AS aliases, a.notes
           FROM apps a LEFT JOIN companies c ON c.id = a.developer_id WHERE a.id = $id""",
        {"id": app_id},
    )
    return None if df.empty else df.iloc[0].to_dict()


def app_index(con: Con, f: Filters) -> pd.DataFrame:
    """Every app with its developer, and the findings and government actions matching the filters
    (as the app's report card counts them: findings wherever the data goes, so without the country
    filter; actions with it), A-Z."""
    flows_f, p = f.without("country", "country_role"), _params(f)
    fp = {f"f_{k}": v for k, v in _params(flows_f).items()}
    flow_where = FLOW_WHERE
    for k in _params(flows_f):
        flow_where = flow_where.replace(f"${k}", f"$f_{k}")
    return _df(
        con,
        f"""WITH fl AS (SELECT app_id, count(DISTINCT finding_id) AS findings FROM app_flows
                        WHERE {flow_where} GROUP BY app_id),
                 re AS (SELECT app_id, count(DISTINCT action_id) AS actions,
                               count(DISTINCT CASE WHEN status_class = 'in_force' THEN action_id END) AS in_force
                        FROM app_restrictions WHERE {RESTRICTION_WHERE} GROUP BY app_id)
            SELECT a.id AS app_id, a.name, c.name AS developer_name, c.country_name AS developer_country,
                   coalesce(fl.findings, 0) AS findings, coalesce(re.actions, 0) AS actions,
                   coalesce(re.in_force, 0) AS in_force
            FROM apps a LEFT JOIN companies c ON c.id = a.developer_id
            LEFT JOIN fl ON fl.app_id = a.id LEFT JOIN re ON re.app_id = a.id
            ORDER BY lower(a.name), a.id""",
        {**p, **fp},
    )


def regulator_findings(con: Con, country: str, f: Filters | None = None) -> pd.DataFrame:
    """Findings made by public examiners of a country (regulators, agencies), one row per finding,
    narrowed by the other flow filters (app, data type, evidence, dates)."""
    p = _params((f or Filters()).only(("data_type", "app", "evidence", "since", "until")))
    p.update({"countries": [country], "country_role": "examiner"})
    return _df(
        con,
        f"""SELECT finding_id, any_value(app_name) AS app_name, any_value(auditor) AS auditor,
               any_value(audit_date) AS audit_date,
               string_agg(DISTINCT company_name, ', ' ORDER BY company_name) AS recipients,
               any_value(ownership_chain) AS ownership_chain,
               string_agg(DISTINCT data_type_label, ', ' ORDER BY data_type_label) AS data_types,
               any_value(evidence_label) AS evidence_label, any_value(evidence_status) AS evidence_status,
               any_value(source_url) AS source_url, any_value(source_publisher) AS source_publisher,
               any_value(source_quote) AS source_quote
           FROM app_flows WHERE {FLOW_WHERE}
           GROUP BY finding_id ORDER BY any_value(audit_day) DESC NULLS LAST, finding_id""",
        p,
    )


def data_types(con: Con) -> pd.DataFrame:
    """The data-type taxonomy."""
    return _df(con, "SELECT * FROM data_types ORDER BY category, label")


SOURCES_SHOWN = 300


def sources_list(con: Con) -> pd.DataFrame:
    """The SOURCES_SHOWN most cited sources with how many records cite each (all are in the downloads)."""
    return _df(
        con,
        """SELECT s.url, s.publisher, s.published, count(DISTINCT r.record_kind || r.record_id) AS records
           FROM sources s JOIN record_sources r ON r.source_id = s.id
           GROUP BY ALL ORDER BY records DESC, s.publisher, s.url LIMIT $limit""",
        {"limit": SOURCES_SHOWN},
    )


def recent_changes(con: Con, f: Filters, limit: int = 10) -> pd.DataFrame:
    """The newest rows of the data's change log, narrowed by the country and app filters."""
    exists = _df(con, "SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'change_log'")
    if not int(exists["n"].iloc[0]):
        return pd.DataFrame(columns=["built_at", "data_version", "kind", "record_id", "change", "summary"])
    return _df(
        con,
        """SELECT left(built_at, 10) AS built_at, data_version, kind, record_id, change, summary FROM change_log
           WHERE (len($countries) = 0 OR list_has_any(countries, $countries) OR kind = 'dataset')
             AND (len($apps) = 0 OR list_has_any(apps, $apps) OR kind = 'dataset')
           ORDER BY seq DESC LIMIT $limit""",
        {"countries": list(f.country), "apps": list(f.app), "limit": limit},
    )


# The kinds a record page shows, as `record_sources` names them, and their tables.
RECORD_KINDS = tuple(k.word for k in (schema.FINDINGS, schema.ACTIONS, schema.APPS, schema.COMPANIES))
_RECORD_TABLES = {k.word: k.name for k in schema.KINDS}
# Columns the build derives (model.py), not fields of the record: their written form is shown.
# The ownership chain as text is kept: it says what the page's links do not.
_DERIVED_COLUMNS = MODEL.derived_columns - {"ownership_chain"}
# A record page shows a closed value with its label: each field's vocabulary, as schema.py declares it.
_VOCAB_COLUMNS = {
    f.name: f.vocab for k in schema.KINDS if k.word in RECORD_KINDS for f in k.fields if f.kind == "enum" and f.vocab
}


def record_summary(con: Con, kind: str, record_id: str) -> dict[str, Any] | None:
    """What a finding or an action claims, in a few values, for its one-sentence description and
    its link-preview card: who, what, which app(s), when, how sure or whether in force, the main
    source. None for another kind of record or an unknown id."""
    if kind == "action":
        sql = """SELECT any_value(country_code) AS country_code, any_value(country_name) AS country_name,
                   any_value(subdivision_name) AS subdivision_name, any_value(authority) AS who,
                   any_value(action_type_label) AS what, string_agg(DISTINCT app_name, ', ' ORDER BY app_name) AS apps,
                   any_value(coalesce(announced, effective)) AS date, any_value(lifted) AS lifted,
                   any_value(status_label) AS status, any_value(status_class) AS status_class
                 FROM app_restrictions WHERE action_id = $id"""
    elif kind == "finding":
        sql = """SELECT any_value(auditor) AS who, any_value(app_name) AS apps,
                   list(DISTINCT data_type_label ORDER BY data_type_label) AS what,
                   string_agg(DISTINCT company_name, ', ' ORDER BY company_name) AS recipients,
                   any_value(audit_date) AS date, any_value(evidence_label) AS status,
                   any_value(evidence_class) AS status_class
                 FROM app_flows WHERE finding_id = $id"""
    else:
        return None
    df = _df(con, sql, {"id": record_id})
    if df.empty or df["who"].isna().all():
        return None
    out = {k: (v if isinstance(v, list | tuple) or hasattr(v, "tolist") else None if pd.isna(v) else v)
           for k, v in df.iloc[0].to_dict().items()}  # fmt: skip
    if hasattr(out.get("what"), "tolist"):
        out["what"] = out["what"].tolist()
    src = _df(
        con,
        """SELECT publisher, published, kind FROM record_sources
           WHERE record_kind = $kind AND record_id = $id ORDER BY position LIMIT 1""",
        {"kind": kind, "id": record_id},
    )
    out["source"] = None if src.empty else src.iloc[0]["publisher"]
    out["source_published"] = None if src.empty or pd.isna(src.iloc[0]["published"]) else src.iloc[0]["published"]
    out["kind"], out["id"] = kind, record_id
    return out


def resolve_record(con: Con, raw: str) -> list[tuple[str, str]]:
    """The (kind, id) pairs a record id names: `AF-001`, `CA-001`, an app or company slug
    (`deepseek` names both an app and a company), or `app:deepseek` / `company:deepseek`."""
    text = raw.strip()
    kind_hint = None
    if ":" in text:
        kind_hint, text = text.split(":", 1)
        if kind_hint not in RECORD_KINDS:
            return []
    found = []
    for kind in RECORD_KINDS:
        if kind_hint and kind != kind_hint:
            continue
        table = _RECORD_TABLES[kind]
        df = _df(con, f"SELECT id FROM {table} WHERE lower(id) = lower($id)", {"id": text})
        found += [(kind, str(v)) for v in df["id"]]
    return found


def _value_text(column: str, value: Any) -> str:
    if value is None or (not isinstance(value, list | tuple) and not hasattr(value, "tolist") and pd.isna(value)):
        return ""
    if hasattr(value, "tolist") and not isinstance(value, str):
        value = value.tolist()
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if column in _VOCAB_COLUMNS:
        return f"{vocabularies.label(_VOCAB_COLUMNS[column], str(value))} ({value})"
    return str(value)


def record(con: Con, kind: str, record_id: str) -> dict[str, Any] | None:
    """One record for its page: every field as text, what it names (for links), its sources with
    the full quotes, and its history in the change log."""
    if kind not in RECORD_KINDS:
        return None
    row = _df(con, f"SELECT * FROM {_RECORD_TABLES[kind]} WHERE id = $id", {"id": record_id})
    if row.empty:
        return None
    r = row.iloc[0].to_dict()
    fields = [(c, _value_text(c, v)) for c, v in r.items() if c not in _DERIVED_COLUMNS]
    links: list[tuple[str, str, str, str]] = []  # (page, label, parameter, value)
    title = record_id
    if kind == "finding":
        app = _df(con, "SELECT name FROM apps WHERE id = $id", {"id": r["app_id"]})["name"].iat[0]
        dts = _df(
            con,
            """SELECT d.id, d.label FROM finding_data_types f JOIN data_types d ON d.id = f.data_type_id
               WHERE f.finding_id = $id ORDER BY f.position""",
            {"id": record_id},
        )
        rec = _df(
            con,
            """SELECT c.id, c.name, c.country_code FROM finding_recipients f JOIN companies c ON c.id = f.company_id
               WHERE f.finding_id = $id ORDER BY f.position""",
            {"id": record_id},
        )
        fields.insert(
            2, ("data_types", ", ".join(f"{lab} ({i})" for i, lab in zip(dts["id"], dts["label"], strict=True)))
        )
        fields.insert(3, ("recipients", ", ".join(f"{n} ({i})" for i, n in zip(rec["id"], rec["name"], strict=True))))
        title = f"{record_id}: {r['auditor']} on {app}"
        links.append(("apps", app, "app", r["app_id"]))
        links += [("companies", n, "company", i) for i, n in zip(rec["id"], rec["name"], strict=True)]
        if r.get("auditor_country"):
            links.append(("countries", _country_name(r["auditor_country"]), "country", r["auditor_country"]))
    elif kind == "action":
        apps = _df(
            con,
            """SELECT a.id, a.name FROM action_apps x JOIN apps a ON a.id = x.app_id
               WHERE x.action_id = $id ORDER BY x.position""",
            {"id": record_id},
        )
        comps = _df(
            con,
            """SELECT c.id, c.name FROM action_companies x JOIN companies c ON c.id = x.company_id
               WHERE x.action_id = $id ORDER BY x.position""",
            {"id": record_id},
        )
        fields.insert(2, ("apps", ", ".join(f"{n} ({i})" for i, n in zip(apps["id"], apps["name"], strict=True))))
        fields.insert(
            3, ("companies", ", ".join(f"{n} ({i})" for i, n in zip(comps["id"], comps["name"], strict=True)))
        )
        place = r.get("subdivision_name") or r["country_name"]
        title = (
            f"{record_id}: {place}, {vocabularies.label('ACTION_TYPES', r['action_type']).lower()} ({r['authority']})"
        )
        links.append(("countries", r["country_name"], "country", r["country_code"]))
        links += [("apps", n, "app", i) for i, n in zip(apps["id"], apps["name"], strict=True)]
        links += [("companies", n, "company", i) for i, n in zip(comps["id"], comps["name"], strict=True)]
    elif kind == "app":
        title = f"App: {r['name']}"
        links.append(("apps", r["name"], "app", record_id))
        if r.get("developer_id"):
            dev = _df(con, "SELECT name FROM companies WHERE id = $id", {"id": r["developer_id"]})
            if not dev.empty:
                links.append(("companies", dev["name"].iat[0], "company", r["developer_id"]))
    else:
        title = f"Company: {r['name']}"
        links.append(("companies", r["name"], "company", record_id))
        if r.get("country_code"):
            links.append(("countries", _country_name(r["country_code"]), "country", r["country_code"]))
    sources = _df(
        con,
        """SELECT r.position, r.url, r.publisher, r.published, s.accessed, r.quote, r.language, r.translation,
                  r.kind FROM record_sources r
           JOIN sources s ON s.id = r.source_id
           WHERE r.record_kind = $kind AND r.record_id = $id ORDER BY r.position""",
        {"kind": kind, "id": record_id},
    )
    documents = record_documents(con, kind, record_id)
    return {
        "kind": kind,
        "id": record_id,
        "title": title,
        "fields": fields,
        "links": links,
        "sources": sources,
        "documents": documents,
        "history": record_history(con, kind, record_id),
    }


DOCUMENT_TABLES = {"finding": ("finding_documents", "finding_id"), "action": ("action_documents", "action_id")}


def record_documents(con: Con, kind: str, record_id: str) -> pd.DataFrame:
    """The primary documents a finding or an action names, in its order (empty for other kinds)."""
    if kind not in DOCUMENT_TABLES:
        return pd.DataFrame(columns=["position", "issuer", "title", "date", "url", "access"])
    table, owner = DOCUMENT_TABLES[kind]  # names from this module, never from input
    return _df(
        con,
        f"""SELECT position, issuer, title, date, url, access FROM {table}
            WHERE {owner} = $id ORDER BY position""",
        {"id": record_id},
    )


def _country_name(code: str) -> str:
    return all_countries().get(code, code)


def record_history(con: Con, kind: str, record_id: str) -> pd.DataFrame:
    """The change-log rows of one record, oldest first (empty where the log holds none)."""
    exists = _df(con, "SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'change_log'")
    if not int(exists["n"].iloc[0]):
        return pd.DataFrame(columns=["built_at", "data_version", "change", "field", "old", "new", "summary"])
    return _df(
        con,
        """SELECT left(built_at, 10) AS built_at, data_version, change, field, old, new, summary FROM change_log
           WHERE kind = $kind AND record_id = $id ORDER BY seq""",
        {"kind": kind, "id": record_id},
    )


def company_group(con: Con, company_ids: tuple[str, ...]) -> pd.DataFrame:
    """The companies owned, directly or through others, by the given ones (today's ownership chain),
    which the company filter includes; the given companies themselves are not listed."""
    return _df(
        con,
        """SELECT id, name FROM companies WHERE list_has_any(chain_ids, $ids) AND NOT list_contains($ids, id)
           ORDER BY lower(name), id""",
        {"ids": list(company_ids)},
    )


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

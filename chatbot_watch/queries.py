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

from chatbot_watch import schema
from chatbot_watch.countries import all_countries, numeric_code
from chatbot_watch.filters import Filters

Con = duckdb.DuckDBPyConnection

SAFE_CONFIG = {"enable_external_access": False, "lock_configuration": True}


def connect(path: str) -> Con:
    """A read-only, hardened connection: no file access beyond the database, no settings changes."""
    return duckdb.connect(path, read_only=True, config=dict(SAFE_CONFIG))


def _params(f: Filters) -> dict[str, Any]:
    return {
        "countries": list(f.country),
        "data_types": list(f.data_type),
        "apps": list(f.app),
        "evidence": list(f.evidence),
        "action_types": list(f.action_type),
        "since": f.since,
        "until": f.until,
    }


FLOW_WHERE = """
    (len($countries) = 0 OR list_contains($countries, company_country)
        OR list_has_any(recipient_countries, $countries))
    AND (len($data_types) = 0 OR list_contains($data_types, data_type_id))
    AND (len($apps) = 0 OR list_contains($apps, app_id))
    AND (len($evidence) = 0 OR list_contains($evidence, evidence_status))
    AND ($since IS NULL OR audit_day >= $since)
    AND ($until IS NULL OR audit_day <= $until)
"""

RESTRICTION_WHERE = """
    (len($countries) = 0 OR list_contains($countries, country_code))
    AND (len($apps) = 0 OR list_contains($apps, app_id))
    AND (len($action_types) = 0 OR list_contains($action_types, action_type))
    AND ($since IS NULL OR coalesce(announced_day, effective_day) >= $since)
    AND ($until IS NULL OR coalesce(announced_day, effective_day) <= $until)
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
    apps = _df(con, "SELECT id, name FROM apps ORDER BY lower(name)")
    dts = _df(con, "SELECT id, label FROM data_types ORDER BY category, label")
    return {
        "country": all_countries(),
        "data_type": dict(zip(dts["id"], dts["label"], strict=True)),
        "app": dict(zip(apps["id"], apps["name"], strict=True)),
        "evidence": {k: v[0] for k, v in schema.EVIDENCE_STATUS.items()},
        "action_type": {k: v[0] for k, v in schema.ACTION_TYPES.items()},
    }


FLOW_COLUMNS = """
    finding_id, app_id, app_name, platform, company_id, company_name, company_country,
    parent_company_name, ownership_chain, recipient_described, data_type_id, data_type_label,
    data_category, recipient_countries, domains, evidence_status, evidence_label, evidence_class,
    auditor, auditor_kind, auditor_country, method, audit_date, audit_day, source_url, source_publisher,
    source_published, source_count
"""


def flows(con: Con, f: Filters) -> pd.DataFrame:
    """Rows of the `flows` view that match the filters, newest audit first."""
    sql = f"""SELECT {FLOW_COLUMNS} FROM app_flows WHERE {FLOW_WHERE}
        ORDER BY audit_day DESC NULLS LAST, finding_id, app_name, company_name NULLS LAST, data_type_label"""
    return _df(con, sql, _params(f))


RESTRICTION_COLUMNS = """
    action_id, country_code, country_name, subdivision, subdivision_name, authority, action_type,
    action_type_label, scope, scope_label, app_id, app_name, companies, announced, announced_day, effective,
    effective_day, lifted, lifted_day, status, status_label, action_described, scope_described,
    status_described, source_url, source_publisher, source_published, source_count
"""


def restrictions(con: Con, f: Filters) -> pd.DataFrame:
    """Rows of the `restrictions` view that match the filters, newest first."""
    sql = f"""SELECT {RESTRICTION_COLUMNS} FROM app_restrictions WHERE {RESTRICTION_WHERE}
        ORDER BY coalesce(announced_day, effective_day) DESC NULLS LAST, action_id, app_name NULLS LAST"""
    return _df(con, sql, _params(f))


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
            count(DISTINCT CASE WHEN status = 'in_force' THEN action_id END) AS in_force
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


def map_counts(con: Con, f: Filters) -> pd.DataFrame:
    """One row per country with recorded actions: counts and the kinds of action, for the map."""
    df = _df(
        con,
        f"""SELECT country_code, any_value(country_name) AS country_name,
            count(DISTINCT action_id) AS actions,
            count(DISTINCT CASE WHEN status = 'in_force' THEN action_id END) AS in_force,
            string_agg(DISTINCT action_type_label, ', ' ORDER BY action_type_label) AS action_types,
            string_agg(DISTINCT app_name, ', ' ORDER BY app_name) AS apps
            FROM app_restrictions WHERE {RESTRICTION_WHERE}
            GROUP BY country_code ORDER BY actions DESC, country_name""",
        _params(f),
    )
    df["id"] = [numeric_code(c) for c in df["country_code"]]
    return df


def flow_matrix(con: Con, f: Filters) -> pd.DataFrame:
    """App x recipient company: number of findings and the strongest evidence, for the flows chart.

    Limited to the MATRIX_MAX_APPS apps and MATRIX_MAX_COMPANIES companies with the most findings
    in the view, so the heatmap stays readable as the data grows; `apps_in_view` and
    `companies_in_view` say how many there are in all."""
    order = list(schema.EVIDENCE_STATUS)
    df = _df(
        con,
        f"""WITH fl AS (SELECT * FROM app_flows WHERE company_id IS NOT NULL AND {FLOW_WHERE}),
            top_apps AS (SELECT app_id FROM fl GROUP BY app_id
                         ORDER BY count(DISTINCT finding_id) DESC, app_id LIMIT $max_apps),
            top_companies AS (SELECT company_id FROM fl GROUP BY company_id
                              ORDER BY count(DISTINCT finding_id) DESC, company_id LIMIT $max_companies)
            SELECT app_name, app_id, company_name, company_id, coalesce(parent_company_name, '') AS parent,
            count(DISTINCT finding_id) AS findings,
            string_agg(DISTINCT data_type_label, ', ' ORDER BY data_type_label) AS data_types,
            list(DISTINCT evidence_status) AS statuses,
            (SELECT count(DISTINCT app_id) FROM fl) AS apps_in_view,
            (SELECT count(DISTINCT company_id) FROM fl) AS companies_in_view
            FROM fl WHERE app_id IN (SELECT app_id FROM top_apps)
              AND company_id IN (SELECT company_id FROM top_companies)
            GROUP BY ALL ORDER BY app_name, company_name""",
        {**_params(f), "max_apps": MATRIX_MAX_APPS, "max_companies": MATRIX_MAX_COMPANIES},
    )
    df["evidence_status"] = [min(s, key=order.index) for s in df["statuses"]]
    df["evidence_label"] = [schema.label("EVIDENCE_STATUS", s) for s in df["evidence_status"]]
    return df.drop(columns=["statuses"])


def evidence_counts(con: Con, f: Filters) -> pd.DataFrame:
    """Findings per evidence status (all statuses listed, zero where none)."""
    df = _df(
        con,
        f"""SELECT evidence_status, count(DISTINCT finding_id) AS findings
            FROM app_flows WHERE {FLOW_WHERE} GROUP BY ALL""",
        _params(f),
    )
    counts = dict(zip(df["evidence_status"], df["findings"], strict=True))
    return pd.DataFrame(
        {
            "evidence_status": list(schema.EVIDENCE_STATUS),
            "evidence_label": [v[0] for v in schema.EVIDENCE_STATUS.values()],
            "findings": [int(counts.get(k, 0)) for k in schema.EVIDENCE_STATUS],
        }
    )


def actions_by_type(con: Con, f: Filters) -> pd.DataFrame:
    """Actions per action type and status."""
    return _df(
        con,
        f"""SELECT action_type_label, status_label, count(DISTINCT action_id) AS actions
            FROM app_restrictions WHERE {RESTRICTION_WHERE} GROUP BY ALL ORDER BY actions DESC, action_type_label""",
        _params(f),
    )


TIMELINE_MAX = 200
MATRIX_MAX_APPS = 40
MATRIX_MAX_COMPANIES = 40


def timeline(con: Con, f: Filters, as_of: dt.date) -> pd.DataFrame:
    """One row per action with start and end dates for a timeline (end = lift date, or as-of date).

    At most the TIMELINE_MAX most recent actions: more bars are unreadable (the table beside the
    page lists every action)."""
    df = (
        _df(
            con,
            f"""SELECT action_id, any_value(country_name) AS country_name,
            any_value(coalesce(subdivision_name, country_name)) AS place,
            any_value(action_type_label) AS action_type_label, any_value(status_label) AS status_label,
            any_value(authority) AS authority,
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
    df["end"] = pd.to_datetime(df["lifted_day"]).fillna(pd.Timestamp(as_of))
    df["ongoing"] = df["lifted_day"].isna()
    return df


def recent(con: Con, f: Filters, limit: int = 8) -> pd.DataFrame:
    """The most recent dated events (actions announced or lifted, findings published).

    `date` keeps the precision of the source ("2025-04" stays a month); `day` only sorts.
    """
    p = _params(f)
    sql = f"""
        WITH r AS (SELECT * FROM app_restrictions WHERE {RESTRICTION_WHERE}),
        fl AS (SELECT * FROM app_flows WHERE {FLOW_WHERE}),
        ev AS (
            SELECT any_value(coalesce(announced_day, effective_day)) AS day,
                any_value(coalesce(announced, effective)) AS date, action_id AS record_id, 'Action' AS kind,
                any_value(country_name || ': ' || action_type_label || ' (' || authority || ')') AS what,
                string_agg(DISTINCT app_name, ', ') AS apps, any_value(status_label) AS status,
                any_value(source_url) AS source_url
            FROM r GROUP BY action_id
            UNION ALL
            SELECT any_value(lifted_day), any_value(lifted), action_id, any_value(status_label),
                any_value(country_name || ': ' || action_type_label || ' ' || lower(status_label)
                    || ' (' || authority || ')'),
                string_agg(DISTINCT app_name, ', '), any_value(status_label), any_value(source_url)
            FROM r WHERE lifted_day IS NOT NULL GROUP BY action_id
            UNION ALL
            SELECT any_value(audit_day), any_value(audit_date), finding_id, 'Finding',
                any_value(auditor || ' on ' || app_name), any_value(app_name), any_value(evidence_label),
                any_value(source_url)
            FROM fl GROUP BY finding_id
        )
        SELECT date, kind, record_id, what, apps, status, source_url FROM ev WHERE day IS NOT NULL
        ORDER BY day DESC, record_id LIMIT $limit"""
    return _df(con, sql, {**p, "limit": limit})


def record_sources(con: Con, kind: str, record_ids: list[str]) -> pd.DataFrame:
    """All sources (with quotes) of the given findings or actions."""
    return _df(
        con,
        """SELECT record_id, position, url, publisher, published, quote FROM record_sources
           WHERE record_kind = $kind AND list_contains($ids, record_id) ORDER BY record_id, position""",
        {"kind": kind, "ids": record_ids},
    )


def companies(con: Con, f: Filters) -> pd.DataFrame:
    """Recipient companies with their ownership chain and what apps send them (filtered flows)."""
    df = _df(
        con,
        f"""WITH fl AS (SELECT * FROM app_flows WHERE company_id IS NOT NULL AND {FLOW_WHERE})
            SELECT c.id AS company_id, c.name AS company_name, c.country_name, c.ownership_chain,
                array_to_string(c.kinds, ', ') AS kinds, array_to_string(c.domains, ', ') AS domains,
                count(DISTINCT fl.finding_id) AS findings,
                string_agg(DISTINCT fl.app_name, ', ' ORDER BY fl.app_name) AS apps,
                string_agg(DISTINCT fl.data_type_label, ', ' ORDER BY fl.data_type_label) AS data_types,
                string_agg(DISTINCT fl.finding_id, ', ' ORDER BY fl.finding_id) AS finding_ids,
                list(DISTINCT fl.evidence_status) AS statuses
            FROM fl JOIN companies c ON c.id = fl.company_id
            GROUP BY ALL ORDER BY findings DESC, company_name""",
        _params(f),
    )
    order = list(schema.EVIDENCE_STATUS)
    df["evidence_label"] = [schema.label("EVIDENCE_STATUS", min(s, key=order.index)) for s in df["statuses"]]
    return df.drop(columns=["statuses"])


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


def app_info(con: Con, app_id: str) -> dict[str, Any] | None:
    """One app with its developer and the developer's ownership chain."""
    df = _df(
        con,
        """SELECT a.id, a.name, a.developer_id, c.name AS developer_name, c.country_name AS developer_country,
               c.ownership_chain AS developer_chain, array_to_string(a.platforms, ', ') AS platforms,
               a.website, a.ios_app_id, a.android_package, array_to_string(a.aliases, ', ') AS aliases, a.notes
           FROM apps a LEFT JOIN companies c ON c.id = a.developer_id WHERE a.id = $id""",
        {"id": app_id},
    )
    return None if df.empty else df.iloc[0].to_dict()


def regulator_findings(con: Con, country: str) -> pd.DataFrame:
    """Findings made by public examiners of a country (regulators, agencies), one row per finding."""
    return _df(
        con,
        """SELECT finding_id, any_value(app_name) AS app_name, any_value(auditor) AS auditor,
               any_value(audit_date) AS audit_date,
               string_agg(DISTINCT company_name, ', ' ORDER BY company_name) AS recipients,
               any_value(ownership_chain) AS ownership_chain,
               string_agg(DISTINCT data_type_label, ', ' ORDER BY data_type_label) AS data_types,
               any_value(evidence_label) AS evidence_label, any_value(evidence_status) AS evidence_status,
               any_value(source_url) AS source_url
           FROM app_flows WHERE auditor_country = $country
           GROUP BY finding_id ORDER BY any_value(audit_day) DESC NULLS LAST, finding_id""",
        {"country": country},
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

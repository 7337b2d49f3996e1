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

from typing import Any

import duckdb
import pandas as pd

from chatbot_watch.datamodel import selection, vocabularies
from chatbot_watch.datamodel.countries import all_countries, country_aliases
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


FLOW_WHERE = selection.where(
    selection.FLOW_COUNTRY,
    selection.APP_COUNTRY,
    selection.FLOW_COMPANY,
    selection.DATA_TYPE,
    selection.APP,
    selection.EVIDENCE,
    selection.FINDING_DATES,
    "(NOT $by_records OR list_contains($record_ids, finding_id))",
)

RESTRICTION_WHERE = selection.where(
    selection.ACTION_COUNTRY,
    selection.ACTION_COMPANY,
    selection.APP,
    selection.ACTION_TYPE,
    selection.ACTION_DATES,
    "(NOT $by_records OR list_contains($record_ids, action_id))",
)


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


def action_count(con: Con, f: Filters) -> int:
    """Number of actions matching the filters (dated or not)."""
    df = _df(con, f"SELECT count(DISTINCT action_id) AS n FROM app_restrictions WHERE {RESTRICTION_WHERE}", _params(f))
    return int(df["n"].iat[0])


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


def company_group(con: Con, company_ids: tuple[str, ...]) -> pd.DataFrame:
    """The companies owned, directly or through others, by the given ones (today's ownership chain),
    which the company filter includes; the given companies themselves are not listed."""
    return _df(
        con,
        """SELECT id, name FROM companies WHERE list_has_any(chain_ids, $ids) AND NOT list_contains($ids, id)
           ORDER BY lower(name), id""",
        {"ids": list(company_ids)},
    )


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

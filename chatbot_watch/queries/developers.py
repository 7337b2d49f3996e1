"""The developer's country of an app beside the recipient's (issue 24, item 8): what the
`app_country` and `not_app_country` filters leave out because an app's developer, or the country it
is based in, is not recorded. Unknown stays unknown: such an app matches neither filter, and a view
says how many findings it leaves out for that reason."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from chatbot_watch import i18n, queries
from chatbot_watch.datamodel.countries import all_countries
from chatbot_watch.filters import APP_COUNTRY_PARAMS, Filters
from chatbot_watch.i18n import _, counted


@dataclass(frozen=True)
class LeftOut:
    """Findings (and their rows) the developer-country filters leave out for want of a known country."""

    findings: int
    rows: int
    apps: tuple[str, ...]


def unknown_left_out(con: queries.Con, f: Filters) -> LeftOut:
    """What `f`'s developer-country filters leave out because the app's developer country is unknown
    (nothing when neither filter is set); the other filters apply."""
    if not (f.app_country or f.not_app_country):
        return LeftOut(0, 0, ())
    rest = f.without(*APP_COUNTRY_PARAMS)
    sql = f"""SELECT count(DISTINCT finding_id) AS findings, count(*) AS n_rows,
                  list(DISTINCT app_name ORDER BY app_name) AS apps
              FROM app_flows WHERE app_country IS NULL AND {queries.FLOW_WHERE}"""
    row = queries._df(con, sql, queries._params(rest)).iloc[0]
    apps = tuple(str(a) for a in (row["apps"] if row["findings"] else []))
    return LeftOut(int(row["findings"]), int(row["n_rows"]), apps)


def left_out_sentence(left: LeftOut) -> str:
    """The sentence a view shows beside its table when the developer-country filters leave findings
    out ("" when they leave none)."""
    if not left.findings:
        return ""
    return _("Left out: {findings} ({rows}) about apps whose developer's country is not recorded: {apps}.").format(
        findings=counted(left.findings, "{n} finding", "{n} findings"),
        rows=counted(left.rows, "{n} row", "{n} rows"),
        apps=_(", ").join(left.apps),
    )


def country_names(codes: object) -> str:
    """Country codes (one, a list, or a comma-separated text) as names in the reader's language,
    A-Z by code; "" when none is recorded."""
    if codes is None or (isinstance(codes, float) and codes != codes):
        return ""
    values = [str(c).strip() for c in (codes.split(",") if isinstance(codes, str) else codes) if str(c).strip()]
    known = all_countries()
    return _(", ").join(i18n.country_name(c, known.get(c, c)) for c in sorted(set(values)))


def with_country_names(rows: pd.DataFrame) -> pd.DataFrame:
    """Flow rows with the recipient's and the app developer's country named beside their codes
    (`company_country_name`, `app_country_name`; blank where not recorded)."""
    out = rows.copy()
    out.attrs = dict(rows.attrs)
    for code, name in (("company_country", "company_country_name"), ("app_country", "app_country_name")):
        if code in out.columns:
            out[name] = [country_names([c]) if isinstance(c, str) else "" for c in out[code]]
    return out

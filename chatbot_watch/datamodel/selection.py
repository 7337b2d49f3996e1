"""What each filter selects in the SQL views the site reads (`app_flows`: one row per finding, app,
company and data type; `app_restrictions`: one row per action and app), written once as SQL clauses
with bound parameters (`$countries`, `$apps`, ...; never a value in the text). The pages' and the
API's queries (queries/) and the chronology of events (store/events.py) combine the same clauses,
so a filter means the same on every page, in every feed and in every download."""

from __future__ import annotations

# A row's app is developed by one of the companies (or a company they own).
_DEVELOPS = """app_id IN (SELECT a.id FROM apps a JOIN companies c ON c.id = a.developer_id
                      WHERE list_has_any(c.chain_ids, $companies))"""
# A row's recipient company is one of the companies (or a company they own).
_RECEIVES = "company_id IN (SELECT id FROM companies WHERE list_has_any(chain_ids, $companies))"

# --- government actions (app_restrictions) ----------------------------------------------------
ACTION_COUNTRY = "(len($countries) = 0 OR list_contains($countries, country_code))"
# An action concerns a company when it names it, or names an app the company (or a parent) develops.
ACTION_COMPANY = f"""(len($companies) = 0
        OR action_id IN (SELECT x.action_id FROM action_companies x JOIN companies c ON c.id = x.company_id
                         WHERE list_has_any(c.chain_ids, $companies))
        OR {_DEVELOPS})"""
APP = "(len($apps) = 0 OR list_contains($apps, app_id))"
ACTION_TYPE = "(len($action_types) = 0 OR list_contains($action_types, action_type))"
# An action's date is when it was announced, or else when it took effect.
ACTION_DATES = """($since IS NULL OR coalesce(announced_day, effective_day) >= $since)
    AND ($until IS NULL OR coalesce(announced_day, effective_day) <= $until)"""

# --- findings (app_flows) ---------------------------------------------------------------------
# The country of a data flow, by `country_role`: the country of the public body that examined the
# app, where the recipient company is based, or that and where the data goes.
FLOW_COUNTRY = """(len($countries) = 0
        OR ($country_role = 'examiner' AND list_contains($countries, auditor_country))
        OR ($country_role = 'based_in' AND list_contains($countries, company_country))
        OR ($country_role = 'recipient' AND (list_contains($countries, company_country)
            OR list_has_any(recipient_countries, $countries))))"""
# The developer's country of the app: an unknown one matches neither filter.
APP_COUNTRY = """(len($app_countries) = 0 OR list_contains($app_countries, app_country))
    AND (len($not_app_countries) = 0
        OR (app_country IS NOT NULL AND NOT list_contains($not_app_countries, app_country)))"""
# A flow concerns a company when the company (or a parent) receives the data.
FLOW_COMPANY = f"(len($companies) = 0 OR {_RECEIVES})"
# A finding's events concern a company that receives the data or develops the app (its chronology).
FINDING_COMPANY = f"(len($companies) = 0 OR {_RECEIVES} OR {_DEVELOPS})"
# The country of the public body that examined the app (a finding's events are placed there).
EXAMINER_COUNTRY = "(len($countries) = 0 OR list_contains($countries, auditor_country))"
DATA_TYPE = "(len($data_types) = 0 OR list_contains($data_types, data_type_id))"
EVIDENCE = "(len($evidence) = 0 OR list_contains($evidence, evidence_status))"
FINDING_DATES = """($since IS NULL OR audit_day >= $since)
    AND ($until IS NULL OR audit_day <= $until)"""


def where(*clauses: str) -> str:
    """The clauses joined by AND, for a WHERE."""
    return "\n    " + "\n    AND ".join(clauses) + "\n"

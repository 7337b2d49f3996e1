"""Events, not edits: the dated things that happened in the world, read from the records, and the
data's corrections said in plain words.

An action gives up to three events, each on its own date: it is announced (listed only when that
date differs from the effective one, or when there is no effective date), takes effect, and is
lifted or ends (its `lifted` date). A finding gives one: it is reported (its `audit_date`). Each
event has its date as the record gives it ("2025-04" stays a month; `day` is its first day, for
sorting and for the since/until filters), its kind, the record, the country, the apps and
companies, the authority or auditor, one sentence in plain words in the reader's language
("Personal Information Protection Commission (PIPC): download suspension of DeepSeek lifted"; the
names are data and stay as written) and its main source.

Filters: `country` is the jurisdiction of an action and the country of a finding's examiner (what
happened there); `app` and `company` (with its subsidiaries) as on the other pages; `action_type`
narrows actions, `evidence` and `data_type` narrow findings; `since` and `until` apply to each
event's own date. An event without a date cannot be placed: it is left out and counted (`Events.undated`).

`corrections` says the change log's edits of existing records in plain words ("CA-008: sources
corrected", "AF-003: evidence status changed from Alleged to Observed by an auditor"), never their values.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from chatbot_watch import i18n
from chatbot_watch.datamodel import schema, selection, vocabularies
from chatbot_watch.datamodel.countries import all_countries
from chatbot_watch.filters import Filters
from chatbot_watch.i18n import N_, _

if TYPE_CHECKING:
    import pandas as pd

# The kinds of event, and what the Event column calls them.
EVENT_KINDS: dict[str, str] = {
    "announced": N_("Announcement"),
    "effective": N_("Takes effect"),
    "lifted": N_("Lifted"),  # or the status's label when it closed the action ("Ended")
    "reported": N_("Finding reported"),
}
COLUMNS = [
    "date", "event", "event_label", "record_id", "record_kind", "what", "country_code", "place", "apps",
    "app_ids", "companies", "who", "source_url", "day",
]  # fmt: skip

# The filters select events as they select records (datamodel/selection.py), but by the event's own
# date (applied to each event, below), and by country as the place of the action or of the examiner.
_ACTION_WHERE = selection.where(
    selection.ACTION_COUNTRY,
    selection.ACTION_COMPANY,
    selection.APP,
    selection.ACTION_TYPE,
    "($record IS NULL OR action_id = $record)",
)
_FINDING_WHERE = selection.where(
    selection.EXAMINER_COUNTRY,
    selection.FINDING_COMPANY,
    selection.APP,
    selection.EVIDENCE,
    selection.DATA_TYPE,
    "($record IS NULL OR finding_id = $record)",
)


@dataclass
class Events:
    """The dated events that match the filters (`rows`, in date order) and how many matching
    events have no date and are left out (`undated`)."""

    rows: pd.DataFrame
    undated: int

    def note(self) -> str:
        """What the list leaves out, in the reader's language ("" when nothing)."""
        if not self.undated:
            return ""
        return i18n.counted(
            self.undated, "{n} event without a date is not listed.", "{n} events without a date are not listed."
        )


def _query(con: Any, sql: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows as dicts, without pandas: a build writes the feeds from here and never imports it."""
    cur = con.cursor()
    try:
        used = {k: v for k, v in params.items() if f"${k}" in sql}
        cur.execute(sql, used)
        names = [d[0] for d in cur.description or []]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
    finally:
        cur.close()


def _params(f: Filters, record: str | None = None) -> dict[str, Any]:
    return {
        "record": record,
        "countries": list(f.country),
        "companies": list(f.company),
        "apps": list(f.app),
        "action_types": list(f.action_type),
        "evidence": list(f.evidence),
        "data_types": list(f.data_type),
    }


def _names(values: Any) -> list[str]:
    if values is None or (not isinstance(values, list | tuple) and not hasattr(values, "tolist")):
        return []
    return sorted({str(v) for v in (values.tolist() if hasattr(values, "tolist") else values) if v})


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _day(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


def action_sentence(
    event: str, authority: str, action_type: str, apps: list[str], companies: list[str], end: str = "Lifted"
) -> str:
    """One event of an action in plain words, in the reader's language: "Personal Information
    Protection Commission (PIPC): download suspension of DeepSeek lifted". `action_type` is the
    vocabulary value; `end`, for the `lifted` event, the English label of how it ended ("Lifted",
    "Ended": the status's label); names are data and stay as written."""
    kind = _(vocabularies.label("ACTION_TYPES", action_type))
    kind = kind.lower() if i18n.current() == i18n.DEFAULT else kind
    subject = _(", ").join(apps or companies)
    thing = _("{action_type} of {subject}").format(action_type=kind, subject=subject) if subject else kind
    if event == "announced":
        return _("{authority}: {thing} announced").format(authority=authority, thing=thing)
    if event == "lifted":
        status = _(end)
        status = status.lower() if i18n.current() == i18n.DEFAULT else status
        return _("{authority}: {thing} {status}").format(authority=authority, thing=thing, status=status)
    if vocabularies.value_class("ACTION_TYPES", action_type) == "restricts":
        return _("{authority}: {thing} takes effect").format(authority=authority, thing=thing)
    return _("{authority}: {thing}").format(authority=authority, thing=thing)


def finding_sentence(auditor: str, app: str, evidence_status: str) -> str:
    """A finding's event in plain words: "Wiz Research: finding on DeepSeek reported (observed by an auditor)"."""
    evidence = _(vocabularies.label("EVIDENCE_STATUS", evidence_status))
    evidence = evidence.lower() if i18n.current() == i18n.DEFAULT else evidence
    return _("{auditor}: finding on {app} reported ({evidence})").format(auditor=auditor, app=app, evidence=evidence)


def _action_events(con: Any, f: Filters, record: str | None) -> tuple[list[dict[str, Any]], int]:
    df = _query(
        con,
        f"""SELECT action_id, any_value(country_code) AS country_code, any_value(country_name) AS country_name,
            any_value(subdivision_name) AS subdivision_name, any_value(authority) AS authority,
            any_value(action_type) AS action_type, any_value(status) AS status,
            list(DISTINCT app_name ORDER BY app_name) FILTER (WHERE app_name IS NOT NULL) AS apps,
            list(DISTINCT app_id ORDER BY app_id) FILTER (WHERE app_id IS NOT NULL) AS app_ids,
            any_value(companies) AS companies,
            any_value(announced) AS announced, any_value(announced_day) AS announced_day,
            any_value(effective) AS effective, any_value(effective_day) AS effective_day,
            any_value(lifted) AS lifted, any_value(lifted_day) AS lifted_day, any_value(source_url) AS source_url
        FROM app_restrictions WHERE {_ACTION_WHERE} GROUP BY action_id ORDER BY action_id""",
        _params(f, record),
    )
    out: list[dict[str, Any]] = []
    undated = 0
    for r in df:
        apps, companies = _names(r["apps"]), _names(r["companies"])
        dated: list[tuple[str, str, dt.date | None]] = []
        effective, announced = _day(r["effective_day"]), _day(r["announced_day"])
        if effective is not None:
            dated.append(("effective", _text(r["effective"]), effective))
        if announced is not None and (effective is None or _text(r["announced"]) != _text(r["effective"])):
            dated.append(("announced", _text(r["announced"]), announced))
        if effective is None and announced is None:
            undated += 1
        # Its end: the lift date, said by the status's label when the status closed it ("Lifted",
        # "Ended"); a measure lifted while a proceeding goes on is "Lifted". A closed action
        # without a lift date has an end that cannot be placed.
        closed = vocabularies.value_class("ACTION_STATUS", _text(r["status"])) == "closed"
        end = vocabularies.label("ACTION_STATUS", r["status"]) if closed else EVENT_KINDS["lifted"]
        if _day(r["lifted_day"]) is not None:
            dated.append(("lifted", _text(r["lifted"]), _day(r["lifted_day"])))
        elif closed:
            undated += 1
        code = _text(r["country_code"])
        country = i18n.country_name(code, _text(r["country_name"]))
        place = f"{r['subdivision_name']} ({country})" if _text(r["subdivision_name"]) else country
        for event, date, day in dated:
            out.append(
                {
                    "date": date,
                    "event": event,
                    "record_id": r["action_id"],
                    "record_kind": "action",
                    "label": end if event == "lifted" else EVENT_KINDS[event],
                    "what": action_sentence(
                        event, _text(r["authority"]), _text(r["action_type"]), apps, companies, end
                    ),
                    "country_code": code,
                    "place": place,
                    "apps": apps,
                    "app_ids": _names(r["app_ids"]),
                    "companies": companies,
                    "who": _text(r["authority"]),
                    "source_url": _text(r["source_url"]),
                    "day": day,
                }
            )
    return out, undated


def _finding_events(con: Any, f: Filters, record: str | None) -> tuple[list[dict[str, Any]], int]:
    df = _query(
        con,
        f"""SELECT finding_id, any_value(app_name) AS app_name, any_value(app_id) AS app_id,
            any_value(auditor) AS auditor,
            any_value(auditor_country) AS auditor_country, any_value(audit_date) AS audit_date,
            any_value(audit_day) AS audit_day, any_value(evidence_status) AS evidence_status,
            list(DISTINCT company_name ORDER BY company_name) FILTER (WHERE company_name IS NOT NULL) AS companies,
            any_value(source_url) AS source_url
        FROM app_flows WHERE {_FINDING_WHERE} GROUP BY finding_id ORDER BY finding_id""",
        _params(f, record),
    )
    out: list[dict[str, Any]] = []
    undated = 0
    for r in df:
        day = _day(r["audit_day"])
        if day is None:
            undated += 1
            continue
        code = _text(r["auditor_country"])
        out.append(
            {
                "date": _text(r["audit_date"]),
                "event": "reported",
                "label": EVENT_KINDS["reported"],
                "record_id": r["finding_id"],
                "record_kind": "finding",
                "what": finding_sentence(_text(r["auditor"]), _text(r["app_name"]), _text(r["evidence_status"])),
                "country_code": code,
                "place": i18n.country_name(code, all_countries().get(code, code)) if code else "",
                "apps": [_text(r["app_name"])] if _text(r["app_name"]) else [],
                "app_ids": [_text(r["app_id"])] if _text(r["app_id"]) else [],
                "companies": _names(r["companies"]),
                "who": _text(r["auditor"]),
                "source_url": _text(r["source_url"]),
                "day": day,
            }
        )
    return out, undated


def events(con: Any, f: Filters, newest_first: bool = False, record: tuple[str, str] | None = None) -> Events:
    """The events of the actions and findings that match `f`, oldest first (`newest_first`: the
    other way), with the number of matching events that have no date. `record` (kind, id): only
    that action's or finding's events."""
    import pandas as pd

    rows, undated = event_rows(con, f, newest_first, record)
    return Events(pd.DataFrame(rows, columns=COLUMNS), undated)


def event_rows(
    con: Any, f: Filters, newest_first: bool = False, record: tuple[str, str] | None = None
) -> tuple[list[dict[str, Any]], int]:
    """`events` as a list of rows (dicts of COLUMNS) and the undated count, without pandas."""
    rows: list[dict[str, Any]] = []
    undated = 0
    kinds = ("action", "finding") if record is None else (record[0],)
    if "action" in kinds and not (f.evidence or f.data_type):
        got, n = _action_events(con, f, record and record[1])
        rows, undated = rows + got, undated + n
    if "finding" in kinds and not f.action_type:
        got, n = _finding_events(con, f, record and record[1])
        rows, undated = rows + got, undated + n
    if f.since is not None:
        rows = [r for r in rows if r["day"] >= f.since]
    if f.until is not None:
        rows = [r for r in rows if r["day"] <= f.until]
    rank = {k: i for i, k in enumerate(EVENT_KINDS)}
    rows.sort(key=lambda r: (r["day"], rank[r["event"]], r["record_id"]), reverse=newest_first)
    labels = [r.pop("label") for r in rows]
    return [{**r, "event_label": _(label)} for r, label in zip(rows, labels, strict=True)], undated


# ---------------------------------------------------------------------------
# Corrections: the change log's edits in plain words
# ---------------------------------------------------------------------------

# Fields named in plain words (the others by their name, underscores as spaces).
FIELD_WORDS: dict[str, str] = {
    "sources": N_("sources"),
    "notes": N_("notes"),
    "primary_documents": N_("primary documents"),
    "authority": N_("authority"),
    "announced": N_("announcement date"),
    "effective": N_("effective date"),
    "lifted": N_("lift date"),
    "audit_date": N_("date of the finding"),
    "status": N_("status"),
    "evidence_status": N_("evidence status"),
    "action_type": N_("type of action"),
    "companies": N_("companies"),
    "apps": N_("apps"),
}
# Fields whose old and new values are said (a vocabulary value by its label, a date as written).
_VOCAB = {
    f.name: f.vocab for k in schema.KINDS for f in k.fields if f.kind == "enum" and f.vocab and f.name != "languages"
}
_DATE = re.compile(r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$")
_DATE_FIELDS = ("announced", "effective", "lifted", "audit_date")


def _value(raw: Any) -> Any:
    if not isinstance(raw, str):
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return None


def correction_text(record_id: str, change: str, field: str | None, old: Any, new: Any) -> str:
    """One change-log row in plain words, in the reader's language: "CA-008: sources corrected",
    "AF-003: evidence status changed from Alleged to Observed by an auditor", "CA-050: removed".
    Values are said only where they are a label or a date, never dumped."""
    if change == "added":
        return _("{record}: added").format(record=record_id)
    if change == "removed":
        return _("{record}: removed").format(record=record_id)
    if change != "changed" or not field:
        return _("{record}: changed").format(record=record_id)
    field = re.split(r"[\[.]", field, maxsplit=1)[0]  # "sources[0].quote": the sources
    words = _(FIELD_WORDS[field]) if field in FIELD_WORDS else field.replace("_", " ")
    before, after = _value(old), _value(new)
    if field in _VOCAB and isinstance(before, str) and isinstance(after, str):
        before, after = _(vocabularies.label(_VOCAB[field], before)), _(vocabularies.label(_VOCAB[field], after))
    elif not (
        field in _DATE_FIELDS and all(v is None or (isinstance(v, str) and _DATE.match(v)) for v in (before, after))
    ):
        return _("{record}: {field} corrected").format(record=record_id, field=words)
    if before is None:
        return _("{record}: {field} set to {new}").format(record=record_id, field=words, new=after)
    if after is None:
        return _("{record}: {field} removed").format(record=record_id, field=words)
    return _("{record}: {field} changed from {old} to {new}").format(
        record=record_id, field=words, old=before, new=after
    )


def corrections(con: Any, f: Filters, limit: int = 10) -> pd.DataFrame:
    """The newest corrections (edits and removals of existing records; additions are new data and
    their events are listed as events), narrowed by the country and app filters, in plain words
    (`summary`), newest first."""
    import pandas as pd

    cols = ["built_at", "data_version", "kind", "record_id", "change", "summary"]
    exists = _query(con, "SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'change_log'", {})
    if not int(exists[0]["n"]):
        return pd.DataFrame(columns=cols)
    rows = _query(
        con,
        """SELECT left(built_at, 10) AS built_at, data_version, kind, record_id, change, field, old, new
           FROM change_log
           WHERE change IN ('changed', 'removed') AND kind <> 'dataset'
             AND (len($countries) = 0 OR list_has_any(countries, $countries))
             AND (len($apps) = 0 OR list_has_any(apps, $apps))
           ORDER BY seq DESC LIMIT $limit""",
        {"countries": list(f.country), "apps": list(f.app), "limit": limit},
    )
    for r in rows:
        field = r["field"] if isinstance(r["field"], str) else None
        r["summary"] = correction_text(r["record_id"], r["change"], field, r["old"], r["new"])
    return pd.DataFrame(rows, columns=cols)

"""A record's page: its fields with their labels, its sources, primary documents and history, the
one-sentence summary of its claim, and an id (or a name) read from a URL."""

from __future__ import annotations

from typing import Any

import pandas as pd

from chatbot_watch.datamodel import schema, vocabularies
from chatbot_watch.datamodel.countries import all_countries
from chatbot_watch.datamodel.storage import MODEL
from chatbot_watch.queries import Con, _df


def record_sources(con: Con, kind: str, record_ids: list[str]) -> pd.DataFrame:
    """All sources (with quotes) of the given findings or actions."""
    return _df(
        con,
        """SELECT record_id, position, url, publisher, published, quote, language, translation, kind
           FROM record_sources
           WHERE record_kind = $kind AND list_contains($ids, record_id) ORDER BY record_id, position""",
        {"kind": kind, "ids": record_ids},
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

"""Import the government actions of the sourced fact base into data/actions.yaml.

Kept for provenance: data/actions.yaml is the source of truth after the import.

Reads /work/shared/facts/facts.yaml (CA-001..CA-079) and facts-2.yaml (CA-080..CA-098 and the
`updates` UP-001..UP-013), applies the updates that target actions, maps the free-text action
type, scope and status of each fact onto the closed vocabularies of chatbot_watch/schema.py
(one explicit decision per record in DECISIONS below) and writes data/actions.yaml.

Usage:  .venv/bin/python scripts/import_actions.py [--facts-dir /work/shared/facts]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

import pycountry
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from chatbot_watch.schema import ACTION_FIELDS, ACTION_STATUS, ACTION_TYPES, SCOPES  # noqa: E402

# ---------------------------------------------------------------------------
# Ids fixed by the project (app slugs and company ids that exist in apps/companies.yaml)
# ---------------------------------------------------------------------------

APP_IDS = {
    "deepseek",
    "chatgpt",
    "gemini",
    "copilot",
    "claude",
    "grok",
    "meta-ai",
    "perplexity",
    "character-ai",
    "replika",
    "doubao",
    "ernie-bot",
    "qwen",
    "yuanbao",
    "kimi",
    "zhipu-qingyan",
    "le-chat",
    "openai-api-platform",
    "genspark",
    "seaart",
    "chaton",
    "poe",
    "jasper",
    "nomi",
    "chai",
    "chub-ai",
    "my-ai",
}
COMPANY_IDS = {
    "bytedance",
    "volcano-engine",
    "china-mobile",
    "deepseek",
    "high-flyer",
    "moonshot-ai",
    "alibaba",
    "baidu",
    "tencent",
    "zhipu-ai",
    "openai",
    "openai-foundation",
    "google",
    "alphabet",
    "meta",
    "microsoft",
    "xai",
    "x-corp",
    "spacex",
    "anthropic",
    "mistral-ai",
    "perplexity-ai",
    "character-technologies",
    "luka",
    "mixpanel",
    "intercom",
    "datadog",
    "tiktok",
    "singular",
    "snap",
    "naver",
    "wrtn",
    "glimpse-ai",
}

# App names as the facts write them -> app id.  None = not an app (handled via companies/notes).
APP_NAMES: dict[str, str | None] = {
    "DeepSeek": "deepseek",
    "ChatGPT": "chatgpt",
    "ChatGPT (OpenAI)": "chatgpt",
    "Microsoft Copilot": "copilot",
    "Microsoft Copilot (commercial version)": "copilot",
    "Claude": "claude",
    "Grok": "grok",
    "Grok (xAI)": "grok",
    "Meta AI": "meta-ai",
    "Meta AI Studio": "meta-ai",
    "Character.AI": "character-ai",
    "Replika (Luka Inc.)": "replika",
    "Doubao": "doubao",
    "Ernie Bot (Wenxin Yiyan)": "ernie-bot",
    "Qwen (Tongyi)": "qwen",
    "Tencent Yuanbao": "yuanbao",
    "Kimi": "kimi",
    "Zhipu Qingyan (ChatGLM)": "zhipu-qingyan",
    "Snap (My AI)": "my-ai",
    "Nomi (Glimpse.AI)": "nomi",
    "Chai": "chai",
    "Chub AI": "chub-ai",
    # companies / non-chatbot products / groups named in the `app` list: not apps
    "Instagram": None,
    "Google (Alphabet)": None,
    "other Chinese-developed AI": None,
    "OpenAI (LLM service)": None,
    "Google (LLM service)": None,
    "Microsoft (LLM service)": None,
    "Meta (LLM service)": None,
    "Naver (LLM service)": None,
    "Wrtn (LLM service)": None,
}

# `subnational` as the facts write it -> ISO 3166-2 code (None = not one code, see notes)
SUBDIVISIONS: dict[str, str | None] = {
    "New South Wales": "AU-NSW",
    "South Australia": "AU-SA",
    "Queensland": "AU-QLD",
    "Western Australia": "AU-WA",
    "Australian Capital Territory": "AU-ACT",
    "Northern Territory": "AU-NT",
    "Berlin": "DE-BE",
    "Mie Prefecture": "JP-24",
    "Tottori Prefecture": "JP-31",
    "Seoul; Incheon; Daegu (city governments)": None,
    "Texas": "US-TX",
    "New York": "US-NY",
    "Virginia": "US-VA",
    "Iowa": "US-IA",
    "Tennessee": "US-TN",
    "Oklahoma": "US-OK",
    "Alabama": "US-AL",
    "Kansas": "US-KS",
    "Louisiana": "US-LA",
    "South Dakota": "US-SD",
    "North Carolina": "US-NC",
    "Arkansas": "US-AR",
    "California": "US-CA",
    "Kentucky": "US-KY",
    "Georgia": "US-GA",
    "Pennsylvania": "US-PA",
    "Nebraska": "US-NE",
    "North Dakota": "US-ND",
    "Oregon": "US-OR",
    "Nevada": "US-NV",
}

# ---------------------------------------------------------------------------
# One decision per action: (action_type, scope, status, companies, effective, extra note)
# ---------------------------------------------------------------------------
GDB, NB, DS, NWB, PL = (
    "government_device_ban",
    "network_block",
    "download_suspension",
    "nationwide_block",
    "processing_limitation",
)
INV, IR, FINE, CO, ADV, DL, LAW, BILL = (
    "investigation",
    "information_request",
    "fine",
    "corrective_order",
    "advisory",
    "delisting_request",
    "lawsuit",
    "bill",
)
GD, GN, PS, ALL, ND, CP, CT, MIN = (
    "government_devices",
    "government_networks",
    "public_sector",
    "all_users",
    "new_downloads",
    "company_practices",
    "content",
    "minors",
)

D: dict[str, tuple] = {
    # id: (action_type, scope, status, companies, effective, extra note or None)
    "CA-001": (
        DS,
        ND,
        "lifted",
        [],
        "2025-02-15",
        "Effective date from BTCRead ('The suspension started on Saturday, Feb. 15, at 6:00 PM'): "
        "DeepSeek removed the app two days before the PIPC announcement of 17 Feb 2025.",
    ),
    "CA-002": (CO, CP, "in_force", ["deepseek"], None, None),
    "CA-003": (NB, GD, "in_force", [], None, None),
    "CA-004": (NB, GD, "in_force", [], None, None),
    "CA-005": (NB, GD, "pending", [], None, "Planned block announced; implementation not reported."),
    "CA-006": (ADV, PS, "in_force", [], None, None),
    "CA-007": (
        GDB,
        PS,
        "in_force",
        [],
        None,
        "Status mapped from 'reported': a ban reported in force, no lifting found.",
    ),
    "CA-008": (
        GDB,
        GD,
        "in_force",
        [],
        None,
        "Subdivision left null: the fact names three city governments (Seoul KR-11, Incheon KR-28, "
        "Daegu KR-27), not one ISO 3166-2 code. The fact says 'ban / block' (mapped to "
        "government_device_ban). Status mapped from 'reported'.",
    ),
    "CA-009": (
        FINE,
        CP,
        "in_force",
        ["openai"],
        None,
        "Mapped as a fine; the improvement recommendations are part of the same decision. "
        "Payment of the fine not reported in the sources read.",
    ),
    "CA-010": (
        PL,
        ALL,
        "in_force",
        [],
        "2025-01-30",
        "Effective date: the order took 'immediate effect' (LaPresse, 30 Jan 2025). Also opened an investigation.",
    ),
    "CA-011": (
        INV,
        CP,
        "ended",
        [],
        None,
        "Scope mapped to company_practices (the fact says 'public'): a consumer-protection "
        "investigation of the company's conduct, not a restriction of users' access.",
    ),
    "CA-012": (
        PL,
        ALL,
        "lifted",
        [],
        "2023-03-30",
        "Effective date: order 'with immediate effect' on 30 Mar 2023 (Digital Policy Alert).",
    ),
    "CA-013": (FINE, CP, "lifted", ["openai"], None, None),
    "CA-014": (
        PL,
        ALL,
        "lifted",
        [],
        None,
        "The June 2023 suspension of the limitation was conditional on compliance measures.",
    ),
    "CA-015": (
        FINE,
        CP,
        "in_force",
        ["luka"],
        None,
        "Mapped as a fine; a new investigation into model training was opened at the same time. "
        "Payment of the fine not reported in the sources read.",
    ),
    "CA-016": (INV, CP, "ongoing", [], None, None),
    "CA-017": (GDB, GD, "in_force", [], None, None),
    "CA-018": (NB, GD, "in_force", [], None, None),
    "CA-019": (GDB, GD, "in_force", [], None, "Ban and network block (mapped to government_device_ban)."),
    "CA-020": (GDB, GD, "in_force", [], None, None),
    "CA-021": (GDB, GD, "in_force", [], None, None),
    "CA-022": (GDB, GD, "in_force", [], None, None),
    "CA-023": (GDB, GD, "in_force", [], None, None),
    "CA-024": (GDB, PS, "in_force", [], None, None),
    "CA-025": (GDB, PS, "in_force", [], None, None),
    "CA-026": (ADV, ALL, "in_force", [], None, None),
    "CA-027": (
        GDB,
        PS,
        "in_force",
        [],
        None,
        "The fact also covers 'other Chinese-developed AI' (not a single app; not listed in apps).",
    ),
    "CA-028": (
        GDB,
        PS,
        "in_force",
        [],
        None,
        "Mapped as a ban (the email prohibits use 'in any capacity'); the Navy called it a reminder "
        "of standing policy, not a new ban. Scope public_sector: Navy personnel, work and personal use.",
    ),
    "CA-029": (GDB, GD, "in_force", [], None, "Ban and network block (mapped to government_device_ban)."),
    "CA-030": (GDB, GD, "in_force", [], None, None),
    "CA-031": (NB, GN, "in_force", [], None, None),
    "CA-032": (GDB, GD, "in_force", [], None, None),
    "CA-033": (BILL, GD, "pending", [], None, None),
    "CA-034": (GDB, GD, "in_force", [], None, None),
    "CA-035": (
        GDB,
        PS,
        "ended",
        [],
        None,
        "Lift date left null: the fact gives only 'superseded by later House AI policy (Sept 2024)', "
        "not a dated end of this memo.",
    ),
    "CA-036": (
        IR,
        MIN,
        "ongoing",
        ["meta", "alphabet", "openai", "snap", "xai"],
        None,
        "Non-app names of the fact mapped to companies: 'Instagram' -> meta, 'Google (Alphabet)' -> "
        "alphabet; OpenAI, Snap and xAI are named by the fact alongside their apps. No Google app is "
        "named, so none is listed.",
    ),
    "CA-037": (GDB, GD, "in_force", [], None, None),
    "CA-038": (GDB, GD, "in_force", [], None, None),
    "CA-039": (GDB, GD, "in_force", [], None, None),
    "CA-040": (GDB, GD, "in_force", [], None, None),
    "CA-041": (GDB, GD, "in_force", [], None, None),
    "CA-042": (GDB, GD, "in_force", [], None, None),
    "CA-043": (GDB, GD, "in_force", [], None, None),
    "CA-044": (GDB, GD, "in_force", [], None, None),
    "CA-045": (
        GDB,
        PS,
        "in_force",
        [],
        None,
        "The quote speaks of free AI programs made under the CCP; it does not name DeepSeek itself.",
    ),
    "CA-046": (GDB, GD, "in_force", [], None, None),
    "CA-047": (GDB, GD, "in_force", [], None, None),
    "CA-048": (GDB, GD, "in_force", [], None, None),
    "CA-049": (INV, MIN, "ongoing", [], None, None),
    "CA-050": (INV, CP, "ongoing", [], None, "'Meta AI Studio' is recorded under the meta-ai app."),
    "CA-051": (INV, CT, "ongoing", ["xai"], None, None),
    "CA-052": (ADV, GD, "in_force", [], None, None),
    "CA-053": (GDB, PS, "in_force", [], None, None),
    "CA-054": (
        DL,
        ALL,
        "pending",
        [],
        None,
        "Status mapped to pending: the delisting was requested, its outcome was not found.",
    ),
    "CA-055": (
        INV,
        CP,
        "ongoing",
        [],
        None,
        "Investigation plus a public warning (mapped to investigation). Scope mapped to "
        "company_practices (the fact says 'public').",
    ),
    "CA-056": (GDB, GD, "in_force", [], None, None),
    "CA-057": (
        INV,
        CP,
        "ongoing",
        [],
        None,
        "A complaint under handling (mapped to investigation). Scope mapped to company_practices "
        "(the fact says 'public').",
    ),
    "CA-058": (
        GDB,
        GD,
        "in_force",
        [],
        "2025-12-01",
        "Effective date from the status ('in force from 1 Dec 2025') and Digital Watch "
        "('effective 1 December'). The announced month (Sept 2025) is when the government first "
        "signalled its concerns; the circular itself was reported on 1 Dec 2025.",
    ),
    "CA-059": (NB, GN, "in_force", [], None, None),
    "CA-060": (INV, CP, "ongoing", [], None, "Scope mapped to company_practices (the fact says 'public')."),
    "CA-061": (
        IR,
        CP,
        "in_force",
        [],
        None,
        "Status 'issued' mapped to in_force (a formal request/order); whether DeepSeek answered "
        "is not reported in the sources read.",
    ),
    "CA-062": (
        PL,
        CP,
        "ended",
        ["meta"],
        None,
        "Mapped to processing_limitation: a regulator's request whose effect was that Meta paused "
        "training on EU/EEA users' content (Meta complied, hence ended).",
    ),
    "CA-063": (INV, CP, "ongoing", ["x-corp"], None, None),
    "CA-064": (ADV, PS, "in_force", [], None, None),
    "CA-065": (ADV, ALL, "in_force", [], None, None),
    "CA-066": (GDB, GD, "in_force", [], None, "Ban with a filtering block (mapped to government_device_ban)."),
    "CA-067": (GDB, GD, "in_force", [], None, None),
    "CA-068": (
        ADV,
        CP,
        "in_force",
        ["openai"],
        None,
        "Administrative guidance addressed to OpenAI (mapped to advisory per the project's rule "
        "for guidance/warnings).",
    ),
    "CA-069": (GDB, GD, "in_force", [], None, None),
    "CA-070": (INV, CP, "ongoing", ["openai"], None, None),
    "CA-071": (PL, CP, "lifted", ["meta"], None, None),
    "CA-072": (
        NWB,
        CT,
        "in_force",
        [],
        None,
        "Court-ordered block of about 50 posts (mapped to nationwide_block, scope content); a "
        "criminal investigation was opened as well. Status 'partly implemented' mapped to in_force.",
    ),
    "CA-073": (
        NWB,
        CT,
        "in_force",
        [],
        None,
        "Scope mapped to content although the fact says 'public': the order blocks access in Turkey "
        "to Grok's X account, not to the Grok app or website. Status mapped to in_force (order "
        "issued) although X had not enforced it as of 12 Sept 2025.",
    ),
    "CA-074": (NWB, ALL, "lifted", [], None, None),
    "CA-075": (NWB, ALL, "lifted", [], None, None),
    "CA-076": (
        NWB,
        ALL,
        "lifted",
        [],
        None,
        "Doubtful weekday: in 2026, 21 January is a Wednesday, not a Tuesday; lift date kept at "
        "month precision as in the fact.",
    ),
    "CA-077": (INV, CP, "ongoing", ["x-corp"], None, None),
    "CA-078": (INV, CT, "ongoing", ["x-corp"], None, None),
    "CA-079": (
        ADV,
        CP,
        "in_force",
        [],
        None,
        "Public notice naming apps that violated personal-data rules (mapped to advisory).",
    ),
    "CA-080": (CO, CT, "in_force", ["x-corp"], None, None),
    "CA-081": (
        CO,
        MIN,
        "in_force",
        ["x-corp"],
        None,
        "Request for minor-protection measures plus a report (mapped to corrective_order, scope minors).",
    ),
    "CA-082": (INV, CP, "ongoing", ["xai"], None, None),
    "CA-083": (INV, CP, "ongoing", ["x-corp", "xai"], None, None),
    "CA-084": (
        CO,
        CT,
        "in_force",
        ["x-corp"],
        None,
        "Request for measures plus written questions (mapped to corrective_order).",
    ),
    "CA-085": (INV, CP, "ongoing", ["x-corp"], None, None),
    "CA-086": (
        INV,
        CP,
        "ongoing",
        ["x-corp", "xai"],
        None,
        "X Internet Unlimited Company recorded under x-corp, X.AI LLC under xai.",
    ),
    "CA-087": (GDB, GD, "in_force", [], None, None),
    "CA-088": (
        IR,
        MIN,
        "ended",
        [],
        None,
        "Transparency (reporting) notices mapped to information_request; status 'findings published' mapped to ended.",
    ),
    "CA-089": (LAW, MIN, "ongoing", ["character-technologies"], None, None),
    "CA-090": (GDB, PS, "in_force", [], None, None),
    "CA-091": (GDB, GD, "in_force", [], None, None),
    "CA-092": (GDB, GD, "in_force", [], None, None),
    "CA-093": (GDB, PS, "in_force", [], None, None),
    "CA-094": (GDB, PS, "in_force", [], None, None),
    "CA-095": (GDB, PS, "in_force", [], None, None),
    "CA-096": (BILL, GD, "pending", ["high-flyer"], None, None),
    "CA-097": (IR, CP, "ended", ["deepseek"], None, None),
    "CA-098": (
        CO,
        CP,
        "ended",
        ["openai", "google", "microsoft", "meta", "naver", "wrtn"],
        None,
        "Google LLC recorded under google, Meta Platforms under meta.",
    ),
}

# Facts that name no authority: the schema requires one, so the gap is stated, not filled.
AUTHORITY_UNKNOWN = {
    "CA-047": "Not named in the sources read (North Carolina state government level)",
    "CA-048": "Not named in the sources read (Arkansas state executive action)",
    "CA-093": "Not named in the sources read (North Dakota state government level)",
    "CA-094": "Not named in the sources read (Oregon state government departments)",
    "CA-095": "Not named in the sources read (Nevada state government departments)",
}

# Additional sources of the fact base that carry no quote.  The quote is required by the schema;
# these verbatim sentences were read at import from the stored text of the same page (same URL).
MISSING_QUOTES = {
    "https://competition.today/2025/12/02/italy-moves-to-impose-interim-measures-against-meta-over-whatsapp-ai-integration/": "Italy’s competition authority (AGCM) has confirmed to Competition Today that it has initiated "
    "proceedings to adopt interim measures against Meta, targeting the integration of Meta AI into WhatsApp",
    "https://www.intellinews.com/czech-government-bans-deepseek-in-public-administration-warning-the-ai-company-products-pose-high-threat-390464/?source=china": "The Czech government has banned the use of the Chinese artificial intelligence company DeepSeek "
    "and its products in the country’s public administration.",
    "https://www.abc.com.py/ciencia/2025/12/01/el-gobierno-belga-prohibe-a-sus-empleados-utilizar-aplicaciones-del-sistema-chino-deepseek/": "En ella se indica que todas las aplicaciones de DeepSeek deben haber sido eliminadas de los "
    "dispositivos de trabajo de los empleados antes del 1 de diciembre.",
    "https://www.cbc.ca/news/canada/british-columbia/canada-privacy-investigation-chatgpt-1.6854468?cmp=rss": "A statement on Thursday said provincial authorities in Alberta, British Columbia and Quebec have "
    "joined the investigation launched by the Office of the Privacy Commissioner of Canada in April",
}

# Wording kept in notes for the old values that updates replaced (where the old value carries information).
OLD_VALUE_NOTES = {
    ("CA-001", "date_lifted"): "Earlier record: lifted 2025-04 (month only).",
    ("CA-013", "status"): "Earlier record: status 'issued; OpenAI said it would appeal'.",
    ("CA-071", "status"): "Earlier record: status 'issued' (no lift date).",
    ("CA-074", "status"): "Earlier record: status 'conditionally lifted (date not stated in source read)'.",
    ("CA-046", "date_announced"): "Earlier record: announced 2025-03 (month only, from StateTech).",
    ("CA-046", "scope"): "Earlier record: scope 'government devices; contractors'.",
}
UPDATE_FIELDS = {"date_lifted", "date_announced", "status", "scope"}


def sdate(v: object) -> str | None:
    """Dates as strings, precision kept ('2025-04' stays '2025-04')."""
    if v is None:
        return None
    if isinstance(v, (dt.date, dt.datetime)):
        return v.strftime("%Y-%m-%d")
    return str(v)


def source(url: str, publisher: str, published: object, quote: str | None) -> dict:
    if quote is None:
        quote = MISSING_QUOTES[url]  # KeyError = an unexpected quote-less source: stop
    return {
        "url": url,
        "publisher": publisher,
        "published": sdate(published),
        "accessed": None,
        "quote": " ".join(str(quote).split()),
    }


def fact_sources(r: dict) -> list[dict]:
    out = [source(r["source_url"], r["source_publisher"], r["source_date"], r.get("quote"))]
    for s in r.get("additional_sources") or []:
        out.append(source(s["source_url"], s["source_publisher"], s["source_date"], s.get("quote")))
    return out


def join_notes(parts: list[str | None]) -> str | None:
    parts = [" ".join(str(p).split()) for p in parts if p]
    return " ".join(parts) if parts else None


def build(facts_dir: Path) -> list[dict]:
    f1 = yaml.safe_load((facts_dir / "facts.yaml").read_text(encoding="utf-8"))
    f2 = yaml.safe_load((facts_dir / "facts-2.yaml").read_text(encoding="utf-8"))
    facts = f1["country_actions"] + f2["country_actions"]
    updates = [u for u in f2["updates"] if u["target_id"].startswith("CA-")]
    assert len(facts) == 98 and len({r["id"] for r in facts}) == 98
    assert set(D) == {r["id"] for r in facts}

    by_id = {r["id"]: dict(r) for r in facts}
    upd_sources: dict[str, list[dict]] = {}
    upd_notes: dict[str, list[str]] = {}
    for u in updates:  # applied in file order (UP-001 ...)
        rec = by_id[u["target_id"]]
        assert u["field"] in UPDATE_FIELDS, u["id"]
        assert sdate(rec[u["field"]]) == sdate(u["old_value"]), (u["id"], rec[u["field"]], u["old_value"])
        rec[u["field"]] = u["new_value"]
        old = OLD_VALUE_NOTES.get((u["target_id"], u["field"]))
        upd_notes.setdefault(u["target_id"], []).extend(
            [old, f"{u['id']} ({u['field']}): {u['notes']}" if u.get("notes") else None]
        )
        upd_sources.setdefault(u["target_id"], []).extend(fact_sources(u))

    out = []
    for fid in sorted(by_id):
        r = by_id[fid]
        atype, scope, status, companies, effective, extra = D[fid]
        apps: list[str] = []
        for name in r["app"] or []:
            aid = APP_NAMES[name]  # KeyError = unmapped name: stop
            if aid and aid not in apps:
                apps.append(aid)
        sub = r["subnational"]
        subdivision = SUBDIVISIONS[sub] if sub else None
        authority = r["authority"] or AUTHORITY_UNKNOWN[fid]
        lifted = sdate(r["date_lifted"])
        rec = {
            "id": fid,
            "jurisdiction": r["country"],
            "subdivision": subdivision,
            "authority": authority,
            "action_type": atype,
            "action_described": r["action_type"],
            "scope": scope,
            "scope_described": r["scope"],
            "apps": apps,
            "companies": companies,
            "announced": sdate(r["date_announced"]),
            "effective": effective,
            "lifted": lifted,
            "status": status,
            "status_described": " ".join(str(r["status"]).split()),
            "notes": join_notes([r["notes"], *upd_notes.get(fid, []), extra]),
            "sources": fact_sources(r) + upd_sources.get(fid, []),
        }
        assert list(rec) == [f.name for f in ACTION_FIELDS]
        out.append(rec)
    return out


# ---------------------------------------------------------------------------
# Self-check (independent of chatbot_watch.load)
# ---------------------------------------------------------------------------


def _pdate_key(s: str) -> tuple:
    parts = s.split("-")
    if len(parts) == 1:
        dt.date(int(parts[0]), 1, 1)
    elif len(parts) == 2:
        dt.date(int(parts[0]), int(parts[1]), 1)
    else:
        dt.date.fromisoformat(s)
    return tuple(int(p) for p in parts)


def _before(a: str, b: str) -> bool:
    """a strictly before b at the precision they share."""
    ka, kb = _pdate_key(a), _pdate_key(b)
    n = min(len(ka), len(kb))
    return ka[:n] < kb[:n]


def check(records: list[dict]) -> list[str]:
    problems = []
    names = [f.name for f in ACTION_FIELDS]
    required = {f.name for f in ACTION_FIELDS if f.required}
    for r in records:
        rid = r.get("id")
        if list(r) != names:
            problems.append(f"{rid}: fields {list(r)}")
        for k in required:
            if r.get(k) in (None, "", []):
                problems.append(f"{rid}: required {k} missing")
        if r["action_type"] not in ACTION_TYPES:
            problems.append(f"{rid}: action_type {r['action_type']}")
        if r["scope"] not in SCOPES:
            problems.append(f"{rid}: scope {r['scope']}")
        if r["status"] not in ACTION_STATUS:
            problems.append(f"{rid}: status {r['status']}")
        j = r["jurisdiction"]
        if j != "EU" and pycountry.countries.get(alpha_2=j) is None:
            problems.append(f"{rid}: jurisdiction {j}")
        if r["subdivision"]:
            s = pycountry.subdivisions.get(code=r["subdivision"])
            if s is None or s.country_code != j:
                problems.append(f"{rid}: subdivision {r['subdivision']}")
        for a in r["apps"]:
            if a not in APP_IDS:
                problems.append(f"{rid}: app {a}")
        for c in r["companies"]:
            if c not in COMPANY_IDS:
                problems.append(f"{rid}: company {c}")
        if not r["apps"] and not r["companies"]:
            problems.append(f"{rid}: neither apps nor companies")
        for k in ("announced", "effective", "lifted"):
            if r[k] is not None:
                try:
                    _pdate_key(r[k])
                except ValueError:
                    problems.append(f"{rid}: bad date {k}={r[k]}")
        for k in ("announced", "effective"):
            if r["lifted"] and r[k] and _before(r["lifted"], r[k]):
                problems.append(f"{rid}: lifted {r['lifted']} before {k} {r[k]}")
        if r["lifted"] and r["status"] == "in_force":
            problems.append(f"{rid}: lifted but in_force")
        if r["status"] == "lifted" and not r["lifted"]:
            problems.append(f"{rid}: status lifted without a date (allowed, but check)")
        for k in ("authority", "action_described", "scope_described", "status_described"):
            v = r[k]
            if v is not None and ("\n" in v or len(v) > (300 if k == "authority" else 500)):
                problems.append(f"{rid}: {k} too long or multi-line")
        if r["notes"] and len(r["notes"]) > 3000:
            problems.append(f"{rid}: notes too long")
        if not r["sources"]:
            problems.append(f"{rid}: no sources")
        for s in r["sources"]:
            if not str(s["url"]).startswith(("http://", "https://")):
                problems.append(f"{rid}: url {s['url']}")
            if not s["publisher"] or not s["quote"]:
                problems.append(f"{rid}: source without publisher/quote {s['url']}")
            if s["published"] is not None:
                _pdate_key(s["published"])
    ids = [r["id"] for r in records]
    if len(ids) != len(set(ids)):
        problems.append("duplicate ids")
    return problems


def dump(records: list[dict], path: Path) -> None:
    text = yaml.safe_dump(
        {"actions": records}, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False
    )
    lines = text.splitlines()
    out: list[str] = []
    seen_first = False
    for line in lines:
        if line.startswith("- id: "):
            if seen_first:
                out.append("")
            seen_first = True
        out.append(line)
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    assert yaml.safe_load(path.read_text(encoding="utf-8")) == {"actions": records}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--facts-dir", type=Path, default=Path("/work/shared/facts"))
    ap.add_argument("--out", type=Path, default=ROOT / "data" / "actions.yaml")
    args = ap.parse_args()
    records = build(args.facts_dir)
    problems = [p for p in check(records) if "allowed, but check" not in p]
    for p in problems:
        print("PROBLEM", p)
    dump(records, args.out)
    print(f"wrote {len(records)} actions to {args.out}")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())

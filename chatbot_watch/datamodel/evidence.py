"""How citable each finding and action is: the sourcing measures of issue 22, and the newest event.

A record is *cite-ready* when its main (first) source is the authority's own publication or a
report quoting it verbatim (`kind` primary or direct), that source's quote says its language (with
our English translation when it is not English), and the record names its primary document
(`primary_documents`). `check-sources` prints the shares and the records still short; the build
stores the shares in `meta` for the About page. Also here: the checks a maintainer acts on
(a main source on a reviewed repost site, an open action whose newest source is old, a
month-precise date where a source of the same month is dated to the day) and the newest event
date, which every page shows beside the review date (`as_of`).

Everything works on plain record values (`dict`s as loaded), so the build, `check-sources` and
the tests use the same code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from chatbot_watch.datamodel import vocabularies
from chatbot_watch.i18n import N_, _
from chatbot_watch.reading.fieldcheck import parse_pdate

Values = Mapping[str, Any]
MEASURED_KINDS = ("actions", "findings")
OWN_WORDS = ("primary", "direct")
OPEN_STATUSES = vocabularies.statuses("open")
SITES_FILE = Path("review") / "secondary_sites.yaml"  # inside the data folder
COUNTS = ("total", "primary", "direct", "secondary", "unreviewed", "own_words", "language", "documents", "ready")
EVENT_DATES = {"actions": ("announced", "effective", "lifted"), "findings": ("audit_date",)}


@dataclass(frozen=True)
class Sourcing:
    """How one record's main source and documents measure up."""

    kind: str  # "actions" or "findings"
    id: str
    main_kind: str | None  # primary, direct, secondary, or None (not reviewed)
    main_language: str | None
    translated: bool  # the main quote is English, or carries our translation
    documents: int

    @property
    def own_words(self) -> bool:
        return self.main_kind in OWN_WORDS

    @property
    def language_ok(self) -> bool:
        return self.main_language is not None and self.translated

    @property
    def cite_ready(self) -> bool:
        return self.own_words and self.language_ok and self.documents > 0

    def shortfalls(self) -> list[str]:
        """What keeps the record from being cite-ready, in words."""
        out = []
        if not self.own_words:
            out.append(f"main source {self.main_kind or 'not reviewed'}")
        if self.main_language is None:
            out.append("quote language not stated")
        elif not self.translated:
            out.append("quote not translated")
        if not self.documents:
            out.append("no primary document named")
        return out


def sourcing(kind: str, values: Values) -> Sourcing:
    """The measures of one finding or action."""
    sources = values.get("sources") or []
    main = sources[0] if sources and isinstance(sources[0], Mapping) else {}
    lang = main.get("language")
    docs = values.get("primary_documents") or []
    return Sourcing(
        kind,
        str(values.get("id")),
        main.get("kind"),
        lang,
        lang == "en" or bool(main.get("translation")),
        len(docs) if isinstance(docs, list) else 0,
    )


def measures(records: Mapping[str, Iterable[Values]]) -> list[Sourcing]:
    """Every finding's and action's measures, findings first, in file order."""
    return [sourcing(kind, v) for kind in ("findings", "actions") for v in records.get(kind, [])]


def shares(ms: Iterable[Sourcing]) -> dict[str, dict[str, int]]:
    """Counts per kind: total, each main-source kind, own words, language, documents, cite-ready."""
    out: dict[str, dict[str, int]] = {}
    for m in ms:
        c = out.setdefault(
            m.kind,
            dict.fromkeys(
                (
                    "total",
                    "primary",
                    "direct",
                    "secondary",
                    "unreviewed",
                    "own_words",
                    "language",
                    "documents",
                    "ready",
                ),
                0,
            ),
        )
        c["total"] += 1
        c[m.main_kind if m.main_kind in ("primary", "direct", "secondary") else "unreviewed"] += 1
        c["own_words"] += m.own_words
        c["language"] += m.language_ok
        c["documents"] += m.documents > 0
        c["ready"] += m.cite_ready
    return out


def percent(part: int, whole: int) -> str:
    """'42 %' (no decimals), or '-' for an empty whole."""
    return f"{round(100 * part / whole)} %" if whole else "-"


def _share(c: Mapping[str, int], key: str) -> str:
    """'231 (83 %)': a count with its share of the kind's records."""
    return f"{c[key]} ({percent(c[key], c['total'])})"


def _measured(counts: Mapping[str, Mapping[str, int]]) -> list[tuple[str, Mapping[str, int]]]:
    return [(kind, counts[kind]) for kind in MEASURED_KINDS if counts.get(kind)]


def share_lines(counts: Mapping[str, Mapping[str, int]]) -> list[str]:
    """One line per kind, as check-sources prints them."""
    return [
        f"{kind}: {c['total']}; main source primary {c['primary']}, direct {c['direct']}, secondary "
        f"{c['secondary']}, not reviewed {c['unreviewed']}; own words (primary or direct) {_share(c, 'own_words')}, "
        f"quote language stated and translated {_share(c, 'language')}, primary document named "
        f"{_share(c, 'documents')}; all three {_share(c, 'ready')}"
        for kind, c in _measured(counts)
    ]


def meta_facts(records: Mapping[str, Iterable[Values]]) -> dict[str, str | None]:
    """What the build stores in `meta`: the sourcing counts and the newest event's date."""
    facts: dict[str, str | None] = {}
    for kind, c in shares(measures(records)).items():
        for key, n in c.items():
            facts[f"sourcing_{kind}_{key}"] = str(n)
    facts["newest_event"] = newest_event(records)
    return facts


REVIEWED_PREFIX = "reviewed_"  # meta key of a jurisdiction's own review date: reviewed_KR


def review_facts(meta: Mapping[str, str | None]) -> dict[str, Any]:
    """How current the data is, as every answer says it (pages, API, downloads, data package):
    the review date (`as_of`), the newest event recorded, the open leads at the review (None when
    not counted) and the jurisdictions reviewed up to another day."""
    leads = meta.get("open_leads")
    return {
        "as_of": meta.get("as_of"),
        "newest_event": meta.get("newest_event"),
        "open_leads": int(leads) if isinstance(leads, str) and leads.isdigit() else None,  # a NULL reads as NaN
        "reviewed": {k.removeprefix(REVIEWED_PREFIX): v for k, v in meta.items() if k.startswith(REVIEWED_PREFIX)},
    }


def shares_from_meta(meta: Mapping[str, str]) -> dict[str, dict[str, int]]:
    """The counts `meta_facts` stored, read back (kinds with no stored counts are left out)."""
    out: dict[str, dict[str, int]] = {}
    for kind in MEASURED_KINDS:
        if f"sourcing_{kind}_total" in meta:
            out[kind] = {key: int(meta.get(f"sourcing_{kind}_{key}") or 0) for key in COUNTS}
    return out


def share_rows(counts: Mapping[str, Mapping[str, int]]) -> list[tuple[str, ...]]:
    """The About page's table: one row per kind, counts with their shares."""
    return [
        (
            _(KIND_HEADINGS[kind]),
            str(c["total"]),
            _share(c, "own_words"),
            f"{c['primary']} / {c['direct']} / {c['secondary']} / {c['unreviewed']}",
            _share(c, "language"),
            _share(c, "documents"),
            _share(c, "ready"),
        )
        for kind, c in _measured(counts)
    ]


KIND_HEADINGS = {"actions": N_("Government actions"), "findings": N_("Findings")}
SHARE_HEADINGS = [  # shown as _(heading), in the reader's language
    N_("Records"),
    N_("Number"),
    N_("Main source in the authority's own words"),
    N_("Main source primary / direct / secondary / not reviewed"),
    N_("Quote language stated (translated when not English)"),
    N_("Primary document named"),
    N_("All three"),
]


def newest_event(records: Mapping[str, Iterable[Values]]) -> str | None:
    """The latest date any finding or action records (announced, effective, lifted, audit date),
    as written (partial dates compared by their earliest day), or None."""
    best: tuple[dt.date, str] | None = None
    for kind, fields in EVENT_DATES.items():
        for v in records.get(kind, []):
            for f in fields:
                text = v.get(f)
                parsed = parse_pdate(text) if isinstance(text, str) else None
                if parsed and (best is None or parsed[0] > best[0]):
                    best = (parsed[0], text)
    return best[1] if best else None


# ---------------------------------------------------------------------------
# Checks a maintainer acts on (check-sources prints them as warnings or info)
# ---------------------------------------------------------------------------


def secondary_sites(data_dir: Path) -> dict[str, str]:
    """The reviewed list of repost and aggregator sites: domain -> why it is listed ({} if none)."""
    path = data_dir / SITES_FILE
    if not path.is_file():
        return {}
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    sites = doc.get("sites") or []
    return {str(s["domain"]).lower(): str(s.get("why") or "") for s in sites if isinstance(s, dict) and s.get("domain")}


def site_of(url: str, sites: Mapping[str, str]) -> str | None:
    """The listed site a URL is on (its host or a parent domain of it), or None."""
    host = (urlsplit(url).hostname or "").lower()
    parts = host.split(".")
    for i in range(len(parts) - 1):
        if ".".join(parts[i:]) in sites:
            return ".".join(parts[i:])
    return None


def stale(values: Values, today: dt.date, max_age_days: int) -> tuple[str | None, int] | None:
    """For an open action (ongoing or pending): its newest source date and age in days when older
    than `max_age_days` (no dated source counts as stale, with the age of its announcement)."""
    if values.get("status") not in OPEN_STATUSES:
        return None
    dates = []
    for s in values.get("sources") or []:
        p = s.get("published") if isinstance(s, Mapping) else None
        parsed = parse_pdate(p) if isinstance(p, str) else None
        if parsed:
            dates.append((parsed[1], p))
    if not dates:
        ann = values.get("announced")
        parsed = parse_pdate(ann) if isinstance(ann, str) else None
        if parsed is None:
            return (None, -1)
        dates.append((parsed[1], None))
    newest, text = max(dates)
    age = (today - newest).days
    return (text, age) if age > max_age_days else None


def day_hint(values: Values, field: str) -> str | None:
    """A month-precise date where a source published in that month gives a day: worth checking
    whether the source states the day (SOURCING.md: a date is as precise as the source)."""
    text = values.get(field)
    if not isinstance(text, str) or len(text) != 7:
        return None
    days = sorted(
        s["published"]
        for s in values.get("sources") or []
        if isinstance(s, Mapping) and isinstance(s.get("published"), str) and s["published"].startswith(text + "-")
    )
    return days[0] if days else None

"""Record (`/record?id=AF-001`): one finding, action, app or company: every field, its primary
documents, its sources with their full quotes, its history."""

from __future__ import annotations

import re

import pandas as pd

from chatbot_watch import i18n
from chatbot_watch.datamodel import vocabularies
from chatbot_watch.filters import Filters, url_text
from chatbot_watch.i18n import N_, _
from chatbot_watch.queries import recordpage
from chatbot_watch.views import columns
from chatbot_watch.views.base import Ctx, Page, Table, View, n, page_href, record_href
from chatbot_watch.views.chronology import chronology_table

PAGE = Page(
    "record",
    "/record",
    N_("Look up a record"),
    ":material/description:",
    N_("Every field of one record, its sources with their full quotes, and its history."),
    params=("id",),
)
QUESTION = N_("Every field of this record as the data file holds it, its sources and its history.")
MAX_ID = 80


def typed(params: dict | object) -> str:
    """The id the URL's `id` asks for (at most MAX_ID characters)."""
    return url_text((list(params.get("id", ())) or [""])[0])[:MAX_ID]  # type: ignore[union-attr]


def source_kind_label(kind: object) -> str:
    """A source's kind as a reader reads it ("not yet reviewed" when unclassified)."""
    return _(vocabularies.label("SOURCE_KINDS", kind)) if isinstance(kind, str) else _("not yet reviewed")


# A vocabulary value as a record's field shows it: its label and its id ("Download suspension
# (download_suspension)"); lists join several ("Chat content and prompts (chat_content), …").
LABELLED = re.compile(r"(?:(?<=^)|(?<=, ))([^,()]+?) \(([a-z][a-z0-9_]*)\)(?=, |$)")


def labelled(value: str) -> str:
    """A field's value with each vocabulary label in the reader's language, ids kept."""
    return LABELLED.sub(lambda m: f"{_(m.group(1))} ({m.group(2)})", value)


def claim(s: dict) -> str:
    """What a finding or an action says, in one sentence of the reader's language (no final stop):
    who did what to which app, when, with what evidence or status."""
    if s["kind"] == "finding":
        what = _(", ").join(_(label) for label in s.get("what") or [])
        head = _("{who} on {app}: {what}").format(who=s["who"], app=s["apps"], what=what)
        parts = [_("sent to {recipients}").format(recipients=s["recipients"])] if s.get("recipients") else []
        label = s.get("status") or ""
        parts.append(_("evidence: {status}").format(status=_(label)) if label else "")
        if s.get("date"):
            parts.append(s["date"])
    else:
        code, sub = s.get("country_code") or "", s.get("subdivision_name")
        country = i18n.country_name(code, s.get("country_name") or code)
        place = f"{sub} ({country})" if sub else country
        action_type, label = s.get("what") or "", s.get("status") or ""
        head = _("{who} ({place}): {what}").format(who=s["who"], place=place, what=_(action_type))
        parts = [_("concerning {apps}").format(apps=s["apps"])] if s.get("apps") else []
        if s.get("date"):
            parts.append(_("announced {date}").format(date=s["date"]))
        if s.get("lifted"):
            parts.append(_("lifted {date}").format(date=s["lifted"]))
        elif s.get("status"):
            parts.append(_("status: {status}").format(status=_(label)))
    return head + _(", ") + _(", ").join(p for p in parts if p) if any(parts) else head


def build(c: Ctx, v: View) -> View:
    raw = typed(c.params)
    matches = recordpage.resolve_record(c.con, raw) if raw.strip() else []
    if len(matches) != 1:
        v.heading = _("Record")
        v.description = _(
            "Look up a finding (AF-…), a government action (CA-…), an app or a company of {site}."
        ).format(site=v.site)
        if len(matches) > 1:
            v.notices.append(
                _("'{raw}' names several records: {ids}.").format(
                    raw=raw, ids=", ".join(f"{k}:{i}" for k, i in matches)
                )
            )
            v.canonical = page_href("/record", id=raw)
        return v
    kind, record_id = matches[0]
    rec = recordpage.record(c.con, kind, record_id)
    assert rec is not None
    v.heading = rec["title"]
    v.title = f"{rec['title']} - {v.site}"
    v.question = _(QUESTION)
    v.canonical = record_href(record_id, kind)
    sources = rec["sources"]
    summary = recordpage.record_summary(c.con, kind, record_id)
    v.description = _("{title}. {sources}, as of {as_of}.").format(
        title=claim(summary) if summary else rec["title"],
        sources=n(len(sources), "{n} public source", "{n} public sources"),
        as_of=v.as_of,
    )
    fields = pd.DataFrame(rec["fields"], columns=["field", "value"])
    if i18n.current() != i18n.DEFAULT:  # vocabulary values ("Lifted (lifted)") in the reader's language
        fields["value"] = [labelled(str(x)) for x in fields["value"]]
    v.tables = [Table("fields", _("Fields"), fields, columns.FIELDS, whole=True)]
    if kind in ("finding", "action"):
        docs = rec["documents"]
        v.tables.append(
            Table(
                "documents",
                _("Primary documents ({n})").format(n=len(docs)),
                docs,
                columns.DOCUMENTS,
                links={"url": lambda r: r["url"] or ""},
            )
        )
    v.tables.append(
        Table(
            "sources",
            _("Sources ({n})").format(n=len(sources)),
            sources.assign(
                kind=[source_kind_label(k) for k in sources["kind"]],
                translation=[t if isinstance(t, str) else "" for t in sources["translation"]],
            ),
            columns.SOURCES,
            links={"url": lambda r: r["url"]},
        )
    )
    v.tables.append(_chronology(c, kind, record_id))
    v.tables.append(Table("history", _("History"), rec["history"], columns.HISTORY))
    return v


def _chronology(c: Ctx, kind: str, record_id: str) -> Table:
    """The record's events: an action's or a finding's own; those concerning an app or a company."""
    if kind in ("action", "finding"):
        return chronology_table(c.con, Filters(), record=(kind, record_id), drop=("record_id",))
    return chronology_table(c.con, Filters(app=(record_id,)) if kind == "app" else Filters(company=(record_id,)))

"""The data model, declared once: record kinds and their fields (the closed vocabularies their
values come from, with their meaning, are in vocabularies.py).

Everything that validates, documents or builds the data reads these declarations:
reading/load.py checks records against them, store/build.py derives tables from them and a test
checks that `data/README.md` documents every field and vocabulary value listed here.
"""

from __future__ import annotations

from dataclasses import dataclass

# ---------------------------------------------------------------------------
# Field declarations
# ---------------------------------------------------------------------------

# Field kinds understood by load.py:
#   str       one-line text (no newline), max_len characters
#   text      free text, may span lines
#   slug      lowercase id: a-z, 0-9 and single hyphens
#   record_id upper-case prefix, hyphen, digits (AF-001, CA-001)
#   url       http:// or https:// URL
#   date      YYYY-MM-DD, a real calendar date
#   pdate     partial date: YYYY, YYYY-MM or YYYY-MM-DD (precision is kept)
#   country   ISO 3166-1 alpha-2 code (pycountry)
#   jurisdiction  ISO 3166-1 alpha-2 code or EU
#   subdivision   ISO 3166-2 code (pycountry)
#   domain    internet domain name, lowercase
#   enum      value of `vocab`
#   ref       id of a record of kind `ref`
#   list      YAML list of `item`
#   object    YAML mapping with `fields`


@dataclass(frozen=True)
class Field:
    """One field of a record: its kind, constraints and one-line documentation."""

    name: str
    kind: str
    doc: str
    required: bool = False
    nullable: bool = True
    max_len: int = 300
    vocab: str | None = None
    ref: str | None = None
    item: Field | None = None
    fields: tuple[Field, ...] = ()
    min_items: int = 0
    max_items: int = 200


SOURCE_FIELDS: tuple[Field, ...] = (
    Field("url", "url", "Address of the page (http or https only).", True, False, 2000),
    Field(
        "publisher",
        "str",
        "Site or outlet that published it; the original outlet or wire service in brackets.",
        True,
        False,
    ),
    Field("published", "pdate", "Publication date as the page gives it; null if it gives none."),
    Field("accessed", "date", "Date a maintainer read the page; null when not recorded. Not before `published`."),
    Field(
        "quote",
        "text",
        "Short verbatim quote (about 30 words) from the page supporting the claim, in the page's language and "
        "script, never translated.",
        True,
        False,
        1000,
    ),
    Field(
        "language",
        "enum",
        "Language of the quote (see [LANGUAGES](#languages)); write it for every new source (`check-sources` "
        "lists sources without it).",
        vocab="LANGUAGES",
    ),
    Field(
        "translation",
        "text",
        "Our (Chatbot Watch's) English translation of a quote not in English; required then, refused for an "
        "English quote. The app labels it as ours.",
        max_len=1500,
    ),
    Field(
        "kind",
        "enum",
        "What the page is: primary, direct or secondary (see [SOURCE_KINDS](#source_kinds)); null until a "
        "maintainer has reviewed it.",
        vocab="SOURCE_KINDS",
    ),
)

DOCUMENT_FIELDS: tuple[Field, ...] = (
    Field("issuer", "str", "Who issued it: the authority, or the auditor for a finding.", True, False),
    Field("title", "str", "Its title (or what it is: press release, decision no. …), as reported.", True, False, 500),
    Field("date", "pdate", "Its date, where known."),
    Field("url", "url", "Where a copy can be read, where known.", max_len=2000),
    Field(
        "access",
        "enum",
        "Whether a maintainer read a copy (see [DOCUMENT_ACCESS](#document_access)).",
        True,
        False,
        vocab="DOCUMENT_ACCESS",
    ),
)

PRIMARY_DOCUMENTS = Field(
    "primary_documents",
    "list",
    "The primary documents behind the record (decision, order, press release, the auditor's report), "
    "most important first; even where no copy could be read.",
    item=Field("document", "object", "A primary document.", fields=DOCUMENT_FIELDS),
    max_items=10,
)

SOURCES = Field(
    "sources",
    "list",
    "Sources supporting the record, main source first.",
    True,
    False,
    item=Field("source", "object", "A cited source.", fields=SOURCE_FIELDS),
    min_items=1,
    max_items=30,
)
OPTIONAL_SOURCES = Field(
    "sources",
    "list",
    "Sources supporting the record, main source first.",
    item=Field("source", "object", "A cited source.", fields=SOURCE_FIELDS),
    max_items=30,
)
NOTES = Field("notes", "text", "Context, caveats, disagreements between sources, earlier values.", max_len=3000)


def _list(name: str, item_kind: str, doc: str, **kw: object) -> Field:
    vocab = kw.pop("vocab", None)
    ref = kw.pop("ref", None)
    item = Field(name, item_kind, doc, nullable=False, vocab=vocab, ref=ref)  # type: ignore[arg-type]
    return Field(name, "list", doc, item=item, **kw)  # type: ignore[arg-type]


REVIEW_FIELDS: tuple[Field, ...] = (
    Field("jurisdiction", "jurisdiction", "Country (ISO 3166-1 alpha-2), or `EU`.", True, False),
    Field(
        "reviewed",
        "date",
        "The day up to which this jurisdiction's sources were last searched and its open actions re-checked, "
        "where it differs from `as_of` (never after it, and never before an event recorded there).",
        True,
        False,
    ),
)

DATASET_FIELDS: tuple[Field, ...] = (
    Field("title", "str", "Name of the dataset.", True, False),
    Field(
        "as_of",
        "date",
        "The review date: the day up to which maintainers last searched the sources for new events and "
        "re-checked open ones (every page shows it as 'sources reviewed up to'). No finding or action may be "
        "dated after it, so a review date older than the newest event is an error.",
        True,
        False,
    ),
    Field("licence", "str", "Licence of the data (SPDX id).", True, False),
    Field("licence_url", "url", "Where the licence text is.", True, False),
    Field("publisher", "str", "Who publishes the dataset.", True, False),
    Field("description", "text", "What the dataset covers.", True, False, 2000),
    Field(
        "open_leads",
        "count",
        "Leads filed by `watch` and still open (neither added as records nor dismissed) at the review date: "
        "`leads list` counts them. Every page shows the number beside the dates; null when not counted.",
    ),
    Field(
        "reviews",
        "list",
        "Jurisdictions whose sources were last reviewed up to another day than `as_of` (pages filtered to "
        "one of them say so beside the dates).",
        item=Field("review", "object", "A jurisdiction's review date.", fields=REVIEW_FIELDS),
    ),
)

DATA_TYPE_FIELDS: tuple[Field, ...] = (
    Field("id", "slug", "Identifier used by findings (`data_types`).", True, False, 60),
    Field("label", "str", "Short label shown in the app.", True, False, 80),
    Field("category", "enum", "Category, aligned with store privacy labels.", True, False, vocab="DATA_CATEGORIES"),
    Field("description", "str", "One-line description of what the type covers.", True, False),
    Field("apple_label", "str", "Closest App Store privacy-label data type; null if none."),
    Field("google_play_label", "str", "Closest Google Play data-safety data type; null if none."),
)

LOCAL_NAME_FIELDS: tuple[Field, ...] = (
    Field("lang", "enum", "Language the name is written in (see [LANGUAGES](#languages)).", True, False,
          vocab="LANGUAGES"),
    Field("name", "str", "The name as that language writes it (딥시크, 字节跳动, バイトダンス).", True, False, 120),
    Field("seen_in", "url", "A public page in that language that writes the name so.", True, False, 500),
)  # fmt: skip

LOCAL_NAMES = Field(
    "local_names",
    "list",
    "The name as readers of other languages write it, one per language and script, each with a page that uses "
    "it: shown to readers of that language and matched by search.",
    item=Field("local_name", "object", "A name in one language.", fields=LOCAL_NAME_FIELDS),
    max_items=30,
)

APP_FIELDS: tuple[Field, ...] = (
    Field("id", "slug", "Identifier used in links (`?app=<id>`) and references.", True, False, 60),
    Field("name", "str", "Name of the app as users know it.", True, False, 120),
    Field("developer", "ref", "Company that develops the app; null if no source names it.", ref="companies"),
    _list(
        "platforms",
        "enum",
        "Platforms the app is offered on, where sourced (today: only those a finding examined).",
        vocab="PLATFORMS",
    ),
    Field("ios_app_id", "str", "App Store identifier (the digits after `id`), where sourced.", max_len=40),
    Field("android_package", "str", "Google Play package name, where sourced.", max_len=200),
    Field("website", "url", "Official website, where a source states it.", max_len=300),
    _list("aliases", "str", "Other names the sources use for the app."),
    LOCAL_NAMES,
    NOTES,
    OPTIONAL_SOURCES,
)

PARENT_FIELDS: tuple[Field, ...] = (
    Field("company", "ref", "The parent company (it needs its own record).", True, False, ref="companies"),
    Field("since", "pdate", "Since when it is the parent, where known."),
    Field("until", "pdate", "Until when it was the parent; null while it still is. Not before `since`."),
    Field(
        "note",
        "str",
        'How the sources describe the relationship ("subsidiary", "affiliate", …).',
        max_len=500,
    ),
)

COMPANY_FIELDS: tuple[Field, ...] = (
    Field("id", "slug", "Identifier used in links and references.", True, False, 60),
    Field("name", "str", "Common name.", True, False, 120),
    _list("legal_names", "str", "Legal entity names as the sources give them."),
    _list("aliases", "str", "Other names the sources use (product names, other scripts)."),
    LOCAL_NAMES,
    _list(
        "kinds",
        "enum",
        "What the company does.",
        vocab="COMPANY_KINDS",
        min_items=1,
        required=True,
        nullable=False,
    ),
    Field("country", "country", "Headquarters country (ISO 3166-1 alpha-2); null if no source states it."),
    Field("city", "str", "Headquarters city, where sourced.", max_len=100),
    Field(
        "parents",
        "list",
        "Parent companies over time, nearest first.",
        item=Field("parent", "object", "An ownership link.", fields=PARENT_FIELDS),
        max_items=10,
    ),
    _list("domains", "domain", "Internet domains a source ties to the company (lowercase)."),
    NOTES,
    SOURCES,
)

FINDING_FIELDS: tuple[Field, ...] = (
    Field("id", "record_id", "Identifier: `AF-` and a number; never reused.", True, False, 20),
    Field("app", "ref", "The app examined (exactly one).", True, False, ref="apps"),
    Field("platform", "enum", "Platform examined; null if the source does not say.", vocab="PLATFORMS"),
    Field("app_version", "str", "App version examined, where the source gives it.", max_len=60),
    Field("auditor", "str", "Who examined the app, as named by the source.", True, False),
    Field("auditor_kind", "enum", "Kind of examiner.", True, False, vocab="AUDITOR_KINDS"),
    Field(
        "auditor_country",
        "jurisdiction",
        "Country (or EU) of a public examiner such as a regulator; null for others.",
    ),
    Field("method", "enum", "How the app was examined.", True, False, vocab="METHODS"),
    Field("audit_date", "pdate", "When the examination was published or made; null if unknown."),
    _list(
        "data_types",
        "ref",
        "Data types concerned (see [Data-type taxonomy](#data-type-taxonomy)).",
        ref="data_types",
        min_items=1,
        required=True,
        nullable=False,
    ),
    _list("data_described", "str", "The data as the source words it (verbatim phrases).", max_items=60),
    _list("recipients", "ref", "Companies that received the data, only where the source names them.", ref="companies"),
    Field("recipient_described", "str", "Recipients as the source words them (named or not).", max_len=500),
    _list("domains", "domain", "Domains the data went to, as reported (lowercase, no port)."),
    _list("recipient_countries", "country", "Countries the data went to (ISO 3166-1 alpha-2)."),
    Field(
        "evidence_status",
        "enum",
        "Strength of the evidence, on a closed scale (see [Allegation vs confirmed](#conventions)).",
        True,
        False,
        vocab="EVIDENCE_STATUS",
    ),
    Field("status_described", "str", "The evidence status as the source puts it.", max_len=500),
    Field(
        "distinct_from",
        "str",
        "Only where another finding has the same app, auditor, audit date and recipients: how this one differs, "
        "naming the other's id.",
        max_len=500,
    ),
    Field(
        "superseded_by",
        "ref",
        "A later finding that records the same flow on stronger or final evidence; this one is then shown on "
        "its record page but not counted in any view.",
        ref="findings",
    ),
    NOTES,
    PRIMARY_DOCUMENTS,
    SOURCES,
)

ACTION_FIELDS: tuple[Field, ...] = (
    Field("id", "record_id", "Identifier: `CA-` and a number; never reused.", True, False, 20),
    Field("jurisdiction", "jurisdiction", "Country (ISO 3166-1 alpha-2), or `EU` for EU institutions.", True, False),
    Field("subdivision", "subdivision", "The state or province, when it acted (`US-TX`)."),
    Field("authority", "str", "Body that took the action, as the sources name it.", True, False),
    Field("action_type", "enum", "Type of action, for its main effect.", True, False, vocab="ACTION_TYPES"),
    Field("action_described", "str", "The action as the source words it.", max_len=500),
    Field("scope", "enum", "Who or what the action covers.", True, False, vocab="SCOPES"),
    Field("scope_described", "str", "The scope as the source words it.", max_len=500),
    _list("apps", "ref", "Apps concerned, as the source names them.", ref="apps"),
    _list("companies", "ref", "Companies the action addresses, besides or instead of an app.", ref="companies"),
    Field("announced", "pdate", "Date announced (day, month or year precision)."),
    Field("effective", "pdate", "Date it took effect, where a source gives it."),
    Field("lifted", "pdate", "Date lifted, annulled or ended; null while in force or when unknown."),
    Field(
        "lifted_unknown",
        "str",
        "For a `lifted` or `ended` action whose end date no source gives: why it is unknown. Required then, "
        "refused otherwise.",
        max_len=500,
    ),
    Field("status", "enum", "Current status.", True, False, vocab="ACTION_STATUS"),
    Field("status_described", "str", "The status as the sources put it.", max_len=500),
    NOTES,
    PRIMARY_DOCUMENTS,
    SOURCES,
)


@dataclass(frozen=True)
class RecordKind:
    """A kind of record: the data file(s) it lives in, its top-level key and its fields.

    `name` is the plural the files and tables use (`findings`); `word` the singular that diff,
    the change log and citations use for one record (`finding`).
    """

    name: str
    key: str
    fields: tuple[Field, ...]
    doc: str
    word: str

    def field(self, name: str) -> Field:
        """The field called `name` (KeyError if there is none)."""
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.name} has no field {name!r}")


DATA_TYPES = RecordKind("data_types", "data_types", DATA_TYPE_FIELDS, "The data-type taxonomy.", "data_type")
COMPANIES = RecordKind("companies", "companies", COMPANY_FIELDS, "Developers and recipients of data.", "company")
APPS = RecordKind("apps", "apps", APP_FIELDS, "The chatbot apps.", "app")
FINDINGS = RecordKind("findings", "findings", FINDING_FIELDS, "Audit findings: what data went where.", "finding")
ACTIONS = RecordKind("actions", "actions", ACTION_FIELDS, "Government actions restricting apps.", "action")

KINDS: tuple[RecordKind, ...] = (DATA_TYPES, COMPANIES, APPS, FINDINGS, ACTIONS)
KIND_BY_NAME: dict[str, RecordKind] = {k.name: k for k in KINDS}

DATASET_FILE = "dataset.yaml"

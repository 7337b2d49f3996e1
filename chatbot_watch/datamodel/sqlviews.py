"""The public views' columns and their meanings (the views themselves are SQL: store/sql/views.sql),
declared for the export's Table Schemas and data/README.md."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class View:
    """One public view: what a row is, its row order, its links, and each column's meaning (Markdown)."""

    name: str
    title: str
    doc: str
    order_by: tuple[str, ...]
    foreign_keys: tuple[tuple[str, str, str], ...]  # (column, table, column)
    columns: dict[str, str]
    # The kinds whose records its rows are made of (tests/test_patch.py checks them against the
    # tables the SQL reads), and, for some of them, the column that names the record a row
    # comes from: a rebuild that patches the database (patch.py) redoes only the rows of the
    # app's materialised copy whose record changed, and all of them when another kind changed.
    reads: tuple[str, ...] = ()
    refresh_by: tuple[tuple[str, str], ...] = ()  # (kind, column): every column a row names a record of the kind in


VIEWS: tuple[View, ...] = (
    View(
        "flows",
        "Data flows",
        "Public view: one row per finding x data type x named recipient company (company columns empty when the "
        "finding names none). Count findings with count(DISTINCT finding_id). A superseded finding "
        "(`superseded_by`) is left out: the finding that supersedes it stands for it.",
        ("finding_id", "data_type_id", "company_id"),
        (("finding_id", "findings", "id"),),
        {
            "finding_id": "The finding's `id` (AF-…).",
            "app_id": "The app examined.",
            "app_name": "Its name.",
            "app_developer_id": "The company that develops the app; NULL if not recorded.",
            "app_country": "That developer's headquarters country code; NULL if the developer or its country is "
            "not recorded.",
            "platform": "Platform examined; NULL if not stated.",
            "app_version": "App version examined; NULL if not stated.",
            "company_id": "The recipient company; NULL when the finding names none.",
            "company_name": "Its name.",
            "company_country": "Its headquarters country code; NULL if unsourced.",
            "parent_company_id": "Its current parent company; NULL if none.",
            "parent_company_name": "The parent's name.",
            "ultimate_parent_id": "Top of its ownership chain (the company itself when it has no parent).",
            "ultimate_parent_name": "That company's name.",
            "ownership_chain": 'The chain as text, from the company to its ultimate owner ("Subsidiary → Parent").',
            "recipient_described": "Recipients as the source words them.",
            "data_type_id": "One data type of the finding.",
            "data_type_label": "Its label.",
            "data_category": "Its category ([DATA_CATEGORIES](#data_categories) value).",
            "recipient_countries": "Countries the data went to (list; for the whole finding, not per company).",
            "domains": "Domains the data went to (list; for the whole finding).",
            "evidence_status": "The finding's evidence status value.",
            "evidence_label": 'Its label ("Confirmed by a regulator" …).',
            "evidence_class": "How the app shows it: `confirmed`, `declared` or `claimed`.",
            "auditor": "Who examined the app.",
            "auditor_kind": "Kind of examiner.",
            "auditor_country": "Country (or EU) of a public examiner.",
            "method": "How it was examined.",
            "audit_date": "Partial date as written (`2026-05`).",
            "audit_day": "Earliest day of `audit_date`, as a DATE, for sorting and filtering.",
            "source_url": "URL of the main (first) source.",
            "source_publisher": "Its publisher.",
            "source_published": "Its publication date as written; NULL if none.",
            "source_quote": "The main source's verbatim quote that supports the record, in its own language.",
            "source_language": "Language of that quote ([LANGUAGES](#languages) value); NULL if not stated.",
            "source_translation": "Chatbot Watch's English translation of that quote when it is not English.",
            "source_kind": "What the main source is: primary, direct or secondary ([SOURCE_KINDS](#source_kinds)); "
            "NULL until reviewed.",
            "source_count": "Number of sources cited by the finding.",
        },
        reads=("findings", "apps", "companies", "data_types"),
        refresh_by=(
            ("findings", "finding_id"),
            ("apps", "app_id"),
            ("companies", "company_id"),
            ("companies", "app_developer_id"),
            ("companies", "parent_company_id"),
            ("companies", "ultimate_parent_id"),
            ("data_types", "data_type_id"),
        ),
    ),
    View(
        "restrictions",
        "Restrictions",
        "Public view: one row per government action x app (app columns empty when the action names only "
        "companies). Count actions with count(DISTINCT action_id).",
        ("action_id", "app_id"),
        (("action_id", "actions", "id"),),
        {
            "action_id": "The action's `id` (CA-…).",
            "country_code": "The `jurisdiction`: country code or `EU`.",
            "country_name": 'Its readable name ("South Korea", "European Union").',
            "subdivision": "ISO 3166-2 code when a state or province acted; NULL otherwise.",
            "subdivision_name": "Its name.",
            "authority": "Body that took the action.",
            "action_type": "Action type value.",
            "action_type_label": "Its label.",
            "scope": "Scope value.",
            "scope_label": "Its label.",
            "app_id": "One app concerned; NULL when the action names only companies.",
            "app_name": "Its name.",
            "companies": "Names of the companies the action names (list, same on every row of the action); "
            "NULL if none.",
            "announced": "Announcement date as written (partial).",
            "announced_day": "Its earliest day, as a DATE.",
            "effective": "Date it took effect as written; NULL if unknown.",
            "effective_day": "Its earliest day.",
            "lifted": "Date lifted or ended as written; NULL while in force or unknown.",
            "lifted_day": "Its earliest day.",
            "status": "Status value.",
            "status_label": "Its label.",
            "status_class": "What the status means for the views: in_force (applies now), open (not yet in effect, "
            "or under way) or closed (no longer applies); see the vocabularies' `view_class`.",
            "restricts": "Whether the action type restricts the use or availability of an app (what the map and the "
            "'in force' counts take); see the vocabularies' `view_class`.",
            "action_described": "The action as the source words it.",
            "scope_described": "The scope as the source words it.",
            "status_described": "The status as the sources put it.",
            "source_url": "URL of the main (first) source.",
            "source_publisher": "Its publisher.",
            "source_published": "Its publication date as written; NULL if none.",
            "source_quote": "The main source's verbatim quote that supports the record, in its own language.",
            "source_language": "Language of that quote ([LANGUAGES](#languages) value); NULL if not stated.",
            "source_translation": "Chatbot Watch's English translation of that quote when it is not English.",
            "source_kind": "What the main source is: primary, direct or secondary ([SOURCE_KINDS](#source_kinds)); "
            "NULL until reviewed.",
            "source_count": "Number of sources cited by the action.",
        },
        reads=("actions", "apps", "companies"),
        refresh_by=(("actions", "action_id"), ("apps", "app_id")),
    ),
)

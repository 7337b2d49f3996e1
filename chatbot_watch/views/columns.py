"""Every table's columns and their headings, in one place: the Streamlit page, the plain HTML page,
the API's view JSON and the chart tables all take their headings from here. Column order is what a
reader needs first (a phone shows only the first columns)."""

from __future__ import annotations

FLOWS = {
    "finding_id": "Finding",
    "app_name": "App",
    "data_type_label": "Data type",
    "company_name": "Recipient",
    "ownership_chain": "Ownership chain",
    "evidence_label": "Evidence",
    "auditor": "Examined by",
    "audit_date": "Date",
    "recipient_countries": "To countries",
    "recipient_described": "Recipient as reported",
    "platform": "Platform",
    "source_url": "Source",
    "source_quote": "Quote (main source)",
}
FLOWS_BRIEF = ("finding_id", "app_name", "data_type_label", "company_name", "evidence_label", "audit_date")

RESTRICTIONS = {
    "action_id": "Action",
    "country_name": "Jurisdiction",
    "action_type_label": "Type",
    "app_name": "App",
    "status_label": "Status",
    "announced": "Announced",
    "effective": "Effective",
    "lifted": "Lifted",
    "authority": "Authority",
    "subdivision_name": "State / region",
    "scope_label": "Scope",
    "source_url": "Source",
    "source_quote": "Quote (main source)",
}
RESTRICTIONS_BRIEF = (
    "action_id",
    "country_name",
    "authority",
    "action_type_label",
    "status_label",
    "announced",
    "app_name",
)

AUTHORITY_FINDINGS = {
    "finding_id": "Finding",
    "app_name": "App",
    "recipients": "Recipients named",
    "ownership_chain": "Ownership chain",
    "data_types": "Data types",
    "evidence_label": "Evidence",
    "auditor": "Examined by",
    "audit_date": "Date",
    "source_url": "Source",
    "source_quote": "Quote (main source)",
}
AUTHORITY_FINDINGS_BRIEF = ("finding_id", "app_name", "recipients", "evidence_label", "auditor", "audit_date")

MATRIX = {
    "app_name": "App",
    "company_name": "Recipient",
    "parent": "Parent company",
    "evidence_label": "Evidence for the flow",
    "evidence_by_status": "Data types by evidence",
    "findings": "Findings",
    "finding_ids": "Finding ids",
}

TIMELINE = {
    "place": "Where",
    "action_id": "Action",
    "action_type_label": "Type",
    "apps": "Apps",
    "announced": "Announced",
    "lifted": "Lifted",
    "status_label": "Status",
}

MAP = {
    "country_name": "Jurisdiction",
    "category": "What is in force",
    "national_in_force": "National restrictions in force",
    "regional_in_force": "State or regional restrictions in force",
    "regions_in_force": "States or regions",
    "open_other": "Investigations and other open actions",
    "lifted_or_ended": "Lifted or ended",
    "actions": "All actions",
    "in_force": "In force",
    "apps": "Apps",
}
MAP_BRIEF = ("country_name", "actions", "in_force", "category", "apps")

COMPANIES = {
    "company_name": "Company",
    "country_name": "Based in",
    "ownership_chain": "Ownership chain",
    "kinds": "Kind",
    "apps": "Apps sending data",
    "evidence_label": "Evidence for the flow",
    "evidence_by_status": "Data types by evidence",
    "findings": "Findings",
    "finding_ids": "Finding ids",
    "domains": "Known domains",
}
COMPANIES_BRIEF = ("company_name", "country_name", "ownership_chain", "apps", "evidence_label", "findings")

CHAIN = {
    "company_name": "Company",
    "parent_name": "Owned by",
    "since": "Since",
    "until": "Until",
    "note": "As the sources put it",
}

RECENT = {
    "date": "Date",
    "kind": "Event",
    "record_id": "Record",
    "what": "What",
    "apps": "Apps",
    "status": "Status / evidence",
    "source_url": "Source",
}
RECENT_BRIEF = ("date", "kind", "record_id", "what", "apps", "status")

CHANGES = {"built_at": "Date", "summary": "Change", "data_version": "Version (commit or build)"}

HISTORY = {
    "built_at": "Date",
    "change": "Change",
    "field": "Field",
    "old": "Before",
    "new": "After",
    "data_version": "Version (commit or build)",
}

EVIDENCE_COUNTS = {"evidence_label": "Evidence", "findings": "Findings"}

ACTIONS_BY_TYPE = {"action_type_label": "Type of action", "status_label": "Status", "actions": "Actions"}

APPS = {
    "name": "App",
    "developer_name": "Developer",
    "developer_country": "Developer based in",
    "findings": "Findings",
    "actions": "Government actions",
    "in_force": "In force",
}

FACTS = {"fact": "Fact", "value": "Value"}

FIELDS = {"field": "Field", "value": "Value"}

TRANSLATION_HEADING = "Translation by Chatbot Watch"

SOURCES = {
    "publisher": "Publisher",
    "kind": "Kind",
    "published": "Published",
    "url": "Address",
    "quote": "Quote, as printed",
    "language": "Language",
    "translation": TRANSLATION_HEADING,
}

DOCUMENTS = {"issuer": "Issued by", "title": "Title", "date": "Date", "access": "Copy read", "url": "Address"}

SEARCH = {"what": "Kind", "label": "Name", "matched": "Matched"}

DATA_TYPES = {
    "label": "Data type",
    "category_label": "Category",
    "description": "Meaning",
    "apple_label": "App Store label",
    "google_play_label": "Google Play label",
}

CITED_SOURCES = {"publisher": "Publisher", "published": "Published", "records": "Records citing it", "url": "Address"}

# What a column's values mean, shown when a reader hovers its heading.
HELP = {
    "Evidence": "How strong the support for this finding is, from 'Confirmed by a regulator' to 'Alleged' "
    "(About the data lists the scale).",
    "Evidence for the flow": "The strongest evidence that data flows here (from this app, or to this company); "
    "what flows is listed data type by data type, each under its own evidence, in 'Data types by evidence'.",
    "Data types by evidence": "Each data type under the evidence status of the findings that name it.",
    "Status": "In force, ongoing, pending, lifted or ended, as the sources last said.",
    "Scope": "Who or what the action covers: government devices, networks, all users, new downloads ...",
    "Quote (main source)": "The main source's own words supporting the record; the record page has every source.",
}

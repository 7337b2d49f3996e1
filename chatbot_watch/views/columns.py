"""Every table's columns and their headings, in one place: the Streamlit page, the plain HTML page,
the API's view JSON and the chart tables all take their headings from here. Column order is what a
reader needs first (a phone shows only the first columns)."""

from __future__ import annotations

from chatbot_watch.i18n import N_

FLOWS = {
    "finding_id": N_("Finding"),
    "app_name": N_("App"),
    "data_type_label": N_("Data type"),
    "company_name": N_("Recipient"),
    "company_country_name": N_("Recipient based in"),
    "app_country_name": N_("App's developer based in"),
    "ownership_chain": N_("Ownership chain"),
    "evidence_label": N_("Evidence"),
    "auditor": N_("Examined by"),
    "audit_date": N_("Date"),
    "recipient_countries": N_("To countries"),
    "recipient_described": N_("Recipient as reported"),
    "platform": N_("Platform"),
    "source_url": N_("Source"),
    "source_quote": N_("Quote (main source)"),
}
FLOWS_BRIEF = (
    "finding_id",
    "app_name",
    "data_type_label",
    "company_name",
    "company_country_name",
    "app_country_name",
    "evidence_label",
    "audit_date",
)

RESTRICTIONS = {
    "action_id": N_("Action"),
    "country_name": N_("Jurisdiction"),
    "action_type_label": N_("Type"),
    "app_name": N_("App"),
    "status_label": N_("Status"),
    "announced": N_("Announced"),
    "effective": N_("Effective"),
    "lifted": N_("Lifted"),
    "authority": N_("Authority"),
    "subdivision_name": N_("State / region"),
    "scope_label": N_("Scope"),
    "source_url": N_("Source"),
    "source_quote": N_("Quote (main source)"),
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
    "finding_id": N_("Finding"),
    "app_name": N_("App"),
    "recipients": N_("Recipients named"),
    "ownership_chain": N_("Ownership chain"),
    "data_types": N_("Data types"),
    "evidence_label": N_("Evidence"),
    "auditor": N_("Examined by"),
    "audit_date": N_("Date"),
    "source_url": N_("Source"),
    "source_quote": N_("Quote (main source)"),
}
AUTHORITY_FINDINGS_BRIEF = ("finding_id", "app_name", "recipients", "evidence_label", "auditor", "audit_date")

MATRIX = {
    "app_name": N_("App"),
    "company_name": N_("Recipient"),
    "parent": N_("Parent company"),
    "evidence_label": N_("Evidence for the flow"),
    "evidence_by_status": N_("Data types by evidence"),
    "findings": N_("Findings"),
    "finding_ids": N_("Finding ids"),
}

TIMELINE = {
    "place": N_("Where"),
    "action_id": N_("Action"),
    "action_type_label": N_("Type"),
    "apps": N_("Apps"),
    "announced": N_("Announced"),
    "lifted": N_("Lifted"),
    "status_label": N_("Status"),
}

MAP = {
    "country_name": N_("Jurisdiction"),
    "category": N_("What is in force"),
    "national_in_force": N_("National restrictions in force"),
    "regional_in_force": N_("State or regional restrictions in force"),
    "regions_in_force": N_("States or regions"),
    "open_other": N_("Investigations and other open actions"),
    "lifted_or_ended": N_("Lifted or ended"),
    "actions": N_("All actions"),
    "in_force": N_("In force"),
    "apps": N_("Apps"),
}
BY_COUNTRY = {
    "country_name": N_("Jurisdiction"),
    "level_label": N_("Level"),
    "action_type_label": N_("Type of action"),
    "actions": N_("Actions"),
    "places": N_("States, provinces or cities"),
}
MAP_BRIEF = ("country_name", "actions", "in_force", "category", "apps")

COMPANIES = {
    "company_name": N_("Company"),
    "country_name": N_("Based in"),
    "app_countries_names": N_("Apps' developers based in"),
    "ownership_chain": N_("Ownership chain"),
    "kinds": N_("Kind"),
    "apps": N_("Apps sending data"),
    "evidence_label": N_("Evidence for the flow"),
    "evidence_by_status": N_("Data types by evidence"),
    "findings": N_("Findings"),
    "finding_ids": N_("Finding ids"),
    "domains": N_("Known domains"),
}
COMPANIES_BRIEF = (
    "company_name",
    "country_name",
    "app_countries_names",
    "ownership_chain",
    "apps",
    "evidence_label",
    "findings",
)

CHAIN = {
    "company_name": N_("Company"),
    "parent_name": N_("Owned by"),
    "since": N_("Since"),
    "until": N_("Until"),
    "note": N_("As the sources put it"),
}

RECENT_BRIEF = ("date", "kind", "record_id", "what", "apps", "status")


HISTORY = {
    "built_at": N_("Date"),
    "change": N_("Change"),
    "field": N_("Field"),
    "old": N_("Before"),
    "new": N_("After"),
    "data_version": N_("Version (commit or build)"),
}

EVIDENCE_COUNTS = {"evidence_label": N_("Evidence"), "findings": N_("Findings")}

ACTIONS_BY_TYPE = {"action_type_label": N_("Type of action"), "status_label": N_("Status"), "actions": N_("Actions")}

APPS = {
    "name": N_("App"),
    "developer_name": N_("Developer"),
    "developer_country": N_("Developer based in"),
    "findings": N_("Findings"),
    "actions": N_("Government actions"),
    "in_force": N_("In force"),
}

FACTS = {"fact": N_("Fact"), "value": N_("Value")}

FIELDS = {"field": N_("Field"), "value": N_("Value")}

TRANSLATION_HEADING = N_("Translation by Chatbot Watch")

SOURCES = {
    "publisher": N_("Publisher"),
    "kind": N_("Kind"),
    "published": N_("Published"),
    "url": N_("Address"),
    "quote": N_("Quote, as printed"),
    "language": N_("Language"),
    "translation": TRANSLATION_HEADING,
}

DOCUMENTS = {
    "issuer": N_("Issued by"),
    "title": N_("Title"),
    "date": N_("Date"),
    "access": N_("Copy read"),
    "url": N_("Address"),
}

SEARCH = {"what": N_("Kind"), "label": N_("Name"), "matched": N_("Matched")}

DATA_TYPES = {
    "label": N_("Data type"),
    "category_label": N_("Category"),
    "description": N_("Meaning"),
    "apple_label": N_("App Store label"),
    "google_play_label": N_("Google Play label"),
}

CITED_SOURCES = {
    "publisher": N_("Publisher"),
    "published": N_("Published"),
    "records": N_("Records citing it"),
    "url": N_("Address"),
}

# What a column's values mean, shown when a reader hovers its heading.
HELP = {
    "Evidence": N_(
        "How strong the support for this finding is, from 'Confirmed by a regulator' to 'Alleged' "
        "(About the data lists the scale)."
    ),
    "Evidence for the flow": N_(
        "The strongest evidence that data flows here (from this app, or to this company); "
        "what flows is listed data type by data type, each under its own evidence, in 'Data types by evidence'."
    ),
    "Data types by evidence": N_("Each data type under the evidence status of the findings that name it."),
    "Status": N_("In force, ongoing, pending, lifted or ended, as the sources last said."),
    "Scope": N_("Who or what the action covers: government devices, networks, all users, new downloads ..."),
    "App's developer based in": N_(
        "Where the company that makes the app is based; blank where the developer or its country is not recorded."
    ),
    "Apps' developers based in": N_(
        "Where the companies that make the apps sending data here are based; an app whose developer's country "
        "is not recorded adds none."
    ),
    "Quote (main source)": N_("The main source's own words supporting the record; the record page has every source."),
}

# A chronology of events (events.py): what happened, when, in which record.
EVENTS = {
    "date": N_("Date"),
    "event_label": N_("Event"),
    "what": N_("What happened"),
    "record_id": N_("Record"),
    "place": N_("Where"),
    "source_url": N_("Source"),
}
EVENTS_BRIEF = ("date", "event_label", "what", "record_id")

CORRECTIONS = {"built_at": N_("Date"), "summary": N_("Correction"), "record_id": N_("Record"),
               "data_version": N_("Version (commit or build)")}  # fmt: skip

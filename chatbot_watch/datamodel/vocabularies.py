"""The closed vocabularies of the data model, with their meaning: each value's label and one-line
description, and for the vocabularies the views treat by class (evidence statuses, action types,
action statuses) the class of each value. A value without a class is refused at import, so a new
action type or status is added here alone and the map, counts, legends and docs follow."""

from __future__ import annotations

import re
from dataclasses import dataclass

EVIDENCE_STATUS: dict[str, tuple[str, str]] = {
    "confirmed_by_regulator": (
        "Confirmed by a regulator",
        "A data-protection or other regulator found, after inspection, that the flow happened.",
    ),
    "acknowledged_by_company": (
        "Acknowledged by the company",
        "The app's developer or the recipient publicly admitted the flow or incident.",
    ),
    "observed_by_auditor": (
        "Observed by an auditor",
        "A security firm, researcher or journalist observed it in traffic, code or exposed data.",
    ),
    "declared_by_company": (
        "Declared by the company",
        "The developer's own privacy label, data-safety form or privacy policy says so.",
    ),
    "reported_by_press": (
        "Reported by the press",
        "A news report states it without a named technical audit or official finding behind it.",
    ),
    "alleged": (
        "Alleged",
        "Claimed by an agency, legislator, litigant or researcher, not (yet) confirmed.",
    ),
    "disputed_by_company": (
        "Disputed by the company",
        "The company has publicly denied or contested the claim.",
    ),
    "remediated": (
        "Stopped / remediated",
        "The flow was established and the company has since stopped or fixed it.",
    ),
}


# Evidence statuses that count as established facts rather than claims; the app shows this split.
CONFIRMED_EVIDENCE = frozenset(
    {"confirmed_by_regulator", "acknowledged_by_company", "observed_by_auditor", "remediated"}
)


# The scale from the strongest evidence to the weakest, for views that fold several claims into
# one mark: a mark saying data flows takes the strongest claim of that flow, while each data type
# keeps its own status (queries.evidence_groups), so no data type reads stronger than its records.
EVIDENCE_STRENGTH: tuple[str, ...] = (
    "confirmed_by_regulator",
    "acknowledged_by_company",
    "observed_by_auditor",
    "remediated",
    "declared_by_company",
    "reported_by_press",
    "alleged",
    "disputed_by_company",
)


EVIDENCE_CLASS: dict[str, str] = {
    **{k: "confirmed" for k in CONFIRMED_EVIDENCE},
    "declared_by_company": "declared",
    "reported_by_press": "claimed",
    "alleged": "claimed",
    "disputed_by_company": "claimed",
}


ACTION_TYPES: dict[str, tuple[str, str]] = {
    "government_device_ban": (
        "Government-device ban",
        "Use or installation banned on government-issued devices or official work.",
    ),
    "network_block": (
        "Government network block",
        "Access blocked on government, parliament or other official networks.",
    ),
    "download_suspension": (
        "Download suspension",
        "New downloads suspended or the app removed from app stores in the jurisdiction.",
    ),
    "nationwide_block": (
        "Nationwide block",
        "Access blocked or restricted for everyone in the jurisdiction.",
    ),
    "processing_limitation": (
        "Processing limitation order",
        "A regulator ordered a company to stop or limit processing of residents' data.",
    ),
    "investigation": (
        "Investigation / inquiry",
        "A formal investigation, inquiry, review or proceeding was opened.",
    ),
    "information_request": (
        "Information request",
        "A formal request or order for information, answers or a report.",
    ),
    "fine": ("Fine", "A monetary penalty was imposed."),
    "corrective_order": (
        "Corrective order / recommendation",
        "Binding or formal corrective measures, recommendations or removal orders.",
    ),
    "advisory": (
        "Advisory / warning",
        "A public or internal warning, caution or guidance against use.",
    ),
    "delisting_request": (
        "Delisting request",
        "A request to app stores to remove or delist the app.",
    ),
    "lawsuit": ("Lawsuit", "A government body sued the company in court."),
    "bill": ("Bill introduced", "A bill restricting the app was introduced in a legislature."),
}


# What each action type means for the views: `restricts` (it restricts the use or availability of
# an app: what the map of restrictions and the "in force" counts take), or `other` (investigations,
# requests, advisories, fines, lawsuits and bills, shown apart). Every type needs a class: a new
# type added without one is refused when this module loads.
ACTION_TYPE_CLASS: dict[str, str] = {
    "government_device_ban": "restricts",
    "network_block": "restricts",
    "download_suspension": "restricts",
    "nationwide_block": "restricts",
    "processing_limitation": "restricts",
    "investigation": "other",
    "information_request": "other",
    "fine": "other",
    "corrective_order": "other",
    "advisory": "other",
    "delisting_request": "other",
    "lawsuit": "other",
    "bill": "other",
}


ACTION_TYPE_CLASSES: dict[str, str] = {
    "restricts": "Restricts the use or availability of an app (counted as a restriction)",
    "other": "Does not itself restrict use (shown apart from restrictions)",
}


RESTRICTING_ACTION_TYPES: frozenset[str] = frozenset(k for k, c in ACTION_TYPE_CLASS.items() if c == "restricts")

# How a chart's title names the actions of one type, in the plural ("Government-device bans of AI
# chatbot apps, by country": chatbot_watch/views/articles.py). A type without one is titled "Government
# actions on AI chatbot apps", its label in the image's filter line.
ACTION_TYPE_TITLES: dict[str, str] = {
    "government_device_ban": "Government-device bans of AI chatbot apps",
    "network_block": "Government network blocks of AI chatbot apps",
    "download_suspension": "Download suspensions of AI chatbot apps",
    "nationwide_block": "Nationwide blocks of AI chatbot apps",
    "processing_limitation": "Processing limitation orders against AI chatbot apps",
    "investigation": "Investigations of AI chatbot apps",
    "information_request": "Information requests about AI chatbot apps",
    "fine": "Fines over AI chatbot apps",
    "corrective_order": "Corrective orders and recommendations on AI chatbot apps",
    "advisory": "Government advisories and warnings on AI chatbot apps",
    "delisting_request": "Delisting requests for AI chatbot apps",
    "lawsuit": "Government lawsuits over AI chatbot apps",
    "bill": "Bills to restrict AI chatbot apps",
}

SCOPES: dict[str, tuple[str, str]] = {
    "government_devices": (
        "Government devices",
        "Devices issued to or used by government staff (may include their networks).",
    ),
    "government_networks": (
        "Government networks",
        "Official networks (government, parliament, military) rather than devices.",
    ),
    "public_sector": (
        "Public sector",
        "Public bodies broadly: agencies, schools, state-owned enterprises, their staff.",
    ),
    "all_users": ("All users", "Everyone in the jurisdiction."),
    "new_downloads": ("New downloads", "New installs from app stores; existing users unaffected."),
    "company_practices": (
        "Company's data practices",
        "A company's processing of personal data or its conduct, not users' access.",
    ),
    "content": ("Specific content", "Particular posts, outputs or features of a service."),
    "minors": ("Minors", "Children's and teenagers' use or data."),
}


ACTION_STATUS: dict[str, tuple[str, str]] = {
    "in_force": ("In force", "The restriction or order currently applies."),
    "ongoing": ("Ongoing", "An investigation, proceeding or lawsuit is still open."),
    "pending": ("Pending", "Announced, proposed or introduced but not (yet) in effect."),
    "lifted": ("Lifted", "The restriction was withdrawn, annulled or lifted."),
    "ended": ("Ended", "Concluded or superseded (a closed inquiry, a paid fine, a replaced policy)."),
}


# What each action status means for the views: `in_force` (applies now), `open` (not yet in
# effect, or still under way) or `closed` (no longer applies). Every status needs a class.
ACTION_STATUS_CLASS: dict[str, str] = {
    "in_force": "in_force",
    "ongoing": "open",
    "pending": "open",
    "lifted": "closed",
    "ended": "closed",
}


ACTION_STATUS_CLASSES: dict[str, str] = {
    "in_force": "Applies now",
    "open": "Open: not (yet) in effect, or an investigation or proceeding under way",
    "closed": "No longer applies: lifted, ended or concluded",
}


@dataclass(frozen=True)
class ScopeRule:
    """An action type's scopes: only these (`only`), or never these; `message` says why ({scope})."""

    action_type: str
    scopes: tuple[str, ...]
    only: bool
    message: str


# data/README.md, "Device bans and network blocks": a ban tied to government devices or staff is a
# device ban whatever the method; a network block is of an official network alone.
SCOPE_RULES: tuple[ScopeRule, ...] = (
    ScopeRule(
        "network_block",
        ("government_networks",),
        True,
        "a network_block has scope government_networks (got '{scope}'); a block tied to government devices or "
        "staff is a government_device_ban",
    ),
    ScopeRule(
        "government_device_ban",
        ("government_networks",),
        False,
        "a government_device_ban does not have scope government_networks: use government_devices, or "
        "network_block for a block of an official network alone",
    ),
)


# Statuses a `lifted` date contradicts (an ongoing proceeding may outlive a measure that was lifted).
STATUSES_WITHOUT_LIFT_DATE: tuple[str, ...] = ("in_force", "pending")


def statuses(status_class: str) -> tuple[str, ...]:
    """The action statuses of a class (`in_force`, `open`, `closed`), in the vocabulary's order."""
    if status_class not in ACTION_STATUS_CLASSES:
        raise KeyError(status_class)
    return tuple(k for k, c in ACTION_STATUS_CLASS.items() if c == status_class)


PLATFORMS: dict[str, tuple[str, str]] = {
    "android": ("Android", "The Android app."),
    "ios": ("iOS", "The iPhone/iPad app."),
    "web": ("Web", "The website or web app."),
    "desktop": ("Desktop", "A desktop application."),
    "api": ("API", "The developer API or platform."),
}


METHODS: dict[str, tuple[str, str]] = {
    "network_traffic": ("Network traffic analysis", "Traffic captured from the app or website."),
    "static_analysis": ("Static code analysis", "The app's code or binary was decompiled or read."),
    "exposed_data": (
        "Exposed data / incident",
        "A leaked database or a security incident revealed the data.",
    ),
    "regulator_inspection": (
        "Regulator inspection",
        "A regulator examined the service, its documents or its answers.",
    ),
    "intelligence_assessment": (
        "Intelligence assessment",
        "A government security or intelligence agency's assessment.",
    ),
    "privacy_label_review": (
        "Privacy label review",
        "App Store privacy labels or Google Play data-safety forms were compared.",
    ),
    "policy_review": ("Privacy policy review", "The company's privacy policy or terms were read."),
    "company_disclosure": (
        "Company disclosure",
        "The company itself announced or disclosed the practice or incident.",
    ),
    "press_investigation": ("Press investigation", "Journalists examined the service."),
    "litigation": ("Litigation", "Claims made in a lawsuit or legal complaint."),
}


AUDITOR_KINDS: dict[str, tuple[str, str]] = {
    "regulator": ("Regulator", "A data-protection, consumer or sector regulator."),
    "government_agency": ("Government agency", "An intelligence, security or other agency."),
    "legislature": ("Legislature", "A parliament or legislative committee."),
    "attorney_general": ("Attorney general", "A state or national attorney general."),
    "security_firm": ("Security firm", "A commercial security or privacy company."),
    "academic": ("Academic researchers", "University or research-institute researchers."),
    "ngo": ("NGO", "A non-profit or consumer organisation."),
    "press": ("Press", "A newspaper, broadcaster or news site."),
    "company": ("Company", "The app's developer or a recipient, about itself."),
}


COMPANY_KINDS: dict[str, tuple[str, str]] = {
    "ai_developer": ("AI developer", "Develops AI models or chatbot apps."),
    "cloud": ("Cloud / infrastructure", "Hosting, cloud, CDN or infrastructure services."),
    "analytics": ("Analytics", "Product, web or app analytics and session replay."),
    "advertising": ("Advertising", "Advertising, tracking pixels and ad measurement."),
    "telecom": ("Telecom", "Telecommunications operator."),
    "social_media": ("Social media", "Social network or messaging platform."),
    "customer_support": ("Customer support", "Customer-support and messaging widgets."),
    "monitoring": ("Monitoring", "Application monitoring and logging."),
    "internet_services": ("Internet services", "Search, portal or other broad internet group."),
    "investment": ("Investment / holding", "Investment firm, holding or controlling entity."),
    "aerospace": ("Aerospace", "Aerospace and satellite company."),
}


# Categories of the data-type taxonomy, aligned with Apple's App Store privacy-label categories
# and Google Play's data-safety categories (the mapping is documented in data/README.md).
DATA_CATEGORIES: dict[str, tuple[str, str]] = {
    "user_content": ("User content", "What users type, say or upload, and its metadata."),
    "contact_info": ("Contact info", "Name, email address, phone number, postal address."),
    "identifiers": ("Identifiers", "Device, advertising, user and account identifiers."),
    "location": ("Location", "Precise or coarse location, IP-derived location."),
    "usage_data": ("Usage data", "Interactions, behaviour, advertising data."),
    "browsing": ("Browsing and search history", "Web pages visited and searches made."),
    "diagnostics": ("Diagnostics", "Device, app and network technical data, logs."),
    "financial_info": ("Financial info", "Payment and card data."),
    "health_fitness": ("Health and fitness", "Health, fitness and medical data."),
    "sensitive_info": ("Sensitive info", "Special-category data: beliefs, sexuality, etc."),
    "other": ("Other data", "Personal data not further specified."),
}


SOURCE_KINDS: dict[str, tuple[str, str]] = {
    "primary": (
        "Primary",
        "The acting authority's own publication (press release, decision, order, letter), or the auditor's own "
        "report for a finding.",
    ),
    "direct": (
        "Direct report",
        "A report that quotes the authority's or auditor's statement verbatim, naming it and the date.",
    ),
    "secondary": (
        "Secondary",
        "A paraphrase, repost, aggregator or summary; never the main source when a primary or direct one exists.",
    ),
}


# Languages a quote may be written in (BCP 47 tags). Add a language here (and a row in data/README.md)
# when a source in it is cited.
LANGUAGES: dict[str, tuple[str, str]] = {
    "en": ("English", "English."),
    "ko": ("Korean", "Korean (한국어)."),
    "ja": ("Japanese", "Japanese (日本語)."),
    "zh-Hant": ("Chinese (Traditional)", "Chinese written in Traditional characters (繁體中文)."),
    "zh-Hans": ("Chinese (Simplified)", "Chinese written in Simplified characters (简体中文)."),
    "it": ("Italian", "Italian (italiano)."),
    "fr": ("French", "French (français)."),
    "de": ("German", "German (Deutsch)."),
    "es": ("Spanish", "Spanish (español)."),
    "pt": ("Portuguese", "Portuguese (português)."),
    "nl": ("Dutch", "Dutch (Nederlands)."),
    "pl": ("Polish", "Polish (polski)."),
    "cs": ("Czech", "Czech (čeština)."),
    "tr": ("Turkish", "Turkish (Türkçe)."),
    "id": ("Indonesian", "Indonesian (Bahasa Indonesia)."),
    "ms": ("Malay", "Malay (Bahasa Melayu)."),
    "vi": ("Vietnamese", "Vietnamese (Tiếng Việt)."),
    "th": ("Thai", "Thai (ไทย)."),
    "hi": ("Hindi", "Hindi (हिन्दी)."),
    "ru": ("Russian", "Russian (русский)."),
    "uk": ("Ukrainian", "Ukrainian (українська)."),
    "ar": ("Arabic", "Arabic (العربية)."),
    "he": ("Hebrew", "Hebrew (עברית)."),
    "da": ("Danish", "Danish (dansk)."),
    "sv": ("Swedish", "Swedish (svenska)."),
    "nb": ("Norwegian", "Norwegian Bokmål (norsk)."),
    "fi": ("Finnish", "Finnish (suomi)."),
    "el": ("Greek", "Greek (ελληνικά)."),
    "hu": ("Hungarian", "Hungarian (magyar)."),
    "ro": ("Romanian", "Romanian (română)."),
    "bg": ("Bulgarian", "Bulgarian (български)."),
    "hr": ("Croatian", "Croatian (hrvatski)."),
    "sk": ("Slovak", "Slovak (slovenčina)."),
    "sl": ("Slovenian", "Slovenian (slovenščina)."),
    "lt": ("Lithuanian", "Lithuanian (lietuvių)."),
    "lv": ("Latvian", "Latvian (latviešu)."),
    "et": ("Estonian", "Estonian (eesti)."),
    "ca": ("Catalan", "Catalan (català)."),
    "is": ("Icelandic", "Icelandic (íslenska)."),
    "sr": ("Serbian", "Serbian (српски / srpski)."),
    "fa": ("Persian", "Persian (فارسی)."),
    "ur": ("Urdu", "Urdu (اردو)."),
    "bn": ("Bengali", "Bengali (বাংলা)."),
    "te": ("Telugu", "Telugu (తెలుగు)."),
    "ta": ("Tamil", "Tamil (தமிழ்)."),
    "tl": ("Filipino", "Filipino / Tagalog."),
    "sw": ("Swahili", "Swahili (Kiswahili)."),
}


DOCUMENT_ACCESS: dict[str, tuple[str, str]] = {
    "read": ("Copy read", "A maintainer read a copy of the document (at `url`)."),
    "not_read": (
        "Not read",
        "Known from reports that name or quote it; no copy was read (none public, or none found).",
    ),
}


JURISDICTION_EU = "EU"


VOCABULARIES: dict[str, dict[str, tuple[str, str]]] = {
    "EVIDENCE_STATUS": EVIDENCE_STATUS,
    "ACTION_TYPES": ACTION_TYPES,
    "SCOPES": SCOPES,
    "ACTION_STATUS": ACTION_STATUS,
    "PLATFORMS": PLATFORMS,
    "METHODS": METHODS,
    "AUDITOR_KINDS": AUDITOR_KINDS,
    "COMPANY_KINDS": COMPANY_KINDS,
    "DATA_CATEGORIES": DATA_CATEGORIES,
    "SOURCE_KINDS": SOURCE_KINDS,
    "LANGUAGES": LANGUAGES,
    "DOCUMENT_ACCESS": DOCUMENT_ACCESS,
}


# The vocabularies whose values the views treat by class, with the class of each value and the
# classes' meanings: a value without a class, or with a class not listed, is refused at import.
VOCABULARY_CLASSES: dict[str, tuple[dict[str, str], dict[str, str]]] = {
    "EVIDENCE_STATUS": (
        EVIDENCE_CLASS,
        {
            "confirmed": "Shown as confirmed",
            "declared": "Shown as declared by the company",
            "claimed": "Shown as not confirmed",
        },
    ),
    "ACTION_TYPES": (ACTION_TYPE_CLASS, ACTION_TYPE_CLASSES),
    "ACTION_STATUS": (ACTION_STATUS_CLASS, ACTION_STATUS_CLASSES),
}


def _check_classes() -> None:
    for name, (of_value, classes) in VOCABULARY_CLASSES.items():
        values = VOCABULARIES[name]
        missing = [v for v in values if v not in of_value]
        if missing:
            raise ValueError(f"schema: {name} value(s) {missing} have no class: say how the views treat them")
        extra = [v for v in of_value if v not in values]
        unknown = sorted({c for c in of_value.values() if c not in classes})
        if extra or unknown:
            raise ValueError(f"schema: {name}: classes of unknown values {extra} or unknown classes {unknown}")


_check_classes()


def value_class(vocab: str, value: str) -> str | None:
    """The class of a vocabulary value (None for vocabularies without classes)."""
    entry = VOCABULARY_CLASSES.get(vocab)
    return entry[0].get(value) if entry else None


_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")


def plain(doc: str) -> str:
    """A doc (Markdown, as data/README.md shows it) as plain text: links keep their text only."""
    return _MD_LINK.sub(r"\1", doc)


def label(vocab: str, value: str | None) -> str:
    """Human label of a vocabulary value ("" for None, the value itself if unknown)."""
    if value is None:
        return ""
    entry = VOCABULARIES[vocab].get(value)
    return entry[0] if entry else value

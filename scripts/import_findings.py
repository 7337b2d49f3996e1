#!/usr/bin/env python3
"""One-off import of the sourced fact base into data/{data_types,companies,apps,findings}.yaml.

Reads /work/shared/facts/facts.yaml and facts-2.yaml (audit findings AF-001..AF-058, companies
CO-001..CO-024 and the `updates` that target findings), normalises them to the data model of
chatbot_watch/schema.py and writes the four YAML files. Kept for provenance: after the import the
YAML files are the source of truth and are edited by hand.

Run:  .venv/bin/python scripts/import_findings.py [--facts DIR] [--data DIR]
"""

from __future__ import annotations

import argparse
import copy
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from chatbot_watch import schema  # noqa: E402

# ---------------------------------------------------------------------------
# Data-type taxonomy
# ---------------------------------------------------------------------------
# id, label, category, description, apple_label, google_play_label
DATA_TYPES = [
    (
        "chat_content",
        "Chat content and prompts",
        "user_content",
        "What users type or say to a chatbot: prompts, messages, chat history and conversation text.",
        "Other User Content",
        "Other in-app messages",
    ),
    (
        "chat_metadata",
        "Conversation titles, links and metadata",
        "user_content",
        "Conversation titles, share links/permalinks, page titles and other metadata of conversations.",
        "Other User Content",
        "Other in-app messages",
    ),
    (
        "uploaded_files",
        "Uploaded files",
        "user_content",
        "Files and documents users upload to the chatbot.",
        "Other User Content",
        "Files and docs",
    ),
    (
        "other_user_content",
        "Other user content",
        "user_content",
        "Content users create outside the chat itself, e.g. their social-media posts.",
        "Other User Content",
        "Other user-generated content",
    ),
    (
        "audio",
        "Voice and audio",
        "user_content",
        "Voice input, voice messages, audio clips and recordings.",
        "Audio Data",
        "Voice or sound recordings",
    ),
    (
        "photos_videos",
        "Photos, videos and images",
        "user_content",
        "Photos, videos, images, profile pictures and screenshots.",
        "Photos or Videos",
        "Photos",
    ),
    (
        "contact_info",
        "Contact info",
        "contact_info",
        "Name, email address, phone number or postal address (also hashed emails or phone numbers).",
        "Name / Email Address / Phone Number / Physical Address",
        "Name / Email address / Phone number / Address",
    ),
    (
        "account_data",
        "Account and login data",
        "identifiers",
        "Login and registration data, account-creation data, credentials and API keys.",
        "User ID",
        "User IDs",
    ),
    (
        "user_ids",
        "User IDs",
        "identifiers",
        "User, account and organisation identifiers and usernames.",
        "User ID",
        "User IDs",
    ),
    (
        "device_identifiers",
        "Device identifiers",
        "identifiers",
        "Device IDs, advertising IDs, cookie identifiers and device fingerprints.",
        "Device ID",
        "Device or other IDs",
    ),
    (
        "ip_address",
        "IP address",
        "location",
        "The user's IP address (store labels count it as coarse location when used to locate the user).",
        "Coarse Location",
        "Approximate location",
    ),
    (
        "precise_location",
        "Precise location",
        "location",
        "Location precise enough to identify an address or place (GPS-level).",
        "Precise Location",
        "Precise location",
    ),
    (
        "coarse_location",
        "Coarse location",
        "location",
        "Approximate location: city, region or country level.",
        "Coarse Location",
        "Approximate location",
    ),
    (
        "location_unspecified",
        "Location (precision not stated)",
        "location",
        "Location data or a location permission where the source does not say how precise it is.",
        "Precise Location / Coarse Location",
        "Precise location / Approximate location",
    ),
    (
        "usage_data",
        "Usage and interaction data",
        "usage_data",
        "How users use the app or website: behaviour, activity, clicks, pages visited in it, feedback.",
        "Product Interaction",
        "App interactions",
    ),
    (
        "keystroke_patterns",
        "Keystroke patterns",
        "usage_data",
        "Keyboard input patterns or rhythms (typing behaviour) that can identify a person.",
        "Other Data Types",
        "Other actions",
    ),
    (
        "advertising_data",
        "Advertising data",
        "usage_data",
        "Ads seen or clicked, ad-measurement, ad-targeting and ad-tracking data.",
        "Advertising Data",
        None,
    ),
    (
        "search_history",
        "Search history",
        "browsing",
        "Searches the user made.",
        "Search History",
        "In-app search history",
    ),
    (
        "browsing_history",
        "Browsing history",
        "browsing",
        "Web pages visited outside the app, referring websites, browsing behaviour.",
        "Browsing History",
        "Web browsing history",
    ),
    (
        "device_info",
        "Device information",
        "diagnostics",
        "Device model, name, type, OS version, browser, language and other device parameters.",
        "Other Diagnostic Data",
        "Diagnostics",
    ),
    (
        "network_info",
        "Network information",
        "diagnostics",
        "Network type, carrier and connection details.",
        "Other Diagnostic Data",
        "Other app performance data",
    ),
    (
        "app_info",
        "App information",
        "diagnostics",
        "Information about the app itself: version, configuration, installation.",
        "Other Diagnostic Data",
        "Other app performance data",
    ),
    (
        "diagnostics",
        "Diagnostics and logs",
        "diagnostics",
        "Logs, backend logs, crash data and operational metadata.",
        "Other Diagnostic Data",
        "Diagnostics",
    ),
    (
        "financial_info",
        "Financial info",
        "financial_info",
        "Payment and card data, other financial information.",
        "Payment Info",
        "User payment info",
    ),
    (
        "health_fitness",
        "Health and fitness",
        "health_fitness",
        "Health, fitness and medical data.",
        "Health",
        "Health info",
    ),
    (
        "sensitive_info",
        "Sensitive info",
        "sensitive_info",
        "Special-category data such as racial or ethnic origin, sexual orientation, beliefs, biometrics.",
        "Sensitive Info",
        "Race and ethnicity / Political or religious beliefs / Sexual orientation",
    ),
    (
        "personal_data_unspecified",
        "Personal data (unspecified)",
        "other",
        "Personal data the source does not itemise (incl. counts of store-label data types, demographics).",
        "Other Data Types",
        "Other info",
    ),
    (
        "traffic_unspecified",
        "Traffic (content not stated)",
        "other",
        "Network traffic or communication with a recipient whose data content the source does not state.",
        None,
        None,
    ),
]

# ---------------------------------------------------------------------------
# Apps
# ---------------------------------------------------------------------------
# fact-base app name -> app id
APP_OF_FACT = {
    "DeepSeek": "deepseek",
    "Doubao": "doubao",
    "Ernie Bot / Wenxin Yiyan (文心一言)": "ernie-bot",
    "Qwen / Tongyi Qianwen (通義千問)": "qwen",
    "Tencent Yuanbao (騰訊元寶)": "yuanbao",
    "Kimi (Moonshot AI)": "kimi",
    "Meta AI": "meta-ai",
    "Meta AI (AI Studio)": "meta-ai",
    "Meta AI (standalone app, launched April 2025)": "meta-ai",
    "Microsoft Copilot": "copilot",
    "Google Gemini": "gemini",
    "ChatGPT": "chatgpt",
    "Claude": "claude",
    "Le Chat (Mistral AI)": "le-chat",
    "Replika": "replika",
    "Character.AI": "character-ai",
    "OpenAI API platform (platform.openai.com) — not ChatGPT": "openai-api-platform",
    "Grok": "grok",
    "Grok (via X)": "grok",
    "Perplexity": "perplexity",
    "Genspark": "genspark",
    "SeaArt": "seaart",
    "ChatOn": "chaton",
    "Poe": "poe",
    "Jasper": "jasper",
}

# id -> name, developer, aliases, website, source spec, notes
# source spec: ("company", CO-id, index) index 0 = main source, n = additional_sources[n-1];
#              ("finding", AF-id, index) / ("action", CA-id, index) likewise.
APPS = [
    ("deepseek", "DeepSeek", "deepseek", [], None, [("company", "CO-004", 1)], None),
    (
        "chatgpt",
        "ChatGPT",
        "openai",
        ["ChatGPT (OpenAI)"],
        None,
        [("company", "CO-011", 0)],
        "Developer per the OpenAI company record (CO-011 products).",
    ),
    (
        "gemini",
        "Google Gemini",
        "google",
        ["Gemini", "Gemini Apps"],
        None,
        [("finding", "AF-055", 0)],
        "Developer per the Google company record (CO-012 products).",
    ),
    (
        "copilot",
        "Microsoft Copilot",
        "microsoft",
        ["Copilot", "Microsoft Copilot (commercial version)"],
        None,
        [("company", "CO-014", 1)],
        None,
    ),
    ("claude", "Claude", "anthropic", [], None, [("company", "CO-017", 0)], None),
    (
        "grok",
        "Grok",
        "xai",
        ["Grok (xAI)", "Grok (via X)", "Grok AI"],
        None,
        [("company", "CO-015", 0)],
        "Offered on X (formerly Twitter) and on its own; the X integration is run by X Corp (CO-016).",
    ),
    (
        "meta-ai",
        "Meta AI",
        "meta",
        ["Meta AI Studio", "Meta AI (AI Studio)", "Meta AI (standalone app, launched April 2025)", "Meta.ai"],
        None,
        [("company", "CO-013", 0)],
        "Includes Meta AI Studio and the standalone Meta AI app (launched April 2025, per AF-035). "
        "Developer per the Meta Platforms company record (CO-013 products).",
    ),
    ("perplexity", "Perplexity", "perplexity-ai", [], None, [("company", "CO-019", 1)], None),
    ("character-ai", "Character.AI", "character-technologies", [], None, [("company", "CO-020", 1)], None),
    (
        "replika",
        "Replika",
        "luka",
        ["Replika (Luka Inc.)"],
        "https://www.replika.com",
        [("company", "CO-021", 0), ("company", "CO-021", 1)],
        "Website per Luka's privacy policy ('the informational website www.replika.com'); the apps run at "
        "my.replika.com.",
    ),
    (
        "doubao",
        "Doubao",
        "bytedance",
        [],
        None,
        [("company", "CO-002", 0)],
        "Developer per the ByteDance company record (CO-001: 'ByteDance's flagship LLM'); models served through "
        "Volcano Engine (CO-002).",
    ),
    (
        "ernie-bot",
        "Ernie Bot",
        "baidu",
        ["Ernie Bot (Wenxin Yiyan)", "Wenxin Yiyan", "文心一言", "Yiyan"],
        None,
        [("company", "CO-008", 1), ("company", "CO-008", 0)],
        None,
    ),
    (
        "qwen",
        "Qwen",
        "alibaba",
        ["Tongyi Qianwen", "通義千問", "Tongyi", "Qwen (Tongyi)", "Qwen app (formerly Tongyi / Tongyi Qianwen)"],
        None,
        [("company", "CO-007", 1)],
        "Relaunched in November as the Qwen app, a revamped version of Alibaba's Tongyi app.",
    ),
    ("yuanbao", "Tencent Yuanbao", "tencent", ["Yuanbao", "騰訊元寶"], None, [("company", "CO-009", 1)], None),
    ("kimi", "Kimi", "moonshot-ai", ["Kimi Chat", "Kimi (Moonshot AI)"], None, [("company", "CO-006", 1)], None),
    (
        "zhipu-qingyan",
        "Zhipu Qingyan",
        "zhipu-ai",
        ["Zhipu Qingyan (ChatGLM)", "ChatGLM"],
        None,
        [("company", "CO-010", 0)],
        "Developer per the Zhipu AI company record (CO-010 products).",
    ),
    (
        "le-chat",
        "Le Chat",
        "mistral-ai",
        ["Le Chat (Mistral AI)"],
        None,
        [("company", "CO-018", 0)],
        "Developer per the Mistral AI company record (CO-018 products).",
    ),
    (
        "openai-api-platform",
        "OpenAI API platform",
        "openai",
        ["platform.openai.com", "OpenAI API platform (platform.openai.com)"],
        "https://platform.openai.com",
        [("finding", "AF-033", 0)],
        "The developer platform (API portal), not ChatGPT.",
    ),
    ("genspark", "Genspark", None, [], None, [("finding", "AF-043", 0)], "Developer not stated in the sources read."),
    ("seaart", "SeaArt", None, [], None, [("finding", "AF-044", 0)], "Developer not stated in the sources read."),
    ("chaton", "ChatOn", None, [], None, [("finding", "AF-045", 0)], "Developer not stated in the sources read."),
    ("poe", "Poe", None, [], None, [("finding", "AF-051", 0)], "Developer not stated in the sources read."),
    ("jasper", "Jasper", None, [], None, [("finding", "AF-052", 0)], "Developer not stated in the sources read."),
    (
        "nomi",
        "Nomi",
        "glimpse-ai",
        ["Nomi (Glimpse.AI)"],
        None,
        [("action", "CA-088", 0)],
        "Developer as named in the eSafety action record (CA-088: 'Nomi (Glimpse.AI)').",
    ),
    ("chai", "Chai", None, [], None, [("action", "CA-088", 0)], "Developer not stated in the sources read."),
    ("chub-ai", "Chub AI", None, [], None, [("action", "CA-088", 0)], "Developer not stated in the sources read."),
    (
        "my-ai",
        "My AI",
        "snap",
        ["Snap (My AI)"],
        None,
        [("action", "CA-036", 0)],
        "Snapchat's My AI chatbot; developer as named in the FTC action record (CA-036: 'Snap (My AI)').",
    ),
]

# ---------------------------------------------------------------------------
# Companies
# ---------------------------------------------------------------------------
CO_ID = {
    "CO-001": "bytedance",
    "CO-002": "volcano-engine",
    "CO-003": "china-mobile",
    "CO-004": "deepseek",
    "CO-005": "high-flyer",
    "CO-006": "moonshot-ai",
    "CO-007": "alibaba",
    "CO-008": "baidu",
    "CO-009": "tencent",
    "CO-010": "zhipu-ai",
    "CO-011": "openai",
    "CO-012": "google",
    "CO-013": "meta",
    "CO-014": "microsoft",
    "CO-015": "xai",
    "CO-016": "x-corp",
    "CO-017": "anthropic",
    "CO-018": "mistral-ai",
    "CO-019": "perplexity-ai",
    "CO-020": "character-technologies",
    "CO-021": "luka",
    "CO-022": "mixpanel",
    "CO-023": "intercom",
    "CO-024": "datadog",
}
COMPANY_NAME = {"CO-002": "Volcano Engine"}  # Volcengine stays in aliases
COMPANY_KINDS = {
    "bytedance": ["ai_developer", "internet_services"],
    "volcano-engine": ["cloud", "analytics"],
    "china-mobile": ["telecom"],
    "deepseek": ["ai_developer"],
    "high-flyer": ["investment"],
    "moonshot-ai": ["ai_developer"],
    "alibaba": ["ai_developer", "internet_services"],
    "baidu": ["ai_developer", "internet_services", "analytics"],
    "tencent": ["ai_developer", "internet_services", "social_media"],
    "zhipu-ai": ["ai_developer"],
    "openai": ["ai_developer"],
    "google": ["ai_developer", "internet_services", "analytics", "advertising"],
    "meta": ["ai_developer", "social_media", "advertising"],
    "microsoft": ["ai_developer", "analytics"],
    "xai": ["ai_developer"],
    "x-corp": ["social_media"],
    "anthropic": ["ai_developer"],
    "mistral-ai": ["ai_developer"],
    "perplexity-ai": ["ai_developer"],
    "character-technologies": ["ai_developer"],
    "luka": ["ai_developer"],
    "mixpanel": ["analytics"],
    "intercom": ["customer_support"],
    "datadog": ["monitoring"],
}
# child CO-id -> (parent id, note override or None)
PARENT_OF = {
    "CO-002": "bytedance",
    "CO-004": "high-flyer",
    "CO-011": "openai-foundation",
    "CO-012": "alphabet",
    "CO-015": "spacex",
    "CO-016": "xai",
}
PARENT_NOTE = {
    "CO-012": "Alphabet is the parent company of Google (askanydifference.com); since = the year Alphabet was "
    "founded (2015) as the fact base gives it.",
    "CO-016": "Acquired by xAI on 28 Mar 2025 in an all-stock deal (FinTech Weekly); xAI is itself owned by "
    "SpaceX since Feb 2026 (see xai).",
}
# Companies not in facts-2.yaml: id, name, legal_names, aliases, kinds, parents, notes, source specs
EXTRA_COMPANIES = [
    (
        "openai-foundation",
        "OpenAI Foundation",
        ["OpenAI Foundation (nonprofit, formerly OpenAI Inc.)"],
        ["OpenAI Inc."],
        ["investment"],
        [],
        "Nonprofit that controls OpenAI Group PBC and holds 26% of it after the recapitalization completed on "
        "28 Oct 2025 (NewsBytes); before that, as OpenAI Inc., the controlling shareholder (AP, 2023). "
        "Named in the OpenAI company record (CO-011); headquarters not stated in the sources read.",
        [("company", "CO-011", 2), ("company", "CO-011", 1), ("company", "CO-011", 3)],
    ),
    (
        "alphabet",
        "Alphabet",
        ["Alphabet Inc."],
        [],
        ["investment"],
        [],
        "Parent company of Google (CO-012). Headquarters not stated in the sources read.",
        [("company", "CO-012", 1), ("company", "CO-012", 2)],
    ),
    (
        "spacex",
        "SpaceX",
        [],
        [],
        ["aerospace"],
        [],
        "Acquired xAI (announced Monday 2 Feb 2026, stock-for-stock), per the xAI company record (CO-015). "
        "Headquarters not stated in the sources read.",
        [("company", "CO-015", 0), ("company", "CO-015", 2)],
    ),
    (
        "tiktok",
        "TikTok",
        [],
        [],
        ["social_media", "advertising"],
        [
            {
                "company": "bytedance",
                "since": None,
                "until": None,
                "note": "AF-049 recipient_parent_company: 'ByteDance for TikTok'; i-HLS: 'ByteDance, the parent company of "
                "TikTok'; CO-001 lists TikTok among ByteDance's products.",
            }
        ],
        "Recipient in AF-049 (collects Open Graph metadata, incl. message text, from Grok pages, per the IMDEA "
        "study) and named as an ad platform in AF-030. Headquarters not stated in the sources read.",
        [("finding", "AF-049", 0), ("finding", "AF-049", 1), ("finding", "AF-005", 0)],
    ),
    (
        "singular",
        "Singular",
        [],
        [],
        ["analytics"],
        [],
        "Named only as a tool receiving Perplexity users' raw email addresses, conversation titles and metadata "
        "(AF-050, IMDEA study of third-party trackers); the kind 'analytics' is taken from that tracker context. "
        "Company details (headquarters, owner) are not sourced.",
        [("finding", "AF-050", 0)],
    ),
    (
        "snap",
        "Snap",
        [],
        [],
        ["ai_developer"],
        [],
        "Named in the FTC's Section 6(b) orders to companies operating consumer-facing AI chatbots (CA-036: "
        "'Snap (My AI)'); the source quote describes the group of companies, it does not name Snap itself. "
        "Headquarters not stated in the sources read.",
        [("action", "CA-036", 0)],
    ),
    (
        "naver",
        "Naver",
        [],
        ["네이버"],
        ["ai_developer"],
        [],
        "One of six LLM service providers given PIPC improvement recommendations in March 2024 (CA-098). "
        "Headquarters not stated in the sources read.",
        [("action", "CA-098", 1), ("action", "CA-098", 0)],
    ),
    (
        "wrtn",
        "Wrtn",
        [],
        ["뤼튼"],
        ["ai_developer"],
        [],
        "One of six LLM service providers given PIPC improvement recommendations in March 2024 (CA-098). "
        "Headquarters not stated in the sources read.",
        [("action", "CA-098", 1), ("action", "CA-098", 0)],
    ),
    (
        "glimpse-ai",
        "Glimpse.AI",
        [],
        [],
        ["ai_developer"],
        [],
        "Provider of the Nomi companion app, one of four AI companion providers given eSafety notices (CA-088: "
        "'Nomi (Glimpse.AI)'). Headquarters not stated in the sources read.",
        [("action", "CA-088", 0)],
    ),
]

# ---------------------------------------------------------------------------
# Findings
# ---------------------------------------------------------------------------
AUDITOR_KIND = {
    "regulator": "regulator",
    "regulator (state attorney general)": "attorney_general",
    "state attorney general (litigation allegation)": "attorney_general",
    "government intelligence agency": "government_agency",
    "state government review": "government_agency",
    "legislature (congressional committee)": "legislature",
    "security firm": "security_firm",
    "security firm (App Store privacy-label study)": "security_firm",
    "VPN company research": "security_firm",
    "policy-analysis service": "security_firm",
    "privacy researcher (policy & store-listing analysis)": "security_firm",
    "academic researchers": "academic",
    "NGO / consumer privacy review": "ngo",
    "newspaper": "press",
    "press": "press",
    "press technical analysis": "press",
    "company disclosure": "company",
    "company disclosure (third-party summary)": "company",
}

# AF id -> method, evidence status, recipients, data types (one list per data_types phrase, in order)
F = {
    "AF-001": (
        "regulator_inspection",
        "confirmed_by_regulator",
        ["volcano-engine"],
        [["chat_content"], ["device_info"], ["network_info"], ["app_info"]],
    ),
    "AF-002": (
        "regulator_inspection",
        "confirmed_by_regulator",
        ["volcano-engine"],
        [["personal_data_unspecified"], ["chat_content"]],
    ),
    "AF-003": ("regulator_inspection", "confirmed_by_regulator", ["bytedance"], []),
    "AF-004": (
        "intelligence_assessment",
        "alleged",
        [],
        [["chat_content"], ["keystroke_patterns"], ["personal_data_unspecified"]],
    ),
    "AF-005": (
        "network_traffic",
        "alleged",
        ["volcano-engine"],
        [["account_data"], ["device_info"], ["user_ids"], ["device_info"], ["device_info"]],
    ),
    "AF-006": (
        "static_analysis",
        "alleged",
        ["bytedance"],
        [
            ["usage_data"],
            ["device_info"],
            ["keystroke_patterns"],
            ["ip_address"],
            ["device_info"],
            ["chat_content"],
            ["location_unspecified"],
            ["device_info"],
        ],
    ),
    "AF-007": ("static_analysis", "alleged", ["china-mobile"], [["account_data"], ["device_identifiers"]]),
    "AF-008": (
        "exposed_data",
        "observed_by_auditor",
        [],
        [["chat_content"], ["account_data"], ["diagnostics"], ["diagnostics"]],
    ),
    "AF-009": ("network_traffic", "observed_by_auditor", [], [["traffic_unspecified"]]),
    "AF-010": (
        "intelligence_assessment",
        "alleged",
        ["china-mobile"],
        [["chat_content"], ["device_info"], ["keystroke_patterns"]],
    ),
    "AF-011": (
        "regulator_inspection",
        "confirmed_by_regulator",
        ["deepseek"],
        [["chat_content"], ["chat_content"], ["uploaded_files"], ["location_unspecified"], ["device_info"]],
    ),
    "AF-012": (
        "intelligence_assessment",
        "alleged",
        ["deepseek"],
        [["chat_content"], ["uploaded_files"], ["ip_address"]],
    ),
    "AF-013": (
        "intelligence_assessment",
        "alleged",
        [],
        [["location_unspecified"], ["photos_videos"], ["device_info"]],
    ),
    "AF-018": ("regulator_inspection", "confirmed_by_regulator", [], [["personal_data_unspecified"]]),
    "AF-019": (
        "privacy_label_review",
        "declared_by_company",
        [],
        [
            ["personal_data_unspecified"],
            ["financial_info"],
            ["health_fitness"],
            ["sensitive_info"],
            ["personal_data_unspecified"],
        ],
    ),
    "AF-020": ("privacy_label_review", "declared_by_company", [], [["device_identifiers"], ["advertising_data"]]),
    "AF-021": (
        "privacy_label_review",
        "declared_by_company",
        [],
        [["personal_data_unspecified"], ["precise_location"], ["contact_info"], ["search_history", "browsing_history"]],
    ),
    "AF-022": (
        "privacy_label_review",
        "declared_by_company",
        [],
        [
            ["personal_data_unspecified"],
            ["coarse_location"],
            ["health_fitness"],
            ["search_history"],
            ["audio"],
            ["advertising_data"],
        ],
    ),
    "AF-023": ("privacy_label_review", "declared_by_company", [], [["personal_data_unspecified"], ["chat_content"]]),
    "AF-024": (
        "policy_review",
        "declared_by_company",
        ["meta"],
        [["chat_content"], ["contact_info"], ["contact_info"], ["contact_info"]],
    ),
    "AF-025": ("policy_review", "declared_by_company", [], [["chat_content", "personal_data_unspecified"]]),
    "AF-026": ("privacy_label_review", "declared_by_company", [], [["contact_info"], ["contact_info"], ["usage_data"]]),
    "AF-027": (
        "privacy_label_review",
        "declared_by_company",
        [],
        [["precise_location"], ["contact_info"], ["contact_info"]],
    ),
    "AF-028": ("policy_review", "declared_by_company", [], [["chat_content"]]),
    "AF-029": ("policy_review", "alleged", [], [["usage_data"], ["photos_videos", "audio", "chat_content"]]),
    "AF-030": (
        "policy_review",
        "alleged",
        ["tiktok", "meta"],
        [["personal_data_unspecified"], ["location_unspecified"], ["browsing_history"], ["usage_data"]],
    ),
    "AF-031": ("policy_review", "alleged", [], [["chat_content"], ["usage_data"]]),
    "AF-032": (
        "policy_review",
        "declared_by_company",
        [],
        [["personal_data_unspecified"], ["usage_data"], ["device_info"]],
    ),
    "AF-033": (
        "company_disclosure",
        "acknowledged_by_company",
        ["mixpanel"],
        [["contact_info"], ["contact_info"], ["coarse_location"], ["device_info"], ["browsing_history"], ["user_ids"]],
    ),
    "AF-034": ("press_investigation", "reported_by_press", ["google"], [["chat_content"]]),
    "AF-035": (
        "press_investigation",
        "reported_by_press",
        [],
        [["chat_content"], ["audio"], ["photos_videos"], ["user_ids", "photos_videos"]],
    ),
    "AF-036": (
        "regulator_inspection",
        "confirmed_by_regulator",
        [],
        [["contact_info"], ["contact_info"], ["financial_info"], ["financial_info"]],
    ),
    "AF-037": (
        "policy_review",
        "declared_by_company",
        [],
        [["usage_data"], ["device_identifiers"], ["usage_data"], ["chat_metadata"]],
    ),
    "AF-038": (
        "company_disclosure",
        "declared_by_company",
        [],
        [["ip_address"], ["device_info"], ["device_identifiers"], ["device_info"], ["coarse_location"], ["usage_data"]],
    ),
    "AF-039": (
        "press_investigation",
        "reported_by_press",
        ["xai"],
        [["other_user_content"], ["usage_data"], ["chat_content"]],
    ),
    "AF-040": ("network_traffic", "observed_by_auditor", ["baidu"], [["usage_data"]]),
    "AF-041": (
        "policy_review",
        "declared_by_company",
        ["deepseek"],
        [["personal_data_unspecified"], ["advertising_data"], ["device_identifiers", "contact_info"]],
    ),
    "AF-042": ("policy_review", "declared_by_company", [], [["personal_data_unspecified"]]),
    "AF-043": ("network_traffic", "observed_by_auditor", ["microsoft"], [["chat_content"]]),
    "AF-046": ("network_traffic", "observed_by_auditor", ["microsoft"], [["usage_data"]]),
    "AF-047": ("network_traffic", "observed_by_auditor", ["google"], [["chat_metadata"], ["chat_metadata"]]),
    "AF-048": (
        "network_traffic",
        "observed_by_auditor",
        ["intercom", "meta"],
        [["contact_info"], ["chat_metadata"], ["usage_data"]],
    ),
    "AF-049": (
        "network_traffic",
        "observed_by_auditor",
        ["google", "tiktok", "meta"],
        [["chat_metadata"], ["chat_metadata"], ["chat_content"]],
    ),
    "AF-050": (
        "network_traffic",
        "observed_by_auditor",
        ["datadog", "singular", "meta"],
        [["contact_info"], ["chat_metadata"], ["chat_metadata"], ["chat_metadata"]],
    ),
    "AF-051": ("privacy_label_review", "declared_by_company", [], [["personal_data_unspecified"]]),
    "AF-053": ("company_disclosure", "declared_by_company", ["meta"], [["chat_content", "audio"]]),
    "AF-054": (
        "company_disclosure",
        "declared_by_company",
        [],
        [["chat_content", "advertising_data"], ["advertising_data"]],
    ),
    "AF-055": (
        "policy_review",
        "declared_by_company",
        ["google"],
        [["chat_content"], ["device_info", "location_unspecified", "usage_data"]],
    ),
    "AF-056": ("litigation", "alleged", [], [["personal_data_unspecified"], ["personal_data_unspecified"]]),
    "AF-058": ("policy_review", "declared_by_company", [], [["usage_data"], []]),
}
for _same, _as in (
    ("AF-014", "AF-013"),
    ("AF-015", "AF-013"),
    ("AF-016", "AF-013"),
    ("AF-017", "AF-013"),
    ("AF-044", "AF-043"),
    ("AF-045", "AF-043"),
    ("AF-052", "AF-051"),
):
    F[_same] = F[_as]

# Import notes appended to a finding's notes (why a mapping was chosen).
IMPORT_NOTES = {
    "AF-001": "Evidence: the PIPC confirmed the transfer after its pre-inspection; DeepSeek acknowledged it and "
    "stopped prompt transfers (date disputed between sources, see update).",
    "AF-003": "The fact base gives no data types (PIPC had not yet determined what data was sent); recorded as "
    "'traffic_unspecified'.",
    "AF-004": "volceapplog.com is kept as reported; no source read ties that domain to a named company.",
    "AF-005": "Recipient is Volcano Engine as the fact names it; sources call it ByteDance-owned (see the "
    "volcano-engine company record for the parent).",
    "AF-008": "Exposure, not a transfer: no recipient. The hosts were reported with port 9000 "
    "(oauth2callback.deepseek.com:9000, dev.deepseek.com:9000); ports are dropped from `domains`. "
    "DeepSeek secured the database within about an hour, so this exposure was stopped.",
    "AF-009": "No recipient company set: the source does not name the operator of the host. The volcano-engine "
    "company record ties volces.com to Volcano Engine via another source.",
    "AF-010": "Method: congressional committee report, recorded as a government assessment "
    "(intelligence_assessment). Only China Mobile is named as the conduit; ByteDance, Baidu and Tencent "
    "are cited as 'ties', not recipients.",
    "AF-011": "First-party transfer: the recipient is DeepSeek itself (servers in China). A further source in the "
    "fact base (OpIndia, 2025-06-27, https://www.opindia.com/news-updates/germany-chinese-ai-app-deepseek-"
    "illegally-transfers-data-to-china-asks-apple-google-to-remove-from-their-app-stores/) has no quote "
    "and is therefore not listed in `sources`.",
    "AF-012": "Method: state government (OMES) review, recorded as a government assessment; status 'stated by state "
    "government' mapped to alleged.",
    "AF-018": "audit_date: the fact gives the test period 2025-04-16/2025-05-15; recorded with month precision "
    "(2025-05, the month the tests ended and the list was published; the related action CA-079 dates "
    "the notice to Tuesday 20 May 2025, derived).",
    "AF-019": "Store-label counts ('32 of 35 App Store data types', '24 data types ... for third-party ads') are "
    "recorded as personal_data_unspecified.",
    "AF-021": "'22 of 35 App Store data types' is recorded as personal_data_unspecified.",
    "AF-022": "'17 of 35 App Store data types' is recorded as personal_data_unspecified.",
    "AF-023": "'11 of 35 App Store data types' is recorded as personal_data_unspecified.",
    "AF-024": "Recipient 'Meta corporate group members' recorded as meta (the developer's own group); research "
    "partners are not named.",
    "AF-027": "Method: status says 'per company listing/policy'; recorded as a store-listing review.",
    "AF-029": "'The likes of Facebook or Google' are given as examples of advertisers, not as named recipients, so "
    "no recipient company is set.",
    "AF-030": "Recipients: TikTok (tiktok) and Instagram (a Meta product per the Meta company record, so meta) as "
    "named ad platforms; YouTube is not mapped to a company because no source read ties it to one. "
    "'demographics' is recorded as personal_data_unspecified.",
    "AF-033": "Mixpanel has been removed by OpenAI (the flow was stopped after the incident).",
    "AF-034": "Recipient google stands for Google Search, which indexed shared conversations (public indexing, "
    "not a direct transfer).",
    "AF-035": "A further source in the fact base (UIS Journal, 2025-06-17, https://uisjournal.com/meta-ai-can-make-"
    "users-private-chats-in-case-of-sharing-public-heres-how-to-avoid-it/) has no quote and is therefore "
    "not listed in `sources`. Meta's statement that chats stay private unless users share them is kept "
    "in status_described.",
    "AF-039": "Data flows from X (X Corp) to xAI for training Grok.",
    "AF-040": "Recipient: Baidu only. 'Volces' is not mapped to volcano-engine because the sources read do not make "
    "that link, although the Volcano Engine company record lists 'Volces (as named by Wired)' as an "
    "alias. 'website activity' recorded as usage_data.",
    "AF-041": "The flows from advertisers/measurement partners described here are inbound (to DeepSeek); "
    "recipient deepseek stands for the DeepSeek corporate group.",
    "AF-046": "Recipient belongs to the app's own company.",
    "AF-050": "Perplexity reportedly stopped using Meta Pixel in April 2026 (that part of the flow was stopped).",
    "AF-053": "Recipient meta stands for Meta's own ad and personalisation systems; advertisers receive targeting, "
    "not chats.",
    "AF-054": "Recipients not set: advertisers are not named.",
    "AF-055": "Recipient google stands for Google's human reviewers (employees and contractors).",
    "AF-058": "'conversation content' is listed in data_described because the policy mentions it, but the policy "
    "says it is NOT used or disclosed for marketing or advertising, so it is not mapped to a data type.",
}
METHOD_NOTE = {
    "AF-013": "Method: NSB-led inspection against MODA's app security testing standard, recorded as "
    "intelligence_assessment.",
}
for _k in ("AF-014", "AF-015", "AF-016", "AF-017"):
    METHOD_NOTE[_k] = METHOD_NOTE["AF-013"]
SKIPPED = {
    "AF-057": "No individual app is named (sector-wide PIPC evaluation of generative AI services); the data "
    "model requires one app per finding.",
}
AUDIT_DATE_OVERRIDE = {"AF-018": "2025-05"}
# auditor_country for public examiners, read off the country/state the fact's `auditor` text names.
AUDITOR_COUNTRY = {
    "Personal Information Protection Commission (PIPC), South Korea": "KR",
    "National Intelligence Service (NIS), South Korea": "KR",
    "U.S. House Select Committee on the CCP ('DeepSeek Unmasked' report)": "US",
    "Berlin Commissioner for Data Protection and Freedom of Information (Meike Kamp)": "DE",
    "Office of the Governor / Office of Management and Enterprise Services (OMES), Oklahoma": "US",
    "National Security Bureau (NSB), Taiwan, with MJIB and Criminal Investigation Bureau": "TW",
    "National Cyber Security Information Centre / Ministry of Public Security inspection centre, China": "CN",
    "Texas Attorney General (Ken Paxton)": "US",
    "Kentucky Attorney General (Russell Coleman) — complaint in Franklin Circuit Court": "US",
}
PUBLIC_KINDS = {"regulator", "government_agency", "legislature", "attorney_general"}


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


def src(entry: dict) -> dict | None:
    """A fact (or one of its additional_sources) -> a source mapping; None if it has no quote."""
    url = entry.get("source_url")
    quote = entry.get("quote")
    if not url or not quote:
        return None
    return {
        "url": url,
        "publisher": entry["source_publisher"],
        "published": entry.get("source_date"),
        "accessed": None,
        "quote": " ".join(str(quote).split()),
    }


def all_sources(fact: dict) -> list[dict]:
    out = []
    for entry in [fact] + list(fact.get("additional_sources") or []):
        s = src(entry)
        if s and s not in out:
            out.append(s)
    return out


def source_at(fact: dict, index: int) -> dict:
    entry = fact if index == 0 else fact["additional_sources"][index - 1]
    s = src(entry)
    assert s, (fact["id"], index)
    return s


def one_line(text: str | None) -> str | None:
    if text is None:
        return None
    return " ".join(str(text).split())


def dedup(items):
    out = []
    for i in items:
        if i not in out:
            out.append(i)
    return out


# ---------------------------------------------------------------------------
# Build
# ---------------------------------------------------------------------------


def build(facts_dir: Path) -> dict[str, list[dict]]:
    f1 = yaml.safe_load((facts_dir / "facts.yaml").read_text(encoding="utf-8"))
    f2 = yaml.safe_load((facts_dir / "facts-2.yaml").read_text(encoding="utf-8"))
    findings_in = {f["id"]: f for f in f1["audit_findings"] + f2["audit_findings"]}
    companies_in = {c["id"]: c for c in f2["companies"]}
    actions_in = {a["id"]: a for a in f1["country_actions"] + f2["country_actions"]}
    updates = [u for u in f2["updates"] if u["target_id"].startswith("AF-")]
    pool = {"finding": findings_in, "company": companies_in, "action": actions_in}

    def spec_sources(specs):
        out = []
        for kind, fid, idx in specs:
            s = source_at(pool[kind][fid], idx)
            if s not in out:
                out.append(s)
        return out

    # data types ------------------------------------------------------------
    data_types = [
        {"id": i, "label": lab, "category": cat, "description": desc, "apple_label": apple, "google_play_label": gp}
        for i, lab, cat, desc, apple, gp in DATA_TYPES
    ]

    # companies ---------------------------------------------------------------
    companies = []
    for co_id, cid in CO_ID.items():
        c = companies_in[co_id]
        parents = []
        if co_id in PARENT_OF:
            note = PARENT_NOTE.get(co_id) or one_line(c.get("ownership_notes")) or one_line(c["parent_company"])
            parents.append(
                {
                    "company": PARENT_OF[co_id],
                    "since": c.get("parent_since"),
                    "until": None,
                    "note": note,
                }
            )
        notes = []
        parent_note_used = bool(parents) and co_id not in PARENT_NOTE and bool(c.get("ownership_notes"))
        if c.get("role"):
            notes.append(f"Role: {one_line(c['role'])}.")
        if c.get("products"):
            notes.append("Products (fact base): " + "; ".join(c["products"]) + ".")
        if c.get("parent_company"):
            notes.append(f"Parent as the fact base gives it: {one_line(c['parent_company'])}.")
        if c.get("ownership_notes") and not parent_note_used:
            notes.append(f"Ownership: {one_line(c['ownership_notes'])}")
        if c.get("notes"):
            notes.append(one_line(c["notes"]))
        if c.get("country_hq") is None:
            notes.append("Headquarters country not stated as such in the sources read (null).")
        if co_id == "CO-002":
            notes.append(
                "Questionable: the alias 'Volces (as named by Wired)' is given by the fact base, while the "
                "finding AF-040 says its sources do not link Volces to Volcano Engine explicitly."
            )
        domains = [d.lower() for d in (c.get("domains") or [])]
        companies.append(
            {
                "id": cid,
                "name": COMPANY_NAME.get(co_id, c["name"]),
                "legal_names": list(c.get("legal_names") or []),
                "aliases": list(c.get("aliases") or []),
                "kinds": COMPANY_KINDS[cid],
                "country": c.get("country_hq"),
                "city": c.get("hq_city"),
                "parents": parents,
                "domains": domains,
                "notes": " ".join(notes) if notes else None,
                "sources": all_sources(c),
            }
        )
    for cid, name, legal, aliases, kinds, parents, notes, specs in EXTRA_COMPANIES:
        companies.append(
            {
                "id": cid,
                "name": name,
                "legal_names": legal,
                "aliases": aliases,
                "kinds": kinds,
                "country": None,
                "city": None,
                "parents": copy.deepcopy(parents),
                "domains": [],
                "notes": notes,
                "sources": spec_sources(specs),
            }
        )

    # apps ----------------------------------------------------------------------
    platforms_seen: dict[str, list[str]] = {}
    for fid, f in findings_in.items():
        if fid in SKIPPED:
            continue
        if f.get("platform"):
            platforms_seen.setdefault(APP_OF_FACT[f["app"]], []).append((f["platform"], fid))
    order = list(schema.PLATFORMS)
    apps = []
    for aid, name, dev, aliases, website, specs, notes in APPS:
        seen = platforms_seen.get(aid, [])
        plats = sorted({p for p, _ in seen}, key=order.index)
        note_parts = [notes] if notes else []
        if plats:
            by = {p: sorted({fid for q, fid in seen if q == p}) for p in plats}
            note_parts.append(
                "Platforms: those examined in sourced findings ("
                + "; ".join(f"{p}: {', '.join(ids)}" for p, ids in by.items())
                + "); not a complete list."
            )
        apps.append(
            {
                "id": aid,
                "name": name,
                "developer": dev,
                "platforms": plats,
                "ios_app_id": None,
                "android_package": None,
                "website": website,
                "aliases": aliases,
                "notes": " ".join(note_parts) if note_parts else None,
                "sources": spec_sources(specs),
            }
        )

    # findings --------------------------------------------------------------------
    findings = []
    for fid in sorted(findings_in):
        f = findings_in[fid]
        if fid in SKIPPED:
            continue
        method, evidence, recipients, dt_map = F[fid]
        phrases = list(f.get("data_types") or [])
        if phrases:
            assert len(dt_map) == len(phrases), fid
            dtypes = dedup(t for ts in dt_map for t in ts)
        else:
            dtypes = ["traffic_unspecified"]
        rdesc = one_line(f.get("recipient_company"))
        if f.get("recipient_parent_company"):
            rdesc = f"{rdesc}; parent: {one_line(f['recipient_parent_company'])}"
        domains = dedup(d.lower().split(":")[0] for d in (f.get("recipient_domains") or []))
        notes = [one_line(f["notes"])] if f.get("notes") else []
        sources = all_sources(f)
        for u in updates:
            if u["target_id"] != fid:
                continue
            assert u["field"] == "notes", u
            assert one_line(u["old_value"]) == one_line(f["notes"]), u["id"]
            notes.append(f"Update {u['id']} ({u['source_publisher']}, {u['source_date']}): {one_line(u['new_value'])}")
            for s in all_sources(u):
                if s not in sources:
                    sources.append(s)
        for extra in (METHOD_NOTE.get(fid), IMPORT_NOTES.get(fid)):
            if extra:
                notes.append("Import: " + extra)
        kind = AUDITOR_KIND[f["auditor_type"]]
        assert (kind in PUBLIC_KINDS) == (one_line(f["auditor"]) in AUDITOR_COUNTRY), fid
        findings.append(
            {
                "id": fid,
                "app": APP_OF_FACT[f["app"]],
                "platform": f.get("platform"),
                "app_version": f.get("app_version"),
                "auditor": one_line(f["auditor"]),
                "auditor_kind": AUDITOR_KIND[f["auditor_type"]],
                "auditor_country": AUDITOR_COUNTRY.get(one_line(f["auditor"])),
                "method": method,
                "audit_date": AUDIT_DATE_OVERRIDE.get(fid, f.get("audit_date")),
                "data_types": dtypes,
                "data_described": [one_line(p) for p in phrases],
                "recipients": list(recipients),
                "recipient_described": rdesc,
                "domains": domains,
                "recipient_countries": list(f.get("recipient_country") or []),
                "evidence_status": evidence,
                "status_described": one_line(f.get("status")),
                "notes": " ".join(notes) if notes else None,
                "sources": sources,
            }
        )
    return {"data_types": data_types, "companies": companies, "apps": apps, "findings": findings}


HEADER = (
    "# {kind}: generated once by scripts/import_findings.py from /work/shared/facts "
    "(facts.yaml, facts-2.yaml);\n# this file is now the source of truth: edit it directly.\n"
)


def dump(key: str, records: list[dict], path: Path) -> None:
    records = copy.deepcopy(records)  # no shared objects -> no YAML anchors
    text = yaml.safe_dump({key: records}, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)
    lines = text.splitlines()
    out = []
    for i, line in enumerate(lines):
        if line.startswith("- id:") and i > 1:
            out.append("")
        out.append(line)
    path.write_text(HEADER.format(kind=key) + "\n".join(out) + "\n", encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--facts", type=Path, default=Path("/work/shared/facts"))
    ap.add_argument("--data", type=Path, default=ROOT / "data")
    args = ap.parse_args()
    out = build(args.facts)
    for key, recs in out.items():
        dump(key, recs, args.data / f"{key}.yaml")
        print(f"{key}: {len(recs)} records -> {args.data / (key + '.yaml')}")
    print("left out:", ", ".join(f"{k} ({v})" for k, v in SKIPPED.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""What the benchmark asks for: the pages, their deep links and the filter changes visitors make.

The ids are those of `chatbot_watch.tools.synth` data (the same at every scale, for a given seed):
`synthetic-app-00001` is the app with the most findings and actions, and the countries are
the ones the generator gives most actions.
"""

from __future__ import annotations

import random

# URL path -> page name sent in rerun_script.page_name ("" is the overview at /).
PAGES: dict[str, str] = {
    "overview": "",
    "flows": "flows",
    "restrictions": "restrictions",
    "countries": "countries",
    "apps": "apps",
    "companies": "companies",
    "about": "about",
}

APPS = [f"synthetic-app-{i:05d}" for i in (1, 2, 3, 4, 5, 8)]
COUNTRIES = ["US", "KR", "IT", "AU", "JP", "DE", "CN", "TW"]

# Filter changes on the pages with shared filters: consecutive entries always differ.
GENERIC = [
    "country=US",
    "country=KR",
    "data_type=chat_content",
    "evidence=alleged",
    "action_type=fine",
    "since=2024-01-01",
    f"app={APPS[0]}",
    "country=IT&country=JP",
]
QUERIES: dict[str, list[str]] = {
    "overview": GENERIC,
    "flows": GENERIC,
    "restrictions": GENERIC,
    "countries": [f"country={c}" for c in COUNTRIES],
    "apps": [f"app={a}" for a in APPS] + [f"app={APPS[0]}&country=US", f"app={APPS[1]}&country=KR"],
    "companies": GENERIC,
    "about": GENERIC,
}
# The query of each page's deep link (what a journalist shares).
DEEP_LINKS: dict[str, str] = {
    "overview": "country=US",
    "flows": "data_type=chat_content",
    "restrictions": "country=US",
    "countries": "country=KR",
    "apps": f"app={APPS[0]}",
    "companies": "country=US",
    "about": "",
}
MINIMAL_QUERIES = [f"country={c}" for c in COUNTRIES]


def visitor_steps(seed: int) -> list[tuple[str, str]]:
    """A visitor's endless-enough walk: (page, query) pairs, each step a new page or filter."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible workload, not a secret
    steps: list[tuple[str, str]] = []
    page = rng.choice(list(PAGES))
    last = ""
    for _ in range(2000):
        if rng.random() < 0.3:
            page = rng.choice(list(PAGES))
        query = rng.choice([q for q in QUERIES[page] if q != last])
        steps.append((page, query))
        last = query
    return steps

"""Country and subdivision names and codes (ISO 3166 via pycountry), with the EU as a jurisdiction."""

from __future__ import annotations

from functools import lru_cache

import pycountry

EU = "EU"
# Short names readers know, where ISO's own name reads oddly in a headline.
_SHORT_NAMES = {
    "EU": "European Union",
    "KR": "South Korea",
    "KP": "North Korea",
    "TW": "Taiwan",
    "RU": "Russia",
    "IR": "Iran",
    "VN": "Vietnam",
    "SY": "Syria",
    "LA": "Laos",
    "BO": "Bolivia",
    "VE": "Venezuela",
    "TZ": "Tanzania",
    "MD": "Moldova",
    "CD": "DR Congo",
    "XK": "Kosovo",
}


@lru_cache(maxsize=512)
def country_name(code: str | None) -> str | None:
    """Readable name of an ISO 3166-1 alpha-2 code (or EU); None for None, the code if unknown."""
    if code is None:
        return None
    if code in _SHORT_NAMES:
        return _SHORT_NAMES[code]
    c = pycountry.countries.get(alpha_2=code)
    if c is None:
        return code
    return getattr(c, "common_name", None) or c.name


@lru_cache(maxsize=4096)
def subdivision_name(code: str | None) -> str | None:
    """Name of an ISO 3166-2 subdivision code; None for None, the code if unknown."""
    if code is None:
        return None
    s = pycountry.subdivisions.get(code=code)
    return s.name if s is not None else code


@lru_cache(maxsize=512)
def numeric_code(code: str | None) -> str | None:
    """Zero-padded ISO 3166-1 numeric code ("410" for KR) as used by the world map; None for EU."""
    if code is None or code == EU:
        return None
    c = pycountry.countries.get(alpha_2=code)
    return c.numeric if c is not None else None


@lru_cache(maxsize=1)
def all_countries() -> dict[str, str]:
    """Every ISO 3166-1 alpha-2 code (plus EU) -> readable name, sorted by name."""
    names = {c.alpha_2: country_name(c.alpha_2) or c.alpha_2 for c in pycountry.countries}
    names[EU] = _SHORT_NAMES[EU]
    return dict(sorted(names.items(), key=lambda kv: kv[1]))


@lru_cache(maxsize=1)
def numeric_to_alpha2() -> dict[str, str]:
    """World-map ids ("410") -> alpha-2 codes ("KR")."""
    return {c.numeric: c.alpha_2 for c in pycountry.countries}


# Names and abbreviations readers type for a country, beyond ISO's names (case-folded).
_ALIASES = {
    "korea": "KR",
    "republic of korea": "KR",
    "uk": "GB",
    "britain": "GB",
    "great britain": "GB",
    "england": "GB",
    "usa": "US",
    "u.s.": "US",
    "u.s.a.": "US",
    "america": "US",
    "united states of america": "US",
    "the united states": "US",
    "the netherlands": "NL",
    "holland": "NL",
    "czech republic": "CZ",
    "turkey": "TR",
    "türkiye": "TR",
    "europe": "EU",
    "the european union": "EU",
    "prc": "CN",
    "mainland china": "CN",
    "roc": "TW",
    "uae": "AE",
}


@lru_cache(maxsize=1)
def country_aliases() -> dict[str, str]:
    """Case-folded names a URL may use for a country -> its code: ISO's name, official and common
    names, our short name, and the common abbreviations above."""
    out: dict[str, str] = {}
    for c in pycountry.countries:
        for name in (
            c.name,
            getattr(c, "official_name", None),
            getattr(c, "common_name", None),
            country_name(c.alpha_2),
        ):
            if name:
                out.setdefault(name.casefold(), c.alpha_2)
    out.setdefault(_SHORT_NAMES[EU].casefold(), EU)
    out.update(_ALIASES)
    return out


# Names that take "the" in running text ("in the United States", "the European Union's").
_WITH_THE = {"US", "GB", "EU", "NL", "PH", "AE", "CZ", "DO", "BS", "GM", "CF", "KM", "MV", "MH", "SB", "VA", "CD"}


def in_text(code: str) -> str:
    """A country's name as it reads inside a sentence: "South Korea", "the United States"."""
    name = country_name(code) or code
    return f"the {name}" if code in _WITH_THE else name


def possessive(code: str) -> str:
    """A country's name in the possessive: "South Korea's", "the United States'", "the European Union's"."""
    name = in_text(code)
    return name + ("'" if name.endswith("s") else "'s")

"""Plain-language sentences written from the data (the first screen's answers); no Streamlit here."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from chatbot_watch.countries import country_name
from chatbot_watch.evidence import review_facts


def _n(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def date_line(meta: Mapping[str, Any], countries: Sequence[str] = ()) -> str:
    """The dates every page shows, apart (issue 27): the newest event the data records, the date up
    to which sources were last reviewed (`as_of`), that of each of `countries` reviewed up to
    another day, and the leads still open at the review. One "as of" date read as "checked up to
    then" when nothing after the spring had been added."""
    facts = review_facts(meta)
    line = f"Newest event recorded: {facts['newest_event'] or 'none'} · sources reviewed up to {facts['as_of'] or ''}"
    own = [(c, facts["reviewed"][c]) for c in countries if c in facts["reviewed"]]
    if own:
        line += " (" + "; ".join(f"{country_name(c) or c}: up to {day}" for c, day in own) + ")"
    if facts["open_leads"] is not None:
        line += f" · {_n(facts['open_leads'], 'open lead')} to check"
    return line


def headline_sentences(a: dict[str, Any], as_of: str) -> list[str]:
    """The answers to "where are chatbot apps restricted, and which data goes where", from
    `queries.answers`: restrictions in force (national and in states or regions, apart), the apps
    they concern, their kinds, and the findings by strength of evidence."""
    out = []
    total = a["restrictions_in_force"]
    if total:
        national = (
            _n(a["national_in_force"], "national restriction") + " in " + _n(a["countries_in_force"], "jurisdiction")
        )
        regional = ""
        if a["regions_in_force"]:
            regional = (
                f", plus {_n(total - a['national_in_force'], 'restriction')} by "
                f"{_n(a['regions_in_force'], 'state or region', 'states or regions')} of "
                f"{_n(a['region_countries'], 'country', 'countries')} (counted apart)"
            )
        verb = "is" if total == 1 else "are"
        out.append(f"As of {as_of}, {_n(total, 'restriction')} of chatbot apps {verb} in force: {national}{regional}.")
        they = "It concerns" if total == 1 else "They concern"
        out.append(f"{they} {_n(a['restricted_apps'], 'app')}: {a['restricted_app_names']}.")
        kinds = ", ".join(f"{label.lower()}: {n}" for label, n in a["kinds_in_force"])
        out.append(f"In force by kind: {kinds}.")
    else:
        out.append(f"As of {as_of}, no restriction of a chatbot app in force matches these filters.")
    if a["findings"]:
        out.append(
            f"{_n(a['findings'], 'finding')} about {_n(a['finding_apps'], 'app')} say which data goes where: "
            f"{a['confirmed']} confirmed (by a regulator, the company or an auditor), "
            f"{a['declared']} declared by the company itself, "
            f"{a['claimed']} not confirmed (press reports, allegations, disputed claims)."
        )
    return out

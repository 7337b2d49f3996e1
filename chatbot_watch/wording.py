"""Plain-language sentences written from the data (the first screen's answers); no Streamlit here."""

from __future__ import annotations

from typing import Any


def _n(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def date_line(meta: dict[str, Any]) -> str:
    """The two dates every page shows, apart (issue 27): the newest event the data records, and
    the date up to which sources were last reviewed (`as_of`). One "as of" date read as "checked
    up to then" when nothing after the spring had been added."""
    newest = meta.get("newest_event") or "none"
    return f"Newest event recorded: {newest} · sources reviewed up to {meta.get('as_of', '')}"


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

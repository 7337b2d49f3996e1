"""Plain-language sentences written from the data (the first screen's answers); no Streamlit here."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from chatbot_watch import i18n
from chatbot_watch.datamodel.countries import country_name
from chatbot_watch.datamodel.evidence import review_facts
from chatbot_watch.i18n import _, counted, ngettext


def _n(count: int, one: str, many: str) -> str:
    return counted(count, one, many)


def date_line(meta: Mapping[str, Any], countries: Sequence[str] = ()) -> str:
    """The dates every page shows, apart (issue 27): the newest event the data records, the date up
    to which sources were last reviewed (`as_of`), that of each of `countries` reviewed up to
    another day, and the leads still open at the review. One "as of" date read as "checked up to
    then" when nothing after the spring had been added. In the reader's language."""
    facts = review_facts(meta)
    line = _("Newest event recorded: {newest} · sources reviewed up to {as_of}").format(
        newest=facts["newest_event"] or _("none"), as_of=facts["as_of"] or ""
    )
    own = [(c, facts["reviewed"][c]) for c in countries if c in facts["reviewed"]]
    if own:
        line += (
            " ("
            + "; ".join(
                _("{country}: up to {day}").format(country=i18n.country_name(c, country_name(c) or c), day=day)
                for c, day in own
            )
            + ")"
        )
    if facts["open_leads"] is not None:
        line += " · " + _("{leads} to check").format(leads=_n(facts["open_leads"], "{n} open lead", "{n} open leads"))
    return line


def headline_sentences(a: dict[str, Any], as_of: str) -> list[str]:
    """The answers to "where are chatbot apps restricted, and which data goes where", from
    `queries.answers`: restrictions in force (national and in states or regions, apart), the apps
    they concern, their kinds, and the findings by strength of evidence; in the reader's language."""
    out = []
    total = a["restrictions_in_force"]
    if total:
        national = _("{restrictions} in {jurisdictions}").format(
            restrictions=_n(a["national_in_force"], "{n} national restriction", "{n} national restrictions"),
            jurisdictions=_n(a["countries_in_force"], "{n} jurisdiction", "{n} jurisdictions"),
        )
        regional = ""
        if a["regions_in_force"]:
            regional = _(", plus {restrictions} by {regions} of {countries} (counted apart)").format(
                restrictions=_n(total - a["national_in_force"], "{n} restriction", "{n} restrictions"),
                regions=_n(a["regions_in_force"], "{n} state or region", "{n} states or regions"),
                countries=_n(a["region_countries"], "{n} country", "{n} countries"),
            )
        out.append(
            ngettext(
                "As of {as_of}, {total} restriction of chatbot apps is in force: {national}{regional}.",
                "As of {as_of}, {total} restrictions of chatbot apps are in force: {national}{regional}.",
                total,
            ).format(as_of=as_of, total=total, national=national, regional=regional)
        )
        out.append(
            ngettext("It concerns {apps}: {names}.", "They concern {apps}: {names}.", total).format(
                apps=_n(a["restricted_apps"], "{n} app", "{n} apps"), names=a["restricted_app_names"]
            )
        )
        lower = i18n.current() == i18n.DEFAULT
        kinds = _(", ").join(f"{_(label).lower() if lower else _(label)}: {n}" for label, n in a["kinds_in_force"])
        out.append(_("In force by kind: {kinds}.").format(kinds=kinds))
    else:
        out.append(
            _("As of {as_of}, no restriction of a chatbot app in force matches these filters.").format(as_of=as_of)
        )
    if a["findings"]:
        out.append(
            _(
                "{findings} about {apps} say which data goes where: {confirmed} confirmed (by a regulator, the "
                "company or an auditor), {declared} declared by the company itself, {claimed} not confirmed (press "
                "reports, allegations, disputed claims)."
            ).format(
                findings=_n(a["findings"], "{n} finding", "{n} findings"),
                apps=_n(a["finding_apps"], "{n} app", "{n} apps"),
                confirmed=a["confirmed"],
                declared=a["declared"],
                claimed=a["claimed"],
            )
        )
    return out

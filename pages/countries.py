"""Countries: one jurisdiction's profile (?country=KR): restrictions, regulators' findings, flows there.

With several countries selected (?country=KR&country=IT), each has its own tab, side by side. What
the page says is its view (chatbot_watch/views/countries.py)."""

from dataclasses import replace

import streamlit as st

from chatbot_watch import i18n, ui, views
from chatbot_watch.datamodel.countries import all_countries, in_text
from chatbot_watch.filters import ACTION_FILTERS, Filters
from chatbot_watch.i18n import _, counted


def place(code: str) -> str:
    """The country as a sentence names it ("the United States"; in other languages CLDR's name)."""
    return in_text(code) if i18n.current() == i18n.DEFAULT else i18n.country_name(code, in_text(code))


def profile(v: views.View, code: str, group: str, f: Filters) -> None:
    """One country's figures, restrictions, its regulators' findings and the data flows to it."""
    as_of = ui.meta()["as_of"]
    here = replace(f, country=(code,))
    url = ui.page_url("countries", here)
    ui.undated_note(here)
    ui.view_figures(v, group)

    actions = v.table("restrictions", group)
    st.subheader(actions.caption, anchor=False)
    if actions.frame.empty:
        ui.nothing_matches(
            _("government action in {country}").format(country=place(code)),
            here.only(ACTION_FILTERS),
            fixed=("country",),
        )
    else:
        ui.view_table(actions)
        ui.downloads(actions.frame, f"Restrictions in {code}", here, url)

    found = v.table("authority_findings", group)
    st.subheader(ui.md(found.caption), anchor=False)
    if found.frame.empty:
        st.info(
            _("No finding by a public body of {country} matches these filters as of {as_of}.").format(
                country=ui.md(place(code)), as_of=as_of
            )
        )
    else:
        ui.view_table(found)
        ui.downloads(found.frame, f"Findings by authorities of {code}", here, url)

    flows = v.table("flows", group)
    st.subheader(ui.md(flows.caption), anchor=False)
    if flows.frame.empty:
        st.info(
            _("No data flow to {country} matches these filters as of {as_of}.").format(
                country=ui.md(place(code)), as_of=as_of
            )
        )
    else:
        ui.view_table(flows)
        ui.downloads(flows.frame, f"Data flows to {code}", replace(here, country_role="recipient"), url)

    ui.chronology(v.table("events", group))


ui.page_setup()
f = ui.page_filters("countries")
names = all_countries()
v = ui.page_view("countries", f)
ui.view_header(v)
if not f.country:
    ui.picker("country", f.country, names, _("Choose a country or the EU"))
    listed = v.table("jurisdictions")
    st.subheader(listed.caption, anchor=False)
    ui.view_table(listed)
    ui.data_note(f)
    st.stop()

if len(f.country) == 1:
    ui.picker("country", f.country, names, _("Choose another country or the EU"))
    profile(v, f.country[0], "", f)
    ui.footer(_("Country profile: {country}").format(country=v.heading), "countries", f)
else:
    st.caption(
        counted(
            len(v.groups),
            "{n} country is selected: each has its own tab, in the order of the filter.",
            "{n} countries are selected: each has its own tab, in the order of the filter.",
        )
    )
    ui.view_chart(v.chart("by_country"), f)
    for (code, _name), tab in zip(v.groups, st.tabs([name for _code, name in v.groups]), strict=True):
        with tab:
            profile(v, code, code, f)
    ui.footer(_("Country profiles: {countries}").format(countries=v.heading), "countries", f)

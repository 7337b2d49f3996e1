"""Apps: one app's report card (?app=deepseek): recipients, data types, evidence, restrictions, timeline.

What the page says, its heatmap and timeline included, is its view (chatbot_watch/views/apps.py)."""

from dataclasses import replace

import streamlit as st

from chatbot_watch import queries, ui
from chatbot_watch.i18n import _

ui.page_setup()
f = ui.page_filters("apps")
apps = ui.query(queries.filter_options)["app"]
app_id = ui.chosen(f.app)
v = ui.page_view("apps", f)
ui.view_header(v)
if app_id is None:
    ui.picker("app", f.app, apps, _("Choose an app"))
    listed = v.table("apps")
    st.subheader(listed.caption, anchor=False)
    ui.view_table(listed)
    ui.data_note(f)
    st.stop()

as_of = ui.meta()["as_of"]
name = v.heading
facts = v.table("facts")
ui.picker("app", f.app, apps, _("Choose another app"))
ui.view_table(facts)
ui.correction_button("app", app_id)
ui.view_figures(v)

here = replace(f, app=(app_id,))
url = ui.page_url("apps", here)
ui.undated_note(here)
# The country filter selects restrictions here; the app's data flows are shown wherever the data goes.
flow_filters = here.without("country", "country_role")
flows = v.table("flows")
st.subheader(flows.caption)
if f.country:
    st.caption(_("The country filter selects restrictions on this page; data flows are shown wherever the data goes."))
ui.evidence_legend()
if flows.frame.empty:
    st.info(_("No finding about {app} matches these filters as of {as_of}.").format(app=ui.md(name), as_of=as_of))
else:
    ui.view_chart(v.chart("matrix"), flow_filters)
    ui.view_table(flows)
    ui.downloads(flows.frame, f"Flows of {app_id}", flow_filters, url)

actions = v.table("restrictions")
st.subheader(actions.caption)
if actions.frame.empty:
    st.info(
        _("No government action against {app} matches these filters as of {as_of}.").format(
            app=ui.md(name), as_of=as_of
        )
    )
else:
    for part in ("by_country", "timeline"):  # by country only when the actions are in several
        if (chart := v.chart(part)) is not None:
            ui.view_chart(chart, here)
    ui.view_table(actions)
    ui.downloads(actions.frame, f"Restrictions of {app_id}", here, url)

ui.chronology(v.table("events"))

ui.footer(_("App report card: {app}").format(app=name), "apps", here)

"""About the data: methodology, taxonomies and evidence scale, sources, licence, version, corrections."""

import streamlit as st

from chatbot_watch import queries, ui
from chatbot_watch.datamodel import evidence, vocabularies
from chatbot_watch.i18n import N_, _, translate_values
from chatbot_watch.views import columns

# How the evidence scale's classes are shown (vocabularies.EVIDENCE_CLASS values), in words.
SHOWN_AS = {"confirmed": N_("confirmed"), "declared": N_("declared"), "claimed": N_("claimed")}

ui.page_setup()
f = ui.page_filters("about")
m = ui.meta()
v = ui.page_view("about", f)
ui.view_header(v)
ui.view_figures(v)

st.markdown(
    "\n"
    + "\n\n".join(
        [
            _(
                "Chatbot Watch gathers, in one place, what security firms, researchers, journalists and "
                "regulators have\n"
                "published about **which AI chatbot apps send which kinds of user data to which companies**, "
                "and what\n"
                "governments have done about these apps: bans on government devices, download suspensions, "
                "network blocks,\n"
                "investigations and fines."
            ),
            _(
                "**Method.** Every record cites at least one public source (address, publisher, date and a "
                "short quote that\n"
                "supports the claim). Nothing is filled in: when a source does not say something (a date, a "
                "platform, a\n"
                "recipient), the field stays empty. A record's *evidence status* says how strong its support "
                "is, and an\n"
                "allegation is never shown as a confirmed finding. Dates keep the precision the sources give: "
                "`2025-04`\n"
                'means "some time in April 2025".'
            ),
            _(
                "**Evidence per claim.** A finding's evidence status applies to each data type it names. A mark "
                "is exactly as\n"
                "strong as the records that support what it says. A heatmap cell or a company's row says that "
                "data flows (from\n"
                "this app, to this company): its colour and label are the *strongest* evidence for that flow, a "
                "dot marks cells\n"
                "where some data types rest on weaker evidence, and the data types are always listed under "
                "their own evidence\n"
                '("Confirmed by a regulator: Traffic. Alleged: Keystroke patterns"), so a data type never reads '
                "stronger than\n"
                "its own records. The evidence filter keeps only the claims with that status, everywhere."
            ),
            _(
                "**Filters.** *Country* selects actions taken in that jurisdiction; for data flows it means, by "
                "default, flows\n"
                'whose recipient company is based in, or whose data goes to, that country, and with "Found by '
                "its regulators and\n"
                "agencies\" (`country_role=examiner`) the findings made by that country's public bodies. *Data "
                "type* and *evidence\n"
                "status* apply to data flows, *action type* to restrictions, *app* to both. Each page names, "
                "under its title, the\n"
                "filters it applies and those it does not; citations and downloads name only the applied ones."
            ),
            _(
                "**Dates.** The date range applies to the date of a finding and to the announcement (or "
                "effective) date of an\n"
                "action. Records without any date cannot be placed in a range: they drop out when a range is "
                "set, and the page\n"
                "says how many, with a link to the same view without the range. Timelines say how many actions "
                "they cannot draw."
            ),
            _(
                "**The map** shows what is in force: a national restriction (government-device bans, network "
                "blocks, download\n"
                "suspensions, nationwide blocks, processing limitations), restrictions by states or regions "
                "only (never added\n"
                "into a country's national figure), only investigations or other open actions, or only lifted "
                "or ended actions."
            ),
            _(
                "**Quotes.** Every record's page (click its id in any table, or *Look up a record*) shows every "
                "field and each\n"
                "source with its publisher, date, what kind of source it is and its full verbatim quote, in the "
                "language it was\n"
                'printed in; a quote not in English comes with our English translation, labelled "Translation '
                'by Chatbot Watch"\n'
                "(ours, never a machine translation made on request). Tables and downloads carry the main "
                "source's quote, its\n"
                "language and our translation."
            ),
            _(
                "**Dates shown on every page.** *Newest event recorded* is the latest date any finding or "
                "action holds;\n"
                "*sources reviewed up to* is the date the maintainers last searched for new events and checked "
                "open ones\n"
                "(`as_of` in the data). The two differ when nothing new happened, or nothing new was found, "
                "since the newest event."
            ),
        ]
    )
    + "\n"
)

st.subheader(_("How citable the records are"))
st.caption(
    _(
        "A record's main source is the authority's own publication (primary) or a report quoting it verbatim "
        "(direct) where one was found; quotes stay in the language they were printed in, with our English "
        "translation labelled as ours; and the record names the document behind it (decision, order, press release, "
        "report), even where no copy could be read. Maintainers: `python -m chatbot_watch check-sources` lists the "
        "records still short."
    )
)
ui.text_table(evidence.share_rows(evidence.shares_from_meta(m)), [_(h) for h in evidence.SHARE_HEADINGS])

st.subheader(_("Evidence scale"))
ui.text_table(
    [(_(v[0]), _(SHOWN_AS[vocabularies.EVIDENCE_CLASS[k]]), _(v[1])) for k, v in vocabularies.EVIDENCE_STATUS.items()],
    [_("Evidence status"), _("Shown as"), _("Meaning")],
)

st.subheader(_("Types of government action"))
ui.text_table([(_(v[0]), _(v[1])) for v in vocabularies.ACTION_TYPES.values()], [_("Type"), _("Meaning")])
st.subheader(_("Scope and status of actions"))
ui.text_table([(_(v[0]), _(v[1])) for v in vocabularies.SCOPES.values()], [_("Scope"), _("Meaning")])
ui.text_table([(_(v[0]), _(v[1])) for v in vocabularies.ACTION_STATUS.values()], [_("Status"), _("Meaning")])

st.subheader(_("Data types"))
st.caption(_("Aligned with Apple's App Store privacy labels and Google Play's data-safety categories where they fit."))
types = ui.query(queries.data_types).copy()
types.attrs = {}  # shown in the reader's language: not the cached English display
for col in ("label", "category_label", "description"):
    types[col] = [_(v) if isinstance(v, str) else v for v in types[col]]
ui.table(types, translate_values(columns.DATA_TYPES), link_cols=())

st.subheader(_("Sources"))
st.caption(_("The most cited sources; every source and every citation is in the data download below."))
ui.table(ui.query(queries.sources_list), translate_values(columns.CITED_SOURCES), link_cols=("url",))

st.subheader(_("Download the data"))
st.markdown(
    _(
        "Every table and the two public views (`flows`, `restrictions`) as CSV, JSON and Parquet, described as a "
        "Frictionless Data Package (`datapackage.json`: field types and descriptions, licence, version, as-of date). "
        "Each page also downloads the rows it shows, with the filters used."
    )
)
ui.whole_dataset_download()

st.subheader(_("HTTP API"))
st.markdown(
    _(
        "The same rows and filters for scripts, read-only: `/api/v1/flows.json` and `.csv`, "
        "`/api/v1/restrictions.json` and `.csv`, `/api/v1/apps.json`, `/api/v1/companies.json`, "
        "`/api/v1/countries.json` and `/api/v1/records/AF-001.json`, described in "
        "[`/api/v1/openapi.json`](/api/v1/openapi.json). For example `/api/v1/restrictions.json?country=KR&limit=5`. "
        "JSON carries the rows, `row_count`, the filters applied, the data version and as-of date; an unknown filter "
        "value is an error that names it (the pages drop it)."
    )
)

st.subheader(_("Version, licence and corrections"))
ui.facts_table(
    {
        _("Data as of"): m["as_of"],
        _("Data version"): m["data_version"],
        _("Built"): m["built_at"],
        _("Licence"): f"{m['licence']} ({m['licence_url']})",
        _("Published by"): m["publisher"],
    }
)
st.markdown(
    _(
        "Found a mistake or a missing source? Open the record's page (click its id in any table, or *Look up a "
        "record*) and use **Report a correction**: say what is wrong, the correct value and a public source that "
        "shows it. The maintainers check every report against its source before changing the data; nothing you send "
        "is published, and the change, once made, is listed in the change log."
    )
)
ui.footer(v.heading, "about", f)

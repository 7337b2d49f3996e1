"""Sections several pages share: the app x company heatmap and the timeline, each saying what it
leaves out (column headings: views.columns)."""

from __future__ import annotations

import streamlit as st

from chatbot_watch import queries
from chatbot_watch.filters import Filters
from chatbot_watch.i18n import _, counted
from chatbot_watch.queries import chartdata
from chatbot_watch.ui.figures import ChartRef, chart_with_table
from chatbot_watch.ui.state import as_of, query
from chatbot_watch.views import charts, columns
from chatbot_watch.views.base import without


def flow_matrix_section(f: Filters, caption: str, title: str | None = None, drop: tuple[str, ...] = ()) -> bool:
    """The app x recipient heatmap with its table; False (and nothing drawn) when it would be empty.

    A cell says that the app's data reaches the company: its colour is the strongest evidence for
    that, a dot marks cells where some data types rest on weaker evidence, and the tooltip and the
    table list each data type under its own evidence."""
    matrix = query(chartdata.flow_matrix, f)
    if matrix.empty:
        return False
    cargs = (title,) if title else ()
    caption += " " + _(
        "A cell's colour is the strongest evidence that the app's data reaches the company; a dot marks cells"
        " where some data types rest on weaker evidence, and the tooltip and the Table tab list each data type"
        " under its own evidence."
    )
    apps, companies = int(matrix["apps_in_view"].iat[0]), int(matrix["companies_in_view"].iat[0])
    if apps > chartdata.MATRIX_MAX_APPS or companies > chartdata.MATRIX_MAX_COMPANIES:
        caption += " " + _(
            "Drawn and listed here: the {apps_drawn} apps and {companies_drawn} recipient companies with the most "
            "findings, of {apps} apps and {companies} companies that match the filters; the Data flows table lists "
            "every flow."
        ).format(
            apps_drawn=min(apps, chartdata.MATRIX_MAX_APPS),
            companies_drawn=min(companies, chartdata.MATRIX_MAX_COMPANIES),
            apps=apps,
            companies=companies,
        )
    chart_with_table(
        ChartRef(charts.flow_matrix, chartdata.flow_matrix, (f,), cargs),
        matrix,
        caption,
        without(columns.MATRIX, drop),
        f,
        part="matrix",
    )
    return True


def timeline_section(f: Filters, title: str | None = None, drop: tuple[str, ...] = ()) -> None:
    """The timeline of actions (announced -> lifted) with its table, saying next to it how many
    actions of the view it cannot draw (no date, or over the cap) and which ends are unknown."""
    day = as_of()
    tl = query(chartdata.timeline, f, day)
    total = query(queries.action_count, f)
    cargs = (title,) if title else ()
    notes = [
        _(
            "Each bar runs from when an action was announced or took effect to when it was lifted or ended; "
            "actions still in force, ongoing or pending run to the as-of date."
        )
    ]
    no_end = int((~tl["end_known"]).sum()) if not tl.empty else 0
    if no_end:
        notes.append(
            counted(
                no_end,
                "{n} lifted or ended action with no known end date: a diamond at the start.",
                "{n} lifted or ended actions with no known end date: a diamond at the start.",
            )
        )
    undated = query(queries.undated, f)["actions"] if not f.has_dates() else 0
    if undated:
        notes.append(
            counted(
                undated,
                "{n} action has no date and is not on the timeline; the table below lists it.",
                "{n} actions have no date and are not on the timeline; the table below lists them.",
            )
        )
    not_drawn = total - undated - min(len(tl), charts.TIMELINE_ROWS)
    if not_drawn > 0:
        notes.append(
            counted(
                not_drawn,
                "{n} more action not shown: narrow the filters or download the table.",
                "{n} more actions not shown: narrow the filters or download the table.",
            )
            + " "
            + _("Drawn: the {drawn} most recent dated actions, grouped by country.").format(
                drawn=min(len(tl), charts.TIMELINE_ROWS)
            )
        )
    if tl.empty:
        st.caption(" ".join(notes[1:]) or _("No dated action to draw."))
        return
    chart_with_table(
        ChartRef(charts.timeline, chartdata.timeline, (f, day), cargs),
        tl,
        " ".join(notes),
        without(columns.TIMELINE, drop),
        f,
        part="timeline",
    )


def by_country_section(f: Filters, drop: tuple[str, ...] = ()) -> bool:
    """Actions per country, by type, national and state, provincial or city actions apart, with its
    table; saying beside it how many countries it leaves out. False (and nothing drawn) when no
    action matches."""
    counts = query(chartdata.by_country, f)
    if counts.empty:
        return False
    caption = _(
        "Actions per country, by type. A country's national actions and those of its states, provinces, "
        "prefectures or cities are separate bars, never added together."
    )
    in_view = int(counts["countries_in_view"].iat[0])
    drawn = int(counts["country_code"].nunique())
    if in_view > drawn:
        caption += " " + counted(
            in_view - drawn,
            "{n} more country not shown (fewer actions); the map's table lists every jurisdiction.",
            "{n} more countries not shown (fewer actions); the map's table lists every jurisdiction.",
        )
    chart_with_table(
        ChartRef(charts.by_country, chartdata.by_country, (f,)),
        counts,
        caption,
        without(columns.BY_COUNTRY, drop),
        f,
    )
    return True

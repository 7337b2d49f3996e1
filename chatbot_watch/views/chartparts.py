"""The charts a view can hold, declared once: each function returns a view's `Chart` for some
filters, with its title, the caption that says what it shows and what it leaves out (with the
numbers), and its data as a table. Views add them to `View.charts`; the app draws them
(ui.view_chart), the HTML page and the API list their data (web/firstpaint.py, web/api.py), and an
embed shows one alone by its name (`?embed=true&part=<name>`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd

from chatbot_watch import i18n, queries
from chatbot_watch.filters import Filters
from chatbot_watch.i18n import N_, _, counted
from chatbot_watch.queries import chartdata
from chatbot_watch.views import charts, columns
from chatbot_watch.views.base import Chart, Table, without

MAP_CAPTION = N_(
    "Colour: what is in force in each country. Restrictions are device bans, network blocks, download "
    "suspensions, nationwide blocks and processing limitations; restrictions by states or regions are counted "
    "apart and never added into a country's national figure; investigations, requests and advisories are not "
    "counted as restrictions."
)


def _chart(
    name: str,
    title: str,
    caption: str,
    frame: pd.DataFrame,
    heads: dict[str, str],
    draw: Callable[..., Any],
    source: Callable[..., Any],
    args: tuple[Any, ...],
    group: str = "",
    instead: str = "",
) -> Chart:
    table = Table(name, title, frame, dict(heads), note=caption, group=group)
    return Chart(name, title, caption, table, draw, source, args, group, instead, frame)


def world_map(con: queries.Con, f: Filters) -> Chart:
    """The world map of what is in force, country by country (clicking a country opens its
    profile), saying which places the map cannot draw (the EU, small states: in the table)."""
    counts = chartdata.map_counts(con, f)
    drawn = charts.map_ids()
    off_map = [
        i18n.country_name(str(c), str(n))
        for c, n, i in zip(counts["country_code"], counts["country_name"], counts["id"], strict=True)
        if pd.isna(i) or i not in drawn
    ]
    caption = _(MAP_CAPTION)
    if off_map:
        caption += " " + _("Not on the map: {places} (in the table).").format(places=_(", ").join(off_map))
    return _chart(
        "map", _(charts.MAP_TITLE), caption, counts, columns.MAP, charts.world_map_spec, chartdata.map_counts, (f,)
    )


def flow_matrix(
    con: queries.Con, f: Filters, caption: str, title: str | None = None, drop: Sequence[str] = ()
) -> Chart:
    """The app x recipient heatmap. A cell says that the app's data reaches the company: its colour
    is the strongest evidence for that, a dot marks cells where some data types rest on weaker
    evidence, and the tooltip and the table list each data type under its own evidence. Says how
    many apps and companies it leaves out when it is capped."""
    matrix = chartdata.flow_matrix(con, f)
    caption += " " + _(
        "A cell's colour is the strongest evidence that the app's data reaches the company; a dot marks cells"
        " where some data types rest on weaker evidence, and the tooltip and the Table tab list each data type"
        " under its own evidence."
    )
    if not matrix.empty:
        apps, companies = int(matrix["apps_in_view"].iat[0]), int(matrix["companies_in_view"].iat[0])
        if apps > chartdata.MATRIX_MAX_APPS or companies > chartdata.MATRIX_MAX_COMPANIES:
            caption += " " + _(
                "Drawn and listed here: the {apps_drawn} apps and {companies_drawn} recipient companies with the "
                "most findings, of {apps} apps and {companies} companies that match the filters; the Data flows "
                "table lists every flow."
            ).format(
                apps_drawn=min(apps, chartdata.MATRIX_MAX_APPS),
                companies_drawn=min(companies, chartdata.MATRIX_MAX_COMPANIES),
                apps=apps,
                companies=companies,
            )
    return _chart(
        "matrix",
        title or _(charts.MATRIX_TITLE),
        caption,
        matrix,
        without(columns.MATRIX, drop),
        charts.flow_matrix,
        chartdata.flow_matrix,
        (f,),
    )


def _counts(
    con: queries.Con,
    f: Filters,
    name: str,
    title: str,
    caption: str,
    heads: dict[str, str],
    draw: Callable[..., Any],
    source: Callable[..., Any],
) -> Chart:
    """A chart of counts whose data is one query of the filters, `source(con, f)`, as it is."""
    return _chart(name, title, caption, source(con, f), heads, draw, source, (f,))


def evidence(con: queries.Con, f: Filters) -> Chart:
    """Findings at each level of the evidence scale."""
    caption = _("Number of findings at each level of the evidence scale.")
    return _counts(
        con, f, "evidence", _(charts.EVIDENCE_TITLE), caption, columns.EVIDENCE_COUNTS, charts.evidence_bars,
        chartdata.evidence_counts,
    )  # fmt: skip


def by_type(con: queries.Con, f: Filters) -> Chart:
    """Actions of each type, split by their current status."""
    caption = _("Number of actions of each type, split by current status.")
    return _counts(
        con, f, "by_type", _(charts.BY_TYPE_TITLE), caption, columns.ACTIONS_BY_TYPE, charts.actions_by_type,
        chartdata.actions_by_type,
    )  # fmt: skip


def by_country(con: queries.Con, f: Filters, drop: Sequence[str] = ()) -> Chart:
    """Actions per country, by type, national and state, provincial or city actions apart; says how
    many countries it leaves out."""
    counts = chartdata.by_country(con, f)
    caption = _(
        "Actions per country, by type. A country's national actions and those of its states, provinces, "
        "prefectures or cities are separate bars, never added together."
    )
    if not counts.empty:
        in_view = int(counts["countries_in_view"].iat[0])
        drawn = int(counts["country_code"].nunique())
        if in_view > drawn:
            caption += " " + counted(
                in_view - drawn,
                "{n} more country not shown (fewer actions); the map's table lists every jurisdiction.",
                "{n} more countries not shown (fewer actions); the map's table lists every jurisdiction.",
            )
    return _chart(
        "by_country",
        _(charts.BY_COUNTRY_TITLE),
        caption,
        counts,
        without(columns.BY_COUNTRY, drop),
        charts.by_country,
        chartdata.by_country,
        (f,),
    )


def timeline(con: queries.Con, f: Filters, as_of: str, title: str | None = None, drop: Sequence[str] = ()) -> Chart:
    """The timeline of actions (announced -> lifted), saying how many actions of the view it cannot
    draw (no date, or over the cap) and which ends are unknown."""
    tl = chartdata.timeline(con, f, as_of)
    total = queries.action_count(con, f)
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
    undated = queries.undated(con, f)["actions"] if not f.has_dates() else 0
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
    return _chart(
        "timeline",
        title or _(charts.TIMELINE_TITLE),
        " ".join(notes),
        tl,
        without(columns.TIMELINE, drop),
        charts.timeline,
        chartdata.timeline,
        (f, as_of),
        instead=(" ".join(notes[1:]) or _("No dated action to draw.")) if tl.empty else "",
    )

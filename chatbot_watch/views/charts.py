"""DataFrame -> Altair chart. No Streamlit here; every chart has a title, axis labels and tooltips.

Colours come from the Okabe-Ito palette, which stays distinguishable for the common forms of
colour blindness. The world map reads its shapes from the TopoJSON file served as a static
file (never inlined in the spec, never fetched from elsewhere).
"""

from __future__ import annotations

import copy
import functools
import json
import textwrap
from collections.abc import Iterable
from typing import Any

import altair as alt
import pandas as pd

from chatbot_watch import i18n, paths
from chatbot_watch.datamodel import vocabularies
from chatbot_watch.i18n import N_, _

# Okabe & Ito (2008), "Color Universal Design".
OKABE_ITO = ["#0072B2", "#56B4E9", "#009E73", "#F0E442", "#E69F00", "#D55E00", "#CC79A7", "#999999", "#000000"]

# Colours by class (vocabularies.VOCABULARY_CLASSES), then by the value's place in its class, so a value
# added to the schema gets a colour of its class without an edit here. Blues and green for what is
# confirmed, yellow for what the company declares, orange, vermillion and purple for claims; for
# actions, vermillion for what is in force, orange and yellow for what is open, blue and grey for
# what no longer applies; for action types, below.
CLASS_PALETTES: dict[str, dict[str, tuple[str, ...]]] = {
    "EVIDENCE_STATUS": {
        "confirmed": ("#0072B2", "#56B4E9", "#009E73", "#999999"),
        "declared": ("#F0E442",),
        "claimed": ("#E69F00", "#D55E00", "#CC79A7"),
    },
    "ACTION_STATUS": {
        "in_force": ("#D55E00",),
        "open": ("#E69F00", "#F0E442"),
        "closed": ("#56B4E9", "#999999"),
    },
    # Action types: a colour of its own for each (13 today), never the status colours above, so a
    # chart of types beside a chart of statuses does not say "in force" with a type's colour. Dark
    # colours for the types that restrict, light ones for the others (Paul Tol's muted and light
    # schemes, made for colour-blind readers), the most frequent of them (investigations, requests)
    # in hues far from the statuses' blue and orange; a colour stays with its type in every view.
    "ACTION_TYPES": {
        "restricts": ("#332288", "#117733", "#882255", "#44AA99", "#AA4499"),
        "other": ("#CC6677", "#DDCC77", "#999933", "#88CCEE", "#BBBBBB", "#FFAABB", "#BBCC33", "#77AADD"),
    },
}


def class_colours(vocab: str) -> dict[str, str]:
    """Each value of a classed vocabulary -> its colour: the n-th value of a class (in the
    vocabulary's order) takes the n-th colour of the class's palette (cycling)."""
    of_value, _meanings = vocabularies.VOCABULARY_CLASSES[vocab]
    seen: dict[str, int] = {}
    out = {}
    for value in vocabularies.VOCABULARIES[vocab]:
        cls = of_value[value]
        palette = CLASS_PALETTES[vocab][cls]
        out[value] = palette[seen.get(cls, 0) % len(palette)]
        seen[cls] = seen.get(cls, 0) + 1
    return out


EVIDENCE_COLOURS = class_colours("EVIDENCE_STATUS")
STATUS_COLOURS = {vocabularies.label("ACTION_STATUS", k): c for k, c in class_colours("ACTION_STATUS").items()}

MAP_URL = "app/static/countries-110m.json"
# Fill the width, but let the height grow with legends and labels instead of squeezing the plot.
FIT_X = alt.AutoSizeParams(type="fit-x", contains="padding")
MAP_SELECTION = "country_click"
# The map's height follows its width (the Equal Earth world without Antarctica is about 2.2 times
# as wide as it is tall), so a phone gets a map without empty bands above and below it.
MAP_ASPECT = 0.46
# Antarctica is no jurisdiction; leaving it out gives the inhabited world more room.
MAP_LEFT_OUT = ("010",)


def _evidence_scale() -> alt.Scale:
    colours = class_colours("EVIDENCE_STATUS")
    return alt.Scale(
        domain=[_(vocabularies.label("EVIDENCE_STATUS", k)) for k in colours], range=list(colours.values())
    )


# Columns of the charts' data holding vocabulary labels (and the map's categories, MAP_COLOURS):
# shown in the reader's language, like the scales' domains and the tables.
LABEL_COLUMNS = ("evidence_label", "status_label", "action_type_label", "category", "level_label")


def _labels_translated(df: pd.DataFrame) -> pd.DataFrame:
    """`df` with its label columns in the reader's language (a copy; the cached frame is never changed)."""
    cols = [c for c in LABEL_COLUMNS if c in df.columns]
    if i18n.current() == i18n.DEFAULT or not cols:
        return df
    return df.assign(**{c: [_(v) if isinstance(v, str) else v for v in df[c]] for c in cols})


def _places(df: pd.DataFrame) -> list[str]:
    """Where each action was taken, as the reader's language names it: a state or region by the
    data's name, a country by CLDR's (대한민국, イタリア)."""
    if i18n.current() == i18n.DEFAULT or "country_code" not in df.columns:
        return list(df["place"])
    return [
        place if isinstance(sub, str) and sub else i18n.country_name(code, place)
        for place, sub, code in zip(df["place"], df["subdivision_name"], df["country_code"], strict=True)
    ]


MAP_FIELDS = [
    "country_code",
    "country_name",
    "category",
    "national_in_force",
    "regional_in_force",
    "regions_in_force",
    "open_other",
    "lifted_or_ended",
    "actions",
    "action_types",
    "apps",
]
# What the map's colour means, from the strongest answer to "is it restricted there?" to the weakest.
# The keys are the data's categories (queries.MAP_CATEGORIES), marked here for the catalogs.
MAP_COLOURS = {
    N_("National restriction in force"): "#D55E00",
    N_("Restriction in force in a state or region only"): "#E69F00",
    N_("Investigation or other action open, no restriction in force"): "#56B4E9",
    N_("Lifted or ended actions only"): "#999999",
}
MAP_TITLE = N_("Where chatbot apps are restricted")
MAP_CLICK = N_("Click a country to open its profile")
# The other charts' own titles (views/chartparts.py declares each chart of a view with one of them).
MATRIX_TITLE = N_("Which app sends data to which company")
EVIDENCE_TITLE = N_("Findings by strength of evidence")
BY_TYPE_TITLE = N_("Actions by type and status")
TIMELINE_TITLE = N_("Timeline: from announcement (or effect) to lifting")
BY_COUNTRY_TITLE = N_("Government actions by country")
MAP_DATASET = "country_counts"


def _status_scale() -> alt.Scale:
    colours = class_colours("ACTION_STATUS")
    return alt.Scale(domain=[_(vocabularies.label("ACTION_STATUS", k)) for k in colours], range=list(colours.values()))


def _status_colour() -> alt.Color:
    """Colour by an action's status. The legend is one column: under a chart whose axis labels take
    half a phone's width, three columns ran off its right edge ("Ongoin", "Pendin")."""
    return alt.Color(
        "status_label:N",
        title=_("Status"),
        scale=_status_scale(),
        legend=alt.Legend(orient="bottom", columns=1, labelLimit=LEGEND_LABELS),
    )


# At most this share of the chart's width for the labels of its rows, so a phone keeps room for the
# bars; an image for an article (no container) draws them whole (as the two below).
ROW_LABELS = alt.ExprRef("containerSize()[0] ? min(260, containerSize()[0] * 0.45) : 0")
# The labels of a chart of a few categories (types of action, evidence statuses): 200 px on a phone,
# as before, and up to 300 px where there is room (Italian names of types of action are long).
CATEGORY_LABELS = alt.ExprRef("containerSize()[0] ? min(300, max(200, containerSize()[0] * 0.45)) : 0")
# A legend of one column under its chart has the chart's width, less its symbols: an Italian type of
# action ("Provvedimento di limitazione del trattamento") was cut at the rows' share.
LEGEND_LABELS = alt.ExprRef("containerSize()[0] ? max(120, containerSize()[0] - 40) : 0")

# The face an image for an article is drawn in, by language (Debian's Noto CJK, installed by
# scripts/ensure_fonts.sh): Korean, Japanese and Traditional Chinese each in their own forms; other
# languages keep Vega's default.
ARTICLE_FONTS = {
    "ko": "Noto Sans CJK KR, sans-serif",
    "ja": "Noto Sans CJK JP, sans-serif",
    "zh-Hant": "Noto Sans CJK TC, sans-serif",
}

# Text that fits a phone (390 px): a title or a legend label longer than this many characters is
# drawn on several lines (Italian is the longest language; Korean, Japanese and Chinese rarely reach it).
LINE_CHARS = 38


def lines(text: str, width: int = LINE_CHARS) -> str | list[str]:
    """`text` as one line, or as several (a list, which Vega draws line under line) when it is
    longer than `width` characters and has spaces to break at."""
    if len(text) <= width or " " not in text:
        return text
    return textwrap.wrap(text, width) or text


def wrapped_labels(labels: Iterable[str], width: int = LINE_CHARS) -> str | None:
    """A legend's `labelExpr` drawing each label longer than `width` characters on several lines;
    None when every label fits. Labels are written as JSON strings (quotes and apostrophes escaped)."""
    long = [(lab, lines(lab, width)) for lab in dict.fromkeys(labels)]
    long = [(lab, parts) for lab, parts in long if isinstance(parts, list)]
    if not long:
        return None
    expr = "datum.label"
    for lab, parts in reversed(long):
        expr = f"datum.label === {json.dumps(lab)} ? {json.dumps(parts, ensure_ascii=False)} : {expr}"
    return expr


def _label_expr(labels: Iterable[str], width: int = LINE_CHARS) -> dict[str, str]:
    expr = wrapped_labels(labels, width)
    return {"labelExpr": expr} if expr else {}


def world_map_spec(counts: pd.DataFrame, title: str | None = None) -> dict:
    """The world map as a Vega-Lite dict: a validated template with this view's counts put in.

    Building and validating the Altair layer chart takes ~50 ms; the template is built once per
    title and language and only the small table of counts changes between views.
    """
    spec = copy.deepcopy(_world_map_template(title or _(MAP_TITLE), i18n.current()))
    rows = _labels_translated(counts[["id", *MAP_FIELDS]].dropna(subset=["id"]))
    spec["datasets"] = {MAP_DATASET: json.loads(rows.to_json(orient="records"))}
    return spec


@functools.lru_cache(maxsize=16)
def _world_map_template(title: str, lang: str) -> dict:
    empty = pd.DataFrame({"id": ["000"], **{f: [None] for f in MAP_FIELDS}})
    with i18n.using(lang):
        spec = world_map(empty, title).to_dict()
    (name,) = spec["datasets"]
    text = json.dumps(spec).replace(json.dumps(name), json.dumps(MAP_DATASET))
    return json.loads(text)


def world_map(counts: pd.DataFrame, title: str | None = None) -> alt.LayerChart:
    """Choropleth: what is in force in each jurisdiction (a national restriction, restrictions in
    states or regions only, only investigations or other actions, only lifted or ended actions);
    clicking a country selects its ISO code."""
    shapes = alt.Data(url=MAP_URL, format=alt.DataFormat(type="topojson", feature="countries"))
    title = title or _(MAP_TITLE)
    lookup = _labels_translated(counts[["id", *MAP_FIELDS]].dropna(subset=["id"]))
    left_out = " && ".join(f"datum.id !== '{i}'" for i in MAP_LEFT_OUT)
    base = (
        alt.Chart(shapes)
        .mark_geoshape(fill="#e8e8e8", stroke="#ffffff", strokeWidth=0.5, aria=False)
        .transform_filter(left_out)
        .properties(width="container", height=360)
    )
    click = alt.selection_point(name=MAP_SELECTION, fields=["country_code"], on="click")
    data_layer = (
        alt.Chart(shapes)
        .mark_geoshape(stroke="#ffffff", strokeWidth=0.5, cursor="pointer")
        .transform_lookup(lookup="id", from_=alt.LookupData(lookup, "id", MAP_FIELDS))
        .transform_filter(f"isValid(datum.actions) && {left_out}")
        .encode(
            color=alt.Color(
                "category:N",
                title=None,
                scale=alt.Scale(domain=[_(k) for k in MAP_COLOURS], range=list(MAP_COLOURS.values())),
                legend=alt.Legend(
                    orient="bottom",
                    direction="vertical",
                    labelLimit=400,
                    **_label_expr(_(k) for k in MAP_COLOURS),
                ),
            ),
            tooltip=[
                alt.Tooltip("country_name:N", title=_("Country")),
                alt.Tooltip("category:N", title=_("What is in force")),
                alt.Tooltip("national_in_force:Q", title=_("National restrictions in force")),
                alt.Tooltip("regional_in_force:Q", title=_("State or regional restrictions in force")),
                alt.Tooltip("regions_in_force:Q", title=_("States or regions with one in force")),
                alt.Tooltip("open_other:Q", title=_("Investigations and other open actions")),
                alt.Tooltip("lifted_or_ended:Q", title=_("Lifted or ended")),
                alt.Tooltip("apps:N", title=_("Apps")),
            ],
        )
        .add_params(click)
    )
    return (
        alt.layer(base, data_layer)
        .add_params(alt.param(name="height", expr=f"round(width * {MAP_ASPECT})"))
        .project("equalEarth")
        .properties(
            title=alt.TitleParams(lines(title), subtitle=lines(_(MAP_CLICK))),
            autosize=FIT_X,
            description=_(
                "World map: for each country, whether a restriction of a chatbot app is in force "
                "nationally, only in states or regions, or only investigations or lifted actions are recorded; "
                "the Table tab lists every jurisdiction."
            ),
        )
    )


def flow_matrix(matrix: pd.DataFrame, title: str | None = None) -> alt.LayerChart:
    """Heatmap: app (rows) x recipient company (columns), coloured by the STRONGEST evidence that
    the app's data reaches the company; a dot marks cells where some data types rest on weaker
    evidence, and the tooltip lists each data type under its own evidence status."""
    base = alt.Chart(
        _labels_translated(matrix),
        title=alt.TitleParams(
            lines(title or _(MATRIX_TITLE)),
            subtitle=[
                _("Colour: the strongest evidence that data flows"),
                _("A dot: some data types rest on weaker evidence"),
            ],
        ),
    ).encode(
        x=alt.X(
            "company_name:N",
            title=_("Recipient company"),
            axis=alt.Axis(labelAngle=-60, labelLimit=120, labelOverlap=False, labelFontSize=11),
        ),
        y=alt.Y("app_name:N", title=_("App"), axis=alt.Axis(labelLimit=140)),
        tooltip=[
            alt.Tooltip("app_name:N", title=_("App")),
            alt.Tooltip("company_name:N", title=_("Recipient")),
            alt.Tooltip("parent:N", title=_("Parent company")),
            alt.Tooltip("evidence_label:N", title=_("Evidence for the flow")),
            alt.Tooltip("evidence_by_status:N", title=_("Data types by evidence")),
            alt.Tooltip("finding_ids:N", title=_("Findings")),
        ],
    )
    cells = base.mark_rect(stroke="#ffffff", strokeWidth=1).encode(
        color=alt.Color(
            "evidence_label:N",
            title=_("Strongest evidence for the flow"),
            scale=_evidence_scale(),
            legend=alt.Legend(
                orient="bottom",
                columns=1,
                labelLimit=260,
                titleLimit=320,
                # Centred under the plot, it starts near the middle of a phone: shorter lines.
                **_label_expr((_(lab) for lab, _doc in vocabularies.EVIDENCE_STATUS.values()), width=24),
            ),
        )
    )
    dots = (
        # Decorative for assistive tech: the cell's own description and the Table tab say it in words.
        base.mark_point(
            shape="circle", size=30, filled=True, color="#ffffff", stroke="#000000", strokeWidth=1, aria=False
        )
        .transform_filter("datum.mixed")
        .encode()
    )
    return alt.layer(cells, dots).properties(
        width="container",
        height=alt.Step(28),  # per app, not per view: a filter change swaps the data (issue 26)
        autosize=FIT_X,
        description=_(
            "Heatmap of apps and the companies named as receiving their data, coloured by the strongest "
            "evidence that the data flows; the Table tab lists every data type with its own evidence."
        ),
    )


def evidence_bars(counts: pd.DataFrame, title: str | None = None) -> alt.Chart:
    """Horizontal bars: number of findings per evidence status, in the scale's order."""
    order = [_(v[0]) for v in vocabularies.EVIDENCE_STATUS.values()]
    return (
        alt.Chart(_labels_translated(counts), title=title or _(EVIDENCE_TITLE))
        .mark_bar()
        .encode(
            y=alt.Y("evidence_label:N", title=_("Evidence"), sort=order, axis=alt.Axis(labelLimit=CATEGORY_LABELS)),
            x=alt.X("findings:Q", title=_("Findings"), axis=alt.Axis(tickMinStep=1)),
            color=alt.Color("evidence_label:N", scale=_evidence_scale(), legend=None),
            tooltip=[
                alt.Tooltip("evidence_label:N", title=_("Evidence")),
                alt.Tooltip("findings:Q", title=_("Findings")),
            ],
        )
        .properties(
            width="container",
            height=220,
            autosize=FIT_X,
            description=_("Bar chart of findings per evidence status; the Table tab lists the counts."),
        )
    )


def actions_by_type(counts: pd.DataFrame, title: str | None = None) -> alt.Chart:
    """Stacked horizontal bars: actions per action type, split by status."""
    return (
        alt.Chart(_labels_translated(counts), title=title or _(BY_TYPE_TITLE))
        .mark_bar()
        .encode(
            y=alt.Y(
                "action_type_label:N", title=_("Type of action"), sort="-x", axis=alt.Axis(labelLimit=CATEGORY_LABELS)
            ),
            x=alt.X("sum(actions):Q", title=_("Actions"), axis=alt.Axis(tickMinStep=1)),
            color=_status_colour(),
            tooltip=[
                alt.Tooltip("action_type_label:N", title=_("Type")),
                alt.Tooltip("status_label:N", title=_("Status")),
                alt.Tooltip("actions:Q", title=_("Actions")),
            ],
        )
        .properties(
            width="container",
            # A height per bar, not per view: the spec stays the same when the filters change, so the
            # browser swaps the data instead of drawing the chart anew (issue 26, item 7).
            height=alt.Step(26),
            autosize=FIT_X,
            description=_("Bar chart of government actions per type and status; the Table tab lists the counts."),
        )
    )


TIMELINE_ROWS = 25
APPS_NAMED = 2


def _apps_short(apps: object, most: int = APPS_NAMED) -> str:
    """An action's apps for a bar's label: the first `most` names and "+N" for the rest."""
    names = [a for a in str(apps).split(", ") if a] if isinstance(apps, str) else []
    return ", ".join(names[:most]) + (f" +{len(names) - most}" if len(names) > most else "")


def timeline_rows(df: pd.DataFrame, most: int = TIMELINE_ROWS) -> pd.DataFrame:
    """The `most` most recent actions of queries.timeline (which lists them oldest first) as the
    timeline draws them: grouped by country (the country with the most actions drawn first), in
    order of their start within a country; each labelled by its app(s), a state's or city's action
    by its place too, the first of a country's group by the country's name as well (`label`, bold)."""
    data = _labels_translated(df.assign(place=_places(df))).iloc[-most:] if most else df.iloc[0:0]
    data = data.assign(country=country_names(data) if len(data) else [])
    counts = data["country"].value_counts()
    data = data.assign(group_size=[int(counts[c]) for c in data["country"]])
    data = data.sort_values(["group_size", "country", "start", "action_id"], ascending=[False, True, True, True])
    what = [
        (_apps_short(a) or t) + (f" ({p})" if isinstance(s, str) and s else "")
        for a, t, p, s in zip(
            data["apps"], data["action_type_label"], data["place"], data["subdivision_name"], strict=True
        )
    ]
    first = (data["country"] != data["country"].shift()).tolist()
    return data.assign(
        key=[f"{i:03d}" for i in range(len(data))],
        label=[
            _("{country}: {apps}").format(country=c, apps=w) if f else w
            for c, w, f in zip(data["country"], what, first, strict=True)
        ],
        first=first,
    ).reset_index(drop=True)


def timeline(df: pd.DataFrame, title: str | None = None) -> alt.LayerChart:
    """One bar per action from its start to its lifting (or to the as-of date while in force,
    ongoing or pending); a lifted or ended action whose end date is unknown is a point at its start.
    At most TIMELINE_ROWS actions (the most recent), grouped by country and labelled by their apps
    (`timeline_rows`; the record id is in the tooltip); the date axis is drawn above and below."""
    data = timeline_rows(df)
    labels = dict(zip(data["key"], data["label"], strict=True))
    bold = [k for k, f in zip(data["key"], data["first"], strict=True) if f]
    date_axis = {"format": "%Y-%m", "labelOverlap": True, "grid": True}
    base = alt.Chart(
        data,
        title=alt.TitleParams(
            lines(title or _(TIMELINE_TITLE)),
            subtitle=lines(_("Bars run to the as-of date while not lifted or ended")),
        ),
    ).encode(
        y=alt.Y(
            "key:N",
            title=None,
            sort=list(labels),
            axis=alt.Axis(
                labelExpr=f"{json.dumps(labels)}[datum.value]",
                labelFontWeight=alt.ExprRef(f"indexof({json.dumps(bold)}, datum.value) >= 0 ? 'bold' : 'normal'"),
                labelLimit=ROW_LABELS,
                labelOverlap=False,
            ),
        ),
        color=_status_colour(),
        tooltip=[
            alt.Tooltip("country:N", title=_("Country")),
            alt.Tooltip("place:N", title=_("Where")),
            alt.Tooltip("apps:N", title=_("Apps")),
            alt.Tooltip("action_type_label:N", title=_("Action")),
            alt.Tooltip("authority:N", title=_("Authority")),
            alt.Tooltip("announced:N", title=_("Announced")),
            alt.Tooltip("lifted:N", title=_("Lifted")),
            alt.Tooltip("status_label:N", title=_("Status")),
            alt.Tooltip("action_id:N", title=_("Record")),
        ],
    )
    top = alt.X("start:T", title=None, axis=alt.Axis(orient="top", **date_axis))
    bottom = alt.X("start:T", title=_("Date"), axis=alt.Axis(orient="bottom", **date_axis))
    bars = base.mark_bar(height=10, cornerRadius=2).encode(x=top, x2="end:T").transform_filter("datum.end_known")
    # Hidden from assistive tech like the bars' layer is not: the Table tab lists these actions in words.
    points = (
        base.mark_point(shape="diamond", size=70, filled=True, aria=False)
        .encode(x=bottom)
        .transform_filter("!datum.end_known")
    )
    # Draws nothing; carries the bottom axis even when no action is a point.
    axis = base.mark_tick(opacity=0, aria=False).encode(x=bottom, x2="end:T", color=alt.value("transparent"))
    return (
        alt.layer(bars, points, axis)
        .resolve_axis(x="independent")
        .properties(
            width="container",
            height=max(120, 24 * len(data)),
            autosize=FIT_X,
            description=_("Timeline of government actions from announcement to lifting; the Table tab lists them."),
        )
    )


# An article's column: the width an article image is made for, and the smallest text on it there
# (legends, axis labels), so a legend stays readable where the image is printed.
ARTICLE_WIDTH = 700
ARTICLE_TEXT = 12


def article_fonts(width: int) -> dict[str, int]:
    """Font sizes (px) of an image `width` px wide, so that shown ARTICLE_WIDTH px wide its smallest
    text (legend and axis labels) is ARTICLE_TEXT px."""
    k = max(width, ARTICLE_WIDTH) / ARTICLE_WIDTH
    return {"title": round(20 * k), "subtitle": round(12 * k), "label": round(ARTICLE_TEXT * k)}


def _title_of(spec: dict) -> tuple[Any, Any]:
    """A spec's title text and subtitle: its own, or its first layer's (a layer chart keeps the
    title of the chart it was built from in its layers)."""
    for node in (spec, *spec.get("layer", [])):
        old = node.get("title")
        if old:
            return (old.get("text"), old.get("subtitle")) if isinstance(old, dict) else (old, None)
    return None, None


def for_article(
    spec: dict,
    source: str | list[str],
    filters: str = "",
    title: str | None = None,
    width: int = 1100,
    takeaway: str = "",
) -> dict:
    """A chart spec made to stand alone (an article, a link preview): its title (or `title`), a
    subtitle with the takeaway, the filters and the source line (publisher, view, as-of date,
    version, licence; one line or several), a fixed width, a white background, and legends and
    axis labels sized to be read at ARTICLE_WIDTH px. The chart's own subtitle is kept under the title."""
    spec = copy.deepcopy(spec)
    old_text, own = _title_of(spec)
    for layer in spec.get("layer", []):
        layer.pop("title", None)
    text = title or old_text or "Chatbot Watch"
    chars = round(width / 7)  # what fits on a line of the subtitle
    out: list[str] = []
    for part in [*([takeaway] if takeaway else []), *([own] if isinstance(own, str) else list(own or []))]:
        part_lines = lines(part, chars)
        out += part_lines if isinstance(part_lines, list) else [part_lines]
    click = (MAP_CLICK, _(MAP_CLICK))
    out = [s for s in out if s not in click and "Click a country" not in s]  # no clicking in an image
    if filters:
        filter_lines = lines(_("Filters: {filters}").format(filters=filters), chars)
        out += filter_lines if isinstance(filter_lines, list) else [filter_lines]
    out += [source] if isinstance(source, str) else list(source)
    size = article_fonts(width)
    spec["title"] = {
        "text": lines(text, round(width / 12)) if isinstance(text, str) else text,
        "subtitle": out,
        "fontSize": size["title"],
        "subtitleFontSize": size["subtitle"],
        "subtitlePadding": 6,
        "anchor": "start",
    }
    if "width" not in spec or spec["width"] == "container":
        spec["width"] = width
    for layer in spec.get("layer", []):
        if layer.get("width") == "container":
            layer["width"] = width
    # The whole image (labels, legend, padding) is `width` px wide, so its text keeps its size where it is printed.
    spec["autosize"] = {"type": "fit-x", "contains": "padding"}
    spec["background"] = "#ffffff"
    config = spec.setdefault("config", {})
    config["padding"] = 24
    label = {"labelFontSize": size["label"], "titleFontSize": size["label"]}
    config["legend"] = {**config.get("legend", {}), **label, "symbolSize": 12 * size["label"], "labelLimit": width}
    config["axis"] = {**config.get("axis", {}), **label}
    if i18n.current() in ARTICLE_FONTS:  # the region's forms of Han characters, in a sans face
        config["font"] = ARTICLE_FONTS[i18n.current()]
    return spec


@functools.lru_cache(maxsize=1)
def _world() -> Any:
    return json.loads(paths.WORLD_TOPOJSON.read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=1)
def map_ids() -> frozenset[str]:
    """The ids (ISO 3166-1 numeric) of the countries the world map has a shape for."""
    objects = _world()["objects"]["countries"]["geometries"]
    return frozenset(str(g["id"]) for g in objects if g.get("id") is not None) - set(MAP_LEFT_OUT)


def inline_map(node: Any) -> Any:
    """The spec with the world map's TopoJSON URL replaced by its content, for renderers that read
    no URL (vl-convert: link previews, chart downloads)."""
    if isinstance(node, dict):
        if node.get("url") == MAP_URL:
            return {**{k: v for k, v in node.items() if k != "url"}, "values": _world()}
        return {k: inline_map(v) for k, v in node.items()}
    if isinstance(node, list):
        return [inline_map(v) for v in node]
    return node


# The two levels of government the by-country chart keeps apart (queries.LEVEL_LABELS), marked for the catalogs.
LEVELS = (N_("National"), N_("State, province, prefecture or city"))
REGIONAL_ROW = N_("{country}: states, provinces, cities")


def country_names(df: pd.DataFrame) -> list[str]:
    """Each row's country as the reader's language names it."""
    return [i18n.country_name(code, name) for code, name in zip(df["country_code"], df["country_name"], strict=True)]


def _type_scale(labels: Iterable[str]) -> alt.Scale:
    """Action types (labels in the reader's language) in the vocabulary's order, each in its own
    colour (CLASS_PALETTES: the same in every view, whatever types the view holds)."""
    colours = {_(vocabularies.label("ACTION_TYPES", k)): c for k, c in class_colours("ACTION_TYPES").items()}
    present = set(labels)
    domain = [lab for lab in colours if lab in present] + sorted(present - set(colours))
    return alt.Scale(domain=domain, range=[colours.get(lab, "#000000") for lab in domain])


def by_country_rows(df: pd.DataFrame) -> pd.DataFrame:
    """queries.by_country's rows with what the chart draws: the country's name, the level's label
    and the row's label (a country's national actions under its name; its states', provinces' or
    cities' under "<country>: states, provinces, cities"), in the reader's language."""
    data = _labels_translated(df).assign(country=country_names(df))
    data["row"] = [
        _(REGIONAL_ROW).format(country=c) if s else c for c, s in zip(data["country"], data["subnational"], strict=True)
    ]
    return data


def by_country(df: pd.DataFrame, title: str | None = None) -> alt.Chart:
    """Horizontal bars: actions per country, stacked by action type; a country's national actions
    and those of its states, provinces, prefectures or cities are separate bars, never added up."""
    data = by_country_rows(df)
    order = list(dict.fromkeys(data["row"]))  # the query's order: most actions first, national first
    return (
        alt.Chart(
            data,
            title=alt.TitleParams(
                lines(title or _(BY_COUNTRY_TITLE)),
                subtitle=lines(_("National actions and those of states, provinces or cities are separate bars")),
            ),
        )
        .mark_bar()
        .encode(
            y=alt.Y("row:N", title=None, sort=order, axis=alt.Axis(labelLimit=ROW_LABELS, labelOverlap=False)),
            x=alt.X("sum(actions):Q", title=_("Actions"), axis=alt.Axis(tickMinStep=1)),
            color=alt.Color(
                "action_type_label:N",
                title=_("Type of action"),
                scale=_type_scale(data["action_type_label"]),
                legend=alt.Legend(orient="bottom", columns=1, labelLimit=LEGEND_LABELS),
            ),
            order=alt.Order("actions:Q", sort="descending"),
            tooltip=[
                alt.Tooltip("country:N", title=_("Country")),
                alt.Tooltip("level_label:N", title=_("Level")),
                alt.Tooltip("action_type_label:N", title=_("Type")),
                alt.Tooltip("actions:Q", title=_("Actions")),
                alt.Tooltip("places:N", title=_("Where")),
            ],
        )
        .properties(
            width="container",
            height=max(120, 26 * len(order)),
            autosize=FIT_X,
            description=_(
                "Bar chart of government actions per country and type, national and state, provincial or city "
                "actions apart; the Table tab lists the counts."
            ),
        )
    )

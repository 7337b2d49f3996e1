"""DataFrame -> Altair chart. No Streamlit here; every chart has a title, axis labels and tooltips.

Colours come from the Okabe-Ito palette, which stays distinguishable for the common forms of
colour blindness. The world map reads its shapes from the TopoJSON file served as a static
file (never inlined in the spec, never fetched from elsewhere).
"""

from __future__ import annotations

import copy
import functools
import json
from typing import Any

import altair as alt
import pandas as pd

from chatbot_watch import paths, schema

# Okabe & Ito (2008), "Color Universal Design".
OKABE_ITO = ["#0072B2", "#56B4E9", "#009E73", "#F0E442", "#E69F00", "#D55E00", "#CC79A7", "#999999", "#000000"]

# Colours by class (schema.VOCABULARY_CLASSES), then by the value's place in its class, so a value
# added to the schema gets a colour of its class without an edit here. Blues and green for what is
# confirmed, yellow for what the company declares, orange, vermillion and purple for claims; for
# actions, vermillion for what is in force, orange and yellow for what is open, blue and grey for
# what no longer applies.
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
}


def class_colours(vocab: str) -> dict[str, str]:
    """Each value of a classed vocabulary -> its colour: the n-th value of a class (in the
    vocabulary's order) takes the n-th colour of the class's palette (cycling)."""
    of_value, _ = schema.VOCABULARY_CLASSES[vocab]
    seen: dict[str, int] = {}
    out = {}
    for value in schema.VOCABULARIES[vocab]:
        cls = of_value[value]
        palette = CLASS_PALETTES[vocab][cls]
        out[value] = palette[seen.get(cls, 0) % len(palette)]
        seen[cls] = seen.get(cls, 0) + 1
    return out


EVIDENCE_COLOURS = class_colours("EVIDENCE_STATUS")
STATUS_COLOURS = {schema.label("ACTION_STATUS", k): c for k, c in class_colours("ACTION_STATUS").items()}

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
    return alt.Scale(domain=[schema.label("EVIDENCE_STATUS", k) for k in colours], range=list(colours.values()))


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
MAP_COLOURS = {
    "National restriction in force": "#D55E00",
    "Restriction in force in a state or region only": "#E69F00",
    "Investigation or other action open, no restriction in force": "#56B4E9",
    "Lifted or ended actions only": "#999999",
}
MAP_DATASET = "country_counts"


def _status_scale() -> alt.Scale:
    colours = class_colours("ACTION_STATUS")
    return alt.Scale(domain=[schema.label("ACTION_STATUS", k) for k in colours], range=list(colours.values()))


def _status_colour() -> alt.Color:
    """Colour by an action's status. The legend is one column: under a chart whose axis labels take
    half a phone's width, three columns ran off its right edge ("Ongoin", "Pendin")."""
    return alt.Color(
        "status_label:N", title="Status", scale=_status_scale(), legend=alt.Legend(orient="bottom", columns=1)
    )


def world_map_spec(counts: pd.DataFrame, title: str = "Where chatbot apps are restricted") -> dict:
    """The world map as a Vega-Lite dict: a validated template with this view's counts put in.

    Building and validating the Altair layer chart takes ~50 ms; the template is built once per
    title and only the small table of counts changes between views.
    """
    spec = copy.deepcopy(_world_map_template(title))
    rows = counts[["id", *MAP_FIELDS]].dropna(subset=["id"])
    spec["datasets"] = {MAP_DATASET: json.loads(rows.to_json(orient="records"))}
    return spec


@functools.lru_cache(maxsize=8)
def _world_map_template(title: str) -> dict:
    empty = pd.DataFrame({"id": ["000"], **{f: [None] for f in MAP_FIELDS}})
    spec = world_map(empty, title).to_dict()
    (name,) = spec["datasets"]
    text = json.dumps(spec).replace(json.dumps(name), json.dumps(MAP_DATASET))
    return json.loads(text)


def world_map(counts: pd.DataFrame, title: str = "Where chatbot apps are restricted") -> alt.LayerChart:
    """Choropleth: what is in force in each jurisdiction (a national restriction, restrictions in
    states or regions only, only investigations or other actions, only lifted or ended actions);
    clicking a country selects its ISO code."""
    shapes = alt.Data(url=MAP_URL, format=alt.DataFormat(type="topojson", feature="countries"))
    lookup = counts[["id", *MAP_FIELDS]].dropna(subset=["id"])
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
                scale=alt.Scale(domain=list(MAP_COLOURS), range=list(MAP_COLOURS.values())),
                legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=400),
            ),
            tooltip=[
                alt.Tooltip("country_name:N", title="Country"),
                alt.Tooltip("category:N", title="What is in force"),
                alt.Tooltip("national_in_force:Q", title="National restrictions in force"),
                alt.Tooltip("regional_in_force:Q", title="State or regional restrictions in force"),
                alt.Tooltip("regions_in_force:Q", title="States or regions with one in force"),
                alt.Tooltip("open_other:Q", title="Investigations and other open actions"),
                alt.Tooltip("lifted_or_ended:Q", title="Lifted or ended"),
                alt.Tooltip("apps:N", title="Apps"),
            ],
        )
        .add_params(click)
    )
    return (
        alt.layer(base, data_layer)
        .add_params(alt.param(name="height", expr=f"round(width * {MAP_ASPECT})"))
        .project("equalEarth")
        .properties(
            title=alt.TitleParams(title, subtitle="Click a country to open its profile"),
            autosize=FIT_X,
            description="World map: for each country, whether a restriction of a chatbot app is in force "
            "nationally, only in states or regions, or only investigations or lifted actions are recorded; "
            "the Table tab lists every jurisdiction.",
        )
    )


def flow_matrix(matrix: pd.DataFrame, title: str = "Which app sends data to which company") -> alt.LayerChart:
    """Heatmap: app (rows) x recipient company (columns), coloured by the STRONGEST evidence that
    the app's data reaches the company; a dot marks cells where some data types rest on weaker
    evidence, and the tooltip lists each data type under its own evidence status."""
    height = max(120, 28 * matrix["app_name"].nunique())
    base = alt.Chart(
        matrix,
        title=alt.TitleParams(
            title,
            subtitle=[
                "Colour: the strongest evidence that data flows",
                "A dot: some data types rest on weaker evidence",
            ],
        ),
    ).encode(
        x=alt.X(
            "company_name:N",
            title="Recipient company",
            axis=alt.Axis(labelAngle=-60, labelLimit=120, labelOverlap=False, labelFontSize=11),
        ),
        y=alt.Y("app_name:N", title="App", axis=alt.Axis(labelLimit=140)),
        tooltip=[
            alt.Tooltip("app_name:N", title="App"),
            alt.Tooltip("company_name:N", title="Recipient"),
            alt.Tooltip("parent:N", title="Parent company"),
            alt.Tooltip("evidence_label:N", title="Evidence for the flow"),
            alt.Tooltip("evidence_by_status:N", title="Data types by evidence"),
            alt.Tooltip("finding_ids:N", title="Findings"),
        ],
    )
    cells = base.mark_rect(stroke="#ffffff", strokeWidth=1).encode(
        color=alt.Color(
            "evidence_label:N",
            title="Strongest evidence for the flow",
            scale=_evidence_scale(),
            legend=alt.Legend(orient="bottom", columns=1, labelLimit=260, titleLimit=320),
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
        height=height,
        autosize=FIT_X,
        description="Heatmap of apps and the companies named as receiving their data, coloured by the strongest "
        "evidence that the data flows; the Table tab lists every data type with its own evidence.",
    )


def evidence_bars(counts: pd.DataFrame, title: str = "Findings by strength of evidence") -> alt.Chart:
    """Horizontal bars: number of findings per evidence status, in the scale's order."""
    order = [v[0] for v in schema.EVIDENCE_STATUS.values()]
    return (
        alt.Chart(counts, title=title)
        .mark_bar()
        .encode(
            y=alt.Y("evidence_label:N", title="Evidence", sort=order, axis=alt.Axis(labelLimit=200)),
            x=alt.X("findings:Q", title="Findings", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color("evidence_label:N", scale=_evidence_scale(), legend=None),
            tooltip=[alt.Tooltip("evidence_label:N", title="Evidence"), alt.Tooltip("findings:Q", title="Findings")],
        )
        .properties(
            width="container",
            height=220,
            autosize=FIT_X,
            description="Bar chart of findings per evidence status; the Table tab lists the counts.",
        )
    )


def actions_by_type(counts: pd.DataFrame, title: str = "Actions by type and status") -> alt.Chart:
    """Stacked horizontal bars: actions per action type, split by status."""
    return (
        alt.Chart(counts, title=title)
        .mark_bar()
        .encode(
            y=alt.Y("action_type_label:N", title="Type of action", sort="-x", axis=alt.Axis(labelLimit=200)),
            x=alt.X("sum(actions):Q", title="Actions", axis=alt.Axis(tickMinStep=1)),
            color=_status_colour(),
            tooltip=[
                alt.Tooltip("action_type_label:N", title="Type"),
                alt.Tooltip("status_label:N", title="Status"),
                alt.Tooltip("actions:Q", title="Actions"),
            ],
        )
        .properties(
            width="container",
            height=max(160, 26 * counts["action_type_label"].nunique()),
            autosize=FIT_X,
            description="Bar chart of government actions per type and status; the Table tab lists the counts.",
        )
    )


def timeline(df: pd.DataFrame, title: str = "Timeline: from announcement (or effect) to lifting") -> alt.LayerChart:
    """One bar per action from its start to its lifting (or to the as-of date while in force,
    ongoing or pending); a lifted or ended action whose end date is unknown is a point at its start."""
    data = df.assign(label=df["place"] + " · " + df["action_id"])
    base = alt.Chart(
        data, title=alt.TitleParams(title, subtitle="Bars run to the as-of date while not lifted or ended")
    ).encode(
        x=alt.X("start:T", title="Date", axis=alt.Axis(format="%Y-%m", labelOverlap=True)),
        y=alt.Y(
            "label:N",
            title=None,
            sort=alt.EncodingSortField("start", order="ascending"),
            axis=alt.Axis(labelLimit=180, labelOverlap=False),
        ),
        color=_status_colour(),
        tooltip=[
            alt.Tooltip("place:N", title="Where"),
            alt.Tooltip("authority:N", title="Authority"),
            alt.Tooltip("action_type_label:N", title="Action"),
            alt.Tooltip("apps:N", title="Apps"),
            alt.Tooltip("announced:N", title="Announced"),
            alt.Tooltip("lifted:N", title="Lifted"),
            alt.Tooltip("status_label:N", title="Status"),
        ],
    )
    bars = base.mark_bar(height=8, cornerRadius=2).encode(x2="end:T").transform_filter("datum.end_known")
    # Hidden from assistive tech like the bars' layer is not: the Table tab lists these actions in words.
    points = base.mark_point(shape="diamond", size=60, filled=True, aria=False).transform_filter("!datum.end_known")
    return alt.layer(bars, points).properties(
        width="container",
        height=max(120, 24 * len(data)),
        autosize=FIT_X,
        description="Timeline of government actions from announcement to lifting; the Table tab lists them.",
    )


def for_article(spec: dict, source: str, filters: str = "", title: str | None = None, width: int = 1100) -> dict:
    """A chart spec made to stand alone (an article, a link preview): its title (or `title`), a
    subtitle with the filters and the source line (publisher, view, as-of date, version, licence),
    a fixed width and a white background. The chart's own subtitle is kept under the title."""
    spec = copy.deepcopy(spec)
    old = spec.get("title")
    text = title or (old.get("text") if isinstance(old, dict) else old) or "Chatbot Watch"
    own = old.get("subtitle") if isinstance(old, dict) else None
    lines = [own] if isinstance(own, str) else list(own or [])
    lines = [s for s in lines if "Click a country" not in s]  # no clicking in an image
    if filters:
        lines.append(f"Filters: {filters}")
    lines.append(source)
    spec["title"] = {"text": text, "subtitle": lines, "fontSize": 22, "subtitleFontSize": 13, "anchor": "start"}
    if "width" not in spec or spec["width"] == "container":
        spec["width"] = width
    for layer in spec.get("layer", []):
        if layer.get("width") == "container":
            layer["width"] = width
    spec.pop("autosize", None)
    spec["background"] = "#ffffff"
    spec.setdefault("config", {})["padding"] = 24
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

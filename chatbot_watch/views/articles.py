"""Charts made for articles: the stand-alone image of a chart (PNG, SVG) says what it shows in plain
words, from the view's filters ("Government-device bans of AI chatbot apps, by country", never
"action_type=government_device_ban"), one takeaway computed from the chart's own data ("South
Korea has the most: 49 of 125"), the filters by their labels, and a source line naming the exact
view's full public URL (the configured public address, the page, its filters and language), the
as-of date, the data version and the licence. No Streamlit here: the app's downloads and the
tests call the same functions."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd

from chatbot_watch import i18n, paths
from chatbot_watch.datamodel import vocabularies
from chatbot_watch.filters import Filters
from chatbot_watch.i18n import N_, _
from chatbot_watch.queries import chartdata
from chatbot_watch.views import PAGE_BY_KEY, applied_text, charts, option_label
from chatbot_watch.views.base import canonical

# What a view of actions is about, by the one action type it is filtered to: vocabularies.ACTION_TYPE_TITLES
# (in the catalogs, like the vocabularies' labels).
ACTIONS = N_("Government actions on AI chatbot apps")
FLOWS = N_("Data flows of AI chatbot apps")
# Each chart's title around its subject (the chart function's name -> a template).
CHART_TITLES = {
    "by_country": N_("{subject}, by country"),
    "world_map": N_("{subject}: what is in force, country by country"),
    "world_map_spec": N_("{subject}: what is in force, country by country"),
    "timeline": N_("{subject}: timeline"),
    "actions_by_type": N_("{subject}, by type and status"),
    "flow_matrix": N_("{subject}: which app sends data to which company"),
    "evidence_bars": N_("{subject}, by strength of evidence"),
}
FLOW_CHARTS = ("flow_matrix", "evidence_bars")


def public_base_url() -> str:
    """The site's configured public address (CHATBOT_WATCH_BASE_URL, http or https, no trailing
    slash), or "" when none is configured."""
    configured = os.environ.get(paths.ENV_BASE_URL, "").strip().rstrip("/")
    return configured if configured.startswith(("https://", "http://")) else ""


def view_url(page: str, f: Filters) -> str:
    """The full public URL of the view: page `page` (a views key) with filters `f`, in the current
    language; the site-relative address and a plain note when no public address is configured."""
    path = canonical(PAGE_BY_KEY[page].path, f)
    base = public_base_url()
    if base:
        return base + path
    return _("{path} (no public address is configured for this server)").format(path=path)


def _joined(values: list[str]) -> str:
    if len(values) <= 1:
        return "".join(values)
    return _("{names} and {last}").format(names=_(", ").join(values[:-1]), last=values[-1])


def title(chart: str, f: Filters, options: Mapping[str, Mapping[str, str]]) -> str | None:
    """The chart's title in plain words from the filters (the action type's plural, the country,
    the app by their labels, in the reader's language); None for a chart it has no words for."""
    template = CHART_TITLES.get(chart)
    if template is None:
        return None
    if chart in FLOW_CHARTS:
        subject = _(FLOWS)
    elif len(f.action_type) == 1 and f.action_type[0] in vocabularies.ACTION_TYPE_TITLES:
        subject = _(vocabularies.ACTION_TYPE_TITLES[f.action_type[0]])
    else:
        subject = _(ACTIONS)
    if f.app:
        subject = _("{subject} concerning {apps}").format(
            subject=subject, apps=_joined([option_label("app", a, options) for a in f.app])
        )
    if f.country and chart not in FLOW_CHARTS:
        subject = _("{subject} in {countries}").format(
            subject=subject, countries=_joined([option_label("country", c, options) for c in f.country])
        )
    return _(template).format(subject=subject)


def _by_country(df: pd.DataFrame) -> str:
    top = df.drop_duplicates("country_code")
    most = int(top["country_actions"].max())
    leaders = top[top["country_actions"] == most]
    names = charts.country_names(leaders)
    total = int(top["all_actions"].iat[0])
    row = leaders.iloc[0]
    if len(leaders) > 1:
        text = _("{countries} have the most: {n} each of {total}").format(countries=_joined(names), n=most, total=total)
    else:
        text = _("{country} has the most: {n} of {total}").format(country=names[0], n=most, total=total)
    if len(leaders) == 1 and row["national"] and row["regional"]:
        text += " " + _("({national} national, {regional} by states, provinces or cities)").format(
            national=int(row["national"]), regional=int(row["regional"])
        )
    left = int(top["countries_in_view"].iat[0]) - len(top)
    if left > 0:  # the chart draws the countries with the most actions only: say how many it leaves out
        text += ". " + i18n.counted(
            left, "{n} more country with fewer actions not shown.", "{n} more countries with fewer actions not shown."
        )
    return text


def _world_map(df: pd.DataFrame) -> str:
    national = int((df["national_in_force"] > 0).sum())
    regional = int(((df["national_in_force"] == 0) & (df["regional_in_force"] > 0)).sum())
    return _(
        "A national restriction is in force in {national} of {places} jurisdictions; in {regional} more, "
        "only in states or regions"
    ).format(national=national, places=len(df), regional=regional)


def _timeline(df: pd.DataFrame) -> str:
    first, last = f"{df['start'].min():%Y-%m}", f"{df['start'].max():%Y-%m}"
    n, running = len(df), int(df["runs_to_date"].sum())
    if n >= chartdata.TIMELINE_MAX:  # the query keeps only the most recent: say so
        text = _("The {n} most recent dated actions started between {first} and {last}").format(
            n=n, first=first, last=last
        )
    else:
        text = i18n.ngettext(
            "{n} dated action, started between {first} and {last}",
            "{n} dated actions, started between {first} and {last}",
            n,
        ).format(n=n, first=first, last=last)
    text += "; " + _("not lifted or ended: {running}").format(running=running)
    if n > charts.TIMELINE_ROWS:  # the image draws fewer: say how many
        text += ". " + _("Drawn: the {drawn} most recent dated actions, grouped by country.").format(
            drawn=charts.TIMELINE_ROWS
        )
    return text


def _actions_by_type(df: pd.DataFrame) -> str:
    per = df.groupby("action_type_label")["actions"].sum().sort_values(ascending=False, kind="stable")
    total = int(per.sum())
    if len(per) > 1:
        return _("Most common: {type}, {n} of {total}").format(
            type=_(str(per.index[0])), n=int(per.iat[0]), total=total
        )
    in_force = {vocabularies.label("ACTION_STATUS", k) for k, c in _classes("ACTION_STATUS").items() if c == "in_force"}
    n = int(df.loc[df["status_label"].isin(in_force), "actions"].sum())
    return _("In force: {n} of {total}").format(n=n, total=total)


def _classes(vocab: str) -> dict[str, str]:
    """Each value of a classed vocabulary -> its class (vocabularies.VOCABULARY_CLASSES)."""
    return dict(vocabularies.VOCABULARY_CLASSES[vocab][0])


def _evidence_bars(df: pd.DataFrame) -> str:
    confirmed = {
        vocabularies.label("EVIDENCE_STATUS", k) for k, c in _classes("EVIDENCE_STATUS").items() if c == "confirmed"
    }
    n = int(df.loc[df["evidence_label"].isin(confirmed), "findings"].sum())
    return _("{n} of {total} findings are confirmed").format(n=n, total=int(df["findings"].sum()))


def _flow_matrix(df: pd.DataFrame) -> str:
    per = df.groupby("app_name")["company_name"].nunique().sort_values(ascending=False, kind="stable")
    # "named as receiving": a cell rests on evidence of any strength (the colour says which).
    return _("Most companies named as receiving an app's data: {app}, {n}").format(app=per.index[0], n=int(per.iat[0]))


TAKEAWAYS: dict[str, Callable[[pd.DataFrame], str]] = {
    "by_country": _by_country,
    "world_map": _world_map,
    "world_map_spec": _world_map,
    "timeline": _timeline,
    "actions_by_type": _actions_by_type,
    "evidence_bars": _evidence_bars,
    "flow_matrix": _flow_matrix,
}


def takeaway(chart: str, df: pd.DataFrame) -> str:
    """One line saying what the chart's data shows, computed from it; "" when there is nothing to say."""
    fn = TAKEAWAYS.get(chart)
    if fn is None or df.empty:
        return ""
    return fn(df)


def source_lines(site: str, page: str, f: Filters, meta: Mapping[str, Any], chars: int = 104) -> list[str]:
    """The source line, on lines of about `chars` characters so the URL is never cut: the publisher
    and the exact view's full URL (on a line of its own when both do not fit, broken before an `&`
    when it is longer than a line); the as-of date, the data version and the licence."""
    url = view_url(page, f)
    head = _("Source: {site}, {url}").format(site=site, url=url)
    out = [head] if len(head) <= chars else [_("Source: {site},").format(site=site), *_url_lines(url, chars)]
    out.append(
        _("Data as of {as_of} · version {version} · {licence}").format(
            as_of=meta.get("as_of", ""), version=meta.get("data_version", ""), licence=meta.get("licence", "")
        )
    )
    return out


def _url_lines(url: str, chars: int) -> list[str]:
    """`url` on lines of about `chars` characters, each break before an `&` (a reader copies it whole)."""
    out = [""]
    for i, part in enumerate(url.split("&")):
        piece = part if i == 0 else "&" + part
        if out[-1] and len(out[-1]) + len(piece) > chars:
            out.append("")
        out[-1] += piece
    return out


def article(
    spec: dict,
    chart: str,
    df: pd.DataFrame,
    page: str,
    f: Filters,
    options: Mapping[str, Mapping[str, str]],
    meta: Mapping[str, Any],
    site: str,
    width: int = charts.ARTICLE_WIDTH,
) -> dict:
    """The chart's spec (`chart`: its charts function's name, drawn on `df`) as an image for an
    article about view `page` with filters `f`: plain title, takeaway, filters in words, source lines."""
    return charts.for_article(
        spec,
        source=source_lines(site, page, f, meta),
        filters=applied_text(f, options) if f.active() else "",
        title=title(chart, f, options),
        width=width,
        takeaway=takeaway(chart, df),
    )

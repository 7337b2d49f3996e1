"""Link previews and search engines: the og:image PNG of a view's main chart, robots.txt, sitemap.xml.

The image is the chart the page draws (charts.py on the same queries), titled with the view's
heading, its filters and a source line with the as-of date and data version, rendered offline by
vl-convert (no browser, nothing fetched: the world map's shapes are read from static/). Images
are made once per data version and view, and kept in a small cache.
"""

from __future__ import annotations

import collections
import threading
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode
from xml.sax.saxutils import escape

from chatbot_watch import charts, queries
from chatbot_watch.filters import FLOW_FILTERS, Filters
from chatbot_watch.firstpaint import PAGES, View, record_href

IMAGE_WIDTH = 1100
IMAGE_CACHE = 64


def chart_spec(con: queries.Con, v: View) -> dict[str, Any]:
    """The Vega-Lite spec of the view's main chart, titled for a preview card."""
    f = v.filters
    if v.page == "countries" and f.country:
        spec = charts.actions_by_type(queries.actions_by_type(con, f)).to_dict()
    elif v.page in ("flows", "companies"):
        spec = charts.evidence_bars(queries.evidence_counts(con, f.only(FLOW_FILTERS))).to_dict()
    elif v.page == "apps" and f.app:
        flow_filters = f.without("country", "country_role")
        matrix = queries.flow_matrix(con, flow_filters)
        if matrix.empty:
            spec = charts.actions_by_type(queries.actions_by_type(con, f)).to_dict()
        else:
            spec = charts.flow_matrix(matrix).to_dict()
    else:  # the map: overview, restrictions, countries without one, about, record
        shown = f if v.page in ("overview", "restrictions", "countries") else Filters()
        spec = charts.inline_map(charts.world_map(queries.map_counts(con, shown)).to_dict())
    return charts.for_article(
        spec,
        title=v.heading,
        filters=v.applied,
        source=f"Chatbot Watch · data as of {v.as_of} · version {v.version}",
        width=IMAGE_WIDTH,
    )


_LOCK = threading.Lock()
_IMAGES: collections.OrderedDict[tuple[str, str], bytes] = collections.OrderedDict()


def image_png(con: queries.Con, v: View) -> bytes:
    """The PNG of the view's main chart, made once per data version and canonical URL."""
    key = (v.version, v.canonical)
    with _LOCK:
        if key in _IMAGES:
            _IMAGES.move_to_end(key)
            return _IMAGES[key]
    import vl_convert

    png = vl_convert.vegalite_to_png(chart_spec(con, v), scale=1)
    with _LOCK:
        _IMAGES[key] = png
        while len(_IMAGES) > IMAGE_CACHE:
            _IMAGES.popitem(last=False)
    return png


def robots_txt(base_url: str) -> str:
    """Every page may be crawled; Streamlit's internals and the API (for scripts) are left out."""
    lines = ["User-agent: *", "Allow: /", "Disallow: /_stcore/", "Disallow: /api/"]
    if base_url:
        lines.append(f"Sitemap: {base_url}/sitemap.xml")
    return "\n".join(lines) + "\n"


def sitemap_paths(con: queries.Con) -> list[str]:
    """Every page, country, app, company and record page (site-relative, canonical)."""
    out = [path for path, (key, _t) in PAGES.items() if key != "record"]
    everything = Filters()
    actions = queries.restrictions(con, everything)
    flows = queries.flows(con, everything)
    countries = sorted(set(actions["country_code"].dropna()) | set(flows["auditor_country"].dropna()))
    out += ["/countries?" + urlencode({"country": c}) for c in countries]
    apps = queries.filter_options(con)["app"]
    out += ["/apps?" + urlencode({"app": a}) for a in apps]
    out += [record_href(a, "app") for a in apps]
    companies = queries.companies(con, everything)
    out += [record_href(c, "company") for c in companies["company_id"]]
    out += [record_href(i) for i in sorted(set(flows["finding_id"]))]
    out += [record_href(i) for i in sorted(set(actions["action_id"]))]
    return list(dict.fromkeys(out))


def sitemap_xml(base_url: str, site_paths: Iterable[str], lastmod: str) -> str:
    """A sitemaps.org urlset (absolute URLs, `&` escaped)."""
    urls = "".join(
        f"<url><loc>{escape(base_url + p)}</loc><lastmod>{escape(lastmod)}</lastmod></url>\n" for p in site_paths
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + urls + "</urlset>\n"
    )

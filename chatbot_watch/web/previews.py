"""Link previews and search engines: the og:image PNG of a view's main chart, robots.txt, sitemap.xml.

The image is the chart the page draws (charts.py on the same queries), titled with the view's
heading, its filters and a source line with the as-of date and data version, rendered offline by
vl-convert (no browser, nothing fetched: the world map's shapes are read from static/). Images
are made once per data version and image (`image_key`: what the image shows, never the URL that
asked for it), one at a time, and kept in a cache bounded by bytes.

The sitemap is an index of files of at most SITEMAP_URLS URLs each (the protocol allows 50,000 or
50 MB a file); the files are built once per data version with a marker where the site's address
goes, which `with_base` fills in as each answer is written.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import parse_qsl, urlencode
from xml.sax.saxutils import escape

from chatbot_watch import i18n, queries
from chatbot_watch.filters import FLOW_FILTERS, Filters
from chatbot_watch.i18n import _
from chatbot_watch.queries import chartdata, recordpage
from chatbot_watch.queries.memo import Memo
from chatbot_watch.views import PAGES, View, charts, record_href
from chatbot_watch.views import record as record_view

IMAGE_WIDTH = 1100
IMAGE_ENTRIES = 512
IMAGE_BYTES = 32 * 2**20
SITEMAP_URLS = 50_000
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
# Where the site's address goes in a built sitemap file (never in a path: they are URL-encoded).
BASE_MARK = "\x00"


def chart_spec(con: queries.Con, v: View) -> dict[str, Any]:
    """The Vega-Lite spec of the view's main chart, titled for a preview card, in the view's language."""
    with i18n.using(v.lang):
        return _chart_spec(con, v)


def _chart_spec(con: queries.Con, v: View) -> dict[str, Any]:
    if v.page == "record":
        card = record_card(con, v)
        if card is not None:
            return card
    f = v.filters
    if v.page == "countries" and f.country:
        spec = charts.actions_by_type(chartdata.actions_by_type(con, f)).to_dict()
    elif v.page in ("flows", "companies"):
        spec = charts.evidence_bars(chartdata.evidence_counts(con, f.only(FLOW_FILTERS))).to_dict()
    elif v.page == "apps" and f.app:
        flow_filters = f.without("country", "country_role")
        matrix = chartdata.flow_matrix(con, flow_filters)
        if matrix.empty:
            spec = charts.actions_by_type(chartdata.actions_by_type(con, f)).to_dict()
        else:
            spec = charts.flow_matrix(matrix).to_dict()
    else:  # the map: overview, restrictions, countries without one, about, record
        shown = f if v.page in ("overview", "restrictions", "countries") else Filters()
        spec = charts.inline_map(charts.world_map(chartdata.map_counts(con, shown)).to_dict())
    return charts.for_article(
        spec,
        title=v.heading,
        filters=v.applied,
        source=_("Chatbot Watch · data as of {as_of} · version {version}").format(as_of=v.as_of, version=v.version),
        width=IMAGE_WIDTH,
    )


CARD_COLOURS = {"in_force": "#D55E00", "open": "#E69F00", "closed": "#999999", "confirmed": "#0072B2",
                "declared": "#009E73", "claimed": "#CC79A7"}  # fmt: skip


def record_card(con: queries.Con, v: View) -> dict[str, Any] | None:
    """A finding's or an action's preview card (Vega-Lite text, 1100 x 578): its id and kind, its
    title, its claim in one sentence, its status or evidence, its main source, and the source line;
    None for an app's or a company's record (they keep the map)."""
    raw = dict(parse_qsl(v.canonical.partition("?")[2])).get("id", "")
    matches = recordpage.resolve_record(con, raw) if raw else []
    if len(matches) != 1 or matches[0][0] not in ("finding", "action"):
        return None
    kind, record_id = matches[0]
    s = recordpage.record_summary(con, kind, record_id)
    if s is None:
        return None
    head = (_("Finding {id}") if kind == "finding" else _("Government action {id}")).format(id=record_id)
    label = s.get("status") or ""
    status = _(label) if label else ""
    source = _("Main source: {source}").format(source=s["source"]) if s.get("source") else ""
    # Each line: its text, size, weight, colour and the gap to the next.
    lines: list[tuple[str, int, str, str, int]] = [(head, 26, "normal", "#555555", 40)]
    for part in charts_lines(v.heading, 44):
        lines.append((part, 40, "bold", "#111111", 52))
    for part in charts_lines(record_view.claim(s), 62):
        lines.append((part, 26, "normal", "#222222", 36))
    lines.append((status, 30, "bold", CARD_COLOURS.get(s.get("status_class") or "", "#444444"), 52))
    if source:
        lines.append((source, 22, "normal", "#444444", 40))
    y, rows = 40, []
    for text, size, weight, colour, gap in lines[:12]:
        rows.append({"text": text, "y": y, "size": size, "weight": weight, "colour": colour})
        y += gap
    footer = _("Chatbot Watch · data as of {as_of} · version {version}").format(as_of=v.as_of, version=v.version)
    rows.append({"text": footer, "y": 540, "size": 20, "weight": "normal", "colour": "#555555"})
    spec: dict[str, Any] = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": IMAGE_WIDTH,
        "height": 578,
        "background": "#ffffff",
        "data": {"values": rows},
        "mark": {"type": "text", "align": "left", "baseline": "top", "x": 40},
        "encoding": {
            "y": {"field": "y", "type": "quantitative", "scale": {"domain": [0, 578], "range": [0, 578]}, "axis": None},
            "text": {"field": "text"},
            "size": {"field": "size", "type": "quantitative", "scale": None, "legend": None},
            "color": {"field": "colour", "type": "nominal", "scale": None, "legend": None},
            "fontWeight": {"field": "weight", "type": "nominal", "legend": None},
        },
        "config": {"view": {"stroke": None}, "padding": 0},
    }
    # Names and quotes mix scripts whatever the language: one face that covers them all, so no line
    # falls back to another face (Noto Sans CJK draws Latin too).
    spec["config"]["font"] = charts.ARTICLE_FONTS.get(i18n.current(), "Noto Sans CJK KR, sans-serif")
    return spec


def charts_lines(text: str, width: int) -> list[str]:
    """`text` on lines of at most `width` characters (CJK text, without spaces, cut by characters)."""
    parts = charts.lines(text, width)
    if isinstance(parts, str):
        parts = [parts[i : i + width] for i in range(0, len(parts), width)] if len(parts) > width else [parts]
    return parts[:4]


_RENDER_LOCK = threading.Lock()
_IMAGES: Memo[bytes] = Memo(IMAGE_ENTRIES, IMAGE_BYTES, weigh=len)


def image_key(v: View) -> tuple[Any, ...]:
    """What the view's image is made of (chart_spec's inputs): its page, filters, heading, applied
    filters, as-of date, data version and language. Views that share these share one image."""
    return (v.page, v.filters, v.heading, v.applied, v.as_of, v.version, v.lang)


def kept_png(key: tuple[Any, ...]) -> bytes | None:
    """The image for `key` if it has been made and is still kept, else None."""
    return _IMAGES.peek(key)


def render(spec: dict[str, Any]) -> bytes:
    """A Vega-Lite spec as PNG (vl-convert, offline)."""
    import vl_convert

    return vl_convert.vegalite_to_png(spec, scale=1)


def image_png(con: queries.Con, v: View) -> bytes:
    """The PNG of the view's main chart, rendered once per `image_key`: renders run one at a time
    (each takes about half a second of CPU), and a request that waited for another's render of the
    same image gets that one."""
    key = image_key(v)
    kept = _IMAGES.peek(key)
    if kept is not None:
        return kept
    with _RENDER_LOCK:
        return _IMAGES.get(key, lambda: render(chart_spec(con, v)))


def robots_txt(base_url: str) -> str:
    """Every page may be crawled; Streamlit's internals and the API (for scripts) are left out."""
    lines = ["User-agent: *", "Allow: /", "Disallow: /_stcore/", "Disallow: /api/"]
    if base_url:
        lines.append(f"Sitemap: {base_url}/sitemap.xml")
    return "\n".join(lines) + "\n"


def sitemap_paths(con: queries.Con) -> list[str]:
    """Every page, country, app, company and record page (site-relative, canonical)."""
    out = [path for path, page in PAGES.items() if page.key != "record"]
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
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{SITEMAP_NS}">\n' + urls + "</urlset>\n"


def sitemap_files(site_paths: list[str], lastmod: str) -> list[str]:
    """The urlset files of a sitemap, SITEMAP_URLS paths each (at least one file), with BASE_MARK
    where the site's address goes (`with_base`)."""
    per = max(1, SITEMAP_URLS)
    chunks = [site_paths[i : i + per] for i in range(0, len(site_paths), per)] or [[]]
    return [sitemap_xml(BASE_MARK, chunk, lastmod) for chunk in chunks]


def language_count(site_paths: Sequence[str]) -> int:
    """How many URLs the sitemap lists: every page in each of the site's languages."""
    return len(site_paths) * len(i18n.LANGUAGES)


def file_count(site_paths: Sequence[str]) -> int:
    """How many files of at most SITEMAP_URLS URLs the sitemap of every language needs (at least one)."""
    return max(1, -(-language_count(site_paths) // max(1, SITEMAP_URLS)))


def language_file(site_paths: Sequence[str], n: int, lastmod: str) -> str:
    """The n-th file (1-based) of the sitemap listing each page in every language (`/apps?app=x`,
    then `/apps?app=x&lang=ko` ...), made when asked for: only the paths are kept, in English."""
    per, langs = max(1, SITEMAP_URLS), list(i18n.LANGUAGES)
    start = (n - 1) * per
    urls = (
        i18n.with_lang(site_paths[i // len(langs)], langs[i % len(langs)])
        for i in range(start, min(start + per, language_count(site_paths)))
    )
    return sitemap_xml(BASE_MARK, urls, lastmod)


def with_base(text: str, base_url: str) -> str:
    """A built sitemap file with the site's address in every URL."""
    return text.replace(BASE_MARK, escape(base_url))


def sitemap_index(base_url: str, files: int, lastmod: str) -> str:
    """A sitemaps.org index naming `/sitemap-1.xml` to `/sitemap-<files>.xml`."""
    entries = "".join(
        f"<sitemap><loc>{escape(base_url)}/sitemap-{n}.xml</loc><lastmod>{escape(lastmod)}</lastmod></sitemap>\n"
        for n in range(1, files + 1)
    )
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{SITEMAP_NS}">\n{entries}</sitemapindex>\n'

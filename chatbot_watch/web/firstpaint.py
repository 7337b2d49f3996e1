"""The plain HTML rendering of a view (views.View): the server-rendered page inside Streamlit's own
index.html, and the static edition's pages (publish.py).

`page_html` writes a view into Streamlit's index.html: a specific <title>, meta description,
canonical URL and link-preview tags in <head>, and in `#root` the page's heading, question, date
line, figures, the first rows of each of its tables (record ids linking to their pages) and of each
chart's data, under the chart's title and caption. It is
visible before any script runs and readable with JavaScript off; React replaces the children of
`#root` when the app mounts. Every value from the data or the URL goes through `html.escape`; only
http(s) links and the site's own paths become links.
"""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qsl, urlencode

from chatbot_watch import i18n
from chatbot_watch.i18n import N_, _
from chatbot_watch.views import PAGES, Chart, Table, View

FIRST_ROWS = 15

e = html.escape

# The system's sans-serif font, not Streamlit's "Source Sans": Streamlit declares that one with
# `font-display: block`, so text in it stays invisible until the font file has arrived (issue 26).
STYLE = """<style>
.cw-fp{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;color:#111111;max-width:1100px;
margin:0 auto;padding:2.5rem 1.5rem 4rem;line-height:1.5}
.cw-fp a{color:#0072B2}.cw-fp nav a{margin-right:1rem}
.cw-fp h1{font-size:2.4rem;margin:.6rem 0 .2rem}.cw-fp h2{font-size:1.4rem;margin:1.6rem 0 .4rem}
.cw-fp h3{font-size:1.15rem;margin:1.2rem 0 .3rem}
.cw-fp .cw-q{color:#444}.cw-fp .cw-note{color:#444;font-size:.95rem}
.cw-fp dl{display:flex;flex-wrap:wrap;gap:1.5rem;margin:1rem 0}.cw-fp dl div{min-width:10rem}
.cw-fp dt{font-size:.9rem;color:#444}.cw-fp dd{margin:0;font-size:2rem}
.cw-fp table{border-collapse:collapse;width:100%;font-size:.9rem;display:block;overflow-x:auto}
.cw-fp th,.cw-fp td{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
.cw-fp td:first-child{white-space:nowrap}
.cw-fp .cw-langs a{margin-right:.8rem}.cw-fp .cw-langs a[aria-current]{font-weight:700}
.cw-fp .cw-warn{background:#fff4e5;padding:.4rem .6rem;border-radius:.3rem}
</style>"""


def _safe_href(href: str) -> str | None:
    if href.startswith("/") and not href.startswith("//"):
        return href
    if re.match(r"https?://", href):
        return href
    return None


def _cell(table: Table, row: dict[str, str], col: str) -> str:
    text = e(row.get(col, ""))
    if col in table.links and row.get(col):
        href = _safe_href(table.links[col](row))
        if href:
            return f'<a href="{e(href)}">{text}</a>'
    return text


LOADING_NOTE = N_("The interactive page (charts, filters, downloads) is loading.")
TRANSLATION_NOTE = N_(
    "This page is translated by Chatbot Watch; the data's quotes stay in their own language. Report a "
    "translation mistake with the corrections form of any record page."
)


def _figures(v: View, group: str) -> str:
    shown = v.figures_of(group)
    if not shown:
        return ""
    return "<dl>" + "".join(f"<div><dt>{e(f.label)}</dt><dd>{e(f.value)}</dd></div>" for f in shown) + "</dl>"


def _table(t: Table, level: str = "h2") -> str:
    out = [f"<section><{level}>{e(t.caption)}</{level}>"]
    if t.note:  # what the table leaves out, and its order, beside it
        out.append(f'<p class="cw-note">{e(t.note)}</p>')
    rows = t.rows(None if t.whole else FIRST_ROWS)
    if not rows:
        nothing = _("Nothing matches these filters.")
        out.append(f'<p class="cw-note">{e(nothing)}</p></section>')
        return "".join(out)
    cols = t.shown
    head = "".join(f'<th scope="col">{e(h)}</th>' for _c, h in cols)
    body = "".join("<tr>" + "".join(f"<td>{_cell(t, r, c)}</td>" for c, _h in cols) + "</tr>" for r in rows)
    out.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
    if t.total > len(rows):
        note = _("The first {shown} of {total} rows; the app lists them all.").format(shown=len(rows), total=t.total)
        out.append(f'<p class="cw-note">{e(note)}</p>')
    out.append("</section>")
    return "".join(out)


def _chart(ch: Chart) -> str:
    """A chart of the view as what it draws: its title, its caption and its data's first rows (the
    chart itself is drawn by the app)."""
    if ch.empty and ch.instead:
        return f'<section><h2>{e(ch.title)}</h2><p class="cw-note">{e(ch.instead)}</p></section>'
    return _table(ch.table)


def lang_url(canonical: str, lang: str) -> str:
    """The view's address (`canonical`, in any language) in `lang`."""
    path, _sep, query = canonical.partition("?")
    params = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k != "lang"]
    if lang != i18n.DEFAULT:
        params.append(("lang", lang))
    return path + ("?" + urlencode(params) if params else "")


def languages_html(v: View) -> str:
    """The language switcher: the same view in each language, each named in itself."""
    links = [
        f'<a href="{e(lang_url(v.canonical, k))}" hreflang="{e(k)}" lang="{e(k)}"'
        + (' aria-current="true"' if k == v.lang else "")
        + f">{e(name)}</a>"
        for k, name in i18n.LANGUAGES.items()
    ]
    label = _("Languages")
    return f'<nav aria-label="{e(label)}" class="cw-langs">{" ".join(links)}</nav>'


def body_html(v: View, closing: str | None = None) -> str:
    """The view as semantic HTML for `#root` (escaped), in the view's language. `closing` (HTML,
    ours) replaces the last sentence, which says the interactive page is loading (the static
    edition links to it instead)."""
    with i18n.using(v.lang):
        return _body_html(v, closing)


def _body_html(v: View, closing: str | None) -> str:
    nav = " ".join(f'<a href="{e(i18n.with_lang(path))}">{e(_(page.title))}</a>' for path, page in PAGES.items())
    pages = _("Pages")
    out = [
        '<main class="cw-fp" id="cw-first-paint">',
        f'<header><p><strong>{e(v.site)}</strong></p><nav aria-label="{e(pages)}">{nav}</nav>'
        f"{languages_html(v)}</header>",
        f"<h1>{e(v.heading)}</h1>",
        f'<p class="cw-q">{e(v.question)} <strong>{e(v.date_line)}.</strong></p>',
    ]
    if v.lang != i18n.DEFAULT:
        out.append(f'<p class="cw-note">{e(_(TRANSLATION_NOTE))}</p>')
    if v.applied:
        applied = _("Filters applied here: {filters}.").format(filters=v.applied)
        out.append(f'<p class="cw-note">{e(applied)}</p>')
    for n in v.notices:
        out.append(f'<p class="cw-warn" role="status">{e(n)}</p>')
    if v.sentences:
        out.append("<ul>" + "".join(f"<li>{e(s)}</li>" for s in v.sentences) + "</ul>")
    out.append(_figures(v, ""))
    out.extend(_table(t) for t in v.tables if not t.group)
    out.extend(_chart(ch) for ch in v.charts if not ch.group)
    for group, name in v.groups:
        out.append(f"<section><h2>{e(name)}</h2>{_figures(v, group)}")
        out.extend(_table(t, "h3") for t in v.tables if t.group == group)
        out.append("</section>")
    version = _("Data version {version}.").format(version=v.version)
    same = _("The same rows as JSON and CSV:")
    api = _("the HTTP API")
    out.append(
        f'<p class="cw-note">{e(version)} {e(same)} '
        f'<a href="/api/v1/openapi.json">{e(api)}</a>. {closing or e(_(LOADING_NOTE))}</p></main>'
    )
    return "".join(out)


def head_html(v: View, base_url: str, image_url: str | None = None) -> str:
    """<title>, description, canonical and link-preview tags (Open Graph, Twitter card); the image
    is the live site's unless `image_url` names another copy (the static edition's)."""
    url = base_url + v.canonical
    image = image_url or base_url + v.image
    with i18n.using(v.lang):
        alt = _("Chart: {heading}, data as of {as_of}").format(heading=v.heading, as_of=v.as_of)
    # The same view in every language (hreflang alternates); English is also the default.
    alternates = [
        f'<link rel="alternate" hreflang="{e(k)}" href="{e(base_url + lang_url(v.canonical, k))}" />'
        for k in i18n.LANGUAGES
    ]
    alternates.append(
        f'<link rel="alternate" hreflang="x-default" href="{e(base_url + lang_url(v.canonical, i18n.DEFAULT))}" />'
    )
    tags = [
        f"<title>{e(v.title)}</title>",
        f'<meta name="description" content="{e(v.description)}" />',
        f'<link rel="canonical" href="{e(url)}" />',
        '<meta property="og:type" content="website" />',
        f'<meta property="og:site_name" content="{e(v.site)}" />',
        f'<meta property="og:title" content="{e(v.title.removesuffix(" - " + v.site))}" />',
        f'<meta property="og:description" content="{e(v.description)}" />',
        f'<meta property="og:url" content="{e(url)}" />',
        f'<meta property="og:image" content="{e(image)}" />',
        '<meta property="og:image:type" content="image/png" />',
        f'<meta property="og:image:alt" content="{e(alt)}" />',
        '<meta name="twitter:card" content="summary_large_image" />',
        f'<meta name="twitter:title" content="{e(v.title.removesuffix(" - " + v.site))}" />',
        f'<meta name="twitter:description" content="{e(v.description)}" />',
        f'<meta name="twitter:image" content="{e(image)}" />',
        *alternates,
        STYLE,
    ]
    return "\n    ".join(tags)


_TITLE = re.compile(r"<title>.*?</title>", re.S)
_HTML_LANG = re.compile(r"<html\b[^>]*>", re.I)
_NOSCRIPT = re.compile(r"<noscript>.*?</noscript>", re.S)
ROOT_DIV = '<div id="root"></div>'


def page_html(index_html: str, v: View, base_url: str) -> str:
    """Streamlit's index.html with the view in <head> and in `#root`."""
    assert ROOT_DIV in index_html, "Streamlit's index.html no longer has an empty #root"
    out = _TITLE.sub(lambda _m: head_html(v, base_url), index_html, count=1)
    out = _HTML_LANG.sub(lambda _m: f'<html lang="{e(i18n.html_lang(v.lang))}">', out, count=1)
    with i18n.using(v.lang):
        text = _(
            "JavaScript is off: this is the page's content as the server wrote it. The interactive "
            "charts, filters and downloads need JavaScript; the data is also at /api/v1/."
        )
    note = f"<noscript><p>{e(text)}</p></noscript>"
    out = _NOSCRIPT.sub(lambda _m: note, out, count=1)
    return out.replace(ROOT_DIV, f'<div id="root">{body_html(v)}</div>', 1)

"""Embedding a view, or one chart or table of it, in an article (issue 24, item 7).

- The parts a page can embed alone are its view's charts and tables, by their names
  (views.Chart.name, views.Table.name). `?embed=true&part=<name>` shows that part alone, sized to it
  (`part_height`), with its date line and a link to the whole view.
- A page opened in a frame without embed mode (the browser says `Sec-Fetch-Dest: iframe`) cannot
  render: the site forbids framing outside embed mode (web.content_security_policy). Such a request
  gets a small page that may be framed and says how to embed instead, with a link opening the page
  in a new tab (`FramedNoticeMiddleware`), rather than the browser's broken-frame icon.
"""

from __future__ import annotations

import html
from urllib.parse import parse_qs, urlencode

from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from chatbot_watch import i18n, views
from chatbot_watch.i18n import _

# Pixels around an embedded chart (date line, heading, tabs, title, caption, downloads) and around
# a table (date line, caption, note, headings, the links line); a legend below the chart (the map's).
CHART_FRAME = 420
LEGEND_BELOW = {"map": 260}
TABLE_FRAME = 300
TABLE_ROWS_SHOWN = 15  # rows an embedded table shows before it scrolls
ROW_HEIGHT = 35
FRAMED_DESTS = ("iframe", "frame")
NOTICE_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors *"


def part_height(rows: int | None = None, chart: str = "", chart_height: int = 0) -> int:
    """The height of an iframe showing a table of `rows` rows, or `chart` drawn `chart_height` high."""
    if rows is None:
        return CHART_FRAME + chart_height + LEGEND_BELOW.get(chart, 0)
    return TABLE_FRAME + ROW_HEIGHT * max(1, min(rows, TABLE_ROWS_SHOWN))


def part_url(page_url: str, part: str) -> str:
    """The address of one part of a view (`page_url`: the view's, with its filters) in embed mode."""
    return page_url + ("&" if "?" in page_url else "?") + urlencode({"embed": "true", "part": part})


def iframe(page_url: str, part: str, title: str, height: int) -> str:
    """The HTML an article pastes: an iframe of that part alone, sized to it (escaped)."""
    src = html.escape(part_url(page_url, part), quote=True)
    label = html.escape(f"Chatbot Watch: {title}", quote=True)
    return (
        f'<iframe src="{src}" title="{label}" width="100%" height="{height}" style="border:0" loading="lazy"></iframe>'
    )


def framed_without_embed(scope: Scope) -> bool:
    """A page asked for inside a frame (`Sec-Fetch-Dest: iframe`) without `embed=true`."""
    if scope.get("type") != "http" or scope.get("path", "") not in views.PAGES:
        return False
    if Headers(scope=scope).get("sec-fetch-dest", "").lower() not in FRAMED_DESTS:
        return False
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    return not any(v.lower() == "true" for v in query.get("embed", []))


def notice_html(path: str, query: str) -> str:
    """The framable page that says how to embed `path?query` (escaped; no script, no form)."""
    params = parse_qs(query)
    lang = i18n.parse_lang((params.get("lang") or [""])[0]) or i18n.DEFAULT
    with i18n.using(lang):
        page = views.PAGES[path]
        address = path + (f"?{query}" if query else "")  # the page as asked for, opened outside the frame
        texts = {
            "title": _("This page cannot be shown inside a frame"),
            "why": _(
                "To embed Chatbot Watch in an article, open the page and use “Embed this chart” or “Embed this "
                "table” next to a chart or a table: it gives an iframe of that chart or table alone, sized to it. "
                "The whole page can be embedded with embed=true in its address (“Cite this view” gives the code)."
            ),
            "open": _("Open “{page}” in a new tab").format(page=_(page.title)),
        }
        e = html.escape
        return (
            f'<!doctype html><html lang="{e(lang)}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<meta name="robots" content="noindex"><title>{e(texts["title"])}</title>'
            "<style>body{font:16px/1.5 system-ui,sans-serif;margin:1.5rem;color:#222}"
            "a{color:#0b57d0}</style></head><body>"
            f'<h1 style="font-size:1.2rem">{e(texts["title"])}</h1><p>{e(texts["why"])}</p>'
            f'<p><a href="{e(address, quote=True)}" target="_blank" rel="noopener">{e(texts["open"])}</a></p>'
            "</body></html>"
        )


class FramedNoticeMiddleware:
    """Answers a page asked for inside a frame without embed mode with `notice_html` (framable)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not framed_without_embed(scope) or scope.get("method") not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        query = scope.get("query_string", b"").decode("latin-1")
        body = notice_html(scope["path"], query).encode("utf-8")
        response = Response(
            b"" if scope["method"] == "HEAD" else body,
            media_type="text/html; charset=utf-8",
            headers={
                "Content-Security-Policy": NOTICE_CSP,
                "Cache-Control": "no-cache",
                "Vary": "Sec-Fetch-Dest",
                "Content-Length": str(len(body)),
            },
        )
        await response(scope, receive, send)

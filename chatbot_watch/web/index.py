"""Streamlit's own index.html, made ready to hold a server-rendered first paint: its stylesheet
after `#root` and its scripts started after the first frame (both measured in docs/benchmarks.md).
Read once, when first asked for."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path


def _index_path() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("streamlit")
    assert spec is not None and spec.origin is not None
    return Path(spec.origin).parent / "static" / "index.html"


_STYLESHEET = re.compile(r'\s*<link rel="stylesheet"[^>]*>')


def stylesheet_after_root(index_html: str) -> str:
    """Streamlit's index.html with its one stylesheet link moved from <head> to just after #root.

    In <head>, after the 58 preloaded scripts, the stylesheet holds every paint until it has
    arrived, the server-rendered first paint included (measured: first content 0.9-1.75x
    Datasette, against 0.7-1.1x with the link after #root; docs/benchmarks.md). After #root it
    holds only what follows it; the app's scripts still wait for it before they run."""
    link = _STYLESHEET.search(index_html)
    if link is None or '<div id="root"></div>' not in index_html:
        return index_html  # another Streamlit layout: leave it as it is
    moved = index_html.replace(link.group(0), "", 1)
    return moved.replace('<div id="root"></div>', '<div id="root"></div>' + link.group(0).strip(), 1)


_MODULE_SCRIPT = re.compile(r'\s*<script type="module" crossorigin src="([^"]+)"></script>')
_MODULE_PRELOAD = re.compile(r'\s*<link rel="modulepreload" crossorigin href="([^"]+)">')
# Starts the app's scripts once the first frame is drawn, or after START_MS if no frame comes (a
# tab opened in the background draws none until it is shown).
_BOOT = (
    "(()=>{let done=false;const go=()=>{if(done)return;done=true;const h=document.head;"
    'for(const u of %s){const l=document.createElement("link");l.rel="preload";l.as="font";'
    'l.type="font/woff2";l.crossOrigin="";l.href=u;h.appendChild(l)}'
    'for(const u of %s){const l=document.createElement("link");l.rel="modulepreload";l.crossOrigin="";'
    'l.href=u;h.appendChild(l)}const s=document.createElement("script");s.type="module";s.crossOrigin="";'
    "s.src=%s;h.appendChild(s)};requestAnimationFrame(()=>setTimeout(go,0));setTimeout(go,%d)})()"
)
# Streamlit's preload of its "Source Sans" font (in <head>): it delayed the first frame with content
# (measured, docs/benchmarks.md), so it is started with the scripts instead (issue 26, item 7).
_FONT_PRELOAD = re.compile(r'\s*<link\s+rel="preload"\s+href="([^"]+)"\s+as="font"[^>]*>')
START_MS = 250


def scripts_after_first_frame(index_html: str) -> str:
    """Streamlit's index.html with its module script and its 58 `modulepreload` links started by a
    small inline script once the first frame is drawn, instead of from <head>.

    From <head> the browser fetches and compiles the app's JavaScript (about 1 MB) while it parses
    the page, and draws the server-rendered first paint only after that: at about 300-400 ms on
    this machine against Datasette's 220-290 ms. Started after the first frame, the first paint
    shows at about 180 ms, and the app is fully drawn as soon as before (bench.mount_whatif,
    docs/benchmarks.md). The inline script is allowed by its hash in the Content-Security-Policy.

    Streamlit's preload of its font moves into the same script: with it in <head>, a record page's
    content came into view later (median 290 ms against 223 ms, same rounds), and its first content
    with the first paint in the system's font went from 1.3-1.4x Datasette's row page to 1.06-1.13x
    (docs/benchmarks.md, issue 26)."""
    script = _MODULE_SCRIPT.search(index_html)
    preloads = _MODULE_PRELOAD.findall(index_html)
    if script is None or "</body>" not in index_html:
        return index_html  # another Streamlit layout: leave it as it is
    fonts = _FONT_PRELOAD.findall(index_html)
    out = _FONT_PRELOAD.sub("", _MODULE_PRELOAD.sub("", index_html.replace(script.group(0), "", 1)))
    boot = _BOOT % (json.dumps(fonts), json.dumps(preloads), json.dumps(script.group(1)), START_MS)
    return out.replace("</body>", f"<script>{boot}</script>\n  </body>", 1)


@cache
def index_html() -> str:
    """Streamlit's index.html as every page answer starts from (read once per process)."""
    return scripts_after_first_frame(stylesheet_after_root(_index_path().read_text(encoding="utf-8")))

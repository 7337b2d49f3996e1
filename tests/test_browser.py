"""The real server in a real browser (Debian's Chromium): deep links, filters in the URL across
pages, the map click, downloads, phone width, and nothing leaving localhost.

No test sleeps: after loading a page or doing something that makes the app rerun, a test waits
until the server reports a script run completed (read from the app's websocket) and the page
shows it (`Visit.goto`, `Visit.rerun`, `Visit.idle`)."""

from __future__ import annotations

import csv
import html as html_lib
import io
import re
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, WebSocket
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from chatbot_watch.store import duck
from chatbot_watch.tools.devserver import chromium, poll
from tests.conftest import Site

# How long a wait may take before the test fails: generous, since CI shares two cores between two
# test workers, their servers and browsers (a 15 s wait once ran out on a page that did draw).
WAIT_MS = 60_000
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
# Streamlit's frontend probes these under a deep link's path before finding the server root.
KNOWN_PROBES = ("/_stcore/health", "/_stcore/host-config")
# Drawn: every chart (one per "Table" tab) has its SVG, and no loading skeleton is left.
DRAWN = """() => {
    const tabs = [...document.querySelectorAll('[role=tab]')].filter(t => t.textContent.trim() === 'Table').length;
    return document.querySelectorAll('[data-testid=stVegaLiteChart] svg.marks').length >= tabs
        && document.querySelector('[data-testid=stSkeleton]') === null;
}"""


def _completes_a_run(payload: bytes | str) -> bool:
    """Whether a websocket frame from the server says a script run finished (a run cut short by the
    next one, e.g. by st.switch_page, does not count). Such frames are small: big ones are skipped
    unparsed."""
    if isinstance(payload, str) or len(payload) > 1024:
        return False
    msg = ForwardMsg()
    msg.ParseFromString(payload)
    return msg.WhichOneof("type") == "script_finished" and msg.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY


@dataclass
class Visit:
    page: Page
    base: str
    problems: list[str] = field(default_factory=list)
    sockets: list[WebSocket] = field(default_factory=list)
    runs: int = 0  # script runs completed, as the server reported them

    def watch(self, ws: WebSocket) -> None:
        if urlsplit(ws.url).path.endswith("/_stcore/stream"):
            self.sockets.append(ws)
            ws.on("framereceived", self._frame)

    def _frame(self, payload: bytes | str) -> None:
        if _completes_a_run(payload):
            self.runs += 1

    def _run_completed_since(self, mark: int) -> None:
        """Wait until a script run has completed after `mark` (a value of `runs`)."""
        if self.runs <= mark:
            # Returns at the first frame after which the count has moved; frames that came
            # before this call were counted already (events are only delivered inside calls).
            self.sockets[-1].wait_for_event("framereceived", predicate=lambda _f: self.runs > mark, timeout=WAIT_MS)

    def goto(self, path: str) -> None:
        mark = self.runs
        self.page.goto(self.base + path)
        self.page.wait_for_selector(IDLE, timeout=WAIT_MS)  # a first run has ended: the socket is open
        self._run_completed_since(mark)
        self.idle()

    @contextmanager
    def rerun(self) -> Iterator[None]:
        """Around an action that makes the app rerun: afterwards, wait for a run started by it to
        complete and for the page to show it."""
        mark = self.runs
        yield
        self._run_completed_since(mark)
        self.idle()

    def idle(self) -> None:
        """Wait until no script runs and the page is drawn; no exception is shown."""
        self.page.wait_for_selector(IDLE, timeout=WAIT_MS)
        poll(self.page, DRAWN)
        assert self.page.locator('[data-testid="stException"]').count() == 0

    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.page.url).query)

    def text(self) -> str:
        return self.page.locator('[data-testid="stMain"]').inner_text()


@pytest.fixture
def server(real_site: Site) -> str:
    return real_site.url


@pytest.fixture
def db(real_site: Site) -> Path:
    """The database the server serves (expected values are read from it)."""
    return real_site.db


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with chromium() as b:
        yield b


@pytest.fixture(scope="session")
def context(browser: Browser) -> Iterator[BrowserContext]:
    """One browser context per session (per worker): its tests' pages share its HTTP cache, so
    Streamlit's scripts are fetched and compiled once, as for a returning reader (a fifth less
    work per page here). Pages are never cached (no-cache); each test leaves no other page, cookie
    or stored value behind (`_visit`)."""
    c = browser.new_context(viewport={"width": 1280, "height": 1000}, accept_downloads=True)
    yield c
    c.close()


# The context's one tab, which each test opens its pages in (from about:blank, with no cookie or
# stored value): a new document in the same tab costs Chromium about half the CPU of a new tab,
# whose renderer starts cold (2.0 s against 4.1 s a page load, measured on the real data). A tab a
# test could not bring back to about:blank is closed, and the next test opens a new one.
_TAB: list[Page] = []


def _tab(context: BrowserContext) -> Page:
    if _TAB and (_TAB[0].is_closed() or _TAB[0].context is not context):
        _TAB.clear()
    if not _TAB:
        _TAB.append(context.new_page())
    return _TAB[0]


def _visit(context: BrowserContext, server: str, width: int = 1280, height: int = 1000) -> Iterator[Visit]:
    page = _tab(context)
    assert context.pages == [page] and page.url == "about:blank"
    page.set_viewport_size({"width": width, "height": height})
    v = Visit(page, server)
    host = urlsplit(server).netloc

    def on_request(req) -> None:  # noqa: ANN001
        if urlsplit(req.url).netloc not in (host, "") and not req.url.startswith(("data:", "blob:")):
            v.problems.append(f"request left localhost: {req.url}")

    def on_console(msg) -> None:  # noqa: ANN001
        if msg.type == "error" and not any(p in (msg.location or {}).get("url", "") for p in KNOWN_PROBES):
            v.problems.append(f"console error: {msg.text} at {msg.location}")

    def on_dialog(d) -> None:  # noqa: ANN001
        v.problems.append(f"dialog: {d.message}")
        d.dismiss()

    def on_pageerror(e) -> None:  # noqa: ANN001
        v.problems.append(f"page error: {e}")

    handlers = {
        "websocket": v.watch,
        "request": on_request,
        "console": on_console,
        "dialog": on_dialog,
        "pageerror": on_pageerror,
    }
    for event, handler in handlers.items():
        page.on(event, handler)
    yield v
    # Nothing for the next test: the app keeps sidebar state in localStorage; the tab loses this
    # test's handlers (what it says from now on is not this test's, as when it was closed) and goes
    # back to about:blank, which ends its app session.
    for event, handler in handlers.items():
        page.remove_listener(event, handler)
    try:
        if urlsplit(page.url).netloc == host:
            page.evaluate("() => { localStorage.clear(); sessionStorage.clear(); }")
        page.goto("about:blank")
    except Exception:  # noqa: BLE001 - a tab in a bad state is not reused
        page.close()
    for p in context.pages:
        if p is not page:
            p.close()
    context.clear_cookies()
    assert v.problems == []


@pytest.fixture
def visit(context: BrowserContext, server: str) -> Iterator[Visit]:
    yield from _visit(context, server)


@pytest.fixture
def phone(context: BrowserContext, server: str) -> Iterator[Visit]:
    yield from _visit(context, server, width=390, height=844)


AXE = Path(__file__).resolve().parent.parent / "build" / "axe-core-4.14.1" / "axe.min.js"

DEEP_LINKS = [
    ("/", "Chatbot Watch", "Where chatbot apps are restricted"),
    ("/flows?app=deepseek", "Data flows", "All matching flows"),
    ("/restrictions?country=IT", "Restrictions", "All matching actions"),
    ("/countries?country=KR", "South Korea", "What South Korea's regulators and agencies found"),
    ("/apps?app=deepseek", "DeepSeek", "Where it is restricted"),
    ("/companies", "Companies", "Ownership chain"),
    ("/about", "About the data", "Evidence scale"),
]


@pytest.mark.parametrize(("path", "title", "text"), DEEP_LINKS)
def test_a_deep_link_shows_its_page_accessibly_and_what_a_reader_does_there_works(
    visit: Visit, db: Path, path: str, title: str, text: str
) -> None:
    """The page a deep link opens: drawn over its first paint, under the CSP, with its own tab title,
    no serious accessibility violation; then what a reader does next on that page (AT_A_DESK)."""
    assert AXE.exists(), "axe-core missing: run `bash scripts/ensure_axe.sh` (make test does)"
    visit.page.add_init_script(CSP_LISTENER)
    visit.goto(path)  # drawn: no loading skeleton left (axe would judge a half-drawn page)
    assert visit.page.locator("#cw-first-paint").count() == 0  # React drew the app over the first paint
    assert visit.page.locator("h1").first.inner_text().strip() == title
    # The app ran, and Vega drew every chart, under the site's Content Security Policy.
    assert visit.page.evaluate("window.__csp || []") == []
    assert_the_tab_keeps_the_served_title(visit, path)
    assert text in visit.text()
    assert "Newest event recorded: " in visit.text() and "sources reviewed up to " in visit.text()
    nav = visit.page.locator('[data-testid="stSidebarNavLink"]').all_inner_texts()
    assert any("Restrictions" in n for n in nav) and any("About the data" in n for n in nav)
    # Accessibility: axe-core (from the npm registry, see scripts/ensure_axe.sh) on the same page.
    assert visit.page.evaluate("document.documentElement.lang") == "en"
    # Run by the test harness (DevTools), not as an inline script the page's CSP rightly blocks.
    visit.page.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")
    violations = visit.page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
            .filter(v => v.impact === 'critical' || v.impact === 'serious')
            .map(v => v.id + ': ' + v.help + ' @ ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(' | '))"""
    )
    assert violations == []
    # Every chart announces its title to assistive technology, and sits beside a Table tab
    # holding the same data (its text alternative).
    charts = visit.page.locator('[data-testid="stVegaLiteChart"]')
    for i in range(charts.count()):
        titles = charts.nth(i).locator('[aria-roledescription="title"]')
        assert titles.count() == 1 and "Title text" in (titles.first.get_attribute("aria-label") or "")
    assert visit.page.get_by_role("tab", name="Table").count() == charts.count()
    for step in AT_A_DESK.get(path, ()):
        step(visit, db)


def test_filters_survive_sidebar_navigation_and_back(visit: Visit) -> None:
    visit.goto("/restrictions?country=KR")
    with visit.rerun():
        visit.page.locator('[data-testid="stSidebarNavLink"]', has_text="Data flows").click()
    assert urlsplit(visit.page.url).path == "/flows"
    assert visit.query() == {"country": ["KR"]}
    assert "filters: country=KR" in visit.text()
    with visit.rerun():
        visit.page.locator('[data-testid="stSidebarNavLink"]', has_text="Countries").click()
    assert visit.query() == {"country": ["KR"]}
    assert visit.page.locator("h1").first.inner_text().strip() == "South Korea"


def _picking_a_country_updates_url_and_content(visit: Visit, db: Path) -> None:
    box = visit.page.locator('[data-testid="stMain"] [data-testid="stSelectbox"]').first
    box.click()
    visit.page.keyboard.type("Italy")
    with visit.rerun():
        visit.page.locator('[role="option"]', has_text="Italy").first.click()
    assert visit.query() == {"country": ["IT"]}
    assert visit.page.locator("h1").first.inner_text().strip() == "Italy"
    con = duck.connect(db)
    n = con.execute("SELECT count(*) FROM actions WHERE country_code = 'IT'").fetchone()[0]
    con.close()
    figure = visit.page.locator('[data-testid="stMetric"]', has_text="Actions recorded").first
    assert figure.locator('[data-testid="stMetricValue"]').inner_text().strip() == str(n)


def test_a_date_range_from_the_url_shows_in_the_sidebar_and_a_typed_date_or_country_applies_on_enter(
    visit: Visit,
) -> None:
    visit.goto("/restrictions?since=2025-01-01")
    assert "filters: since=2025-01-01" in visit.text()
    boxes = visit.page.locator('[data-testid="stSidebar"] [data-testid="stTextInput"] input')
    assert [boxes.nth(i).input_value() for i in (1, 2)] == ["2025-01-01", ""]  # 0 is the search box
    # A month typed over it applies on Enter, from its first day (the same page, opened once).
    box = boxes.nth(1)
    box.scroll_into_view_if_needed()
    box.fill("2025-02")
    with visit.rerun():
        box.press("Enter")
    poll(visit.page, "() => location.search.includes('since=2025-02-01')")
    assert visit.query()["since"] == ["2025-02-01"]
    assert "The date range leaves out" in visit.text()
    # A country typed in the sidebar's picker and Enter picks that country alone (the same page).
    box = visit.page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first
    box.click()
    visit.page.keyboard.type("Italy")
    with visit.rerun():
        visit.page.keyboard.press("Enter")
    assert visit.query()["country"] == ["IT"]  # not "Select 3 matches" (Italy, US Minor Outlying Islands, ...)
    # Issue 24, item 5: the picker takes the first match; countries the data names come first.
    box.click()
    visit.page.keyboard.type("Korea")
    with visit.rerun():
        visit.page.keyboard.press("Enter")
    assert visit.query()["country"] == ["IT", "KR"]  # South Korea, not North Korea


def _clicking_a_country_on_the_map_opens_its_profile(visit: Visit, _db: Path) -> None:
    us = visit.page.locator('[data-testid="stVegaLiteChart"] path[aria-label*="Country: United States;"]').first
    with visit.rerun():  # the click's run opens the country's page; that page's run completes
        us.click(force=True)
    visit.page.wait_for_url("**/countries?country=US", timeout=WAIT_MS)
    assert visit.page.locator("h1").first.inner_text().strip() == "United States"


def _downloaded_csv_chart_images_and_citation_are_of_exactly_the_view_shown(visit: Visit, db: Path) -> None:
    heading = visit.page.locator("h3", has_text="All matching actions").inner_text()
    with visit.page.expect_download() as info:
        visit.page.get_by_role("button", name="Download CSV").click()
    # The file name says the view, the filters and the as-of date; the header is line 1.
    con = duck.connect(db)
    as_of = con.execute("SELECT value FROM meta WHERE key = 'as_of'").fetchone()[0]
    con.close()
    assert info.value.suggested_filename == f"chatbot-watch_restrictions_country-IT_{as_of}.csv"
    path = Path(info.value.path())
    assert pd.read_csv(path)["action_id"].nunique() > 0  # pandas' defaults read it as it is
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    con = duck.connect(db)
    expected = con.execute("SELECT action_id FROM restrictions WHERE country_code = 'IT'").fetchall()
    con.close()
    assert sorted(r["action_id"] for r in rows) == sorted(r[0] for r in expected)
    assert f"({len({r[0] for r in expected})} actions, {len(expected)} rows)" in heading
    assert all(r["country_code"] == "IT" for r in rows)
    # The chart images carry the chart's title, the filters and the source (the same page, opened once).
    with visit.page.expect_download() as info:
        visit.page.get_by_role("button", name="Chart as SVG").first.click()
    svg = Path(info.value.path()).read_text(encoding="utf-8")
    con = duck.connect(db)
    italy = con.execute("SELECT any_value(country_name) FROM app_restrictions WHERE country_code = 'IT'").fetchone()[0]
    con.close()
    # A title in words, the filters by their labels, the view's address (this server has no public one).
    assert svg.startswith("<svg") and f"Government actions on AI chatbot apps in {italy}" in svg
    assert f"Filters: country: {italy}" in svg and "country=IT</" not in svg
    assert "/restrictions?country=IT (no public address is configured for this server)" in svg
    assert "Source: Chatbot Watch," in svg and "CC-BY-4.0" in svg and f"Data as of {as_of}" in svg
    assert info.value.suggested_filename == f"chatbot-watch_restrictions-world-map-spec_country-IT_{as_of}.svg"
    with visit.page.expect_download() as info:
        visit.page.get_by_role("button", name="Chart as PNG").first.click()
    assert Path(info.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # Cite this view: the citation and the embed code of exactly this view.
    visit.page.get_by_role("button", name="Cite this view").click()
    dialog = visit.page.locator('[role="dialog"]')
    dialog.wait_for(timeout=WAIT_MS)
    text = dialog.locator("code").first.inner_text()
    embed = dialog.locator("code").nth(1).inner_text()
    assert embed.startswith(f'<iframe src="{visit.base}/restrictions?country=IT&amp;embed=true"')
    con = duck.connect(db)
    version, as_of = (
        con.execute("SELECT value FROM meta WHERE key = ?", [k]).fetchone()[0] for k in ("data_version", "as_of")
    )
    con.close()
    assert text.startswith("Chatbot Watch, “Restrictions”, data as of ")
    assert f"data as of {as_of} (version {version}), {visit.base}/restrictions?country=IT (accessed " in text


ACTIVE = """() => { const a = document.activeElement;
    return {tag: a.tagName, href: a.getAttribute('href') || '', text: (a.textContent || '').trim()}; }"""


def _a_finding_id_in_a_table_opens_its_record_by_mouse_and_by_keyboard(visit: Visit, db: Path) -> None:
    """A click on a finding's id opens its record in a new tab. Issue 24, item 5: from a table's grid,
    Tab reaches the list of its records' links (one collapsed line), Enter opens it, Tab reaches a real
    link, Enter opens that record's page (the same page, opened once)."""
    grid = visit.page.locator('[data-testid="stDataFrame"]').last
    first_id = grid.locator('[role="gridcell"]').first.inner_text()
    assert first_id.startswith("/record?id=AF-")  # the cell's link; the grid shows its id part
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    visit.page.mouse.move(box["x"] + 25, box["y"] + 52)  # first row, first column: the grid shows a link
    with visit.page.context.expect_page() as opened:
        visit.page.mouse.click(box["x"] + 25, box["y"] + 52)
    record = opened.value
    record.wait_for_selector(IDLE, timeout=WAIT_MS)
    assert record.url.endswith(first_id)
    assert first_id.removeprefix("/record?id=") + ":" in record.locator("h1").first.inner_text()
    record.close()

    con = duck.connect(str(db))
    try:
        ids = [
            r[0] for r in con.execute("SELECT DISTINCT finding_id FROM app_flows WHERE app_id = 'deepseek'").fetchall()
        ]
    finally:
        con.close()
    grid = visit.page.locator('[data-testid="stDataFrame"]').last
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    visit.page.mouse.click(box["x"] + box["width"] / 2, box["y"] + 52)  # a cell that is no link: focus in the grid
    for _step in range(100):
        visit.page.keyboard.press("Tab")
        active = visit.page.evaluate(ACTIVE)
        if active["tag"] == "SUMMARY":
            break
    assert active["tag"] == "SUMMARY", active
    assert f"Links to the {len(ids)} records in this table" in active["text"]
    visit.page.keyboard.press("Enter")
    visit.page.keyboard.press("Tab")
    link = visit.page.evaluate(ACTIVE)
    assert link["tag"] == "A" and "record?id=" in link["href"] and link["text"] in ids, link
    with visit.rerun():
        visit.page.keyboard.press("Enter")
    assert f"id={link['text']}" in visit.page.url
    assert visit.page.locator("h1").first.inner_text().startswith(link["text"] + ":")


def test_a_record_page_shows_the_full_quote_its_own_preview_and_takes_a_correction(visit: Visit, db: Path) -> None:
    """A record's page shows its sources' quotes in full and keeps its title in the tab. Issue 24,
    item 6: /record?id=AF-001 and /record?id=CA-001 had the same preview image (the world map); as a
    link-preview crawler reads them, each page's og:image names its record and is an image of its
    own (tests/test_views.py checks what each card says). A correction sent from the page reaches
    the maintainers' inbox, which the CLI lists."""
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    images = {}
    for rid in ("CA-001", "AF-001"):
        visit.goto(f"/record?id={rid}")
        url = visit.page.locator('meta[property="og:image"]').first.get_attribute("content")
        assert url and f"id={rid}" in url
        answer = visit.page.request.get(url)
        assert answer.ok and answer.headers["content-type"] == "image/png"
        images[rid] = answer.body()
    assert images["AF-001"] != images["CA-001"]

    con = duck.connect(db)
    quotes = [q for (q,) in con.execute(
        "SELECT quote FROM record_sources WHERE record_kind = 'finding' AND record_id = 'AF-001' ORDER BY position"
    ).fetchall()]  # fmt: skip
    con.close()
    text = visit.text()
    assert quotes and all(" ".join(q.split()) in " ".join(text.split()) for q in quotes)
    assert "Personal Information Protection Commission" in text
    assert_the_tab_keeps_the_served_title(visit, "/record?id=AF-001")  # (the other pages: the deep-link test)

    page = visit.page
    page.get_by_text("Report a correction to this record").click()
    page.get_by_label("What is wrong?").fill("Browser test: the audit date <b>is</b> the publication date.")
    page.get_by_label("The correct value").fill("2025-02-06")
    page.get_by_label("Source that shows it (an https:// or http:// address)").fill("https://example.org/audit")
    with visit.rerun():
        page.get_by_role("button", name="Send the correction").click()
    page.get_by_text("is in the maintainers' inbox").wait_for(timeout=WAIT_MS)
    # What was received is shown back as plain text, markup and all.
    assert page.locator('[data-testid="stText"]').filter(has_text="the audit date <b>is</b> the").count() == 1
    env = {**os.environ, "CHATBOT_WATCH_DB": str(db)}  # the server's settings: the inbox sits beside the database
    env.pop("CHATBOT_WATCH_CORRECTIONS_DB", None)
    env.pop("CHATBOT_WATCH_CONFIG", None)
    r = subprocess.run([sys.executable, "-m", "chatbot_watch", "corrections", "list"], cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=120)  # fmt: skip
    assert r.returncode == 0, r.stderr
    lines = [line for line in r.stdout.splitlines() if "Browser test:" in line]
    assert len(lines) == 1 and " finding AF-001  Browser test: the audit date <b>is</b> the publication" in lines[0]
    assert r.stderr.strip().endswith(str(db.with_name("corrections.sqlite")))


# --- a journalist's workflow ------------------------------------------------------------------


def test_an_alias_url_is_rewritten_to_the_canonical_one(visit: Visit) -> None:
    visit.goto("/flows?country=Korea&app=DeepSeek")
    poll(visit.page, "() => location.search.includes('country=KR')")
    assert visit.query() == {"country": ["KR"], "app": ["deepseek"]}
    assert "Read country 'Korea' as South Korea" in visit.page.locator('[data-testid="stAlert"]').first.inner_text()


def test_company_filter_includes_subsidiaries(visit: Visit) -> None:
    visit.goto("/flows?company=bytedance")
    text = visit.text()
    assert "includes the companies it owns today" in text and "Volcano Engine" in text


def _the_search_box_opens_results_that_open_pages(visit: Visit, _db: Path) -> None:
    box = visit.page.locator('[data-testid="stSidebar"] [data-testid="stTextInput"] input').first
    box.fill("volcano")
    with visit.rerun():
        box.press("Enter")
    visit.page.wait_for_url("**/search?q=volcano*", timeout=WAIT_MS)
    link = visit.page.locator('[data-testid="stPageLink"] a', has_text="Company: Volcano Engine")
    with visit.rerun():
        link.click()
    assert urlsplit(visit.page.url).path == "/companies" and visit.query()["company"] == ["volcano-engine"]


# The grid (glide-data-grid) draws cells on a canvas in Streamlit's body font at 14 px, with 8 px of
# padding on either side; a test cannot read a cell's text, so it measures the text in that font.
GRID_FONTS = ('14px "Source Sans"', "14px sans-serif")  # Streamlit's font, and the fallback if it is missing
GRID_CELL_PADDING = 2 * 8
MEASURE_JS = """async ([fonts, texts]) => {
  await document.fonts.ready;
  const ctx = document.createElement('canvas').getContext('2d');
  let widest = 0;
  for (const font of fonts) {
    ctx.font = font;
    for (const t of texts) widest = Math.max(widest, ctx.measureText(t).width);
  }
  return widest;
}"""


def _a_whole_date_fits_its_column(phone: Visit, db: Path) -> None:
    """Issue 24, item 5: on /countries?country=KR at 390 px, dates were cut to "2025-04" and
    "2025-02-1". Every date column is given DATE_WIDTH (tests/test_pages.py checks the grid's
    configuration); here, in the browser, the widest date of the page's actions, in the grid's font,
    fits in that width with the cell's padding."""
    from chatbot_watch.ui.tables import DATE_WIDTH

    con = duck.connect(db)
    dates = [
        r[0]
        for r in con.execute(
            "SELECT DISTINCT d FROM (SELECT unnest([announced, effective, lifted]) AS d FROM actions"
            " WHERE country_code = 'KR') WHERE d IS NOT NULL"
        ).fetchall()
    ]
    con.close()
    assert dates and max(len(d) for d in dates) == len("2025-04-28")
    widest = phone.page.evaluate(MEASURE_JS, [list(GRID_FONTS), dates])
    assert 0 < widest and widest + GRID_CELL_PADDING <= DATE_WIDTH, (widest, DATE_WIDTH)


def test_filter_chips_on_a_phone_show_and_remove_filters(phone: Visit) -> None:
    phone.goto("/flows?app=deepseek&evidence=alleged")
    chips = phone.page.locator('[data-testid="stButtonGroup"]').first
    assert chips.is_visible()
    labels = chips.inner_text()
    assert "App: DeepSeek" in labels and "Evidence status: Alleged" in labels
    box = chips.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390  # not clipped at 390 px
    with phone.rerun():
        chips.get_by_text("Evidence status: Alleged").click()
    assert phone.query() == {"app": ["deepseek"]}


PUBLIC = "https://chatbot-watch.example.org"


@pytest.fixture
def public_visit(
    context: BrowserContext, real_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Visit]:
    """A visit to the real data served with a public address configured (CHATBOT_WATCH_BASE_URL)."""
    from chatbot_watch.tools.devserver import run_server

    monkeypatch.setenv("CHATBOT_WATCH_BASE_URL", PUBLIC)
    served = tmp_path / real_db.name
    served.write_bytes(real_db.read_bytes())
    with run_server(db_path=served, log=tmp_path / "server.log") as (url, _proc):
        yield from _visit(context, url)


def test_device_bans_by_country_image_names_the_public_url_and_the_timeline_its_apps(
    public_visit: Visit, real_db: Path
) -> None:
    visit = public_visit
    visit.goto("/restrictions?action_type=government_device_ban")
    with visit.page.expect_download() as info:
        visit.page.locator(".st-key-svg-by_country button").first.click()
    svg = Path(info.value.path()).read_text(encoding="utf-8")
    assert "Government-device bans of AI chatbot apps, by country" in svg
    assert f"Source: Chatbot Watch, {PUBLIC}/restrictions?action_type=government_device_ban<" in svg
    assert info.value.suggested_filename.startswith("chatbot-watch_restrictions-by-country_")
    # The timeline on the page: its bars are named by apps, its dates are above the bars, in view.
    con = duck.connect(real_db)
    apps = {r[0] for r in con.execute(
        "SELECT DISTINCT app_name FROM app_restrictions WHERE action_type = 'government_device_ban'"
    ).fetchall() if r[0]}  # fmt: skip
    con.close()
    chart = visit.page.locator('[data-testid="stVegaLiteChart"]').nth(3)
    chart.scroll_into_view_if_needed()
    texts = chart.locator("svg text").all_text_contents()
    assert any(a in t for t in texts for a in apps) and not any(t.startswith("CA-") or " · CA-" in t for t in texts)
    box = chart.bounding_box()
    dates = chart.locator("svg text").filter(has_text=re.compile(r"^\d{4}-\d{2}$"))
    tops = [dates.nth(i).bounding_box()["y"] for i in range(dates.count())]
    assert tops and min(tops) - box["y"] < 120  # a date axis under the title, not 2,500 px down
    viewport = visit.page.viewport_size["height"]
    assert 0 <= min(tops) < viewport


def test_embed_mode_can_be_framed_and_shows_no_sidebar(visit: Visit) -> None:
    framed = visit.page.request.get(visit.base + "/flows?app=deepseek&embed=true")
    assert "frame-ancestors *" in framed.headers["content-security-policy"]
    assert "x-frame-options" not in framed.headers
    plain = visit.page.request.get(visit.base + "/flows?app=deepseek")
    assert "frame-ancestors 'none'" in plain.headers["content-security-policy"]
    visit.goto("/flows?app=deepseek&embed=true")
    assert visit.page.locator('[data-testid="stSidebar"]').count() == 0
    assert "All matching flows" in visit.text()


def test_a_page_framed_without_embed_mode_says_how_to_embed(visit: Visit) -> None:
    """Issue 24, item 7: a plain page URL in an article's iframe shows how to embed, not a broken frame;
    one part in embed mode shows in a frame."""
    visit.page.goto(visit.base + "/robots.txt")  # a page of the site's origin to put frames in
    visit.page.set_content(
        f'<iframe id="plain" src="{visit.base}/flows?app=deepseek" width="600" height="300"></iframe>'
        f'<iframe id="part" src="{visit.base}/flows?app=deepseek&embed=true&part=flows" width="900" '
        'height="700"></iframe>'
    )
    plain = visit.page.frame_locator("#plain")
    plain.locator("h1").wait_for(timeout=WAIT_MS)
    assert plain.locator("h1").inner_text() == "This page cannot be shown inside a frame"
    link = plain.locator("a")
    assert link.get_attribute("href") == "/flows?app=deepseek" and link.get_attribute("target") == "_blank"
    part = visit.page.frame_locator("#part")
    part.locator('[data-testid="stDataFrame"]').wait_for(timeout=WAIT_MS)
    assert part.locator('[data-testid="stMetric"]').count() == 0  # the table alone, no figures


@pytest.mark.parametrize("path", [p for p, _, _ in DEEP_LINKS])
def test_nothing_scrolls_sideways_on_a_phone(phone: Visit, db: Path, path: str) -> None:
    """At 390 px nothing scrolls sideways; and what else that page must show on a phone (ON_A_PHONE)."""
    phone.goto(path)
    widths = phone.page.evaluate(
        """() => [document.documentElement.scrollWidth, document.documentElement.clientWidth,
                  document.querySelector('[data-testid="stMain"]').scrollWidth,
                  document.querySelector('[data-testid="stMain"]').clientWidth]"""
    )
    assert widths[0] <= widths[1] and widths[2] <= widths[3], widths
    if path in ON_A_PHONE:
        ON_A_PHONE[path](phone, db)


# --- hostile data: everything stays inert text ---------------------------------------------------


@pytest.fixture
def hostile(context: BrowserContext, hostile_site: Site) -> Iterator[Visit]:
    yield from _visit(context, hostile_site.url)


HOSTILE_PATHS = [
    # The Overview and Data flows with hostile URL values too, quoted in the filter notices (issue 13,
    # item 1): a value a page does not know is ignored, so the page still shows all its hostile data.
    "/?[Login](https://evil.example)=1",
    "/flows?country=:red[**SITE COMPROMISED**]&app=www.evil.example&app=mail@evil.example"
    "&app=![](https://evil.example/pixel.png)",
    "/restrictions",
    "/countries?country=KR",
    "/apps?app=deepseek",
    "/companies",
    "/about",
]


@pytest.mark.parametrize("path", HOSTILE_PATHS)
def test_hostile_text_stays_inert(hostile: Visit, path: str) -> None:
    from tests.hostile import EVIL_HOST

    hostile.goto(path)
    if "evil.example" in path:  # the notice quotes every value it ignores, as text (word joiners
        # break what a reader's mail or chat app would turn into a link)
        notices = [n.replace("\u2060", "") for n in hostile.page.locator('[data-testid="stAlert"]').all_inner_texts()]
        for value in ("[Login](https://evil.example)", ":red[**SITE COMPROMISED**]", "www.evil.example",
                      "mail@evil.example", "![](https://evil.example/pixel.png)"):  # fmt: skip
            if value in path:
                assert any(value in n for n in notices), (value, notices)
    for tab in hostile.page.get_by_role("tab", name="Table").all():
        tab.click()
    # Every table is in the page: each Table tab's panel holds its grid's cells.
    poll(
        hostile.page,
        """() => [...document.querySelectorAll('[role=tab]')].filter(t => t.textContent.trim() === 'Table')
            .every(t => t.getAttribute('aria-selected') === 'true'
                && document.getElementById(t.getAttribute('aria-controls'))
                    ?.querySelector('[data-testid=stDataFrame] [role=gridcell]'))""",
    )
    poll(hostile.page, DRAWN)
    assert hostile.page.evaluate("window.__pwned") is None
    dom = hostile.page.evaluate(
        """() => ({
            images: Array.from(document.images).map(i => i.src).filter(s => !s.startsWith(location.origin)),
            scripts: Array.from(document.querySelectorAll('a[href^="javascript:"], a[href^="data:"]')).length,
            handlers: Array.from(document.querySelectorAll('[onerror], [onload], [onclick]')).length,
            // links out of page text (not the tables' validated source links): none may form
            links: Array.from(document.querySelectorAll('a[href]'))
                .filter(a => !a.closest('[data-testid=stDataFrame]'))
                .map(a => a.href).filter(h => h.includes('evil.example') || h.startsWith('mailto:')),
            coloured: Array.from(document.querySelectorAll('[data-testid=stMarkdownContainer] span[style*=color]'))
                .map(s => s.textContent),
        })"""
    )
    assert dom == {"images": [], "scripts": 0, "handlers": 0, "links": [], "coloured": []}
    assert EVIL_HOST not in " ".join(dom["images"])
    if path == "/apps?app=deepseek":  # the app's hostile name is the page's heading, as plain text
        from tests.hostile import SHORT_PAYLOAD

        title = hostile.page.locator("h1").first
        assert title.inner_text().replace("\u2060", "").strip() == SHORT_PAYLOAD[:120].strip()
        assert title.locator("a").count() == 0  # no autolink from www.x, mail@x or a bare URL
    # (requests to evil.example or anywhere else off localhost fail the test in _visit)


# --- the open web: first paint without JavaScript, CSP in force, first paint replaced on mount ----

CSP_LISTENER = """document.addEventListener('securitypolicyviolation',
    e => (window.__csp = window.__csp || []).push(e.violatedDirective + ' ' + e.blockedURI));"""


@pytest.mark.parametrize("path", ["/countries?country=KR", "/restrictions?country=IT", "/record?id=CA-001"])
def test_without_javascript_the_page_is_readable(browser: Browser, server: str, db: Path, path: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(server + path)
        con = duck.connect(db)
        as_of = con.execute("SELECT value FROM meta WHERE key = 'as_of'").fetchone()[0]
        con.close()
        main = page.locator("#cw-first-paint")
        assert main.is_visible()
        assert f"sources reviewed up to {as_of}" in main.inner_text()
        assert (
            page.locator("h1").inner_text() in ("South Korea", "Restrictions")
            or "CA-001:" in page.locator("h1").inner_text()
        )
        assert page.locator("#cw-first-paint table tbody tr").first.is_visible()
        link = page.locator("#cw-first-paint table tbody a").first
        assert (link.get_attribute("href") or "").startswith(("/record?id=", "https://"))
        assert "You need to enable JavaScript" not in page.locator("body").inner_text()
    finally:
        context.close()


def _about_downloads_the_whole_dataset_and_an_injected_inline_script_is_blocked(visit: Visit, _db: Path) -> None:
    import zipfile

    with visit.page.expect_download() as info:
        visit.page.get_by_role("button", name="Download the whole dataset (data package: CSV, JSON, Parquet)").click()
    z = zipfile.ZipFile(info.value.path())
    assert "chatbot-watch/datapackage.json" in z.namelist() and "chatbot-watch/flows.csv" in z.namelist()
    # The site's CSP blocks a script injected into the page (the same page, opened once).
    visit.page.evaluate(
        """() => { const s = document.createElement('script');
                   s.textContent = 'window.__injected = 1'; document.body.appendChild(s); }"""
    )
    poll(visit.page, "() => (window.__csp || []).length > 0", timeout_s=10)
    assert visit.page.evaluate("window.__injected") is None
    assert visit.page.evaluate("window.__csp")[0].startswith("script-src")
    # The browser reports the blocked script on the console; that one is expected here.
    visit.problems[:] = [p for p in visit.problems if "Content Security Policy" not in p]


MAP_BOXES = """() => {
  const svg = document.querySelector('[data-testid="stVegaLiteChart"] svg.marks');
  const box = (el) => el.getBoundingClientRect();
  const shapes = [...svg.querySelectorAll('g.mark-shape path')].map(box).filter((b) => b.height > 0);
  return {
    width: box(svg).width,
    top: Math.min(...shapes.map((b) => b.top)), bottom: Math.max(...shapes.map((b) => b.bottom)),
    left: Math.min(...shapes.map((b) => b.left)), right: Math.max(...shapes.map((b) => b.right)),
    titleBottom: box(svg.querySelector('.role-title')).bottom, legendTop: box(svg.querySelector('.role-legend')).top,
  };
}"""


def _the_world_map_fills_the_screen_without_empty_bands(phone: Visit, _db: Path) -> None:
    phone.page.wait_for_selector('[data-testid="stVegaLiteChart"] svg.marks g.mark-shape path')
    m = phone.page.evaluate(MAP_BOXES)
    assert m["right"] - m["left"] >= 0.95 * m["width"]  # the countries span the chart's width
    assert m["top"] - m["titleBottom"] < 45  # no empty band between the title and the map ...
    assert m["legendTop"] - m["bottom"] < 45  # ... nor between the map and its legend


def assert_the_tab_keeps_the_served_title(visit: Visit, path: str) -> None:
    """Issue 23: every tab said "Chatbot Watch" once the app had loaded; the server-rendered page's
    <title> (firstpaint.view) is now the app's too, from the same code. Called on a drawn page."""
    with urllib.request.urlopen(visit.base + path) as r:
        served = html_lib.unescape(re.search(r"<title>(.*?)</title>", r.read().decode("utf-8"), re.S).group(1))
    assert served != "Chatbot Watch" and "Chatbot Watch" in served
    poll(visit.page, "(t) => document.title === t", served, timeout_s=15)


def test_no_browser_code_waits_on_a_string_the_csp_may_refuse() -> None:
    """Waits poll with `devserver.poll`; `wait_for_function` evaluates a string in the page, which
    the CSP can refuse, and a refused wait times out as if the page were never drawn (a CI run
    failed that way on test_search_box_opens_results_that_open_pages)."""
    root = Path(__file__).resolve().parents[1]
    needle = ".wait_for_" + "function("  # spelled in two parts so that this line is not found
    offenders = [
        f"{p.relative_to(root)}:{n}"
        for d in ("tests", "bench", "scripts", "chatbot_watch")
        for p in sorted((root / d).rglob("*.py"))
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if needle in line
    ]
    assert offenders == []


CUT_LABELS = """(where) => [...document.querySelectorAll('[data-testid=stVegaLiteChart] svg ' + where)]
    .map(t => t.textContent).filter(t => t.endsWith('\u2026'))"""


def test_an_italian_readers_charts_show_whole_labels(visit: Visit) -> None:
    """Italian names of types of action are long: "Provvedimento di limitazione del trattamento" was cut
    to "... del trattame…" in the by-country legend and "... del trat…" on the by-type axis. On a desktop
    no chart text is cut; at a phone's width the one-column legends still show whole names (the rows'
    labels keep a share of the width, the Table tab and the tooltip hold them whole)."""
    visit.goto("/restrictions?lang=it")
    assert visit.page.locator("h1").first.inner_text().strip() == "Restrizioni"
    assert visit.page.evaluate(CUT_LABELS, "text") == []
    visit.page.set_viewport_size({"width": 390, "height": 844})  # Vega draws each chart again, narrower
    poll(
        visit.page,
        """() => [...document.querySelectorAll('[data-testid=stVegaLiteChart] svg.marks')]
            .every(svg => svg.getBoundingClientRect().width <= 390)""",
    )
    assert visit.page.evaluate(CUT_LABELS, ".role-legend text") == []


def test_a_korean_reader_is_offered_korean_and_keeps_it_across_pages(visit: Visit) -> None:
    """Issue 25: a browser preferring Korean (its Accept-Language, as a Korean locale sends it) is
    offered the switch in one line in Korean; following it, the app is Korean and stays so on another
    page (the URL keeps `lang=ko`)."""
    from chatbot_watch import i18n

    with i18n.using("ko"):
        restrictions = i18n.gettext("Restrictions")
    v = visit
    v.page.set_extra_http_headers({"Accept-Language": "ko-KR,ko;q=0.9"})  # what locale="ko-KR" sends
    try:
        v.goto("/")
        assert i18n.OFFER["ko"] in v.text()
        with v.rerun():
            v.page.get_by_role("button", name=i18n.LANGUAGES["ko"]).click()
        assert v.query().get("lang") == ["ko"]
        with v.rerun():
            v.page.locator('[data-testid="stSidebarNav"] a', has_text=restrictions).first.click()
        poll(v.page, "(t) => document.querySelector('h1') && document.querySelector('h1').innerText.trim() === t",
             restrictions)  # fmt: skip
        assert v.query().get("lang") == ["ko"]
        assert i18n.OFFER["ko"] not in v.text()  # offered once, and not to a reader already reading Korean
    finally:
        v.page.set_extra_http_headers({})


# What a reader does next on a page a deep link opened, by path, in order: checked in
# test_a_deep_link_shows_its_page_accessibly_and_what_a_reader_does_there_works, on the page it
# opened (a page load costs Chromium about 2 s of CPU).
AT_A_DESK = {
    "/": (_clicking_a_country_on_the_map_opens_its_profile, _the_search_box_opens_results_that_open_pages),
    "/flows?app=deepseek": (_a_finding_id_in_a_table_opens_its_record_by_mouse_and_by_keyboard,),
    "/restrictions?country=IT": (_downloaded_csv_chart_images_and_citation_are_of_exactly_the_view_shown,),
    "/countries?country=KR": (_picking_a_country_updates_url_and_content,),
    "/about": (_about_downloads_the_whole_dataset_and_an_injected_inline_script_is_blocked,),
}

# What a phone's page must also show, by path: checked in test_nothing_scrolls_sideways_on_a_phone,
# on the page it opened (a page load costs Chromium about 2 s of CPU).
ON_A_PHONE = {
    "/": _the_world_map_fills_the_screen_without_empty_bands,
    "/countries?country=KR": _a_whole_date_fits_its_column,
}


def test_every_step_kept_for_a_page_runs_on_a_page_the_tests_open() -> None:
    """A step filed under a path no test opens would never run, and nothing would say so."""
    opened = {p for p, _, _ in DEEP_LINKS}
    assert set(AT_A_DESK) <= opened and set(ON_A_PHONE) <= opened

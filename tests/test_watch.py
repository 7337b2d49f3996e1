"""`watch` and `leads`: real RSS and Atom files served by a local server (never the network), the
protections of the online check (private addresses, size, time), what is filed and what is skipped,
the leads commands, and a draft that `validate` accepts once a person has filled it in."""

from __future__ import annotations

import datetime as dt
import http.server
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from chatbot_watch import cli
from chatbot_watch.reading.load import load
from chatbot_watch.tools import leads, watch
from chatbot_watch.tools.watchwords import compile_terms
from tests.conftest import FIXTURE_DATA, ROOT

FEEDS = ROOT / "tests" / "fixtures" / "feeds"
LOCAL = ("127.0.0.1",)
NOW = dt.datetime(2026, 6, 30, 12, 0, tzinfo=dt.UTC)


class Handler(http.server.BaseHTTPRequestHandler):
    """Serves the fixture feeds by name, plus a few misbehaving addresses."""

    seen: list[str] = []
    redirect_to = ""

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        Handler.seen.append(self.path)
        try:
            self._answer()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (the time limit), as it should

    def _answer(self) -> None:
        name = self.path.lstrip("/")
        if name == "slow":  # nothing at all for 3 s
            time.sleep(3)
            self._send(200, b"<rss version='2.0'><channel></channel></rss>")
        elif name == "drip":  # headers at once, then a byte every 0.1 s for 5 s
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.end_headers()
            for _ in range(50):
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(0.1)
        elif name == "big-announced":  # says how big it is
            self._send(200, (FEEDS / "kr.rss.xml").read_bytes())
        elif name == "big-unannounced":  # no Content-Length: read until the connection closes
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write((FEEDS / "kr.rss.xml").read_bytes())
        elif name == "redirect":
            self.send_response(302)
            self.send_header("Location", Handler.redirect_to)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif name == "not-a-feed":
            self._send(200, b"<html><body>Hello</body></html>", "text/html")
        elif (FEEDS / name).is_file() and "/" not in name:
            self._send(200, (FEEDS / name).read_bytes())
        else:
            self._send(404, b"")

    def _send(self, status: int, body: bytes, ctype: str = "application/xml; charset=utf-8") -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    Handler.seen = []
    try:
        yield f"http://127.0.0.1:{srv.server_address[1]}"
    finally:
        srv.shutdown()
        srv.server_close()


@pytest.fixture
def fake_dns(monkeypatch: pytest.MonkeyPatch) -> str:
    """A public-looking name, feeds.example.com, that resolves to 127.0.0.1 (as a hostile or
    mistaken DNS record would): the name passes every spelling check, its address must not."""
    real = socket.getaddrinfo

    def getaddrinfo(host: str, *args: object, **kw: object) -> list:  # type: ignore[type-arg]
        return real("127.0.0.1" if host == "feeds.example.com" else host, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return "feeds.example.com"


def feeds_file(tmp_path: Path, base: str, names: tuple[str, ...] = ("kr.rss.xml", "it.rss.xml", "en.atom.xml")) -> Path:
    meta = {
        "kr.rss.xml": ("Test news (ko)", "ko", "KR", None),
        "it.rss.xml": ("Test Garante (it)", "it", "IT", "Garante per la protezione dei dati personali"),
        "en.atom.xml": ("Test policy news (en)", "en", None, None),
    }
    lines = ["feeds:"]
    for name in names:
        title, lang, country, publisher = meta.get(name, (name, "en", None, None))
        lines += [f"- name: {title}", f"  url: {base}/{name}", f"  language: {lang}", "  why: a test feed"]
        lines += [f"  country: {country}"] if country else []
        lines += [f"  publisher: {publisher}"] if publisher else []
    lines += [
        "extra_names:",
        "- kind: app",
        "  id: deepseek",
        "  names: [딥시크]",
        "  why: Korean headlines write DeepSeek in Hangul.",
    ]
    path = tmp_path / "feeds.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(tmp_path: Path, base: str, **kw: object) -> tuple[list[watch.FeedResult], Path]:
    ds, problems = load(FIXTURE_DATA)
    assert problems == []
    db = tmp_path / "state" / "leads.sqlite"
    watchlist = watch.load_feeds(feeds_file(tmp_path, base, **kw), allowed=LOCAL)  # type: ignore[arg-type]
    results = watch.run(watchlist, ds, db, timeout=5, allowed=LOCAL, proxies={}, now=NOW)
    return results, db


# --- what is filed, what is skipped ----------------------------------------------------------------


def test_watch_files_new_items_as_leads_and_says_why_others_were_skipped(server: str, tmp_path: Path) -> None:
    results, db = run(tmp_path, server)
    assert [r.line() for r in results] == [
        "Test news (ko): 5 item(s): 1 new lead(s), 1 already filed, 1 without a tracked name, "
        "1 without an action word, 1 without a usable link or title",
        "Test Garante (it): 3 item(s): 1 new lead(s), 1 already cited, 1 without a tracked name",
        "Test policy news (en): 3 item(s): 1 new lead(s), 1 already cited, 1 already filed",
    ]
    assert Handler.seen == ["/kr.rss.xml", "/it.rss.xml", "/en.atom.xml"]
    found = leads.list_leads(db)
    assert [(x.id, x.title) for x in found] == [  # newest item first
        (2, "Chatbot, il Garante avvia un'istruttoria su Gemini"),
        (3, "Beijing Volcano Engine Technology Co., Ltd. fined by Texas regulator"),
        (1, "개인정보위, 딥시크 신규 다운로드 잠정 중단 - 연합뉴스"),
    ]
    kr, it, en = leads.get(db, 1), leads.get(db, 2), leads.get(db, 3)
    assert kr == leads.Lead(
        id=1, found_at="2026-06-30T12:00:00Z", link="https://news.example.com/kr/pipc-deepseek-suspension",
        title="개인정보위, 딥시크 신규 다운로드 잠정 중단 - 연합뉴스", publisher="연합뉴스", published="2025-02-17",
        feed="Test news (ko)", language="ko", country="KR", country_why="the text names '개인정보위'",
        apps="deepseek", companies=None, names="딥시크", words="중단", status="open",
    )  # fmt: skip
    assert it == leads.Lead(
        id=2, found_at="2026-06-30T12:00:00Z", link="https://garante.example.org/comunicati/istruttoria-gemini",
        title="Chatbot, il Garante avvia un'istruttoria su Gemini",
        publisher="Garante per la protezione dei dati personali", published="2025-03-14", feed="Test Garante (it)",
        language="it", country="IT", country_why="the text names 'Garante'", apps="gemini", companies=None,
        names="Gemini", words="istruttoria", status="open",
    )  # fmt: skip
    # A legal name of a company with no app; the date as the feed writes it (its own time zone),
    # not UTC (2025-03-02); the country from the text, since the feed has none.
    assert en is not None
    assert (en.link, en.publisher, en.published, en.country, en.country_why, en.apps, en.companies) == (
        "https://policy.example.com/2025/03/volcano-engine-fined", "Test policy news (en)", "2025-03-01", "US",
        "the text names 'Texas'", None, "volcano-engine",
    )  # fmt: skip
    assert (en.names, en.words) == ("Beijing Volcano Engine Technology Co., Ltd.", "fined; penalty")


def test_a_second_run_files_nothing_again(server: str, tmp_path: Path) -> None:
    run(tmp_path, server)
    leads.dismiss(tmp_path / "state" / "leads.sqlite", 2, "not about an app's data", NOW)
    results, db = run(tmp_path, server)
    assert [len(r.new) for r in results] == [0, 0, 0]
    assert [r.filed for r in results] == [2, 1, 2]  # the dismissed lead too: it is kept, not forgotten
    assert len(leads.list_leads(db, include_dismissed=True)) == 3


def test_an_item_needs_a_tracked_name_and_an_action_word() -> None:
    ds, _ = load(FIXTURE_DATA)
    matcher = watch.Matcher.from_dataset(ds)
    feed = watch.Feed("f", "https://feeds.example.com/x", "en", "why")

    def item(title: str) -> watch.Item:
        return watch.Item(title, "https://news.example.com/a", "P", "2025-01-01", "")

    assert watch.lead_for(item("DeepSeek releases a new model"), feed, matcher) == "no-word"
    assert watch.lead_for(item("Regulator fines a bank"), feed, matcher) == "no-name"
    lead = watch.lead_for(item("Italy bans DeepSeek"), feed, matcher)
    assert isinstance(lead, leads.NewLead)
    assert (lead.names, lead.words, lead.apps, lead.companies, lead.country) == (
        "DeepSeek", "bans", "deepseek", "deepseek", "IT",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("words", "text", "found"),
    [
        (["ban"], "Texas bans DeepSeek", []),  # whole words only
        (["ban", "bans"], "Texas bans DeepSeek", ["bans"]),
        (["ban"], "a bank, a banana, Bangladesh", []),
        (["investigat*"], "an Investigation opened", ["Investigation"]),
        (["DeepSeek"], "개인정보위, DeepSeek를 조사", ["DeepSeek"]),  # a Korean particle is no word edge
        (["DeepSeek"], "DeepSeeker", []),
        (["금지"], "사용을 금지했다", ["금지"]),  # no spaces needed in Korean, Chinese, Japanese
        (["禁止"], "政府は利用を禁止した", ["禁止"]),
        (["vieta"], "Il Garante VIETA l'uso", ["VIETA"]),  # case ignored
        (["u.s."], "The U.S. Navy bans it", ["U.S."]),
    ],
)
def test_words_match_at_word_edges_in_spaced_scripts_only(words: list[str], text: str, found: list[str]) -> None:
    pattern = compile_terms(words)
    assert pattern is not None
    assert [m.group(0) for m in pattern.finditer(text)] == found


@pytest.mark.parametrize(
    ("text", "tidied"),
    [
        ("  Two\n lines\tand   spaces ", "Two lines and spaces"),
        ("bidi \u202eevil\u202c and zero\u200bwidth", "bidi evil and zerowidth"),
        ("escape \x1b[31mred", "escape [31mred"),
        ("keeps ZWJ 👩\u200d💻", "keeps ZWJ 👩\u200d💻"),
        ("x" * 30, "x" * 9 + "…"),
    ],
)
def test_feed_text_is_tidied_to_one_clean_line(text: str, tidied: str) -> None:
    assert watch.tidy(text, 10 if len(text) == 30 else 100) == tidied


# --- the protections of the online check -----------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://127.0.0.1:{port}/kr.rss.xml", "refused: not a valid public link (URL host must be a name"),
        ("http://localhost:{port}/kr.rss.xml", "refused: not a valid public link (URL has no valid host"),
        (
            "http://feeds.example.com:{port}/kr.rss.xml",
            "refused: feeds.example.com resolves to a non-public address (127.0.0.1); not requested",
        ),  # fmt: skip
    ],
)
def test_a_private_address_is_refused_unless_allowed(server: str, fake_dns: str, url: str, message: str) -> None:
    port = server.rsplit(":", 1)[1]
    with pytest.raises(watch.FetchError, match=re.escape(message)):
        watch.fetch(url.format(port=port), timeout=5, proxies={})
    assert Handler.seen == []  # nothing was requested
    assert watch.fetch(f"{server}/kr.rss.xml", timeout=5, allowed=LOCAL, proxies={}).body.startswith(b"<?xml")


@pytest.mark.parametrize(
    "target", ["http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/feed", "file:///etc/passwd"]
)
def test_a_redirect_to_a_private_address_is_refused(server: str, target: str) -> None:
    Handler.redirect_to = target
    with pytest.raises(watch.FetchError, match="refused"):
        watch.fetch(f"{server}/redirect", timeout=5, allowed=LOCAL, proxies={})
    assert Handler.seen == ["/redirect"]


@pytest.mark.parametrize("path", ["big-announced", "big-unannounced"])
def test_an_oversized_feed_is_refused(server: str, path: str) -> None:
    size = (FEEDS / "kr.rss.xml").stat().st_size
    with pytest.raises(watch.FetchError, match="too large"):
        watch.fetch(f"{server}/{path}", timeout=5, max_bytes=1000, allowed=LOCAL, proxies={})
    assert len(watch.fetch(f"{server}/{path}", timeout=5, max_bytes=size, allowed=LOCAL, proxies={}).body) == size


@pytest.mark.parametrize(("path", "message"), [("slow", "did not answer"), ("drip", "too slow: not received within")])
def test_a_feed_that_takes_too_long_is_given_up(server: str, path: str, message: str) -> None:
    start = time.monotonic()
    with pytest.raises(watch.FetchError, match=message):
        watch.fetch(f"{server}/{path}", timeout=0.5, allowed=LOCAL, proxies={})
    assert time.monotonic() - start < 2.0  # the whole download, not each wait: the drip lasts 5 s


def test_one_unreadable_feed_does_not_stop_the_others(server: str, tmp_path: Path) -> None:
    results, db = run(tmp_path, server, names=("not-a-feed", "missing.xml", "it.rss.xml"))
    assert [r.line() for r in results] == [
        "not-a-feed: not read: not an RSS, Atom or RDF feed (text/html is not an XML media type)",
        "missing.xml: not read: answered HTTP 404",
        "Test Garante (it): 3 item(s): 1 new lead(s), 1 already cited, 1 without a tracked name",
    ]
    assert [x.title for x in leads.list_leads(db)] == ["Chatbot, il Garante avvia un'istruttoria su Gemini"]


# --- the feeds file --------------------------------------------------------------------------------


def test_the_repository_feeds_file_is_valid_and_says_why_for_each_feed() -> None:
    watchlist = watch.load_feeds()
    assert len(watchlist.feeds) >= 20
    assert all(len(f.why) > 30 for f in watchlist.feeds)
    assert {"en", "ko", "ja", "zh-Hant", "it", "fr", "de", "es", "pt"} <= {f.language for f in watchlist.feeds}
    assert all(f.url.startswith("https://") for f in watchlist.feeds)
    google = [f for f in watchlist.feeds if f.url.startswith("https://news.google.com/rss/search?q=")]
    assert all("&hl=" in f.url and "&gl=" in f.url and "&ceid=" in f.url for f in google)
    ds, _ = load(ROOT / "data")
    for extra in watchlist.extra_names:
        assert extra.id in ds.by_id("apps" if extra.kind == "app" else "companies")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("feeds:\n- name: a\n  url: https://a.example.com/f\n  language: en\n", r"feeds\[0\].why: required"),
        ("feeds:\n- name: a\n  url: ftp://a.example.com/f\n  language: en\n  why: w\n", "only http:// and https://"),
        ("feeds:\n- name: a\n  url: https://a.example.com/f\n  language: xx\n  why: w\n", "unknown language code"),
        (
            "feeds:\n- name: a\n  url: https://a.example.com/f\n  language: en\n  why: w\n  country: NO WAY\n",
            "expected a country code",
        ),  # fmt: skip
        ("feeds:\n- name: a\n  url: http://10.0.0.1/f\n  language: en\n  why: w\n", "not an IP address"),
        (
            "feeds:\n- name: a\n  url: https://a.example.com/f\n  language: en\n  why: w\n  colour: red\n",
            r"feeds\[0\].colour: unknown field",
        ),  # fmt: skip
        ("feeds: []\nextra_names:\n- kind: person\n  id: x\n  names: [y]\n  why: w\n", "expected app or company"),
        ("nothing: here\n", "expected a mapping with a list `feeds:`"),
    ],
)
def test_a_bad_feeds_file_names_the_problem(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "feeds.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(watch.WatchError, match=message):
        watch.load_feeds(tmp_path / "feeds.yaml")


def test_country_no_stays_text(tmp_path: Path) -> None:
    # YAML 1.1 reads a bare NO as false; the feeds file keeps every value as text.
    (tmp_path / "feeds.yaml").write_text(
        "feeds:\n- name: a\n  url: https://a.example.com/f\n  language: en\n  why: w\n  country: NO\n", encoding="utf-8"
    )
    assert watch.load_feeds(tmp_path / "feeds.yaml").feeds[0].country == "NO"


# --- the leads file --------------------------------------------------------------------------------

GOOD = leads.NewLead(link="https://news.example.com/a", title="T", publisher="P", feed="F", language="en", words="ban")


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"link": "javascript:alert(1)"}, "link scheme 'javascript' is not allowed"),
        ({"link": "https://news.example.com/a b"}, "must not contain spaces"),
        ({"title": "a\u202eb"}, "must not contain the invisible or control character U+202E"),
        ({"title": "a\nb"}, "must not contain line breaks"),
        ({"title": "x" * 501}, "at most 500 characters (501 given)"),
        ({"language": "xx"}, "unknown language code 'xx'"),
        ({"country": "Korea"}, "at most 2 characters"),
        ({"published": "2025-02-30"}, "not a date"),
        ({"apps": "deepseek; DROP TABLE leads"}, "not a list of ids"),
        ({"words": ""}, "required"),
    ],
)
def test_a_lead_is_stored_only_when_every_field_is_valid(tmp_path: Path, change: dict[str, str], problem: str) -> None:
    bad = leads.NewLead(**{**GOOD.__dict__, **change})
    with pytest.raises(leads.Invalid, match=re.escape(problem)):
        leads.add(tmp_path / "l.sqlite", bad)
    assert leads.list_leads(tmp_path / "l.sqlite") == []


def test_the_same_page_is_filed_once_and_the_file_is_private(tmp_path: Path) -> None:
    path = tmp_path / "l.sqlite"
    assert leads.add(path, GOOD, NOW) == 1
    again = leads.NewLead(**{**GOOD.__dict__, "link": "http://www.news.example.com/a/?utm_source=x"})
    assert leads.add(path, again, NOW) is None
    assert [x.link for x in leads.list_leads(path)] == ["https://news.example.com/a"]
    assert path.stat().st_mode & 0o777 == 0o600


# --- the commands ----------------------------------------------------------------------------------


def test_cli_watch_refuses_a_private_address(
    server: str, fake_dns: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["watch", "--feeds", str(feeds_file(tmp_path, server.replace("127.0.0.1", fake_dns), ("it.rss.xml",))),
            "--data", str(FIXTURE_DATA), "--leads", str(tmp_path / "l.sqlite"), "--delay", "0"]  # fmt: skip
    assert cli.main(args) == 1
    out, err = capsys.readouterr()
    assert out == (
        "Test Garante (it): not read: refused: feeds.example.com resolves to a non-public address (127.0.0.1); "
        "not requested\n"
    )
    assert err.endswith("0 new lead(s) from 1 feed(s), 1 not read, in " + str(tmp_path / "l.sqlite") +
                        "; triage them with `python -m chatbot_watch leads list`\n")  # fmt: skip
    assert Handler.seen == []


def test_cli_watch_then_leads_list_show_dismiss(
    server: str, fake_dns: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    fetch = watch.fetch
    # The command line has no way to allow a local address; the test's server is let through here.
    monkeypatch.setattr(watch, "fetch", lambda url, t, m, a, p: fetch(url, t, m, LOCAL, {}))
    db = tmp_path / "l.sqlite"
    common = ["--data", str(FIXTURE_DATA), "--leads", str(db)]
    feeds = feeds_file(tmp_path, server.replace("127.0.0.1", fake_dns))
    assert cli.main(["watch", "--feeds", str(feeds), "--delay", "0", *common]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[3:] == [
        "  new: #1  2025-02-17  KR  deepseek  개인정보위, 딥시크 신규 다운로드 잠정 중단 - 연합뉴스  (연합뉴스)",
        "  new: #2  2025-03-14  IT  gemini  Chatbot, il Garante avvia un'istruttoria su Gemini  "
        "(Garante per la protezione dei dati personali)",
        "  new: #3  2025-03-01  US  volcano-engine  Beijing Volcano Engine Technology Co., Ltd. fined by Texas "
        "regulator  (Test policy news (en))",
    ]
    assert cli.main(["leads", "list", *common]) == 0
    listed, err = capsys.readouterr()
    assert [line.split("  ")[0] for line in listed.splitlines()] == ["#2", "#3", "#1"]
    assert err == f"3 open lead(s) in {db}, newest first\n"

    assert cli.main(["leads", "show", "1", *common]) == 0
    assert (
        capsys.readouterr().out
        == (
            "Lead #1, found " + leads.get(db, 1).found_at + " in the feed Test news (ko)\n"  # type: ignore[union-attr]
            "Status: open\n"
            "Title: 개인정보위, 딥시크 신규 다운로드 잠정 중단 - 연합뉴스\n"
            "Link: https://news.example.com/kr/pipc-deepseek-suspension\n"
            "Publisher: 연합뉴스\n"
            "Published: 2025-02-17\n"
            "Language: ko\n"
            "Likely country: KR (the text names '개인정보위')\n"
            "Likely app: deepseek\n"
            "Companies named: none\n"
            "Names matched: 딥시크\n"
            "Action words: 중단\n"
        )
    )
    assert cli.main(["leads", "dismiss", "3", "--why", "a company, not an app's data", *common]) == 0
    assert capsys.readouterr().out == "dismissed lead #3: a company, not an app's data\n"
    assert cli.main(["leads", "list", *common]) == 0
    assert [line.split("  ")[0] for line in capsys.readouterr().out.splitlines()] == ["#2", "#1"]
    assert cli.main(["leads", "list", "--all", *common]) == 0
    assert capsys.readouterr().out.splitlines()[1].endswith("[dismissed]")
    assert cli.main(["leads", "show", "3", *common]) == 0
    assert "Status: dismissed on " in capsys.readouterr().out
    assert cli.main(["leads", "show", "9", *common]) == 1
    assert capsys.readouterr().err == f"leads: no lead #9 in {db}\n"
    assert cli.main(["leads", "dismiss", "1", "--why", "bad\u202ereason", *common]) == 2
    assert "must not contain the invisible or control character U+202E" in capsys.readouterr().err


# --- drafts ----------------------------------------------------------------------------------------

FILLED = {
    "  jurisdiction: null": "  jurisdiction: KR",
    "  authority: null": "  authority: Personal Information Protection Commission (PIPC)",
    "  action_type: null": "  action_type: download_suspension",
    "  scope: null": "  scope: new_downloads",
    "  apps: []": "  apps: [deepseek]",
    "  announced: null": "  announced: 2025-02-17",
    "  status: null": "  status: in_force",
    "    quote: null": "    quote: 개인정보위는 딥시크의 국내 신규 다운로드를 잠정 중단했다고 밝혔다.",
    "    translation: null": "    translation: The PIPC said it had provisionally suspended new downloads of DeepSeek.",
}


def fill(text: str) -> str:
    out = []
    for line in text.splitlines():
        head = line.split("  #", 1)[0] if "  #" in line else line
        out.append(FILLED.get(head, line))
    return "\n".join(out) + "\n"


def test_a_filled_draft_is_accepted_by_validate(
    server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, db = run(tmp_path, server, names=("kr.rss.xml",))
    out = tmp_path / "drafts" / "lead-1.yaml"
    common = ["--data", str(FIXTURE_DATA), "--leads", str(db)]
    assert cli.main(["leads", "draft", "1", "--out", str(out), *common]) == 0
    assert capsys.readouterr().out == (
        f"wrote draft {out}: action CA-051 from lead #1; fill in every FILL IN from the page, "
        f"move the record into {FIXTURE_DATA / 'actions'}/ and run validate\n"
    )
    text = out.read_text(encoding="utf-8")
    assert text.startswith(leads.DRAFT_HEADER + "\n")
    record = yaml.safe_load(text)["actions"][0]
    assert record["id"] == "CA-051"  # the fixture's highest is CA-050
    assert record["sources"] == [
        {"url": "https://news.example.com/kr/pipc-deepseek-suspension", "publisher": "연합뉴스",
         "published": "2025-02-17", "accessed": dt.date.today().isoformat(), "quote": None, "language": "ko",
         "translation": None, "kind": None},
    ]  # fmt: skip
    assert all(record[k] is None for k in ("jurisdiction", "authority", "action_type", "scope", "status"))
    assert "# FILL IN: country code (likely: KR, the text names '개인정보위')" in text

    data = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, data)
    (data / "actions").mkdir()
    # As drafted, validate refuses it: every field a person must decide is still empty.
    (data / "actions" / "kr.yaml").write_text(text, encoding="utf-8")
    _, problems = load(data)
    assert {p.field for p in problems} >= {"jurisdiction", "authority", "action_type", "scope", "status",
                                           "sources[0].quote"}  # fmt: skip
    assert all(p.path.endswith("kr.yaml") for p in problems)
    # Filled in, it is valid data, with the lead as its source.
    (data / "actions" / "kr.yaml").write_text(fill(text), encoding="utf-8")
    ds, problems = load(data)
    assert problems == []
    added = ds.by_id("actions")["CA-051"]
    assert added.values["sources"][0]["url"] == "https://news.example.com/kr/pipc-deepseek-suspension"
    assert added.values["apps"] == ["deepseek"]
    assert cli.main(["validate", "--data", str(data)]) == 0
    assert "3 actions" not in (said := capsys.readouterr().out) and ", 4 actions" in said
    # The next draft gets the next id, now that CA-051 is taken.
    assert leads.next_action_id(data) == "CA-052"


def test_draft_never_writes_into_the_data_folder_nor_over_a_file(
    server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, db = run(tmp_path, server, names=("kr.rss.xml",))
    data = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, data)
    common = ["--data", str(data), "--leads", str(db)]
    assert cli.main(["leads", "draft", "1", "--out", str(data / "actions" / "x.yaml"), *common]) == 2
    assert "is inside the data folder" in capsys.readouterr().err
    mine = tmp_path / "notes.yaml"
    mine.write_text("my notes\n", encoding="utf-8")
    assert cli.main(["leads", "draft", "1", "--out", str(mine), "--force", *common]) == 2
    assert mine.read_text(encoding="utf-8") == "my notes\n"
    draft = tmp_path / "d.yaml"
    assert cli.main(["leads", "draft", "1", "--out", str(draft), *common]) == 0
    assert cli.main(["leads", "draft", "1", "--out", str(draft), "--force", *common]) == 0


# --- the setting -----------------------------------------------------------------------------------

CONFIG = "site_title: T\ndata_dir: d\ndb_path: b/x.duckdb\n"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("", "b/leads.sqlite"),  # beside the database, like the corrections inbox
        ("leads_db: state/leads.sqlite\n", "state/leads.sqlite"),
        ("leads_db: b/x.duckdb\n", "leads_db: must be a file of its own"),
        ("leads_db: b/corrections.sqlite\n", "leads_db: must be a file of its own"),
        ("leads_db: [a]\n", "leads_db: expected text or null"),
    ],
)
def test_the_leads_file_is_a_setting_of_its_own(tmp_path: Path, line: str, expected: str) -> None:
    from chatbot_watch.config import ConfigError, load_settings

    (tmp_path / "c.yaml").write_text(CONFIG + line, encoding="utf-8")
    if expected.startswith("leads_db:"):
        with pytest.raises(ConfigError, match=re.escape(expected)):
            load_settings(tmp_path / "c.yaml", env={})
    else:
        assert load_settings(tmp_path / "c.yaml", env={}).leads_db == tmp_path / expected
    assert load_settings(ROOT / "config.yaml", env={}).leads_db == ROOT / "build" / "leads.sqlite"

"""`check-sources`: offline checks of every cited source; the online check against a local server only."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from chatbot_watch.cli import main
from chatbot_watch.reading.load import Dataset, Record, load
from chatbot_watch.tools import sources_check as sc
from tests.conftest import REAL_DATA, edit, line_of

BT = "https://www.btimesonline.com/articles/173886/20250424/south-korea.htm"


def src(
    url: str = BT, publisher: str | None = "Business Times", published: str | None = "2025-04-24", **kw: Any
) -> dict:
    quote = kw.get("quote", "One of the main recipients, according to the PIPC, was Beijing Volcano Engine.")
    return {"url": url, "publisher": publisher, "published": published, "accessed": None, "quote": quote}


def dataset(*records: tuple[str, str, list[dict]]) -> Dataset:
    """Records (kind, id, sources) at lines 10, 20, 30 ... of '<kind>.yaml'."""
    recs: dict[str, list[Record]] = {"data_types": [], "companies": [], "apps": [], "findings": [], "actions": []}
    for n, (kind, rid, sources) in enumerate(records, 1):
        lines = {
            f"sources[{i}].{f}": n * 10 + i
            for i in range(len(sources))
            for f in ("url", "publisher", "published", "quote")
        }
        recs[kind].append(Record(kind, {"id": rid, "sources": sources}, f"{kind}.yaml", n * 10, lines))
    return Dataset({}, recs, [])


def issues(ds: Dataset) -> list[str]:
    return [str(i) for i in sc.check(ds)]


def test_clean_sources_have_no_issues() -> None:
    ds = dataset(("companies", "bytedance", [src()]), ("findings", "AF-001", [src()]))
    assert issues(ds) == []


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://files.example.net/report.pdf", "link scheme 'ftp' is not allowed; only http:// and https:// links"),
        ("HTTPS://www.gov.kr/x", "write the scheme in lowercase (http:// or https://)"),
        ("javascript:alert(1)", "link scheme 'javascript' is not allowed; only http:// and https:// links"),
        ("https://localhost/admin", "URL has no valid host (a name with a dot, no empty part)"),
        ("https://user:pw@www.gov.kr/x", "URL must not contain a user name or password (before '@')"),
        ("https://www.gov.kr/a b", "URL must not contain spaces, line breaks or invisible characters"),
        ("https://www.gov.kr:99999/", "URL has an invalid port '99999'"),
    ],
)
def test_bad_links_are_errors(url: str, message: str) -> None:
    ds = dataset(("findings", "AF-001", [src(url)]))
    assert issues(ds) == [f"findings.yaml:10: sources[0].url: error: {message}"]


def test_same_url_with_other_publisher_or_date_is_a_warning_with_both_places() -> None:
    ds = dataset(
        ("companies", "bytedance", [src()]),
        ("findings", "AF-001", [src(publisher="btimesonline.com (Business Times)", published="2025-04")]),
    )
    assert issues(ds) == [
        "findings.yaml:20: sources[0].published: warning: published '2025-04' differs from '2025-04-24' for the "
        "same URL at companies.yaml:10 (company bytedance)",
        "findings.yaml:20: sources[0].publisher: warning: publisher 'btimesonline.com (Business Times)' differs "
        "from 'Business Times' for the same URL at companies.yaml:10 (company bytedance)",
    ]


def test_duplicates_within_a_record() -> None:
    other = src(quote="Among the data transferred were AI prompt inputs, along with device information.")
    ds = dataset(("actions", "CA-001", [src(), other, src()]))
    assert issues(ds) == [
        "actions.yaml:11: sources[1].url: info: cited twice in this record (also sources[0])",
        "actions.yaml:12: sources[2].url: warning: cited twice in this record with the same quote (also sources[0])",
    ]


def test_duplicate_in_a_record_after_the_url_was_cited_elsewhere() -> None:
    ds = dataset(("companies", "bytedance", [src()]), ("findings", "AF-001", [src(), src()]))
    assert issues(ds) == [
        "findings.yaml:21: sources[1].url: warning: cited twice in this record with the same quote (also sources[0])"
    ]


def test_same_page_under_two_addresses() -> None:
    ds = dataset(
        ("findings", "AF-001", [src()]),
        ("actions", "CA-001", [src("http://btimesonline.com/articles/173886/20250424/south-korea.htm/?utm_source=x")]),
    )
    assert issues(ds) == [
        "actions.yaml:20: sources[0].url: info: tracking parameter(s) utm_source; cite the plain address",
        "actions.yaml:20: sources[0].url: warning: http:// link, while the same host is cited with https:// at "
        "findings.yaml:10 (finding AF-001)",
        f"actions.yaml:20: sources[0].url: warning: probably the same page as {BT} at findings.yaml:10 "
        f"(finding AF-001); cite one address",
    ]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (src(published=None), ["sources[0].published: info: no published date"]),
        (src(publisher=None), ["sources[0].publisher: warning: no publisher"]),
        (src(quote=None), ["sources[0].quote: warning: no quote; add a short verbatim quote that supports the claim"]),
        (
            src(quote="Volcano Engine."),
            ["sources[0].quote: warning: very short quote (2 word(s)); quote a sentence that supports the claim"],
        ),
        (
            src(quote=" ".join(["word"] * 61)),
            ["sources[0].quote: warning: long quote (61 words; the convention is about 30)"],
        ),
        (src(quote=" ".join(["word"] * 60)), []),
        (src(quote="個人情報保護委員会は3日、ディープシークが示している個人情報保護方針"), []),
        (
            src("http://world.kbs.co.kr/news?id=1"),
            ["sources[0].url: info: http:// link; use https:// if the site offers it"],
        ),
        (
            src("https://93.184.216.34/page"),
            ["sources[0].url: error: URL host must be a name, not an IP address or a number"],
        ),
        (
            src("https://example.org/texas-ban"),
            ["sources[0].url: warning: 'example.org' is a reserved example or local domain"],
        ),
    ],
)
def test_field_checks(source: dict, expected: list[str]) -> None:
    got = [s.split(": ", 1)[1] for s in issues(dataset(("findings", "AF-001", [source])))]
    assert got == expected


@pytest.mark.parametrize(
    ("text", "n"),
    [
        ("One of the main recipients.", 5),
        ("Among the data — transferred", 4),
        ("딥시크 앱 다운로드 중단", 4),
        ("個人情報保護委員会は3日", 7),  # 11 characters ~ 6 words, and "3"
        ("", 0),
    ],
)
def test_words(text: str, n: int) -> None:
    assert sc.words(text) == n


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("https://www.example.com/a/", "http://example.com/a", True),
        ("https://example.com/a?utm_source=x&id=3", "https://example.com/a?id=3", True),
        ("https://example.com/a#section", "https://example.com/a", True),
        ("https://example.com/a?id=3", "https://example.com/a?id=4", False),
        ("https://example.com/a", "https://example.com/b", False),
    ],
)
def test_page_key(a: str, b: str, same: bool) -> None:
    assert (sc.page_key(a) == sc.page_key(b)) is same


def test_cli_prints_path_line_field_and_exits_1_on_errors(data_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(data_copy, "actions.yaml", "url: https://example.org/texas-ban", "url: javascript:alert(1)")
    edit(data_copy, "findings.yaml", "quote: includes a function to collect keyboard input patterns", "quote: keyboard")
    assert main(["check-sources", "--data", str(data_copy)]) == 1
    out, err = capsys.readouterr()
    actions, findings = data_copy / "actions.yaml", data_copy / "findings.yaml"
    assert out.splitlines()[:6] == [
        f"{actions}:28: sources[0].url: warning: 'example.org' is a reserved example or local domain",
        f"{actions}:{line_of(data_copy, 'actions.yaml', 'javascript:')}: sources[0].url: error: "
        "link scheme 'javascript' is not allowed; only http:// and https:// links",
        f"{data_copy / 'companies.yaml'}:36: sources[0].url: warning: "
        "'example.org' is a reserved example or local domain",
        f"{findings}:{line_of(data_copy, 'findings.yaml', 'quote: keyboard')}: sources[0].quote: warning: "
        "very short quote (1 word(s)); quote a sentence that supports the claim",
        "checked 8 citation(s) of 6 URL(s) in 8 record(s): 1 error(s), 3 warning(s), 6 note(s)",
        "notes: 1 month-precise date(s) where a source of that month is dated to the day; 5 source(s) whose "
        "quote's language is not stated (--verbose lists them)",
    ]
    assert out.splitlines()[6].startswith("sourcing: actions: 3; main source primary 0")
    assert "1 validation problem(s); run validate" in err


def test_cli_exit_0_with_warnings_and_2_without_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.conftest import FIXTURE_DATA

    assert main(["check-sources", "--data", str(FIXTURE_DATA)]) == 0
    out = capsys.readouterr().out
    assert "0 error(s), 3 warning(s), 6 note(s)" in out
    assert main(["check-sources", "--data", str(tmp_path / "nope")]) == 2
    assert capsys.readouterr().err == f"check-sources: {tmp_path / 'nope'}: data folder does not exist\n"


def test_real_data_has_no_link_errors() -> None:
    ds, problems = load(REAL_DATA)
    assert problems == []
    errors = [str(i) for i in sc.check(ds) if i.severity == "error"]
    assert errors == []
    assert len(sc.citations(ds)) >= 300


# --- online check: a local server only, never the network --------------------------------------


class Handler(http.server.BaseHTTPRequestHandler):
    redirect_to = ""
    seen: list[str] = []

    def _answer(self, body: bool) -> None:
        Handler.seen.append(self.path)
        if self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", Handler.redirect_to)
        elif self.path == "/ok":
            self.send_response(200)
        elif self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
        elif self.path == "/no-head" and self.command == "HEAD":
            self.send_response(405)
        elif self.path == "/no-head":
            self.send_response(200)
        else:
            self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_HEAD(self) -> None:  # noqa: N802 - http.server's naming
        self._answer(False)

    def do_GET(self) -> None:  # noqa: N802
        self._answer(True)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def local_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_check_links_against_a_local_server(local_server: str) -> None:
    urls = [f"{local_server}/ok", f"{local_server}/moved", f"{local_server}/no-head", f"{local_server}/gone"]
    results = sc.check_links(urls + urls[:1], timeout=5, workers=2, allowed=("127.0.0.1",), proxies={})
    assert {u.rsplit("/", 1)[1]: (r.status, r.ok) for u, r in results.items()} == {
        "ok": (200, True),
        "moved": (200, True),
        "no-head": (200, True),
        "gone": (404, False),
    }


@pytest.mark.parametrize(
    "target",
    [
        "http://169.254.169.254/latest/meta-data/",  # cloud metadata (link-local)
        "http://10.0.0.1/",
        "http://0x7f.1:{port}/ok",  # 127.0.0.1 as a browser reads it
        "http://[::1]:{port}/ok",
        "http://localhost:{port}/ok",
        "file:///etc/passwd",
    ],
)
def test_online_check_refuses_internal_addresses_after_a_redirect(local_server: str, target: str) -> None:
    port = local_server.rsplit(":", 1)[1]
    Handler.redirect_to = target.format(port=port)
    Handler.seen.clear()
    r = sc.probe(f"{local_server}/redirect", timeout=5, allowed=("127.0.0.1",), proxies={})
    assert r.status is None and not r.ok and "refused" in (r.error or "")
    assert Handler.seen == ["/redirect"] * len(Handler.seen)  # the target was never requested here


@pytest.mark.parametrize("url", ["http://127.0.0.1:{port}/ok", "http://0x7f.1:{port}/ok", "http://localhost:{port}/ok"])
def test_online_check_refuses_internal_addresses_before_any_request(local_server: str, url: str) -> None:
    Handler.seen.clear()
    r = sc.probe(url.format(port=local_server.rsplit(":", 1)[1]), timeout=5, proxies={})
    assert r.status is None and not r.ok and r.error
    assert Handler.seen == []


def test_unanswered_link_is_an_error_result_not_an_exception() -> None:
    with socket_closed_port() as port:
        r = sc.probe(f"http://127.0.0.1:{port}/x", timeout=2, allowed=("127.0.0.1",), proxies={})
    assert r.status is None and r.error and not r.ok


def test_online_issues_warn_once_per_url() -> None:
    ds = dataset(("findings", "AF-001", [src()]), ("actions", "CA-001", [src()]))
    cites = sc.citations(ds)
    results = {BT: sc.LinkResult(BT, 404)}
    assert [str(i) for i in sc.online_issues(cites, results)] == [
        "findings.yaml:10: sources[0].url: warning: link answered HTTP 404 (online check)"
    ]


class socket_closed_port:  # noqa: N801 - used as a context manager
    """A local port with nothing listening on it: bound and held, never listening, so connecting
    is refused and no other process (a parallel test worker) can take the port meanwhile."""

    def __enter__(self) -> int:
        import socket

        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        return int(self.sock.getsockname()[1])

    def __exit__(self, *args: object) -> None:
        self.sock.close()

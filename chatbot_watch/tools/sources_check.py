"""Every cited source of every record -> problems worth a maintainer's look, offline (links optional).

Offline checks, by severity:

- error: a URL that is not http(s), has no host with a dot, has spaces, or carries a user name
  or password (a link the site must never show).
- warning: the same URL cited with a different publisher or publication date elsewhere (the
  database keeps the first citation's, so one of them is wrong); the same page under two spellings
  of its address (`http`/`https`, `www.`, a trailing `/`, tracking parameters); the same URL and
  quote twice in one record; a missing or very short quote, or one over 60 words (the convention
  is about 30); a missing publisher; an `http://` link whose host is cited with `https://`
  elsewhere; a reserved example domain (`example.org`); an IP address as host.
- info (counted; listed with `--verbose`): no published date; an `http://` link; tracking
  parameters (`utm_*`, `fbclid` …); a page cited twice in one record with two quotes (allowed).

`check_links` is the optional online check (`check-sources --online`): a HEAD request per distinct
URL, a GET where HEAD is refused, a timeout and a few workers. It is never run by the tests
against the network.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
import socket
import urllib.error
import urllib.request
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from chatbot_watch.datamodel import evidence, schema
from chatbot_watch.reading.load import Dataset, Record
from chatbot_watch.reading.urls import browser_host, mixed_script, url_problem

Severity = Literal["error", "warning", "info"]
MIN_QUOTE_WORDS = 4
MAX_QUOTE_WORDS = 60
TRACKING_PARAMS = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "igshid", "ocid")
EXAMPLE_DOMAINS = ("example.com", "example.org", "example.net", "example.edu")
RESERVED_SUFFIXES = (".example", ".invalid", ".localhost", ".local", ".test", ".internal")
INFO_LABELS = {
    "no-published": "source(s) without a published date",
    "http": "http:// link(s)",
    "tracking": "link(s) with tracking parameters",
    "same-page-twice": "page(s) cited twice in one record with two quotes (allowed)",
    "day-precision": "month-precise date(s) where a source of that month is dated to the day",
    "no-language": "source(s) whose quote's language is not stated",
}
SINGULAR = {k.name: k.word for k in schema.KINDS}
USER_AGENT = "chatbot-watch-check-sources/0.1 (link check of cited sources)"


@dataclass(frozen=True, order=True)
class Issue:
    """One thing found about one citation, printed as `path:line: field: severity: message`."""

    path: str
    line: int
    field: str
    severity: Severity
    message: str
    code: str = ""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.field}: {self.severity}: {self.message}"


@dataclass(frozen=True)
class Citation:
    """One item of one record's `sources`."""

    record: Record
    index: int
    values: dict[str, Any]

    @property
    def url(self) -> str | None:
        url = self.values.get("url")
        return url if isinstance(url, str) else None

    def field(self, name: str) -> str:
        return f"sources[{self.index}].{name}"

    def line(self, name: str = "url") -> int:
        return self.record.line_of(self.field(name))

    def where(self) -> str:
        kind = SINGULAR.get(self.record.kind, self.record.kind)
        return f"{self.record.path}:{self.line()} ({kind} {self.record.id})"

    def issue(self, name: str, severity: Severity, message: str, code: str = "") -> Issue:
        return Issue(self.record.path, self.line(name), self.field(name), severity, message, code)


def citations(ds: Dataset) -> list[Citation]:
    """Every citation of every record, in file order."""
    out = []
    for kind in schema.KINDS:
        for rec in ds.records.get(kind.name, []):
            sources = rec.values.get("sources")
            if not isinstance(sources, list):
                continue
            for i, src in enumerate(sources):
                if isinstance(src, dict):
                    out.append(Citation(rec, i, src))
    return out


def url_error(url: str) -> str | None:
    """Why a URL cannot be a source link, or None (as a browser parses it: see urls.py)."""
    return url_problem(url)


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def page_key(url: str) -> str:
    """The address with spelling differences removed: scheme, `www.`, trailing `/`, fragment, tracking."""
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    if parts.port and parts.port not in (80, 443):
        host += f":{parts.port}"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _tracking(k)])
    path = parts.path.rstrip("/")
    return f"{host}{path}" + (f"?{query}" if query else "")


def _tracking(param: str) -> bool:
    return param.lower().startswith(TRACKING_PARAMS)


# Chinese and Japanese are written without spaces: there, about two characters make a word.
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def words(text: str) -> int:
    """Roughly how many words a quote has, in spaced scripts and in Chinese or Japanese alike."""
    cjk = len(_CJK.findall(text))
    spaced = sum(1 for token in _CJK.sub(" ", text).split() if any(ch.isalnum() for ch in token))
    return spaced + (cjk + 1) // 2


def check(ds: Dataset) -> list[Issue]:
    """Every offline issue of every citation, sorted by file and line."""
    cites = citations(ds)
    issues: list[Issue] = []
    first_by_url: dict[str, Citation] = {}
    by_record_url: dict[tuple[int, str], list[Citation]] = defaultdict(list)
    first_by_page: dict[str, Citation] = {}
    https_hosts: dict[str, Citation] = {}
    good: list[Citation] = []
    for c in cites:
        url = c.url
        if url is None:
            issues.append(c.issue("url", "error", "no URL"))
            continue
        err = url_error(url)
        if err:
            issues.append(c.issue("url", "error", err))
            continue
        good.append(c)
        host = (urlsplit(url).hostname or "").removeprefix("www.")
        if url.startswith("https://"):
            https_hosts.setdefault(host, c)
    for c in good:
        url = c.url or ""
        parts = urlsplit(url)
        host = parts.hostname or ""
        if _is_ip(host):
            issues.append(c.issue("url", "warning", "host is an IP address; cite the site's name"))
        elif host.endswith(EXAMPLE_DOMAINS) or host.endswith(RESERVED_SUFFIXES):
            issues.append(c.issue("url", "warning", f"'{host}' is a reserved example or local domain"))
        if mixed_script(host):
            shown = browser_host(host) or host
            issues.append(
                c.issue(
                    "url",
                    "warning",
                    f"host '{host}' mixes scripts in one name (a look-alike?); browsers visit and show '{shown}'",
                    "mixed-script",
                )
            )
        if parts.scheme == "http":
            other = https_hosts.get(host.removeprefix("www."))
            if other is not None:
                issues.append(
                    c.issue(
                        "url", "warning", f"http:// link, while the same host is cited with https:// at {other.where()}"
                    )
                )
            else:
                issues.append(c.issue("url", "info", "http:// link; use https:// if the site offers it", "http"))
        tracking = sorted({k for k, _ in parse_qsl(parts.query, keep_blank_values=True) if _tracking(k)})
        if tracking:
            issues.append(
                c.issue(
                    "url", "info", f"tracking parameter(s) {', '.join(tracking)}; cite the plain address", "tracking"
                )
            )
        issues.extend(_check_fields(c))
        in_record = by_record_url[(id(c.record), url)]
        issues.extend(_check_twice_in_record(c, in_record))
        in_record.append(c)
        first = first_by_url.get(url)
        if first is None:
            first_by_url[url] = c
            key = page_key(url)
            same_page = first_by_page.get(key)
            if same_page is None:
                first_by_page[key] = c
            else:
                issues.append(
                    c.issue(
                        "url",
                        "warning",
                        f"probably the same page as {same_page.url} at {same_page.where()}; cite one address",
                    )
                )
            continue
        issues.extend(_check_repeat(c, first))
    return sorted(set(issues))


def _check_fields(c: Citation) -> list[Issue]:
    out = []
    publisher = c.values.get("publisher")
    if not isinstance(publisher, str) or not publisher.strip():
        out.append(c.issue("publisher", "warning", "no publisher"))
    if not c.values.get("published"):
        out.append(c.issue("published", "info", "no published date", "no-published"))
    quote = c.values.get("quote")
    if not isinstance(quote, str) or not quote.strip():
        out.append(c.issue("quote", "warning", "no quote; add a short verbatim quote that supports the claim"))
    else:
        n = words(quote)
        if n < MIN_QUOTE_WORDS:
            out.append(
                c.issue("quote", "warning", f"very short quote ({n} word(s)); quote a sentence that supports the claim")
            )
        elif n > MAX_QUOTE_WORDS:
            out.append(c.issue("quote", "warning", f"long quote ({n} words; the convention is about 30)"))
    return out


def _check_twice_in_record(c: Citation, earlier: list[Citation]) -> list[Issue]:
    """The URL was cited before in the same record: a duplicate, or (allowed) a second quote."""
    if not earlier:
        return []
    same = next((o for o in earlier if o.values.get("quote") == c.values.get("quote")), None)
    if same is not None:
        return [
            c.issue("url", "warning", f"cited twice in this record with the same quote (also sources[{same.index}])")
        ]
    return [c.issue("url", "info", f"cited twice in this record (also sources[{earlier[0].index}])", "same-page-twice")]


def _check_repeat(c: Citation, first: Citation) -> list[Issue]:
    """The URL was cited before: the details the database keeps once per URL must agree."""
    out = []
    for name in ("publisher", "published"):
        a, b = first.values.get(name), c.values.get(name)
        if a != b:
            out.append(
                c.issue(
                    name,
                    "warning",
                    f"{name} {_show(b)} differs from {_show(a)} for the same URL at {first.where()}",
                )
            )
    return out


def _show(value: Any) -> str:
    return "null" if value is None else repr(value)


def summary(issues: Iterable[Issue], cites: list[Citation], verbose: bool) -> list[str]:
    """The closing lines: counts by severity, and the notes not listed."""
    issues = list(issues)
    counts = Counter(i.severity for i in issues)
    urls = {c.url for c in cites if c.url}
    records = {(c.record.kind, c.record.id) for c in cites}
    lines = [
        f"checked {len(cites)} citation(s) of {len(urls)} URL(s) in {len(records)} record(s): "
        f"{counts['error']} error(s), {counts['warning']} warning(s), {counts['info']} note(s)"
    ]
    if not verbose:
        codes = Counter(i.code for i in issues if i.severity == "info")
        parts = [f"{n} {INFO_LABELS.get(code, code)}" for code, n in sorted(codes.items())]
        if parts:
            lines.append("notes: " + "; ".join(parts) + " (--verbose lists them)")
    return lines


# ---------------------------------------------------------------------------
# Records: the main source, staleness, date precision (issues 22 and 27)
# ---------------------------------------------------------------------------

STALE_DAYS = 180  # an open action whose newest source is older than this is a lead to re-check


def record_issues(ds: Dataset, data_dir: Path, today: dt.date, stale_days: int = STALE_DAYS) -> list[Issue]:
    """Per record: a main source on a reviewed repost site (warning), an open action whose newest
    source is older than `stale_days` (warning), a month-precise date where a source of that month
    is dated to the day (info), a source whose quote's language is not stated (info)."""
    sites = evidence.secondary_sites(data_dir)
    issues: list[Issue] = []
    for kind in ("findings", "actions"):
        for rec in ds.records.get(kind, []):
            sources = rec.values.get("sources") or []
            main = sources[0] if sources and isinstance(sources[0], dict) else None
            url = main.get("url") if main else None
            site = evidence.site_of(url, sites) if isinstance(url, str) else None
            if site:
                c = Citation(rec, 0, main or {})
                issues.append(
                    c.issue(
                        "url",
                        "warning",
                        f"main source is on {site}, reviewed as a repost or aggregator "
                        f"({sites[site].rstrip('.')}); put the "
                        "authority's own publication or a report quoting it first",
                        "secondary-main",
                    )
                )
            if kind == "actions":
                old = evidence.stale(rec.values, today, stale_days)
                if old is not None:
                    newest, age = old
                    when = f"newest source {newest} ({age} days old)" if newest else "no dated source"
                    issues.append(
                        Issue(
                            rec.path,
                            rec.line_of("status"),
                            "status",
                            "warning",
                            f"still '{rec.values.get('status')}' with {when}: re-check whether it has ended",
                            "stale",
                        )
                    )
                for f in ("announced", "effective", "lifted"):
                    day = evidence.day_hint(rec.values, f)
                    if day:
                        issues.append(
                            Issue(
                                rec.path,
                                rec.line_of(f),
                                f,
                                "info",
                                f"{f} is month-precise ({rec.values[f]}) but a source is dated {day}: "
                                "use the day if a source states it",
                                "day-precision",
                            )
                        )
            for i, src in enumerate(sources):
                if isinstance(src, dict) and src.get("language") is None:
                    issues.append(
                        Citation(rec, i, src).issue("quote", "info", "quote language not stated", "no-language")
                    )
    return issues


def sourcing_report(ds: Dataset, verbose: bool = False, limit: int = 25) -> list[str]:
    """The shares of issue 22 (main source primary or direct, quote language, primary document)
    and the records still short of all three (the first `limit`, all with `verbose`)."""
    values = {k: [r.values for r in ds.records.get(k, [])] for k in evidence.MEASURED_KINDS}
    ms = evidence.measures(values)
    lines = ["sourcing: " + line for line in evidence.share_lines(evidence.shares(ms))]
    short = [m for m in ms if not m.cite_ready]
    shown = short if verbose else short[:limit]
    for m in shown:
        lines.append(f"  short: {m.id}: " + "; ".join(m.shortfalls()))
    if len(short) > len(shown):
        lines.append(f"  ... and {len(short) - len(shown)} more record(s) short (--verbose lists them)")
    return lines


# ---------------------------------------------------------------------------
# Online
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LinkResult:
    """How one URL answered: an HTTP status, or an error when it did not answer."""

    url: str
    status: int | None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 400


def refusal(url: str, allowed: Collection[str] = ()) -> str | None:
    """Why the online check must not request `url`, or None: it must be a valid public link whose
    host resolves only to public addresses (never loopback, private, link-local or reserved ones,
    so a cited link or a redirect cannot make the check reach the maintainer's own network).
    `allowed` lists literal IP addresses that may be reached anyway (a test's local server)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if host not in allowed:
        problem = url_problem(url)
        if problem:
            return f"not a valid public link ({problem})"
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = socket.getaddrinfo(browser_host(host) or host, port, type=socket.SOCK_STREAM)
    except (OSError, ValueError, UnicodeError) as exc:
        return f"host not found ({exc})"
    for info in infos:
        address = str(info[4][0]).split("%", 1)[0]
        if address in allowed:
            continue
        if not ipaddress.ip_address(address).is_global:
            return f"{host} resolves to a non-public address ({address}); not requested"
    return None


class GuardedRedirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only to a link that `refusal` lets through."""

    def __init__(self, allowed: Collection[str]) -> None:
        self.allowed = allowed

    def http_error_302(self, req, fp, code, msg, headers):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN201
        target = headers.get("location") or headers.get("uri")
        if target:
            newurl = urljoin(req.full_url, target)
            why = refusal(newurl, self.allowed)
            if why:
                raise urllib.error.URLError(f"redirect to {newurl} refused: {why}")
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def _open(opener: urllib.request.OpenerDirector, url: str, method: str, timeout: float) -> int:
    req = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})  # noqa: S310 - http(s) only
    with opener.open(req, timeout=timeout) as resp:
        return int(resp.status)


def probe(
    url: str, timeout: float = 10.0, allowed: Collection[str] = (), proxies: dict[str, str] | None = None
) -> LinkResult:
    """HEAD the URL (redirects followed); GET it where HEAD fails. Never raises. The URL and every
    redirect target are checked with `refusal` before they are requested; `proxies` as for
    urllib's ProxyHandler (None: the environment's)."""
    why = refusal(url, allowed)
    if why:
        return LinkResult(url, None, why)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler(proxies), GuardedRedirects(allowed))
    error: str | None = None
    status: int | None = None
    for method in ("HEAD", "GET"):
        try:
            return LinkResult(url, _open(opener, url, method, timeout))
        except urllib.error.HTTPError as exc:
            status, error = exc.code, None
        except urllib.error.URLError as exc:
            status, error = None, str(exc.reason)
        except (TimeoutError, OSError, ValueError) as exc:
            status, error = None, str(exc) or type(exc).__name__
    return LinkResult(url, status, error)


def check_links(
    urls: Iterable[str],
    timeout: float = 10.0,
    workers: int = 4,
    allowed: Collection[str] = (),
    proxies: dict[str, str] | None = None,
) -> dict[str, LinkResult]:
    """Probe each distinct URL once, a few at a time (see `probe`)."""
    unique = sorted(set(urls))
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        results = pool.map(lambda u: probe(u, timeout, allowed, proxies), unique)
        return {r.url: r for r in results}


def online_issues(cites: list[Citation], results: dict[str, LinkResult]) -> list[Issue]:
    """A warning at the first citation of each URL that did not answer with 2xx or 3xx."""
    out = []
    seen: set[str] = set()
    for c in cites:
        url = c.url
        if url is None or url in seen or url not in results:
            continue
        seen.add(url)
        r = results[url]
        if r.ok:
            continue
        what = f"answered HTTP {r.status}" if r.status is not None else f"did not answer ({r.error})"
        out.append(c.issue("url", "warning", f"link {what} (online check)", "online"))
    return out

"""`watch`: read the news feeds listed in watch/feeds.yaml and file the items worth a look as leads.

Each feed is fetched with the protections of `check-sources --online` (sources_check.refusal and
its guarded redirects: no loopback, private, link-local or reserved address, before the request
and after every redirect), plus a size limit (the Content-Length is checked before reading, the
body is read no further than the limit) and a time limit (the whole download; each wait on the
network at most as long again). The body is parsed by feedparser (RSS 0.9x/1.0/2.0, Atom, RDF),
given as bytes, so it never fetches anything itself; it does not resolve external entities.

An item becomes a lead when its title or summary names a tracked app or company (names, aliases
and legal names from the data folder, plus the extra spellings in watch/feeds.yaml) and an action
word (watchwords.py), and its link is neither cited by any record (sources and primary documents,
compared by normalised address) nor filed before (leads.py; the same link in two feeds is filed
once). Nothing here changes `data/`.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import html.parser
import io
import re
import time
import unicodedata
import urllib.error
import urllib.request
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import feedparser
import yaml

from chatbot_watch import paths
from chatbot_watch.datamodel import schema, vocabularies
from chatbot_watch.reading.load import Dataset
from chatbot_watch.reading.urls import url_problem
from chatbot_watch.tools import leads
from chatbot_watch.tools import sources_check as sc
from chatbot_watch.tools.watchwords import COUNTRY_HINTS, all_action_words, compile_terms

FEEDS_FILE = paths.ROOT / "watch" / "feeds.yaml"
MAX_FEED_BYTES = 5 * 2**20  # a busy news search is about 100 KB
TIMEOUT = 20.0
MAX_ITEMS = 500  # items read per feed
MAX_MATCHES = 10  # names or words kept per lead
USER_AGENT = "chatbot-watch-watch/0.1 (news watch for the Chatbot Watch maintainers)"
ACCEPT = "application/rss+xml, application/atom+xml, application/rdf+xml, application/xml;q=0.9, text/xml;q=0.9"

_FEED_KEYS = {"name", "url", "language", "country", "why", "publisher"}
_NAME_KEYS = {"kind", "id", "names", "why"}
_NULLS = ("", "null", "~", "Null", "NULL")


class WatchError(Exception):
    """The feeds file cannot be read or is invalid; the message lists every problem."""


class FetchError(Exception):
    """A feed that was not requested, did not answer, or is not a feed; the message says why."""


@dataclass(frozen=True)
class Feed:
    """One entry of watch/feeds.yaml."""

    name: str
    url: str
    language: str
    why: str
    country: str | None = None
    publisher: str | None = None


@dataclass(frozen=True)
class ExtraNames:
    """Spellings of an app's or company's name that the press uses and data/ does not list."""

    kind: str  # "app" or "company"
    id: str
    names: tuple[str, ...]
    why: str


@dataclass(frozen=True)
class WatchList:
    """Everything watch/feeds.yaml says."""

    feeds: tuple[Feed, ...]
    extra_names: tuple[ExtraNames, ...] = ()


# ---------------------------------------------------------------------------
# The feeds file
# ---------------------------------------------------------------------------


def _value(raw: Any) -> str | None:
    if raw is None or (isinstance(raw, str) and raw.strip() in _NULLS):
        return None
    return raw.strip() if isinstance(raw, str) else None


def load_feeds(path: Path = FEEDS_FILE, allowed: Collection[str] = ()) -> WatchList:
    """Read and check the feeds file. Every feed needs a name, an http(s) url, a language (a code of
    data/README.md's LANGUAGES), a `why` and optionally a country code; names and urls are unique.
    `allowed` lists hosts whose url may be an IP address (a test's local server)."""
    try:
        text = path.read_text(encoding="utf-8")
        # BaseLoader: every scalar stays text (no YAML 1.1 `NO` -> False, no dates).
        raw = yaml.load(text, Loader=yaml.BaseLoader)  # noqa: S506 - BaseLoader builds only str, list, dict
    except OSError as exc:
        raise WatchError(f"{path}: cannot read the feeds file ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise WatchError(f"{path}: the feeds file is not UTF-8 text") from None
    except yaml.YAMLError as exc:
        raise WatchError(f"{path}: YAML error: {exc}") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("feeds"), list):
        raise WatchError(f"{path}: expected a mapping with a list `feeds:`")
    problems: list[str] = []
    unknown = set(raw) - {"feeds", "extra_names"}
    if unknown:
        problems.append(f"unknown key(s) {', '.join(sorted(unknown))}")
    feeds: list[Feed] = []
    seen_names: set[str] = set()
    seen_urls: set[str] = set()
    for i, entry in enumerate(raw["feeds"]):
        where = f"feeds[{i}]"
        if not isinstance(entry, dict):
            problems.append(f"{where}: expected a mapping")
            continue
        for key in sorted(set(entry) - _FEED_KEYS):
            problems.append(f"{where}.{key}: unknown field")
        values = {k: _value(entry.get(k)) for k in _FEED_KEYS}
        for key in ("name", "url", "language", "why"):
            if not values[key]:
                problems.append(f"{where}.{key}: required")
        url, lang, country = values["url"], values["language"], values["country"]
        if url:
            host = urlsplit(url).hostname or ""
            if not url.startswith(("http://", "https://")):
                problems.append(f"{where}.url: only http:// and https:// feeds")
            elif host not in allowed and url_problem(url):
                problems.append(f"{where}.url: {url_problem(url)}")
            elif url in seen_urls:
                problems.append(f"{where}.url: listed twice")
            seen_urls.add(url)
        if values["name"]:
            if values["name"] in seen_names:
                problems.append(f"{where}.name: listed twice")
            seen_names.add(values["name"])
            if len(values["name"]) > leads.LIMITS["feed"]:
                problems.append(f"{where}.name: at most {leads.LIMITS['feed']} characters")
        if lang and lang not in vocabularies.LANGUAGES:
            problems.append(f"{where}.language: unknown language code '{lang}' (see data/README.md, LANGUAGES)")
        if country and not re.fullmatch(r"[A-Z]{2}", country):
            problems.append(f"{where}.country: expected a country code such as KR, or EU")
        if all(values[k] for k in ("name", "url", "language", "why")):
            feeds.append(Feed(values["name"], values["url"], values["language"], values["why"], country,  # type: ignore[arg-type]
                              values["publisher"]))  # fmt: skip
    extra: list[ExtraNames] = []
    for i, entry in enumerate(raw.get("extra_names") or []):
        where = f"extra_names[{i}]"
        if not isinstance(entry, dict):
            problems.append(f"{where}: expected a mapping")
            continue
        for key in sorted(set(entry) - _NAME_KEYS):
            problems.append(f"{where}.{key}: unknown field")
        kind, ident, why = _value(entry.get("kind")), _value(entry.get("id")), _value(entry.get("why"))
        names = entry.get("names")
        if kind not in ("app", "company"):
            problems.append(f"{where}.kind: expected app or company")
        if not ident or not why:
            problems.append(f"{where}: id and why are required")
        if not isinstance(names, list) or not names or not all(isinstance(n, str) and n.strip() for n in names):
            problems.append(f"{where}.names: expected a list of names")
        elif kind in ("app", "company") and ident and why:
            extra.append(ExtraNames(kind, ident, tuple(n.strip() for n in names), why))
    if problems:
        raise WatchError(f"{path}: " + "; ".join(problems))
    return WatchList(tuple(feeds), tuple(extra))


# ---------------------------------------------------------------------------
# Fetching
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Fetched:
    """A feed's body as received, with the address it came from (after redirects) and its type."""

    url: str
    content_type: str
    body: bytes


def fetch(
    url: str,
    timeout: float = TIMEOUT,
    max_bytes: int = MAX_FEED_BYTES,
    allowed: Collection[str] = (),
    proxies: dict[str, str] | None = None,
) -> Fetched:
    """GET `url` within the limits (see the module docstring); raises FetchError. `allowed` and
    `proxies` as for sources_check.probe."""
    why = sc.refusal(url, allowed)
    if why:
        raise FetchError(f"refused: {why}")
    opener = urllib.request.build_opener(urllib.request.ProxyHandler(proxies), sc.GuardedRedirects(allowed))
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": ACCEPT})  # noqa: S310 - http(s) only
    deadline = time.monotonic() + timeout
    try:
        with opener.open(req, timeout=timeout) as resp:
            length = resp.headers.get("Content-Length", "")
            if length.strip().isdigit() and int(length) > max_bytes:
                raise FetchError(f"too large: {int(length)} bytes announced, the limit is {max_bytes}")
            chunks: list[bytes] = []
            size = 0
            while True:
                if time.monotonic() > deadline:
                    raise FetchError(f"too slow: not received within {timeout:g} s")
                chunk = resp.read1(65536)
                if not chunk:
                    break
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(f"too large: more than {max_bytes} bytes")
                chunks.append(chunk)
            return Fetched(resp.geturl(), resp.headers.get("Content-Type", ""), b"".join(chunks))
    except urllib.error.HTTPError as exc:
        raise FetchError(f"answered HTTP {exc.code}") from None
    except urllib.error.URLError as exc:
        raise FetchError(f"did not answer ({exc.reason})") from None
    except (TimeoutError, OSError, ValueError) as exc:
        raise FetchError(f"did not answer ({exc or type(exc).__name__})") from None


# ---------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One feed item, its text tidied (one line, no control characters, within the leads' limits)."""

    title: str
    link: str
    publisher: str
    published: str
    summary: str


class _Text(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_text(markup: str) -> str:
    """The text of an HTML fragment (a feed's summary), tags dropped."""
    p = _Text()
    p.feed(markup)
    p.close()
    return " ".join(p.parts)


def tidy(text: str, limit: int) -> str:
    """One line of text: NFC, every run of spaces and line breaks one space, control, format and
    bidi characters dropped (ZWJ and ZWNJ kept), cut to `limit` characters with an ellipsis."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch.isspace():
            out.append(" ")
            continue
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Cs", "Co", "Cn", "Zl", "Zp") or (cat == "Cf" and ch not in ("\u200c", "\u200d")):
            continue
        out.append(ch)
    line = " ".join("".join(out).split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def item_date(entry: Any) -> str:
    """The item's date as the feed writes it (in the feed's own time zone), YYYY-MM-DD, or ''."""
    for key in ("published", "updated", "created"):
        raw = entry.get(key)
        if not isinstance(raw, str) or not raw.strip():
            continue
        try:
            return email.utils.parsedate_to_datetime(raw.strip()).date().isoformat()
        except (TypeError, ValueError, IndexError):
            pass
        try:
            return dt.datetime.fromisoformat(raw.strip().replace("Z", "+00:00")).date().isoformat()
        except ValueError:
            pass
        parsed = entry.get(f"{key}_parsed")
        if parsed:
            try:
                return dt.date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday).isoformat()
            except ValueError:
                pass
    return ""


def parse(fetched: Fetched, feed: Feed, max_items: int = MAX_ITEMS) -> list[Item]:
    """The items of a feed body (at most `max_items`); raises FetchError when it is not a feed."""
    parsed = feedparser.parse(
        io.BytesIO(fetched.body),
        response_headers={"content-location": fetched.url, "content-type": fetched.content_type or "application/xml"},
        sanitize_html=True,
        resolve_relative_uris=True,
    )
    entries = parsed.get("entries") or []
    if not entries and not parsed.get("version"):
        reason = parsed.get("bozo_exception")
        raise FetchError(f"not an RSS, Atom or RDF feed ({reason or 'no items'})")
    items = []
    for entry in entries[:max_items]:
        link = entry.get("link")
        if not isinstance(link, str):
            link = ""
        source = entry.get("source") or {}
        publisher = source.get("title") if isinstance(source, dict) else None
        summary = entry.get("summary") or ""
        items.append(
            Item(
                title=tidy(entry.get("title") or "", leads.LIMITS["title"]),
                link=link.strip(),
                publisher=tidy(publisher or feed.publisher or feed.name, leads.LIMITS["publisher"]),
                published=item_date(entry),
                summary=tidy(html_text(summary) if isinstance(summary, str) else "", 5000),
            )
        )
    return items


# ---------------------------------------------------------------------------
# Matching
# ---------------------------------------------------------------------------


def _cjk_or_long(name: str) -> bool:
    """Names worth matching: three characters or more, or two of a script without spaces (元寶)."""
    return len(name) >= 3 or (len(name) == 2 and all(ord(ch) > 0x1100 for ch in name))


@dataclass
class Matcher:
    """Finds tracked names, action words and country hints in an item's text."""

    owners: dict[str, set[tuple[str, str]]]  # casefolded name -> {("app"|"company", id)}
    developers: dict[str, list[str]]  # company id -> ids of the apps it develops
    names: re.Pattern[str] | None = None
    words: re.Pattern[str] | None = None
    countries: list[tuple[str, re.Pattern[str]]] = field(default_factory=list)

    @classmethod
    def from_dataset(cls, ds: Dataset, extra: Iterable[ExtraNames] = ()) -> Matcher:
        owners: dict[str, set[tuple[str, str]]] = {}

        def note(name: Any, kind: str, ident: str) -> None:
            if isinstance(name, str) and _cjk_or_long(name.strip()):
                key = unicodedata.normalize("NFC", name.strip()).casefold()
                owners.setdefault(key, set()).add((kind, ident))

        developers: dict[str, list[str]] = {}
        for rec in ds.records.get(schema.APPS.name, []):
            note(rec.values.get("name"), "app", rec.id)
            for alias in rec.values.get("aliases") or []:
                note(alias, "app", rec.id)
            dev = rec.values.get("developer")
            if isinstance(dev, str):
                developers.setdefault(dev, []).append(rec.id)
        for rec in ds.records.get(schema.COMPANIES.name, []):
            for name in [rec.values.get("name"), *(rec.values.get("aliases") or []),
                         *(rec.values.get("legal_names") or [])]:  # fmt: skip
                note(name, "company", rec.id)
        for e in extra:
            for name in e.names:
                note(name, e.kind, e.id)
        m = cls(owners, developers)
        m.names = compile_terms(owners)
        m.words = compile_terms(unicodedata.normalize("NFC", w) for w in all_action_words())
        m.countries = [(code, p) for code, hints in COUNTRY_HINTS.items() if (p := compile_terms(hints))]
        return m

    def found_names(self, text: str) -> list[tuple[str, set[tuple[str, str]]]]:
        """Each tracked name in `text` (as written there) with the apps and companies it names."""
        if self.names is None:
            return []
        out: dict[str, set[tuple[str, str]]] = {}
        for m in self.names.finditer(text):
            owners = self.owners.get(m.group(0).casefold())
            if owners:  # (a case-insensitive match whose casefolding differs names nothing)
                out.setdefault(m.group(0), set()).update(owners)
        return list(out.items())

    def found_words(self, text: str) -> list[str]:
        """The action words in `text`, as written there, first seen first."""
        if self.words is None:
            return []
        return list(dict.fromkeys(m.group(0) for m in self.words.finditer(text)))

    def country(self, title: str, summary: str, feed: Feed) -> tuple[str, str]:
        """The likely country and why: the country the title names first, else the summary's, else the feed's."""
        for text in (title, summary):
            best: tuple[int, str, str] | None = None
            for code, pattern in self.countries:
                m = pattern.search(text)
                if m and (best is None or m.start() < best[0]):
                    best = (m.start(), code, m.group(0))
            if best:
                return best[1], f"the text names '{best[2]}'"
        if feed.country:
            return feed.country, "the feed's country"
        return "", ""


def cited_keys(ds: Dataset) -> set[str]:
    """The normalised address of every source and primary document cited by any record."""
    keys = set()
    for records in ds.records.values():
        for rec in records:
            for name in ("sources", "primary_documents"):
                for src in rec.values.get(name) or []:
                    url = src.get("url") if isinstance(src, dict) else None
                    if isinstance(url, str) and url:
                        keys.add(leads.link_key(url))
    return keys


# ---------------------------------------------------------------------------
# The run
# ---------------------------------------------------------------------------


@dataclass
class FeedResult:
    """What one feed gave: its items, the leads filed and why the other items were skipped."""

    feed: Feed
    items: int = 0
    new: list[int] = field(default_factory=list)
    cited: int = 0
    filed: int = 0
    no_name: int = 0
    no_word: int = 0
    bad: int = 0
    error: str | None = None

    def line(self) -> str:
        if self.error:
            return f"{self.feed.name}: not read: {self.error}"
        parts = [f"{len(self.new)} new lead(s)"]
        for n, what in ((self.cited, "already cited"), (self.filed, "already filed"),
                        (self.no_name, "without a tracked name"), (self.no_word, "without an action word"),
                        (self.bad, "without a usable link or title")):  # fmt: skip
            if n:
                parts.append(f"{n} {what}")
        return f"{self.feed.name}: {self.items} item(s): " + ", ".join(parts)


def lead_for(item: Item, feed: Feed, matcher: Matcher) -> leads.NewLead | str:
    """The lead an item makes, or why it makes none ("no-name", "no-word")."""
    text = f"{item.title} \n {item.summary}"
    found = matcher.found_names(text)
    if not found:
        return "no-name"
    words = matcher.found_words(text)
    if not words:
        return "no-word"
    owners = set().union(*(o for _, o in found))
    apps = sorted(i for k, i in owners if k == "app")
    companies = sorted(i for k, i in owners if k == "company")
    if not apps:
        apps = sorted({a for c in companies for a in matcher.developers.get(c, [])})
    country, why = matcher.country(item.title, item.summary, feed)

    def joined(values: list[str], sep: str, limit: int) -> str:
        return tidy(sep.join(values[:MAX_MATCHES]), limit)

    return leads.NewLead(
        link=item.link,
        title=item.title,
        publisher=item.publisher,
        feed=feed.name,
        language=feed.language,
        words=joined(words, "; ", leads.LIMITS["words"]),
        published=item.published,
        country=country,
        country_why=tidy(why, leads.LIMITS["country_why"]),
        apps=", ".join(apps[:MAX_MATCHES]),
        companies=", ".join(companies[:MAX_MATCHES]),
        names=joined([n for n, _ in found], "; ", leads.LIMITS["names"]),
    )


def run(
    watchlist: WatchList,
    ds: Dataset,
    leads_db: Path,
    timeout: float = TIMEOUT,
    max_bytes: int = MAX_FEED_BYTES,
    allowed: Collection[str] = (),
    proxies: dict[str, str] | None = None,
    delay: float = 0.0,
    now: dt.datetime | None = None,
) -> list[FeedResult]:
    """Read every feed in turn (`delay` seconds apart) and file the new leads; one result per feed.
    A feed that cannot be read is reported in its result and the others are still read."""
    matcher = Matcher.from_dataset(ds, watchlist.extra_names)
    cited = cited_keys(ds)
    filed = leads.filed_keys(leads_db)
    results = []
    for n, feed in enumerate(watchlist.feeds):
        if n and delay > 0:
            time.sleep(delay)
        result = FeedResult(feed)
        results.append(result)
        try:
            items = parse(fetch(feed.url, timeout, max_bytes, allowed, proxies), feed)
        except FetchError as exc:
            result.error = str(exc)
            continue
        result.items = len(items)
        for item in items:
            if not item.title or not item.link or url_problem(item.link):
                result.bad += 1
                continue
            key = leads.link_key(item.link)
            if key in cited:
                result.cited += 1
                continue
            if key in filed:
                result.filed += 1
                continue
            lead = lead_for(item, feed, matcher)
            if isinstance(lead, str):
                if lead == "no-name":
                    result.no_name += 1
                else:
                    result.no_word += 1
                continue
            try:
                number = leads.add(leads_db, lead, now)
            except leads.Invalid:
                result.bad += 1
                continue
            filed.add(key)
            if number is None:
                result.filed += 1
            else:
                result.new.append(number)
    return results

"""Leads: news items `watch` found that may be a new government action, kept in their own SQLite file.

A lead is a pointer for a maintainer, never data: it goes to a small SQLite file beside the
corrections inbox (`leads_db` in config.yaml), never into `data/` or the database the app reads.
Leads enter only through `add`, which validates every field (length limits, no control or bidi
characters, an http(s) link a browser reads as written, known language and country codes) and
files a link once (by its normalised address, so `http://`/`https://`, `www.`, a trailing `/` and
tracking parameters do not make a second lead). `dismiss` keeps a lead with a validated reason.
Maintainers read them with `python -m chatbot_watch leads list|show|dismiss|draft`; `draft` writes
the skeleton of an action record (`draft_yaml`) for a person to check and fill in. Feed text is
data: callers print it with `inbox.printable` only.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from chatbot_watch.datamodel import schema, vocabularies
from chatbot_watch.reading.load import kind_files
from chatbot_watch.reading.urls import url_problem
from chatbot_watch.tools import har
from chatbot_watch.tools.inbox import clean_text, printable
from chatbot_watch.tools.sources_check import page_key

# The most characters each field may hold.
LIMITS = {
    "link": 2000,
    "title": 500,
    "publisher": 300,
    "published": 10,
    "feed": 120,
    "language": 10,
    "country": 2,
    "country_why": 200,
    "apps": 500,
    "companies": 500,
    "names": 500,
    "words": 500,
    "why": 1000,
}
LABELS = {"link": "Link", "title": "Title", "publisher": "Publisher", "published": "Published", "feed": "Feed",
          "language": "Language", "country": "Likely country", "country_why": "Country from", "apps": "Likely app",
          "companies": "Companies named", "names": "Names matched", "words": "Action words", "why": "Why"}  # fmt: skip
REQUIRED = ("link", "title", "publisher", "feed", "language")
# Leads kept in all: a full file refuses new leads until a maintainer clears it; nothing fills the disk.
LEADS_MAX = 20000

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}\Z")
_COUNTRY = re.compile(r"^[A-Z]{2}\Z")
_IDS = re.compile(r"^[a-z0-9][a-z0-9-]*(, [a-z0-9][a-z0-9-]*)*\Z")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS leads (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    found_at TEXT NOT NULL,
    link TEXT NOT NULL CHECK (length(link) BETWEEN 1 AND 2000),
    link_key TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
    publisher TEXT NOT NULL CHECK (length(publisher) BETWEEN 1 AND 300),
    published TEXT CHECK (published IS NULL OR length(published) = 10),
    feed TEXT NOT NULL CHECK (length(feed) BETWEEN 1 AND 120),
    language TEXT NOT NULL CHECK (length(language) BETWEEN 1 AND 10),
    country TEXT CHECK (country IS NULL OR length(country) = 2),
    country_why TEXT CHECK (country_why IS NULL OR length(country_why) <= 200),
    apps TEXT CHECK (apps IS NULL OR length(apps) <= 500),
    companies TEXT CHECK (companies IS NULL OR length(companies) <= 500),
    names TEXT CHECK (names IS NULL OR length(names) <= 500),
    words TEXT NOT NULL CHECK (length(words) BETWEEN 1 AND 500),
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'dismissed')),
    dismissed_at TEXT,
    dismissed_why TEXT CHECK (dismissed_why IS NULL OR length(dismissed_why) <= 1000)
) STRICT;
"""
_COLUMNS = ("id", "found_at", "link", "title", "publisher", "published", "feed", "language", "country", "country_why",
            "apps", "companies", "names", "words", "status", "dismissed_at", "dismissed_why")  # fmt: skip


class LeadsError(Exception):
    """The leads file cannot be opened or is not a leads file; the message says which and why."""


class Invalid(Exception):
    """A lead (or a reason) that cannot be stored as given; `problems` holds one (field, message) each."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{LABELS.get(f, f)}: {m}" for f, m in problems))
        self.problems = problems


@dataclass(frozen=True)
class NewLead:
    """What `watch` found about one news item. Lists are comma-separated ids or `; `-separated words."""

    link: str
    title: str
    publisher: str
    feed: str
    language: str
    words: str
    published: str = ""
    country: str = ""
    country_why: str = ""
    apps: str = ""
    companies: str = ""
    names: str = ""


@dataclass(frozen=True)
class Lead:
    """One stored lead, as maintainers read it."""

    id: int
    found_at: str
    link: str
    title: str
    publisher: str
    published: str | None
    feed: str
    language: str
    country: str | None
    country_why: str | None
    apps: str | None
    companies: str | None
    names: str | None
    words: str
    status: str
    dismissed_at: str | None = None
    dismissed_why: str | None = field(default=None)


def link_key(url: str) -> str:
    """The address with spelling differences removed (scheme, `www.`, trailing `/`, tracking
    parameters, fragment): the same key check-sources uses to find one page under two addresses."""
    return page_key(url)


def clean(name: str, value: Any) -> tuple[str, str | None]:
    """`value` trimmed and NFC-normalised, and why it is refused (or None): the inbox's rule, one line."""
    return clean_text(value, LIMITS[name])


def validate(lead: NewLead) -> tuple[dict[str, str | None], list[tuple[str, str]]]:
    """The lead's fields cleaned for storage (empty optional fields as None), and every problem."""
    problems: list[tuple[str, str]] = []
    values: dict[str, str | None] = {}
    for name in ("link", "title", "publisher", "published", "feed", "language", "country", "country_why", "apps",
                 "companies", "names", "words"):  # fmt: skip
        text, problem = clean(name, getattr(lead, name))
        if problem is None and not text and (name in REQUIRED or name == "words"):
            problem = "required"
        if problem is None and text:
            if name == "link":
                problem = url_problem(text)
            elif name == "published" and not _valid_date(text):
                problem = "not a date (YYYY-MM-DD)"
            elif name == "language" and text not in vocabularies.LANGUAGES:
                problem = f"unknown language code '{text}'"
            elif name == "country" and not (_COUNTRY.match(text)):
                problem = "not a country code (two capital letters, or EU)"
            elif name in ("apps", "companies") and not _IDS.match(text):
                problem = "not a list of ids (comma and space between them)"
        if problem:
            problems.append((name, problem))
        values[name] = text or None
    return values, problems


def _valid_date(text: str) -> bool:
    if not _DATE.match(text):
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _utc(now: dt.datetime | None) -> str:
    return (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def create(path: Path) -> None:
    """Create an empty leads file at `path` (owner read/write only), or check that the file there is one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL | O_NOFOLLOW: never write through a symlink or into a file someone else prepared.
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0), 0o600)
        os.close(fd)
    except FileExistsError:
        pass
    except OSError as exc:
        raise LeadsError(f"{path}: cannot create the leads file ({exc.strerror or exc})") from None
    with _connect(path) as con:
        con.executescript(_SCHEMA)


@contextmanager
def _connect(path: Path, readonly: bool = False) -> Iterator[sqlite3.Connection]:
    if path.is_symlink():
        raise LeadsError(f"{path}: the leads file must not be a symbolic link")
    try:
        uri = f"{path.resolve().as_uri()}?mode={'ro' if readonly else 'rw'}"
        con = sqlite3.connect(uri, uri=True, timeout=5, isolation_level=None)
    except sqlite3.Error as exc:
        raise LeadsError(f"{path}: cannot open the leads file ({exc})") from None
    with closing(con):
        try:
            yield con
        except sqlite3.DatabaseError as exc:
            raise LeadsError(f"{path}: not a readable leads file ({exc})") from None


def add(path: Path, lead: NewLead, now: dt.datetime | None = None) -> int | None:
    """File `lead` in the leads file at `path` (created if missing): its number, or None when a lead
    with the same (normalised) link is already filed, open or dismissed. Raises Invalid (nothing
    stored) or LeadsError (the file is full or unreadable)."""
    values, problems = validate(lead)
    if problems:
        raise Invalid(problems)
    create(path)
    with _connect(path) as con:
        con.execute("BEGIN IMMEDIATE")
        try:
            (total,) = con.execute("SELECT count(*) FROM leads").fetchone()
            if total >= LEADS_MAX:
                raise LeadsError(f"{path}: {total} leads, the most kept; dismissing is not enough, archive the file")
            cur = con.execute(
                "INSERT INTO leads (found_at, link, link_key, title, publisher, published, feed, language, country,"
                " country_why, apps, companies, names, words) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (link_key) DO NOTHING",
                (_utc(now), values["link"], link_key(values["link"] or ""), values["title"], values["publisher"],
                 values["published"], values["feed"], values["language"], values["country"], values["country_why"],
                 values["apps"], values["companies"], values["names"], values["words"]),
            )  # fmt: skip
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    return int(cur.lastrowid) if cur.rowcount == 1 and cur.lastrowid else None


def filed_keys(path: Path) -> set[str]:
    """The normalised links of every lead filed, open or dismissed (none when there is no file yet)."""
    if not path.exists():
        return set()
    with _connect(path, readonly=True) as con:
        return {row[0] for row in con.execute("SELECT link_key FROM leads")}


def _rows(path: Path, where: str = "", params: tuple[Any, ...] = ()) -> list[Lead]:
    if not path.exists():
        return []
    order = "ORDER BY coalesce(published, substr(found_at, 1, 10)) DESC, id DESC"
    with _connect(path, readonly=True) as con:
        rows = con.execute(f"SELECT {', '.join(_COLUMNS)} FROM leads {where} {order}", params).fetchall()
    return [Lead(*row) for row in rows]


def list_leads(path: Path, include_dismissed: bool = False) -> list[Lead]:
    """The open leads (every lead with `include_dismissed`), newest item first."""
    return _rows(path) if include_dismissed else _rows(path, "WHERE status = ?", ("open",))


def get(path: Path, number: int) -> Lead | None:
    """One lead by its number, or None."""
    found = _rows(path, "WHERE id = ?", (number,))
    return found[0] if found else None


def dismiss(path: Path, number: int, why: str, now: dt.datetime | None = None) -> bool:
    """Mark lead `number` dismissed with the reason `why` (kept, so the link is not filed again).
    False when there is no such lead; raises Invalid for a reason that cannot be stored."""
    text, problem = clean("why", why)
    if problem:
        raise Invalid([("why", problem)])
    if not path.exists():
        return False
    with _connect(path) as con:
        cur = con.execute(
            "UPDATE leads SET status = 'dismissed', dismissed_at = ?, dismissed_why = ? WHERE id = ?",
            (_utc(now), text or None, number),
        )
    return cur.rowcount == 1


def summary_line(lead: Lead, width: int = 70) -> str:
    """One line per lead for `leads list`."""
    title = " ".join(printable(lead.title).split())
    title = title if len(title) <= width else title[: width - 1] + "…"
    where = printable(lead.country) or "??"
    app = printable(lead.apps) or printable(lead.companies) or "?"
    gone = "  [dismissed]" if lead.status == "dismissed" else ""
    return f"#{lead.id}  {lead.published or '----------'}  {where}  {app}  {title}  ({printable(lead.publisher)}){gone}"


def details(lead: Lead) -> str:
    """Every field of one lead, for `leads show`."""
    country = printable(lead.country) or "unknown"
    if lead.country_why:
        country += f" ({printable(lead.country_why)})"
    status = lead.status
    if lead.dismissed_at:
        status += f" on {lead.dismissed_at}: {printable(lead.dismissed_why) or 'no reason given'}"
    lines = [
        f"Lead #{lead.id}, found {lead.found_at} in the feed {printable(lead.feed)}",
        f"Status: {status}",
        f"Title: {printable(lead.title)}",
        f"Link: {printable(lead.link)}",
        f"Publisher: {printable(lead.publisher)}",
        f"Published: {lead.published or 'not given'}",
        f"Language: {lead.language}",
        f"Likely country: {country}",
        f"Likely app: {printable(lead.apps) or 'none named'}",
        f"Companies named: {printable(lead.companies) or 'none'}",
        f"Names matched: {printable(lead.names) or 'none'}",
        f"Action words: {printable(lead.words)}",
    ]
    return "\n".join(lines)


# ---------------------------------------------------------------------------
# Drafts
# ---------------------------------------------------------------------------

DRAFT_HEADER = "# DRAFT action record from a lead: NOT valid data until every FILL IN is done."
_CA = re.compile(r"^-\s+id:\s*['\"]?CA-(\d+)['\"]?\s*(?:#.*)?$", re.MULTILINE)


def next_action_id(data_dir: Path) -> str:
    """The next free action id (`CA-` and one more than the highest number in any actions file)."""
    highest = 0
    for path in kind_files(data_dir, schema.ACTIONS):
        if path.is_symlink() or not path.is_file():
            continue
        for match in _CA.finditer(path.read_text(encoding="utf-8", errors="replace")):
            highest = max(highest, int(match.group(1)))
    return f"CA-{highest + 1:03d}"


def _q(value: str | None) -> str:
    """One YAML scalar, quoted as needed (`NO` stays text, `2025-01-30` stays a string)."""
    if value is None:
        return "null"
    return yaml.safe_dump(value, allow_unicode=True, default_style="'", width=10**6).strip().removesuffix("...").strip()


def draft_yaml(lead: Lead, action_id: str, today: dt.date | None = None) -> str:
    """The text of an `actions:` file holding one action record for lead `lead`.

    The source is filled in from the lead (url, publisher, published date, accessed today, the
    feed's language, kind null). Every field a person must decide is null and marked FILL IN, so
    `validate` refuses the file until they are filled; the quote is null too, since a feed's title
    is not a verbatim sentence a maintainer has read on the page. The lead's guesses (country, app)
    are given in comments only."""
    today = today or dt.date.today()
    published = lead.published
    accessed = max(today.isoformat(), published or "")
    apps = [a for a in (lead.apps or "").split(", ") if a]
    companies = [c for c in (lead.companies or "").split(", ") if c]
    google = "news.google." in lead.link
    out = [
        DRAFT_HEADER,
        f"# Written by `python -m chatbot_watch leads draft {lead.id}` on {today.isoformat()}.",
        "# Open the link, read the page, then fill in every field marked FILL IN from what it says",
        "# (field reference: data/README.md, actions). Copy the record into the right data/actions/*.yaml",
        "# (or keep this file there under a region's name), run `python -m chatbot_watch validate`, add a",
        "# CHANGELOG line naming the record and the source, and dismiss the lead:",
        f"#   python -m chatbot_watch leads dismiss {lead.id} --why 'added as {action_id}'",
        f"# The lead's title: {_comment(lead.title)}",
    ]
    if google:
        out.append("# The link is a Google News redirect: cite the article's own address after opening it.")
    out += [
        "actions:",
        f"- id: {action_id}  # the next free CA id when drafted; check again before committing",
        f"  jurisdiction: null  # FILL IN: country code (likely: {lead.country or 'unknown'}"
        + (f", {_comment(lead.country_why)}" if lead.country_why else "")
        + ")",
        "  subdivision: null",
        "  authority: null  # FILL IN: the body that acted, as the source names it",
        "  action_type: null  # FILL IN: one of ACTION_TYPES (data/README.md)",
        "  action_described: null",
        "  scope: null  # FILL IN: one of SCOPES (data/README.md)",
        "  scope_described: null",
        f"  apps: []  # FILL IN: app ids (likely: {', '.join(apps) or 'none named'})",
        f"  companies: []  # companies the action addresses, if any (named: {', '.join(companies) or 'none'})",
        "  announced: null  # FILL IN where the source gives it",
        "  effective: null",
        "  lifted: null",
        "  status: null  # FILL IN: one of ACTION_STATUS (data/README.md)",
        "  status_described: null",
        f"  notes: null  # found by `watch` in the feed {_comment(lead.feed)}",
        "  sources:",
        f"  - url: {_q(lead.link)}",
        f"    publisher: {_q(lead.publisher)}",
        f"    published: {_q(published)}",
        f"    accessed: {_q(accessed)}",
        "    quote: null  # FILL IN: a short verbatim sentence from the page (not the feed's title)",
        f"    language: {_q(lead.language)}",
    ]
    if lead.language != "en":
        out.append("    translation: null  # FILL IN: our English translation of the quote")
    out.append("    kind: null")
    return "\n".join(out) + "\n"


def _comment(text: str | None) -> str:
    """Text safe inside a YAML comment: one line (stored text never holds a line break; this is the
    second lock)."""
    return " ".join(printable(text).split())


def is_draft(path: Path) -> bool:
    """Whether `path` is a regular file (not a link) that `leads draft` wrote: it starts with DRAFT_HEADER."""
    return har.starts_with(path, DRAFT_HEADER)

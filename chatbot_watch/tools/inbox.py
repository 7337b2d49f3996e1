"""The corrections inbox: readers' reports that a record is wrong, kept in their own SQLite file.

The app's data database is read-only and built from `data/`; a reader's report never goes there.
It goes to a small SQLite file next to it (`corrections_db` in config.yaml), written only through
`submit`, which validates every field (length limits, no control or bidi characters, an http(s)
source link a browser reads as written) and applies a per-session, a per-address and a global
hourly limit in the same transaction as the insert. The per-address limit is below the global
one, so no single address (a browser reloading for a fresh session each time) can shut the inbox
for everyone; only a keyed hash of the address's limit key is stored (clients.py). Maintainers
read the inbox with `python -m chatbot_watch corrections list|show|export` (`list` groups reports
by that hash, so a flood from one address shows); `export` writes draft YAML for a person to check and apply by hand.
Nothing here changes `data/`. Submitted text is data: callers show it as plain text only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import sqlite3
import unicodedata
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from chatbot_watch.datamodel import schema
from chatbot_watch.reading.urls import url_problem
from chatbot_watch.web.clients import limit_key

KINDS = tuple(k.word for k in (schema.FINDINGS, schema.ACTIONS, schema.APPS, schema.COMPANIES))
# Where a kind's records live when a record is not found in the data folder: a kind may be one file
# (data/apps.yaml) or a folder of files (data/actions/*.yaml); `data_file` names the one that holds it.
DATA_FILES = {k.word: f"data/{k.name}.yaml or data/{k.name}/*.yaml" for k in schema.KINDS if k.word in KINDS}
_KIND_BY_WORD = {k.word: k for k in schema.KINDS}

# The most characters each field may hold (the form enforces the same numbers as it is typed).
LIMITS = {
    "record_id": 80,
    "field": 60,
    "what_is_wrong": 2000,
    "correct_value": 1000,
    "source_url": 500,
    "contact": 200,
    "data_version": 64,
}
# Fields that may hold line breaks; every other field is one line.
MULTILINE = ("what_is_wrong", "correct_value")
REQUIRED = ("what_is_wrong", "correct_value", "source_url")
LABELS = {
    "record_id": "Record",
    "field": "Field",
    "what_is_wrong": "What is wrong",
    "correct_value": "The correct value",
    "source_url": "Source",
    "contact": "Contact",
    "data_version": "Data version",
}

# Reports one browser session may send per hour, one client address (IPv4, or IPv6 /64) per hour,
# all together per hour, and in all (a full inbox refuses new reports until a maintainer clears
# it; nothing fills the disk). ADDRESS_PER_HOUR < GLOBAL_PER_HOUR: one address cannot shut it.
SESSION_PER_HOUR = 5
ADDRESS_PER_HOUR = 10
GLOBAL_PER_HOUR = 60
INBOX_MAX = 5000

_RECORD_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]*\Z")
_FIELD = re.compile(r"^[a-z][a-z0-9_]*\Z")
# Characters that are never accepted: they are invisible, reorder what a reader sees (bidi
# controls, "Trojan source"), end a line in some readers but not others, or drive a terminal.
_ALLOWED_FORMAT = {"\u200c", "\u200d"}  # ZWNJ, ZWJ: needed to write Persian, Indic scripts, emoji

_SCHEMA = """
CREATE TABLE IF NOT EXISTS corrections (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    received_at TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('finding', 'action', 'app', 'company')),
    record_id TEXT NOT NULL CHECK (length(record_id) BETWEEN 1 AND 80),
    field TEXT CHECK (field IS NULL OR length(field) BETWEEN 1 AND 60),
    what_is_wrong TEXT NOT NULL CHECK (length(what_is_wrong) BETWEEN 1 AND 2000),
    correct_value TEXT NOT NULL CHECK (length(correct_value) BETWEEN 1 AND 1000),
    source_url TEXT NOT NULL CHECK (length(source_url) BETWEEN 1 AND 500),
    contact TEXT CHECK (contact IS NULL OR length(contact) BETWEEN 1 AND 200),
    data_version TEXT CHECK (data_version IS NULL OR length(data_version) <= 64),
    session TEXT NOT NULL,
    address TEXT
) STRICT;
CREATE INDEX IF NOT EXISTS corrections_received ON corrections (received_at);
CREATE TABLE IF NOT EXISTS inbox_key (salt TEXT NOT NULL) STRICT;
"""
_COLUMNS = ("id", "received_at", "kind", "record_id", "field", "what_is_wrong", "correct_value", "source_url",
            "contact", "data_version", "address")  # fmt: skip


class InboxError(Exception):
    """The inbox file cannot be opened or is not a corrections inbox; the message says which and why."""


class Invalid(Exception):
    """A report that cannot be stored as given; `problems` holds one (field, message) per problem."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{LABELS.get(f, f)}: {m}" for f, m in problems))
        self.problems = problems


class RateLimited(Exception):
    """Too many reports in the last hour (from this session, or from everyone), or a full inbox."""


@dataclass(frozen=True)
class Report:
    """What a reader sends about one record. `field` and `contact` may be empty."""

    kind: str
    record_id: str
    what_is_wrong: str
    correct_value: str
    source_url: str
    field: str = ""
    contact: str = ""
    data_version: str = ""


@dataclass(frozen=True)
class Correction:
    """One stored report, as maintainers read it."""

    id: int
    received_at: str
    kind: str
    record_id: str
    field: str | None
    what_is_wrong: str
    correct_value: str
    source_url: str
    contact: str | None
    data_version: str | None
    address: str | None = None  # a keyed hash of the sender's address (None: sent without one)


def _clean(name: str, value: str) -> tuple[str, str | None]:
    """`value` trimmed, its line breaks made `\\n`, and why it is refused (or None)."""
    return clean_text(value, LIMITS[name], multiline=name in MULTILINE)


def clean_text(value: Any, max_len: int, multiline: bool = False) -> tuple[str, str | None]:
    """Text a reader or a feed sent, made safe to store: trimmed, NFC-normalised, line breaks made
    `\\n`; and why it is refused (or None): too long, or a control, invisible or line-break
    character (line breaks and tabs only where `multiline`). The corrections inbox and the leads use it."""
    if not isinstance(value, str):
        return "", "expected text"
    text = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n")).strip()
    if len(text) > max_len:
        return text, f"at most {max_len} characters ({len(text)} given)"
    for ch in text:
        if ch in "\n\t" and multiline:
            continue
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Cs", "Zl", "Zp") or (cat == "Cf" and ch not in _ALLOWED_FORMAT):
            what = "line breaks" if ch in "\n\u2028\u2029" else f"the invisible or control character U+{ord(ch):04X}"
            return text, f"must not contain {what}"
    return text, None


def validate(report: Report) -> tuple[dict[str, str | None], list[tuple[str, str]]]:
    """The report's fields cleaned for storage (empty optional fields as None), and every problem."""
    problems: list[tuple[str, str]] = []
    values: dict[str, str | None] = {"kind": report.kind}
    if report.kind not in KINDS:
        problems.append(("kind", f"unknown kind of record '{report.kind}'"))
    for name in ("record_id", "field", "what_is_wrong", "correct_value", "source_url", "contact", "data_version"):
        text, problem = _clean(name, getattr(report, name))
        if problem is None and not text and (name in REQUIRED or name == "record_id"):
            problem = "required"
        if problem is None and text:
            if name == "record_id" and not _RECORD_ID.match(text):
                problem = "not a record id"
            elif name == "field" and not _FIELD.match(text):
                problem = "not a field name"
            elif name == "source_url":
                problem = url_problem(text)
        if problem:
            problems.append((name, problem))
        values[name] = text or None
    return values, problems


def data_file(data_dir: Path | None, kind: str, record_id: str) -> str:
    """The data file that holds record `record_id` of `kind`, named from the data folder's parent
    (`data/actions/kr.yaml`): the first of the kind's files (load.kind_files) with a line
    `- id: <record_id>`. When no file has it (or no data folder is given), where such records live."""
    fallback = DATA_FILES.get(kind, "?")
    record_kind = _KIND_BY_WORD.get(kind)
    if data_dir is None or record_kind is None:
        return fallback
    from chatbot_watch.reading.load import kind_files

    line = re.compile(rf"^-\s+id:\s*(['\"]?){re.escape(record_id)}\1\s*(?:#.*)?$", re.MULTILINE)
    for path in kind_files(data_dir, record_kind):
        if path.is_symlink() or not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        if line.search(text):
            return (Path(data_dir.name) / path.relative_to(data_dir)).as_posix()
    return f"{fallback} (no record {record_id} found in {data_dir})"


def _utc(now: dt.datetime | None) -> dt.datetime:
    return (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)


def _stamp(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _session_key(session: str) -> str:
    # Only a hash of the session token is stored: enough to count a session's reports, nothing more.
    return hashlib.sha256(session.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def create(path: Path) -> None:
    """Create an empty inbox at `path` (owner read/write only), or check that the file there is one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL | O_NOFOLLOW: never write through a symlink or into a file someone else prepared.
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0), 0o600)
        os.close(fd)
    except FileExistsError:
        pass
    except OSError as exc:
        raise InboxError(f"{path}: cannot create the corrections inbox ({exc.strerror or exc})") from None
    with _connect(path) as con:
        con.executescript(_SCHEMA)
        # Inboxes made before the per-address limit: add its column and key.
        if "address" not in {row[1] for row in con.execute("PRAGMA table_info(corrections)")}:
            con.execute("ALTER TABLE corrections ADD COLUMN address TEXT")
        salt = os.urandom(16).hex()
        con.execute("INSERT INTO inbox_key SELECT ? WHERE NOT EXISTS (SELECT 1 FROM inbox_key)", (salt,))


def _address_key(con: sqlite3.Connection, address: str) -> str | None:
    """A keyed hash of `address`'s limit key (clients.limit_key): the same for one address in one
    inbox, and no way back to the address without the inbox's own random key."""
    if not address:
        return None
    (salt,) = con.execute("SELECT salt FROM inbox_key").fetchone()
    return hashlib.sha256(f"{salt}:{limit_key(address)}".encode("utf-8", "surrogatepass")).hexdigest()[:16]


@contextmanager
def _connect(path: Path, readonly: bool = False) -> Iterator[sqlite3.Connection]:
    if path.is_symlink():
        raise InboxError(f"{path}: the corrections inbox must not be a symbolic link")
    try:
        uri = f"{path.resolve().as_uri()}?mode={'ro' if readonly else 'rw'}"
        con = sqlite3.connect(uri, uri=True, timeout=5, isolation_level=None)
    except sqlite3.Error as exc:
        raise InboxError(f"{path}: cannot open the corrections inbox ({exc})") from None
    with closing(con):
        try:
            yield con
        except sqlite3.DatabaseError as exc:
            raise InboxError(f"{path}: not a readable corrections inbox ({exc})") from None


def submit(path: Path, report: Report, session: str, now: dt.datetime | None = None, address: str = "") -> int:
    """Store `report` in the inbox at `path` (created if missing); returns its number.

    `session` is the browser session's token, `address` the client's address (clients.py; "" when
    not known: then only the session and global limits apply). Raises Invalid (nothing stored) or
    RateLimited (nothing stored); the limits are counted and the row inserted in one write
    transaction, so sessions sending at once cannot pass a limit together.
    """
    values, problems = validate(report)
    if problems:
        raise Invalid(problems)
    moment = _utc(now)
    hour_ago = _stamp(moment - dt.timedelta(hours=1))
    key = _session_key(session)
    create(path)
    with _connect(path) as con:
        con.execute("BEGIN IMMEDIATE")
        try:
            where = _address_key(con, address)
            mine, here, everyone = con.execute(
                "SELECT count(*) FILTER (WHERE session = ?), count(*) FILTER (WHERE address = ?), count(*)"
                " FROM corrections WHERE received_at > ?",
                (key, where, hour_ago),
            ).fetchone()
            (total,) = con.execute("SELECT count(*) FROM corrections").fetchone()
            if mine >= SESSION_PER_HOUR:
                raise RateLimited(
                    f"You have sent {mine} corrections in the last hour, the most one visit may send; "
                    "please try again later."
                )
            if where is not None and here >= ADDRESS_PER_HOUR:
                raise RateLimited(
                    f"{here} corrections have come from your network address in the last hour, the most one "
                    "address may send; please try again later."
                )
            if everyone >= GLOBAL_PER_HOUR or total >= INBOX_MAX:
                raise RateLimited("The corrections inbox is taking no more reports just now; please try again later.")
            cur = con.execute(
                "INSERT INTO corrections (received_at, kind, record_id, field, what_is_wrong, correct_value,"
                " source_url, contact, data_version, session, address) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (_stamp(moment), values["kind"], values["record_id"], values["field"], values["what_is_wrong"],
                 values["correct_value"], values["source_url"], values["contact"], values["data_version"], key,
                 where),
            )  # fmt: skip
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    return int(cur.lastrowid or 0)


def _rows(path: Path, where: str = "", params: tuple[Any, ...] = ()) -> list[Correction]:
    if not path.exists():
        return []
    with _connect(path, readonly=True) as con:
        have = {row[1] for row in con.execute("PRAGMA table_info(corrections)")}
        columns = ", ".join(c if c in have else f"NULL AS {c}" for c in _COLUMNS)  # an inbox from before a column
        rows = con.execute(f"SELECT {columns} FROM corrections {where} ORDER BY id", params).fetchall()
    return [Correction(*row) for row in rows]


def list_all(path: Path) -> list[Correction]:
    """Every correction in the inbox, oldest first (none when the inbox does not exist yet)."""
    return _rows(path)


def get(path: Path, number: int) -> Correction | None:
    """One correction by its number, or None."""
    found = _rows(path, "WHERE id = ?", (number,))
    return found[0] if found else None


def printable(text: str | None) -> str:
    """`text` safe to print on a terminal: any control character left is shown as an escape
    (stored text never holds one; this is the second lock)."""
    if text is None:
        return ""
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        ok = ch in "\n\t" or not (cat.startswith("C") or cat in ("Zl", "Zp")) or ch in _ALLOWED_FORMAT
        out.append(ch if ok else f"\\u{ord(ch):04x}")
    return "".join(out)


def summary_line(c: Correction, width: int = 60) -> str:
    """One line per correction for `corrections list`."""
    said = " ".join(printable(c.what_is_wrong).split())
    said = said if len(said) <= width else said[: width - 1] + "…"
    field = f" {printable(c.field)}" if c.field else ""
    return f"#{c.id}  {c.received_at}  {c.kind} {printable(c.record_id)}{field}  {said}"


def by_address(corrections: list[Correction]) -> list[str]:
    """One line per sending address (its hash), most reports first, for `corrections list`: a
    flood from one address shows as one long line."""
    groups: dict[str, list[Correction]] = {}
    for c in corrections:
        groups.setdefault(c.address or "(no address recorded)", []).append(c)
    lines = []
    for name, group in sorted(groups.items(), key=lambda item: (-len(item[1]), item[0])):
        first, last = group[0].received_at, group[-1].received_at
        numbers = ", ".join(f"#{c.id}" for c in group[:8]) + (" …" if len(group) > 8 else "")
        lines.append(f"address {name}: {len(group)} report(s), {first} to {last}: {numbers}")
    return lines


def details(c: Correction, data_dir: Path | None = None) -> str:
    """Every field of one correction, for `corrections show` (the record's file found in `data_dir`)."""
    lines = [
        f"Correction #{c.id}, received {c.received_at}",
        f"Record: {c.kind} {printable(c.record_id)} ({printable(data_file(data_dir, c.kind, c.record_id))})",
        f"Field: {printable(c.field) or 'not given'}",
        f"Data version seen: {printable(c.data_version) or 'not given'}",
        f"Source: {printable(c.source_url)}",
        f"Contact: {printable(c.contact) or 'not given'}",
        "What is wrong:",
        *("  " + line for line in printable(c.what_is_wrong).splitlines()),
        "The correct value:",
        *("  " + line for line in printable(c.correct_value).splitlines()),
    ]
    return "\n".join(lines)


def export_yaml(
    corrections: list[Correction], inbox: Path, now: dt.datetime | None = None, data_dir: Path | None = None
) -> str:
    """Draft YAML patches, one document per correction, for a maintainer to check and apply by hand.

    Each names the data file (the one in `data_dir` that holds the record: `data_file`), the record
    id, the field (if given), the proposed value and the source as a `sources` entry whose
    publisher, dates and quote are left for the maintainer to copy from the page (unknown stays
    unknown). Contacts are left out (personal data; see `show`).
    """
    head = [
        f"# Draft corrections from the inbox {inbox}, exported {_stamp(_utc(now))}.",
        "# NOT CHECKED AND NOT APPLIED. For each draft: open the source, check that it supports the",
        "# proposed value, then edit the data file by hand (copy the quote verbatim), run",
        "# `python -m chatbot_watch validate`, and add a CHANGELOG line naming the record and the source.",
        "# Readers' contacts are not exported: `python -m chatbot_watch corrections show NUMBER`.",
    ]
    docs = [
        {
            "correction": c.id,
            "received": c.received_at,
            "data_version_seen": c.data_version,
            "file": data_file(data_dir, c.kind, c.record_id),
            "record": c.record_id,
            "kind": c.kind,
            "field": c.field,
            "proposed_value": c.correct_value,
            "what_is_wrong": c.what_is_wrong,
            "source": {"url": c.source_url, "publisher": None, "published": None, "accessed": None, "quote": None},
        }
        for c in corrections
    ]
    body = yaml.safe_dump_all(docs, explicit_start=True, sort_keys=False, allow_unicode=True, width=100)
    return "\n".join(head) + "\n" + (body if docs else "# (the inbox is empty)\n")

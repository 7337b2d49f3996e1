"""The data's change log and the Atom feeds written from it.

When the data folder is in a git repository, `record_from_history` writes the log from the
repository's history of data/ (history.py), so every clone tells the same history. Otherwise
each build compares itself with the database it replaces (`diff.changes`) and stores, in the
table `change_log`, the previous build's log plus one row per record added, removed or changed
(a field-level change is one row); the very first build records one "first build" row. The
log is what the record pages show; the Overview's corrections and the corrections feed say its
edits in plain words (events.correction_text), never their values.

The Atom feeds say what happened in the world, not what was edited (events.py: an action
announced, taking effect, lifted; a finding reported), each entry one sentence in plain words:

- `changes.xml`: every dated event, newest first;
- `country-<CODE>.xml`: events in that jurisdiction (its actions, its examiners' findings);
- `app-<id>.xml`: events concerning that app;
- `corrections.xml`: the corrections (edits and removals of existing records), newest first.

Feeds are plain files in a folder served as static files (`static/feeds/` by default). Text is
written through ElementTree, so nothing from the data can become markup.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tempfile
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from chatbot_watch.datamodel.schema import ACTIONS, APPS, FINDINGS
from chatbot_watch.datamodel.storage import MODEL, Model
from chatbot_watch.store import duck
from chatbot_watch.store.diff import SOURCE_KIND, Change, DiffError, changes

Scope = tuple[list[str], list[str]]  # the countries and apps a change concerns

MAX_ROWS = 5000
FEED_ENTRIES = 100
ATOM = "http://www.w3.org/2005/Atom"

DDL = """
CREATE TABLE change_log (
    seq INTEGER NOT NULL, data_version VARCHAR NOT NULL, built_at VARCHAR NOT NULL,
    kind VARCHAR NOT NULL, record_id VARCHAR NOT NULL, change VARCHAR NOT NULL, field VARCHAR,
    old VARCHAR, new VARCHAR, summary VARCHAR NOT NULL, countries VARCHAR[], apps VARCHAR[]
)
"""
COLUMNS = ("seq", "data_version", "built_at", "kind", "record_id", "change", "field", "old", "new", "summary",
           "countries", "apps")  # fmt: skip
_ARROW_TYPES = (pa.int32(),) + (pa.string(),) * 9 + (pa.list_(pa.string()),) * 2


def _insert(con: duckdb.DuckDBPyConnection, rows: list[tuple[Any, ...]]) -> None:
    """Append `rows` (tuples in COLUMNS order) to change_log in one statement. (`executemany`
    runs one INSERT per row: 0.5-2 s for the 400 rows of the real history, most of a build.)"""
    if not rows:
        return
    table = pa.table([pa.array(col, t) for col, t in zip(zip(*rows, strict=True), _ARROW_TYPES, strict=True)],
                     names=list(COLUMNS))  # fmt: skip
    cur = con.cursor()  # a fresh statement context: `con` may hold an unread result
    try:
        cur.from_arrow(table).insert_into("change_log")  # the columns in the table's order
    finally:
        cur.close()


@dataclass(frozen=True)
class Entry:
    """One row of the change log."""

    seq: int
    data_version: str
    built_at: str
    kind: str
    record_id: str
    change: str
    field: str | None
    old: str | None
    new: str | None
    summary: str
    countries: list[str]
    apps: list[str]


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, default=str)


def _scopes(con: duckdb.DuckDBPyConnection, records: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Scope]:
    """Countries and apps each record (kind word, id) concerns, read from the new build (none if it
    is gone there): one query per kind, whatever the number of records (a query per changed
    record took 5 s when every finding's and action's notes changed)."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for kind, rid in records:
        wanted[kind].add(rid)
    out: dict[tuple[str, str], Scope] = {}
    for rid in wanted.get(APPS.word, ()):
        out[(APPS.word, rid)] = ([], [rid])
    if wanted.get(ACTIONS.word):
        rows = con.execute(
            "SELECT action_id, list(DISTINCT country_code), list(DISTINCT app_id) FILTER (WHERE app_id IS NOT NULL) "
            "FROM restrictions WHERE action_id IN (SELECT unnest(?::VARCHAR[])) GROUP BY action_id",
            [sorted(wanted[ACTIONS.word])],
        ).fetchall()
        for rid, countries, apps in rows:
            out[(ACTIONS.word, rid)] = _sorted_scope(countries, apps)
    if wanted.get(FINDINGS.word):
        rows = con.execute(
            "SELECT finding_id, list(recipient_countries), list(auditor_country), list(DISTINCT app_id) FROM flows "
            "WHERE finding_id IN (SELECT unnest(?::VARCHAR[])) GROUP BY finding_id",
            [sorted(wanted[FINDINGS.word])],
        ).fetchall()
        for rid, lists, auditors, apps in rows:
            countries = [c for cs in (lists or []) for c in (cs or [])] + list(auditors or [])
            out[(FINDINGS.word, rid)] = _sorted_scope(countries, apps)
    return out


def _sorted_scope(countries: Iterable[str | None] | None, apps: Iterable[str | None] | None) -> Scope:
    return sorted({c for c in (countries or []) if c}), sorted({a for a in (apps or []) if a})


def _removed_scope(value: dict[str, Any] | None, kind: str) -> tuple[list[str], list[str]]:
    if not value:
        return [], []
    if kind == ACTIONS.word:
        return [value.get("jurisdiction")] if value.get("jurisdiction") else [], list(value.get("apps") or [])
    if kind == FINDINGS.word:
        return list(value.get("recipient_countries") or []), [value["app"]] if value.get("app") else []
    return [], []


def _owners(model: Model) -> dict[str, tuple[str, str]]:
    """The tables `diff` reads, each with the record a row belongs to: its kind (as `diff` and
    record_sources name it) and the column holding the record's key."""
    out: dict[str, tuple[str, str]] = {}
    for stored in model.stored:
        out[stored.table.name] = (stored.kind.word, "id")
        for items in stored.items:
            out[items.table.name] = (stored.kind.word, items.owner)
    out[model.sources.table.name] = (SOURCE_KIND, "url")
    return out


def _changes(
    previous_db: Path, tmp_db: Path, model: Model = MODEL, touched: dict[str, set[str]] | None = None
) -> list[Change]:
    """`diff.changes(previous_db, tmp_db)`, reading only the records whose rows differ.

    `diff` reads every record of both builds into Python: at 200,000 records that took as long
    as the build itself (30 s) and 2 GB, for an edit that touches a few. Here DuckDB finds the
    rows that differ; every row of those records, on both sides, is copied into two small
    databases, and `diff.changes` compares those. A record whose rows are all the same on both
    sides has no change to report, so the result is the same. When the two builds' tables do
    not have the same columns (an older schema) or anything fails, the whole builds are compared.

    Rows are matched by their table's key (model.py) and compared whole (`IS DISTINCT FROM`,
    so NULLs and lists compare as values): at x100 that took 0.13 s where comparing every
    row with every row (`EXCEPT ALL`) took 0.8 s. A table whose key is not unique on either side
    (no build makes one, but an old file might hold one) is compared the slow way.

    `touched` (kind word -> ids, diff.SOURCE_KIND -> URLs), from a build that patched the
    previous database (patch.py), names every record that may differ: `diff` reads only those
    from both builds.
    """
    if touched is not None:
        return changes(previous_db, tmp_db, model, touched)
    try:
        with tempfile.TemporaryDirectory(prefix="chatbot-watch-changes-") as folder:
            old_part, new_part = Path(folder) / "old.duckdb", Path(folder) / "new.duckdb"
            if _changed_parts(previous_db, tmp_db, old_part, new_part, model):
                return changes(old_part, new_part, model)
    except duckdb.Error:
        pass
    return changes(previous_db, tmp_db, model)


def _changed_parts(old_db: Path, new_db: Path, old_part: Path, new_part: Path, model: Model = MODEL) -> bool:
    """Write the differing records of both builds to `old_part` and `new_part`; False if the layouts differ."""
    owners = _owners(model)
    citations = model.citations.table.name
    con = duck.connect(None, allowed_paths=(old_db, new_db, old_part, new_part))
    try:
        con.execute(f"ATTACH '{_sql_text(old_db)}' AS o (READ_ONLY)")
        con.execute(f"ATTACH '{_sql_text(new_db)}' AS n (READ_ONLY)")
        layout = (
            "SELECT table_name, column_name, data_type, ordinal_position FROM information_schema.columns "
            "WHERE table_catalog = ? AND table_schema = 'main' AND table_name IN "
            f"({', '.join('?' * (len(owners) + 2))}) ORDER BY ALL"
        )
        names = [*owners, "meta", citations]
        if con.execute(layout, ["o", *names]).fetchall() != con.execute(layout, ["n", *names]).fetchall():
            return False
        con.execute("CREATE TEMP TABLE touched (kind VARCHAR, id VARCHAR)")
        keys = {t.name: t.key for t in model.tables}
        for table, (kind, key) in owners.items():
            owned = (f"'{kind}'", f'"{key}"')
            con.execute(f"INSERT INTO touched {_differing(con, table, keys[table], owned)}")
        owner = ("record_kind", "record_id")
        con.execute(f"INSERT INTO touched {_differing(con, citations, keys[citations], owner)}")
        for side, part in (("o", old_part), ("n", new_part)):
            con.execute(f"ATTACH '{_sql_text(part)}' AS p")
            con.execute(f"CREATE TABLE p.meta AS SELECT * FROM {side}.meta")
            con.execute(
                f"CREATE TABLE p.{citations} AS SELECT * FROM {side}.{citations} "
                "WHERE EXISTS (SELECT 1 FROM touched t WHERE t.kind = record_kind AND t.id = record_id)"
            )
            for table, (kind, key) in owners.items():
                con.execute(
                    f'CREATE TABLE p."{table}" AS SELECT * FROM {side}."{table}" '
                    f"WHERE \"{key}\" IN (SELECT id FROM touched WHERE kind = '{kind}')"
                )  # names come from the model
            con.execute("DETACH p")
        return True
    finally:
        con.close()


def _differing(con: duckdb.DuckDBPyConnection, table: str, key: tuple[str, ...], owner: tuple[str, str]) -> str:
    """A query of the records (`owner`: the kind and key, as SQL) of the rows of `table` that are
    not the same in the builds attached as `o` and `n`; `key` identifies a row of the table."""
    cols = ", ".join(f'"{k}"' for k in key)
    unique = f'SELECT count(*) = count(DISTINCT ({cols})) FROM {{}}."{table}"'
    if key and all(con.execute(unique.format(side)).fetchone() == (True,) for side in ("o", "n")):
        on = " AND ".join(f'_o."{k}" = _n."{k}"' for k in key)
        picked = ", ".join(o if o.startswith("'") else f"coalesce(_o.{o}, _n.{o})" for o in owner)
        # _o and _n are the whole rows (structs): no model name starts with an underscore.
        return (
            f'SELECT DISTINCT {picked} FROM o."{table}" _o FULL JOIN n."{table}" _n ON {on} '
            "WHERE _o IS DISTINCT FROM _n"
        )  # names come from the model
    picked = ", ".join(owner)
    return (
        f"SELECT DISTINCT {picked} FROM ("
        f'(SELECT * FROM o."{table}" EXCEPT ALL SELECT * FROM n."{table}") UNION ALL '
        f'(SELECT * FROM n."{table}" EXCEPT ALL SELECT * FROM o."{table}"))'
    )  # names come from the model


def _sql_text(path: Path) -> str:
    return str(path).replace("'", "''")


def _new_build(tmp_db: Path) -> duckdb.DuckDBPyConnection:
    """A writing connection to the build being made (the one file this module writes into)."""
    return duckdb.connect(str(tmp_db))


def record_from_history(tmp_db: Path, data_dir: Path, version: str, built_at: str) -> int | None:
    """Write `change_log` from the repository's history of `data_dir` (history.py): one row per
    record change of each commit (its short hash as the version, its date as the date), then the
    uncommitted edits being built. None (nothing written) when the folder has no git history.
    Returns the number of rows of uncommitted edits."""
    from chatbot_watch.store import history

    commits = history.changes(data_dir)
    if not commits:
        return None
    rows: list[tuple[Any, ...]] = []
    for commit, found in commits:
        rows += [(commit.sha[:12], commit.date, ch) for ch in found]
    pending = history.uncommitted(data_dir)
    rows += [(version, built_at, ch) for ch in pending]
    rows = rows[-MAX_ROWS:]
    con = _new_build(tmp_db)
    try:
        con.execute("DROP TABLE IF EXISTS change_log")  # a patched build holds the previous one's
        con.execute(DDL)
        _insert(
            con,
            [
                (seq, v, when, ch.kind, ch.record_id, ch.change, ch.field, _json(ch.old), _json(ch.new), ch.text(),
                 ch.countries, ch.apps)
                for seq, (v, when, ch) in enumerate(rows, 1)
            ],
        )  # fmt: skip
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return len(pending)


def record(
    tmp_db: Path,
    previous_db: Path | None,
    version: str,
    built_at: str,
    model: Model = MODEL,
    touched: dict[str, set[str]] | None = None,
) -> int:
    """Write `change_log` into the new build at `tmp_db`; return the number of new rows (what
    changed is read by `diff`, through `model`; `touched`: see `_changes`)."""
    old_rows: list[tuple[Any, ...]] = []
    found: list[Change] | None = None
    if touched is not None and previous_db is not None:
        # A patched build: the previous database was read already and its log is in the copy.
        try:
            found = _changes(previous_db, tmp_db, model, touched)
        except (duckdb.Error, DiffError):
            found = None
    elif previous_db is not None and previous_db.exists():
        try:
            prev = duck.connect(previous_db)
            try:
                prev_version = prev.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchone()
                has_log = prev.execute(
                    "SELECT count(*) FROM information_schema.tables WHERE table_name = 'change_log'"
                ).fetchone()
                if has_log and has_log[0]:
                    old_rows = prev.execute(f"SELECT {', '.join(COLUMNS)} FROM change_log ORDER BY seq").fetchall()
            finally:
                prev.close()
            if prev_version and prev_version[0] == version:
                found = []
            else:
                found = _changes(previous_db, tmp_db, model, touched)
        except (duckdb.Error, DiffError):
            old_rows, found = [], None  # not a readable Chatbot Watch database: start a new log
    appended = touched is not None and found is not None
    con = _new_build(tmp_db)
    try:
        if appended:  # a copy of the previous log is there: the new rows are added to it
            last = con.execute("SELECT max(seq) FROM change_log").fetchone()
            next_seq = (last[0] if last and last[0] is not None else 0) + 1
        else:
            con.execute("DROP TABLE IF EXISTS change_log")
            con.execute(DDL)
            next_seq = (max((r[0] for r in old_rows), default=0)) + 1
        new_rows: list[tuple[Any, ...]] = []
        if found is None:
            counts = dict(con.execute("SELECT key, value FROM meta WHERE key LIKE 'count_%'").fetchall())
            what = ", ".join(f"{v} {k[6:].replace('_', ' ')}" for k, v in sorted(counts.items()))
            new_rows.append(
                (
                    next_seq,
                    version,
                    built_at,
                    "dataset",
                    "dataset.yaml",
                    "built",
                    None,
                    None,
                    None,
                    f"First build of the dataset: {what}",
                    [],
                    [],
                )  # fmt: skip
            )
        else:
            scopes = _scopes(con, ((ch.kind, ch.id) for ch in found if ch.change != "removed"))
            for i, ch in enumerate(found):
                if ch.change == "removed":
                    countries, apps = _removed_scope(ch.old, ch.kind)
                else:
                    countries, apps = scopes.get((ch.kind, ch.id), ([], []))
                new_rows.append(
                    (
                        next_seq + i,
                        version,
                        built_at,
                        ch.kind,
                        ch.id,
                        ch.change,
                        ch.field,
                        _json(ch.old),
                        _json(ch.new),
                        ch.text(),
                        countries,
                        apps,
                    )  # fmt: skip
                )
        _insert(con, (old_rows + new_rows)[-MAX_ROWS:])
        if appended and new_rows:  # the newest MAX_ROWS rows stay, as above
            con.execute(
                "DELETE FROM change_log WHERE seq NOT IN (SELECT seq FROM change_log ORDER BY seq DESC LIMIT ?)",
                [MAX_ROWS],
            )
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return len(new_rows)


def entries(con: duckdb.DuckDBPyConnection, limit: int = FEED_ENTRIES) -> list[Entry]:
    """The newest change-log rows, newest first."""
    rows = con.execute(f"SELECT {', '.join(COLUMNS)} FROM change_log ORDER BY seq DESC LIMIT ?", [limit]).fetchall()
    return [Entry(*r[:10], list(r[10] or []), list(r[11] or [])) for r in rows]


# ---------------------------------------------------------------------------
# Atom feeds
# ---------------------------------------------------------------------------

SAFE_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
# Written into the feeds folder with the names of the feeds written: a later build replaces and
# removes only those, and refuses a folder holding anything else.
MARKER = ".chatbot-watch-feeds.json"
FEED_NAME = re.compile(r"^(changes|corrections|country-[A-Za-z0-9_-]{1,64}|app-[A-Za-z0-9_-]{1,64})\.xml$")
# XML 1.0 cannot carry these at all (C0 controls but tab and line breaks, surrogates, U+FFFE,
# U+FFFF); the other noncharacters and C1 controls are allowed but not wanted in a feed.
_NOT_XML = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
    + "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17))
    + "]"
)


class FeedsDirError(Exception):
    """The feeds folder holds files a build did not write, or is not a folder."""


def xml_text(value: str) -> str:
    """`value` with every character XML cannot carry replaced by U+FFFD.

    Validation refuses such characters in the data, but the change log keeps values of earlier
    builds: one written before that rule (or by an older version) must not keep every later feed
    ill-formed, so feeds are cleaned when written, not only when the data is.
    """
    return _NOT_XML.sub("\ufffd", value)


def _written_before(feeds_dir: Path) -> set[str] | None:
    """The feed names the marker lists, None when there is no readable marker."""
    marker = feeds_dir / MARKER
    if marker.is_symlink() or not marker.is_file():
        return None
    try:
        names = json.loads(marker.read_text(encoding="utf-8")).get("files")
    except (OSError, ValueError, AttributeError):
        return None
    if not isinstance(names, list):
        return None
    return {n for n in names if isinstance(n, str) and FEED_NAME.match(n)}


def _is_own_feed(path: Path) -> bool:
    """A feed an earlier build wrote before the marker existed: a regular .xml file named as feeds
    are, that opens as `_atom` writes one, with its own Atom id (read as bytes, not parsed)."""
    if path.is_symlink() or not path.is_file() or not FEED_NAME.match(path.name):
        return False
    try:
        with open(path, "rb") as fh:
            head = fh.read(1024)
    except OSError:
        return False
    own_id = f"<id>urn:chatbot-watch:feed:{path.stem}</id>".encode()
    return head.startswith(b"<?xml") and f'<feed xmlns="{ATOM}">'.encode() in head and own_id in head


def check_feeds_dir(feeds_dir: Path) -> None:
    """Refuse a feeds folder that holds anything but feeds a build wrote. Raises FeedsDirError.

    New or empty folders are fine; otherwise every entry must be listed in the marker file an
    earlier build left (or, before there was one, be a feed of ours by name and Atom id).
    `--feeds docs` deleted every unrelated `*.xml` in `docs/`.
    """
    if feeds_dir.is_symlink() or (feeds_dir.exists() and not feeds_dir.is_dir()):
        raise FeedsDirError(f"{feeds_dir} is not a folder (a link or a file); choose a folder for the feeds")
    if not feeds_dir.is_dir():
        return
    listed = _written_before(feeds_dir) or set()

    def ours(p: Path) -> bool:
        if p.is_symlink() or not p.is_file():
            return False
        # The marker, a feed it lists, or what a killed build left (`changes.xml.tmp`, ...).
        name = p.name.removesuffix(".tmp")
        return name == MARKER or name in listed or (name != p.name and bool(FEED_NAME.match(name)))

    foreign = sorted(p.name for p in feeds_dir.iterdir() if not ours(p) and not _is_own_feed(p))
    if foreign:
        shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
        raise FeedsDirError(
            f"{feeds_dir} holds files a build did not write ({shown}); feeds go to a new or empty folder, "
            "or one that holds only earlier feeds"
        )


def _feed(title: str, feed_id: str, updated: str, self_path: str) -> ET.Element:
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(feed, f"{{{ATOM}}}title").text = xml_text(title)
    ET.SubElement(feed, f"{{{ATOM}}}id").text = feed_id
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = updated
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=self_path)
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = "Chatbot Watch"
    return feed


def _atom(title: str, feed_id: str, items: list[Entry], updated: str, self_path: str) -> bytes:
    """The corrections feed, made with ElementTree; every text goes through `xml_text`. Each entry
    says the correction in plain words ("CA-008: sources corrected"), never the values."""
    from chatbot_watch.store import events

    feed = _feed(title, feed_id, updated, self_path)
    for e in items:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        said = events.correction_text(e.record_id, e.change, e.field, e.old, e.new)
        ET.SubElement(entry, f"{{{ATOM}}}title").text = xml_text(said)
        ET.SubElement(entry, f"{{{ATOM}}}id").text = xml_text(f"urn:chatbot-watch:change:{e.data_version}:{e.seq}")
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = xml_text(e.built_at)
        ET.SubElement(entry, f"{{{ATOM}}}category", term="correction")
        ET.SubElement(entry, f"{{{ATOM}}}link", href=_record_path(e.kind, e.record_id))
        body = f"{said}\nRecord: {e.kind} {e.record_id}\nData version: {e.data_version}"
        ET.SubElement(entry, f"{{{ATOM}}}content", type="text").text = xml_text(body)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def _record_path(kind: str, record_id: str) -> str:
    from urllib.parse import urlencode

    return "/record?" + urlencode({"id": f"{kind}:{record_id}" if kind in (APPS.word, "company") else record_id})


def _events_atom(title: str, feed_id: str, rows: list[dict[str, Any]], updated: str, self_path: str) -> bytes:
    """A feed of events (events.py), newest first: each entry's title is the event in plain words
    and its date ("... download suspension of DeepSeek lifted (2025-04-28)"), updated on that day."""
    feed = _feed(title, feed_id, updated, self_path)
    for r in rows:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}title").text = xml_text(f"{r['what']} ({r['date']})")
        ET.SubElement(entry, f"{{{ATOM}}}id").text = xml_text(f"urn:chatbot-watch:event:{r['record_id']}:{r['event']}")
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = f"{r['day'].isoformat()}T00:00:00Z"
        ET.SubElement(entry, f"{{{ATOM}}}category", term=xml_text(r["event"]))
        ET.SubElement(entry, f"{{{ATOM}}}link", href=_record_path(r["record_kind"], r["record_id"]))
        lines = [r["what"], f"Date: {r['date']}"]
        lines += [f"Where: {r['place']}"] if r["place"] else []
        lines += [f"Record: {r['record_id']}"]
        lines += [f"Source: {r['source_url']}"] if r["source_url"].startswith(("https://", "http://")) else []
        ET.SubElement(entry, f"{{{ATOM}}}content", type="text").text = xml_text("\n".join(lines))
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def write_feeds(db_path: Path, feeds_dir: Path, url_prefix: str = "/app/static/feeds") -> list[Path]:
    """Write the events feed (changes.xml), one per country and per app, and the corrections feed
    into `feeds_dir`; return the files."""
    check_feeds_dir(feeds_dir)
    from chatbot_watch import i18n
    from chatbot_watch.filters import Filters
    from chatbot_watch.store import events

    con = duck.connect(db_path)
    try:
        items = entries(con, MAX_ROWS)
        with i18n.using(i18n.DEFAULT):  # the feeds are written in English
            happened, _undated = events.event_rows(con, Filters(), newest_first=True)
    finally:
        con.close()
    fixed = [e for e in items if e.change in ("changed", "removed") and e.kind != "dataset"]
    feeds_dir.mkdir(parents=True, exist_ok=True)
    before = (_written_before(feeds_dir) or set()) | {p.name for p in feeds_dir.iterdir() if _is_own_feed(p)}
    updated = items[0].built_at if items else dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    written: list[Path] = []

    def write(name: str, body: bytes) -> None:
        path = feeds_dir / f"{name}.xml"
        tmp = path.with_suffix(".xml.tmp")
        tmp.write_bytes(body)
        tmp.replace(path)
        written.append(path)

    def write_events(name: str, title: str, selected: list[dict[str, Any]]) -> None:
        feed_id, self_path = f"urn:chatbot-watch:feed:{name}", f"{url_prefix}/{name}.xml"
        write(name, _events_atom(title, feed_id, selected[:FEED_ENTRIES], updated, self_path))

    write_events("changes", "Chatbot Watch: events", happened)
    write("corrections",
          _atom("Chatbot Watch: corrections to the data", "urn:chatbot-watch:feed:corrections", fixed[:FEED_ENTRIES],
                updated, f"{url_prefix}/corrections.xml"))  # fmt: skip
    for country in sorted({r["country_code"] for r in happened if r["country_code"]}):
        if SAFE_NAME.match(country):
            write_events(f"country-{country}", f"Chatbot Watch: events in {country}",
                         [r for r in happened if r["country_code"] == country])  # fmt: skip
    for app in sorted({a for r in happened for a in r["app_ids"]}):
        if SAFE_NAME.match(app):
            write_events(f"app-{app}", f"Chatbot Watch: events concerning the app {app}",
                         [r for r in happened if app in r["app_ids"]])  # fmt: skip
    keep = {p.name for p in written}
    marker = feeds_dir / MARKER
    tmp = marker.with_name(MARKER + ".tmp")
    tmp.write_text(json.dumps({"written_by": "chatbot-watch build", "files": sorted(keep)}, indent=1) + "\n")
    tmp.replace(marker)
    for name in sorted(before - keep):  # only feeds a build wrote, never anything else
        (feeds_dir / name).unlink(missing_ok=True)
    return written

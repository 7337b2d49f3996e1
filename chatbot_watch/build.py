"""Validated records -> a DuckDB file, written atomically.

The database is built in a temporary file beside the target and moved into place with
`os.replace` only once it is complete and checked, so a failed or killed build never leaves a
broken or half-written file at the target path: readers see the old file or the new one.
Tables are loaded in bulk from Arrow tables; the two public views, `flows` and
`restrictions`, are declared in `sql/views.sql`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from chatbot_watch import changelog, schema
from chatbot_watch.countries import country_name, subdivision_name
from chatbot_watch.load import Dataset, Problem, cyclic_gc_paused, load, parse_pdate

SQL_DIR = Path(__file__).resolve().parent / "sql"
SCHEMA_VERSION = "1"


class TargetError(Exception):
    """The build's output or feeds folder is not one it may write; the message says why."""


class BuildError(Exception):
    """The data did not validate; `problems` lists why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the data")
        self.problems = problems


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote."""

    path: Path
    data_version: str
    as_of: str
    counts: dict[str, int]
    seconds: float


def data_version(files: list[Path], data_dir: Path) -> str:
    """Content hash of the data files (names relative to the folder, and bytes)."""
    h = hashlib.sha256()
    for path in sorted(files, key=lambda p: str(p.relative_to(data_dir))):
        h.update(str(path.relative_to(data_dir)).encode())
        h.update(b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")
    return h.hexdigest()[:12]


def _pdate_cols(value: str | None) -> tuple[dt.date | None, str | None]:
    parsed = parse_pdate(value) if value else None
    return (parsed[0], parsed[2]) if parsed else (None, None)


def source_id(url: str) -> str:
    """Stable id of a source: a short hash of its URL."""
    return "S-" + hashlib.sha256(url.encode()).hexdigest()[:10]


Columns = dict[str, list[Any]]


def _tables(ds: Dataset, version: str, built_at: str) -> dict[str, Columns]:
    """Turn validated records into the columns of each table, in the order they are inserted.

    Columns are built one list comprehension each, straight from the records: at 200,000
    records that is several times faster than a dict per row turned into a DataFrame.
    """
    recs = {k: [r.values for r in v] for k, v in ds.records.items()}
    t: dict[str, Columns] = {}

    vocab_rows = [
        (vname.lower(), vid, lab, desc, pos)
        for vname, vocab in schema.VOCABULARIES.items()
        for pos, (vid, (lab, desc)) in enumerate(vocab.items())
    ]
    t["vocabularies"] = _columns(("vocabulary", "id", "label", "description", "position"), vocab_rows)

    dts = recs["data_types"]
    t["data_types"] = {
        "id": [r["id"] for r in dts],
        "label": [r["label"] for r in dts],
        "category": [r["category"] for r in dts],
        "category_label": [schema.label("DATA_CATEGORIES", r["category"]) for r in dts],
        "description": [r["description"] for r in dts],
        "apple_label": [r.get("apple_label") for r in dts],
        "google_play_label": [r.get("google_play_label") for r in dts],
    }

    companies = {r["id"]: r for r in recs["companies"]}

    def current_parent(c: dict[str, Any]) -> dict[str, Any] | None:
        return next((p for p in c.get("parents") or [] if p.get("until") is None), None)

    def chain(cid: str) -> list[str]:
        out = [cid]
        while True:
            p = current_parent(companies[out[-1]])
            if p is None or p["company"] in out or p["company"] not in companies:
                return out
            out.append(p["company"])

    cs = list(companies.values())
    parents = [current_parent(c) for c in cs]
    chains = [chain(cid) for cid in companies]
    t["companies"] = {
        "id": list(companies),
        "name": [c["name"] for c in cs],
        "country_code": [c.get("country") for c in cs],
        "country_name": [country_name(c.get("country")) for c in cs],
        "city": [c.get("city") for c in cs],
        "kinds": _lists(cs, "kinds"),
        "legal_names": _lists(cs, "legal_names"),
        "aliases": _lists(cs, "aliases"),
        "parent_id": [p["company"] if p else None for p in parents],
        "parent_since": [p.get("since") if p else None for p in parents],
        "ultimate_parent_id": [ch[-1] for ch in chains],
        "chain_ids": chains,
        "ownership_chain": [" → ".join(companies[x]["name"] for x in ch) for ch in chains],
        "domains": _lists(cs, "domains"),
        "notes": [c.get("notes") for c in cs],
    }
    t["company_parents"] = _columns(
        ("company_id", "parent_id", "since", "until", "note", "position"),
        [
            (cid, par["company"], par.get("since"), par.get("until"), par.get("note"), pos)
            for cid, c in companies.items()
            for pos, par in enumerate(c.get("parents") or [])
        ],
    )
    t["company_domains"] = _columns(
        ("company_id", "domain"), [(cid, d) for cid, c in companies.items() for d in c.get("domains") or []]
    )

    apps = recs["apps"]
    t["apps"] = {
        "id": [a["id"] for a in apps],
        "name": [a["name"] for a in apps],
        "developer_id": [a.get("developer") for a in apps],
        "platforms": _lists(apps, "platforms"),
        "ios_app_id": [a.get("ios_app_id") for a in apps],
        "android_package": [a.get("android_package") for a in apps],
        "website": [a.get("website") for a in apps],
        "aliases": _lists(apps, "aliases"),
        "notes": [a.get("notes") for a in apps],
    }

    fs = recs["findings"]
    audit = [_pdate_cols(f.get("audit_date")) for f in fs]
    t["findings"] = {
        "id": [f["id"] for f in fs],
        "app_id": [f["app"] for f in fs],
        "platform": [f.get("platform") for f in fs],
        "app_version": [f.get("app_version") for f in fs],
        "auditor": [f["auditor"] for f in fs],
        "auditor_kind": [f["auditor_kind"] for f in fs],
        "auditor_country": [f.get("auditor_country") for f in fs],
        "method": [f["method"] for f in fs],
        "audit_date": [f.get("audit_date") for f in fs],
        "audit_day": [day for day, _ in audit],
        "audit_precision": [prec for _, prec in audit],
        "data_described": _lists(fs, "data_described"),
        "recipient_described": [f.get("recipient_described") for f in fs],
        "domains": _lists(fs, "domains"),
        "recipient_countries": _lists(fs, "recipient_countries"),
        "evidence_status": [f["evidence_status"] for f in fs],
        "evidence_class": [schema.EVIDENCE_CLASS[f["evidence_status"]] for f in fs],
        "status_described": [f.get("status_described") for f in fs],
        "distinct_from": [f.get("distinct_from") for f in fs],
        "notes": [f.get("notes") for f in fs],
    }
    t["finding_data_types"] = _columns(
        ("finding_id", "data_type_id", "position"),
        [(f["id"], d, pos) for f in fs for pos, d in enumerate(f["data_types"])],
    )
    t["finding_recipients"] = _columns(
        ("finding_id", "company_id", "position"),
        [(f["id"], c, pos) for f in fs for pos, c in enumerate(f.get("recipients") or [])],
    )

    acts = recs["actions"]
    t["actions"] = {
        "id": [a["id"] for a in acts],
        "country_code": [a["jurisdiction"] for a in acts],
        "country_name": [country_name(a["jurisdiction"]) for a in acts],
        "subdivision": [a.get("subdivision") for a in acts],
        "subdivision_name": [subdivision_name(a.get("subdivision")) for a in acts],
        "authority": [a["authority"] for a in acts],
        "action_type": [a["action_type"] for a in acts],
        "action_described": [a.get("action_described") for a in acts],
        "scope": [a["scope"] for a in acts],
        "scope_described": [a.get("scope_described") for a in acts],
        "status": [a["status"] for a in acts],
        "status_described": [a.get("status_described") for a in acts],
        "notes": [a.get("notes") for a in acts],
    }
    for k in ("announced", "effective", "lifted"):
        dates = [_pdate_cols(a.get(k)) for a in acts]
        t["actions"][k] = [a.get(k) for a in acts]
        t["actions"][f"{k}_day"] = [day for day, _ in dates]
        t["actions"][f"{k}_precision"] = [prec for _, prec in dates]
    t["actions"]["lifted_unknown"] = [a.get("lifted_unknown") for a in acts]
    t["action_apps"] = _columns(
        ("action_id", "app_id", "position"),
        [(a["id"], app, pos) for a in acts for pos, app in enumerate(a.get("apps") or [])],
    )
    t["action_companies"] = _columns(
        ("action_id", "company_id", "position"),
        [(a["id"], c, pos) for a in acts for pos, c in enumerate(a.get("companies") or [])],
    )

    seen_sources: set[str] = set()
    sources: list[tuple[Any, ...]] = []
    record_sources: list[tuple[Any, ...]] = []
    singular = {"findings": "finding", "actions": "action", "companies": "company", "apps": "app"}
    for kind in ("findings", "actions", "companies", "apps"):
        rkind = singular[kind]
        for r in recs[kind]:
            for pos, s in enumerate(r.get("sources") or []):
                sid = source_id(s["url"])
                if sid not in seen_sources:
                    seen_sources.add(sid)
                    pub_day, _ = _pdate_cols(s.get("published"))
                    sources.append((sid, s["url"], s["publisher"], s.get("published"), pub_day, s.get("accessed")))
                record_sources.append(
                    (rkind, r["id"], pos, sid, s["url"], s["publisher"], s.get("published"), s["quote"])
                )
    t["sources"] = _columns(("id", "url", "publisher", "published", "published_day", "accessed"), sources)
    t["record_sources"] = _columns(
        ("record_kind", "record_id", "position", "source_id", "url", "publisher", "published", "quote"),
        record_sources,
    )

    meta = ds.meta
    counts = {k: len(v) for k, v in recs.items()}
    t_meta = {
        "data_version": version,
        "as_of": meta.get("as_of"),
        "built_at": built_at,
        "schema_version": SCHEMA_VERSION,
        "title": meta.get("title"),
        "licence": meta.get("licence"),
        "licence_url": meta.get("licence_url"),
        "publisher": meta.get("publisher"),
        "description": meta.get("description"),
        **{f"count_{k}": str(v) for k, v in counts.items()},
    }
    t["meta"] = {"key": list(t_meta), "value": [None if v is None else str(v) for v in t_meta.values()]}
    return t


def _lists(records: list[dict[str, Any]], name: str) -> list[list[Any]]:
    """One list column: each record's list (a copy), empty when missing or null."""
    return [list(r.get(name) or []) for r in records]


def _columns(names: tuple[str, ...], rows: list[tuple[Any, ...]]) -> Columns:
    """Rows (tuples) -> columns; a table without rows has no columns, as before (not inserted)."""
    if not rows:
        return {}
    return {name: list(col) for name, col in zip(names, zip(*rows, strict=True), strict=True)}


def _create(con: duckdb.DuckDBPyConnection, tables: dict[str, Columns]) -> None:
    """Create the tables and views and insert the rows; `tables` is emptied as it goes.

    Each table becomes an Arrow table only when it is inserted and is dropped right after, so at
    most one table is held twice (as columns and as Arrow) at any time. Arrow, not pandas: its
    types come from every value (DuckDB would guess an object column's type from a sample), and
    at x100 the inserts take a third less time.
    """
    ddl = (SQL_DIR / "tables.sql").read_text(encoding="utf-8")
    con.execute(ddl)
    for name in list(tables):
        columns = tables.pop(name)
        frame = pa.table(columns)
        if frame.num_rows == 0:
            continue
        cols = ", ".join(f'"{c}"' for c in columns)
        con.register("_frame", frame)
        con.execute(f'INSERT INTO "{name}" ({cols}) SELECT {cols} FROM _frame')  # names come from code
        con.unregister("_frame")
        del frame, columns
    con.execute((SQL_DIR / "views.sql").read_text(encoding="utf-8"))


def build(data_dir: Path, out: Path, today: dt.date | None = None, feeds_dir: Path | None = None) -> BuildResult:
    """Validate `data_dir` and write the database to `out` atomically. Raises BuildError.

    The new build carries the change log of the one it replaces plus what changed since
    (changelog.py); with `feeds_dir`, the Atom feeds of changes are written there afterwards.
    """
    start = time.perf_counter()
    data_dir = Path(data_dir)
    out = Path(out)
    check_targets(data_dir, out, Path(feeds_dir) if feeds_dir is not None else None)
    # The cyclic garbage collector stays paused while the records and tables are alive: they are
    # millions of objects without cycles, and every collection would walk them all for nothing.
    with cyclic_gc_paused():
        return _build(data_dir, out, today, feeds_dir, start)


def _build(data_dir: Path, out: Path, today: dt.date | None, feeds_dir: Path | None, start: float) -> BuildResult:
    ds, problems = load(data_dir, today)
    if problems:
        raise BuildError(problems)
    version = data_version(ds.files, data_dir)
    built_at = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    tables = _tables(ds, version, built_at)
    counts = {k: len(v) for k, v in ds.records.items()}
    as_of = str(ds.meta.get("as_of"))
    del ds  # the tables hold what is still needed
    out.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_temporaries(out)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.{os.getpid()}.", suffix=".tmp", dir=out.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()  # DuckDB wants to create the file itself
    try:
        con = duckdb.connect(str(tmp))
        try:
            _create(con, tables)
            con.execute("CHECKPOINT")
            n = con.execute("SELECT count(*) FROM flows").fetchone()
            if n is None:
                raise RuntimeError("flows view did not answer")
        finally:
            con.close()
        # The repository's history of data/ when there is one (the same in every clone); else
        # the log carried over from the build this one replaces.
        if changelog.record_from_history(tmp, data_dir, version, built_at) is None:
            changelog.record(tmp, out if out.exists() else None, version, built_at)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, out)
        _fsync_dir(out.parent)
    finally:
        for leftover in (tmp, Path(str(tmp) + ".wal")):
            if leftover.exists():
                leftover.unlink()
    if feeds_dir is not None:
        changelog.write_feeds(out, Path(feeds_dir))
    return BuildResult(out, version, as_of, counts, time.perf_counter() - start)


DUCKDB_MAGIC = b"DUCK"  # bytes 8-11 of every DuckDB database file


def is_database_file(path: Path) -> bool:
    """Whether `path` is a regular file (not a link) that starts as a DuckDB database does."""
    if path.is_symlink() or not path.is_file():
        return False
    try:
        with open(path, "rb") as fh:
            head = fh.read(12)
    except OSError:
        return False
    return head[8:12] == DUCKDB_MAGIC


def check_targets(data_dir: Path, out: Path, feeds_dir: Path | None) -> None:
    """Refuse, before anything is read or written, targets a build must not write. Raises TargetError.

    The database may not go inside the data folder, nor replace anything but a DuckDB database
    (`--out data/findings.yaml` overwrote the YAML); the feeds folder may not be inside the data
    folder nor hold files an earlier build did not write (see changelog.check_feeds_dir).
    """
    data = data_dir.resolve()
    for what, target in (("database", out), ("feeds folder", feeds_dir)):
        if target is not None and (target.resolve() == data or target.resolve().is_relative_to(data)):
            raise TargetError(f"{target}: the {what} may not be written inside the data folder {data_dir}")
    if os.path.lexists(out) and not is_database_file(out):
        raise TargetError(
            f"{out} exists and is not a DuckDB database; a build replaces only an earlier database, "
            "choose another --out"
        )
    if feeds_dir is not None:
        try:
            changelog.check_feeds_dir(feeds_dir)
        except changelog.FeedsDirError as exc:
            raise TargetError(str(exc)) from None


def _remove_stale_temporaries(out: Path) -> None:
    """Remove temporary files of earlier builds of `out` whose process is gone (killed builds)."""
    for tmp in out.parent.glob(f".{out.name}.*.tmp*"):
        parts = tmp.name[len(out.name) + 2 :].split(".")
        try:
            pid = int(parts[0])
        except (ValueError, IndexError):
            continue
        try:
            os.kill(pid, 0)
            continue  # that build is still running
        except ProcessLookupError:
            pass
        except PermissionError:
            continue
        try:
            tmp.unlink()
        except OSError:
            pass


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)

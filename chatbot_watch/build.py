"""Validated records -> a DuckDB file, written atomically.

The database is built in a temporary file beside the target and moved into place with
`os.replace` only once it is complete and checked, so a failed or killed build never leaves a
broken or half-written file at the target path: readers see the old file or the new one.
The tables are created from the data model (model.py: one table per kind, its item tables,
sources, vocabularies, meta) and loaded in bulk from Arrow tables; the two public views, `flows`
and `restrictions`, are declared in `sql/views.sql`.
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

from chatbot_watch import changelog, filecache, schema
from chatbot_watch.load import Dataset, Problem, cyclic_gc_paused, load
from chatbot_watch.model import (
    META,
    MODEL,
    SOURCES,
    VOCABULARIES,
    FieldColumn,
    Filled,
    ItemTable,
    Model,
    Records,
    Table,
    Values,
    source_id,
)

# The tables are created from the model (model.py); the two public views are SQL.
VIEWS_SQL = Path(__file__).resolve().parent / "sql" / "views.sql"
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
    files_read: int = 0  # record files read and checked in this build
    files_cached: int = 0  # record files whose records and problems came from the cache


def data_version(files: list[Path], data_dir: Path) -> str:
    """Content hash of the data files (names relative to the folder, and bytes)."""
    h = hashlib.sha256()
    for path in sorted(files, key=lambda p: str(p.relative_to(data_dir))):
        h.update(str(path.relative_to(data_dir)).encode())
        h.update(b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")
    return h.hexdigest()[:12]


Columns = dict[str, list[Any]]


def _tables(ds: Dataset, version: str, built_at: str, m: Model = MODEL) -> dict[str, Columns]:
    """Turn validated records into the columns of each table of the model, table by table.

    Columns are built one list comprehension each, straight from the records: at 200,000
    records that is several times faster than a dict per row turned into a DataFrame.
    """
    recs: Records = {k: [r.values for r in v] for k, v in ds.records.items()}
    t: dict[str, Columns] = {}

    vocab_rows = [
        (vname.lower(), vid, lab, desc, pos)
        for vname, vocab in schema.VOCABULARIES.items()
        for pos, (vid, (lab, desc)) in enumerate(vocab.items())
    ]
    t[VOCABULARIES.name] = _columns(_names(VOCABULARIES), vocab_rows)

    for stored in m.stored:
        rows = recs[stored.kind.name]
        t[stored.table.name] = _fill(stored.filled, rows, recs)
        for items in stored.items:
            t[items.table.name] = _item_rows(items, rows)

    # Sources: each URL once (as its first citation gives it) and every citation.
    cited: list[tuple[str, str, int, Values]] = [
        (stored.kind.word, r["id"], pos, s)
        for stored in m.cited
        for r in recs[stored.kind.name]
        for pos, s in enumerate(r.get(SOURCES) or [])
    ]
    first: dict[str, Values] = {}
    for *_, s in cited:
        first.setdefault(s["url"], s)
    t[m.sources.table.name] = _fill(m.sources, list(first.values()), recs) if first else {}
    fields = [p.field for p in m.citations.parts if isinstance(p, FieldColumn)]
    t[m.citations.table.name] = _columns(
        _names(m.citations.table),
        [(word, rid, pos, source_id(s["url"]), *[s.get(f) for f in fields]) for word, rid, pos, s in cited],
    )

    meta = ds.meta
    counts = {k: len(v) for k, v in recs.items()}
    t_meta = {
        "data_version": version,
        "built_at": built_at,
        "schema_version": SCHEMA_VERSION,
        **{f.name: meta.get(f.name) for f in m.dataset_fields},
        **{f"count_{k}": str(v) for k, v in counts.items()},
    }
    t[META.name] = {"key": list(t_meta), "value": [None if v is None else str(v) for v in t_meta.values()]}
    return t


def _fill(filled: Filled, rows: list[Values], recs: Records) -> Columns:
    """The columns of a table whose rows are `rows`: each field as it is (a list copied, empty
    when missing), then the derived columns, in the table's order."""
    out: Columns = {}
    for part in filled.parts:
        if isinstance(part, FieldColumn):
            name = part.field
            if part.is_list:
                out[part.column] = [list(r.get(name) or []) for r in rows]
            else:
                out[part.column] = [r.get(name) for r in rows]
        else:
            values = part.compute(rows, recs)
            for column, col_values in zip(part.columns, values, strict=True):
                out[column.name] = col_values
    return {c.name: out[c.name] for c in filled.table.columns}


def _item_rows(items: ItemTable, rows: list[Values]) -> Columns:
    """One row per item of a list field: the owner's id, the item (or its fields), its position."""
    name = items.field
    if items.value is not None:
        if items.position:
            made = [(r["id"], v, pos) for r in rows for pos, v in enumerate(r.get(name) or [])]
        else:
            made = [(r["id"], v) for r in rows for v in r.get(name) or []]
    else:
        fields = [c.field for c in items.item_columns]
        made = [
            (r["id"], *[item.get(f) for f in fields], *((pos,) if items.position else ()))
            for r in rows
            for pos, item in enumerate(r.get(name) or [])
        ]
    return _columns(_names(items.table), made)


def _names(table: Table) -> tuple[str, ...]:
    return tuple(c.name for c in table.columns)


def _columns(names: tuple[str, ...], rows: list[tuple[Any, ...]]) -> Columns:
    """Rows (tuples) -> columns; a table without rows has no columns, as before (not inserted)."""
    if not rows:
        return {}
    return {name: list(col) for name, col in zip(names, zip(*rows, strict=True), strict=True)}


def _create(con: duckdb.DuckDBPyConnection, tables: dict[str, Columns], m: Model = MODEL) -> None:
    """Create the tables (from the model) and views and insert the rows; `tables` is emptied as it goes.

    Each table becomes an Arrow table only when it is inserted and is dropped right after, so at
    most one table is held twice (as columns and as Arrow) at any time. Arrow, not pandas: its
    types come from every value (DuckDB would guess an object column's type from a sample), and
    at x100 the inserts take a third less time.
    """
    con.execute(m.ddl())
    for name in list(tables):
        columns = tables.pop(name)
        frame = pa.table(columns)
        if frame.num_rows == 0:
            continue
        cols = ", ".join(f'"{c}"' for c in columns)
        con.register("_frame", frame)
        con.execute(f'INSERT INTO "{name}" ({cols}) SELECT {cols} FROM _frame')  # names come from the model
        con.unregister("_frame")
        del frame, columns
    con.execute(VIEWS_SQL.read_text(encoding="utf-8"))


def build(
    data_dir: Path,
    out: Path,
    today: dt.date | None = None,
    feeds_dir: Path | None = None,
    model: Model = MODEL,
    cache: bool = True,
) -> BuildResult:
    """Validate `data_dir` and write the database to `out` atomically. Raises BuildError.

    The new build carries the change log of the one it replaces plus what changed since
    (changelog.py); with `feeds_dir`, the Atom feeds of changes are written there afterwards.
    `model` is the data model to validate and store by (model.py; a test passes a copy).
    With `cache`, each data file's records and problems are kept beside `out`
    (`.<name>.cache/`, filecache.py) and a rebuild reads only the files that changed; the
    database and the problems are the same either way.
    """
    start = time.perf_counter()
    data_dir = Path(data_dir)
    out = Path(out)
    check_targets(data_dir, out, Path(feeds_dir) if feeds_dir is not None else None)
    # The cyclic garbage collector stays paused while the records and tables are alive: they are
    # millions of objects without cycles, and every collection would walk them all for nothing.
    with cyclic_gc_paused():
        return _build(data_dir, out, today, feeds_dir, start, model, cache)


def _build(
    data_dir: Path, out: Path, today: dt.date | None, feeds_dir: Path | None, start: float, model: Model, cache: bool
) -> BuildResult:
    ds, problems = load(data_dir, today, model=model, cache_dir=filecache.folder_for(out) if cache else None)
    if problems:
        raise BuildError(problems)
    n_record_files = len(ds.files) - (data_dir / schema.DATASET_FILE in ds.files)
    files_read = len(ds.parsed)
    version = data_version(ds.files, data_dir)
    built_at = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    tables = _tables(ds, version, built_at, model)
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
            _create(con, tables, model)
            con.execute("CHECKPOINT")
            n = con.execute("SELECT count(*) FROM flows").fetchone()
            if n is None:
                raise RuntimeError("flows view did not answer")
        finally:
            con.close()
        # The repository's history of data/ when there is one (the same in every clone); else
        # the log carried over from the build this one replaces.
        if changelog.record_from_history(tmp, data_dir, version, built_at) is None:
            changelog.record(tmp, out if out.exists() else None, version, built_at, model)
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
    return BuildResult(
        out, version, as_of, counts, time.perf_counter() - start, files_read, n_record_files - files_read
    )


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

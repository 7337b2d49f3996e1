"""Validated records -> a DuckDB file, written atomically.

The database is built in a temporary file beside the target and moved into place with
`os.replace` only once it is complete and checked, so a failed or killed build never leaves a
broken or half-written file at the target path: readers see the old file or the new one.
The tables are created from the data model (model.py: one table per kind, its item tables,
sources, vocabularies, meta) and loaded in bulk from Arrow tables; the two public views, `flows`
and `restrictions`, are declared in `sql/views.sql`. A rebuild whose previous database was
made by the same code copies it and rewrites only the rows of the records that changed
(patch.py); the result is the same database.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import queue
import shutil
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from chatbot_watch.datamodel import schema
from chatbot_watch.datamodel.blocks import Derived, Records
from chatbot_watch.datamodel.sqlviews import VIEWS
from chatbot_watch.datamodel.storage import META, MODEL, VOCABULARIES, Model
from chatbot_watch.reading.fast import filecache
from chatbot_watch.reading.fast.workers import cyclic_gc_paused
from chatbot_watch.reading.load import Dataset, Problem, load
from chatbot_watch.store import changelog, patch, rows
from chatbot_watch.store.diff import SOURCE_KIND
from chatbot_watch.store.rows import SCHEMA_VERSION

# The tables are created from the model (model.py); the two public views are SQL.
VIEWS_SQL = Path(__file__).resolve().parent / "sql" / "views.sql"


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
    patched: int | None = None  # records rewritten when the previous database was patched (patch.py)


def data_version(files: list[Path], data_dir: Path) -> str:
    """Content hash of the data files (names relative to the folder, and bytes)."""
    h = hashlib.sha256()
    for path in sorted(files, key=lambda p: str(p.relative_to(data_dir))):
        h.update(str(path.relative_to(data_dir)).encode())
        h.update(b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")
    return h.hexdigest()[:12]


def build_key(m: Model = MODEL) -> str:
    """A hash of what decides the database a set of records gives: the code that reads records
    and makes rows (filecache.loader_version, rows.py, this module, patch.py), the model's
    tables and the views, and the versions of DuckDB and pyarrow (a database file written by
    another DuckDB is never patched). A build patches only a database made with the same key
    (patch.py)."""
    libraries = f"duckdb={duckdb.__version__}\0pyarrow={pa.__version__}"
    h = hashlib.sha256(f"{SCHEMA_VERSION}\0{filecache.loader_version()}\0{libraries}\0{m.ddl()}\0".encode())
    # The derived columns' functions by name (model.py's source is in loader_version; a copied
    # model's own functions are known by their names only) and the views' declarations.
    for stored in m.stored:
        for part in stored.filled.parts:
            if isinstance(part, Derived):
                h.update(f"{part.compute.__module__}.{part.compute.__qualname__}:{part.whole_table}\0".encode())
    h.update(repr([(v.name, v.reads, v.refresh_by) for v in VIEWS]).encode())
    for kind in m.kinds:
        h.update(filecache.kind_version(kind).encode())
    here = Path(__file__).resolve().parent
    for path in (VIEWS_SQL, here / "rows.py", here / "build.py", here / "patch.py"):
        h.update(path.read_bytes() + b"\0")
    return h.hexdigest()


def _tables(ds: Dataset, version: str, built_at: str, m: Model = MODEL) -> Iterator[tuple[str, rows.Columns]]:
    """Every table of the model from every record (rows.py), one table at a time."""
    recs: Records = {k: [r.values for r in v] for k, v in ds.records.items()}
    yield VOCABULARIES.name, rows.vocabulary_table()
    for stored in m.stored:
        yield from rows.kind_tables(stored, recs[stored.kind.name], recs).items()
    # Sources: each URL once (as its first citation gives it) and every citation.
    cited = rows.citations(m, recs)
    sources = rows.source_table(m, rows.first_citations(cited), recs)
    ids = dict(zip(sources["url"], sources["id"], strict=True)) if sources else {}
    yield m.sources.table.name, sources
    del sources
    yield m.citations.table.name, rows.citation_table(m, cited, ids)
    yield META.name, rows.meta_table(m, ds.meta, recs, version, built_at)


def _create(con: duckdb.DuckDBPyConnection, tables: Iterable[tuple[str, rows.Columns]], m: Model = MODEL) -> None:
    """Create the tables (from the model) and views and insert the rows of `tables` as they come.

    Python makes a table's columns and its Arrow table while DuckDB inserts the one before, in a
    thread of its own (DuckDB works without the GIL): at x1000 the inserts (2 s) overlap the
    columns (5 s). At most two tables are held as Arrow at any time, and none longer than needed.
    """
    con.execute(m.ddl())
    frames: queue.Queue[tuple[str, pa.Table] | None] = queue.Queue(maxsize=1)
    failed: list[BaseException] = []

    def inserter() -> None:
        cursor = None
        try:
            cursor = con.cursor()
        except BaseException as exc:  # noqa: BLE001 - raised again in the caller's thread
            failed.append(exc)
        # Every item is taken, after a failure too (then nothing is inserted), so that the caller
        # never waits on a full queue.
        while (item := frames.get()) is not None:
            if cursor is not None and not failed:
                try:
                    rows.insert_frame(cursor, *item)
                except BaseException as exc:  # noqa: BLE001 - raised again in the caller's thread
                    failed.append(exc)
            del item
        if cursor is not None:
            cursor.close()

    thread = threading.Thread(target=inserter, name="chatbot-watch-insert")
    thread.start()
    try:
        for name, columns in tables:
            made = rows.frame(columns, m.table(name))
            del columns
            if made is not None and not failed:
                frames.put((name, made))
            del made
    finally:
        frames.put(None)
        thread.join()
    if failed:
        raise failed[0]
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
    counts = {k: len(v) for k, v in ds.records.items()}
    as_of = str(ds.meta.get("as_of"))
    key = build_key(model)
    out.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_temporaries(out)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.{os.getpid()}.", suffix=".tmp", dir=out.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()  # DuckDB wants to create the file itself
    changed: dict[str, set[str]] | None = None
    try:
        # With the cache, a database made by the same code is patched where records changed.
        the_plan = patch.plan(out, ds, key) if cache else None
        if the_plan is not None:
            changed = _patched(out, tmp, the_plan, ds, model, version, built_at)
        if changed is None:
            con = _writer(tmp)
            try:
                patch.write_state(con, key, ds)
                _create(con, _tables(ds, version, built_at, model), model)
                _checkpoint(con)
            finally:
                con.close()
        del ds
        # The repository's history of data/ when there is one (the same in every clone); else
        # the log carried over from the build this one replaces.
        if changelog.record_from_history(tmp, data_dir, version, built_at) is None:
            changelog.record(tmp, out if out.exists() else None, version, built_at, model, changed)
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
        out,
        version,
        as_of,
        counts,
        time.perf_counter() - start,
        files_read,
        n_record_files - files_read,
        None if changed is None else sum(len(v) for k, v in changed.items() if k != SOURCE_KIND),
    )


def _patched(
    out: Path, tmp: Path, the_plan: patch.Plan, ds: Dataset, model: Model, version: str, built_at: str
) -> dict[str, set[str]] | None:
    """Copy the database `out` to `tmp` and patch it (patch.py): the records that changed, by
    kind, or None when it could not be patched (`tmp` is then removed: a full build follows)."""
    try:
        shutil.copyfile(out, tmp)
        con = _writer(tmp)
        try:
            changed = patch.apply(con, the_plan, ds, model, version, built_at)
            _checkpoint(con)
        finally:
            con.close()
        return changed
    except (OSError, duckdb.Error):
        for leftover in (tmp, Path(str(tmp) + ".wal")):
            leftover.unlink(missing_ok=True)
        return None


def _writer(tmp: Path) -> duckdb.DuckDBPyConnection:
    """A writing connection to the build being made (the one file this module writes into)."""
    return duckdb.connect(str(tmp))


def _checkpoint(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("CHECKPOINT")
    n = con.execute("SELECT count(*) FROM flows").fetchone()
    if n is None:
        raise RuntimeError("flows view did not answer")


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

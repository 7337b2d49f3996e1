"""Every DuckDB connection the project opens that reads a database: hardened in one place.

A database file is input like any other: a view in it can call `read_csv('/etc/passwd')`,
`read_text(...)` or an extension that fetches a URL. So every reading connection (the app, the
export and its zip, diff, the change log, the feeds, the tests' helpers) is opened read-only,
with external access off (no file or network access beyond the database itself, no ATTACH, no
COPY), extension autoloading and autoinstalling off, and its configuration locked so no query can
switch any of that back on. Where a task must touch a few more files (the export writes its
folder, the change log attaches two builds), exactly those paths are allowed, nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import duckdb

Con = duckdb.DuckDBPyConnection

# Set when the database opens; external access and the lock are set last (see `connect`).
OPEN_CONFIG = {
    "autoload_known_extensions": False,
    "autoinstall_known_extensions": False,
    "allow_community_extensions": False,
    "allow_unsigned_extensions": False,
}
HARDENED = {**OPEN_CONFIG, "enable_external_access": False, "lock_configuration": True}


def connect(
    path: str | Path | None,
    read_only: bool = True,
    allowed_paths: Iterable[str | Path] = (),
    allowed_dirs: Iterable[str | Path] = (),
) -> Con:
    """A hardened connection to the database at `path` (None: in memory).

    `allowed_paths`/`allowed_dirs` are the only files and folders outside the database that
    statements may read or write (ATTACH, COPY TO); by default there are none.
    """
    paths = [f"{p}{suffix}" for p in allowed_paths for suffix in ("", ".wal", ".wal.checkpoint")]  # and its WAL
    dirs = [str(d).rstrip("/") + "/" for d in allowed_dirs]
    target = ":memory:" if path is None else str(path)
    if not paths and not dirs:
        return duckdb.connect(target, read_only=read_only and path is not None, config=dict(HARDENED))
    con = duckdb.connect(target, read_only=read_only and path is not None, config=dict(OPEN_CONFIG))
    try:
        # DuckDB accepts these lists only while external access is on, so they come first.
        if paths:
            con.execute("SET allowed_paths = ?", [paths])
        if dirs:
            con.execute("SET allowed_directories = ?", [dirs])
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
    except BaseException:
        con.close()
        raise
    return con

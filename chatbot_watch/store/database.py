"""The app's view of the database file: read-only, hardened, and switched to a new build live.

A build replaces the file with `os.replace`, so the path always names a complete database.
DuckDB, however, keeps serving the old file to any new connection on the same path while one
connection to that path is still open. So each build is opened under a name of its own: a hard
link `.<name>.<inode>-<mtime>.open` beside the file. Queries in flight finish on the build they
started on; the connection two builds back is closed and its link removed. If a new file
cannot be opened (damaged, not a database) the last good build keeps serving.
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import duckdb

from chatbot_watch import queries

log = logging.getLogger(__name__)


class DatabaseError(Exception):
    """No usable database: missing, damaged or not a Chatbot Watch database."""


@dataclass
class _Open:
    con: queries.Con
    link: Path | None
    stamp: tuple[int, int, int]
    version: str


class Database:
    """A read-only connection to the newest good build at `path`."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._current: _Open | None = None
        self._previous: _Open | None = None
        self.last_error: str | None = None

    def _stamp(self) -> tuple[int, int, int]:
        s = os.stat(self.path)
        return (s.st_ino, s.st_mtime_ns, s.st_size)

    def _open(self, stamp: tuple[int, int, int]) -> _Open:
        link: Path | None = self.path.with_name(f".{self.path.name}.{stamp[0]}-{stamp[1]}.open")
        assert link is not None
        try:
            os.link(self.path, link)
        except FileExistsError:
            pass
        except OSError:
            link = None  # no hard links here (another file system): fall back to the path itself
        con = queries.connect(str(link or self.path))
        try:
            version = queries.meta(con).get("data_version", "")
        except duckdb.Error as exc:
            con.close()
            raise DatabaseError(f"{self.path} is not a Chatbot Watch database ({exc})") from None
        if not version:
            con.close()
            raise DatabaseError(f"{self.path} has no data version: rebuild it")
        return _Open(con, link, stamp, version)

    def refresh(self) -> str:
        """Switch to a new build if the file changed; return the data version being served."""
        with self._lock:
            try:
                stamp = self._stamp()
            except OSError as exc:
                if self._current is None:
                    raise DatabaseError(f"{self.path}: cannot read the database ({exc.strerror})") from None
                return self._current.version  # the file vanished: keep serving the last good build
            if self._current is not None and stamp == self._current.stamp:
                return self._current.version
            try:
                opened = self._open(stamp)
            except (duckdb.Error, DatabaseError) as exc:
                self.last_error = str(exc)
                if self._current is None:
                    raise DatabaseError(f"{self.path}: cannot open the database ({exc})") from None
                log.error("new database file not usable, still serving %s: %s", self._current.version, exc)
                return self._current.version
            self.last_error = None
            if self._previous is not None:
                self._close(self._previous)
            self._previous, self._current = self._current, opened
            return opened.version

    def _close(self, o: _Open) -> None:
        try:
            o.con.close()
        finally:
            if o.link is not None:
                try:
                    o.link.unlink()
                except OSError:
                    pass

    def cursor(self) -> queries.Con:
        """A cursor on the current build (one per query: a connection is not thread-safe)."""
        self.refresh()
        with self._lock:
            assert self._current is not None
            return self._current.con.cursor()

    @property
    def version(self) -> str:
        return self._current.version if self._current else ""

    def close(self) -> None:
        """Close every connection and remove the links."""
        with self._lock:
            for o in (self._previous, self._current):
                if o is not None:
                    self._close(o)
            self._previous = self._current = None

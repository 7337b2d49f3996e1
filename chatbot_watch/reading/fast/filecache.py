"""Each data file's records and problems, kept by the file's content hash so a rebuild reads
again only the files that changed.

`build` keeps the cache in a hidden folder beside the database it writes (`.<name>.cache/`
next to `<name>`), never in the data folder. One entry per data file holds what reading that
file gave: its records (values and line numbers) and its own problems (YAML, fields, the
record's own rules), with `path:line` exactly as read, and each record's digest (a hash of its
text): when a file is edited, its earlier entry gives the records whose text did not change
(`earlier`, load._read_edited) and only the others are read again. An entry is used only when all of
these are what they were: the file's bytes (SHA-256), its path as problems show it, the code
that reads and checks a file (the source of the modules in LOADER_MODULES and the versions of
the libraries they use), the record kind's declaration and the vocabularies, and, for files
with a date after either day, the day of the check ("in the future"). Checks across records
(ids, references, ownership chains, the rules comparing records) and against the dataset's
`as_of` are not cached: they run on every build, so bumping `as_of` reads no file again.

Entries are written by the build only (the entry's key, then marshal, with a SHA-256 of the
payload checked before it is read: a truncated or altered entry is ignored and the file read
again; an entry for other bytes is known by its key without reading further), atomically
(temporary file, then `os.replace`), and the folder holds one entry per data file: entries of
files no longer in the data folder are removed after each load. Removing the folder is always
safe: the next build reads every file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.metadata
import marshal
import os
import sys
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from chatbot_watch.datamodel import vocabularies
from chatbot_watch.datamodel.dataset import Problem, Record, pack, unpack
from chatbot_watch.datamodel.schema import RecordKind

MAGIC = b"chatbot-watch file cache 4\n"
SUFFIX = ".entry"

# The modules whose code decides what reading one data file gives (tests/test_cache.py checks
# that every chatbot_watch module `load` imports is listed).
LOADER_MODULES = (
    "datamodel",
    "datamodel.blocks",
    "datamodel.countries",
    "datamodel.dataset",
    "datamodel.schema",
    "datamodel.storage",
    "datamodel.vocabularies",
    "reading",
    "reading.crosscheck",
    "reading.fast",
    "reading.fast.fastread",
    "reading.fast.filecache",
    "reading.fast.reread",
    "reading.fast.workers",
    "reading.fieldcheck",
    "reading.load",
    "reading.rules",
    "reading.urls",
    "reading.yamlread",
)
LIBRARIES = ("PyYAML", "pycountry", "idna")


def folder_for(out: Path) -> Path:
    """The cache folder of the database `out`: `.<name>.cache` beside it."""
    return out.parent / f".{out.name}.cache"


@cache
def loader_version() -> str:
    """A hash of the code that reads and checks one file: its modules' source, the libraries'
    versions (ISO codes come from pycountry) and Python's (marshal's format, `array`'s bytes)."""
    h = hashlib.sha256(MAGIC)
    package = Path(__file__).resolve().parents[2]  # chatbot_watch/
    for name in LOADER_MODULES:
        path = package.joinpath(*name.split("."))
        source = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
        h.update(name.encode() + b"\0" + source.read_bytes() + b"\0")
    for lib in LIBRARIES:
        try:
            version = importlib.metadata.version(lib)
        except importlib.metadata.PackageNotFoundError:
            version = "?"
        h.update(f"{lib}={version}\0".encode())
    import yaml

    h.update(f"libyaml={getattr(yaml, '__with_libyaml__', False)}\0{sys.version}\0{marshal.version}".encode())
    return h.hexdigest()


def kind_version(kind: RecordKind) -> str:
    """A hash of a kind's declaration (its fields, as a copied model may change them) and the vocabularies."""
    return hashlib.sha256(f"{kind!r}\0{vocabularies.VOCABULARIES!r}".encode()).hexdigest()


def file_digest(raw: bytes) -> str:
    """The content hash that names a file's bytes in the cache."""
    return hashlib.sha256(raw).hexdigest()


@dataclass(frozen=True)
class Earlier:
    """An entry of a file as it was before its last edit: each record (values, line, lines, steps)
    by the digest of its text, and the latest day any date in the file started on."""

    records: dict[str, tuple[Any, int, Any, Any]]
    latest: date | None


class FileCache:
    """The cache folder of one database: `get` and `put` one data file's result, `prune` the rest.

    Every failure to read or write an entry is silent: the file is read as if there were no cache.
    """

    def __init__(self, folder: Path, today: dt.date) -> None:
        self.folder = folder
        self.today = today
        self.used: set[str] = set()
        self._kinds: dict[str, str] = {}

    def _context(self, kind: RecordKind) -> str:
        """What an entry's checks depend on besides the file: the code, the kind."""
        kv = self._kinds.get(kind.name)
        if kv is None:
            kv = self._kinds[kind.name] = kind_version(kind)
        return f"{loader_version()}\0{kv}"

    def _key(self, kind: RecordKind, digest: str) -> str:
        return hashlib.sha256(f"{self._context(kind)}\0{digest}".encode()).hexdigest()

    def _entry(self, name: str) -> Path:
        """The entry of the data file called `name` (its path inside the data folder)."""
        entry = hashlib.sha256(name.encode()).hexdigest()[:32] + SUFFIX
        self.used.add(entry)
        return self.folder / entry

    def _load(self, name: str, key: str | None = None) -> tuple[Any, ...] | None:
        """The payload of the entry of the data file `name`, or None when there is none, it is
        damaged, or (with `key`) it was made for other bytes: then only its head is read."""
        path = self._entry(name)
        head = len(MAGIC) + 64
        try:
            with open(path, "rb") as fh:
                start = fh.read(head)
                if start[: len(MAGIC)] != MAGIC or (key is not None and start[len(MAGIC) :] != key.encode()):
                    return None
                blob = fh.read()
        except OSError:
            return None
        if hashlib.sha256(blob[32:]).digest() != blob[:32]:
            return None
        blob = blob[32:]
        try:
            # marshal builds plain values only (it runs no code, unlike pickle); the entries are
            # the build's own, in the folder it owns, and the checksum above rejects damaged ones.
            payload = marshal.loads(blob)  # noqa: S302
        except (ValueError, TypeError, EOFError):
            return None
        return payload if isinstance(payload, tuple) and len(payload) == 7 else None

    def get(self, kind: RecordKind, name: str, rel: str, digest: str) -> tuple[list[Record], list[Problem]] | None:
        """The records and problems cached for the file `name` with content `digest`, or None.

        `rel` is the path as problems show it (and records keep): an entry made under another
        one is not used.
        """
        payload = self._load(name, self._key(kind, digest))
        if payload is None:
            return None
        try:
            key, _, e_rel, e_today, latest, records, problems = payload
            if key != self._key(kind, digest) or e_rel != rel or not self._same_day(e_today, latest):
                return None
            return unpack(kind.name, rel, records), [Problem(*p) for p in problems]
        except (ValueError, TypeError):
            return None

    def earlier(self, kind: RecordKind, name: str, rel: str) -> Earlier | None:
        """The records of the entry of the file `name` made from other bytes, by their text's digest,
        when reading its records again would give them as they are: made by the same code for the
        same kind and path, on a day whose checks hold today, with no problem. None else."""
        payload = self._load(name)
        if payload is None:
            return None
        try:
            _, context, e_rel, e_today, latest, records, problems = payload
            if context != self._context(kind) or e_rel != rel or problems or not self._same_day(e_today, latest):
                return None
            by_digest: dict[str, tuple[Any, int, Any, Any]] = {}
            for values, line, lines, steps, digest in records:
                if digest is None or not digest.startswith("t"):
                    return None  # a file read without its records' texts: nothing to match
                by_digest[digest] = (values, line, lines, steps)
            return Earlier(by_digest, date.fromisoformat(latest) if latest else None)
        except (ValueError, TypeError):
            return None

    def _same_day(self, e_today: str, latest: str | None) -> bool:
        """Whether checks made on `e_today` hold today: the same day, or no date in the file after either."""
        if e_today == self.today.isoformat():
            return True
        return latest is None or latest <= min(e_today, self.today.isoformat())

    def put(
        self,
        kind: RecordKind,
        name: str,
        rel: str,
        digest: str,
        latest: dt.date | None,
        records: list[Record],
        problems: list[Problem],
    ) -> None:
        """Keep what reading the file `name` (shown as `rel`, content `digest`) gave; `latest` is
        the latest day any date in it starts on (None without dates)."""
        path = self._entry(name)
        key = self._key(kind, digest)
        payload = marshal.dumps(
            (
                key,
                self._context(kind),
                rel,
                self.today.isoformat(),
                latest.isoformat() if latest else None,
                pack(records),
                [(p.path, p.line, p.field, p.message) for p in problems],
            )
        )
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            if self.folder.is_symlink():
                return
            with open(tmp, "wb") as fh:
                fh.write(MAGIC + key.encode() + hashlib.sha256(payload).digest() + payload)
            os.replace(tmp, path)
        except OSError:
            try:
                tmp.unlink(missing_ok=True)
            except OSError:
                pass

    def prune(self) -> None:
        """Remove the entries of files not read in this load (gone, renamed) and leftover temporaries."""
        try:
            names = os.listdir(self.folder)
        except OSError:
            return
        for entry in names:
            if entry in self.used or not (entry.endswith(SUFFIX) or entry.endswith(".tmp")):
                continue
            try:
                (self.folder / entry).unlink()
            except OSError:
                pass


def usable(folder: Path) -> bool:
    """Whether `folder` can hold the cache: absent, or a real folder (never followed through a link)."""
    return not folder.is_symlink() and (not os.path.lexists(folder) or folder.is_dir())


__all__ = ["Earlier", "FileCache", "file_digest", "folder_for", "kind_version", "loader_version", "usable"]

"""Each data file's records and problems, kept by the file's content hash so a rebuild reads
again only the files that changed.

`build` keeps the cache in a hidden folder beside the database it writes (`.<name>.cache/`
next to `<name>`), never in the data folder. One entry per data file holds what reading that
file gave: its records (values and line numbers) and its own problems (YAML, fields, the
record's own rules), with `path:line` exactly as read. An entry is used only when all of
these are what they were: the file's bytes (SHA-256), its path as problems show it, the code
that reads and checks a file (the source of the modules in LOADER_MODULES and the versions of
the libraries they use), the record kind's declaration and the vocabularies, the dataset's
`as_of`, and, for files with a date after either day, the day of the check ("in the future").
Checks across records (ids, references, ownership chains, the rules comparing records) are not
cached: they run on every build.

Entries are written by the build only (marshal, with a SHA-256 of the payload checked before
it is read: a truncated or altered entry is ignored and the file read again), atomically
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
from array import array
from functools import cache
from pathlib import Path

from chatbot_watch import schema
from chatbot_watch.dataset import Problem, Record
from chatbot_watch.schema import RecordKind

MAGIC = b"chatbot-watch file cache 2\n"
SUFFIX = ".entry"

# The modules whose code decides what reading one data file gives (tests/test_cache.py checks
# that every chatbot_watch module `load` imports is listed).
LOADER_MODULES = (
    "countries",
    "dataset",
    "fieldcheck",
    "filecache",
    "load",
    "model",
    "rules",
    "schema",
    "urls",
    "yamlread",
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
    package = Path(__file__).resolve().parent
    for name in LOADER_MODULES:
        h.update(name.encode() + b"\0" + (package / f"{name}.py").read_bytes() + b"\0")
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
    return hashlib.sha256(f"{kind!r}\0{schema.VOCABULARIES!r}".encode()).hexdigest()


def file_digest(raw: bytes) -> str:
    """The content hash that names a file's bytes in the cache."""
    return hashlib.sha256(raw).hexdigest()


class FileCache:
    """The cache folder of one database: `get` and `put` one data file's result, `prune` the rest.

    Every failure to read or write an entry is silent: the file is read as if there were no cache.
    """

    def __init__(self, folder: Path, today: dt.date, as_of: str | None) -> None:
        self.folder = folder
        self.today = today
        self.as_of = as_of
        self.used: set[str] = set()
        self._kinds: dict[str, str] = {}

    def _key(self, kind: RecordKind, digest: str) -> str:
        kv = self._kinds.get(kind.name)
        if kv is None:
            kv = self._kinds[kind.name] = kind_version(kind)
        return hashlib.sha256(f"{loader_version()}\0{kv}\0{self.as_of}\0{digest}".encode()).hexdigest()

    def _entry(self, name: str) -> Path:
        """The entry of the data file called `name` (its path inside the data folder)."""
        entry = hashlib.sha256(name.encode()).hexdigest()[:32] + SUFFIX
        self.used.add(entry)
        return self.folder / entry

    def get(self, kind: RecordKind, name: str, rel: str, digest: str) -> tuple[list[Record], list[Problem]] | None:
        """The records and problems cached for the file `name` with content `digest`, or None.

        `rel` is the path as problems show it (and records keep): an entry made under another
        one is not used.
        """
        path = self._entry(name)
        try:
            with open(path, "rb") as fh:
                blob = fh.read()
        except OSError:
            return None
        head = len(MAGIC)
        if blob[:head] != MAGIC or hashlib.sha256(blob[head + 32 :]).digest() != blob[head : head + 32]:
            return None
        try:
            # marshal builds plain values only (it runs no code, unlike pickle); the entries are
            # the build's own, in the folder it owns, and the checksum above rejects damaged ones.
            key, e_rel, e_today, latest, records, problems = marshal.loads(blob[head + 32 :])  # noqa: S302
            if key != self._key(kind, digest) or e_rel != rel or not self._same_day(e_today, latest):
                return None
            word = kind.name
            recs = [
                Record(word, values, rel, line, lines or {}, array("i", steps) if steps is not None else None, digest)
                for values, line, lines, steps, digest in records
            ]
            return recs, [Problem(*p) for p in problems]
        except (ValueError, TypeError, EOFError):
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
        payload = marshal.dumps(
            (
                self._key(kind, digest),
                rel,
                self.today.isoformat(),
                latest.isoformat() if latest else None,
                [
                    (r.values, r.line, r.lines or None, None if r.steps is None else r.steps.tobytes(), r.digest)
                    for r in records
                ],
                [(p.path, p.line, p.field, p.message) for p in problems],
            )
        )
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            if self.folder.is_symlink():
                return
            with open(tmp, "wb") as fh:
                fh.write(MAGIC + hashlib.sha256(payload).digest() + payload)
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


__all__ = ["FileCache", "file_digest", "folder_for", "kind_version", "loader_version", "usable"]

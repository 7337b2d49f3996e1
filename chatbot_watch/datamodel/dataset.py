"""The loaded data: `Problem` (path:line: field: message), `Record` and `Dataset`."""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True, order=True)
class Problem:
    """One validation problem, printed as `path:line: field: message`."""

    path: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.field}: {self.message}"


@dataclass
class Record:
    """A record as read from a data file, with where it came from.

    `lines` maps dotted field paths to lines. The loader stores them compactly in `steps` (one
    line per key and list item, in reading order) and `line_of` expands them on first use:
    problems are rare, and a dict per record would hold millions of entries at scale.
    """

    kind: str
    values: dict[str, Any]
    path: str
    line: int
    lines: dict[str, int] = field(default_factory=dict)  # dotted field path -> line
    steps: array[int] | None = field(default=None, repr=False, compare=False)
    # A hash of the record's text (or values), set when its file has no problems: a rebuild
    # patches the database only where a record's digest changed (patch.py).
    digest: str | None = field(default=None, repr=False, compare=False)

    @property
    def id(self) -> str:
        return str(self.values.get("id"))

    def line_of(self, name: str) -> int:
        if self.steps is not None:
            self.lines = _replay_lines(self.values, self.steps)
            self.steps = None
        return self.lines.get(name, self.line)

    def problem(self, field: str, message: str) -> Problem:
        """A problem with `field` of this record, at the field's line."""
        return Problem(self.path, self.line_of(field), field, message)


Packed = tuple[Any, int, "dict[str, int] | None", "bytes | None", "str | None"]  # values, line, lines, steps, digest


def pack(records: list[Record]) -> list[Packed]:
    """Records as plain tuples (the file cache's entries, and what worker processes send back):
    marshalled, pickled and read back several times as fast as `Record` objects. Every record
    of a list is of one kind and from one file, which `unpack` is given again."""
    return [
        (r.values, r.line, r.lines or None, None if r.steps is None else r.steps.tobytes(), r.digest) for r in records
    ]


def unpack(kind: str, path: str, packed: list[Packed]) -> list[Record]:
    """The records `pack` gave, of `kind`, read from `path`."""
    return [
        Record(kind, values, path, line, lines or {}, None if steps is None else array("i", steps), digest)
        for values, line, lines, steps, digest in packed
    ]


@dataclass
class Dataset:
    """Everything loaded from a data folder.

    `parsed` lists the record files read and checked in this load; the others' records and
    problems came from the cache (filecache.py). Of an edited file, only the records whose text
    changed are read again (load._read_edited): `records_read` counts the records read.
    """

    meta: dict[str, Any]
    records: dict[str, list[Record]]
    files: list[Path]
    parsed: list[Path] = field(default_factory=list)
    records_read: int = 0  # records read from YAML in this load (the rest came from the cache)

    def by_id(self, kind: str) -> dict[str, Record]:
        return {r.id: r for r in self.records.get(kind, [])}


def _replay_lines(values: Any, steps: array[int]) -> dict[str, int]:
    """The `lines` dict `_Reader.value` builds for `values`, from `_FastReader` steps."""
    lines: dict[str, int] = {}
    nxt = iter(steps).__next__
    lines.setdefault("", nxt())

    def walk(value: Any, fld: str) -> None:
        if isinstance(value, list):
            for i, item in enumerate(value):
                sub = f"{fld}[{i}]"
                lines.setdefault(sub, nxt())
                walk(item, sub)
        elif isinstance(value, dict):
            for key, item in value.items():
                sub = f"{fld}.{key}" if fld else key
                lines[sub] = nxt()
                walk(item, sub)

    walk(values, "")
    return lines

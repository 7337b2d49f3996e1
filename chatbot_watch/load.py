"""Data files -> validated records; every problem names file, line and field.

The loader never raises on bad input: it returns the records it could read together with a
list of `Problem`s, and `validate()` reports all of them at once. YAML is composed, not
constructed, so YAML 1.1 surprises cannot happen: every plain scalar is a string
(`NO` stays "NO", `2025-02-15` stays text), only `null`, `~` or an empty value mean null,
duplicate keys and anchors/aliases are errors.

Large folders are read by one worker process per core, file by file; records keep their field
lines compactly and expand them only for a problem. Neither changes what is reported.
"""

from __future__ import annotations

import datetime as dt
import gc
import multiprocessing
import os
import pickle
import re
import stat
import sys
from array import array
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pycountry
import yaml

from chatbot_watch import schema
from chatbot_watch.schema import Field, RecordKind
from chatbot_watch.urls import url_problem

# Limits on one data file, checked before (size) and while (nesting, values) it is composed, so
# that no file can crash the process or take more than a few seconds and a few hundred MB:
# measured in docs/benchmarks.md ("Bounded input"). Real records nest 5 levels below the file's
# top-level mapping and hold 45,000 to 80,000 values per MiB.
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_DEPTH = 20
MAX_NODES = 2_000_000
# Problems listed per file: past it a file is not checked further (one line says where it
# stopped) and the rest is counted, so a file of a million broken records costs no more than
# a few thousand.
MAX_PROBLEMS = 1000
# Above this many ids, an unknown id gets no "did you mean" hint (each hint compares it with all).
MAX_HINT_IDS = 5000
MIN_YEAR = 1990

SLUG_RE = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
RECORD_ID_RE = re.compile(r"^[A-Z]{2,4}-[0-9]{3,8}$")
PDATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
DOMAIN_RE = re.compile(r"^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{1,62}$")
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]")
# Characters XML 1.0 cannot carry (lone surrogates, U+FFFE, U+FFFF) and the other Unicode
# noncharacters (U+FDD0-U+FDEF, the last two code points of every plane): not text, and one of
# them made the Atom feeds ill-formed.
NONCHAR_RE = re.compile(
    "[\ud800-\udfff\ufdd0-\ufdef"
    + "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17))
    + "]"
)
# Line breaks other than \n: YAML breaks lines at CR, NEL, LINE and PARAGRAPH SEPARATOR too, so a
# raw one in a file makes what looks like one line two (and shifts every later line number).
ODD_BREAK_RE = re.compile("\r(?!\n)|[\x85\u2028\u2029]")
VALUE_BREAK_RE = re.compile("[\r\x85\u2028\u2029]")
# Bidirectional embedding, override and isolate controls: they make text display in an order
# other than the one stored ("Trojan Source"); refused in every one-line field.
BIDI_RE = re.compile("[\u202a-\u202e\u2066-\u2069]")
ANY_ODD_RE = re.compile("|".join(r.pattern for r in (CONTROL_RE, NONCHAR_RE, VALUE_BREAK_RE, BIDI_RE)))
NULLS = {"", "~", "null", "Null", "NULL"}
# Tags the YAML resolver gives plain values on its own; any other tag was written explicitly.
PLAIN_TAGS = {
    f"tag:yaml.org,2002:{t}"
    for t in ("str", "null", "bool", "int", "float", "timestamp", "seq", "map", "merge", "value")
}
_PLAIN_SCALAR_TAG = "tag:yaml.org,2002:str"
_NO_LINES: dict[str, int] = {}  # read only: checking a record before its lines are needed
SPACE_RE = re.compile(r"\s")


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

    @property
    def id(self) -> str:
        return str(self.values.get("id"))

    def line_of(self, name: str) -> int:
        if self.steps is not None:
            self.lines = _replay_lines(self.values, self.steps)
            self.steps = None
        return self.lines.get(name, self.line)


@dataclass
class Dataset:
    """Everything loaded from a data folder."""

    meta: dict[str, Any]
    records: dict[str, list[Record]]
    files: list[Path]

    def by_id(self, kind: str) -> dict[str, Record]:
        return {r.id: r for r in self.records.get(kind, [])}


try:  # the C parser (libyaml) where available; only its event stream is used, never its composer
    from yaml.cyaml import CParser as _Parser
except ImportError:  # pragma: no cover - PyYAML without libyaml
    from yaml.parser import Parser as _PyParser
    from yaml.reader import Reader as _PyReader
    from yaml.scanner import Scanner as _PyScanner

    class _Parser(_PyReader, _PyScanner, _PyParser):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            _PyReader.__init__(self, stream)
            _PyScanner.__init__(self)
            _PyParser.__init__(self)


class _LimitError(Exception):
    """A file is over one of the limits of `_compose`; `line` is 1-based."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


class Node:
    """A composed YAML node: its tag, value and (1-based) line; PyYAML's nodes, made small.

    PyYAML's nodes carry two `Mark` objects each (attribute dicts): at two million values that
    was most of the memory. Scalars hold their text, sequences a list of nodes, mappings a list
    of (key node, value node) pairs, as in PyYAML.
    """

    __slots__ = ("tag", "value", "line")

    def __init__(self, tag: str, value: Any, line: int) -> None:
        self.tag = tag
        self.value = value
        self.line = line


class ScalarNode(Node):
    """A scalar; `style` is None or "" for a plain scalar, a quote or block character otherwise."""

    __slots__ = ("style",)

    def __init__(self, tag: str, value: str, line: int, style: str | None) -> None:
        self.tag = tag
        self.value = value
        self.line = line
        self.style = style


class SequenceNode(Node):
    """A list."""

    __slots__ = ()


class MappingNode(Node):
    """A mapping, as (key node, value node) pairs in file order."""

    __slots__ = ()


def _compose(text: str) -> tuple[Node | None, list[Node]]:
    """Compose one YAML document into nodes, within MAX_DEPTH and MAX_NODES; return it and its tagged nodes.

    Iterative, over libyaml's event stream: PyYAML's own composer recurses once per level (in C
    with libyaml: 50,000 levels crashed the process; in Python: RecursionError at 1,000) and keeps
    every node before anything can be checked (a 12 MB file of `- id: a` items took 3.6 GB). Here
    a file is refused at the first node past a limit, with its line. Every plain or quoted scalar
    gets the text tag (the reader keeps all values as text); an explicit tag is kept on its node
    and the node is listed, so that the caller reports every tag, wherever it is. Aliases give the
    anchored node itself, as PyYAML does, so the reader sees and reports them; an alias never
    copies anything. Raises yaml.MarkedYAMLError (syntax) and _LimitError.
    """
    parser = _Parser(text)
    get = parser.get_event
    scalar_ev, alias_ev = yaml.ScalarEvent, yaml.AliasEvent
    seq_ev, map_ev = yaml.SequenceStartEvent, yaml.MappingStartEvent
    end_evs = (yaml.SequenceEndEvent, yaml.MappingEndEvent)
    scalar_node, seq_node, map_node = ScalarNode, SequenceNode, MappingNode
    str_tag, seq_tag, map_tag = _PLAIN_SCALAR_TAG, "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"
    tagged: list[Node] = []
    anchors: dict[str, Node] = {}
    # One frame per open collection: [node, its value list, pending key (mappings) or None].
    stack: list[list[Any]] = []
    root: Node | None = None
    nodes = 0
    get()  # StreamStartEvent
    event = get()
    if isinstance(event, yaml.StreamEndEvent):
        return None, tagged
    while True:
        event = get()
        cls = type(event)
        if cls in end_evs:
            stack.pop()
            if not stack:
                break
            continue
        if cls is yaml.DocumentEndEvent:
            break
        nodes += 1
        if nodes > MAX_NODES:
            raise _LimitError(
                event.start_mark.line + 1,
                f"more than {MAX_NODES:,} YAML values in one file; split the records into files "
                "of a folder (see data/README.md)",
            )
        tag = event.tag if cls is not alias_ev else None
        if cls is scalar_ev:
            node: Node = scalar_node(
                str_tag if tag is None or tag == "!" else tag, event.value, event.start_mark.line + 1, event.style
            )
        elif cls is alias_ev:
            found = anchors.get(event.anchor)
            if found is None:
                raise yaml.composer.ComposerError(
                    None, None, f"found undefined alias {event.anchor!r}", event.start_mark
                )
            node = found
        elif cls is seq_ev or cls is map_ev:
            if len(stack) >= MAX_DEPTH:
                raise _LimitError(
                    event.start_mark.line + 1,
                    f"YAML nesting is deeper than {MAX_DEPTH} levels (data files need 5)",
                )
            if cls is seq_ev:
                node = seq_node(tag or seq_tag, [], event.start_mark.line + 1)
            else:
                node = map_node(tag or map_tag, [], event.start_mark.line + 1)
        else:  # pragma: no cover - the parser gives no other event inside a document
            raise yaml.composer.ComposerError(None, None, f"unexpected {cls.__name__}", event.start_mark)
        if tag is not None and tag != "!":
            tagged.append(node)
        anchor = getattr(event, "anchor", None) if cls is not alias_ev else None
        if anchor is not None:
            anchors[anchor] = node
        if stack:
            frame = stack[-1]
            if type(frame[0]) is seq_node:
                frame[1].append(node)
            elif frame[2] is None:
                frame[2] = node
            else:
                frame[1].append((frame[2], node))
                frame[2] = None
        else:
            root = node
        if cls is seq_ev or cls is map_ev:
            stack.append([node, node.value, None])
        elif not stack:
            break
    event = get()
    if isinstance(event, yaml.DocumentEndEvent):
        event = get()
    if not isinstance(event, yaml.StreamEndEvent):
        raise yaml.composer.ComposerError(
            "expected a single document in the stream", None, "but found another document", event.start_mark
        )
    return root, tagged


# ---------------------------------------------------------------------------
# Partial dates
# ---------------------------------------------------------------------------


def parse_pdate(text: str) -> tuple[dt.date, dt.date, str] | None:
    """'2025', '2025-04' or '2025-04-28' -> (earliest day, latest day, precision), None if invalid."""
    m = PDATE_RE.match(text)
    if not m:
        return None
    year = int(m.group(1))
    try:
        if m.group(3):
            d = dt.date(year, int(m.group(2)), int(m.group(3)))
            return d, d, "day"
        if m.group(2):
            month = int(m.group(2))
            start = dt.date(year, month, 1)
            nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
            return start, nxt - dt.timedelta(days=1), "month"
        return dt.date(year, 1, 1), dt.date(year, 12, 31), "year"
    except ValueError:
        return None


# ---------------------------------------------------------------------------
# Node -> value conversion with line tracking
# ---------------------------------------------------------------------------


class _Reader:
    """Turns a composed YAML node tree into plain values, recording problems and lines."""

    def __init__(self, path: str, problems: list[Problem]) -> None:
        self.path = path
        self.problems = problems
        self.seen: set[int] = set()

    def problem(self, node: Node, fld: str, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(self.path, node.line, fld, message))

    def value(self, node: Node, fld: str, lines: dict[str, int]) -> Any:
        lines.setdefault(fld, node.line)
        if id(node) in self.seen:
            self.problem(node, fld, "YAML anchors and aliases are not allowed; write the value out")
            return None
        self.seen.add(id(node))
        if node.tag not in PLAIN_TAGS:
            self.problem(node, fld, f"YAML tags are not allowed ({node.tag})")
            return None
        if isinstance(node, ScalarNode):
            if node.style in (None, "") and node.value in NULLS:
                return None
            return node.value
        if isinstance(node, SequenceNode):
            # Field paths are interned: every record repeats them, and x1000 data holds millions.
            return [self.value(item, sys.intern(f"{fld}[{i}]"), lines) for i, item in enumerate(node.value)]
        if isinstance(node, MappingNode):
            out: dict[str, Any] = {}
            for knode, vnode in node.value:
                if not isinstance(knode, ScalarNode):
                    self.problem(knode, fld, "a key must be plain text")
                    continue
                key = knode.value
                sub = sys.intern(f"{fld}.{key}" if fld else key)
                if key in out:
                    self.problem(knode, sub, "duplicate key (the earlier value would be lost)")
                    continue
                lines[sub] = knode.line
                out[key] = self.value(vnode, sub, lines)
            return out
        self.problem(node, fld, "unsupported YAML node")
        return None


class _Retry(Exception):
    """The fast reader met something to report; the file is read again the exact way."""


class _FastReader:
    """`_Reader` for a file without problems: the same values, lines kept as `steps` only.

    It builds no field paths: it appends the line `_Reader.value` would record for the record
    itself, each mapping key and each list item, in the same order, so `_replay_lines` gives
    the same `lines` dict. On anything `_Reader` would report it raises `_Retry`, and the caller
    reads the whole file with `_Reader` instead (with a fresh anchor check), so problems and
    their lines come from one code path only.
    """

    def __init__(self, plain: bool = False) -> None:
        self.seen: set[int] = set()
        # `plain`: the text has no '*' or '!', so no node can be an alias or carry a tag and
        # those two checks are skipped.
        self.plain = plain

    def record(self, node: Node) -> tuple[Any, array[int]]:
        steps = array("i", (node.line,))
        return self.value(node, steps.append), steps

    def value(self, node: Node, step: Any) -> Any:
        if not self.plain:  # an alias is a node seen before; a tag is one outside PLAIN_TAGS
            key_id = id(node)
            if key_id in self.seen or node.tag not in PLAIN_TAGS:
                raise _Retry
            self.seen.add(key_id)
        cls = type(node)
        if cls is ScalarNode:
            if node.style in (None, "") and node.value in NULLS:
                return None
            return node.value
        if cls is SequenceNode:
            out_list = []
            for item in node.value:
                step(item.line)
                out_list.append(self.value(item, step))
            return out_list
        if cls is MappingNode:
            out: dict[str, Any] = {}
            intern = sys.intern
            for knode, vnode in node.value:
                if type(knode) is not ScalarNode:
                    raise _Retry
                # Interned: every record repeats the same field names.
                key = intern(knode.value)
                if key in out:
                    raise _Retry
                step(knode.line)
                out[key] = self.value(vnode, step)
            return out
        raise _Retry


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


def read_yaml(path: Path, root: Path, problems: list[Problem]) -> tuple[Node | None, str]:
    """Read and compose one file; syntax, encoding, size and limit problems are recorded, not raised."""
    node, rel, _, tagged = _read_yaml(path, root, problems)
    _report_tags(tagged, rel, problems)
    return node, rel


_ODD_BREAK_NAMES = {"\r": "carriage return (CR)", "\x85": "U+0085 NEXT LINE", "\u2028": "U+2028 LINE SEPARATOR",
                    "\u2029": "U+2029 PARAGRAPH SEPARATOR"}  # fmt: skip


def read_data_file(path: Path) -> bytes:
    """The bytes of a data file, opened without following a symbolic link. Raises OSError, ValueError.

    Only a regular file is read (a FIFO or device would block or never end), and only when it is
    at most MAX_FILE_BYTES, checked before reading: a data folder's files are never read outside
    it, and never in full when too large.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        if path.is_symlink():
            raise ValueError(
                "is a symbolic link; links are not followed: data files and folders must be inside the data folder"
            ) from None
        raise exc
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fh.fileno())
        if not stat.S_ISREG(st.st_mode):
            raise ValueError("is not a regular file")
        if st.st_size > MAX_FILE_BYTES:
            raise ValueError(f"file is larger than {MAX_FILE_BYTES // 2**20} MiB")
        raw = fh.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:  # grew while being read
        raise ValueError(f"file is larger than {MAX_FILE_BYTES // 2**20} MiB")
    return raw


def _read_yaml(path: Path, root: Path, problems: list[Problem]) -> tuple[Node | None, str, str, list[Node]]:
    """`read_yaml`, also returning the text composed ("" when none) and the nodes with a tag."""
    rel = _rel(path, root)
    try:
        raw = read_data_file(path)
    except ValueError as exc:
        problems.append(Problem(rel, 1, "(file)", str(exc)))
        return None, rel, "", []
    except OSError as exc:
        problems.append(Problem(rel, 1, "(file)", f"cannot read file: {exc.strerror or exc}"))
        return None, rel, "", []
    if b"\x00" in raw:
        problems.append(Problem(rel, 1, "(file)", "binary file (NUL bytes); data files are UTF-8 YAML text"))
        return None, rel, "", []
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.append(Problem(rel, line, "(file)", f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})"))
        return None, rel, "", []
    del raw
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        problems.append(Problem(rel, 1, "(file)", "file is empty"))
        return None, rel, "", []
    odd = ODD_BREAK_RE.search(text)
    if odd:
        # Lines as an editor and `git diff` count them (at \n): the YAML reader would count more.
        line = text.count("\n", 0, odd.start()) + 1
        what = _ODD_BREAK_NAMES[odd.group()]
        problems.append(
            Problem(rel, line, "(file)", f"a {what} character, which YAML reads as a line break; use a plain newline")
        )
        return None, rel, "", []
    try:
        node, tagged = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = exc.problem or "syntax error"
        text_lines = text.split("\n")
        if 0 < line <= len(text_lines) and "\t" in text_lines[line - 1]:
            what += " (tabs are not allowed for indentation; use spaces)"
        problems.append(Problem(rel, line, "(yaml)", f"YAML syntax error: {what}"))
        return None, rel, "", []
    except _LimitError as exc:
        problems.append(Problem(rel, exc.line, "(yaml)", exc.message))
        return None, rel, "", []
    except yaml.YAMLError as exc:
        problems.append(Problem(rel, 1, "(yaml)", f"YAML error: {exc}"))
        return None, rel, "", []
    if node is None:
        problems.append(Problem(rel, 1, "(file)", "file holds no YAML document (only comments)"))
        return None, rel, "", []
    return node, rel, text, tagged


def _report_tags(tagged: list[Node], rel: str, problems: list[Problem]) -> None:
    """Report each tag the reader did not (on a key, the file's top level ...): every tag is refused."""
    if not tagged:
        return
    done = {p.line for p in problems if p.path == rel and p.message.startswith("YAML tags are not allowed")}
    for node in tagged:
        if len(problems) > MAX_PROBLEMS:  # more would not be listed (see _cap_problems)
            return
        line = node.line
        if line not in done:
            done.add(line)
            problems.append(Problem(rel, line, "(yaml)", f"YAML tags are not allowed ({node.tag})"))


def _rel(path: Path, root: Path) -> str:  # noqa: ARG001
    """How a path is shown in problems: relative to the working folder when inside it."""
    try:
        # absolute(), not resolve(): a symbolic link is shown as itself, never as its target.
        return str(path.absolute().relative_to(Path.cwd()))
    except (ValueError, OSError):
        return str(path)


# ---------------------------------------------------------------------------
# Field checks
# ---------------------------------------------------------------------------


def _check_url(text: str) -> str | None:
    # As a browser parses it (WHATWG): see urls.py.
    return url_problem(text)


def _odd_character(value: str, kind: str) -> str | None:
    """What is wrong with a character ANY_ODD_RE found in `value` (None: a bidi control in free text)."""
    if CONTROL_RE.search(value):
        return "contains control characters"
    bad = NONCHAR_RE.search(value)
    if bad:
        return f"contains U+{ord(bad.group()):04X}, which is not a text character (a Unicode noncharacter or surrogate)"
    bad = VALUE_BREAK_RE.search(value)
    if bad:
        return f"contains a {_ODD_BREAK_NAMES[bad.group()]} character; use a plain line break (\\n)"
    bidi = BIDI_RE.search(value) if kind != "text" else None
    if bidi:
        return (
            f"contains U+{ord(bidi.group()):04X}, a bidirectional control character that can show the text "
            "in another order than it is stored"
        )
    return None


def check_scalar(f: Field, value: Any, today: dt.date) -> str | None:
    """Check one scalar value against its field declaration; return a message or None."""
    if not isinstance(value, str):
        return f"expected {_kind_word(f)}, got a {'list' if isinstance(value, list) else 'mapping'}"
    if value.strip() == "":
        return "empty text; write null for unknown"
    if value != value.strip():
        return "leading or trailing spaces"
    if len(value) > f.max_len:
        return f"too long ({len(value)} characters, at most {f.max_len})"
    kind = f.kind
    if ANY_ODD_RE.search(value):  # one search for the four checks below: almost every value passes
        message = _odd_character(value, kind)
        if message:
            return message
    if (
        kind
        in (
            "str",
            "slug",
            "record_id",
            "url",
            "date",
            "pdate",
            "country",
            "jurisdiction",
            "subdivision",
            "domain",
            "enum",
            "ref",
        )
        and "\n" in value
    ):
        return "must be on one line"
    if kind == "slug" and not SLUG_RE.match(value):
        return f"'{value}' is not a valid id (lowercase letters and digits, joined by single - or _)"
    if kind == "record_id" and not RECORD_ID_RE.match(value):
        return f"'{value}' is not a valid record id (like AF-001 or CA-001)"
    if kind == "url":
        return _check_url(value)
    if kind in ("date", "pdate"):
        parsed = parse_pdate(value)
        if parsed is None or (kind == "date" and parsed[2] != "day"):
            want = "YYYY-MM-DD" if kind == "date" else "YYYY-MM-DD, YYYY-MM or YYYY"
            return f"'{value}' is not a real date ({want})"
        if parsed[0] > today:
            return f"date {value} is in the future"
        if parsed[0].year < MIN_YEAR:
            return f"date {value} is before {MIN_YEAR}"
    if kind in ("country", "jurisdiction"):
        if kind == "jurisdiction" and value == schema.JURISDICTION_EU:
            return None
        if value != value.upper() or pycountry.countries.get(alpha_2=value) is None:
            return f"'{value}' is not an ISO 3166-1 alpha-2 country code"
    if kind == "subdivision":
        if value != value.upper() or pycountry.subdivisions.get(code=value) is None:
            return f"'{value}' is not an ISO 3166-2 subdivision code (like US-TX)"
    if kind == "domain" and not DOMAIN_RE.match(value):
        return f"'{value}' is not a lowercase domain name (like volces.com)"
    if kind == "enum":
        vocab = schema.VOCABULARIES[f.vocab or ""]
        if value not in vocab:
            return f"'{value}' is not one of: {', '.join(vocab)}"
    return None


def _kind_word(f: Field) -> str:
    return {"list": "a list", "object": "a mapping"}.get(f.kind, "a text value")


# Kinds whose values repeat across records (vocabularies, codes, dates, ids referred to):
# their check results are remembered per field. Free text is left out, or the memo would hold
# a copy of every note.
MEMO_KINDS = frozenset({"enum", "country", "jurisdiction", "subdivision", "date", "pdate", "slug", "ref", "domain"})


class _Validator:
    """Checks records against field declarations; collects problems."""

    def __init__(self, today: dt.date) -> None:
        self.today = today
        self.problems: list[Problem] = []
        # Keyed by id() for speed; each entry holds its key object, so the id stays unique.
        self._memo: dict[int, tuple[Field, dict[str, str | None]]] = {}  # field -> value -> message
        self._known: dict[int, tuple[tuple[Field, ...], set[str]]] = {}  # fields -> their names

    def check_fields(
        self, fields: tuple[Field, ...], values: Any, prefix: str, rec_path: str, lines: dict[str, int], line: int
    ) -> None:
        if not isinstance(values, dict):
            self.problems.append(Problem(rec_path, line, prefix or "(record)", "expected a mapping of fields"))
            return
        entry = self._known.get(id(fields))
        if entry is None:
            entry = self._known[id(fields)] = (fields, {f.name for f in fields})
        known = entry[1]
        for key in values:
            if key not in known:
                if len(self.problems) >= MAX_PROBLEMS:
                    break
                name = f"{prefix}.{key}" if prefix else key
                hint = _closest(key, known)
                self.problems.append(
                    Problem(
                        rec_path,
                        lines.get(name, line),
                        name,
                        "unknown field" + (f" (did you mean '{hint}'?)" if hint else ""),
                    )
                )
        for f in fields:
            fname = f.name
            name = f"{prefix}.{fname}" if prefix else fname
            if fname not in values:
                if f.required:
                    self.problems.append(Problem(rec_path, line, name, "required field is missing"))
                continue
            value = values[fname]
            if value is None:
                if not f.nullable:
                    self.problems.append(Problem(rec_path, lines.get(name, line), name, "required; must not be null"))
                continue
            self.check_value(f, value, name, rec_path, lines, lines.get(name, line))

    def scalar(self, f: Field, value: Any) -> str | None:
        """`check_scalar`, remembered for values of the kinds in MEMO_KINDS."""
        if f.kind not in MEMO_KINDS or not isinstance(value, str):
            return check_scalar(f, value, self.today)
        entry = self._memo.get(id(f))
        if entry is None:
            entry = self._memo[id(f)] = (f, {})
        memo = entry[1]
        try:
            return memo[value]
        except KeyError:
            msg = memo[value] = check_scalar(f, value, self.today)
            return msg

    def check_value(self, f: Field, value: Any, name: str, rec_path: str, lines: dict[str, int], line: int) -> None:
        if f.kind == "list":
            if not isinstance(value, list):
                self.problems.append(Problem(rec_path, line, name, "expected a list (items starting with '- ')"))
                return
            if len(value) < f.min_items:
                self.problems.append(Problem(rec_path, line, name, f"needs at least {f.min_items} item(s)"))
            if len(value) > f.max_items:
                self.problems.append(
                    Problem(rec_path, line, name, f"too many items ({len(value)}, at most {f.max_items})")
                )
            assert f.item is not None
            item_f = f.item
            seen: set[str] = set()
            if item_f.kind not in ("list", "object"):
                # Items are text: the same checks as below, with paths and lines made only for
                # a problem.
                problems = self.problems
                for i, item in enumerate(value):
                    if len(problems) >= MAX_PROBLEMS:
                        return
                    if item is None:
                        iname = f"{name}[{i}]"
                        self.problems.append(Problem(rec_path, lines.get(iname, line), iname, "empty list item"))
                        continue
                    msg = self.scalar(item_f, item)
                    if msg:
                        iname = f"{name}[{i}]"
                        self.problems.append(Problem(rec_path, lines.get(iname, line), iname, msg))
                    if isinstance(item, str):
                        if item in seen:
                            iname = f"{name}[{i}]"
                            self.problems.append(
                                Problem(rec_path, lines.get(iname, line), iname, f"'{item}' is listed twice")
                            )
                        seen.add(item)
                return
            for i, item in enumerate(value):
                if len(self.problems) >= MAX_PROBLEMS:
                    return
                iname = f"{name}[{i}]"
                iline = lines.get(iname, line)
                if item is None:
                    self.problems.append(Problem(rec_path, iline, iname, "empty list item"))
                    continue
                self.check_value(f.item, item, iname, rec_path, lines, iline)
                if isinstance(item, str):
                    if item in seen:
                        self.problems.append(Problem(rec_path, iline, iname, f"'{item}' is listed twice"))
                    seen.add(item)
            return
        if f.kind == "object":
            self.check_fields(f.fields, value, name, rec_path, lines, line)
            return
        msg = self.scalar(f, value)
        if msg:
            self.problems.append(Problem(rec_path, line, name, msg))


def _closest(key: str, known: set[str] | dict[str, Any]) -> str | None:
    import difflib

    if len(known) > MAX_HINT_IDS:
        return None

    match = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.75)
    return match[0] if match else None


# ---------------------------------------------------------------------------
# Loading a data folder
# ---------------------------------------------------------------------------


def kind_files(data_dir: Path, kind: RecordKind) -> list[Path]:
    """The files holding records of `kind`: data/<kind>.yaml and data/<kind>/*.yaml."""
    files = []
    single = data_dir / f"{kind.name}.yaml"
    # A symbolic link is listed, never followed: reading it reports it (see read_data_file).
    # A FIFO, device or folder in a file's place is listed too: reading it says what it is.
    if os.path.lexists(single):
        files.append(single)
    folder = data_dir / kind.name
    if folder.is_symlink():
        files.append(folder)
    elif folder.is_dir():
        files.extend(sorted(folder.glob("*.yaml")))
    return files


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while loading (and, in build.py, building).

    Loading allocates millions of long-lived objects and no reference cycles, yet every full
    collection walks all of them: at 100 times today's data that was 60% of the load time, for
    nothing collected. Reference counting still frees everything as usual. Nested use is fine:
    only the outermost block turns the collector back on.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load(data_dir: Path, today: dt.date | None = None, processes: int | None = None) -> tuple[Dataset, list[Problem]]:
    """Load and validate a data folder. Returns the dataset and every problem found (sorted).

    `processes` is how many worker processes read the record files; None chooses (one per core
    for folders of 8 MiB or more, else none), 1 reads everything in this process. The result
    does not depend on it.
    """
    with cyclic_gc_paused():
        return _load(data_dir, today, processes)


def _load(data_dir: Path, today: dt.date | None, processes: int | None) -> tuple[Dataset, list[Problem]]:
    today = today or dt.date.today()
    data_dir = Path(data_dir)
    problems: list[Problem] = []
    records: dict[str, list[Record]] = {k.name: [] for k in schema.KINDS}
    files: list[Path] = []
    meta: dict[str, Any] = {}
    v = _Validator(today)

    if not data_dir.is_dir():
        problems.append(Problem(str(data_dir), 1, "(folder)", "data folder does not exist"))
        return Dataset(meta, records, files), problems

    # dataset.yaml: one mapping
    ds_path = data_dir / schema.DATASET_FILE
    if os.path.lexists(ds_path):
        files.append(ds_path)
        node, rel, _, tagged = _read_yaml(ds_path, data_dir, problems)
        if node is not None:
            lines: dict[str, int] = {}
            value = _Reader(rel, problems).value(node, "", lines)
            if isinstance(value, dict):
                v.check_fields(schema.DATASET_FIELDS, value, "", rel, lines, node.line)
                meta = value
            else:
                problems.append(Problem(rel, node.line, "(file)", "expected a mapping of dataset fields"))
        _report_tags(tagged, rel, problems)
    else:
        problems.append(Problem(_rel(ds_path, data_dir), 1, "(file)", "missing file (title, as_of, licence, ...)"))

    as_of = meta.get("as_of") if isinstance(meta.get("as_of"), str) else None
    jobs: list[tuple[str, Path]] = []
    for kind in schema.KINDS:
        kfiles = kind_files(data_dir, kind)
        if not kfiles:
            problems.append(
                Problem(
                    _rel(data_dir / f"{kind.name}.yaml", data_dir), 1, "(file)", f"missing file: no {kind.name} records"
                )
            )
        jobs.extend((kind.name, path) for path in kfiles)
    files.extend(path for _, path in jobs)
    for (kind_name, _), (recs, file_problems) in zip(
        jobs, _read_files(jobs, data_dir, today, as_of, processes), strict=True
    ):
        records[kind_name].extend(recs)
        problems.extend(file_problems)

    problems.extend(v.problems)
    _check_dataset(records, problems)
    return Dataset(meta, records, files), _cap_problems(problems)


def _read_file(
    kind_name: str, path: Path, data_dir: Path, today: dt.date, as_of: str | None
) -> tuple[list[Record], list[Problem]]:
    """Read and check one file of records (each record on its own): its records and its problems."""
    problems: list[Problem] = []
    out: list[Record] = []
    with cyclic_gc_paused():
        node, rel, text, tagged = _read_yaml(path, data_dir, problems)
        if node is not None:
            v = _Validator(today)
            # Without '*' or '!' anywhere in the text there can be no alias and no tag.
            plain = "*" not in text and "!" not in text
            _read_kind(schema.KIND_BY_NAME[kind_name], node, rel, out, problems, v, plain)
            problems.extend(v.problems)
            parsed = parse_pdate(as_of) if as_of else None
            limit = parsed[0] if parsed else None
            for rec in out:
                if len(problems) > MAX_PROBLEMS:  # more would not be listed (see _cap_problems)
                    break
                _check_record(rec, as_of, limit, problems)
            _report_tags(tagged, rel, problems)
    return out, problems


def _read_files(
    jobs: list[tuple[str, Path]], data_dir: Path, today: dt.date, as_of: str | None, processes: int | None
) -> Iterator[tuple[list[Record], list[Problem]]]:
    """`_read_file` for each job, in order; large folders are read by a pool of processes.

    Composing YAML is most of the load time and each file stands alone, so with several cores
    and enough data the files are shared among worker processes. Whatever goes wrong with the
    pool (no processes or semaphores allowed, a worker killed), the files it has not answered
    are read here instead: the result is the same either way.
    """
    workers = _pool_size(jobs) if processes is None else min(processes, len(jobs))
    done = 0
    if workers > 1:
        try:
            ctx = multiprocessing.get_context("spawn")  # no fork: the caller may hold threads
            with ProcessPoolExecutor(workers, mp_context=ctx) as pool:
                kinds, paths = zip(*jobs, strict=True)
                n = len(jobs)
                for result in pool.map(_read_file, kinds, paths, [data_dir] * n, [today] * n, [as_of] * n):
                    yield result
                    done += 1
        except (OSError, BrokenProcessPool, pickle.PicklingError, ImportError):
            pass
    for kind_name, path in jobs[done:]:
        yield _read_file(kind_name, path, data_dir, today, as_of)


POOL_MIN_BYTES = 8 * 2**20  # below this, starting processes costs more than it saves


def _pool_size(jobs: list[tuple[str, Path]]) -> int:
    """How many processes should read `jobs`: 1 (this one) for small data or a single core."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    if cores < 2 or len(jobs) < 2 or not _spawn_runs_no_script():
        return 1
    size = 0
    for _, path in jobs:
        try:
            size += path.stat().st_size
        except OSError:
            pass
    return min(cores, len(jobs)) if size >= POOL_MIN_BYTES else 1


def _spawn_runs_no_script() -> bool:
    """Whether a spawned worker starts without running the main script again.

    A worker imports the main module unless it is a package's `__main__` (`python -m
    chatbot_watch`, `python -m pytest`) or there is no script (`python -c`, a shell). A plain
    script would run its top-level code once more in every worker, so none is started for it
    unless asked for (`processes=`).
    """
    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    if spec is not None and spec.name.split(".")[-1] == "__main__":
        return True
    return getattr(main, "__file__", None) is None


def _problem_key(p: Problem) -> tuple[str, int, str, str]:
    return (p.path, p.line, p.field, p.message)


def _read_kind(
    kind: RecordKind,
    node: Node,
    rel: str,
    out: list[Record],
    problems: list[Problem],
    v: _Validator,
    plain: bool = False,
) -> None:
    line0 = node.line
    if not isinstance(node, MappingNode):
        problems.append(Problem(rel, line0, "(file)", f"expected a mapping with the key '{kind.key}:' holding a list"))
        return
    reader = _Reader(rel, problems)
    keys = [k.value for k, _ in node.value if isinstance(k, ScalarNode)]
    for knode, _vnode in node.value:
        kname = getattr(knode, "value", "?")
        if kname != kind.key:
            problems.append(
                Problem(rel, knode.line, str(kname), f"unknown top-level key; this file holds '{kind.key}:'")
            )
    if keys.count(kind.key) > 1:
        problems.append(Problem(rel, line0, kind.key, "duplicate top-level key"))
    seq = next((vn for kn, vn in node.value if getattr(kn, "value", None) == kind.key), None)
    if seq is None:
        problems.append(Problem(rel, line0, kind.key, f"missing top-level key '{kind.key}:'"))
        return
    if not isinstance(seq, SequenceNode):
        if not (isinstance(seq, ScalarNode) and seq.style in (None, "") and seq.value in NULLS):
            problems.append(Problem(rel, seq.line, kind.key, "expected a list of records"))
        return
    first = len(v.problems)
    try:
        records, stopped = _read_records_fast(kind, seq, rel, v, plain, MAX_PROBLEMS - len(problems))
        out.extend(records)
        if stopped is not None:
            problems.append(_stopped(rel, stopped))
        return
    except _Retry:
        del v.problems[first:]
    for item in seq.value:
        line = item.line
        if len(problems) + len(v.problems) >= MAX_PROBLEMS:
            problems.append(_stopped(rel, line))
            return
        lines: dict[str, int] = {}
        values = reader.value(item, "", lines)
        if not isinstance(values, dict):
            problems.append(Problem(rel, line, "(record)", "expected a record (a mapping of fields)"))
            continue
        rec = Record(kind.name, values, rel, line, lines)
        v.check_fields(kind.fields, values, "", rel, lines, line)
        out.append(rec)


def _read_records_fast(
    kind: RecordKind, seq: SequenceNode, rel: str, v: _Validator, plain: bool = False, limit: int = MAX_PROBLEMS
) -> tuple[list[Record], int | None]:
    """Read and check the records of a file with `_FastReader`; raises `_Retry` (see there).

    A record is first checked without lines; only when it has problems are its lines expanded
    and the check repeated, so the reported lines are the ones the exact path gives. Once
    `limit` problems are found, reading stops: returns the records read and the line of the
    first record not read (None when all were).
    """
    reader = _FastReader(plain)
    records = []
    problems = v.problems
    for item in seq.value:
        line = item.line
        if len(problems) >= limit:
            return records, line
        values, steps = reader.record(item)
        if type(values) is not dict:
            raise _Retry
        before = len(problems)
        v.check_fields(kind.fields, values, "", rel, _NO_LINES, line)
        if len(problems) == before:
            records.append(Record(kind.name, values, rel, line, steps=steps))
            continue
        del problems[before:]
        lines = _replay_lines(values, steps)
        v.check_fields(kind.fields, values, "", rel, lines, line)
        records.append(Record(kind.name, values, rel, line, lines))
    return records, None


def _stopped(rel: str, line: int) -> Problem:
    return Problem(
        rel,
        line,
        "(file)",
        f"{MAX_PROBLEMS} problems or more in this file: it was checked up to here; fix these first "
        "(records from here on were not read)",
    )


MAX_CHAIN = 20  # companies in an ownership chain (real ones have 3 or 4)


class _Full(Exception):
    """A `_CappedList` is full."""


class _CappedList(list[Problem]):
    """A problem list that raises `_Full` when one more than `limit` problems is appended."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def append(self, item: Problem) -> None:
        if len(self) >= self.limit:
            raise _Full
        super().append(item)


def _check_dataset(records: dict[str, list[Record]], problems: list[Problem]) -> None:
    """Cross-record checks: unique ids, references, ownership chains (`_check_record` does the rest).

    At most MAX_PROBLEMS + 1 problems are made per file (the rest would not be listed, see
    `_cap_problems`), and the work is bounded too: a million records with the same id, or all
    findings alike, cost as much as a thousand.
    """
    counts: dict[str, int] = {}
    for p in problems:
        counts[p.path] = counts.get(p.path, 0) + 1

    def room(path: str) -> bool:
        n = counts.get(path, 0)
        if n > MAX_PROBLEMS:
            return False
        counts[path] = n + 1
        return True

    hints: dict[tuple[str, str], str | None] = {}
    ids: dict[str, dict[str, Record]] = {}
    for kind in schema.KINDS:
        seen: dict[str, Record] = {}
        for rec in records[kind.name]:
            rid = rec.values.get("id")
            if not isinstance(rid, str):
                continue
            if rid in seen:
                if not room(rec.path):
                    continue
                first = seen[rid]
                problems.append(
                    Problem(
                        rec.path,
                        rec.line_of("id"),
                        "id",
                        f"duplicate id '{rid}' (first at {first.path}:{first.line_of('id')})",
                    )
                )
            else:
                seen[rid] = rec
        ids[kind.name] = seen

    for kind in schema.KINDS:
        for rec in records[kind.name]:
            if counts.get(rec.path, 0) <= MAX_PROBLEMS:
                found = len(problems)
                _check_refs(kind.fields, rec.values, "", rec, ids, problems, hints)
                counts[rec.path] = counts.get(rec.path, 0) + len(problems) - found

    from chatbot_watch import rules  # imported here: rules.py uses this module's types

    # rules.check_dataset compares findings pairwise: a list that stops it once full.
    ruled = _CappedList(MAX_PROBLEMS + 1)
    try:
        rules.check_dataset(records, ruled)
    except _Full:
        pass
    problems.extend(ruled)

    # Ownership chains must not loop, nor be longer than MAX_CHAIN (each walk is bounded by it).
    companies = ids["companies"]
    for cid, rec in companies.items():
        chain, cur = [cid], cid
        while True:
            parents = companies.get(cur)
            plist = parents.values.get("parents") if parents else None
            nxt = _current_parent(plist)
            if nxt is None or nxt not in companies:
                break
            if nxt in chain:
                if room(rec.path):
                    problems.append(
                        Problem(
                            rec.path,
                            rec.line_of("parents"),
                            "parents",
                            f"ownership chain loops: {' -> '.join(chain + [nxt])}",
                        )
                    )
                break
            chain.append(nxt)
            if len(chain) > MAX_CHAIN:
                if room(rec.path):
                    problems.append(
                        Problem(
                            rec.path,
                            rec.line_of("parents"),
                            "parents",
                            f"ownership chain longer than {MAX_CHAIN} companies: {' -> '.join(chain[:3])} -> ...",
                        )
                    )
                break
            cur = nxt


def _cap_problems(problems: list[Problem]) -> list[Problem]:
    """Sorted problems, at most MAX_PROBLEMS per file, and one line saying when some are left out."""
    out: list[Problem] = []
    count: dict[str, int] = {}
    for p in sorted(set(problems), key=_problem_key):
        n = count[p.path] = count.get(p.path, 0) + 1
        if n <= MAX_PROBLEMS or p.field == "(file)":  # file-level lines (where checking stopped) stay
            out.append(p)
        elif n == MAX_PROBLEMS + 1:
            out.append(
                Problem(
                    p.path,
                    p.line,
                    "(file)",
                    f"more problems in this file from here on are not listed (at most {MAX_PROBLEMS} are)",
                )
            )
    return out


def _check_record(rec: Record, as_of: str | None, limit: dt.date | None, problems: list[Problem]) -> None:
    """The checks of one record that need no other: date order, parents, dates after `as_of`.

    `limit` is `as_of` parsed (its first day), None when the dataset has no valid `as_of`.
    """
    from chatbot_watch import rules  # imported here: rules.py uses this module's types

    _check_record_rules(rec, problems)
    rules.check_record(rec, problems)
    if limit is None or rec.kind not in ("findings", "actions"):
        return
    for fname in ("audit_date", "announced", "effective", "lifted"):
        val = rec.values.get(fname)
        parsed = parse_pdate(val) if isinstance(val, str) else None
        if parsed and parsed[0] > limit:
            problems.append(
                Problem(
                    rec.path,
                    rec.line_of(fname),
                    fname,
                    f"date {val} is after the dataset's as_of date {as_of} (data/dataset.yaml)",
                )
            )


def _current_parent(plist: Any) -> str | None:
    if not isinstance(plist, list):
        return None
    for p in plist:
        if isinstance(p, dict) and p.get("until") is None and isinstance(p.get("company"), str):
            return p["company"]
    return None


def _check_refs(
    fields: tuple[Field, ...],
    values: Any,
    prefix: str,
    rec: Record,
    ids: dict[str, dict[str, Record]],
    problems: list[Problem],
    hints: dict[tuple[str, str], str | None],
) -> None:
    # Field paths are built only for a problem, and mappings without references are skipped:
    # this runs over every record, and a dangling reference is rare.
    if not isinstance(values, dict):
        return
    for f in fields:
        val = values.get(f.name)
        if val is None:
            continue
        if f.kind == "ref" and isinstance(val, str):
            if val not in ids.get(f.ref or "", {}):
                _ref_problem(f, val, f"{prefix}.{f.name}" if prefix else f.name, rec, ids, problems, hints)
        elif f.kind == "list" and isinstance(val, list) and f.item is not None:
            item_f = f.item
            if item_f.kind == "ref":
                target = ids.get(item_f.ref or "", {})
                for i, item in enumerate(val):
                    if isinstance(item, str) and item not in target:
                        name = f"{prefix}.{f.name}" if prefix else f.name
                        _ref_problem(item_f, item, f"{name}[{i}]", rec, ids, problems, hints)
            elif item_f.kind == "object" and _has_refs(item_f.fields):
                name = f"{prefix}.{f.name}" if prefix else f.name
                for i, item in enumerate(val):
                    _check_refs(item_f.fields, item, f"{name}[{i}]", rec, ids, problems, hints)


_HAS_REFS: dict[int, tuple[tuple[Field, ...], bool]] = {}  # id(fields) -> (fields, answer)


def _has_refs(fields: tuple[Field, ...]) -> bool:
    """Whether any field in `fields`, at any depth, refers to another record."""
    entry = _HAS_REFS.get(id(fields))
    if entry is None:
        answer = any(
            f.kind == "ref"
            or (f.item is not None and (f.item.kind == "ref" or _has_refs(f.item.fields)))
            or _has_refs(f.fields)
            for f in fields
        )
        entry = _HAS_REFS[id(fields)] = (fields, answer)
    return entry[1]


MAX_HINTS = 200  # unknown ids given a "did you mean" hint per load (each compares with every id)


def _ref_problem(
    f: Field,
    val: str,
    name: str,
    rec: Record,
    ids: dict[str, dict[str, Record]],
    problems: list[Problem],
    hints: dict[tuple[str, str], str | None],
) -> None:
    target = f.ref or ""
    if val not in ids.get(target, {}):
        key = (target, val)
        if key in hints:
            hint = hints[key]
        elif len(hints) < MAX_HINTS:
            hint = hints[key] = _closest(val, ids.get(target, {}))
        else:
            hint = None
        what = {"companies": "company", "apps": "app", "data_types": "data type"}.get(target, target)
        problems.append(
            Problem(
                rec.path,
                rec.line_of(name),
                name,
                f"unknown {what} id '{val}'" + (f" (did you mean '{hint}'?)" if hint else ""),
            )
        )


def _check_record_rules(rec: Record, problems: list[Problem]) -> None:
    vals = rec.values
    if rec.kind == "actions":
        dates = {k: parse_pdate(vals[k]) for k in ("announced", "effective", "lifted") if isinstance(vals.get(k), str)}
        lifted = dates.get("lifted")
        if lifted:
            for k in ("announced", "effective"):
                d = dates.get(k)
                if d and lifted[1] < d[0]:
                    problems.append(
                        Problem(
                            rec.path,
                            rec.line_of("lifted"),
                            "lifted",
                            f"lifted ({vals['lifted']}) is before {k} ({vals[k]})",
                        )
                    )
            if vals.get("status") in ("in_force", "pending"):
                problems.append(
                    Problem(
                        rec.path,
                        rec.line_of("status"),
                        "status",
                        f"status '{vals['status']}' but a lifted date is given; use lifted or ended",
                    )
                )
        if vals.get("status") == "lifted" and not vals.get("lifted"):
            pass  # lift date unknown is allowed: unknown stays unknown
        sub, jur = vals.get("subdivision"), vals.get("jurisdiction")
        if isinstance(sub, str) and isinstance(jur, str) and not sub.startswith(jur + "-"):
            problems.append(
                Problem(
                    rec.path,
                    rec.line_of("subdivision"),
                    "subdivision",
                    f"'{sub}' is not a subdivision of jurisdiction '{jur}'",
                )
            )
        if not vals.get("apps") and not vals.get("companies"):
            problems.append(Problem(rec.path, rec.line, "apps", "an action must name at least one app or company"))
    if rec.kind == "companies":
        for i, p in enumerate(vals.get("parents") or []):
            if not isinstance(p, dict):
                continue
            if p.get("company") == vals.get("id"):
                problems.append(
                    Problem(
                        rec.path,
                        rec.line_of(f"parents[{i}].company"),
                        f"parents[{i}].company",
                        "a company cannot be its own parent",
                    )
                )
            since, until = (parse_pdate(p[k]) if isinstance(p.get(k), str) else None for k in ("since", "until"))
            if since and until and until[1] < since[0]:
                problems.append(
                    Problem(
                        rec.path, rec.line_of(f"parents[{i}].until"), f"parents[{i}].until", "until is before since"
                    )
                )
    for i, src in enumerate(vals.get("sources") or []):
        if not isinstance(src, dict):
            continue
        pub, acc = (parse_pdate(src[k]) if isinstance(src.get(k), str) else None for k in ("published", "accessed"))
        if pub and acc and acc[1] < pub[0]:
            problems.append(
                Problem(
                    rec.path,
                    rec.line_of(f"sources[{i}].accessed"),
                    f"sources[{i}].accessed",
                    "accessed before it was published",
                )
            )


def validate(data_dir: Path, today: dt.date | None = None) -> list[Problem]:
    """All problems of a data folder (empty when clean)."""
    return load(data_dir, today)[1]

"""Data files -> YAML nodes with their line numbers, within limits (size, nesting, values), never
constructing Python objects: every plain scalar stays text, tags, anchors and aliases are reported."""

from __future__ import annotations

import os
import re
import stat
import sys
from pathlib import Path
from typing import Any

import yaml

from chatbot_watch.datamodel.dataset import Problem

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

# Line breaks other than \n: YAML breaks lines at CR, NEL, LINE and PARAGRAPH SEPARATOR too, so a
# raw one in a file makes what looks like one line two (and shifts every later line number).
ODD_BREAK_RE = re.compile("\r(?!\n)|[\x85\u2028\u2029]")

NULLS = {"", "~", "null", "Null", "NULL"}

# Tags the YAML resolver gives plain values on its own; any other tag was written explicitly.
PLAIN_TAGS = {
    f"tag:yaml.org,2002:{t}"
    for t in ("str", "null", "bool", "int", "float", "timestamp", "seq", "map", "merge", "value")
}

_PLAIN_SCALAR_TAG = "tag:yaml.org,2002:str"


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


def _compose(text: str, max_depth: int = MAX_DEPTH) -> tuple[Node | None, list[Node]]:
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
            if len(stack) >= max_depth:
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


def _read_yaml(
    path: Path, root: Path, problems: list[Problem], raw: bytes | None = None
) -> tuple[Node | None, str, str, list[Node]]:
    """`read_yaml`, also returning the text composed ("" when none) and the nodes with a tag.

    `raw` is the file's bytes when the caller has read them already (`read_data_file`).
    """
    rel, text = read_text(path, root, problems, raw)
    if text is None:
        return None, rel, "", []
    node, tagged = compose_text(text, rel, problems)
    if node is None:
        return None, rel, "", []
    return node, rel, text, tagged


def read_text(path: Path, root: Path, problems: list[Problem], raw: bytes | None = None) -> tuple[str, str | None]:
    """The path as problems show it, and the file's text (None, with the problem recorded, when it
    cannot be read or is not a text YAML can read: see `read_data_file` and `decode`)."""
    rel = _rel(path, root)
    if raw is None:
        try:
            raw = read_data_file(path)
        except ValueError as exc:
            problems.append(Problem(rel, 1, "(file)", str(exc)))
            return rel, None
        except OSError as exc:
            problems.append(Problem(rel, 1, "(file)", f"cannot read file: {exc.strerror or exc}"))
            return rel, None
    return rel, decode(raw, rel, problems)


def compose_text(text: str, rel: str, problems: list[Problem]) -> tuple[Node | None, list[Node]]:
    """`_compose` with what goes wrong recorded as problems (syntax, limits, no document): the
    root node (None then) and the nodes with a tag."""
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
        return None, []
    except _LimitError as exc:
        problems.append(Problem(rel, exc.line, "(yaml)", exc.message))
        return None, []
    except yaml.YAMLError as exc:
        problems.append(Problem(rel, 1, "(yaml)", f"YAML error: {exc}"))
        return None, []
    if node is None:
        problems.append(Problem(rel, 1, "(file)", "file holds no YAML document (only comments)"))
        return None, []
    return node, tagged


def decode(raw: bytes, rel: str, problems: list[Problem]) -> str | None:
    """A data file's bytes as the text YAML is read from (a BOM left out), or None with the
    problem recorded: NUL bytes, not UTF-8, empty, a line break other than \\n."""
    if b"\x00" in raw:
        problems.append(Problem(rel, 1, "(file)", "binary file (NUL bytes); data files are UTF-8 YAML text"))
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.append(Problem(rel, line, "(file)", f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})"))
        return None
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        problems.append(Problem(rel, 1, "(file)", "file is empty"))
        return None
    # An ASCII text without CR has none of these: two scans in C instead of the pattern's (0.06 s for 5 MB).
    odd = ODD_BREAK_RE.search(text) if "\r" in text or not text.isascii() else None
    if odd:
        # Lines as an editor and `git diff` count them (at \n): the YAML reader would count more.
        line = text.count("\n", 0, odd.start()) + 1
        what = _ODD_BREAK_NAMES[odd.group()]
        problems.append(
            Problem(rel, line, "(file)", f"a {what} character, which YAML reads as a line break; use a plain newline")
        )
        return None
    return text


def _report_tags(tagged: list[Node], rel: str, problems: list[Problem]) -> None:
    """Report each tag the reader did not (on a key, the file's top level ...): every tag is refused."""
    if not tagged:
        return
    done = {p.line for p in problems if p.path == rel and p.message.startswith("YAML tags are not allowed")}
    for node in tagged:
        if len(problems) > MAX_PROBLEMS:  # more would not be listed (see crosscheck.cap_problems)
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

"""The fast readers, fenced off from the exact one (reading/yamlread.py `_Reader`): `_FastReader`
reads a composed file without problems into the same values and lines, and raises `_Retry` on
anything `_Reader` would report; `plain_records` reads a plain file in one pass; `record_chunks`
splits a file in the usual layout into its records text. None of them reports a problem: on
anything unusual they give up (None, `_Retry`) and the caller reads the file the exact way."""

from __future__ import annotations

import re
import sys
from array import array
from typing import Any

import yaml

from chatbot_watch.reading import yamlread
from chatbot_watch.reading.yamlread import (
    NULLS,
    PLAIN_TAGS,
    MappingNode,
    Node,
    ScalarNode,
    SequenceNode,
    _Parser,
)


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


# A line that starts at column 0 with anything but a space, a comment or a line break (the
# first line is looked at apart: `\n` first is five times faster than `^` with re.M).
_COLUMN0_RE = re.compile(r"\n[^ #\n]")


def record_chunks(text: str, key: str) -> list[tuple[int, str]] | None:
    """The text of each record of a data file in the usual layout, with its first line.

    The usual layout: blank and comment lines, the line `<key>:` (a comment after it, past a
    space, allowed), blank and comment lines, then the records, each starting with `-` at column
    0, every other line indented, blank or a comment. For such a file each record is the text
    from its `-` to the next one (its comments included), and YAML reads that text alone as it
    reads it in the file: same text, same values. Anything else (another key or any other text
    before the first record, a tag on the list, `---`, a directive, a tab at column 0) gives None.
    """
    starts: list[int] = []
    first = [0] if text[:1] not in ("", " ", "#", "\n") else []
    for pos in first + [m.start() + 1 for m in _COLUMN0_RE.finditer(text)]:
        if text.startswith("-", pos) and (pos + 1 == len(text) or text[pos + 1] in " \n"):
            starts.append(pos)
        elif starts or not text.startswith(f"{key}:", pos):
            return None  # at column 0 only the key, before the records, and the records' dashes
    if not starts or not _plain_head(text[: starts[0]], key):
        return None
    out = []
    line = text.count("\n", 0, starts[0]) + 1
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(text)
        chunk = text[start:end]
        out.append((line, chunk))
        line += chunk.count("\n")
    return out


_KEY_LINE_RE = re.compile(r"(?P<key>[^\s:#]+):(?:[ \t]+#.*)?[ \t]*")


def _plain_head(head: str, key: str) -> bool:
    """Whether the text before a file's first record is blank and comment lines around exactly
    one line `<key>:` (with a comment after a space at most): nothing YAML would read as a value."""
    seen = 0
    for line in head.split("\n"):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        m = _KEY_LINE_RE.fullmatch(line)
        if m is None or m.group("key") != key:
            return False
        seen += 1
    return seen == 1


def plain_records(text: str, key: str) -> list[tuple[dict[str, Any], array[int], int]] | None:
    """The records of a file in one pass over libyaml's events, when the file is plain: one
    mapping holding only `key:`, a list of mappings, no tag, anchor or alias, no key that is not
    text, no key twice, within MAX_DEPTH and MAX_NODES. Each record as `_FastReader.record` gives
    it (values, steps) with its line. None for anything else (syntax errors included): the caller
    then reads the file the exact way, which reports what is wrong.

    Composing nodes first (`_compose`) and reading them (`_FastReader`) cost about 2.5 times as
    much; at x1000 that was most of a first build.
    """
    parser = _Parser(text)
    get = parser.get_event
    try:
        if type(get()) is not yaml.StreamStartEvent or type(get()) is not yaml.DocumentStartEvent:
            return None
        root = get()
        if type(root) is not yaml.MappingStartEvent or root.tag is not None or root.anchor is not None:
            return None
        head = get()
        if type(head) is not yaml.ScalarEvent or head.value != key or head.tag is not None or head.anchor:
            return None
        seq = get()
        if type(seq) is not yaml.SequenceStartEvent or seq.tag is not None or seq.anchor is not None:
            return None
        out = _plain_items(get)
        if out is None or type(get()) is not yaml.MappingEndEvent:
            return None  # the list, then another key (or not a list of mappings)
        if type(get()) is not yaml.DocumentEndEvent or type(get()) is not yaml.StreamEndEvent:
            return None
    except yaml.YAMLError:
        return None
    return out


def _plain_items(get: Any) -> list[tuple[dict[str, Any], array[int], int]] | None:
    """The items of the top-level list (its start read), up to its end; see `plain_records`."""
    scalar_ev, seq_ev, map_ev = yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent
    seq_end, map_end = yaml.SequenceEndEvent, yaml.MappingEndEvent
    nulls, intern = NULLS, sys.intern
    out: list[tuple[dict[str, Any], array[int], int]] = []
    nodes = 3  # the file's mapping, its key and the list
    # The limits are yamlread's, read when used: one setting for both readers.
    depth_limit = yamlread.MAX_DEPTH - 2  # nesting below the list: _compose counts the mapping and the list
    while True:
        event = get()
        cls = type(event)
        if cls is seq_end:
            return out
        if cls is not map_ev or event.tag is not None or event.anchor is not None:
            return None
        line = event.start_mark.line + 1
        steps = array("i", (line,))
        step = steps.append
        record: dict[str, Any] = {}
        # One frame per open collection: [container, pending key (mappings) or None].
        stack: list[list[Any]] = [[record, None]]
        nodes += 1
        if nodes > yamlread.MAX_NODES:
            return None
        while stack:
            event = get()
            cls = type(event)
            frame = stack[-1]
            container = frame[0]
            if cls is map_end or cls is seq_end:
                stack.pop()
                continue
            nodes += 1
            if nodes > yamlread.MAX_NODES:
                return None
            if event.anchor is not None or (cls is not scalar_ev and event.tag is not None):
                return None  # an anchor, an alias (no anchor attribute is an alias: see below), a tag
            is_dict = type(container) is dict
            if is_dict and frame[1] is None:  # a key
                if cls is not scalar_ev or event.tag not in (None, "!"):
                    return None
                name = intern(event.value)
                if name in container:
                    return None
                step(event.start_mark.line + 1)
                frame[1] = name
                continue
            if not is_dict:
                step(event.start_mark.line + 1)
            if cls is scalar_ev:
                if event.tag not in (None, "!"):
                    return None
                value: Any = None if event.style in (None, "") and event.value in nulls else event.value
            elif cls is seq_ev or cls is map_ev:
                if len(stack) >= depth_limit:
                    return None
                value = [] if cls is seq_ev else {}
                stack.append([value, None])
            else:
                return None  # an alias
            if is_dict:
                container[frame[1]] = value
                frame[1] = None
            else:
                container.append(value)
        out.append((record, steps, line))

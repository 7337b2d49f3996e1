"""An edited file read again record by record: each record whose text is what it was comes from the
file's earlier cache entry (reading.fast.filecache), only the others are read. It gives up (None)
on anything unusual, and the whole file is then read the exact way (reading/load.py)."""

from __future__ import annotations

import datetime as dt
import hashlib
from array import array

import yaml

from chatbot_watch.datamodel.dataset import Problem, Record
from chatbot_watch.datamodel.schema import RecordKind
from chatbot_watch.reading import rules
from chatbot_watch.reading.fast import filecache
from chatbot_watch.reading.fast.fastread import _FastReader, _Retry, record_chunks
from chatbot_watch.reading.fieldcheck import _NO_LINES, _Validator
from chatbot_watch.reading.yamlread import MAX_DEPTH, MAX_NODES, SequenceNode, _compose, _LimitError

# Past this share of a file's records read again, reading the whole file is about as fast.
MAX_REREAD_SHARE = 0.25


def _read_edited(
    kind: RecordKind, text: str, rel: str, earlier: filecache.Earlier, v: _Validator
) -> tuple[list[Record], int, dt.date | None] | None:
    """The records of an edited file: each record whose text is what it was, from the file's
    earlier entry (its lines moved by the lines added or removed above it), the others read
    alone (fastread.record_chunks: the same text gives the same values). Returns the records,
    how many were read and the latest date in the file (at most: the earlier entry's latest
    counts); None when the file is to be read whole: it is not in the usual layout, too many
    records changed, or a record read has a problem of any kind (the whole read reports it, with
    its lines, exactly as always), or the file could be over MAX_NODES."""
    chunks = record_chunks(text, kind.key)
    if chunks is None:
        return None
    digests = [text_digest(chunk) for _, chunk in chunks]
    if sum(d not in earlier.records for d in digests) > MAX_REREAD_SHARE * len(chunks):
        return None
    reuse = dict(earlier.records)
    out: list[Record] = []
    steps_total, n_read = 0, 0
    for (line, chunk), digest in zip(chunks, digests, strict=True):
        hit = reuse.pop(digest, None)
        if hit is not None:
            values, old_line, lines, steps = hit
            delta = line - old_line
            if steps is not None:
                shifted = array("i", steps)
                if delta:
                    shifted = array("i", [n + delta for n in shifted])
                rec = Record(kind.name, values, rel, line, {}, shifted, digest)
                steps_total += len(shifted)
            else:
                rec = Record(
                    kind.name, values, rel, line, {k: n + delta for k, n in (lines or {}).items()}, None, digest
                )
                steps_total += len(rec.lines)
        else:
            found = _read_alone(kind, chunk, line, rel, v)
            if found is None:
                return None
            rec = found
            problems: list[Problem] = []
            rules.check_record(rec, problems)
            if problems:
                return None
            rec.digest = digest
            steps_total += len(rec.steps or ())
            n_read += 1
        out.append(rec)
    # Each step is a key, a list item or the record: at most two YAML values each.
    if 2 * steps_total + 3 > MAX_NODES:
        return None
    latest = v.latest_date()
    if earlier.latest is not None and (latest is None or earlier.latest > latest):
        latest = earlier.latest
    return out, n_read, latest


def _read_alone(kind: RecordKind, chunk: str, line: int, rel: str, v: _Validator) -> Record | None:
    """One record's text read on its own at its line (blank lines before it), or None on anything
    the whole read would report (syntax, limits, tags, aliases, duplicate keys, a field's problem)."""
    try:
        # One level less: the record's list is the top here, inside the file's mapping there.
        node, tagged = _compose("\n" * (line - 1) + chunk, MAX_DEPTH - 1)
    except (yaml.YAMLError, _LimitError):
        return None
    if tagged or not isinstance(node, SequenceNode) or len(node.value) != 1 or node.value[0].line != line:
        return None
    try:
        values, steps = _FastReader("*" not in chunk and "!" not in chunk).record(node.value[0])
    except _Retry:
        return None
    if type(values) is not dict:
        return None
    before = len(v.problems)
    v.check_fields(kind.fields, values, "", rel, _NO_LINES, line)
    if len(v.problems) != before:
        return None
    return Record(kind.name, values, rel, line, steps=steps)


def text_digest(chunk: str) -> str:
    """The digest of a record's text (`t`: of its text; set_digests falls back to `v`: of its values)."""
    return "t" + hashlib.blake2b(chunk.encode(), digest_size=16).hexdigest()


def set_digests(records: list[Record], text: str, key: str) -> None:
    """Give each record of a file read without problems its digest: a hash of its text where the
    file has the usual layout (fastread.record_chunks; 10 ms for 5 MB), else of its values."""
    chunks = record_chunks(text, key)
    if (
        chunks is not None
        and len(chunks) == len(records)
        and all(rec.line == line for rec, (line, _) in zip(records, chunks, strict=True))
    ):
        for rec, (_, chunk) in zip(records, chunks, strict=True):
            rec.digest = text_digest(chunk)
        return
    for rec in records:
        rec.digest = "v" + hashlib.blake2b(repr(rec.values).encode(), digest_size=16).hexdigest()

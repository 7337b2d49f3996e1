"""Data files -> validated records; every problem names file, line and field.

The steps live in their own modules: `yamlread` (files -> YAML nodes within limits), `fieldcheck`
(one value, one record's fields), `rules` (the data's rules within and across records); the
loaded data's types are in `dataset`. This module reads a data folder with them and cross-checks
references; `load`, `validate`, `Problem`, `Record` and `Dataset` are imported from here.

The loader never raises on bad input: it returns the records it could read together with a
list of `Problem`s, and `validate()` reports all of them at once. YAML is composed, not
constructed, so YAML 1.1 surprises cannot happen: every plain scalar is a string
(`NO` stays "NO", `2025-02-15` stays text), only `null`, `~` or an empty value mean null,
duplicate keys and anchors/aliases are errors.

Large folders are read by one worker process per core, file by file; records keep their field
lines compactly and expand them only for a problem. A plain file (yamlread.plain_records) is read
in one pass over the YAML events; any other through the nodes, which report what is unusual.
Given a cache folder (`build` keeps one beside the database), a file whose bytes and checks are
as before is not read again: its records and problems come from filecache.py; of an edited file
only the records whose text changed are read (`_read_edited`). None of these changes what is
reported: each fast way gives up on anything unusual and leaves it to the exact way.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import multiprocessing
import os
import pickle
import sys
from array import array
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from chatbot_watch import filecache, rules, schema
from chatbot_watch.dataset import Dataset, Packed, Problem, Record, _replay_lines, pack, unpack
from chatbot_watch.fieldcheck import _NO_LINES, _closest, _Validator, may_hold_odd_characters, parse_pdate
from chatbot_watch.model import MODEL, Model
from chatbot_watch.schema import Field, RecordKind
from chatbot_watch.yamlread import (
    MAX_DEPTH,
    MAX_NODES,
    MAX_PROBLEMS,
    NULLS,
    MappingNode,
    Node,
    ScalarNode,
    SequenceNode,
    _compose,
    _FastReader,
    _LimitError,
    _read_yaml,
    _Reader,
    _rel,
    _report_tags,
    _Retry,
    compose_text,
    decode,
    plain_records,
    read_data_file,
    read_text,
    record_chunks,
)


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


def load(
    data_dir: Path,
    today: dt.date | None = None,
    processes: int | None = None,
    model: Model = MODEL,
    cache_dir: Path | None = None,
) -> tuple[Dataset, list[Problem]]:
    """Load and validate a data folder. Returns the dataset and every problem found (sorted).

    `processes` is how many worker processes read the record files; None chooses (one per core
    for folders of 8 MiB or more, else none), 1 reads everything in this process. `cache_dir`
    is a folder of filecache.py entries to use and update (None: no cache; `Dataset.parsed`
    lists the files read). The result depends on neither. `model` is the data model to validate
    by (model.py; a test passes a copy).
    """
    with cyclic_gc_paused():
        return _load(data_dir, today, processes, model, cache_dir)


def _load(
    data_dir: Path, today: dt.date | None, processes: int | None, model: Model, cache_dir: Path | None
) -> tuple[Dataset, list[Problem]]:
    today = today or dt.date.today()
    data_dir = Path(data_dir)
    problems: list[Problem] = []
    records: dict[str, list[Record]] = {k.name: [] for k in model.kinds}
    files: list[Path] = []
    meta: dict[str, Any] = {}
    v = _Validator(today)

    if not data_dir.is_dir():
        problems.append(Problem(str(data_dir), 1, "(folder)", "data folder does not exist"))
        return Dataset(meta, records, files), problems

    # dataset.yaml: one mapping
    ds_path = data_dir / schema.DATASET_FILE
    ds_lines: dict[str, int] = {}
    if os.path.lexists(ds_path):
        files.append(ds_path)
        node, rel, _, tagged = _read_yaml(ds_path, data_dir, problems)
        if node is not None:
            lines = ds_lines
            value = _Reader(rel, problems).value(node, "", lines)
            if isinstance(value, dict):
                v.check_fields(model.dataset_fields, value, "", rel, lines, node.line)
                meta = value
            else:
                problems.append(Problem(rel, node.line, "(file)", "expected a mapping of dataset fields"))
        _report_tags(tagged, rel, problems)
    else:
        problems.append(Problem(_rel(ds_path, data_dir), 1, "(file)", "missing file (title, as_of, licence, ...)"))

    as_of = meta.get("as_of") if isinstance(meta.get("as_of"), str) else None
    jobs: list[tuple[RecordKind, Path]] = []
    for kind in model.kinds:
        kfiles = kind_files(data_dir, kind)
        if not kfiles:
            problems.append(
                Problem(
                    _rel(data_dir / f"{kind.name}.yaml", data_dir), 1, "(file)", f"missing file: no {kind.name} records"
                )
            )
        jobs.extend((kind, path) for path in kfiles)
    files.extend(path for _, path in jobs)
    results: list[tuple[list[Record], list[Problem]] | None] = [None] * len(jobs)
    cache = None
    if cache_dir is not None and filecache.usable(cache_dir):
        cache = filecache.FileCache(cache_dir, today)
        results = [_cached(cache, kind, path, data_dir) for kind, path in jobs]
    todo = [i for i, result in enumerate(results) if result is None]
    read = _read_files([jobs[i] for i in todo], data_dir, today, processes, cache_dir if cache else None)
    records_read = 0
    for i, (recs, found, n_read) in zip(todo, read, strict=True):
        results[i] = recs, found
        records_read += n_read
    if cache is not None:
        cache.prune()
    for (kind, _), result in zip(jobs, results, strict=True):
        assert result is not None
        records[kind.name].extend(result[0])
        problems.extend(result[1])

    problems.extend(v.problems)
    _check_as_of(records, model.kinds, as_of, problems)
    rules.check_reviews(meta, ds_lines, _rel(ds_path, data_dir), records, problems)
    _check_dataset(records, problems, model.kinds)
    return Dataset(meta, records, files, [jobs[i][1] for i in todo], records_read), _cap_problems(problems)


def _cached(
    cache: filecache.FileCache, kind: RecordKind, path: Path, data_dir: Path
) -> tuple[list[Record], list[Problem]] | None:
    """The cached result of reading one file of records, or None to read it."""
    try:
        raw = read_data_file(path)
    except (OSError, ValueError):
        return None  # reading it again reports why
    return cache.get(kind, path.relative_to(data_dir).as_posix(), _rel(path, data_dir), filecache.file_digest(raw))


def _read_file(
    kind: RecordKind, path: Path, data_dir: Path, today: dt.date, cache_dir: Path | None = None
) -> tuple[list[Record], list[Problem], int]:
    """Read and check one file of records (each record on its own): its records, its problems and
    how many records were read from YAML (the others came from the file's earlier entry).

    With `cache_dir`, what it gave is kept there for the next load (filecache.py), and an edited
    file whose earlier entry is there is read record by record (`_read_edited`).
    """
    problems: list[Problem] = []
    out: list[Record] = []
    with cyclic_gc_paused():
        try:
            raw: bytes | None = read_data_file(path)
        except (OSError, ValueError):
            raw = None  # _read_yaml reads it again and reports why
        digest = filecache.file_digest(raw) if raw is not None and cache_dir is not None else None
        rel, name = _rel(path, data_dir), path.relative_to(data_dir).as_posix()
        cache = filecache.FileCache(cache_dir, today) if cache_dir is not None else None
        edited = None
        if raw is not None and cache is not None:
            earlier = cache.earlier(kind, name, rel)
            text = decode(raw, rel, []) if earlier is not None else None  # problems: see _read_whole
            if earlier is not None and text is not None:
                edited = _read_edited(kind, text, rel, earlier, _Validator(today))
        if edited is not None:
            out, n_read, latest = edited
        else:  # with a validator of its own: what a failed record-by-record read found is forgotten
            n_read, latest = _read_whole(kind, path, data_dir, raw, out, problems, _Validator(today))
        del raw
        if digest is not None and cache is not None:
            cache.put(kind, name, rel, digest, latest, out, problems)
    return out, problems, n_read


def _read_whole(
    kind: RecordKind,
    path: Path,
    data_dir: Path,
    raw: bytes | None,
    out: list[Record],
    problems: list[Problem],
    v: _Validator,
) -> tuple[int, dt.date | None]:
    """Read the whole file into `out` and `problems`: how many records, and the latest date in it.

    A plain file (yamlread.plain_records: no tag, alias or odd structure) is read in one pass over
    the YAML events; any other goes through the nodes, which report what is unusual in it.
    """
    rel, text = read_text(path, data_dir, problems, raw)
    if text is None:
        return 0, v.latest_date()
    plain = plain_records(text, kind.key)
    if plain is not None:
        v.odd = may_hold_odd_characters(text)
        records, stopped = _check_records(kind, plain, rel, v)
        out.extend(records)
        problems.extend(v.problems)
        if stopped is not None:
            problems.append(_stopped(rel, stopped))
        tagged: list[Node] = []
    else:
        node, tagged = compose_text(text, rel, problems)
        if node is None:
            return 0, v.latest_date()
        # Without '*' or '!' anywhere in the text there can be no alias and no tag.
        _read_kind(kind, node, rel, out, problems, v, "*" not in text and "!" not in text)
        problems.extend(v.problems)
    for rec in out:
        if len(problems) > MAX_PROBLEMS:  # more would not be listed (see _cap_problems)
            break
        rules.check_record(rec, problems)
    _report_tags(tagged, rel, problems)
    if not problems:
        set_digests(out, text, kind.key)
    return len(out), v.latest_date()


# Past this share of a file's records read again, reading the whole file is about as fast.
MAX_REREAD_SHARE = 0.25


def _read_edited(
    kind: RecordKind, text: str, rel: str, earlier: filecache.Earlier, v: _Validator
) -> tuple[list[Record], int, dt.date | None] | None:
    """The records of an edited file: each record whose text is what it was, from the file's
    earlier entry (its lines moved by the lines added or removed above it), the others read
    alone (yamlread.record_chunks: the same text gives the same values). Returns the records,
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
    file has the usual layout (yamlread.record_chunks; 10 ms for 5 MB), else of its values."""
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


def _read_files(
    jobs: list[tuple[RecordKind, Path]],
    data_dir: Path,
    today: dt.date,
    processes: int | None,
    cache_dir: Path | None = None,
) -> Iterator[tuple[list[Record], list[Problem], int]]:
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
                args = [data_dir] * n, [today] * n, [cache_dir] * n
                for packed in pool.map(_read_file_packed, kinds, paths, *args):
                    yield _unpack(*packed)
                    done += 1
        except (OSError, BrokenProcessPool, pickle.PicklingError, ImportError):
            pass
    for kind, path in jobs[done:]:
        yield _read_file(kind, path, data_dir, today, cache_dir)


def _read_file_packed(
    kind: RecordKind, path: Path, data_dir: Path, today: dt.date, cache_dir: Path | None = None
) -> tuple[str, str, list[Packed], list[Problem], int]:
    """`_read_file` in a worker process, its records sent back packed (dataset.pack): pickled
    and unpickled three times as fast as `Record` objects (at x1000, about 4 s of CPU)."""
    records, problems, n_read = _read_file(kind, path, data_dir, today, cache_dir)
    return kind.name, records[0].path if records else "", pack(records), problems, n_read


def _unpack(
    kind: str, rel: str, packed: list[Packed], problems: list[Problem], n_read: int
) -> tuple[list[Record], list[Problem], int]:
    return unpack(kind, rel, packed), problems, n_read


POOL_MIN_BYTES = 8 * 2**20  # below this, starting processes costs more than it saves


def _pool_size(jobs: list[tuple[RecordKind, Path]]) -> int:
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
    """Read and check the records of a file with `_FastReader`; raises `_Retry` (see there)."""
    reader = _FastReader(plain)

    def items() -> Iterator[tuple[dict[str, Any], array[int], int]]:
        for item in seq.value:
            values, steps = reader.record(item)
            if type(values) is not dict:
                raise _Retry
            yield values, steps, item.line

    return _check_records(kind, items(), rel, v, limit)


def _check_records(
    kind: RecordKind,
    found: Iterable[tuple[dict[str, Any], array[int], int]],
    rel: str,
    v: _Validator,
    limit: int = MAX_PROBLEMS,
) -> tuple[list[Record], int | None]:
    """Check each record read (values, steps, line) against its kind's fields.

    A record is first checked without lines; only when it has problems are its lines expanded
    and the check repeated, so the reported lines are the ones the exact path gives. Once
    `limit` problems are found, reading stops: returns the records read and the line of the
    first record not read (None when all were).
    """
    records = []
    problems = v.problems
    for values, steps, line in found:
        if len(problems) >= limit:
            return records, line
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


def _check_dataset(
    records: dict[str, list[Record]], problems: list[Problem], kinds: tuple[RecordKind, ...] = schema.KINDS
) -> None:
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
    for kind in kinds:
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
                    rec.problem("id", f"duplicate id '{rid}' (first at {first.path}:{first.line_of('id')})")
                )
            else:
                seen[rid] = rec
        ids[kind.name] = seen

    for kind in kinds:
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
                    problems.append(rec.problem("parents", f"ownership chain loops: {' -> '.join(chain + [nxt])}"))
                break
            chain.append(nxt)
            if len(chain) > MAX_CHAIN:
                if room(rec.path):
                    problems.append(
                        rec.problem(
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


def _check_as_of(
    records: dict[str, list[Record]], kinds: tuple[RecordKind, ...], as_of: str | None, problems: list[Problem]
) -> None:
    """No record's own partial dates (`audit_date`, `announced` ...) after the dataset's `as_of`.

    Checked on every load over all records, not when a file is read: the file cache does not
    depend on `as_of`, so bumping it reads no file again. At most MAX_PROBLEMS + 1 per file.
    """
    parsed = parse_pdate(as_of) if as_of else None
    if parsed is None:
        return
    limit = parsed[0]
    starts: dict[str, dt.date | None] = {}  # dates repeat: each is parsed once
    per_file: dict[str, int] = {}
    for kind in kinds:
        dated = tuple(f.name for f in kind.fields if f.kind == "pdate")
        for rec in records.get(kind.name, ()) if dated else ():
            for fname in dated:
                val = rec.values.get(fname)
                if not isinstance(val, str):
                    continue
                if val in starts:
                    start = starts[val]
                else:
                    found = parse_pdate(val)
                    start = starts[val] = found[0] if found else None
                if start is None or start <= limit:
                    continue
                n = per_file[rec.path] = per_file.get(rec.path, 0) + 1
                if n <= MAX_PROBLEMS + 1:
                    problems.append(
                        rec.problem(fname, f"date {val} is after the dataset's as_of date {as_of} (data/dataset.yaml)")
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
        word = next((k.word for k in schema.KINDS if k.name == target), target)
        what = word.replace("_", " ")
        problems.append(
            rec.problem(name, f"unknown {what} id '{val}'" + (f" (did you mean '{hint}'?)" if hint else ""))
        )


def validate(data_dir: Path, today: dt.date | None = None, model: Model = MODEL) -> list[Problem]:
    """All problems of a data folder (empty when clean)."""
    return load(data_dir, today, model=model)[1]


__all__ = ["Dataset", "Problem", "Record", "cyclic_gc_paused", "kind_files", "load", "parse_pdate", "validate"]

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
lines compactly and expand them only for a problem. A plain file (fastread.plain_records) is read
in one pass over the YAML events; any other through the nodes, which report what is unusual.
Given a cache folder (`build` keeps one beside the database), a file whose bytes and checks are
as before is not read again: its records and problems come from filecache.py; of an edited file
only the records whose text changed are read (`_read_edited`). None of these changes what is
reported: each fast way gives up on anything unusual and leaves it to the exact way.
"""

from __future__ import annotations

import datetime as dt
import os
from array import array
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from chatbot_watch.datamodel import schema
from chatbot_watch.datamodel.dataset import Dataset, Packed, Problem, Record, _replay_lines, pack
from chatbot_watch.datamodel.schema import RecordKind
from chatbot_watch.datamodel.storage import MODEL, Model
from chatbot_watch.reading import rules
from chatbot_watch.reading.crosscheck import cap_problems, check_as_of, check_dataset
from chatbot_watch.reading.fast import filecache
from chatbot_watch.reading.fast.fastread import _FastReader, _Retry, plain_records
from chatbot_watch.reading.fast.reread import _read_edited, set_digests
from chatbot_watch.reading.fast.workers import cyclic_gc_paused, read_files
from chatbot_watch.reading.fieldcheck import _NO_LINES, _Validator, may_hold_odd_characters, parse_pdate
from chatbot_watch.reading.yamlread import (
    MAX_PROBLEMS,
    NULLS,
    MappingNode,
    Node,
    ScalarNode,
    SequenceNode,
    _read_yaml,
    _Reader,
    _rel,
    _report_tags,
    compose_text,
    decode,
    read_data_file,
    read_text,
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
    read = read_files(
        [jobs[i] for i in todo], data_dir, today, processes, cache_dir if cache else None, _read_file, _read_file_packed
    )
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
    check_as_of(records, model.kinds, as_of, problems)
    rules.check_reviews(meta, ds_lines, _rel(ds_path, data_dir), records, problems)
    check_dataset(records, problems, model.kinds)
    return Dataset(meta, records, files, [jobs[i][1] for i in todo], records_read), cap_problems(problems)


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

    A plain file (fastread.plain_records: no tag, alias or odd structure) is read in one pass over
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
        if len(problems) > MAX_PROBLEMS:  # more would not be listed (see crosscheck.cap_problems)
            break
        rules.check_record(rec, problems)
    _report_tags(tagged, rel, problems)
    if not problems:
        set_digests(out, text, kind.key)
    return len(out), v.latest_date()


def _read_file_packed(
    kind: RecordKind, path: Path, data_dir: Path, today: dt.date, cache_dir: Path | None = None
) -> tuple[str, str, list[Packed], list[Problem], int]:
    """`_read_file` in a worker process, its records sent back packed (dataset.pack): pickled
    and unpickled three times as fast as `Record` objects (at x1000, about 4 s of CPU)."""
    records, problems, n_read = _read_file(kind, path, data_dir, today, cache_dir)
    return kind.name, records[0].path if records else "", pack(records), problems, n_read


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


def validate(data_dir: Path, today: dt.date | None = None, model: Model = MODEL) -> list[Problem]:
    """All problems of a data folder (empty when clean)."""
    return load(data_dir, today, model=model)[1]


__all__ = ["Dataset", "Problem", "Record", "cyclic_gc_paused", "kind_files", "load", "parse_pdate", "validate"]

"""Checks across records, run on every load (never cached): unique ids, references between records
(apps, companies, data types, superseded findings), ownership chains without cycles, no record
dated after the dataset's `as_of`; and the cap on how many problems are listed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from chatbot_watch.datamodel import schema
from chatbot_watch.datamodel.dataset import Problem, Record
from chatbot_watch.datamodel.schema import Field, RecordKind
from chatbot_watch.reading import rules
from chatbot_watch.reading.fieldcheck import _closest, parse_pdate
from chatbot_watch.reading.yamlread import (
    MAX_PROBLEMS,
)


def _problem_key(p: Problem) -> tuple[str, int, str, str]:
    return (p.path, p.line, p.field, p.message)


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


def check_dataset(
    records: dict[str, list[Record]], problems: list[Problem], kinds: tuple[RecordKind, ...] = schema.KINDS
) -> None:
    """Cross-record checks: unique ids, references, ownership chains (`_check_record` does the rest).

    At most MAX_PROBLEMS + 1 problems are made per file (the rest would not be listed, see
    `cap_problems`), and the work is bounded too: a million records with the same id, or all
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


def cap_problems(problems: list[Problem]) -> list[Problem]:
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


def check_as_of(
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

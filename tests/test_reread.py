"""An edited file is read again record by record (load._read_edited): only the records whose text
changed are read, and the load gives exactly what reading the whole file gives (values, every
field's line, digests, problems), whatever the edit."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from chatbot_watch.datamodel.dataset import Dataset, Problem
from chatbot_watch.reading.fast import filecache
from chatbot_watch.reading.fast.fastread import record_chunks
from chatbot_watch.reading.load import load
from tests.conftest import REAL_DATA
from tests.test_cache import _seen

TODAY = dt.date.today()  # the real data is checked as of today


def _records(text: str) -> tuple[str, list[str]]:
    chunks = record_chunks(text, "findings")
    assert chunks is not None
    return text[: text.index(chunks[0][1])], [c for _, c in chunks]


def _each(change: Callable[[list[str]], list[str]]) -> Callable[[str], str]:
    def edit(text: str) -> str:
        head, chunks = _records(text)
        return head + "".join(change(chunks))

    return edit


def _at(i: int, change: Callable[[str], str]) -> Callable[[str], str]:
    return _each(lambda chunks: [change(c) if n == i else c for n, c in enumerate(chunks)])


def _set(chunk: str, field: str, text: str) -> str:
    """The record with the field (and its folded lines) written as `text` (lines after the first indented)."""
    new, n = re.subn(rf"^  {field}: .*(\n    .*)*", lambda _: f"  {field}: {text}", chunk, count=1, flags=re.M)
    assert n == 1
    return new


def _longer_notes(chunk: str) -> str:
    """The record's notes edited, one line longer: the records after it move down a line."""
    found = re.search(r"^  notes: .*(\n    .*)*", chunk, flags=re.M)
    assert found is not None
    return _set(chunk, "notes", "Edited notes," + "\n    one line more" * (found.group().count("\n") + 1))


def _indented(chunk: str) -> str:
    """A record moved two spaces right, as an editor's indent command does."""
    return "".join(f"  {line}" for line in chunk.splitlines(keepends=True))


def _copy_first(chunks: list[str]) -> list[str]:
    new = re.sub(r"^- id: .*", "- id: AF-900", chunks[-1], count=1)
    new = re.sub(r"^  auditor: .*$", "  auditor: Another auditor", new, count=1, flags=re.M)
    return [new, *chunks]


# name -> (the edit of findings.yaml, records read again, whether the edit leaves problems)
EDITS: dict[str, tuple[Callable[[str], str], int | None, bool]] = {
    "a record's notes a line longer": (_at(10, _longer_notes), 1, False),
    "a record removed": (_each(lambda c: c[:5] + c[6:]), 0, False),
    "a new record first": (_each(_copy_first), 1, False),
    "two records edited": (
        _each(lambda c: [_longer_notes(x) if i in (3, 40) else x for i, x in enumerate(c)]),
        2,
        False,
    ),
    "a comment above the records": (lambda t: t.replace("\nfindings:\n", "\n# more\n\nfindings:\n", 1), 0, False),
    "a comment inside a record": (_at(20, lambda c: c.replace("\n", "\n# a comment\n", 1)), 1, False),
    # Read whole: the problems and their lines come from the whole read, as always.
    # A reference to no app is a check across records: the record is read alone, the load reports it.
    "a reference to an unknown app": (_at(7, lambda c: _set(c, "app", "Not A Slug")), 1, True),
    "a record with a field's problem": (_at(8, lambda c: _set(c, "platform", "phone")), None, True),
    "a record with a syntax error": (_at(7, lambda c: c.replace("\n  ", "\n  : : [\n  ", 1)), None, True),
    "a record with a YAML alias": (
        _at(7, lambda c: c.replace("  app: ", "  app: &x ", 1) + "  notes2: *x\n"),
        None,
        True,
    ),
    "a record with a tag": (_at(7, lambda c: c.replace("  app: ", "  app: !!str ", 1)), None, True),
    "a quoted value across a line that starts with '- '": (
        _at(7, lambda c: _set(c, "notes", "'first\n- second'")),
        None,
        False,
    ),
    "a duplicate key": (_at(7, lambda c: c + "  app: deepseek\n"), None, True),
    "a record's date after as_of": (
        _at(7, lambda c: _set(c, "audit_date", "2099-01")),
        None,
        True,
    ),
    "more than a quarter of the records": (
        _each(lambda c: [_longer_notes(x) if "\n  notes: " in x else x for x in c]),
        None,
        False,
    ),
    "an unusual layout": (lambda t: t.replace("\nfindings:\n", "\nfindings:\n\n---\n", 1), None, True),
    # Before the first record: only blank and comment lines around `findings:` are read as nothing.
    "a tag on the list": (lambda t: t.replace("\nfindings:\n", "\nfindings:\n  !custom\n", 1), None, True),
    "text before the key": (lambda t: t.replace("\nfindings:\n", "\n  junk\nfindings:\n", 1), None, True),
    "text after the key": (lambda t: t.replace("\nfindings:\n", "\nfindings:\n  junk\n", 1), None, True),
    "a comment without a space": (lambda t: t.replace("\nfindings:\n", "\nfindings:#x\n", 1), None, True),
    "the first record indented": (_each(lambda c: [_indented(c[0]), *c[1:]]), None, True),
}


@pytest.fixture(scope="module")
def read_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding a copy of the real data and the cache its first load wrote (the data read
    whole once per module), kept aside to be put back for each test (`_fresh`)."""
    root = tmp_path_factory.mktemp("read-once")
    shutil.copytree(REAL_DATA, root / "data")
    load(root / "data", TODAY, cache_dir=root / "cache")
    for name in ("data", "cache"):
        shutil.copytree(root / name, root / f"{name}.kept")
    return root


def _fresh(read_once: Path) -> tuple[Path, Path]:
    """The data and its cache as the first load left them, at the same paths (a cached file's
    entry names the path it was read from, so a copy elsewhere would be read again)."""
    data, cache = read_once / "data", read_once / "cache"
    for folder in (data, cache):
        shutil.rmtree(folder)
        shutil.copytree(read_once / f"{folder.name}.kept", folder)
    return data, cache


def _read_whole(read_once: Path, name: str) -> tuple[Dataset, list[Problem]]:
    """The data loaded with the file `name` read whole, with no earlier entry to reread it by: every
    other file comes from the first load's cache (the same bytes give the same records and problems,
    tests/test_cache.py), so the whole read costs one file, not the folder."""
    cache = read_once / "cache.whole"
    shutil.rmtree(cache, ignore_errors=True)
    shutil.copytree(read_once / "cache.kept", cache)
    filecache.FileCache(cache, TODAY)._entry(name).unlink()
    whole = load(read_once / "data", TODAY, cache_dir=cache)
    assert [p.name for p in whole[0].parsed] == [Path(name).name]
    return whole


@pytest.mark.parametrize("name", list(EDITS))
def test_an_edited_file_gives_what_reading_it_whole_gives(read_once: Path, name: str) -> None:
    data, cache = _fresh(read_once)
    ds, problems = load(data, TODAY, cache_dir=cache)
    assert ds.parsed == []  # all from the cache
    assert problems == []
    n_findings = len(ds.records["findings"])

    change, n_read, has_problems = EDITS[name]
    path = data / "findings.yaml"
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")

    ds, problems = load(data, TODAY, cache_dir=cache)
    whole, whole_problems = _read_whole(read_once, "findings.yaml")
    assert _seen(ds, problems) == _seen(whole, whole_problems)
    assert bool(problems) == has_problems, problems[:3]
    assert [r.digest for r in ds.records["findings"]] == [r.digest for r in whole.records["findings"]]
    assert [p.name for p in ds.parsed] == ["findings.yaml"]
    if n_read is None:  # read whole
        # every record of the file, as the whole read read it (other findings files were not read)
        assert ds.records_read == sum(1 for r in whole.records["findings"] if r.path == ds.parsed[0].as_posix())
    else:
        assert ds.records_read == n_read
        assert len(ds.records["findings"]) in (n_findings - 1, n_findings, n_findings + 1)

    # And the next load takes the whole file from the cache, as edited.
    again, again_problems = load(data, TODAY, cache_dir=cache)
    assert again.parsed == [] and _seen(again, again_problems) == _seen(whole, whole_problems)


def test_a_file_edited_twice_reads_only_the_second_edit(read_once: Path) -> None:
    data, cache = _fresh(read_once)
    path = data / "findings.yaml"
    for i in (4, 30):
        path.write_text(_at(i, _longer_notes)(path.read_text(encoding="utf-8")), encoding="utf-8")
        ds, problems = load(data, TODAY, cache_dir=cache)
        assert ds.records_read == 1
        assert _seen(ds, problems) == _seen(*load(data, TODAY))

"""The per-file cache (filecache.py): a rebuild reads only the files that changed, and gives the
same database and the same problems, `path:line` included, as reading everything."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from chatbot_watch.cli import main
from chatbot_watch.datamodel import schema, vocabularies
from chatbot_watch.datamodel.dataset import Dataset, Problem
from chatbot_watch.datamodel.storage import MODEL
from chatbot_watch.reading.fast import filecache
from chatbot_watch.reading.load import load
from chatbot_watch.store.build import BuildError, build
from tests.conftest import FIXTURE_DATA, REAL_DATA, ROOT, all_tables, edit

TODAY = dt.date(2026, 11, 29)
RECORD_FILES = ["actions.yaml", "apps.yaml", "companies.yaml", "data_types.yaml", "findings.yaml"]


def _names(paths: list[Path]) -> list[str]:
    return sorted(p.name for p in paths)


def _seen(ds: Dataset, problems: list[Problem]) -> tuple[list[str], list[tuple[Any, ...]]]:
    """What a load gives: every problem as printed, and every record with every field's line."""
    records = []
    for kind, recs in ds.records.items():
        for r in recs:
            lines = {name: r.line_of(name) for name in _paths(r.values)}
            records.append((kind, r.path, r.line, r.values, lines))
    return [str(p) for p in problems], records


def _paths(values: Any, prefix: str = "") -> list[str]:
    """Every dotted field path of a record (`sources[0].url` ...)."""
    out = []
    if isinstance(values, dict):
        for key, value in values.items():
            name = f"{prefix}.{key}" if prefix else key
            out += [name, *_paths(value, name)]
    elif isinstance(values, list):
        for i, value in enumerate(values):
            out += [f"{prefix}[{i}]", *_paths(value, f"{prefix}[{i}]")]
    return out


def test_a_rebuild_from_the_cache_gives_the_same_database(tmp_path: Path, data_copy: Path) -> None:
    cached, plain = tmp_path / "cached" / "db.duckdb", tmp_path / "plain" / "db.duckdb"
    first = build(data_copy, cached, today=TODAY)
    assert (first.files_read, first.files_cached) == (5, 0)
    plain.parent.mkdir()
    shutil.copy(cached, plain)  # the same previous build, so the same change log

    edit(data_copy, "apps.yaml", "name: Gemini", "name: Google Gemini")
    again = build(data_copy, cached, today=TODAY)
    assert (again.files_read, again.files_cached) == (1, 4)
    fresh = build(data_copy, plain, today=TODAY, cache=False)
    assert (fresh.files_read, fresh.files_cached) == (5, 0)
    assert not filecache.folder_for(plain).exists()

    tables = all_tables(cached)
    assert tables == all_tables(plain)
    assert ("app", "gemini", "changed", "name") in {r[2:6] for r in tables["change_log"]}  # the edit is logged
    assert again.data_version == fresh.data_version


def test_only_the_edited_file_is_read_again_and_problems_keep_their_lines(tmp_path: Path, data_copy: Path) -> None:
    cache = tmp_path / "cache"
    # Problems in three files: a field, a record's own rule, a reference across files.
    edit(data_copy, "companies.yaml", "country: CN", "country: cn")
    edit(data_copy, "actions.yaml", "jurisdiction: IT", "jurisdiction: XX")
    edit(data_copy, "findings.yaml", "recipients: [volcano-engine]", "recipients: [volcano-engines]")

    ds, problems = load(data_copy, TODAY, cache_dir=cache)
    assert _names(ds.parsed) == RECORD_FILES
    expected = _seen(*load(data_copy, TODAY))
    assert _seen(ds, problems) == expected
    assert len(expected[0]) >= 3 and any("companies.yaml" in p for p in expected[0])

    ds, problems = load(data_copy, TODAY, cache_dir=cache)
    assert ds.parsed == []
    assert _seen(ds, problems) == expected

    # One more line at the top of apps.yaml: only it is read again, and every line after it moves.
    edit(data_copy, "apps.yaml", "apps:\n", "# a comment\napps:\n")
    edit(data_copy, "findings.yaml", "findings:\n", "# a comment\nfindings:\n")
    ds, problems = load(data_copy, TODAY, cache_dir=cache)
    assert _names(ds.parsed) == ["apps.yaml", "findings.yaml"]
    expected = _seen(*load(data_copy, TODAY))
    assert _seen(ds, problems) == expected
    assert any("findings.yaml" in p and "volcano-engines" in p for p in expected[0])


def test_a_failed_build_keeps_its_problems_in_the_cache(tmp_path: Path, data_copy: Path) -> None:
    edit(data_copy, "apps.yaml", "name: Gemini", "name: Gemini\n  name: Gemini")  # a duplicate key
    out = tmp_path / "db.duckdb"
    with pytest.raises(BuildError) as first:
        build(data_copy, out, today=TODAY)
    with pytest.raises(BuildError) as second:
        build(data_copy, out, today=TODAY)
    assert first.value.problems == second.value.problems
    assert any("duplicate key" in p.message for p in second.value.problems)
    assert load(data_copy, TODAY, cache_dir=filecache.folder_for(out))[0].parsed == []


def test_entries_written_by_worker_processes_are_the_same(tmp_path: Path, data_copy: Path) -> None:
    # Large folders are read by worker processes, which write their files' entries themselves.
    edit(data_copy, "findings.yaml", "recipient_countries: [CN]", "recipient_countries: [XX]")
    cache = tmp_path / "cache"
    ds, problems = load(data_copy, TODAY, processes=2, cache_dir=cache)
    assert _names(ds.parsed) == RECORD_FILES
    assert len(list(cache.iterdir())) == 5
    expected = _seen(*load(data_copy, TODAY, processes=1))
    assert _seen(ds, problems) == expected
    ds, problems = load(data_copy, TODAY, processes=2, cache_dir=cache)
    assert ds.parsed == []
    assert _seen(ds, problems) == expected


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[: len(b) // 2],  # truncated
        lambda b: b[:-1] + bytes([b[-1] ^ 1]),  # one bit changed
        lambda b: b"",  # empty
        lambda b: b"not an entry at all",
        lambda b: filecache.MAGIC + b"\0" * 40,  # a header without a payload
    ],
    ids=["truncated", "bit-flip", "empty", "garbage", "header-only"],
)
def test_a_damaged_entry_is_ignored(tmp_path: Path, data_copy: Path, damage: Any) -> None:
    cache = tmp_path / "cache"
    expected = _seen(*load(data_copy, TODAY, cache_dir=cache))
    entries = sorted(cache.glob("*" + filecache.SUFFIX))
    assert len(entries) == 5
    for entry in entries:
        entry.write_bytes(damage(entry.read_bytes()))
    ds, problems = load(data_copy, TODAY, cache_dir=cache)
    assert _names(ds.parsed) == RECORD_FILES
    assert _seen(ds, problems) == expected
    assert load(data_copy, TODAY, cache_dir=cache)[0].parsed == []  # written anew


def test_an_entry_checked_under_other_rules_is_not_used(
    tmp_path: Path, data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    load(data_copy, TODAY, cache_dir=cache)
    # The loader's code changed (another version): every file is read again.
    monkeypatch.setattr(filecache, "loader_version", lambda: "another loader")
    assert _names(load(data_copy, TODAY, cache_dir=cache)[0].parsed) == RECORD_FILES
    assert load(data_copy, TODAY, cache_dir=cache)[0].parsed == []
    # The schema changed: a field added to findings. Only findings.yaml was checked by it.
    with_reviewer = MODEL.with_field("findings", schema.Field("reviewer", "str", "Who reviewed it."))
    ds, problems = load(data_copy, TODAY, model=with_reviewer, cache_dir=cache)
    assert _names(ds.parsed) == ["findings.yaml"]
    assert problems == []
    # A vocabulary changed: every kind may use it.
    monkeypatch.setitem(
        vocabularies.VOCABULARIES, "PLATFORMS", {**vocabularies.VOCABULARIES["PLATFORMS"], "watch": ("W", "")}
    )
    assert _names(load(data_copy, TODAY, cache_dir=cache)[0].parsed) == RECORD_FILES


def test_the_loader_version_covers_every_module_the_loader_imports() -> None:
    code = (
        "import sys, chatbot_watch.reading.load; "
        "print(' '.join(m for m in sys.modules if m.startswith('chatbot_watch.')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    imported = {m.removeprefix("chatbot_watch.") for m in done.stdout.split()}
    assert imported <= set(filecache.LOADER_MODULES)


def test_the_day_of_the_check_matters_only_for_dates_after_it(tmp_path: Path, data_copy: Path) -> None:
    cache = tmp_path / "cache"
    load(data_copy, TODAY, cache_dir=cache)
    # Every date in the data is before both days: nothing to read again.
    assert load(data_copy, TODAY + dt.timedelta(days=3), cache_dir=cache)[0].parsed == []
    # A day before some dates: the files holding such dates are read again, and say so.
    early = dt.date(2025, 3, 1)
    ds, problems = load(data_copy, early, cache_dir=cache)
    assert "findings.yaml" in _names(ds.parsed) and "data_types.yaml" not in _names(ds.parsed)
    assert _seen(ds, problems) == _seen(*load(data_copy, early))
    assert any(p.message == "date 2025-04-24 is in the future" for p in problems)
    # ... and back to today: those files are read again (their entries held the early day's problems).
    ds, problems = load(data_copy, TODAY, cache_dir=cache)
    assert "findings.yaml" in _names(ds.parsed) and problems == []


def test_a_new_as_of_reads_no_file_again_and_is_checked(tmp_path: Path, data_copy: Path) -> None:
    cache = tmp_path / "cache"
    load(data_copy, TODAY, cache_dir=cache)
    edit(data_copy, "dataset.yaml", "as_of: 2026-06-30", "as_of: 2025-03-01")
    ds, problems = load(data_copy, TODAY, cache_dir=cache)
    assert ds.parsed == []
    assert _seen(ds, problems) == _seen(*load(data_copy, TODAY))
    late = [p for p in problems if "after the dataset's as_of date 2025-03-01" in p.message]
    assert late and all(p.path.endswith(("findings.yaml", "actions.yaml")) for p in late)
    # Back to the first as_of: the same files, no problem.
    edit(data_copy, "dataset.yaml", "as_of: 2025-03-01", "as_of: 2026-06-30")
    ds, problems = load(data_copy, TODAY, cache_dir=cache)
    assert (ds.parsed, problems) == ([], [])


def test_the_cache_holds_one_entry_per_data_file(tmp_path: Path, data_copy: Path) -> None:
    cache = tmp_path / "cache"
    load(data_copy, TODAY, cache_dir=cache)
    (cache / "0123.entry.999.tmp").write_bytes(b"left by a killed build")
    # findings.yaml becomes a folder of two files: the old file's entry goes, each new file has one.
    folder = data_copy / "findings"
    folder.mkdir()
    text = (data_copy / "findings.yaml").read_text(encoding="utf-8")
    head, second = text.split("\n- id: AF-004", 1)
    (folder / "0001.yaml").write_text(head + "\n", encoding="utf-8")
    (folder / "0002.yaml").write_text("findings:\n- id: AF-004" + second, encoding="utf-8")
    (data_copy / "findings.yaml").unlink()
    ds, problems = load(data_copy, TODAY, cache_dir=cache)
    assert problems == []
    assert _names(ds.parsed) == ["0001.yaml", "0002.yaml"]
    assert len(list(cache.iterdir())) == 6 == len(ds.files) - 1  # record files; dataset.yaml is not cached
    assert load(data_copy, TODAY, cache_dir=cache)[0].parsed == []


def test_the_cache_is_beside_the_database_never_in_the_checkout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CHATBOT_WATCH_DB", raising=False)
    out = tmp_path / "elsewhere" / "x.duckdb"
    before = {p.name for p in ROOT.iterdir()}, {p.name for p in FIXTURE_DATA.iterdir()}
    assert main(["build", "--data", str(FIXTURE_DATA), "--out", str(out)]) == 0
    assert main(["build", "--data", str(FIXTURE_DATA), "--out", str(out)]) == 0
    assert sorted(p.name for p in out.parent.iterdir()) == [".x.duckdb.cache", "x.duckdb"]
    assert len(list(filecache.folder_for(out).iterdir())) == 5
    assert ({p.name for p in ROOT.iterdir()}, {p.name for p in FIXTURE_DATA.iterdir()}) == before
    # --no-cache reads every file and leaves the cache alone.
    other = tmp_path / "other" / "y.duckdb"
    assert main(["build", "--no-cache", "--data", str(FIXTURE_DATA), "--out", str(other)]) == 0
    assert sorted(p.name for p in other.parent.iterdir()) == ["y.duckdb"]


def test_the_cli_says_how_many_files_came_from_the_cache(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CHATBOT_WATCH_DB", raising=False)
    out = tmp_path / "x.duckdb"
    assert main(["build", "--data", str(FIXTURE_DATA), "--out", str(out)]) == 0
    assert ", 5 data files, in " in capsys.readouterr().out
    assert main(["build", "--data", str(FIXTURE_DATA), "--out", str(out)]) == 0
    assert (
        ", 5 data files (5 read from the cache); the previous database patched (0 records changed), in "
        in capsys.readouterr().out
    )


def test_a_link_in_the_cache_folders_place_is_not_followed(tmp_path: Path, data_copy: Path) -> None:
    target = tmp_path / "target"
    target.mkdir()
    cache = tmp_path / "cache"
    cache.symlink_to(target)
    ds, problems = load(data_copy, TODAY, cache_dir=cache)
    assert problems == [] and _names(ds.parsed) == RECORD_FILES
    assert list(target.iterdir()) == []


def test_the_real_data_from_the_cache_is_the_same(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = _seen(*load(REAL_DATA, TODAY, cache_dir=cache))
    ds, problems = load(REAL_DATA, TODAY, cache_dir=cache)
    assert ds.parsed == []
    assert _seen(ds, problems) == first == _seen(*load(REAL_DATA, TODAY))

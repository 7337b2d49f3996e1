"""A rebuild that patches the previous database (patch.py) gives exactly the database a full build
gives: every table, the change log included, after edits of every kind of record."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from chatbot_watch.datamodel.schema import KIND_BY_NAME
from chatbot_watch.datamodel.sqlviews import VIEWS
from chatbot_watch.reading.fast.fastread import record_chunks
from chatbot_watch.reading.load import kind_files
from chatbot_watch.store import duck
from chatbot_watch.store.build import BuildError, build
from tests.conftest import REAL_DATA, all_tables, built_once, edit

TODAY = dt.date.today()  # the real data is checked as of today


def _rewrite(data: Path, name: str, change: Callable[[list[str]], list[str]]) -> None:
    """Rewrite the records of a data file, each as its text (fastread.record_chunks)."""
    path = _kind_file(data, name)
    text = path.read_text(encoding="utf-8")
    chunks = record_chunks(text, name.removesuffix(".yaml"))
    assert chunks is not None
    head = text[: text.index(chunks[0][1])]
    path.write_text(head + "".join(change([c for _, c in chunks])), encoding="utf-8")


def _kind_file(data: Path, name: str) -> Path:
    """data/<kind>.yaml, or the largest data/<kind>/*.yaml where the kind is split into a folder."""
    single = data / name
    if single.exists():
        return single
    return max((data / name.removesuffix(".yaml")).glob("*.yaml"), key=lambda p: p.stat().st_size)


def _set(chunk: str, field: str, value: str) -> str:
    """A record's text with one top-level field (and its folded lines) replaced."""
    new, n = re.subn(rf"^  {field}:.*(\n    .*)*", lambda _: f"  {field}: {value}", chunk, count=1, flags=re.M)
    assert n == 1, f"no {field} in {chunk[:40]!r}"
    return new


def _first(change: Callable[[str], str], index: int = 0) -> Callable[[list[str]], list[str]]:
    return lambda chunks: [change(c) if i == index else c for i, c in enumerate(chunks)]


def _new_finding_first(chunks: list[str]) -> list[str]:
    """A new finding before all others, citing the URL another finding cites, with another publisher."""
    copy = _set(re.sub(r"^- id: .*", "- id: AF-900", chunks[-1], count=1), "notes", "'A new finding, first.'")
    copy = _set(copy, "auditor", "Another auditor")
    copy = re.sub(r"^    publisher: .*$", "    publisher: Another publisher", copy, count=1, flags=re.M)
    return [copy, *chunks]


EDITS: dict[str, Callable[[Path], None]] = {
    "a finding's notes": lambda d: _rewrite(d, "findings.yaml", _first(lambda c: _set(c, "notes", "'Edited.'"))),
    "a finding's source moved to a new page": lambda d: _rewrite(
        d,
        "findings.yaml",
        _first(lambda c: re.sub(r"^  - url: .*$", "  - url: https://example.org/new-page", c, count=1, flags=re.M), 3),
    ),
    "a new finding first, citing a page cited before": lambda d: _rewrite(d, "findings.yaml", _new_finding_first),
    "a finding removed": lambda d: _rewrite(d, "findings.yaml", lambda c: c[:-1]),
    "a parent company renamed": lambda d: edit(d, "companies.yaml", "name: ByteDance", "name: ByteDance Ltd."),
    "a company's parent changed": lambda d: edit(d, "companies.yaml", "- company: bytedance", "- company: high-flyer"),
    "an app renamed": lambda d: edit(d, "apps.yaml", "name: Google Gemini", "name: Gemini"),
    "an action's authority": lambda d: _rewrite(
        d, "actions.yaml", _first(lambda c: _set(c, "authority", "Someone"), 5)
    ),
    "a data type's label": lambda d: edit(d, "data_types.yaml", "label: Chat content and prompts", "label: Chats"),
    "the dataset's title": lambda d: edit(d, "dataset.yaml", 'title: "', 'title: "Renamed '),
    "a comment only": lambda d: _rewrite(d, "findings.yaml", _first(lambda c: c.replace("\n", "\n# a comment\n", 1))),
}
# Edits a patch does not make: a full build follows, with the same result.
FULL = {
    "two findings swapped": lambda d: _rewrite(d, "findings.yaml", lambda c: [c[1], c[0], *c[2:]]),
    "every finding's and action's notes": lambda d: _every_record(d, ("findings", "actions"), "notes", "'All.'"),
}


def _every_record(data: Path, kinds: tuple[str, ...], field: str, value: str) -> None:
    """One field of every record of the kinds, in every file of theirs: more than the share a patch
    takes, whatever the data holds (a test that edited one file stopped being "too many" as the
    data grew)."""
    for kind in kinds:
        for path in kind_files(data, KIND_BY_NAME[kind]):
            text = path.read_text(encoding="utf-8")
            chunks = record_chunks(text, kind)
            assert chunks is not None, path
            head = text[: text.index(chunks[0][1])]
            path.write_text(head + "".join(_set(c, field, value) for _, c in chunks), encoding="utf-8")


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The real data and a cached build of it, made once per run (conftest.built_once: the
    module's tests may run on several workers); each test copies both."""

    def make(root: Path) -> Path:
        shutil.copytree(REAL_DATA, root / "data")
        build(root / "data", root / "db" / "real.duckdb", today=TODAY)
        return root / "db" / "real.duckdb"

    db = built_once(tmp_path_factory, "patch-base", make)
    return db.parent.parent / "data", db


def _patched_and_full(
    base: tuple[Path, Path],
    tmp_path: Path,
    edits: list[Callable[[Path], None]],
    compare: bool = True,
    compare_last: bool = False,
) -> list[int | None]:
    """Apply `edits` one after another to a copy of the data, rebuilding (patching) after each,
    and check each result (`compare`), or only the last one (`compare_last`), against a full build
    over the same previous database (left in tmp_path/full)."""
    data = tmp_path / "data"
    shutil.copytree(base[0], data)
    db = tmp_path / "db" / "real.duckdb"
    shutil.copytree(base[1].parent, db.parent)
    patched = []
    for i, change in enumerate(edits):
        reference = tmp_path / "full" / "real.duckdb"
        reference.parent.mkdir(exist_ok=True)
        shutil.copyfile(db, reference)  # the same previous build, so the same change log
        change(data)
        result = build(data, db, today=TODAY)
        if compare or (compare_last and i == len(edits) - 1):
            build(data, reference, today=TODAY, cache=False)
            assert all_tables(db) == all_tables(reference)
        patched.append(result.patched)
    return patched


# Edits made together (of different kinds, so that each pair costs one pair of builds): the
# records changed in each, as the build counts them.
TOGETHER = {
    ("a finding's notes", "an action's authority"): 2,
    ("a finding's source moved to a new page",): 1,
    ("a new finding first, citing a page cited before", "a finding removed"): 2,
    ("a parent company renamed", "a data type's label"): 2,
    ("a company's parent changed", "an app renamed"): 2,
    ("the dataset's title", "a comment only"): 1,
}


def test_every_edit_is_made_together_with_another() -> None:
    assert sorted(n for names in TOGETHER for n in names) == sorted(EDITS)


@pytest.mark.parametrize("names", list(TOGETHER), ids=" + ".join)
def test_a_patched_database_is_the_full_build(base: tuple[Path, Path], tmp_path: Path, names: tuple[str, ...]) -> None:

    def change(data: Path) -> None:
        for name in names:
            EDITS[name](data)

    [n] = _patched_and_full(base, tmp_path, [change])
    assert n == TOGETHER[names], "the database was built whole, or not with the records changed"


@pytest.mark.parametrize("name", list(FULL))
def test_what_a_patch_cannot_do_is_built_whole(base: tuple[Path, Path], tmp_path: Path, name: str) -> None:
    assert _patched_and_full(base, tmp_path, [FULL[name]], compare=False) == [None]


def test_patches_in_a_row_stay_the_full_build(base: tuple[Path, Path], tmp_path: Path) -> None:
    names = ["a finding's notes", "a company's parent changed", "an app renamed"]
    found = _patched_and_full(base, tmp_path, [EDITS[n] for n in names])
    assert None not in found


def test_the_change_log_of_a_patched_build_names_the_edit(base: tuple[Path, Path], tmp_path: Path) -> None:
    data, db = tmp_path / "data", tmp_path / "real.duckdb"
    shutil.copytree(base[0], data)
    shutil.copyfile(base[1], db)
    shutil.copytree(base[1].parent / f".{base[1].name}.cache", tmp_path / f".{db.name}.cache")
    EDITS["an app renamed"](data)
    assert build(data, db, today=TODAY).patched == 1
    con = duck.connect(db)
    try:
        rows = con.execute("SELECT kind, record_id, change, field, new FROM change_log ORDER BY seq DESC LIMIT 1")
        assert rows.fetchall() == [("app", "gemini", "changed", "name", '"Gemini"')]
        names = con.execute("SELECT DISTINCT app_name FROM app_flows WHERE app_id = 'gemini'").fetchall()
        assert names == [("Gemini",)]
    finally:
        con.close()


def test_a_file_the_whole_read_refuses_is_refused_and_the_database_kept(
    base: tuple[Path, Path], tmp_path: Path
) -> None:
    """A record indented by an editor: a whole read finds a syntax error; the rebuild must too
    (found by review: the record-by-record reread took it as unchanged and dropped the record)."""
    data, db = tmp_path / "data", tmp_path / "real.duckdb"
    shutil.copytree(base[0], data)
    shutil.copyfile(base[1], db)
    assert build(data, db, today=TODAY).patched == 0  # the cache now holds this folder's files
    before = all_tables(db)
    _rewrite(data, "findings.yaml", lambda c: ["".join(f"  {line}" for line in c[0].splitlines(keepends=True)), *c[1:]])
    with pytest.raises(BuildError) as refused:
        build(data, db, today=TODAY)
    assert any(p.field == "(yaml)" and "syntax error" in p.message for p in refused.value.problems)
    assert all_tables(db) == before


def test_a_database_made_by_other_code_is_not_patched(base: tuple[Path, Path], tmp_path: Path) -> None:
    data, db = tmp_path / "data", tmp_path / "real.duckdb"
    shutil.copytree(base[0], data)
    shutil.copyfile(base[1], db)
    con = duckdb.connect(str(db))
    try:
        con.execute("UPDATE build_info SET value = 'another' WHERE key = 'build_key'")
    finally:
        con.close()
    assert build(data, db, today=TODAY).patched is None
    assert build(data, db, today=TODAY).patched == 0  # its own key from then on


def test_each_view_reads_the_kinds_it_declares(base: tuple[Path, Path]) -> None:
    """model.View.reads lists every kind whose table (or item table) a view's SQL reads: a patch
    redoes a view's rows only when one of those kinds changed."""
    from chatbot_watch.datamodel.storage import MODEL

    owner = {s.table.name: s.kind.name for s in MODEL.stored}
    owner |= {it.table.name: s.kind.name for s in MODEL.stored for it in s.items}
    con = duck.connect(base[1])
    try:
        for view in VIEWS:
            sql = con.execute("SELECT sql FROM duckdb_views() WHERE view_name = ?", [view.name]).fetchone()
            assert sql is not None
            read = {owner[t] for t in re.findall(r"\b(?:FROM|JOIN)\s+(\w+)", sql[0]) if t in owner}
            assert read == set(view.reads), view.name
            assert {k for k, _ in view.refresh_by} <= read
    finally:
        con.close()


def test_the_state_tables_are_not_exported(base: tuple[Path, Path], tmp_path: Path) -> None:
    from chatbot_watch.store.export import export

    con = duck.connect(base[1])
    try:
        state = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    finally:
        con.close()
    assert {"build_info", "record_digests"} <= state  # the build keeps them ...
    export(base[1], tmp_path / "export")
    written = {p.name.split(".")[0] for p in (tmp_path / "export").rglob("*") if p.is_file()}
    assert "findings" in written
    assert written.isdisjoint({"build_info", "record_digests"})  # ... and the export leaves them out
    package = (tmp_path / "export" / "datapackage.json").read_text(encoding="utf-8")
    assert "record_digests" not in package and "build_info" not in package


def test_the_app_shows_the_same_on_a_patched_database(base: tuple[Path, Path], tmp_path: Path) -> None:
    """Every view the app draws, from a patched database and from a full build of the same data:
    the same rows in the same order (a query whose order follows the rows' physical order would
    differ, since a patch appends the rows it rewrites)."""
    import pandas as pd

    from chatbot_watch import queries
    from chatbot_watch.filters import Filters
    from chatbot_watch.queries import chartdata
    from chatbot_watch.store import events

    names = ["a finding's notes", "an app renamed", "a company's parent changed", "an action's authority"]
    # (each edit's patch is compared table by table in the tests above; here the views, at the end)
    _patched_and_full(base, tmp_path, [EDITS[n] for n in names], compare=False, compare_last=True)
    views = {
        "flows": lambda c, f: queries.flows(c, f),
        "restrictions": lambda c, f: queries.restrictions(c, f),
        "headline": lambda c, f: queries.headline(c, f),
        "map_counts": lambda c, f: chartdata.map_counts(c, f),
        "answers": lambda c, f: queries.answers(c, f),
        "undated": lambda c, f: queries.undated(c, f),
        "flow_matrix": lambda c, f: chartdata.flow_matrix(c, f),
        "evidence_counts": lambda c, f: chartdata.evidence_counts(c, f),
        "actions_by_type": lambda c, f: chartdata.actions_by_type(c, f),
        "timeline": lambda c, f: chartdata.timeline(c, f, TODAY),
        "events": lambda c, f: events.events(c, f).rows,
        "companies": lambda c, f: queries.companies(c, f),
        "regulator_findings": lambda c, f: queries.regulator_findings(c, "KR", f),
        "sources_list": lambda c, _: queries.sources_list(c),
        "filter_options": lambda c, _: queries.filter_options(c),
    }
    shown: dict[str, list[object]] = {}
    for name in ("db", "full"):
        con = queries.connect(str(tmp_path / name / "real.duckdb"))
        try:
            shown[name] = [
                view(con, f) for view in views.values() for f in (Filters(), Filters(app=("gemini",), country=("KR",)))
            ]
        finally:
            con.close()
    for (label, f_index), a, b in zip(
        [(n, i) for n in views for i in range(2)], shown["db"], shown["full"], strict=True
    ):
        if isinstance(a, pd.DataFrame):
            pd.testing.assert_frame_equal(a, b, obj=f"{label} (filters {f_index})")
        else:
            assert a == b, label

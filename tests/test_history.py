"""The change log comes from the repository's history of data/: every clone tells the same history."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from chatbot_watch import queries
from chatbot_watch.queries import recordpage
from chatbot_watch.store import duck, history
from chatbot_watch.store.build import build
from tests.conftest import FIXTURE_DATA, edit


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=T", "-c", "user.email=t@example.org", *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository whose data/ has two commits: the fixture data, then one finding changed."""
    root = tmp_path / "repo"
    (root / "data").mkdir(parents=True)
    for f in FIXTURE_DATA.iterdir():
        (root / "data" / f.name).write_bytes(f.read_bytes())
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "data")
    git(root, "commit", "-q", "-m", "Import")
    edit(root / "data", "findings.yaml", "evidence_status: alleged", "evidence_status: observed_by_auditor")
    git(root, "commit", "-q", "-am", "AF-004: observed")
    return root


def rows(db: Path) -> list[tuple[str, str, str]]:
    con = duck.connect(db)
    try:
        return con.execute("SELECT data_version, record_id, summary FROM change_log ORDER BY seq").fetchall()
    finally:
        con.close()


def test_change_log_lists_each_commits_record_changes(repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "db.duckdb"
    build(repo / "data", out)
    log = rows(out)
    first, second = git(repo, "rev-parse", "HEAD~1")[:12], git(repo, "rev-parse", "HEAD")[:12]
    assert {(v, r) for v, r, _ in log if v == first} >= {(first, "AF-001"), (first, "CA-001"), (first, "deepseek")}
    assert [(v, r, s) for v, r, s in log if v == second] == [
        (second, "AF-004", "changed finding AF-004: evidence_status: 'alleged' -> 'observed_by_auditor'")
    ]
    # The record page's history of AF-004: added by the first commit, changed by the second.
    con = queries.connect(str(out))
    assert list(recordpage.record_history(con, "finding", "AF-004")["data_version"]) == [first, second]


def test_a_fresh_clone_builds_the_same_history(repo: Path, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(repo), str(clone)], check=True)
    a, b = tmp_path / "a.duckdb", tmp_path / "b.duckdb"
    build(repo / "data", a)
    build(clone / "data", b)  # no earlier database: the history still comes whole
    assert rows(a) == rows(b) and len(rows(a)) > 10


def test_uncommitted_edits_are_the_newest_rows(repo: Path, tmp_path: Path) -> None:
    edit(repo / "data", "apps.yaml", "name: Gemini", "name: Google Gemini")
    out = tmp_path / "db.duckdb"
    version = build(repo / "data", out).data_version
    assert rows(out)[-1] == (version, "gemini", "changed app gemini: name: 'Gemini' -> 'Google Gemini'")


def test_outside_a_repository_there_is_no_git_history(tmp_path: Path, data_copy: Path) -> None:
    assert history.changes(data_copy) == []
    out = tmp_path / "db.duckdb"
    build(data_copy, out)
    assert [s for _, _, s in rows(out)][0].startswith("First build of the dataset")


def test_uncommitted_reads_only_the_changed_files_and_finds_every_change(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = repo / "data"
    edit(data, "apps.yaml", "name: Gemini", "name: Google Gemini")
    # A finding moved into a new, untracked file of a folder; another file removed.
    text = (data / "findings.yaml").read_text(encoding="utf-8")
    head, moved = text.split("\n- id: AF-004", 1)
    (data / "findings.yaml").write_text(head + "\n", encoding="utf-8")
    (data / "findings").mkdir()
    (data / "findings" / "0001.yaml").write_text("findings:\n- id: AF-004" + moved, encoding="utf-8")
    (data / "data_types.yaml").unlink()
    read: list[list[str]] = []
    merge = history._merge  # what each snapshot read: the files it takes its records from
    monkeypatch.setattr(history, "_merge", lambda files: read.append(sorted(rel for rel, _ in files)) or merge(files))

    found = history.uncommitted(data)
    files = ["apps.yaml", "data_types.yaml", "findings.yaml", "findings/0001.yaml"]
    assert read == [[f for f in files if f != "findings/0001.yaml"], [f for f in files if f != "data_types.yaml"]]
    monkeypatch.setattr(history, "_merge", merge)
    whole = history.compare(
        history.snapshot(repo, "data", git(repo, "rev-parse", "HEAD")), history.working_snapshot(data)
    )
    assert found == whole
    assert {(c.kind, c.record_id, c.change) for c in found} == {("app", "gemini", "changed")} | {
        ("data_type", c.record_id, "removed") for c in whole if c.kind == "data_type"
    }
    assert len([c for c in found if c.kind == "data_type"]) == 3  # AF-004 moved, not changed: no row


def test_a_file_unchanged_between_commits_is_read_once(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reading the whole history (a fresh clone has no cache) parses each version of a data file
    once: a commit changes a file or two, and the others are the blobs the commit before had."""
    edit(repo / "data", "apps.yaml", "name: DeepSeek", "name: DeepSeek AI")
    git(repo, "commit", "-q", "-am", "DeepSeek renamed")
    blobs = set()
    for sha in git(repo, "rev-list", "HEAD").split():
        blobs |= {line.split()[2] for line in git(repo, "ls-tree", "-r", sha, "--", "data").splitlines()}
    parsed: list[str] = []
    parse = history._parse
    monkeypatch.setattr(history, "_parse", lambda text: parsed.append(text) or parse(text))

    found = history.changes(repo / "data", cache_dir=tmp_path / "cache")
    assert len(parsed) == len(blobs) < 3 * len(list((repo / "data").iterdir()))
    assert [len(c) for _, c in found][1:] == [1, 1]  # AF-004's status, then the app's name
    monkeypatch.undo()
    again = history.changes(repo / "data", cache_dir=tmp_path / "other-cache")
    assert again == found

"""`diff`: records added, removed and changed, field by field, between two builds."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from chatbot_watch.cli import main
from chatbot_watch.store.build import build
from chatbot_watch.store.diff import Change, _shown_pair, changes, summary
from tests.conftest import FIXTURE_DATA, edit

TODAY = dt.date(2026, 11, 29)

CA_099 = """
- id: CA-099
  jurisdiction: DE
  subdivision: DE-BE
  authority: Berlin Commissioner for Data Protection
  action_type: delisting_request
  scope: all_users
  apps: [deepseek]
  announced: 2025-06-27
  status: pending
  sources:
  - url: https://example.org/berlin-delisting
    publisher: Example
    published: 2025-06-27
    accessed: null
    quote: Berlin asked Apple and Google to remove DeepSeek from their stores.
"""

EXPECTED = [
    "changed dataset dataset.yaml: as_of: '2026-06-30' -> '2026-07-01'",
    "changed company volcano-engine: domains: ['volces.com'] -> ['volces.com', 'volcengine.com']",
    "changed company volcano-engine: parents[0].note: 'PIPC called it an affiliate of ByteDance' -> "
    "'PIPC called it a ByteDance affiliate'",
    "changed app gemini: name: 'Gemini' -> 'Google Gemini'",
    "changed finding AF-001: evidence_status: 'confirmed_by_regulator' -> 'acknowledged_by_company'",
    "changed finding AF-001: data_types: ['chat_content', 'device_info'] -> ['chat_content']",
    "changed finding AF-004: sources[0].quote: 'includes a function to collect keyboard input patterns' -> "
    "'includes a function that collects keyboard input patterns'",
    "removed action CA-010",
    "added action CA-099",
    "added source https://example.org/berlin-delisting",
    "removed source https://example.org/garante-deepseek",
]


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The fixture data built as is (old) and after a maintainer's edits (new)."""
    root = tmp_path_factory.mktemp("diff")
    new_data = root / "new"
    shutil.copytree(FIXTURE_DATA, new_data)
    edit(new_data, "dataset.yaml", "as_of: 2026-06-30", "as_of: 2026-07-01")
    edit(new_data, "companies.yaml", "domains: [volces.com]", "domains: [volces.com, volcengine.com]")
    edit(
        new_data,
        "companies.yaml",
        "note: PIPC called it an affiliate of ByteDance",
        "note: PIPC called it a ByteDance affiliate",
    )
    edit(new_data, "apps.yaml", "name: Gemini", "name: Google Gemini")
    edit(
        new_data, "findings.yaml", "evidence_status: confirmed_by_regulator", "evidence_status: acknowledged_by_company"
    )
    edit(new_data, "findings.yaml", "data_types: [chat_content, device_info]", "data_types: [chat_content]")
    edit(new_data, "findings.yaml", "a function to collect keyboard", "a function that collects keyboard")
    actions = (new_data / "actions.yaml").read_text(encoding="utf-8")
    start, end = actions.index("- id: CA-010"), actions.index("- id: CA-050")
    (new_data / "actions.yaml").write_text(actions[:start] + actions[end:] + CA_099, encoding="utf-8")
    old_db, new_db = root / "old.duckdb", root / "new.duckdb"
    build(FIXTURE_DATA, old_db, today=TODAY)
    build(new_data, new_db, today=TODAY)
    return old_db, new_db


def test_each_added_removed_and_changed_record_is_named(builds: tuple[Path, Path]) -> None:
    assert [c.text() for c in changes(*builds)] == EXPECTED


def test_change_records_for_reuse(builds: tuple[Path, Path]) -> None:
    by_key = {(c.kind, c.id, c.change, c.field): c for c in changes(*builds)}
    status = by_key[("finding", "AF-001", "changed", "evidence_status")]
    assert (status.old, status.new) == ("confirmed_by_regulator", "acknowledged_by_company")
    added = by_key[("action", "CA-099", "added", None)]
    assert added.old is None
    assert added.new["jurisdiction"] == "DE" and added.new["apps"] == ["deepseek"]
    assert added.new["sources"] == ["https://example.org/berlin-delisting"]
    removed = by_key[("action", "CA-010", "removed", None)]
    assert removed.new is None and removed.old["authority"] == "Garante per la protezione dei dati personali"


def test_reversed_builds_swap_added_and_removed(builds: tuple[Path, Path]) -> None:
    old, new = builds
    back = {(c.kind, c.id, c.change) for c in changes(new, old) if c.change != "changed"}
    assert back == {
        ("action", "CA-010", "added"),
        ("action", "CA-099", "removed"),
        ("source", "https://example.org/garante-deepseek", "added"),
        ("source", "https://example.org/berlin-delisting", "removed"),
    }


def test_same_build_has_no_differences(builds: tuple[Path, Path]) -> None:
    old, _ = builds
    assert changes(old, old) == []
    assert summary([]) == "no differences"


def test_cli_text_json_and_exit_code(builds: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    old, new = builds
    assert main(["diff", str(old), str(new)]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == EXPECTED
    assert err.startswith("2 added, 2 removed, 5 changed (7 field(s)) from ")
    assert main(["diff", "--exit-code", str(old), str(new)]) == 1
    capsys.readouterr()
    assert main(["diff", "--exit-code", str(old), str(old)]) == 0
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("no differences from ")
    assert main(["diff", "--json", str(old), str(new)]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["old"]["as_of"] == "2026-06-30" and doc["new"]["as_of"] == "2026-07-01"
    assert doc["changes"][0] == {
        "kind": "dataset",
        "id": "dataset.yaml",
        "change": "changed",
        "field": "as_of",
        "old": "2026-06-30",
        "new": "2026-07-01",
    }
    assert len(doc["changes"]) == len(EXPECTED)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.duckdb", None, "missing.duckdb: database file not found"),
        ("text.duckdb", "not a database\n", "text.duckdb: cannot open as a DuckDB database"),
    ],
)
def test_unreadable_database_is_one_line_and_exit_2(
    builds: tuple[Path, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    content: str | None,
    message: str,
) -> None:
    bad = tmp_path / name
    if content is not None:
        bad.write_text(content)
    assert main(["diff", str(builds[0]), str(bad)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert len(err.strip().splitlines()) == 1 and message in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("old", "new", "shown"),
    [
        ("alleged", "confirmed_by_regulator", ("'alleged'", "'confirmed_by_regulator'")),
        (None, "2025-04", ("null", "'2025-04'")),
        (["a"], [], ("['a']", "[]")),
        (
            "a" * 100 + "X" + "b" * 100,
            "a" * 100 + "Y" + "b" * 100,
            (f"'…{'a' * 30}X{'b' * 30}…'", f"'…{'a' * 30}Y{'b' * 30}…'"),
        ),
        ("x" * 130, "x" * 130 + " Update.", (f"'…{'x' * 30}'", f"'…{'x' * 30} Update.'")),
    ],
)
def test_values_are_shown_briefly(old: object, new: object, shown: tuple[str, str]) -> None:
    assert _shown_pair(old, new) == shown


def test_change_text_for_added_and_removed() -> None:
    assert Change("company", "foo", "removed", None, {}, None).text() == "removed company foo"
    assert Change("action", "CA-099", "added", None, None, {}).text() == "added action CA-099"

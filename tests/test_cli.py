"""`python -m chatbot_watch`: exit codes, one line per problem, never a traceback."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from chatbot_watch.cli import main
from tests.conftest import FIXTURE_DATA, ROOT, edit

LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+): (?P<field>[^:]+): (?P<message>.+)$")


def run(*args: str, env: dict[str, str] | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "chatbot_watch", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_validate_real_data_passes() -> None:
    r = run("validate")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "valid (" in r.stdout


def test_validate_reports_every_problem_one_per_line(data_copy: Path) -> None:
    edit(data_copy, "findings.yaml", "recipient_countries: [CN]", "recipient_countries: [XX]")
    edit(data_copy, "actions.yaml", "url: https://example.org/texas-ban", "url: javascript:alert(1)")
    edit(data_copy, "apps.yaml", "developer: deepseek", "developer: nobody")
    r = run("validate", "--data", str(data_copy))
    assert r.returncode == 1
    assert "Traceback" not in r.stdout + r.stderr
    lines = r.stdout.strip().splitlines()
    assert len(lines) == 3
    parsed = [LINE.match(x) for x in lines]
    assert all(parsed), lines
    assert {(Path(m["path"]).name, m["field"]) for m in parsed if m} == {
        ("findings.yaml", "recipient_countries[0]"),
        ("actions.yaml", "sources[0].url"),
        ("apps.yaml", "developer"),
    }
    assert "3 problem(s)" in r.stderr


def test_build_refuses_bad_data_and_keeps_the_old_database(data_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "db.duckdb"
    ok = run("build", "--data", str(data_copy), "--out", str(out))
    assert ok.returncode == 0, ok.stderr
    assert "built" in ok.stdout and "data version" in ok.stdout and " s" in ok.stdout
    before = out.read_bytes()
    edit(data_copy, "actions.yaml", "lifted: 2025-04-28", "lifted: 2024-01-01")
    bad = run("build", "--data", str(data_copy), "--out", str(out))
    assert bad.returncode == 1
    assert "lifted (2024-01-01) is before announced" in bad.stdout
    assert "left as it was" in bad.stderr
    assert out.read_bytes() == before


def test_environment_and_flags_choose_folders(tmp_path: Path) -> None:
    out = tmp_path / "env.duckdb"
    r = run("build", env={"CHATBOT_WATCH_DATA_DIR": str(FIXTURE_DATA), "CHATBOT_WATCH_DB": str(out)})
    assert r.returncode == 0, r.stderr
    assert "2 findings" in r.stdout and out.exists()
    # A flag wins over the environment.
    flag_out = tmp_path / "flag.duckdb"
    r = run(
        "build", "--out", str(flag_out), env={"CHATBOT_WATCH_DATA_DIR": str(FIXTURE_DATA), "CHATBOT_WATCH_DB": str(out)}
    )
    assert r.returncode == 0 and flag_out.exists()


def test_bad_settings_file_is_a_clear_message(tmp_path: Path) -> None:
    cfg = tmp_path / "config.yaml"
    cfg.write_text("site_title: [unclosed\n")
    r = run("validate", env={"CHATBOT_WATCH_CONFIG": str(cfg)})
    assert r.returncode == 2
    assert "settings error" in r.stderr and "config.yaml:" in r.stderr
    assert "Traceback" not in r.stderr


def test_missing_data_folder(tmp_path: Path) -> None:
    r = run("validate", "--data", str(tmp_path / "nope"))
    assert r.returncode == 1
    assert r.stdout.strip() == f"{tmp_path / 'nope'}:1: (folder): data folder does not exist"


# --- maintainer tools: export, diff, import-har, check-sources -----------------------------------


def test_export_builds_the_missing_database_then_exports(tmp_path: Path) -> None:
    db, out = tmp_path / "missing.duckdb", tmp_path / "open-data"
    r = run("export", "--out", str(out), env={"CHATBOT_WATCH_DATA_DIR": str(FIXTURE_DATA), "CHATBOT_WATCH_DB": str(db)})
    assert r.returncode == 0, r.stderr
    assert db.exists() and f"{db} does not exist yet; building it" in r.stderr
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert r.stdout.startswith(f"exported {len(package['resources'])} tables (") and "as of 2026-06-30" in r.stdout
    assert (out / "flows.parquet").is_file()


def test_export_into_a_foreign_folder_is_refused(fixture_db_copy: Path) -> None:
    db = fixture_db_copy
    r = run("export", "--db", str(db), "--out", str(ROOT / "data"))
    assert r.returncode == 2
    assert (
        r.stderr == f"export error: {ROOT / 'data'} is not empty and holds no earlier Chatbot Watch export; "
        "choose a new or empty folder\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("diff", "nope-old.duckdb", "nope-new.duckdb"), "diff error: nope-old.duckdb: database file not found"),
        (
            ("import-har", "broken.har", "--app", "deepseek", "--platform", "web"),
            "import-har: broken.har:1: not a HAR file",
        ),
        (("check-sources", "--data", "nope"), "check-sources: nope: data folder does not exist"),
    ],
)
def test_maintainer_tools_fail_with_one_line_and_exit_2(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    (tmp_path / "broken.har").write_text('{"log": ', encoding="utf-8")
    r = run(*args, cwd=tmp_path, env={"CHATBOT_WATCH_CONFIG": str(ROOT / "config.yaml"), "PYTHONPATH": str(ROOT)})
    assert r.returncode == 2
    assert r.stdout == ""
    assert r.stderr.startswith(message) and r.stderr.count("\n") == 1
    assert "Traceback" not in r.stderr


def test_every_command_is_in_the_readme(capsys: pytest.CaptureFixture[str]) -> None:
    from chatbot_watch.cli import main

    with pytest.raises(SystemExit):
        main(["--help"])
    commands = re.search(r"\{([a-z,-]+)\}", capsys.readouterr().out)
    assert commands
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [c for c in commands.group(1).split(",") if f"python -m chatbot_watch {c}" not in readme]
    assert missing == []


def test_build_of_the_apps_own_database_writes_its_feeds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # `make build` builds the app's own database (its settings' db_path), so its feeds too.
    feeds = tmp_path / "feeds"
    cfg = tmp_path / "config.yaml"
    cfg.write_text(
        f"site_title: Test\ndata_dir: {FIXTURE_DATA}\ndb_path: {tmp_path / 'app.duckdb'}\nfeeds_dir: {feeds}\n"
    )
    monkeypatch.setenv("CHATBOT_WATCH_CONFIG", str(cfg))
    monkeypatch.delenv("CHATBOT_WATCH_DB", raising=False)
    assert main(["build", "--data", str(FIXTURE_DATA), "--out", str(tmp_path / "app.duckdb")]) == 0
    assert (feeds / "changes.xml").is_file()
    other = tmp_path / "elsewhere" / "x.duckdb"
    other.parent.mkdir()
    assert main(["build", "--data", str(FIXTURE_DATA), "--out", str(other)]) == 0
    # No feeds beside another build: the database and its file cache only.
    assert sorted(p.name for p in other.parent.iterdir()) == [".x.duckdb.cache", "x.duckdb"]


def test_build_elsewhere_writes_feeds_only_where_told(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The Dockerfile's build stage: `build --out /out/build/chatbot_watch.duckdb --feeds /out/feeds`.
    monkeypatch.delenv("CHATBOT_WATCH_DB", raising=False)
    out = tmp_path / "out" / "build" / "chatbot_watch.duckdb"
    feeds = tmp_path / "out" / "feeds"
    assert main(["build", "--data", str(FIXTURE_DATA), "--out", str(out), "--feeds", str(feeds)]) == 0
    assert (feeds / "changes.xml").read_text(encoding="utf-8").startswith("<?xml")
    assert sorted(p.name for p in out.parent.iterdir()) == [".chatbot_watch.duckdb.cache", "chatbot_watch.duckdb"]

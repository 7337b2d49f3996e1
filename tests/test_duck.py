"""Every DuckDB connection the project opens is hardened; the export reads only the tables and
views a build makes, so a database file planted with a view cannot hand out a local file
(issue 13, item 5)."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import duckdb
import pytest

from chatbot_watch import queries
from chatbot_watch.store import diff, duck
from chatbot_watch.store.export import ExportError, export
from chatbot_watch.views.downloads import package_zip
from tests.conftest import ROOT

SECRET = "s3cret-token-from-a-local-file"


@pytest.fixture
def built(fixture_db: Path) -> Path:
    return fixture_db  # read only: _plant changes a copy


def _plant(built: Path, tmp_path: Path, table: str, body: str) -> Path:
    """A copy of the build where `table` is replaced by a view `SELECT <body>` over each column."""
    (tmp_path / "secret.txt").write_text(SECRET, encoding="utf-8")
    db = tmp_path / "planted.duckdb"
    shutil.copy(built, db)
    con = duckdb.connect(str(db))
    try:
        cols = [r[0] for r in con.execute(f'DESCRIBE "{table}"').fetchall()]
        kind = con.execute("SELECT count(*) FROM duckdb_views() WHERE view_name = ?", [table]).fetchone()[0]
        con.execute(f'DROP {"VIEW" if kind else "TABLE"} "{table}"')
        select = ", ".join(f'{body.format(secret=tmp_path / "secret.txt")} AS "{c}"' for c in cols)
        con.execute(f'CREATE VIEW "{table}" AS SELECT {select}')
    finally:
        con.close()
    return db


READ_SECRET = "(SELECT content FROM read_text('{secret}'))"


@pytest.mark.parametrize("table", ["company_domains", "flows", "apps"])
def test_export_and_zip_refuse_a_view_they_did_not_create(built: Path, tmp_path: Path, table: str) -> None:
    db = _plant(built, tmp_path, table, READ_SECRET)
    with pytest.raises(ExportError, match=f"{table} is a view the build did not create"):
        export(db, tmp_path / "out")
    assert not (tmp_path / "out").exists()
    with pytest.raises(ExportError):
        package_zip(db)


def test_even_an_unchecked_reader_cannot_read_files_through_a_view(built: Path, tmp_path: Path) -> None:
    db = _plant(built, tmp_path, "company_domains", READ_SECRET)
    # one at a time: DuckDB refuses two configurations on one file in one process
    opens = (
        lambda: queries.connect(str(db)),
        lambda: diff._connect(db),
        lambda: duck.connect(db, allowed_dirs=[tmp_path / "out"]),
    )
    for open_ in opens:
        con = open_()
        with pytest.raises(duckdb.PermissionException):
            con.execute("SELECT * FROM company_domains").fetchall()
        con.close()


@pytest.mark.parametrize(
    "statement",
    [
        "SELECT * FROM read_csv('/etc/passwd')",
        "COPY meta TO '/tmp/chatbot-watch-copy.csv'",
        "ATTACH '/tmp/chatbot-watch-other.duckdb' AS other",
        "SET enable_external_access = true",
        "SET autoload_known_extensions = true",
        "INSTALL httpfs",
        "LOAD httpfs",
        "SELECT * FROM 'https://evil.example/x.csv'",
    ],
)
def test_every_reading_connection_is_hardened(built: Path, statement: str) -> None:
    for open_ in (lambda: queries.connect(str(built)), lambda: diff._connect(built), lambda: duck.connect(None)):
        con = open_()
        with pytest.raises(duckdb.Error):
            con.execute(statement)
        settings = con.execute(
            "SELECT current_setting('enable_external_access'), current_setting('autoload_known_extensions'), "
            "current_setting('autoinstall_known_extensions'), current_setting('lock_configuration')"
        ).fetchone()
        assert settings == (False, False, False, True)
        con.close()


def test_no_module_opens_duckdb_outside_duck_py() -> None:
    """Only duck.py opens reading connections; build.py and the change log open the new build they write."""
    allowed = {"duck.py": None, "build.py": 1, "changelog.py": 1}
    for path in sorted((ROOT / "chatbot_watch").glob("*.py")):
        n = len(re.findall(r"duckdb\.connect\(", path.read_text(encoding="utf-8")))
        if path.name in allowed:
            assert allowed[path.name] is None or n <= allowed[path.name], path.name
        else:
            assert n == 0, f"{path.name} opens DuckDB itself: use duck.connect"


def test_the_zip_of_a_good_build_still_works(built: Path) -> None:
    z = zipfile.ZipFile(io.BytesIO(package_zip(built)))
    assert "chatbot-watch/company_domains.csv" in z.namelist()
    assert SECRET not in b"".join(z.read(n) for n in z.namelist()).decode("utf-8", "replace")

"""Settings: config.yaml validated, environment overrides applied."""

from __future__ import annotations

from pathlib import Path

import pytest

from chatbot_watch.config import ConfigError, load_settings
from tests.conftest import ROOT

GOOD = "site_title: T\ndata_dir: d\ndb_path: b/x.duckdb\n"


def test_repository_settings_load() -> None:
    s = load_settings(ROOT / "config.yaml", env={})
    assert s.data_dir == ROOT / "data"
    assert s.db_path == ROOT / "build" / "chatbot_watch.duckdb"
    assert s.site_title == "Chatbot Watch"


def test_relative_paths_are_relative_to_the_file(tmp_path: Path) -> None:
    (tmp_path / "c.yaml").write_text(GOOD)
    s = load_settings(tmp_path / "c.yaml", env={})
    assert s.data_dir == tmp_path / "d" and s.db_path == tmp_path / "b" / "x.duckdb"


def test_environment_overrides(tmp_path: Path) -> None:
    (tmp_path / "c.yaml").write_text(GOOD)
    s = load_settings(
        tmp_path / "c.yaml", env={"CHATBOT_WATCH_DATA_DIR": "/srv/data", "CHATBOT_WATCH_DB": "/srv/db.duckdb"}
    )
    assert s.data_dir == Path("/srv/data") and s.db_path == Path("/srv/db.duckdb")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "expected a mapping"),
        ("site_title: [x\n", "YAML syntax error"),
        (GOOD + "colour: red\n", "colour: unknown setting"),
        (GOOD.replace("db_path: b/x.duckdb\n", ""), "db_path: missing setting"),
        (GOOD.replace("site_title: T", "site_title: 5"), "site_title: expected text"),
        # Removed in round three: the caches are keyed on the data version and bounded by entries
        # and bytes in code; a setting nothing read is refused rather than silently ignored.
        (GOOD + "cache_ttl_seconds: 60\n", "cache_ttl_seconds: unknown setting"),
    ],
)
def test_invalid_settings_name_the_problem(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "c.yaml").write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_settings(tmp_path / "c.yaml", env={})


def test_missing_settings_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read settings file"):
        load_settings(tmp_path / "none.yaml", env={})


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("allowed_hosts: example.org\n", "allowed_hosts: expected a list of host names"),
        ("allowed_hosts: [example.org, 'evil example']\n", "allowed_hosts: expected a list of host names"),
        ("allowed_hosts: ['*']\n", "allowed_hosts: expected a list of host names"),
        ("trusted_proxies: [nginx]\n", "trusted_proxies: expected a list of IP addresses"),
    ],
)
def test_allowed_hosts_and_trusted_proxies_are_checked(tmp_path: Path, line: str, message: str) -> None:
    (tmp_path / "c.yaml").write_text(GOOD + line)
    with pytest.raises(ConfigError, match=message):
        load_settings(tmp_path / "c.yaml", env={})


def test_allowed_hosts_default_to_localhost_names_and_follow_the_environment(tmp_path: Path) -> None:
    (tmp_path / "c.yaml").write_text(GOOD + "allowed_hosts: [Watch.Example.org, .example.net]\n")
    assert load_settings(tmp_path / "c.yaml", env={}).allowed_hosts == ("watch.example.org", ".example.net")
    s = load_settings(tmp_path / "c.yaml", env={"CHATBOT_WATCH_ALLOWED_HOSTS": "a.example, b.example"})
    assert s.allowed_hosts == ("a.example", "b.example")
    (tmp_path / "d.yaml").write_text(GOOD)
    assert load_settings(tmp_path / "d.yaml", env={}).allowed_hosts == ("localhost", "127.0.0.1", "[::1]")
    pods = load_settings(tmp_path / "d.yaml", env={"CHATBOT_WATCH_TRUSTED_PROXIES": "10.0.0.0/8,::1"})
    assert pods.trusted_proxies == ("10.0.0.0/8", "::1")

"""config.yaml -> a frozen, validated Settings object, with environment overrides."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from chatbot_watch import paths


class ConfigError(Exception):
    """The settings file is missing, unreadable or invalid; the message says where and why."""


@dataclass(frozen=True)
class Settings:
    """Validated settings. Paths are absolute."""

    site_title: str
    data_dir: Path
    db_path: Path
    config_file: Path
    feeds_dir: Path
    repository_url: str | None
    corrections_db: Path
    leads_db: Path
    # Host names the site answers to when CHATBOT_WATCH_BASE_URL is not set (Django's ALLOWED_HOSTS;
    # ".example.org" also allows its subdomains), and the proxies whose X-Forwarded-For is believed.
    allowed_hosts: tuple[str, ...] = ("localhost", "127.0.0.1", "[::1]")
    trusted_proxies: tuple[str, ...] = ("127.0.0.1", "::1")


# Optional settings and their defaults.
_OPTIONAL: dict[str, object] = {
    "feeds_dir": "static/feeds",
    "repository_url": None,
    "corrections_db": None,
    "leads_db": None,
    "allowed_hosts": ["localhost", "127.0.0.1", "[::1]"],
    "trusted_proxies": ["127.0.0.1", "::1"],
}

_FIELDS: dict[str, type] = {
    "site_title": str,
    "data_dir": str,
    "db_path": str,
}


def load_settings(config_file: Path | None = None, env: dict[str, str] | None = None) -> Settings:
    """Read settings from config.yaml (or CHATBOT_WATCH_CONFIG), then apply environment overrides."""
    env = dict(os.environ if env is None else env)
    path = Path(config_file or env.get(paths.ENV_CONFIG) or paths.CONFIG_FILE)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read settings file ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: settings file is not UTF-8 text") from None
    try:
        raw: Any = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 1
        raise ConfigError(f"{path}:{line}: YAML syntax error: {exc.problem}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: YAML error: {exc}") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping of settings")
    problems = []
    for key in raw:
        if key not in _FIELDS and key not in _OPTIONAL:
            problems.append(f"{key}: unknown setting")
    for key, default in _OPTIONAL.items():
        raw.setdefault(key, default)
    if not isinstance(raw["feeds_dir"], str):
        problems.append("feeds_dir: expected text")
    for key in ("corrections_db", "leads_db"):
        if raw[key] is not None and not isinstance(raw[key], str):
            problems.append(f"{key}: expected text or null")
    hosts = env[paths.ENV_ALLOWED_HOSTS].split(",") if env.get(paths.ENV_ALLOWED_HOSTS) else raw["allowed_hosts"]
    allowed_hosts = _names(hosts, _HOST_NAME, "allowed_hosts", "host names like example.org or .example.org", problems)
    proxies = raw["trusted_proxies"]
    if env.get(paths.ENV_TRUSTED_PROXIES):
        proxies = env[paths.ENV_TRUSTED_PROXIES].split(",")
    trusted_proxies = _names(proxies, _ADDRESS, "trusted_proxies", "IP addresses or ranges", problems)
    repo = raw["repository_url"]
    if repo is not None and (not isinstance(repo, str) or not repo.startswith("https://") or " " in repo):
        problems.append("repository_url: expected an https:// address or null")
    for key, typ in _FIELDS.items():
        if key not in raw:
            problems.append(f"{key}: missing setting")
        elif not isinstance(raw[key], typ) or isinstance(raw[key], bool):
            problems.append(f"{key}: expected {'a number' if typ is int else 'text'}")
    if problems:
        raise ConfigError(f"{path}: " + "; ".join(problems))
    base = path.resolve().parent
    # Values from the file are relative to the file; values from the environment to the cwd.
    data_dir = Path(env[paths.ENV_DATA_DIR]).resolve() if env.get(paths.ENV_DATA_DIR) else base / raw["data_dir"]
    db_path = Path(env[paths.ENV_DB]).resolve() if env.get(paths.ENV_DB) else base / raw["db_path"]
    # Readers' corrections go to their own file, next to the database unless told otherwise; never
    # into the database itself, which the app opens read-only and `build` replaces.
    if env.get(paths.ENV_CORRECTIONS_DB):
        corrections_db = Path(env[paths.ENV_CORRECTIONS_DB]).resolve()
    elif raw["corrections_db"]:
        corrections_db = base / raw["corrections_db"]
    else:
        corrections_db = db_path.with_name("corrections.sqlite")
    if corrections_db.resolve() == db_path.resolve():
        raise ConfigError(f"{path}: corrections_db: must not be the database file ({db_path})")
    # The leads `watch` files (leads.py) have a file of their own too, beside the inbox by default.
    leads_db = base / raw["leads_db"] if raw["leads_db"] else db_path.with_name("leads.sqlite")
    if leads_db.resolve() in (db_path.resolve(), corrections_db.resolve()):
        raise ConfigError(f"{path}: leads_db: must be a file of its own, not the database or the corrections inbox")
    return Settings(
        site_title=raw["site_title"],
        data_dir=data_dir,
        db_path=db_path,
        config_file=path,
        feeds_dir=base / raw["feeds_dir"],
        repository_url=repo.rstrip("/") if repo else None,
        corrections_db=corrections_db,
        leads_db=leads_db,
        allowed_hosts=allowed_hosts,
        trusted_proxies=trusted_proxies,
    )


_HOST_NAME = re.compile(r"\.?[a-z0-9-]+(\.[a-z0-9-]+)*|\[[0-9a-f:.]+\]")
_ADDRESS = re.compile(r"[0-9a-f:.]+(/[0-9]{1,3})?")


def _names(value: object, pattern: re.Pattern[str], key: str, what: str, problems: list[str]) -> tuple[str, ...]:
    """A list setting of host names or addresses, lower-cased and stripped; a problem noted if any
    item is not one."""
    items = [v.strip().lower() for v in value if isinstance(v, str)] if isinstance(value, list) else []
    if not isinstance(value, list) or len(items) != len(value) or not all(pattern.fullmatch(v) for v in items):
        problems.append(f"{key}: expected a list of {what}")
    return tuple(items)

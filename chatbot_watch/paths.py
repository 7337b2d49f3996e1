"""Constants for where things are; nothing here reads files or the environment at import."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG_FILE = ROOT / "config.yaml"
STATIC_DIR = ROOT / "static"
WORLD_TOPOJSON = STATIC_DIR / "countries-110m.json"

ENV_CONFIG = "CHATBOT_WATCH_CONFIG"
ENV_DATA_DIR = "CHATBOT_WATCH_DATA_DIR"
ENV_DB = "CHATBOT_WATCH_DB"
ENV_CORRECTIONS_DB = "CHATBOT_WATCH_CORRECTIONS_DB"
# The public address of the site (https://chatbot-watch.example.org) for canonical links and sitemaps.
ENV_BASE_URL = "CHATBOT_WATCH_BASE_URL"
# Host names the site answers to when no base URL is set, comma-separated (config.yaml's allowed_hosts).
ENV_ALLOWED_HOSTS = "CHATBOT_WATCH_ALLOWED_HOSTS"
# Proxies whose X-Forwarded-For is believed, comma-separated addresses or ranges (config.yaml's trusted_proxies).
ENV_TRUSTED_PROXIES = "CHATBOT_WATCH_TRUSTED_PROXIES"

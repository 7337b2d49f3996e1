"""The site being served: the web layer's read-only view of the database (`Site`: the app's
`Database`, switched to a new build live, and a cache of answers per data version, bounded by entries
and bytes), its public address, and who is asking. `current()` is the site every handler reads,
made when first asked for (nothing is read at import); `use()` puts another in its place (the static
edition's build, a test's)."""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable
from typing import Any

from starlette.datastructures import Headers
from starlette.types import Scope

from chatbot_watch import paths, queries
from chatbot_watch.config import Settings, load_settings
from chatbot_watch.queries.memo import Memo, size_of
from chatbot_watch.store.database import Database
from chatbot_watch.web import clients

# The web layer's cache of answers (pages, API answers, views): bounded by entries and by bytes
# (memo.size_of), so no run of distinct requests can grow the server past it.
CACHE_ENTRIES = 4096
CACHE_BYTES = 64 * 2**20
# Link-preview renders (about half a second of CPU each) one client address may start: a burst of
# OG_BURST, then one every 1/OG_PER_SECOND seconds. Images already made are served without limit.
OG_BURST = 12
OG_PER_SECOND = 0.2


class Site:
    """The web layer's read-only view of the database: the app's `Database` (switched to a new
    build live), and a cache of rendered answers per data version, bounded by entries and bytes."""

    def __init__(self, settings: Settings | None = None) -> None:
        self._settings = settings
        self._db: Database | None = None
        self._lock = threading.Lock()
        self._cache: Memo[Any] = Memo(CACHE_ENTRIES, CACHE_BYTES, weigh=size_of)
        self._cache_version = ""
        self.og_limit = clients.RateLimiter(OG_PER_SECOND, OG_BURST)
        # The sitemap's pages of the data version served, listed once per version and kept outside
        # the answer cache (a crawler's run of pages must not evict them).
        self.sitemap: dict[str, Any] = {}
        self.sitemap_lock = threading.Lock()

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = load_settings()
        return self._settings

    def database(self) -> Database:
        with self._lock:
            if self._db is None:
                self._db = Database(self.settings.db_path)
            return self._db

    def version(self) -> str:
        """The data version being served (one `stat`; switches to a new build). Raises
        DatabaseError when there is no usable database."""
        return self.database().refresh()

    def cursor(self) -> queries.Con:
        return self.database().cursor()

    def cached(self, key: tuple[Any, ...], make: Callable[[], Any]) -> Any:
        """`make()` once per data version and key (least recently used dropped past CACHE_ENTRIES
        entries or CACHE_BYTES bytes). Keys hold only what changes the answer."""
        version = self.version()
        with self._lock:
            if version != self._cache_version:
                self._cache.clear()
                self._cache_version = version
        return self._cache.get((version, *key), make)

    @property
    def cache_bytes(self) -> int:
        """The estimated bytes the cache holds (at most CACHE_BYTES)."""
        return self._cache.weight

    def meta(self) -> dict[str, str]:
        return self.cached(("meta",), lambda: queries.meta(self.cursor()))

    def options(self) -> dict[str, dict[str, str]]:
        """The allowed values of each list filter, as the app's sidebar offers them."""
        return self.cached(("filter_options",), lambda: queries.filter_options(self.cursor()))

    def aliases(self) -> dict[str, dict[str, str]]:
        """Names and aliases the pages accept for filter values ("Korea" -> KR), as the app reads them."""
        return self.cached(("filter_aliases",), lambda: queries.filter_aliases(self.cursor()))

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None


_CURRENT: list[Site] = []
_CURRENT_LOCK = threading.Lock()


def current() -> Site:
    """The site the handlers serve (made from config.yaml when first asked for)."""
    with _CURRENT_LOCK:
        if not _CURRENT:
            _CURRENT.append(Site())
        return _CURRENT[0]


def use(site: Site) -> Site | None:
    """Serve `site` from now on; returns the one it replaces (None if none was made yet)."""
    with _CURRENT_LOCK:
        previous = _CURRENT[0] if _CURRENT else None
        _CURRENT[:] = [site]
        return previous


def configured_base_url() -> str:
    """CHATBOT_WATCH_BASE_URL when it is an http(s) address, without a trailing slash; else ""."""
    configured = os.environ.get(paths.ENV_BASE_URL, "").strip().rstrip("/")
    return configured if configured.startswith(("https://", "http://")) else ""


# A Host header that is a plain host name (and port).
HOST = re.compile(r"(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?")


def base_url(scope: Scope) -> str:
    """The site's public address for absolute links (canonical, og:url, sitemap): the
    CHATBOT_WATCH_BASE_URL setting, else the request's scheme and Host, which TrustedHostMiddleware
    has checked against the allowed hosts (a Host that is no plain host name gives site-relative
    links rather than echoing it)."""
    configured = configured_base_url()
    if configured:
        return configured
    host = Headers(scope=scope).get("host", "")
    scheme = scope.get("scheme", "http")
    if not HOST.fullmatch(host) or scheme not in ("http", "https"):
        return ""
    return f"{scheme}://{host.lower()}"


def client_address(scope: Scope) -> str:
    """The request's client address: the connection's, or a trusted proxy's X-Forwarded-For (clients.py)."""
    peer = (scope.get("client") or (None, None))[0]
    forwarded = Headers(scope=scope).getlist("x-forwarded-for")
    return clients.client_address(peer, forwarded, current().settings.trusted_proxies)

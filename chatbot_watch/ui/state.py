"""The app's state shared by every session: settings, the database being served, bounded caches of
query results, chart specs and display tables (keyed on the data version), and the per-run context
(which page runs, inside app.py)."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import streamlit as st

from chatbot_watch import queries
from chatbot_watch.config import Settings, load_settings
from chatbot_watch.filters import Filters
from chatbot_watch.mdtext import md
from chatbot_watch.queries.memo import Memo
from chatbot_watch.store.database import Database, DatabaseError


@st.cache_resource(show_spinner=False)
def settings() -> Settings:
    """The validated settings (config.yaml plus environment overrides)."""
    return load_settings()


@st.cache_resource(show_spinner=False)
def database(path: str) -> Database:
    """The shared Database object for a file path."""
    return Database(Path(path))


def ensure_database(s: Settings) -> None:
    """Build the database from the data folder on first start; explain and stop if that fails,
    or if the file cannot be opened."""
    if not s.db_path.exists():
        from chatbot_watch.store.build import BuildError, TargetError, build

        try:
            with st.spinner("Building the database from the data files (first start)…"):
                build(s.data_dir, s.db_path)
        except BuildError as exc:
            st.error(
                "The database has not been built and the data files do not validate. "
                "Run `python -m chatbot_watch validate` and fix the problems listed; the first ones are:"
            )
            st.code("\n".join(str(p) for p in exc.problems[:20]), language=None)
            st.stop()
        except TargetError as exc:  # db_path inside the data folder, or over a file that is not a database
            st.error(f"The database cannot be built where the settings put it: {md(exc)}. Fix `db_path`.")
            st.stop()
        except OSError as exc:
            st.error(
                f"The database could not be built ({md(exc.strerror or exc)}). Run `python -m chatbot_watch build`."
            )
            st.stop()
    try:
        _THIS_RUN.version = _served_version()
    except DatabaseError as exc:
        st.error(
            "The database file cannot be read: it may be damaged or from another version. "
            "Rebuild it with `python -m chatbot_watch build` (the data files are not affected)."
        )
        st.caption(md(str(exc)))
        st.stop()


def cursor() -> queries.Con:
    """A cursor on the app's database."""
    return database(str(settings().db_path)).cursor()


def data_version() -> str:
    """The content hash of the build being served (cache key of every query).

    Checked once per script run (one `stat`, in `ensure_database`, which app.py calls first), so
    every query of a run sees the same build and a new build is picked up without a restart.
    When the version changes, the results and charts cached for the old one are dropped at once
    (they can never be asked for again) instead of holding memory until evicted.
    """
    return getattr(_THIS_RUN, "version", None) or _served_version()


def _served_version() -> str:
    """Ask the database for the build it serves (one `stat`); drop caches of an older build."""
    version = database(str(settings().db_path)).refresh()
    if _SERVED["version"] != version:
        with _SERVED_LOCK:
            if _SERVED["version"] not in (None, version):
                clear_caches()
            _SERVED["version"] = version
    return version


# Per script-run thread: the version this run serves (set by ensure_database at the run's start).
_THIS_RUN = threading.local()

_SERVED: dict[str, str | None] = {"version": None}

_SERVED_LOCK = threading.Lock()


def _weight(value: Any) -> int:
    """Rough bytes a cached value holds (a text cell costs about 80 bytes with its object)."""
    if isinstance(value, pd.DataFrame):
        return 1024 + 80 * len(value) * max(len(value.columns), 1)
    if isinstance(value, pa.Table):
        return 1024 + int(value.nbytes)
    if isinstance(value, dict):
        return 1024 + sum(len(v) if isinstance(v, bytes) else 0 for v in value.get("datasets", {}).values())
    return 4096


# Every session shares these (read-only!): query results, chart specs and display tables, keyed
# on the data version. Bounded by count and size; see memo.py for why not st.cache_*.
_QUERIES: Memo[Any] = Memo(max_entries=512, max_weight=384 * 2**20, weigh=_weight)

_SPECS: Memo[dict] = Memo(max_entries=512, max_weight=64 * 2**20, weigh=_weight)

_PACKAGES: Memo[bytes] = Memo(max_entries=2, max_weight=512 * 2**20, weigh=len)

_TABLES: Memo[tuple[Any, pa.Table]] = Memo(max_entries=512, max_weight=256 * 2**20, weigh=lambda v: _weight(v[1]))


def clear_caches() -> None:
    """Forget every cached query result, chart spec and display table (a new build is served)."""
    for memo in (_QUERIES, _SPECS, _TABLES, _PACKAGES):
        memo.clear()


def query(fn: Callable[..., Any], *args: Any) -> Any:
    """`fn(cursor, *args)` for a query function of `queries` (`ui.query(queries.flows, f)`), cached
    on the data version, the function and the (hashable) arguments.

    Every session shares the one result: callers must treat it as read-only (pages select
    into new frames, downloads copy).
    """
    key = (data_version(), fn.__module__, fn.__qualname__, args)
    return _QUERIES.get(key, lambda: _tagged(_run_query(fn, args), key))


RESULT_KEY = "chatbot_watch_query"


def _tagged(result: Any, key: tuple[Any, ...]) -> Any:
    """A query's DataFrame carries its cache key (`attrs`), so that what is made from it (display
    tables) can be cached under the same key rather than under the object's identity."""
    if isinstance(result, pd.DataFrame):
        result.attrs[RESULT_KEY] = repr(key)  # text: pandas and Arrow may serialise attrs
    return result


def _run_query(fn: Callable[..., Any], args: tuple[Any, ...]) -> Any:
    cur = cursor()
    try:
        return fn(cur, *args)
    finally:
        cur.close()


def meta() -> dict[str, str]:
    """Dataset facts (version, as-of date, licence, counts)."""
    return query(queries.meta)


def as_of() -> dt.date:
    """The dataset's as-of date."""
    return dt.date.fromisoformat(meta()["as_of"])


def current_filters() -> Filters:
    """The shared filters app.py read for this run."""
    return st.session_state.get("filters") or Filters()


_RUN = threading.local()


@contextmanager
def inside_app() -> Iterator[None]:
    """Mark that app.py (navigation, shared filters) is running the current page."""
    _RUN.inside = True
    try:
        yield
    finally:
        _RUN.inside = False


def page_setup() -> None:
    """First call of every page: make sure the page runs inside app.py.

    Streamlit runs a file in `pages/` on its own (its older multipage mode) for the first
    session of a fresh server and in AppTest page switches; then app.py has not drawn the
    navigation and filters. In that case run app.py, which runs this page inside it, and stop.
    """
    if getattr(_RUN, "inside", False):
        return
    import runpy

    from chatbot_watch import paths

    runpy.run_path(str(paths.ROOT / "app.py"), run_name="__main__")
    st.stop()

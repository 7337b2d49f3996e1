"""A small, thread-safe, bounded memo for values every session shares (query results, chart specs).

Why not `st.cache_data`/`st.cache_resource`: their keys are made by hashing every argument with
Streamlit's own hasher on every call, and `cache_data` unpickles a copy on every hit. Profiled
on a warm rerun, that bookkeeping cost more than the work it saved (docs/benchmarks.md). Here the
key is an ordinary hashable tuple (the data version, a name, frozen `Filters`, dates), looked up
in a dict. Entries are evicted least recently used first, by count and by an estimated size, so
a crawler walking every filter combination cannot grow the server without bound. Values are
shared, not copied: callers must treat them as read-only.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

V = TypeVar("V")


class Memo(Generic[V]):
    """Least-recently-used memo bounded by `max_entries` and by `max_weight` (sum of `weigh(value)`)."""

    def __init__(self, max_entries: int, max_weight: int, weigh: Callable[[Any], int] | None = None) -> None:
        if max_entries < 1 or max_weight < 1:
            raise ValueError("a memo needs room for at least one entry")
        self.max_entries = max_entries
        self.max_weight = max_weight
        self._weigh = weigh or (lambda _v: 1)
        self._lock = threading.Lock()
        self._items: OrderedDict[Hashable, tuple[V, int]] = OrderedDict()
        self._weight = 0
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable, compute: Callable[[], V]) -> V:
        """The value for `key`, computed by `compute()` (outside the lock) on a miss."""
        with self._lock:
            item = self._items.get(key)
            if item is not None:
                self._items.move_to_end(key)
                self.hits += 1
                return item[0]
            self.misses += 1
        value = compute()
        weight = max(1, int(self._weigh(value)))
        with self._lock:
            if key in self._items:  # another thread computed it meanwhile: keep one
                self._items.move_to_end(key)
                return self._items[key][0]
            if weight > self.max_weight:
                return value  # too big to keep: served, not remembered
            self._items[key] = (value, weight)
            self._weight += weight
            while len(self._items) > self.max_entries or self._weight > self.max_weight:
                _, (_, w) = self._items.popitem(last=False)
                self._weight -= w
        return value

    def peek(self, key: Hashable) -> V | None:
        """The value kept for `key`, or None (computes nothing)."""
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return item[0]

    def discard(self, key: Hashable) -> None:
        """Forget one key, if kept."""
        with self._lock:
            item = self._items.pop(key, None)
            if item is not None:
                self._weight -= item[1]

    def clear(self) -> None:
        """Forget everything."""
        with self._lock:
            self._items.clear()
            self._weight = 0

    def __len__(self) -> int:
        return len(self._items)

    @property
    def weight(self) -> int:
        """The summed weight of what is kept."""
        return self._weight


def size_of(value: Any, _depth: int = 0) -> int:
    """Roughly the bytes `value` holds, for a memo's `weigh`: text and bytes by length, a DataFrame
    by pandas' deep memory use (sampled past a few thousand rows), containers and dataclasses by
    their items. An estimate that grows with the value, so a byte budget bounds what is kept."""
    if isinstance(value, bytes | bytearray | memoryview):
        return 40 + len(value)
    if isinstance(value, str):
        return 56 + len(value) * (1 if value.isascii() else 4)
    if hasattr(value, "memory_usage") and hasattr(value, "iloc"):  # a DataFrame (no pandas import here)
        n = len(value)
        if n <= _SAMPLE_ROWS:
            return 1024 + int(value.memory_usage(deep=True, index=True).sum())
        sample = value.iloc[:: max(1, n // _SAMPLE_ROWS)]
        return 1024 + int(sample.memory_usage(deep=True, index=True).sum() * n / max(1, len(sample)))
    if _depth > 6:
        return 64
    if isinstance(value, dict):
        return 64 + sum(size_of(k, _depth + 1) + size_of(v, _depth + 1) for k, v in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        return 56 + 8 * len(value) + sum(size_of(v, _depth + 1) for v in value)
    if hasattr(value, "__dataclass_fields__"):
        return 64 + sum(size_of(getattr(value, f), _depth + 1) for f in value.__dataclass_fields__)
    return 32


_SAMPLE_ROWS = 2000

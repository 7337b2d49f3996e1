"""The shared memo behind query results, chart specs and display tables: bounded, LRU, thread-safe."""

from __future__ import annotations

import threading

from chatbot_watch.queries.memo import Memo


def test_computes_once_and_shares_the_value() -> None:
    m: Memo[list[int]] = Memo(max_entries=4, max_weight=100)
    calls: list[str] = []
    first = m.get("a", lambda: calls.append("a") or [1])
    again = m.get("a", lambda: calls.append("a") or [2])
    assert first is again and first == [1] and calls == ["a"]
    assert (m.hits, m.misses) == (1, 1)


def test_evicts_least_recently_used_by_count() -> None:
    m: Memo[str] = Memo(max_entries=2, max_weight=100)
    m.get("a", lambda: "A")
    m.get("b", lambda: "B")
    m.get("a", lambda: "not again")  # a is now the most recent
    m.get("c", lambda: "C")  # b goes
    assert len(m) == 2
    assert m.get("b", lambda: "B2") == "B2"  # recomputed
    assert m.get("c", lambda: "no") == "C"


def test_evicts_by_weight_and_never_keeps_an_oversized_value() -> None:
    m: Memo[str] = Memo(max_entries=100, max_weight=10, weigh=len)
    m.get(1, lambda: "x" * 4)
    m.get(2, lambda: "y" * 4)
    m.get(3, lambda: "z" * 4)  # 12 > 10: the oldest goes
    assert m.weight == 8 and len(m) == 2
    big = m.get(4, lambda: "w" * 11)
    assert big == "w" * 11 and len(m) == 2 and m.weight == 8  # served, not kept


def test_discard_forgets_one_key_and_its_weight() -> None:
    m: Memo[str] = Memo(max_entries=3, max_weight=100, weigh=len)
    m.get("a", lambda: "aaa")
    m.get("b", lambda: "bb")
    m.discard("a")
    m.discard("missing")
    assert len(m) == 1 and m.weight == 2
    assert m.get("a", lambda: "new") == "new"


def test_clear_forgets_everything() -> None:
    m: Memo[int] = Memo(max_entries=3, max_weight=3)
    m.get("a", lambda: 1)
    m.clear()
    assert len(m) == 0 and m.weight == 0
    assert m.get("a", lambda: 2) == 2


def test_many_threads_agree_on_one_value_per_key() -> None:
    """Eight threads miss each key at the same moment and all compute it: a barrier inside
    `compute` holds every thread until all eight are computing that key, so the race is there
    every time, not by chance. Each thread still gets the one value kept, from its first call on;
    the memo weighs it once; later calls compute nothing."""
    threads_n, keys = 8, range(20)
    m: Memo[object] = Memo(max_entries=1000, max_weight=1000)
    together = {k: threading.Barrier(threads_n, timeout=10) for k in keys}
    made: list[object] = []  # every value computed (kept alive, so no two share an id)
    seen: list[dict[int, list[int]]] = []  # per thread: key -> ids of the values it got, in order
    errors: list[BaseException] = []

    def make() -> object:
        v = object()
        made.append(v)  # list.append is atomic
        return v

    def make_together(k: int) -> object:
        together[k].wait()  # all eight threads are inside compute for key k
        return make()

    def worker() -> None:
        try:
            mine: dict[int, list[int]] = {k: [] for k in keys}
            for k in keys:
                mine[k].append(id(m.get(k, lambda k=k: make_together(k))))
            for _ in range(20):
                for k in keys:
                    mine[k].append(id(m.get(k, make)))
            seen.append(mine)
        except BaseException as exc:  # a broken barrier: compute did not run in parallel
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(threads_n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(seen) == threads_n
    assert len(made) == threads_n * len(keys)  # every thread computed every key once, at once
    final = {k: id(m.get(k, make)) for k in keys}
    assert len(made) == threads_n * len(keys)  # and nothing since: later calls were hits
    assert len(m) == len(keys) and m.weight == len(keys)  # one value kept per key, weighed once
    for mine in seen:
        for k, ids in mine.items():
            assert set(ids) == {final[k]}, (k, len(set(ids)))

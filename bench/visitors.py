"""Server-side rerun times, concurrent visitors and memory after many sessions, over the websocket.

All traffic goes to loopback servers this benchmark started; every loop is bounded in count
and time.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import time
from collections import Counter
from typing import Any

from bench import workload
from bench.ws_client import RunResult, Session, one_run


def pct(values: list[float], q: float) -> float:
    """The q-th percentile (0..100), nearest rank; 0 for no values."""
    if not values:
        return 0.0
    s = sorted(values)
    return s[min(len(s) - 1, max(0, int(round(q / 100 * len(s) + 0.5)) - 1))]


async def rerun_series(url: str, page: str, queries: list[str], runs: int, min_elements: int = 5) -> dict[str, Any]:
    """One session on `page`: cycle through `queries` `runs` times, timing each filter change.

    The first pass over the queries misses the query cache (reported apart as `cold`); the
    rest hit it, as most visitors' reruns do (`p50`, `p95`).
    """
    s = Session(url)
    errors: Counter[str] = Counter()
    cold: list[float] = []
    warm: list[float] = []
    sizes: list[int] = []
    try:
        await s.open()
        first = await s.run(page, queries[-1], min_elements)  # open the page (not timed)
        if first.error:
            errors[first.error] += 1
        for i in range(runs):
            r = await s.run(page, queries[i % len(queries)], min_elements)
            if r.error:
                errors[r.error] += 1
                continue
            (cold if i < len(queries) else warm).append(r.ms)
            sizes.append(r.bytes)
    finally:
        await s.close()
    return {
        "runs": runs,
        "p50": statistics.median(warm) if warm else None,
        "p95": pct(warm, 95),
        "max": max(warm) if warm else None,
        "cold_p50": statistics.median(cold) if cold else None,
        "cold_max": max(cold) if cold else None,
        "kb_per_run": round(statistics.median(sizes) / 1024, 1) if sizes else None,
        "errors": dict(errors),
    }


async def _visitor(
    url: str, vid: int, deadline: float, think: float, route: bool, out: list[RunResult], errors: Counter[str]
) -> None:
    rng = random.Random(vid)  # noqa: S311 - a reproducible workload, not a secret
    steps = workload.visitor_steps(vid)
    s = Session(url, route_key=f"visitor-{vid}" if route else None)
    # Visitors arrive spread over the first second, not all in the same instant.
    await asyncio.sleep(rng.random())
    step = 0
    while time.monotonic() < deadline and step < len(steps):
        page, query = steps[step]
        step += 1
        if s.ws is None:
            try:
                await s.open()
            except Exception as exc:  # noqa: BLE001 - every failure to connect is counted
                errors[f"connect: {type(exc).__name__}"] += 1
                await asyncio.sleep(0.5)
                continue
        r = await s.run(workload.PAGES[page], query)
        if time.monotonic() > deadline + 30:  # a run that ended long after the window: not counted
            break
        out.append(r)
        if r.error:
            errors[r.error] += 1
        if think > 0:
            await asyncio.sleep(rng.uniform(0.5 * think, 1.5 * think))
    await s.close()


async def concurrency(url: str, n: int, seconds: float, think: float, route: bool = False) -> dict[str, Any]:
    """`n` visitors, each in its own session, changing pages and filters for `seconds`.

    Each visitor waits a random 0.5..1.5 x `think` seconds between two changes (0: none, the
    server is then saturated). Throughput counts successful runs per second of the window.
    """
    results: list[RunResult] = []
    errors: Counter[str] = Counter()
    start = time.monotonic()
    deadline = start + seconds
    await asyncio.gather(*(_visitor(url, i, deadline, think, route, results, errors) for i in range(n)))
    elapsed = time.monotonic() - start
    ok = [r.ms for r in results if r.ok]
    return {
        "visitors": n,
        "seconds": round(elapsed, 1),
        "think_s": think,
        "runs": len(results),
        "ok": len(ok),
        "throughput_per_s": round(len(ok) / elapsed, 2),
        "p50": pct(ok, 50),
        "p95": pct(ok, 95),
        "max": max(ok) if ok else None,
        "errors": sum(errors.values()),
        "error_kinds": dict(errors),
    }


async def sessions(url: str, total: int, parallel: int = 10) -> dict[str, Any]:
    """Open, run once and close `total` sessions, `parallel` at a time; count failures."""
    errors: Counter[str] = Counter()
    steps = workload.visitor_steps(12345)
    counter = iter(range(total))

    async def worker() -> None:
        for i in counter:
            page, query = steps[i % len(steps)]
            r = await one_run(url, workload.PAGES[page], query)
            if r.error:
                errors[r.error] += 1

    t0 = time.monotonic()
    await asyncio.gather(*(worker() for _ in range(parallel)))
    return {"sessions": total, "seconds": round(time.monotonic() - t0, 1), "errors": dict(errors)}

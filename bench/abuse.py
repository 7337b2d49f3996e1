"""Holding up under abuse (issue 26): API clients sending a distinct filter with every request, while
a probe times /healthz and the server's memory is read every half second.

Before issue 26 every distinct filter kept its whole filtered frame in the web layer's cache: at
x100 one client's 326 requests with distinct `since` dates took the server from 320 MB to 8 GB.
The goals: server memory within 300 MB of its start, and /healthz p95 under 50 ms, with 4 clients.

    .venv/bin/python -m bench --only abuse      # a section of the benchmark (bench/run.py)
    .venv/bin/python -m bench.abuse --seconds 60 --clients 4 --scale 100
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import threading
import time
from collections import Counter
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench.visitors import pct

ENDPOINTS = ("flows.json", "restrictions.json", "flows.csv", "companies.json", "countries.json")
GOAL_MEMORY_MB = 300.0
GOAL_HEALTHZ_P95_MS = 50.0


def distinct_paths(client: int, clients: int) -> Any:
    """An endless run of API paths, each with a filter no other request of the run has: `since`
    steps one day at a time (client `client` of `clients` takes every clients-th day), across the
    list endpoints, the largest pages (limit=1000) for the row endpoints."""
    day = client
    start = dt.date(1990, 1, 1)
    while True:
        since = start + dt.timedelta(days=day)
        name = ENDPOINTS[(day // clients) % len(ENDPOINTS)]
        paging = "&limit=1000" if name.startswith(("flows", "restrictions")) else ""
        yield f"/api/v1/{name}?since={since.isoformat()}{paging}"
        day += clients


def _client(base: str, client: int, clients: int, until: float, out: dict[str, Any]) -> None:
    parts = urlsplit(base)
    con = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    for path in distinct_paths(client, clients):
        if time.monotonic() >= until:
            break
        t0 = time.perf_counter()
        try:
            con.request("GET", path)
            r = con.getresponse()
            r.read()
            status = str(r.status)
        except (OSError, http.client.HTTPException) as exc:
            status = type(exc).__name__
            con.close()
            con = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        with out["lock"]:
            out["statuses"][status] += 1
            out["latencies"].append((time.perf_counter() - t0) * 1000)
    con.close()


def _probe(base: str, until: float, out: dict[str, Any]) -> None:
    parts = urlsplit(base)
    con = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    while time.monotonic() < until:
        t0 = time.perf_counter()
        try:
            con.request("GET", "/healthz")
            r = con.getresponse()
            ok = r.read() == b"ok" and r.status == 200
        except (OSError, http.client.HTTPException):
            ok = False
            con.close()
            con = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        out["healthz"].append((time.perf_counter() - t0) * 1000)
        out["healthz_errors"] += 0 if ok else 1
        time.sleep(0.1)
    con.close()


def run(server: Any, clients: int, seconds: float) -> dict[str, Any]:
    """Drive a running `server` (bench.server.Server) for `seconds` with `clients` clients."""
    warm = http.client.HTTPConnection(urlsplit(server.url).hostname, urlsplit(server.url).port, timeout=60)
    for path in ("/healthz", "/readyz", "/api/v1/flows.json?limit=1000", "/api/v1/companies.json"):
        warm.request("GET", path)
        warm.getresponse().read()
    warm.close()
    time.sleep(1)
    start = server.rss_mb()
    out: dict[str, Any] = {
        "lock": threading.Lock(),
        "statuses": Counter(),
        "latencies": [],
        "healthz": [],
        "healthz_errors": 0,
    }
    until = time.monotonic() + seconds
    threads = [threading.Thread(target=_client, args=(server.url, i, clients, until, out)) for i in range(clients)]
    threads.append(threading.Thread(target=_probe, args=(server.url, until, out)))
    for t in threads:
        t.start()
    samples = []
    while any(t.is_alive() for t in threads):
        samples.append(server.rss_mb())
        time.sleep(0.5)
    for t in threads:
        t.join()
    end = server.rss_mb()
    requests = sum(out["statuses"].values())
    healthz = out["healthz"]
    return {
        "clients": clients,
        "seconds": seconds,
        "requests": requests,
        "per_s": round(requests / seconds, 1),
        "statuses": dict(out["statuses"]),
        "errors": requests - out["statuses"].get("200", 0),
        "api_p50_ms": round(pct(out["latencies"], 50) or 0, 1),
        "api_p95_ms": round(pct(out["latencies"], 95) or 0, 1),
        "start_mb": round(start, 1),
        "peak_mb": round(max([start, *samples]), 1),
        "end_mb": round(end, 1),
        "growth_mb": round(max([start, *samples]) - start, 1),
        "healthz_probes": len(healthz),
        "healthz_errors": out["healthz_errors"],
        "healthz_p50_ms": round(pct(healthz, 50) or 0, 1),
        "healthz_p95_ms": round(pct(healthz, 95) or 0, 1),
        "healthz_max_ms": round(max(healthz or [0]), 1),
    }


def section(db: Path, serve: Any, clients: int, seconds: float, scale: int) -> dict[str, Any]:
    """The benchmark section: `serve(db)` (a context manager giving a bench.server.Server)."""
    server_cm: AbstractContextManager[Any] = serve(db)
    with server_cm as server:
        res = run(server, clients, seconds)
    res["scale"] = f"x{scale}"
    print(f"  abuse x{scale}: {res}", flush=True)
    return res


def verdicts(r: dict[str, Any]) -> dict[str, str]:
    """The issue's goals for this section: met / NOT met, with the figure."""
    ok = "met" if r["growth_mb"] <= GOAL_MEMORY_MB and r["errors"] == 0 else "NOT met"
    mem = f"{ok} (+{r['growth_mb']} MB peak over {r['start_mb']} MB, {r['requests']} requests, {r['errors']} errors)"
    fast = "met" if r["healthz_p95_ms"] < GOAL_HEALTHZ_P95_MS and r["healthz_errors"] == 0 else "NOT met"
    return {
        f"{r['clients']} distinct-filter API clients {r['scale']}: memory within 300 MB": mem,
        f"/healthz p95 < 50 ms under them ({r['scale']})": f"{fast} (p95 {r['healthz_p95_ms']} ms, "
        f"max {r['healthz_max_ms']} ms, {r['healthz_probes']} probes)",
    }


def print_table(r: dict[str, Any]) -> None:
    print(f"\ndistinct-filter API clients, {r['scale']}, {r['clients']} clients, {r['seconds']} s (issue 26)")
    print(
        f"  {r['requests']} requests ({r['per_s']}/s), API p50 {r['api_p50_ms']} ms p95 {r['api_p95_ms']} ms, "
        f"statuses {r['statuses']}"
    )
    print(
        f"  server memory: start {r['start_mb']} MB, peak {r['peak_mb']} MB (+{r['growth_mb']} MB), "
        f"end {r['end_mb']} MB"
    )
    print(
        f"  /healthz meanwhile: {r['healthz_probes']} probes, p50 {r['healthz_p50_ms']} ms, "
        f"p95 {r['healthz_p95_ms']} ms, max {r['healthz_max_ms']} ms, errors {r['healthz_errors']}"
    )


def main(argv: list[str] | None = None) -> int:
    from bench.run import OUT, dataset
    from bench.server import serve

    ap = argparse.ArgumentParser(prog="python -m bench.abuse", description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--scale", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    db = dataset(args.scale, args.seed)
    r = section(db, lambda d: serve(d, log=OUT / "server-abuse.log"), args.clients, args.seconds, args.scale)
    print_table(r)
    for k, v in verdicts(r).items():
        print(f"  {k:<56} {v}")
    (OUT / "abuse-latest.json").write_text(json.dumps(r, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

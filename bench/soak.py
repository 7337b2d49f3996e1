"""Soak: many visitors over the websocket for several minutes; errors and server memory over time.

    .venv/bin/python -m bench.soak                      # 5 minutes, 40 visitors, x1 (make soak)
    .venv/bin/python -m bench.soak --minutes 10 --visitors 60 --rebuild-every 60

One real `streamlit run serve.py` on a loopback port serves synthetic data (x1 by default). Visitors
come and go: each opens a session, changes pages and filters 5 to 40 times with a think time
between (a reader), closes it, and a new visitor takes its place, so thousands of sessions open
and close during the run. While they do, the database is rebuilt in place every
`--rebuild-every` seconds (the app must switch to each new build without a restart and without
a failed run). Every run is checked as in the benchmark (finished, a page's worth of elements, no
exception element). Server memory (VmRSS) is sampled every 10 s: before any visitor, after a
warm-up, during the run, and after a quiet minute at the end.

Prints a summary and writes build/bench/soak-<time>.json (and latest-soak.json). Exit status 1
when any run failed, so a script can use it as a gate. Bounded in time; stops what it starts.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import time
from collections import Counter
from typing import Any

from bench import visitors, workload
from bench.run import OUT, _git_head, _run_build, dataset
from bench.server import Server, serve
from bench.ws_client import Session

SAMPLE_S = 10.0


async def _visitor(url: str, vid: int, deadline: float, think: float, stats: dict[str, Any]) -> None:
    """One visitor slot: sessions one after the other until the deadline."""
    rng = random.Random(vid)  # noqa: S311 - a reproducible workload, not a secret
    await asyncio.sleep(rng.random() * 2)  # arrivals spread over the first two seconds
    generation = 0
    while time.monotonic() < deadline:
        steps = workload.visitor_steps(vid * 100_003 + generation)
        generation += 1
        s = Session(url)
        try:
            await s.open()
        except Exception as exc:  # noqa: BLE001 - every failure to connect is counted
            stats["errors"][f"connect: {type(exc).__name__}"] += 1
            await asyncio.sleep(0.5)
            continue
        stats["sessions"] += 1
        for page, query in steps[: rng.randint(5, 40)]:
            if time.monotonic() >= deadline:
                break
            r = await s.run(workload.PAGES[page], query)
            stats["runs"] += 1
            if r.ok:
                stats["ms"].append(r.ms)
            else:
                stats["errors"][r.error or "?"] += 1
                if s.ws is None:  # disconnected: this visitor leaves
                    break
            await asyncio.sleep(rng.uniform(0.5 * think, 1.5 * think))
        await s.close()


async def _sampler(app: Server, t0: float, deadline: float, stats: dict[str, Any]) -> None:
    while time.monotonic() < deadline:
        await asyncio.sleep(SAMPLE_S)
        ms = stats["ms"]
        window = ms[stats["mark"] :]
        stats["mark"] = len(ms)
        sample = {
            "t_s": round(time.monotonic() - t0),
            "rss_mb": round(app.rss_mb(), 1),
            "sessions": stats["sessions"],
            "runs": stats["runs"],
            "errors": sum(stats["errors"].values()),
            "p95_ms_last_10s": round(visitors.pct(window, 95)),
        }
        stats["samples"].append(sample)
        print(
            f"  {sample['t_s']:>5} s  rss {sample['rss_mb']:>6} MB  sessions {sample['sessions']:>5}  "
            f"runs {sample['runs']:>6}  errors {sample['errors']}  p95 {sample['p95_ms_last_10s']} ms",
            flush=True,
        )


async def _rebuilder(data: Any, db: Any, t0: float, every: float, deadline: float, stats: dict[str, Any]) -> None:
    """Rebuild the served database in place every `every` seconds (atomic replace by `build`)."""
    if every <= 0:
        return
    while time.monotonic() + every < deadline:
        await asyncio.sleep(every)
        t = round(time.monotonic() - t0)
        res = await asyncio.to_thread(_run_build, data, db)
        stats["rebuilds"].append({"t_s": t, **res})
        print(f"  {t:>5} s  rebuilt the database under load in {res['wall_s']} s", flush=True)


async def soak(app: Server, data: Any, db: Any, minutes: float, n: int, think: float, rebuild_every: float) -> dict:
    """Run the soak against `app`; return counts, latency percentiles, memory samples, rebuilds."""
    stats: dict[str, Any] = {
        "runs": 0, "sessions": 0, "ms": [], "errors": Counter(), "samples": [], "mark": 0, "rebuilds": [],
    }  # fmt: skip
    t0 = time.monotonic()
    deadline = t0 + minutes * 60
    await asyncio.gather(
        *(_visitor(app.url, i, deadline, think, stats) for i in range(n)),
        _sampler(app, t0, deadline, stats),
        _rebuilder(data, db, t0, rebuild_every, deadline, stats),
    )
    ms = stats["ms"]
    return {
        "seconds": round(time.monotonic() - t0, 1),
        "sessions": stats["sessions"],
        "runs": stats["runs"],
        "ok": len(ms),
        "runs_per_s": round(len(ms) / (time.monotonic() - t0), 2),
        "p50_ms": round(visitors.pct(ms, 50)),
        "p95_ms": round(visitors.pct(ms, 95)),
        "p99_ms": round(visitors.pct(ms, 99)),
        "max_ms": round(max(ms)) if ms else None,
        "errors": sum(stats["errors"].values()),
        "error_kinds": dict(stats["errors"]),
        "samples": stats["samples"],
        "rebuilds": stats["rebuilds"],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__.split("\n")[0])
    ap.add_argument("--minutes", type=float, default=5.0)
    ap.add_argument("--visitors", type=int, default=40)
    ap.add_argument("--think", type=float, default=1.0, help="mean seconds a visitor waits between changes")
    ap.add_argument("--scale", type=int, default=1, help="synthetic data scale factor")
    ap.add_argument("--rebuild-every", type=float, default=60.0, help="seconds between rebuilds (0: none)")
    ap.add_argument(
        "--quiet-after",
        type=float,
        default=180.0,
        help="seconds without visitors before the last reading (closed sessions are kept 120 s for reconnects)",
    )
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    if not (0 < args.minutes <= 120 and 0 < args.visitors <= 500):
        ap.error("--minutes must be in (0, 120] and --visitors in (0, 500]")
    OUT.mkdir(parents=True, exist_ok=True)
    db = dataset(args.scale, args.seed)
    data = OUT / "data" / f"x{args.scale}"
    started = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    git = _git_head()  # the code the server runs: read now, not after the run
    load = os.getloadavg()
    print(f"soak: {args.visitors} visitors for {args.minutes} min on x{args.scale}, rebuild every "
          f"{args.rebuild_every} s", flush=True)  # fmt: skip
    with serve(db, log=OUT / "server-soak.log") as app:
        idle = app.rss_mb()
        asyncio.run(visitors.sessions(app.url, 20, parallel=5))  # modules imported, caches filled
        time.sleep(3)
        warm = app.rss_mb()
        print(f"  memory: just started {idle:.1f} MB, after 20 warm-up sessions {warm:.1f} MB", flush=True)
        res = asyncio.run(soak(app, data, db, args.minutes, args.visitors, args.think, args.rebuild_every))
        end = app.rss_mb()
        time.sleep(args.quiet_after)
        quiet = app.rss_mb()
        # After the quiet minute the server must still answer: one more run, checked.
        last = asyncio.run(visitors.sessions(app.url, 7, parallel=1))
        alive = app.proc.poll() is None
    peak = max([s["rss_mb"] for s in res["samples"]] + [end])
    out = {
        "mode": "soak",
        "started": started,
        "git": git,
        "machine": {"cpus": os.cpu_count(), "load_at_start": load, "load_at_end": os.getloadavg()},
        "config": vars(args),
        **res,
        "memory": {
            "just_started_mb": round(idle, 1),
            "start_mb": round(warm, 1),
            "peak_mb": round(peak, 1),
            "end_mb": round(end, 1),
            "after_quiet_mb": round(quiet, 1),
            "delta_mb": round(quiet - warm, 1),
        },
        "after": {"server_alive": alive, "check_runs_errors": sum(last["errors"].values())},
    }
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    text = json.dumps(out, indent=2, default=str)
    (OUT / f"soak-{stamp}.json").write_text(text)
    (OUT / "latest-soak.json").write_text(text)
    print(report(out))
    print(f"JSON: {OUT / f'soak-{stamp}.json'}")
    failed = res["errors"] or out["after"]["check_runs_errors"] or not alive
    return 1 if failed else 0


def report(r: dict[str, Any]) -> str:
    """The soak's figures as Markdown (what docs/benchmarks.md shows)."""
    c, m = r["config"], r["memory"]
    rebuilds = r["rebuilds"]
    load = ", ".join(f"{x:.1f}" for x in r["machine"]["load_at_start"])
    lines = [
        f"Soak started {r['started']} on commit {r['git']}: {c['visitors']} visitors for {c['minutes']} min "
        f"on x{c['scale']} data, think time {c['think']} s, database rebuilt in place every "
        f"{c['rebuild_every']} s; load average at start {load}.",
        "",
        "| Sessions opened and closed | Runs | Runs/s | p50 ms | p95 ms | p99 ms | max ms | Errors "
        "| Rebuilds under load |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| {r['sessions']:,} | {r['runs']:,} | {r['runs_per_s']} | {r['p50_ms']} | {r['p95_ms']} | {r['p99_ms']} "
        f"| {r['max_ms']} | {r['errors']} | {len(rebuilds)} |",
        "",
        "| Server memory | RSS MB |",
        "| --- | ---: |",
        f"| just started, no session | {m['just_started_mb']} |",
        f"| before the soak: after 20 warm-up sessions | {m['start_mb']} |",
        f"| peak during the soak (sampled every {SAMPLE_S:.0f} s) | {m['peak_mb']} |",
        f"| at the end of the soak | {m['end_mb']} |",
        f"| after {c['quiet_after']:.0f} s without visitors | {m['after_quiet_mb']} |",
        f"| **difference to the start** | **{m['delta_mb']:+.1f}** |",
    ]
    if r["error_kinds"]:
        lines += ["", f"Errors by kind: {r['error_kinds']}"]
    after = r["after"]
    lines += [
        "",
        f"After the quiet period the server was {'running' if after['server_alive'] else 'DOWN'} and "
        f"{7 - after['check_runs_errors']} of 7 check runs succeeded.",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())

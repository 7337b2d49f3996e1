"""Side by side with Datasette: first content on a cold deep link, the JSON API, 100 API clients.

The real data (data/, built with the real `build` command) is served twice on this machine, in
the same run: by Chatbot Watch (serve.py, as `make run` starts it) and by Datasette, which gets
the same rows: the built database's `app_restrictions` and `app_flows` tables, copied into a
SQLite file with the stdlib `sqlite3` module (lists as JSON text, dates as ISO text). Datasette
lives only in the benchmark's own virtualenv, build/bench-venv, created from PyPI by the
benchmark itself: it is never a dependency of the project, its tests or its runtime.

- **First content.** Chromium opens each URL in a fresh context (no cache, no cookies), the pairs
  interleaved in every round after one untimed round. An init script checks, at every animation
  frame, whether the view's first figure or table row is in the viewport (ours: a figure or row of
  the server-rendered first paint, or the app's own metric or table once mounted; Datasette: a row
  of its table), and records `performance.now()` (ms since the navigation started) at the first
  frame that has one; the figure is the first paint at or after that frame (the browser's first
  contentful paint, if it was not earlier).
- **API.** One keep-alive connection to each server, requests alternating, each timed from
  sending to the last byte; every answer must be 200 with the same row count on both sides.
- **100 clients.** 100 asyncio clients, one keep-alive connection each, requests back to back
  (no think time) over a mix of filters, for a fixed window; every non-200, broken connection
  or timeout is an error. Datasette gets the same treatment afterwards, for context.

Loopback only; both servers stopped at the end; every loop bounded in count and time.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import duckdb

from bench.visitors import pct
from chatbot_watch import paths
from chatbot_watch.tools.devserver import chromium, poll, serve_process

VENV = paths.ROOT / "build" / "bench-venv"
DATASETTE = "datasette==0.65.5"  # pinned: figures comparable from run to run
TABLES = ("app_restrictions", "app_flows")
DB_NAME = "cw"  # Datasette serves build/bench/cw.sqlite as /cw

# (name, our URL path and query, Datasette's page of the same rows). The overview's first table is
# the most recent events (actions and findings); Datasette's nearest page is the restrictions table.
PAIRS = [
    ("/", "/", f"/{DB_NAME}/app_restrictions"),
    ("/countries?country=KR", "/countries?country=KR", f"/{DB_NAME}/app_restrictions?country_code=KR"),
    ("/apps?app=deepseek", "/apps?app=deepseek", f"/{DB_NAME}/app_flows?app_id=deepseek"),
    ("/restrictions?country=KR", "/restrictions?country=KR", f"/{DB_NAME}/app_restrictions?country_code=KR"),
]
API_OURS = "/api/v1/restrictions.json?country=KR"
API_DATASETTE = f"/{DB_NAME}/app_restrictions.json?country_code=KR"
# The 100 clients' mix: list endpoints, several filters, JSON and CSV.
COUNTRIES = ("KR", "US", "IT", "AU", "TW", "DE", "FR", "JP")
APPS = ("deepseek", "chatgpt", "grok")
MIX_OURS = (
    [f"/api/v1/restrictions.json?country={c}" for c in COUNTRIES]
    + [f"/api/v1/flows.json?app={a}" for a in APPS]
    + ["/api/v1/restrictions.csv?country=KR", "/api/v1/countries.json", "/api/v1/apps.json"]
)
MIX_DATASETTE = (
    [f"/{DB_NAME}/app_restrictions.json?country_code={c}" for c in COUNTRIES]
    + [f"/{DB_NAME}/app_flows.json?app_id={a}" for a in APPS]
    + [f"/{DB_NAME}/app_restrictions.csv?country_code=KR", f"/{DB_NAME}/app_restrictions.json", f"/{DB_NAME}.json"]
)

# Ours: a figure or row of the first paint, or the mounted app's metric or table.
OURS_SELECTOR = (
    "#cw-first-paint dd, #cw-first-paint tbody tr, "
    '[data-testid="stMetricValue"], [data-testid="stDataFrame"], [data-testid="stTable"] tbody tr'
)
DATASETTE_SELECTOR = "table.rows-and-columns tbody tr"
FIRST_CONTENT_JS = """(selector) => {
  const inView = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.top < window.innerHeight && r.bottom > 0;
  };
  const tick = () => {
    if (window.__cwFirst !== undefined) return;
    for (const el of document.querySelectorAll(selector)) {
      if (inView(el)) {
        window.__cwFirst = performance.now();
        window.__cwWhat = el.closest('#cw-first-paint') ? 'first paint' : 'page';
        return;
      }
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}"""

# What a sample reads once painted: the frame with the content in view, what showed it, the first
# byte, the first contentful paint and the arrival of the stylesheets requested before (ms from the
# navigation's start).
MARKS_JS = """() => ({
  first: window.__cwFirst,
  what: window.__cwWhat || 'page',
  ttfb: performance.getEntriesByType('navigation')[0].responseStart,
  fcp: (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime,
  css: Math.max(0, ...performance.getEntriesByType('resource')
    .filter(e => e.initiatorType === 'link' && /\\.css(\\?|$)/.test(e.name) && e.startTime < window.__cwFirst)
    .map(e => e.responseEnd)),
})"""
# The browser's first contentful paint is recorded once that frame is painted.
PAINTED_JS = "() => window.__cwFirst !== undefined && performance.getEntriesByName('first-contentful-paint').length > 0"

# ---------------------------------------------------------------------------
# Datasette: its own virtualenv, the same rows, a server
# ---------------------------------------------------------------------------


def ensure_datasette() -> Path:
    """build/bench-venv with Datasette from PyPI (created once); its `datasette` executable."""
    exe = VENV / "bin" / "datasette"
    stamp = VENV / ".datasette"
    if exe.exists() and stamp.is_file() and stamp.read_text() == DATASETTE:
        return exe
    print(f"  creating {VENV.relative_to(paths.ROOT)} with {DATASETTE} (benchmark only)", flush=True)
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True)
    pip = [str(VENV / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, DATASETTE], check=True)
    stamp.write_text(DATASETTE)
    return exe


def _sqlite_value(value: Any) -> Any:
    if value is None or isinstance(value, int | float | str | bytes):
        return value
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def export_sqlite(duck: Path, out: Path) -> dict[str, int]:
    """Copy TABLES of the built DuckDB file into a new SQLite file `out`; rows per table.

    Indexes on the columns the pages filter by, as a Datasette publisher would add them."""
    tmp = out.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    counts: dict[str, int] = {}
    src = duckdb.connect(str(duck), read_only=True)
    dst = sqlite3.connect(tmp)
    try:
        for table in TABLES:
            cur = src.execute(f"SELECT * FROM {table}")  # noqa: S608 - a fixed table name
            cols = [d[0] for d in cur.description]
            rows = [tuple(_sqlite_value(v) for v in r) for r in cur.fetchall()]
            dst.execute(f"CREATE TABLE {table} ({', '.join(f'[{c}]' for c in cols)})")
            dst.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * len(cols))})", rows)
            for col in ("country_code", "app_id", "company_id"):
                if col in cols:
                    dst.execute(f"CREATE INDEX idx_{table}_{col} ON {table} ([{col}])")
            counts[table] = len(rows)
        dst.commit()
    finally:
        dst.close()
        src.close()
    tmp.replace(out)
    return counts


# What Datasette's server (uvicorn) prints once its socket is bound.
DATASETTE_URL = re.compile(rb"Uvicorn running on (http://127\.0\.0\.1:[0-9]+)")


@contextmanager
def datasette(sqlite_file: Path, log: Path) -> Iterator[str]:
    """Datasette serving `sqlite_file` immutable (read-only, counts cached) on a free loopback port."""
    cmd = [str(ensure_datasette()), "serve", "-i", str(sqlite_file), "--host", "127.0.0.1", "--port", "0"]
    cmd += ["--setting", "sql_time_limit_ms", "5000"]
    with serve_process(cmd, DATASETTE_URL, "/-/versions.json", log=log) as (url, _proc):
        yield url


def _get_once(base: str, path: str) -> tuple[int, bytes]:
    u = urlsplit(base)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
    try:
        conn.request("GET", path)
        r = conn.getresponse()
        return r.status, r.read()
    finally:
        conn.close()


# ---------------------------------------------------------------------------
# First content in Chromium
# ---------------------------------------------------------------------------


def first_content(targets: list[dict[str, str]], samples: int, timeout_s: float = 30) -> dict[str, dict[str, Any]]:
    """Time each target (`name`, `url`, `selector`) `samples` times after one untimed round.

    All times from the navigation's start, in the page: `in_view` is performance.now() at the first
    animation frame with the content in the viewport; `ms` the moment it is painted: the browser's
    first contentful paint if that came at or after that frame, else that frame; `wall_ms` the
    moment this process saw it; `ttfb` the response's first byte; `css` the arrival of the last
    stylesheet requested before that frame (stylesheets block painting); `seen_in` whether our
    first paint or the page showed it."""
    times: dict[str, list[float]] = {t["name"]: [] for t in targets}
    walls: dict[str, list[float]] = {t["name"]: [] for t in targets}
    ttfb: dict[str, list[float]] = {t["name"]: [] for t in targets}
    in_view: dict[str, list[float]] = {t["name"]: [] for t in targets}
    css: dict[str, list[float]] = {t["name"]: [] for t in targets}
    what: dict[str, Counter[str]] = {t["name"]: Counter() for t in targets}
    errors: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    with chromium() as browser:
        for rnd in range(samples + 1):
            for t in targets:
                ctx = browser.new_context(viewport={"width": 1280, "height": 900})
                ctx.add_init_script(f"({FIRST_CONTENT_JS})({json.dumps(t['selector'])})")
                page = ctx.new_page()
                try:
                    t0 = time.perf_counter()
                    page.goto(t["url"], wait_until="commit", timeout=timeout_s * 1000)
                    # Polled (devserver.poll), not wait_for_function: the page's CSP forbids eval.
                    poll(page, PAINTED_JS, timeout_s=timeout_s, every_ms=10)
                    wall = (time.perf_counter() - t0) * 1000
                    got = page.evaluate(MARKS_JS)
                    if rnd > 0:
                        # Painted: the first paint at or after the frame that had the content (a
                        # paint before it, of a header say, does not count).
                        times[t["name"]].append(max(float(got["first"]), float(got["fcp"])))
                        in_view[t["name"]].append(float(got["first"]))
                        css[t["name"]].append(float(got["css"]))
                        walls[t["name"]].append(wall)
                        ttfb[t["name"]].append(float(got["ttfb"]))
                        what[t["name"]][got["what"]] += 1
                except Exception as exc:  # noqa: BLE001 - a timeout or a crash is an error sample
                    errors[t["name"]] += 1
                    kinds[f"{type(exc).__name__}: {str(exc).splitlines()[0][:100]}"] += 1
                finally:
                    ctx.close()
    if kinds:
        print(f"  first content: failed samples {dict(kinds)}", flush=True)
    return {
        name: {
            "median_ms": round(statistics.median(v), 1) if v else None,
            "min_ms": round(min(v), 1) if v else None,
            "max_ms": round(max(v), 1) if v else None,
            "wall_median_ms": round(statistics.median(walls[name]), 1) if walls[name] else None,
            "ttfb_median_ms": round(statistics.median(ttfb[name]), 1) if ttfb[name] else None,
            "css_median_ms": round(statistics.median(css[name]), 1) if css[name] else None,
            "in_view_median_ms": round(statistics.median(in_view[name]), 1) if in_view[name] else None,
            "seen_in": dict(what[name]),
            "samples": len(v),
            "errors": errors[name],
        }
        for name, v in times.items()
    }


# ---------------------------------------------------------------------------
# HTTP: sequential latency and concurrent clients
# ---------------------------------------------------------------------------


def _rows_in(body: bytes) -> int:
    """Rows in a JSON answer: ours (`rows`) or Datasette's default shape (`rows`)."""
    return len(json.loads(body)["rows"])


def api_latency(ours: str, theirs: str, requests: int) -> dict[str, Any]:
    """`requests` GETs of API_OURS and API_DATASETTE, alternating, one keep-alive connection each."""
    conns = {}
    for name, base in (("ours", ours), ("datasette", theirs)):
        u = urlsplit(base)
        conns[name] = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    paths_ = {"ours": API_OURS, "datasette": API_DATASETTE}
    times: dict[str, list[float]] = {"ours": [], "datasette": []}
    errors: Counter[str] = Counter()
    rows: dict[str, int] = {}
    sizes: dict[str, int] = {}
    try:
        for i in range(requests + 5):  # the first 5 of each untimed (connection, caches)
            for name in ("ours", "datasette") if i % 2 == 0 else ("datasette", "ours"):
                t0 = time.perf_counter()
                try:
                    conns[name].request("GET", paths_[name])
                    r = conns[name].getresponse()
                    body = r.read()
                except (OSError, http.client.HTTPException):
                    errors[name] += 1
                    conns[name].close()
                    continue
                ms = (time.perf_counter() - t0) * 1000
                if r.status != 200:
                    errors[name] += 1
                    continue
                if i < 5:
                    rows[name] = _rows_in(body)
                    sizes[name] = len(body)
                    continue
                times[name].append(ms)
    finally:
        for c in conns.values():
            c.close()
    out: dict[str, Any] = {}
    for name, v in times.items():
        out[name] = {
            "url": paths_[name],
            "requests": len(v),
            "p50": round(statistics.median(v), 2) if v else None,
            "p95": round(pct(v, 95), 2),
            "rows": rows.get(name),
            "kb": round(sizes.get(name, 0) / 1024, 1),
            "errors": errors[name],
        }
    out["same_rows"] = rows.get("ours") == rows.get("datasette") and rows.get("ours") is not None
    return out


async def _client(host: str, port: int, urls: list[str], start: int, until: float, out: dict[str, Any]) -> None:
    """One client: its own keep-alive connection, GETs back to back until `until`."""
    reader = writer = None
    i = start
    while time.perf_counter() < until:
        path = urls[i % len(urls)]
        i += 1
        t0 = time.perf_counter()
        try:
            if writer is None:
                reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), 10)
            assert reader is not None
            req = f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUser-Agent: cw-bench\r\n\r\n"
            writer.write(req.encode("ascii"))
            status = await asyncio.wait_for(_read_response(reader), 30)
        except (OSError, TimeoutError, asyncio.IncompleteReadError, ValueError) as exc:
            out["errors"][type(exc).__name__] += 1
            if writer is not None:
                writer.close()
            reader = writer = None
            continue
        if status != 200:
            out["errors"][f"HTTP {status}"] += 1
            continue
        out["ms"].append((time.perf_counter() - t0) * 1000)
    if writer is not None:
        writer.close()


async def _read_response(reader: asyncio.StreamReader) -> int:
    """Read one HTTP/1.1 response (Content-Length or chunked); its status."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines[1:] if ln)}
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    else:
        raise ValueError("response without a length")
    return status


async def _clients(base: str, urls: list[str], n: int, seconds: float) -> dict[str, Any]:
    u = urlsplit(base)
    out: dict[str, Any] = {"ms": [], "errors": Counter()}
    t0 = time.perf_counter()
    until = t0 + seconds
    await asyncio.gather(*(_client(u.hostname or "127.0.0.1", u.port or 80, urls, i, until, out) for i in range(n)))
    window = time.perf_counter() - t0
    ms = out["ms"]
    return {
        "clients": n,
        "seconds": round(window, 1),
        "requests": len(ms),
        "per_s": round(len(ms) / window, 1),
        "p50": round(statistics.median(ms), 1) if ms else None,
        "p95": round(pct(ms, 95), 1),
        "errors": sum(out["errors"].values()),
        "error_kinds": dict(out["errors"]),
    }


def concurrent_clients(base: str, urls: list[str], n: int, seconds: float) -> dict[str, Any]:
    """`n` clients hammering `urls` for `seconds`: requests, p50/p95 and errors."""
    return asyncio.run(_clients(base, urls, n, seconds))


# ---------------------------------------------------------------------------
# The section
# ---------------------------------------------------------------------------


def section(cfg: dict[str, Any], db: Path, out_dir: Path, serve: Any) -> dict[str, Any]:
    """The side-by-side section of `python -m bench` on the real data's database `db`."""
    from bench.visitors import one_run

    sqlite_file = out_dir / f"{DB_NAME}.sqlite"
    counts = export_sqlite(db, sqlite_file)
    res: dict[str, Any] = {"sqlite_rows": counts, "datasette": DATASETTE}
    ensure_datasette()
    with serve(db) as app, datasette(sqlite_file, out_dir / "datasette.log") as ds:
        asyncio.run(one_run(app.url, "", ""))  # the first session of a fresh server
        targets = []
        for name, ours, theirs in PAIRS:
            targets.append({"name": f"ours {name}", "url": app.url + ours, "selector": OURS_SELECTOR})
            targets.append({"name": f"datasette {name}", "url": ds + theirs, "selector": DATASETTE_SELECTOR})
        fc = first_content(targets, cfg["versus_samples"])
        pages = {}
        for name, _ours, theirs in PAIRS:
            a, b = fc[f"ours {name}"], fc[f"datasette {name}"]
            ratio = round(a["median_ms"] / b["median_ms"], 2) if a["median_ms"] and b["median_ms"] else None
            pages[name] = {"ours": a, "datasette": b, "datasette_url": theirs, "ratio": ratio}
            print(f"  first content {name}: ours {a['median_ms']}, datasette {b['median_ms']} ms: {ratio}x", flush=True)
        res["first_content"] = pages
        api = api_latency(app.url, ds, cfg["versus_api_requests"])
        o, d = api["ours"], api["datasette"]
        api["ratio_p50"] = round(o["p50"] / d["p50"], 2) if o["p50"] and d["p50"] else None
        res["api"] = api
        print(f"  api: {api}", flush=True)
        n, secs = cfg["versus_clients"], cfg["versus_seconds"]
        res["clients_ours"] = concurrent_clients(app.url, MIX_OURS, n, secs)
        print(f"  {n} API clients, ours: {res['clients_ours']}", flush=True)
        time.sleep(1)
        res["clients_datasette"] = concurrent_clients(ds, MIX_DATASETTE, n, secs)
        print(f"  {n} API clients, datasette: {res['clients_datasette']}", flush=True)
    return res


def what_if(samples: int, variant: str) -> dict[str, Any]:
    """First content of serve.py, of serve.py with `variant` (bench/whatif_serve.py) and of
    Datasette, interleaved in the same rounds, on the real data."""
    from bench import run

    db = run.OUT / "real.duckdb"
    run._run_build(paths.ROOT / "data", db)
    sqlite_file = run.OUT / f"{DB_NAME}.sqlite"
    export_sqlite(db, sqlite_file)
    with ExitStack() as stack:
        app = stack.enter_context(run._serve(db))
        os.environ["CHATBOT_WATCH_WHATIF"] = variant
        try:
            alt = stack.enter_context(run._serve(db, paths.ROOT / "bench" / "whatif_serve.py"))
        finally:
            del os.environ["CHATBOT_WATCH_WHATIF"]
        ds = stack.enter_context(datasette(sqlite_file, run.OUT / "datasette.log"))
        targets = []
        for name, ours, theirs in PAIRS:
            targets.append({"name": f"serve.py {name}", "url": app.url + ours, "selector": OURS_SELECTOR})
            targets.append({"name": f"{variant} {name}", "url": alt.url + ours, "selector": OURS_SELECTOR})
            targets.append({"name": f"datasette {name}", "url": ds + theirs, "selector": DATASETTE_SELECTOR})
        res = first_content(targets, samples)
    print(f"first content, ms (median of {samples}); ratio to Datasette")
    for name, _ours, _theirs in PAIRS:
        base = res[f"datasette {name}"]["median_ms"] or 1.0
        cells = [
            f"{k} {res[f'{k} {name}']['median_ms']:.0f} ({res[f'{k} {name}']['median_ms'] / base:.2f}x)"
            for k in ("serve.py", variant, "datasette")
        ]
        print(f"  {name:<28}" + "   ".join(cells))
    return res


def main(argv: list[str] | None = None) -> int:
    import argparse
    import datetime as dt

    ap = argparse.ArgumentParser(prog="python -m bench.versus", description=__doc__.split("\n")[0])
    ap.add_argument(
        "--what-if", metavar="VARIANT", help="serve.py vs serve.py with VARIANT (bench/whatif_serve.py) vs Datasette"
    )
    ap.add_argument("--samples", type=int, default=15)
    args = ap.parse_args(argv)
    if not args.what_if:
        ap.error("use `python -m bench --only web` for the section; --what-if VARIANT for a what-if")
    from bench import run

    res = {"started": dt.datetime.now(dt.UTC).isoformat(), "load": os.getloadavg()}
    res["first_content"] = what_if(args.samples, args.what_if)
    out = run.OUT / f"whatif-{args.what_if}-{dt.datetime.now():%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(res, indent=2))
    print(f"JSON: {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

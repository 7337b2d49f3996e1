"""The static edition against the app, side by side (issue 23, item 4): what nginx serving the
folder `publish` writes sustains, and what the app serves for the same pages, in one run; and how
long `publish` takes.

    python -m bench.static [--scales 1,100] [--seconds 10] [--connections 16]

Both are loaded with wrk (Debian's package; the section says skipped without it) from a list of
the same pages, taken round-robin from the sitemap (the home page, the section pages, the country,
app and company pages and records): the app answers them with its server-rendered first paint
(the HTML a crawler or a CDN would take), nginx with the static edition's files. Prints requests
per second and the latency median and 95th percentile. The app runs as `make run` runs it
(serve.py through deploy/streamlit_nodelay.py); nginx with a minimal server block on loopback.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.server import serve
from chatbot_watch import queries
from chatbot_watch.config import load_settings
from chatbot_watch.paths import ROOT
from chatbot_watch.store.build import build
from chatbot_watch.tools import synth
from chatbot_watch.web import previews, publish

BASE = "https://bench.example.org"
NGINX_CONF = """
worker_processes 2;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    types {{ text/html html; application/json json; text/csv csv; image/png png; application/xml xml; }}
    sendfile on;
    server {{
        listen 127.0.0.1:{port};
        root {root};
        index index.html;
        location / {{ try_files $uri $uri/ =404; }}
    }}
}}
"""
WRK_SCRIPT = """
paths = {{{paths}}}
i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %f %f %f %d %d\\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wrk(url: str, paths: list[str], seconds: int, connections: int, tmp: Path) -> dict[str, float]:
    script = tmp / "paths.lua"
    script.write_text(WRK_SCRIPT.format(paths=", ".join(f'"{p}"' for p in paths)))
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-s", str(script), url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    m = re.search(r"RESULT (\S+) (\S+) (\S+) (\d+) (\d+)", out)
    assert m, out
    rps, p50, p95, bad_status, errors = m.groups()
    return {
        "rps": float(rps),
        "p50_ms": float(p50),
        "p95_ms": float(p95),
        "non_2xx": int(bad_status),
        "errors": int(errors),
    }


def _db(scale: int, work: Path) -> Path:
    db = work / f"x{scale}.duckdb"
    if scale == 1:
        build(ROOT / "data", db)
    else:
        data = work / f"x{scale}"
        synth.generate(data, scale=scale, seed=1)
        build(data, db)
    return db


def _pages(db: Path, most: int = 200) -> list[str]:
    """Up to `most` pages of the sitemap, spread over it (sections, countries, apps, records)."""
    con = queries.connect(str(db))
    try:
        urls = previews.sitemap_paths(con)
    finally:
        con.close()
    step = max(1, len(urls) // most)
    return urls[::step][:most]


def run(scales: list[int], seconds: int, connections: int, serve_scale: int = 1) -> list[str]:
    """The section's lines (a Markdown table and notes)."""
    lines = []
    with tempfile.TemporaryDirectory(prefix="bench-static-") as t:
        work = Path(t)
        work.chmod(0o755)  # nginx's workers (another user) read the edition from here
        timings = []
        for scale in scales:
            db = _db(scale, work)
            out = work / f"site-x{scale}"
            settings = publish.settings_for(load_settings(), db)
            start = time.monotonic()
            done = publish.publish(settings, out, BASE, images=False)
            timings.append((scale, done.pages, done.api_files, time.monotonic() - start))
            if scale != serve_scale:
                continue
            if not shutil.which("wrk") or not Path("/usr/sbin/nginx").exists():
                lines.append("Serving: skipped (wrk or nginx missing: `apt-get install -y wrk nginx`).")
                continue
            pages = _pages(db)
            static_paths = ["/" + publish.static_path(p) for p in pages]
            port = _free_port()
            conf = work / "nginx.conf"
            conf.write_text(NGINX_CONF.format(tmp=work, port=port, root=out))
            nginx = subprocess.Popen(["/usr/sbin/nginx", "-c", str(conf), "-g", "daemon off;"])
            try:
                time.sleep(0.5)
                static = _wrk(f"http://127.0.0.1:{port}", static_paths, seconds, connections, work)
            finally:
                nginx.terminate()
                nginx.wait()
            with serve(db) as server:
                _wrk(server.url, pages[:20], 2, connections, work)  # warm the app's caches
                app = _wrk(server.url, pages, seconds, connections, work)
            lines += [
                f"Serving the same {len(pages)} pages (x{scale}, wrk, 2 threads, {connections} connections, "
                f"{seconds} s each):",
                "",
                "| Server | Requests/s | Median ms | p95 ms | Non-2xx | Errors |",
                "| --- | --- | --- | --- | --- | --- |",
                f"| nginx, static edition | {static['rps']:.0f} | {static['p50_ms']:.1f} | {static['p95_ms']:.1f} | "
                f"{static['non_2xx']} | {static['errors']} |",
                f"| the app (serve.py), first paint | {app['rps']:.0f} | {app['p50_ms']:.1f} | {app['p95_ms']:.1f} | "
                f"{app['non_2xx']} | {app['errors']} |",
                f"| ratio static / app | {static['rps'] / max(app['rps'], 1e-9):.1f}x | | | | |",
                "",
            ]
        lines += ["| Publish (no images) | Pages | API files | Seconds |", "| --- | --- | --- | --- |"]
        lines += [f"| x{s} | {p} | {a} | {sec:.1f} |" for s, p, a, sec in timings]
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.static", description=__doc__.split("\n")[0])
    ap.add_argument("--scales", default="1,100", help="data scales to publish")
    ap.add_argument("--serve-scale", type=int, default=1, help="the scale whose edition is served (0: none)")
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--connections", type=int, default=16)
    args = ap.parse_args(argv)
    for line in run([int(s) for s in args.scales.split(",")], args.seconds, args.connections, args.serve_scale):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())

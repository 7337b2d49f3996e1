"""Markdown tables of a benchmark run's JSON, for docs/benchmarks.md.

    .venv/bin/python -m bench.report build/bench/latest-full.json [more.json ...]

Each file's sections are printed as tables, in the order of the issue's figures; a second file
(for example a run with `--option runner.postScriptGC=false`) is printed after the first.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


def _f(value: Any, digits: int = 0) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def tables(r: dict[str, Any]) -> str:
    """The run `r` as Markdown."""
    out: list[str] = []
    opts = r.get("config", {}).get("streamlit_options") or {}
    out.append(
        f"Run: `{r['mode']}` mode, started {r['started']} UTC, {r['seconds']:.0f} s"
        + (f", streamlit options {opts}" if opts else "")
        + f"; load average at start {', '.join(f'{x:.1f}' for x in r['machine']['load_at_start'])}.\n"
    )
    if "build" in r:
        out.append("| Scale | Records | YAML MB | Build wall s | of which in `build()` s | Peak RSS MB | DB MB |")
        out.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for k, b in r["build"].items():
            out.append(
                f"| {k} | {b['records']:,} | {b['yaml_mb']} | {b['wall_s']:.2f} | {_f(b['inner_s'], 2)} "
                f"| {b['peak_mb']:.0f} | {b['db_mb']} |"
            )
        out.append("")
    for scale, per in r.get("rebuild", {}).items():
        n = r["config"].get("rebuild_runs", 1)
        out.append(f"Rebuild after editing one data file, {scale} (median of {n} edits; the cold build first):\n")
        out.append("| Edited file | YAML MB | wall s | in `build()` s | CPU s | Peak RSS MB | files from the cache |")
        out.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for name, b in per.items():
            out.append(
                f"| {name} | {b.get('yaml_mb', '')} | {b['wall_s']:.2f} | {_f(b['inner_s'], 2)} | {b['cpu_s']:.2f} "
                f"| {b['peak_mb']:.0f} | {b['files_cached']} of {b['files']} |"
            )
        out.append("")
    for scale, per in r.get("rerun", {}).items():
        runs = r["config"]["rerun_runs"]
        out.append(f"Rerun after a filter change, server side, {scale} (ms; {runs} runs a page):\n")
        out.append("| Page | p50 | p95 | max | p50 / minimal | first view (cache miss) p50 | KB sent | errors |")
        out.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
        for name, p in per.items():
            ratio = "1" if name == "minimal" else f"{p.get('ratio_p50', 0):.2f}"
            out.append(
                f"| {name} | {_f(p['p50'])} | {_f(p['p95'])} | {_f(p['max'])} | {ratio} | {_f(p['cold_p50'])} "
                f"| {_f(p['kb_per_run'])} | {p['errors'] or ''} |"
            )
        out.append("")
    for scale, per in r.get("deeplink", {}).items():
        n = r["config"]["deeplink_samples"]
        out.append(f"Deep link in Chromium to content drawn, {scale} (ms; median of {n}, fresh browser context):\n")
        out.append("| Page | median | min | max | median / minimal | errors |")
        out.append("| --- | ---: | ---: | ---: | ---: | --- |")
        for name, p in per.items():
            ratio = "1" if name == "minimal" else f"{p.get('ratio', 0):.2f}"
            out.append(
                f"| {name} | {_f(p['median_ms'])} | {_f(p['min_ms'])} | {_f(p['max_ms'])} | {ratio} "
                f"| {p['errors'] or ''} |"
            )
        out.append("")
    if r.get("concurrency"):
        out.append("Concurrent visitors, x1, one process:\n")
        out.append("| N | window s | think s | runs | runs/s | p50 ms | p95 ms | errors | server RSS MB |")
        out.append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for c in r["concurrency"].values():
            out.append(
                f"| {c['visitors']} | {c['seconds']} | {c['think_s']} | {c['runs']} | {c['throughput_per_s']} "
                f"| {_f(c['p50'])} | {_f(c['p95'])} | {c['errors']} | {c['server_rss_mb']} |"
            )
        out.append("")
    if r.get("memory"):
        m = r["memory"]
        out.append("| Server memory (x1) | RSS MB |")
        out.append("| --- | ---: |")
        out.append(f"| just started, no session | {m['idle_mb']} |")
        out.append(f"| start: after 20 warm-up sessions | {m['start_mb']} |")
        what = f"after {m['sessions']} more sessions opened, run and closed ({m['seconds']} s)"
        out.append(f"| {what} | {m['after_mb']} |")
        out.append(f"| 10 s later | {m['after_pause_mb']} |")
        out.append(f"| **difference to the start** | **{m['delta_mb']:+}** |")
        out.append("")
    g = r.get("nginx")
    if g and "skipped" not in g:
        one, two = g["one_process"], g["nginx_two_processes"]
        out.append(f"{one['visitors']} visitors for {one['seconds']:.0f} s, x1:\n")
        out.append("| Layout | runs/s | p50 ms | p95 ms | errors |")
        out.append("| --- | ---: | ---: | ---: | ---: |")
        for name, c in (("one process, direct", one), ("nginx, two processes", two)):
            out.append(f"| {name} | {c['throughput_per_s']} | {_f(c['p50'])} | {_f(c['p95'])} | {c['errors']} |")
        split = g["backend_split"]
        out.append(f"\nThroughput gain: **{g['throughput_gain']}x**; websocket sessions per process: {split}.\n")
    w = r.get("web")
    if w:
        n = r["config"]["versus_samples"]
        out.append(
            f"First content on a cold deep link in Chromium, real data (ms from the navigation's start to the "
            f"view's first figure or table row painted; median of {n}, fresh browser context; first byte and "
            "stylesheets in: medians too; Datasette opening the same rows):\n"
        )
        out.append(
            "| Page | ours | min | max | first byte | CSS in | shown by | Datasette page | Datasette | min | max "
            "| first byte | CSS in | ours / Datasette | errors (ours / Datasette) |"
        )
        out.append(
            "| --- | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
        )
        for name, p in w["first_content"].items():
            a, b = p["ours"], p["datasette"]
            shown = ", ".join(f"{k} {v}" for k, v in (a.get("seen_in") or {}).items())
            errs = f"{a['errors']} / {b['errors']}" if a["errors"] or b["errors"] else ""
            out.append(
                f"| `{name}` | {_f(a['median_ms'])} | {_f(a['min_ms'])} | {_f(a['max_ms'])} "
                f"| {_f(a.get('ttfb_median_ms'))} | {_f(a.get('css_median_ms'))} "
                f"| {shown} | `{p['datasette_url']}` | {_f(b['median_ms'])} | {_f(b['min_ms'])} | {_f(b['max_ms'])} "
                f"| {_f(b.get('ttfb_median_ms'))} | {_f(b.get('css_median_ms'))} | {_f(p['ratio'], 2)} | {errs} |"
            )
        out.append("")
        a = w["api"]
        out.append(f"API, one keep-alive client each, requests alternating ({a['ours']['requests']} timed each; ms):\n")
        out.append("| Server | URL | p50 | p95 | rows | KB | errors |")
        out.append("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
        for name in ("ours", "datasette"):
            x = a[name]
            out.append(
                f"| {name} | `{x['url']}` | {_f(x['p50'], 1)} | {_f(x['p95'], 1)} | {x['rows']} | {x['kb']} "
                f"| {x['errors']} |"
            )
        out.append(f"\np50 ours / Datasette: **{a['ratio_p50']}x**; the same rows on both: {a['same_rows']}.\n")
        out.append("Concurrent API clients, back to back over a mix of filters and formats:\n")
        out.append("| Server | clients | window s | requests | per s | p50 ms | p95 ms | errors |")
        out.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for name in ("ours", "datasette"):
            c = w[f"clients_{name}"]
            kinds = f" {c['error_kinds']}" if c["error_kinds"] else ""
            out.append(
                f"| {name} | {c['clients']} | {c['seconds']} | {c['requests']:,} | {c['per_s']} | {_f(c['p50'])} "
                f"| {_f(c['p95'])} | {c['errors']}{kinds} |"
            )
        out.append("")
    m = r.get("mount")
    if m:
        runs, n = r["config"]["mount_runs"], r["config"]["mount_samples"]
        out.append(
            f"The app after mount, x1: app.py alone against serve.py, same run (rerun p50 of {runs} runs a page, "
            f"ms; deep link to fully drawn, median of {n}, ms):\n"
        )
        out.append("| Page | rerun p50 app.py | serve.py | ratio | deep link app.py | serve.py | ratio |")
        out.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for name in m["rerun"]:
            a, d = m["rerun"][name], m["deeplink"][name]
            out.append(
                f"| {name} | {_f(a['app.py']['p50'])} | {_f(a['serve.py']['p50'])} | {_f(a['ratio_p50'], 2)} "
                f"| {_f(d['app.py']['median_ms'])} | {_f(d['serve.py']['median_ms'])} | {_f(d['ratio'], 2)} |"
            )
        out.append("")
    if r.get("verdicts"):
        out.append("| Goal | Verdict |")
        out.append("| --- | --- |")
        for k, v in r["verdicts"].items():
            out.append(f"| {k} | {v} |")
        out.append("")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    for name in argv if argv is not None else sys.argv[1:]:
        print(tables(json.loads(Path(name).read_text())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

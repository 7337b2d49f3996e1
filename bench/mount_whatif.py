"""Which part of the web layer costs the deep link its time after mount? (issue 14)

Times a cold deep link to fully drawn (as the benchmark's mount section does: a fresh browser
context, until the script has run and every table and chart is drawn) on app.py alone, serve.py,
and serve.py without one of its parts (bench/whatif_serve.py), all servers' pages interleaved in
every round, x1 data. Prints medians and each server's ratio to app.py per page, and writes JSON
to build/bench/.

    python -m bench.mount_whatif [--samples 8] [--variants no-first-paint,no-headers,bare]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import statistics
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from bench import run, visitors, workload
from bench.browser import deep_links

WHATIF = Path(__file__).resolve().with_name("whatif_serve.py")
VARIANTS = ("no-first-paint", "no-headers", "bare")  # and no-<header>: see bench/whatif_serve.py


def measure(samples: int, variants: tuple[str, ...]) -> dict[str, Any]:
    """Deep link to fully drawn per page and server; medians in ms and ratios to app.py."""
    db = run.dataset(1, 1)
    with ExitStack() as stack:
        servers = {
            "app.py": stack.enter_context(run._serve(db, run.APP_SCRIPT)),
            "serve.py": stack.enter_context(run._serve(db)),
        }
        for variant in variants:
            os.environ["CHATBOT_WATCH_WHATIF"] = variant
            try:
                servers[variant] = stack.enter_context(run._serve(db, WHATIF))
            finally:
                del os.environ["CHATBOT_WATCH_WHATIF"]
        for srv in servers.values():
            asyncio.run(visitors.one_run(srv.url, "", "country=US"))
        targets = []
        for name, page in workload.PAGES.items():
            query = workload.DEEP_LINKS[name]
            probe = asyncio.run(visitors.one_run(servers["serve.py"].url, page, query))
            charts = probe.kinds.get("vega_lite_chart", 0)
            for label, srv in servers.items():
                url = f"{srv.url}/{page}" + (f"?{query}" if query else "")
                targets.append({"name": f"{label}|{name}", "url": url, "tables": 1, "charts": charts})
        links = deep_links(targets, samples)
    pages: dict[str, Any] = {}
    for name in workload.PAGES:
        base = links[f"app.py|{name}"]["median_ms"]
        pages[name] = {
            label: {**links[f"{label}|{name}"], "ratio": round(links[f"{label}|{name}"]["median_ms"] / base, 3)}
            for label in servers
        }
    summary = {
        label: {
            "median_ratio": round(statistics.median(pages[n][label]["ratio"] for n in workload.PAGES), 3),
            **_paired(links, label),
            "pages_slower": sum(pages[n][label]["ratio"] > 1 for n in workload.PAGES),
            "errors": sum(pages[n][label]["errors"] for n in workload.PAGES),
        }
        for label in servers
    }
    return {"pages": pages, "summary": summary}


def _paired(links: dict[str, Any], label: str) -> dict[str, Any]:
    """`label`'s time over app.py's for the same page in the same round, over every page and
    round: the median and its quartiles, and how many of those pairs `label` lost."""
    ratios = sorted(
        mine / base
        for name in workload.PAGES
        for mine, base in zip(links[f"{label}|{name}"]["rounds_ms"], links[f"app.py|{name}"]["rounds_ms"], strict=True)
        if mine is not None and base is not None
    )
    if len(ratios) < 4:
        return {**dict.fromkeys(("paired_median", "paired_q1", "paired_q3", "paired_slower")), "pairs": len(ratios)}
    q1, q2, q3 = statistics.quantiles(ratios, n=4)
    return {
        "paired_median": round(q2, 3),
        "paired_q1": round(q1, 3),
        "paired_q3": round(q3, 3),
        "paired_slower": sum(r > 1 for r in ratios),
        "pairs": len(ratios),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.mount_whatif", description=__doc__.split("\n")[0])
    ap.add_argument("--samples", type=int, default=8)
    ap.add_argument("--variants", default=",".join(VARIANTS))
    args = ap.parse_args(argv)
    variants = tuple(v for v in args.variants.split(",") if v)
    started = dt.datetime.now(dt.UTC)
    res = {"started": started.isoformat(), "load": os.getloadavg(), "samples": args.samples}
    res.update(measure(args.samples, variants))
    res["load_after"] = os.getloadavg()
    labels = list(res["summary"])
    print(f"deep link to fully drawn, x1, median of {args.samples} (ms, ratio to app.py)")
    for name, per in res["pages"].items():
        print(f"  {name:<13}" + "  ".join(f"{k} {per[k]['median_ms']:.0f} ({per[k]['ratio']:.2f})" for k in labels))
    for k, s in res["summary"].items():
        slower = f"slower on {s['pages_slower']} of {len(res['pages'])} pages"
        paired = (
            f"; paired by round {s['paired_median']:.3f} (quartiles {s['paired_q1']:.3f} to {s['paired_q3']:.3f}, "
            f"slower in {s['paired_slower']} of {s['pairs']})"
            if s["paired_median"] is not None
            else ""
        )
        print(f"  {k:<15} median ratio {s['median_ratio']:.3f}, {slower}, errors {s['errors']}{paired}")
    run.OUT.mkdir(parents=True, exist_ok=True)
    out = run.OUT / f"mount-whatif-{started:%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(res, indent=2))
    print(f"JSON: {out}; load average {res['load'][0]:.1f} before, {res['load_after'][0]:.1f} after")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

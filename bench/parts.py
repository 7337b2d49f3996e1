"""What a deep link's time is made of: the restrictions page with parts left out, in Chromium.

    .venv/bin/python -m bench.parts                       # the default variants, 7 samples, x1
    .venv/bin/python -m bench.parts --variants ";nomap,nobytype,notimeline" --samples 5

Each variant (see bench/parts_app.py) runs in its own server on the same database, beside the
minimal page; all are timed in the same interleaved rounds as the benchmark's deep-link section
(fresh browser context, until the script finished and every table and chart is drawn). Prints
the median and its ratio to the minimal page. A diagnostic, not part of `make bench`.
"""

from __future__ import annotations

import argparse
import os
from contextlib import ExitStack

from bench.browser import deep_links
from bench.run import MINIMAL, dataset
from bench.server import serve
from chatbot_watch import paths

APP = paths.ROOT / "bench" / "parts_app.py"
DEFAULT = ";".join(
    [
        "",
        "nosidebar",
        "nomap,nobytype,notimeline",
        "nodownloads,nofooter",
        "nosidebar,nomap,nobytype,notimeline,nodownloads,nofooter",
    ]
)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.parts", description=__doc__.split("\n")[0])
    ap.add_argument("--variants", default=DEFAULT, help="';'-separated variants, each a comma-separated EXP list")
    ap.add_argument("--samples", type=int, default=7)
    ap.add_argument("--scale", type=int, default=1)
    args = ap.parse_args(argv)
    db = dataset(args.scale, 1)
    targets = []
    with ExitStack() as stack:
        mini = stack.enter_context(serve(db, script=MINIMAL))
        targets.append({"name": "minimal", "url": mini.url + "/?country=US", "tables": 1, "charts": 0})
        for variant in args.variants.split(";"):
            os.environ["EXP"] = variant
            app = stack.enter_context(serve(db, script=APP))
            charts = 3 - sum(part in variant.split(",") for part in ("nomap", "nobytype", "notimeline"))
            url = app.url + "/?country=US"
            targets.append({"name": variant or "whole page", "url": url, "tables": 1 + charts, "charts": charts})
        os.environ.pop("EXP", None)
        res = deep_links(targets, args.samples)
    base = res["minimal"]["median_ms"] or 1
    print(f"{'variant (left out)':60} {'median ms':>10} {'x minimal':>10} errors")
    for name, r in res.items():
        med = r["median_ms"] or 0
        print(f"{name:60} {med:10.0f} {med / base:10.2f} {r['errors']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""How long a filter change takes to rerun each page, on the bundled data (server-side script time).

    .venv/bin/python scripts/bench_rerun.py [--runs 40]

For each page it opens the page in Streamlit's AppTest (the real script, real DuckDB file, real
caches), then changes the country filter in the sidebar, cycling through several values, and
times each rerun. The first time a value is seen its queries miss the cache; later they hit: the first five
runs (one per value) are reported apart, as cache misses. Prints p50, p95 and max per page, in
milliseconds. Not part of the test suite (timings flake).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from chatbot_watch.build import build  # noqa: E402

PAGES = ["overview", "flows", "restrictions", "countries", "apps", "companies", "about"]
VALUES = [["KR"], ["IT"], ["US"], ["KR", "IT"], []]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=40)
    args = ap.parse_args()
    db = Path(tempfile.mkdtemp()) / "bench.duckdb"
    build(ROOT / "data", db)
    os.environ["CHATBOT_WATCH_DB"] = str(db)
    import logging

    logging.getLogger("streamlit").setLevel(logging.ERROR)
    from streamlit.testing.v1 import AppTest

    print(f"rerun after a country-filter change, {args.runs} runs per page (ms)")
    print(f"{'page':<14}{'p50':>8}{'p95':>8}{'max':>8}   first view of a filter value (cache miss): p50 / max")
    for page in PAGES:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.query_params["app"] = "deepseek"
        at.run()
        if page != "overview":
            at.switch_page(f"pages/{page}.py").run()
        times, misses = [], []
        for i in range(args.runs):
            at.multiselect(key="country").set_value(VALUES[i % len(VALUES)])
            t0 = time.perf_counter()
            at.run()
            ms = (time.perf_counter() - t0) * 1000
            (misses if i < len(VALUES) else times).append(ms)
            assert not at.exception, at.exception
        times.sort()
        p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
        print(
            f"{page:<14}{statistics.median(times):>8.1f}{p95:>8.1f}{times[-1]:>8.1f}"
            f"   {statistics.median(misses):>6.1f} / {max(misses):.1f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

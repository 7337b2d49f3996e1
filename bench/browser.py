"""Deep-link time in Chromium: from opening a page's URL to its content being there.

Each sample opens the URL in a fresh browser context (no cache, no cookies: a reader who
follows a shared link), then waits until Streamlit has finished the run and the content is
drawn: the page title, the expected number of tables attached and every chart drawn (an
SVG or canvas inside each chart). The pages and the minimal page are measured in the same
rounds, interleaved, so that a slow moment of the machine hits both, and in a new order each
round (seeded), so that no target always comes first or always follows the same one.
"""

from __future__ import annotations

import random
import statistics
import time
from typing import Any

from chatbot_watch.tools.devserver import chromium, poll

READY_JS = """([tables, charts]) => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (!document.querySelector('h1')) return false;
  if (document.querySelector('[data-testid="stSkeleton"]')) return false;
  if (document.querySelectorAll('[data-testid="stDataFrame"]').length < tables) return false;
  let drawn = 0;
  for (const c of document.querySelectorAll('[data-testid="stVegaLiteChart"]')) {
    if (c.querySelector('svg, canvas')) drawn += 1;
  }
  return drawn >= charts;
}"""


def deep_links(targets: list[dict[str, Any]], samples: int, timeout_s: float = 60) -> dict[str, dict[str, Any]]:
    """Time each target (`name`, `url`, `tables`, `charts`) `samples` times: median, min and max
    in ms, and `rounds_ms`, each round's time (None for an error), to pair targets round by round."""
    rounds: dict[str, list[float | None]] = {t["name"]: [None] * samples for t in targets}
    errors: dict[str, int] = {t["name"]: 0 for t in targets}
    with chromium() as browser:
        # One untimed visit each: the server's first run of a page imports and caches.
        order = list(targets)
        for rnd in range(samples + 1):
            random.Random(rnd).shuffle(order)  # noqa: S311 - an order, not a secret
            for t in order:
                ctx = browser.new_context(viewport={"width": 1280, "height": 900})
                page = ctx.new_page()
                try:
                    t0 = time.perf_counter()
                    page.goto(t["url"], wait_until="commit", timeout=timeout_s * 1000)
                    poll(page, READY_JS, arg=[t["tables"], t["charts"]], timeout_s=timeout_s, every_ms=10)
                    ms = (time.perf_counter() - t0) * 1000
                    if page.locator('[data-testid="stException"]').count():
                        errors[t["name"]] += 1
                    elif rnd > 0:
                        rounds[t["name"]][rnd - 1] = ms
                except Exception:  # noqa: BLE001 - a timeout or a crash is an error sample
                    errors[t["name"]] += 1
                finally:
                    ctx.close()
    out: dict[str, dict[str, Any]] = {}
    for name, per_round in rounds.items():
        v = [ms for ms in per_round if ms is not None]
        out[name] = {
            "median_ms": statistics.median(v) if v else None,
            "min_ms": min(v) if v else None,
            "max_ms": max(v) if v else None,
            "samples": len(v),
            "errors": errors[name],
            "rounds_ms": [None if ms is None else round(ms, 1) for ms in per_round],
        }
    return out

"""Side by side with Datasette after first content (issue 26, item 7): a filter change, and a record page.

The real data is served by Chatbot Watch (serve.py) and by Datasette (bench/versus.py: the same rows in
SQLite), both on this machine at once, and every sample of each of the four measurements below is taken
in the same round, interleaved, in a new seeded order each round, after one untimed round.

- **Filter change, ours.** A fresh browser context opens `/restrictions?country=IT&country=KR` and waits
  until it is fully drawn (script finished, nothing stale, no skeleton, the headline figures, the
  first table's cells and every chart's SVG there, then no change inside a chart for QUIET_MS). The
  page then clicks the × of the "South Korea" chip in the sidebar's Country filter. Timed in the page,
  from the click's `pointerdown` (performance.now()):
  - `new view`: the first animation frame at which the script has finished, no element is stale
    (Streamlit marks the previous run's elements `data-stale="true"` until the run replaces them),
    the headline figures read exactly what `/restrictions?country=IT` shows on a deep link, and the
    first table's cells in the page (the grid's accessible cells) are those of that deep link too;
  - `charts`: the last change inside any chart (a MutationObserver on every `stVegaLiteChart`) after
    the click, once the new view is there and no chart has changed for QUIET_MS (the moment the last
    chart finished redrawing; a chart left alone adds nothing).
- **Filter change, Datasette.** A fresh context opens `/cw/app_restrictions?country_code__in=IT,KR`
  (Datasette's syntax for two values of a column), waits for its rows, then navigates the same tab to
  `?country_code=IT` (the page load a reader of Datasette waits for; stylesheets cached, as after a
  form submit). Timed in the new page, from its navigation's start to the paint of the first frame
  with a table row in view (versus.first_content's rule).
- **Record page.** First content on a cold deep link (fresh context) of `/record?id=CA-001` and of
  Datasette's row page of the same record (`/cw/app_restrictions/<rowid>`, its first row), with
  versus.first_content's rule: the paint of the first frame with a figure or row (ours: of the
  server-rendered first paint, or the mounted app's), or a row of Datasette's table, in view.

    .venv/bin/python -m bench --only interaction          # in `make bench` too
    .venv/bin/python -m bench.interaction --samples 9     # this section alone, its table and JSON
"""

from __future__ import annotations

import json
import random
import sqlite3
import statistics
import time
from pathlib import Path
from typing import Any

from bench import versus
from bench.visitors import pct
from chatbot_watch.tools.devserver import chromium, poll

PAGE = "/restrictions"
BEFORE = "?country=IT&country=KR"
AFTER = "?country=IT"
REMOVED = "South Korea"  # the chip whose × is clicked (its aria-label is "Remove South Korea")
DS_BEFORE = f"/{versus.DB_NAME}/app_restrictions?country_code__in=IT,KR"
DS_AFTER = f"/{versus.DB_NAME}/app_restrictions?country_code=IT"
RECORD = "CA-001"
QUIET_MS = 600  # no change inside any chart for this long: the charts are drawn

# The page fully drawn: what a reader sees once everything has arrived (every chart on the page
# drawn, and at least `charts` of them).
DRAWN_JS = """([charts]) => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector('[data-stale="true"], [data-testid="stSkeleton"]')) return false;
  if (!document.querySelector('[data-testid="stMetricValue"]')) return false;
  if (!document.querySelector('[data-testid^="glide-cell-"]')) return false;
  const cs = document.querySelectorAll('[data-testid="stVegaLiteChart"]');
  if (cs.length < charts) return false;
  for (const c of cs) if (!c.querySelector('svg, canvas')) return false;
  return true;
}"""

# What the view shows: the headline figures and the first table's cells in the page.
SIGNATURE_JS = """() => ({
  figures: [...document.querySelectorAll('[data-testid="stMetricValue"]')].map(e => e.textContent.trim()),
  cells: [...document.querySelectorAll('[data-testid^="glide-cell-"]')].map(e => e.textContent.trim()),
})"""

# Installed once the page is drawn: the click's time, the first frame showing the expected view
# (script finished, nothing stale, the expected figures and cells), the last change inside a chart.
WATCH_JS = """([want]) => {
  const w = window.__cwWatch = {click: null, view: null, chartChanges: 0, lastChart: null};
  // Each chart's drawing: still the same SVG element afterwards (its data swapped in place) or a new one.
  for (const svg of document.querySelectorAll('[data-testid="stVegaLiteChart"] svg')) svg.__cwBefore = true;
  document.addEventListener('pointerdown', () => { if (w.click === null) w.click = performance.now(); }, true);
  const obs = new MutationObserver(() => {
    if (w.click === null) return;
    w.chartChanges += 1;
    w.lastChart = performance.now();
  });
  for (const c of document.querySelectorAll('[data-testid="stVegaLiteChart"]')) {
    obs.observe(c, {childList: true, subtree: true, attributes: true, characterData: true});
  }
  // A chart mounted anew (a new element) is observed from its container up.
  const main = document.querySelector('[data-testid="stMain"]');
  if (main) new MutationObserver((records) => {
    for (const r of records) for (const n of r.addedNodes) {
      if (n.nodeType !== 1) continue;
      const sel = '[data-testid="stVegaLiteChart"]';
      const cs = n.matches(sel) ? [n] : n.querySelectorAll(sel);
      for (const c of cs) {
        obs.observe(c, {childList: true, subtree: true, attributes: true, characterData: true});
        if (w.click !== null) { w.chartChanges += 1; w.lastChart = performance.now(); }
      }
    }
  }).observe(main, {childList: true, subtree: true});
  const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
  const tick = () => {
    if (w.click !== null && w.view === null) {
      const app = document.querySelector('[data-testid="stApp"]');
      const figures = [...document.querySelectorAll('[data-testid="stMetricValue"]')].map(e => e.textContent.trim());
      const cells = [...document.querySelectorAll('[data-testid^="glide-cell-"]')].map(e => e.textContent.trim());
      if (app && app.getAttribute('data-test-script-state') === 'notRunning'
          && !document.querySelector('[data-stale="true"], [data-testid="stSkeleton"]')
          && same(figures, want.figures) && same(cells, want.cells)) {
        w.view = performance.now();
      }
    }
    if (w.view === null) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}"""
WATCHED_JS = """() => ({...window.__cwWatch,
  kept: [...document.querySelectorAll('[data-testid="stVegaLiteChart"] svg')].filter(s => s.__cwBefore).length,
  drawn: document.querySelectorAll('[data-testid="stVegaLiteChart"] svg').length})"""


def _median(v: list[float]) -> float | None:
    return round(statistics.median(v), 1) if v else None


def _summary(v: list[float], errors: int) -> dict[str, Any]:
    return {
        "median_ms": _median(v),
        "p90_ms": round(pct(v, 90), 1) if v else None,
        "min_ms": round(min(v), 1) if v else None,
        "max_ms": round(max(v), 1) if v else None,
        "samples": len(v),
        "errors": errors,
        "all_ms": [round(x, 1) for x in v],
    }


def _settled(page: Any, charts: int, timeout_s: float) -> None:
    """Wait until the page is drawn and no chart has changed for QUIET_MS."""
    poll(page, DRAWN_JS, arg=[charts], timeout_s=timeout_s, every_ms=20)
    page.evaluate(
        """() => { window.__cwQuiet = performance.now();
          const o = new MutationObserver(() => { window.__cwQuiet = performance.now(); });
          for (const c of document.querySelectorAll('[data-testid="stVegaLiteChart"]'))
            o.observe(c, {childList: true, subtree: true, attributes: true}); }"""
    )
    poll(page, f"() => performance.now() - window.__cwQuiet > {QUIET_MS}", timeout_s=timeout_s, every_ms=50)


def expected_view(browser: Any, base: str, charts: int, timeout_s: float = 60) -> dict[str, list[str]]:
    """The figures and first table's cells of `PAGE + AFTER` on a deep link: what the new view must show."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = ctx.new_page()
        page.goto(base + PAGE + AFTER, wait_until="commit", timeout=timeout_s * 1000)
        _settled(page, charts, timeout_s)
        return page.evaluate(SIGNATURE_JS)
    finally:
        ctx.close()


def ours_change(browser: Any, base: str, want: dict[str, list[str]], charts: int, timeout_s: float = 60) -> dict:
    """One sample of our filter change: `new_view_ms` and `charts_ms` from the click, in the page."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = ctx.new_page()
        page.goto(base + PAGE + BEFORE, wait_until="commit", timeout=timeout_s * 1000)
        _settled(page, charts, timeout_s)
        page.evaluate(WATCH_JS, [want])
        t0 = time.perf_counter()
        page.locator('[data-testid="stSidebar"]').get_by_role("button", name=f"Remove {REMOVED}").click()
        poll(page, "() => window.__cwWatch.view !== null", timeout_s=timeout_s, every_ms=10)
        wall = (time.perf_counter() - t0) * 1000
        # Then wait for the charts: no change inside one for QUIET_MS.
        poll(
            page,
            f"() => performance.now() - Math.max(window.__cwWatch.lastChart || 0, window.__cwWatch.view) > {QUIET_MS}",
            timeout_s=timeout_s,
            every_ms=50,
        )
        w = page.evaluate(WATCHED_JS)
        if page.locator('[data-testid="stException"]').count():
            raise RuntimeError("an exception on the page")
        view = w["view"] - w["click"]
        last = (w["lastChart"] - w["click"]) if w["lastChart"] is not None else 0.0
        return {
            "new_view_ms": view,
            "charts_ms": max(view, last),
            "chart_changes": w["chartChanges"],
            "charts_kept": w["kept"],  # drawn in place, their data swapped
            "charts_drawn_anew": w["drawn"] - w["kept"],
            "wall_ms": wall,
        }
    finally:
        ctx.close()


def datasette_change(browser: Any, base: str, timeout_s: float = 30) -> dict:
    """One sample of Datasette's filter change: the same tab from DS_BEFORE to DS_AFTER, the new page's
    first row painted (ms from its navigation's start)."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = ctx.new_page()
        page.goto(base + DS_BEFORE, wait_until="load", timeout=timeout_s * 1000)
        page.locator(versus.DATASETTE_SELECTOR).first.wait_for(timeout=timeout_s * 1000)
        ctx.add_init_script(f"({versus.FIRST_CONTENT_JS})({json.dumps(versus.DATASETTE_SELECTOR)})")
        t0 = time.perf_counter()
        page.goto(base + DS_AFTER, wait_until="commit", timeout=timeout_s * 1000)
        poll(page, versus.PAINTED_JS, timeout_s=timeout_s, every_ms=10)
        wall = (time.perf_counter() - t0) * 1000
        got = page.evaluate(versus.MARKS_JS)
        rows = page.locator(versus.DATASETTE_SELECTOR).count()
        return {"ms": max(float(got["first"]), float(got["fcp"])), "wall_ms": wall, "rows": rows}
    finally:
        ctx.close()


def first_content_once(browser: Any, url: str, selector: str, timeout_s: float = 30) -> dict:
    """One cold deep link timed like versus.first_content: the first frame with content in view, painted."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    ctx.add_init_script(f"({versus.FIRST_CONTENT_JS})({json.dumps(selector)})")
    try:
        page = ctx.new_page()
        t0 = time.perf_counter()
        page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
        poll(page, versus.PAINTED_JS, timeout_s=timeout_s, every_ms=10)
        wall = (time.perf_counter() - t0) * 1000
        got = page.evaluate(versus.MARKS_JS)
        return {
            "ms": max(float(got["first"]), float(got["fcp"])),
            "wall_ms": wall,
            "what": got["what"],
            "in_view": float(got["first"]),
            "fcp": float(got["fcp"]),
            "css": float(got["css"]),
        }
    finally:
        ctx.close()


def record_rowid(sqlite_file: Path, record: str = RECORD) -> int:
    """The rowid of `record`'s first row in Datasette's copy of app_restrictions."""
    con = sqlite3.connect(sqlite_file)
    try:
        row = con.execute("SELECT min(rowid) FROM app_restrictions WHERE action_id = ?", (record,)).fetchone()
    finally:
        con.close()
    if row is None or row[0] is None:
        raise RuntimeError(f"{record} is not in {sqlite_file}")
    return int(row[0])


def measure(servers: dict[str, str], ds: str, sqlite_file: Path, samples: int, charts: int = 0) -> dict[str, Any]:
    """The measurements, `samples` rounds after one untimed round, interleaved in a seeded order.

    `servers`: label -> base URL of each of our servers (`ours` first; more for a before/after in
    the same run); every one gets the filter change and the record page, Datasette both of its own."""
    ds_row = f"/{versus.DB_NAME}/app_restrictions/{record_rowid(sqlite_file)}"
    times: dict[str, list[float]] = {"datasette change": [], "datasette record": []}
    walls: dict[str, list[float]] = {"datasette change": []}
    errors: dict[str, int] = {"datasette change": 0, "datasette record": 0}
    for label in servers:
        times.update({f"{label} new view": [], f"{label} charts": [], f"{label} record": []})
        walls[f"{label} change"] = []
        errors.update({f"{label} change": 0, f"{label} record": 0})
    kinds: dict[str, int] = {}
    extra: dict[str, Any] = {
        "chart_changes": {k: [] for k in servers},
        "charts_kept": {k: [] for k in servers},
        "charts_drawn_anew": {k: [] for k in servers},
        "datasette_rows": None,
        "record_seen_in": {},
        "record_parts": {},
    }
    with chromium() as browser:
        want = {label: expected_view(browser, url, charts) for label, url in servers.items()}
        jobs: dict[str, Any] = {
            "datasette change": lambda: datasette_change(browser, ds),
            "datasette record": lambda: first_content_once(browser, ds + ds_row, versus.DATASETTE_SELECTOR),
        }
        for label, url in servers.items():
            jobs[f"{label} change"] = lambda url=url, label=label: ours_change(browser, url, want[label], charts)
            jobs[f"{label} record"] = lambda url=url: first_content_once(
                browser, f"{url}/record?id={RECORD}", versus.OURS_SELECTOR
            )
        order = list(jobs)
        for rnd in range(samples + 1):
            random.Random(rnd).shuffle(order)  # noqa: S311 - an order, not a secret
            for name in order:
                try:
                    got = jobs[name]()
                except Exception as exc:  # noqa: BLE001 - a timeout or a crash is an error sample
                    errors[name] += 1
                    kind = f"{name}: {type(exc).__name__}: {str(exc).splitlines()[0][:120]}"
                    kinds[kind] = kinds.get(kind, 0) + 1
                    continue
                if rnd == 0:
                    continue
                label = name.rsplit(" ", 1)[0]
                if name.endswith(" change") and label in servers:
                    times[f"{label} new view"].append(got["new_view_ms"])
                    times[f"{label} charts"].append(got["charts_ms"])
                    walls[name].append(got["wall_ms"])
                    extra["chart_changes"][label].append(got["chart_changes"])
                    extra["charts_kept"][label].append(got["charts_kept"])
                    extra["charts_drawn_anew"][label].append(got["charts_drawn_anew"])
                elif name == "datasette change":
                    times[name].append(got["ms"])
                    walls[name].append(got["wall_ms"])
                    extra["datasette_rows"] = got["rows"]
                else:
                    times[name].append(got["ms"])
                    for part in ("in_view", "fcp", "css"):
                        extra["record_parts"].setdefault(name, {}).setdefault(part, []).append(got[part])
                    if label in servers:
                        seen = extra["record_seen_in"].setdefault(label, {})
                        seen[got["what"]] = seen.get(got["what"], 0) + 1
    if kinds:
        print(f"  interaction: failed samples {kinds}", flush=True)

    def errs(key: str) -> int:
        for what in (" new view", " charts"):
            if key.endswith(what):
                return errors[key.removesuffix(what) + " change"]
        return errors[key]

    out: dict[str, Any] = {k: _summary(v, errs(k)) for k, v in times.items()}
    out["servers"] = list(servers)
    out["wall_median_ms"] = {k: _median(v) for k, v in walls.items()}
    out["urls"] = {
        "ours change": f"{PAGE}{BEFORE} -> remove {REMOVED} -> {PAGE}{AFTER}",
        "datasette change": f"{DS_BEFORE} -> {DS_AFTER}",
        "ours record": f"/record?id={RECORD}",
        "datasette record": ds_row,
    }
    out["expected_view"] = want
    extra["record_parts"] = {k: {p: _median(v) for p, v in parts.items()} for k, parts in extra["record_parts"].items()}
    out.update(extra)
    out["error_kinds"] = kinds

    def ratio(a: str, b: str) -> float | None:
        x, y = out[a]["median_ms"], out[b]["median_ms"]
        return round(x / y, 2) if x and y else None

    out["ratios"] = {}
    for label in servers:
        out["ratios"][label] = {
            "new view / datasette change": ratio(f"{label} new view", "datasette change"),
            "charts / datasette change": ratio(f"{label} charts", "datasette change"),
            "record / datasette record": ratio(f"{label} record", "datasette record"),
        }
    return out


def section(
    cfg: dict[str, Any], db: Path, out_dir: Path, serve: Any, also: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The section of `python -m bench` on the real data's database `db`; `also`: label -> a
    context manager serving another version of the app (a before/after in the same run)."""
    import asyncio
    from contextlib import ExitStack

    from bench.visitors import one_run

    sqlite_file = out_dir / f"{versus.DB_NAME}.sqlite"
    res: dict[str, Any] = {"sqlite_rows": versus.export_sqlite(db, sqlite_file), "datasette": versus.DATASETTE}
    versus.ensure_datasette()
    with ExitStack() as stack:
        servers = {"ours": stack.enter_context(serve(db)).url}
        for label, make in (also or {}).items():
            servers[label] = stack.enter_context(make()).url
        ds = stack.enter_context(versus.datasette(sqlite_file, out_dir / "datasette.log"))
        for url in servers.values():
            asyncio.run(one_run(url, "", ""))  # the first session of a fresh server
        res.update(measure(servers, ds, sqlite_file, cfg["interaction_samples"]))
    r = res["ratios"]["ours"]
    print(
        f"  filter change: new view {res['ours new view']['median_ms']} ms,"
        f" charts {res['ours charts']['median_ms']} ms,"
        f" Datasette {res['datasette change']['median_ms']} ms ({r['new view / datasette change']}x); record page"
        f" {res['ours record']['median_ms']} ms, Datasette {res['datasette record']['median_ms']} ms"
        f" ({r['record / datasette record']}x)",
        flush=True,
    )
    return res


def verdicts(r: dict[str, Any], goals: dict[str, float]) -> dict[str, str]:
    """The two goals of issue 26, item 7 (bench/run.py's GOALS)."""
    q = r["ratios"]["ours"]
    out = {}
    for goal, key, ours, theirs, limit in (
        ("a filter change's new view", "new view / datasette change", "ours new view", "datasette change",
         goals["filter_change_vs_datasette"]),
        ("a record page's first content", "record / datasette record", "ours record", "datasette record",
         goals["record_vs_datasette"]),
    ):  # fmt: skip
        fig = f"{r[ours]['median_ms']} ms vs {r[theirs]['median_ms']} ms: {q[key]}x"
        ok = q[key] is not None and q[key] <= limit
        out[f"{goal} <= {limit:g}x Datasette"] = f"{'met' if ok else 'NOT met'} ({fig})"
    return out


def print_table(r: dict[str, Any]) -> None:
    """The section's table: medians, p90 and ratios to Datasette, for each of our servers."""
    n = r["datasette change"]["samples"]
    print(f"\nafter first content, beside Datasette, real data, ms (median and p90 of {n}; ratio of medians)")
    print(f"{'what':<62}{'median':>8}{'p90':>8}{'min':>7}{'max':>7}{'ratio':>7}  errors")
    rows = []
    for label in r.get("servers", ["ours"]):
        q = r["ratios"][label]
        rows += [
            (f"{label}: filter change, click -> new view", f"{label} new view", q["new view / datasette change"]),
            (f"{label}: filter change, click -> charts redrawn", f"{label} charts", q["charts / datasette change"]),
            (f"{label}: record page, first content", f"{label} record", q["record / datasette record"]),
        ]
    rows += [
        ("Datasette: filter change, page load to rows painted", "datasette change", None),
        ("Datasette: the record's row page, first content", "datasette record", None),
    ]
    for label, key, q in rows:
        x = r[key]
        print(
            f"{label:<62}{x['median_ms'] or 0:>8.0f}{x['p90_ms'] or 0:>8.0f}{x['min_ms'] or 0:>7.0f}"
            f"{x['max_ms'] or 0:>7.0f}{q if q is not None else '':>7}  {x['errors'] or ''}"
        )
    for label in r.get("servers", ["ours"]):
        kept, anew = r.get("charts_kept", {}).get(label), r.get("charts_drawn_anew", {}).get(label)
        if kept:
            print(f"  {label}: charts drawn in place (data swapped) {kept}, drawn anew {anew}")
    for name, parts in r.get("record_parts", {}).items():
        print(f"  {name}: in view {parts['in_view']}, first contentful paint {parts['fcp']}, CSS in {parts['css']} ms")


def main(argv: list[str] | None = None) -> int:
    import argparse
    import datetime as dt
    import os

    from bench import run

    ap = argparse.ArgumentParser(prog="python -m bench.interaction", description=__doc__.split("\n")[0])
    ap.add_argument("--samples", type=int, default=9)
    ap.add_argument("--label", default="")
    ap.add_argument(
        "--also",
        action="append",
        default=[],
        metavar="LABEL=SCRIPT",
        help="another server in the same rounds: a serve.py (e.g. of a git worktree at the commit before), "
        "or whatif:VARIANT (bench/whatif_serve.py)",
    )
    args = ap.parse_args(argv)
    run.OUT.mkdir(parents=True, exist_ok=True)
    db = run.OUT / "real.duckdb"
    also = {}
    for spec in args.also:
        label, _, script = spec.partition("=")
        if not script:
            ap.error(f"--also wants LABEL=SCRIPT, got {spec!r}")
        also[label] = _server_maker(run, db, script)
    res: dict[str, Any] = {
        "started": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "load_at_start": os.getloadavg(),
        "git": run._git_head(),
        "label": args.label,
        "also": args.also,
    }
    res["build"] = run._run_build(run.paths.ROOT / "data", db)
    res.update(section({"interaction_samples": args.samples}, db, run.OUT, run._serve, also))
    res["load_at_end"] = os.getloadavg()
    print_table(res)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    out = run.OUT / f"interaction{'-' + args.label if args.label else ''}-{stamp}.json"
    out.write_text(json.dumps(res, indent=2, default=str))
    print(f"JSON: {out}")
    return 0


def _server_maker(run: Any, db: Path, script: str) -> Any:
    """A function starting the server `script` names (a serve.py path, or whatif:VARIANT) on `db`."""
    import os
    from contextlib import contextmanager

    @contextmanager
    def make() -> Any:
        if script.startswith("whatif:"):
            os.environ["CHATBOT_WATCH_WHATIF"] = script.removeprefix("whatif:")
            try:
                cm = run._serve(db, run.paths.ROOT / "bench" / "whatif_serve.py")
                server = cm.__enter__()
            finally:
                del os.environ["CHATBOT_WATCH_WHATIF"]
        else:
            cm = run._serve(db, Path(script).resolve())
            server = cm.__enter__()
        try:
            yield server
        finally:
            cm.__exit__(None, None, None)

    return make


if __name__ == "__main__":
    raise SystemExit(main())

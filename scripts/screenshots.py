"""Screenshots of every page at desktop and phone width, into docs/screenshots/ (one command).

    .venv/bin/python scripts/screenshots.py

Uses the real server and Debian's Chromium; the database is built from data/ first.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from chatbot_watch.build import build  # noqa: E402
from chatbot_watch.devserver import chromium, serve  # noqa: E402

PAGES = [
    ("overview", "/"),
    ("flows", "/flows?app=deepseek"),
    ("restrictions", "/restrictions?country=IT"),
    ("countries", "/countries?country=KR"),
    ("apps", "/apps?app=deepseek"),
    ("companies", "/companies"),
    ("about", "/about"),
    ("record", "/record?id=AF-003"),
    ("search", "/search?q=korea"),
]
SIZES = {"desktop": (1280, 2400), "phone": (390, 3200)}


def main() -> int:
    out = ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    db = ROOT / "build" / "screenshots.duckdb"
    build(ROOT / "data", db)
    with serve(db_path=db) as base, chromium() as browser:
        for size, (w, h) in SIZES.items():
            page = browser.new_page(viewport={"width": w, "height": h})
            for name, path in PAGES:
                page.goto(base + path)
                page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=30000)
                page.wait_for_timeout(1500)
                target = out / f"{name}-{size}.png"
                page.screenshot(path=str(target))
                print(target.relative_to(ROOT))
            page.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Screenshots of every page at desktop and phone width, into docs/screenshots/ (one command).

    .venv/bin/python scripts/screenshots.py                 # English, into docs/screenshots/
    .venv/bin/python scripts/screenshots.py --lang ko it    # these languages, into build/screenshots/<lang>/
    .venv/bin/python scripts/screenshots.py --lang all      # every translated language

Uses the real server and Debian's Chromium; the database is built from data/ first. The other
languages' screenshots are for looking at (clipped or overflowing text, missing glyphs), not
committed: docs/screenshots/ keeps a few of them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from chatbot_watch import i18n  # noqa: E402
from chatbot_watch.store.build import build  # noqa: E402
from chatbot_watch.tools.devserver import chromium, poll, serve  # noqa: E402

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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--lang", nargs="*", default=["en"], help="languages (en, ko, ja, zh-Hant, it, or all)")
    langs = ap.parse_args(argv).lang
    langs = list(i18n.TRANSLATED) if "all" in langs else langs
    db = ROOT / "build" / "screenshots.duckdb"
    build(ROOT / "data", db)
    with serve(db_path=db) as base, chromium() as browser:
        for lang in langs:
            out = ROOT / "docs" / "screenshots" if lang == "en" else ROOT / "build" / "screenshots" / lang
            out.mkdir(parents=True, exist_ok=True)
            for size, (w, h) in SIZES.items():
                page = browser.new_page(viewport={"width": w, "height": h})
                for name, path in PAGES:
                    page.goto(base + i18n.with_lang(path, lang))
                    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=30000)
                    # Drawn: no skeleton left where a figure, chart or widget goes.
                    poll(page, "() => !document.querySelector('[data-testid=stSkeleton]')", timeout_s=30)
                    page.wait_for_timeout(1500)
                    target = out / f"{name}-{size}.png"
                    page.screenshot(path=str(target))
                    print(target.relative_to(ROOT))
                page.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""README.md cannot drift from the code (issue 23, item 5): its layout names every module of the
package and no other, its page table every page, its API table every endpoint."""

from __future__ import annotations

import re

from chatbot_watch import api, views
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    m = re.search(rf"^## {re.escape(title)}\s*$(.*?)(?=^## |\Z)", README, flags=re.M | re.S)
    assert m, f"README.md has no '## {title}' section"
    return m.group(1)


def test_the_layout_names_every_module_and_no_other() -> None:
    layout = _section("Layout")
    package = ROOT / "chatbot_watch"
    modules = {p.name for p in package.glob("*.py")} - {"__init__.py", "__main__.py"}
    listed = set(re.findall(r"^  ([a-z_0-9]+\.py)\s", layout, flags=re.M))
    assert listed == modules, (sorted(modules - listed), sorted(listed - modules))
    ui_modules = {p.name for p in (package / "ui").glob("*.py")}
    ui_line = layout[layout.index("  ui/") : layout.index("  -- the web layer")]
    assert all(name in ui_line for name in ui_modules), sorted(n for n in ui_modules if n not in ui_line)
    view_modules = {p.name for p in (package / "views").glob("*.py")}
    views_line = layout[layout.index("  views/") : layout.index("  queries.py")]
    assert all(name in views_line for name in view_modules), sorted(n for n in view_modules if n not in views_line)


def test_the_page_table_names_every_page() -> None:
    pages = _section("Pages and their URLs")
    for path, page in views.PAGES.items():
        assert re.search(rf"^\| `{re.escape(path)}[`?]", pages, flags=re.M), path
        assert f"| {page.title} |" in pages, page.title


def test_the_api_table_names_every_endpoint() -> None:
    table = _section("HTTP API")
    for e in api.ENDPOINTS.values():
        assert f"`{api.PREFIX}/{e.name}.{e.formats[0]}`" in table, e.name
    assert f"`{api.PREFIX}/records/{{id}}.json`" in table
    assert f"`{api.PREFIX}/views/{{page}}.json`" in table

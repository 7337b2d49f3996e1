"""README.md cannot drift from the code (issue 23, item 5): its layout names every module of the
package and no other, its page table every page, its API table every endpoint."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from chatbot_watch import views
from chatbot_watch.web import api
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    m = re.search(rf"^## {re.escape(title)}\s*$(.*?)(?=^## |\Z)", README, flags=re.M | re.S)
    assert m, f"README.md has no '## {title}' section"
    return m.group(1)


def _listed_modules(layout: str) -> set[str]:
    """The package's files the layout's tree names, as paths under chatbot_watch/ ("web/api.py"):
    a name's folder is the nearest less-indented folder line above it."""
    tree = layout[layout.index("chatbot_watch/ ") :]
    folders: list[tuple[int, str]] = []  # (indent, folder path) of the enclosing folders
    listed = set()
    for line in tree.splitlines()[1:]:
        m = re.match(r"^( +)([a-z_0-9]+(?:\.py|/))(?:\s|$)", line)
        if not m:
            if line and not line.startswith(" "):
                break  # past the package
            continue
        indent, name = len(m.group(1)), m.group(2)
        folders = [(i, f) for i, f in folders if i < indent]
        where = "".join(f for _, f in folders)
        if name.endswith("/"):
            folders.append((indent, name))
        else:
            listed.add(where + name)
    return listed


def test_the_layout_names_every_module_and_no_other() -> None:
    package = ROOT / "chatbot_watch"
    modules = {
        p.relative_to(package).as_posix()
        for p in package.rglob("*.py")
        if p.name != "__main__.py" and not (p.name == "__init__.py" and p.stat().st_size < 1200)
    }
    listed = _listed_modules(_section("Layout"))
    assert listed == modules, (sorted(modules - listed), sorted(listed - modules))


def test_the_layout_parser_reads_folders_by_indent() -> None:
    layout = "```\nchatbot_watch/ pkg\n  a.py x\n  web/ y\n    api.py z\n      more words\n  b.py w\ndata/ d\n```"
    assert _listed_modules(layout) == {"a.py", "web/api.py", "b.py"}


def _imports(package: Path) -> dict[str, set[str]]:
    """Each module of the package -> the package's modules it imports (at any depth of its code,
    imports inside functions included)."""
    names = {}
    for p in package.rglob("*.py"):
        rel = p.relative_to(package.parent).with_suffix("")
        names[".".join(rel.parts).removesuffix(".__init__")] = p
    graph: dict[str, set[str]] = {m: set() for m in names}
    for m, p in names.items():
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            found = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found = [
                    f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in names else node.module for a in node.names
                ]
            elif isinstance(node, ast.Import):
                found = [a.name for a in node.names]
            graph[m].update(t for t in found if t in names and t != m)
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle of `graph` (a list of modules, the first repeated at the end), or []."""
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(m: str) -> list[str]:
        state[m] = 1
        path.append(m)
        for n in sorted(graph[m]):
            if state.get(n) == 1:
                return [*path[path.index(n) :], n]
            if n not in state and (found := visit(n)):
                return found
        path.pop()
        state[m] = 2
        return []

    for m in sorted(graph):
        if m not in state and (found := visit(m)):
            return found
    return []


def test_no_module_imports_one_that_imports_it_back() -> None:
    assert _cycle(_imports(ROOT / "chatbot_watch")) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) == []


def test_no_module_of_the_package_is_over_700_lines() -> None:
    long = {
        p.relative_to(ROOT).as_posix(): n
        for p in (ROOT / "chatbot_watch").rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 700
    }
    assert long == {}


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

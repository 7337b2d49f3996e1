"""The data's history, read from the repository: what each commit changed in data/, record by record.

Every clone, CI run and image built from the repository tells the same history, because it comes
from the commits that touched the data files, not from whichever database file happened to be
built before. For each commit (oldest first) the data files as they were then are read (YAML only,
no validation: an old commit may not pass today's rules) and compared with the commit before, record
by record and field by field. Results are cached per commit in `build/history/` (a commit never
changes), so a rebuild only reads the commits it has not seen.

Without git, or when the data folder is not tracked (a copy outside a repository), `commits` is empty
and the change log falls back to comparing with the previous build (changelog.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chatbot_watch.datamodel import schema
from chatbot_watch.reading import yamlread
from chatbot_watch.store.diff import Change

CACHE_VERSION = 1
GIT_TIMEOUT = 30
MAX_COMMITS = 500


@dataclass(frozen=True)
class Commit:
    """A commit that touched the data folder."""

    sha: str
    date: str  # ISO 8601, the committer's date
    subject: str


@dataclass(frozen=True)
class RecordChange:
    """One change of one record in one commit: added, removed, or one field changed."""

    kind: str  # finding, action, app, company, data_type, dataset
    record_id: str
    change: str  # added, removed, changed
    field: str | None
    old: Any
    new: Any
    countries: list[str]
    apps: list[str]

    def text(self) -> str:
        """One readable line, worded as `diff` words a change (the feeds and the Overview show it)."""
        return Change(self.kind, self.record_id, self.change, self.field, self.old, self.new).text()  # type: ignore[arg-type]


def _git(repo: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(repo), *args],
            capture_output=True,
            timeout=GIT_TIMEOUT,
            check=False,
            env={**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"},
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.decode("utf-8", "replace") if done.returncode == 0 else None


def repository(data_dir: Path) -> tuple[Path, str] | None:
    """The repository holding `data_dir` and the folder's path inside it, or None."""
    top = _git(data_dir, "rev-parse", "--show-toplevel")
    if not top:
        return None
    root = Path(top.strip()).resolve()
    try:
        inside = data_dir.resolve().relative_to(root).as_posix()
    except ValueError:
        return None
    tracked = _git(root, "ls-files", "--", inside)
    return (root, inside) if tracked and tracked.strip() else None


def commits(data_dir: Path) -> list[Commit]:
    """The commits that touched the data folder, oldest first (at most MAX_COMMITS, the newest)."""
    repo = repository(data_dir)
    if repo is None:
        return []
    root, inside = repo
    # First parent only: the history of the main line, a merge counted as the one change it brought.
    out = _git(root, "log", "--first-parent", f"-{MAX_COMMITS}", "--format=%H%x09%cI%x09%s", "--", inside)
    if not out:
        return []
    found = [Commit(*line.split("\t", 2)) for line in out.splitlines() if line.count("\t") >= 2]
    return found[::-1]


def _values(node: yamlread.Node | None) -> Any:
    """A composed YAML node as plain values (text stays text; plain null, ~ and empty are None)."""
    if node is None:
        return None
    if isinstance(node, yamlread.ScalarNode):
        if not node.style and node.value in ("null", "Null", "NULL", "~", ""):
            return None
        return node.value
    if isinstance(node, yamlread.SequenceNode):
        return [_values(v) for v in node.value]
    if isinstance(node, yamlread.MappingNode):
        return {str(_values(k)): _values(v) for k, v in node.value}
    return None


# File name -> the word for one record, in the order a commit's changes are listed (the change
# log's rows follow it).
KIND_WORDS = {
    k.name: k.word for k in (schema.FINDINGS, schema.ACTIONS, schema.APPS, schema.COMPANIES, schema.DATA_TYPES)
}


Snapshot = dict[str, dict[str, dict[str, Any]]]
# A data file's plain values by its git blob id: the files one reading of the history has parsed.
Parsed = dict[str, Any]


def snapshot(root: Path, inside: str, sha: str, only: set[str] | None = None, seen: Parsed | None = None) -> Snapshot:
    """Every record of every kind as the data folder held it at `sha`: kind -> id -> fields.

    `only`: just the records of these files (paths inside the data folder). `seen`: files already
    read, by their blob (a file unchanged between commits is the same blob, read once)."""
    listing = _git(root, "ls-tree", "-r", sha, "--", inside) or ""
    files: list[tuple[str, Any]] = []
    for line in listing.splitlines():
        about, _, name = line.partition("\t")
        rel = _inside(name, inside)
        if (only is not None and rel not in only) or not _is_data_file(rel):
            continue
        blob = about.split()[-1]
        if seen is not None and blob in seen:
            files.append((rel, seen[blob]))
            continue
        text = _git(root, "show", f"{sha}:{name}")
        if text is None:
            continue
        values = _parse(text)
        if seen is not None:
            seen[blob] = values
        files.append((rel, values))
    return _merge(files)


def _inside(name: str, inside: str) -> str:
    """A path in the repository as a path inside the data folder `inside`."""
    return name[len(inside) + 1 :] if inside not in ("", ".") else name


def working_snapshot(data_dir: Path, only: set[str] | None = None) -> Snapshot:
    """Every record of every kind as the data folder holds it now (uncommitted edits included).

    `only`: just the records of these files (paths inside the data folder)."""
    files = {}
    for path in sorted(data_dir.rglob("*.yaml")):
        rel = path.relative_to(data_dir).as_posix()
        if only is not None and rel not in only:
            continue
        if _is_data_file(rel) and path.is_file() and not path.is_symlink():
            try:
                files[rel] = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
    return _records(files)


def _is_data_file(rel: str) -> bool:
    parts = rel.split("/")
    if not rel.endswith(".yaml") or len(parts) > 2:
        return False
    key = parts[0][: -len(".yaml")] if len(parts) == 1 else parts[0]
    return key in KIND_WORDS or key == "dataset"


def _records(files: dict[str, str]) -> Snapshot:
    return _merge([(rel, _parse(text)) for rel, text in files.items()])


def _parse(text: str) -> Any:
    """A data file's text as plain values (read as the data is read: yamlread, no validation)."""
    with tempfile.TemporaryDirectory(prefix="chatbot-watch-history-") as tmp:
        path = Path(tmp) / "file.yaml"
        path.write_text(text, encoding="utf-8")
        node, _ = yamlread.read_yaml(path, Path(tmp), [])
    return _values(node)


def _merge(files: list[tuple[str, Any]]) -> Snapshot:
    """The records of the files (path inside the data folder, plain values), by kind and id."""
    out: Snapshot = {k: {} for k in KIND_WORDS.values()}
    out["dataset"] = {}
    for rel, values in files:
        parts = rel.split("/")
        key = parts[0][: -len(".yaml")] if len(parts) == 1 else parts[0]
        if key == "dataset":
            if isinstance(values, dict):
                out["dataset"]["dataset.yaml"] = values
            continue
        records = values.get(key) if isinstance(values, dict) else None
        for rec in records or []:
            if isinstance(rec, dict) and isinstance(rec.get("id"), str):
                out[KIND_WORDS[key]][rec["id"]] = rec
    return out


def _scope(kind: str, rec: dict[str, Any]) -> tuple[list[str], list[str]]:
    """Countries and apps a record concerns (for the per-country and per-app feeds)."""
    if kind == schema.ACTIONS.word:
        return [c for c in [rec.get("jurisdiction")] if isinstance(c, str)], [
            a for a in rec.get("apps") or [] if isinstance(a, str)
        ]
    if kind == schema.FINDINGS.word:
        countries = [c for c in rec.get("recipient_countries") or [] if isinstance(c, str)]
        if isinstance(rec.get("auditor_country"), str):
            countries.append(rec["auditor_country"])
        return sorted(set(countries)), [rec["app"]] if isinstance(rec.get("app"), str) else []
    if kind == schema.APPS.word:
        return [], [rec["id"]]
    return [], []


def compare(old: Snapshot, new: Snapshot) -> list[RecordChange]:
    """Record-level changes from one snapshot to the next, in a stable order."""
    out: list[RecordChange] = []
    for kind in ["dataset", *KIND_WORDS.values()]:
        before, after = old.get(kind, {}), new.get(kind, {})
        for rid in sorted(set(before) | set(after)):
            a, b = before.get(rid), after.get(rid)
            if a == b:
                continue
            countries, apps = _scope(kind, b or a or {})
            if a is None:
                out.append(RecordChange(kind, rid, "added", None, None, None, countries, apps))
            elif b is None:
                out.append(RecordChange(kind, rid, "removed", None, None, None, countries, apps))
            else:
                names = dict.fromkeys([f for f in _field_order(kind) if f in a or f in b] + sorted(set(a) | set(b)))
                for name in names:
                    if a.get(name) != b.get(name):
                        out.append(RecordChange(kind, rid, "changed", name, a.get(name), b.get(name), countries, apps))
    return out


def _field_order(kind: str) -> list[str]:
    plural = {v: k for k, v in KIND_WORDS.items()}.get(kind)
    if plural is None:
        return [f.name for f in schema.DATASET_FIELDS]
    return [f.name for f in schema.KIND_BY_NAME[plural].fields]


def _cache_dir(root: Path) -> Path | None:
    """Where results are cached: inside the repository's own git folder (they describe its commits;
    nothing is written into the working tree)."""
    common = _git(root, "rev-parse", "--git-common-dir")
    if not common:
        return None
    folder = Path(common.strip())
    return (folder if folder.is_absolute() else root / folder) / "chatbot-watch-history"


def changes(data_dir: Path, cache_dir: Path | None = None) -> list[tuple[Commit, list[RecordChange]]]:
    """Each commit that touched the data folder with its record changes, oldest first; the first
    commit's records are all "added". Cached per commit (in the repository's git folder unless
    `cache_dir` says otherwise)."""
    repo = repository(data_dir)
    if repo is None:
        return []
    root, inside = repo
    cache_dir = cache_dir or _cache_dir(root) or Path(tempfile.gettempdir()) / "chatbot-watch-history"
    out: list[tuple[Commit, list[RecordChange]]] = []
    previous: Snapshot | None = None
    previous_sha = ""
    seen: Parsed = {}  # most files are the same blob from one commit to the next
    for commit in commits(data_dir):
        cached = cache_dir / f"{commit.sha}-{previous_sha[:12] or 'root'}.json"
        found = _read_cache(cached)
        if found is None:
            if previous is None and previous_sha:
                previous = snapshot(root, inside, previous_sha, seen=seen)
            current = snapshot(root, inside, commit.sha, seen=seen)
            found = compare(previous or {}, current)
            _write_cache(cached, found)
            previous = current
        else:
            previous = None  # read again only if a later commit is not cached
        out.append((commit, found))
        previous_sha = commit.sha
    return out


def _read_cache(path: Path) -> list[RecordChange] | None:
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(payload, dict) or payload.get("version") != CACHE_VERSION:
        return None
    return [RecordChange(**row) for row in payload["changes"]]


def _write_cache(path: Path, found: list[RecordChange]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        rows = [c.__dict__ for c in found]
        tmp.write_text(json.dumps({"version": CACHE_VERSION, "changes": rows}, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass  # a cache only: the next build reads the commit again


def uncommitted(data_dir: Path) -> list[RecordChange]:
    """Record changes in the data folder not yet committed (a maintainer's edits being built).

    Only the files that differ from the last commit (edited, added, removed, not yet tracked) are
    read, as they were committed and as they are now: a record in any other file is the same on
    both sides, and ids are unique in data a build accepts, so the changes are those of the whole
    folder (a rebuild after editing one file of a large folder read every file twice).
    """
    repo = repository(data_dir)
    if repo is None:
        return []
    root, inside = repo
    status = _git(root, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--no-renames", "--", inside)
    # Each entry is "XY path" (paths from the repository's top; no second path without renames).
    changed = {_inside(entry[3:], inside) for entry in (status or "").split("\0") if len(entry) > 3}
    if not changed:
        return []
    head = _git(root, "rev-parse", "HEAD")
    before = snapshot(root, inside, head.strip(), changed) if head else {}
    return compare(before, working_snapshot(data_dir, changed))

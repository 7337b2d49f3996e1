"""Validated records -> a DuckDB file, written atomically.

The database is built in a temporary file beside the target and moved into place with
`os.replace` only once it is complete and checked, so a failed or killed build never leaves a
broken or half-written file at the target path: readers see the old file or the new one.
Tables are loaded in bulk from pandas DataFrames; the two public views, `flows` and
`restrictions`, are declared in `sql/views.sql`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from chatbot_watch import changelog, schema
from chatbot_watch.countries import country_name, subdivision_name
from chatbot_watch.load import Dataset, Problem, load, parse_pdate

SQL_DIR = Path(__file__).resolve().parent / "sql"
SCHEMA_VERSION = "1"


class BuildError(Exception):
    """The data did not validate; `problems` lists why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the data")
        self.problems = problems


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote."""

    path: Path
    data_version: str
    as_of: str
    counts: dict[str, int]
    seconds: float


def data_version(files: list[Path], data_dir: Path) -> str:
    """Content hash of the data files (names relative to the folder, and bytes)."""
    h = hashlib.sha256()
    for path in sorted(files, key=lambda p: str(p.relative_to(data_dir))):
        h.update(str(path.relative_to(data_dir)).encode())
        h.update(b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")
    return h.hexdigest()[:12]


def _pdate_cols(value: str | None) -> tuple[dt.date | None, str | None]:
    parsed = parse_pdate(value) if value else None
    return (parsed[0], parsed[2]) if parsed else (None, None)


def source_id(url: str) -> str:
    """Stable id of a source: a short hash of its URL."""
    return "S-" + hashlib.sha256(url.encode()).hexdigest()[:10]


def _frames(ds: Dataset, version: str, built_at: str) -> dict[str, pd.DataFrame]:
    """Turn validated records into one DataFrame per table."""
    recs = {k: [r.values for r in v] for k, v in ds.records.items()}
    t: dict[str, list[dict[str, Any]]] = {
        name: []
        for name in (
            "vocabularies",
            "data_types",
            "companies",
            "company_parents",
            "company_domains",
            "apps",
            "findings",
            "finding_data_types",
            "finding_recipients",
            "actions",
            "action_apps",
            "action_companies",
            "sources",
            "record_sources",
        )
    }
    for vname, vocab in schema.VOCABULARIES.items():
        for pos, (vid, (lab, desc)) in enumerate(vocab.items()):
            t["vocabularies"].append(
                {"vocabulary": vname.lower(), "id": vid, "label": lab, "description": desc, "position": pos}
            )

    for r in recs["data_types"]:
        t["data_types"].append(
            {
                "id": r["id"],
                "label": r["label"],
                "category": r["category"],
                "category_label": schema.label("DATA_CATEGORIES", r["category"]),
                "description": r["description"],
                "apple_label": r.get("apple_label"),
                "google_play_label": r.get("google_play_label"),
            }
        )

    companies = {r["id"]: r for r in recs["companies"]}

    def current_parent(c: dict[str, Any]) -> dict[str, Any] | None:
        return next((p for p in c.get("parents") or [] if p.get("until") is None), None)

    def chain(cid: str) -> list[str]:
        out = [cid]
        while True:
            p = current_parent(companies[out[-1]])
            if p is None or p["company"] in out or p["company"] not in companies:
                return out
            out.append(p["company"])

    for cid, c in companies.items():
        p = current_parent(c)
        ch = chain(cid)
        t["companies"].append(
            {
                "id": cid,
                "name": c["name"],
                "country_code": c.get("country"),
                "country_name": country_name(c.get("country")),
                "city": c.get("city"),
                "kinds": list(c.get("kinds") or []),
                "legal_names": list(c.get("legal_names") or []),
                "aliases": list(c.get("aliases") or []),
                "parent_id": p["company"] if p else None,
                "parent_since": p.get("since") if p else None,
                "ultimate_parent_id": ch[-1],
                "chain_ids": ch,
                "ownership_chain": " → ".join(companies[x]["name"] for x in ch),
                "domains": list(c.get("domains") or []),
                "notes": c.get("notes"),
            }
        )
        for pos, par in enumerate(c.get("parents") or []):
            t["company_parents"].append(
                {
                    "company_id": cid,
                    "parent_id": par["company"],
                    "since": par.get("since"),
                    "until": par.get("until"),
                    "note": par.get("note"),
                    "position": pos,
                }
            )
        for d in c.get("domains") or []:
            t["company_domains"].append({"company_id": cid, "domain": d})

    for a in recs["apps"]:
        t["apps"].append(
            {
                "id": a["id"],
                "name": a["name"],
                "developer_id": a.get("developer"),
                "platforms": list(a.get("platforms") or []),
                "ios_app_id": a.get("ios_app_id"),
                "android_package": a.get("android_package"),
                "website": a.get("website"),
                "aliases": list(a.get("aliases") or []),
                "notes": a.get("notes"),
            }
        )

    for f in recs["findings"]:
        day, prec = _pdate_cols(f.get("audit_date"))
        t["findings"].append(
            {
                "id": f["id"],
                "app_id": f["app"],
                "platform": f.get("platform"),
                "app_version": f.get("app_version"),
                "auditor": f["auditor"],
                "auditor_kind": f["auditor_kind"],
                "auditor_country": f.get("auditor_country"),
                "method": f["method"],
                "audit_date": f.get("audit_date"),
                "audit_day": day,
                "audit_precision": prec,
                "data_described": list(f.get("data_described") or []),
                "recipient_described": f.get("recipient_described"),
                "domains": list(f.get("domains") or []),
                "recipient_countries": list(f.get("recipient_countries") or []),
                "evidence_status": f["evidence_status"],
                "evidence_class": schema.EVIDENCE_CLASS[f["evidence_status"]],
                "status_described": f.get("status_described"),
                "notes": f.get("notes"),
            }
        )
        for pos, d in enumerate(f["data_types"]):
            t["finding_data_types"].append({"finding_id": f["id"], "data_type_id": d, "position": pos})
        for pos, c in enumerate(f.get("recipients") or []):
            t["finding_recipients"].append({"finding_id": f["id"], "company_id": c, "position": pos})

    for a in recs["actions"]:
        row: dict[str, Any] = {
            "id": a["id"],
            "country_code": a["jurisdiction"],
            "country_name": country_name(a["jurisdiction"]),
            "subdivision": a.get("subdivision"),
            "subdivision_name": subdivision_name(a.get("subdivision")),
            "authority": a["authority"],
            "action_type": a["action_type"],
            "action_described": a.get("action_described"),
            "scope": a["scope"],
            "scope_described": a.get("scope_described"),
            "status": a["status"],
            "status_described": a.get("status_described"),
            "notes": a.get("notes"),
        }
        for k in ("announced", "effective", "lifted"):
            day, prec = _pdate_cols(a.get(k))
            row[k] = a.get(k)
            row[f"{k}_day"] = day
            row[f"{k}_precision"] = prec
        t["actions"].append(row)
        for pos, app in enumerate(a.get("apps") or []):
            t["action_apps"].append({"action_id": a["id"], "app_id": app, "position": pos})
        for pos, c in enumerate(a.get("companies") or []):
            t["action_companies"].append({"action_id": a["id"], "company_id": c, "position": pos})

    seen_sources: set[str] = set()
    singular = {"findings": "finding", "actions": "action", "companies": "company", "apps": "app"}
    for kind in ("findings", "actions", "companies", "apps"):
        for r in recs[kind]:
            for pos, s in enumerate(r.get("sources") or []):
                sid = source_id(s["url"])
                if sid not in seen_sources:
                    seen_sources.add(sid)
                    pub_day, _ = _pdate_cols(s.get("published"))
                    t["sources"].append(
                        {
                            "id": sid,
                            "url": s["url"],
                            "publisher": s["publisher"],
                            "published": s.get("published"),
                            "published_day": pub_day,
                            "accessed": s.get("accessed"),
                        }
                    )
                t["record_sources"].append(
                    {
                        "record_kind": singular[kind],
                        "record_id": r["id"],
                        "position": pos,
                        "source_id": sid,
                        "url": s["url"],
                        "publisher": s["publisher"],
                        "published": s.get("published"),
                        "quote": s["quote"],
                    }
                )

    meta = ds.meta
    counts = {k: len(v) for k, v in recs.items()}
    t_meta = {
        "data_version": version,
        "as_of": meta.get("as_of"),
        "built_at": built_at,
        "schema_version": SCHEMA_VERSION,
        "title": meta.get("title"),
        "licence": meta.get("licence"),
        "licence_url": meta.get("licence_url"),
        "publisher": meta.get("publisher"),
        "description": meta.get("description"),
        **{f"count_{k}": str(v) for k, v in counts.items()},
    }
    frames = {name: pd.DataFrame(rows) for name, rows in t.items()}
    frames["meta"] = pd.DataFrame(
        {"key": list(t_meta), "value": [None if v is None else str(v) for v in t_meta.values()]}
    )
    return frames


def _create(con: duckdb.DuckDBPyConnection, frames: dict[str, pd.DataFrame]) -> None:
    ddl = (SQL_DIR / "tables.sql").read_text(encoding="utf-8")
    con.execute(ddl)
    for name, df in frames.items():
        if df.empty:
            continue
        cols = ", ".join(f'"{c}"' for c in df.columns)
        con.register("_frame", df)
        con.execute(f'INSERT INTO "{name}" ({cols}) SELECT {cols} FROM _frame')  # names come from code
        con.unregister("_frame")
    con.execute((SQL_DIR / "views.sql").read_text(encoding="utf-8"))


def build(data_dir: Path, out: Path, today: dt.date | None = None, feeds_dir: Path | None = None) -> BuildResult:
    """Validate `data_dir` and write the database to `out` atomically. Raises BuildError.

    The new build carries the change log of the one it replaces plus what changed since
    (changelog.py); with `feeds_dir`, the Atom feeds of changes are written there afterwards.
    """
    start = time.perf_counter()
    data_dir = Path(data_dir)
    out = Path(out)
    ds, problems = load(data_dir, today)
    if problems:
        raise BuildError(problems)
    version = data_version(ds.files, data_dir)
    built_at = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    frames = _frames(ds, version, built_at)
    out.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_temporaries(out)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.{os.getpid()}.", suffix=".tmp", dir=out.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()  # DuckDB wants to create the file itself
    try:
        con = duckdb.connect(str(tmp))
        try:
            _create(con, frames)
            con.execute("CHECKPOINT")
            n = con.execute("SELECT count(*) FROM flows").fetchone()
            if n is None:
                raise RuntimeError("flows view did not answer")
        finally:
            con.close()
        changelog.record(tmp, out if out.exists() else None, version, built_at)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, out)
        _fsync_dir(out.parent)
    finally:
        for leftover in (tmp, Path(str(tmp) + ".wal")):
            if leftover.exists():
                leftover.unlink()
    if feeds_dir is not None:
        changelog.write_feeds(out, Path(feeds_dir))
    counts = {k: len(v) for k, v in ds.records.items()}
    return BuildResult(out, version, str(ds.meta.get("as_of")), counts, time.perf_counter() - start)


def _remove_stale_temporaries(out: Path) -> None:
    """Remove temporary files of earlier builds of `out` whose process is gone (killed builds)."""
    for tmp in out.parent.glob(f".{out.name}.*.tmp*"):
        parts = tmp.name[len(out.name) + 2 :].split(".")
        try:
            pid = int(parts[0])
        except (ValueError, IndexError):
            continue
        try:
            os.kill(pid, 0)
            continue  # that build is still running
        except ProcessLookupError:
            pass
        except PermissionError:
            continue
        try:
            tmp.unlink()
        except OSError:
            pass


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)

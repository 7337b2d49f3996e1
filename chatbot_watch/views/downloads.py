"""The rows on screen -> plain CSV (header on line 1; the view in the file name) and JSON (rows
with the as-of date, version, filters and URL)."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pandas as pd

from chatbot_watch import i18n
from chatbot_watch.datamodel.evidence import review_facts
from chatbot_watch.filters import Filters


def _plain(value: Any) -> Any:
    """A JSON-ready value: lists stay lists, dates become ISO text, missing becomes None."""
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "tolist") and not isinstance(value, str):
        return _plain(value.tolist())
    if value is None or (not isinstance(value, list | tuple | str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp | dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    return value


# A spreadsheet runs a cell that starts with one of these as a formula (`=HYPERLINK(...)`,
# `@SUM(...)`, `+cmd|...`); OWASP's rule: such a text cell gets a leading apostrophe.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: Any) -> Any:
    """A CSV cell that no spreadsheet runs as a formula: text starting with `=`, `+`, `-`, `@`,
    tab or carriage return is prefixed with `'` (the OWASP rule); anything else is unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


# RFC 4180 line ends: with them the CSV writer quotes every value holding a CR or LF (with "\n"
# alone it leaves a bare CR unquoted, which spreadsheets read as a new row).
CRLF = "\r\n"


def _cell(value: Any) -> Any:
    value = _plain(value)
    if isinstance(value, list):
        value = "; ".join("" if v is None else str(v) for v in value)
    return "" if value is None else csv_safe(value)


def csv_text(df: pd.DataFrame, excel: bool = False) -> str:
    """Plain CSV that opens anywhere: the header on line 1 (pandas' default `read_csv`, a
    spreadsheet's first row), RFC 4180 line ends, text cells that a spreadsheet would run as a
    formula prefixed with `'` (see `csv_safe`). The view's metadata (as-of date, version, filters,
    URL, licence) is in the file name and in the JSON download. `excel=True` adds a UTF-8 byte
    order mark, so that Excel reads accents and non-Latin names right."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype.kind not in "iufbmM":  # text (object or str dtype), lists, dates as objects
            out[col] = out[col].map(_cell)
    buf = io.StringIO()
    if excel:
        buf.write("\ufeff")
    out.to_csv(buf, index=False, date_format="%Y-%m-%d", lineterminator=CRLF)
    return buf.getvalue()


def file_stem(view: str, f: Filters, as_of: str) -> str:
    """A download's file name without extension, saying what it holds:
    `chatbot-watch_restrictions_country-KR_2026-11-29` (filters in URL order, then the language when
    it is not English, at most 120 characters)."""

    def slug(text: str) -> str:
        return "-".join("".join(ch if ch.isalnum() else " " for ch in text).split())

    parts = ["chatbot-watch", slug(view.lower())]
    parts += [f"{slug(k)}-{slug(v)}" for k, v in f.to_query()]
    if i18n.current() != i18n.DEFAULT:  # the view was read in another language (issue 25)
        parts.append(f"lang-{i18n.current()}")
    stem = "_".join(parts)
    if len(stem) > 120:
        stem = stem[:120].rstrip("_-") + "_etc"
    return f"{stem}_{as_of}"


def json_text(df: pd.DataFrame, meta: dict[str, str], view: str, f: Filters, url: str) -> str:
    """JSON object with the view's metadata and its rows."""
    filters: dict[str, list[str]] = {}
    for k, v in f.to_query():
        filters.setdefault(k, []).append(v)
    payload = {
        "dataset": meta.get("title"),
        "view": view,
        "url": url,
        **review_facts(meta),
        "data_version": meta.get("data_version"),
        "filters": filters,
        "licence": meta.get("licence"),
        "licence_url": meta.get("licence_url"),
        "row_count": len(df),
        "rows": [{k: _plain(v) for k, v in row.items()} for row in df.to_dict(orient="records")],
    }
    return json.dumps(payload, ensure_ascii=False, indent=1)


def package_zip(db_path: Path) -> bytes:
    """The whole dataset as the open-data package of `export` (CSV, JSON, Parquet per table,
    datapackage.json, README), zipped in memory."""
    import tempfile
    import zipfile

    from chatbot_watch.store.export import MARKER, export

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "chatbot-watch"
        export(db_path, folder)
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
            for path in sorted(folder.rglob("*")):
                if path.is_file() and path.name != MARKER:
                    z.write(path, f"chatbot-watch/{path.relative_to(folder)}")
        return buf.getvalue()

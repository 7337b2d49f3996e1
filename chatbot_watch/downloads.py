"""The rows on screen -> CSV and JSON files that carry the as-of date, version and filters used."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pandas as pd

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


def comment_line(text: str) -> str:
    """One `# ...` line of a CSV header: every line break in `text` (CR, LF, U+2028, U+0085,
    ...) becomes a space, so a value cannot start a line of its own."""
    return "# " + " ".join(text.split()) + CRLF


def _cell(value: Any) -> Any:
    value = _plain(value)
    if isinstance(value, list):
        value = "; ".join("" if v is None else str(v) for v in value)
    return "" if value is None else csv_safe(value)


def csv_text(df: pd.DataFrame, meta: dict[str, str], view: str, f: Filters, url: str) -> str:
    """CSV with a short commented header (view, as-of date, version, filters, URL, licence); text
    cells that a spreadsheet would run as a formula start with `'` (see `csv_safe`)."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype.kind not in "iufbmM":  # text (object or str dtype), lists, dates as objects
            out[col] = out[col].map(_cell)
    buf = io.StringIO()
    for line in (
        f"Chatbot Watch: {view}",
        f"data as of {meta.get('as_of')}, version {meta.get('data_version')}",
        f"filters: {f.describe()}",
        f"view: {url}",
        f"licence: {meta.get('licence')} {meta.get('licence_url')}",
    ):
        buf.write(comment_line(line))
    out.to_csv(buf, index=False, date_format="%Y-%m-%d", lineterminator=CRLF)
    return buf.getvalue()


def json_text(df: pd.DataFrame, meta: dict[str, str], view: str, f: Filters, url: str) -> str:
    """JSON object with the view's metadata and its rows."""
    filters: dict[str, list[str]] = {}
    for k, v in f.to_query():
        filters.setdefault(k, []).append(v)
    payload = {
        "dataset": meta.get("title"),
        "view": view,
        "url": url,
        "as_of": meta.get("as_of"),
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

    from chatbot_watch.export import export

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "chatbot-watch"
        export(db_path, folder)
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    z.write(path, f"chatbot-watch/{path.relative_to(folder)}")
        return buf.getvalue()

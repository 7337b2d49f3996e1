"""Links that open a pre-filled "report a correction" issue for a record in the project's repository."""

from __future__ import annotations

from urllib.parse import urlencode

import pandas as pd

KIND_WORDS = {"finding": "finding", "action": "government action", "company": "company", "app": "app"}
KIND_FILES = {"finding": "findings.yaml", "action": "actions.yaml", "company": "companies.yaml", "app": "apps.yaml"}


def correction_url(repository_url: str, kind: str, record_id: str, source_url: str | None, view_url: str) -> str:
    """A GitHub "new issue" address naming the record, its main source and the view it was seen in."""
    title = f"Correction: {KIND_WORDS.get(kind, kind)} {record_id}"
    body = "\n".join(
        [
            f"Record: {kind} `{record_id}` (data file: data/{KIND_FILES.get(kind, '?')})",
            f"Main source cited: {source_url or 'none'}",
            f"Seen at: {view_url}",
            "",
            "What is wrong, and what is right?",
            "",
            "Source for the correction (address, publisher, date, a short quote):",
            "",
        ]
    )
    query = urlencode({"title": title, "body": body, "labels": "correction"})
    return f"{repository_url.rstrip('/')}/issues/new?{query}"


def with_correction_links(
    df: pd.DataFrame, repository_url: str | None, kind: str, id_col: str, view_url: str
) -> pd.DataFrame:
    """`df` plus a `correction_url` column (one link per row), or `df` unchanged without a repository."""
    if repository_url is None or df.empty or id_col not in df.columns:
        return df
    sources = df["source_url"] if "source_url" in df.columns else pd.Series([None] * len(df), index=df.index)
    out = df.copy()
    out["correction_url"] = [
        correction_url(repository_url, kind, rid, src if isinstance(src, str) else None, view_url)
        for rid, src in zip(df[id_col], sources, strict=True)
    ]
    return out

"""Links that open a pre-filled "report a correction" issue for a record in the project's repository."""

from __future__ import annotations

from urllib.parse import urlencode

import pandas as pd

from chatbot_watch.datamodel import schema

KIND_WORDS = {**{k.word: k.word.replace("_", " ") for k in schema.KINDS}, schema.ACTIONS.word: "government action"}
KIND_FILES = {k.word: f"{k.name}.yaml" for k in schema.KINDS}


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


KIND_COLUMN = "record_kind"  # in a table of several kinds, the kind of each row's record


def with_correction_links(
    df: pd.DataFrame, repository_url: str | None, kind: str | None, id_col: str, view_url: str
) -> pd.DataFrame:
    """`df` plus a `correction_url` column (one link per row), or `df` unchanged without a repository.
    `kind` None: each row's kind is in its `record_kind` column."""
    if repository_url is None or df.empty or id_col not in df.columns:
        return df
    sources = df["source_url"] if "source_url" in df.columns else pd.Series([None] * len(df), index=df.index)
    kinds = df[KIND_COLUMN] if kind is None else [kind] * len(df)
    out = df.copy()
    out["correction_url"] = [
        correction_url(repository_url, k, rid, src if isinstance(src, str) else None, view_url)
        for rid, k, src in zip(df[id_col], kinds, sources, strict=True)
    ]
    return out

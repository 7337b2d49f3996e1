"""The API's text query and publisher filter (issue 24, item 2): `q` keeps the findings and actions
the site's search (`/search?q=`, textsearch.py) finds for the same text, every one of them (the
search page lists at most 50 of a kind); `publisher` keeps the records with at least one source whose
publisher contains the value. Both ignore case, accents and character width as the search does, and
every value reaches the database as a bound parameter. The sources list (`/api/v1/sources.json`) is
every source of every record, narrowed by the same two parameters."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from chatbot_watch.queries import Con, _df, textsearch

TEXT_PARAMS = ("q", "publisher")
MAX_TEXT = textsearch.MAX_QUERY  # characters of `q` and of each `publisher` value
MAX_PUBLISHERS = 50

SOURCE_COLUMNS = """record_kind, record_id, position, url, publisher, published, kind, language, quote, translation"""


def _forms(text: str) -> list[str]:
    """`text` as the search compares it (folded) and in the other Chinese script; [] when blank."""
    folded = textsearch.fold(" ".join(text.split()))
    return textsearch.variants(folded) if folded else []


def _three(forms: list[str]) -> dict[str, str]:
    padded = (forms + [forms[0]] * 3)[:3]
    return {"q": padded[0], "q2": padded[1], "q3": padded[2]}


def text_matches(con: Con, q: str) -> set[str]:
    """Ids of every finding and action the site's search finds for `q` (by id, app, authority or
    auditor, publisher, quote, claim, document title)."""
    forms = _forms(q)
    if not forms:
        return set()
    rows = _df(con, f"SELECT DISTINCT id FROM ({textsearch._SQL}) WHERE kind IN ('finding', 'action')", _three(forms))
    return set(rows["id"])


_PUBLISHER_MATCH = """(contains(strip_accents(lower(publisher)), $q) OR contains(strip_accents(lower(publisher)), $q2)
    OR contains(strip_accents(lower(publisher)), $q3))"""


def _publisher_rows(con: Con, publishers: Sequence[str]) -> set[tuple[str, str, int]]:
    """(record kind, record id, position) of every source whose publisher contains one of `publishers`."""
    out: set[tuple[str, str, int]] = set()
    for value in publishers:
        forms = _forms(value)
        if forms:
            sql = f"SELECT record_kind, record_id, position FROM record_sources WHERE {_PUBLISHER_MATCH}"
            out |= {(str(k), str(i), int(n)) for k, i, n in _df(con, sql, _three(forms)).itertuples(index=False)}
    return out


def publisher_matches(con: Con, publishers: Sequence[str]) -> set[str]:
    """Ids of the records with at least one source whose publisher contains one of `publishers`."""
    return {record_id for _kind, record_id, _n in _publisher_rows(con, publishers)}


def records(con: Con, q: str, publishers: Sequence[str]) -> tuple[str, ...] | None:
    """The record ids both parameters keep (None: neither is given, no restriction)."""
    if not q and not publishers:
        return None
    kept: set[str] | None = None
    if q:
        kept = text_matches(con, q)
    if publishers:
        by_publisher = publisher_matches(con, publishers)
        kept = by_publisher if kept is None else kept & by_publisher
    return tuple(sorted(kept or ()))


def sources(con: Con, q: str = "", publishers: Sequence[str] = ()) -> pd.DataFrame:
    """Every source of every record (one row per record and source, in the record's order), or
    those of the records `q` finds, and with `publishers` only the sources whose publisher matches."""
    rows = _df(con, f"SELECT {SOURCE_COLUMNS} FROM record_sources ORDER BY record_kind, record_id, position")
    if q:
        rows = rows[rows["record_id"].isin(text_matches(con, q))]
    if publishers:
        kept = _publisher_rows(con, publishers)
        keys = zip(rows["record_kind"], rows["record_id"], rows["position"], strict=True)
        rows = rows[[(str(k), str(i), int(n)) in kept for k, i, n in keys]]
    return rows.reset_index(drop=True)

"""The read-only HTTP API (`/api/v1/...`): the pages' rows as JSON and CSV, with the pages' filters.

Same filters as the pages (filters.py's names and allowed values, read by `parse_query`), same
query functions (queries.py), same hardened read-only connection. Unlike the pages, which drop an
unknown value with a notice, the API is strict: an unknown parameter or value is a 400 whose JSON
body names it, so a script never silently gets more rows than it asked for.

Every answer carries an ETag (data version + endpoint + query), so a client or a shared cache
revalidates with `If-None-Match` and gets a 304; `Access-Control-Allow-Origin: *` lets any web
page read it. `/api/v1/openapi.json` describes every endpoint and parameter.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

import pandas as pd
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from chatbot_watch import i18n, queries, views
from chatbot_watch.config import ConfigError
from chatbot_watch.datamodel.evidence import review_facts
from chatbot_watch.filters import (
    ACTION_FILTERS,
    COUNTRY_ROLES,
    DATE_PARAMS,
    FLOW_FILTERS,
    LIST_PARAMS,
    PAGE_FILTERS,
    Filters,
)
from chatbot_watch.queries import apisearch, chartdata, recordpage
from chatbot_watch.store import events
from chatbot_watch.store.database import DatabaseError
from chatbot_watch.views.downloads import _plain as plain
from chatbot_watch.views.downloads import csv_safe
from chatbot_watch.web.apiparams import DEFAULT_LIMIT, MAX_LIMIT, PAGING_PARAMS, PREFIX, ApiError, _bad, strict_filters
from chatbot_watch.web.site import current

log = logging.getLogger(__name__)

CACHE_CONTROL = "public, max-age=300, s-maxage=3600"
# List answers made at once (the rest wait their turn, holding no CPU): making one is mostly Python
# (rows to JSON or CSV), so more at once only contend for the interpreter, and the process's
# other answers (/healthz, the app's pages) wait behind them (bench/abuse.py, docs/benchmarks.md).
ANSWERS_AT_ONCE = threading.BoundedSemaphore(1)
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag, Link, X-Data-Version, X-As-Of, X-Row-Count, X-Licence, X-Filters",
}


def _apps(con: queries.Con, f: Filters) -> pd.DataFrame:
    """Every app (or those of the `app` filter) with its developer and the developer's owners."""
    ids = list(f.app) or list(queries.filter_options(con)["app"])
    rows = [queries.app_info(con, i) for i in ids]
    return pd.DataFrame([r for r in rows if r is not None])


# The events endpoint's filters (events.py says what each means for an event); `lang` picks the
# language of its sentences and labels.
EVENT_FILTERS = ("country", "company", "app", "action_type", "evidence", "data_type", "since", "until", "lang")


def _events_page(con: queries.Con, f: Filters, limit: int, offset: int) -> tuple[pd.DataFrame, int]:
    """`limit` events from `offset`, oldest first, in the current language, and how many match."""
    rows = events.events(con, f).rows.drop(columns=["day"])
    return rows.iloc[offset : offset + limit], len(rows)


@dataclass(frozen=True)
class Endpoint:
    """One list endpoint: its name, the filters it takes, the query it runs and its formats."""

    name: str
    filters: tuple[str, ...]
    query: Callable[[queries.Con, Filters], pd.DataFrame]
    formats: tuple[str, ...]
    summary: str
    # One page of the rows and the number of all matching rows, paged in the database; None: the
    # query's rows are few (one per app, company or country: an aggregate, kept whole in the
    # byte-bounded cache and sliced for each page).
    page: Callable[[queries.Con, Filters, int, int], tuple[pd.DataFrame, int]] | None = None
    text: tuple[str, ...] = apisearch.TEXT_PARAMS  # the API's own text filters it takes (q, publisher)

    def rows(
        self, con: queries.Con, f: Filters, limit: int, offset: int, cached: Callable[..., Any] | None = None
    ) -> tuple[pd.DataFrame, int]:
        """Rows `offset` to `offset + limit` of the answer, and how many rows match in all;
        `cached(key, make)` keeps an aggregate's whole answer between pages."""
        if self.page is not None:
            return self.page(con, f, limit, offset)
        make = lambda: self.query(con, f)  # noqa: E731
        everything = cached(("api-rows", self.name, f), make) if cached else make()
        return everything.iloc[offset : offset + limit], len(everything)


ENDPOINTS = {
    e.name: e
    for e in (
        Endpoint(
            "flows",
            FLOW_FILTERS,
            queries.flows,
            ("json", "csv"),
            "Data flows: one row per finding, data type and named recipient, newest audit first (the Data flows page).",
            queries.flows_page,
        ),
        Endpoint(
            "restrictions",
            ACTION_FILTERS,
            queries.restrictions,
            ("json", "csv"),
            "Government actions: one row per action and app concerned, newest first (the Restrictions page).",
            queries.restrictions_page,
        ),
        Endpoint(
            "apps",
            ("app",),
            _apps,
            ("json",),
            "Apps with their developer, the developer's ownership chain and the platforms examined.",
            text=(),
        ),
        Endpoint(
            "companies",
            FLOW_FILTERS,
            queries.companies,
            ("json",),
            "Recipient companies named by the matching findings, with what apps send them and each data type "
            "under its own evidence (the Companies page).",
        ),
        Endpoint(
            "countries",
            ACTION_FILTERS,
            chartdata.map_counts,
            ("json",),
            "Jurisdictions with matching government actions: counts by status and what is in force (the map).",
        ),
        Endpoint(
            "events",
            EVENT_FILTERS,
            lambda con, f: events.events(con, f).rows.drop(columns=["day"]),
            ("json", "csv"),
            "Events, oldest first: an action announced, taking effect, lifted or ended, a finding reported, each on "
            "its own date with one sentence in plain words (`what`, in `lang`); `country` is an action's "
            "jurisdiction or a finding's examiner's country, since/until apply to each event's date. Events "
            "without a date are not listed (the chronologies of the pages count them).",
            _events_page,
            text=(),
        ),
        Endpoint(
            "sources",
            (),
            lambda con, f: apisearch.sources(con, f.q, f.publisher),
            ("json", "csv"),
            "Every source of every record: one row per record and source (record_kind, record_id, position, url, "
            "publisher, published, kind, language, quote as printed, our translation), in each record's order; "
            "`q` keeps the sources of the records the search finds, `publisher` the sources whose publisher matches.",
        ),
    )
}

PARAM_DOCS = {
    "country": "ISO 3166-1 alpha-2 code, or EU (repeat for several)",
    "company": "company id: that company and its subsidiaries (repeat for several)",
    "data_type": "data type id (repeat for several)",
    "app": "app id (repeat for several)",
    "evidence": "evidence status (repeat for several)",
    "action_type": "action type (repeat for several)",
    "app_country": "ISO 3166-1 alpha-2 code: flows from apps whose developer is based there (repeat for several; "
    "apps whose developer's country is not recorded are left out)",
    "not_app_country": "ISO 3166-1 alpha-2 code: flows from apps whose developer is known to be based elsewhere "
    "(repeat for several; apps whose developer's country is not recorded are left out)",
    "since": "from this date: YYYY-MM-DD, or a month (YYYY-MM) or a year (YYYY) from its first day "
    "(records without a date are then left out)",
    "until": "up to this date: YYYY-MM-DD, or a month or a year up to its last day",
    "country_role": "what `country` means for data flows: " + "; ".join(f"{k}: {v}" for k, v in COUNTRY_ROLES.items()),
    "lang": "the language of the sentences and labels: " + ", ".join(i18n.LANGUAGES) + " (default en)",
    "q": "the site's search text (/search?q=): only the findings and actions it finds, by id, app, authority or "
    "auditor, publisher of any source, quote, claim or document title; every match, case-, accent- and "
    f"width-insensitive (at most {apisearch.MAX_TEXT} characters)",
    "publisher": "only records with a source whose publisher contains this text, case-, accent- and "
    "width-insensitive (`Reuters` matches `CNA (Reuters)`; repeat for several: any of them)",
    "limit": f"rows per answer, 1 to {MAX_LIMIT} (default {DEFAULT_LIMIT})",
    "offset": "rows to skip (default 0)",
}


# ---------------------------------------------------------------------------
# Strict parameters
# ---------------------------------------------------------------------------


# ---------------------------------------------------------------------------
# Answers
# ---------------------------------------------------------------------------


def etag(version: str, *parts: str) -> str:
    """A strong ETag from the data version and what identifies the answer."""
    return '"' + hashlib.sha256("\n".join([version, *parts]).encode("utf-8")).hexdigest()[:32] + '"'


def _not_modified(request: Request, tag: str) -> bool:
    given = request.headers.get("if-none-match", "")
    return any(t.strip() in (tag, "*", "W/" + tag) for t in given.split(","))


def _cached_headers(tag: str, m: dict[str, str]) -> dict[str, str]:
    return {
        **CORS,
        "ETag": tag,
        "Cache-Control": CACHE_CONTROL,
        "X-Data-Version": m.get("data_version", ""),
        "X-As-Of": m.get("as_of", ""),
        "X-Newest-Event": m.get("newest_event") or "",
        "X-Licence": f"{m.get('licence', '')} {m.get('licence_url', '')}".strip(),
    }


def applied(f: Filters) -> dict[str, list[str]]:
    """The filters as applied, as name -> values (what the JSON's `filters` says)."""
    out: dict[str, list[str]] = {}
    for k, v in f.to_query():
        out.setdefault(k, []).append(v)
    return out


def csv_body(df: pd.DataFrame) -> str:
    """Plain CSV, header on line 1, CRLF line ends (a bare CR in a value is then quoted), lists
    joined with '; ', dates as YYYY-MM-DD, formula-leading text neutralised."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(list(df.columns))
    for row in df.itertuples(index=False):
        cells = []
        for value in row:
            value = plain(value)
            if isinstance(value, list):
                value = "; ".join("" if v is None else str(v) for v in value)
            cells.append("" if value is None else csv_safe(value))
        w.writerow(cells)
    return buf.getvalue()


def _error(exc: ApiError) -> JSONResponse:
    return JSONResponse(exc.body, status_code=exc.status, headers={**CORS, "Cache-Control": "no-store"})


def _unavailable(exc: Exception) -> JSONResponse:
    # The reason (which names the server's files) goes to the log, not to the client.
    log.warning("API: the database cannot be read: %s", exc)
    body = {"error": "unavailable", "message": "the database cannot be read just now; try again later"}
    return JSONResponse(body, status_code=503, headers={**CORS, "Cache-Control": "no-store", "Retry-After": "30"})


def list_endpoint(endpoint: Endpoint, fmt: str) -> Callable[[Request], Response]:
    """The handler of `/api/v1/<endpoint>.<fmt>`."""

    def handler(request: Request) -> Response:
        site = current()
        try:
            version = site.version()
            m = site.meta()
            params = list(request.query_params.multi_items())
            f, limit, offset = strict_filters(params, endpoint.filters, site.options(), endpoint.text)
            if f.q or f.publisher:  # the records they keep, found once per data version and text
                kept = site.cached(
                    ("api-records", f.q, f.publisher), lambda: apisearch.records(site.cursor(), f.q, f.publisher)
                )
                f = replace(f, records=kept)
            lang = _lang(params) if "lang" in endpoint.filters else i18n.DEFAULT
        except ApiError as exc:
            return _error(exc)
        except (DatabaseError, ConfigError, OSError) as exc:
            return _unavailable(exc)
        query = urlencode([*f.to_query(), ("limit", str(limit)), ("offset", str(offset)), ("lang", lang)])
        tag = etag(version, endpoint.name, fmt, query)
        headers = _cached_headers(tag, m)
        if _not_modified(request, tag):
            return Response(status_code=304, headers=headers)
        # The answer itself is cached (bounded by its bytes), keyed by what makes it: never every
        # matching row, which for a broad filter at scale is most of the database.
        body, total, nxt = site.cached(
            ("api", endpoint.name, fmt, f, limit, offset, lang),
            lambda: _in_lang(lang, lambda: _answer(site.cursor(), endpoint, fmt, f, limit, offset, m, site.cached)),
        )
        if nxt is not None:
            headers["Link"] = f'<{nxt}>; rel="next"'
        headers["X-Row-Count"] = str(total)
        headers["X-Filters"] = urlencode(f.to_query())
        if fmt == "csv":
            headers["Content-Disposition"] = f'inline; filename="chatbot-watch-{endpoint.name}.csv"'
        media = "text/csv; charset=utf-8" if fmt == "csv" else "application/json"
        return Response(body, media_type=media, headers=headers)

    return handler


def _lang(params: list[tuple[str, str]]) -> str:
    """The `lang` parameter's language (default en); ApiError naming it when unknown or repeated."""
    asked = [v for k, v in params if k == "lang"]
    lang = i18n.parse_lang(asked[0]) if asked else i18n.DEFAULT
    if lang is None or len(asked) > 1:
        raise _bad("lang", asked[0][:20], "one of " + ", ".join(i18n.LANGUAGES))
    return lang


def _in_lang(lang: str, make: Callable[[], Any]) -> Any:
    with i18n.using(lang):
        return make()


def _answer(
    con: queries.Con,
    endpoint: Endpoint,
    fmt: str,
    f: Filters,
    limit: int,
    offset: int,
    m: dict[str, str],
    cached: Callable[..., Any] | None = None,
) -> tuple[bytes, int, str | None]:
    """The body of one page of a list endpoint, the number of all matching rows, and the next page's URL."""
    with ANSWERS_AT_ONCE:
        page, total = endpoint.rows(con, f, limit, offset, cached)
        return _body(endpoint, fmt, f, limit, offset, m, page, total)


def _body(
    endpoint: Endpoint, fmt: str, f: Filters, limit: int, offset: int, m: dict[str, str], page: pd.DataFrame, total: int
) -> tuple[bytes, int, str | None]:
    """One page's rows as the JSON or CSV body, with the total and the next page's URL."""
    nxt = None
    if offset + limit < total:
        lang = [("lang", i18n.current())] if "lang" in endpoint.filters and i18n.current() != i18n.DEFAULT else []
        nxt_q = urlencode([*f.to_query(), *lang, ("limit", str(limit)), ("offset", str(offset + limit))])
        nxt = f"{PREFIX}/{endpoint.name}.{fmt}?{nxt_q}"
    if fmt == "csv":
        return csv_body(page).encode("utf-8"), total, nxt
    body = {
        "dataset": m.get("title"),
        "endpoint": endpoint.name,
        "data_version": m.get("data_version"),
        **review_facts(m),
        "licence": m.get("licence"),
        "licence_url": m.get("licence_url"),
        "filters": applied(f),
        "row_count": total,
        "limit": limit,
        "offset": offset,
        "next": nxt,
        "rows": [{k: plain(v) for k, v in r.items()} for r in page.to_dict(orient="records")],
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), total, nxt


def _json(body: Any, headers: dict[str, str], status: int = 200) -> Response:
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return Response(text, status_code=status, media_type="application/json", headers=headers)


def record_endpoint(request: Request) -> Response:
    """`/api/v1/records/{id}.json`: one finding, action, app or company, every field as text, what
    it names, its sources with full quotes and its history (the record page). `app:deepseek` and
    `company:deepseek` tell apart a slug that names both."""
    site = current()
    raw = request.path_params["id"]
    try:
        version = site.version()
        m = site.meta()
        if request.query_params:
            name = next(iter(request.query_params))
            raise _bad(name, None, f"'{name}' is not a parameter of this endpoint", allowed=[])
        if len(raw) > 80:
            raise _bad("id", raw[:80], "record ids are at most 80 characters")
        matches = site.cached(("resolve", raw), lambda: recordpage.resolve_record(site.cursor(), raw))
    except ApiError as exc:
        return _error(exc)
    except (DatabaseError, ConfigError, OSError) as exc:
        return _unavailable(exc)
    if not matches:
        return _error(ApiError(404, {"error": "not_found", "id": raw, "message": "no record has this id"}))
    if len(matches) > 1:
        candidates = [f"{k}:{i}" for k, i in matches]
        return _error(
            ApiError(
                400,
                {"error": "ambiguous_id", "id": raw, "candidates": candidates, "message": "say which kind: kind:id"},
            )
        )
    kind, record_id = matches[0]
    tag = etag(version, "record", kind, record_id)
    headers = _cached_headers(tag, m)
    if _not_modified(request, tag):
        return Response(status_code=304, headers=headers)
    rec = site.cached(("record", kind, record_id), lambda: recordpage.record(site.cursor(), kind, record_id))
    body = {
        "dataset": m.get("title"),
        "data_version": m.get("data_version"),
        **review_facts(m),
        "licence": m.get("licence"),
        "licence_url": m.get("licence_url"),
        "kind": kind,
        "id": record_id,
        "title": rec["title"],
        "fields": dict(rec["fields"]),
        "links": [{"page": p, "label": lab, "parameter": k, "value": v} for p, lab, k, v in rec["links"]],
        "sources": [{k: plain(v) for k, v in r.items()} for r in rec["sources"].to_dict(orient="records")],
        "primary_documents": [{k: plain(v) for k, v in r.items()} for r in rec["documents"].to_dict(orient="records")],
        "history": [{k: plain(v) for k, v in r.items()} for r in rec["history"].to_dict(orient="records")],
    }
    return _json(body, headers)


VIEW_PAGES = list(views.PAGE_BY_KEY)


def view_endpoint(request: Request) -> Response:
    """`/api/v1/views/{page}.json`: what the page says for these filters (views.View): its title,
    heading, question, figures, notices, tables with their headings and charts with their data, each
    table's and chart's rows paged by `limit` and `offset`. The same View the app and the HTML page
    draw, so the three agree."""
    site = current()
    page = views.PAGE_BY_KEY.get(request.path_params["page"])
    if page is None:
        return not_found(request)
    own_names = page.params
    try:
        version = site.version()
        m = site.meta()
        params = list(request.query_params.multi_items())
        own = {k: [v] for k, v in params if k in own_names}
        if any(len(v) > 80 for vs in own.values() for v in vs):
            raise _bad(own_names[0], None, "at most 80 characters")
        asked = [v for k, v in params if k == "lang"]
        lang = i18n.parse_lang(asked[0]) if asked else i18n.DEFAULT
        if lang is None or len(asked) > 1:
            raise _bad("lang", asked[0][:20], "one of " + ", ".join(i18n.LANGUAGES))
        f, limit, offset = strict_filters(
            [(k, v) for k, v in params if k not in own_names and k != "lang"], PAGE_FILTERS[page.key], site.options()
        )
    except ApiError as exc:
        return _error(exc)
    except (DatabaseError, ConfigError, OSError) as exc:
        return _unavailable(exc)
    key = urlencode(
        [
            *f.to_query(),
            *((k, v[0]) for k, v in sorted(own.items())),
            ("limit", limit),
            ("offset", offset),
            ("lang", lang),
        ]
    )
    tag = etag(version, "view", page.key, key)
    headers = _cached_headers(tag, m)
    if _not_modified(request, tag):
        return Response(status_code=304, headers=headers)

    def make() -> bytes:
        v = views.for_filters(site.cursor(), m, site.options(), page.key, f, own, site.settings.site_title, lang=lang)
        return json.dumps(view_body(v, m, limit, offset), ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    return Response(site.cached(("api-view", page.key, key), make), media_type="application/json", headers=headers)


def view_body(v: Any, m: dict[str, str], limit: int, offset: int) -> dict[str, Any]:
    """A view as the API's JSON: what the page says, each table's rows `offset` to `offset + limit`."""
    return {
        "dataset": m.get("title"),
        "data_version": m.get("data_version"),
        **review_facts(m),
        "licence": m.get("licence"),
        "licence_url": m.get("licence_url"),
        "page": v.page,
        "title": v.title,
        "heading": v.heading,
        "question": v.question,
        "description": v.description,
        "date_line": v.date_line,
        "canonical": v.canonical,
        "filters": applied(v.filters),
        "notices": v.notices,
        "sentences": v.sentences,
        "figures": [{"label": f.label, "value": f.value, "help": f.help, "group": f.group} for f in v.figures],
        "groups": [{"group": g, "name": name} for g, name in v.groups],
        "tables": [
            {"name": t.name, "group": t.group, "caption": t.caption, "note": t.note, **_rows(t, limit, offset)}
            for t in v.tables
        ],
        "charts": [
            {
                "name": ch.name,
                "group": ch.group,
                "title": ch.title,
                "caption": ch.caption,
                "instead": ch.instead,
                **_rows(ch.table, limit, offset),
            }
            for ch in v.charts
        ],
    }


def _rows(t: views.Table, limit: int, offset: int) -> dict[str, Any]:
    """A view's table (or a chart's data) as the API gives it: its columns under their headings, its
    row count, and rows `offset` to `offset + limit`."""
    return {
        "columns": [{"column": c, "heading": h} for c, h in t.columns.items() if c in t.frame.columns],
        "row_count": t.total,
        "limit": limit,
        "offset": offset,
        "rows": [
            {c: plain(r[c]) for c in t.columns if c in r}
            for r in t.frame.iloc[offset : offset + limit].to_dict(orient="records")
        ],
    }


def preflight(_request: Request) -> Response:
    """CORS preflight (a page that sends If-None-Match itself asks first)."""
    return Response(
        status_code=204,
        headers={
            **CORS,
            "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
            "Access-Control-Allow-Headers": "If-None-Match",
            "Access-Control-Max-Age": "86400",
        },
    )


# ---------------------------------------------------------------------------
# OpenAPI
# ---------------------------------------------------------------------------


def openapi(options: dict[str, dict[str, str]], m: dict[str, str]) -> dict[str, Any]:
    """The API's OpenAPI 3.1 description, with the allowed values of every filter."""

    def param(name: str) -> dict[str, Any]:
        if name in LIST_PARAMS:
            schema: dict[str, Any] = {"type": "array", "items": {"type": "string", "enum": list(options[name])}}
            return {"name": name, "in": "query", "description": PARAM_DOCS[name], "schema": schema, "explode": True}
        if name in DATE_PARAMS:
            schema = {"type": "string", "pattern": r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"}
        elif name == "country_role":
            schema = {"type": "string", "enum": list(COUNTRY_ROLES), "default": "recipient"}
        elif name == "lang":
            schema = {"type": "string", "enum": list(i18n.LANGUAGES), "default": i18n.DEFAULT}
        elif name == "q":
            schema = {"type": "string", "maxLength": apisearch.MAX_TEXT}
        elif name == "publisher":
            schema = {"type": "array", "items": {"type": "string", "maxLength": apisearch.MAX_TEXT}}
            return {"name": name, "in": "query", "description": PARAM_DOCS[name], "schema": schema, "explode": True}
        elif name == "limit":
            schema = {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT}
        else:
            schema = {"type": "integer", "minimum": 0, "default": 0}
        return {"name": name, "in": "query", "description": PARAM_DOCS[name], "schema": schema}

    errors = {
        "304": {"description": "Not modified (the ETag given in If-None-Match is current)"},
        "400": {"description": "Unknown parameter or value; the JSON body names it (`parameter`, `value`)"},
        "503": {"description": "The database cannot be read"},
    }
    paths: dict[str, Any] = {}
    for e in ENDPOINTS.values():
        for fmt in e.formats:
            media = "application/json" if fmt == "json" else "text/csv"
            what = (
                "JSON: rows, row_count (all matching rows), limit, offset, next, filters (as applied), "
                "data_version, as_of, licence"
                if fmt == "json"
                else "CSV, header on line 1; metadata in the X-Data-Version, X-As-Of, X-Row-Count, X-Filters, "
                "X-Licence and Link headers; text cells starting with = + - @ tab or CR get a leading '"
            )
            paths[f"{PREFIX}/{e.name}.{fmt}"] = {
                "get": {
                    "summary": e.summary,
                    "parameters": [param(n) for n in (*e.filters, *e.text, *PAGING_PARAMS)],
                    "responses": {"200": {"description": what, "content": {media: {}}}, **errors},
                }
            }
    paths[f"{PREFIX}/records/{{id}}.json"] = {
        "get": {
            "summary": "One record (finding AF-…, action CA-…, app or company; `app:x` / `company:x` for a slug "
            "naming both): every field, what it names, its sources with full quotes, its history.",
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": {
                "200": {"description": "The record", "content": {"application/json": {}}},
                "404": {"description": "No record has this id"},
                "400": {"description": "The id names several records (`candidates`)"},
                **{k: v for k, v in errors.items() if k != "400"},
            },
        }
    }
    paths[f"{PREFIX}/views/{{page}}.json"] = {
        "get": {
            "summary": "What a page says for these filters, as the app and the server-rendered page say it: title, "
            "heading, question, headline figures, notices, each table's caption, column headings and rows, and "
            "each chart's title, caption and data rows (rows paged by limit and offset). `page` is one of: "
            + ", ".join(VIEW_PAGES)
            + "; a page takes its own filters (as on the site) and `q` (search) or `id` (record).",
            "parameters": [
                {"name": "page", "in": "path", "required": True, "schema": {"type": "string", "enum": VIEW_PAGES}},
                *(param(n) for n in (*sorted(set(LIST_PARAMS) | set(DATE_PARAMS) | {"country_role"}), *PAGING_PARAMS)),
                {"name": "q", "in": "query", "required": False, "schema": {"type": "string"},
                 "description": "search text (page search)"},
                {"name": "id", "in": "query", "required": False, "schema": {"type": "string"},
                 "description": "record id (page record)"},
                {"name": "lang", "in": "query", "required": False,
                 "schema": {"type": "string", "enum": list(i18n.LANGUAGES)},
                 "description": "the language of the page's texts (headings, figures, labels, country names); "
                                "the data's own words (names, quotes) stay as they are. Default en."},
            ],
            "responses": {"200": {"description": "The view", "content": {"application/json": {}}}, **errors},
        }
    }  # fmt: skip
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Chatbot Watch API",
            "version": "1",
            "description": f"{m.get('description', '')} Read-only; data version {m.get('data_version')}, "
            f"as of {m.get('as_of')}.",
            "license": {"name": m.get("licence", ""), "url": m.get("licence_url", "")},
        },
        "paths": paths,
    }


def openapi_endpoint(request: Request) -> Response:
    site = current()
    try:
        version = site.version()
        m = site.meta()
        options = site.options()
    except (DatabaseError, ConfigError, OSError) as exc:
        return _unavailable(exc)
    tag = etag(version, "openapi")
    headers = _cached_headers(tag, m)
    if _not_modified(request, tag):
        return Response(status_code=304, headers=headers)
    return _json(site.cached(("openapi",), lambda: openapi(options, m)), headers)


def routes() -> list[BaseRoute]:
    """The API's routes (GET and HEAD; OPTIONS for CORS preflight on every one), then a JSON 404
    for any other path under /api/."""
    out: list[BaseRoute] = []
    for e in ENDPOINTS.values():
        for fmt in e.formats:
            out.append(Route(f"{PREFIX}/{e.name}.{fmt}", list_endpoint(e, fmt), methods=["GET", "HEAD"]))
            out.append(Route(f"{PREFIX}/{e.name}.{fmt}", preflight, methods=["OPTIONS"]))
    out.append(Route(PREFIX + "/records/{id}.json", record_endpoint, methods=["GET", "HEAD"]))
    out.append(Route(PREFIX + "/records/{id}.json", preflight, methods=["OPTIONS"]))
    out.append(Route(PREFIX + "/views/{page}.json", view_endpoint, methods=["GET", "HEAD"]))
    out.append(Route(PREFIX + "/views/{page}.json", preflight, methods=["OPTIONS"]))
    out.append(Route(PREFIX + "/openapi.json", openapi_endpoint, methods=["GET", "HEAD"]))
    out.append(Route(PREFIX + "/openapi.json", preflight, methods=["OPTIONS"]))
    # Anything else under /api/ is a JSON 404 (not the app's HTML page, which a cache would keep as a 200).
    out.append(Route("/api/{rest:path}", not_found, methods=["GET", "HEAD", "OPTIONS"]))
    return out


def not_found(_request: Request) -> Response:
    """A JSON 404 for a path under /api/ that is no endpoint (the path is not echoed)."""
    body = {"error": "not_found", "message": "no such endpoint", "endpoints": f"{PREFIX}/openapi.json"}
    return JSONResponse(body, status_code=404, headers={**CORS, "Cache-Control": "no-store"})

"""The API's parameters read strictly: every filter, text and paging parameter checked against the
allowed values, and a 400 (ApiError) that names the parameter for anything else."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from chatbot_watch.filters import (
    COUNTRY_ROLES,
    DATE_FORMS,
    DATE_PARAMS,
    LIST_PARAMS,
    MAX_VALUES_PER_PARAM,
    Filters,
    parse_date,
    parse_query,
    url_text,
)
from chatbot_watch.queries import apisearch

PREFIX = "/api/v1"
DEFAULT_LIMIT = 100


MAX_LIMIT = 1000


PAGING_PARAMS = ("limit", "offset")


class ApiError(Exception):
    """A request the API refuses: HTTP status and a JSON body that names the problem."""

    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(body.get("message", ""))
        self.status = status
        self.body = body


def _bad(parameter: str, value: str | None, message: str, **extra: Any) -> ApiError:
    body: dict[str, Any] = {"error": "bad_parameter", "parameter": parameter}
    if value is not None:
        body["value"] = value
    body["message"] = message
    body.update(extra)
    return ApiError(400, body)


def strict_filters(
    params: Iterable[tuple[str, str]],
    allowed: tuple[str, ...],
    options: dict[str, dict[str, str]],
    text: tuple[str, ...] = (),
) -> tuple[Filters, int, int]:
    """Filters, limit and offset from query parameters; ApiError (400) naming the first unknown
    parameter, value, or malformed date or number. The Filters are built by filters.parse_query,
    as for the pages, once every value is known to be allowed; the API's own text filters (`text`:
    q, publisher) are added to them."""
    grouped: dict[str, list[str]] = {}
    for k, v in params:
        grouped.setdefault(k, []).append(v)
    texts = _text_filters({k: grouped.pop(k) for k in text if k in grouped})
    for name, values in grouped.items():
        if name not in allowed and name not in PAGING_PARAMS:
            known = [*allowed, *text, *PAGING_PARAMS]
            raise _bad(name, None, f"'{name}' is not a parameter of this endpoint", allowed=known)
        if name in LIST_PARAMS:
            if len(values) > MAX_VALUES_PER_PARAM:
                raise _bad(name, None, f"at most {MAX_VALUES_PER_PARAM} values of '{name}'")
            for v in values:
                if v not in options[name]:
                    raise _bad(name, v, f"unknown {name} value", allowed=f"{PREFIX}/openapi.json")
        elif len(values) > 1:
            raise _bad(name, None, f"'{name}' takes one value")
        elif name in DATE_PARAMS:
            day = parse_date(values[0], end=(name == "until"))
            if day is None:
                raise _bad(name, values[0], f"expected a date like {DATE_FORMS}")
            grouped[name] = [day.isoformat()]  # a month or a year as its first (or last) day
        elif name == "country_role" and values[0] not in COUNTRY_ROLES:
            raise _bad(name, values[0], "unknown country_role", allowed=list(COUNTRY_ROLES))
    result = parse_query({k: v for k, v in grouped.items() if k not in PAGING_PARAMS}, options)
    if result.notices:  # whatever parse_query still drops (e.g. since after until) is refused too
        raise _bad("filters", None, " ".join(result.notices))
    limit = _int(grouped, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    offset = _int(grouped, "offset", 0, 0, None)
    return replace(result.filters.only(allowed), **texts), limit, offset


def _text_filters(given: dict[str, list[str]]) -> dict[str, Any]:
    """The `q` and `publisher` values, checked (one `q`; at most MAX_PUBLISHERS publishers; each at
    most MAX_TEXT characters, control and format characters removed, spaces folded)."""
    out: dict[str, Any] = {}
    for name, values in given.items():
        if name == "q" and len(values) > 1:
            raise _bad(name, None, "'q' takes one value")
        if len(values) > apisearch.MAX_PUBLISHERS:
            raise _bad(name, None, f"at most {apisearch.MAX_PUBLISHERS} values of '{name}'")
        cleaned = []
        for v in values:
            text = " ".join(url_text(v).split())
            if len(text) > apisearch.MAX_TEXT:
                raise _bad(name, v[:100], f"at most {apisearch.MAX_TEXT} characters")
            if text and text not in cleaned:
                cleaned.append(text)
        out[name] = cleaned[0] if name == "q" and cleaned else ("" if name == "q" else tuple(cleaned))
    return out


def _int(grouped: dict[str, list[str]], name: str, default: int, low: int, high: int | None) -> int:
    if name not in grouped:
        return default
    raw = grouped[name][0]
    if not raw.isascii() or not raw.isdigit() or len(raw) > 9:
        raise _bad(name, raw, "expected a whole number")
    n = int(raw)
    if n < low or (high is not None and n > high):
        raise _bad(name, raw, f"expected {low} to {high}" if high is not None else f"expected at least {low}")
    return n

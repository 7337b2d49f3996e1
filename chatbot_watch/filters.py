"""Filter state <-> URL query parameters: allow-listed, readable, never evaluated.

The shared filters are mirrored in the URL as repeated, readable parameters
(`?country=KR&country=IT&data_type=chat_content&since=2025-01-01`). Values are checked
against the options the data offers; anything else is dropped and reported as a notice.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from chatbot_watch.i18n import _

# Query parameter names: part of the public URL contract (listed in README.md).
LIST_PARAMS = ("country", "company", "data_type", "app", "evidence", "action_type", "app_country", "not_app_country")
# The developer's country of the app (where the company that makes it is based), for data flows:
# `app_country=CN` keeps apps made by companies based in China, `not_app_country=CN` those whose
# developer is known to be based elsewhere. An unknown developer country matches neither.
APP_COUNTRY_PARAMS = ("app_country", "not_app_country")
DATE_PARAMS = ("since", "until")
# What `country` means for data flows: the recipient's country or where the data goes (default),
# or the country of the public body that examined the app (regulators, agencies).
COUNTRY_ROLES = {
    "recipient": "data sent to companies based in, or data going to, the country",
    "based_in": "data sent to companies based in the country",
    "examiner": "found by the country's regulators and agencies",
}
DEFAULT_COUNTRY_ROLE = "recipient"
CHOICE_PARAMS = ("country_role",)
ALL_PARAMS = LIST_PARAMS + DATE_PARAMS + CHOICE_PARAMS
# Parameters a single page reads itself (the record page's `id`), kept in the URL as they are.
PAGE_PARAMS = ("id", "q")
# Parameters of the whole site, kept across pages: the language (`lang=ko`; i18n.LANGUAGES).
SITE_PARAMS = ("lang",)
# Streamlit's own parameter for embedding; harmless, not reported.
# `part`: one chart or table of a page in embed mode (embeds.py).
IGNORED_PARAMS = ("embed", "embed_options", "part", *PAGE_PARAMS, *SITE_PARAMS)

# Which filters each page applies (the rest are shown as "not applied on this page").
# Flows (findings) have data types and evidence; actions have action types; both have a country,
# an app and a date. `country_role` only changes what `country` means for flows.
FLOW_FILTERS = (
    "country",
    "company",
    "data_type",
    "app",
    "evidence",
    "since",
    "until",
    "country_role",
    *APP_COUNTRY_PARAMS,
)
ACTION_FILTERS = ("country", "company", "app", "action_type", "since", "until")
PAGE_FILTERS: dict[str, tuple[str, ...]] = {
    "overview": tuple(p for p in ALL_PARAMS if p not in APP_COUNTRY_PARAMS),
    "flows": FLOW_FILTERS,
    "restrictions": ACTION_FILTERS,
    "countries": ("country", "company", "data_type", "app", "evidence", "action_type", "since", "until"),
    "apps": ("country", "company", "data_type", "app", "evidence", "action_type", "since", "until"),
    "companies": FLOW_FILTERS,
    "about": (),
    "record": (),
    "search": (),
}

MAX_VALUES_PER_PARAM = 50
MAX_VALUE_LENGTH = 64
MAX_NOTICE_VALUE = 40


@dataclass(frozen=True)
class Filters:
    """The shared filters of every page. Empty tuples mean "no restriction"."""

    country: tuple[str, ...] = ()
    company: tuple[str, ...] = ()
    data_type: tuple[str, ...] = ()
    app: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    action_type: tuple[str, ...] = ()
    app_country: tuple[str, ...] = ()
    not_app_country: tuple[str, ...] = ()
    since: dt.date | None = None
    until: dt.date | None = None
    country_role: str = DEFAULT_COUNTRY_ROLE
    # The API's own text filters (apisearch.py; never read from a page's URL): the search text, the
    # publishers, and the record ids they keep (None: no restriction; not part of any URL).
    q: str = ""
    publisher: tuple[str, ...] = ()
    records: tuple[str, ...] | None = None

    def is_empty(self) -> bool:
        return self == Filters()

    def active(self) -> tuple[str, ...]:
        """Names of the filters that restrict the view (a non-default country role counts only
        with a country chosen, since it changes nothing without one)."""
        names = [n for n in LIST_PARAMS if getattr(self, n)]
        names += [n for n in DATE_PARAMS if getattr(self, n) is not None]
        if self.country and self.country_role != DEFAULT_COUNTRY_ROLE:
            names.append("country_role")
        return tuple(names)

    def only(self, names: Iterable[str]) -> Filters:
        """These filters with every filter not in `names` cleared (what a page applies)."""
        keep = set(names)
        cleared = Filters()
        return Filters(**{n: getattr(self if n in keep else cleared, n) for n in ALL_PARAMS})

    def without(self, *names: str) -> Filters:
        """These filters with the named ones cleared."""
        return self.only(n for n in ALL_PARAMS if n not in names)

    def has_dates(self) -> bool:
        """Whether a date range is set (records without a date are then left out)."""
        return self.since is not None or self.until is not None

    def to_query(self) -> list[tuple[str, str]]:
        """The filters as (name, value) pairs, in a stable order, for URLs and downloads."""
        pairs: list[tuple[str, str]] = []
        for name in LIST_PARAMS:
            pairs.extend((name, v) for v in getattr(self, name))
        for name in DATE_PARAMS:
            value = getattr(self, name)
            if value is not None:
                pairs.append((name, value.isoformat()))
        if self.country_role != DEFAULT_COUNTRY_ROLE:
            pairs.append(("country_role", self.country_role))
        if self.q:
            pairs.append(("q", self.q))
        pairs.extend(("publisher", v) for v in self.publisher)
        return pairs

    def describe(self) -> str:
        """One line saying what is filtered, for captions and citations."""
        parts = []
        for name, value in self.to_query():
            parts.append(f"{name}={value}")
        return ", ".join(parts) if parts else "no filters"


@dataclass
class ParseResult:
    """Filters read from a URL plus the notices about what was dropped."""

    filters: Filters
    notices: list[str] = field(default_factory=list)


def url_text(value: str) -> str:
    """Text a visitor put in the URL (`?q=`, `?id=`) as it may reach a title or the page: without
    control characters (NUL included), invisible format characters (bidi overrides such as U+202E,
    which reorder what a reader sees) and line or paragraph separators; ZWJ and ZWNJ stay (scripts
    and emoji need them)."""
    return "".join(
        ch
        for ch in value
        if ch in "\u200c\u200d" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")
    )


def _short(value: str) -> str:
    text = value if len(value) <= MAX_NOTICE_VALUE else value[:MAX_NOTICE_VALUE] + "…"
    return text.encode("unicode_escape").decode("ascii") if not text.isprintable() else text


DATE_FORMS = "2025-01-31, 2025-01 or 2025"


def parse_typed_date(text: str, end: bool = False) -> dt.date | None:
    """A date typed in a box: YYYY-MM-DD, or a month (YYYY-MM) or a year (YYYY) read as its first
    day, or with `end` (the "to" date) its last day; None if it is not one."""
    text = text.strip()
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text)
        if len(text) == 7 and text[4] == "-":
            year, month = int(text[:4]), int(text[5:])
            if not 1 <= month <= 12:
                return None
            if not end:
                return dt.date(year, month, 1)
            return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
        if len(text) == 4 and text.isdigit():
            return dt.date(int(text), 12, 31) if end else dt.date(int(text), 1, 1)
    except ValueError:
        return None
    return None


def parse_date(value: str, end: bool = False) -> dt.date | None:
    """A date in a URL: the forms a reader types in the sidebar (`parse_typed_date`: a day, a month
    or a year; `end` for the "until" date), or None."""
    return parse_typed_date(value, end)


def match_value(value: str, options: Mapping[str, str], aliases: Mapping[str, str]) -> str | None:
    """The option a URL value means: the value itself, else (case-insensitively) an option's id or
    label, else a known alias ("kr", "Korea" -> KR; "UK" -> GB; "DeepSeek" -> deepseek)."""
    if value in options:
        return value
    folded = " ".join(value.split()).casefold()
    for option, label in options.items():
        if option.casefold() == folded or str(label).casefold() == folded:
            return option
    return aliases.get(folded)


def parse_query(
    params: Mapping[str, Iterable[str]],
    options: Mapping[str, Mapping[str, str]],
    aliases: Mapping[str, Mapping[str, str]] | None = None,
) -> ParseResult:
    """Read filters from query parameters, keeping only allow-listed names and known values.

    `params` maps a parameter name to all its values (repeated parameters); `options` maps each
    list parameter to the values the data offers (value -> label); `aliases` maps each to its
    known aliases (case-folded alias -> value). A value that is not an option's id is matched
    case-insensitively by id, label or alias and read as that option (the canonical URL then
    replaces it), with a notice saying how it was read.
    """
    aliases = aliases or {}
    notices: list[str] = []
    values: dict[str, object] = {}
    unknown = [k for k in params if k not in ALL_PARAMS and k not in IGNORED_PARAMS]
    if unknown:
        shown = ", ".join(f"'{_short(k)}'" for k in unknown[:5])
        notices.append(
            _("Ignored unknown URL parameter(s): {names}").format(names=shown) + (" …" if len(unknown) > 5 else "")
        )
    for name in LIST_PARAMS:
        raw = [v for v in params.get(name, ()) if v != ""]
        given = options.get(name, {})
        labels = dict(given) if isinstance(given, Mapping) else {v: v for v in given}
        kept: list[str] = []
        dropped: list[str] = []
        read_as: list[str] = []
        for v in raw:
            match = match_value(v, labels, aliases.get(name, {})) if len(v) <= MAX_VALUE_LENGTH else None
            if match is None:
                dropped.append(v)
                continue
            if match != v:
                read_as.append(_("'{value}' as {read}").format(value=_short(v), read=labels.get(match, match)))
            if match not in kept:
                kept.append(match)
        if read_as:
            notices.append(
                _("Read {filter} {values}.").format(filter=name.replace("_", " "), values=", ".join(read_as[:5]))
            )
        if len(kept) > MAX_VALUES_PER_PARAM:
            notices.append(_("Kept the first {n} values of '{name}'.").format(n=MAX_VALUES_PER_PARAM, name=name))
            kept = kept[:MAX_VALUES_PER_PARAM]
        if dropped:
            shown = ", ".join(f"'{_short(v)}'" for v in dropped[:5])
            more = _(" and {n} more").format(n=len(dropped) - 5) if len(dropped) > 5 else ""
            notices.append(
                _("Ignored unknown {filter} value(s) {values}{more}.").format(
                    filter=name.replace("_", " "), values=shown, more=more
                )
            )
        values[name] = tuple(kept)
    read: list[str] = []
    for name in DATE_PARAMS:
        raw = [v for v in params.get(name, ()) if v != ""]
        if not raw:
            continue
        parsed = parse_date(raw[-1], end=(name == "until"))
        if parsed is None:
            notices.append(
                _("Ignored '{name}={value}': expected a date like {forms}.").format(
                    name=name, value=_short(raw[-1]), forms=DATE_FORMS
                )
            )
        else:
            values[name] = parsed
            if raw[-1] != parsed.isoformat():  # a month or a year: say which day it was read as
                read.append(_("'{value}' as {read}").format(value=f"{name}={raw[-1]}", read=parsed.isoformat()))
    if read:
        notices.append(_("Read {values}.").format(values=_(" and ").join(read)))
    role = [v for v in params.get("country_role", ()) if v != ""]
    if role:
        if role[-1] in COUNTRY_ROLES:
            values["country_role"] = role[-1]
        else:
            shown = ", ".join(f"'{r}'" for r in COUNTRY_ROLES)
            notices.append(
                _("Ignored 'country_role={value}': expected one of {values}.").format(
                    value=_short(role[-1]), values=shown
                )
            )
    filters = Filters(**values)  # type: ignore[arg-type]
    if filters.since and filters.until and filters.since > filters.until:
        notices.append(_("Ignored the date range: 'since' is after 'until'."))
        filters = Filters(**{**values, "since": None, "until": None})  # type: ignore[arg-type]
    return ParseResult(filters, notices)

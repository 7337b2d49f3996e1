"""One value against its field's declaration (schema.Field): types, patterns, dates, vocabularies,
characters; and one record's fields (unknown, missing, duplicate), with path:line problems."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pycountry

from chatbot_watch.datamodel import vocabularies
from chatbot_watch.datamodel.dataset import Problem
from chatbot_watch.datamodel.schema import Field
from chatbot_watch.reading.urls import url_problem
from chatbot_watch.reading.yamlread import _ODD_BREAK_NAMES, MAX_PROBLEMS

# Above this many ids, an unknown id gets no "did you mean" hint (each hint compares it with all).
MAX_HINT_IDS = 5000

MIN_YEAR = 1990

SLUG_RE = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")

RECORD_ID_RE = re.compile(r"^[A-Z]{2,4}-[0-9]{3,8}$")

PDATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")

DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")

DOMAIN_RE = re.compile(r"^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{1,62}$")

CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]")

# Characters XML 1.0 cannot carry (lone surrogates, U+FFFE, U+FFFF) and the other Unicode
# noncharacters (U+FDD0-U+FDEF, the last two code points of every plane): not text, and one of
# them made the Atom feeds ill-formed.
NONCHAR_RE = re.compile(
    "[\ud800-\udfff\ufdd0-\ufdef"
    + "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17))
    + "]"
)

VALUE_BREAK_RE = re.compile("[\r\x85\u2028\u2029]")

# Bidirectional embedding, override and isolate controls: they make text display in an order
# other than the one stored ("Trojan Source"); refused in every one-line field.
BIDI_RE = re.compile("[\u202a-\u202e\u2066-\u2069]")

ANY_ODD_RE = re.compile("|".join(r.pattern for r in (CONTROL_RE, NONCHAR_RE, VALUE_BREAK_RE, BIDI_RE)))

_NO_LINES: dict[str, int] = {}  # read only: checking a record before its lines are needed

SPACE_RE = re.compile(r"\s")


def parse_pdate(text: str) -> tuple[dt.date, dt.date, str] | None:
    """'2025', '2025-04' or '2025-04-28' -> (earliest day, latest day, precision), None if invalid."""
    m = PDATE_RE.match(text)
    if not m:
        return None
    year = int(m.group(1))
    try:
        if m.group(3):
            d = dt.date(year, int(m.group(2)), int(m.group(3)))
            return d, d, "day"
        if m.group(2):
            month = int(m.group(2))
            start = dt.date(year, month, 1)
            nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
            return start, nxt - dt.timedelta(days=1), "month"
        return dt.date(year, 1, 1), dt.date(year, 12, 31), "year"
    except ValueError:
        return None


def _check_url(text: str) -> str | None:
    # As a browser parses it (WHATWG): see urls.py.
    return url_problem(text)


def _odd_character(value: str, kind: str) -> str | None:
    """What is wrong with a character ANY_ODD_RE found in `value` (None: a bidi control in free text)."""
    if CONTROL_RE.search(value):
        return "contains control characters"
    bad = NONCHAR_RE.search(value)
    if bad:
        return f"contains U+{ord(bad.group()):04X}, which is not a text character (a Unicode noncharacter or surrogate)"
    bad = VALUE_BREAK_RE.search(value)
    if bad:
        return f"contains a {_ODD_BREAK_NAMES[bad.group()]} character; use a plain line break (\\n)"
    bidi = BIDI_RE.search(value) if kind != "text" else None
    if bidi:
        return (
            f"contains U+{ord(bidi.group()):04X}, a bidirectional control character that can show the text "
            "in another order than it is stored"
        )
    return None


_ASCII_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # ANY_ODD_RE's ASCII characters


def may_hold_odd_characters(text: str) -> bool:
    """Whether a value read from the YAML `text` may hold a character ANY_ODD_RE finds. False only
    for ASCII text without a control character (but tab and line feed) or a backslash (a
    double-quoted escape such as \\u202e makes one): plain, single-quoted and block scalars are
    the text's own characters, and folding adds spaces. Two fast scans of the file instead of one
    search per value (at x1000, about 4 s of CPU); for any other text, True (searching a large
    text for ANY_ODD_RE's non-ASCII ranges costs more than the searches it would save)."""
    return "\\" in text or not text.isascii() or _ASCII_CONTROL_RE.search(text) is not None


def check_scalar(f: Field, value: Any, today: dt.date, odd: bool = True) -> str | None:
    """Check one scalar value against its field declaration; return a message or None.

    `odd=False`: the value is known to hold no odd character (`may_hold_odd_characters`)."""
    if not isinstance(value, str):
        return f"expected {_kind_word(f)}, got a {'list' if isinstance(value, list) else 'mapping'}"
    if value.strip() == "":
        return "empty text; write null for unknown"
    if value != value.strip():
        return "leading or trailing spaces"
    if len(value) > f.max_len:
        return f"too long ({len(value)} characters, at most {f.max_len})"
    kind = f.kind
    if odd and ANY_ODD_RE.search(value):  # one search for the four checks below: almost every value passes
        message = _odd_character(value, kind)
        if message:
            return message
    if (
        kind
        in (
            "str",
            "slug",
            "record_id",
            "url",
            "date",
            "pdate",
            "country",
            "jurisdiction",
            "subdivision",
            "domain",
            "enum",
            "ref",
            "count",
        )
        and "\n" in value
    ):
        return "must be on one line"
    if kind == "count" and not (value.isascii() and value.isdigit() and len(value) <= 6):
        return f"expected a whole number from 0 to 999999, got '{value[:20]}'"
    if kind == "slug" and not SLUG_RE.match(value):
        return f"'{value}' is not a valid id (lowercase letters and digits, joined by single - or _)"
    if kind == "record_id" and not RECORD_ID_RE.match(value):
        return f"'{value}' is not a valid record id (like AF-001 or CA-001)"
    if kind == "url":
        return _check_url(value)
    if kind in ("date", "pdate"):
        parsed = parse_pdate(value)
        if parsed is None or (kind == "date" and parsed[2] != "day"):
            want = "YYYY-MM-DD" if kind == "date" else "YYYY-MM-DD, YYYY-MM or YYYY"
            return f"'{value}' is not a real date ({want})"
        if parsed[0] > today:
            return f"date {value} is in the future"
        if parsed[0].year < MIN_YEAR:
            return f"date {value} is before {MIN_YEAR}"
    if kind in ("country", "jurisdiction"):
        if kind == "jurisdiction" and value == vocabularies.JURISDICTION_EU:
            return None
        if value != value.upper() or pycountry.countries.get(alpha_2=value) is None:
            return f"'{value}' is not an ISO 3166-1 alpha-2 country code"
    if kind == "subdivision":
        if value != value.upper() or pycountry.subdivisions.get(code=value) is None:
            return f"'{value}' is not an ISO 3166-2 subdivision code (like US-TX)"
    if kind == "domain" and not DOMAIN_RE.match(value):
        return f"'{value}' is not a lowercase domain name (like volces.com)"
    if kind == "enum":
        vocab = vocabularies.VOCABULARIES[f.vocab or ""]
        if value not in vocab:
            return f"'{value}' is not one of: {', '.join(vocab)}"
    return None


def _kind_word(f: Field) -> str:
    return {"list": "a list", "object": "a mapping"}.get(f.kind, "a text value")


# Kinds whose values repeat across records (vocabularies, codes, dates, ids referred to):
# their check results are remembered per field. Free text is left out, or the memo would hold
# a copy of every note.
MEMO_KINDS = frozenset({"enum", "country", "jurisdiction", "subdivision", "date", "pdate", "slug", "ref", "domain"})


class _Validator:
    """Checks records against field declarations; collects problems."""

    def __init__(self, today: dt.date) -> None:
        self.today = today
        self.problems: list[Problem] = []
        # False when the text the values come from cannot give an odd character (see
        # `may_hold_odd_characters`): one search of the file instead of one per value.
        self.odd = True
        # Keyed by id() for speed; each entry holds its key object, so the id stays unique.
        self._memo: dict[int, tuple[Field, dict[str, str | None]]] = {}  # field -> value -> message
        self._known: dict[int, tuple[tuple[Field, ...], set[str]]] = {}  # fields -> their names

    def check_fields(
        self, fields: tuple[Field, ...], values: Any, prefix: str, rec_path: str, lines: dict[str, int], line: int
    ) -> None:
        if not isinstance(values, dict):
            self.problems.append(Problem(rec_path, line, prefix or "(record)", "expected a mapping of fields"))
            return
        entry = self._known.get(id(fields))
        if entry is None:
            entry = self._known[id(fields)] = (fields, {f.name for f in fields})
        known = entry[1]
        for key in values:
            if key not in known:
                if len(self.problems) >= MAX_PROBLEMS:
                    break
                name = f"{prefix}.{key}" if prefix else key
                hint = _closest(key, known)
                self.problems.append(
                    Problem(
                        rec_path,
                        lines.get(name, line),
                        name,
                        "unknown field" + (f" (did you mean '{hint}'?)" if hint else ""),
                    )
                )
        for f in fields:
            fname = f.name
            name = f"{prefix}.{fname}" if prefix else fname
            if fname not in values:
                if f.required:
                    self.problems.append(Problem(rec_path, line, name, "required field is missing"))
                continue
            value = values[fname]
            if value is None:
                if not f.nullable:
                    self.problems.append(Problem(rec_path, lines.get(name, line), name, "required; must not be null"))
                continue
            self.check_value(f, value, name, rec_path, lines, lines.get(name, line))

    def latest_date(self) -> dt.date | None:
        """The latest day any date or partial date checked so far starts on (None if none was).

        Only the "in the future" check depends on the day of the check: a file whose dates are
        all on or before two days is judged the same on both (filecache.py relies on this).
        Every text value of a date field passes through `scalar` and its memo.
        """
        latest = None
        for f, memo in self._memo.values():
            if f.kind in ("date", "pdate"):
                for value in memo:
                    parsed = parse_pdate(value)
                    if parsed and (latest is None or parsed[0] > latest):
                        latest = parsed[0]
        return latest

    def scalar(self, f: Field, value: Any) -> str | None:
        """`check_scalar`, remembered for values of the kinds in MEMO_KINDS."""
        if f.kind not in MEMO_KINDS or not isinstance(value, str):
            return check_scalar(f, value, self.today, self.odd)
        entry = self._memo.get(id(f))
        if entry is None:
            entry = self._memo[id(f)] = (f, {})
        memo = entry[1]
        try:
            return memo[value]
        except KeyError:
            msg = memo[value] = check_scalar(f, value, self.today, self.odd)
            return msg

    def check_value(self, f: Field, value: Any, name: str, rec_path: str, lines: dict[str, int], line: int) -> None:
        if f.kind == "list":
            if not isinstance(value, list):
                self.problems.append(Problem(rec_path, line, name, "expected a list (items starting with '- ')"))
                return
            if len(value) < f.min_items:
                self.problems.append(Problem(rec_path, line, name, f"needs at least {f.min_items} item(s)"))
            if len(value) > f.max_items:
                self.problems.append(
                    Problem(rec_path, line, name, f"too many items ({len(value)}, at most {f.max_items})")
                )
            assert f.item is not None
            item_f = f.item
            seen: set[str] = set()
            if item_f.kind not in ("list", "object"):
                # Items are text: the same checks as below, with paths and lines made only for
                # a problem.
                problems = self.problems
                for i, item in enumerate(value):
                    if len(problems) >= MAX_PROBLEMS:
                        return
                    if item is None:
                        iname = f"{name}[{i}]"
                        self.problems.append(Problem(rec_path, lines.get(iname, line), iname, "empty list item"))
                        continue
                    msg = self.scalar(item_f, item)
                    if msg:
                        iname = f"{name}[{i}]"
                        self.problems.append(Problem(rec_path, lines.get(iname, line), iname, msg))
                    if isinstance(item, str):
                        if item in seen:
                            iname = f"{name}[{i}]"
                            self.problems.append(
                                Problem(rec_path, lines.get(iname, line), iname, f"'{item}' is listed twice")
                            )
                        seen.add(item)
                return
            for i, item in enumerate(value):
                if len(self.problems) >= MAX_PROBLEMS:
                    return
                iname = f"{name}[{i}]"
                iline = lines.get(iname, line)
                if item is None:
                    self.problems.append(Problem(rec_path, iline, iname, "empty list item"))
                    continue
                self.check_value(f.item, item, iname, rec_path, lines, iline)
                if isinstance(item, str):
                    if item in seen:
                        self.problems.append(Problem(rec_path, iline, iname, f"'{item}' is listed twice"))
                    seen.add(item)
            return
        if f.kind == "object":
            self.check_fields(f.fields, value, name, rec_path, lines, line)
            return
        msg = self.scalar(f, value)
        if msg:
            self.problems.append(Problem(rec_path, line, name, msg))


def _closest(key: str, known: set[str] | dict[str, Any]) -> str | None:
    import difflib

    if len(known) > MAX_HINT_IDS:
        return None

    match = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.75)
    return match[0] if match else None

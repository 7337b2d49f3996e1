"""Cross-field and cross-record rules of the data, and the warnings `validate` lists.

`load.py` calls `check_record` for every record and `check_dataset` once for the whole data
folder; their problems fail `validate` and `build` like any other. `warnings` lists what is
legal but worth a maintainer's look (a record no date filter can find, an app or company whose
quotes never name it): `validate` prints them without failing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from chatbot_watch.datamodel import vocabularies
from chatbot_watch.datamodel.dataset import Dataset, Problem, Record
from chatbot_watch.datamodel.schema import ACTIONS, APPS, COMPANIES, FINDINGS
from chatbot_watch.reading.fieldcheck import parse_pdate

ENDED_STATUSES = vocabularies.statuses("closed")  # a lift or end date is required (or why it is unknown)
WARNING = "warning: "


# ---------------------------------------------------------------------------
# Problems (they fail validate)
# ---------------------------------------------------------------------------


def check_record(rec: Record, problems: list[Problem]) -> None:
    """The rules of one record: dates in order, an ended action's end, subdivisions, parents, sources."""
    _check_record_rules(rec, problems)
    if rec.kind == ACTIONS.name:
        _check_action_end(rec, problems)


def _check_record_rules(rec: Record, problems: list[Problem]) -> None:
    vals = rec.values
    if rec.kind == ACTIONS.name:
        dates = {k: parse_pdate(vals[k]) for k in ("announced", "effective", "lifted") if isinstance(vals.get(k), str)}
        lifted = dates.get("lifted")
        if lifted:
            for k in ("announced", "effective"):
                d = dates.get(k)
                if d and lifted[1] < d[0]:
                    problems.append(rec.problem("lifted", f"lifted ({vals['lifted']}) is before {k} ({vals[k]})"))
            status = vals.get("status")
            if status in vocabularies.STATUSES_WITHOUT_LIFT_DATE:
                problems.append(
                    rec.problem(
                        "status",
                        f"status '{status}' but a lifted date is given; use "
                        + " or ".join(vocabularies.statuses("closed")),
                    )
                )
        sub, jur = vals.get("subdivision"), vals.get("jurisdiction")
        if isinstance(sub, str) and isinstance(jur, str) and not sub.startswith(jur + "-"):
            problems.append(rec.problem("subdivision", f"'{sub}' is not a subdivision of jurisdiction '{jur}'"))
        # data/README.md, "Device bans and network blocks": a ban tied to government devices or staff
        # is a device ban whatever the method; a network block is of an official network alone.
        atype, scope = vals.get("action_type"), vals.get("scope")
        for rule in vocabularies.SCOPE_RULES:
            if atype == rule.action_type and isinstance(scope, str) and (scope in rule.scopes) != rule.only:
                problems.append(rec.problem("scope", rule.message.format(scope=scope)))
        if not vals.get("apps") and not vals.get("companies"):
            problems.append(Problem(rec.path, rec.line, "apps", "an action must name at least one app or company"))
    if rec.kind == COMPANIES.name:
        for i, p in enumerate(vals.get("parents") or []):
            if not isinstance(p, dict):
                continue
            if p.get("company") == vals.get("id"):
                problems.append(rec.problem(f"parents[{i}].company", "a company cannot be its own parent"))
            since, until = (parse_pdate(p[k]) if isinstance(p.get(k), str) else None for k in ("since", "until"))
            if since and until and until[1] < since[0]:
                problems.append(rec.problem(f"parents[{i}].until", "until is before since"))
    for i, src in enumerate(vals.get("sources") or []):
        if not isinstance(src, dict):
            continue
        pub, acc = (parse_pdate(src[k]) if isinstance(src.get(k), str) else None for k in ("published", "accessed"))
        if pub and acc and acc[1] < pub[0]:
            problems.append(rec.problem(f"sources[{i}].accessed", "accessed before it was published"))
        lang, translation = src.get("language"), src.get("translation")
        if isinstance(lang, str) and lang != "en" and translation is None:
            problems.append(
                Problem(
                    rec.path,
                    rec.line_of(f"sources[{i}].language"),
                    f"sources[{i}].translation",
                    f"the quote is in '{lang}': add our English translation (translation: ...); "
                    "the quote itself stays as printed",
                )
            )
        elif lang == "en" and translation is not None:
            problems.append(rec.problem(f"sources[{i}].translation", "an English quote takes no translation"))
    if rec.kind == FINDINGS.name and vals.get("superseded_by") == vals.get("id") and vals.get("id"):
        problems.append(rec.problem("superseded_by", "a finding cannot supersede itself"))


def _check_action_end(rec: Record, problems: list[Problem]) -> None:
    """`status: lifted`/`ended` needs `lifted`, or `lifted_unknown` saying why it is unknown."""
    vals = rec.values
    status, lifted, unknown = vals.get("status"), vals.get("lifted"), vals.get("lifted_unknown")
    if status in ENDED_STATUSES and lifted is None and unknown is None:
        problems.append(
            Problem(
                rec.path,
                rec.line_of("status"),
                "lifted",
                f"status '{status}' needs a lifted date, or lifted_unknown saying why the end date is unknown",
            )
        )
    if unknown is not None and lifted is not None:
        problems.append(rec.problem("lifted_unknown", f"a lifted date is given ({lifted}); remove lifted_unknown"))
    elif unknown is not None and isinstance(status, str) and status not in ENDED_STATUSES:
        problems.append(
            rec.problem("lifted_unknown", f"lifted_unknown is only for a lifted or ended action (status is '{status}')")
        )


def _finding_key(values: dict[str, Any]) -> tuple[Any, ...] | None:
    app, auditor = values.get("app"), values.get("auditor")
    recipients = values.get("recipients") or []
    if not isinstance(app, str) or not isinstance(auditor, str) or not isinstance(recipients, list):
        return None
    date = values.get("audit_date")
    return (app, auditor, date if isinstance(date, str) else None, frozenset(r for r in recipients if r))


def _says_how_it_differs(rec: Record, other_id: str) -> bool:
    text = rec.values.get("distinct_from")
    return isinstance(text, str) and other_id in text


def check_dataset(records: dict[str, list[Record]], problems: list[Problem]) -> None:
    """Rules across records: no two findings share app, auditor, audit date and recipients.

    Two such findings are one claim recorded twice, unless one of them says in `distinct_from`,
    naming the other's id, how it differs. An unknown audit date counts as the same date: it
    does not show that the two differ.
    """
    superseded = {
        rec.id: rec.values["superseded_by"]
        for rec in records.get(FINDINGS.name, [])
        if isinstance(rec.values.get("superseded_by"), str)
    }
    for rec in records.get(FINDINGS.name, []):
        later = superseded.get(rec.id)
        if later is not None and later in superseded:
            problems.append(
                rec.problem(
                    "superseded_by",
                    f"{later} is itself superseded by {superseded[later]}: name the finding that stands",
                )
            )
    seen: dict[tuple[Any, ...], list[Record]] = {}
    for rec in records.get(FINDINGS.name, []):
        key = _finding_key(rec.values)
        if key is None:
            continue
        earlier = seen.setdefault(key, [])
        for other in earlier:
            if _says_how_it_differs(rec, other.id) or _says_how_it_differs(other, rec.id):
                continue
            problems.append(
                Problem(
                    rec.path,
                    rec.line_of("id"),
                    "distinct_from",
                    f"same app, auditor, audit date and recipients as {other.id} "
                    f"({other.path}:{other.line_of('id')}); merge the two, or say in distinct_from "
                    f"how this finding differs from {other.id}",
                )
            )
        earlier.append(rec)


# ---------------------------------------------------------------------------
# Warnings (validate lists them and still passes)
# ---------------------------------------------------------------------------


def check_reviews(
    meta: dict[str, Any], lines: dict[str, int], path: str, records: dict[str, list[Record]], problems: list[Problem]
) -> None:
    """dataset.yaml's `reviews`: one per jurisdiction, none after `as_of`, and none before an action
    recorded in that jurisdiction (a page would say "reviewed up to" a day older than its own data)."""
    reviews = meta.get("reviews")
    as_of = meta.get("as_of")
    if not isinstance(reviews, list):
        return
    newest: dict[str, tuple[str, str]] = {}  # jurisdiction -> (day, action id) of its latest date
    for rec in records.get(ACTIONS.name, ()):
        place = rec.values.get("jurisdiction")
        for key in ("announced", "effective", "lifted"):
            parsed = parse_pdate(rec.values.get(key)) if isinstance(rec.values.get(key), str) else None
            if parsed and isinstance(place, str) and parsed[0].isoformat() > newest.get(place, ("", ""))[0]:
                newest[place] = (parsed[0].isoformat(), str(rec.values.get("id")))
    seen: set[str] = set()
    for i, review in enumerate(reviews):
        if not isinstance(review, dict):
            continue
        place, day = review.get("jurisdiction"), review.get("reviewed")
        if not isinstance(place, str) or not isinstance(day, str):
            continue
        name = f"reviews[{i}]"
        line = lines.get(f"{name}.reviewed", lines.get("reviews", 1))
        if place in seen:
            problems.append(Problem(path, lines.get(f"{name}.jurisdiction", line), f"{name}.jurisdiction",
                                    f"{place} is reviewed twice"))  # fmt: skip
        seen.add(place)
        if isinstance(as_of, str) and day > as_of:
            problems.append(Problem(path, line, f"{name}.reviewed", f"{day} is after as_of {as_of}"))
        if place in newest and newest[place][0] > day:
            latest, action = newest[place]
            problems.append(
                Problem(path, line, f"{name}.reviewed", f"{day} is before {action}'s date {latest} in {place}")
            )


def warnings(ds: Dataset) -> list[Problem]:
    """Legal records a maintainer should look at, sorted like problems; messages start 'warning: '."""
    out: list[Problem] = []
    for rec in ds.records.get(FINDINGS.name, []):
        if rec.values.get("audit_date") is None:
            out.append(
                rec.problem("audit_date", WARNING + "no date at all; views filtered by date leave this finding out")
            )
    for rec in ds.records.get(ACTIONS.name, []):
        if all(rec.values.get(k) is None for k in ("announced", "effective", "lifted")):
            out.append(
                rec.problem(
                    "announced",
                    WARNING + "no date at all (announced, effective and lifted are null); "
                    "views filtered by date leave this action out",
                )
            )
    for kind in (APPS.name, COMPANIES.name):
        for rec in ds.records.get(kind, []):
            warning = _unnamed_warning(rec)
            if warning is not None:
                out.append(warning)
    return sorted(out, key=lambda p: (p.path, p.line, p.field, p.message))


BRACKETS_RE = re.compile(r"\s*\([^()]*\)\s*$")


def record_names(values: dict[str, Any]) -> list[str]:
    """The names an app or company goes by: name, aliases, legal names and local names (딥시크).

    A bracketed remark at the end of a name is dropped ("Replika (Luka Inc.)" -> "Replika"):
    quotes name the thing, not our remark on it.
    """
    names = [values.get("name")]
    for key in ("aliases", "legal_names"):
        extra = values.get(key)
        if isinstance(extra, list):
            names.extend(extra)
    local = values.get("local_names")
    if isinstance(local, list):
        names.extend(item.get("name") for item in local if isinstance(item, dict))
    out = []
    for n in names:
        if isinstance(n, str):
            n = BRACKETS_RE.sub("", n).strip() or n.strip()
            if n:
                out.append(n)
    return out


def _mentions(quotes: Iterable[str], names: list[str]) -> bool:
    folded = [q.casefold() for q in quotes]
    return any(n.casefold() in q for n in names for q in folded)


def _unnamed_warning(rec: Record) -> Problem | None:
    sources = rec.values.get("sources")
    if not isinstance(sources, list) or not sources:
        return None
    quotes = [s["quote"] for s in sources if isinstance(s, dict) and isinstance(s.get("quote"), str)]
    names = record_names(rec.values)
    if not names or _mentions(quotes, names):
        return None
    what = APPS.word if rec.kind == APPS.name else COMPANIES.word
    return rec.problem(
        "sources", WARNING + f"no quote names this {what} ('{names[0]}' or an alias); quote a sentence that names it"
    )

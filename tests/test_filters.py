"""URL query parameters -> filters: allow-listed, with notices for what was dropped."""

from __future__ import annotations

import datetime as dt

import pytest

from chatbot_watch.filters import Filters, parse_query, parse_typed_date

OPTIONS = {
    "country": ["KR", "IT", "US"],
    "data_type": ["chat_content", "device_info"],
    "app": ["deepseek", "chatgpt"],
    "evidence": ["alleged", "confirmed_by_regulator"],
    "action_type": ["fine"],
}


def test_readable_repeated_parameters() -> None:
    r = parse_query({"country": ["KR", "IT"], "app": ["deepseek"], "since": ["2025-01-01"]}, OPTIONS)
    assert r.notices == []
    assert r.filters == Filters(country=("KR", "IT"), app=("deepseek",), since=dt.date(2025, 1, 1))
    assert r.filters.to_query() == [("country", "KR"), ("country", "IT"), ("app", "deepseek"), ("since", "2025-01-01")]


def test_unknown_and_malformed_values_are_dropped_with_notices() -> None:
    r = parse_query(
        {
            "country": ["KR", "ZZ", "' OR 1=1 --"],
            "app": ["<script>alert(1)</script>"],
            "since": ["yesterday"],
            "page": ["../../etc/passwd"],
        },
        OPTIONS,
    )
    assert r.filters == Filters(country=("KR",))
    text = " | ".join(r.notices)
    assert "Ignored unknown country value(s) 'ZZ', '' OR 1=1 --'." in text
    assert "Ignored unknown app value(s) '<script>alert(1)</script>'." in text
    assert "Ignored 'since=yesterday'" in text
    assert "Ignored unknown URL parameter(s): 'page'" in text


def test_duplicates_collapse_and_huge_values_are_cut_in_notices() -> None:
    r = parse_query({"country": ["KR", "KR"], "data_type": ["x" * 10000]}, OPTIONS)
    assert r.filters.country == ("KR",)
    assert len(r.notices) == 1 and len(r.notices[0]) < 200


def test_reversed_date_range_is_ignored() -> None:
    r = parse_query({"since": ["2025-06-01"], "until": ["2025-01-01"]}, OPTIONS)
    assert r.filters.since is None and r.filters.until is None
    assert "'since' is after 'until'" in r.notices[0]


def test_empty_values_mean_no_filter() -> None:
    r = parse_query({"country": [""], "embed": ["true"]}, OPTIONS)
    assert r.filters.is_empty() and r.notices == []


@pytest.mark.parametrize(
    ("text", "end", "day"),
    [
        ("2025-02-15", False, dt.date(2025, 2, 15)),
        ("2025-02", False, dt.date(2025, 2, 1)),
        ("2025-02", True, dt.date(2025, 2, 28)),
        ("2024-12", True, dt.date(2024, 12, 31)),
        ("2025", False, dt.date(2025, 1, 1)),
        ("2025", True, dt.date(2025, 12, 31)),
        (" 2025-01-01 ", False, dt.date(2025, 1, 1)),
        ("2025-13", True, None),
        ("2025-02-30", False, None),
        ("5010-02-0", False, None),
        ("yesterday", False, None),
    ],
)
def test_typed_dates(text: str, end: bool, day: dt.date | None) -> None:
    assert parse_typed_date(text, end) == day


def test_url_dates_take_the_forms_the_sidebar_takes() -> None:
    # Issue 24, item 4: `since=2025-02` was refused while the sidebar took "2025-02".
    r = parse_query({"since": ["2025-02"], "until": ["2025"]}, OPTIONS)
    assert (r.filters.since, r.filters.until) == (dt.date(2025, 2, 1), dt.date(2025, 12, 31))
    assert r.notices == ["Read 'since=2025-02' as 2025-02-01 and 'until=2025' as 2025-12-31."]
    assert r.filters.to_query() == [("since", "2025-02-01"), ("until", "2025-12-31")]
    assert parse_query({"since": ["2025-02-30"]}, OPTIONS).notices == [
        "Ignored 'since=2025-02-30': expected a date like 2025-01-31, 2025-01 or 2025."
    ]

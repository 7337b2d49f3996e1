"""Hostile URLs: any query string on any page gives a page and notices, never an exception."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as s
from streamlit.testing.v1 import AppTest

from chatbot_watch.filters import ALL_PARAMS
from tests import apptest

PAGES = ["overview", "flows", "restrictions", "countries", "apps", "companies", "about"]
NASTY = [
    "' OR 1=1 --",
    "'; DROP TABLE actions; --",
    "KR') UNION SELECT * FROM meta --",
    "$countries",
    "../../etc/passwd",
    "/etc/passwd",
    "%00",
    "\x00",
    "<script>alert(1)</script>",
    "x" * 100_000,
    "🇰🇷",
    "ＫＲ",
    "K R",
    "KRR",
    "2025-02-30",
    "9999-99-99",
    "read_csv('/etc/passwd')",
]


# Not nasty: a country's code in another case or with spaces around it is read as that country
# (and the URL rewritten to the canonical one); see tests/test_workflow.py.
FORGIVEN = ["kr", " KR "]


def run_page(db: Path, page: str, params: dict[str, list[str]], monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("CHATBOT_WATCH_DB", str(db))
    return apptest.run_page(page, params)


@pytest.mark.parametrize("param", ALL_PARAMS + ("page", "x" * 300))
def test_nasty_values_in_every_parameter(fixture_db: Path, monkeypatch: pytest.MonkeyPatch, param: str) -> None:
    at = run_page(fixture_db, "overview", {param: NASTY}, monkeypatch)
    assert not at.exception, [e.value for e in at.exception]
    notices = " ".join(w.value for w in at.warning)
    assert "Ignored" in notices
    # Nothing was applied: the headline figures are those of the unfiltered data.
    assert [m.value for m in at.metric] == ["2", "1", "1", "1 of 2"]
    assert len(notices) < 2000  # huge values are cut, not echoed


@pytest.mark.parametrize("value", FORGIVEN)
def test_forgiven_values_are_read_as_the_country(fixture_db: Path, monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    at = run_page(fixture_db, "overview", {"country": [value]}, monkeypatch)
    assert at.query_params["country"] in (["KR"], "KR")
    assert "Read country" in " ".join(w.value for w in at.warning)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    page=s.sampled_from(PAGES),
    params=s.dictionaries(
        s.one_of(s.sampled_from(ALL_PARAMS), s.text(min_size=1, max_size=20)),
        s.lists(
            s.one_of(s.sampled_from(NASTY + ["KR", "IT", "deepseek", "2025-01-01"]), s.text(max_size=50)), max_size=4
        ),
        max_size=4,
    ),
)
def test_any_query_string_gives_a_page(
    fixture_db: Path, monkeypatch: pytest.MonkeyPatch, page: str, params: dict[str, list[str]]
) -> None:
    st.cache_data.clear()
    at = run_page(fixture_db, page, params, monkeypatch)
    assert not at.exception, (page, params, [e.value for e in at.exception])
    assert any("sources reviewed up to" in c.value for c in at.caption)

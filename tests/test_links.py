"""Source links as a browser reads them (WHATWG): the host shown is the host visited (issue 13, item 4)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from chatbot_watch.reading.load import load
from chatbot_watch.reading.urls import shown_url, url_problem
from chatbot_watch.tools import sources_check as sc
from tests.conftest import REAL_DATA, edit, line_of

GOOD = "https://www.btimesonline.com/articles/173886/20250424/south-korea-says-chinese-ai-firm-deepseek-illegally-sent-user-data-to-china-u-s.htm"
LOOKALIKE = "https://www.g\u043e\u043egle.com/"  # Cyrillic о: visits www.xn--ggle-55da.com

# Each one opens another host than the one a reader sees (or the reader's own machine).
REFUSED = [
    "https://evil.example\\www.reuters.com/article",  # the browser visits evil.example
    "https://www.reuters.com\\@evil.example/",
    "http://0x7f.1:8621/",  # 127.0.0.1
    "http://127.0.0.1/",
    "http://2130706433.com.0/",
    "http://[::1]/",
    "http://localhost.0x7f/",
    "HTTPS://www.reuters.com/",
    "Https://www.reuters.com/",
    "https://user:pass@www.reuters.com/",
    "https://www.reuters.com@evil.example/",
    "https://WWW.Reuters.com/",
    "https://\uff45\uff56\uff49\uff4c.example/",  # fullwidth letters, mapped by the browser
    "https://evil\u3002example/",  # ideographic full stop = "."
    "https://evil%2eexample/",
    "https://www.reuters.com:99999/",
    "https://www.reuters.com/a b",
    "https://www.reuters.com/\u200ba",
    "https://www.reuters.com\t/",
    "javascript://www.reuters.com/%0aalert(1)",
]


@pytest.mark.parametrize("url", REFUSED)
def test_hostile_urls_are_refused(url: str) -> None:
    assert url_problem(url) is not None


@pytest.mark.parametrize("url", [GOOD, "https://www.reuters.com:443/x?a=1#b", "https://пример.рф/путь", LOOKALIKE])
def test_urls_every_reader_agrees_on_pass(url: str) -> None:
    assert url_problem(url) is None


@pytest.mark.parametrize("url", REFUSED[:4] + REFUSED[7:10])
def test_validate_refuses_them_with_path_and_line(data_copy: Path, url: str) -> None:
    edit(data_copy, "findings.yaml", GOOD, f'"{url}"' if "\\" not in url else f"'{url}'")
    _, problems = load(data_copy, dt.date(2026, 11, 29))
    line = line_of(data_copy, "findings.yaml", url.split("://")[1][:12])
    assert any(p.path.endswith("findings.yaml") and p.line == line and "url" in p.field for p in problems), problems


def test_a_mixed_script_host_is_shown_as_the_browser_visits_it() -> None:
    from chatbot_watch.ui import _to_display

    assert shown_url(LOOKALIKE) == "https://www.xn--ggle-55da.com/"
    assert shown_url("https://пример.рф/путь") == "https://пример.рф/путь"  # one script: as written
    assert shown_url(GOOD) == GOOD
    shown = _to_display(pd.DataFrame({"source_url": [LOOKALIKE, GOOD]}), {"source_url": "Source"})
    assert shown.column("Source").to_pylist() == ["https://www.xn--ggle-55da.com/", GOOD]


def test_check_sources_warns_about_a_mixed_script_host(data_copy: Path) -> None:
    edit(data_copy, "findings.yaml", GOOD, LOOKALIKE)
    ds, problems = load(data_copy, dt.date(2026, 11, 29))
    assert problems == []
    issues = [i for i in sc.check(ds) if "mixes scripts" in i.message]
    assert len(issues) == 1 and issues[0].severity == "warning"
    assert issues[0].line == line_of(data_copy, "findings.yaml", LOOKALIKE)
    assert "www.xn--ggle-55da.com" in issues[0].message


def test_the_real_data_still_validates_and_has_no_lookalike_host() -> None:
    # Checked against today, as `validate` and the real_db fixture do: a fixed date would fail as soon
    # as the real data gains a record or an `accessed` date after it.
    ds, problems = load(REAL_DATA)
    assert problems == []
    assert [i for i in sc.check(ds) if "mixes scripts" in i.message] == []

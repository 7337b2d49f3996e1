"""Issue 22: sources say their language, our translation and their kind; records name their primary
documents; a superseded finding is kept but not counted twice. On copies of the fixture data."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from chatbot_watch.reading.load import validate
from chatbot_watch.store.build import build
from tests.conftest import edit, line_of

TODAY = dt.date(2026, 12, 6)
AF1_QUOTE = (
    "    quote: Among the data transferred were AI prompt inputs, along with device, network, and app information.\n"
)
KOREAN = (
    "    quote: 개인정보위는 딥시크가 이용자 프롬프트 입력 정보를 볼케이노 엔진에 이전했다고 밝혔다.\n"
    "    language: ko\n"
)


def problems(folder: Path) -> list[str]:
    return [str(p) for p in validate(folder, TODAY)]


def test_a_quote_not_in_english_needs_our_translation(data_copy: Path) -> None:
    edit(data_copy, "findings.yaml", AF1_QUOTE, KOREAN)
    line = line_of(data_copy, "findings.yaml", "language: ko")
    src_line = line_of(data_copy, "findings.yaml", "- url: https://www.btimesonline.com/articles/173886")
    assert problems(data_copy) == [
        f"{data_copy / 'findings.yaml'}:{line}: sources[0].translation: the quote is in 'ko': add our "
        "English translation (translation: ...); the quote itself stays as printed"
    ]
    assert line > src_line
    edit(data_copy, "findings.yaml", "    language: ko\n", "    language: ko\n    translation: The PIPC said ...\n")
    assert problems(data_copy) == []


def test_an_english_quote_takes_no_translation(data_copy: Path) -> None:
    edit(data_copy, "findings.yaml", AF1_QUOTE, AF1_QUOTE + "    language: en\n    translation: Same.\n")
    line = line_of(data_copy, "findings.yaml", "translation: Same.")
    assert problems(data_copy) == [
        f"{data_copy / 'findings.yaml'}:{line}: sources[0].translation: an English quote takes no translation"
    ]


def test_unknown_language_and_kind_values_are_refused(data_copy: Path) -> None:
    edit(data_copy, "findings.yaml", AF1_QUOTE, AF1_QUOTE + "    language: klingon\n    kind: tertiary\n")
    got = problems(data_copy)
    assert any("sources[0].language" in p and "klingon" in p for p in got), got
    assert any("sources[0].kind" in p and "tertiary" in p for p in got), got


def test_a_finding_superseded_by_another_is_kept_but_not_counted(data_copy: Path, tmp_path: Path) -> None:
    edit(
        data_copy,
        "findings.yaml",
        "  evidence_status: alleged\n",
        "  evidence_status: alleged\n  superseded_by: AF-001\n",
    )
    assert problems(data_copy) == []
    db = tmp_path / "x.duckdb"
    build(data_copy, db)
    con = duckdb.connect(str(db), read_only=True)
    assert con.sql("SELECT superseded_by FROM findings WHERE id = 'AF-004'").fetchall() == [("AF-001",)]
    ids = {r[0] for r in con.sql("SELECT DISTINCT finding_id FROM flows").fetchall()}
    assert "AF-004" not in ids and "AF-001" in ids


def test_a_finding_cannot_supersede_itself_nor_name_a_superseded_one(data_copy: Path) -> None:
    edit(
        data_copy,
        "findings.yaml",
        "  evidence_status: alleged\n",
        "  evidence_status: alleged\n  superseded_by: AF-004\n",
    )
    got = problems(data_copy)
    assert any("superseded_by: a finding cannot supersede itself" in p for p in got), got
    edit(data_copy, "findings.yaml", "  superseded_by: AF-004\n", "  superseded_by: AF-001\n")
    edit(
        data_copy,
        "findings.yaml",
        "  evidence_status: confirmed_by_regulator\n",
        "  evidence_status: confirmed_by_regulator\n  superseded_by: AF-004\n",
    )
    got = problems(data_copy)
    assert any("AF-001 is itself superseded by AF-004" in p for p in got), got


def test_primary_documents_are_stored_one_row_each(data_copy: Path, tmp_path: Path) -> None:
    docs = (
        "  primary_documents:\n"
        "  - issuer: Personal Information Protection Commission\n"
        "    title: Decision on DeepSeek\n"
        "    date: 2025-04-24\n"
        "    url: null\n"
        "    access: not_read\n"
        "  sources:\n"
    )
    edit(data_copy, "findings.yaml", "  evidence_status: confirmed_by_regulator\n  sources:\n",
         "  evidence_status: confirmed_by_regulator\n" + docs)  # fmt: skip
    assert problems(data_copy) == []
    db = tmp_path / "x.duckdb"
    build(data_copy, db)
    con = duckdb.connect(str(db), read_only=True)
    assert con.sql(
        "SELECT finding_id, issuer, title, date, url, access, position FROM finding_documents"
    ).fetchall() == [
        (
            "AF-001",
            "Personal Information Protection Commission",
            "Decision on DeepSeek",
            "2025-04-24",
            None,
            "not_read",
            0,
        )
    ]
    edit(data_copy, "findings.yaml", "    access: not_read\n", "    access: maybe\n")
    assert any("primary_documents[0].access" in p for p in problems(data_copy))


# --- check-sources: the shares, and the records a maintainer acts on ----------------------------


def _check_sources(data: Path, *args: str) -> str:
    import subprocess
    import sys

    from tests.conftest import ROOT

    r = subprocess.run(
        [sys.executable, "-m", "chatbot_watch", "check-sources", "--data", str(data), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_check_sources_prints_the_shares_and_the_records_short(data_copy: Path) -> None:
    out = _check_sources(data_copy)
    assert "sourcing: findings: 2; main source primary 0, direct 0, secondary 0, not reviewed 2;" in out
    assert "  short: AF-001: main source not reviewed; quote language not stated; no primary document named" in out
    # AF-001 made cite-ready: the authority's words quoted verbatim, in Korean with our translation,
    # and its decision named.
    edit(
        data_copy,
        "findings.yaml",
        "  evidence_status: confirmed_by_regulator\n  sources:\n",
        "  evidence_status: confirmed_by_regulator\n  primary_documents:\n  - issuer: PIPC\n    title: Decision\n"
        "    access: not_read\n  sources:\n",
    )
    edit(data_copy, "findings.yaml", AF1_QUOTE, KOREAN + "    translation: The PIPC said ...\n    kind: direct\n")
    out = _check_sources(data_copy)
    assert (
        "sourcing: findings: 2; main source primary 0, direct 1, secondary 0, not reviewed 1; own words (primary or "
        "direct) 1 (50 %), quote language stated and translated 1 (50 %), primary document named 1 (50 %); "
        "all three 1 (50 %)"
    ) in out
    assert "short: AF-001" not in out and "short: AF-004" in out


def test_check_sources_names_a_main_source_on_a_reviewed_repost_site(data_copy: Path) -> None:
    (data_copy / "review").mkdir()
    (data_copy / "review" / "secondary_sites.yaml").write_text(
        "sites:\n- domain: btimesonline.com\n  why: Reposts other outlets.\n", encoding="utf-8"
    )
    out = _check_sources(data_copy)
    line = line_of(data_copy, "findings.yaml", "- url: https://www.btimesonline.com/articles/173886")
    assert (
        f"{data_copy / 'findings.yaml'}:{line}: sources[0].url: warning: main source is on btimesonline.com, "
        "reviewed as a repost or aggregator (Reposts other outlets); put the authority's own publication or a "
        "report quoting it first"
    ) in out


def test_stale_open_actions_and_month_precise_dates() -> None:
    from chatbot_watch.datamodel import evidence

    action = {
        "status": "ongoing",
        "announced": "2025-02",
        "sources": [{"published": "2025-02-17"}, {"published": "2025-03"}],
    }
    assert evidence.stale(action, dt.date(2025, 10, 15), 180) == ("2025-03", 198)  # from 31 March
    assert evidence.stale(action, dt.date(2025, 8, 1), 180) is None
    assert evidence.stale({**action, "status": "ended"}, dt.date(2026, 1, 1), 180) is None
    assert evidence.day_hint(action, "announced") == "2025-02-17"
    assert evidence.day_hint({**action, "announced": "2025-02-15"}, "announced") is None
    assert evidence.newest_event(
        {"actions": [action, {"lifted": "2025-04-28"}], "findings": [{"audit_date": "2025"}]}
    ) == ("2025-04-28")


def test_the_device_ban_and_network_block_rule_is_a_validation_rule(data_copy: Path) -> None:
    # Was a test pinning the real data's network blocks (CA-031, CA-059): now validate says it.
    edit(data_copy, "actions.yaml", "  scope: government_devices\n", "  scope: government_networks\n")
    line = line_of(data_copy, "actions.yaml", "scope: government_networks")
    assert problems(data_copy) == [
        f"{data_copy / 'actions.yaml'}:{line}: scope: a government_device_ban does not have scope "
        "government_networks: use government_devices, or network_block for a block of an official network alone"
    ]
    edit(data_copy, "actions.yaml", "  action_type: government_device_ban\n", "  action_type: network_block\n")
    assert problems(data_copy) == []
    edit(data_copy, "actions.yaml", "  scope: government_networks\n", "  scope: all_users\n")
    assert problems(data_copy) == [
        f"{data_copy / 'actions.yaml'}:{line}: scope: a network_block has scope government_networks (got "
        "'all_users'); a block tied to government devices or staff is a government_device_ban"
    ]


def test_the_date_line_cannot_disagree_with_the_data(fixture_db: Path) -> None:
    # Issue 27: the newest event shown is the latest date any finding or action records, worked out
    # here from the tables' own day columns; the review date is dataset.yaml's as_of.
    con = duckdb.connect(str(fixture_db), read_only=True)
    meta = dict(con.sql("SELECT key, value FROM meta").fetchall())
    latest = con.sql(
        """SELECT max(d) FROM (
             SELECT unnest([announced_day, effective_day, lifted_day]) AS d FROM actions
             UNION ALL SELECT audit_day FROM findings)"""
    ).fetchall()[0][0]
    assert meta["newest_event"] == "2025-04-28" == str(latest)
    assert meta["as_of"] == "2026-06-30"
    from chatbot_watch.views.wording import date_line

    assert date_line(meta) == "Newest event recorded: 2025-04-28 · sources reviewed up to 2026-06-30"


REVIEWS = """open_leads: 3
reviews:
  - jurisdiction: KR
    reviewed: 2026-05-31
"""


def test_open_leads_and_a_countrys_review_date_are_said_beside_the_dates(
    data_copy: Path, tmp_path: Path, monkeypatch
) -> None:
    """Issue 27: the leads still open at the review, and a jurisdiction reviewed up to another day,
    are said on the pages (the view's date line), in the API and in downloads."""
    from chatbot_watch import queries, views
    from chatbot_watch.filters import Filters
    from chatbot_watch.views.downloads import json_text
    from chatbot_watch.web.api import view_body

    (data_copy / "dataset.yaml").write_text(
        (data_copy / "dataset.yaml").read_text(encoding="utf-8") + REVIEWS, encoding="utf-8"
    )
    db = tmp_path / "db.duckdb"
    build(data_copy, db)
    con = queries.connect(str(db))
    meta, options = queries.meta(con), queries.filter_options(con)
    korea = views.view(con, meta, options, "/countries", {"country": ["KR"]})
    assert korea.date_line == (
        "Newest event recorded: 2025-04-28 · sources reviewed up to 2026-06-30 "
        "(South Korea: up to 2026-05-31) · 3 open leads to check"
    )
    italy = views.view(con, meta, options, "/restrictions", {"country": ["IT"]})
    assert (
        italy.date_line
        == "Newest event recorded: 2025-04-28 · sources reviewed up to 2026-06-30 · 3 open leads to check"
    )
    body = view_body(korea, meta, 10, 0)
    assert (body["open_leads"], body["reviewed"], body["as_of"]) == (3, {"KR": "2026-05-31"}, "2026-06-30")
    download = json_text(queries.flows(con, Filters()), meta, "flows", Filters(), "/flows")
    assert '"open_leads": 3' in download and '"KR": "2026-05-31"' in download
    con.close()


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ("open_leads: many\n", "open_leads", "expected a whole number from 0 to 999999, got 'many'"),
        ("open_leads: -1\n", "open_leads", "expected a whole number from 0 to 999999, got '-1'"),
        ("reviews:\n  - jurisdiction: KR\n    reviewed: 2026-07-01\n", "reviews[0].reviewed",
         "2026-07-01 is after as_of 2026-06-30"),
        # CA-001 (South Korea) was lifted on 2025-04-28: a review up to April 1st would be older than it.
        ("reviews:\n  - jurisdiction: KR\n    reviewed: 2025-04-01\n", "reviews[0].reviewed",
         "2025-04-01 is before CA-001's date 2025-04-28 in KR"),
        ("reviews:\n  - jurisdiction: IT\n    reviewed: 2026-01-01\n  - jurisdiction: IT\n    reviewed: 2026-02-01\n",
         "reviews[1].jurisdiction", "IT is reviewed twice"),
    ],
)  # fmt: skip
def test_a_bad_review_is_named_by_file_line_and_field(data_copy: Path, extra: str, field: str, message: str) -> None:
    path = data_copy / "dataset.yaml"
    path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")
    found = [p for p in problems(data_copy) if f": {field}: " in p]
    assert len(found) == 1 and found[0].startswith(f"{path}:") and found[0].endswith(message), problems(data_copy)

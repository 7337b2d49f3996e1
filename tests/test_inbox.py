"""The corrections inbox: validation and length limits, rate limits, hostile text kept as text,
the file's place and permissions, the export's draft YAML, the `corrections` CLI, and the form on
the record page (AppTest)."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import streamlit as st
import yaml

from chatbot_watch import cli
from chatbot_watch.config import ConfigError, load_settings
from chatbot_watch.tools import inbox
from tests.apptest import new_app, start
from tests.conftest import FIXTURE_DATA, ROOT
from tests.hostile import PAYLOAD
from tests.test_pages import open_page
from tests.test_text_safety import shown

THANKS = "Thank you: correction {} is in the maintainers' inbox. What they received:"
NOW = dt.datetime(2026, 6, 30, 12, 0, tzinfo=dt.UTC)
GOOD = inbox.Report(
    kind="finding",
    record_id="AF-001",
    what_is_wrong="The audit date is the publication date, not the date of the audit.",
    correct_value="2025-02-06",
    source_url="https://www.pipc.go.kr/eng/example",
    field="audit_date",
)


def report(**changes: str) -> inbox.Report:
    return inbox.Report(**{**GOOD.__dict__, **changes})


@pytest.fixture
def box(tmp_path: Path) -> Path:
    return tmp_path / "state" / "corrections.sqlite"


# --- storing and reading back ----------------------------------------------------------------------


def test_a_report_is_stored_as_given_and_read_back(box: Path) -> None:
    n = inbox.submit(box, report(what_is_wrong="  Line one\r\nline two  ", contact=" ana@example.org "), "s1", NOW)
    assert n == 1
    c = inbox.get(box, 1)
    assert c == inbox.Correction(
        id=1, received_at="2026-06-30T12:00:00Z", kind="finding", record_id="AF-001", field="audit_date",
        what_is_wrong="Line one\nline two", correct_value="2025-02-06", source_url="https://www.pipc.go.kr/eng/example",
        contact="ana@example.org", data_version=None,
    )  # fmt: skip
    assert inbox.list_all(box) == [c]
    assert inbox.get(box, 2) is None


def test_optional_fields_may_be_empty(box: Path) -> None:
    inbox.submit(box, report(field="", contact="   "), "s1", NOW)
    c = inbox.list_all(box)[0]
    assert (c.field, c.contact) == (None, None)


def test_no_inbox_yet_lists_nothing_and_creates_nothing(box: Path) -> None:
    assert inbox.list_all(box) == [] and inbox.get(box, 1) is None
    assert not box.exists()


def test_the_inbox_file_is_private_to_its_owner(box: Path) -> None:
    old = os.umask(0o022)
    try:
        inbox.submit(box, GOOD, "s1", NOW)
    finally:
        os.umask(old)
    assert stat.S_IMODE(box.stat().st_mode) == 0o600


def test_the_inbox_refuses_a_symlink_and_a_file_that_is_not_an_inbox(fixture_db_copy: Path, tmp_path: Path) -> None:
    db = fixture_db_copy
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    with pytest.raises(inbox.InboxError, match="not a readable corrections inbox"):
        inbox.submit(db, GOOD, "s1", NOW)
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before  # the data database is untouched
    link = tmp_path / "link.sqlite"
    link.symlink_to(tmp_path / "elsewhere.sqlite")
    with pytest.raises(inbox.InboxError, match="symbolic link"):
        inbox.submit(link, GOOD, "s1", NOW)
    assert not (tmp_path / "elsewhere.sqlite").exists()


# --- validation ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"what_is_wrong": ""}, "what_is_wrong", "required"),
        ({"correct_value": "  \n "}, "correct_value", "required"),
        ({"source_url": ""}, "source_url", "required"),
        ({"record_id": ""}, "record_id", "required"),
        ({"what_is_wrong": "x" * 2001}, "what_is_wrong", "at most 2000 characters (2001 given)"),
        ({"correct_value": "x" * 1001}, "correct_value", "at most 1000 characters"),
        ({"source_url": "https://example.org/" + "a" * 481}, "source_url", "at most 500 characters"),
        ({"contact": "x" * 201}, "contact", "at most 200 characters"),
        ({"record_id": "A" * 81}, "record_id", "at most 80 characters"),
        ({"field": "f" * 61}, "field", "at most 60 characters"),
        ({"source_url": "javascript:alert(1)"}, "source_url", "scheme 'javascript' is not allowed"),
        ({"source_url": "data:text/html,<script>alert(1)</script>"}, "source_url", "scheme 'data' is not allowed"),
        ({"source_url": "https://evil.example\\www.reuters.com/"}, "source_url", "backslash"),
        ({"source_url": "http://127.0.0.1/x"}, "source_url", "not an IP address"),
        ({"source_url": "https://user:pw@example.org/"}, "source_url", "user name or password"),
        ({"source_url": "HTTPS://example.org/"}, "source_url", "lowercase"),
        ({"contact": "a@b.example\nBcc: x@y.example"}, "contact", "must not contain line breaks"),
        ({"what_is_wrong": "admin \u202egnp.exe"}, "what_is_wrong", "U+202E"),
        ({"correct_value": "a\x00b"}, "correct_value", "U+0000"),
        ({"what_is_wrong": "\x1b[2J\x1b[31mcleared"}, "what_is_wrong", "U+001B"),
        ({"field": "audit date"}, "field", "not a field name"),
        ({"record_id": "AF-001; DROP TABLE corrections"}, "record_id", "not a record id"),
        ({"kind": "dataset"}, "kind", "unknown kind of record"),
    ],
)
def test_invalid_reports_are_refused_with_the_reason_and_nothing_stored(
    box: Path, changes: dict[str, str], field: str, message: str
) -> None:
    with pytest.raises(inbox.Invalid) as err:
        inbox.submit(box, report(**changes), "s1", NOW)
    assert [f for f, _ in err.value.problems] == [field]
    assert message in err.value.problems[0][1]
    assert inbox.list_all(box) == []


def test_every_problem_is_named_at_once(box: Path) -> None:
    with pytest.raises(inbox.Invalid) as err:
        inbox.submit(box, report(what_is_wrong="", correct_value="", source_url="ftp://x.example/"), "s1", NOW)
    assert [f for f, _ in err.value.problems] == ["what_is_wrong", "correct_value", "source_url"]
    assert str(err.value).startswith("What is wrong: required; The correct value: required; Source: link scheme")


def test_fields_at_their_limits_are_accepted(box: Path) -> None:
    full = report(
        what_is_wrong="w" * 2000, correct_value="v" * 1000, contact="c" * 200,
        source_url="https://example.org/" + "a" * 480, record_id="A" * 80, field="f" * 60,
    )  # fmt: skip
    inbox.submit(box, full, "s1", NOW)
    c = inbox.list_all(box)[0]
    lengths = (len(c.what_is_wrong), len(c.correct_value), len(c.contact or ""), len(c.source_url))
    assert lengths == (2000, 1000, 200, 500)


def test_scripts_that_need_joiners_are_accepted(box: Path) -> None:
    persian = "می\u200cخواهم"  # ZWNJ is part of the spelling
    inbox.submit(box, report(what_is_wrong=persian, correct_value="👩\u200d💻"), "s1", NOW)
    assert inbox.list_all(box)[0].what_is_wrong == persian


# --- rate limits -----------------------------------------------------------------------------------


def test_one_session_may_send_five_an_hour(box: Path) -> None:
    for minute in range(inbox.SESSION_PER_HOUR):
        inbox.submit(box, GOOD, "visitor-a", NOW + dt.timedelta(minutes=minute))
    with pytest.raises(inbox.RateLimited, match="5 corrections in the last hour"):
        inbox.submit(box, GOOD, "visitor-a", NOW + dt.timedelta(minutes=10))
    inbox.submit(box, GOOD, "visitor-b", NOW + dt.timedelta(minutes=10))  # another session is not limited
    # An hour after the first report, one more is allowed again.
    inbox.submit(box, GOOD, "visitor-a", NOW + dt.timedelta(minutes=60, seconds=1))
    assert len(inbox.list_all(box)) == inbox.SESSION_PER_HOUR + 2


def test_all_sessions_together_are_capped_per_hour(box: Path) -> None:
    for i in range(inbox.GLOBAL_PER_HOUR):
        inbox.submit(box, GOOD, f"visitor-{i}", NOW + dt.timedelta(seconds=i))
    with pytest.raises(inbox.RateLimited, match="taking no more reports"):
        inbox.submit(box, GOOD, "a-new-visitor", NOW + dt.timedelta(minutes=5))
    assert len(inbox.list_all(box)) == inbox.GLOBAL_PER_HOUR


def test_one_address_reloading_for_five_minutes_cannot_stop_another_visitor(box: Path) -> None:
    # Issue 26: a browser that reloads gets a new session each time, so the per-session limit never
    # bites; 60 reports in 2.5 minutes then shut the inbox for everyone. Now one address sends a
    # new session's report every 5 seconds for 5 minutes, and another visitor is still heard.
    flood = "203.0.113.7"
    results = []
    for i in range(60):
        try:
            inbox.submit(box, GOOD, f"reload-{i}", NOW + dt.timedelta(seconds=5 * i), address=flood)
            results.append("stored")
        except inbox.RateLimited as exc:
            results.append(str(exc))
    assert results.count("stored") == inbox.ADDRESS_PER_HOUR < inbox.GLOBAL_PER_HOUR
    assert "from your network address in the last hour" in results[-1]
    n = inbox.submit(box, GOOD, "someone-else", NOW + dt.timedelta(minutes=5), address="198.51.100.20")
    assert inbox.get(box, n) is not None
    # The flood shows as one address in the maintainers' list, the other visitor as another.
    groups = inbox.by_address(inbox.list_all(box))
    assert len(groups) == 2 and f": {inbox.ADDRESS_PER_HOUR} report(s)," in groups[0] and ": 1 report(s)," in groups[1]
    # Only a keyed hash is stored, never the address.
    assert flood.encode() not in box.read_bytes()


def test_one_ipv6_subscriber_counts_as_one_address(box: Path) -> None:
    # A subscriber's line gets a whole /64: stepping through it is still one address.
    for i in range(inbox.ADDRESS_PER_HOUR):
        inbox.submit(box, GOOD, f"s{i}", NOW, address=f"2001:db8:1:2::{i + 1:x}")
    with pytest.raises(inbox.RateLimited, match="network address"):
        inbox.submit(box, GOOD, "s-next", NOW, address="2001:db8:1:2:ffff::1")
    inbox.submit(box, GOOD, "s-other", NOW, address="2001:db8:1:3::1")  # another /64


def test_an_inbox_from_before_the_address_limit_is_upgraded(box: Path) -> None:
    import sqlite3

    box.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(box)
    con.executescript(
        "CREATE TABLE corrections (id INTEGER PRIMARY KEY AUTOINCREMENT, received_at TEXT NOT NULL, kind TEXT NOT NULL,"
        " record_id TEXT NOT NULL, field TEXT, what_is_wrong TEXT NOT NULL, correct_value TEXT NOT NULL,"
        " source_url TEXT NOT NULL, contact TEXT, data_version TEXT, session TEXT NOT NULL) STRICT;"
        "INSERT INTO corrections VALUES (1, '2026-06-30T11:00:00Z', 'finding', 'AF-001', NULL, 'w', 'r',"
        " 'https://example.org/', NULL, NULL, 'x');"
    )
    con.close()
    assert inbox.list_all(box)[0].address is None  # readable as it is
    inbox.submit(box, GOOD, "s", NOW, address="192.0.2.1")
    assert [c.address is None for c in inbox.list_all(box)] == [True, False]


def test_a_full_inbox_takes_no_more(box: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inbox, "INBOX_MAX", 3)
    for day in range(3):
        inbox.submit(box, GOOD, "s", NOW + dt.timedelta(days=day))
    with pytest.raises(inbox.RateLimited):
        inbox.submit(box, GOOD, "s", NOW + dt.timedelta(days=9))


def test_sessions_sending_at_once_cannot_pass_the_limit_together(box: Path) -> None:
    inbox.create(box)

    def send(_: int) -> str:
        try:
            inbox.submit(box, GOOD, "one-session", NOW)
            return "stored"
        except inbox.RateLimited:
            return "limited"

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(send, range(16)))
    assert results.count("stored") == inbox.SESSION_PER_HOUR
    assert len(inbox.list_all(box)) == inbox.SESSION_PER_HOUR


# --- hostile text and the maintainers' views -------------------------------------------------------


def test_hostile_text_is_stored_verbatim_and_exported_as_plain_yaml_strings(box: Path) -> None:
    tricky = PAYLOAD + "\n---\n!!python/object/apply:os.system ['id']\nrecord: CA-999\n# comment"
    inbox.submit(box, report(what_is_wrong=tricky, correct_value="no", field="", contact="x@evil.example"), "s", NOW)
    c = inbox.list_all(box)[0]
    assert c.what_is_wrong == tricky
    text = inbox.export_yaml([c], box, NOW)
    docs = list(yaml.safe_load_all(text))
    assert len(docs) == 1
    assert docs[0]["what_is_wrong"] == tricky and docs[0]["record"] == "AF-001"
    assert docs[0]["proposed_value"] == "no"  # a string, not YAML 1.1's False
    assert docs[0]["field"] is None
    assert "x@evil.example" not in text  # contacts stay in the inbox


def test_export_is_a_draft_patch_per_correction(box: Path) -> None:
    inbox.submit(box, GOOD, "s1", NOW)
    inbox.submit(box, report(kind="action", record_id="CA-001", field="", correct_value="lifted"), "s1", NOW)
    text = inbox.export_yaml(inbox.list_all(box), box, NOW, data_dir=FIXTURE_DATA)
    assert text.startswith(f"# Draft corrections from the inbox {box}, exported 2026-06-30T12:00:00Z.\n")
    assert "# NOT CHECKED AND NOT APPLIED." in text
    docs = list(yaml.safe_load_all(text))
    assert docs == [
        {
            "correction": 1, "received": "2026-06-30T12:00:00Z", "data_version_seen": None,
            "file": "data/findings.yaml", "record": "AF-001", "kind": "finding", "field": "audit_date",
            "proposed_value": "2025-02-06", "what_is_wrong": GOOD.what_is_wrong,
            "source": {"url": GOOD.source_url, "publisher": None, "published": None, "accessed": None, "quote": None},
        },
        {
            "correction": 2, "received": "2026-06-30T12:00:00Z", "data_version_seen": None,
            "file": "data/actions.yaml", "record": "CA-001", "kind": "action", "field": None,
            "proposed_value": "lifted", "what_is_wrong": GOOD.what_is_wrong,
            "source": {"url": GOOD.source_url, "publisher": None, "published": None, "accessed": None, "quote": None},
        },
    ]  # fmt: skip


def test_export_names_the_file_that_holds_the_record(box: Path, tmp_path: Path) -> None:
    # Actions kept by region in data/actions/*.yaml (as the real data is): the export names the
    # region's file, found by its `- id:` line; a record no file holds says where such records live.
    data = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, data)
    text = (data / "actions.yaml").read_text(encoding="utf-8")
    kr, rest = text.split("\n- id: CA-010", 1)
    (data / "actions").mkdir()
    (data / "actions" / "kr.yaml").write_text(kr + "\n", encoding="utf-8")
    (data / "actions" / "europe.yaml").write_text("actions:\n- id: 'CA-010'" + rest, encoding="utf-8")
    (data / "actions.yaml").unlink()
    inbox.submit(box, report(kind="action", record_id="CA-010", field=""), "s1", NOW)
    inbox.submit(box, report(kind="action", record_id="CA-001", field=""), "s1", NOW)
    inbox.submit(box, report(kind="action", record_id="CA-999", field=""), "s1", NOW)
    docs = list(yaml.safe_load_all(inbox.export_yaml(inbox.list_all(box), box, NOW, data_dir=data)))
    assert [d["file"] for d in docs] == [
        "data/actions/europe.yaml",
        "data/actions/kr.yaml",
        f"data/actions.yaml or data/actions/*.yaml (no record CA-999 found in {data})",
    ]
    assert "Record: action CA-010 (data/actions/europe.yaml)\n" in inbox.details(inbox.list_all(box)[0], data)
    # The real data: an action is named by its region's file.
    assert inbox.data_file(ROOT / "data", "action", "CA-001") == "data/actions/kr.yaml"


def test_terminal_output_escapes_control_characters() -> None:
    # Stored text never holds one (validation refuses them); printing escapes any anyway.
    c = inbox.Correction(7, "2026-06-30T12:00:00Z", "finding", "AF-001", None, "a\x1b[31mred\u202e", "v",
                         "https://example.org/", None, None)  # fmt: skip
    assert "\x1b" not in inbox.summary_line(c) and "\\u001b[31mred\\u202e" in inbox.summary_line(c)
    assert "\x1b" not in inbox.details(c) and "\u202e" not in inbox.details(c)


def test_summary_line_is_one_short_line(box: Path) -> None:
    inbox.submit(box, report(what_is_wrong="word " * 100), "s", NOW)
    line = inbox.summary_line(inbox.list_all(box)[0])
    assert "\n" not in line
    assert line.startswith("#1  2026-06-30T12:00:00Z  finding AF-001 audit_date  word word")
    assert line.endswith("…") and len(line) < 120


# --- settings --------------------------------------------------------------------------------------

CONFIG = "site_title: T\ndata_dir: d\ndb_path: b/x.duckdb\n"


def test_the_inbox_sits_next_to_the_database_by_default(tmp_path: Path) -> None:
    (tmp_path / "c.yaml").write_text(CONFIG)
    assert load_settings(tmp_path / "c.yaml", env={}).corrections_db == tmp_path / "b" / "corrections.sqlite"
    moved = load_settings(tmp_path / "c.yaml", env={"CHATBOT_WATCH_DB": "/srv/db/x.duckdb"})
    assert moved.corrections_db == Path("/srv/db/corrections.sqlite")
    assert load_settings(ROOT / "config.yaml", env={}).corrections_db == ROOT / "build" / "corrections.sqlite"


def test_the_inbox_path_can_be_set_in_the_file_or_the_environment(tmp_path: Path) -> None:
    (tmp_path / "c.yaml").write_text(CONFIG + "corrections_db: inbox/c.sqlite\n")
    assert load_settings(tmp_path / "c.yaml", env={}).corrections_db == tmp_path / "inbox" / "c.sqlite"
    s = load_settings(tmp_path / "c.yaml", env={"CHATBOT_WATCH_CORRECTIONS_DB": "/var/lib/cw/c.sqlite"})
    assert s.corrections_db == Path("/var/lib/cw/c.sqlite")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("corrections_db: b/x.duckdb\n", "corrections_db: must not be the database file"),
        ("corrections_db: [a]\n", "corrections_db: expected text or null"),
    ],
)
def test_the_inbox_is_never_the_database(tmp_path: Path, line: str, message: str) -> None:
    (tmp_path / "c.yaml").write_text(CONFIG + line)
    with pytest.raises(ConfigError, match=message):
        load_settings(tmp_path / "c.yaml", env={})


# --- the command line ------------------------------------------------------------------------------


def test_cli_list_show_export(box: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inbox.submit(box, report(contact="ana@example.org"), "s", NOW)
    inbox.submit(box, report(record_id="AF-002", field="", what_is_wrong="Wrong app."), "s", NOW)
    assert cli.main(["corrections", "list", "--inbox", str(box)]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        "#1  2026-06-30T12:00:00Z  finding AF-001 audit_date  "
        "The audit date is the publication date, not the date of the…",
        "#2  2026-06-30T12:00:00Z  finding AF-002  Wrong app.",
    ]
    assert err.endswith(f"2 correction(s) in {box}\n")
    assert "  address (no address recorded): 2 report(s), 2026-06-30T12:00:00Z to 2026-06-30T12:00:00Z: #1, #2\n" in err

    assert cli.main(["corrections", "show", "1", "--inbox", str(box)]) == 0
    out = capsys.readouterr().out
    assert "Record: finding AF-001 (data/findings.yaml)\nField: audit_date\n" in out
    assert "Contact: ana@example.org\n" in out and "The correct value:\n  2025-02-06" in out
    assert cli.main(["corrections", "show", "9", "--inbox", str(box)]) == 1
    assert capsys.readouterr().err == f"corrections: no correction #9 in {box}\n"

    target = tmp_path / "drafts" / "corrections.yaml"
    assert cli.main(["corrections", "export", "2", "--out", str(target), "--inbox", str(box)]) == 0
    assert capsys.readouterr().out == f"wrote 1 draft correction(s) to {target}; nothing was applied to the data\n"
    assert [d["record"] for d in yaml.safe_load_all(target.read_text(encoding="utf-8"))] == ["AF-002"]
    assert cli.main(["corrections", "export", "--out", str(target), "--inbox", str(box)]) == 2
    assert "exists; choose another --out or add --force" in capsys.readouterr().err
    assert cli.main(["corrections", "export", "--out", str(target), "--force", "--inbox", str(box)]) == 0
    assert [d["record"] for d in yaml.safe_load_all(target.read_text(encoding="utf-8"))] == ["AF-001", "AF-002"]
    assert cli.main(["corrections", "export", "3", "--inbox", str(box)]) == 1


def test_cli_without_an_inbox_and_with_a_broken_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "none.sqlite"
    assert cli.main(["corrections", "list", "--inbox", str(missing)]) == 0
    assert capsys.readouterr().err == f"0 correction(s) in {missing} (no inbox yet: nothing has been sent)\n"
    junk = tmp_path / "junk.sqlite"
    junk.write_text("not a database\n" * 100)
    assert cli.main(["corrections", "list", "--inbox", str(junk)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"corrections: {junk}: not a readable corrections inbox") and "Traceback" not in err


def test_python_m_finds_the_configured_inbox(tmp_path: Path) -> None:
    db = tmp_path / "db" / "chatbot_watch.duckdb"
    inbox.submit(db.with_name("corrections.sqlite"), GOOD, "s", NOW)
    env = {**os.environ, "CHATBOT_WATCH_DB": str(db)}
    env.pop("CHATBOT_WATCH_CORRECTIONS_DB", None)
    r = subprocess.run([sys.executable, "-m", "chatbot_watch", "corrections", "list"], cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=120)  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("#1  2026-06-30T12:00:00Z  finding AF-001 audit_date  ")


# --- the form on the record page (AppTest) ---------------------------------------------------------


@pytest.fixture
def page_db(fixture_db: Path) -> Path:
    return fixture_db  # read only: the inbox goes to the test's own folder (CHATBOT_WATCH_CORRECTIONS_DB)


@pytest.fixture
def served(page_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The app on the fixture database with the default settings; yields its inbox file."""
    monkeypatch.setenv("CHATBOT_WATCH_DB", str(page_db))
    monkeypatch.setenv("CHATBOT_WATCH_CORRECTIONS_DB", str(tmp_path / "corrections.sqlite"))
    monkeypatch.delenv("CHATBOT_WATCH_CONFIG", raising=False)
    st.cache_resource.clear()
    st.cache_data.clear()
    yield tmp_path / "corrections.sqlite"
    st.cache_resource.clear()
    st.cache_data.clear()


def fill(at, wrong: str, right: str, source: str, contact: str = "", field: str | None = None):  # noqa: ANN001, ANN201
    form = [e for e in at.expander if e.label == "Report a correction to this record"][0]
    form.text_area[0].input(wrong)
    form.text_area[1].input(right)
    form.text_input[0].input(source)
    form.text_input[1].input(contact)
    if field:
        form.selectbox[0].select(field)
    next(b for b in form.button if b.label == "Send the correction").click()
    return at.run()


def test_the_record_page_form_stores_a_correction(served: Path) -> None:
    at = open_page("record", id="AF-001")
    assert not [b for b in at.get("link_button") if "issue" in b.proto.label]  # no repository configured
    at = fill(at, "The platform is wrong.", "android", "https://example.org/report", "ana@example.org", "platform")
    assert not at.exception
    assert [s.value for s in at.success] == [THANKS.format(1)]
    c = inbox.get(served, 1)
    assert (c.kind, c.record_id, c.field, c.what_is_wrong, c.correct_value, c.source_url, c.contact) == (
        "finding", "AF-001", "platform", "The platform is wrong.", "android", "https://example.org/report",
        "ana@example.org",
    )  # fmt: skip
    assert c.data_version and len(c.data_version) == 12  # the build the reader was looking at
    assert [t.value for t in at.text] == [inbox.details(c)]


def test_the_form_refuses_a_bad_link_and_keeps_what_was_typed(served: Path) -> None:
    at = open_page("record", id="CA-001")
    at = fill(at, "Wrong date.", "2025-03-01", "javascript:alert(1)")
    assert [shown(e.value) for e in at.error] == [
        "Nothing was sent. Please correct: Source: link scheme 'javascript' is not allowed; only http:// and "
        "https:// links"
    ]
    assert not served.exists() or inbox.list_all(served) == []
    form = [e for e in at.expander if e.label == "Report a correction to this record"][0]
    assert form.text_area[0].value == "Wrong date."  # nothing typed is lost


def test_submitted_hostile_text_is_shown_only_as_plain_text(served: Path) -> None:
    at = open_page("record", id="app:deepseek")
    at = fill(at, PAYLOAD, "<b>x</b>", "https://example.org/x", "<script>alert(1)</script>")
    assert [s.value for s in at.success] == [THANKS.format(1)]
    received = at.text[0].value
    assert PAYLOAD in received and "<script>alert(1)</script>" in received  # verbatim, in an st.text element
    rendered = [m.value for m in at.markdown] + [c.value for c in at.caption] + [s.value for s in at.success]
    assert not any("<script>" in v or "evil.example" in v for v in rendered)
    # A refused link is quoted in the error message: escaped there, never markup.
    at = fill(at, "Wrong.", "Right.", "<script>alert(1)</script>:x")
    assert len(at.error) == 1 and "<script>" not in at.error[0].value
    assert "link scheme '<script>alert(1)</script>' is not allowed" in shown(at.error[0].value)


def test_the_form_says_when_a_visit_has_sent_enough(served: Path) -> None:
    at = open_page("record", id="AF-001")
    for _ in range(inbox.SESSION_PER_HOUR):
        at = fill(at, "Wrong.", "Right.", "https://example.org/x")
        assert at.success
    at = fill(at, "Wrong.", "Right.", "https://example.org/x")
    assert [shown(w.value) for w in at.warning] == [
        "You have sent 5 corrections in the last hour, the most one visit may send; please try again later."
    ]
    assert len(inbox.list_all(served)) == inbox.SESSION_PER_HOUR


def test_reloading_for_a_new_visit_does_not_reset_the_address_limit(served: Path) -> None:
    # Issue 26: the per-visit limit reset on every page load. Each AppTest is a new visit (session)
    # from the same address (loopback: no proxy in front).
    for _visit in range(inbox.ADDRESS_PER_HOUR // inbox.SESSION_PER_HOUR):
        at = open_page("record", id="AF-001")
        for _ in range(inbox.SESSION_PER_HOUR):
            assert fill(at, "Wrong.", "Right.", "https://example.org/x").success
    at = fill(open_page("record", id="AF-001"), "Wrong.", "Right.", "https://example.org/x")
    assert not at.success and "from your network address in the last hour" in shown(at.warning[0].value)
    assert len(inbox.list_all(served)) == inbox.ADDRESS_PER_HOUR
    assert len({c.address for c in inbox.list_all(served)}) == 1


def test_an_embedded_record_page_has_no_correction_form(served: Path) -> None:
    # Any site may frame a page in embed mode: a form there could be clickjacked (issue 26).
    at = new_app()
    at.context = {"is_embedded": True}
    at.query_params["id"] = "AF-001"
    at.query_params["embed"] = "true"
    start(at, "record")
    assert not at.exception
    assert shown(at.title[0].value).startswith("AF-001: ")
    assert not [e for e in at.expander if e.label == "Report a correction to this record"]
    assert not [b for b in at.button if b.label == "Send the correction"]
    assert [e for e in open_page("record", id="AF-001").expander if e.label == "Report a correction to this record"]


def test_with_a_repository_the_issue_link_is_offered_too(served: Path, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    cfg = tmp_path / "config.yaml"
    cfg.write_text(
        f"site_title: T\ndata_dir: {FIXTURE_DATA}\ndb_path: x.duckdb\n"
        "repository_url: https://github.com/example/chatbot-watch\n"
    )
    monkeypatch.setenv("CHATBOT_WATCH_CONFIG", str(cfg))
    st.cache_resource.clear()
    at = open_page("record", id="AF-001")
    links = [b.proto for b in at.get("link_button")]
    issue = [b for b in links if b.label == "Or open a pre-filled issue in the project's repository"]
    assert len(issue) == 1 and issue[0].url.startswith("https://github.com/example/chatbot-watch/issues/new?")
    assert [e.label for e in at.expander].count("Report a correction to this record") == 1


def test_a_reader_of_a_translated_page_can_report_the_translation(served: Path) -> None:
    """Issue 25: on a Korean page the form offers the translation itself as what is wrong; the report
    says which language (field translation_ko)."""
    from chatbot_watch import i18n

    with i18n.using("ko"):
        label, send = i18n.gettext("Report a correction to this record"), i18n.gettext("Send the correction")
    at = open_page("record", id="CA-001", lang="ko")
    form = [e for e in at.expander if e.label == label][0]
    assert form.selectbox[0].options[1] == i18n.translations("ko").gettext(
        "The translation of this page ({language})"
    ).format(language="한국어")
    form.selectbox[0].select("translation_ko")
    form.text_area[0].input("'Lifted' reads as a status over a column of dates.")
    form.text_area[1].input("해제일")
    form.text_input[0].input("https://example.org/record?id=CA-001&lang=ko")
    next(b for b in form.button if b.label == send).click()
    at.run()
    assert not at.exception and not at.error
    c = inbox.get(served, 1)
    assert (c.record_id, c.field, c.correct_value) == ("CA-001", "translation_ko", "해제일")

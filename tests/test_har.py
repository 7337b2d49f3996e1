"""`import-har`: hosts of a capture attributed to companies through their domains, as a draft."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest
import yaml

from chatbot_watch.cli import main
from chatbot_watch.reading.load import Dataset, Record, load
from chatbot_watch.tools import har
from tests.conftest import FIXTURE_DATA, REAL_DATA

VOLCES = "apmplus.ap-southeast-1.volces.com"


def entry(url: str, when: str, method: str = "GET", mime: str | None = "application/json") -> dict[str, Any]:
    return {
        "startedDateTime": when,
        "request": {"method": method, "url": url, "headers": [{"name": "Cookie", "value": "session=SECRET"}]},
        "response": {"status": 200, "content": {"mimeType": mime} if mime else {}},
    }


def write_har(folder: Path, entries: list[dict[str, Any]], name: str = "capture.har") -> Path:
    path = folder / name
    path.write_text(json.dumps({"log": {"version": "1.2", "entries": entries}}), encoding="utf-8")
    return path


ENTRIES = [
    entry(f"https://{VOLCES}/monitor_browser/collect/batch/?token=SECRET", "2025-02-10T09:15:05.000+09:00", "POST"),
    entry(f"https://{VOLCES}:443/monitor_browser/collect/batch/", "2025-02-10T09:15:03.123+09:00", "POST"),
    entry("https://tracker.unknown-analytics.co.uk/p.gif?uid=42", "2025-02-10T09:16:00Z", mime="image/gif"),
    entry("data:image/png;base64,AAAA", "2025-02-10T09:16:01Z", mime=None),
]


@pytest.mark.parametrize("data", [FIXTURE_DATA, REAL_DATA], ids=["fixture", "real"])
def test_volces_host_is_volcano_engine_owned_by_bytedance(tmp_path: Path, data: Path) -> None:
    ds, problems = load(data)
    assert problems == []
    capture = har.read_har(write_har(tmp_path, ENTRIES))
    har.attribute(capture, ds)
    h = capture.hosts[VOLCES]
    assert (h.registrable_domain, h.matched_domain, h.company, h.owner) == (
        "volces.com",
        "volces.com",
        "volcano-engine",
        "bytedance",
    )
    assert h.chain == ("volcano-engine", "bytedance")
    assert (h.requests, dict(h.methods), h.paths) == (2, {"POST": 2}, ["/monitor_browser/collect/batch/"])
    assert (h.first_text, h.last_text) == ("2025-02-10T09:15:03.123+09:00", "2025-02-10T09:15:05.000+09:00")
    unknown = capture.hosts["tracker.unknown-analytics.co.uk"]
    assert (unknown.registrable_domain, unknown.company) == ("unknown-analytics.co.uk", None)
    assert (capture.entries, capture.skipped, capture.first_day) == (4, 1, "2025-02-10")


def test_cli_writes_a_draft_for_review(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "drafts" / "draft.yaml"
    args = ["import-har", str(write_har(tmp_path, ENTRIES)), "--app", "deepseek", "--platform", "android"]
    code = main([*args, "--auditor", "Example Lab", "--data", str(FIXTURE_DATA), "--out", str(out)])
    stdout = capsys.readouterr().out.splitlines()
    assert code == 0
    assert stdout == [
        f"attributed: {VOLCES} -> Volcano Engine (volcano-engine) -> owner ByteDance [2 request(s)]",
        "unattributed: tracker.unknown-analytics.co.uk (registrable domain unknown-analytics.co.uk) [1 request(s)]",
        f"wrote draft {out}: 4 request(s), 2 host(s), 1 attributed, 1 unattributed; "
        "1 request(s) without an http(s) host skipped",
    ]
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# DRAFT for review")
    assert "SECRET" not in text and "uid=42" not in text  # no cookies, tokens or query strings
    draft = yaml.safe_load(text)
    assert draft["findings"] == [
        {
            "id": "AF-DRAFT-1",
            "app": "deepseek",
            "platform": "android",
            "app_version": None,
            "auditor": "Example Lab",
            "auditor_kind": None,
            "auditor_country": None,
            "method": "network_traffic",
            "audit_date": "2025-02-10",
            "data_types": [],
            "data_described": [],
            "recipients": ["volcano-engine"],
            "recipient_described": None,
            "domains": [VOLCES],
            "recipient_countries": [],
            "evidence_status": "observed_by_auditor",
            "status_described": None,
            "notes": "Draft from a HAR capture (capture.har): 2 request(s) to apmplus.ap-southeast-1.volces.com; "
            "matched through volces.com listed for Volcano Engine (ownership: Volcano Engine → ByteDance).",
            "sources": [],
        }
    ]
    assert draft["unattributed_hosts"] == [
        {"host": "tracker.unknown-analytics.co.uk", "registrable_domain": "unknown-analytics.co.uk", "requests": 1}
    ]
    first_host = draft["hosts"][0]
    assert first_host["host"] == VOLCES and first_host["owner"] == "bytedance"
    assert first_host["mime_types"] == ["application/json"]
    assert "# fill in: what data the requests carried" in text


def test_default_draft_path_is_drafts_app_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    har_file = write_har(tmp_path, ENTRIES)
    args = ["import-har", str(har_file), "--app", "deepseek", "--platform", "web", "--data", str(FIXTURE_DATA)]
    assert main(args) == 0
    assert (tmp_path / "drafts" / "deepseek-2025-02-10.yaml").is_file()
    capsys.readouterr()
    assert main(args) == 2  # an existing draft is not overwritten without --force
    assert "exists; choose another --out or add --force" in capsys.readouterr().err
    assert main([*args, "--force"]) == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "{not json",
            "capture.har:1: not a HAR file (invalid JSON: Expecting property name enclosed in double quotes)",
        ),
        ('{"log": {"pages": []}}', "capture.har: not a HAR file (no log.entries list)"),
        ("[1, 2, 3]", "capture.har: not a HAR file (no log.entries list)"),
        ("\x89PNG\r\n\x1a\n\xff\xfe", "capture.har: not a HAR file (not UTF-8 text)"),
    ],
)
def test_bad_files_are_one_clear_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    path = tmp_path / "capture.har"
    path.write_bytes(content.encode("latin-1"))
    code = main(["import-har", str(path), "--app", "deepseek", "--platform", "web", "--data", str(FIXTURE_DATA)])
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    assert err == f"import-har: {path.parent}/{message}\n"


def test_unknown_app_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_har(tmp_path, ENTRIES)
    code = main(["import-har", str(path), "--app", "deepsek", "--platform", "web", "--data", str(FIXTURE_DATA)])
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("import-har: unknown app 'deepsek' (did you mean 'deepseek'?)")
    assert not (tmp_path / "drafts").exists()


def test_unknown_platform_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_har(tmp_path, ENTRIES)
    with pytest.raises(SystemExit) as exc:
        main(["import-har", str(path), "--app", "deepseek", "--platform", "tv", "--data", str(FIXTURE_DATA)])
    assert exc.value.code == 2
    assert "invalid choice: 'tv'" in capsys.readouterr().err


def test_draft_is_never_written_into_the_data_folder(
    tmp_path: Path, data_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_har(tmp_path, ENTRIES)
    out = data_copy / "findings" / "draft.yaml"
    code = main(
        ["import-har", str(path), "--app", "deepseek", "--platform", "web", "--data", str(data_copy), "--out", str(out)]
    )
    assert code == 2
    assert "is inside the data folder" in capsys.readouterr().err
    assert not out.exists()


def test_capture_without_http_requests_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_har(tmp_path, [entry("data:text/plain,hi", "2025-02-10T09:16:01Z")])
    out = tmp_path / "d.yaml"
    args = ["import-har", str(path), "--app", "deepseek", "--platform", "web", "--data", str(FIXTURE_DATA)]
    assert main([*args, "--out", str(out)]) == 1
    assert "no http(s) requests" in capsys.readouterr().err
    assert not out.exists()


# --- attribution rules -----------------------------------------------------------------------


def dataset(companies: list[dict[str, Any]]) -> Dataset:
    recs = [Record("companies", c, "companies.yaml", i + 1) for i, c in enumerate(companies)]
    return Dataset({}, {"companies": recs, "apps": []}, [])


COMPANIES = [
    {"id": "group", "name": "Group", "domains": ["group.example"]},
    {"id": "cloud", "name": "Cloud", "domains": ["cloud.com"], "parents": [{"company": "group", "until": None}]},
    {"id": "edge", "name": "Edge", "domains": ["cdn.cloud.com"], "parents": [{"company": "old", "until": "2020"}]},
    {"id": "telco", "name": "Telco", "domains": ["co.uk", "shared.net"]},
    {"id": "other", "name": "Other", "domains": ["shared.net"]},
]


@pytest.mark.parametrize(
    ("host", "company", "owner", "note"),
    [
        ("cloud.com", "cloud", "group", None),
        ("api.eu.cloud.com", "cloud", "group", None),
        ("x.cdn.cloud.com", "edge", "edge", None),  # the longest listed domain wins; a past parent is no owner
        ("notcloud.com", None, None, None),
        ("shop.co.uk", None, None, None),  # a public suffix listed by mistake never matches
        ("a.shared.net", None, None, "shared.net is listed by several companies: telco, other"),
        ("10.0.0.1", None, None, None),
    ],
)
def test_attribution(host: str, company: str | None, owner: str | None, note: str | None) -> None:
    capture = har.Capture({host: har.Host(host, har.registrable_domain(host))}, 1, 0, None)
    har.attribute(capture, dataset(COMPANIES))
    h = capture.hosts[host]
    assert (h.company, h.owner, h.note) == (company, owner, note)


@pytest.mark.parametrize(
    ("host", "registrable"),
    [
        (VOLCES, "volces.com"),
        ("volces.com", "volces.com"),
        ("forums.bbc.co.uk", "bbc.co.uk"),
        ("bucket.s3.amazonaws.com", "amazonaws.com"),  # private suffixes are not used: the operator is Amazon
        ("127.0.0.1", None),
        ("localhost", None),
        ("printer.lan", None),
    ],
)
def test_registrable_domain(host: str, registrable: str | None) -> None:
    assert har.registrable_domain(host) == registrable


def test_suffix_list_is_the_bundled_snapshot_and_never_fetched(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("tldextract tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    fresh = har.offline_extractor()
    assert fresh.suffix_list_urls == ()
    assert fresh._cache.enabled is False  # no cache folder written or read
    result = fresh("apmplus.ap-southeast-1.volces.com")
    assert (result.domain, result.suffix) == ("volces", "com")


@pytest.mark.parametrize(
    "auditor", ["Lab: Team #1", "'quoted'", "yes", "null", "- dash", "007", "日本語の研究所", "[x]"]
)
def test_draft_keeps_any_auditor_text_exactly(tmp_path: Path, auditor: str) -> None:
    ds, _ = load(FIXTURE_DATA)
    capture = har.read_har(write_har(tmp_path, ENTRIES))
    har.attribute(capture, ds)
    text = har.draft_yaml(capture, ds, har.DraftInput("deepseek", "web", auditor, "academic"))
    assert yaml.safe_load(text)["findings"][0]["auditor"] == auditor


def test_force_replaces_only_a_draft_import_har_wrote(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Issue 13, item 11: `--out README.md --force` overwrote the user's file.
    har_file = write_har(tmp_path, ENTRIES)
    mine = tmp_path / "README.md"
    mine.write_text("my notes\n")
    target = tmp_path / "elsewhere.txt"
    target.write_text("not a draft\n")
    link = tmp_path / "link.yaml"
    link.symlink_to(target)
    base = ["import-har", str(har_file), "--app", "deepseek", "--platform", "web", "--data", str(FIXTURE_DATA)]
    for out in (mine, link):
        capsys.readouterr()
        assert main([*base, "--out", str(out), "--force"]) == 2
        assert "--force replaces only a draft import-har wrote" in capsys.readouterr().err
    assert mine.read_text() == "my notes\n" and target.read_text() == "not a draft\n"
    draft = tmp_path / "draft.yaml"
    assert main([*base, "--out", str(draft)]) == 0
    assert main([*base, "--out", str(draft), "--force"]) == 0  # its own draft: replaced

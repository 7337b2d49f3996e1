"""The loader and validator: every problem is found, with file, line and field."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from chatbot_watch.datamodel.dataset import _replay_lines
from chatbot_watch.reading.fast.fastread import _FastReader
from chatbot_watch.reading.fieldcheck import parse_pdate
from chatbot_watch.reading.load import load, validate
from chatbot_watch.reading.yamlread import MAX_FILE_BYTES, MAX_PROBLEMS, _Reader, read_yaml
from tests.conftest import FIXTURE_DATA, REAL_DATA, edit, line_of

TODAY = dt.date(2026, 11, 29)


def problems_of(folder: Path) -> list[str]:
    return [str(p) for p in validate(folder, TODAY)]


def test_fixture_is_valid() -> None:
    ds, problems = load(FIXTURE_DATA, TODAY)
    assert problems == []
    assert [r.id for r in ds.records["findings"]] == ["AF-001", "AF-004"]
    assert ds.records["actions"][2].values["subdivision"] == "US-TX"


def test_yaml_11_surprises_stay_text(data_copy: Path) -> None:
    # Norway's code, a bare date and a leading-zero number are kept as the text written.
    edit(data_copy, "companies.yaml", "  country: CN\n  sources", "  country: NO\n  sources")
    ds, problems = load(data_copy, TODAY)
    assert problems == []
    assert ds.by_id("companies")["bytedance"].values["country"] == "NO"
    assert ds.by_id("actions")["CA-001"].values["announced"] == "2025-02-17"


# Each case: file, old text, new text, the line's marker (text on the expected line), field, message part.
CASES = [
    (
        "unknown country",
        "findings.yaml",
        "recipient_countries: [CN]",
        "recipient_countries: [ZZ]",
        "recipient_countries: [ZZ]",
        "recipient_countries[0]",
        "not an ISO 3166-1 alpha-2",
    ),
    ("lowercase country", "companies.yaml", "country: CN", "country: cn", "country: cn", "country", "ISO 3166-1"),
    (
        "bad subdivision",
        "actions.yaml",
        "subdivision: US-TX",
        "subdivision: US-XX",
        "US-XX",
        "subdivision",
        "ISO 3166-2",
    ),
    (
        "subdivision of other country",
        "actions.yaml",
        "subdivision: US-TX",
        "subdivision: AU-NSW",
        "AU-NSW",
        "subdivision",
        "not a subdivision of jurisdiction 'US'",
    ),
    (
        "dangling app",
        "findings.yaml",
        "app: deepseek",
        "app: deepsek",
        "app: deepsek",
        "app",
        "unknown app id 'deepsek' (did you mean 'deepseek'?)",
    ),
    (
        "dangling recipient",
        "findings.yaml",
        "recipients: [volcano-engine]",
        "recipients: [volcano]",
        "recipients: [volcano]",
        "recipients[0]",
        "unknown company id 'volcano'",
    ),
    (
        "dangling data type",
        "findings.yaml",
        "data_types: [keystroke_patterns]",
        "data_types: [typing]",
        "data_types: [typing]",
        "data_types[0]",
        "unknown data type id 'typing'",
    ),
    (
        "dangling parent",
        "companies.yaml",
        "- company: bytedance",
        "- company: bytedanse",
        "bytedanse",
        "parents[0].company",
        "unknown company id 'bytedanse'",
    ),
    (
        "javascript url",
        "actions.yaml",
        "url: https://example.org/texas-ban",
        "url: javascript:alert(1)",
        "javascript:alert(1)",
        "sources[0].url",
        "link scheme 'javascript' is not allowed",
    ),
    (
        "data url",
        "findings.yaml",
        "url: https://www.gadgets360",
        "url: data:text/html,<b>x</b>#https://www.gadgets360",
        "data:text/html",
        "sources[0].url",
        "link scheme 'data' is not allowed",
    ),
    (
        "ftp url",
        "companies.yaml",
        "url: https://example.org/deepseek-company",
        "url: ftp://example.org/x",
        "ftp://example.org/x",
        "sources[0].url",
        "link scheme 'ftp'",
    ),
    (
        "schemeless url",
        "companies.yaml",
        "url: https://example.org/deepseek-company",
        "url: example.org/x",
        "url: example.org/x",
        "sources[0].url",
        "link scheme 'none'",
    ),
    (
        "lifted before announced",
        "actions.yaml",
        "lifted: 2025-04-28",
        "lifted: 2025-01-02",
        "lifted: 2025-01-02",
        "lifted",
        "lifted (2025-01-02) is before announced (2025-02-17)",
    ),
    (
        "impossible date",
        "actions.yaml",
        "announced: 2025-01-30",
        "announced: 2025-02-30",
        "2025-02-30",
        "announced",
        "'2025-02-30' is not a real date",
    ),
    (
        "future date",
        "actions.yaml",
        "announced: 2025-01-30",
        "announced: 2031-01-30",
        "2031-01-30",
        "announced",
        "in the future",
    ),
    (
        "after as_of",
        "actions.yaml",
        "announced: 2025-01-30",
        "announced: 2026-08-30",
        "2026-08-30",
        "announced",
        "after the dataset's as_of date 2026-06-30",
    ),
    (
        "bad month",
        "findings.yaml",
        "audit_date: 2025-02",
        "audit_date: 2025-13",
        "2025-13",
        "audit_date",
        "not a real date",
    ),
    (
        "unknown field",
        "findings.yaml",
        "  auditor_kind: regulator",
        "  auditor_kind: regulator\n  auditer: x",
        "auditer: x",
        "auditer",
        "unknown field",
    ),
    (
        "misspelt field hint",
        "actions.yaml",
        "  authority: Governor of Texas",
        "  authorty: Governor of Texas",
        "authorty",
        "authorty",
        "did you mean 'authority'?",
    ),
    (
        "unknown vocabulary",
        "actions.yaml",
        "action_type: download_suspension",
        "action_type: ban",
        "action_type: ban",
        "action_type",
        "'ban' is not one of: government_device_ban",
    ),
    (
        "unknown evidence status",
        "findings.yaml",
        "evidence_status: alleged",
        "evidence_status: rumour",
        "rumour",
        "evidence_status",
        "'rumour' is not one of",
    ),
    (
        "empty string",
        "actions.yaml",
        "authority: Governor of Texas",
        "authority: ''",
        "authority: ''",
        "authority",
        "empty text; write null for unknown",
    ),
    (
        "null required",
        "actions.yaml",
        "authority: Governor of Texas",
        "authority: null",
        "authority: null",
        "authority",
        "must not be null",
    ),
    (
        "wrong type list",
        "findings.yaml",
        "recipient_countries: [CN]",
        "recipient_countries: CN",
        "recipient_countries: CN",
        "recipient_countries",
        "expected a list",
    ),
    (
        "wrong type mapping",
        "actions.yaml",
        "authority: Governor of Texas",
        "authority: {a: b}",
        "authority: {a: b}",
        "authority",
        "expected a text value, got a mapping",
    ),
    (
        "duplicate key",
        "actions.yaml",
        "  authority: Governor of Texas",
        "  authority: Governor of Texas\n  authority: X",
        "authority: X",
        "authority",
        "duplicate key",
    ),
    (
        "duplicate id",
        "actions.yaml",
        "- id: CA-050",
        "- id: CA-010",
        ("- id: CA-010", 2),
        "id",
        "duplicate id 'CA-010'",
    ),
    ("bad record id", "actions.yaml", "- id: CA-050", "- id: ca50", "- id: ca50", "id", "not a valid record id"),
    ("bad slug", "apps.yaml", "- id: gemini", "- id: Gemini App", "Gemini App", "id", "not a valid id"),
    (
        "no sources",
        "actions.yaml",
        "  sources:\n  - url: https://example.org/texas-ban\n    publisher: Example\n    published: 2025-01-31\n"
        "    accessed: null\n    quote: Texas bans DeepSeek on state devices.\n",
        "  sources: []\n",
        "sources: []",
        "sources",
        "needs at least 1 item",
    ),
    (
        "too long",
        "actions.yaml",
        "authority: Governor of Texas",
        "authority: " + "x" * 400,
        "authority: xxx",
        "authority",
        "too long (400 characters, at most 300)",
    ),
    (
        "lifted but in force",
        "actions.yaml",
        "  status: lifted",
        "  status: in_force",
        "status: in_force",
        "status",
        "a lifted date is given",
    ),
    (
        "bad domain",
        "companies.yaml",
        "domains: [volces.com]",
        "domains: [Volces.COM]",
        "Volces.COM",
        "domains[0]",
        "not a lowercase domain",
    ),
    (
        "listed twice",
        "findings.yaml",
        "data_types: [chat_content, device_info]",
        "data_types: [chat_content, chat_content]",
        "[chat_content, chat_content]",
        "data_types[1]",
        "listed twice",
    ),
]


@pytest.mark.parametrize(("case", "name", "old", "new", "marker", "field", "message"), CASES, ids=[c[0] for c in CASES])
def test_each_problem_is_reported_with_file_line_field(
    data_copy: Path, case: str, name: str, old: str, new: str, marker: str | tuple[str, int], field: str, message: str
) -> None:
    edit(data_copy, name, old, new)
    found = problems_of(data_copy)
    needle, nth = marker if isinstance(marker, tuple) else (marker, 1)
    line = line_of(data_copy, name, needle, nth)
    expected_prefix = f"{data_copy / name}:{line}: {field}: "
    matching = [p for p in found if p.startswith(expected_prefix) and message in p]
    assert matching, f"{case}: wanted {expected_prefix}...{message}; got {found}"


def test_missing_required_field_names_record_line(data_copy: Path) -> None:
    edit(data_copy, "actions.yaml", "  scope: government_devices\n", "")
    found = problems_of(data_copy)
    line = line_of(data_copy, "actions.yaml", "- id: CA-050")
    assert f"{data_copy / 'actions.yaml'}:{line}: scope: required field is missing" in found


def test_yaml_syntax_error_with_line(data_copy: Path) -> None:
    edit(data_copy, "apps.yaml", "  name: Gemini", "  name: Gemini: the app")
    found = problems_of(data_copy)
    line = line_of(data_copy, "apps.yaml", "Gemini: the app")
    assert any(p.startswith(f"{data_copy / 'apps.yaml'}:{line}: (yaml): YAML syntax error") for p in found), found


def test_tab_indentation_is_explained(data_copy: Path) -> None:
    edit(data_copy, "apps.yaml", "  name: Gemini", "\tname: Gemini")
    found = problems_of(data_copy)
    assert any("apps.yaml" in p and "tabs are not allowed" in p for p in found), found


def test_alias_is_refused(data_copy: Path) -> None:
    edit(
        data_copy, "apps.yaml", "  platforms: [ios, android, web]", "  platforms: &p [ios, android, web]\n  aliases: *p"
    )
    found = problems_of(data_copy)
    assert any("aliases: YAML anchors and aliases are not allowed" in p for p in found), found


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        (b"", 1, "file is empty"),
        (b"  \n\n", 1, "file is empty"),
        (b"\x00\x01\x02binary", 1, "binary file"),
        (b"apps:\n- id: caf\xe9\n", 2, "not valid UTF-8 (byte 0xe9)"),
    ],
)
def test_unreadable_files(data_copy: Path, content: bytes, line: int, message: str) -> None:
    (data_copy / "apps.yaml").write_bytes(content)
    found = problems_of(data_copy)
    assert any(p.startswith(f"{data_copy / 'apps.yaml'}:{line}: (file): {message}") for p in found), found


def test_all_problems_reported_in_one_run(data_copy: Path) -> None:
    """The issue's list: syntax error, unknown country, dangling ref, javascript: URL, lifted < announced."""
    edit(data_copy, "apps.yaml", "  name: Gemini", "  name: Gemini: broken")
    edit(data_copy, "findings.yaml", "recipient_countries: [CN]", "recipient_countries: [XX]")
    edit(data_copy, "findings.yaml", "recipients: [volcano-engine]", "recipients: [nobody]")
    edit(data_copy, "actions.yaml", "url: https://example.org/texas-ban", "url: javascript:alert(1)")
    edit(data_copy, "actions.yaml", "lifted: 2025-04-28", "lifted: 2024-12-01")
    found = problems_of(data_copy)
    wanted = [
        ("apps.yaml", "(yaml)", "YAML syntax error"),
        ("findings.yaml", "recipient_countries[0]", "'XX' is not an ISO"),
        ("findings.yaml", "recipients[0]", "unknown company id 'nobody'"),
        ("actions.yaml", "sources[0].url", "link scheme 'javascript'"),
        ("actions.yaml", "lifted", "is before announced"),
    ]
    for name, field, message in wanted:
        assert any(f"{name}:" in p and f": {field}: " in p and message in p for p in found), (name, field, found)


def test_missing_folder_and_files(tmp_path: Path) -> None:
    found = problems_of(tmp_path / "nope")
    assert found == [f"{tmp_path / 'nope'}:1: (folder): data folder does not exist"]
    (tmp_path / "empty").mkdir()
    found = problems_of(tmp_path / "empty")
    assert len(found) == 6 and all("missing file" in p for p in found)


def test_records_may_be_split_into_a_folder(data_copy: Path) -> None:
    (data_copy / "actions").mkdir()
    (data_copy / "actions" / "more.yaml").write_text((data_copy / "actions.yaml").read_text().replace("CA-0", "CA-9"))
    ds, problems = load(data_copy, TODAY)
    assert problems == []
    assert len(ds.records["actions"]) == 6


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-04-28", (dt.date(2025, 4, 28), dt.date(2025, 4, 28), "day")),
        ("2025-04", (dt.date(2025, 4, 1), dt.date(2025, 4, 30), "month")),
        ("2024-02", (dt.date(2024, 2, 1), dt.date(2024, 2, 29), "month")),
        ("2025-12", (dt.date(2025, 12, 1), dt.date(2025, 12, 31), "month")),
        ("2025", (dt.date(2025, 1, 1), dt.date(2025, 12, 31), "year")),
        ("2025-02-29", None),
        ("2025-4-1", None),
        ("April 2025", None),
    ],
)
def test_parse_pdate(text: str, expected: object) -> None:
    assert parse_pdate(text) == expected


def test_month_precision_is_not_a_misorder(data_copy: Path) -> None:
    # Lifted in "April 2025" is compatible with effective on 2025-04-24: nothing to report.
    edit(data_copy, "actions.yaml", "announced: 2025-02-17", "announced: 2025-04-24")
    edit(data_copy, "actions.yaml", "effective: 2025-02-15", "effective: 2025-04-24")
    edit(data_copy, "actions.yaml", "lifted: 2025-04-28", "lifted: 2025-04")
    assert problems_of(data_copy) == []


def test_billion_laughs_is_refused_quickly(data_copy: Path) -> None:
    bomb = "apps:\n- id: a\n  name: &a0 lol\n" + "".join(
        f"  x{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]\n" for i in range(1, 12)
    )
    (data_copy / "apps.yaml").write_text(bomb)
    found = problems_of(data_copy)
    assert any("apps.yaml:" in p and "anchors and aliases are not allowed" in p for p in found)
    assert len(found) < 200


def test_yaml_tags_are_refused(data_copy: Path) -> None:
    edit(data_copy, "apps.yaml", "  name: Gemini", "  name: !!python/object:os.system echo")
    found = problems_of(data_copy)
    assert any("apps.yaml" in p and ": name: " in p for p in found), found


@pytest.mark.parametrize("plain", [False, True])
@pytest.mark.parametrize("folder", [FIXTURE_DATA, REAL_DATA], ids=["fixture", "real"])
def test_fast_reader_gives_the_exact_readers_values_and_lines(folder: Path, plain: bool) -> None:
    # The fast path keeps lines as steps; expanded, they must be the dict the exact reader builds.
    for path in sorted(folder.glob("*.yaml")):
        node, rel = read_yaml(path, folder, [])
        assert node is not None
        fast = _FastReader(plain)
        items = [node] if path.name == "dataset.yaml" else node.value[0][1].value
        for item in items:
            lines: dict[str, int] = {}
            problems: list = []
            exact = _Reader(rel, problems).value(item, "", lines)
            values, steps = fast.record(item)
            assert problems == []
            assert values == exact
            assert _replay_lines(values, steps) == lines, (rel, item.line)


def test_worker_processes_give_the_same_result(data_copy: Path) -> None:
    # Problems from reading (alias), checking fields (country) and across records (reference);
    # a clean file in between. One process or two: the same records, lines and problems.
    edit(
        data_copy, "apps.yaml", "  platforms: [ios, android, web]", "  platforms: &p [ios, android, web]\n  aliases: *p"
    )
    edit(data_copy, "findings.yaml", "recipient_countries: [CN]", "recipient_countries: [XX]")
    edit(data_copy, "findings.yaml", "recipients: [volcano-engine]", "recipients: [nobody]")
    one, two = load(data_copy, TODAY, processes=1), load(data_copy, TODAY, processes=2)
    assert one[1] == two[1]
    assert len(one[1]) >= 3
    for kind, recs in one[0].records.items():
        others = two[0].records[kind]
        assert [(r.id, r.values, r.path, r.line, r.digest) for r in recs] == [
            (r.id, r.values, r.path, r.line, r.digest) for r in others
        ]
        for a, b in zip(recs, others, strict=True):
            assert a.line_of("id") == b.line_of("id")
            assert a.lines == b.lines


# ---------------------------------------------------------------------------
# Hostile files (issue 13, items 6, 8, 9, 10, 11): each is refused with path:line, never a crash
# ---------------------------------------------------------------------------

# Each case: name, file, its whole text, line, field, message part.
HOSTILE_FILES = [
    # Item 6: libyaml segfaulted at 50,000 levels, RecursionError (no line) at 1,000.
    ("nesting 50,000", "apps.yaml", "apps: " + "[" * 50_000 + "]" * 50_000 + "\n", 1, "(yaml)", "nesting is deeper"),
    ("nesting 1,000", "apps.yaml", "apps:\n- id: a\n  aliases: " + "[" * 1000 + "]" * 1000, 3, "(yaml)", "nesting"),
    ("block nesting", "apps.yaml", "apps:\n" + "".join("  " * i + "- \n" for i in range(30)), 21, "(yaml)", "nesting"),
    # Item 11: a tag anywhere, also where no field is (the top-level list, a key, the document).
    ("tag as the list", "apps.yaml", "apps: !!python/name:os.system\n", 1, "(yaml)", "python/name:os.system"),
    ("tag on a key", "apps.yaml", "apps:\n- id: a\n  !!python/name:os.system name: x\n", 3, "(yaml)", "tags"),
    ("tag on the file", "apps.yaml", "!!python/object:os.system\napps: []\n", 1, "(yaml)", "python/object"),
    ("local tag", "apps.yaml", "apps:\n- id: a\n  name: !x y\n", 3, "name", "YAML tags are not allowed (!x)"),
    # Item 9: line breaks to the YAML reader that are not newlines.
    ("raw CR", "apps.yaml", "apps:\n- id: gemini\n  name: Gemini\r  developer: x\n", 3, "(file)", "carriage return"),
    ("raw U+2028", "apps.yaml", "apps:\n- id: gemini\n  name: G\u2028  x: y\n", 3, "(file)", "U+2028"),
    ("raw U+2029", "apps.yaml", "apps:\n\n- id: gemini\u2029", 3, "(file)", "U+2029"),
    ("raw U+0085", "apps.yaml", "apps:\n- id: gemini\x85", 2, "(file)", "U+0085"),
    ("only comments", "apps.yaml", "# apps: []\n", 1, "(file)", "no YAML document"),
]


@pytest.mark.parametrize(
    ("case", "name", "text", "line", "field", "message"), HOSTILE_FILES, ids=[c[0] for c in HOSTILE_FILES]
)
def test_hostile_files_are_refused_with_path_and_line(
    data_copy: Path, case: str, name: str, text: str, line: int, field: str, message: str
) -> None:
    (data_copy / name).write_bytes(text.encode("utf-8"))
    found = problems_of(data_copy)
    prefix = f"{data_copy / name}:{line}: {field}: "
    assert any(p.startswith(prefix) and message in p for p in found), (case, prefix, message, found)


def test_crlf_line_ends_are_still_accepted(data_copy: Path) -> None:
    # Windows line ends are one break to YAML and to editors: nothing shifts, nothing to refuse.
    for path in data_copy.glob("*.yaml"):
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert problems_of(data_copy) == []


# Item 8 and 9: characters in values (escapes in double quotes reach the values as characters).
BAD_CHARACTERS = [
    ("U+FFFE in a name", "apps.yaml", "  name: Gemini", '  name: "Gemini\\uFFFE"', "name", "U+FFFE"),
    ("U+FFFF in notes", "apps.yaml", "  name: Gemini", '  name: Gemini\n  notes: "a\\uFFFFb"', "notes", "U+FFFF"),
    (
        "U+FDD0 in a quote",
        "actions.yaml",
        "quote: Texas bans DeepSeek on state devices.",
        'quote: "\\uFDD0T."',
        "sources[0].quote",
        "U+FDD0",
    ),
    ("U+1FFFE", "apps.yaml", "  name: Gemini", '  name: "Gemini\\U0001FFFE"', "name", "U+1FFFE"),
    ("lone surrogate", "apps.yaml", "  name: Gemini", '  name: "Gemini\\uD800"', "(yaml)", "invalid Unicode character"),
    ("C1 control", "apps.yaml", "  name: Gemini", '  name: "Gemini\\x9b"', "name", "control characters"),
    ("CR in a value", "apps.yaml", "  name: Gemini", '  name: "Gemini\\r=HYPERLINK()"', "name", "carriage return"),
    ("CR in notes", "apps.yaml", "  name: Gemini", '  name: Gemini\n  notes: "a\\rb"', "notes", "carriage return"),
    ("U+2028 in a value", "apps.yaml", "  name: Gemini", '  name: "Gemini\\Lx"', "name", "U+2028"),
    ("U+0085 in notes", "apps.yaml", "  name: Gemini", '  name: Gemini\n  notes: "a\\Nb"', "notes", "U+0085"),
    ("bidi override", "apps.yaml", "  name: Gemini", "  name: Gemini \u202eppa", "name", "U+202E"),
    ("bidi isolate", "companies.yaml", "  name: ByteDance", "  name: ByteDance\u2066x", "name", "U+2066"),
]


@pytest.mark.parametrize(
    ("case", "name", "old", "new", "field", "message"), BAD_CHARACTERS, ids=[c[0] for c in BAD_CHARACTERS]
)
def test_characters_that_are_not_text_are_refused(
    data_copy: Path, case: str, name: str, old: str, new: str, field: str, message: str
) -> None:
    edit(data_copy, name, old, new)
    found = problems_of(data_copy)
    line = line_of(data_copy, name, new.split("\n")[-1].strip()[:12])
    prefix = f"{data_copy / name}:{line}: "
    assert any(p.startswith(prefix) and f": {field}" in p and message in p for p in found), (case, found)


def test_bidi_marks_stay_allowed_in_free_text(data_copy: Path) -> None:
    # A quote copied from an Arabic or Hebrew page may carry isolates; only one-line fields refuse them.
    edit(data_copy, "actions.yaml", "quote: Texas bans", "quote: \u2067نص\u2069 Texas bans")
    assert problems_of(data_copy) == []


def test_symbolic_links_are_refused_and_never_read(data_copy: Path, tmp_path: Path) -> None:
    # Item 11: links pointed outside the folder and their content came back in the messages.
    secret = tmp_path / "secret.yaml"
    secret.write_text("hunter2: the password\n")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "more.yaml").write_text("hunter3: another\n")
    (data_copy / "apps.yaml").unlink()
    (data_copy / "apps.yaml").symlink_to(secret)
    (data_copy / "actions").symlink_to(outside)
    (data_copy / "findings").mkdir()
    (data_copy / "findings" / "x.yaml").symlink_to(secret)
    found = problems_of(data_copy)
    assert not any("hunter" in p for p in found), found
    for name in ("apps.yaml", "actions", "findings/x.yaml"):
        assert f"{data_copy / name}:1: (file): is a symbolic link; links are not followed" in " ".join(found), name


def test_a_fifo_is_refused_not_waited_for(data_copy: Path) -> None:
    (data_copy / "apps.yaml").unlink()
    os.mkfifo(data_copy / "apps.yaml")
    found = problems_of(data_copy)
    assert f"{data_copy / 'apps.yaml'}:1: (file): is not a regular file" in found


def test_a_file_over_the_size_cap_is_refused_before_reading(data_copy: Path) -> None:
    with open(data_copy / "apps.yaml", "ab") as fh:
        fh.truncate(MAX_FILE_BYTES + 1)  # sparse: nothing is written, and nothing must be read
    found = problems_of(data_copy)
    assert f"{data_copy / 'apps.yaml'}:1: (file): file is larger than 20 MiB" in found


def test_too_many_values_are_refused_at_the_value_past_the_limit(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Item 10: the limit itself (two million values) is measured in docs/benchmarks.md; here a
    # small one shows where the file is stopped.
    monkeypatch.setattr("chatbot_watch.reading.yamlread.MAX_NODES", 3000)
    (data_copy / "apps.yaml").write_text("apps:\n" + "- id: a\n" * 2000)
    found = problems_of(data_copy)
    # Values: the file's mapping, its key, the list, then per item a mapping, a key and a value:
    # value 3,001 opens item 1,000, on line 1,001.
    assert f"{data_copy / 'apps.yaml'}:1001: (yaml): more than 3,000 YAML values in one file" in " ".join(found)


def test_a_file_of_broken_records_lists_a_bounded_number_of_problems(data_copy: Path) -> None:
    # Item 10: 30,000 records, each missing fields and sharing one id, made 60,000+ problems.
    (data_copy / "apps.yaml").write_text("apps:\n" + "- id: a\n" * 30_000)
    found = [p for p in problems_of(data_copy) if "apps.yaml" in p.split(":")[0]]
    assert MAX_PROBLEMS <= len(found) <= MAX_PROBLEMS + 3
    assert any("problems or more in this file: it was checked up to here" in p for p in found)


def test_aliases_and_tags_by_the_million_list_a_bounded_number(data_copy: Path) -> None:
    (data_copy / "apps.yaml").write_text("apps:\n- &a x\n" + "- *a\n" * 20_000 + "- !t x\n" * 20_000)
    found = problems_of(data_copy)
    assert len(found) <= MAX_PROBLEMS + 20


def test_pairwise_rules_stop_at_the_cap(data_copy: Path) -> None:
    # 400 copies of one finding under new ids: 80,000 pairs alike; the list stops at the cap.
    text = (data_copy / "findings.yaml").read_text()
    first = text.split("\n- id: ")[1]
    body = "".join("- id: " + first.replace("AF-001", f"AF-{500 + i}", 1) + "\n" for i in range(400))
    (data_copy / "findings.yaml").write_text(text + body)
    found = [p for p in problems_of(data_copy) if "distinct_from" in p]
    assert 100 < len(found) <= MAX_PROBLEMS + 1


def test_an_ownership_chain_is_bounded(data_copy: Path) -> None:
    text = (data_copy / "companies.yaml").read_text()
    src = "  sources:\n  - url: https://example.org/c\n    publisher: Example\n    published: null\n"
    src += "    accessed: 2025-01-01\n    quote: A company.\n"
    chain = "".join(
        f"- id: c{i}\n  name: C {i}\n  kinds: [developer]\n  parents:\n  - company: c{i + 1}\n{src}" for i in range(30)
    )
    (data_copy / "companies.yaml").write_text(text + chain + f"- id: c30\n  name: C 30\n  kinds: [developer]\n{src}")
    found = problems_of(data_copy)
    assert any(": parents: ownership chain longer than 20 companies: c0 -> c1 -> c2 -> ..." in p for p in found)

"""The data rules added in the 2026 review: each fails on a fixture that breaks it, with its exact
message; the warnings validate lists; and the corrected real data answers the issue's queries."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from chatbot_watch import queries
from chatbot_watch.filters import Filters
from chatbot_watch.reading.load import load, validate
from chatbot_watch.reading.rules import warnings
from tests.conftest import REAL_DATA, ROOT, edit, line_of

TODAY = dt.date(2026, 11, 29)


def problems_of(folder: Path) -> list[str]:
    return [str(p) for p in validate(folder, TODAY)]


def at(folder: Path, name: str, needle: str) -> str:
    """`path:line` of the first line holding needle, as validate writes it."""
    return f"{folder / name}:{line_of(folder, name, needle)}"


# --- lifted is not before announced/effective, at the coarser precision ---------------------


def test_lifted_month_before_the_effective_month_is_refused(data_copy: Path) -> None:
    edit(data_copy, "actions.yaml", "lifted: 2025-04-28", "lifted: 2025-01")
    where = at(data_copy, "actions.yaml", "lifted: 2025-01")
    assert problems_of(data_copy) == [
        f"{where}: lifted: lifted (2025-01) is before announced (2025-02-17)",
        f"{where}: lifted: lifted (2025-01) is before effective (2025-02-15)",
    ]


def test_lifted_in_the_month_of_a_day_precise_date_is_not_before_it(data_copy: Path) -> None:
    # Compared at month precision, 2025-02 is the month of effective 2025-02-15 and announced 2025-02-17.
    edit(data_copy, "actions.yaml", "lifted: 2025-04-28", "lifted: 2025-02")
    assert problems_of(data_copy) == []


def test_lifted_day_before_effective_day_is_refused(data_copy: Path) -> None:
    edit(data_copy, "actions.yaml", "lifted: 2025-04-28", "lifted: 2025-02-14")
    where = at(data_copy, "actions.yaml", "lifted: 2025-02-14")
    assert f"{where}: lifted: lifted (2025-02-14) is before effective (2025-02-15)" in problems_of(data_copy)


# --- lifted/ended needs lifted or lifted_unknown ---------------------------------------------


@pytest.mark.parametrize("status", ["lifted", "ended"])
def test_ended_action_without_an_end_date_is_refused(data_copy: Path, status: str) -> None:
    edit(data_copy, "actions.yaml", "lifted: 2025-04-28\n  status: lifted", f"lifted: null\n  status: {status}")
    where = at(data_copy, "actions.yaml", f"  status: {status}")
    assert problems_of(data_copy) == [
        f"{where}: lifted: status '{status}' needs a lifted date, or lifted_unknown saying why the end date is unknown"
    ]


def test_lifted_unknown_explains_a_missing_end_date(data_copy: Path) -> None:
    edit(
        data_copy,
        "actions.yaml",
        "lifted: 2025-04-28\n",
        "lifted: null\n  lifted_unknown: no source read dates the app's return\n",
    )
    assert problems_of(data_copy) == []


def test_lifted_unknown_next_to_a_lifted_date_is_refused(data_copy: Path) -> None:
    edit(data_copy, "actions.yaml", "lifted: 2025-04-28\n", "lifted: 2025-04-28\n  lifted_unknown: not known\n")
    where = at(data_copy, "actions.yaml", "lifted_unknown:")
    assert problems_of(data_copy) == [
        f"{where}: lifted_unknown: a lifted date is given (2025-04-28); remove lifted_unknown"
    ]


def test_lifted_unknown_on_an_action_in_force_is_refused(data_copy: Path) -> None:
    edit(
        data_copy,
        "actions.yaml",
        "lifted: 2025-04-28\n  status: lifted",
        "lifted: null\n  lifted_unknown: not known\n  status: in_force",
    )
    where = at(data_copy, "actions.yaml", "lifted_unknown:")
    assert problems_of(data_copy) == [
        f"{where}: lifted_unknown: lifted_unknown is only for a lifted or ended action (status is 'in_force')"
    ]


# --- two findings of one claim -----------------------------------------------------------------

TWIN = """
- id: AF-009
  app: deepseek
  auditor: Personal Information Protection Commission (PIPC), South Korea
  auditor_kind: regulator
  method: regulator_inspection
  audit_date: 2025-04-24
  data_types: [device_info]
  recipients: [volcano-engine]
  evidence_status: confirmed_by_regulator
  sources:
  - url: https://example.org/pipc-decision
    publisher: Example
    quote: The PIPC found that device information went to Volcano Engine.
"""


def add_twin(folder: Path, extra: str = "") -> None:
    path = folder / "findings.yaml"
    path.write_text(path.read_text(encoding="utf-8") + TWIN + extra, encoding="utf-8")


def test_two_findings_with_the_same_app_auditor_date_and_recipients_are_refused(data_copy: Path) -> None:
    add_twin(data_copy)
    where = at(data_copy, "findings.yaml", "- id: AF-009")
    first = at(data_copy, "findings.yaml", "- id: AF-001")
    assert problems_of(data_copy) == [
        f"{where}: distinct_from: same app, auditor, audit date and recipients as AF-001 ({first}); "
        "merge the two, or say in distinct_from how this finding differs from AF-001"
    ]


def test_distinct_from_naming_the_other_finding_lets_both_stand(data_copy: Path) -> None:
    add_twin(data_copy, "  distinct_from: the device-information flow of the decision, apart from AF-001's prompts\n")
    assert problems_of(data_copy) == []


def test_distinct_from_must_name_the_other_finding(data_copy: Path) -> None:
    add_twin(data_copy, "  distinct_from: another flow of the same decision\n")
    assert len(problems_of(data_copy)) == 1


def test_a_different_audit_date_is_another_finding(data_copy: Path) -> None:
    add_twin(data_copy)
    edit(
        data_copy,
        "findings.yaml",
        "audit_date: 2025-04-24\n  data_types: [device_info]",
        "audit_date: 2025-05\n  data_types: [device_info]",
    )
    assert problems_of(data_copy) == []


# --- warnings: listed by validate, never failing it -------------------------------------------


def test_fixture_warns_of_a_company_its_quotes_do_not_name(data_copy: Path) -> None:
    ds, problems = load(data_copy, TODAY)
    assert problems == []
    assert [str(w) for w in warnings(ds)] == [
        f"{at(data_copy, 'companies.yaml', '  sources:')}: sources: warning: no quote names this company "
        "('ByteDance' or an alias); quote a sentence that names it"
    ]


def test_a_quote_naming_an_alias_silences_the_warning(data_copy: Path) -> None:
    edit(
        data_copy, "companies.yaml", "  name: ByteDance\n", "  name: ByteDance\n  aliases: [Volcano Engine (parent)]\n"
    )
    ds, _ = load(data_copy, TODAY)
    assert [w for w in warnings(ds) if "ByteDance" in w.message] == []


def test_a_record_with_no_date_is_a_warning_not_a_problem(data_copy: Path) -> None:
    edit(data_copy, "findings.yaml", "  audit_date: 2025-02\n", "  audit_date: null\n")
    ds, problems = load(data_copy, TODAY)
    assert problems == []
    where = at(data_copy, "findings.yaml", "audit_date: null")
    assert f"{where}: audit_date: warning: no date at all; views filtered by date leave this finding out" in [
        str(w) for w in warnings(ds)
    ]


def test_an_action_with_no_date_is_a_warning(data_copy: Path) -> None:
    edit(data_copy, "actions.yaml", "  announced: 2025-01-30\n", "  announced: null\n")
    ds, problems = load(data_copy, TODAY)
    assert problems == []
    where = at(data_copy, "actions.yaml", "announced: null")
    assert (
        f"{where}: announced: warning: no date at all (announced, effective and lifted are null); "
        "views filtered by date leave this action out"
    ) in [str(w) for w in warnings(ds)]


def test_validate_prints_warnings_and_passes(data_copy: Path) -> None:
    edit(data_copy, "findings.yaml", "  audit_date: 2025-02\n", "  audit_date: null\n")
    r = subprocess.run(
        [sys.executable, "-m", "chatbot_watch", "validate", "--data", str(data_copy)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    lines = r.stdout.strip().splitlines()
    assert [x for x in lines if ": warning: " in x] == [
        f"{at(data_copy, 'companies.yaml', '  sources:')}: sources: warning: no quote names this company "
        "('ByteDance' or an alias); quote a sentence that names it",
        f"{at(data_copy, 'findings.yaml', 'audit_date: null')}: audit_date: warning: no date at all; "
        "views filtered by date leave this finding out",
    ]
    assert lines[-1].endswith("valid (3 data_types, 3 companies, 2 apps, 2 findings, 3 actions); 2 warning(s)")


# --- the corrected real data -------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_con(real_db: Path):
    con = queries.connect(str(real_db))
    yield con
    con.close()


def test_south_korean_device_bans_since_2025_are_listed(real_con) -> None:
    # Every South Korean device ban the data files date 2025 or later, whatever they hold (a test
    # that listed today's ids failed as soon as a valid one was added: issue 22).
    ds, _ = load(REAL_DATA)
    expected = set()
    for rec in ds.records["actions"]:
        v = rec.values
        date = v.get("announced") or v.get("effective")  # what the date filters read (queries.py)
        if v["jurisdiction"] == "KR" and v["action_type"] == "government_device_ban" and (date or "") >= "2025":
            expected.add(rec.id)
    f = Filters(country=("KR",), action_type=("government_device_ban",), since=dt.date(2025, 1, 1))
    rows = queries.restrictions(real_con, f)
    assert set(rows["action_id"]) == expected and expected


def test_real_data_is_valid_and_no_record_ends_without_an_end() -> None:
    ds, problems = load(REAL_DATA)
    assert problems == []
    for rec in ds.records["actions"]:
        if rec.values["status"] in ("lifted", "ended"):
            assert rec.values.get("lifted") or rec.values.get("lifted_unknown"), rec.id


def test_retired_ids_stay_unused() -> None:
    ds, _ = load(REAL_DATA)
    ids = {r.id for r in ds.records["findings"]}
    assert "AF-002" not in ids and "AF-057" not in ids

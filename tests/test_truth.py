"""Every view says exactly what its records say (issue: evidence per claim, nothing dropped in
silence, quotes on screen, filters that say where they apply, the headline first, empty states).

The fixture adds to the tiny data set one app sending several data types to one company under
different evidence statuses (an alleged finding and an undated, regulator-confirmed one) and an
undated action, so that every way of folding claims together is exercised; each test asserts
on what a visitor gets: chart datasets, tables, captions, the CSV."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from chatbot_watch import queries
from chatbot_watch.filters import Filters
from chatbot_watch.store.build import build
from chatbot_watch.views import charts
from chatbot_watch.views.downloads import csv_text
from tests.apptest import all_text, chart_rows, chips, frames, heatmap_rows, open_page
from tests.conftest import FIXTURE_DATA

EXTRA_FINDINGS = """
- id: AF-005
  app: deepseek
  auditor: Example Security
  auditor_kind: security_firm
  method: static_analysis
  audit_date: 2025-02
  data_types: [keystroke_patterns, chat_content]
  recipients: [bytedance]
  recipient_countries: [CN]
  evidence_status: alleged
  sources:
  - url: https://example.org/keystrokes-claim
    publisher: Example
    published: 2025-02-20
    accessed: null
    quote: Keystroke patterns and chats are likely sent to ByteDance, the researchers claim.

- id: AF-006
  app: deepseek
  auditor: Personal Information Protection Commission (PIPC), South Korea
  auditor_kind: regulator
  auditor_country: KR
  method: regulator_inspection
  audit_date: null
  data_types: [device_info]
  recipients: [bytedance]
  recipient_countries: [CN]
  evidence_status: confirmed_by_regulator
  sources:
  - url: https://example.org/pipc-bytedance
    publisher: Example
    published: null
    accessed: null
    quote: We confirmed DeepSeek communicating with ByteDance, said the regulator.
"""

EXTRA_ACTIONS = """
- id: CA-020
  jurisdiction: JP
  authority: Digital Agency
  action_type: government_device_ban
  scope: government_devices
  apps: [deepseek]
  status: in_force
  sources:
  - url: https://example.org/japan-undated
    publisher: Example
    published: null
    accessed: null
    quote: Ministries were told not to use DeepSeek on official devices.
"""

# The claims of the fixture: (app, company, data type label, evidence label) as the records give them.
DEVICE, CHAT, KEYS = "Device information", "Chat content and prompts", "Keystroke patterns"
CONFIRMED, ALLEGED = "Confirmed by a regulator", "Alleged"
BYTEDANCE_CLAIMS = {(DEVICE, CONFIRMED), (CHAT, ALLEGED), (KEYS, ALLEGED)}
STRENGTH = [CONFIRMED, "Acknowledged by the company", "Observed by an auditor", "Stopped / remediated",
            "Declared by the company", "Reported by the press", ALLEGED, "Disputed by the company"]  # fmt: skip


@pytest.fixture(scope="module")
def truth_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("truth") / "data"
    shutil.copytree(FIXTURE_DATA, folder)
    for name, extra in (("findings.yaml", EXTRA_FINDINGS), ("actions.yaml", EXTRA_ACTIONS)):
        path = folder / name
        path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n" + extra, encoding="utf-8")
    out = folder.parent / "truth.duckdb"
    build(folder, out)
    return out


def claims_in(text: str) -> set[tuple[str, str]]:
    """(data type, evidence) pairs of an "Evidence: types. Evidence: types" text."""
    pairs = set()
    for group in text.split(". "):
        label, _, items = group.rstrip(".").partition(": ")
        pairs |= {(item, label) for item in items.split(", ")}
    return pairs


# --- 1. allegations are never shown as confirmed ---------------------------------------------

HEATMAP_PAGES = [("overview", {}), ("flows", {"app": "deepseek"}), ("apps", {"app": "deepseek"})]


@pytest.mark.parametrize(("page", "params"), HEATMAP_PAGES)
def test_heatmap_cell_shows_each_claim_with_its_own_evidence(
    use_db: callable, truth_db: Path, page: str, params: dict
) -> None:
    use_db(truth_db)
    at = open_page(page, **params)
    cells = heatmap_rows(at)
    cell = cells[cells["company_name"] == "ByteDance"].iloc[0]
    # Each data type under its own record's status, nothing stronger; the cell says data flows to
    # ByteDance, which a regulator confirmed (device information): its colour is that, with a dot
    # for the alleged data types.
    assert claims_in(cell["evidence_by_status"]) == BYTEDANCE_CLAIMS
    assert cell["evidence_by_status"] == f"{CONFIRMED}: {DEVICE}. {ALLEGED}: {CHAT}, {KEYS}"
    assert cell["evidence_label"] == CONFIRMED and bool(cell["mixed"]) is True
    # The heatmap's table tab says the same.
    table = next(t for t in frames(at) if "Data types by evidence" in t.columns)
    row = table[table["Recipient"] == "ByteDance"].iloc[0]
    assert row["Data types by evidence"] == cell["evidence_by_status"]
    assert row["Evidence for the flow"] == CONFIRMED
    # A cell with one claim keeps its own status (AF-001 to Volcano Engine is confirmed).
    volcano = cells[cells["company_name"] == "Volcano Engine"].iloc[0]
    assert volcano["evidence_label"] == CONFIRMED and not bool(volcano["mixed"])


def test_heatmap_colour_is_the_strongest_claim_of_the_flow_and_no_stronger(use_db: callable, truth_db: Path) -> None:
    use_db(truth_db)
    cells = heatmap_rows(open_page("overview"))
    for cell in cells.itertuples():
        statuses = [STRENGTH.index(status) for _, status in claims_in(cell.evidence_by_status)]
        # As strong as the best-supported claim that the data flows, never stronger than any record.
        assert STRENGTH.index(cell.evidence_label) == min(statuses), (cell.app_name, cell.company_name)
        assert bool(cell.mixed) == (len(set(statuses)) > 1)


def test_companies_page_lists_data_types_by_evidence(use_db: callable, truth_db: Path) -> None:
    use_db(truth_db)
    table = frames(open_page("companies"))[0]
    row = table[table["Company"] == "ByteDance"].iloc[0]
    assert row["Data types by evidence"] == f"{CONFIRMED}: {DEVICE}. {ALLEGED}: {CHAT}, {KEYS}"
    assert row["Evidence for the flow"] == CONFIRMED
    assert "Weakest evidence" not in table.columns


def test_flows_table_and_csv_give_each_row_its_own_records_evidence(use_db: callable, truth_db: Path) -> None:
    use_db(truth_db)
    at = open_page("flows", app="deepseek")
    table = frames(at)[-1]
    truth = {("AF-001", CHAT): CONFIRMED, ("AF-001", DEVICE): CONFIRMED, ("AF-004", KEYS): ALLEGED,
             ("AF-005", KEYS): ALLEGED, ("AF-005", CHAT): ALLEGED, ("AF-006", DEVICE): CONFIRMED}  # fmt: skip
    shown = {(r["Finding"], r["Data type"]): r["Evidence"] for _, r in table.iterrows()}
    assert shown == truth
    # The CSV the page offers (the same rows) carries the same statuses and each row's quote.
    con = queries.connect(str(truth_db))
    rows = queries.flows(con, Filters(app=("deepseek",)))
    csv = pd.read_csv(io.StringIO(csv_text(rows)))
    assert {(r.finding_id, r.data_type_label): r.evidence_label for r in csv.itertuples()} == truth
    quotes = dict(zip(csv["finding_id"], csv["source_quote"], strict=False))
    assert quotes["AF-005"] == "Keystroke patterns and chats are likely sent to ByteDance, the researchers claim."


def test_evidence_filter_leaves_no_trace_of_other_claims(use_db: callable, truth_db: Path) -> None:
    use_db(truth_db)
    at = open_page("flows", app="deepseek", evidence="confirmed_by_regulator")
    seen = [all_text(at)]
    seen += [t.to_csv() for t in frames(at)]
    seen += [d.to_csv() for d in chart_rows(at)]
    con = queries.connect(str(truth_db))
    f = Filters(app=("deepseek",), evidence=("confirmed_by_regulator",))
    seen.append(csv_text(queries.flows(con, f)))
    for text in seen:
        assert "Keystroke" not in text and ALLEGED not in text
    cells = heatmap_rows(at)
    assert set(cells["evidence_label"]) == {CONFIRMED}


# --- 2. records without a date are counted, never dropped in silence ---------------------------


def test_timeline_says_how_many_actions_it_cannot_draw(use_db: callable, truth_db: Path) -> None:
    use_db(truth_db)
    at = open_page("restrictions", app="deepseek")
    table = frames(at)[-1]
    assert "CA-020" in set(table["Action"])  # the undated action is in the table ...
    timeline = next(d for d in chart_rows(at) if "end_known" in d.columns)
    assert "CA-020" not in set(timeline["action_id"])  # ... not on the timeline ...
    # ... and the page says so, with the number, next to the timeline.
    said = all_text(at).replace("\\", "")  # as shown: the caption's text is escaped for Markdown
    assert "1 action has no date and is not on the timeline; the table below lists it." in said
    assert len(timeline) + 1 == table["Action"].nunique()


def test_date_range_says_how_many_undated_records_it_leaves_out(use_db: callable, truth_db: Path) -> None:
    use_db(truth_db)
    at = open_page("restrictions", app="deepseek", since="2025-01-01")
    assert "CA-020" not in set(frames(at)[-1]["Action"])
    text = all_text(at)
    assert "The date range leaves out 1 action that has no date at all." in text.replace("\\", "")
    assert "(/restrictions?app=deepseek)" in text  # the same view without the range shows it
    at = open_page("flows", app="deepseek", since="2025-01-01")
    assert "AF-006" not in set(frames(at)[-1]["Finding"])
    assert "The date range leaves out 1 finding that has no date at all." in all_text(at).replace("\\", "")


# --- 3. the quotes are on screen ----------------------------------------------------------------


def test_record_page_shows_every_field_and_the_full_quote(use_db: callable, truth_db: Path) -> None:
    use_db(truth_db)
    at = open_page("record", id="AF-005")
    text = all_text(at).replace("\\", "")
    assert "AF-005: Example Security on DeepSeek" in text
    assert "Keystroke patterns and chats are likely sent to ByteDance, the researchers claim." in text
    table = next(m.value for m in at.markdown if m.value.startswith("| Field | Value |"))
    rows = [line.replace("\\", "").strip("| ").split(" | ") for line in table.splitlines()[2:]]
    fields = {name: value for name, value in rows}
    assert fields["platform"] == "*not recorded*"
    assert fields["evidence_status"] == "Alleged (alleged)"
    assert fields["data_types"] == "Keystroke patterns (keystroke_patterns), Chat content and prompts (chat_content)"
    assert fields["audit_date"] == "2025-02"
    assert [b.proto.url for b in at.get("link_button")] == ["https://example.org/keystrokes-claim"]
    links = {(p.proto.label, p.proto.query_string) for p in at.get("page_link")}
    assert any("DeepSeek" in label for label, _ in links)


def test_record_page_for_an_ambiguous_or_unknown_id(use_db: callable, truth_db: Path) -> None:
    use_db(truth_db)
    at = open_page("record", id="deepseek")  # an app and a company share the slug
    labels = [p.proto.label for p in at.get("page_link")]
    assert any("app" in lab for lab in labels) and any("company" in lab for lab in labels)
    at = open_page("record", id="AF-999")
    assert "No record has the id" in " ".join(w.value for w in at.warning)


def test_every_claim_table_links_ids_to_record_pages(use_db: callable, truth_db: Path) -> None:
    use_db(truth_db)
    at = open_page("flows", app="deepseek")
    raw = at.dataframe[-1].value
    assert set(raw["Finding"]) == {"/record?id=AF-001", "/record?id=AF-004", "/record?id=AF-005", "/record?id=AF-006"}
    assert "Quote (main source)" in raw.columns


# --- 4. filters say where they apply ------------------------------------------------------------


def test_filters_not_applied_are_named_and_never_cited(use_db: callable, truth_db: Path) -> None:
    use_db(truth_db)
    at = open_page("restrictions", evidence="alleged")
    text = all_text(at).replace("\\", "").replace("**", "")
    assert "Not applied on this page: evidence status (government actions have no evidence status)." in text
    assert "filters: no filters" in text  # the footer names only what was applied
    assert "filters: evidence" not in text
    assert chips(at) == []  # nothing is shown as applied
    at = open_page("flows", evidence="alleged")
    assert chips(at) == ["Evidence status: Alleged  ✕"]


def test_flows_country_can_mean_recipient_or_examiner(use_db: callable, truth_db: Path) -> None:
    use_db(truth_db)
    at = open_page("flows", country="KR")
    text = all_text(at).replace("\\", "")
    assert "For data flows, country means: data going there, or to companies based there." in text
    assert "Nothing matches" in text
    at = open_page("flows", country="KR", country_role="examiner")
    assert set(frames(at)[-1]["Finding"]) == {"AF-001", "AF-006"}  # AF-004 names no examiner's country
    assert "found by its regulators and agencies" in all_text(at)


# --- 5. the headline first -----------------------------------------------------------------------


def test_home_answers_first_and_map_colours_what_is_in_force(use_db: callable, truth_db: Path) -> None:
    use_db(truth_db)
    at = open_page("overview")
    assert "sources reviewed up to 2026-06-30" in at.caption[0].value.replace("\\", "")
    answers = at.markdown[0].value.replace("\\", "")
    assert answers.startswith("- As of 2026-06-30, 3 restrictions of chatbot apps are in force: 2 national")
    assert "plus 1 restriction by 1 state or region of 1 country (counted apart)" in answers
    world = next(d for d in chart_rows(at) if "category" in d.columns)
    by_country = dict(zip(world["country_code"], world["category"], strict=True))
    assert by_country == {
        "IT": "National restriction in force",
        "JP": "National restriction in force",
        "US": "Restriction in force in a state or region only",  # Texas: never added up into the US
        "KR": "Lifted or ended actions only",  # the lifted suspension is not shown as a restriction
    }


# --- 6. empty states -----------------------------------------------------------------------------


def test_nothing_matches_says_so_without_an_empty_chart(use_db: callable, truth_db: Path) -> None:
    use_db(truth_db)
    at = open_page("flows", app="gemini")
    assert chart_rows(at) == []
    info = " ".join(i.value for i in at.info)
    assert "Nothing matches: no finding with these filters." in info
    assert "(/flows)" in info  # relax the app filter


# --- the real data ------------------------------------------------------------------------------


def test_real_deepseek_bytedance_keystrokes_are_never_confirmed(use_db: callable, real_db: Path) -> None:
    use_db(real_db)
    for page in ("flows", "apps", "overview"):
        at = open_page(page, app="deepseek")
        cells = heatmap_rows(at)
        cell = cells[(cells["app_name"] == "DeepSeek") & (cells["company_name"] == "ByteDance")].iloc[0]
        confirmed = {"Confirmed by a regulator", "Acknowledged by the company", "Observed by an auditor"}
        assert not any(dt == KEYS and ev in confirmed for dt, ev in claims_in(cell["evidence_by_status"]))
        # The cell's colour is its strongest claim, which the tooltip lists with its own data types.
        strongest = min(STRENGTH.index(ev) for _, ev in claims_in(cell["evidence_by_status"]))
        assert cell["evidence_label"] == STRENGTH[strongest]


def test_real_deepseek_volcano_engine_reads_confirmed_by_the_regulator(use_db: callable, real_db: Path) -> None:
    """The PIPC confirmed that the DeepSeek app sent data to Volcano Engine (AF-001): the headline
    heatmap's cell, its table and tooltip say so on every page that draws it."""
    use_db(real_db)
    for page, params in (("overview", {}), ("flows", {"app": "deepseek"}), ("apps", {"app": "deepseek"})):
        at = open_page(page, **params)
        cells = heatmap_rows(at)
        cell = cells[(cells["app_name"] == "DeepSeek") & (cells["company_name"] == "Volcano Engine")].iloc[0]
        assert cell["evidence_label"] == CONFIRMED, page
        table = next(t for t in frames(at) if "Data types by evidence" in t.columns)
        app = table["App"] == "DeepSeek" if "App" in table.columns else True  # the app's page has no App column
        row = table[app & (table["Recipient"] == "Volcano Engine")]
        assert list(row["Evidence for the flow"]) == [CONFIRMED], page


def test_real_device_bans_timeline_accounts_for_every_action(use_db: callable, real_db: Path) -> None:
    use_db(real_db)
    at = open_page("restrictions", app="deepseek", action_type="government_device_ban")
    actions = frames(at)[-1]["Action"].nunique()
    drawn = len(next(d for d in chart_rows(at) if "end_known" in d.columns))
    text = all_text(at).replace("\\", "")
    said = re.search(r"(\d+) actions? (?:has|have) no date and (?:is|are) not on the timeline", text)
    more = re.search(r"(\d+) more actions? not shown: narrow the filters or download the table", text)
    # Every action of the table is drawn, or counted next to the timeline as undated or not shown.
    assert drawn <= charts.TIMELINE_ROWS
    assert drawn + (int(said.group(1)) if said else 0) + (int(more.group(1)) if more else 0) == actions
    assert f"All matching actions ({actions} actions" in text


def test_map_says_which_jurisdictions_it_cannot_draw(use_db: callable, real_db: Path) -> None:
    use_db(real_db)
    at = open_page("overview")
    world = next(d for d in chart_rows(at) if "category" in d.columns)
    table = next(t for t in frames(at) if "What is in force" in t.columns)
    assert "European Union" in set(table["Jurisdiction"]) and "European Union" not in set(world["country_name"])
    text = all_text(at).replace("\\", "")
    off_map = text.split("Not on the map: ", 1)[1].split(" (in the table).", 1)[0]
    assert "European Union" in off_map.split(", ")

"""Issue 23, item 2: vocabularies carry their meaning in the schema. Whether an action type
restricts and what a status means (in force, open, closed) are declared once in schema.py; the
database, the map, the counts, the legends and data/README.md's tables follow. A value without a
meaning is refused when the schema loads."""

from __future__ import annotations

from pathlib import Path

import pytest

from chatbot_watch import queries
from chatbot_watch.datamodel import schema, vocabularies
from chatbot_watch.filters import Filters
from chatbot_watch.queries import chartdata
from chatbot_watch.reading.load import validate
from chatbot_watch.store.build import build
from chatbot_watch.tools import fielddocs
from chatbot_watch.views import charts
from tests.conftest import edit


def test_a_value_without_a_class_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(vocabularies.ACTION_TYPES, "internet_shutdown", ("Internet shutdown", "Access cut for all."))
    with pytest.raises(ValueError, match=r"ACTION_TYPES value\(s\) \['internet_shutdown'\] have no class"):
        vocabularies._check_classes()
    monkeypatch.setitem(vocabularies.ACTION_TYPE_CLASS, "internet_shutdown", "sometimes")
    with pytest.raises(ValueError, match="unknown classes"):
        vocabularies._check_classes()


def test_no_status_or_type_value_is_spelled_in_the_views_code() -> None:
    # Statuses and types are data; the views read their classes (status_class, restricts).
    root = Path(schema.__file__).parents[1]  # chatbot_watch/
    field_names = {f.name for k in schema.KINDS for f in k.fields}  # "lifted" is a date field too
    for path in [*root.rglob("*.py"), *(root.parent / "pages").glob("*.py")]:
        if path.name in ("vocabularies.py", "synth.py", "watchwords.py"):  # the vocabularies; made-up data; news words
            continue
        text = path.read_text(encoding="utf-8")
        for value in [*vocabularies.ACTION_STATUS, *vocabularies.ACTION_TYPES]:
            if value in vocabularies.ACTION_STATUS_CLASSES or value in field_names:  # "in_force" is also a class
                continue
            assert f"'{value}'" not in text and f'"{value}"' not in text, (path.name, value)


def test_a_new_type_and_status_added_in_the_schema_alone_reach_map_counts_legend_and_docs(
    monkeypatch: pytest.MonkeyPatch, data_copy: Path, tmp_path: Path
) -> None:
    monkeypatch.setitem(
        vocabularies.ACTION_TYPES, "internet_shutdown", ("Internet shutdown", "Access cut for everyone.")
    )
    monkeypatch.setitem(vocabularies.ACTION_TYPE_CLASS, "internet_shutdown", "restricts")
    monkeypatch.setitem(vocabularies.ACTION_STATUS, "partly_in_force", ("Partly in force", "Applies in part."))
    monkeypatch.setitem(vocabularies.ACTION_STATUS_CLASS, "partly_in_force", "in_force")
    vocabularies._check_classes()
    # Italy's processing limitation (CA-010) becomes the new type with the new status.
    edit(data_copy, "actions.yaml", "  action_type: processing_limitation\n", "  action_type: internet_shutdown\n")
    edit(data_copy, "actions.yaml", "  status: in_force\n", "  status: partly_in_force\n")
    assert [str(p) for p in validate(data_copy)] == []
    db = tmp_path / "new.duckdb"
    build(data_copy, db)
    con = queries.connect(str(db))
    try:
        row = con.execute(
            "SELECT status_class, restricts, action_type_label, status_label FROM restrictions "
            "WHERE action_id = 'CA-010'"
        ).fetchall()
        assert row == [("in_force", True, "Internet shutdown", "Partly in force")]
        italy = chartdata.map_counts(con, Filters())
        italy = italy[italy["country_code"] == "IT"].iloc[0]
        assert (italy["national_in_force"], italy["category"]) == (1, chartdata.MAP_CATEGORIES["national"])
        answers = queries.answers(con, Filters(country=("IT",)))
        assert answers["restrictions_in_force"] == 1
    finally:
        con.close()
    scale = charts._status_scale().to_dict()
    assert "Partly in force" in scale["domain"]
    assert (
        scale["range"][scale["domain"].index("Partly in force")]
        == charts.CLASS_PALETTES["ACTION_STATUS"]["in_force"][0]
    )
    table = fielddocs.vocabulary_table("ACTION_TYPES")
    assert "| `internet_shutdown` | Internet shutdown | Access cut for everyone. | Restricts the use" in table
    assert "| `partly_in_force` | Partly in force | Applies in part. | Applies now (`in_force`) |" in (
        fielddocs.vocabulary_table("ACTION_STATUS")
    )


def test_each_action_type_keeps_a_colour_of_its_own_apart_from_the_statuses() -> None:
    """The by-country chart colours actions by type beside charts coloured by status: a type's colour
    is its own in every view (not its place among the types a view holds), differs from every other
    type's while its class's palette lasts, and is never a status's colour."""
    colours = charts.class_colours("ACTION_TYPES")
    of_value, _meanings = vocabularies.VOCABULARY_CLASSES["ACTION_TYPES"]
    for cls, palette in charts.CLASS_PALETTES["ACTION_TYPES"].items():
        members = [colours[v] for v in vocabularies.ACTION_TYPES if of_value[v] == cls][: len(palette)]
        assert len(set(members)) == len(members), cls
    assert not set(charts.CLASS_PALETTES["ACTION_TYPES"]["restricts"]) & set(
        charts.CLASS_PALETTES["ACTION_TYPES"]["other"]
    )
    assert not set(colours.values()) & {c for p in charts.CLASS_PALETTES["ACTION_STATUS"].values() for c in p}
    # The same type, the same colour, whichever types a view holds.
    ban, fine = (vocabularies.label("ACTION_TYPES", k) for k in ("government_device_ban", "fine"))
    alone = charts._type_scale([fine]).to_dict()
    both = charts._type_scale([ban, fine]).to_dict()
    assert alone["range"][alone["domain"].index(fine)] == both["range"][both["domain"].index(fine)] == colours["fine"]

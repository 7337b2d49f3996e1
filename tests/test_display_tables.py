"""Tables as the browser receives them: made once per query result, and always of that result."""

from __future__ import annotations

import pandas as pd

from chatbot_watch import ui

COLUMNS = {"app_name": "App", "data_types": "Data types", "findings": "Findings", "notes": "Notes"}


def frame(name: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "app_name": [name, "Other"],
            "data_types": [["chat_content", "device_id"], []],
            "findings": [3, 1],
            "notes": [None, "text"],
            "hidden": ["not shown", "not shown"],
        }
    )


def test_columns_renamed_lists_joined_blanks_for_missing() -> None:
    table = ui.display_table(frame("DeepSeek"), COLUMNS)
    assert table.column_names == ["App", "Data types", "Findings", "Notes"]
    assert table.to_pylist() == [
        {"App": "DeepSeek", "Data types": "chat_content, device_id", "Findings": 3, "Notes": ""},
        {"App": "Other", "Data types": "", "Findings": 1, "Notes": "text"},
    ]


def result(name: str, key: str) -> pd.DataFrame:
    """A frame as `ui.query` returns it: tagged with its cache key."""
    df = frame(name)
    df.attrs[ui.state.RESULT_KEY] = repr(("v1", "queries", key, ()))
    return df


def test_made_once_per_result_and_shared() -> None:
    df = result("DeepSeek", "apps")
    assert ui.display_table(df, COLUMNS) is ui.display_table(df, COLUMNS)
    assert ui.display_table(df, {"app_name": "App"}) is not ui.display_table(df, COLUMNS)
    # Another object with the same query key (the same result, read again) shares the table.
    assert ui.display_table(result("DeepSeek", "apps"), COLUMNS) is ui.display_table(df, COLUMNS)


def test_each_result_gets_its_own_table_and_untagged_frames_are_never_cached() -> None:
    ids = set()
    for i in range(40):  # before, tables were kept by id(df), which dead frames hand on to new ones
        df = result(f"App {i}", f"apps-{i}")
        assert ui.display_table(df, COLUMNS).column("App")[0].as_py() == f"App {i}"
        ids.add(id(df))
        del df  # freed at once (no cycle): the next frame may get its id
    assert len(ids) < 40  # ids were handed on, as they were when the bug showed
    plain = frame("Plain")
    assert ui.display_table(plain, COLUMNS) is not ui.display_table(plain, COLUMNS)


def test_a_frame_derived_from_a_result_gets_its_own_table() -> None:
    df = result("DeepSeek", "derived")
    part = df[df["app_name"] == "Other"]  # pandas copies attrs: the same query key
    assert part.attrs == df.attrs
    assert ui.display_table(part, COLUMNS).num_rows == 1
    assert ui.display_table(df, COLUMNS).num_rows == 2

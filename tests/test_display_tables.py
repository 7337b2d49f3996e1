"""Tables as the browser receives them: made once per query result, and always of that result."""

from __future__ import annotations

import gc

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


def test_made_once_per_result_and_shared() -> None:
    df = frame("DeepSeek")
    assert ui.display_table(df, COLUMNS) is ui.display_table(df, COLUMNS)
    assert ui.display_table(df, {"app_name": "App"}) is not ui.display_table(df, COLUMNS)


def test_a_new_result_never_gets_the_table_of_a_dead_one() -> None:
    for i in range(40):  # ids of dead frames are reused by new ones (here about a third are)
        df = frame(f"App {i}")
        assert ui.display_table(df, COLUMNS).column("App")[0].as_py() == f"App {i}"
        del df
        gc.collect()

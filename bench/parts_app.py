"""The restrictions page with parts switched off, to see what a deep link's time is made of.

Served by `python -m bench.parts` (never by the app). `EXP` lists what to leave out, comma-separated:
nosidebar, nomap, nobytype, notimeline, nodownloads, nofooter (parts of the page) and nodate, nodl,
nomulti, nobutton, noexp, notabs (one kind of Streamlit element, replaced by nothing).
"""

import contextlib
import os

import streamlit as st

from chatbot_watch import paths, ui

E = set(os.environ.get("EXP", "").split(","))


def _nothing(*_args: object, **_kwargs: object) -> None:
    return None


for flag, name in (
    ("nodate", "date_input"),
    ("nodl", "download_button"),
    ("nomulti", "multiselect"),
    ("nobutton", "button"),
):
    if flag in E:
        setattr(st, name, _nothing)
if "noexp" in E:
    st.expander = lambda *_a, **_k: contextlib.nullcontext()
if "notabs" in E:
    st.tabs = lambda names: [st.container() for _ in names]

st.set_page_config(page_title="Chatbot Watch", page_icon=str(paths.STATIC_DIR / "favicon.png"), layout="wide")
ui.ensure_database(ui.settings())
if "nosidebar" not in E:
    st.session_state["filters"] = ui.sidebar_filters()
with ui.inside_app():
    f = ui.current_filters()
    ui.header("Restrictions", "Where are chatbot apps restricted?")
    rows = ui.query("restrictions", f)
    counts = ui.query("map_counts", f)
    if "nomap" not in E:
        spec = ui.chart_spec("world_map_spec", "map_counts", f, cargs=("Actions recorded per jurisdiction",))
        ui.map_with_table(spec, counts)
    if "nobytype" not in E:
        by_type = ui.query("actions_by_type", f)
        ui.chart_with_table(
            ui.chart_spec("actions_by_type", "actions_by_type", f),
            by_type,
            "Number of actions of each type, split by current status.",
            {"action_type_label": "Type of action", "status_label": "Status", "actions": "Actions"},
        )
    if "notimeline" not in E:
        ui.timeline_section(f)
    st.subheader("All matching actions")
    ui.restrictions_table(rows)
    if "nodownloads" not in E:
        ui.downloads(rows, "Restrictions", f, ui.page_url("restrictions", f))
    if "nofooter" not in E:
        ui.footer("Restrictions", "restrictions", f)

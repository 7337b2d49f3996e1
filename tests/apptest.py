"""The one AppTest helper of the page tests: open a page as a visitor would (a URL with its query
parameters, through app.py), and read what the visitor gets: tables as shown, text, chart specs
and the data the charts draw, the applied-filter chips."""

from __future__ import annotations

import json
import re

import pandas as pd
import pyarrow as pa
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT


def new_app() -> AppTest:
    """app.py in AppTest, not run yet."""
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)


def start(at: AppTest, page: str) -> AppTest:
    """`at`'s first run, on `page`, as a visitor's deep link runs it: app.py with the page the URL's
    path names (not the Overview first, then a switch). Fails if Streamlit ran another page."""
    if page != "overview":
        at.switch_page(f"pages/{page}.py")  # before the first run, by the page's file name
    at.run()
    if page != "overview":  # the pages app.py registered are known now: was it this one?
        assert at._page_hash == at._resolve_page_hash(str((ROOT / "pages" / f"{page}.py").resolve())), page
    return at


def run_page(page: str, params: dict[str, list[str]] | dict[str, str]) -> AppTest:
    """`page` run with these URL parameters (any name, `page` too), whatever happens (the caller
    checks exceptions)."""
    at = new_app()
    for k, v in params.items():
        at.query_params[k] = v
    return start(at, page)


def open_page(page: str, **params: list[str] | str) -> AppTest:
    """`page` run with these URL parameters; fails on any exception."""
    at = run_page(page, params)
    assert not at.exception, [e.value for e in at.exception]
    return at


RECORD_LINK = re.compile(r"^/record\?id=(?:app%3A|company%3A)?([^&]*)(?:&lang=[A-Za-z-]+)?$")


def frames(at: AppTest) -> list[pd.DataFrame]:
    """The tables on the page as a visitor reads them: a record id is shown as the text of its
    link to the record page (the column's display text), e.g. "AF-001" for /record?id=AF-001."""
    out = []
    for d in at.dataframe:
        df = d.value.copy()
        for col in df.columns:
            if df[col].map(lambda v: isinstance(v, str) and v.startswith("/record?id=")).any():
                df[col] = df[col].map(lambda v: RECORD_LINK.sub(r"\1", v) if isinstance(v, str) else v)
        out.append(df)
    return out


def all_text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [m.value for m in at.title] + [m.value for m in at.subheader]
    parts += [m.value for m in at.info] + [m.value for m in at.warning] + [m.value for m in at.caption]
    return "\n".join(str(p) for p in parts)


def specs(at: AppTest) -> list[tuple[dict, dict]]:
    out = []
    for el in at.get("arrow_vega_lite_chart") + at.get("vega_lite_chart"):
        spec = json.loads(el.proto.spec)
        out.append((spec, el.proto))
    return out


def heatmap_layer(spec: dict) -> dict | None:
    """The rect layer of a heatmap spec (the cells), if the spec is a heatmap."""
    for layer in spec.get("layer", [spec]):
        mark = layer.get("mark")
        if (mark.get("type") if isinstance(mark, dict) else mark) == "rect":
            return layer
    return None


def cell_values(df: pd.DataFrame, column: str) -> set:
    """The non-blank values a visitor sees in a column."""
    return {v for v in df[column].dropna().astype(str) if v != ""} if column in df.columns else set()


# --- fixture data: exact values ----------------------------------------------------------------


def chart_rows(at) -> list[pd.DataFrame]:  # noqa: ANN001
    """The data of every chart on the page, decoded from the Arrow datasets the browser gets."""
    out = []
    for el in at.get("arrow_vega_lite_chart") + at.get("vega_lite_chart"):
        for ds in el.proto.datasets:
            out.append(pa.ipc.open_stream(ds.data.data).read_all().to_pandas())
    return out


def chips(at) -> list[str]:  # noqa: ANN001
    """The applied-filter chips above the page's content, as a visitor reads them (markdown escapes undone)."""
    groups = [g for g in at.get("button_group") if g.proto.label.startswith("Filters applied here")]
    return [re.sub(r"\\(.)", r"\1", o.content) for g in groups for o in g.proto.options]


def heatmap_rows(at) -> pd.DataFrame:  # noqa: ANN001
    found = [d for d in chart_rows(at) if "evidence_by_status" in d.columns]
    assert found, "no heatmap on the page"
    return found[0]

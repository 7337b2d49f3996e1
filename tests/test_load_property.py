"""Property: whatever a data file holds, the loader returns problems or a valid result, never raises."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as s

from chatbot_watch.reading.load import Problem, load
from tests.conftest import FIXTURE_DATA

FILES = ["apps.yaml", "companies.yaml", "findings.yaml", "actions.yaml", "data_types.yaml", "dataset.yaml"]
TODAY = dt.date(2026, 11, 29)

scalars = s.one_of(s.none(), s.booleans(), s.integers(), s.floats(allow_nan=True), s.text(max_size=30), s.dates())
json_like = s.recursive(
    scalars,
    lambda children: s.one_of(s.lists(children, max_size=4), s.dictionaries(s.text(max_size=12), children, max_size=4)),
    max_leaves=25,
)


def check(name: str, content: bytes) -> None:
    with tempfile.TemporaryDirectory() as d:
        folder = Path(d) / "data"
        shutil.copytree(FIXTURE_DATA, folder)
        (folder / name).write_bytes(content)
        ds, problems = load(folder, TODAY)  # must not raise
        assert all(isinstance(p, Problem) and p.line >= 1 and p.message for p in problems)
        if not problems:
            assert all(isinstance(r.values, dict) for recs in ds.records.values() for r in recs)


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(name=s.sampled_from(FILES), content=s.binary(max_size=400))
def test_any_bytes(name: str, content: bytes) -> None:
    check(name, content)


@SETTINGS
@given(name=s.sampled_from(FILES), content=s.text(max_size=400))
def test_any_text(name: str, content: str) -> None:
    check(name, content.encode("utf-8", "surrogatepass"))


@SETTINGS
@given(name=s.sampled_from(FILES), doc=json_like)
def test_any_yaml_structure(name: str, doc: object) -> None:
    check(name, yaml.safe_dump(doc, allow_unicode=True).encode())


@SETTINGS
@given(name=s.sampled_from(FILES), data=s.data())
def test_mutated_real_files(name: str, data: s.DataObject) -> None:
    lines = (FIXTURE_DATA / name).read_text(encoding="utf-8").splitlines()
    for _ in range(data.draw(s.integers(1, 4))):
        op = data.draw(s.sampled_from(["delete", "duplicate", "indent", "replace"]))
        i = data.draw(s.integers(0, len(lines) - 1))
        if op == "delete" and len(lines) > 1:
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "indent":
            lines[i] = data.draw(s.sampled_from(["  ", "\t", " ", "- "])) + lines[i]
        else:
            lines[i] = data.draw(s.text(max_size=40))
    check(name, "\n".join(lines).encode("utf-8", "surrogatepass"))

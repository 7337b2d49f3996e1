"""The one-pass reader of plain files (fastread.plain_records) gives exactly what composing the nodes
and reading them gives (values, each key's and item's line, each record's line), and declines
(None) every file that is not plain, so that the exact reader reports what is wrong with it."""

from __future__ import annotations

from pathlib import Path

import pytest

from chatbot_watch.datamodel import schema
from chatbot_watch.reading.fast.fastread import _FastReader, _Retry, plain_records
from chatbot_watch.reading.yamlread import MAX_DEPTH, _compose
from chatbot_watch.tools import synth
from tests.conftest import REAL_DATA

KIND_NAMES = {k.name for k in schema.KINDS}

PLAIN = {
    "block values": "findings:\n- id: a\n  app: b\n  notes: null\n  n: ~\n  e:\n  q: 'null'\n",
    "flow lists and maps": "findings:\n- id: a\n  data_types: [x, y]\n  m: {k: v, l: [1, 2]}\n  empty: []\n",
    "block scalars": "findings:\n- id: a\n  notes: |\n    two\n    lines\n  more: >-\n    folded\n    text\n",
    "quoted across lines": "findings:\n- id: a\n  notes: 'first\n    second'\n  dq: \"x\\ty\"\n",
    "comments and blank lines": "# head\n\nfindings:  # the list\n\n- id: a  # c\n\n  # inside\n  app: b\n\n",
    "lists of mappings": "findings:\n- id: a\n  sources:\n  - url: u\n    quote: q\n  -\n    url: v\n",
    "an explicit document": "---\nfindings:\n- id: a\n...\n",
    "an empty item value": "findings:\n- id: a\n  list:\n  -\n  - b\n",
    "a quoted key": "findings:\n- 'id': a\n  \"app\": b\n",
    "indented list": "findings:\n  - id: a\n    app: b\n  - id: c\n",
    "no records": "findings: []\n",
}
NOT_PLAIN = {
    "an anchor and alias": "findings:\n- id: &x a\n  app: *x\n",
    "a tag": "findings:\n- id: !!str a\n",
    "a tag on a list": "findings: !!seq\n- id: a\n",
    "a duplicate key": "findings:\n- id: a\n  id: b\n",
    "a complex key": "findings:\n- ? [a]\n  : b\n",
    "another top-level key": "findings:\n- id: a\nother: 1\n",
    "a list item that is text": "findings:\n- a\n",
    "a top-level list": "- id: a\n",
    "no list": "findings: null\n",
    "two documents": "findings:\n- id: a\n---\nfindings: []\n",
    "a syntax error": "findings:\n- id: a\n  : : [\n",
    "too deep": "findings:\n- id: a\n  notes: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n",
    "another kind's key": "apps:\n- id: a\n",
}


def _exact(text: str) -> list[tuple[dict, list[int], int]] | None:
    """What composing and reading the nodes gives, as plain_records would give it (None: not plain)."""
    try:
        root, tagged = _compose(text)
    except Exception:  # noqa: BLE001 - any failure: not plain
        return None
    if tagged or root is None or len(root.value) != 1 or root.value[0][0].value != "findings":
        return None
    seq = root.value[0][1]
    if not isinstance(seq.value, list) or seq.tag != "tag:yaml.org,2002:seq":
        return None
    reader = _FastReader(plain=False)
    try:
        out = []
        for item in seq.value:
            values, steps = reader.record(item)
            if type(values) is not dict:
                return None
            out.append((values, list(steps), item.line))
        return out
    except _Retry:
        return None


def _plain(text: str, key: str = "findings") -> list[tuple[dict, list[int], int]] | None:
    found = plain_records(text, key)
    return None if found is None else [(v, list(s), line) for v, s, line in found]


@pytest.mark.parametrize("name", list(PLAIN))
def test_a_plain_file_is_read_in_one_pass_as_the_nodes_give_it(name: str) -> None:
    text = PLAIN[name]
    found = _plain(text)
    assert found is not None
    assert found == _exact(text)


@pytest.mark.parametrize("name", list(NOT_PLAIN))
def test_anything_else_is_left_to_the_exact_reader(name: str) -> None:
    assert _plain(NOT_PLAIN[name]) is None


def test_every_data_file_reads_the_same_both_ways(tmp_path: Path) -> None:
    synth.generate(tmp_path / "x1", 1, 1)
    # Every record file of the real data (data/<kind>.yaml and data/<kind>/*.yaml), and the synthetic.
    real = [p for p in REAL_DATA.rglob("*.yaml") if p.parent == REAL_DATA or p.parent.name in KIND_NAMES]
    files = sorted(real) + sorted((tmp_path / "x1").rglob("*.yaml"))
    checked = 0
    for path in files:
        if path.name == "dataset.yaml":
            continue
        key = path.parent.name if path.parent not in (REAL_DATA, tmp_path / "x1") else path.stem
        text = path.read_text(encoding="utf-8")
        found = _plain(text, key)
        assert found is not None, path
        assert found == _exact(text.replace(f"\n{key}:\n", "\nfindings:\n", 1) if key != "findings" else text), path
        checked += 1
    assert checked >= 10


@pytest.mark.parametrize("depth", range(MAX_DEPTH - 5, MAX_DEPTH + 1))
def test_the_nesting_limit_is_where_the_exact_reader_puts_it(depth: int) -> None:
    text = "findings:\n- id: a\n  notes: " + "[" * depth + "]" * depth + "\n"
    assert (_plain(text) is None) == (_exact(text) is None)
    assert _plain(text) == _exact(text)

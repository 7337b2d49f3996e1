"""A hostile copy of the fixture data: every free-text field carries script tags, event handlers,
markdown/HTML injection, javascript:/data: links and remote images. Links themselves must stay
http(s) (validation refuses anything else), so they carry hostile paths instead."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml

from chatbot_watch.datamodel import schema
from tests.conftest import FIXTURE_DATA

EVIL_HOST = "evil.example"
# Autolinks: markdown turns a bare host, URL or e-mail address into a link (issue 13, item 2).
AUTOLINK_PAYLOAD = "www.evil.example mail@evil.example https://evil.example/bare "
PAYLOAD = (
    AUTOLINK_PAYLOAD + "<script>window.__pwned=1;alert(1)</script>"
    '<img src="https://evil.example/onerror.png" onerror="window.__pwned=2">'
    "[click me](javascript:window.__pwned=3) ![pixel](https://evil.example/pixel.png) "
    '<a href="data:text/html,<script>alert(4)</script>">data link</a> '
    ":red[red] :material/warning: **bold** # heading {{7*7}} ${7*7}"
)
SHORT_PAYLOAD = (
    AUTOLINK_PAYLOAD
    + "<script>alert(1)</script><img src=https://evil.example/i.png onerror=alert(2)>![p](https://evil.example/p.png)"
)


# Text fields that validation allows only in some records (lifted_unknown: lifted actions only).
ONLY_WHERE_GIVEN = ("lifted_unknown",)


def _poison(fields: tuple[schema.Field, ...], values: dict[str, Any]) -> None:
    for f in fields:
        if f.name in ONLY_WHERE_GIVEN and values.get(f.name) is None:
            continue
        if f.kind in ("str", "text"):
            text = PAYLOAD if len(PAYLOAD) <= f.max_len else SHORT_PAYLOAD[: f.max_len]
            values[f.name] = text
        elif f.kind == "list" and f.item is not None and f.item.kind == "str":
            values[f.name] = [PAYLOAD[: f.item.max_len]]
        elif f.kind == "list" and f.item is not None and f.item.kind == "object":
            for item in values.get(f.name) or []:
                _poison(f.item.fields, item)
        elif f.kind == "url" and values.get(f.name):
            values[f.name] = f"https://{EVIL_HOST}/<script>alert(5)</script>?q=\"'><img%20src=x%20onerror=alert(6)>"


def write_hostile(dst: Path) -> Path:
    """Write the hostile data set into `dst` (a folder) and return it."""
    shutil.copytree(FIXTURE_DATA, dst)
    for kind in schema.KINDS:
        path = dst / f"{kind.name}.yaml"
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for rec in doc[kind.key]:
            _poison(kind.fields, rec)
        path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
    meta = yaml.safe_load((dst / "dataset.yaml").read_text(encoding="utf-8"))
    _poison(schema.DATASET_FIELDS, meta)
    meta["licence_url"] = "https://creativecommons.org/licenses/by/4.0/"
    (dst / "dataset.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return dst

"""JSON Schemas of the data files, generated from schema.py, for maintainers' editors.

An editor with a YAML language server (VS Code's YAML extension, Neovim, JetBrains IDEs) reads the
`# yaml-language-server: $schema=...` line at the top of each file in data/ and then completes
field names, lists the values of closed vocabularies and marks unknown fields, wrong types and
missing required fields while you type. `validate` stays the authority (it checks references,
dates, sources and every rule); these schemas are a convenience generated from the same model:

    python -m chatbot_watch.tools.editor_schema          # rewrite data/schema/*.schema.json
    python -m chatbot_watch.tools.editor_schema --check  # exit 1 if they are out of date (the tests do this)
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from chatbot_watch import paths
from chatbot_watch.datamodel import schema, vocabularies
from chatbot_watch.datamodel.schema import Field
from chatbot_watch.datamodel.storage import MODEL, Model
from chatbot_watch.reading import fieldcheck

SCHEMA_DIR = "schema"
# The validator's own patterns (fieldcheck.py), where JSON Schema can say them.
PATTERNS = {
    "slug": fieldcheck.SLUG_RE.pattern,
    "record_id": fieldcheck.RECORD_ID_RE.pattern,
    "pdate": fieldcheck.PDATE_RE.pattern,
    "date": fieldcheck.DATE_RE.pattern,
    "country": r"^[A-Z]{2}$",
    "jurisdiction": r"^[A-Z]{2}$",
    "subdivision": r"^[A-Z]{2}-[A-Z0-9]{1,3}$",
    "url": r"^https?://",
    "domain": r"^[a-z0-9.-]+$",
}


def _field(f: Field) -> dict[str, Any]:
    """The JSON Schema of one field."""
    if f.kind == "list":
        assert f.item is not None
        out: dict[str, Any] = {"type": "array", "items": _field(f.item), "uniqueItems": True}
        if f.min_items:
            out["minItems"] = f.min_items
        out["maxItems"] = f.max_items
    elif f.kind == "object":
        out = _object(f.fields)
    elif f.kind == "count":
        out = {"type": "integer", "minimum": 0, "maximum": 999999}
    else:
        out = {"type": "string", "minLength": 1}
        if f.kind in ("str", "text"):
            out["maxLength"] = f.max_len
        if f.kind in PATTERNS:
            out["pattern"] = PATTERNS[f.kind]
        if f.vocab:
            vocab = vocabularies.VOCABULARIES[f.vocab]
            out["enum"] = list(vocab)
            out["markdownEnumDescriptions"] = [f"{label}: {desc}" for label, desc in vocab.values()]
        if f.ref:
            out["description"] = f"The id of one of the {f.ref} (checked by validate)."
    doc = vocabularies.plain(f.doc)
    out["description"] = doc if "description" not in out else f"{doc} {out['description']}"
    if f.nullable and not f.required and f.kind != "list":
        out = {"anyOf": [out, {"type": "null"}], "description": out["description"]}
    return out


def _object(fields: tuple[Field, ...]) -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [f.name for f in fields if f.required],
        "properties": {f.name: _field(f) for f in fields},
    }


def kind_schema(kind: schema.RecordKind) -> dict[str, Any]:
    """The JSON Schema of a record file: one mapping, its kind's key holding the list of records."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"Chatbot Watch {kind.name}",
        "description": f"{kind.doc} Generated from chatbot_watch/datamodel/schema.py; see data/README.md.",
        "type": "object",
        "additionalProperties": False,
        "required": [kind.key],
        "properties": {kind.key: {"type": "array", "items": _object(kind.fields)}},
    }


def dataset_schema(fields: tuple[Field, ...] = schema.DATASET_FIELDS) -> dict[str, Any]:
    """The JSON Schema of dataset.yaml."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Chatbot Watch dataset",
        "description": "Facts about the dataset as a whole. Generated from chatbot_watch/datamodel/schema.py.",
        **_object(fields),
    }


def schemas(model: Model = MODEL) -> dict[str, str]:
    """File name -> JSON text of every schema, as written to data/schema/."""
    out = {f"{k.name}.schema.json": kind_schema(k) for k in model.kinds}
    out["dataset.schema.json"] = dataset_schema(model.dataset_fields)
    return {name: json.dumps(s, indent=2, ensure_ascii=False) + "\n" for name, s in out.items()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m chatbot_watch.tools.editor_schema", description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=paths.ROOT / "data", help="the data folder (default: data)")
    ap.add_argument("--check", action="store_true", help="exit 1 if the files are missing or out of date")
    args = ap.parse_args(argv)
    folder = args.data / SCHEMA_DIR
    stale = [n for n, text in schemas().items() if not (folder / n).is_file() or (folder / n).read_text() != text]
    if args.check:
        for n in stale:
            print(f"{folder / n}: out of date; run python -m chatbot_watch.tools.editor_schema")
        return 1 if stale else 0
    folder.mkdir(parents=True, exist_ok=True)
    for n, text in schemas().items():
        (folder / n).write_text(text, encoding="utf-8")
    print(f"wrote {len(schemas())} schemas to {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

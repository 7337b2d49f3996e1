"""The tables of data/README.md that describe the data model, generated from it.

Each field table (a kind's fields, a source's, a parent link's, dataset.yaml's) and each public
view's column table sits in data/README.md between two markers:

    <!-- generated: kind:findings -->
    | Field | Type | Required | Meaning |
    ...
    <!-- end generated -->

and is written from schema.py and model.py: the type and limits from the field's declaration, the
meaning from its `doc`; a view's column meanings from model.VIEWS. The prose around the tables,
and the vocabularies' tables (checked by tests/test_docs.py), stay hand-written.

    python -m chatbot_watch.tools.fielddocs          # rewrite the tables in data/README.md
    python -m chatbot_watch.tools.fielddocs --check  # exit 1 if they are out of date (the tests do this)
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from chatbot_watch import paths
from chatbot_watch.datamodel import vocabularies
from chatbot_watch.datamodel.schema import Field
from chatbot_watch.datamodel.sqlviews import VIEWS
from chatbot_watch.datamodel.storage import MODEL, Model

README = paths.ROOT / "data" / "README.md"
BLOCK = re.compile(r"(<!-- generated: (?P<name>[A-Za-z_:.-]+) -->\n)(?P<body>.*?)(<!-- end generated -->)", re.S)

# How each kind of field is written in the Type column, alone and as the items of a list.
_ONE = {
    "str": "text, one line",
    "text": "text",
    "slug": "slug",
    "record_id": "record id",
    "url": "http(s) URL",
    "date": "date YYYY-MM-DD",
    "pdate": "partial date",
    "country": "country code",
    "jurisdiction": "country code or `EU`",
    "subdivision": "ISO 3166-2 code",
    "domain": "domain",
    "count": "whole number",
}
_MANY = {
    "str": "text",
    "text": "text",
    "slug": "slugs",
    "record_id": "record ids",
    "url": "http(s) URLs",
    "date": "dates",
    "pdate": "partial dates",
    "country": "country codes",
    "jurisdiction": "country codes or `EU`",
    "subdivision": "ISO 3166-2 codes",
    "domain": "domains",
    "count": "whole numbers",
}
_LIMITED = frozenset({"str", "text", "slug", "record_id", "url"})  # their length limit is shown


def _word(kind_name: str | None, model: Model) -> str:
    """How the Type column names an id of a kind: `company`, `data-type`."""
    for k in model.kinds:
        if k.name == kind_name:
            return k.word.replace("_", "-")
    return str(kind_name)


def _anchor(name: str) -> str:
    return f"[{name}](#{name.lower()})"


def field_type(f: Field, model: Model = MODEL) -> str:
    """The Type column of a field: its kind, vocabulary or target, and its limits."""
    if f.kind == "list" and f.item is not None:
        item = f.item
        if item.kind == "object":
            what = _anchor(f.name)
        elif item.kind == "enum":
            what = _anchor(item.vocab or "")
        elif item.kind == "ref":
            what = f"{_word(item.ref, model)} ids"
        else:
            what = _MANY.get(item.kind, item.kind)
        limits = ""
        if f.min_items and f.max_items != Field.max_items:
            limits = f", {f.min_items} to {f.max_items}"
        elif f.min_items:
            limits = f", at least {f.min_items}"
        elif f.max_items != Field.max_items:
            limits = f", ≤ {f.max_items} items"
        return f"list of {what}{limits}"
    if f.kind == "enum":
        return f"one of {_anchor(f.vocab or '')}"
    if f.kind == "ref":
        return f"{_word(f.ref, model)} id"
    text = _ONE.get(f.kind, f.kind)
    return f"{text}, ≤ {f.max_len}" if f.kind in _LIMITED else text


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def field_table(fields: tuple[Field, ...], model: Model = MODEL) -> str:
    """A Markdown table of fields: name, type, required, meaning."""
    lines = ["| Field | Type | Required | Meaning |", "| --- | --- | --- | --- |"]
    for f in fields:
        required = "yes" if f.required and not f.nullable else "no"
        lines.append(f"| `{f.name}` | {_cell(field_type(f, model))} | {required} | {_cell(f.doc)} |")
    return "\n".join(lines) + "\n"


def tables(model: Model = MODEL) -> dict[str, str]:
    """Every generated table of data/README.md by its marker name."""
    out = {"dataset": field_table(model.dataset_fields, model)}
    for k in model.kinds:
        out[f"kind:{k.name}"] = field_table(k.fields, model)
        for f in k.fields:  # a list of mappings: its items' fields (sources, parents)
            if f.kind == "list" and f.item is not None and f.item.kind == "object":
                out.setdefault(f"items:{f.name}", field_table(f.item.fields, model))
    for view in VIEWS:
        rows = [f"| `{c}` | {_cell(doc)} |" for c, doc in view.columns.items()]
        out[f"view:{view.name}"] = "\n".join(["| Column | Meaning |", "| --- | --- |", *rows]) + "\n"
    for name in vocabularies.VOCABULARIES:
        out[f"vocab:{name}"] = vocabulary_table(name)
    return out


def vocabulary_table(name: str) -> str:
    """A Markdown table of a closed vocabulary: value, label, meaning, and for the vocabularies the
    views treat by class (vocabularies.VOCABULARY_CLASSES) how they treat each value."""
    classes = vocabularies.VOCABULARY_CLASSES.get(name)
    head = "| Value | Label | Meaning |" + (" Views treat it as |" if classes else "")
    lines = [head, "| --- | --- | --- |" + (" --- |" if classes else "")]
    for value, (label, doc) in vocabularies.VOCABULARIES[name].items():
        row = f"| `{value}` | {_cell(label)} | {_cell(doc)} |"
        if classes:
            of_value, meanings = classes
            row += f" {_cell(meanings[of_value[value]])} (`{of_value[value]}`) |"
        lines.append(row)
    return "\n".join(lines) + "\n"


class MissingTable(Exception):
    """The README has no marker for a generated table (or a marker for none); the message says which."""


def render(text: str, model: Model = MODEL) -> str:
    """`text` (data/README.md) with every generated table rewritten. Raises MissingTable."""
    made = tables(model)
    found = [m.group("name") for m in BLOCK.finditer(text)]
    unknown = sorted(set(found) - set(made))
    missing = [n for n in made if n not in found]
    if unknown or missing:
        raise MissingTable(
            "; ".join(
                ([f"markers for no table: {', '.join(unknown)}"] if unknown else [])
                + (
                    [
                        f"no place for {', '.join(missing)}: add '<!-- generated: NAME -->' and "
                        "'<!-- end generated -->' lines where each belongs"
                    ]
                    if missing
                    else []
                )
            )
        )
    return BLOCK.sub(lambda m: m.group(1) + made[m.group("name")] + m.group(4), text)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m chatbot_watch.tools.fielddocs", description=__doc__.split("\n")[0])
    ap.add_argument("--readme", type=Path, default=README, help="the file to rewrite (default: data/README.md)")
    ap.add_argument("--check", action="store_true", help="exit 1 if the tables are out of date")
    args = ap.parse_args(argv)
    text = args.readme.read_text(encoding="utf-8")
    try:
        new = render(text)
    except MissingTable as exc:
        print(f"{args.readme}: {exc}")
        return 1
    if args.check:
        if new != text:
            print(f"{args.readme}: field tables out of date; run python -m chatbot_watch.tools.fielddocs")
            return 1
        return 0
    if new != text:
        args.readme.write_text(new, encoding="utf-8")
        print(f"rewrote the generated tables of {args.readme}")
    else:
        print(f"{args.readme}: up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())

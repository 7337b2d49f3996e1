"""Maintainer tool for the translation catalogs (`python -m chatbot_watch.i18n.catalogs extract|update|check`),
with Babel's own extraction and merging.

The messages are the English texts of the code (`_()`, `ngettext()` and `N_()` in `chatbot_watch/`,
`pages/` and `app.py`), the labels of the schema's vocabularies (evidence, action types, statuses,
scopes ...), which the data's tables show, and the data-type labels of `data/data_types.yaml`.
`extract` writes the template `locale/messages.pot`;
`update` merges it into each language's `messages.po` (new messages empty, changed ones fuzzy);
`check` says which messages a catalog lacks, holds only as fuzzy, or translates with other
placeholders than the English, and fails then (the tests run it). A data-type label a catalog lacks
is only a warning: a new data type is data, and shows in English until it is translated."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

import yaml
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from chatbot_watch import i18n, paths
from chatbot_watch.datamodel import vocabularies

TEMPLATE = i18n.LOCALE_DIR / "messages.pot"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None, "counted": (2, 3), "n": (2, 3), "_n": (2, 3)}
# The vocabularies whose labels reach the page (the data's tables and the filters show them).
SHOWN_VOCABULARIES = (
    "EVIDENCE_STATUS",
    "ACTION_TYPES",
    "SCOPES",
    "ACTION_STATUS",
    "PLATFORMS",
    "DATA_CATEGORIES",
    "SOURCE_KINDS",
    "DOCUMENT_ACCESS",
    "AUDITOR_KINDS",
    "COMPANY_KINDS",
    "METHODS",
)
EXPLAINED_VOCABULARIES = ("EVIDENCE_STATUS", "ACTION_TYPES", "SCOPES", "ACTION_STATUS")
PLACEHOLDER = re.compile(r"\{[a-z_]*\}|%\([a-z_]+\)[sd]|%[sd]")


def _code_messages(root: Path) -> Iterable[tuple[str, int, str | tuple[str, str], list[str]]]:
    for folder in (root / "chatbot_watch", root / "pages"):
        for filename, lineno, message, comments, _ctx in extract_from_dir(
            folder, method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=("Translators:",)
        ):
            yield f"{folder.name}/{filename}", lineno, message, comments
    app = root / "app.py"
    if app.exists():
        from babel.messages.extract import extract

        with app.open("rb") as fh:
            for lineno, message, comments, _ctx in extract("python", fh, keywords=KEYWORDS):
                yield "app.py", lineno, message, comments


DATA_LOCATION = "data/data_types.yaml"


def template(root: Path = paths.ROOT) -> Catalog:
    """Every message of the site: the code's, the shown vocabularies' labels and the data types' labels."""
    cat = Catalog(project="Chatbot Watch", version="", msgid_bugs_address="", fuzzy=False)
    for filename, lineno, message, comments in _code_messages(root):
        cat.add(message, locations=[(filename, lineno)], auto_comments=comments)
    for vocab in SHOWN_VOCABULARIES:
        for value, (label, _doc) in vocabularies.VOCABULARIES[vocab].items():
            cat.add(label, locations=[(f"schema:{vocab}", 0)], auto_comments=[f"{vocab}: {value}"])
    for vocab in EXPLAINED_VOCABULARIES:  # their meanings are tables of the About page
        for value, (label, doc) in vocabularies.VOCABULARIES[vocab].items():
            cat.add(doc, locations=[(f"schema:{vocab}:meaning", 0)], auto_comments=[f"{vocab}: {value} ({label})"])
    for value, title in vocabularies.ACTION_TYPE_TITLES.items():  # charts' titles for one type of action
        cat.add(title, locations=[("schema:ACTION_TYPE_TITLES", 0)], auto_comments=[f"ACTION_TYPES: {value}"])
    for group, (_classes, meanings) in vocabularies.VOCABULARY_CLASSES.items():
        for cls, meaning in meanings.items():
            cat.add(meaning, locations=[(f"schema:{group}:class", 0)], auto_comments=[f"class {cls}"])
    types = root / DATA_LOCATION
    if types.exists():
        for item in (yaml.safe_load(types.read_text(encoding="utf-8")) or {}).get("data_types") or []:
            if isinstance(item, dict) and isinstance(item.get("label"), str):
                comment = f"data type {item.get('id')}: {item.get('description', '')}"
                cat.add(item["label"], locations=[(DATA_LOCATION, 0)], auto_comments=[comment])
                if isinstance(item.get("description"), str):
                    about = f"the meaning of the data type {item['label']!r} (About the data)"
                    cat.add(item["description"], locations=[(DATA_LOCATION, 0)], auto_comments=[about])
    return cat


def _from_data(msg: object) -> bool:
    return all(loc == DATA_LOCATION for loc, _line in msg.locations)  # type: ignore[attr-defined]


def _write(cat: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        write_po(fh, cat, width=100, sort_output=False, omit_header=False, include_previous=False)


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh, locale=locale)


def extract(root: Path = paths.ROOT) -> Catalog:
    """Write the template; return it."""
    cat = template(root)
    _write(cat, TEMPLATE)
    return cat


def update(root: Path = paths.ROOT) -> None:
    """Extract, then merge the template into every language's catalog (created when missing)."""
    tmpl = extract(root)
    for lang in i18n.TRANSLATED:
        path = i18n.catalog_path(lang)
        locale = i18n.BABEL_LOCALES[lang]
        cat = _read(path, locale) if path.exists() else Catalog(locale=locale)
        cat.update(tmpl, no_fuzzy_matching=True)
        cat.fuzzy = False  # the header: a compiled catalog needs its plural rules
        cat.project, cat.version = "Chatbot Watch", ""
        cat.copyright_holder = "the Chatbot Watch contributors"
        cat.msgid_bugs_address = "the corrections form of any record page"
        cat.last_translator = cat.language_team = "Chatbot Watch (our own translations; corrections welcome)"
        _write(cat, path)


def _placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def problems(lang: str, root: Path = paths.ROOT, data: bool = False) -> list[str]:
    """What the catalog of `lang` lacks against the code's messages (and the data types' labels with
    `data`): missing, empty or fuzzy translations and translations whose placeholders differ from
    the English."""
    path = i18n.catalog_path(lang)
    if not path.exists():
        return [f"{path}: no catalog (run python -m chatbot_watch.i18n.catalogs update)"]
    cat = _read(path, i18n.BABEL_LOCALES[lang])
    out = []
    for msg in template(root):
        if not msg.id or _from_data(msg) != data:
            continue
        have = cat.get(msg.id)
        key = msg.id if isinstance(msg.id, str) else msg.id[0]
        if have is None:
            out.append(f"{path.name} ({lang}): missing {key!r}")
            continue
        strings = have.string if isinstance(have.string, tuple | list) else (have.string,)
        if not all(strings):
            out.append(f"{path.name} ({lang}): untranslated {key!r}")
        elif have.fuzzy:
            out.append(f"{path.name} ({lang}): fuzzy {key!r}")
        else:
            ids = msg.id if isinstance(msg.id, tuple | list) else (msg.id,)
            want = _placeholders(ids[-1])
            for s in strings:
                if _placeholders(s) != want:
                    out.append(f"{path.name} ({lang}): placeholders of {key!r} differ: {s!r}")
    return out


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m chatbot_watch.i18n.catalogs", description=__doc__.split("\n\n")[0])
    ap.add_argument("command", choices=("extract", "update", "check"))
    args = ap.parse_args(argv)
    if args.command == "extract":
        cat = extract()
        print(f"wrote {TEMPLATE} ({len(cat)} messages)")
    elif args.command == "update":
        update()
        print(f"updated {', '.join(str(i18n.catalog_path(lang)) for lang in i18n.TRANSLATED)}")
    else:
        found = [p for lang in i18n.TRANSLATED for p in problems(lang)]
        for p in found:
            print(p)
        later = [p for lang in i18n.TRANSLATED for p in problems(lang, data=True)]
        for p in later:
            print(f"warning: {p} (a data type's label: shown in English until translated)")
        print(
            f"{len(found)} problem(s) in {len(i18n.TRANSLATED)} catalogs; {len(later)} data-type label(s) to translate"
        )
        return 1 if found else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())

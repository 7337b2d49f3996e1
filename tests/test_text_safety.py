"""Text from a URL, a file or the data reaches the page as text only: no link, image, colour,
icon or autolink forms from it in any element that renders markdown (notices, titles, captions)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st

from chatbot_watch.store.build import build
from chatbot_watch.ui import WORD_JOINER, md
from tests.apptest import open_page

# What an attacker put in URLs and data (issue 13, items 1-2), and variants.
PAYLOADS = [
    "![](https://evil.example/pixel.png)",
    "[Login](https://evil.example)",
    ":red[**SITE COMPROMISED**]",
    ":material/warning: :smile: $x^2$ ~~gone~~",
    "www.evil.example",
    "WWW.evil.example",
    "mail@evil.example",
    "mailto:mail@evil.example xmpp:mail@evil.example",
    "https://evil.example/bare HTTP://evil.example/bare",
    "<https://evil.example> <mail@evil.example>",
    "<img src=https://evil.example/i.png>",
    "line\u2028break\nnext\r\x85end",
]
# Markdown syntax characters that must never reach the renderer unescaped.
_SYNTAX = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
# GFM autolink literals are found in the text *after* escapes are undone.
_AUTOLINK = re.compile(r"(?i)https?://|www\.|[\w.+-]@[\w-]")


def unescaped(markdown: str) -> str:
    """The text the markdown renderer's text-node plugins see (escapes undone)."""
    return re.sub(r"\\(.)", r"\1", markdown)


def assert_inert(markdown: str) -> None:
    """`markdown` renders as plain text: every syntax character escaped, no autolink trigger."""
    bare = re.sub(r"\\.", "", markdown)
    assert not (set(bare) & _SYNTAX), f"unescaped markdown syntax in {markdown!r}"
    assert not _AUTOLINK.search(unescaped(markdown)), f"an autolink can form in {markdown!r}"


# Characters that open markup; static text around escaped data may still use ":" icons and "."
_OPENERS = set("[]()<>!`*_~$@|")


def assert_no_live_markup(markdown: str) -> None:
    """Static markdown around escaped data text: no markup opener and no autolink left unescaped
    (the page's own icons, `:material/name:` written unescaped, are static)."""
    bare = re.sub(r"\\.", "", re.sub(r"^:material/[a-z_]+: ", "", markdown))
    assert not (set(bare) & _OPENERS), f"unescaped markup in {markdown!r}"
    assert not _AUTOLINK.search(unescaped(markdown)), f"an autolink can form in {markdown!r}"


def shown(markdown: str) -> str:
    """The text a visitor reads (escapes undone, the invisible word joiners dropped)."""
    return unescaped(markdown).replace(WORD_JOINER, "")


@pytest.mark.parametrize("text", PAYLOADS)
def test_md_is_inert_and_keeps_the_text(text: str) -> None:
    out = md(text)
    assert_inert(out)
    assert shown(out) == " ".join(text.split())


# --- the app: notices quote the URL, titles quote the data ---------------------------------------


@pytest.fixture
def use_db(monkeypatch: pytest.MonkeyPatch) -> Iterator[callable]:
    def use(path: Path) -> None:
        monkeypatch.setenv("CHATBOT_WATCH_DB", str(path))
        st.cache_resource.clear()

    yield use
    st.cache_resource.clear()


@pytest.mark.parametrize(
    "params",
    [
        {"app": ["![](https://evil.example/pixel.png)"]},
        {"[Login](https://evil.example)": ["1"]},
        {"country": [":red[**SITE COMPROMISED**]"]},
        {"since": ["www.evil.example"], "app": ["mail@evil.example"]},
        {"until": ["https://evil.example/x"], ":material/warning:": ["1"]},
    ],
)
def test_url_values_in_notices_stay_text(use_db: callable, fixture_db: Path, params: dict[str, list[str]]) -> None:
    use_db(fixture_db)
    at = open_page("overview", **params)
    notices = [w.value for w in at.warning]
    assert notices, "the dropped values are reported"
    for n in notices:
        assert_inert(n)
    said = " ".join(shown(n) for n in notices)
    for name, values in params.items():
        for v in values:
            assert v[:40] in said or name[:40] in said


def test_data_text_in_titles_and_notes_stays_text(use_db: callable, tmp_path: Path) -> None:
    from tests.hostile import AUTOLINK_PAYLOAD, write_hostile

    data = write_hostile(tmp_path / "data")
    db = tmp_path / "hostile.duckdb"
    build(data, db)
    use_db(db)
    at = open_page("apps", **{"app": ["deepseek"]})
    title = at.title[0].value
    assert_inert(title)
    assert shown(title).startswith(AUTOLINK_PAYLOAD)
    checked = 0
    texts = [el.value for el in [*at.caption, *at.info, *at.subheader, *at.warning, *at.markdown]]
    texts += [o.content for g in at.get("button_group") for o in g.proto.options]  # the filter chips
    for text in texts:
        if "evil" in text:
            assert_no_live_markup(text)
            checked += 1
    assert checked >= 1


def test_the_export_readme_carries_dataset_text_as_text() -> None:
    from chatbot_watch.store.export import TABLES, readme

    evil = "![pixel](https://evil.example/p.png) [login](https://evil.example) <img src=x> www.evil.example"
    meta = {"title": evil, "description": evil, "publisher": evil, "licence": evil}
    meta |= {"licence_url": "https://creativecommons.org/licenses/by/4.0/", "as_of": "2026-06-30"}
    meta |= {"data_version": "abc", "built_at": "2026-06-30T00:00:00Z"}
    text = readme(meta, {t.name: 0 for t in TABLES})
    assert text.count(md(evil)) == 7  # title and publisher and licence twice, description once
    assert "](https" not in unescaped(text.replace(md(evil), ""))
    assert "evil.example" not in text.replace(md(evil), "")

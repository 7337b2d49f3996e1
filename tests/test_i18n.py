"""In the languages of the countries that act (issue 25): Korean, Japanese, Chinese in Traditional
characters and Italian, chosen by `lang`, in the app, the HTML page written before any script runs
and the API alike; every message of the code in every catalog; names found in any script.

Expected texts are read from the catalogs (and CLDR) rather than written here, and each is checked
to differ from the English, so a message missing from a catalog fails."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from chatbot_watch import i18n, queries, views
from chatbot_watch.datamodel.countries import all_countries
from chatbot_watch.i18n import catalogs
from chatbot_watch.queries import textsearch
from chatbot_watch.views import PAGES
from chatbot_watch.web import previews
from tests.apptest import all_text, open_page
from tests.asgi import Client, web_app

LANGS = i18n.TRANSLATED


def tr(lang: str, message: str) -> str:
    """`message` in `lang`, checked to be translated (a catalog missing it fails here)."""
    with i18n.using(lang):
        out = i18n.gettext(message)
    assert out and out != message, f"{message!r} is not translated into {lang}"
    return out


# ---------------------------------------------------------------------------
# Catalogs
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_every_message_of_the_code_is_translated(lang: str) -> None:
    """No message id of the code (or of the shown vocabularies) is missing, empty, fuzzy or given
    other placeholders in a catalog: `python -m chatbot_watch.i18n.catalogs check`."""
    assert catalogs.problems(lang) == []


def test_the_check_finds_a_message_missing_from_the_catalogs(tmp_path: Path) -> None:
    """The rule on a fixture: a new message in the code is reported for every language."""
    (tmp_path / "chatbot_watch").mkdir()
    (tmp_path / "pages").mkdir()
    (tmp_path / "chatbot_watch" / "new.py").write_text(
        'from chatbot_watch.i18n import _\n\nLABEL = _("A heading no catalog has yet")\n', encoding="utf-8"
    )
    for lang in LANGS:
        found = catalogs.problems(lang, root=tmp_path)
        assert f"{i18n.catalog_path(lang).name} ({lang}): missing 'A heading no catalog has yet'" in found


def test_plural_forms_follow_each_languages_rules() -> None:
    with i18n.using("it"):
        one, many = i18n.counted(1, "{n} finding", "{n} findings"), i18n.counted(3, "{n} finding", "{n} findings")
    assert one != many and one.startswith("1 ") and many.startswith("3 ")
    with i18n.using("ko"):  # one form, whatever the number
        assert i18n.counted(1, "{n} finding", "{n} findings").replace("1", "3") == i18n.counted(
            3, "{n} finding", "{n} findings"
        )
    with i18n.using("en"):
        assert i18n.counted(1_234, "{n} finding", "{n} findings") == "1,234 findings"


def test_lang_values_and_browser_preferences() -> None:
    assert i18n.parse_lang("ko") == "ko"
    assert i18n.parse_lang("zh-hant") == i18n.parse_lang("ZH_Hant") == "zh-Hant"
    assert i18n.parse_lang("fr") is None and i18n.parse_lang("") is None
    assert i18n.preferred("ko-KR,ko;q=0.9,en-US;q=0.8") == "ko"
    assert i18n.preferred("zh-TW,zh;q=0.9") == "zh-Hant"
    assert i18n.preferred("en-GB,en;q=0.9,it;q=0.8") is None
    assert i18n.preferred("it;q=0.5,ja;q=0.9") == "ja"
    assert i18n.preferred("fr-FR") is None


def test_country_names_come_from_cldr() -> None:
    assert i18n.country_name("KR", "South Korea", "ko") == "대한민국"
    assert i18n.country_name("IT", "Italy", "ja") == "イタリア"
    assert i18n.country_name("KR", "South Korea", "en") == "South Korea"


# ---------------------------------------------------------------------------
# The HTML page written before any script runs, and the API
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client(fixture_db: Path) -> Client:
    with pytest.MonkeyPatch.context() as mp:
        yield Client(web_app(mp, fixture_db))


def _root(html: str) -> str:
    return html.split('<div id="root">', 1)[1]


@pytest.mark.parametrize("lang", LANGS)
def test_the_first_paint_is_in_the_language_asked_for(client: Client, lang: str) -> None:
    page = client.get(f"/?lang={lang}").text
    assert f'<html lang="{lang}">' in page
    root = _root(page)
    # Navigation: every page's title in the language, each link keeping it.
    for path, p in PAGES.items():
        title = tr(lang, p.title)
        href = path + ("&" if "?" in path else "?") + f"lang={lang}"
        assert f'<a href="{href}">{title}</a>' in root
    assert tr(lang, "Restrictions in force") in root  # a figure's label
    assert tr(lang, "Most recent events") in root  # a table's caption
    assert tr(lang, "Record") in root  # a column heading
    assert tr(lang, i18n.N_("Corrections to the data")) in root
    # Every link to a page of the site keeps the language (the API and the language switcher aside).
    switcher = re.search(r'<nav [^>]*class="cw-langs">.*?</nav>', root).group(0)
    assert switcher.count("<a ") == len(i18n.LANGUAGES) and 'href="/"' in switcher  # English: the plain URL
    links = re.findall(r'href="(/[^"]*)"', root.replace(switcher, ""))
    assert links
    for href in links:
        if not href.startswith("/api/"):
            assert f"lang={lang}" in href, href
    # Search engines: the same view in every language, the page's own canonical in its language.
    head = page.split("</head>", 1)[0]
    for other in i18n.LANGUAGES:
        assert f'hreflang="{other}"' in head
    assert re.search(rf'<link rel="canonical" href="[^"]*/\?lang={re.escape(lang)}"', head)


def test_a_country_page_names_the_country_as_the_reader_writes_it(client: Client) -> None:
    root = _root(client.get("/countries?country=KR&lang=ko").text)
    assert "<h1>대한민국</h1>" in root
    assert tr("ko", "Actions recorded") in root


def test_a_record_page_keeps_the_datas_own_words(client: Client) -> None:
    root = _root(client.get("/record?id=CA-001&lang=ko").text)
    assert tr("ko", "Fields") in root
    assert tr("ko", i18n.N_("Translation by Chatbot Watch")) in root
    english = _root(client.get("/record?id=CA-001").text)
    # The record's title (the data's words) is the same in both.
    title = re.search(r"<h1>(.*?)</h1>", english).group(1)
    assert f"<h1>{title}</h1>" in root


def test_an_unknown_language_is_said_and_english_shown(client: Client) -> None:
    root = _root(client.get("/restrictions?lang=xx").text)
    assert "The language &#x27;xx&#x27; is not offered; the page is in English." in root
    assert "<h1>Restrictions</h1>" in root


def test_the_api_gives_a_view_in_a_language_and_refuses_an_unknown_one(client: Client) -> None:
    v = client.get("/api/v1/views/restrictions.json?lang=it").json()
    assert v["heading"] == tr("it", "Restrictions")
    assert [f["label"] for f in v["figures"]][0] == tr("it", "Government actions")
    bad = client.get("/api/v1/views/restrictions.json?lang=xx")
    assert bad.status == 400 and bad.json()["parameter"] == "lang"


# ---------------------------------------------------------------------------
# The app
# ---------------------------------------------------------------------------


def test_the_app_is_in_the_language_of_the_url(use_db: callable, fixture_db: Path) -> None:
    use_db(fixture_db)
    at = open_page("countries", country="KR", lang="ko")
    assert at.title[0].value == "대한민국"
    metrics = [m.label for m in at.metric]
    assert tr("ko", "Actions recorded") in metrics
    assert at.sidebar.multiselect[0].label == tr("ko", "Country")
    # The language stays in the URL, so a copied link opens the same language.
    assert at.query_params.get("lang") in (["ko"], "ko")
    text = all_text(at)
    assert tr("ko", "Restrictions") in text


def test_the_language_switcher_names_each_language_in_itself(use_db: callable, fixture_db: Path) -> None:
    use_db(fixture_db)
    at = open_page("overview")
    assert at.sidebar.selectbox[0].options == list(i18n.LANGUAGES.values())


# ---------------------------------------------------------------------------
# Names as people write them
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def con(real_db: Path):  # noqa: ANN201 - a DuckDB connection
    c = queries.connect(str(real_db))
    yield c
    c.close()


def _local(con, kind: str, name: str) -> set[str]:  # noqa: ANN001
    table, owner = ("app_local_names", "app_id") if kind == "app" else ("company_local_names", "company_id")
    return {r for (r,) in con.execute(f"SELECT {owner} FROM {table} WHERE name = $n", {"n": name}).fetchall()}


@pytest.mark.parametrize(
    ("q", "kind", "name"),
    [
        ("딥시크", "app", "딥시크"),
        ("字节跳动", "company", "字节跳动"),
        ("字節跳動", "company", "字节跳动"),  # Traditional finds what is written in Simplified too
        ("バイトダンス", "company", "バイトダンス"),
    ],
)
def test_search_finds_local_names_in_any_script(con, q: str, kind: str, name: str) -> None:  # noqa: ANN001
    expected = _local(con, kind, name)
    assert expected, f"the data no longer writes {name}"
    r = textsearch.search(con, q)
    assert expected <= set(r.loc[r["kind"] == kind, "id"])


def test_search_finds_an_authority_by_its_own_name(con) -> None:  # noqa: ANN001
    acting = {
        r
        for (r,) in con.execute(
            "SELECT id FROM actions WHERE authority LIKE '%개인정보보호위원회%' OR id IN "
            "(SELECT action_id FROM action_documents WHERE issuer LIKE '%개인정보보호위원회%')"
        ).fetchall()
    }
    r = textsearch.search(con, "개인정보보호위원회")
    found = set(r.loc[r["kind"] == "action", "id"])
    assert acting and acting & found


def test_search_finds_a_country_by_its_name_in_the_sites_languages(con) -> None:  # noqa: ANN001
    for q in ("대한민국", "イタリア", "Corea del Sud"):
        r = textsearch.search(con, q)
        assert not r.loc[r["kind"] == "country"].empty, q


def test_every_literal_the_code_translates_is_extracted() -> None:
    """Babel reads no call inside an f-string (Python 3.11) and none made as an attribute
    (`i18n.ngettext(...)`): a text written so would stay English in every language, with the
    catalogs' check passing. Every literal passed to `_`, `N_`, `ngettext`, `counted` or `n` is in
    the template."""
    ids: set[str] = set()
    for msg in catalogs.template():
        ids.update(msg.id if isinstance(msg.id, tuple) else (msg.id,))
    call = re.compile(r'(?<![\w.])(?:_|N_|ngettext|counted|n|_n)\(\s*"((?:[^"\\]|\\.)*)"\s*[,)]')
    root = catalogs.paths.ROOT
    missed = []
    for path in [*(root / "chatbot_watch").rglob("*.py"), *(root / "pages").glob("*.py"), root / "app.py"]:
        for m in call.finditer(path.read_text(encoding="utf-8")):
            text = m.group(1).replace('\\"', '"')
            if "\\" not in text and text not in ids:
                missed.append(f"{path.relative_to(root)}: {text[:60]!r}")
    assert missed == []
    # A string literal inside a call's argument (`_(row["status"])`) is extracted as a message of
    # its own (here "status"), and `_(x or "")` as the empty message, which is gettext's header.
    inside = re.compile(r'(?<![\w.])_\((?!\s*")[^()\n]*(?:\["|or "")')
    bad = [
        f"{path.relative_to(root)}: {m.group(0)}"
        for path in [*(root / "chatbot_watch").rglob("*.py"), *(root / "pages").glob("*.py"), root / "app.py"]
        for m in inside.finditer(path.read_text(encoding="utf-8"))
    ]
    assert bad == []


# ---------------------------------------------------------------------------
# Type that renders
# ---------------------------------------------------------------------------


def _font_files(lang: str) -> list[str]:
    import subprocess

    out = subprocess.run(["fc-list", f":lang={lang}", "file"], capture_output=True, text=True, check=True).stdout
    return sorted({line.strip().rstrip(":") for line in out.splitlines() if line.strip()})


def _not_covered(files: list[str], chars: set[str]) -> set[str]:
    """The characters of `chars` that no font in `files` has a glyph for. Fonts are read one by one
    until every character is found (a CJK collection holds a dozen fonts, each with a cmap of some
    65,000 characters: reading them all took seconds a language)."""
    from fontTools.ttLib import TTCollection, TTFont

    missing = set(chars)
    for path in files:
        fonts = TTCollection(path, lazy=True).fonts if path.endswith(".ttc") else [TTFont(path, lazy=True)]
        for font in fonts:
            if not missing:
                return missing
            cmap = font.getBestCmap() or {}
            missing = {c for c in missing if ord(c) not in cmap}
    return missing


def _written(lang: str, con) -> set[str]:  # noqa: ANN001
    """Every character the site writes in `lang`: its catalog, CLDR's country names, the local names."""
    from babel.messages.pofile import read_po

    with i18n.catalog_path(lang).open("rb") as fh:
        cat = read_po(fh, locale=i18n.BABEL_LOCALES[lang])
    text = [s for m in cat for s in (m.string if isinstance(m.string, tuple) else (m.string,)) if s]
    text += [i18n.country_name(code, "", lang) for code in all_countries()]
    text += [
        n
        for (n,) in con.execute(
            "SELECT name FROM app_local_names UNION SELECT name FROM company_local_names"
        ).fetchall()
    ]
    return {c for c in "".join(text) if ord(c) > 0x2FF and not c.isspace()}


@pytest.mark.parametrize(("lang", "fc_lang"), [("ko", "ko"), ("ja", "ja"), ("zh-Hant", "zh-tw")])
def test_a_font_covers_every_character_the_site_writes(con, lang: str, fc_lang: str) -> None:  # noqa: ANN001
    """The browser and the images the server renders (vl-convert: link previews, chart PNG and SVG)
    draw with the installed fonts: without one covering a character, it shows as a box. `make test`
    and `make run` install Debian's Noto CJK (scripts/ensure_fonts.sh)."""
    files = _font_files(fc_lang)
    assert files, f"no installed font covers {lang}: run scripts/ensure_fonts.sh"
    written = _written(lang, con)
    assert written, lang  # the language's own script is written
    missing = _not_covered(files, written)
    assert missing == set(), "".join(sorted(missing))


def test_a_preview_image_in_korean_is_drawn_from_a_korean_spec(client: Client, fixture_db: Path) -> None:
    """The link-preview image of a Korean page: a PNG, drawn from a spec whose title, legend and
    source line are Korean (the English one has none of them)."""
    r = client.get("/og/countries.png?country=KR&lang=ko")
    assert r.status == 200 and r.headers.get("content-type") == "image/png"
    con = queries.connect(str(fixture_db))
    try:
        specs = {}
        for lang in ("en", "ko"):
            v = views.view(
                con, queries.meta(con), queries.filter_options(con), "/countries", {"country": ["KR"], "lang": [lang]}
            )
            specs[lang] = json.dumps(previews.chart_spec(con, v), ensure_ascii=False)
    finally:
        con.close()
    for text in ("대한민국", tr("ko", "Status"), tr("ko", "Type of action")):
        assert text in specs["ko"] and text not in specs["en"]


def test_apps_and_companies_are_named_as_the_readers_language_writes_them(con) -> None:  # noqa: ANN001
    """Item 3: an app's page and the tables name apps and companies by their local name in the
    reader's language, where the data records one (the English name stays beside it in the heading);
    a language without one keeps the data's name."""
    local = queries.local_names(con, "ko")
    assert ("app", "deepseek") in local, "the data no longer records DeepSeek's Korean name"
    meta, options = queries.meta(con), queries.filter_options(con)
    v = views.view(con, meta, options, "/apps", {"app": ["deepseek"], "lang": ["ko"]})
    assert v.heading == f"{local[('app', 'deepseek')]} (DeepSeek)"
    index = views.view(con, meta, options, "/apps", {"lang": ["ko"]}).tables[0]
    shown = dict(zip(index.frame["app_id"], index.frame["name"], strict=True))
    english = dict(con.execute("SELECT id, name FROM apps").fetchall())
    for app_id, name in shown.items():
        assert name == local.get(("app", app_id), english[app_id])
    if ("app", "deepseek") not in queries.local_names(con, "it"):  # Italian writes it as English does
        assert views.view(con, meta, options, "/apps", {"app": ["deepseek"], "lang": ["it"]}).heading == "DeepSeek"


def test_a_records_vocabulary_values_are_in_the_readers_language(client: Client) -> None:
    """A record's fields keep the data's words, but a vocabulary value shows its label translated
    beside its id ("解除 (lifted)"), as the tables do."""
    root = _root(client.get("/record?id=CA-001&lang=ja").text)
    english = _root(client.get("/record?id=CA-001").text)
    status = re.search(r"<td>status</td><td>([^<]*) \(([a-z_]+)\)</td>", english)
    assert status, "the record page no longer shows its status field"
    assert f"<td>status</td><td>{tr('ja', status.group(1))} ({status.group(2)})</td>" in root

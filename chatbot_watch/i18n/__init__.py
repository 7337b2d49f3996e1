"""The site's languages: English (the messages in the code), Korean, Japanese, Chinese in Traditional
characters and Italian, from gettext catalogs managed with Babel (`chatbot_watch/locale/`), and
Babel's CLDR data for country names and numbers.

The language of what is being drawn is a context variable: a Streamlit run, a web request or a
build of a view sets it (`using`), and `_`/`ngettext` read it, so a view built for `lang=ko` is
Korean in the app, the HTML page and the API alike. Links made meanwhile keep the language
(`with_lang`). Catalogs are read from their `.po` files and compiled in memory once per process
(`python -m chatbot_watch i18n` extracts, updates and checks them)."""

from __future__ import annotations

import gettext as _gettext
import io
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache, lru_cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).with_name("locale")
DOMAIN = "messages"
DEFAULT = "en"
# The site's languages (the `lang` URL parameter), each named in itself for the switcher.
LANGUAGES: dict[str, str] = {
    "en": "English",
    "ko": "한국어",
    "ja": "日本語",
    "zh-Hant": "繁體中文",
    "it": "Italiano",
}
# `lang` value -> Babel's locale identifier (and the catalog's folder).
BABEL_LOCALES: dict[str, str] = {"en": "en", "ko": "ko", "ja": "ja", "zh-Hant": "zh_Hant", "it": "it"}
TRANSLATED = tuple(k for k in LANGUAGES if k != DEFAULT)
# What a reader whose browser prefers the language is offered (in that language), and the note on
# every translated page.
OFFER: dict[str, str] = {
    "ko": "이 사이트를 한국어로 보기",
    "ja": "このサイトを日本語で見る",
    "zh-Hant": "以繁體中文瀏覽本站",
    "it": "Leggi questo sito in italiano",
}

_current: ContextVar[str] = ContextVar("chatbot_watch_lang", default=DEFAULT)


def parse_lang(value: str | None) -> str | None:
    """The site language a `lang` value names (case and `_`/`-` ignored: `zh-hant`, `ZH_Hant`), or
    None when it names none of them."""
    if not value:
        return None
    wanted = value.strip().replace("_", "-").casefold()
    return next((k for k in LANGUAGES if k.casefold() == wanted), None)


def current() -> str:
    """The language being drawn now."""
    return _current.get()


def set_current(lang: str) -> None:
    """Make `lang` the language of what follows in this context (a Streamlit run)."""
    _current.set(lang if lang in LANGUAGES else DEFAULT)


@contextmanager
def using(lang: str) -> Iterator[None]:
    """Draw in `lang` inside the block."""
    token = _current.set(lang if lang in LANGUAGES else DEFAULT)
    try:
        yield
    finally:
        _current.reset(token)


def catalog_path(lang: str) -> Path:
    """The `.po` file of a translated language."""
    return LOCALE_DIR / BABEL_LOCALES[lang] / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(lang: str) -> _gettext.NullTranslations:
    """The compiled catalog of `lang` (English: the messages themselves). A message the catalog
    lacks, or holds only as fuzzy, is shown in English."""
    path = catalog_path(lang) if lang in TRANSLATED else None
    if path is None or not path.exists():
        return _gettext.NullTranslations()
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=BABEL_LOCALES[lang])
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    buf.seek(0)
    return _gettext.GNUTranslations(buf)


def gettext(message: str) -> str:
    """`message` in the current language."""
    if not message:
        return message
    return translations(current()).gettext(message)


_ = gettext


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of `singular`/`plural` for the count `n`, in the current language (its own plural rules)."""
    return translations(current()).ngettext(singular, plural, n)


def counted(n: int, singular: str, plural: str) -> str:
    """`n` with its noun in the current language and number: `counted(3, "{n} finding", "{n} findings")`."""
    return ngettext(singular, plural, n).format(n=number(n))


def N_(message: str) -> str:  # noqa: N802 - gettext's name for "mark for extraction only"
    """Mark `message` for the catalogs without translating it here (a constant translated where it is shown)."""
    return message


def translate_values(values: Mapping[str, str]) -> dict[str, str]:
    """A mapping's values (headings, labels) in the current language."""
    return {k: gettext(v) for k, v in values.items()}


@lru_cache(maxsize=64)
def _locale(lang: str) -> Locale:
    return Locale.parse(BABEL_LOCALES.get(lang, DEFAULT))


def country_name(code: str, english: str = "", lang: str | None = None) -> str:
    """A country's (or the EU's) name in the current language, from CLDR; `english` (the data's
    name) when CLDR has none or the language is English."""
    lang = lang or current()
    if lang == DEFAULT or not code:
        return english or code
    try:
        name = _locale(lang).territories.get(str(code).upper())
    except UnknownLocaleError:  # pragma: no cover - the languages are fixed
        name = None
    return name or english or code


def number(value: int) -> str:
    """A whole number as the current language writes it (digit grouping)."""
    from babel.numbers import format_decimal

    return format_decimal(value, locale=_locale(current()))


def with_lang(url: str, lang: str | None = None) -> str:
    """`url` (a path with a query) with `lang=` added when the language is not English, so a link
    keeps the reader's language."""
    lang = lang or current()
    if lang == DEFAULT or "lang=" in url.partition("?")[2]:
        return url
    from urllib.parse import quote

    return url + ("&" if "?" in url else "?") + "lang=" + quote(lang)


def preferred(accept_language: str) -> str | None:
    """The site's translated language a browser's Accept-Language prefers over English (`ko-KR,
    ko;q=0.9,en;q=0.8` -> `ko`; `zh-TW` and `zh-HK` -> `zh-Hant`), or None when English comes first
    or none is offered."""
    ranked = []
    for i, part in enumerate(accept_language.split(",")[:20]):
        tag, _sep, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        ranked.append((-q, i, tag.strip().casefold()))
    for _q, _i, tag in sorted(ranked):
        if tag.startswith("en"):
            return None
        if tag in ("zh-tw", "zh-hk", "zh-mo") or tag.startswith("zh-hant"):
            return "zh-Hant"
        base = tag.split("-")[0]
        if base in ("ko", "ja", "it"):
            return base
    return None


def html_lang(lang: str | None = None) -> str:
    """The `<html lang>` value of the current language."""
    return lang or current()

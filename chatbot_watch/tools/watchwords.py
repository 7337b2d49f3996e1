"""The words `watch` looks for in news items: action words and country hints, in every covered language.

Kept here, in one place, so a maintainer can add a word without reading the rest of `watch.py`.
A word ending in `*` matches any ending (`investigat*`: investigate, investigation,
investigating); any other word matches whole. Words in a Latin, Greek or Cyrillic script match
only at word edges (`ban` does not match `bank`, and `DeepSeek` matches in `DeepSeek를`); words in
Chinese, Japanese or Korean match anywhere, since those scripts are written without spaces and
Korean adds particles to a word (`금지` in `금지했다`). Matching ignores case; accents are compared
as written (list both spellings where the press uses both, as in `prohíbe` and `prohibe`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Words that say a government did something to an app or a company (ban, block, suspend,
# investigate, fine, order ...). Grouped by language for whoever edits them; all are used together,
# since a Korean article may quote an English press release.
ACTION_WORDS: dict[str, tuple[str, ...]] = {
    "en": (
        "ban", "bans", "banned", "banning", "block", "blocks", "blocked", "blocking", "suspend*", "suspension*",
        "investigat*", "probe", "probes", "probed", "probing", "inquiry", "fine", "fines", "fined", "penalt*",
        "order", "orders", "ordered", "prohibit*", "restrict*", "halt", "halts", "halted", "removed from",
        "pulled from", "sanction*", "enforcement", "complaint", "lawsuit", "sued", "sues",
    ),
    "ko": ("금지", "차단", "중단", "조사", "과징금", "과태료", "제재", "시정명령", "삭제", "처분", "권고"),
    "ja": ("禁止", "停止", "調査", "制裁金", "行政指導", "命令", "罰金", "遮断", "削除"),
    "zh": ("禁止", "禁用", "封禁", "下架", "调查", "調查", "罚款", "罰款", "约谈", "約談", "处罚", "處罰"),
    "it": (
        "vieta", "vietato", "vietata", "divieto", "blocca", "bloccato", "bloccata", "blocco", "sanzion*",
        "indagine", "istruttoria", "limitazione", "multa", "provvediment*", "sospes*", "sospensione",
    ),
    "fr": (
        "interdit", "interdite", "interdiction", "bloque", "bloqué", "bloquée", "blocage", "enquête",
        "amende", "sanction*", "mise en demeure", "suspend*",
    ),
    "de": (
        "verbot", "verboten", "verbietet", "sperre", "gesperrt", "sperrt", "bußgeld", "untersuchung",
        "ermittl*", "prüfverfahren", "strafe", "anordnung",
    ),
    "es": (
        "prohíbe", "prohibe", "prohibición", "prohibido", "bloquea", "bloqueo", "bloqueado", "multa",
        "investigación", "investiga", "sanción", "sanciona", "suspende", "suspensión",
    ),
    "pt": (
        "proíbe", "proibição", "proibido", "bloqueia", "bloqueio", "bloqueado", "multa", "investigação",
        "investiga", "sanção", "suspende", "suspensão",
    ),
}  # fmt: skip

# Words that name the country acting, for a lead's likely country: the country in the language of
# its press and in the others', and its data-protection authority. A name of the country the app
# comes from ("Chinese AI app") would mislead, so China has none.
COUNTRY_HINTS: dict[str, tuple[str, ...]] = {
    "KR": ("south korea", "korea's", "pipc", "한국", "국내", "개인정보위", "개인정보보호위원회", "韓国", "韓國"),
    "IT": ("italy", "italy's", "italia", "italiano", "garante", "이탈리아", "イタリア", "意大利", "義大利"),
    "JP": ("japan", "japan's", "日本", "個人情報保護委員会", "일본"),
    "TW": ("taiwan", "臺灣", "台灣", "台湾", "대만", "數位發展部"),
    "FR": ("france", "france's", "cnil", "프랑스", "フランス", "法国", "法國"),
    "DE": ("germany", "germany's", "deutschland", "bundesdatenschutz*", "독일", "ドイツ", "德国", "德國"),
    "ES": ("spain", "spain's", "españa", "aepd", "스페인", "スペイン", "西班牙"),
    "NL": ("netherlands", "dutch", "autoriteit persoonsgegevens", "네덜란드"),
    "IE": ("ireland", "irish data protection", "아일랜드"),
    "BR": ("brazil", "brasil", "anpd", "브라질", "ブラジル", "巴西"),
    "AU": ("australia", "australian", "oaic", "esafety", "호주", "オーストラリア", "澳大利亚", "澳洲"),
    "IN": ("india", "india's", "인도"),
    "CA": ("canada", "canadian", "캐나다"),
    "US": ("united states", "u.s.", "texas", "virginia", "new york", "ftc", "미국", "米国", "美国", "美國"),
    "EU": ("european union", "edpb", "european commission", "유럽연합", "欧州連合", "欧盟"),
}

_CJK = "\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
# A letter or digit of a spaced script: what must not touch a Latin word for it to match whole.
_SPACED = rf"[^\W{_CJK}]"


def _is_cjk(ch: str) -> bool:
    return re.match(f"[{_CJK}]", ch) is not None


def term_pattern(word: str) -> str:
    """The regular expression for one word of the lists above (or one name of an app or company)."""
    stem = word.removesuffix("*")
    body = re.escape(stem)
    if not _is_cjk(stem[0]):
        body = f"(?<!{_SPACED})" + body
    if word.endswith("*"):
        body += f"{_SPACED}*"
    elif not _is_cjk(stem[-1]):
        body += f"(?!{_SPACED})"
    return body


def compile_terms(words: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern matching any of `words` (longest first), ignoring case; None for no words."""
    unique = sorted({w for w in words if w.strip("*")}, key=lambda w: (-len(w), w))
    if not unique:
        return None
    return re.compile("|".join(term_pattern(w) for w in unique), re.IGNORECASE)


def all_action_words() -> list[str]:
    """Every action word of every language, once."""
    return sorted({w for words in ACTION_WORDS.values() for w in words})

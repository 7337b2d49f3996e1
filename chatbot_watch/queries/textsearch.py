"""Search as a journalist types it: apps, companies, countries and records by name, alias or id,
and findings and actions by what they say and who said it: the app they concern, the authority
or auditor, the publisher of any of their sources, the words of their quotes (as printed and in
our translation), claims and primary documents' titles.

Matching ignores case, accents and character width ("deepseek", "DEEPSEEK", "Ｄｅｅｐ",
"Commissione" ~ "commissione", "Protección" ~ "proteccion"), and treats Simplified and Traditional
Chinese as one (字节跳动 ~ 字節跳動, with OpenCC's tables). Apps and companies are found by their
local names (딥시크, バイトダンス) and countries by their names in the site's languages (CLDR). Results are
ranked: a name or id before a match in who acted or published, before a match in the text; within
each, exact before starting with before containing. Each kind keeps at most PER_KIND results, and `kind_total` says
how many matched in all, so a page can say what it leaves out."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import opencc
import pandas as pd

from chatbot_watch import i18n
from chatbot_watch.datamodel.countries import all_countries, country_aliases
from chatbot_watch.queries import Con, _df

PER_KIND = 50
MAX_QUERY = 80
KIND_ORDER = {"country": 0, "app": 1, "company": 2, "finding": 3, "action": 4}
COLUMNS = ["kind", "id", "label", "matched", "kind_total"]
# Where a match was made, strongest first: a name or id, who acted or published, the text.
NAME, WHO, TEXT = 0, 1, 2


def fold(text: str) -> str:
    """`text` as search compares it: width-folded (NFKC), case-folded, without accents."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    # Marks dropped, then composed again (Hangul syllables), as DuckDB's strip_accents does.
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


@lru_cache(maxsize=2)
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def variants(folded: str) -> list[str]:
    """A folded query and its Simplified and Traditional Chinese forms (distinct; the query itself
    first), so either script finds text written in the other."""
    out = [folded]
    for config in ("t2s", "s2t"):
        other = _converter(config).convert(folded)
        if other not in out:
            out.append(other)
    return out


def simplified(text: str) -> str:
    """`text` folded and in Simplified characters: how matches are ranked, whatever the script."""
    return _converter("t2s").convert(fold(text))


@lru_cache(maxsize=1)
def country_names() -> tuple[tuple[str, str], ...]:
    """(name, code) of every country in each of the site's languages (CLDR: 대한민국, 韓國, Corea del Sud)."""
    codes = all_countries()
    out = []
    for lang in i18n.TRANSLATED:
        for code in codes:
            name = i18n.country_name(code, "", lang)
            if name:
                out.append((name, code))
    return tuple(out)


# Every searchable text of every record, with where it was found (NAME, WHO, TEXT); DuckDB folds
# case and accents (lower, strip_accents), Python the query (fold), so both sides compare alike.
_SQL = """
WITH f AS (SELECT f.id, f.id || ': ' || f.auditor || ' on ' || a.name AS label, a.id AS app_id
           FROM findings f JOIN apps a ON a.id = f.app_id),
     ac AS (SELECT id, id || ': ' || coalesce(subdivision_name, country_name) || ', ' || authority AS label
            FROM actions),
     app_local AS (SELECT app_id, list(name) AS names FROM app_local_names GROUP BY app_id),
     company_local AS (SELECT company_id, list(name) AS names FROM company_local_names GROUP BY company_id),
     app_all AS (SELECT id, name, [id, name] || coalesce(aliases, []) || coalesce(l.names, []) AS names
                 FROM apps LEFT JOIN app_local l ON l.app_id = apps.id),
     app_names AS (SELECT id AS app_id, unnest(names) AS name FROM app_all),
     texts AS (
  SELECT 'app' AS kind, id, name AS label, unnest(names) AS matched, 0 AS place
  FROM app_all
  UNION ALL SELECT 'company', id, name,
         unnest([id, name] || coalesce(aliases, []) || coalesce(legal_names, []) || coalesce(l.names, [])), 0
  FROM companies LEFT JOIN company_local l ON l.company_id = companies.id
  UNION ALL SELECT 'finding', id, label, id, 0 FROM f
  UNION ALL SELECT 'action', id, label, id, 0 FROM ac
  UNION ALL SELECT 'finding', f.id, f.label, x.auditor, 1 FROM f JOIN findings x ON x.id = f.id
  UNION ALL SELECT 'action', id, label, authority, 1 FROM ac JOIN actions USING (id)
  UNION ALL SELECT 'finding', f.id, f.label, n.name, 1 FROM f JOIN app_names n USING (app_id)
  UNION ALL SELECT 'action', ac.id, ac.label, n.name, 1
  FROM ac JOIN action_apps aa ON aa.action_id = ac.id JOIN app_names n ON n.app_id = aa.app_id
  UNION ALL SELECT 'finding', f.id, f.label, s.publisher, 1
  FROM f JOIN record_sources s ON s.record_kind = 'finding' AND s.record_id = f.id
  UNION ALL SELECT 'action', ac.id, ac.label, s.publisher, 1
  FROM ac JOIN record_sources s ON s.record_kind = 'action' AND s.record_id = ac.id
  UNION ALL SELECT 'finding', f.id, f.label, unnest([s.quote, s.translation]), 2
  FROM f JOIN record_sources s ON s.record_kind = 'finding' AND s.record_id = f.id
  UNION ALL SELECT 'action', ac.id, ac.label, unnest([s.quote, s.translation]), 2
  FROM ac JOIN record_sources s ON s.record_kind = 'action' AND s.record_id = ac.id
  UNION ALL SELECT 'finding', f.id, f.label, unnest(x.data_described), 2 FROM f JOIN findings x ON x.id = f.id
  UNION ALL SELECT 'action', id, label, action_described, 2 FROM ac JOIN actions USING (id)
  UNION ALL SELECT 'finding', f.id, f.label, d.title, 2 FROM f JOIN finding_documents d ON d.finding_id = f.id
  UNION ALL SELECT 'action', ac.id, ac.label, d.title, 2 FROM ac JOIN action_documents d ON d.action_id = ac.id
)
SELECT kind, id, label, matched, place FROM texts
WHERE matched IS NOT NULL AND (contains(strip_accents(lower(matched)), $q)
      OR contains(strip_accents(lower(matched)), $q2) OR contains(strip_accents(lower(matched)), $q3))
"""


def _snippet(text: str, folded_q: str, width: int = 70) -> str:
    """The part of a long `text` around the match (folding keeps positions for most scripts)."""
    if len(text) <= width:
        return text
    at = max(0, fold(text).find(folded_q))
    start = max(0, min(at - width // 3, len(text) - width))
    return ("…" if start else "") + text[start : start + width] + ("…" if start + width < len(text) else "")


def search(con: Con, q: str) -> pd.DataFrame:
    """What matches `q`, best first (see the module's doc). Columns: kind (country, app, company,
    finding, action), id, label, matched (the text matched, cut around the match), kind_total."""
    text = " ".join(q.split())[:MAX_QUERY]
    folded = fold(text)
    if not folded:
        return pd.DataFrame(columns=COLUMNS)
    forms = variants(folded)
    padded = (forms + [forms[0]] * 3)[:3]
    rows = _df(con, _SQL, {"q": padded[0], "q2": padded[1], "q3": padded[2]})
    names = [*country_aliases().items(), *country_names()]
    countries = [
        ("country", code, all_countries().get(code, code), alias, NAME)
        for alias, code in names
        if any(q in fold(alias) for q in forms)
    ]
    countries += [
        ("country", code, name, code, NAME) for code, name in all_countries().items() if code.casefold() == folded
    ]
    found = pd.concat([rows, pd.DataFrame(countries, columns=rows.columns)], ignore_index=True)
    if found.empty:
        return pd.DataFrame(columns=COLUMNS)
    m = found["matched"].map(simplified)
    key = simplified(text)
    found["rank"] = found["place"] * 2 + (m != key).astype(int) + (~m.str.startswith(key)).astype(int)
    found["kind_rank"] = found["kind"].map(KIND_ORDER)
    found = found.sort_values(["kind_rank", "rank", "label"]).drop_duplicates(["kind", "id"])
    found["kind_total"] = found.groupby("kind")["id"].transform("size")
    found = found.groupby("kind", sort=False).head(PER_KIND)
    found["matched"] = [_snippet(str(t), folded) for t in found["matched"]]
    found = found.sort_values(["rank", "kind_rank", "label"])
    return found[COLUMNS].reset_index(drop=True)

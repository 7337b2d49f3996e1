"""Search finds what a journalist types (issue 24, item 2): a publisher, an authority by name or
acronym, an app's findings and actions, in any case, accent or width, and says how many of each
kind matched. Expected records are read from the database itself, so a new record cannot break it."""

from __future__ import annotations

from pathlib import Path

import pytest

from chatbot_watch import queries
from chatbot_watch.queries import textsearch
from chatbot_watch.views.search import caption
from tests.apptest import open_page


@pytest.fixture(scope="module")
def con(real_db: Path):  # noqa: ANN201 - a DuckDB connection
    c = queries.connect(str(real_db))
    yield c
    c.close()


def ids(con, sql: str, **params: str) -> set[str]:  # noqa: ANN001
    return {r for (r,) in con.execute(sql, params).fetchall()}


def found(con, q: str, kind: str) -> set[str]:  # noqa: ANN001
    r = textsearch.search(con, q)
    return set(r.loc[r["kind"] == kind, "id"])


def test_a_publisher_finds_every_record_citing_it(con) -> None:  # noqa: ANN001
    r = textsearch.search(con, "Reuters")
    for kind in ("finding", "action"):
        citing = ids(
            con,
            "SELECT DISTINCT record_id FROM record_sources"
            " WHERE record_kind = $k AND lower(publisher) LIKE '%reuters%'",
            k=kind,
        )
        listed = set(r.loc[r["kind"] == kind, "id"])
        assert citing, kind
        if len(citing) <= textsearch.PER_KIND:
            assert citing <= listed, (kind, sorted(citing - listed))
        else:  # more than a page lists: the count says so
            assert len(listed) == textsearch.PER_KIND and int(r.loc[r["kind"] == kind, "kind_total"].iat[0]) >= len(
                citing
            )


@pytest.mark.parametrize("q", ["PIPC", "Garante", "개인정보보호위원회"])
def test_an_authority_finds_its_actions(con, q: str) -> None:  # noqa: ANN001
    theirs = ids(con, "SELECT id FROM actions WHERE contains(lower(authority), lower($q))", q=q)
    listed = found(con, q, "action")
    assert theirs
    assert theirs <= listed if len(theirs) <= textsearch.PER_KIND else len(listed) == textsearch.PER_KIND


def test_an_app_finds_its_findings_and_counts_its_actions(con) -> None:  # noqa: ANN001
    r = textsearch.search(con, "deepseek")
    findings = ids(con, "SELECT id FROM findings WHERE app_id = 'deepseek'")
    actions = ids(con, "SELECT action_id FROM action_apps WHERE app_id = 'deepseek'")
    assert findings <= set(r.loc[r["kind"] == "finding", "id"])
    listed = set(r.loc[r["kind"] == "action", "id"])
    assert len(listed) == min(len(actions), textsearch.PER_KIND)
    total = int(r.loc[r["kind"] == "action", "kind_total"].iat[0])
    assert total >= len(actions)  # its actions, and those that quote its name
    text = caption(r, "deepseek")
    assert f"{total} government actions" in text
    assert (f"(the first {textsearch.PER_KIND} government actions listed)" in text) == (total > textsearch.PER_KIND)
    assert (r["kind"].iat[0], r["id"].iat[0]) == ("app", "deepseek")


@pytest.mark.parametrize("q", ["ＤｅｅｐＳｅｅｋ", "DEEPSEEK", "deepseek"])
def test_case_and_width_do_not_matter(con, q: str) -> None:  # noqa: ANN001
    assert (textsearch.search(con, q)["id"].iat[0]) == "deepseek"


def test_accents_do_not_matter() -> None:
    assert textsearch.fold("Protección de Datos") == textsearch.fold("PROTECCION DE DATOS") == "proteccion de datos"
    assert textsearch.fold("딥시크") == "딥시크"  # Hangul is composed again after marks are dropped


def test_the_search_page_says_how_many_of_each_kind(use_db: callable, real_db: Path) -> None:
    use_db(real_db)
    at = open_page("search", q="Garante")
    heading = " ".join(s.value for s in at.subheader).replace("\\", "")
    assert "results for “Garante”: " in heading and "government actions" in heading
    labels = [p.proto.label.replace("\\", "") for p in at.get("page_link")]
    assert any(label.startswith("Action: CA-") for label in labels), labels

"""A record's page (fields, sources with their full quotes, history, corrections) and search results."""

from __future__ import annotations

import secrets
from typing import Any

import pandas as pd
import streamlit as st

from chatbot_watch import i18n
from chatbot_watch.datamodel import vocabularies
from chatbot_watch.i18n import N_, _, translate_values
from chatbot_watch.mdtext import md
from chatbot_watch.reading.urls import shown_url
from chatbot_watch.tools.corrections import correction_url
from chatbot_watch.ui.state import data_version, settings
from chatbot_watch.ui.tables import table
from chatbot_watch.views import columns
from chatbot_watch.web.clients import client_address

_RESULT_PAGES = {
    "app": ("pages/apps.py", "app"),
    "company": ("pages/companies.py", "company"),
    "country": ("pages/countries.py", "country"),
    "finding": ("pages/record.py", "id"),
    "action": ("pages/record.py", "id"),
}

_RESULT_WHAT = {
    "app": N_("App"),
    "company": N_("Company"),
    "country": N_("Country"),
    "finding": N_("Finding"),
    "action": N_("Action"),
}


def search_results(found: pd.DataFrame | None, q: str, caption: str = "") -> None:
    """Search results under `caption` (the view's), each a link to its page (app report card,
    company, country profile, record)."""
    if not q:
        st.info(_("Type a name, an alias or a record id (AF-001, CA-010)."))
        return
    if found is None or found.empty:
        st.info(
            _(
                "Nothing found for “{q}”. Try part of a name (Deep), an alias (UK), an authority (PIPC), a "
                "publisher (Reuters) or an id (AF-0)."
            ).format(q=md(q))
        )
        return
    st.subheader(md(caption), anchor=False)
    for row in found.itertuples(index=False):
        page, param = _RESULT_PAGES[row.kind]
        value = row.id
        what = _(_RESULT_WHAT[row.kind])
        if str(row.matched).casefold() in (str(row.label).casefold(), str(row.id).casefold()):
            label = _("{kind}: {name}").format(kind=what, name=row.label)
        else:
            label = _("{kind}: {name} (matched “{matched}”)").format(kind=what, name=row.label, matched=row.matched)
        st.page_link(page, label=md(label), query_params={param: value})


# A record an id names, by its kind (queries.RECORD_KINDS), as a link's label.
_THE_RECORD = {
    "finding": N_("The finding “{id}”"),
    "action": N_("The action “{id}”"),
    "app": N_("The app “{id}”"),
    "company": N_("The company “{id}”"),
}


def record_lookup(raw: str, matches: list[tuple[str, str]]) -> None:
    """The record page without exactly one record: a box for an id, or the records an id names."""
    if raw.strip() and not matches:
        st.warning(
            _(
                "No record has the id “{id}”. Ids look like AF-001 (findings), CA-001 (actions), "
                "or an app's or company's short name (deepseek)."
            ).format(id=md(raw))
        )
    for kind, rid in matches:
        label = _(_THE_RECORD[kind]).format(id=rid) if kind in _THE_RECORD else f"{kind} “{rid}”"
        st.page_link("pages/record.py", label=label, query_params={"id": f"{kind}:{rid}"})
    typed = st.text_input(_("Record id"), value="", placeholder="AF-001, CA-001, deepseek", key="record_id_box")
    if typed.strip():
        st.query_params["id"] = typed.strip()[:80]
        st.rerun()


_LINK_PAGES = {"apps": "pages/apps.py", "companies": "pages/companies.py", "countries": "pages/countries.py"}

_LINK_WHAT = {"apps": N_("App"), "companies": N_("Company"), "countries": N_("Country")}


def record_links(links: list[tuple[str, str, str, str]]) -> None:
    """Links from a record to the pages of the app, company and country it names."""
    if not links:
        return
    cols = st.columns(min(len(links), 4))
    for i, (page, label, param, value) in enumerate(links):
        with cols[i % len(cols)]:
            shown = _("{kind}: {name}").format(kind=_(_LINK_WHAT[page]), name=md(label))
            st.page_link(_LINK_PAGES[page], label=shown, query_params={param: value})


TRANSLATION_LABEL = N_("Translation by Chatbot Watch")
SOURCE_KIND_WORDS = {
    "primary": N_("primary source: the authority's own publication"),
    "direct": N_("direct report: quotes the authority verbatim"),
    "secondary": N_("secondary source: a paraphrase, repost or summary"),
}
NOT_REVIEWED = N_("kind not yet reviewed")


def source_kind_words(kind: Any) -> str:
    """What a source is, in words, for its heading ("not yet reviewed" when unclassified)."""
    return _(SOURCE_KIND_WORDS.get(kind, NOT_REVIEWED) if _given(kind) else NOT_REVIEWED)


def record_sources(sources: pd.DataFrame) -> None:
    """Each source of a record: publisher, what kind of source it is, dates, the full verbatim quote
    in its own language (as text), our English translation labelled as ours, and its link."""
    for row in sources.itertuples(index=False):
        published = _given(row.published)
        if _given(row.accessed):
            dates = (
                _("published {published}, accessed {accessed}")
                if published
                else _("publication date not given, accessed {accessed}")
            ).format(published=row.published, accessed=row.accessed)
        elif published:
            dates = _("published {published}").format(published=row.published)
        else:
            dates = _("publication date not given")
        kind = source_kind_words(getattr(row, "kind", None))
        heading = f"**{row.position + 1}. {md(row.publisher)}**"
        if row.position == 0:
            heading = _("{source} (main source)").format(source=heading)
        st.markdown(f"{heading} · {md(kind)} · {md(dates)}")
        lang = getattr(row, "language", None)
        st.markdown("> " + md(row.quote))
        if _given(lang) and lang != "en":
            st.caption(_("Quoted in {language}, as printed.").format(language=md(language_name(lang))))
        translation = getattr(row, "translation", None)
        if _given(translation):
            st.markdown(f"*{_(TRANSLATION_LABEL)}:* {md(translation)}")
        st.link_button(_("Open the source ({host})").format(host=md(source_host(row.url))), row.url)


def language_name(code: str) -> str:
    """A quote's language by name, in the reader's language (CLDR's name; the schema's English label
    in English, or when CLDR has none)."""
    english = vocabularies.label("LANGUAGES", code)
    if i18n.current() == i18n.DEFAULT:
        return english
    from babel import Locale

    try:
        name = Locale.parse(i18n.BABEL_LOCALES[i18n.current()]).languages.get(str(code).replace("-", "_"))
    except (ValueError, LookupError):  # pragma: no cover - the languages are fixed
        name = None
    return name or english


def record_documents(documents: pd.DataFrame) -> None:
    """The primary documents behind a finding or an action: issuer, title, date, whether we read a
    copy, and its link where one is public."""
    if documents.empty:
        st.caption(_("No primary document named yet: the record rests on its sources below."))
        return
    for row in documents.itertuples(index=False):
        date = f"({md(row.date)})" if _given(row.date) else _("(date not known)")
        read = _("a copy was read") if row.access == "read" else _("known from reports; no copy read")
        st.markdown(f"- **{md(row.issuer)}**: {md(row.title)} {date} · {read}")
        if _given(row.url):
            st.link_button(_("Open the document ({host})").format(host=md(source_host(row.url))), row.url)


def _given(value: Any) -> bool:
    return value is not None and not (isinstance(value, float) and pd.isna(value)) and str(value) != ""


def record_fields(fields: list[tuple[str, str]]) -> None:
    """Every field of a record in full (long notes wrap; nothing is cut off), as escaped text."""
    lines = ["| " + " | ".join(_(h) for h in columns.FIELDS.values()) + " |", "| --- | --- |"]
    missing = "*" + _("not recorded") + "*"
    lines += [f"| {md(name)} | {md(value) if value else missing} |" for name, value in fields]
    st.markdown("\n".join(lines))


def source_host(url: str) -> str:
    """The host a source link opens, as the browser resolves it (punycode for a mixed-script host,
    the same rule as the tables' source links; urls.shown_url)."""
    from urllib.parse import urlsplit

    return (urlsplit(shown_url(url)).hostname or "").removeprefix("www.")


def record_history(history: pd.DataFrame) -> None:
    """A record's rows of the change log, or a line saying none is recorded."""
    if history.empty:
        st.caption(
            _(
                "No change to this record is in the change log (it starts with the first build of this copy of the "
                "data)."
            )
        )
        return
    table(
        history,
        translate_values(columns.HISTORY),
        link_cols=(),
    )  # fmt: skip


def correction_button(kind: str, record_id: str) -> None:
    """A "report a correction" button for one record, when a repository is configured."""
    repo = settings().repository_url
    if repo:
        st.link_button(
            _("Report a correction to this record"),
            correction_url(repo, kind, record_id, None, st.context.url or ""),
        )


# Under each claim table: where a reader checks a row and reports a correction.
RECORD_HINT = N_(
    "Click an id for its record: every field, its sources with their full quotes, and a form to report a correction."
)


def correction_form(kind: str, record_id: str, fields: list[str]) -> None:
    """A record's "Report a correction" form: stored in the local corrections inbox (validated,
    rate-limited; what was sent is shown back as plain text only); with a repository configured,
    the pre-filled issue link as well."""
    from chatbot_watch.tools import inbox

    s = settings()
    with st.expander(_("Report a correction to this record"), icon=":material/edit_note:"):
        st.caption(
            _(
                "Tell the maintainers what is wrong and which public source shows it. They check every report "
                "against its source before changing anything; nothing you send is published."
            )
        )
        any_field = _("Not sure, or several")
        # A reader of a translated page can report the translation itself (issue 25): its "field" is
        # translation_<lang>, and the page's address stands for the source when none is given.
        lang = i18n.current()
        translation = f"translation_{lang.replace('-', '_').lower()}" if lang != i18n.DEFAULT else ""
        choices = [any_field, *([translation] if translation else []), *fields]
        shown = {translation: _("The translation of this page ({language})").format(language=i18n.LANGUAGES[lang])}
        with st.form(f"correction-{kind}-{record_id}", enter_to_submit=False):
            field = st.selectbox(_("Field (optional)"), choices, format_func=lambda v, shown=shown: shown.get(v, v))
            wrong = st.text_area(_("What is wrong?"), max_chars=inbox.LIMITS["what_is_wrong"])
            right = st.text_area(_("The correct value"), max_chars=inbox.LIMITS["correct_value"])
            source = st.text_input(
                _("Source that shows it (an https:// or http:// address)"),
                max_chars=inbox.LIMITS["source_url"],
                help=_("For a mistake in the translation, this page's address is used when you leave it empty.")
                if translation
                else None,
            )
            contact = st.text_input(
                _("Your contact (optional; seen only by the maintainers)"), max_chars=inbox.LIMITS["contact"]
            )
            sent = st.form_submit_button(_("Send the correction"))
        if sent:
            if translation and field == translation and not source.strip():
                source = st.context.url or ""
            report = inbox.Report(kind, record_id, wrong, right, source, "" if field == any_field else field,
                                  contact, data_version())  # fmt: skip
            # A random token per browser session, for the per-session limit (the inbox stores its hash);
            # the client's address (a trusted proxy's X-Forwarded-For, else the connection's) for the
            # per-address limit, which a reload (a new session) does not reset.
            token = st.session_state.setdefault("_correction_session", secrets.token_hex(16))
            address = client_address(
                st.context.ip_address, st.context.headers.get_all("X-Forwarded-For"), s.trusted_proxies
            )
            try:
                number = inbox.submit(s.corrections_db, report, token, address=address)
            except inbox.Invalid as exc:
                st.error(_("Nothing was sent. Please correct: ") + "; ".join(
                    f"{inbox.LABELS.get(f, f)}: {md(m)}" for f, m in exc.problems))  # fmt: skip
            except inbox.RateLimited as exc:
                st.warning(md(str(exc)))
            except inbox.InboxError:
                st.error(_("The corrections inbox cannot be written just now; nothing was sent."))
            else:
                st.success(
                    _("Thank you: correction {number} is in the maintainers' inbox. What they received:").format(
                        number=number
                    )
                )
                st.text(inbox.details(inbox.get(s.corrections_db, number)))  # type: ignore[arg-type]
        if s.repository_url:
            st.link_button(
                _("Or open a pre-filled issue in the project's repository"),
                correction_url(s.repository_url, kind, record_id, None, st.context.url or ""),
            )

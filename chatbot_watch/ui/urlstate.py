"""The shared filters and the URL: sidebar widgets <-> query parameters (allow-listed, aliases read as
the canonical value), embed mode, the filters each page applies (with the applied-filter chips),
page links and page switches requested by callbacks."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import streamlit as st

from chatbot_watch import i18n, queries, views
from chatbot_watch.filters import (
    ALL_PARAMS,
    COUNTRY_ROLES,
    DATE_PARAMS,
    DEFAULT_COUNTRY_ROLE,
    IGNORED_PARAMS,
    LIST_PARAMS,
    PAGE_FILTERS,
    PAGE_PARAMS,
    SITE_PARAMS,
    Filters,
    parse_query,
    parse_typed_date,
)
from chatbot_watch.i18n import N_, _
from chatbot_watch.mdtext import md
from chatbot_watch.ui.state import _RUN, current_filters, query

FILTER_LABELS = {
    "country": N_("Country"),
    "company": N_("Company"),
    "data_type": N_("Data type"),
    "app": N_("App"),
    "evidence": N_("Evidence status"),
    "action_type": N_("Action type"),
    "since": N_("From date"),
    "until": N_("To date"),
    "country_role": N_("Country, for data flows"),
    "app_country": N_("App's developer based in"),
    "not_app_country": N_("App's developer not based in"),
}

FILTER_HELP = {
    "company": N_(
        "A company and the companies it owns (through today's ownership chain): flows to them, and "
        "actions naming them or concerning the apps they develop."
    ),
    "app_country": N_(
        "Data flows from apps whose developer (the company that makes the app) is based in the country. Apps "
        "whose developer's country is not recorded are left out; the page says how many findings."
    ),
    "not_app_country": N_(
        "Data flows from apps whose developer is known to be based elsewhere. Apps whose developer's country "
        "is not recorded are left out; the page says how many findings."
    ),
}

# Why a filter does not apply on a page, said next to "Not applied on this page".
NOT_APPLIED_WHY = {
    "evidence": N_("government actions have no evidence status"),
    "data_type": N_("government actions name no data types"),
    "action_type": N_("data flows are findings, not actions"),
    "country_role": N_("it only changes what the country filter means for data flows"),
    "app_country": N_("only the Data flows and Companies pages read the app's developer"),
    "not_app_country": N_("only the Data flows and Companies pages read the app's developer"),
}

COUNTRY_ROLE_LABELS = {
    "recipient": N_("Data going there, or to companies based there"),
    "based_in": N_("Data sent to companies based there"),
    "examiner": N_("Found by its regulators and agencies"),
}
LANG_KEY = "lang"

GOTO_KEY = "_goto_page"

LAST_QUERY_KEY = "_last_query"


def _current_query() -> dict[str, list[str]]:
    return {k: st.query_params.get_all(k) for k in st.query_params}


def current_lang() -> str:
    """This run's language: the URL's `lang` when it names one of the site's languages, else the
    one this session chose last (switching pages keeps it), else English. Sets it for the run."""
    raw = st.query_params.get("lang")
    lang = i18n.parse_lang(raw) if raw else None
    if lang is None:
        lang = st.session_state.get(LANG_KEY) or i18n.DEFAULT
        if raw:
            st.session_state["_lang_notice"] = raw[:20]
    st.session_state[LANG_KEY] = lang
    i18n.set_current(lang)
    return lang


def lang_notice(lang: str) -> None:
    """A notice when the URL's `lang` named no language of the site; for a browser preferring one
    of the site's other languages, a one-line offer in that language to switch."""
    asked = st.session_state.pop("_lang_notice", None)
    if asked:
        offered = ", ".join(f"{k} ({name})" for k, name in i18n.LANGUAGES.items())
        st.warning(
            md(
                _("The language '{asked}' is not offered; the page is in {language}. Offered: {offered}.").format(
                    asked=asked, language=i18n.LANGUAGES[lang], offered=offered
                )
            ),
            icon=":material/translate:",
        )
    if lang != i18n.DEFAULT or "lang" in st.query_params or st.session_state.get("_lang_offered"):
        return
    preferred = i18n.preferred(st.context.headers.get("Accept-Language", "") if st.context.headers else "")
    if preferred:
        st.session_state["_lang_offered"] = True
        # A button, not a link: Streamlit opens Markdown links in a new tab.
        with st.container(horizontal=True, vertical_alignment="center"):
            st.caption(md(i18n.OFFER[preferred]))
            st.button(
                i18n.LANGUAGES[preferred],
                key="lang_offer",
                icon=":material/translate:",
                on_click=_switch_lang,
                args=(preferred,),
            )


def _switch_lang(lang: str) -> None:
    """Callback: read the site in `lang` from the next run on (the URL follows)."""
    st.session_state[LANG_KEY] = lang
    st.query_params["lang"] = lang


def _lang_chosen() -> None:
    """Callback of the language picker: the language of the next run (and of the URL)."""
    chosen = st.session_state.get("_lang_picker")
    st.session_state[LANG_KEY] = chosen if chosen in i18n.LANGUAGES else i18n.DEFAULT
    if st.session_state[LANG_KEY] == i18n.DEFAULT:
        st.query_params.pop("lang", None)
    else:
        st.query_params["lang"] = st.session_state[LANG_KEY]


def language_picker() -> None:
    """The language switcher (each language named in itself), on every page."""
    st.session_state["_lang_picker"] = i18n.current()
    st.selectbox(
        "Language · 언어 · 言語 · 語言 · Lingua",
        options=list(i18n.LANGUAGES),
        format_func=i18n.LANGUAGES.__getitem__,
        key="_lang_picker",
        on_change=_lang_chosen,
    )
    if i18n.current() != i18n.DEFAULT:
        st.caption(
            md(
                _(
                    "This page is translated by Chatbot Watch; the data's quotes stay in their own language. Report a "
                    "translation mistake with the corrections form of any record page."
                )
            )
        )


def sidebar_filters() -> Filters:
    """Draw the shared filters in the sidebar, synchronised with the URL; return them.

    A URL that differs from the one this session last wrote (a deep link, an edited URL, the
    Back button) sets the filters; otherwise the widgets hold them and the URL follows them.
    Switching pages keeps them, because the widgets live in app.py, outside any page.
    """
    options = query(queries.filter_options)
    raw = _current_query()
    filter_pairs = tuple((k, v) for k in ALL_PARAMS for v in raw.get(k, ()))
    last = st.session_state.get(LAST_QUERY_KEY)
    notices: list[str] = []
    if filter_pairs and filter_pairs != last or (last is None):
        result = parse_query(raw, options, query(queries.filter_aliases))
        notices = result.notices
        f = result.filters
        for name in LIST_PARAMS:
            st.session_state[name] = list(getattr(f, name))
        for name in DATE_PARAMS:
            _set_date(name, getattr(f, name))
        st.session_state["country_role"] = f.country_role

    with st.sidebar:
        language_picker()
        search_box()
        st.markdown("### " + _("Filters"))
        for name in LIST_PARAMS:
            # Labels made here, in the run's language: a widget's value is matched to its label later,
            # outside this run's context (so no lookup of the language may happen then).
            labels = {v: filter_value_label(name, v, options[name]) for v in options[name]}
            st.multiselect(
                _(FILTER_LABELS[name]),
                options=list(labels),
                format_func=lambda v, labels=labels: labels.get(v, v),
                key=name,
                placeholder=_("All"),
                # Typing "Italy" + Enter picks the highlighted option, never "Select N matches", and
                # matches by substring rather than fuzzily (no "US Minor Outlying Islands" for "Italy").
                select_all=False,
                filter_mode="contains",
                help=_(FILTER_HELP[name]) if name in FILTER_HELP else None,
            )
            if name == "country":
                st.radio(
                    _("For data flows, a country means"),
                    options=list(COUNTRY_ROLES),
                    format_func={k: _(v) for k, v in COUNTRY_ROLE_LABELS.items()}.__getitem__,
                    key="country_role",
                    help=_(
                        "Data flows can concern a country in three ways: the data goes there or to a company "
                        "based there; only to a company based there; or a regulator or agency of that country "
                        "found it."
                    ),
                )
        # Full width (not two columns): the whole date stays readable in the box.
        # Typed dates (Enter applies; a year or a month is enough), not Streamlit's segmented date
        # picker, where typing "2025-01-01" gave "5010-02-02" and a date applied only on blur.
        for name in DATE_PARAMS:
            st.text_input(
                _(FILTER_LABELS[name]),
                key=f"{name}_text",
                placeholder=_("YYYY-MM-DD, YYYY-MM or YYYY"),
                on_change=_date_typed,
                args=(name,),
                max_chars=10,
                help=_(
                    "Press Enter to apply. A year or a month is enough (2025, 2025-02). Records without any date "
                    "are left out while a date is set; each page says how many."
                ),
            )
            if st.session_state.get(f"_{name}_error"):
                st.caption(md(st.session_state[f"_{name}_error"]))
        st.button(_("Clear all filters"), on_click=_clear_filters, width="stretch")

    f = Filters(
        **{name: tuple(v for v in st.session_state.get(name) or () if v in options[name]) for name in LIST_PARAMS},
        since=st.session_state.get("since"),
        until=st.session_state.get("until"),
        country_role=st.session_state.get("country_role") or DEFAULT_COUNTRY_ROLE,
    )
    if f.since and f.until and f.since > f.until:
        notices.append(_("The 'From date' is after the 'To date': the date range is not applied."))
        f = f.without(*DATE_PARAMS)
    pairs = f.to_query()
    wanted_lang = [] if i18n.current() == i18n.DEFAULT else [i18n.current()]
    if (
        tuple(pairs) != filter_pairs
        or any(k not in ALL_PARAMS + IGNORED_PARAMS for k in raw)
        or raw.get("lang", []) != wanted_lang
    ):
        # Parameters a page reads itself (the record id, the search) stay in the URL; Streamlit
        # keeps its own embed parameters itself.
        kept = [(k, v) for k in PAGE_PARAMS for v in raw.get(k, ())[:1]]
        if i18n.current() != i18n.DEFAULT:  # the language stays in the URL on every page
            kept += [(k, i18n.current()) for k in SITE_PARAMS]
        st.query_params.from_dict(_group(pairs + kept))
    st.session_state[LAST_QUERY_KEY] = tuple(pairs)
    for n in notices:  # they quote the URL: text only
        st.warning(md(n), icon=":material/warning:")
    return f


def embed_mode() -> bool:
    """Whether the page is asked for in embed mode (`?embed=true`: inside an article's iframe)."""
    return bool(st.context.is_embedded)


def url_filters() -> Filters:
    """The shared filters read from the URL alone (embed mode: no widgets), with the same notices."""
    result = parse_query(_current_query(), query(queries.filter_options), query(queries.filter_aliases))
    for n in result.notices:
        st.warning(md(n), icon=":material/warning:")
    return result.filters


def _group(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for k, v in pairs:
        out.setdefault(k, []).append(v)
    return out


def _set_date(name: str, value: dt.date | None) -> None:
    """A date filter and the text of its box."""
    st.session_state[name] = value
    st.session_state[f"{name}_text"] = value.isoformat() if value else ""
    st.session_state[f"_{name}_error"] = ""


def _date_typed(name: str) -> None:
    """Callback: the date typed in a box (Enter or leaving it) becomes the filter, or says what is wrong."""
    text = str(st.session_state.get(f"{name}_text") or "").strip()
    if not text:
        _set_date(name, None)
        return
    day = parse_typed_date(text, end=(name == "until"))
    if day is None:
        st.session_state[f"_{name}_error"] = _("'{text}' is not a date: type 2025-02-15, 2025-02 or 2025.").format(
            text=text[:10]
        )
        return
    _set_date(name, day)


def _clear_filters() -> None:
    for name in LIST_PARAMS:
        st.session_state[name] = []
    for name in DATE_PARAMS:
        _set_date(name, None)
    st.session_state["country_role"] = DEFAULT_COUNTRY_ROLE


def set_filter(name: str, values: list[str]) -> None:
    """Callback helper: set one shared filter (takes effect on the rerun)."""
    st.session_state[name] = values


def request_page(page_key: str, params: dict[str, str] | None = None) -> None:
    """Callback helper: ask app.py to switch to a page on the next run (with these URL parameters)."""
    st.session_state[GOTO_KEY] = (page_key, params)


def pop_requested_page() -> tuple[str | None, dict[str, str] | None]:
    """The page a callback asked for and its URL parameters, if any (cleared once read)."""
    asked = st.session_state.pop(GOTO_KEY, None)
    return asked if isinstance(asked, tuple) else (asked, None)


def search_box() -> None:
    """One box that finds apps, companies, countries and record ids, and opens the search page."""

    def go() -> None:
        text = " ".join(str(st.session_state.get("search_box") or "").split())[:80]
        if text:
            request_page("search", {"q": text})
        st.session_state["search_box"] = ""

    st.text_input(
        _("Search"),
        key="search_box",
        placeholder=_("App, company, authority, publisher or AF-001"),
        on_change=go,
        help=_("Finds apps, companies and countries by name or alias, and records by id; Enter opens the results."),
    )


def page_url(path: str, f: Filters) -> str:
    """Absolute URL of a page with the filters, for citations."""
    base = (st.context.url or "").split("?")[0]
    if "://" in base:
        scheme_host = base.split("://", 1)
        host = scheme_host[1].split("/", 1)[0]
        base = f"{scheme_host[0]}://{host}"
    q = urlencode(f.to_query())
    return i18n.with_lang(f"{base}/{path.strip('/')}" + (f"?{q}" if q else ""))


def filter_chips() -> None:
    """The filters this page applies, as chips above its content (on every width): clicking one
    removes that filter value."""
    chips = getattr(_RUN, "chips", [])
    if not chips:
        return
    if embed_mode():  # no widgets to change in an embedded view: say what it shows
        st.caption(md(_("Filters:") + " " + "; ".join(label for _n, _v, label in chips)))
        return
    keys = [f"{n}={v}" for n, v, _label in chips]
    # Pill labels are markdown: values from the URL and the data are made inert.
    shown = {f"{n}={v}": f"{md(label)}  ✕" for n, v, label in chips}
    widget = "chips-" + "&".join(keys)

    def remove() -> None:
        kept = set(st.session_state.get(widget) or ())
        for n, v, _label in chips:
            if f"{n}={v}" in kept:
                continue
            if n in LIST_PARAMS:
                st.session_state[n] = [x for x in st.session_state.get(n) or [] if x != v]
            elif n in DATE_PARAMS:
                _set_date(n, None)
            else:
                st.session_state[n] = DEFAULT_COUNTRY_ROLE

    st.pills(
        _("Filters applied here (click one to remove it)"),
        options=keys,
        selection_mode="multi",
        default=keys,
        format_func=shown.__getitem__,
        key=widget,
        on_change=remove,
    )


def filter_value_label(name: str, value: str, labels: dict[str, str] | None = None) -> str:
    """A filter value as a visitor reads it, in the reader's language ("South Korea", "대한민국",
    "Confirmed by a regulator")."""
    if name == "country_role":
        label = _(COUNTRY_ROLE_LABELS.get(value, value))
        return label.lower() if i18n.current() == i18n.DEFAULT else label
    options = {name: labels} if labels is not None else query(queries.filter_options)
    return views.option_label(name, value, options)


def page_filters(page: str) -> Filters:
    """The filters this page applies (the rest of the shared filters stay in the sidebar and the
    URL for other pages), with a line saying which are applied here and which are not, and why.
    Pages pass the result to their queries, downloads, citation and footer, which therefore name
    only what was applied."""
    f = current_filters()
    _RUN.page = "" if page == "overview" else page
    _RUN.filter_note = ""
    _RUN.chips = []
    applies = PAGE_FILTERS[page]
    here = f.only(applies)
    applied = here.active()
    ignored = [n for n in f.active() if n not in applies]
    parts = []
    chips: list[tuple[str, str, str]] = []  # (filter, value, what the chip says)
    for n in applied:
        value = getattr(here, n)
        values = value if isinstance(value, tuple) else (value.isoformat() if hasattr(value, "isoformat") else value,)
        chips += [(n, str(v), f"{_(FILTER_LABELS[n])}: {filter_value_label(n, v)}") for v in values]
    _RUN.chips = chips
    if here.company:
        group = query(queries.company_group, here.company)
        owned = [str(x) for x in group["name"]]
        parts.append(
            md(_("Company: includes the companies it owns today: {names}.").format(names=", ".join(owned)))
            if owned
            else md(_("Company: no company owned by it is recorded."))
        )
    if ignored:
        lower = i18n.current() == i18n.DEFAULT
        why = "; ".join(
            (_(FILTER_LABELS[n]).lower() if lower else _(FILTER_LABELS[n]))
            + (f" ({_(NOT_APPLIED_WHY[n])})" if n in NOT_APPLIED_WHY else "")
            for n in ignored
        )
        parts.append("**" + _("Not applied on this page:") + "** " + md(why) + ".")
    if here.country and "country" in applies and page in ("flows", "companies", "overview"):
        role = filter_value_label("country_role", here.country_role)
        parts.append(md(_("For data flows, country means: {role}.").format(role=role)))
    # Drawn by `header`, under the page's title, so it sits next to the content it describes.
    _RUN.filter_note = " ".join(parts)
    return here


def _current_page() -> str:
    return str(getattr(_RUN, "page", ""))


def page_path(path: str, f: Filters) -> str:
    """Site-relative URL of a page with the filters, for links inside the app (never built from
    the request's host)."""
    q = urlencode(f.to_query())
    return i18n.with_lang(f"/{path.strip('/')}" + (f"?{q}" if q else ""))

"""Page furniture: title with the as-of date, plain-language answers, notes on what a view leaves out
(undated records, nothing matching), evidence legend, citation and embed snippet, footer, pickers."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

import streamlit as st

from chatbot_watch import i18n, queries, views
from chatbot_watch.filters import DATE_PARAMS, Filters
from chatbot_watch.i18n import _, counted, ngettext
from chatbot_watch.mdtext import md
from chatbot_watch.ui.state import _RUN, meta, query, settings
from chatbot_watch.ui.urlstate import FILTER_LABELS, _current_page, filter_chips, page_path, page_url, set_filter
from chatbot_watch.views.wording import date_line


def header(title: str, question: str, line: str = "") -> None:
    """Page title (escaped: it may come from the data), the question the page answers and the
    date line (`line`, the view's; first screen: a screenshot always carries its date)."""
    st.title(md(title), anchor=False)
    st.caption(f"{md(question)} **{md(line or date_line(meta()))}.**")
    filter_chips()
    note = getattr(_RUN, "filter_note", "")
    if note:
        st.caption(note)


def answers(a: dict[str, Any]) -> None:
    """The first screen's answers, in plain words written from the data."""
    from chatbot_watch.views.wording import headline_sentences

    st.markdown("\n".join(f"- {md(s)}" for s in headline_sentences(a, meta()["as_of"])))


def data_note(f: Filters) -> None:
    """The as-of date and data version of what is shown, and the filters it applies."""
    m = meta()
    applied = f.describe() if f.active() else _("no filters")
    st.caption(
        f"{md(date_line(m, f.country))} · "
        + _("version {version} · filters: {filters}").format(version=m["data_version"], filters=md(applied))
    )


def undated_note(f: Filters, kinds: tuple[str, ...] = ("actions", "findings")) -> None:
    """With a date range set: how many records the range leaves out because they have no date,
    and a link to the same view without the range, where they are."""
    if not f.has_dates():
        return
    counts = query(queries.undated, f)
    left = [(counts[k], k) for k in kinds if counts[k]]
    if not left:
        return
    what = _(" and ").join(
        counted(count, "{n} action", "{n} actions") if k == "actions" else counted(count, "{n} finding", "{n} findings")
        for count, k in left
    )
    text = ngettext(
        "The date range leaves out {what} that has no date at all.",
        "The date range leaves out {what} that have no date at all.",
        sum(count for count, _k in left),
    ).format(what=what)
    link = _("Same view without the date range")
    st.caption(f":material/event_busy: {text} [{link}]({page_path(_current_page(), f.without(*DATE_PARAMS))})")


def nothing_matches(what: str, f: Filters, fixed: tuple[str, ...] = ()) -> None:
    """An empty state: nothing matches, with the applied filters a visitor can relax (each a link
    to the same view without it; `fixed` ones, such as a profile's country, are not offered);
    never an empty chart."""
    active = tuple(n for n in f.active() if n not in fixed)
    if not active:
        st.info(_("No {what} recorded as of {as_of}.").format(what=_(what), as_of=meta()["as_of"]))
        return
    links = " · ".join(
        "[" + _("without {filter}").format(filter=_filter_word(n)) + f"]({page_path(_current_page(), f.without(n))})"
        for n in active
    )
    st.info(
        _("Nothing matches: no {what} with these filters. Relax a filter: {links}").format(what=_(what), links=links)
    )


def _filter_word(name: str) -> str:
    """A filter's label inside a sentence ("country"; other languages keep their case)."""
    label = _(FILTER_LABELS[name])
    return label.lower() if i18n.current() == i18n.DEFAULT else label


def evidence_legend() -> None:
    """Say what separates a confirmed finding from an allegation."""
    st.caption(
        _(
            "Evidence: **confirmed** = confirmed by a regulator, acknowledged by the company, observed by an auditor "
            "or stopped after being established; **declared** = the company's own privacy label or policy; "
            "**claimed** = reported by the press, alleged or disputed. See About the data for the scale."
        )
    )


def feed_links(f: Filters) -> None:
    """Links to the Atom feeds of events (overall, and for the filtered countries and apps) and of
    corrections to the data."""
    feeds = settings().feeds_dir
    links = [(_("All events"), "changes")]
    links += [(_("Events concerning {name}").format(name=c), f"country-{c}") for c in f.country]
    links += [(_("Events concerning {name}").format(name=a), f"app-{a}") for a in f.app]
    links += [(_("Corrections to the data"), "corrections")]
    shown = [
        f"[{md(label)}](/app/static/feeds/{name}.xml)" for label, name in links if (feeds / f"{name}.xml").exists()
    ]
    if shown:
        st.caption(_("Follow (Atom):") + " " + " · ".join(shown))


def citation(title: str, url: str) -> str:
    """How to cite a view: title, as-of date, data version, URL and today's date."""
    m = meta()
    accessed = dt.date.today().isoformat()
    version = m["data_version"]
    site = settings().site_title
    return _("{site}, “{title}”, data as of {as_of} (version {version}), {url} (accessed {accessed}).").format(
        site=site, title=title, as_of=m["as_of"], version=version, url=url, accessed=accessed
    )


def _citation_body(text: str, embed: str) -> None:
    st.code(text, language=None, wrap_lines=True)
    st.caption(_("The copy button is at the top right of the citation. The link reopens exactly this view."))
    st.markdown("**" + _("Embed this view") + "**")
    st.code(embed, language="html", wrap_lines=True)
    st.caption(
        _(
            "Paste it into an article: the same view, without the sidebar and menus, with its filters; it keeps "
            "showing the latest data."
        )
    )
    st.caption(
        _("To embed one chart or table alone, sized to it, use “Embed this chart” or “Embed this table” next to it.")
    )


def embed_snippet(title: str, url: str) -> str:
    """An iframe that shows `url` in Streamlit's chrome-free embed mode (`embed=true`)."""
    src = url + ("&" if "?" in url else "?") + "embed=true"
    return (
        f'<iframe src="{html.escape(src, quote=True)}" title="{html.escape(f"Chatbot Watch: {title}", quote=True)}" '
        'width="100%" height="900" style="border:0" loading="lazy"></iframe>'
    )


def cite(title: str, url: str) -> None:
    """A 'Cite this view' button that opens the citation, ready to copy.

    A dialog, not an expander: its code block (and the syntax-highlighting script behind it,
    about a quarter of a second of a reader's first page load) is made only when asked for.
    """
    label = _("Cite this view")
    if st.button(label, icon=":material/format_quote:", key="cite-view"):
        # The dialog's title is set per run, in the reader's language.
        st.dialog(label, width="large")(_citation_body)(citation(title, url), embed_snippet(title, url))


def footer(title: str, path: str, f: Filters) -> None:
    """The as-of line and the citation, at the bottom of every page."""
    st.divider()
    cite(title, page_url(path, f))
    data_note(f)


def chosen(selected: tuple[str, ...]) -> str | None:
    """The one value a profile page shows: the first value of its filter, if any."""
    return selected[0] if selected else None


def picker(name: str, selected: tuple[str, ...], options: dict[str, str], label: str) -> None:
    """A selector for a profile page; picking sets the shared filter, so the URL names the profile."""
    current = chosen(selected)
    choices = list(selected) if len(selected) > 1 else list(options)
    key = f"pick_{name}_{current}_{len(selected)}"
    # Labels made now, in the run's language (a country by its CLDR name), never looked up later.
    shown = {v: views.option_label(name, v, {name: options}) for v in choices}

    def on_change() -> None:
        picked = st.session_state.get(key)
        if picked:
            set_filter(name, [picked])

    if len(selected) > 1:
        st.caption(
            _("Several values are selected in the {filter} filter; showing one at a time.").format(
                filter=_filter_word(name)
            )
        )
    st.selectbox(
        label,
        options=choices,
        index=choices.index(current) if current in choices else None,
        format_func=shown.__getitem__,
        key=key,
        on_change=on_change,
        placeholder=label,
    )

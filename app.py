"""Chatbot Watch entry point: page config, shared filters, navigation. Nothing else."""

import streamlit as st

from chatbot_watch import paths, ui
from chatbot_watch.config import ConfigError
from chatbot_watch.i18n import _
from chatbot_watch.views import PAGES


def main() -> None:
    """Configure the page, draw the shared filters, run the selected page."""
    embed = ui.embed_mode()
    try:
        settings, problem = ui.settings(), None
    except ConfigError as exc:
        settings, problem = None, exc
    st.set_page_config(
        page_title=settings.site_title if settings else "Chatbot Watch",
        page_icon=str(paths.STATIC_DIR / "favicon.png"),
        layout="wide",
        initial_sidebar_state="collapsed" if embed else "auto",
    )
    if settings is None:
        st.error(f"Chatbot Watch cannot start: the settings file is invalid. {ui.md(problem)}")
        st.stop()
    ui.ensure_database(settings)
    lang = ui.current_lang()  # `?lang=ko`, kept across pages; every text below is in it
    # Every page's title, path and icon come from its view's declaration (views.<page>.PAGE); the
    # titles are set per run, in the reader's language.
    pages = {
        page.key: st.Page(
            f"pages/{page.key}.py",
            title=_(page.title),
            url_path=page.path.strip("/"),
            icon=page.icon,
            default=page.path == "/",
        )
        for page in PAGES.values()
    }
    # Embed mode (`?embed=true`, for articles): the view alone, no navigation or filter widgets.
    page = st.navigation(list(pages.values()), position="hidden" if embed else "sidebar")
    goto, params = ui.pop_requested_page()
    if goto in pages:
        st.switch_page(pages[goto], query_params=params)
    st.session_state["filters"] = ui.url_filters() if embed else ui.sidebar_filters()
    ui.lang_notice(lang)
    # The tab keeps the page's own title (the server-rendered page's), not the site's name alone.
    st.set_page_config(page_title=ui.tab_title(PAGES["/" + page.url_path].key))
    key = PAGES["/" + page.url_path].key
    part = ui.asked_part()  # `?embed=true&part=map`: one chart or table alone, for an article
    with ui.inside_app():
        if part:
            ui.embed_part(key, part)
        else:
            page.run()


if __name__ == "__main__":
    main()

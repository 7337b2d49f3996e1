"""Chatbot Watch entry point: page config, shared filters, navigation. Nothing else."""

import streamlit as st

from chatbot_watch import paths, ui
from chatbot_watch.config import ConfigError
from chatbot_watch.firstpaint import PAGES


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
    pages = {
        "overview": st.Page(
            "pages/overview.py", title=PAGES["/"][1], url_path="", icon=":material/public:", default=True
        ),
        "flows": st.Page("pages/flows.py", title=PAGES["/flows"][1], url_path="flows", icon=":material/swap_horiz:"),
        "restrictions": st.Page(
            "pages/restrictions.py", title=PAGES["/restrictions"][1], url_path="restrictions", icon=":material/block:"
        ),
        "countries": st.Page(
            "pages/countries.py", title=PAGES["/countries"][1], url_path="countries", icon=":material/flag:"
        ),
        "apps": st.Page("pages/apps.py", title=PAGES["/apps"][1], url_path="apps", icon=":material/chat:"),
        "companies": st.Page(
            "pages/companies.py", title=PAGES["/companies"][1], url_path="companies", icon=":material/domain:"
        ),
        "about": st.Page("pages/about.py", title=PAGES["/about"][1], url_path="about", icon=":material/info:"),
        "search": st.Page("pages/search.py", title=PAGES["/search"][1], url_path="search", icon=":material/search:"),
        "record": st.Page(
            "pages/record.py", title=PAGES["/record"][1], url_path="record", icon=":material/description:"
        ),
    }
    # Embed mode (`?embed=true`, for articles): the view alone, no navigation or filter widgets.
    page = st.navigation(list(pages.values()), position="hidden" if embed else "sidebar")
    goto, params = ui.pop_requested_page()
    if goto in pages:
        st.switch_page(pages[goto], query_params=params)
    st.session_state["filters"] = ui.url_filters() if embed else ui.sidebar_filters()
    # The tab keeps the page's own title (the server-rendered page's), not the site's name alone.
    st.set_page_config(page_title=ui.tab_title("/" + page.url_path))
    with ui.inside_app():
        page.run()


if __name__ == "__main__":
    main()

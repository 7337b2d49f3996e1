"""The open-web layer around the Streamlit app: the HTTP API, the plain HTML pages (first paint
and static edition), link previews, feeds, health checks and security middleware. `web.app`
builds the routes and middleware serve.py gives `st.App`."""

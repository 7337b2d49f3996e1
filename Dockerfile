# Chatbot Watch: one app process per container, with its own read-only copy of the database.
#
#   docker build -t chatbot-watch .
#   docker run -p 8501:8501 -e STREAMLIT_SERVER_COOKIE_SECRET=<same secret for every replica> \
#       -e CHATBOT_WATCH_BASE_URL=https://<your public host name> chatbot-watch
#
# CHATBOT_WATCH_BASE_URL is the site's public address: every absolute link (canonical, og:url,
# og:image, robots.txt, the sitemap) names it, and a request for any other Host than it (or
# config.yaml's allowed_hosts: localhost names) gets 400. The default below serves
# http://localhost:8501 only; set yours.
#
# The database is built from data/ when the image is built (stage 1), so every container (replica) reads
# its own copy and a data change ships as a new image. Several replicas need sticky sessions at
# the load balancer: see deploy/nginx.conf, deploy/kubernetes.yaml and docs/benchmarks.md.
# Stage 1 builds the database and its feeds from data/ with the repository's history (the change
# log and the feeds come from the git history of data/, chatbot_watch/store/history.py), so the image
# tells the same history as any clone. Build from a full clone: a shallow one has less history.
FROM python:3.11-slim AS build

ENV PYTHONDONTWRITEBYTECODE=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update && apt-get install -y --no-install-recommends git fonts-noto-cjk fontconfig && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY requirements.txt ./
RUN pip install -r requirements.txt
COPY . .
RUN git config --global --add safe.directory /src \
    && python -m chatbot_watch build --no-cache --data data --out /out/build/chatbot_watch.duckdb --feeds /out/feeds

# Stage 2: the app, without git, the repository's history or the build's caches.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    CHATBOT_WATCH_DB=/app/build/chatbot_watch.duckdb \
    CHATBOT_WATCH_BASE_URL=http://localhost:8501

WORKDIR /app
COPY requirements.txt ./
RUN pip install -r requirements.txt

# The app, its data and .streamlit/config.toml (headless, static serving, no error details);
# the database and its Atom feeds (served from static/feeds, config.yaml) from stage 1.
COPY app.py serve.py config.yaml LICENSE ./
COPY .streamlit .streamlit
COPY chatbot_watch chatbot_watch
COPY pages pages
COPY static static
COPY data data
COPY deploy/streamlit_nodelay.py deploy/streamlit_nodelay.py
COPY --from=build /out/build/ /app/build/
COPY --from=build /out/feeds/ /app/static/feeds/
RUN useradd --uid 10001 --no-create-home --shell /usr/sbin/nologin app \
    && chmod 0444 "$CHATBOT_WATCH_DB" \
    && chown app /app/build
# The database file stays read-only; its folder is writable by the app because it opens each build
# under a hard link beside the file (chatbot_watch/store/database.py).
USER app

EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=40s --retries=3 \
    CMD python -c "import sys, urllib.request; r = urllib.request.urlopen('http://127.0.0.1:8501/readyz', timeout=4); sys.exit(0 if r.status == 200 else 1)"

# serve.py = app.py plus the HTTP API, server-rendered first paint, link previews and /healthz, /readyz.
# deploy/streamlit_nodelay.py = `streamlit run` with TCP_NODELAY on its sockets (docs/benchmarks.md).
CMD ["python", "deploy/streamlit_nodelay.py", "run", "serve.py", "--server.port=8501", "--server.address=0.0.0.0"]

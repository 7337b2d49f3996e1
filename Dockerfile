# Chatbot Watch: one app process per container, with its own read-only copy of the database.
#
#   docker build -t chatbot-watch .
#   docker run -p 8501:8501 -e STREAMLIT_SERVER_COOKIE_SECRET=<same secret for every replica> chatbot-watch
#
# The database is built from data/ when the image is built, so every container (replica) reads
# its own copy and a data change ships as a new image. Several replicas need sticky sessions at
# the load balancer: see deploy/nginx.conf, deploy/kubernetes.yaml and docs/benchmarks.md.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    CHATBOT_WATCH_DB=/app/build/chatbot_watch.duckdb

WORKDIR /app
COPY requirements.txt ./
RUN pip install -r requirements.txt

# The app, its data and .streamlit/config.toml (headless, static serving, no error details).
COPY . .
RUN useradd --uid 10001 --no-create-home --shell /usr/sbin/nologin app \
    && python -m chatbot_watch build --data data --out "$CHATBOT_WATCH_DB" \
    && chmod 0444 "$CHATBOT_WATCH_DB" \
    && chown app /app/build
# The database file stays read-only; its folder is writable by the app because it opens each build
# under a hard link beside the file (chatbot_watch/database.py).
USER app

EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=40s --retries=3 \
    CMD python -c "import sys, urllib.request; r = urllib.request.urlopen('http://127.0.0.1:8501/readyz', timeout=4); sys.exit(0 if r.status == 200 else 1)"

# serve.py = app.py plus the HTTP API, server-rendered first paint, link previews and /healthz, /readyz.
# deploy/streamlit_nodelay.py = `streamlit run` with TCP_NODELAY on its sockets (docs/benchmarks.md).
CMD ["python", "deploy/streamlit_nodelay.py", "run", "serve.py", "--server.port=8501", "--server.address=0.0.0.0"]

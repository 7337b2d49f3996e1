#!/usr/bin/env bash
# Several Chatbot Watch processes behind nginx, on loopback only, for the benchmark and for trying
# the production layout (docs/benchmarks.md, "Past one machine").
#
#   bash deploy/run_local.sh start     # APPS=2 processes + nginx; prints the URL
#   bash deploy/run_local.sh stop      # stops exactly what start started (pid files)
#   bash deploy/run_local.sh status
#
# Environment: APPS (number of app processes, default 2), CHATBOT_WATCH_DB (the database to copy,
# default build/chatbot_watch.duckdb), PYTHON (default .venv/bin/python), NGINX_BIN (default nginx; not NGINX,
# which nginx itself reads as a list of inherited sockets),
# MAX_SECONDS (everything stops by itself after this long, default 1800), STREAMLIT_EXTRA_OPTIONS
# (more `streamlit run` flags for every process, e.g. "--runner.postScriptGC false"), STREAMLIT_NODELAY
# (1, the default: start each process through deploy/streamlit_nodelay.py, as `make run` does,
# TCP_NODELAY, see docs/benchmarks.md; 0: plain `python -m streamlit run`).
# BASE_URL (the public address the app's links name, CHATBOT_WATCH_BASE_URL of every process;
# default the loopback URL nginx listens on) and SERVER_NAME (nginx's server_name: the only Host
# names it passes on, default "127.0.0.1 localhost"; any other Host gets 400).
# Each process reads its own read-only copy of the database; all share one cookie secret.
# Files: RUN_DIR, default build/deploy/ (configs, copies, logs, pid files, and `url`).
# The filled-in nginx config is checked with `nginx -t` before anything starts.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
RUN_DIR="${RUN_DIR:-$ROOT/build/deploy}"
APPS="${APPS:-2}"
DB="${CHATBOT_WATCH_DB:-$ROOT/build/chatbot_watch.duckdb}"
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"
NGINX_CMD="${NGINX_BIN:-$(command -v nginx || echo /usr/sbin/nginx)}"
unset NGINX  # nginx reads NGINX from its environment as inherited sockets
MAX_SECONDS="${MAX_SECONDS:-1800}"

free_port() {
    "$PYTHON" -c 'from chatbot_watch.tools.devserver import free_port; print(free_port())'
}

wait_health() {  # url, seconds
    local deadline=$((SECONDS + $2))
    until "$PYTHON" -c 'import sys, urllib.request
try:
    ok = urllib.request.urlopen(sys.argv[1] + "/_stcore/health", timeout=2).read().strip() == b"ok"
except OSError:
    ok = False
sys.exit(0 if ok else 1)' "$1" 2>/dev/null; do
        if [ "$SECONDS" -ge "$deadline" ]; then
            echo "no health at $1 after $2 s" >&2
            return 1
        fi
        sleep 0.3
    done
}

stop() {
    for pidfile in "$RUN_DIR"/watchdog.pid "$RUN_DIR"/app-*.pid; do
        [ -f "$pidfile" ] || continue
        pid="$(cat "$pidfile")"
        pkill -P "$pid" 2>/dev/null || true  # the watchdog's sleep
        kill "$pid" 2>/dev/null || true
        rm -f "$pidfile"
    done
    if [ -f "$RUN_DIR/nginx.pid" ]; then
        "$NGINX_CMD" -p "$RUN_DIR" -c "$RUN_DIR/nginx.conf" -s quit 2>/dev/null || kill "$(cat "$RUN_DIR/nginx.pid")" 2>/dev/null || true
        for _ in $(seq 50); do [ -f "$RUN_DIR/nginx.pid" ] || break; sleep 0.1; done
        rm -f "$RUN_DIR/nginx.pid"
    fi
    echo "stopped"
}

start() {
    [ -f "$DB" ] || { echo "no database at $DB: run 'make build' first" >&2; exit 1; }
    stop >/dev/null
    mkdir -p "$RUN_DIR/tmp"
    : > "$RUN_DIR/access.log"
    local secret
    secret="$("$PYTHON" -c 'import secrets; print(secrets.token_hex(32))')"
    local servers="" launcher=(-m streamlit) listen
    listen="$(free_port)"  # chosen first: every app process is told the public address
    local base="${BASE_URL:-http://127.0.0.1:$listen}"
    if [ "${STREAMLIT_NODELAY:-1}" = "1" ]; then launcher=("$ROOT/deploy/streamlit_nodelay.py"); fi
    for i in $(seq "$APPS"); do
        local dir="$RUN_DIR/app-$i" port
        mkdir -p "$dir"
        rm -f "$dir"/chatbot_watch.duckdb "$dir"/.chatbot_watch.duckdb.*
        cp "$DB" "$dir/chatbot_watch.duckdb"
        chmod 0444 "$dir/chatbot_watch.duckdb"
        port="$(free_port)"
        while [ "$port" = "$listen" ]; do port="$(free_port)"; done
        CHATBOT_WATCH_DB="$dir/chatbot_watch.duckdb" STREAMLIT_SERVER_COOKIE_SECRET="$secret" CHATBOT_WATCH_BASE_URL="$base" \
            "$PYTHON" "${launcher[@]}" run "$ROOT/serve.py" --server.headless true --server.address 127.0.0.1 \
            --server.port "$port" --browser.gatherUsageStats false ${STREAMLIT_EXTRA_OPTIONS:-} \
            > "$RUN_DIR/app-$i.log" 2>&1 &
        echo $! > "$RUN_DIR/app-$i.pid"
        echo "$port" > "$RUN_DIR/app-$i.port"
        servers+="        server 127.0.0.1:$port max_fails=1 fail_timeout=10s;"$'\n'
    done
    sed -e "s|@RUN_DIR@|$RUN_DIR|g" -e "s|@LISTEN@|127.0.0.1:$listen|g" \
        -e "s|@SERVER_NAME@|${SERVER_NAME:-127.0.0.1 localhost}|g" "$ROOT/deploy/nginx.conf" \
        | awk -v servers="$servers" '{ if ($0 == "@SERVERS@") printf "%s", servers; else print }' \
        > "$RUN_DIR/nginx.conf"
    # Started by root, nginx's workers would switch to `nobody`, who may not enter RUN_DIR (a
    # private temporary folder, say) and then answers 500 for every cached response: run them as
    # the caller instead. This is a loopback harness; production runs nginx its own way.
    local as_user=()
    if [ "$(id -u)" -eq 0 ]; then as_user=(-g "user $(id -un);"); fi
    if ! "$NGINX_CMD" -t -q -p "$RUN_DIR" -c "$RUN_DIR/nginx.conf" -e "$RUN_DIR/error.log" "${as_user[@]}"; then
        echo "nginx rejects $RUN_DIR/nginx.conf (see above); stopping" >&2
        stop >/dev/null
        exit 1
    fi
    for i in $(seq "$APPS"); do
        wait_health "http://127.0.0.1:$(cat "$RUN_DIR/app-$i.port")" 90
    done
    "$NGINX_CMD" -p "$RUN_DIR" -c "$RUN_DIR/nginx.conf" -e "$RUN_DIR/error.log" "${as_user[@]}"
    wait_health "http://127.0.0.1:$listen" 30
    echo "http://127.0.0.1:$listen" > "$RUN_DIR/url"
    # Bounded: whatever happens to the caller, everything stops after MAX_SECONDS.
    (sleep "$MAX_SECONDS" && bash "$0" stop >/dev/null 2>&1) >/dev/null 2>&1 &
    echo $! > "$RUN_DIR/watchdog.pid"
    echo "serving on http://127.0.0.1:$listen ($APPS processes; stops by itself after $MAX_SECONDS s)"
}

status() {
    for pidfile in "$RUN_DIR"/app-*.pid "$RUN_DIR"/nginx.pid; do
        [ -f "$pidfile" ] || continue
        if kill -0 "$(cat "$pidfile")" 2>/dev/null; then echo "$(basename "$pidfile" .pid): running"; fi
    done
    [ -f "$RUN_DIR/url" ] && cat "$RUN_DIR/url"
    return 0
}

cd "$ROOT"
case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac

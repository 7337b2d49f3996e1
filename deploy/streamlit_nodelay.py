"""`streamlit run`, with Nagle's algorithm off on the server's sockets (TCP_NODELAY).

    python deploy/streamlit_nodelay.py run app.py [streamlit options]

Streamlit 1.67 binds its listening socket itself, as `socket.socket(family)`, whose protocol
number is 0 rather than IPPROTO_TCP. asyncio sets TCP_NODELAY on a connection only when the
protocol is IPPROTO_TCP, so every websocket keeps Nagle's algorithm on: a run's small messages
wait for the browser's delayed ACK (40 ms on Linux, up to 200 ms on Windows) whenever an earlier
message is still unacknowledged. On this machine that added 42 ms to every rerun of a page that
sends less than one TCP segment (docs/benchmarks.md, "Nagle"). Setting TCP_NODELAY on the
listening socket is inherited by every accepted connection on Linux. Remove this launcher once
Streamlit creates its socket with IPPROTO_TCP (or sets TCP_NODELAY) itself.
"""

from __future__ import annotations

import os
import socket
import sys

# Like `python -m streamlit`: the working folder, not this file's folder, comes first on the path.
sys.path[0] = os.getcwd()

from streamlit.web.cli import main  # noqa: E402 - after the path is set
from streamlit.web.server.starlette import starlette_server  # noqa: E402

_bind_socket = starlette_server._bind_socket


def _bind_socket_nodelay(address: str, port: int, backlog: int) -> socket.socket:
    sock = _bind_socket(address, port, backlog)
    if sock.family in (socket.AF_INET, socket.AF_INET6):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


starlette_server._bind_socket = _bind_socket_nodelay

if __name__ == "__main__":
    sys.argv[0] = "streamlit"
    sys.exit(main())

"""`streamlit run`, with Nagle's algorithm off on the server's sockets (TCP_NODELAY).

    python deploy/streamlit_nodelay.py run serve.py [streamlit options]    (what `make run` does)

Streamlit 1.67 binds its listening socket itself, as `socket.socket(family)`, whose protocol
number is 0 rather than IPPROTO_TCP. asyncio sets TCP_NODELAY on a connection only when the
protocol is IPPROTO_TCP, so every websocket keeps Nagle's algorithm on: a run's small messages
wait for the browser's delayed ACK (40 ms on Linux, up to 200 ms on Windows) whenever an earlier
message is still unacknowledged. On this machine that added 42 ms to every rerun of a page that
sends less than one TCP segment (docs/benchmarks.md, "Nagle"). Setting TCP_NODELAY on the
listening socket is inherited by every accepted connection on Linux.

If a later Streamlit no longer has the function patched here, the launcher says so on stderr
and runs Streamlit unchanged (tests/test_nodelay.py fails then, as a reminder). Remove this
launcher once Streamlit creates its socket with IPPROTO_TCP (or sets TCP_NODELAY) itself.
"""

from __future__ import annotations

import os
import socket
import sys
from collections.abc import Callable


def patch() -> bool:
    """Make Streamlit's socket binding set TCP_NODELAY; False if this Streamlit has no such hook."""
    try:
        from streamlit.web.server.starlette import starlette_server
    except ImportError:
        return False
    bind: Callable[[str, int, int], socket.socket] | None = getattr(starlette_server, "_bind_socket", None)
    if bind is None:
        return False
    if getattr(bind, "nodelay", False):
        return True

    def bind_nodelay(address: str, port: int, backlog: int) -> socket.socket:
        sock = bind(address, port, backlog)
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock

    bind_nodelay.nodelay = True  # type: ignore[attr-defined]
    starlette_server._bind_socket = bind_nodelay
    return True


def main() -> int:
    """Patch, then hand over to Streamlit's command line (`streamlit run ...`)."""
    # Like `python -m streamlit`: the working folder, not this file's folder, comes first on the path.
    sys.path[0] = os.getcwd()
    if not patch():
        print("streamlit_nodelay: this Streamlit has no _bind_socket; running without TCP_NODELAY", file=sys.stderr)
    from streamlit.web.cli import main as streamlit_main

    sys.argv[0] = "streamlit"
    return int(streamlit_main() or 0)


if __name__ == "__main__":
    sys.exit(main())

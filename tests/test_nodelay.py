"""The launcher `make run` uses really turns Nagle's algorithm off on accepted connections.

Runs the patched binding of the installed Streamlit on a loopback port, connects to it and
reads TCP_NODELAY from the accepted socket, the one a visitor's websocket would use.
"""

from __future__ import annotations

import importlib.util
import socket

from chatbot_watch import paths


def _launcher():
    spec = importlib.util.spec_from_file_location("streamlit_nodelay", paths.ROOT / "deploy" / "streamlit_nodelay.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_patch_applies_to_this_streamlit() -> None:
    from streamlit.web.server.starlette import starlette_server

    assert _launcher().patch() is True, "this Streamlit has no _bind_socket: update deploy/streamlit_nodelay.py"
    assert getattr(starlette_server._bind_socket, "nodelay", False)
    assert _launcher().patch() is True  # patching twice keeps one wrapper
    assert getattr(starlette_server._bind_socket, "nodelay", False)


def test_accepted_connections_have_nodelay() -> None:
    from streamlit.web.server.starlette import starlette_server

    _launcher().patch()
    listener = starlette_server._bind_socket("127.0.0.1", 0, 8)
    try:
        port = listener.getsockname()[1]
        listener.setblocking(True)
        with socket.create_connection(("127.0.0.1", port), timeout=5) as client:
            conn, _ = listener.accept()
            with conn:
                assert conn.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
            # What a plain socket gets, for contrast: Nagle on.
            assert client.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0
    finally:
        listener.close()

"""The launcher `make run` uses really turns Nagle's algorithm off on accepted connections.

Runs the patched binding of the installed Streamlit on a loopback port, connects to it and
reads TCP_NODELAY from the accepted socket, the one a visitor's websocket would use; then does
the same with the real server (serve.py, an st.App) reading the server process's own socket.
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import platform
import socket
import sys
from pathlib import Path

import pytest

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


def test_the_st_app_runner_binds_through_the_patch() -> None:
    """`streamlit run serve.py` (an st.App) is served by UvicornRunner, which binds with
    `_bind_server_socket` -> `_bind_socket`: the patched function."""
    from streamlit.web.server.starlette import starlette_server

    _launcher().patch()
    listener, _address = starlette_server._bind_server_socket("127.0.0.1", "127.0.0.1", 0, 8)
    try:
        with socket.create_connection(listener.getsockname()[:2], timeout=5):
            conn, _ = listener.accept()
            with conn:
                assert conn.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
    finally:
        listener.close()


def _server_side_nodelay(pid: int, client: socket.socket) -> int:
    """TCP_NODELAY of the server process's end of `client`'s connection, read from a duplicate
    of the server's descriptor (pidfd_getfd, Linux 5.6+; the server is this process's child)."""
    libc = ctypes.CDLL(None, use_errno=True)
    pidfd = os.pidfd_open(pid)
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                if not os.readlink(f"/proc/{pid}/fd/{fd}").startswith("socket:"):
                    continue
            except OSError:
                continue
            dup = libc.syscall(SYS_PIDFD_GETFD, pidfd, int(fd), 0)
            if dup < 0:
                pytest.skip(f"pidfd_getfd not permitted here (errno {ctypes.get_errno()})")
            with socket.socket(fileno=dup) as s:
                try:
                    if s.getpeername() == client.getsockname():
                        return s.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
                except OSError:
                    continue
    finally:
        os.close(pidfd)
    raise AssertionError("the server's end of the connection was not found")


SYS_PIDFD_GETFD = 438  # x86_64 and aarch64


@pytest.mark.skipif(sys.platform != "linux" or platform.machine() not in ("x86_64", "aarch64"), reason="Linux only")
@pytest.mark.parametrize("nodelay", [True, False], ids=["launcher", "plain-streamlit-run"])
def test_serve_py_connections_have_nodelay_only_through_the_launcher(
    fixture_db_copy: Path, tmp_path: Path, nodelay: bool
) -> None:
    """The real server, started as `make run` starts it (serve.py through the launcher): the
    server's end of a visitor's connection has Nagle off; plain `streamlit run serve.py` has it on
    (so the launcher is still needed under st.App)."""
    from chatbot_watch.tools.devserver import run_server

    with run_server(db_path=fixture_db_copy, log=tmp_path / "server.log", nodelay=nodelay) as (base, proc):
        host, port = base.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=10) as client:
            client.sendall(f"GET /healthz HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
            assert client.recv(1024).startswith(b"HTTP/1.1 200")
            assert (_server_side_nodelay(proc.pid, client) != 0) is nodelay

"""Start the real Streamlit server on a free port (for browser tests, screenshots, benchmarks)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from chatbot_watch import paths

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-dev-shm-usage",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_healthy(url: str, timeout: float = 60, proc: subprocess.Popen[bytes] | None = None) -> None:
    """Poll `url`/_stcore/health until it answers ok; fail if `proc` exits first or time runs out."""
    deadline = time.monotonic() + timeout
    while True:
        if proc is not None and proc.poll() is not None:
            out = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
            raise RuntimeError(f"streamlit exited early ({proc.returncode}):\n{out}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:  # noqa: S310 - loopback
                if r.read().strip() == b"ok":
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not become healthy in time")
        time.sleep(0.2)


@contextmanager
def run_server(
    db_path: Path | None = None,
    data_dir: Path | None = None,
    script: Path | None = None,
    options: dict[str, str] | None = None,
    log: Path | None = None,
    nodelay: bool = True,
    timeout: float = 60,
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Run `script` (serve.py by default: app.py with the web layer) on a free loopback port;
    yield its base URL and process.

    Started as `make run` starts it, through deploy/streamlit_nodelay.py (`nodelay=False`: plain
    `python -m streamlit run`), with extra `--key value` Streamlit `options`; its output goes to
    `log` (appended) or, without one, to a pipe read if it exits early. Stopped on exit.
    """
    port = free_port()
    env = dict(os.environ)
    if db_path is not None:
        env[paths.ENV_DB] = str(db_path)
    if data_dir is not None:
        env[paths.ENV_DATA_DIR] = str(data_dir)
    launcher = [str(paths.ROOT / "deploy" / "streamlit_nodelay.py")] if nodelay else ["-m", "streamlit"]
    cmd = [
        sys.executable, *launcher, "run", str(script or paths.ROOT / "serve.py"),
        "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
    ]  # fmt: skip
    for key, value in (options or {}).items():
        cmd += [f"--{key}", value]
    out = open(log, "ab") if log else subprocess.PIPE  # noqa: SIM115 - closed below
    proc = subprocess.Popen(cmd, cwd=paths.ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, timeout, proc)
        yield base, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if log:
            out.close()  # type: ignore[union-attr]


@contextmanager
def serve(db_path: Path | None = None, data_dir: Path | None = None, timeout: float = 60) -> Iterator[str]:
    """Run serve.py as `make run` does on a free loopback port; yield its base URL; stop it afterwards."""
    with run_server(db_path=db_path, data_dir=data_dir, timeout=timeout) as (base, _proc):
        yield base

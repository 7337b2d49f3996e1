"""Start the real Streamlit server on a free port, and Chromium (for browser tests, screenshots,
benchmarks).

A server is asked for port 0: the system gives it a free port when it binds, and the server
prints the URL it listens on. So servers started at once (parallel test workers, other people's
runs on a shared machine) never race for a port, and the URL read is that of this process.
`serve_process` does this for any such server (the benchmark's Datasette too); `run_server` and
`serve` start ours as `make run` does. `chromium` is Debian's Chromium through Playwright, offline;
`poll` waits for a condition in one of its pages.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING

from chatbot_watch import paths

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

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
# What Streamlit prints once its socket is bound to the address given (`--server.address`).
STREAMLIT_URL = re.compile(rb"URL: (http://127\.0\.0\.1:[0-9]+)")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now (for a server that cannot be
    given port 0; another process may take it before that server binds it)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Output(threading.Thread):
    """Reads a server's output to the end: copies it to `log`, keeps the last lines for an error
    message, and notes the first URL it prints."""

    def __init__(self, stream: IO[bytes], log: IO[bytes] | None, url_line: re.Pattern[bytes]) -> None:
        super().__init__(daemon=True)
        self.stream, self.log, self.url_line = stream, log, url_line
        self.url: str | None = None
        self.tail: list[bytes] = []
        self.ready = threading.Event()  # set when the URL is known or the output has ended

    def run(self) -> None:
        for line in self.stream:
            if self.log is not None:
                self.log.write(line)
                self.log.flush()
            self.tail = [*self.tail[-40:], line]
            if self.url is None and (m := self.url_line.search(line)):
                self.url = m.group(1).decode()
                self.ready.set()
        self.ready.set()

    def text(self) -> str:
        return b"".join(self.tail).decode(errors="replace")


def _answers(url: str, ready: Callable[[bytes], bool]) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as r:  # noqa: S310 - loopback
            return r.status == 200 and ready(r.read())
    except OSError:  # not listening yet, or an HTTP error status
        return False


@contextmanager
def serve_process(
    cmd: list[str],
    url_line: re.Pattern[bytes],
    ready_path: str,
    ready: Callable[[bytes], bool] = lambda _body: True,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    log: Path | None = None,
    timeout: float = 60,
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Run `cmd`, a web server told to listen on port 0 of 127.0.0.1, and yield its base URL
    (group 1 of `url_line` in its output) and process once `ready_path` answers 200 with a body
    `ready` accepts. Its output is read all along (a full pipe never stalls it), appended to
    `log` if given, and quoted if it fails to start. Stopped on exit."""
    deadline = time.monotonic() + timeout
    log_file = open(log, "ab") if log else None  # noqa: SIM115 - closed below
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = _Output(proc.stdout, log_file, url_line)  # type: ignore[arg-type]
    output.start()
    try:
        if not output.ready.wait(timeout) or output.url is None:
            raise RuntimeError(f"{cmd[0]} printed no URL (exit code {proc.poll()}):\n{output.text()}")
        while not _answers(output.url + ready_path, ready):
            if proc.poll() is not None:
                output.join(timeout=5)
                raise RuntimeError(f"{cmd[0]} exited early ({proc.returncode}):\n{output.text()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{output.url}{ready_path} did not answer in time:\n{output.text()}")
            time.sleep(0.2)
        yield output.url, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        output.join(timeout=10)
        if log_file is not None:
            log_file.close()


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
    yield its base URL and process once healthy (see `serve_process`).

    Started as `make run` starts it, through deploy/streamlit_nodelay.py (`nodelay=False`: plain
    `python -m streamlit`), with extra `--key value` Streamlit `options`; its output is appended
    to `log` if given. Stopped on exit.
    """
    env = dict(os.environ)
    if db_path is not None:
        env[paths.ENV_DB] = str(db_path)
    if data_dir is not None:
        env[paths.ENV_DATA_DIR] = str(data_dir)
    launcher = [str(paths.ROOT / "deploy" / "streamlit_nodelay.py")] if nodelay else ["-m", "streamlit"]
    cmd = [
        sys.executable, *launcher, "run", str(script or paths.ROOT / "serve.py"),
        "--server.headless", "true", "--server.port", "0", "--server.address", "127.0.0.1",
    ]  # fmt: skip
    for key, value in (options or {}).items():
        cmd += [f"--{key}", value]
    with serve_process(
        cmd, STREAMLIT_URL, "/_stcore/health", lambda body: body.strip() == b"ok", paths.ROOT, env, log, timeout
    ) as (url, proc):
        yield url, proc


@contextmanager
def serve(db_path: Path | None = None, data_dir: Path | None = None, timeout: float = 60) -> Iterator[str]:
    """Run serve.py as `make run` does on a free loopback port; yield its base URL; stop it afterwards."""
    with run_server(db_path=db_path, data_dir=data_dir, timeout=timeout) as (base, _proc):
        yield base


@contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's Chromium driven by Playwright (a development dependency), offline: never
    `playwright install`. Closed on exit."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def poll(page: Page, js: str, arg: object = None, timeout_s: float = 45.0, every_ms: int = 100) -> None:
    """Wait until the function `js` (called with `arg`) returns a truthy value in `page`,
    evaluating it every `every_ms`; an AssertionError naming it after `timeout_s`.

    Not `page.wait_for_function`: that evaluates its predicate from a string inside the page,
    which the site's CSP (no 'unsafe-eval') can refuse (microsoft/playwright issues 7395 and
    36986); a refused evaluation then looks like a page that never got drawn. `page.evaluate`
    runs through the DevTools protocol and is not subject to the page's CSP."""
    deadline = time.monotonic() + timeout_s
    while not page.evaluate(js, arg):
        if time.monotonic() > deadline:
            raise AssertionError(f"not true after {timeout_s:.0f} s on {page.url}: {js}")
        page.wait_for_timeout(every_ms)

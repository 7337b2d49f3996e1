"""Start a real Streamlit server for a benchmark and expose its process (for memory readings).

Like `chatbot_watch.devserver.serve`, but it yields the process too, can serve another script
(the minimal page) and takes extra `--server.*` options. Loopback only; stopped on exit.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from chatbot_watch import paths
from chatbot_watch.devserver import free_port, wait_healthy


@dataclass
class Server:
    """A running server: its base URL and process."""

    url: str
    proc: subprocess.Popen[bytes]
    port: int

    def rss_mb(self) -> float:
        """Resident memory of the server process in MiB (VmRSS from /proc)."""
        return rss_mb(self.proc.pid)


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MiB, read from /proc/<pid>/status."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


@contextmanager
def serve(
    db_path: Path,
    script: Path | None = None,
    options: dict[str, str] | None = None,
    log: Path | None = None,
    nodelay: bool = True,
) -> Iterator[Server]:
    """Run `streamlit run <script>` (app.py by default) on a free loopback port with `db_path`.

    `nodelay` (the default, as `make run`) starts it through deploy/streamlit_nodelay.py (TCP_NODELAY on
    its sockets); without it, plain `python -m streamlit run`.
    """
    port = free_port()
    env = dict(os.environ, **{paths.ENV_DB: str(db_path)})
    launcher = [str(paths.ROOT / "deploy" / "streamlit_nodelay.py")] if nodelay else ["-m", "streamlit"]
    cmd = [
        sys.executable, *launcher, "run", str(script or paths.ROOT / "app.py"),
        "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    for key, value in (options or {}).items():
        cmd += [f"--{key}", value]
    out = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 - closed below
    proc = subprocess.Popen(cmd, cwd=paths.ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, timeout=90, proc=proc)
        yield Server(url, proc, port)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if log:
            out.close()  # type: ignore[union-attr]

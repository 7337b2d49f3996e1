"""Start a real Streamlit server for a benchmark and expose its process (for memory readings).

`chatbot_watch.tools.devserver.run_server` with the process wrapped for memory readings. Loopback only;
stopped on exit.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from chatbot_watch.tools.devserver import run_server


@dataclass
class Server:
    """A running server: its base URL and process."""

    url: str
    proc: subprocess.Popen[bytes]

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
    """Run `script` (serve.py by default) on a free loopback port with `db_path`; see `run_server`.

    Output goes to `log` or is dropped: a benchmark server must never block on a full pipe.
    """
    with run_server(
        db_path=db_path, script=script, options=options, log=log or Path("/dev/null"), nodelay=nodelay, timeout=90
    ) as (url, proc):
        yield Server(url, proc)

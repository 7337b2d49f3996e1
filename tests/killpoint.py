"""`python -m chatbot_watch build ...` that stops at a named point of the build and says so, so a
test can kill it exactly there (tests/test_database.py):

    python -m tests.killpoint STAGE build --data DIR --out FILE

When the build reaches STAGE, this prints STAGE on stdout and waits for the kill (it exits if
its stdin closes, i.e. the test is gone). The points are seen through Python's audit events and
through `duckdb.connect`, never by timing:

- reserved: the temporary file next to FILE is reserved, still empty (made by tempfile.mkstemp,
  about to be removed for DuckDB to create);
- execute:N: the N-th statement on the build's writing connection to it is about to run
  (execute:2: the temporary database is partly written);
- checkpoint: every table is written, not yet checkpointed (the CHECKPOINT statement);
- connect:N: the N-th writing connection to the temporary file is open (connect:2: the change
  log is about to be written into the otherwise complete file);
- replace: the complete temporary file is about to replace FILE (os.replace);
- replaced: it has replaced FILE; the folder is about to be synced.
"""

from __future__ import annotations

import os
import runpy
import sys
from typing import Any


def main() -> None:
    stage, args = sys.argv[1], sys.argv[2:]
    out = os.path.abspath(args[args.index("--out") + 1])
    me = os.getpid()
    seen = {"connect": 0, "execute": 0}

    def reached(name: str) -> None:
        if os.getpid() != me:  # a worker process of the loader: not the build's own steps
            return
        sys.stdout.write(name + "\n")
        sys.stdout.flush()
        sys.stdin.read()  # until the kill; end of input means the test is gone
        os._exit(70)

    def audit(event: str, event_args: tuple[Any, ...]) -> None:
        if event == "os.remove" and stage == "reserved" and os.fsdecode(event_args[0]).endswith(".tmp"):
            reached(stage)
        elif event == "os.rename" and stage == "replace" and os.path.abspath(event_args[1]) == out:
            reached(stage)
        elif event == "open" and stage == "replaced" and isinstance(event_args[0], str | bytes | os.PathLike):
            if os.path.abspath(os.fsdecode(event_args[0])) == os.path.dirname(out):
                reached(stage)

    import duckdb

    real_connect = duckdb.connect

    class Watched:
        """The build's writing connection, counting its statements."""

        def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
            self._con = con

        def execute(self, query: str, *rest: Any, **kw: Any) -> Any:
            seen["execute"] += 1
            if stage == f"execute:{seen['execute']}" or (stage == "checkpoint" and query.strip() == "CHECKPOINT"):
                reached(stage)
            return self._con.execute(query, *rest, **kw)

        def __getattr__(self, name: str) -> Any:
            return getattr(self._con, name)

    def connect(database: Any = ":memory:", *rest: Any, **kw: Any) -> Any:
        con = real_connect(database, *rest, **kw)
        if not str(database).endswith(".tmp") or kw.get("read_only"):
            return con
        seen["connect"] += 1
        if stage == f"connect:{seen['connect']}":
            reached(stage)
        return Watched(con) if seen["connect"] == 1 else con

    duckdb.connect = connect
    sys.addaudithook(audit)
    sys.argv = ["chatbot_watch", *args]
    runpy.run_module("chatbot_watch", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()

"""A Streamlit websocket client that runs the app's script the way a browser does, and times it.

It speaks the protocol the browser uses (see /work/shared/ENGINEERING.md, "Load"): open
`ws://host/_stcore/stream` with the subprotocol `streamlit`, send a `BackMsg` whose
`rerun_script` carries the page (`page_name`, the URL path such as "restrictions") and the
URL's query string (`country=KR&app=...`), then read `ForwardMsg`s until `script_finished`.
The app reads the URL on every run in which it differs from what the session last wrote, so
a rerun with a new query string is a filter change: the same queries run as when a visitor
picks a value in the sidebar.

Every run is checked, not just timed: it must finish successfully, draw at least a page's
worth of elements (the element types seen are kept) and show no exception element. Errors
are counted by kind (exception, page_not_found, bad_finish, too_few_elements, timeout,
disconnect, connect).
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus

FINISHED_OK = (ForwardMsg.FINISHED_SUCCESSFULLY,)
MIN_ELEMENTS = 5  # every page draws more than this (header, filters, tables); an error page fewer


@dataclass
class RunResult:
    """One script run as the client saw it."""

    ms: float
    ok: bool
    elements: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    bytes: int = 0
    error: str | None = None


class Session:
    """One visitor's websocket session with a Streamlit server."""

    def __init__(self, base_url: str, route_key: str | None = None, timeout: float = 30.0) -> None:
        self.ws_url = base_url.replace("http://", "ws://").rstrip("/") + "/_stcore/stream"
        self.route_key = route_key
        self.timeout = timeout
        self.ws: ClientConnection | None = None

    async def open(self) -> None:
        """Connect. A route key goes out as the `cw_route` cookie that nginx hashes on (sticky)."""
        headers = {"Cookie": f"cw_route={self.route_key}"} if self.route_key else None
        self.ws = await asyncio.wait_for(
            connect(
                self.ws_url,
                subprotocols=["streamlit"],  # type: ignore[list-item]
                additional_headers=headers,
                max_size=None,
                open_timeout=self.timeout,
                ping_interval=None,
            ),
            self.timeout,
        )

    async def close(self) -> None:
        if self.ws is not None:
            try:
                await asyncio.wait_for(self.ws.close(), 5)
            except (TimeoutError, ConnectionClosed, OSError):
                pass
            self.ws = None

    async def run(self, page: str, query: str = "", min_elements: int = MIN_ELEMENTS) -> RunResult:
        """Request a run of `page` with URL query `query`; time it from send to script_finished."""
        if self.ws is None:
            await self.open()
        assert self.ws is not None
        msg = BackMsg()
        msg.rerun_script.query_string = query
        msg.rerun_script.page_name = page
        t0 = time.perf_counter()
        kinds: Counter[str] = Counter()
        n_bytes = 0
        error: str | None = None
        try:
            await self.ws.send(msg.SerializeToString())
            deadline = t0 + self.timeout
            while True:
                left = deadline - time.perf_counter()
                if left <= 0:
                    raise TimeoutError
                data = await asyncio.wait_for(self.ws.recv(), left)
                if isinstance(data, str):
                    continue
                n_bytes += len(data)
                fwd = ForwardMsg()
                fwd.ParseFromString(data)
                what = fwd.WhichOneof("type")
                if what == "delta":
                    delta = fwd.delta
                    if delta.WhichOneof("type") == "new_element":
                        kind = delta.new_element.WhichOneof("type") or "?"
                        kinds[kind] += 1
                        if kind == "exception":
                            error = error or "exception"
                elif what == "page_not_found":
                    error = error or "page_not_found"
                elif what == "script_finished":
                    if fwd.script_finished not in FINISHED_OK:
                        error = error or "bad_finish"
                    break
        except TimeoutError:
            error = "timeout"
            await self.close()  # the session's state is unknown now: start afresh
        except (ConnectionClosed, OSError):
            error = "disconnect"
            self.ws = None
        ms = (time.perf_counter() - t0) * 1000
        elements = sum(kinds.values())
        if error is None and elements < min_elements:
            error = "too_few_elements"
        return RunResult(ms, error is None, elements, kinds, n_bytes, error)


async def one_run(
    base_url: str, page: str, query: str, route_key: str | None = None, min_elements: int = MIN_ELEMENTS
) -> RunResult:
    """Open a session, run one page, close it (a visitor who looks once and leaves)."""
    s = Session(base_url, route_key)
    try:
        await s.open()
    except (OSError, TimeoutError, InvalidHandshake, InvalidStatus) as exc:
        return RunResult(0.0, False, error=f"connect: {type(exc).__name__}")
    try:
        return await s.run(page, query, min_elements)
    finally:
        await s.close()

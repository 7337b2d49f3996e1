"""The web layer driven in-process: web.py's routes and middleware as a plain Starlette app over a
given database, and a small ASGI client (no server, no socket, no extra dependency). For what a
test must count or configure inside the process (renders, sitemap builds, a small sitemap file
size, the client's address); everything else is tested against a real server (tests/test_web.py)."""

from __future__ import annotations

import asyncio
import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette

from chatbot_watch.config import load_settings
from chatbot_watch.web import app as web
from chatbot_watch.web import site as web_site


@dataclass
class Answer:
    """One answer: status, headers (lower-case names) and body."""

    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def json(self) -> Any:
        return json.loads(self.body)


class Client:
    """Sends requests to an ASGI app as a server would, from `client` (address, port)."""

    def __init__(self, app: Any, host: str = "localhost") -> None:
        self.app, self.host = app, host

    def get(
        self,
        url: str,
        headers: dict[str, str] | None = None,
        method: str = "GET",
        client: tuple[str, int] = ("127.0.0.1", 50000),
    ) -> Answer:
        # On a thread of its own: a test worker that ran a browser test has Playwright's event loop
        # running on this thread, where asyncio.run refuses to start another.
        out: list[Answer] = []
        t = threading.Thread(target=lambda: out.append(asyncio.run(self._call(method, url, headers or {}, client))))
        t.start()
        t.join()
        if not out:
            raise RuntimeError(f"the in-process request to {url} failed (its exception is printed above)")
        return out[0]

    async def _call(self, method: str, url: str, headers: dict[str, str], client: tuple[str, int]) -> Answer:
        path, _, query = url.partition("?")
        sent = {"host": self.host, **{k.lower(): v for k, v in headers.items()}}
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": query.encode("latin-1"),
            "root_path": "",
            "headers": [(k.encode("latin-1"), v.encode("latin-1")) for k, v in sent.items()],
            "client": client,
            "server": ("127.0.0.1", 8501),
        }
        out: dict[str, Any] = {"body": b""}

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                out["status"] = message["status"]
                out["headers"] = {k.decode().lower(): v.decode() for k, v in message.get("headers", [])}
            elif message["type"] == "http.response.body":
                out["body"] += message.get("body", b"")

        await self.app(scope, receive, send)
        return Answer(out["status"], out["headers"], out["body"])


def web_app(monkeypatch: pytest.MonkeyPatch, db: Path, env: dict[str, str] | None = None) -> Starlette:
    """web.py's routes and middleware over `db` (settings from config.yaml with `env` applied),
    with a fresh Site: nothing cached from another test."""
    for name, value in (env or {}).items():
        monkeypatch.setenv(name, value)
    site = web_site.Site(load_settings(env={"CHATBOT_WATCH_DB": str(db), **(env or {})}))
    monkeypatch.setattr(web_site, "_CURRENT", [site])
    return Starlette(routes=web.routes(), middleware=web.middleware())

"""A CRM's caller-lookup endpoint for the tests: a real aiohttp server on loopback.

:class:`LookupServer` runs in its own thread with its own event loop, so
that async tests, Qt tests and command-line tests in subprocesses can all
use it.  ``GET /lookup?phone=...`` answers from :attr:`LookupServer.contacts`
(keyed by the ``phone`` value exactly as received: the test sees what the
client really sent), and :attr:`LookupServer.behaviour` makes it misbehave:
``"500"``, ``"slow"`` (answers after :attr:`delay` seconds), ``"not-json"``,
``"huge"``, ``"redirect"``, ``"401"``.  Every request is recorded with its
query and headers.
"""

from __future__ import annotations

import asyncio
import json
import threading
from dataclasses import dataclass, field
from typing import Any, Final

from aiohttp import web

#: Longest wait for the server thread to come up or go down.
START_TIMEOUT_S: Final = 10.0


@dataclass
class Request:
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    raw_query: str = ""


@dataclass
class LookupServer:
    contacts: dict[str, Any] = field(default_factory=dict)
    behaviour: str = "normal"
    delay: float = 5.0
    requests: list[Request] = field(default_factory=list)
    port: int = 0

    def __post_init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self._ready = threading.Event()
        self._stop: asyncio.Event | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str = "/lookup?phone={e164}") -> str:
        return self.base + path

    # -- lifecycle ----------------------------------------------------------

    def start(self) -> LookupServer:
        self._thread = threading.Thread(target=self._run, name="lookup-server", daemon=True)
        self._thread.start()
        if not self._ready.wait(START_TIMEOUT_S):
            raise RuntimeError("the lookup server did not start")
        return self

    def stop(self) -> None:
        loop, self._loop = self._loop, None
        if loop is not None and self._stop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._stop.set)
        if self._thread is not None:
            self._thread.join(START_TIMEOUT_S)

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._serve())
        finally:
            loop.close()

    async def _serve(self) -> None:
        self._stop = asyncio.Event()
        app = web.Application()
        app.router.add_get("/lookup", self._lookup)
        app.router.add_get("/elsewhere", self._lookup)
        runner = web.AppRunner(app, access_log=None, handler_cancellation=True)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0, shutdown_timeout=0.5)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]
        self._ready.set()
        try:
            await self._stop.wait()
        finally:
            await runner.cleanup()

    # -- the endpoint -------------------------------------------------------

    async def _lookup(self, request: web.Request) -> web.StreamResponse:
        self.requests.append(Request(request.path, dict(request.query), dict(request.headers),
                                     request.query_string))
        behaviour = self.behaviour
        if behaviour == "500":
            return web.Response(status=500, text="Internal Server Error")
        if behaviour == "401":
            return web.Response(status=401, text="no")
        if behaviour == "slow":
            await asyncio.sleep(self.delay)
        if behaviour == "not-json":
            return web.Response(text="<html>login</html>", content_type="text/html")
        if behaviour == "huge":
            return web.Response(body=b"[" + b" " * (200 * 1024) + b"]",
                                content_type="application/json")
        if behaviour == "redirect":
            raise web.HTTPFound("/elsewhere?" + request.query_string)
        phone = request.query.get("phone", "")
        if phone not in self.contacts:
            return web.Response(status=404, text="not found")
        return web.Response(body=json.dumps(self.contacts[phone], ensure_ascii=False).encode(),
                            content_type="application/json", charset="utf-8")

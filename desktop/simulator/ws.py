"""The WebSocket event services (``wss://wss.kobipbx.com``, Tekil ``:8098``/``:8088``).

Built on the ``websockets.asyncio.server`` API.  Any request path is
accepted (the documented URLs have none).  With ``SimulatorConfig.ws_ssl``
the server speaks wss.

Messages are JSON text frames, one message per frame, compact, UTF-8.  The
KobiPBX WebSocket documents no server message at all; we assume it carries
the same event messages as the KobiPBX TCP service (§1.4).

Keep-alive, as far as the docs go ("ping messages are sent and expected
regularly"): the server answers protocol pings (websockets does that) and
application pings (see ``sessions.py``), but never pings on its own.  A
client that sent no ping of either kind for ``ws_idle_timeout`` seconds
(Bulut; ``tekil_ws_idle_timeout`` for Tekil, off by default) is closed with
code 1001 and reason ``"idle timeout"``.  A refused handshake/login closes
with 1008 after the error message.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from typing import Any

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.frames import Frame, Opcode

from .config import SimulatorConfig
from .sessions import CLOSE_GOING_AWAY, CLOSE_POLICY, ClientSession, EventHub

log = logging.getLogger("kobikom.simulator.ws")


class _Connection(ServerConnection):
    """Notes protocol-level pings for the idle timeout."""

    sim_session: WsSession | None = None

    def process_event(self, event: Any) -> None:
        if isinstance(event, Frame) and event.opcode is Opcode.PING and self.sim_session:
            self.sim_session.last_ping = time.monotonic()
        super().process_event(event)


class WsSession(ClientSession):
    transport = "ws"

    def __init__(self, hub: EventHub, ws: ServerConnection, *, tls: bool) -> None:
        peer = ws.remote_address
        super().__init__(hub, f"{peer[0]}:{peer[1]}" if peer else "?", tls=tls)
        self.ws = ws

    def set_reading(self, enabled: bool) -> None:
        transport = getattr(self.ws, "transport", None)
        if transport is None or transport.is_closing():
            return
        with contextlib.suppress(Exception):
            if enabled:
                transport.resume_reading()
            else:
                transport.pause_reading()

    async def _write_loop(self) -> None:
        try:
            while True:
                kind, item = await self.queue.get()
                if kind == "stop":
                    return
                if kind == "close":
                    code, reason = item
                    await self.ws.close(code, reason)
                    return
                if kind == "raw":
                    await self.ws.send(bytes(item).decode("utf-8", "replace"))
                elif kind == "text":
                    await self.ws.send(str(item))
                else:
                    await self.ws.send(json.dumps(item, ensure_ascii=False,
                                                  separators=(",", ":")))
                self.sent += 1
        except ConnectionClosed:
            pass
        finally:
            self.closing = True

    async def run(self) -> None:
        writer = asyncio.create_task(self._write_loop(), name=f"sim-ws-w-{self.peer}")
        timeout = (self.hub.cfg.ws_idle_timeout if self.hub.cfg.flavor == "bulut"
                   else self.hub.cfg.tekil_ws_idle_timeout)
        watchers = [asyncio.create_task(self._idle_watchdog(timeout))] if timeout else []
        if self.hub.cfg.handshake_timeout:
            watchers.append(asyncio.create_task(
                self._handshake_watchdog(self.hub.cfg.handshake_timeout)))
        try:
            async for message in self.ws:
                text = message if isinstance(message, str) else message.decode("utf-8", "replace")
                try:
                    value: Any = json.loads(text)
                except ValueError:
                    value = text if text.strip().lower() == "ping" else None
                    if value is None and self.authenticated:
                        continue
                await self.hub.handle(self, value)
                if self.closing:
                    break
        except ConnectionClosed:
            pass
        finally:
            for watcher in watchers:
                watcher.cancel()
            self.queue.put_nowait(("stop", None))
            with contextlib.suppress(Exception):
                await asyncio.wait_for(asyncio.shield(writer), 2.0)
            if not writer.done():
                writer.cancel()
            self.closing = True

    async def _idle_watchdog(self, limit: float) -> None:
        step = min(1.0, limit / 4)
        while True:
            await asyncio.sleep(step)
            if self.hub.silent:
                continue
            if time.monotonic() - self.last_ping > limit:
                log.info("WebSocket client %s sent no ping for %.0fs: closing", self.peer, limit)
                await self.close(code=CLOSE_GOING_AWAY, reason="idle timeout")
                return

    async def _handshake_watchdog(self, limit: float) -> None:
        await asyncio.sleep(limit)
        if not self.authenticated and not self.hub.silent:
            await self.close(code=CLOSE_POLICY, reason="handshake timeout")

    async def reject(self, msg: dict[str, Any]) -> None:
        self.reply(msg)
        self.closing = True
        self.queue.put_nowait(("close", (CLOSE_POLICY, str(msg.get("message", ""))[:60])))

    async def close(self, *, code: int = 1000, reason: str = "") -> None:
        self.closing = True
        self.set_reading(True)  # a paused transport could never complete the closing handshake
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.ws.close(code, reason), 2.0)
        transport = getattr(self.ws, "transport", None)
        if transport is not None and not transport.is_closing():
            transport.abort()


class WsEventServer:
    """The WebSocket listener; one :class:`WsSession` per client."""

    def __init__(self, hub: EventHub, cfg: SimulatorConfig) -> None:
        self.hub = hub
        self.cfg = cfg
        self._server: Server | None = None
        self.port = 0

    async def start(self, port: int) -> int:
        self._server = await serve(
            self._handler, self.cfg.host, port, ssl=self.cfg.ws_ssl, ping_interval=None,
            create_connection=_Connection, max_size=1 << 20, reuse_address=True)
        self.port = next(iter(self._server.sockets)).getsockname()[1]
        log.info("WebSocket event service (%s) on %s://%s:%d", self.cfg.flavor,
                 "wss" if self.cfg.ws_ssl else "ws", self.cfg.host, self.port)
        return self.port

    async def _handler(self, ws: ServerConnection) -> None:
        session = WsSession(self.hub, ws, tls=self.cfg.ws_ssl is not None)
        if isinstance(ws, _Connection):
            ws.sim_session = session
        self.hub.add(session)
        log.debug("WebSocket client %s connected", session.peer)
        try:
            await session.run()
        finally:
            self.hub.remove(session)
            log.debug("WebSocket client %s disconnected", session.peer)

    async def stop(self) -> None:
        if self._server is None:
            return
        self._server.close(close_connections=False)
        sessions = [s for s in self.hub.sessions if isinstance(s, WsSession)]
        await asyncio.gather(*(s.close(code=CLOSE_GOING_AWAY, reason="server restart")
                               for s in sessions), return_exceptions=True)
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(self._server.wait_closed(), 5.0)
        self._server = None

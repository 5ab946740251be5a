"""Tiny real-socket stand-ins for Kobikom's event servers, and a channel probe.

These are deliberately dumb: they accept connections on 127.0.0.1 (port
chosen by the OS), record what the client sends, and send what the test
tells them to.  The full simulator (``desktop.simulator``) is the faithful
fake; these exist to provoke the edge cases exactly (a silent peer, an early
hang-up, a close code, a byte-by-byte stream).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import ssl
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed

from desktop.pbx.connection import ConnectionState, Phase
from desktop.pbx.events import Event

WAIT = 10.0  # seconds any single expectation may take before a test fails


# ---------------------------------------------------------------- a suspend, simulated


class SimulatedSuspend:
    """A :class:`~desktop.pbx.watchdog.SuspendClock` whose machine can "sleep".

    ``awake()`` is the real ``CLOCK_MONOTONIC`` (what asyncio's timers use);
    ``total()`` is that plus every :meth:`suspend` so far, as ``CLOCK_BOOTTIME``
    would be after a real suspend.  A busy loop moves both alike.
    """

    name = "simulated"

    def __init__(self) -> None:
        self.slept = 0.0

    def suspend(self, seconds: float) -> None:
        self.slept += seconds

    def awake(self) -> float:
        return time.monotonic()

    def total(self) -> float:
        return time.monotonic() + self.slept


# ---------------------------------------------------------------- a probe for callbacks


@dataclass
class ChannelProbe:
    """Collects ``on_event``/``on_state`` calls into queues a test can await."""

    events: asyncio.Queue[Event] = field(default_factory=asyncio.Queue)
    states: asyncio.Queue[ConnectionState] = field(default_factory=asyncio.Queue)
    history: list[ConnectionState] = field(default_factory=list)

    def on_event(self, event: Event) -> None:
        self.events.put_nowait(event)

    def on_state(self, state: ConnectionState) -> None:
        self.history.append(state)
        self.states.put_nowait(state)

    async def state(self, phase: Phase, within: float = WAIT, *,
                    where: Callable[[ConnectionState], bool] | None = None) -> ConnectionState:
        """Wait for the next state with ``phase`` (and ``where``); others are skipped."""
        async with asyncio.timeout(within):
            while True:
                state = await self.states.get()
                if state.phase is phase and (where is None or where(state)):
                    return state

    async def verdict(self, phase: Phase, within: float = WAIT) -> ConnectionState:
        """The next ``phase`` state that announces a wait (not "retrying now")."""
        return await self.state(phase, within, where=lambda s: s.retry_in is not None)

    async def event(self, kind: type[Event] = Event, within: float = WAIT) -> Event:
        """Wait for the next event of ``kind`` (others are skipped)."""
        async with asyncio.timeout(within):
            while True:
                event = await self.events.get()
                if isinstance(event, kind):
                    return event

    def phases(self) -> list[Phase]:
        return [s.phase for s in self.history]


@contextlib.asynccontextmanager
async def running(channel: Any) -> AsyncIterator[asyncio.Task[None]]:
    """Run ``channel.run()`` in a task for the block; cancel it afterwards."""
    task = asyncio.create_task(channel.run(), name="channel under test")
    try:
        yield task
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        assert channel.state.phase is Phase.DISCONNECTED


# ---------------------------------------------------------------- fake TCP server

LoginHandler = Callable[[Any], "bytes | str | None"]


class FakeTcpServer:
    """A TCP event server.

    ``on_login(message)`` decides the answer to the first JSON line a client
    sends: bytes to send, ``"close"`` to hang up, ``"silent"``/None to say
    nothing.  Later bytes come from :meth:`send`.
    """

    def __init__(self, on_login: LoginHandler | None = None) -> None:
        self.on_login = on_login or (lambda _msg: None)
        self.logins: asyncio.Queue[Any] = asyncio.Queue()
        self.received: list[Any] = []
        self.connections = 0
        self.port = 0
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._handlers: set[asyncio.Task[None]] = set()
        self._joined = asyncio.Condition()

    async def start(self, port: int = 0) -> FakeTcpServer:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", port or self.port)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def stop_listening(self) -> None:
        """Refuse new connections; the open ones stay (and stay silent)."""
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None

    async def stop(self) -> None:
        """Close the listening socket and every client connection."""
        if self._server is not None:
            self._server.close()
        for writer in list(self._writers):
            writer.transport.abort()  # handlers then see the end and return by themselves
        if self._handlers:
            await asyncio.wait(set(self._handlers), timeout=WAIT)
        if self._server is not None:
            await self._server.wait_closed()
            self._server = None

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._handlers.add(task)
        self.connections += 1
        self._writers.add(writer)
        async with self._joined:
            self._joined.notify_all()
        try:
            line = await reader.readline()
            if not line:
                return
            message = json.loads(line)
            self.received.append(message)
            self.logins.put_nowait(message)
            answer = self.on_login(message)
            if answer == "close":
                return
            if isinstance(answer, (bytes, bytearray)):
                writer.write(answer)
                await writer.drain()
            while True:  # keep reading (commands, pongs) until the client leaves
                line = await reader.readline()
                if not line:
                    return
                with contextlib.suppress(ValueError):
                    self.received.append(json.loads(line))
        except ConnectionError:
            pass
        finally:
            self._writers.discard(writer)
            writer.transport.abort()
            self._handlers.discard(task)

    async def send(self, data: bytes, *, chunk: int | None = None) -> None:
        """Send raw bytes to every client, optionally in ``chunk``-byte writes."""
        for writer in list(self._writers):
            if chunk is None:
                writer.write(data)
                await writer.drain()
                continue
            for i in range(0, len(data), chunk):
                writer.write(data[i : i + chunk])
                await writer.drain()
                await asyncio.sleep(0)

    async def wait_clients(self, n: int = 1) -> None:
        async with asyncio.timeout(WAIT), self._joined:
            await self._joined.wait_for(lambda: len(self._writers) >= n)


# ---------------------------------------------------------------- fake WebSocket server


class FakeWsServer:
    """A WebSocket event server (optionally TLS) built on ``websockets``.

    ``on_login(message)`` returns text to send, ``("close", code, reason)``
    to close with a code, or None.
    """

    def __init__(self, on_login: Callable[[Any], Any] | None = None,
                 ssl_context: ssl.SSLContext | None = None) -> None:
        self.on_login = on_login or (lambda _msg: None)
        self.ssl_context = ssl_context
        self.logins: asyncio.Queue[Any] = asyncio.Queue()
        self.received: asyncio.Queue[str] = asyncio.Queue()
        self.connections = 0
        self.port = 0
        self._server: Server | None = None
        self._clients: set[ServerConnection] = set()
        self._joined = asyncio.Condition()

    async def start(self, port: int = 0) -> FakeWsServer:
        self._server = await serve(self._handle, "127.0.0.1", port or self.port,
                                   ssl=self.ssl_context, ping_interval=None)
        self.port = next(iter(self._server.sockets)).getsockname()[1]
        return self

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None

    async def _handle(self, ws: ServerConnection) -> None:
        self.connections += 1
        self._clients.add(ws)
        async with self._joined:
            self._joined.notify_all()
        try:
            first = await ws.recv()
            message = json.loads(first)
            self.logins.put_nowait(message)
            answer = self.on_login(message)
            if isinstance(answer, tuple) and answer[0] == "close":
                await ws.close(answer[1], answer[2])
                return
            if isinstance(answer, str):
                await ws.send(answer)
            async for text in ws:
                self.received.put_nowait(text if isinstance(text, str) else text.decode())
        except ConnectionClosed:
            pass
        finally:
            self._clients.discard(ws)

    async def send(self, text: str | bytes) -> None:
        for ws in list(self._clients):
            with contextlib.suppress(ConnectionClosed):
                await ws.send(text)

    async def wait_clients(self, n: int = 1) -> None:
        async with asyncio.timeout(WAIT), self._joined:
            await self._joined.wait_for(lambda: len(self._clients) >= n)


# ---------------------------------------------------------------- a freezable proxy


class FreezableProxy:
    """A TCP relay to ``upstream_port`` that can go silent (a half-open peer).

    After :meth:`freeze` the relay keeps every socket open but forwards
    nothing in either direction: exactly what a NAT box that lost its state,
    or a server that hung, looks like from the client.
    """

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.frozen = asyncio.Event()
        self.port = 0
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._writers: set[asyncio.StreamWriter] = set()

    def freeze(self) -> None:
        self.frozen.set()

    async def start(self) -> FreezableProxy:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
        for writer in list(self._writers):
            writer.transport.abort()
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.wait(set(self._tasks))
        if self._server is not None:
            await self._server.wait_closed()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        self._writers.add(writer)
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        self._writers.add(up_writer)
        pumps = {asyncio.create_task(self._pump(reader, up_writer)),
                 asyncio.create_task(self._pump(up_reader, writer))}
        try:
            await asyncio.wait(pumps, return_when=asyncio.FIRST_COMPLETED)
            if self.frozen.is_set():
                await asyncio.Event().wait()  # hold the sockets open, forever
        except asyncio.CancelledError:
            pass
        finally:
            for pump in pumps:
                pump.cancel()
            await asyncio.wait(pumps)
            for w in (writer, up_writer):
                w.transport.abort()
                self._writers.discard(w)
            self._tasks.discard(task)

    async def _pump(self, src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
        while True:
            data = await src.read(65536)
            if not data or self.frozen.is_set():
                if not data:
                    return
                await self.frozen.wait()
                await asyncio.Event().wait()  # swallow everything from now on
            dst.write(data)
            await dst.drain()

"""Serving a capture from a real installation: ``simulator --replay FILE``.

A field problem ("no popup for this call") is reproduced at a desk by
letting the app talk to a simulator that sends exactly what the real server
sent.  The REST services stay the simulator's own; the TCP and WebSocket
event listeners are replaced by :class:`ReplayTcpServer` and
:class:`ReplayWsServer`.

The capture format, as this side reads it (the client writes it in
``desktop/pbx/capture.py``; the simulator shares no code with the client,
and ``tests/unit/pbx/test_capture_roundtrip.py`` proves both sides agree).
UTF-8 JSON lines; every record has ``kind``; times ``mono`` (monotonic) and
``wall`` (epoch) are seconds at receipt; unknown keys are ignored:

``header``  ``format`` = ``"kobikom-capture"``, ``version`` (1), ``session``
            (a new value = a new recording), ``flavor``, ``transport``.
``open``    ``conn``, ``transport``: the client connected and logged in.
``frame``   ``conn``, ``transport``, and ``text`` or ``b64``: data the server
            sent.  TCP: bytes of the stream (``text`` is their UTF-8 form);
            WebSocket: one message (``text`` = a text message, ``b64`` = a
            binary one).
``close``   ``conn``, ``reason``, ``stopped``: the connection ended; ``stopped``
            true means the client stopped its channel (the server did not).
``end``     the recording stopped (the connection may still have been up).

How it is served:

* Every recorded connection is played to one client connection, in order:
  the first client to log in gets the capture's first connection of that
  transport, a client that reconnects gets the next one.  When they are used
  up, further clients are kept connected and sent nothing.
* Timing: each frame is sent at its recorded offset from the connection's
  ``open`` record (``mono`` times), divided by ``replay_speed``; the clock
  starts when the client's login arrives.  A connection the capture saw
  ``close`` is closed at that offset, unless the client had ``stopped`` it
  or ``end`` cut it short: then it stays open.
* The login is not checked (the capture was made with other credentials);
  its ``domainUuid`` replaces the ``<domain-uuid>`` placeholder the capture
  wrote instead of the real one, so the client sees its own domain where
  the real server sent the real one.  Other placeholders are sent as they
  are.  TCP frames are written byte for byte, split as recorded.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import logging
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from websockets.asyncio.server import ServerConnection
from websockets.exceptions import ConnectionClosed

from .config import SimulatorConfig
from .sessions import CLOSE_GOING_AWAY, EventHub
from .tcp import Garbage, IncomingDecoder, TcpEventServer
from .ws import WsEventServer

log = logging.getLogger("kobikom.simulator.replay")

CAPTURE_FORMAT: Final = "kobikom-capture"
#: The newest capture version this reader understands.
CAPTURE_VERSION: Final = 1
DOMAIN_PLACEHOLDER: Final = "<domain-uuid>"
#: How long a client may take to send its login before it is dropped.
LOGIN_TIMEOUT: Final = 30.0


class CaptureFileError(Exception):
    """The file is not a capture this simulator can play."""


@dataclass(slots=True)
class RecordedConnection:
    """One connection of a capture: what the server sent, and when."""

    transport: str
    #: ``(seconds after the open, data)``: bytes (TCP, binary WS) or str (WS text).
    frames: list[tuple[float, bytes | str]] = field(default_factory=list)
    #: Seconds after the open at which the connection ended; None = never closed.
    closed_after: float | None = None


@dataclass(slots=True)
class RecordedCapture:
    flavor: str = ""
    connections: list[RecordedConnection] = field(default_factory=list)
    #: Lines skipped (not JSON, not a record).
    skipped: int = 0

    def of(self, transport: str) -> list[RecordedConnection]:
        return [c for c in self.connections if c.transport == transport]

    @property
    def frames(self) -> int:
        return sum(len(c.frames) for c in self.connections)


def load_capture(paths: Iterable[Path | str]) -> RecordedCapture:
    """Read capture files (oldest first); raises :class:`CaptureFileError`."""
    capture = RecordedCapture()
    open_at: dict[tuple[str, int], tuple[RecordedConnection, float]] = {}
    for path in map(Path, paths):
        session, transport, seen_header = "", "", False
        try:
            lines = path.read_text("utf-8", errors="replace").splitlines()
        except OSError as exc:
            raise CaptureFileError(f"cannot read {path}: {exc.strerror or exc}") from None
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except ValueError:
                capture.skipped += 1
                continue
            if not isinstance(item, dict):
                capture.skipped += 1
                continue
            kind = item.get("kind")
            if kind == "header":
                if item.get("format") != CAPTURE_FORMAT:
                    raise CaptureFileError(f"{path}:{number}: not a kobikom-desktop capture")
                if int(item.get("version") or 0) > CAPTURE_VERSION:
                    raise CaptureFileError(f"{path}:{number}: capture version "
                                           f"{item.get('version')} is too new")
                session = str(item.get("session", ""))
                transport = str(item.get("transport", ""))
                capture.flavor = capture.flavor or str(item.get("flavor", ""))
                seen_header = True
                continue
            if not seen_header:
                raise CaptureFileError(f"{path}:{number}: no capture header first")
            key = (session, int(item.get("conn") or 0))
            mono = float(item.get("mono") or 0.0)
            kind_transport = str(item.get("transport") or transport)
            if kind == "open":
                conn = RecordedConnection(kind_transport)
                capture.connections.append(conn)
                open_at[key] = (conn, mono)
            elif kind == "frame":
                if key not in open_at:  # its open record was rotated away: start here
                    conn = RecordedConnection(kind_transport)
                    capture.connections.append(conn)
                    open_at[key] = (conn, mono)
                conn, start = open_at[key]
                conn.frames.append((max(0.0, mono - start), _payload(item, kind_transport)))
            elif kind == "close" and key in open_at:
                conn, start = open_at.pop(key)
                if not item.get("stopped"):
                    conn.closed_after = max(0.0, mono - start)
    if not capture.connections:
        raise CaptureFileError("the capture holds no connection")
    return capture


def _payload(item: dict[str, Any], transport: str) -> bytes | str:
    if "b64" in item:
        return base64.b64decode(str(item["b64"]))
    text = str(item.get("text", ""))
    return text.encode("utf-8") if transport == "tcp" else text


def _with_domain(data: bytes | str, domain: str | None) -> bytes | str:
    if not domain:
        return data
    if isinstance(data, bytes):
        return data.replace(DOMAIN_PLACEHOLDER.encode(), domain.encode())
    return data.replace(DOMAIN_PLACEHOLDER, domain)


class ReplayScript:
    """Hands out the recorded connections of one transport, in order."""

    def __init__(self, capture: RecordedCapture, transport: str, speed: float) -> None:
        if not speed > 0:
            raise ValueError("replay speed must be positive")
        self.transport = transport
        self.speed = speed
        self._queue = list(capture.of(transport))
        self.total = len(self._queue)
        self.played = 0

    def next_connection(self) -> RecordedConnection | None:
        if not self._queue:
            return None
        self.played += 1
        return self._queue.pop(0)

    async def play(self, conn: RecordedConnection, domain: str | None, send: Any,
                   peer: str) -> bool:
        """Send *conn*'s frames on time; True if the capture closed it afterwards."""
        loop = asyncio.get_running_loop()
        start = loop.time()
        log.info("replaying %s connection %d of %d (%d frames) to %s", self.transport,
                 self.played, self.total, len(conn.frames), peer)
        for offset, data in conn.frames:
            await asyncio.sleep(max(0.0, start + offset / self.speed - loop.time()))
            await send(_with_domain(data, domain))
        if conn.closed_after is None:
            log.info("%s connection %d played to its end; keeping it open", self.transport,
                     self.played)
            return False
        await asyncio.sleep(max(0.0, start + conn.closed_after / self.speed - loop.time()))
        log.info("%s connection %d closed, as recorded", self.transport, self.played)
        return True


def _kept_open(player: asyncio.Task[bool]) -> bool:
    """The player sent everything and the capture did not close the connection."""
    return (player.done() and not player.cancelled() and player.exception() is None
            and not player.result())


def _login_domain(value: Any) -> str | None:
    if isinstance(value, dict):
        domain = value.get("domainUuid")
        return domain if isinstance(domain, str) and domain else None
    return None


class ReplayTcpServer(TcpEventServer):
    """The TCP listener of ``--replay``: plays recorded TCP connections."""

    def __init__(self, hub: EventHub, cfg: SimulatorConfig, script: ReplayScript) -> None:
        super().__init__(hub, cfg, random.Random(0))
        self.script = script
        self._writers: set[asyncio.StreamWriter] = set()

    async def _on_client(self, reader: asyncio.StreamReader,
                         writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
        self._writers.add(writer)
        peer = "{}:{}".format(*writer.get_extra_info("peername")[:2])
        try:
            login = await asyncio.wait_for(_tcp_login(reader), LOGIN_TIMEOUT)
            if login is None:
                return
            conn = self.script.next_connection()
            if conn is None:
                log.info("capture used up: TCP client %s gets nothing", peer)
                await _drain_tcp(reader)
                return

            async def send(data: bytes | str) -> None:
                writer.write(data if isinstance(data, bytes) else data.encode())
                await writer.drain()

            player = asyncio.create_task(self.script.play(conn, _login_domain(login), send,
                                                          peer))
            drain = asyncio.create_task(_drain_tcp(reader))
            try:
                await asyncio.wait({player, drain}, return_when=asyncio.FIRST_COMPLETED)
                if _kept_open(player):
                    await drain  # until the client hangs up
            finally:
                for t in (player, drain):
                    t.cancel()
                await asyncio.gather(player, drain, return_exceptions=True)
        except (TimeoutError, ConnectionError, OSError):
            pass
        finally:
            self._writers.discard(writer)
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()
            if task is not None:
                self._tasks.discard(task)

    async def stop(self) -> None:
        for writer in list(self._writers):
            writer.close()
        await super().stop()


async def _tcp_login(reader: asyncio.StreamReader) -> Any:
    decoder = IncomingDecoder()
    while True:
        data = await reader.read(65536)
        if not data:
            return None
        for value in decoder.feed(data):
            if not isinstance(value, Garbage) and value != "ping":
                return value


async def _drain_tcp(reader: asyncio.StreamReader) -> None:
    """Read (and ignore) what the client sends until it hangs up."""
    while await reader.read(65536):
        pass


class ReplayWsServer(WsEventServer):
    """The WebSocket listener of ``--replay``: plays recorded WebSocket connections."""

    def __init__(self, hub: EventHub, cfg: SimulatorConfig, script: ReplayScript) -> None:
        super().__init__(hub, cfg)
        self.script = script
        self._clients: set[ServerConnection] = set()

    async def _handler(self, ws: ServerConnection) -> None:
        self._clients.add(ws)
        address = ws.remote_address
        peer = f"{address[0]}:{address[1]}" if address else "?"
        try:
            login = await asyncio.wait_for(_ws_login(ws), LOGIN_TIMEOUT)
            conn = self.script.next_connection()
            if conn is None:
                log.info("capture used up: WebSocket client %s gets nothing", peer)
                await _drain_ws(ws)
                return
            player = asyncio.create_task(self.script.play(conn, _login_domain(login),
                                                          ws.send, peer))
            drain = asyncio.create_task(_drain_ws(ws))
            try:
                await asyncio.wait({player, drain}, return_when=asyncio.FIRST_COMPLETED)
                if _kept_open(player):
                    await drain  # until the client hangs up
                elif player.done() and not player.cancelled() and player.exception() is None:
                    await ws.close(CLOSE_GOING_AWAY, "closed as recorded")
            finally:
                for t in (player, drain):
                    t.cancel()
                await asyncio.gather(player, drain, return_exceptions=True)
        except (TimeoutError, ConnectionClosed):
            pass
        finally:
            self._clients.discard(ws)

    async def stop(self) -> None:
        await asyncio.gather(*(ws.close(CLOSE_GOING_AWAY, "server restart")
                               for ws in list(self._clients)), return_exceptions=True)
        await super().stop()


async def _ws_login(ws: ServerConnection) -> Any:
    while True:
        message = await ws.recv()
        text = message if isinstance(message, str) else message.decode("utf-8", "replace")
        if text.strip().lower() == "ping":
            continue
        try:
            return json.loads(text)
        except ValueError:
            return None


async def _drain_ws(ws: ServerConnection) -> None:
    with contextlib.suppress(ConnectionClosed):
        async for _message in ws:
            pass


def replay_servers(hub: EventHub, cfg: SimulatorConfig) -> tuple[ReplayTcpServer,
                                                                ReplayWsServer]:
    """The two listeners that serve ``cfg.replay_files``; raises :class:`CaptureFileError`."""
    capture = load_capture(cfg.replay_files)
    log.info("replaying %s: %d connection(s), %d frames (%d TCP, %d WebSocket "
             "connections), speed x%g", ", ".join(map(str, cfg.replay_files)),
             len(capture.connections), capture.frames, len(capture.of("tcp")),
             len(capture.of("ws")), cfg.replay_speed)
    return (ReplayTcpServer(hub, cfg, ReplayScript(capture, "tcp", cfg.replay_speed)),
            ReplayWsServer(hub, cfg, ReplayScript(capture, "ws", cfg.replay_speed)))

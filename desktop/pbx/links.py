"""One open connection to an event server: the only code that touches sockets.

A :class:`Link` sends messages and receives events; :class:`TcpLink` frames
the byte stream with :class:`~desktop.pbx.framing.JsonStreamDecoder`,
:class:`WebSocketLink` takes one event message per WebSocket message.  A
link ends by raising :class:`Dropped`, which carries the outcome for the
reconnect policy.

Every received frame passes one point, :meth:`Link.received_frame`, before
it is decoded: the raw-frame tap (``Link.tap``, set by the channel from its
``on_frame`` callback) for a capture of what the server really sends.

Oversized frames (larger than ``max_frame``) are skipped, not fatal: on TCP
the decoder follows them to their end (see :mod:`desktop.pbx.framing`); on a
WebSocket the library reads messages up to the hard ``max_skip`` limit and
the link drops the ones above ``max_frame``.  Both tell ``on_oversized``.
Only a frame that never ends (beyond ``max_skip``) resets the connection.
"""

from __future__ import annotations

import abc
import asyncio
import contextlib
import json
import logging
import socket
import ssl
import sys
from collections.abc import Callable
from typing import Any, Final

from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed

from desktop.pbx.backoff import Outcome
from desktop.pbx.channel_setup import (
    ChannelTiming,
    FrameCallback,
    describe_close,
    describe_error,
    events_from_text,
    events_from_value,
)
from desktop.pbx.events import Event
from desktop.pbx.framing import FrameTooLargeError, JsonStreamDecoder, encode_frame

log = logging.getLogger("kobikom.pbx.channel")

#: Bytes asked for per TCP read.
READ_SIZE: Final = 65536


def set_tcp_keepalive(sock: Any, *, idle: int, interval: int, count: int) -> bool:
    """Turn on OS TCP keep-alive with our timings where the platform allows it.

    Returns False when even SO_KEEPALIVE could not be set (never raises).
    """
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    except (OSError, AttributeError):
        return False
    options = (("TCP_KEEPIDLE", idle), ("TCP_KEEPINTVL", interval), ("TCP_KEEPCNT", count))
    if sys.platform == "darwin":  # macOS calls the idle time TCP_KEEPALIVE
        options = (("TCP_KEEPALIVE", idle), *options[1:])
    for name, value in options:
        opt = getattr(socket, name, None)
        if opt is None:
            continue
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.IPPROTO_TCP, opt, value)
    if sys.platform == "win32" and hasattr(sock, "ioctl"):
        with contextlib.suppress(OSError, ValueError):
            sock.ioctl(socket.SIO_KEEPALIVE_VALS, (1, idle * 1000, interval * 1000))  # type: ignore[attr-defined,unused-ignore]
    return True


# ---------------------------------------------------------------- links (the I/O)


class Dropped(Exception):
    """Ends one connection; carries the outcome for the reconnect policy."""

    def __init__(self, outcome: Outcome, reason: str, *, server_closed: bool = False,
                 graceful: bool = True) -> None:
        super().__init__(reason)
        self.outcome = outcome
        self.reason = reason
        #: The server ended it (EOF, close frame, reset): may be an early close.
        self.server_closed = server_closed
        #: Say goodbye politely, or just abort (the peer is probably gone).
        self.graceful = graceful
        #: Events that arrived in the same read, before the failure.
        self.events: list[Event] = []

    def with_events(self, events: list[Event]) -> Dropped:
        self.events = events
        return self


class Link(abc.ABC):
    """One open connection: send messages, receive events."""

    bytes_received = 0
    #: Sees every received frame before it is decoded (the channel's ``on_frame``).
    tap: FrameCallback | None = None

    @abc.abstractmethod
    async def send(self, message: Any) -> None: ...

    @abc.abstractmethod
    async def receive(self, wait: float, received_at: Callable[[], float]) -> list[Event] | None:
        """Events that arrived (maybe none), ``None`` on timeout; raises :class:`Dropped`."""

    @abc.abstractmethod
    async def close(self, *, graceful: bool) -> None: ...

    def received_frame(self, data: bytes | str) -> None:
        """The one point every received frame passes, raw, before decoding."""
        self.bytes_received += len(data)
        tap = self.tap
        if tap is not None:
            try:
                tap(data)
            except Exception:
                log.exception("the raw-frame tap failed")


class TcpLink(Link):
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                 decoder: JsonStreamDecoder, timing: ChannelTiming) -> None:
        self._reader = reader
        self._writer = writer
        self._decoder = decoder
        self._timing = timing

    async def send(self, message: Any) -> None:
        self._writer.write(encode_frame(message))
        async with asyncio.timeout(self._timing.write_timeout):
            await self._writer.drain()

    async def receive(self, wait: float, received_at: Callable[[], float]) -> list[Event] | None:
        try:
            async with asyncio.timeout(wait):
                data = await self._reader.read(READ_SIZE)  # cancel-safe: data stays buffered
        except TimeoutError:
            return None
        if not data:
            raise Dropped(Outcome.LOST, "server closed the connection", server_closed=True)
        self.received_frame(data)
        try:
            values = self._decoder.feed(data)
        except FrameTooLargeError as exc:  # a frame that never ends
            now = received_at()
            events = [event for value in exc.documents for event in events_from_value(value, now)]
            raise Dropped(Outcome.LOST, describe_error(exc)[0], graceful=False,
                          ).with_events(events) from exc
        now = received_at()
        return [event for value in values for event in events_from_value(value, now)]

    async def close(self, *, graceful: bool) -> None:
        if not graceful:
            self._writer.transport.abort()
        self._writer.close()
        try:
            async with asyncio.timeout(1.0):
                await self._writer.wait_closed()
        except (OSError, ssl.SSLError, TimeoutError):
            self._writer.transport.abort()
        except asyncio.CancelledError:  # cancelled again while closing: never leak it
            self._writer.transport.abort()
            raise


class WebSocketLink(Link):
    """``max_size`` of the connection is the hard limit (``max_skip``); messages
    between ``max_frame`` and it are dropped here and reported."""

    def __init__(self, ws: ClientConnection, timing: ChannelTiming, *, max_frame: int,
                 max_skip: int, on_oversized: Callable[[int], None] | None = None) -> None:
        self._ws = ws
        self._timing = timing
        self._max_frame = max_frame
        self._max_skip = max_skip
        self._on_oversized = on_oversized

    async def send(self, message: Any) -> None:
        text = message if isinstance(message, str) else json.dumps(message, ensure_ascii=False)
        async with asyncio.timeout(self._timing.write_timeout):
            await self._ws.send(text)

    async def receive(self, wait: float, received_at: Callable[[], float]) -> list[Event] | None:
        try:
            async with asyncio.timeout(wait):
                data = await self._ws.recv()  # cancelling recv() loses nothing
        except TimeoutError:
            return None
        except ConnectionClosed as exc:
            reason, auth = describe_close(exc, self._timing, self._max_skip)
            outcome = Outcome.AUTH_REJECTED if auth else Outcome.LOST
            raise Dropped(outcome, reason, server_closed=exc.rcvd is not None) from exc
        self.received_frame(data)
        size = len(data)
        if isinstance(data, str) and size * 4 > self._max_frame:
            size = len(data.encode("utf-8", "surrogatepass"))
        if size > self._max_frame:
            if self._on_oversized is not None:
                self._on_oversized(size)
            return []
        text = data if isinstance(data, str) else data.decode("utf-8", "replace")
        return events_from_text(text, received_at())

    async def close(self, *, graceful: bool) -> None:
        if not graceful:
            self._ws.transport.abort()
        try:
            async with asyncio.timeout(self._timing.close_timeout + 1.0):
                await self._ws.close()
        except TimeoutError:
            self._ws.transport.abort()
        except asyncio.CancelledError:  # cancelled again while closing: never leak it
            self._ws.transport.abort()
            raise

"""The raw TCP event services (Bulut port 8990, Tekil port 57000 in reality).

Neither TCP service documents its framing.  The KobiPBX one is a Node.js
``net`` server; what such a server writes is ``JSON.stringify(event)``
(compact, raw UTF-8).  Since the real separator is unknown, the simulator can
write four variants (``SimulatorConfig.tcp_framing``), all on real sockets:

``ndjson``  one compact JSON object per line, ``\\n``-terminated (default).
``concat``  objects back to back with no separator at all.
``split``   ndjson, but every message is cut into 2-5 pieces written
            separately (``drain`` plus a short pause between them, with
            ``TCP_NODELAY``), and when the message contains a multi-byte
            UTF-8 character one cut always falls inside it.
``noisy``   ndjson with blank lines (``\\n``, ``\\r\\n``), keep-alive noise
            (``ping``) and, now and then, garbage without braces
            (``~~~``, ``garbage!``, NUL bytes, ``123 ``) before an object.

Protocol replies (acks, errors, ``pong``) use the same framing.
``emit_raw`` bytes are written verbatim.

What clients send is decoded leniently: JSON objects with or without a
newline, split across reads, and the text ``ping``.  Garbage before a
successful login is answered with the handshake error and the connection is
closed; garbage after it is ignored.  An incomplete object larger than 1 MiB
is treated as garbage.
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import itertools
import json
import logging
import random
from typing import Any

from .config import SimulatorConfig
from .sessions import ClientSession, EventHub

log = logging.getLogger("kobikom.simulator.tcp")

MAX_INCOMING = 1 << 20
_NOISE = (b"\n", b"\r\n", b"ping\n", b"\n\n")
_GARBAGE = (b"~~~", b"garbage!", b"\x00\x00", b"123 ")


class Garbage:
    """Bytes from a client that are not JSON."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return f"Garbage({self.text[:40]!r})"


def _document_end(text: str) -> int | None:
    """Index after the JSON object/array starting *text*, or None if incomplete."""
    depth = 0
    in_string = escaped = False
    for index, char in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
            if depth == 0:
                return index + 1
    return None


class IncomingDecoder:
    """Splits what a client sends into JSON values, ``"ping"`` and :class:`Garbage`."""

    def __init__(self) -> None:
        self._utf8 = codecs.getincrementaldecoder("utf-8")("replace")
        self._buf = ""

    def feed(self, data: bytes) -> list[Any]:
        self._buf += self._utf8.decode(data)
        out: list[Any] = []
        while True:
            text = self._buf.lstrip(" \t\r\n\x00")
            self._buf = text
            if not text:
                return out
            if text[0] in "{[":
                end = _document_end(text)
                if end is None:
                    if len(text) > MAX_INCOMING:
                        out.append(Garbage(text))
                        self._buf = ""
                    return out
                chunk, self._buf = text[:end], text[end:]
                try:
                    out.append(json.loads(chunk))
                except ValueError:
                    out.append(Garbage(chunk))
                continue
            if text[:4].lower() == "ping":
                out.append("ping")
                self._buf = text[4:]
                continue
            cut = [i for i in (text.find("{"), text.find("\n")) if i > 0]
            end = min(cut) if cut else len(text)
            out.append(Garbage(text[:end]))
            self._buf = text[end:]


class TcpSession(ClientSession):
    transport = "tcp"

    def __init__(self, hub: EventHub, reader: asyncio.StreamReader,
                 writer: asyncio.StreamWriter, framing: str, rng: random.Random) -> None:
        peer = writer.get_extra_info("peername")
        super().__init__(hub, f"{peer[0]}:{peer[1]}" if peer else "?")
        self.reader = reader
        self.writer = writer
        self.framing = framing
        self.rng = rng
        self._writer_task: asyncio.Task[None] | None = None

    # ------------------------------------------------------------ writing

    def _frame(self, kind: str, item: Any) -> list[bytes]:
        if kind == "raw":
            return [bytes(item)]
        if kind == "text":
            payload = str(item).encode()
        else:
            payload = json.dumps(item, ensure_ascii=False, separators=(",", ":")).encode()
        if self.framing == "concat":
            return [payload]
        payload += b"\n"
        if self.framing == "noisy":
            prefix = b""
            if self.rng.random() < 0.5:
                prefix += self.rng.choice(_NOISE)
            if self.rng.random() < 0.25:
                prefix += self.rng.choice(_GARBAGE)
            return [prefix + payload]
        if self.framing == "split":
            return _split(payload, self.rng)
        return [payload]

    async def _write_loop(self) -> None:
        try:
            while True:
                kind, item = await self.queue.get()
                if kind == "close":
                    break
                pieces = self._frame(kind, item)
                for index, piece in enumerate(pieces):
                    self.writer.write(piece)
                    await self.writer.drain()
                    if index < len(pieces) - 1:
                        await asyncio.sleep(0.003)
                self.sent += 1
                if kind == "json" and self.hub.on_sent is not None:
                    self.hub.on_sent(self, item)  # benchmark hook, see EventHub.on_sent
        except (ConnectionError, OSError) as exc:
            log.debug("TCP client %s went away while writing: %r", self.peer, exc)
        finally:
            self.closing = True
            self.writer.close()

    # ------------------------------------------------------------ lifecycle

    async def run(self) -> None:
        self._writer_task = asyncio.create_task(self._write_loop(), name=f"sim-tcp-w-{self.peer}")
        decoder = IncomingDecoder()
        watchdog = None
        if self.hub.cfg.handshake_timeout:
            watchdog = asyncio.create_task(self._handshake_watchdog(self.hub.cfg.handshake_timeout))
        try:
            while not self.closing:
                data = await self.reader.read(65536)
                if not data:
                    break
                for value in decoder.feed(data):
                    if isinstance(value, Garbage):
                        if not self.authenticated:
                            await self.hub.handle(self, None)  # refused like a bad handshake
                            break
                        continue
                    await self.hub.handle(self, value)
                    if self.closing:
                        break
        except (ConnectionError, OSError):
            pass
        finally:
            if watchdog is not None:
                watchdog.cancel()
            self.closing = True
            self.queue.put_nowait(("close", None))
            with contextlib.suppress(Exception):
                await asyncio.wait_for(asyncio.shield(self._writer_task), 2.0)
            if not self._writer_task.done():
                self._writer_task.cancel()
            self.writer.close()
            with contextlib.suppress(Exception):
                await self.writer.wait_closed()

    async def _handshake_watchdog(self, limit: float) -> None:
        await asyncio.sleep(limit)
        if not self.authenticated:
            log.info("TCP client %s sent no handshake in %.0fs", self.peer, limit)
            await self.close()

    async def reject(self, msg: dict[str, Any]) -> None:
        self.reply(msg)
        self.closing = True
        self.queue.put_nowait(("close", None))

    async def close(self, *, code: int = 1000, reason: str = "") -> None:
        self.closing = True
        self.queue.put_nowait(("close", None))
        self.writer.close()


def _split(payload: bytes, rng: random.Random) -> list[bytes]:
    """Cut *payload* into 2-5 pieces, one cut inside a UTF-8 sequence if any."""
    if len(payload) < 2:
        return [payload]
    cuts: set[int] = set()
    inside = [i for i in range(1, len(payload)) if 0x80 <= payload[i] <= 0xBF]
    if inside:
        cuts.add(rng.choice(inside))
    for _ in range(rng.randint(1, 4)):
        cuts.add(rng.randint(1, len(payload) - 1))
    bounds = [0, *sorted(cuts), len(payload)]
    return [payload[a:b] for a, b in itertools.pairwise(bounds) if b > a]


class TcpEventServer:
    """The listening socket; one :class:`TcpSession` per client."""

    def __init__(self, hub: EventHub, cfg: SimulatorConfig, rng: random.Random) -> None:
        self.hub = hub
        self.cfg = cfg
        self.rng = rng
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self.port = 0

    async def start(self, port: int) -> int:
        self._server = await asyncio.start_server(self._on_client, self.cfg.host, port,
                                                  reuse_address=True)
        self.port = self._server.sockets[0].getsockname()[1]
        log.info("TCP event service (%s) on %s:%d, framing %s", self.cfg.flavor,
                 self.cfg.host, self.port, self.cfg.tcp_framing)
        return self.port

    async def _on_client(self, reader: asyncio.StreamReader,
                         writer: asyncio.StreamWriter) -> None:
        session = TcpSession(self.hub, reader, writer, self.cfg.tcp_framing, self.rng)
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
        self.hub.add(session)
        log.debug("TCP client %s connected", session.peer)
        try:
            await session.run()
        finally:
            self.hub.remove(session)
            if task is not None:
                self._tasks.discard(task)
            log.debug("TCP client %s disconnected", session.peer)

    async def stop(self) -> None:
        if self._server is None:
            return
        self._server.close()
        for session in [s for s in self.hub.sessions if isinstance(s, TcpSession)]:
            await session.close()
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=3.0)
        for task in set(self._tasks):
            task.cancel()
        await self._server.wait_closed()
        self._server = None

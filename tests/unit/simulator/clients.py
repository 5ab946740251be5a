"""Real clients for the simulator tests (raw TCP, WebSocket) and small waits."""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import json
from collections.abc import Callable
from typing import Any

from websockets.asyncio.client import ClientConnection, connect

from desktop.simulator import Simulator


class TcpClient:
    """A raw TCP client that decodes concatenated/newline-delimited JSON."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self._utf8 = codecs.getincrementaldecoder("utf-8")()
        self._text = ""
        self.raw = bytearray()

    @classmethod
    async def connect(cls, port: int) -> TcpClient:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        return cls(reader, writer)

    async def send(self, obj: Any, *, newline: bool = True) -> None:
        data = obj if isinstance(obj, bytes) else json.dumps(obj).encode()
        self.writer.write(data + (b"\n" if newline else b""))
        await self.writer.drain()

    def _pop(self) -> Any:
        decoder = json.JSONDecoder()
        text = self._text.lstrip()
        if not text:
            return None
        try:
            value, end = decoder.raw_decode(text)
        except ValueError:
            return None
        self._text = text[end:]
        return value

    async def next(self, within: float = 3.0) -> Any:
        value = self._pop()
        async with asyncio.timeout(within):
            while value is None:
                data = await self.reader.read(65536)
                if not data:
                    raise EOFError("connection closed")
                self.raw += data
                self._text += self._utf8.decode(data)
                value = self._pop()
        return value

    async def expect(self, predicate: Callable[[Any], bool], within: float = 3.0) -> Any:
        async with asyncio.timeout(within):
            while True:
                msg = await self.next(within)
                if predicate(msg):
                    return msg

    async def nothing_for(self, seconds: float) -> bool:
        """True if no byte arrives for *seconds*."""
        try:
            data = await asyncio.wait_for(self.reader.read(65536), seconds)
        except TimeoutError:
            return True
        self.raw += data
        return False

    async def eof(self, within: float = 3.0) -> bool:
        async with asyncio.timeout(within):
            while True:
                data = await self.reader.read(65536)
                if not data:
                    return True
                self.raw += data
                self._text += self._utf8.decode(data)

    async def close(self) -> None:
        self.writer.close()
        with contextlib.suppress(ConnectionError, OSError):
            await self.writer.wait_closed()


async def ws_next(ws: ClientConnection, within: float = 3.0) -> Any:
    text = await asyncio.wait_for(ws.recv(), within)
    try:
        return json.loads(text)
    except ValueError:
        return text


async def ws_expect(ws: ClientConnection, predicate: Callable[[Any], bool],
                    within: float = 3.0) -> Any:
    async with asyncio.timeout(within):
        while True:
            msg = await ws_next(ws, within)
            if predicate(msg):
                return msg


def bulut_handshake(sim: Simulator, transport: str) -> dict[str, str]:
    kind = "handshake" if transport == "tcp" else "kobipbx_tenant"
    return {"type": kind, "domainUuid": sim.cfg.domain_uuid}


async def tcp_login(sim: Simulator) -> TcpClient:
    client = await TcpClient.connect(sim.ports["tcp"])
    if sim.cfg.flavor == "bulut":
        await client.send(bulut_handshake(sim, "tcp"))
    else:
        await client.send({"cmd": "login", "apikey": sim.cfg.api_key})
    await client.expect(lambda m: m.get("status") == "success")
    return client


async def ws_login(sim: Simulator, **kwargs: Any) -> ClientConnection:
    ws = await connect(sim.ws_url, **kwargs)
    if sim.cfg.flavor == "bulut":
        await ws.send(json.dumps(bulut_handshake(sim, "ws")))
    else:
        await ws.send(json.dumps({"command": "login", "password": sim.cfg.api_key,
                                  "crm_id": "t1"}))
    await ws_expect(ws, lambda m: isinstance(m, dict) and m.get("status") == "success")
    return ws


async def wait_for(predicate: Callable[[], bool], within: float = 3.0) -> None:
    async with asyncio.timeout(within):
        while not predicate():  # noqa: ASYNC110 - polling simulator state is the point
            await asyncio.sleep(0.02)

"""PhoneLine.send_command: delegated to the live channel once, replies awaited, never queued."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

import pytest

from desktop.core.calls import CallTracker
from desktop.core.phone_line import CommandsUnsupported, PhoneLine
from desktop.pbx.connection import ConnectionState, Phase
from desktop.pbx.errors import NotConnectedError
from desktop.pbx.events import ReplyEvent


class CommandChannel:
    """A channel that is "connected" until cancelled and records commands."""

    def __init__(self, on_event: Any, on_state: Any, *, reply: bool = True) -> None:
        self.on_event = on_event
        self.on_state = on_state
        self.reply = reply
        self.sent: list[dict[str, Any]] = []

    async def run(self) -> None:
        self.on_state(ConnectionState(Phase.CONNECTED))
        await asyncio.Event().wait()

    def kick(self, reason: str = "") -> None:
        pass

    async def send_command(self, command: Mapping[str, Any]) -> None:
        self.sent.append(dict(command))
        if self.reply:
            loop = asyncio.get_running_loop()
            # the reply arrives later, as an event, like the real channel's
            loop.call_soon(self.on_event, ReplyEvent(raw={}, command=str(command["command"]),
                                                     ok=True, message="tamam"))


class EventsOnly(CommandChannel):
    send_command = None  # type: ignore[assignment]  # Bulut / Tekil TCP: no commands


def new_line() -> PhoneLine:
    return PhoneLine(CallTracker(["1001"]), directory=None, journal=None,
                     on_card=lambda _c: None, on_state=lambda _s: None)


async def running(line: PhoneLine, make: Any) -> tuple[asyncio.Task[None], Any]:
    made: list[Any] = []

    def factory(on_event: Any, on_state: Any) -> Any:
        made.append(make(on_event, on_state))
        return made[0]

    task = asyncio.ensure_future(line.run(factory))
    for _ in range(100):
        if line.connected:
            break
        await asyncio.sleep(0)
    return task, made[0]


async def stop(task: asyncio.Task[None]) -> None:
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_not_running_raises_not_connected() -> None:
    line = new_line()
    assert not line.supports_commands
    with pytest.raises(NotConnectedError):
        await line.send_command({"command": "hangup", "unique_id": "1.2"})


async def test_sends_once_and_returns_the_reply() -> None:
    line = new_line()
    task, channel = await running(line, CommandChannel)
    try:
        assert line.supports_commands
        assert line.connected
        reply = await line.send_command({"command": "originate", "customer_num": "1"},
                                        reply_timeout=2.0)
        assert isinstance(reply, ReplyEvent)
        assert reply.ok
        assert reply.message == "tamam"
        assert channel.sent == [{"command": "originate", "customer_num": "1"}]
        assert line._reply_waiters == {}  # nothing left behind
    finally:
        await stop(task)


async def test_no_reply_is_none_after_the_timeout() -> None:
    line = new_line()
    task, channel = await running(line, lambda e, s: CommandChannel(e, s, reply=False))
    try:
        assert await line.send_command({"command": "hangup"}, reply_timeout=0.05) is None
        assert len(channel.sent) == 1
        assert line._reply_waiters == {}
    finally:
        await stop(task)


async def test_channel_without_commands_says_so() -> None:
    line = new_line()
    task, _channel = await running(line, EventsOnly)
    try:
        assert not line.supports_commands
        with pytest.raises(CommandsUnsupported, match="only the Tekil Santral WebSocket"):
            await line.send_command({"command": "originate"})
    finally:
        await stop(task)

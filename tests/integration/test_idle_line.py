"""Idle means asleep: a connected line with no call wakes the process (almost) never.

The loop runs on a selector that counts its wake-ups.  The real line (a
PhoneLine on a real TCP channel with the app's timing, against a loopback
server that says nothing) is measured for a few seconds once it is
connected: the old line woke four times a second (its 250 ms tick) plus
every 5 s (the channel's watchdog); the target is under 0.5 per second.
"""

from __future__ import annotations

import asyncio
import selectors
import time
from typing import Any

from desktop.core.calls import CallTracker
from desktop.core.phone_line import PhoneLine
from desktop.pbx.channels import ChannelTiming, Credentials, open_channel
from desktop.pbx.connection import ConnectionState, Endpoint, Flavor, Phase, Transport
from tests.helpers.fakepbx import WAIT, FakeTcpServer

#: Measured for this long (s) once connected.
WINDOW_S = 4.0
#: Wake-ups per second allowed (issue 14's target is < 0.5).
TARGET_PER_S = 0.5


class CountingSelector(selectors.DefaultSelector):  # type: ignore[misc,valid-type]
    """Counts how often the event loop came back from waiting."""

    def __init__(self) -> None:
        super().__init__()
        self.wakeups = 0

    def select(self, timeout: float | None = None) -> Any:
        ready = super().select(timeout)
        self.wakeups += 1
        return ready


def test_an_idle_connected_line_sleeps() -> None:
    selector = CountingSelector()
    loop = asyncio.SelectorEventLoop(selector)
    try:
        measured = loop.run_until_complete(asyncio.wait_for(_measure(selector), WAIT * 3))
    finally:
        loop.close()
    per_second = measured / WINDOW_S
    assert per_second < TARGET_PER_S, f"{measured} wake-ups in {WINDOW_S:g} s"


async def _measure(selector: CountingSelector) -> int:
    server = await FakeTcpServer().start()
    states: list[ConnectionState] = []
    connected = asyncio.Event()

    def on_state(state: ConnectionState) -> None:
        states.append(state)
        if state.phase is Phase.CONNECTED:
            connected.set()

    def factory(on_event: Any, state_cb: Any) -> Any:
        return open_channel(Flavor.BULUT, Transport.TCP, Endpoint("127.0.0.1", server.port),
                            Credentials(domain_uuid="d"), on_event=on_event,
                            on_state=state_cb, timing=ChannelTiming())

    line = PhoneLine(CallTracker(["1001"]), directory=None, journal=None,
                     on_card=lambda _c: None, on_state=on_state)
    task = asyncio.ensure_future(line.run(factory))
    try:
        await connected.wait()
        await server.wait_clients()
        await asyncio.sleep(0.2)  # the login written, the server's read settled
        before = selector.wakeups
        started = time.monotonic()
        await asyncio.sleep(WINDOW_S)  # the one timer of the measurement itself
        assert time.monotonic() - started >= WINDOW_S
        assert [s.phase for s in states][-1] is Phase.CONNECTED
        return selector.wakeups - before - 1  # not counting our own sleep's end
    finally:
        task.cancel()
        await asyncio.wait([task])
        await server.stop()

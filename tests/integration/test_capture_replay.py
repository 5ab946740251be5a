"""Capture a live channel, replay the capture, serve it again: the same calls each time.

Everything real: the simulator's servers on loopback, our channels, the
capture file, the decoder and the tracker.  For each channel (Bulut/Tekil
over TCP/WebSocket; TCP with messages cut into pieces at random bytes):

1. a live channel talks to the simulator, a tracker follows its calls and a
   capture writer records every frame;
2. the capture is replayed offline (:class:`desktop.core.replay.CaptureReplay`):
   the same calls, changes and outcomes, at the same times;
3. the simulator serves the capture (``replay_files``) to a fresh channel:
   the same events and the same calls again.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from desktop.core.calls import Call, CallChange, CallOutcome, CallTracker
from desktop.core.replay import CaptureReplay
from desktop.pbx.capture import CaptureInfo, CaptureReader, CaptureWriter, capture_secrets
from desktop.pbx.channels import ChannelTiming, Credentials, open_channel
from desktop.pbx.connection import Endpoint, Flavor, Phase, Transport
from desktop.pbx.events import Event
from desktop.simulator import Simulator, SimulatorConfig
from tests.helpers.fakepbx import WAIT, ChannelProbe, running
from tests.integration.conftest import FAST_BACKOFF, SLOW_AUTH

DOMAIN = "5b0c0e4e-1d2f-4a6b-9c3d-000000000001"
API_KEY = "demo-api-key-capture"
CALLERS = ("05321234567", "02163347190", "+905551112233")

CHANNELS = [
    pytest.param(Flavor.BULUT, Transport.TCP, "split", id="bulut-tcp-split"),
    pytest.param(Flavor.BULUT, Transport.WS, "ndjson", id="bulut-ws"),
    pytest.param(Flavor.TEKIL, Transport.TCP, "concat", id="tekil-tcp-concat"),
    pytest.param(Flavor.TEKIL, Transport.WS, "ndjson", id="tekil-ws"),
]


class Line:
    """A channel with a tracker behind it, the way the app's phone line uses them."""

    def __init__(self, sim: Simulator, flavor: Flavor, transport: Transport,
                 timing: ChannelTiming, capture: CaptureWriter | None = None) -> None:
        self.probe = ChannelProbe()
        self.events: list[Event] = []
        self.changes: list[tuple[Call, CallChange]] = []
        self.changed = asyncio.Event()
        self.tracker = CallTracker(["1001"], DOMAIN if flavor is Flavor.BULUT else None,
                                   on_change=self._change)
        port = sim.ports["tcp" if transport is Transport.TCP else "ws"]
        on_state = self.probe.on_state
        self.channel = open_channel(
            flavor, transport, Endpoint("127.0.0.1", port, tls=False),
            Credentials(domain_uuid=DOMAIN, api_key=API_KEY, crm_id="t"),
            on_event=self._event,
            on_state=capture.tap_state(on_state) if capture else on_state,
            on_frame=capture.frame if capture else None,
            timing=timing, backoff=FAST_BACKOFF, auth_backoff=SLOW_AUTH)

    def _event(self, event: Event) -> None:
        self.events.append(event)
        self.probe.on_event(event)
        self.tracker.feed(event)

    def _change(self, call: Call, change: CallChange) -> None:
        self.changes.append((call, change))
        self.changed.set()

    def ended(self) -> dict[str, Call]:
        return {c.call_id: c for c, ch in self.changes if ch is CallChange.ENDED}

    async def wait_for(self, done: Callable[[], bool]) -> None:
        async with asyncio.timeout(WAIT):
            while not done():
                self.changed.clear()
                await self.changed.wait()

    async def wait_ended(self, count: int) -> None:
        await self.wait_for(lambda: len(self.ended()) >= count)


def simulator(flavor: Flavor, framing: str, **extra: Any) -> Simulator:
    return Simulator(SimulatorConfig(
        flavor=flavor.value, host="127.0.0.1", domain_uuid=DOMAIN, api_key=API_KEY,
        tcp_framing=framing, seed_history=0, random_seed=7, **extra))  # type: ignore[arg-type]


async def scenario(sim: Simulator) -> dict[str, CallOutcome]:
    """Three calls on 1001: answered, missed, and answered by a queue colleague.

    Keyed by caller: under the default (FreeSWITCH) profile a call's id is the
    first of its legs the agent saw, not always the simulator's call id."""
    await sim.ring("1001", CALLERS[0], answer_after=0.2, hangup_after=0.3)
    await sim.ring("1001", CALLERS[1], hangup_after=0.4)
    await sim.ring("1001", CALLERS[2], queue="60000", other_extensions=("1002",),
                   answered_by="1002", answer_after=0.3, hangup_after=0.2)
    return {CALLERS[0]: CallOutcome.ANSWERED, CALLERS[1]: CallOutcome.MISSED,
            CALLERS[2]: CallOutcome.ANSWERED_ELSEWHERE}


async def logged_in(sim: Simulator) -> None:
    """Events flow once the simulator accepted the login; the default profile sends
    no reply to it (none is documented)."""
    async with asyncio.timeout(WAIT):
        while not any(c["authenticated"] for c in sim.connected_clients()):  # noqa: ASYNC110 - polling simulator state
            await asyncio.sleep(0.02)


def summary(changes: list[tuple[Call, CallChange]]) -> list[tuple[Any, ...]]:
    """What the agent sees of the calls: order, ids, numbers, states (not the clock)."""
    return [(c.call_id, ch, c.state, c.outcome, c.caller.raw, c.extension, c.direction,
             c.queue, c.answered_by) for c, ch in changes]


def event_summary(events: list[Event]) -> list[tuple[str, Any]]:
    """Every event (login replies, statuses, agents, queues, calls) as decoded."""
    return [(type(e).__name__, e.raw) for e in events]


@pytest.mark.parametrize(("flavor", "transport", "framing"), CHANNELS)
async def test_capture_replay_and_simulator_replay_give_the_same_calls(
        flavor: Flavor, transport: Transport, framing: str, timing: ChannelTiming,
        tmp_path: Path) -> None:
    path = tmp_path / "capture.jsonl"
    creds = Credentials(domain_uuid=DOMAIN, api_key=API_KEY)
    capture = CaptureWriter(path, CaptureInfo(flavor=flavor.value, transport=transport.value,
                                              extensions=("1001",),
                                              has_domain=flavor is Flavor.BULUT),
                            secrets=capture_secrets(creds), domain_uuid=DOMAIN,
                            keep_numbers=True)
    # 1. live
    async with simulator(flavor, framing) as sim:
        live = Line(sim, flavor, transport, timing, capture)
        async with running(live.channel):
            await live.probe.state(Phase.CONNECTED)
            await logged_in(sim)  # events flow from now on
            expected = await scenario(sim)
            await live.wait_ended(len(expected))
            await asyncio.sleep(0.3)  # trailing destroy events
    capture.close()
    assert {c.caller.raw: c.outcome for c in live.ended().values()} == expected
    text = path.read_text("utf-8")
    assert DOMAIN not in text
    assert API_KEY not in text

    # 2. offline replay: the same changes, at the same receive times (within the
    #    microseconds between the frame tap and the decoder).
    replayed: list[tuple[Call, CallChange]] = []
    tracker = CallTracker(["1001"], "<domain-uuid>" if flavor is Flavor.BULUT else None,
                          on_change=lambda c, ch: replayed.append((c, ch)))
    replay = CaptureReplay(tracker)
    replay.run(CaptureReader(path).records())
    assert summary(replayed) == summary(live.changes)
    for (a, _), (b, _) in zip(replayed, live.changes, strict=True):
        for field in ("ringing_at", "answered_at", "ended_at"):
            x, y = getattr(a, field), getattr(b, field)
            assert (x is None) == (y is None)
            if x is not None:
                assert x == pytest.approx(y, abs=0.05), field

    # 3. the simulator serves the capture to a fresh channel: the same events, calls.
    async with simulator(flavor, "ndjson", replay_files=(str(path),),
                         replay_speed=2.0) as sim:
        again = Line(sim, flavor, transport, timing)
        started = time.monotonic()
        async with running(again.channel):
            await again.wait_ended(len(expected))
            await asyncio.sleep(0.3)
        assert len(live.events) > 3 * len(expected)
        assert event_summary(again.events) == event_summary(live.events)
        assert summary(again.changes) == summary(live.changes)
        assert time.monotonic() - started >= 0.2, "the recorded timing was not respected"


async def test_a_capture_is_served_connection_by_connection(timing: ChannelTiming,
                                                            tmp_path: Path) -> None:
    """The server closed the first recorded connection: the replay closes it at the
    same offset, and the client's reconnect gets the second connection."""
    path = tmp_path / "cap.jsonl"
    clock = {"t": 10.0}
    w = CaptureWriter(path, CaptureInfo(flavor="bulut", transport="tcp"), keep_numbers=True,
                      clock=lambda: clock["t"], wall_clock=lambda: 1e9 + clock["t"])

    def at(t: float, action: Callable[[], None]) -> None:
        clock["t"] = 10.0 + t
        action()

    # Two callers: two calls with one caller on one extension at once would be one
    # call's legs.
    ring = b'{"event":"ringing","callUUID":"%s","extension":"1001","callerNumber":"%s"}\n'
    at(0.0, lambda: w.state(_state(Phase.CONNECTED)))
    at(0.1, lambda: w.frame(ring % (b"first", b"05321234567")))
    at(0.3, lambda: w.state(_state(Phase.RECONNECTING, "server closed the connection")))
    at(1.3, lambda: w.state(_state(Phase.CONNECTED)))
    at(1.4, lambda: w.frame(ring % (b"second", b"05427730516")))
    w.close()
    async with simulator(Flavor.BULUT, "ndjson", replay_files=(str(path),)) as sim:
        line = Line(sim, Flavor.BULUT, Transport.TCP, timing)
        async with running(line.channel):
            await line.wait_for(lambda: len(line.tracker.active_calls()) >= 2)
        assert [c.call_id for c in line.tracker.active_calls()] == ["first", "second"]
        phases = line.probe.phases()
        assert phases.count(Phase.CONNECTED) == 2
        assert Phase.RECONNECTING in phases


def _state(phase: Phase, reason: str | None = None) -> Any:
    from desktop.pbx.connection import ConnectionState

    return ConnectionState(phase, reason=reason)


async def test_a_failing_frame_tap_never_costs_an_event(timing: ChannelTiming,
                                                        caplog: pytest.LogCaptureFixture) -> None:
    def broken(_data: bytes | str) -> None:
        raise OSError("disk full")

    async with simulator(Flavor.BULUT, "ndjson") as sim:
        line = Line(sim, Flavor.BULUT, Transport.TCP, timing)
        line.channel.on_frame = broken
        async with running(line.channel):
            await line.probe.state(Phase.CONNECTED)
            await logged_in(sim)
            call = await sim.ring("1001", CALLERS[0])
            await line.wait_for(lambda: line.tracker.get(call) is not None)
    assert "on_frame callback failed" in caplog.text

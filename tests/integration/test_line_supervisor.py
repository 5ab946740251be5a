"""The line's one owner: serialised starts, restarts that change only what changed,
calls that outlive every restart.  Real loopback sockets, a real journal."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from desktop.core.call_records import CallEnd, CallQuery
from desktop.core.caller_card import CallerCard, CardOutcome, CardState
from desktop.core.journal import Journal
from desktop.core.line_supervisor import LinePlan, LineProblem, LineSpec, LineSupervisor
from desktop.pbx.channels import ChannelTiming, Credentials
from desktop.pbx.connection import ConnectionState, Endpoint, Flavor, Phase, Transport
from tests.helpers.fakepbx import WAIT, FakeTcpServer
from tests.integration.conftest import FAST_BACKOFF, SLOW_AUTH

DOMAIN = "5b0c0e4e-1d2f-4a6b-9c3d-000000000001"
CALLER = "05321234567"
TIMING = ChannelTiming(connect_timeout=5.0, idle_timeout=None, watchdog_tick=0.1,
                       early_close_window=0.2)


def line(obj: Any) -> bytes:
    return (json.dumps(obj) + "\n").encode()


def ringing(call_id: str) -> bytes:
    return line({"event": "ringing", "callUUID": call_id, "extension": "1001",
                 "callerNumber": CALLER, "calledNumber": "02242345678"})


def answered(call_id: str) -> bytes:
    return line({"event": "answered", "callUUID": call_id, "extension": "1001",
                 "callerNumber": CALLER})


def hangup(call_id: str) -> bytes:
    return line({"event": "hangup", "callUUID": call_id, "hangupCause": "NORMAL_CLEARING"})


async def until(condition: Callable[[], bool], within: float = WAIT) -> None:
    """Poll *condition* with a deadline (it spans sockets and callbacks alike)."""
    async with asyncio.timeout(within):
        while not condition():  # noqa: ASYNC110
            await asyncio.sleep(0.01)


def tekil_spec(server: FakeTcpServer, key: str = "key-1", *, mode: str = "live",
               extensions: tuple[str, ...] = ("1001",)) -> LineSpec:
    return LineSpec(mode=mode, flavor=Flavor.TEKIL, transport=Transport.TCP,
                    endpoint=Endpoint("127.0.0.1", server.port),
                    credentials=Credentials(api_key=key), extensions=extensions, domain=None)


class Harness:
    """A supervisor whose ``resolve`` returns ``self.plan`` (optionally held at a gate)."""

    def __init__(self, journal: Journal) -> None:
        self.journal = journal
        self.plan: LinePlan | None = None
        self.gate: asyncio.Event | None = None
        self.resolving = asyncio.Event()
        self.resolved = 0
        self.cards: list[CallerCard] = []
        self.states: list[ConnectionState] = []
        self.settled: dict[str, float | None] = {}
        self.lookups: list[str] = []
        self.supervisor = LineSupervisor(
            resolve=self.resolve, stores=lambda: (None, self.journal),
            on_card=self.cards.append, on_state=self.states.append, settle=self.settle,
            channel_options=lambda: {"timing": TIMING, "backoff": FAST_BACKOFF,
                                     "auth_backoff": SLOW_AUTH},
            settle_retry=0.3)

    async def resolve(self) -> LinePlan:
        plan = self.plan  # what the settings said when the request was made
        self.resolving.set()
        if self.gate is not None:
            await self.gate.wait()  # the keyring is slow
        self.resolved += 1
        assert plan is not None
        return plan

    async def settle(self, query: CallQuery) -> CallEnd | None:
        call_id = query.ids[0]
        self.lookups.append(call_id)
        ended = self.settled.get(call_id)
        return CallEnd(ended, "answered") if ended is not None else None

    async def wait_for(self, condition: Callable[[], bool], within: float = WAIT) -> None:
        await until(condition, within)

    def card_states(self, call_id: str) -> list[CardState]:
        return [c.state for c in self.cards if c.call_id == call_id]

    def connected(self) -> bool:
        return bool(self.states) and self.states[-1].phase is Phase.CONNECTED


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[Harness]:
    journal = Journal(tmp_path / "journal.sqlite3")
    h = Harness(journal)
    try:
        yield h
    finally:
        await h.supervisor.close()
        journal.close()


@pytest.fixture
async def servers() -> AsyncIterator[list[FakeTcpServer]]:
    started = [await FakeTcpServer().start(), await FakeTcpServer().start()]
    try:
        yield started
    finally:
        for server in started:
            await server.stop()


async def call_in_progress(h: Harness, server: FakeTcpServer, call_id: str) -> None:
    await server.wait_clients()
    await server.send(ringing(call_id) + answered(call_id))
    await h.wait_for(lambda: CardState.ANSWERED in h.card_states(call_id))


async def test_settings_saved_while_the_first_connect_waits_on_the_keyring(
        harness: Harness, servers: list[FakeTcpServer]) -> None:
    """The issue's race: two live connections publishing every card twice."""
    a, b = servers
    h = harness
    h.gate = asyncio.Event()
    h.plan = tekil_spec(a)
    first = h.supervisor.reconfigure("start")
    await h.resolving.wait()  # the first start is stuck in the keyring
    h.plan = tekil_spec(b)  # the agent saves other settings meanwhile
    second = h.supervisor.reconfigure("settings saved")
    third = h.supervisor.reconfigure("settings saved again")
    h.gate.set()
    await asyncio.wait_for(asyncio.gather(first, second, third), WAIT)
    await h.wait_for(h.connected)
    await b.wait_clients()
    assert h.supervisor.channels_started == 1
    assert (a.connections, b.connections) == (0, 1)
    assert h.supervisor.spec is not None
    assert h.supervisor.spec.endpoint.port == b.port  # the newest settings won
    await b.send(ringing("c1"))
    await h.wait_for(lambda: h.card_states("c1") != [])
    await asyncio.sleep(0.2)
    assert h.card_states("c1") == [CardState.RINGING]  # one card, not two


async def test_overlapping_starts_of_the_same_settings_make_one_connection(
        harness: Harness, servers: list[FakeTcpServer]) -> None:
    a, _ = servers
    h = harness
    h.gate = asyncio.Event()
    h.plan = tekil_spec(a)
    requests = [h.supervisor.reconfigure(f"start {i}") for i in range(5)]
    await h.resolving.wait()
    h.gate.set()
    await asyncio.wait_for(asyncio.gather(*requests), WAIT)
    await a.wait_clients()
    await asyncio.sleep(0.3)
    assert h.supervisor.channels_started == 1
    assert a.connections == 1


async def test_settings_saves_during_a_call_keep_the_call_and_one_connection(
        harness: Harness, servers: list[FakeTcpServer]) -> None:
    a, b = servers
    h = harness
    h.plan = tekil_spec(a)
    await h.supervisor.reconfigure("start")
    await call_in_progress(h, a, "c1")

    # The popup corner (nothing of the line) changed: nothing restarts.
    await h.supervisor.reconfigure("settings saved")
    assert h.supervisor.channels_started == 1
    assert a.connections == 1

    # Another extension too: the tracker learns it, no reconnect.
    h.plan = tekil_spec(a, extensions=("1001", "1002"))
    await h.supervisor.reconfigure("settings saved")
    assert a.connections == 1
    line = h.supervisor.line
    assert line is not None
    assert line.tracker.extensions == frozenset({"1001", "1002"})

    # A corrected API key: a new channel logs in with it (a capture would redact the
    # new key); the call stays.
    h.plan = tekil_spec(a, key="key-2", extensions=("1001", "1002"))
    await h.supervisor.reconfigure("settings saved")
    await h.wait_for(lambda: a.connections == 2)
    assert h.supervisor.channels_started == 2
    assert a.received[-1] == {"cmd": "login", "apikey": "key-2"}

    # Another server: a new channel, under the same call.
    h.plan = tekil_spec(b, key="key-2", extensions=("1001", "1002"))
    await h.supervisor.reconfigure("settings saved")
    await b.wait_clients()
    assert h.supervisor.channels_started == 3
    assert h.supervisor.line is line  # the same line and tracker
    assert h.card_states("c1") == [CardState.RINGING, CardState.ANSWERED]  # never ended
    await a.stop()  # the old server is no longer ours: nothing of it may matter
    await h.wait_for(h.connected)

    # The call goes on: it is settled by the next event (here its hangup, on b).
    await b.send(hangup("c1"))
    await h.wait_for(lambda: CardState.ENDED in h.card_states("c1"))
    ended = [c for c in h.cards if c.call_id == "c1"][-1]
    assert ended.outcome is CardOutcome.ANSWERED
    assert h.journal.flush(10.0)  # the line queues its rows for the journal's writer
    assert h.journal.get("c1").outcome == "answered"  # type: ignore[union-attr]
    assert Phase.DISCONNECTED not in [s.phase for s in h.states[1:]]


async def test_a_call_across_a_lost_connection_is_settled_by_its_call_record(
        harness: Harness, servers: list[FakeTcpServer]) -> None:
    a, _ = servers
    h = harness
    h.plan = tekil_spec(a)
    await h.supervisor.reconfigure("start")
    await call_in_progress(h, a, "c1")
    await call_in_progress(h, a, "c2")
    port = a.port
    await a.stop()  # the server restarts: both hangups are sent while we are away
    await a.start(port)
    await h.wait_for(lambda: a.connections == 2)  # reconnected
    ended_at = [c for c in h.cards if c.call_id == "c1"][-1].answered_at or 0.0
    h.settled["c1"] = ended_at + 42.0  # c1's record is there; c2 goes on
    await h.wait_for(lambda: CardState.ENDED in h.card_states("c1"))
    final = [c for c in h.cards if c.call_id == "c1"][-1]
    assert final.outcome is CardOutcome.ANSWERED
    assert final.ended_at == ended_at + 42.0
    # c2 has no record yet: it stays open, with its popup; the records are asked again
    await h.wait_for(lambda: h.lookups.count("c2") >= 2)
    assert h.card_states("c2") == [CardState.RINGING, CardState.ANSWERED]
    line = h.supervisor.line
    assert line is not None
    assert line.unsettled() == ["c2"]
    await a.send(hangup("c2"))  # ... until its next event settles it
    await h.wait_for(lambda: CardState.ENDED in h.card_states("c2"))
    assert line.unsettled() == []


async def test_a_problem_stops_the_line_and_says_why(harness: Harness,
                                                     servers: list[FakeTcpServer]) -> None:
    a, _ = servers
    h = harness
    h.plan = tekil_spec(a)
    await h.supervisor.reconfigure("start")
    await call_in_progress(h, a, "c1")
    problem = ConnectionState(Phase.AUTH_FAILED, reason="the API key is not set")
    h.plan = LineProblem(problem)
    await h.supervisor.reconfigure("settings saved")
    assert h.states[-1] == problem
    assert not h.supervisor.running
    assert h.supervisor.line is None
    assert CardState.ENDED in h.card_states("c1")  # no line, no calls


async def test_the_demo_switch_ends_the_old_line_then_prepares_then_starts(
        harness: Harness, servers: list[FakeTcpServer]) -> None:
    a, b = servers
    h = harness
    h.plan = tekil_spec(a)
    await h.supervisor.reconfigure("start")
    await call_in_progress(h, a, "c1")
    order: list[str] = []

    async def prepare() -> None:
        order.append("prepare")
        assert h.supervisor.line is None  # the old line (and its calls) ended first
        assert CardState.ENDED in h.card_states("c1")
        h.plan = tekil_spec(b, mode="demo")

    await h.supervisor.switch(prepare, "demo mode on")
    await b.wait_clients()
    assert order == ["prepare"]
    assert h.supervisor.spec is not None
    assert h.supervisor.spec.mode == "demo"
    assert h.supervisor.channels_started == 2


async def test_close_ends_calls_and_leaves_no_task(harness: Harness,
                                                   servers: list[FakeTcpServer]) -> None:
    a, _ = servers
    h = harness
    h.plan = tekil_spec(a)
    await h.supervisor.reconfigure("start")
    await call_in_progress(h, a, "c1")
    await h.supervisor.close()
    assert CardState.ENDED in h.card_states("c1")
    assert not h.supervisor.running
    names = {t.get_name() for t in asyncio.all_tasks()}
    assert not names & {"phone-line", "line-supervisor", "settle-calls", "line-tick"}
    with pytest.raises(RuntimeError, match="closed"):
        await h.supervisor.reconfigure("too late")


async def test_channel_taps_see_every_frame_and_a_change_of_them_keeps_the_call(
        tmp_path: Path, servers: list[FakeTcpServer]) -> None:
    """The app's raw capture hook: a new channel gets it; turning it on keeps the calls."""
    a, _ = servers
    journal = Journal(tmp_path / "journal.sqlite3")
    frames: list[bytes | str] = []
    states: list[ConnectionState] = []
    tapped: list[ConnectionState] = []
    plan = [tekil_spec(a)]

    async def resolve() -> LinePlan:
        return plan[0]

    def taps(spec: LineSpec, on_state: Callable[[ConnectionState], None]) -> Any:
        if not spec.taps:
            return on_state, {}

        def both(state: ConnectionState) -> None:
            tapped.append(state)
            on_state(state)

        return both, {"on_frame": frames.append}

    cards: list[CallerCard] = []
    supervisor = LineSupervisor(
        resolve=resolve, stores=lambda: (None, journal), on_card=cards.append,
        on_state=states.append, channel_taps=taps,
        channel_options=lambda: {"timing": TIMING, "backoff": FAST_BACKOFF})
    try:
        await supervisor.reconfigure("start")
        await a.wait_clients()
        await a.send(ringing("c1") + answered("c1"))
        await until(lambda: any(c.state is CardState.ANSWERED for c in cards))
        assert frames == []
        plan[0] = dataclasses.replace(tekil_spec(a), taps=("capture", True))
        await supervisor.reconfigure("capture turned on")
        await until(lambda: a.connections >= 2)
        await a.send(hangup("c1"))
        await until(lambda: any(c.state is CardState.ENDED for c in cards))
        assert any(b"hangup" in f for f in frames if isinstance(f, bytes))
        assert [c.outcome for c in cards if c.state is CardState.ENDED] == \
            [CardOutcome.ANSWERED]  # the call lived across the change
        assert supervisor.channels_started == 2
        assert tapped
        assert tapped[-1].phase is Phase.CONNECTED
    finally:
        await supervisor.close()
        journal.close()


async def test_a_new_line_gets_the_remote_directory_and_a_running_one_new_sources(
        tmp_path: Path, servers: list[FakeTcpServer], lookup_server: Any) -> None:
    """The app's remote directory reaches the lines the supervisor makes (late contacts)."""
    from desktop.core.remote_directory import RemoteDirectory
    from desktop.core.remote_http import HttpLookupSource

    a, _ = servers
    journal = Journal(tmp_path / "journal.sqlite3")
    lookup_server.contacts["+905321234567"] = {"name": "Uzak Müşteri", "company": "CRM A.Ş."}
    remote = [RemoteDirectory([HttpLookupSource(lookup_server.url(), budget=2.0)])]
    cards: list[CallerCard] = []

    async def resolve() -> LinePlan:
        return tekil_spec(a)

    supervisor = LineSupervisor(
        resolve=resolve, stores=lambda: (None, journal), on_card=cards.append,
        on_state=lambda s: None, remote=lambda: remote[0],
        channel_options=lambda: {"timing": TIMING, "backoff": FAST_BACKOFF})
    try:
        await supervisor.reconfigure("start")
        await a.wait_clients()
        await a.send(ringing("c1"))
        await until(lambda: any(c.name == "Uzak Müşteri" for c in cards))
        assert cards[0].lookup_pending
        assert cards[-1].contact_source == "http"
        # New settings: no remote sources any more; the running line follows.
        assert supervisor.line is not None
        supervisor.line.set_remote(None)
        await a.send(hangup("c1") + ringing("c2"))
        await until(lambda: any(c.call_id == "c2" for c in cards))
        c2 = [c for c in cards if c.call_id == "c2"]
        assert not c2[0].lookup_pending
        assert c2[0].name is None
    finally:
        await supervisor.close()
        await remote[0].aclose()
        journal.close()

"""A call whose hangup was lost while the line was down is settled from the PBX's record,
also under FreeSWITCH legs, where the call's id is the agent's leg and not the record's.

Everything is real and wired as the app wires it: the simulator (under the
``freeswitch`` and ``sparse`` profiles) on loopback, the line supervisor with
the app's tracker factory, the phone line writing a SQLite journal, and the
history sync reading the simulator's call records over HTTP.  While the line
is deaf the agent's call is hung up (and a queue call that rang the agent is
taken by a colleague); then the line reconnects.  Each call must end from
its record: its popup's card ends, with the record's outcome, and the
journal has one row per customer call with that outcome, also after the
records were merged.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from desktop.core.call_records import CallEnd, CallQuery
from desktop.core.caller_card import CallerCard, CardOutcome, CardState
from desktop.core.calls import RecentDials, TrackerFactory
from desktop.core.history_sync import HistorySync, KobiPbxCdrSource, TekilCdrSource
from desktop.core.journal import HistoryFilter, Journal
from desktop.core.line_supervisor import LinePlan, LineSpec, LineSupervisor
from desktop.core.numbers import parse_number
from desktop.pbx.channels import ChannelTiming, Credentials
from desktop.pbx.connection import ConnectionState, Endpoint, Flavor, Phase, Transport
from desktop.pbx.rest import KobiPbxSession, TekilSession
from desktop.simulator import Simulator, SimulatorConfig
from tests.integration.conftest import FAST_BACKOFF, SLOW_AUTH

USER = "demo@kobikom.example"
PASSWORD = "demo-password"
API_KEY = "demo-api-key"
DOMAIN = "5b0c0e4e-1d2f-4a6b-9c3d-000000000001"
AGENT = "1001"
WAIT = 20.0
TIMING = ChannelTiming(connect_timeout=5.0, write_timeout=5.0, idle_timeout=None,
                       ping_interval=None, ping_timeout=None, watchdog_tick=0.1,
                       early_close_window=2.0, auth_reply_window=2.0)

CASES = [("bulut", "freeswitch"), ("bulut", "sparse"), ("tekil", "freeswitch"),
         ("tekil", "sparse")]


async def until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, what
        await asyncio.sleep(0.02)


@dataclass
class Desk:
    """The agent's side as the app wires it (without Qt)."""

    sim: Simulator
    supervisor: LineSupervisor
    journal: Journal
    sync: HistorySync
    cards: list[CallerCard] = field(default_factory=list)
    states: list[ConnectionState] = field(default_factory=list)
    asked: list[CallQuery] = field(default_factory=list)

    def of(self, call_id: str) -> list[CallerCard]:
        return [c for c in self.cards if c.call_id == call_id]

    def calls_with(self, number: str) -> list[str]:
        key = parse_number(number).key
        return list(dict.fromkeys(c.call_id for c in self.cards if c.number.key == key))

    def rows(self, number: str) -> list[Any]:
        key = parse_number(number).key
        return [r for r in self.journal.history_rows(HistoryFilter()) if r.number_key == key]

    def connections(self) -> int:
        return sum(1 for s in self.states if s.phase is Phase.CONNECTED)


@contextlib.asynccontextmanager
async def desk_for(flavor: str, profile: str, tmp_path: Path) -> AsyncIterator[Desk]:
    cfg = SimulatorConfig(flavor=flavor, profile=profile, host="127.0.0.1",  # type: ignore[arg-type]
                          panel_user=USER, panel_password=PASSWORD, api_key=API_KEY,
                          domain_uuid=DOMAIN, kobipbx_user=USER, kobipbx_password=PASSWORD,
                          seed_history=0, random_seed=5)
    sim = Simulator(cfg)
    await sim.start()
    tekil = flavor == "tekil"
    journal = Journal(tmp_path / "journal.sqlite3")
    session: Any = (TekilSession(USER, PASSWORD, base_url=sim.http_base) if tekil
                    else KobiPbxSession(USER, PASSWORD, base_url=sim.http_base))
    source: Any = (TekilCdrSource(session, [AGENT]) if tekil
                   else KobiPbxCdrSource(session, DOMAIN, [AGENT]))

    async def cdr_source() -> Any:
        return source

    sync = HistorySync(journal, cdr_source)
    spec = LineSpec(mode="live", flavor=Flavor(flavor),
                    transport=Transport.WS if tekil else Transport.TCP,
                    endpoint=Endpoint("127.0.0.1", sim.ports["ws" if tekil else "tcp"]),
                    credentials=Credentials(domain_uuid=DOMAIN, api_key=API_KEY, crm_id="t"),
                    extensions=(AGENT,), domain=DOMAIN)

    async def resolve() -> LinePlan:
        return spec

    desk: Desk

    async def settle(query: CallQuery) -> CallEnd | None:
        desk.asked.append(query)
        return await sync.end_of(query)  # what the app's settle hook does

    supervisor = LineSupervisor(
        resolve=resolve, stores=lambda: (None, journal), on_card=lambda c: desk.cards.append(c),
        on_state=lambda s: desk.states.append(s), settle=settle,
        tracker_factory=TrackerFactory(RecentDials()),
        channel_options=lambda: {"timing": TIMING, "backoff": FAST_BACKOFF,
                                 "auth_backoff": SLOW_AUTH},
        settle_retry=0.5)
    desk = Desk(sim, supervisor, journal, sync)
    try:
        await supervisor.reconfigure("start")
        await until(lambda: any(c["authenticated"] for c in sim.connected_clients()),
                    "the line logged in")
        await asyncio.sleep(0.3)
        yield desk
    finally:
        await supervisor.close()
        await session.aclose()
        await sim.stop()
        journal.close()


@pytest.mark.parametrize(("flavor", "profile"), CASES, ids=[f"{f}-{p}" for f, p in CASES])
async def test_a_call_whose_hangup_was_lost_is_settled_from_its_record(
        flavor: str, profile: str, tmp_path: Path) -> None:
    async with desk_for(flavor, profile, tmp_path) as desk:
        sim = desk.sim
        started = time.time()
        talked, taken = "05324118027", "05427730516"

        # A queue call the agent answers: its id is the agent's leg, not the record's.
        talk = await sim.ring(AGENT, talked, queue="60000", other_extensions=("1002",),
                              answer_after=0.4)
        await until(lambda: any(c.state is CardState.ANSWERED for c in desk.cards),
                    "the agent answered")
        (talk_id,) = desk.calls_with(talked)
        assert talk_id != talk  # the call is known by the agent's leg: not the record's id
        # A queue call that rings the agent (legs without "ringing": not seen yet).
        take = await sim.ring(AGENT, taken, queue="60000", other_extensions=("1002",))
        if sim.profile.ringing:
            await until(lambda: bool(desk.calls_with(taken)), "the second call rang")

        # The line goes deaf: the agent's call ends, a colleague takes the other one.
        sim.silent = True
        assert sim.hangup(talk)
        await asyncio.sleep(0.2)
        assert sim.answer(take, "1002")
        await asyncio.sleep(0.2)
        assert sim.hangup(take)
        ended_at = {r["call_id"]: r["end"] for r in sim.cdr}
        await asyncio.sleep(0.2)
        sim.silent = False
        connected = desk.connections()
        await sim.disconnect_clients()  # the line notices and reconnects
        await until(lambda: desk.connections() > connected, "the line reconnected")

        # Settled from the records: the card ends, with the record's outcome and time.
        await until(lambda: any(c.ended for c in desk.of(talk_id)), "the answered call ended")
        end = desk.of(talk_id)[-1]
        assert end.outcome is CardOutcome.ANSWERED
        assert end.ended_at == pytest.approx(ended_at[talk], abs=1.5)
        assert [c.state for c in desk.of(talk_id)].count(CardState.ENDED) == 1
        if sim.profile.ringing:
            (take_id,) = desk.calls_with(taken)
            await until(lambda: any(c.ended for c in desk.of(take_id)), "the taken call ended")
            # A colleague answered it while we were away: not missed (the line alone
            # would have said "rang and ended unanswered").
            assert desk.of(take_id)[-1].outcome is CardOutcome.ANSWERED_ELSEWHERE
        line = desk.supervisor.line
        assert line is not None
        assert line.tracker.missed_count == 0
        assert line.unsettled() == []
        assert line.tracker.active_calls() == []
        # The lookup went by the call's leg ids first, then by number and time.
        asked = [q for q in desk.asked if q.ids[0] == talk_id]
        assert asked
        assert talk not in asked[0].ids

        # One journal row per customer call, with the record's outcome, also after the
        # records were merged.
        await desk.journal.written()
        report = await desk.sync.fill(started - 60, time.time() + 60)
        assert report is not None
        assert [r.outcome for r in desk.rows(talked)] == ["answered"]
        if sim.profile.ringing or flavor == "tekil":
            assert [r.outcome for r in desk.rows(taken)] == ["answered_elsewhere"]
        else:
            # Never seen ringing, and KobiPBX's record of an unanswered queue call names
            # only the queue (and here a colleague): nothing for this agent's journal.
            assert desk.rows(taken) == []

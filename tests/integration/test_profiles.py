"""The call-critical paths under every simulator profile (issue 10's matrix).

Kobikom leaves open what a ``callUUID`` stands for, what ``domain`` holds,
which ``direction`` a leg has, what a click-to-call looks like, the format
of ``timestamp``, whether the login is acknowledged, whether ``ringing``
comes at all, how repeats are cached, and Tekil's call events entirely.
The simulator plays each reading as a profile (``desktop/simulator/
profiles.py``); this test runs the agent's side for real against each:
the simulator's TCP (Bulut) or WebSocket (Tekil) channel, our channel,
tracker and :class:`~desktop.core.phone_line.PhoneLine` writing a real SQLite
journal, our click-to-call over real HTTP, and gap filling from the
simulator's call records.

For every profile and every customer call:

* at most one popup (cards counted the way the popup manager keys them:
  by call id, following ``replaces``), exactly one where the channel says
  the phone rang; exactly one journal row, also after the call records were
  merged;
* the right direction: incoming for a customer calling, outgoing and
  ``own_dial`` (so no popup) for the agent's own click-to-call;
* no missed call for a queue call a colleague answered, nor for an own
  click-to-call the customer did not pick up; exactly one for a call that
  rang out;
* every event's ``timestamp`` parses to within a minute of its arrival.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from desktop.core.caller_card import CallerCard, CardOutcome, CardState, NumberSource
from desktop.core.caller_fill import fill_caller
from desktop.core.calls import CallTracker, RecentDials
from desktop.core.dialing import ClickToCall, DialStatus
from desktop.core.history_sync import HistorySync, KobiPbxCdrSource, TekilCdrSource
from desktop.core.journal import HistoryFilter, Journal
from desktop.core.numbers import parse_number
from desktop.core.phone_line import PhoneLine
from desktop.core.settings import Settings
from desktop.pbx.channels import ChannelTiming, Credentials, open_channel
from desktop.pbx.connection import Endpoint, Flavor, Phase, Transport
from desktop.pbx.events import (
    AnsweredEvent,
    CallEvent,
    Event,
    ExtensionStatusEvent,
    UnknownEvent,
)
from desktop.pbx.rest import KobiPbxSession, TekilSession
from desktop.simulator import Simulator, SimulatorConfig
from desktop.simulator.profiles import MATRIX
from tests.integration.conftest import FAST_BACKOFF, SLOW_AUTH

USER = "demo@kobikom.example"
PASSWORD = "demo-password"
API_KEY = "demo-api-key"
DOMAIN = "5b0c0e4e-1d2f-4a6b-9c3d-000000000001"
AGENT = "1001"
#: Generous: the whole suite runs on a loaded two-core machine.
WAIT = 15.0
#: A call's cards are complete once nothing new came for this long.
QUIET = 0.6
#: Queues ringing one agent at a time: each phone rings this long.
OFFER = 0.8

CASES = [(flavor, profile) for flavor, names in MATRIX.items() for profile in names]


@dataclass
class Agent:
    """The agent's side, wired as the app wires it (without Qt)."""

    sim: Simulator
    line: PhoneLine
    dials: RecentDials
    journal: Journal
    dialer: ClickToCall
    sync: HistorySync
    cards: list[CallerCard] = field(default_factory=list)
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    events: list[Event] = field(default_factory=list)

    async def settle(self, mark: int, *, ended: int = 1) -> list[CallerCard]:
        """The cards since *mark*, once *ended* ENDED cards came and the line went quiet."""
        deadline = time.monotonic() + WAIT
        while sum(c.ended for c in self.cards[mark:]) < ended:
            assert time.monotonic() < deadline, f"no ENDED card: {self.cards[mark:]}"
            self.changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait(), 0.2)
        while True:
            self.changed.clear()
            try:
                await asyncio.wait_for(self.changed.wait(), QUIET)
            except TimeoutError:
                return self.cards[mark:]

    async def quiet(self, mark: int) -> list[CallerCard]:
        """The cards since *mark* once the line stayed quiet (calls that show nothing)."""
        await asyncio.sleep(QUIET)
        while True:
            self.changed.clear()
            try:
                await asyncio.wait_for(self.changed.wait(), QUIET * 2)
            except TimeoutError:
                return self.cards[mark:]

    def rows(self, number: str) -> list[Any]:
        key = parse_number(number).key
        return [r for r in self.journal.history_rows(HistoryFilter()) if r.number_key == key]


def popups(cards: list[CallerCard]) -> list[str]:
    """The popups these cards make, keyed as the popup manager keys them."""
    shown: list[str] = []
    for card in cards:
        if not card.shows_popup:
            continue
        if card.replaces is not None and card.replaces in shown:
            shown[shown.index(card.replaces)] = card.call_id
        elif card.call_id not in shown:
            shown.append(card.call_id)
    return shown


def the_end(cards: list[CallerCard]) -> CallerCard:
    (last,) = [c for c in cards if c.ended]
    return last


@contextlib.asynccontextmanager
async def agent_for(flavor: str, profile: str, tmp_path: Path) -> AsyncIterator[Agent]:
    cfg = SimulatorConfig(flavor=flavor, profile=profile, host="127.0.0.1",  # type: ignore[arg-type]
                          panel_user=USER, panel_password=PASSWORD, api_key=API_KEY,
                          domain_uuid=DOMAIN, kobipbx_user=USER, kobipbx_password=PASSWORD,
                          seed_history=0, random_seed=11, dial_answer_after=0.6,
                          dial_hangup_after=0.4, queue_offer_timeout=OFFER)
    sim = Simulator(cfg)
    await sim.start()
    journal = Journal(tmp_path / "journal.sqlite3")
    dials = RecentDials()
    settings = Settings()
    settings.account.flavor = Flavor(flavor)
    settings.account.extensions = [AGENT]
    settings.account.domain_uuid = DOMAIN
    tekil = flavor == "tekil"
    session: Any = (TekilSession(USER, PASSWORD, base_url=sim.http_base) if tekil
                    else KobiPbxSession(USER, PASSWORD, base_url=sim.http_base))
    source: Any = (TekilCdrSource(session, [AGENT]) if tekil
                   else KobiPbxCdrSource(session, DOMAIN, [AGENT]))

    async def rest() -> Any:
        return session

    async def cdr_source() -> Any:
        return source

    tracker = CallTracker([AGENT], DOMAIN, dials=dials)
    up = asyncio.Event()
    seen: list[CallerCard] = []
    changed = asyncio.Event()

    def on_card(card: CallerCard) -> None:
        seen.append(card)
        changed.set()

    line = PhoneLine(tracker, directory=None, journal=journal, on_card=on_card,
                     on_state=lambda s: up.set() if s.phase is Phase.CONNECTED else None)
    agent = Agent(sim, line, dials, journal,
                  ClickToCall(settings=lambda: settings, session=rest, line=lambda: line,
                              dials=dials),
                  HistorySync(journal, cdr_source), cards=seen, changed=changed)
    transport = Transport.WS if tekil else Transport.TCP
    timing = ChannelTiming(connect_timeout=5.0, write_timeout=5.0, idle_timeout=None,
                           ping_interval=None, ping_timeout=None, watchdog_tick=0.1,
                           early_close_window=2.0, auth_reply_window=2.0)

    def factory(on_event: Any, on_state: Any) -> Any:
        def received(event: Event) -> None:
            agent.events.append(event)
            on_event(event)

        return open_channel(Flavor(flavor), transport,
                            Endpoint("127.0.0.1", sim.ports["ws" if tekil else "tcp"]),
                            Credentials(domain_uuid=DOMAIN, api_key=API_KEY, crm_id="t"),
                            on_event=received, on_state=on_state, timing=timing,
                            backoff=FAST_BACKOFF, auth_backoff=SLOW_AUTH)

    task = asyncio.create_task(line.run(factory))
    try:
        await asyncio.wait_for(up.wait(), WAIT)
        deadline = time.monotonic() + WAIT
        while not any(c["authenticated"] for c in sim.connected_clients()):
            assert time.monotonic() < deadline
            await asyncio.sleep(0.02)
        await asyncio.sleep(0.3)  # Tekil: the login's snapshot of extension states
        yield agent
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await session.aclose()
        await sim.stop()
        journal.close()


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Any]:
    """Every case, run at once (each has its own simulator and line; the calls are
    mostly waiting, so the matrix takes as long as its slowest case)."""
    async def run_all() -> list[Any]:
        return await asyncio.gather(
            *(scenarios(f, p, tmp_path_factory.mktemp(f"{f}-{p}")) for f, p in CASES),
            return_exceptions=True)

    return dict(zip(CASES, asyncio.run(run_all()), strict=True))


@pytest.mark.parametrize(("flavor", "profile"), CASES, ids=[f"{f}-{p}" for f, p in CASES])
def test_one_popup_per_customer_call_under_every_profile(
        outcomes: dict[tuple[str, str], Any], flavor: str, profile: str) -> None:
    outcome = outcomes[(flavor, profile)]
    if isinstance(outcome, BaseException):
        raise outcome


async def scenarios(flavor: str, profile: str, tmp_path: Path) -> None:
    """The agent's calls under one profile; raises on the first broken promise."""
    status_only = profile == "status-only" and flavor == "tekil"
    async with agent_for(flavor, profile, tmp_path) as agent:
        sim, tracker = agent.sim, agent.line.tracker
        started = time.time()
        missed_before = tracker.missed_count

        # -- a customer calls, the agent answers, holds, hangs up
        mark = len(agent.cards)
        call = await sim.ring(AGENT, "05324118027", answer_after=1.0, hold_for=(0.2, 0.3),
                              hangup_after=0.7)
        await sim.wait_call_end(call)
        cards = await agent.settle(mark)
        assert len(popups(cards)) == 1, cards
        assert {c.direction for c in cards} == {"inbound"}
        assert the_end(cards).outcome is CardOutcome.ANSWERED
        assert any(c.state is CardState.ON_HOLD for c in cards), "the hold was lost"
        if status_only:
            assert cards[0].number_not_sent
            assert cards[0].number_source is NumberSource.NOT_SENT
        else:
            # Tekil rings before any call event: such a first card says so plainly.
            assert cards[-1].number.key == "+905324118027"
            assert all(c.number.key == "+905324118027" or c.number_not_sent for c in cards)
        assert tracker.missed_count == missed_before

        # -- a customer calls and gives up: one missed call
        mark = len(agent.cards)
        call = await sim.ring(AGENT, "05427730516", hangup_after=1.0)
        await sim.wait_call_end(call)
        cards = await agent.settle(mark)
        assert len(popups(cards)) == 1, cards
        missed = the_end(cards)
        assert missed.outcome is CardOutcome.MISSED
        assert missed.direction == "inbound"
        assert tracker.missed_count == missed_before + 1
        if status_only:
            # The popup says the PBX did not send the number; the records fill it in.
            assert missed.number_not_sent
            row = await fill_caller(agent.sync, missed.call_id, AGENT,
                                    missed.ringing_at or started, missed.ended_at,
                                    delays=(0.0, 0.5, 1.0))
            assert row is not None
            assert row.number_key == "+905427730516"
            assert row.outcome == "missed"

        # -- a queue call that rings three agents and a colleague takes: not missed
        mark = len(agent.cards)
        call = await sim.ring(AGENT, "02163347190", queue="60000",
                              other_extensions=("1002", "1003"), answered_by="1002",
                              answer_after=1.0, hangup_after=0.3)
        await sim.wait_call_end(call)
        if sim.profile.ringing:
            cards = await agent.settle(mark)
            assert len(popups(cards)) == 1, cards
            assert the_end(cards).outcome is CardOutcome.ANSWERED_ELSEWHERE
            assert the_end(cards).direction == "inbound"
        else:
            # Nothing said our phone rang, and a colleague took it: nothing to show.
            assert await agent.quiet(mark) == []
        assert tracker.missed_count == missed_before + 1

        # -- the same queue, and the agent takes it
        mark = len(agent.cards)
        call = await sim.ring(AGENT, "05058862241", queue="60001",
                              other_extensions=("1002", "1003"), answered_by=AGENT,
                              answer_after=1.0, hangup_after=0.3)
        await sim.wait_call_end(call)
        cards = await agent.settle(mark)
        assert len(popups(cards)) == 1, cards
        assert the_end(cards).outcome is CardOutcome.ANSWERED
        assert {c.direction for c in cards} == {"inbound"}

        # -- the agent's own click-to-call: outgoing, no popup, never missed
        mark = len(agent.cards)
        result = await agent.dialer.dial("0224 221 98 54", source="test")
        assert result.status is DialStatus.STARTED, result
        cards = await agent.settle(mark)
        assert cards
        assert popups(cards) == [], cards
        assert all(c.own_dial and c.direction == "outbound" for c in cards), cards
        assert the_end(cards).outcome is CardOutcome.ANSWERED
        assert tracker.missed_count == missed_before + 1

        # -- an own click-to-call the customer does not pick up: not missed either
        mark = len(agent.cards)
        agent.dials.note(AGENT, "03124480312")  # what ClickToCall does before sending
        call = await sim.ring(AGENT, called="03124480312", direction="outbound",
                              origin="c2c", hangup_after=1.0)
        await sim.wait_call_end(call)
        cards = await agent.settle(mark)
        assert popups(cards) == [], cards
        assert all(c.own_dial for c in cards), cards
        assert the_end(cards).outcome is CardOutcome.NOT_ANSWERED
        assert tracker.missed_count == missed_before + 1

        await one_at_a_time(agent, status_only)
        missed_before += 2

        # -- a call while the line was deaf, then the gap filled from the records
        sim.silent = True
        call = await sim.ring(AGENT, "05366604428", hangup_after=0.2)
        await sim.wait_call_end(call)
        sim.silent = False
        report = await agent.sync.fill(started - 60, time.time() + 60)
        assert report is not None

        # One journal row per customer call, after the records were merged too.
        numbers = ["05324118027", "05427730516", "05058862241", "05366604428",
                   *ONE_AT_A_TIME]
        if sim.profile.ringing:
            numbers.append("02163347190")
        if not status_only:
            numbers += ["02242219854", "03124480312"]
        for number in numbers:
            assert len(agent.rows(number)) == 1, (number, agent.rows(number))
        assert agent.rows("05366604428")[0].outcome == "missed"  # found by gap filling
        for number, outcome in ONE_AT_A_TIME.items():
            assert [r.outcome for r in agent.rows(number)] == [outcome], number
        if not status_only:
            assert [r.direction for r in agent.rows("02242219854")] == ["outbound"]
            assert [r.outcome for r in agent.rows("03124480312")] == ["not_answered"]

        # Every event was usable, and its timestamp reads right whatever the format.
        assert tracker.stats.dropped == 0
        assert not any(isinstance(e, UnknownEvent) for e in agent.events)
        stamped = [e for e in agent.events if e.timestamp is not None]
        if not status_only:
            assert any(isinstance(e, CallEvent) for e in stamped)
        for event in stamped:
            assert event.sent_at is not None, event.timestamp
            assert abs(event.sent_at - event.received_at) < 60, (event.timestamp, event)


def colleague_took(event: Event) -> bool:
    """1002 answered: its leg's ``answered``, or its Tekil status going in use."""
    if isinstance(event, AnsweredEvent):
        return event.extension == "1002"
    return isinstance(event, ExtensionStatusEvent) and event.extension == "1002" \
        and event.code > 0 and not event.code & 8


#: The one-at-a-time queue calls' numbers and their final outcomes.
ONE_AT_A_TIME = {"05301112233": "answered_elsewhere", "05302223344": "missed",
                 "05303334455": "missed"}


async def one_at_a_time(agent: Agent, status_only: bool) -> None:
    """Queues as mod_callcenter runs them by default: one agent's phone at a time.

    Our phone gives up (``NO_ANSWER``) and *then* a colleague answers: answered
    elsewhere, never a missed call, no missed card at any moment.  The caller
    leaving while a colleague's phone rings, or after the queue came round to us
    again: one missed call.  Wherever the channel says our phone stopped ringing
    (a leg of our own, our extension's status), the popup closes then, before
    the verdict."""
    sim, tracker = agent.sim, agent.line.tracker
    before = sim.profile
    sim.set_profile(before.but(queue_strategy="one-at-a-time"))
    try:
        # Stops ringing here: FreeSWITCH legs (ours ends NO_ANSWER) or our status.
        stops_here = sim.profile.legs == "legs" or status_only
        missed = tracker.missed_count

        # -- ours rings, gives up; 1002 rings and answers
        number = "05301112233"
        mark, seen = len(agent.cards), len(agent.events)
        call = await sim.ring(AGENT, number, queue="60000", other_extensions=("1002",),
                              answered_by="1002", answer_after=0.4, hangup_after=0.3)
        await sim.wait_call_end(call)
        cards = await agent.settle(mark)
        assert len(popups(cards)) == 1, cards
        end = the_end(cards)
        assert (end.outcome, end.direction) == (CardOutcome.ANSWERED_ELSEWHERE, "inbound")
        assert not any(c.missed for c in cards), cards
        assert tracker.missed_count == missed
        if stops_here:
            passed = [c for c in cards if c.state is CardState.PASSED_ON]
            assert passed, cards
            # It stopped ringing here when our phone gave up, before 1002 answered.
            taken = min(e.received_at for e in agent.events[seen:] if colleague_took(e))
            assert end.ended_at is not None
            assert end.ended_at < taken, (end, taken)
        # The popup never names the agent's own extension as where the call went.
        assert all(c.called is None or c.called.key != AGENT for c in cards), cards

        # -- ours rings, then 1002's; the caller gives up while 1002's rings
        number = "05302223344"
        mark = len(agent.cards)
        call = await sim.ring(AGENT, number, queue="60000", other_extensions=("1002",),
                              hangup_after=OFFER * 1.6)
        await sim.wait_call_end(call)
        cards = await agent.settle(mark)
        assert len(popups(cards)) == 1, cards
        assert the_end(cards).outcome is CardOutcome.MISSED
        assert tracker.missed_count == missed + 1
        if stops_here:
            assert any(c.state is CardState.PASSED_ON for c in cards), cards

        # -- ours, 1002's, ours again (the queue came round), then the caller gives up
        number = "05303334455"
        mark = len(agent.cards)
        call = await sim.ring(AGENT, number, queue="60000", other_extensions=("1002",),
                              hangup_after=OFFER * 2.5)
        await sim.wait_call_end(call)
        cards = await agent.settle(mark)
        assert len(popups(cards)) == 1, cards  # the same call rang us twice: one popup
        assert the_end(cards).outcome is CardOutcome.MISSED
        assert tracker.missed_count == missed + 2
        if stops_here and sim.profile.ringing:
            states = [c.state for c in cards]
            passed = states.index(CardState.PASSED_ON)
            assert CardState.RINGING in states[passed:], states  # ringing here again
    finally:
        sim.set_profile(before)

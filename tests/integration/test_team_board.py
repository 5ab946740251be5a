"""The team board against the simulator, under every profile (issue 15 §1).

The agent's side runs for real: the team read over real HTTP
(``list-user-extension`` + ``list-user-callcenters``, Tekil
``getCentralData/extension;queue``), the simulator's TCP (Bulut) or
WebSocket (Tekil) channel, our channel, tracker and
:class:`~desktop.core.phone_line.PhoneLine`, whose event fan-out feeds the
:class:`~desktop.core.team.TeamBoard`.  States are driven through the
simulator (its Python API: the same the ``/_sim`` routes call); for every
profile the board must show:

* a colleague going offline and back (``extension-registration``; Tekil
  ``ExtensionStatus`` 4);
* a colleague's call: ringing (where the PBX says so), in a call with the
  customer, on hold, free again;
* a queue call two colleagues' phones ring and one takes: the other is
  free again, the one who took it is in a call;
* (Bulut) the callers waiting in a queue, one giving up (abandoned), the
  agents of the queue and their status.

A second test runs the app's :class:`LineSupervisor`: one connection feeds
the call tracker's popups and the board alike.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from desktop.core.caller_card import CallerCard
from desktop.core.calls import CallTracker
from desktop.core.line_supervisor import LineSpec, LineSupervisor
from desktop.core.phone_line import PhoneLine
from desktop.core.team import TeamBoard
from desktop.core.team_directory import load_team
from desktop.core.team_model import Presence
from desktop.pbx.channels import ChannelTiming, Credentials, open_channel
from desktop.pbx.connection import Endpoint, Flavor, Phase, Transport
from desktop.pbx.rest import KobiPbxSession, TekilSession
from desktop.simulator import Simulator, SimulatorConfig
from desktop.simulator.profiles import MATRIX
from tests.integration.conftest import FAST_BACKOFF, SLOW_AUTH

USER = "demo@kobikom.example"
PASSWORD = "demo-password"
API_KEY = "demo-api-key"
DOMAIN = "5b0c0e4e-1d2f-4a6b-9c3d-000000000001"
AGENT = "1001"
CUSTOMER = "05324118027"
#: Generous: the suite runs on a loaded two-core machine.
WAIT = 15.0
TIMING = ChannelTiming(connect_timeout=5.0, write_timeout=5.0, idle_timeout=None,
                       ping_interval=None, ping_timeout=None, watchdog_tick=0.1,
                       early_close_window=2.0, auth_reply_window=2.0)

CASES = [(flavor, profile) for flavor, names in MATRIX.items() for profile in names]


def simulator(flavor: str, profile: str) -> Simulator:
    return Simulator(SimulatorConfig(
        flavor=flavor, profile=profile, host="127.0.0.1",  # type: ignore[arg-type]
        panel_user=USER, panel_password=PASSWORD, api_key=API_KEY, domain_uuid=DOMAIN,
        kobipbx_user=USER, kobipbx_password=PASSWORD, seed_history=0, random_seed=13,
        queue_offer_timeout=1.5))  # one agent at a time: each rings this long (s)


def session_for(sim: Simulator) -> Any:
    if sim.cfg.flavor == "tekil":
        return TekilSession(USER, PASSWORD, base_url=sim.http_base)
    return KobiPbxSession(USER, PASSWORD, base_url=sim.http_base)


def channel_factory(sim: Simulator) -> Callable[[Any, Any], Any]:
    tekil = sim.cfg.flavor == "tekil"

    def factory(on_event: Any, on_state: Any) -> Any:
        return open_channel(Flavor(sim.cfg.flavor), Transport.WS if tekil else Transport.TCP,
                            Endpoint("127.0.0.1", sim.ports["ws" if tekil else "tcp"]),
                            Credentials(domain_uuid=DOMAIN, api_key=API_KEY, crm_id="t"),
                            on_event=on_event, on_state=on_state, timing=TIMING,
                            backoff=FAST_BACKOFF, auth_backoff=SLOW_AUTH)

    return factory


async def until(board: TeamBoard, check: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT
    while True:
        board.take_changes()
        if check():
            return
        assert time.monotonic() < deadline, f"the board never showed {what}: " \
                                            f"{board.snapshot()}"
        await asyncio.sleep(0.02)


def presence(board: TeamBoard, extension: str) -> Presence | None:
    view = board.colleague(extension)
    return view.presence if view is not None else None


@contextlib.asynccontextmanager
async def board_for(flavor: str, profile: str) -> AsyncIterator[tuple[Simulator, TeamBoard]]:
    sim = simulator(flavor, profile)
    await sim.start()
    session = session_for(sim)
    board = TeamBoard()
    up = asyncio.Event()
    line = PhoneLine(CallTracker([AGENT], DOMAIN), directory=None, journal=None,
                     on_card=lambda card: None, on_event=board.feed,
                     on_state=lambda s: up.set() if s.phase is Phase.CONNECTED else None)
    task = asyncio.create_task(line.run(channel_factory(sim)))
    try:
        board.load(await load_team(session, DOMAIN))
        await asyncio.wait_for(up.wait(), WAIT)
        deadline = time.monotonic() + WAIT
        while not any(c["authenticated"] for c in sim.connected_clients()):
            assert time.monotonic() < deadline
            await asyncio.sleep(0.02)
        yield sim, board
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await session.aclose()
        await sim.stop()


async def scenario(flavor: str, profile: str) -> None:
    tekil = flavor == "tekil"
    async with board_for(flavor, profile) as (sim, board):
        status_only = tekil and sim.profile.tekil_calls == "status-only"
        # Tekil rings are seen from ExtensionStatus; Bulut ones only from ringing events.
        rings_seen = tekil or sim.profile.ringing
        board.take_changes()
        assert [v.extension for v in board.colleagues] == ["1001", "1002", "1003"]
        assert board.colleague("1002").name == "Mehmet Kaya"  # type: ignore[union-attr]

        # -- registration
        sim.switch.register("1003", False)
        await until(board, lambda: presence(board, "1003") is Presence.OFFLINE, "1003 offline")
        sim.switch.register("1003", True)
        await until(board, lambda: presence(board, "1003") is Presence.FREE, "1003 back")

        # -- a colleague's call: ringing, in a call with the customer, on hold, free
        call = await sim.ring("1002", CUSTOMER, answer_after=1.0, hold_for=(0.8, 0.8),
                              hangup_after=2.4)
        if rings_seen:
            await until(board, lambda: presence(board, "1002") is Presence.RINGING, "ringing")
        await until(board, lambda: presence(board, "1002") is Presence.IN_CALL, "in a call")
        view = board.colleague("1002")
        assert view is not None
        assert view.other_number == ("" if status_only else CUSTOMER)
        assert view.since is not None
        assert abs(time.time() - view.since) < 5
        await until(board, lambda: presence(board, "1002") is Presence.ON_HOLD, "on hold")
        await until(board, lambda: presence(board, "1002") is Presence.IN_CALL, "unheld")
        await sim.wait_call_end(call)
        await until(board, lambda: presence(board, "1002") is Presence.FREE, "free again")

        # -- a queue call two colleagues' phones ring (together, or one at a time as
        # mod_callcenter does by default); 1003 takes it
        call = await sim.ring("1002", "02163347190", queue="60001", other_extensions=("1003",),
                              answered_by="1003", answer_after=1.0, hangup_after=1.0)
        if rings_seen and sim.profile.queue_strategy == "one-at-a-time":
            await until(board, lambda: presence(board, "1002") is Presence.RINGING and
                        presence(board, "1003") is Presence.FREE, "1002 offered the call first")
            await until(board, lambda: presence(board, "1003") is Presence.RINGING and
                        presence(board, "1002") is Presence.FREE, "then 1003, 1002 free again")
        elif rings_seen:
            await until(board, lambda: presence(board, "1002") is Presence.RINGING and
                        presence(board, "1003") is Presence.RINGING, "both ringing")
        await until(board, lambda: presence(board, "1003") is Presence.IN_CALL and
                    presence(board, "1002") is Presence.FREE, "1003 took it")
        if not tekil:
            queue = board.queue("60001")
            assert queue is not None
            assert {a.extension for a in queue.agents} == {"1002", "1003"}
        await sim.wait_call_end(call)
        await until(board, lambda: presence(board, "1003") is Presence.FREE, "1003 free")
        if tekil:
            satis = board.queue("60000")
            assert satis is not None
            assert not satis.reported
            assert {a.extension for a in satis.agents} == {"1001", "1002", "1003"}
            return

        # -- callers waiting in a queue; one gives up
        team = sim.switch.team
        team.wait("60000", "05321112233")
        gone = team.wait("60000", "05449998877")
        await until(board, lambda: (q := board.queue("60000")) is not None and q.waiting == 2
                    and [c.number for c in q.callers] == ["05321112233", "05449998877"],
                    "two callers waiting")
        team.leave(gone.member)
        await until(board, lambda: [a.number for a in board.abandoned] == ["05449998877"],
                    "an abandoned caller")
        assert board.abandoned[0].queue == "60000"
        queue = board.queue("60000")
        assert queue is not None
        assert (queue.waiting, [c.number for c in queue.callers]) == (1, ["05321112233"])

        # -- an agent goes on break
        sim.switch.set_agent_status("1002", "On Break", sim.cfg.queue_by("60001"))
        await until(board, lambda: board.colleague("1002").agent_status == "On Break",  # type: ignore[union-attr]
                    "1002 on break")


@pytest.fixture(scope="module")
def outcomes() -> dict[tuple[str, str], Any]:
    """Every case at once (each has its own simulator and line)."""
    async def run_all() -> list[Any]:
        return await asyncio.gather(*(scenario(f, p) for f, p in CASES),
                                    return_exceptions=True)

    return dict(zip(CASES, asyncio.run(run_all()), strict=True))


@pytest.mark.parametrize(("flavor", "profile"), CASES, ids=[f"{f}-{p}" for f, p in CASES])
def test_the_board_follows_the_domain_under_every_profile(
        outcomes: dict[tuple[str, str], Any], flavor: str, profile: str) -> None:
    outcome = outcomes[(flavor, profile)]
    if isinstance(outcome, BaseException):
        raise outcome


async def test_one_connection_feeds_the_popups_and_the_board() -> None:
    sim = simulator("bulut", "freeswitch")
    await sim.start()
    board = TeamBoard()
    cards: list[CallerCard] = []
    spec = LineSpec(mode="live", flavor=Flavor.BULUT, transport=Transport.TCP,
                    endpoint=Endpoint("127.0.0.1", sim.ports["tcp"]),
                    credentials=Credentials(domain_uuid=DOMAIN), extensions=(AGENT,),
                    domain=DOMAIN)

    async def resolve() -> Any:
        return spec

    supervisor = LineSupervisor(resolve=resolve, stores=lambda: (None, None),
                                on_card=cards.append, on_state=lambda s: None,
                                channel_options=lambda: {"timing": TIMING})
    supervisor.add_event_listener(board.feed)
    failing: list[Any] = []
    supervisor.add_event_listener(lambda event: failing.append(1 / 0))  # a broken listener
    session = session_for(sim)
    try:
        board.load(await load_team(session, DOMAIN))
        await supervisor.reconfigure("start")
        deadline = time.monotonic() + WAIT
        while not any(c["authenticated"] for c in sim.connected_clients()):
            assert time.monotonic() < deadline
            await asyncio.sleep(0.02)
        await sim.ring(AGENT, CUSTOMER, answer_after=0.3)
        await sim.ring("1002", "02163347190", answer_after=0.3)
        await until(board, lambda: presence(board, AGENT) is Presence.IN_CALL and
                    presence(board, "1002") is Presence.IN_CALL, "both calls")
        assert any(card.number.key == "+905324118027" for card in cards)  # the agent's popup
        assert len(sim.connected_clients()) == 1  # one connection for both
        assert supervisor.channels_started == 1
    finally:
        await supervisor.close()
        await session.aclose()
        await sim.stop()

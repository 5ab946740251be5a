"""Settings saved during a call: one connection, and the call keeps its popup.

The app's wiring in small (desktop/app/): the line supervisor publishes
cards through the line bridge to the popup manager; the line runs over real
loopback sockets on the qasync loop the app uses.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop.core.caller_card import CardOutcome, CardState
from desktop.core.journal import Journal
from desktop.core.line_supervisor import LinePlan, LineSpec, LineSupervisor
from desktop.pbx.channels import ChannelTiming, Credentials
from desktop.pbx.connection import Endpoint, Flavor, Phase, Transport
from desktop.ui.bridges import LineBridge
from tests.helpers.fakepbx import FakeTcpServer
from tests.helpers.qt_asyncio import run_coroutine, run_until

TIMING = ChannelTiming(connect_timeout=5.0, idle_timeout=None, watchdog_tick=0.5)


async def settled(request: Any) -> None:
    """Await a supervisor request (a future) as a coroutine for run_coroutine."""
    await request


def send(*events: dict[str, Any]) -> bytes:
    return b"".join((json.dumps(e) + "\n").encode() for e in events)


def spec(server: FakeTcpServer) -> LineSpec:
    return LineSpec(mode="live", flavor=Flavor.TEKIL, transport=Transport.TCP,
                    endpoint=Endpoint("127.0.0.1", server.port),
                    credentials=Credentials(api_key="key"), extensions=("1001",), domain=None)


@pytest.fixture
def servers(qapp, qloop) -> Iterator[list[FakeTcpServer]]:
    started = [run_coroutine(qapp, FakeTcpServer().start()) for _ in range(2)]
    yield started
    for server in started:
        run_coroutine(qapp, server.stop())


def test_settings_saves_during_a_call_keep_its_popup(qapp, qtbot, qloop, make_manager,
                                                     servers: list[FakeTcpServer],
                                                     tmp_path: Path) -> None:
    a, b = servers
    journal = Journal(tmp_path / "journal.sqlite3")
    manager = make_manager()
    bridge = LineBridge()
    bridge.cardChanged.connect(lambda card: manager.show_card(card, replaces=card.replaces))
    states: list[Any] = []
    bridge.stateChanged.connect(states.append)
    plan: list[LinePlan] = [spec(a)]

    async def resolve() -> LinePlan:
        return plan[0]

    supervisor = LineSupervisor(resolve=resolve, stores=lambda: (None, journal),
                                on_card=bridge.on_card, on_state=bridge.on_state,
                                channel_options=lambda: {"timing": TIMING})
    try:
        run_coroutine(qapp, settled(supervisor.reconfigure("start")))
        run_coroutine(qapp, a.wait_clients())
        ring = {"event": "ringing", "callUUID": "c1", "extension": "1001",
                "callerNumber": "05321234567"}
        run_coroutine(qapp, a.send(send(ring, {**ring, "event": "answered"})))
        qtbot.waitUntil(lambda: manager.popup("c1") is not None
                        and manager.popup("c1").card.state is CardState.ANSWERED)
        popup = manager.popup("c1")
        assert popup is not None
        assert popup.isVisible()

        # The popup corner: nothing of the line changed, nothing restarts.
        run_coroutine(qapp, settled(supervisor.reconfigure("settings saved")))
        # Another server: a new connection, the same call.
        plan[0] = spec(b)
        run_coroutine(qapp, settled(supervisor.reconfigure("settings saved")))
        run_coroutine(qapp, b.wait_clients())
        assert run_until(qapp, lambda: bool(states) and states[-1].phase is Phase.CONNECTED)
        assert supervisor.channels_started == 2
        assert (a.connections, b.connections) == (1, 1)
        assert manager.popup("c1") is popup
        assert popup.isVisible()
        assert popup.card.state is CardState.ANSWERED  # not ended: its buttons stay

        run_coroutine(qapp, b.send(send({"event": "hangup", "callUUID": "c1"})))
        qtbot.waitUntil(lambda: popup.card.state is CardState.ENDED)
        assert popup.card.outcome is CardOutcome.ANSWERED
    finally:
        run_coroutine(qapp, supervisor.close())
        journal.close()

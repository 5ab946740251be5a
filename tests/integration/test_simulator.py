"""Our channels and REST sessions against the Kobikom simulator, over real sockets.

The simulator (``desktop.simulator``) is written independently of our client
(an import contract keeps them apart), so agreeing with it is evidence, not
a tautology.  Everything runs on loopback ports chosen by the OS.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
import trustme

from desktop.pbx.channels import ChannelTiming, Credentials, EventChannel, open_channel
from desktop.pbx.connection import Endpoint, Flavor, Phase, Transport
from desktop.pbx.errors import AmbiguousError, AuthError, ServerError
from desktop.pbx.events import Event, ReplyEvent, RingingEvent
from desktop.pbx.rest import KobiPbxSession, TekilSession
from desktop.simulator import Simulator, SimulatorConfig
from tests.helpers.fakepbx import ChannelProbe, running
from tests.integration.conftest import FAST_BACKOFF, SLOW_AUTH

USER = "demo@kobikom.example"
PASSWORD = "demo-password"
API_KEY = "demo-api-key"
DOMAIN = "5b0c0e4e-1d2f-4a6b-9c3d-000000000001"
CALLER = "05321234567"

SimFactory = Callable[..., contextlib.AbstractAsyncContextManager[Any]]


@pytest.fixture
def simulator() -> SimFactory:
    @contextlib.asynccontextmanager
    async def start(**overrides: Any) -> AsyncIterator[Any]:
        cfg = SimulatorConfig(host="127.0.0.1", tcp_port=0, ws_port=0, http_port=0,
                              panel_user=USER, panel_password=PASSWORD, api_key=API_KEY,
                              domain_uuid=DOMAIN, kobipbx_user=USER,
                              kobipbx_password=PASSWORD, **overrides)
        sim = Simulator(cfg)
        await sim.start()
        try:
            yield sim
        finally:
            await sim.stop()

    return start


def channel(sim: Any, flavor: Flavor, transport: Transport, probe: ChannelProbe,
            timing: ChannelTiming, creds: Credentials | None = None, *, tls: bool = False,
            ca_file: str | None = None, **kwargs: Any) -> EventChannel:
    port = sim.ports["tcp" if transport is Transport.TCP else "ws"]
    kwargs.setdefault("backoff", FAST_BACKOFF)
    kwargs.setdefault("auth_backoff", SLOW_AUTH)
    return open_channel(flavor, transport, Endpoint("127.0.0.1", port, tls=tls, ca_file=ca_file),
                        creds or Credentials(domain_uuid=DOMAIN, api_key=API_KEY,
                                             crm_id="test"),
                        on_event=probe.on_event, on_state=probe.on_state, timing=timing,
                        **kwargs)


async def ringing_for(probe: ChannelProbe, call_id: str) -> RingingEvent:
    while True:
        event: Event = await probe.event(RingingEvent)
        if isinstance(event, RingingEvent) and event.call_id == call_id:
            return event


async def logged_in(sim: Any, probe: ChannelProbe) -> None:
    """Events flow once the simulator accepted the login.  The login reply is
    undocumented (the default profile sends none): ask the simulator, and
    check the reply only where the profile promises one."""
    deadline = time.monotonic() + 10.0
    while not any(c["authenticated"] for c in sim.connected_clients()):
        assert time.monotonic() < deadline, "the simulator never accepted the login"
        await asyncio.sleep(0.02)
    if sim.profile.login_ack:
        while True:
            reply = await probe.event(ReplyEvent)
            if isinstance(reply, ReplyEvent) and reply.ok:
                return


async def ring(sim: Any, extension: str = "1001", **kwargs: Any) -> str:
    result = sim.ring(extension=extension, caller=CALLER, **kwargs)
    if asyncio.iscoroutine(result):
        result = await result
    return str(result)


ALL = [(Flavor.BULUT, Transport.TCP), (Flavor.BULUT, Transport.WS),
       (Flavor.TEKIL, Transport.TCP), (Flavor.TEKIL, Transport.WS)]


@pytest.mark.parametrize(("flavor", "transport"), ALL, ids=lambda v: v.value)
async def test_each_channel_pops_up_a_ringing_call(
        simulator: SimFactory, flavor: Flavor, transport: Transport, probe: ChannelProbe,
        timing: ChannelTiming) -> None:
    async with simulator(flavor=flavor.value) as sim:
        async with running(channel(sim, flavor, transport, probe, timing)):
            await probe.state(Phase.CONNECTED)
            await logged_in(sim, probe)
            call_id = await ring(sim)
            event = await ringing_for(probe, call_id)
            assert event.caller == CALLER
            assert event.extension == "1001"


async def test_tekil_ws_login_with_the_panel_jwt(simulator: SimFactory, probe: ChannelProbe,
                                                 timing: ChannelTiming) -> None:
    async with simulator(flavor="tekil") as sim:
        async with TekilSession(USER, PASSWORD, base_url=sim.http_base) as session:
            creds = Credentials(token_provider=session.token, crm_id="crm-1")
            async with running(channel(sim, Flavor.TEKIL, Transport.WS, probe, timing, creds)):
                await probe.state(Phase.CONNECTED)
                await logged_in(sim, probe)
                await ringing_for(probe, await ring(sim))
            assert session.logins == 1


@pytest.mark.parametrize("framing", ["ndjson", "concat", "split", "noisy"])
async def test_every_simulated_tcp_framing(simulator: SimFactory, framing: str,
                                           probe: ChannelProbe, timing: ChannelTiming) -> None:
    async with simulator(flavor="bulut", tcp_framing=framing, random_seed=7) as sim:
        ch = channel(sim, Flavor.BULUT, Transport.TCP, probe, timing)
        async with running(ch):
            await probe.state(Phase.CONNECTED)
            await logged_in(sim, probe)
            ids = [await ring(sim, extension=ext) for ext in ("1001", "1002", "1003")]
            for call_id in ids:
                await ringing_for(probe, call_id)
            assert ch.state.phase is Phase.CONNECTED


async def test_wss_with_the_test_ca_and_without(simulator: SimFactory, probe: ChannelProbe,
                                                timing: ChannelTiming, ca_file: str,
                                                server_cert: trustme.LeafCert) -> None:
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_cert.configure_cert(server_ctx)
    async with simulator(flavor="bulut", ws_ssl=server_ctx) as sim:
        async with running(channel(sim, Flavor.BULUT, Transport.WS, probe, timing, tls=True,
                                   ca_file=ca_file)):
            state = await probe.state(Phase.CONNECTED)
            assert state.endpoint == f"127.0.0.1:{sim.ports['ws']} (TLS)"
            await logged_in(sim, probe)
            await ringing_for(probe, await ring(sim))
        untrusted = ChannelProbe()
        async with running(channel(sim, Flavor.BULUT, Transport.WS, untrusted, timing,
                                   tls=True)):
            state = await untrusted.state(Phase.RECONNECTING)
            assert (state.reason or "").startswith("TLS certificate not trusted")
        assert Phase.CONNECTED not in untrusted.phases()


@pytest.mark.parametrize("transport", [Transport.TCP, Transport.WS], ids=lambda t: t.value)
async def test_reconnect_after_the_event_servers_restart(
        simulator: SimFactory, transport: Transport, probe: ChannelProbe,
        timing: ChannelTiming) -> None:
    async with simulator(flavor="bulut") as sim:
        async with running(channel(sim, Flavor.BULUT, transport, probe, timing)):
            await probe.state(Phase.CONNECTED)
            await sim.restart_event_servers()
            await probe.state(Phase.RECONNECTING)
            await probe.state(Phase.CONNECTED)
            await logged_in(sim, probe)
            await ringing_for(probe, await ring(sim))


async def test_silent_server_tcp_idle_timeout(simulator: SimFactory, probe: ChannelProbe) -> None:
    timing = ChannelTiming(idle_timeout=0.5, watchdog_tick=0.1)
    async with simulator(flavor="bulut") as sim:
        async with running(channel(sim, Flavor.BULUT, Transport.TCP, probe, timing)):
            first = await probe.state(Phase.CONNECTED)
            sim.silent = True
            # Quiet: refreshed without a state change the tray would show.
            refreshed = await probe.state(Phase.CONNECTED)
            assert refreshed.connection > first.connection
            sim.silent = False
            await logged_in(sim, probe)
            await ringing_for(probe, await ring(sim))
        assert Phase.RECONNECTING not in probe.phases()


async def test_silent_server_websocket_ping_timeout(simulator: SimFactory,
                                                    probe: ChannelProbe) -> None:
    timing = ChannelTiming(ping_interval=0.2, ping_timeout=0.3, watchdog_tick=0.1,
                           close_timeout=0.2)
    async with simulator(flavor="bulut") as sim:
        async with running(channel(sim, Flavor.BULUT, Transport.WS, probe, timing)):
            await probe.state(Phase.CONNECTED)
            sim.silent = True
            state = await probe.state(Phase.RECONNECTING)
            assert state.reason == "no answer to ping within 0.3 s (half-open connection?)"


@pytest.mark.parametrize(("flavor", "transport"), ALL, ids=lambda v: v.value)
async def test_wrong_credentials_auth_failed_without_a_loop(
        simulator: SimFactory, flavor: Flavor, transport: Transport, probe: ChannelProbe,
        timing: ChannelTiming) -> None:
    wrong = Credentials(domain_uuid="00000000-0000-0000-0000-00000000dead",
                        api_key="wrong-api-key")
    async with simulator(flavor=flavor.value) as sim:
        ch = channel(sim, flavor, transport, probe, timing, wrong)
        async with running(ch):
            state = await probe.verdict(Phase.AUTH_FAILED)
            assert (state.reason or "").startswith("login rejected")
            assert "wrong-api-key" not in (state.reason or "")
            await asyncio.sleep(0.5)
            assert ch.stats.attempts == 1


async def test_oversized_frame_from_the_simulator(simulator: SimFactory, probe: ChannelProbe,
                                                  timing: ChannelTiming) -> None:
    async with simulator(flavor="bulut") as sim:
        async with running(channel(sim, Flavor.BULUT, Transport.TCP, probe, timing)):
            await probe.state(Phase.CONNECTED)
            await logged_in(sim, probe)
            sim.emit_raw(b'{"event":"ringing","callUUID":"big","pad":"' + b"x" * (2 << 20)
                         + b'"}\n')
            await ringing_for(probe, await ring(sim))
        assert Phase.RECONNECTING not in probe.phases()


# ---------------------------------------------------------------- REST


async def test_tekil_rest_against_the_simulator(simulator: SimFactory) -> None:
    async with simulator(flavor="tekil") as sim:
        async with TekilSession(USER, PASSWORD, base_url=sim.http_base) as session:
            groups = await session.get_group_list()
            assert groups
            assert all("id" in g and "isim" in g for g in groups)
            extensions = await session.get_extensions()
            assert extensions
            assert all(isinstance(e, dict) for e in extensions.values())
            sim.expire_tokens()
            await session.get_group_list()  # 401 -> one fresh login -> resent
            assert session.logins == 2
        async with TekilSession(USER, "wrong-password", base_url=sim.http_base) as bad:
            with pytest.raises(AuthError, match=r"^login rejected by 127\.0\.0\.1"):
                await bad.get_group_list()


async def test_tekil_rest_proactive_relogin_before_exp(simulator: SimFactory) -> None:
    async with simulator(flavor="tekil", token_ttl=3600.0) as sim:
        now = [0.0]

        def clock() -> float:
            return time.time() + now[0]

        async with TekilSession(USER, PASSWORD, base_url=sim.http_base, clock=clock) as session:
            await session.get_group_list()
            now[0] = 3600 - 30  # within the 60 s margin
            await session.get_group_list()
            assert session.logins == 2


async def test_kobipbx_rest_both_shapes(simulator: SimFactory) -> None:
    for shape in ("wrapped", "unwrapped"):
        async with simulator(flavor="bulut", list_extension_shape=shape) as sim:
            async with KobiPbxSession(USER, PASSWORD, base_url=sim.http_base) as session:
                data = await session.list_user_extensions(DOMAIN)
                assert [e["extension"]["extension"] for e in data["extensions"]][:1] == ["1001"]
                sim.expire_tokens()
                await session.list_user_extensions(DOMAIN)
                assert session.logins == 2


@pytest.mark.parametrize(("fault", "error"), [("500", ServerError), ("garbage", ServerError),
                                              ("timeout", AmbiguousError),
                                              ("disconnect", AmbiguousError)])
async def test_faults_are_not_retried_for_non_idempotent_requests(
        simulator: SimFactory, fault: str, error: type[Exception]) -> None:
    async with simulator(flavor="tekil") as sim:
        async with TekilSession(USER, PASSWORD, base_url=sim.http_base,
                                timeout=httpx.Timeout(2.0, read=1.0)) as session:
            await session.login()
            sim.fault("/getGroupList", fault)
            with pytest.raises(error) as info:
                await session.request_json("GET", "/getGroupList", idempotent=False)
            assert info.value.may_have_reached_server  # type: ignore[attr-defined]
            assert [r["path"] for r in sim.received].count("/getGroupList") == 1

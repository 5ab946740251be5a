"""Bulut and Tekil WebSocket channels over real loopback sockets (and TLS)."""

from __future__ import annotations

import asyncio
import json
import ssl
from typing import Any

import pytest
import trustme

from desktop.pbx.channels import (
    ChannelTiming,
    Credentials,
    EventChannel,
    TekilWebSocketChannel,
    open_channel,
)
from desktop.pbx.connection import Endpoint, Flavor, Phase, Transport
from desktop.pbx.errors import NotConnectedError
from desktop.pbx.events import ExtensionStatusEvent, ReplyEvent, RingingEvent
from tests.helpers.fakepbx import WAIT, ChannelProbe, FakeWsServer, FreezableProxy, running
from tests.integration.conftest import FAST_BACKOFF, SLOW_AUTH

DOMAIN = "5b0c0e4e-1d2f-4a6b-9c3d-000000000001"
KEY = "demo-api-key-7f3a"

STATUS = json.dumps({"type": "ExtensionStatus", "extension": "1001", "status": "8"})


def channel_for(flavor: Flavor, port: int, probe: ChannelProbe, timing: ChannelTiming,
                creds: Credentials | None = None, *, tls: bool = False,
                ca_file: str | None = None, **kwargs: Any) -> EventChannel:
    kwargs.setdefault("backoff", FAST_BACKOFF)
    kwargs.setdefault("auth_backoff", SLOW_AUTH)
    creds = creds or Credentials(domain_uuid=DOMAIN, api_key=KEY, crm_id="crm-1")
    return open_channel(flavor, Transport.WS,
                        Endpoint("127.0.0.1", port, tls=tls, ca_file=ca_file), creds,
                        on_event=probe.on_event, on_state=probe.on_state, timing=timing,
                        **kwargs)


async def test_bulut_ws_handshake_and_events(probe: ChannelProbe, timing: ChannelTiming) -> None:
    server = await FakeWsServer().start()
    try:
        async with running(channel_for(Flavor.BULUT, server.port, probe, timing)):
            await probe.state(Phase.CONNECTED)
            assert await asyncio.wait_for(server.logins.get(), WAIT) == \
                {"type": "kobipbx_tenant", "domainUuid": DOMAIN}
            await server.send(json.dumps([
                {"event": "ringing", "callUUID": "w1", "callerNumber": "05321234567"},
                {"event": "hangup", "callUUID": "w1"}]))
            event = await probe.event(RingingEvent)
            assert isinstance(event, RingingEvent)
            assert event.call_id == "w1"
    finally:
        await server.stop()


async def test_tekil_ws_login_with_api_key_and_commands(probe: ChannelProbe,
                                                        timing: ChannelTiming) -> None:
    server = await FakeWsServer().start()
    try:
        channel = channel_for(Flavor.TEKIL, server.port, probe, timing)
        assert isinstance(channel, TekilWebSocketChannel)
        with pytest.raises(NotConnectedError, match="'hangup' not sent: not connected"):
            await channel.send_command({"command": "hangup", "unique_id": "1.2"})
        async with running(channel):
            await probe.state(Phase.CONNECTED)
            assert await asyncio.wait_for(server.logins.get(), WAIT) == \
                {"command": "login", "password": KEY, "crm_id": "crm-1"}
            await server.send(STATUS)
            event = await probe.event(ExtensionStatusEvent)
            assert isinstance(event, ExtensionStatusEvent)
            assert event.ringing
            originate = {"command": "originate", "customer_num": "02245320444",
                         "internal_num": "1001", "crm_id": "crm-1"}
            await channel.send_command(originate)
            assert json.loads(await asyncio.wait_for(server.received.get(), WAIT)) == originate
            await server.stop()
            await probe.state(Phase.RECONNECTING)
            with pytest.raises(NotConnectedError, match="reconnecting"):
                await channel.send_command(originate)
            assert server.received.empty()  # nothing was queued for later
    finally:
        await server.stop()


async def test_tekil_ws_login_with_a_fresh_token_each_time(probe: ChannelProbe,
                                                           timing: ChannelTiming) -> None:
    tokens = iter(["jwt-one.a.b", "jwt-two.a.b"])

    async def provider() -> str:
        return next(tokens)

    server = await FakeWsServer().start()
    try:
        creds = Credentials(token_provider=provider, crm_id="crm-9")
        channel = channel_for(Flavor.TEKIL, server.port, probe, timing, creds)
        async with running(channel):
            await probe.state(Phase.CONNECTED)
            first = await asyncio.wait_for(server.logins.get(), WAIT)
            channel.kick()
            await probe.state(Phase.CONNECTED)
            second = await asyncio.wait_for(server.logins.get(), WAIT)
        assert first == {"command": "login", "token": "jwt-one.a.b", "crm_id": "crm-9"}
        assert second["token"] == "jwt-two.a.b"
    finally:
        await server.stop()


async def test_wss_with_a_test_ca(probe: ChannelProbe, timing: ChannelTiming,
                                  server_cert: trustme.LeafCert, ca_file: str) -> None:
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_cert.configure_cert(server_ctx)
    server = await FakeWsServer(ssl_context=server_ctx).start()
    try:
        channel = channel_for(Flavor.BULUT, server.port, probe, timing, tls=True,
                              ca_file=ca_file)
        async with running(channel):
            state = await probe.state(Phase.CONNECTED)
            assert state.endpoint == f"127.0.0.1:{server.port} (TLS)"
            await server.send(json.dumps({"event": "ringing", "callUUID": "tls-1"}))
            event = await probe.event(RingingEvent)
            assert isinstance(event, RingingEvent)
            assert event.call_id == "tls-1"
    finally:
        await server.stop()


async def test_wss_without_the_ca_is_not_trusted(probe: ChannelProbe, timing: ChannelTiming,
                                                 server_cert: trustme.LeafCert) -> None:
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_cert.configure_cert(server_ctx)
    server = await FakeWsServer(ssl_context=server_ctx).start()
    try:
        channel = channel_for(Flavor.BULUT, server.port, probe, timing, tls=True)
        async with running(channel):
            state = await probe.state(Phase.RECONNECTING)
            assert (state.reason or "").startswith("TLS certificate not trusted: ")
            assert "certificate" in (state.reason or "")[len("TLS certificate not trusted"):]
            await probe.state(Phase.RECONNECTING, where=lambda s: s.retry_in is not None)
        assert server.connections == 0  # no WebSocket session ever got through
        assert server.logins.empty()   # and the domain UUID was never sent
        assert "connected" not in [p.value for p in probe.phases()]
    finally:
        await server.stop()


async def test_tekil_plain_ws_port_8088_shape(probe: ChannelProbe, timing: ChannelTiming) -> None:
    """ws:// (no TLS) works too; the URL comes from the endpoint alone."""
    server = await FakeWsServer().start()
    try:
        channel = channel_for(Flavor.TEKIL, server.port, probe, timing)
        assert channel.endpoint.url() == f"ws://127.0.0.1:{server.port}/"
        async with running(channel):
            await probe.state(Phase.CONNECTED)
    finally:
        await server.stop()


async def test_reconnects_after_the_ws_server_restarts(probe: ChannelProbe,
                                                       timing: ChannelTiming) -> None:
    server = await FakeWsServer().start()
    try:
        async with running(channel_for(Flavor.BULUT, server.port, probe, timing)):
            await probe.state(Phase.CONNECTED)
            await server.stop()
            state = await probe.state(Phase.RECONNECTING)
            assert state.reason is not None
            assert "server closed the connection" in state.reason
            await server.start()
            await probe.state(Phase.CONNECTED)
            await server.wait_clients()
            await server.send(json.dumps({"event": "ringing", "callUUID": "again"}))
            event = await probe.event(RingingEvent)
            assert isinstance(event, RingingEvent)
            assert event.call_id == "again"
    finally:
        await server.stop()


async def test_half_open_websocket_is_caught_by_the_ping_timeout(probe: ChannelProbe) -> None:
    server = await FakeWsServer().start()
    proxy = await FreezableProxy(server.port).start()
    timing = ChannelTiming(ping_interval=0.2, ping_timeout=0.3, watchdog_tick=0.1,
                           close_timeout=0.2)
    try:
        async with running(channel_for(Flavor.BULUT, proxy.port, probe, timing)):
            await probe.state(Phase.CONNECTED)
            await asyncio.sleep(0.5)  # a few pings answered: healthy
            assert probe.phases()[-1] is Phase.CONNECTED
            proxy.freeze()
            state = await probe.state(Phase.RECONNECTING, within=5.0)
            assert state.reason == "no answer to ping within 0.3 s (half-open connection?)"
    finally:
        await proxy.stop()
        await server.stop()


async def test_application_level_pings_are_answered_in_kind(probe: ChannelProbe,
                                                            timing: ChannelTiming) -> None:
    server = await FakeWsServer().start()
    try:
        channel = channel_for(Flavor.BULUT, server.port, probe, timing)
        async with running(channel):
            await probe.state(Phase.CONNECTED)
            await server.send("ping")
            assert await asyncio.wait_for(server.received.get(), WAIT) == "pong"
            await server.send(json.dumps({"type": "ping", "id": 7}))
            answer = await asyncio.wait_for(server.received.get(), WAIT)
            assert json.loads(answer) == {"type": "pong", "id": 7}
            await server.send("pong")  # the server's pongs are tolerated, not answered
            await server.send(STATUS)
            await probe.event(ExtensionStatusEvent)
            assert server.received.empty()
            assert channel.stats.keepalives == 3
            assert probe.events.empty()  # keep-alives are not passed on
    finally:
        await server.stop()


@pytest.mark.parametrize("code", [1008, 4001, 4003, 4401, 4403])
async def test_auth_close_codes_mean_auth_failed(code: int, probe: ChannelProbe,
                                                 timing: ChannelTiming) -> None:
    server = await FakeWsServer(on_login=lambda _m: ("close", code, "invalid tenant")).start()
    try:
        async with running(channel_for(Flavor.BULUT, server.port, probe, timing)):
            state = await probe.verdict(Phase.AUTH_FAILED)
            assert state.reason == ("login rejected: the server closed the connection "
                                    f"(code {code}: invalid tenant)")
            assert state.retry_in is not None
            assert state.retry_in >= 48
            await asyncio.sleep(0.3)
        assert server.connections == 1
    finally:
        await server.stop()


async def test_negative_login_reply_on_tekil_ws(probe: ChannelProbe,
                                                timing: ChannelTiming) -> None:
    reply = json.dumps({"command": "login", "result": False, "message": "Hatalı API anahtarı"})
    server = await FakeWsServer(on_login=lambda _m: reply).start()
    try:
        async with running(channel_for(Flavor.TEKIL, server.port, probe, timing)):
            state = await probe.verdict(Phase.AUTH_FAILED)
            assert state.reason == "login rejected: Hatalı API anahtarı"
            event = await probe.event(ReplyEvent)
            assert isinstance(event, ReplyEvent)
            assert event.ok is False
    finally:
        await server.stop()


async def test_an_oversized_websocket_message_is_skipped(probe: ChannelProbe,
                                                        timing: ChannelTiming) -> None:
    server = await FakeWsServer().start()
    try:
        channel = channel_for(Flavor.BULUT, server.port, probe, timing)
        async with running(channel):
            await probe.state(Phase.CONNECTED)
            await server.wait_clients()
            await server.send(json.dumps({"event": "ringing", "callUUID": "big",
                                          "pad": "Ş" * (1 << 20)}, ensure_ascii=False))
            await server.send(json.dumps({"event": "ringing", "callUUID": "after-big"}))
            event = await probe.event(RingingEvent)
            assert isinstance(event, RingingEvent)
            assert event.call_id == "after-big"
            assert channel.stats.oversized == 1
        assert Phase.RECONNECTING not in probe.phases()
    finally:
        await server.stop()


async def test_a_websocket_message_beyond_the_hard_limit_resets(probe: ChannelProbe,
                                                                timing: ChannelTiming) -> None:
    server = await FakeWsServer().start()
    try:
        async with running(channel_for(Flavor.BULUT, server.port, probe, timing,
                                       max_frame=1024, max_skip=4096)):
            await probe.state(Phase.CONNECTED)
            await server.wait_clients()
            await server.send(json.dumps({"event": "ringing", "pad": "x" * 5000}))
            state = await probe.state(Phase.RECONNECTING)
            assert state.reason == "frame larger than 4 KiB"
            await probe.state(Phase.CONNECTED)
    finally:
        await server.stop()

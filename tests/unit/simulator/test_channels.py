"""The four event channels on real loopback sockets: handshakes, events, refusals."""

from __future__ import annotations

import asyncio
import json
import re
import ssl

import pytest
import trustme
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from desktop.simulator import Simulator

from .clients import TcpClient, bulut_handshake, tcp_login, wait_for, ws_expect, ws_login, ws_next

ISO_MS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
TEKIL_TIME = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")
TEKIL_ID = re.compile(r"^\d+\.\d+$")

BULUT_KEYS = {
    "ringing": {"event", "callUUID", "extension", "callerNumber", "calledNumber", "domain",
                "timestamp"},
    "answered": {"event", "callUUID", "extension", "callerNumber", "calledNumber", "direction",
                 "channelCallState", "hangupCause", "domain", "timestamp"},
    "hangup": {"event", "callUUID", "hangupCause", "domain", "timestamp"},
    "destroy": {"event", "callUUID", "domain", "timestamp"},
    "hold": {"event", "callUUID", "domain", "timestamp"},
    "unhold": {"event", "callUUID", "domain", "timestamp"},
    "extension-registration": {"event", "extension", "statusText", "registered", "domainUuid",
                               "timestamp"},
    "agent-status-change": {"event", "agent", "agentName", "status", "queue", "queueExtension",
                            "domainUuid", "timestamp"},
    "agent-state-change": {"event", "agent", "state", "domainUuid", "timestamp"},
    "bridge-agent-start": {"event", "agent", "agentUUID", "domainUuid", "timestamp"},
    "bridge-agent-end": {"event", "agent", "agentUUID", "domainUuid", "timestamp"},
    "bridge-agent-fail": {"event", "agent", "failCause", "domainUuid", "timestamp"},
    "agent-offering": {"event", "agent", "queue", "domainUuid", "timestamp"},
    "members-count": {"event", "queue", "count", "domainUuid", "timestamp"},
    "member-queue-start": {"event", "memberUUID", "cidName", "domainUuid", "timestamp"},
    "member-queue-end": {"event", "memberUUID", "cidName", "cause", "domainUuid", "timestamp"},
}


def _is_event(name: str):
    return lambda m: isinstance(m, dict) and m.get("event") == name


def _check_bulut_event(sim: Simulator, msg: dict) -> None:
    assert set(msg) == BULUT_KEYS[msg["event"]], msg
    assert ISO_MS.match(msg["timestamp"])
    assert msg.get("domain", msg.get("domainUuid")) == sim.cfg.domain_uuid


# ---------------------------------------------------------------- Bulut


@pytest.mark.parametrize("transport", ["tcp", "ws"])
async def test_bulut_channel_plays_a_whole_call_with_the_documented_fields(make_sim, transport):
    sim = await make_sim(flavor="bulut")
    client = await (tcp_login(sim) if transport == "tcp" else ws_login(sim))

    async def expect(name: str) -> dict:
        if transport == "tcp":
            return await client.expect(_is_event(name))
        return await ws_expect(client, _is_event(name))

    call_id = await sim.ring(extension="1001", caller="05321234567", called="02242345678",
                             answer_after=0.1, hold_for=(0.05, 0.05), hangup_after=0.3)
    ringing = await expect("ringing")
    assert ringing["callUUID"] == call_id
    assert (ringing["extension"], ringing["callerNumber"], ringing["calledNumber"]) == (
        "1001", "05321234567", "02242345678")
    answered = await expect("answered")
    assert answered["direction"] == "inbound"
    assert answered["channelCallState"] == "ACTIVE"
    held, unheld = await expect("hold"), await expect("unhold")
    hangup, destroy = await expect("hangup"), await expect("destroy")
    assert hangup["hangupCause"] == "NORMAL_CLEARING"
    for msg in (ringing, answered, held, unheld, hangup, destroy):
        assert msg["callUUID"] == call_id
        _check_bulut_event(sim, msg)
    assert sim.cdr[-1]["call_id"] == call_id
    await client.close()


async def test_bulut_queue_call_is_offered_to_several_agents(make_sim):
    sim = await make_sim(flavor="bulut")
    client = await tcp_login(sim)
    call_id = await sim.ring(extension="1001", caller="05427730516", queue="60001",
                             other_extensions=("1002", "1003"), answered_by="1002",
                             answer_after=0.1, hangup_after=0.1)
    await sim.wait_call_end(call_id)
    seen = []
    while True:
        msg = await client.next()
        seen.append(msg)
        if msg.get("event") == "member-queue-end":
            break
    for msg in seen:
        _check_bulut_event(sim, msg)
    ringing = [m["extension"] for m in seen if m["event"] == "ringing"]
    assert ringing == ["1001", "1002", "1003"]
    assert [m["extension"] for m in seen if m["event"] == "answered"] == ["1002"]
    offers = [m for m in seen if m["event"] == "agent-offering"]
    assert len(offers) == 3
    assert {m["queue"] for m in offers} == {"DESTEK-KUYRUKQ"}
    assert len([m for m in seen if m["event"] == "bridge-agent-fail"]) == 2
    counts = [m["count"] for m in seen if m["event"] == "members-count"]
    assert counts == [1, 0]
    assert all(isinstance(c, int) for c in counts)
    await client.close()


@pytest.mark.parametrize("domain", ["", "00000000-0000-0000-0000-000000000000", None])
async def test_bulut_tcp_refuses_a_wrong_domain_with_an_error_then_closes(make_sim, domain):
    sim = await make_sim(flavor="bulut")
    client = await TcpClient.connect(sim.ports["tcp"])
    await client.send({"type": "handshake", "domainUuid": domain})
    error = await client.next()
    assert error == {"type": "error", "status": "error", "message": "Geçersiz domainUuid"}
    assert await client.eof()
    await client.close()


async def test_bulut_tcp_refuses_garbage_and_http(make_sim):
    sim = await make_sim(flavor="bulut")
    client = await TcpClient.connect(sim.ports["tcp"])
    await client.send(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", newline=False)
    assert (await client.next())["type"] == "error"
    assert await client.eof()
    await client.close()


async def test_bulut_ws_refuses_a_wrong_domain_with_close_code_1008(make_sim):
    sim = await make_sim(flavor="bulut")
    async with connect(sim.ws_url) as ws:
        await ws.send(json.dumps({"type": "kobipbx_tenant", "domainUuid": "nope"}))
        assert (await ws_next(ws))["message"] == "Geçersiz domainUuid"
        with pytest.raises(ConnectionClosed):
            await ws_next(ws)
        assert ws.close_code == 1008


async def test_bulut_ws_refuses_the_tcp_handshake(make_sim):
    sim = await make_sim(flavor="bulut")
    async with connect(sim.ws_url) as ws:
        await ws.send(json.dumps(bulut_handshake(sim, "tcp")))
        assert (await ws_next(ws))["type"] == "error"
        with pytest.raises(ConnectionClosed):
            await ws_next(ws)
        assert ws.close_code == 1008


async def test_handshake_ack_can_be_switched_off(make_sim):
    sim = await make_sim(flavor="bulut", handshake_ack=False)
    client = await TcpClient.connect(sim.ports["tcp"])
    await client.send(bulut_handshake(sim, "tcp"))
    await wait_for(lambda: any(c["authenticated"] for c in sim.connected_clients()))
    await sim.ring(extension="1002", caller="05058862241")
    assert (await client.next())["event"] == "ringing"
    await client.close()


async def test_domain_filtering_sends_each_client_only_its_domain(make_sim):
    other = "6c7d8e9f-0a1b-4c2d-8e3f-000000000002"
    sim = await make_sim(flavor="bulut", other_domains=(other,))
    mine = await tcp_login(sim)
    theirs = await TcpClient.connect(sim.ports["tcp"])
    await theirs.send({"type": "handshake", "domainUuid": other})
    await theirs.expect(lambda m: m.get("status") == "success")
    await sim.ring(extension="1001", caller="05324118027")
    assert (await mine.next())["event"] == "ringing"
    assert await theirs.nothing_for(0.3)
    sim.emit({"event": "members-count", "queue": "X", "count": 3, "domainUuid": other,
              "timestamp": "2024-01-01T00:00:00.000Z"})
    assert (await theirs.next())["domainUuid"] == other
    assert await mine.nothing_for(0.3)
    await mine.close()
    await theirs.close()


async def test_repeated_data_apart_from_the_timestamp_is_not_sent(make_sim):
    sim = await make_sim(flavor="bulut")
    client = await tcp_login(sim)
    base = {"event": "extension-registration", "extension": "1003", "statusText": "Registered",
            "registered": True, "domainUuid": sim.cfg.domain_uuid}
    assert sim.emit({**base, "timestamp": "2024-01-01T00:00:00.000Z"}) == 1
    assert sim.emit({**base, "timestamp": "2024-01-01T00:00:05.000Z"}) == 0
    assert sim.emit({**base, "registered": False, "statusText": "Unregistered",
                     "timestamp": "2024-01-01T00:00:06.000Z"}) == 1
    assert sim.emit({**base, "timestamp": "2024-01-01T00:00:07.000Z"}, dedup=False) == 1
    got = [await client.next() for _ in range(3)]
    assert [m["registered"] for m in got] == [True, False, True]
    assert await client.nothing_for(0.2)
    # a new connection has its own (empty) cache
    fresh = await tcp_login(sim)
    assert sim.emit({**base, "timestamp": "2024-01-01T00:00:08.000Z"}) == 1
    assert (await fresh.next())["extension"] == "1003"
    await client.close()
    await fresh.close()


async def test_emit_raw_reaches_tcp_clients_verbatim(make_sim):
    sim = await make_sim(flavor="bulut")
    client = await tcp_login(sim)
    assert sim.emit_raw(b"\x00garbage{not json\n") == 1
    assert not await client.nothing_for(1.0)
    assert b"\x00garbage{not json\n" in bytes(client.raw)
    await client.close()


# ---------------------------------------------------------------- Tekil


async def test_tekil_tcp_login_status_snapshot_and_call_variants(make_sim):
    sim = await make_sim(flavor="tekil")
    client = await TcpClient.connect(sim.ports["tcp"])
    await client.send({"cmd": "login", "apikey": sim.cfg.api_key})
    ack = await client.next()
    assert (ack["type"], ack["status"]) == ("login", "success")
    snapshot = [await client.next() for _ in sim.cfg.extensions]
    assert snapshot == [{"type": "ExtensionStatus", "extension": e, "status": "0"}
                        for e in sim.cfg.extensions]
    call_id = await sim.ring(extension="1002", caller="05553026679", answer_after=0.1,
                             hangup_after=0.1)
    assert TEKIL_ID.match(call_id)
    ringing = await client.expect(_is_event("ringing"))
    assert ringing["unique_id"] == call_id
    assert "callUUID" not in ringing
    assert "domain" not in ringing
    assert TEKIL_TIME.match(ringing["timestamp"])
    statuses = []
    while len(statuses) < 3:
        msg = await client.next()
        if msg.get("type") == "ExtensionStatus":
            statuses.append(msg["status"])
    assert statuses == ["8", "1", "0"]
    assert all(isinstance(s, str) for s in statuses)
    await client.close()


async def test_tekil_tcp_refuses_a_wrong_key(make_sim):
    sim = await make_sim(flavor="tekil")
    client = await TcpClient.connect(sim.ports["tcp"])
    await client.send({"cmd": "login", "apikey": "wrong"})
    reply = await client.next()
    assert reply == {"type": "login", "status": "error", "message": "Geçersiz API anahtarı"}
    assert await client.eof()
    await client.close()


async def test_tekil_ws_login_with_api_key_or_panel_jwt(make_sim, http):
    sim = await make_sim(flavor="tekil")
    ws = await ws_login(sim)
    await ws.close()
    async with http.post(f"{sim.http_base}/login", data={
            "usermail": sim.cfg.panel_user, "userpass": sim.cfg.panel_password}) as resp:
        token = json.loads(await resp.text())["token"]
    async with connect(sim.ws_url) as ws:
        await ws.send(json.dumps({"command": "login", "token": token, "crm_id": "abc"}))
        ack = await ws_next(ws)
        assert ack == {"type": "login", "status": "success", "message": "Giriş başarılı",
                       "crm_id": "abc"}
        assert (await ws_next(ws))["type"] == "ExtensionStatus"
        assert "token" in [c["login"] for c in sim.connected_clients()]
    sim.expire_tokens()
    async with connect(sim.ws_url) as ws:
        await ws.send(json.dumps({"command": "login", "token": token, "crm_id": "abc"}))
        assert (await ws_next(ws))["message"] == "Geçersiz token"
        with pytest.raises(ConnectionClosed):
            await ws_next(ws)
        assert ws.close_code == 1008


async def test_tekil_ws_refuses_a_wrong_key_with_1008(make_sim):
    sim = await make_sim(flavor="tekil")
    async with connect(sim.ws_url) as ws:
        await ws.send(json.dumps({"command": "login", "password": "wrong", "crm_id": "1"}))
        assert (await ws_next(ws))["status"] == "error"
        with pytest.raises(ConnectionClosed):
            await ws_next(ws)
        assert ws.close_code == 1008


async def test_tekil_ws_commands_originate_redirect_hangup(make_sim):
    sim = await make_sim(flavor="tekil")
    ws = await ws_login(sim)
    await ws.send(json.dumps({"command": "originate", "customer_num": "02163347190",
                              "pbx_num": "02242345678", "internal_num": "1001",
                              "ring_timeout": "30000", "crm_id": "203577",
                              "wait_response": "15000", "trunk": "kobikom"}))
    reply = await ws_expect(ws, lambda m: m.get("type") == "response")
    assert reply["command"] == "originate"
    assert reply["status"] == "success"
    assert reply["crm_id"] == "203577"
    assert TEKIL_ID.match(reply["unique_id"])
    call_id = reply["unique_id"]
    ringing = await ws_expect(ws, _is_event("ringing"))
    assert ringing["unique_id"] == call_id
    assert (ringing["extension"], ringing["callerNumber"], ringing["calledNumber"],
            ringing["direction"]) == ("1001", "1001", "02163347190", "outbound")
    await ws.send(json.dumps({"command": "redirect", "exten": "1003", "unique_id": call_id,
                              "crm_id": "203577"}))
    assert (await ws_expect(ws, lambda m: m.get("type") == "response"))["status"] == "success"
    moved = await ws_expect(ws, _is_event("ringing"))
    assert moved["extension"] == "1003"
    assert moved["unique_id"] == call_id
    await ws.send(json.dumps({"command": "hangup", "unique_id": call_id, "crm_id": "203577"}))
    assert (await ws_expect(ws, lambda m: m.get("type") == "response"))["status"] == "success"
    assert (await ws_expect(ws, _is_event("hangup")))["unique_id"] == call_id
    await ws.send(json.dumps({"command": "hangup", "unique_id": "1.2", "crm_id": "x"}))
    assert (await ws_expect(ws, lambda m: m.get("type") == "response"))["status"] == "error"
    assert [c["command"] for c in sim.commands] == ["originate", "redirect", "hangup", "hangup"]
    record = sim.cdr[-1]
    assert record["call_id"] == call_id
    assert [leg["extension"] for leg in record["legs"]] == ["1001", "1003"]
    await ws.close()


async def test_tekil_originate_to_an_unknown_extension(make_sim):
    sim = await make_sim(flavor="tekil")
    ws = await ws_login(sim)
    await ws.send(json.dumps({"command": "originate", "customer_num": "05324118027",
                              "internal_num": "1999", "crm_id": "9"}))
    status = await ws_expect(ws, lambda m: m.get("type") == "ExtensionStatus"
                             and m["extension"] == "1999")
    assert status["status"] == "-1"
    reply = await ws_expect(ws, lambda m: m.get("type") == "response")
    assert reply["status"] == "error"
    await ws.close()


# ---------------------------------------------------------------- keep-alive, TLS, lifecycle


async def test_ws_idle_clients_are_closed_and_pings_keep_them(make_sim):
    sim = await make_sim(flavor="bulut", ws_idle_timeout=0.6)
    idle = await ws_login(sim)
    pinging = await ws_login(sim)
    protocol = await ws_login(sim)
    for _ in range(8):
        await pinging.send("ping")
        assert await ws_next(pinging) == "pong"
        await (await protocol.ping())
        await asyncio.sleep(0.15)
    await pinging.send(json.dumps({"type": "ping"}))
    assert (await ws_next(pinging))["type"] == "pong"
    with pytest.raises(ConnectionClosed):
        await ws_next(idle, 0.5)
    assert idle.close_code == 1001
    assert idle.close_reason == "idle timeout"
    assert pinging.close_code is None
    assert protocol.close_code is None
    for ws in (pinging, protocol):
        await ws.close()


async def test_tls_websocket_with_a_private_ca(make_sim):
    ca = trustme.CA()
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(server_ctx)
    client_ctx = ssl.create_default_context()
    ca.configure_trust(client_ctx)
    sim = await make_sim(flavor="bulut", ws_ssl=server_ctx)
    assert sim.ws_url.startswith("wss://")
    ws = await ws_login(sim, ssl=client_ctx)
    await sim.ring(extension="1001", caller="05366604428")
    assert (await ws_expect(ws, _is_event("ringing")))["extension"] == "1001"
    assert sim.connected_clients()[0]["tls"] is True
    await ws.close()
    with pytest.raises(ssl.SSLCertVerificationError):
        await connect(sim.ws_url, ssl=ssl.create_default_context())


async def test_silent_mode_is_a_half_open_connection(make_sim):
    sim = await make_sim(flavor="bulut")
    tcp = await tcp_login(sim)
    ws = await ws_login(sim)
    sim.silent = True
    await sim.ring(extension="1001", caller="05324118027")
    assert await tcp.nothing_for(0.4)
    pong = await ws.ping()
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(asyncio.shield(pong), 0.4)
    assert len(sim.connected_clients()) == 2
    sim.silent = False
    await asyncio.wait_for(pong, 2)
    await sim.ring(extension="1002", caller="05427730516")
    assert (await tcp.expect(_is_event("ringing")))["extension"] == "1002"
    assert (await ws_expect(ws, _is_event("ringing")))["extension"] == "1002"
    await tcp.close()
    await ws.close()


async def test_restart_event_servers_keeps_the_ports(make_sim):
    sim = await make_sim(flavor="bulut")
    ports = dict(sim.ports)
    tcp = await tcp_login(sim)
    ws = await ws_login(sim)
    await sim.restart_event_servers()
    assert sim.ports == ports
    assert await tcp.eof()
    with pytest.raises(ConnectionClosed):
        await ws_next(ws)
    again = await tcp_login(sim)
    ws_again = await ws_login(sim)
    await sim.ring(extension="1001", caller="05553026679")
    assert (await again.expect(_is_event("ringing")))["extension"] == "1001"
    await ws_expect(ws_again, _is_event("ringing"))
    await tcp.close()
    await again.close()
    await ws_again.close()


async def test_connected_clients_never_show_the_secret(make_sim):
    sim = await make_sim(flavor="tekil")
    tcp = await tcp_login(sim)
    ws = await ws_login(sim)
    clients = sim.connected_clients()
    assert {(c["transport"], c["login"], c["authenticated"]) for c in clients} == {
        ("tcp", "apikey", True), ("ws", "password", True)}
    assert sim.cfg.api_key not in json.dumps(clients)
    await tcp.close()
    await ws.close()
    await wait_for(lambda: not sim.connected_clients())

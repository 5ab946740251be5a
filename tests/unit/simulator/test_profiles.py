"""What each simulator profile puts on the wire (real sockets, raw JSON).

The profiles are the simulator disagreeing with our client on purpose;
these tests pin down what each one really sends, independently of the
client (which ``tests/integration/test_profiles.py`` runs against them).
"""

from __future__ import annotations

import re
import time
from typing import Any

import pytest

from desktop.simulator import Simulator
from desktop.simulator.profiles import DEFAULT_PROFILE, MATRIX, PROFILES, Profile, resolve

from .clients import TcpClient, bulut_handshake, wait_for

CALLER = "05321234567"
DID = "02242345678"
CALL_EVENTS = {"ringing", "answered", "hangup", "destroy", "hold", "unhold"}


async def login(sim: Simulator) -> TcpClient:
    """Log in over TCP without relying on an acknowledgement (profiles may send none)."""
    client = await TcpClient.connect(sim.ports["tcp"])
    if sim.cfg.flavor == "bulut":
        await client.send(bulut_handshake(sim, "tcp"))
    else:
        await client.send({"cmd": "login", "apikey": sim.cfg.api_key})
    await wait_for(lambda: any(c["authenticated"] for c in sim.connected_clients()))
    return client


async def drain(client: TcpClient, quiet: float = 0.4) -> list[Any]:
    """Everything the client gets until the line is quiet for *quiet* seconds."""
    out = []
    while True:
        try:
            out.append(await client.next(within=quiet))
        except TimeoutError:
            return out


def calls(messages: list[Any]) -> list[dict[str, Any]]:
    return [m for m in messages if isinstance(m, dict) and m.get("event") in CALL_EVENTS]


def leg_id(msg: dict[str, Any]) -> str:
    return str(msg.get("callUUID") or msg.get("unique_id"))


def test_every_value_of_every_knob_is_played_by_some_profile() -> None:
    knobs = {
        "legs": {"call", "legs"}, "domain": {"uuid", "name", "absent"},
        "direction": {"call", "leg"},
        "click_to_call": {"extension-first", "destination-as-caller"},
        "login_ack": {True, False}, "ringing": {True, False},
        "dedup": {"entity", "event", "off"}, "repeats": {True, False},
        "leg_hints": {True, False}, "tekil_calls": {"events", "status-only"},
    }
    in_matrix = {resolve(name) for names in MATRIX.values() for name in names}
    for knob, values in knobs.items():
        assert {getattr(p, knob) for p in in_matrix} == values, knob
    stamps = {p.timestamp for p in in_matrix}
    assert {"iso-ms", "iso-z", "epoch-s", "epoch-ms", "epoch-us", "local"} <= stamps | {
        "iso-ms", "local"}  # "flavor" is iso-ms on Bulut, local on Tekil
    assert "flavor" in stamps
    assert DEFAULT_PROFILE == "freeswitch"
    assert all(p.description for p in PROFILES.values())


def test_unknown_profiles_are_refused() -> None:
    with pytest.raises(KeyError, match="known: single"):
        resolve("convenient")
    from desktop.simulator import SimulatorConfig

    with pytest.raises(ValueError, match="unknown profile"):
        Simulator(SimulatorConfig(profile="convenient"))


async def test_freeswitch_direct_call_is_a_trunk_leg_and_a_phone_leg(make_sim) -> None:
    sim = await make_sim(flavor="bulut", profile="freeswitch")
    client = await login(sim)
    before = time.time()
    call_id = await sim.ring(extension="1001", caller=CALLER, answer_after=0.1,
                             hangup_after=0.1)
    await sim.wait_call_end(call_id)
    seen = calls(await drain(client))
    names = [(m["event"], leg_id(m)) for m in seen]
    trunk = call_id
    phone = next(leg_id(m) for m in seen if leg_id(m) != trunk)
    assert names == [("ringing", trunk), ("ringing", phone), ("answered", phone),
                     ("answered", trunk), ("hangup", trunk), ("destroy", trunk),
                     ("hangup", phone), ("destroy", phone)]
    ring_trunk, ring_phone, answer_phone, answer_trunk = seen[:4]
    assert (ring_trunk["extension"], ring_trunk["calledNumber"]) == ("1001", DID)
    assert (ring_phone["extension"], ring_phone["calledNumber"]) == ("1001", "1001")
    assert ring_phone["callerNumber"] == CALLER
    # FreeSWITCH's direction is per leg: the leg to the agent's phone is "outbound".
    assert (answer_phone["direction"], answer_trunk["direction"]) == ("outbound", "inbound")
    for msg in seen:
        assert msg["domain"] == sim.cfg.domain_name  # the FusionPBX domain name
        assert re.fullmatch(r"\d{16}", msg["timestamp"])  # epoch microseconds
        assert before - 1 <= int(msg["timestamp"]) / 1e6 <= time.time() + 1
    # No login acknowledgement at all.
    assert not any(m.get("type") == "handshake" for m in await drain(client, 0.1))
    assert sim.cdr[-1]["call_id"] == call_id
    await client.close()


async def test_freeswitch_queue_losers_end_with_lose_race(make_sim) -> None:
    sim = await make_sim(flavor="bulut", profile="freeswitch")
    client = await login(sim)
    call_id = await sim.ring(extension="1001", caller=CALLER, queue="60000",
                             other_extensions=("1002", "1003"), answered_by="1002",
                             answer_after=0.1, hangup_after=0.1)
    await sim.wait_call_end(call_id)
    seen = calls(await drain(client))
    trunk = [m for m in seen if leg_id(m) == call_id]
    assert [(m["event"], m.get("extension")) for m in trunk[:2]] == [
        ("ringing", "60000"), ("answered", "60000")]  # the queue answers the trunk at once
    phones = {m["extension"]: leg_id(m) for m in seen
              if m["event"] == "ringing" and leg_id(m) != call_id}
    assert sorted(phones) == ["1001", "1002", "1003"]
    assert len(set(phones.values())) == 3  # a leg (an id) per phone
    causes = {leg_id(m): m["hangupCause"] for m in seen if m["event"] == "hangup"}
    assert causes[phones["1001"]] == causes[phones["1003"]] == "LOSE_RACE"
    assert causes[phones["1002"]] == "NORMAL_CLEARING"
    await client.close()


async def test_freeswitch_click_to_call_rings_the_agent_as_if_the_customer_called(
        make_sim) -> None:
    sim = await make_sim(flavor="bulut", profile="freeswitch", dial_answer_after=0.2,
                         dial_hangup_after=0.1)
    client = await login(sim)
    call = sim.dial("1001", CALLER)
    await sim.wait_call_end(call.call_id)
    seen = calls(await drain(client))
    first, agent_up, second = seen[0], seen[1], seen[2]
    assert (first["event"], first["callerNumber"], first["calledNumber"]) == (
        "ringing", CALLER, "1001")
    assert (agent_up["event"], leg_id(agent_up), agent_up["direction"]) == (
        "answered", leg_id(first), "outbound")
    assert (second["event"], second["callerNumber"], second["calledNumber"]) == (
        "ringing", "1001", CALLER)
    assert leg_id(second) != leg_id(first)
    assert [m["event"] for m in seen if leg_id(m) == leg_id(second)][:2] == [
        "ringing", "answered"]
    await client.close()


async def test_single_profile_one_id_and_an_acknowledged_login(make_sim) -> None:
    sim = await make_sim(flavor="bulut", profile="single")
    client = await TcpClient.connect(sim.ports["tcp"])
    await client.send(bulut_handshake(sim, "tcp"))
    ack = await client.next()
    assert (ack["type"], ack["status"]) == ("handshake", "success")
    call_id = await sim.ring(extension="1001", caller=CALLER, answer_after=0.1,
                             hangup_after=0.1)
    await sim.wait_call_end(call_id)
    seen = calls(await drain(client))
    assert {leg_id(m) for m in seen} == {call_id}
    assert all(m["domain"] == sim.cfg.domain_uuid for m in seen)
    await client.close()


async def test_sparse_no_ringing_hangups_carry_the_fields_no_domain(make_sim) -> None:
    sim = await make_sim(flavor="bulut", profile="sparse")
    client = await login(sim)
    call_id = await sim.ring(extension="1001", caller=CALLER, hangup_after=0.1)
    await sim.wait_call_end(call_id)
    seen = calls(await drain(client))
    assert seen
    assert not any(m["event"] == "ringing" for m in seen)
    hangups = [m for m in seen if m["event"] == "hangup"]
    assert {(m["extension"], m["callerNumber"]) for m in hangups} == {("1001", CALLER)}
    assert not any("domain" in m for m in seen)
    assert all(re.fullmatch(r"\d{10}", m["timestamp"]) for m in seen)  # epoch seconds
    await client.close()


async def test_noisy_sends_every_call_event_twice(make_sim) -> None:
    sim = await make_sim(flavor="bulut", profile="noisy")
    client = await login(sim)
    call_id = await sim.ring(extension="1001", caller=CALLER, answer_after=0.1,
                             hangup_after=0.1)
    await sim.wait_call_end(call_id)
    seen = calls(await drain(client))
    assert [m["event"] for m in seen] == ["ringing", "ringing", "answered", "answered",
                                          "hangup", "hangup", "destroy", "destroy"]
    assert all(re.fullmatch(r"\d{13}", m["timestamp"]) for m in seen)  # epoch ms
    await client.close()


async def test_bridged_hints_and_a_cache_per_event_name(make_sim) -> None:
    sim = await make_sim(flavor="bulut", profile="bridged")
    client = await login(sim)
    call_id = await sim.ring(extension="1001", caller=CALLER, answer_after=0.1,
                             hangup_after=0.1)
    await sim.wait_call_end(call_id)
    seen = calls(await drain(client))
    phone_ring = next(m for m in seen if m["event"] == "ringing" and leg_id(m) != call_id)
    assert phone_ring["otherLegUUID"] == call_id
    # Every event is sent twice, and the cache suppresses the copy.
    assert len(seen) == len({(m["event"], leg_id(m)) for m in seen})
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", m["timestamp"]) for m in seen)
    # Keyed by event name too: a second hold of the same call is "repeated data".
    session = next(iter(sim.hub.sessions))
    hold = {"event": "hold", "callUUID": "X", "timestamp": "1"}
    unhold = {"event": "unhold", "callUUID": "X", "timestamp": "2"}
    assert session.dedup.admit(hold)
    assert session.dedup.admit(unhold)
    assert not session.dedup.admit({**hold, "timestamp": "3"})
    await client.close()


async def test_tekil_status_only_sends_no_call_event(make_sim) -> None:
    sim = await make_sim(flavor="tekil", profile="status-only")
    client = await login(sim)
    call_id = await sim.ring(extension="1001", caller=CALLER, answer_after=0.1,
                             hangup_after=0.1)
    await sim.wait_call_end(call_id)
    seen = await drain(client)
    assert calls(seen) == []
    statuses = [(m["extension"], m["status"]) for m in seen if m.get("type") == "ExtensionStatus"]
    assert ("1001", "8") in statuses
    assert ("1001", "1") in statuses
    assert statuses[-1] == ("1001", "0")
    assert not any(m.get("type") == "login" for m in seen)  # no login acknowledgement
    assert sim.cdr[-1]["caller"] == CALLER  # the records still know the caller
    await client.close()


async def test_tekil_legs_have_asterisk_ids_and_no_domain(make_sim) -> None:
    sim = await make_sim(flavor="tekil", profile="freeswitch")
    client = await login(sim)
    call_id = await sim.ring(extension="1001", caller=CALLER, answer_after=0.1,
                             hangup_after=0.1)
    await sim.wait_call_end(call_id)
    seen = calls(await drain(client))
    ids = {leg_id(m) for m in seen}
    assert len(ids) == 2
    assert call_id in ids
    assert all(re.fullmatch(r"\d+\.\d+", i) for i in ids)
    assert all("domain" not in m and "unique_id" in m for m in seen)
    await client.close()


async def test_the_profile_switches_at_runtime_over_http(make_sim, http) -> None:
    sim = await make_sim(flavor="bulut", profile="single")
    base = f"{sim.http_base}/_sim/profile"
    async with http.get(base) as resp:
        body = await resp.json()
    assert body["profile"]["name"] == "single"
    assert set(body["known"]) == set(PROFILES)
    async with http.post(base, json={"profile": "sparse"}) as resp:
        assert resp.status == 200
        assert (await resp.json())["profile"]["ringing"] is False
    assert sim.profile.name == "sparse"
    async with http.post(base, json={"profile": "convenient"}) as resp:
        assert resp.status == 400
        assert "unknown profile" in (await resp.json())["error"]
    client = await login(sim)
    call_id = await sim.ring(extension="1001", caller=CALLER, hangup_after=0.1)
    await sim.wait_call_end(call_id)
    assert not any(m["event"] == "ringing" for m in calls(await drain(client)))
    await client.close()


async def test_a_custom_combination_of_knobs(make_sim) -> None:
    profile: Profile = PROFILES["single"].but(name="local-times", timestamp="local",
                                              domain="absent")
    sim = await make_sim(flavor="bulut", profile=profile)
    client = await login(sim)
    call_id = await sim.ring(extension="1001", caller=CALLER, hangup_after=0.1)
    await sim.wait_call_end(call_id)
    seen = calls(await drain(client))
    assert seen
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", m["timestamp"]) for m in seen)
    await client.close()

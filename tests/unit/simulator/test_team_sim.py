"""The simulator's team side (``desktop/simulator/team.py``): readings, waiting callers,
control routes, on real loopback sockets."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from desktop.simulator.team import READINGS, run_team_demo

from .clients import TcpClient
from .test_profiles import login as tcp_login


async def _post(http: Any, sim: Any, path: str, body: Any = None) -> tuple[int, Any]:
    async with http.post(f"{sim.http_base}/_sim/{path}", json=body) as resp:
        return resp.status, await resp.json()


async def until(client: TcpClient, name: str, **match: Any) -> dict[str, Any]:
    return await client.expect(lambda m: isinstance(m, dict) and m.get("event") == name and
                               all(m.get(k) == v for k, v in match.items()))


async def test_freeswitch_reading_names_queues_as_fusionpbx_and_members_fully(make_sim):
    sim = await make_sim(profile="freeswitch")
    client = await tcp_login(sim)
    queue = f"60001@{sim.cfg.domain_name}"
    call_id = await sim.ring(extension="1001", caller="05427730516", queue="60001",
                             other_extensions=("1002",), answered_by="1002",
                             answer_after=0.1, hangup_after=0.1)
    start = await until(client, "member-queue-start")
    assert (start["queue"], start["cidNumber"], start["cidName"]) == (
        queue, "05427730516", "05427730516")
    assert (await until(client, "members-count"))["queue"] == queue
    assert (await until(client, "agent-offering"))["queue"] == queue
    bridge = await until(client, "bridge-agent-start")
    assert bridge["memberUUID"] == start["memberUUID"]
    end = await until(client, "member-queue-end")
    assert (end["queue"], end["cause"], end["memberUUID"]) == (
        queue, "Terminated", start["memberUUID"])
    assert "cancelReason" not in end
    await sim.wait_call_end(call_id)
    await client.close()


async def test_single_reading_keeps_the_documented_key_fields(make_sim):
    sim = await make_sim(profile="single")
    assert READINGS["single"].member_fields == "documented"
    client = await tcp_login(sim)
    sim.switch.team.wait("60000", "05321234567")
    start = await until(client, "member-queue-start")
    assert set(start) == {"event", "memberUUID", "cidName", "domainUuid", "timestamp"}
    assert (await until(client, "members-count"))["queue"] == "SATIS-KUYRUKQ"
    await client.close()


async def test_a_caller_waits_in_a_queue_nobody_is_offered_then_gives_up(make_sim):
    sim = await make_sim(profile="freeswitch")
    client = await tcp_login(sim)
    waiter = sim.switch.team.wait("60000", "05321234567", wait=0.2)
    trunk = await until(client, "ringing")
    assert (trunk["extension"], trunk["callerNumber"]) == ("60000", "05321234567")
    await until(client, "answered", callUUID=trunk["callUUID"])  # music on hold
    assert (await until(client, "members-count"))["count"] == 1
    end = await until(client, "member-queue-end", memberUUID=waiter.member)
    assert (end["cause"], end["cancelReason"], end["cidNumber"]) == (
        "Cancel", "NONE", "05321234567")
    assert (await until(client, "members-count"))["count"] == 0
    hangup = await until(client, "hangup", callUUID=trunk["callUUID"])
    assert hangup["hangupCause"] == "ORIGINATOR_CANCEL"
    assert sim.switch.team.waiters == {}
    await client.close()


async def test_control_routes_drive_the_team(make_sim, http):
    sim = await make_sim(profile="freeswitch")
    client = await tcp_login(sim)
    assert await _post(http, sim, "register", {"extension": "1003", "registered": False}) == (
        200, {"ok": True})
    reg = await until(client, "extension-registration")
    assert (reg["extension"], reg["registered"]) == ("1003", False)
    await _post(http, sim, "agent-status", {"extension": "1002", "status": "On Break",
                                            "queue": "60001"})
    status = await until(client, "agent-status-change")
    assert (status["agent"], status["status"], status["queue"], status["queueExtension"]) == (
        sim.switch.agent_id("1002"), "On Break", f"60001@{sim.cfg.domain_name}", "60001")
    await _post(http, sim, "agent-state", {"extension": "1002", "state": "Idle"})
    assert (await until(client, "agent-state-change"))["state"] == "Idle"
    code, body = await _post(http, sim, "queue-wait", {"queue": "60001", "caller": "0532"})
    assert code == 200
    await until(client, "member-queue-start", memberUUID=body["member"])
    async with http.get(f"{sim.http_base}/_sim/team") as resp:
        state = await resp.json()
    assert state["registered"]["1003"] is False
    assert state["agent_status"]["1002"] == "On Break"
    assert state["agent_state"]["1002"] == "Idle"
    assert state["waiting"] == {"DESTEK-KUYRUKQ": 1}
    assert await _post(http, sim, "queue-leave", {"member": body["member"]}) == (
        200, {"ok": True})
    assert await _post(http, sim, "queue-leave", {"member": body["member"]}) == (
        200, {"ok": False})
    assert (await _post(http, sim, "register", {"extension": "9999"}))[0] == 400
    assert (await _post(http, sim, "queue-wait", {"caller": "x"}))[0] == 400
    await client.close()


@pytest.mark.parametrize("flavor", ["bulut", "tekil"])
async def test_the_team_demo_plays_the_colleagues_day(make_sim, flavor):
    sim = await make_sim(flavor=flavor, profile="freeswitch", scenario_speed=20.0,
                         extensions=("1001", "1002", "1003", "1004", "1005"))
    client = await tcp_login(sim)
    demo = asyncio.create_task(run_team_demo(sim, reregister_every=0.5))
    seen: set[str] = set()
    try:
        async with asyncio.timeout(8):
            while not ({"ringing", "extension-registration", "member-queue-start"} <= seen
                       if flavor == "bulut" else {"ExtensionStatus", "ringing"} <= seen):
                msg = await client.next(within=8)
                if isinstance(msg, dict):
                    seen.add(str(msg.get("event") or msg.get("type")))
    finally:
        demo.cancel()
        await asyncio.gather(demo, return_exceptions=True)
        await client.close()

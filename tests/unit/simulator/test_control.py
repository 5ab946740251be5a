"""The /_sim control interface does what the Python API does."""

from __future__ import annotations

import json

from .clients import TcpClient, tcp_login, wait_for


async def _post(http, sim, path, body=None, **kwargs):
    async with http.post(f"{sim.http_base}/_sim/{path}", json=body, **kwargs) as resp:
        return resp.status, await resp.json()


async def _get(http, sim, path):
    async with http.get(f"{sim.http_base}/_sim/{path}") as resp:
        return await resp.json()


async def test_ring_answer_hangup_round_trip(make_sim, http):
    sim = await make_sim(flavor="bulut")
    client = await tcp_login(sim)
    status, body = await _post(http, sim, "ring", {"extension": "1002", "caller": "05427730516",
                                                   "queue": "60000", "other_extensions": ["1003"]})
    assert status == 200
    call_id = body["call_id"]
    ringing = await client.expect(lambda m: m.get("event") == "ringing")
    assert ringing["callUUID"] == call_id
    assert (await _post(http, sim, "answer", {"call_id": call_id, "extension": "1003"}))[1] == {
        "ok": True}
    answered = await client.expect(lambda m: m.get("event") == "answered")
    assert answered["extension"] == "1003"
    assert (await _post(http, sim, "hangup", {"call_id": call_id}))[1] == {"ok": True}
    await client.expect(lambda m: m.get("event") == "destroy")
    cdr = await _get(http, sim, "cdr")
    assert cdr[-1]["call_id"] == call_id
    assert cdr[-1]["extension"] == "1003"
    status, body = await _post(http, sim, "ring", {"caller": "x"})
    assert status == 400
    await client.close()


async def test_emit_and_emit_raw(make_sim, http):
    sim = await make_sim(flavor="bulut")
    client = await tcp_login(sim)
    message = {"event": "members-count", "queue": "SATIS-KUYRUKQ", "count": 4,
               "domainUuid": sim.cfg.domain_uuid, "timestamp": "2024-01-01T00:00:00.000Z"}
    assert (await _post(http, sim, "emit", message))[1] == {"delivered": 1}
    assert await client.next() == message
    assert (await _post(http, sim, "emit", message))[1] == {"delivered": 0}  # de-duplicated
    assert (await _post(http, sim, "emit", message, params={"dedup": "false"}))[1] == {
        "delivered": 1}
    assert await client.next() == message
    async with http.post(f"{sim.http_base}/_sim/emit-raw", data=b"\x00junk\n") as resp:
        assert (await resp.json())["delivered"] == 1
    assert not await client.nothing_for(1.0)
    assert client.raw.endswith(b"\x00junk\n")
    await client.close()


async def test_received_commands_clients(make_sim, http):
    sim = await make_sim(flavor="tekil")
    client = await tcp_login(sim)
    await client.send({"cmd": "originate", "customer_num": "02163347190", "internal_num": "1001",
                       "crm_id": "7"})
    await client.expect(lambda m: m.get("type") == "response")
    assert (await _get(http, sim, "commands"))[0]["cmd"] == "originate"
    clients = await _get(http, sim, "clients")
    assert [(c["transport"], c["authenticated"], c["login"]) for c in clients] == [
        ("tcp", True, "apikey")]
    async with http.post(f"{sim.http_base}/login", data={"usermail": "a", "userpass": "b"}):
        pass
    received = await _get(http, sim, "received")
    assert [r["path"] for r in received] == ["/login"]  # control requests are not logged
    async with http.get(f"{sim.http_base}/_sim/received", params={"clear": "1"}):
        pass
    assert sim.received == []
    await client.close()


async def test_fault_expire_tokens_silent_restart(make_sim, http):
    sim = await make_sim(flavor="tekil")
    async with http.post(f"{sim.http_base}/login", data={
            "usermail": sim.cfg.panel_user, "userpass": sim.cfg.panel_password}) as resp:
        token = json.loads(await resp.text())["token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert (await _post(http, sim, "fault", {"path": "/getGroupList", "kind": "500"}))[0] == 200
    async with http.get(f"{sim.http_base}/getGroupList", headers=headers) as resp:
        assert resp.status == 500
    assert (await _post(http, sim, "fault", {"path": "/x", "kind": "nope"}))[0] == 400
    await _post(http, sim, "expire-tokens")
    async with http.get(f"{sim.http_base}/getGroupList", headers=headers) as resp:
        assert resp.status == 401
    client = await tcp_login(sim)
    assert (await _post(http, sim, "silent", {"silent": True}))[1] == {"silent": True}
    assert sim.silent is True
    await _post(http, sim, "silent", {"silent": False})
    ports = dict(sim.ports)
    assert (await _post(http, sim, "restart"))[1] == {"ports": ports}
    assert await client.eof()
    again = await TcpClient.connect(sim.ports["tcp"])
    await again.send({"cmd": "login", "apikey": sim.cfg.api_key})
    await wait_for(lambda: any(c["authenticated"] for c in sim.connected_clients()))
    await client.close()
    await again.close()

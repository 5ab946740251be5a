"""``POST /_sim/flood``: many unanswered calls at an even pace (the soak's flood)."""

from __future__ import annotations

import json

from .clients import tcp_login


async def _post(http, sim, body):
    async with http.post(f"{sim.http_base}/_sim/flood", json=body) as resp:
        return resp.status, await resp.json()


async def test_a_flood_rings_and_hangs_up_every_call(make_sim, http):
    sim = await make_sim(flavor="bulut")
    client = await tcp_login(sim)
    status, body = await _post(http, sim, {"extension": "1001", "count": 40, "seconds": 0.2,
                                           "first_caller": "05550000000"})
    assert status == 200
    ids = body["call_ids"]
    assert len(set(ids)) == 40
    assert body["seconds"] >= 0.2 * 39 / 40
    rang: list[dict] = []
    ended: set[str] = set()
    while len(ended) < 40:
        message = await client.expect(lambda m: m.get("event") in ("ringing", "destroy"))
        if message["event"] == "ringing":
            rang.append(message)
        else:
            ended.add(message["callUUID"])
    assert [m["callUUID"] for m in rang] == ids
    # The callers count up from first_caller (whatever field the profile names them in).
    assert "05550000000" in json.dumps(rang[0])
    assert "05550000039" in json.dumps(rang[-1])
    assert ended == set(ids)
    records = {r["call_id"]: r for r in sim.cdr}
    assert {records[i]["disposition"] for i in ids} == {"NO ANSWER"}
    await client.close()


async def test_a_bad_flood_request_is_refused(make_sim, http):
    sim = await make_sim(flavor="bulut")
    assert (await _post(http, sim, {"count": 3}))[0] == 400
    assert (await _post(http, sim, {"extension": "1001", "count": 0}))[0] == 400
    assert (await _post(http, sim, {"extension": "1001", "count": "many"}))[0] == 400
    assert sim.cdr == []

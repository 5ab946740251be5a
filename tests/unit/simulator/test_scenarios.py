"""Scenario scripts, seed data and the demo loop."""

from __future__ import annotations

import asyncio
import random

import phonenumbers
import pytest

from desktop.simulator import scenarios

from .clients import tcp_login


def _valid_turkish(number: str) -> bool:
    parsed = phonenumbers.parse(number, "TR")
    return phonenumbers.is_valid_number(parsed)


def test_numbers_are_valid_turkish_numbers():
    rng = random.Random(1)
    numbers = [scenarios.mobile(rng) for _ in range(200)] + [
        scenarios.landline(rng) for _ in range(200)] + scenarios.known_numbers()
    assert all(_valid_turkish(n) for n in numbers), [n for n in numbers if not _valid_turkish(n)]
    mobile_type = phonenumbers.PhoneNumberType.MOBILE
    assert all(phonenumbers.number_type(phonenumbers.parse(scenarios.mobile(rng), "TR"))
               == mobile_type for _ in range(50))
    assert scenarios.stranger(rng) not in scenarios.known_numbers()


def test_seeded_history_looks_like_a_week_of_calls(make_sim):
    from desktop.simulator import Simulator, SimulatorConfig

    sim = Simulator(SimulatorConfig(seed_history=30, random_seed=5))
    kinds = {r["kind"] for r in sim.cdr}
    assert {"direct", "queue", "outbound"} <= kinds
    assert all(r["start"] <= r["end"] for r in sim.cdr)
    assert any(len(r["legs"]) > 1 for r in sim.cdr)
    assert all(_valid_turkish(r["caller"]) for r in sim.cdr if r["direction"] == "inbound")


@pytest.mark.parametrize("script", [s for s, _ in scenarios.DEMO_SCRIPTS],
                         ids=lambda s: s.__name__)
async def test_each_script_plays_to_the_end(make_sim, script):
    sim = await make_sim(flavor="bulut", scenario_speed=40.0)
    client = await tcp_login(sim)
    before = len(sim.cdr)
    call_id = await script(sim, "1001", random.Random(3))
    if call_id is None:  # noise: registrations / agent statuses only
        msg = await client.next()
        assert msg["event"] in ("extension-registration", "agent-status-change")
    else:
        await asyncio.wait_for(sim.wait_call_end(call_id), 5)
        assert len(sim.cdr) == before + 1
        assert sim.cdr[-1]["call_id"] == call_id
        seen = []
        while (msg := await client.next())["event"] != "destroy" or msg.get("callUUID") != call_id:
            seen.append(msg["event"])
        assert "ringing" in seen
    await client.close()


async def test_run_demo_plays_varied_calls_until_cancelled(make_sim):
    sim = await make_sim(flavor="tekil", scenario_speed=50.0)
    demo = asyncio.create_task(sim.run_demo(extension="1001", interval=(1, 2)))
    try:
        await asyncio.wait_for(_until(lambda: len(sim.cdr) >= 3), 15)
    finally:
        demo.cancel()
        with pytest.raises(asyncio.CancelledError):
            await demo
    assert all(r["call_id"].count(".") == 1 for r in sim.cdr)


async def _until(predicate) -> None:
    while not predicate():  # noqa: ASYNC110 - polling simulator state
        await asyncio.sleep(0.05)

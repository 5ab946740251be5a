"""Exactly-once SMS against the simulator: look-alikes, skewed clocks, partial failure, crashes.

Kobikom's SMS APIs take no idempotency key, so an unconfirmed send is
settled by listing the provider's messages (:mod:`desktop.core.sms_confirm`).
Here the provider's list holds messages that look like ours but are not
(somebody else's, sent before or after our attempt), its clock is off, a
batch runs out of credits half way, and the app dies mid-send.  In every
case: never a second send on our own, never "sent" on the strength of a
message we cannot tie to our attempt.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from desktop.core.sms_confirm import Doubt, doubt_of
from desktop.core.sms_outbox import SmsOutbox, SmsState
from desktop.simulator import Simulator, SimulatorConfig
from tests.integration.test_sms import (
    FAST_TIMING,
    MOBILE,
    make_sender,
    settled,
    sms_requests,
)

TEXT = "Toplantı yarın 10:00"
KEY = "+905324118027"
ASKED_OR_SENT = {SmsState.NEEDS_AGENT, SmsState.SENT, SmsState.DELIVERED}


async def started(**options: object) -> Simulator:
    simulator = Simulator(SimulatorConfig(seed_history=0, sms_delivery_delay=0.2,
                                          **options))  # type: ignore[arg-type]
    await simulator.start()
    return simulator


@pytest.fixture
async def sim() -> AsyncIterator[Simulator]:
    simulator = await started()
    try:
        yield simulator
    finally:
        await simulator.stop()


@pytest.fixture
def outbox(tmp_path: Path):
    box = SmsOutbox(tmp_path / "outbox.sqlite3")
    yield box
    box.close()


async def until(condition, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.002)


async def drive_until(sender, ids, states, seconds: float = 10.0):
    return await sender.drive(ids, deadline=time.time() + seconds, done=settled(states))


async def test_a_look_alike_sent_before_our_attempt_is_not_ours(sim, outbox):
    """Somebody sent the same text to the same number two minutes ago; ours never left."""
    before = sim.add_sms(MOBILE, TEXT, "DEMOFIRMA", age=120)
    sim.fault("/api/message/send", "timeout")  # the request hangs; nothing is sent
    sender = make_sender(outbox, sim)
    [queued] = outbox.enqueue([MOBILE], TEXT, "DEMOFIRMA")
    [asked] = await drive_until(sender, [queued.id], ASKED_OR_SENT)
    assert asked.state is SmsState.NEEDS_AGENT  # old code: "sent", with the look-alike's id
    assert asked.provider_id is None
    assert outbox.listed_before(queued.id) == {before["uuid"]}
    assert len(sms_requests(sim, "/api/message/send")) == 1
    assert [m["uuid"] for m in sim.sms] == [before["uuid"]]
    # Only the agent's "Send again" sends it, once.
    await sender.send_again(queued.id)
    [final] = await drive_until(sender, [queued.id], {SmsState.DELIVERED})
    await sender.aclose()
    assert final.provider_id == sim.sms[1]["uuid"] != before["uuid"]
    assert len(sms_requests(sim, "/api/message/send")) == 2


async def test_old_api_same_number_and_title_minutes_before_is_not_ours(sim, outbox):
    """The old API's history has no text: a message to the same number with the same
    title five minutes earlier looked like ours to the old code."""
    before = sim.add_sms(MOBILE, "Başka bir mesaj", "DEMOFIRMA", api="old", age=300)
    sim.fault("/sms/api", "disconnect")  # the connection drops before anything is sent
    sender = make_sender(outbox, sim, api="old")
    [queued] = outbox.enqueue([MOBILE], TEXT, "DEMOFIRMA")
    [asked] = await drive_until(sender, [queued.id], ASKED_OR_SENT)
    await sender.aclose()
    assert asked.state is SmsState.NEEDS_AGENT
    assert asked.provider_id is None
    assert outbox.listed_before(queued.id) == {before["message_id"]}
    assert [m["message_id"] for m in sim.sms] == [before["message_id"]]
    sends = [r for r in sms_requests(sim, "/sms/api") if r["query"].get("action") == "send-sms"]
    assert len(sends) == 1


async def test_a_look_alike_sent_after_our_attempt_is_not_ours(sim, outbox):
    """Ours was refused with a 500 (nothing sent); a colleague sends the same text
    to the same number half a minute later, before our check."""
    sim.fault("/api/message/send", "500")
    sender = make_sender(outbox, sim)
    [queued] = outbox.enqueue([MOBILE], TEXT, "DEMOFIRMA")
    await sender.step(only=[queued.id])  # listed, sent, unanswered: unknown
    assert outbox.get(queued.id).state is SmsState.UNKNOWN
    after = sim.add_sms(MOBILE, TEXT, "DEMOFIRMA", age=-30)  # created 30 s after our attempt
    [asked] = await drive_until(sender, [queued.id], ASKED_OR_SENT)
    await sender.aclose()
    assert asked.state is SmsState.NEEDS_AGENT  # old code: "sent", with the colleague's id
    assert after["uuid"] not in {asked.provider_id}
    assert len(sms_requests(sim, "/api/message/send")) == 1


async def test_a_skewed_provider_clock_still_finds_ours_not_the_look_alike(outbox):
    """The provider's clock is seven minutes ahead; a look-alike went out three
    minutes before our attempt; ours was accepted but the answer was lost."""
    sim = await started(sms_clock_offset=420.0)
    try:
        look_alike = sim.add_sms(MOBILE, TEXT, "DEMOFIRMA", age=180)
        sim.fault("/api/message/send", "accept-then-timeout")
        sender = make_sender(outbox, sim)
        [queued] = outbox.enqueue([MOBILE], TEXT, "DEMOFIRMA")
        [final] = await drive_until(sender, [queued.id], {SmsState.DELIVERED,
                                                          SmsState.NEEDS_AGENT})
        await sender.aclose()
        ours = next(m for m in sim.sms if m["uuid"] != look_alike["uuid"])
        assert final.state is SmsState.DELIVERED
        assert final.provider_id == ours["uuid"]  # old code: the earlier look-alike's id
        assert final.clock_offset == pytest.approx(420.0, abs=1.6)
        assert abs(final.sent_at - time.time()) < 60  # back on our clock
        assert len(sms_requests(sim, "/api/message/send")) == 1
    finally:
        await sim.stop()


async def test_a_look_alike_during_our_attempt_makes_it_a_question(sim, outbox):
    """Ours went out, and at the same moment somebody else's identical message:
    two candidates, so the agent decides; nothing is sent again."""
    sim.fault("/api/message/send", "accept-then-timeout")

    async def colleague() -> None:
        await until(lambda: sms_requests(sim, "/api/message/send"))
        sim.add_sms(MOBILE, TEXT, "DEMOFIRMA")

    sender = make_sender(outbox, sim)
    [queued] = outbox.enqueue([MOBILE], TEXT, "DEMOFIRMA")
    other = asyncio.create_task(colleague())
    try:
        [asked] = await drive_until(sender, [queued.id], ASKED_OR_SENT)
    finally:
        other.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await other
    await sender.aclose()
    assert asked.state is SmsState.NEEDS_AGENT
    assert "several" in (asked.error or "")
    assert len(sim.sms) == 2
    assert len(sms_requests(sim, "/api/message/send")) == 1


async def test_a_partial_failure_never_sends_the_sent_ones_again(tmp_path: Path):
    """Three recipients, credit for two: two are sent, one is refused; however often
    the sender looks again, the two are never sent again."""
    sim = await started(sms_balance=2)
    box = SmsOutbox(tmp_path / "outbox.sqlite3")
    try:
        sender = make_sender(box, sim)
        messages = box.enqueue([MOBILE, "0542 773 05 16", "0555 123 45 67"], TEXT,
                               "DEMOFIRMA")
        ids = [m.id for m in messages]
        final = await drive_until(sender, ids, {SmsState.DELIVERED, SmsState.FAILED})
        for _ in range(3):
            await sender.step()
        await sender.aclose()
        states = [m.state for m in final]
        assert states == [SmsState.DELIVERED, SmsState.DELIVERED, SmsState.FAILED]
        assert final[2].provider_id is None  # refused: nothing was charged
        assert "Yetersiz bakiye" in (final[2].error or "")
        assert sorted(m["to"] for m in sim.sms) == [KEY, "+905427730516"]
        assert len(sms_requests(sim, "/api/message/send")) == 3
    finally:
        box.close()
        await sim.stop()


async def test_a_crash_mid_send_is_settled_by_the_list_not_resent(sim, tmp_path: Path):
    """The app dies while the request is open (the provider accepted it): the next
    start finds the message by the list taken before the attempt."""
    path = tmp_path / "outbox.sqlite3"
    sim.fault("/api/message/send", "accept-then-timeout")
    first = SmsOutbox(path)
    [queued] = first.enqueue([MOBILE], TEXT, "DEMOFIRMA")
    sender = make_sender(first, sim)
    running = asyncio.create_task(sender.step(only=[queued.id]))
    await until(lambda: sim.sms)
    running.cancel()  # the crash: no answer, no state change after "sending"
    with contextlib.suppress(asyncio.CancelledError):
        await running
    await sender.aclose()
    assert first.get(queued.id).state is SmsState.SENDING
    first.close()

    again = SmsOutbox(path)
    try:
        restarted = make_sender(again, sim)
        restarted.timing = dataclasses.replace(FAST_TIMING, stale_sending=0.0)
        [final] = await drive_until(restarted, [queued.id], {SmsState.DELIVERED,
                                                             SmsState.NEEDS_AGENT})
        await restarted.aclose()
        assert final.state is SmsState.DELIVERED
        assert final.provider_id == sim.sms[0]["uuid"]
        assert len(sms_requests(sim, "/api/message/send")) == 1
    finally:
        again.close()


async def test_an_attempt_without_a_list_from_before_goes_to_the_agent(sim, outbox):
    """An unconfirmed send from before this version (or whose list failed) cannot be
    tied to any message at the provider, even one that matches: the agent decides."""
    [queued] = outbox.enqueue([MOBILE], TEXT, "DEMOFIRMA")
    now = time.time()
    outbox.transition(queued.id, [SmsState.QUEUED], SmsState.UNKNOWN, sending_at=now,
                      attempt_ended_at=now + 1, next_at=now, attempts=1)
    sim.add_sms(MOBILE, TEXT, "DEMOFIRMA")  # a perfect match, but whose?
    sender = make_sender(outbox, sim)
    [asked] = await drive_until(sender, [queued.id], ASKED_OR_SENT)
    await sender.aclose()
    assert asked.state is SmsState.NEEDS_AGENT
    assert doubt_of(asked.error) is Doubt.UNTIABLE
    assert not sms_requests(sim, "/api/message/send")

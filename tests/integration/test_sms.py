"""SMS over real HTTP against the simulator: the clients, the outbox and its sender.

The outbox is a real SQLite file; "the network is down" is the simulator
stopped (connections refused); "a restart" closes the database and the
sender and opens new ones on the same file.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from desktop.core.sms_outbox import SmsOutbox, SmsState
from desktop.core.sms_sender import (
    ProblemKind,
    SenderClosed,
    SenderTiming,
    SmsApiConfig,
    SmsNotConfigured,
    SmsSender,
)
from desktop.pbx.errors import AmbiguousError, AuthError, NetworkError, RequestError
from desktop.pbx.sms import NewSmsApi, OldBulkItem, OldSmsApi, SmsCoding
from desktop.simulator import Simulator, SimulatorConfig

#: Short client timeouts so an "accept then hang" fault costs half a second.
FAST = httpx.Timeout(connect=2.0, read=0.5, write=2.0, pool=2.0)
#: A sender clock measured in tenths of seconds.
FAST_TIMING = SenderTiming(first_retry=0.1, max_retry=0.4, recheck_credentials=0.2,
                           check_delays=(0.05, 0.1, 0.1), poll_delays=(0.1, 0.2),
                           poll_window=30.0, stale_sending=60.0, idle=1.0)
MOBILE = "0532 411 80 27"


@pytest.fixture
async def sim() -> AsyncIterator[Simulator]:
    simulator = Simulator(SimulatorConfig(seed_history=0, sms_delivery_delay=0.2))
    await simulator.start()
    try:
        yield simulator
    finally:
        await simulator.stop()


def new_api(sim: Simulator, token: str | None = None) -> NewSmsApi:
    return NewSmsApi(token or sim.cfg.sms_token, base_url=sim.http_base, timeout=FAST)


def old_api(sim: Simulator, key: str | None = None) -> OldSmsApi:
    return OldSmsApi(key or sim.cfg.sms_api_key, base_url=sim.http_base, timeout=FAST)


def sms_requests(sim: Simulator, path: str) -> list[dict]:
    return [r for r in sim.received if r["path"] == path]


# ---------------------------------------------------------------- the clients


async def test_new_api_send_sends_exactly_the_documented_parameters(sim):
    api = new_api(sim)
    try:
        sent = await api.send("905324118027", "Sizi aradık, ulaşamadık.", "DEMOFIRMA",
                              coding=SmsCoding.TURKISH)
    finally:
        await api.aclose()
    [request] = sms_requests(sim, "/api/message/send")
    assert request["method"] == "GET"
    assert request["query"] == {"api_token": sim.cfg.sms_token, "to": "905324118027",
                                "from": "DEMOFIRMA", "message": "Sizi aradık, ulaşamadık."}
    assert request["json"] is None
    assert sent.provider_id == sim.sms[0]["uuid"]
    assert sent.status == "PENDING"


async def test_old_api_send_sends_exactly_the_documented_parameters(sim):
    api = old_api(sim)
    try:
        sent = await api.send("905324118027", "Şimdi arayın", "DEMOFIRMA",
                              coding=SmsCoding.TURKISH)
    finally:
        await api.aclose()
    [request] = sms_requests(sim, "/sms/api")
    assert request["method"] == "GET"
    assert request["query"] == {"action": "send-sms", "api_key": sim.cfg.sms_api_key,
                                "to": "905324118027", "from": "DEMOFIRMA",
                                "sms": "Şimdi arayın", "unicode": "turkish"}
    assert sent.provider_id == sim.sms[0]["message_id"]
    assert sent.cost == 1


async def test_old_api_multiple_send_posts_a_json_array(sim):
    api = old_api(sim)
    try:
        sent, failed = await api.send_multiple([
            OldBulkItem("905324118027", "Mesaj 1", "DEMOFIRMA", SmsCoding.PLAIN),
            OldBulkItem("905427730516", "Mesaj ğ", "DEMOFIRMA", SmsCoding.TURKISH)])
    finally:
        await api.aclose()
    [request] = sms_requests(sim, "/sms/api/multiple")
    assert request["method"] == "POST"
    assert request["query"] == {"action": "send-sms", "api_key": sim.cfg.sms_api_key}
    assert request["json"] == [
        {"from": "DEMOFIRMA", "to": "905324118027", "sms": "Mesaj 1", "unicode": "0"},
        {"from": "DEMOFIRMA", "to": "905427730516", "sms": "Mesaj ğ", "unicode": "turkish"}]
    assert failed == 0
    assert [s.provider_id for s in sent] == [m["custom_id"] for m in sim.sms]


@pytest.mark.parametrize("make", [new_api, old_api])
async def test_senders_and_balance(sim, make):
    api = make(sim)
    try:
        titles = await api.senders()
        balance = await api.balance()
    finally:
        await api.aclose()
    assert [t.title for t in titles] == list(sim.cfg.sms_senders)
    assert balance.amount == Decimal(sim.cfg.sms_balance)
    path = "/api/subscription" if make is new_api else "/sms/api/sender-id"
    assert sms_requests(sim, path)


async def test_new_api_status_and_listing(sim):
    api = new_api(sim)
    try:
        sent = await api.send("905324118027", "Kargonuz yolda", "DEMOFIRMA")
        pending = await api.status(sent.provider_id)
        await asyncio.sleep(0.3)
        delivered = await api.status(sent.provider_id)
        today = time.strftime("%Y-%m-%d", time.gmtime())
        listed = await api.list_messages(today, today, to="905324118027")
        missing = await api.status("00000000-0000-0000-0000-000000000000")
    finally:
        await api.aclose()
    assert pending is not None
    assert pending.state.value == "pending"
    assert delivered is not None
    assert delivered.state.value == "delivered"
    assert delivered.delivered_at is not None
    assert [m.provider_id for m in listed] == [sent.provider_id]
    assert listed[0].text == "Kargonuz yolda"
    assert missing is None
    status_request = sms_requests(sim, f"/api/message/{sent.provider_id}")[0]
    assert status_request["query"] == {"api_token": sim.cfg.sms_token}


@pytest.mark.parametrize("make", [new_api, old_api])
async def test_a_bad_credential_is_an_auth_error_and_keeps_no_secret(sim, make):
    api = make(sim, "wrong-credential-1234")
    try:
        with pytest.raises(AuthError) as info:
            await api.send("905324118027", "x", "DEMOFIRMA")
        with pytest.raises(AuthError):
            await api.balance()
    finally:
        await api.aclose()
    assert "wrong-credential-1234" not in str(info.value)
    assert info.value.status == 401
    assert not sim.sms


async def test_refused_connection_is_a_network_error_that_sent_nothing(sim):
    api = new_api(sim)
    await sim.stop()
    try:
        with pytest.raises(NetworkError) as info:
            await api.send("905324118027", "x", "DEMOFIRMA")
    finally:
        await api.aclose()
    assert not isinstance(info.value, AmbiguousError)
    assert info.value.may_have_reached_server is False


async def test_a_timeout_after_sending_is_ambiguous_and_not_retried(sim):
    sim.fault("/api/message/send", "accept-then-timeout")
    api = new_api(sim)
    try:
        with pytest.raises(AmbiguousError):
            await api.send("905324118027", "x", "DEMOFIRMA")
    finally:
        await api.aclose()
    assert len(sms_requests(sim, "/api/message/send")) == 1
    assert len(sim.sms) == 1


async def test_a_refusal_carries_the_servers_words(sim):
    api = new_api(sim)
    try:
        with pytest.raises(RequestError) as info:
            await api.send("905324118027", "", "DEMOFIRMA")
    finally:
        await api.aclose()
    assert info.value.status == 422
    assert "message field is required" in info.value.server_message


# ---------------------------------------------------------------- the outbox


def make_sender(outbox: SmsOutbox, sim_or_cfg: Simulator | Callable[[], SmsApiConfig], *,
                api: str = "new", changes: list | None = None, problems: list | None = None,
                on_change: Callable | None = None) -> SmsSender:
    if isinstance(sim_or_cfg, Simulator):
        sim = sim_or_cfg
        cred = sim.cfg.sms_api_key if api == "old" else sim.cfg.sms_token
        cfg = SmsApiConfig(api, sim.http_base, cred)

        def config() -> SmsApiConfig:
            return cfg
    else:
        config = sim_or_cfg
    return SmsSender(outbox, config, timing=FAST_TIMING,
                     api_builder=lambda c: c.build(timeout=FAST),
                     on_change=on_change if changes is None else changes.append,
                     on_problem=None if problems is None else problems.append)


def settled(states: set[SmsState]) -> Callable[[list], bool]:
    return lambda messages: all(m.state in states for m in messages)


async def test_a_message_is_written_sent_and_delivered(sim, tmp_path: Path):
    outbox = SmsOutbox(tmp_path / "outbox.sqlite3")
    changes: list = []
    sender = make_sender(outbox, sim, changes=changes)
    [queued] = outbox.enqueue([MOBILE], "Merhaba, sizi aradık.", "DEMOFIRMA", call_id="c-1")
    assert outbox.get(queued.id).state is SmsState.QUEUED
    [final] = await sender.drive([queued.id], deadline=time.time() + 10,
                                 done=settled({SmsState.DELIVERED}))
    await sender.aclose()
    assert final.state is SmsState.DELIVERED
    assert final.provider_id == sim.sms[0]["uuid"]
    assert [e.state for e in outbox.events(queued.id)] == [
        SmsState.QUEUED, SmsState.SENDING, SmsState.SENT, SmsState.DELIVERED]
    assert [c.state for c in changes] == [SmsState.SENDING, SmsState.SENT,
                                          *([SmsState.SENT] * (len(changes) - 3)),
                                          SmsState.DELIVERED]
    assert [m.id for m in outbox.for_call("c-1")] == [queued.id]
    outbox.close()


async def test_the_outbox_survives_a_restart_with_the_network_down(tmp_path: Path):
    port_holder = Simulator(SimulatorConfig(seed_history=0))
    await port_holder.start()
    port = port_holder.ports["http"]
    base = port_holder.http_base
    await port_holder.stop()  # the network is down: connections are refused

    def config() -> SmsApiConfig:
        return SmsApiConfig("new", base, "demo-sms-token")

    path = tmp_path / "outbox.sqlite3"
    outbox = SmsOutbox(path)
    problems: list = []
    sender = make_sender(outbox, config, problems=problems)
    [queued] = outbox.enqueue([MOBILE], "Adres bilgimiz: Bursa", "DEMOFIRMA")
    [after] = await sender.drive([queued.id], deadline=time.time() + 5,
                                 done=lambda ms: ms[0].attempts >= 1
                                 and ms[0].state is SmsState.QUEUED)
    assert after.state is SmsState.QUEUED
    assert "cannot connect" in (after.error or "")
    assert problems[-1].kind is ProblemKind.NETWORK
    await sender.aclose()
    outbox.close()  # the app quits

    sim = Simulator(SimulatorConfig(seed_history=0, http_port=port, sms_delivery_delay=0.1))
    await sim.start()  # the network is back
    try:
        reopened = SmsOutbox(path)
        delivered = asyncio.Event()
        sender = make_sender(reopened, config, on_change=lambda m: delivered.set()
                             if m.state is SmsState.DELIVERED else None)
        task = asyncio.create_task(sender.run())  # the app's long-running loop
        await asyncio.wait_for(delivered.wait(), timeout=10)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        final = reopened.get(queued.id)
        assert final.state is SmsState.DELIVERED
        assert len(sim.sms) == 1
        assert sim.sms[0]["message"] == "Adres bilgimiz: Bursa"
        reopened.close()
    finally:
        await sim.stop()


async def test_a_timeout_after_the_server_accepted_sends_exactly_once(sim, tmp_path: Path):
    sim.fault("/api/message/send", "accept-then-timeout")
    outbox = SmsOutbox(tmp_path / "outbox.sqlite3")
    changes: list = []
    sender = make_sender(outbox, sim, changes=changes)
    [queued] = outbox.enqueue([MOBILE], "Toplantı yarın 10:00", "DEMOFIRMA")
    [final] = await sender.drive([queued.id], deadline=time.time() + 10,
                                 done=settled({SmsState.DELIVERED, SmsState.NEEDS_AGENT}))
    await sender.aclose()
    assert final.state is SmsState.DELIVERED
    assert len(sim.sms) == 1
    assert len(sms_requests(sim, "/api/message/send")) == 1
    assert final.provider_id == sim.sms[0]["uuid"]
    states = [e.state for e in outbox.events(queued.id)]
    assert states[:3] == [SmsState.QUEUED, SmsState.SENDING, SmsState.UNKNOWN]
    assert states[3] in (SmsState.SENT, SmsState.DELIVERED)  # confirmed by the listing
    # It asked the provider (by number and date) instead of sending again.
    [listing, *_] = sms_requests(sim, "/api/message")
    assert listing["query"]["to"] == "905324118027"
    assert {"start_date", "end_date"} <= set(listing["query"])
    outbox.close()


async def test_an_unconfirmed_send_the_provider_lacks_goes_to_the_agent(sim, tmp_path: Path):
    sim.fault("/api/message/send", "timeout")  # hangs without sending anything
    outbox = SmsOutbox(tmp_path / "outbox.sqlite3")
    sender = make_sender(outbox, sim)
    [queued] = outbox.enqueue([MOBILE], "Merhaba", "DEMOFIRMA")
    [asked] = await sender.drive([queued.id], deadline=time.time() + 10,
                                 done=settled({SmsState.NEEDS_AGENT, SmsState.SENT}))
    assert asked.state is SmsState.NEEDS_AGENT
    assert "no record" in (asked.error or "")
    assert not sim.sms
    assert len(sms_requests(sim, "/api/message/send")) == 1  # never resent on its own
    await sender.send_again(queued.id)
    [final] = await sender.drive([queued.id], deadline=time.time() + 10,
                                 done=settled({SmsState.DELIVERED}))
    await sender.aclose()
    assert final.state is SmsState.DELIVERED
    assert len(sim.sms) == 1
    assert final.attempts == 2
    outbox.close()


async def test_dont_send_closes_the_question(sim, tmp_path: Path):
    sim.fault("/api/message/send", "500")
    outbox = SmsOutbox(tmp_path / "outbox.sqlite3")
    sender = make_sender(outbox, sim)
    [queued] = outbox.enqueue([MOBILE], "Merhaba", "DEMOFIRMA")
    [asked] = await sender.drive([queued.id], deadline=time.time() + 10,
                                 done=settled({SmsState.NEEDS_AGENT}))
    assert asked.state is SmsState.NEEDS_AGENT  # a 500 may hide a send: asked, not resent
    closed = await sender.dont_send(queued.id)
    await sender.aclose()
    assert closed is not None
    assert closed.state is SmsState.CANCELLED
    assert closed.next_at is None
    assert len(sms_requests(sim, "/api/message/send")) == 1
    outbox.close()


async def test_a_rejected_token_loses_nothing_and_sends_once_fixed(sim, tmp_path: Path):
    token = {"value": "a-wrong-token"}

    def config() -> SmsApiConfig:
        return SmsApiConfig("new", sim.http_base, token["value"])

    outbox = SmsOutbox(tmp_path / "outbox.sqlite3")
    problems: list = []
    sender = make_sender(outbox, config, problems=problems)
    [queued] = outbox.enqueue([MOBILE], "Merhaba", "DEMOFIRMA")
    [kept] = await sender.drive([queued.id], deadline=time.time() + 5,
                                done=lambda ms: ms[0].attempts >= 1
                                and ms[0].state is SmsState.QUEUED)
    assert kept.state is SmsState.QUEUED
    assert "rejected" in (kept.error or "")
    assert problems[-1].kind is ProblemKind.AUTH
    assert "a-wrong-token" not in problems[-1].message
    assert not sim.sms
    assert not sms_requests(sim, "/api/message/send")  # the list before it was refused
    # The sender does not hammer the server with the same rejected token.
    asked = len(sim.received)
    await sender.step()
    assert len(sim.received) == asked
    token["value"] = sim.cfg.sms_token  # the agent fixes the token
    sender.wake()
    [final] = await sender.drive([queued.id], deadline=time.time() + 10,
                                 done=settled({SmsState.DELIVERED}))
    await sender.aclose()
    assert final.state is SmsState.DELIVERED
    assert problems[-1] is None
    assert len(sim.sms) == 1
    outbox.close()


async def test_sms_not_set_up_is_a_problem_not_a_loss(tmp_path: Path):
    def config() -> SmsApiConfig:
        raise SmsNotConfigured("the SMS API token is not set")

    outbox = SmsOutbox(tmp_path / "outbox.sqlite3")
    problems: list = []
    sender = make_sender(outbox, config, problems=problems)
    [queued] = outbox.enqueue([MOBILE], "Merhaba", "DEMOFIRMA")
    await sender.step()
    assert outbox.get(queued.id).state is SmsState.QUEUED
    assert problems[-1].kind is ProblemKind.NOT_CONFIGURED
    outbox.close()


async def test_old_api_outbox_sends_with_the_encoding_flag_and_settles_by_history(
        sim, tmp_path: Path):
    outbox = SmsOutbox(tmp_path / "outbox.sqlite3")
    sender = make_sender(outbox, sim, api="old")
    sim.fault("/sms/api", "accept-then-timeout")
    [queued] = outbox.enqueue([MOBILE], "Görüşmek üzere 😊", "DEMOFIRMA")
    [final] = await sender.drive([queued.id], deadline=time.time() + 10,
                                 done=settled({SmsState.DELIVERED, SmsState.NEEDS_AGENT}))
    await sender.aclose()
    assert final.state is SmsState.DELIVERED
    [send] = [r for r in sms_requests(sim, "/sms/api") if r["query"]["action"] == "send-sms"]
    assert send["query"]["unicode"] == "1"
    assert len(sim.sms) == 1
    assert final.provider_id == sim.sms[0]["message_id"]
    history = sms_requests(sim, "/sms/api/history")[0]["query"]
    assert history["receiver"] == "905324118027"
    assert history["sender"] == "DEMOFIRMA"
    assert history["action"] == "filtered"
    outbox.close()


async def test_two_senders_on_one_outbox_never_send_a_message_twice(sim, tmp_path: Path):
    path = tmp_path / "outbox.sqlite3"
    first, second = SmsOutbox(path), SmsOutbox(path)
    messages = first.enqueue([MOBILE, "0542 773 05 16", "05551234567"], "Merhaba",
                             "DEMOFIRMA")
    a, b = make_sender(first, sim), make_sender(second, sim)
    await asyncio.gather(a.step(), b.step(), a.step(), b.step())
    await a.aclose()
    await b.aclose()
    assert len(sim.sms) == 3
    assert len(sms_requests(sim, "/api/message/send")) == 3
    assert {first.get(m.id).state for m in messages} == {SmsState.SENT}
    first.close()
    second.close()


async def test_a_send_interrupted_by_a_crash_is_checked_not_resent(sim, tmp_path: Path):
    outbox = SmsOutbox(tmp_path / "outbox.sqlite3")
    [queued] = outbox.enqueue([MOBILE], "Merhaba", "DEMOFIRMA")
    long_ago = time.time() - 3600
    outbox.transition(queued.id, [SmsState.QUEUED], SmsState.SENDING, sending_at=long_ago,
                      next_at=None, now=long_ago)
    sender = make_sender(outbox, sim)
    [final] = await sender.drive([queued.id], deadline=time.time() + 10,
                                 done=settled({SmsState.NEEDS_AGENT, SmsState.SENT}))
    await sender.aclose()
    assert final.state is SmsState.NEEDS_AGENT
    assert not sms_requests(sim, "/api/message/send")
    outbox.close()


@pytest.mark.parametrize("api", ["new", "old"])
async def test_a_failed_delivery_is_reported(tmp_path: Path, api: str):
    sim = Simulator(SimulatorConfig(seed_history=0, sms_delivery_delay=0.1,
                                    sms_undeliverable=("05324118027",)))
    await sim.start()
    try:
        outbox = SmsOutbox(tmp_path / "outbox.sqlite3")
        sender = make_sender(outbox, sim, api=api)
        [queued] = outbox.enqueue([MOBILE], "Merhaba", "DEMOFIRMA")
        [final] = await sender.drive([queued.id], deadline=time.time() + 10,
                                     done=settled({SmsState.FAILED, SmsState.DELIVERED}))
        await sender.aclose()
        assert final.state is SmsState.FAILED
        assert "could not deliver" in (final.error or "")
        assert [e.state for e in outbox.events(queued.id)][-2:] == [SmsState.SENT,
                                                                   SmsState.FAILED]
        outbox.close()
    finally:
        await sim.stop()


@pytest.mark.parametrize("closed_during", ["config", "build"])
async def test_a_closed_sender_leaves_no_client_open(sim, tmp_path: Path, closed_during: str):
    """A read still running when the app closes the sender must not leave an
    HTTP client that nobody closes (it leaked a socket before)."""
    outbox = SmsOutbox(tmp_path / "outbox.sqlite3")
    built: list = []
    entered = asyncio.Event()
    release = asyncio.Event()
    loop = asyncio.get_running_loop()
    cfg = SmsApiConfig("new", sim.http_base, sim.cfg.sms_token)

    def pause(step: str) -> None:  # runs in a worker thread, like the keyring read
        if step == closed_during:
            loop.call_soon_threadsafe(entered.set)
            asyncio.run_coroutine_threadsafe(release.wait(), loop).result(5)

    def config() -> SmsApiConfig:
        pause("config")
        return cfg

    def build(c: SmsApiConfig):
        api = c.build(timeout=FAST)
        built.append(api)
        pause("build")
        return api

    sender = SmsSender(outbox, config, timing=FAST_TIMING, api_builder=build)
    reading = asyncio.ensure_future(sender.balance())
    await entered.wait()
    await sender.aclose()          # the app quits while the read is under way
    release.set()
    with pytest.raises(SenderClosed) as caught:
        await reading
    assert isinstance(caught.value, NetworkError)
    assert not caught.value.may_have_reached_server
    assert all(api._client.is_closed for api in built)
    assert len(built) == (1 if closed_during == "build" else 0)
    with pytest.raises(SenderClosed):
        await sender.balance()
    assert len(built) <= 1
    outbox.close()

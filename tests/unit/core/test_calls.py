"""The call tracker on scripted event sequences: one rule per test."""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.core.calls import (
    DEFAULT_RECENT_LIMIT,
    MAX_EXTENSION_STATES,
    STATUS_PAIR_WINDOW,
    SYNTHETIC_PREFIX,
    Call,
    CallChange,
    CallOutcome,
    CallState,
    CallTracker,
)
from desktop.core.numbers import NumberKind
from desktop.pbx.events import Direction, Event, parse_message

DOMAIN = "firma.kobipbx.com"
CUSTOMER = "05321234567"
DID = "02242123456"

Changes = list[tuple[str, CallChange]]


class Clock:
    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


class Agent:
    """A tracker for extension 1001 that records every notification."""

    def __init__(self, extensions: tuple[str, ...] = ("1001",), domain: str | None = DOMAIN,
                 **kwargs: Any) -> None:
        self.clock = Clock()
        self.seen: list[tuple[Call, CallChange]] = []
        self.states: list[tuple[str, int]] = []
        self.tracker = CallTracker(
            extensions, domain, clock=self.clock,
            on_change=lambda call, change: self.seen.append((call, change)),
            on_extension_state=lambda ext, code: self.states.append((ext, code)),
            **kwargs)

    def feed(self, t: float, **msg: Any) -> list[tuple[Call, CallChange]]:
        if "event" in msg and msg["event"] in {"ringing", "answered", "hangup", "destroy", "hold",
                                               "unhold"}:
            msg.setdefault("domain", DOMAIN)
        self.clock.now = t
        before = len(self.seen)
        out = self.tracker.feed(parse_message(msg, received_at=t))
        assert out == self.seen[before:], "return value and callback must agree"
        return out

    def status(self, t: float, code: int | str, ext: str = "1001") -> list[tuple[Call, CallChange]]:
        return self.feed(t, type="ExtensionStatus", extension=ext, status=str(code))

    def tick(self, t: float) -> list[tuple[Call, CallChange]]:
        self.clock.now = t
        before = len(self.seen)
        out = self.tracker.tick(t)
        assert out == self.seen[before:]
        return out

    def ring(self, t: float, call: str = "c1", ext: str = "1001", caller: str = CUSTOMER,
             **extra: Any) -> list[tuple[Call, CallChange]]:
        msg = {"event": "ringing", "callUUID": call, "extension": ext, "callerNumber": caller,
               "calledNumber": DID}
        return self.feed(t, **{**msg, **extra})

    def answer(self, t: float, call: str = "c1", ext: str | None = "1001", caller: str = CUSTOMER,
               **extra: Any) -> list[tuple[Call, CallChange]]:
        msg: dict[str, Any] = {"event": "answered", "callUUID": call, "callerNumber": caller,
                               "calledNumber": DID, **extra}
        if ext is not None:
            msg["extension"] = ext
        return self.feed(t, **msg)

    def hangup(self, t: float, call: str = "c1", **extra: Any) -> list[tuple[Call, CallChange]]:
        msg = {"event": "hangup", "callUUID": call, "hangupCause": "NORMAL_CLEARING"}
        return self.feed(t, **{**msg, **extra})

    def simple(self, t: float, name: str, call: str = "c1") -> list[tuple[Call, CallChange]]:
        return self.feed(t, event=name, callUUID=call)


def kinds(changes: list[tuple[Call, CallChange]]) -> Changes:
    return [(call.call_id, change) for call, change in changes]


@pytest.fixture
def agent() -> Agent:
    return Agent()


# ---------------------------------------------------------------- the normal life of a call


def test_inbound_call_ringing_answered_hangup(agent: Agent) -> None:
    (call, change), = agent.ring(10.0)
    assert change is CallChange.STARTED
    assert call.state is CallState.RINGING
    assert call.extension == "1001"
    assert call.caller.raw == CUSTOMER
    assert call.caller.key == "+905321234567"
    assert call.called.key == "+902242123456"
    assert call.direction is Direction.INBOUND  # inferred: an external caller
    assert call.ringing_at == 10.0
    assert call.outcome is None
    assert call.is_active
    assert call.ring_seconds(now=13.0) == 3.0

    (call, change), = agent.answer(14.0)
    assert change is CallChange.ANSWERED
    assert call.state is CallState.ANSWERED
    assert call.answered_at == 14.0
    assert call.answered_by == "1001"
    assert call.talk_seconds(now=20.0) == 6.0

    (call, change), = agent.hangup(74.0)
    assert change is CallChange.ENDED
    assert call.state is CallState.ENDED
    assert call.outcome is CallOutcome.ANSWERED
    assert call.hangup_cause == "NORMAL_CLEARING"
    assert call.ended_at == 74.0
    assert call.talk_seconds() == 60.0
    assert call.talk_seconds(now=999.0) == 60.0  # ended: now does not matter
    assert call.ring_seconds() == 4.0
    assert not call.is_missed
    assert not call.is_active
    assert agent.tracker.active_calls() == []
    assert agent.tracker.missed_count == 0


def test_destroy_after_hangup_changes_nothing(agent: Agent) -> None:
    agent.ring(1.0)
    agent.hangup(2.0)
    assert agent.simple(2.1, "destroy") == []
    assert agent.tracker.stats.late == 1


def test_destroy_without_hangup_ends_the_call(agent: Agent) -> None:
    agent.ring(1.0)
    agent.answer(2.0)
    (call, change), = agent.simple(9.0, "destroy")
    assert change is CallChange.ENDED
    assert call.outcome is CallOutcome.ANSWERED
    assert call.hangup_cause is None
    assert agent.tracker.active_calls() == []


def test_missed_call(agent: Agent) -> None:
    agent.ring(1.0)
    (call, change), = agent.hangup(21.0, hangupCause="ORIGINATOR_CANCEL")
    assert change is CallChange.ENDED
    assert call.outcome is CallOutcome.MISSED
    assert call.is_missed
    assert call.hangup_cause == "ORIGINATOR_CANCEL"
    assert call.talk_seconds() == 0.0
    assert call.ring_seconds() == 20.0
    assert agent.tracker.missed_count == 1
    agent.ring(30.0, call="c2")
    agent.hangup(31.0, call="c2")
    assert agent.tracker.missed_count == 2
    agent.tracker.clear_missed()
    assert agent.tracker.missed_count == 0


def test_hold_and_unhold_accumulate_held_seconds(agent: Agent) -> None:
    agent.ring(0.0)
    agent.answer(1.0)
    (call, change), = agent.simple(10.0, "hold")
    assert (change, call.state, call.held_since) == (CallChange.HELD, CallState.ON_HOLD, 10.0)
    assert call.hold_seconds(now=13.0) == 3.0
    (call, change), = agent.simple(15.0, "unhold")
    assert (change, call.state, call.held_seconds) == (CallChange.RESUMED, CallState.ANSWERED, 5.0)
    agent.simple(20.0, "hold")
    (call, _), = agent.hangup(22.0)  # hung up while on hold: the hold counts
    assert call.held_seconds == 7.0
    assert call.hold_seconds() == 7.0
    assert call.talk_seconds() == 21.0  # talk time includes holds


# ---------------------------------------------------------------- duplicates


def test_repeated_events_notify_nothing(agent: Agent) -> None:
    agent.ring(1.0, timestamp="1")
    assert agent.ring(1.5, timestamp="2") == []
    agent.answer(2.0)
    assert agent.answer(2.5) == []
    agent.simple(3.0, "hold")
    assert agent.simple(3.5, "hold") == []
    agent.simple(4.0, "unhold")
    assert agent.simple(4.5, "unhold") == []
    agent.hangup(5.0)
    assert agent.hangup(5.5) == []
    assert agent.tracker.stats.duplicates == 4
    assert [c for _, c in agent.seen] == [CallChange.STARTED, CallChange.ANSWERED,
                                          CallChange.HELD, CallChange.RESUMED, CallChange.ENDED]


def test_unhold_of_a_call_not_on_hold_is_a_duplicate(agent: Agent) -> None:
    agent.ring(1.0)
    agent.answer(2.0)
    assert agent.simple(3.0, "unhold") == []


def test_a_repeat_with_new_details_is_an_update(agent: Agent) -> None:
    agent.feed(1.0, event="ringing", callUUID="c1", extension="1001")
    (call, change), = agent.ring(1.2, callerName="Ayşe Yılmaz", queue="destek")
    assert change is CallChange.UPDATED
    assert call.caller.key == "+905321234567"
    assert call.caller_name == "Ayşe Yılmaz"
    assert call.queue == "destek"
    assert call.direction is Direction.INBOUND
    assert agent.ring(1.4, callerName="Başka Biri") == []  # known details are kept


# ---------------------------------------------------------------- whose call is it


def test_other_extensions_are_ignored(agent: Agent) -> None:
    assert agent.ring(1.0, ext="1002") == []
    assert agent.answer(2.0, ext="1002") == []
    assert agent.hangup(3.0) == []
    assert agent.tracker.active_calls() == []
    assert agent.tracker.stats.ignored == 3


def test_call_id_only_events_for_unknown_ids_are_ignored(agent: Agent) -> None:
    for name in ("hangup", "destroy", "hold", "unhold"):
        assert agent.simple(1.0, name, call="someone-else") == []
    assert agent.tracker.stats.ignored == 4


def test_an_unexpected_domain_never_drops_an_event(agent: Agent,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    # The server filters by domain already, and FusionPBX names the domain
    # where we are configured with its UUID: a different value is used anyway.
    with caplog.at_level(logging.INFO, logger="kobikom.core.calls"):
        (_, change), = agent.ring(1.0, domain="902245320088.kobipbx.com")
        agent.feed(2.0, event="hangup", callUUID="c1", domain="902245320088.kobipbx.com")
    assert change is CallChange.STARTED
    assert agent.tracker.get("c1") is None  # the hangup ended it
    assert agent.tracker.stats.other_domain == 2
    assert agent.tracker.stats.dropped == 0
    logged = [r for r in caplog.records if "902245320088.kobipbx.com" in r.getMessage()]
    assert len(logged) == 1  # once per value
    assert agent.ring(3.0, call="c2", caller="05427730516", domain="FIRMA.kobipbx.com ") != []
    assert agent.tracker.stats.other_domain == 2  # case and spaces are the same domain


def test_events_without_a_domain_are_accepted(agent: Agent) -> None:
    (_, change), = agent.feed(1.0, event="ringing", callUUID="c1", extension="1001", domain=None)
    assert change is CallChange.STARTED


def test_several_domain_identifiers_and_no_domain() -> None:
    agent = Agent(domain=None)
    assert agent.ring(1.0, domain="anything") != []
    assert agent.tracker.stats.other_domain == 0  # nothing configured, nothing to compare
    agent.tracker.configure(["1001"], [DOMAIN, "97df2222-c948-492c"])
    assert agent.ring(2.0, call="c2", caller="05427730516", domain="97df2222-c948-492c") != []
    assert agent.ring(3.0, call="c3", caller="02163347190", domain="other") != []
    assert agent.tracker.stats.other_domain == 1
    assert agent.tracker.domains == {DOMAIN, "97df2222-c948-492c"}


def test_extension_with_a_domain_suffix_is_ours(agent: Agent) -> None:
    (call, _), = agent.ring(1.0, ext="1001@firma.kobipbx.com")
    assert call.extension == "1001"


def test_configure_changes_the_extensions_at_runtime(agent: Agent) -> None:
    agent.tracker.configure(["2001", " 2002 "], DOMAIN)
    assert agent.tracker.extensions == {"2001", "2002"}
    assert agent.ring(1.0, ext="1001") == []
    assert agent.ring(1.0, call="c2", ext="2002") != []
    agent.tracker.configure("2001", DOMAIN)
    assert agent.tracker.extensions == {"2001"}


# ---------------------------------------------------------------- out of order


def test_answered_without_ringing_starts_the_call_answered(agent: Agent) -> None:
    (call, change), = agent.answer(5.0)
    assert change is CallChange.STARTED
    assert call.state is CallState.ANSWERED
    assert call.answered_at == 5.0
    assert call.ringing_at is None
    assert call.ring_seconds() == 0.0
    (call, _), = agent.hangup(8.0)
    assert call.outcome is CallOutcome.ANSWERED
    assert call.talk_seconds() == 3.0


def test_hangup_before_answered_is_not_answered(agent: Agent) -> None:
    agent.ring(1.0)
    (call, _), = agent.hangup(2.0)
    assert call.outcome is CallOutcome.MISSED
    # the late answered and ringing never resurrect it
    assert agent.answer(2.1) == []
    assert agent.ring(2.2) == []
    assert agent.simple(2.3, "hold") == []
    assert agent.tracker.active_calls() == []
    assert agent.tracker.stats.late == 3
    assert agent.tracker.missed_count == 1


def test_hold_before_answered_means_answered_and_held(agent: Agent) -> None:
    agent.ring(1.0)
    out = agent.simple(3.0, "hold")
    assert [(c.state, ch) for c, ch in out] == [(CallState.ANSWERED, CallChange.ANSWERED),
                                                (CallState.ON_HOLD, CallChange.HELD)]
    assert out[1][0].answered_at == 3.0
    assert agent.answer(3.5) == []  # the late answered adds nothing
    (call, _), = agent.hangup(10.0)
    assert call.outcome is CallOutcome.ANSWERED
    assert call.held_seconds == 7.0


def test_unhold_while_ringing_means_answered(agent: Agent) -> None:
    agent.ring(1.0)
    (call, change), = agent.simple(2.0, "unhold")
    assert (change, call.state) == (CallChange.ANSWERED, CallState.ANSWERED)


# ---------------------------------------------------------------- queues


def test_queue_call_answered_elsewhere_is_not_missed(agent: Agent) -> None:
    agent.ring(1.0, queue="destek")
    agent.ring(1.0, ext="1002")  # the same call offered to a colleague
    (call, change), = agent.answer(4.0, ext="1002")
    assert change is CallChange.ENDED
    assert call.outcome is CallOutcome.ANSWERED_ELSEWHERE
    assert call.answered_by == "1002"
    assert call.answered_at is None
    assert not call.is_missed
    assert agent.tracker.missed_count == 0
    assert agent.hangup(60.0) == []


def test_answered_elsewhere_after_we_answered_is_ignored(agent: Agent) -> None:
    agent.ring(1.0)
    agent.answer(2.0)
    assert agent.answer(3.0, ext="1002") == []
    (call, _), = agent.hangup(4.0)
    assert call.outcome is CallOutcome.ANSWERED


def test_hangup_of_a_colleagues_leg_does_not_end_our_call(agent: Agent) -> None:
    agent.ring(1.0)
    assert agent.hangup(2.0, extension="1002") == []
    assert agent.tracker.get("c1") is not None
    assert agent.hangup(3.0, extension="1001") != []


def test_ringing_twice_is_one_call(agent: Agent) -> None:
    agent.ring(1.0)
    agent.ring(20.0)
    agent.ring(40.0, ext="1002")
    assert [ch for _, ch in agent.seen] == [CallChange.STARTED]
    assert len(agent.tracker.active_calls()) == 1


def test_agent_with_two_extensions() -> None:
    agent = Agent(extensions=("1001", "1002"))
    agent.ring(1.0, ext="1001")
    (call, change), = agent.ring(1.1, ext="1002")
    assert change is CallChange.UPDATED
    assert call.offered_extensions == {"1001", "1002"}
    (call, change), = agent.answer(3.0, ext="1002")
    assert change is CallChange.ANSWERED
    assert (call.extension, call.answered_by) == ("1002", "1002")


# ---------------------------------------------------------------- direction


def test_outbound_unanswered_is_not_missed(agent: Agent) -> None:
    (call, _), = agent.ring(1.0, caller="1001")
    assert call.direction is Direction.OUTBOUND
    (call, _), = agent.hangup(30.0)
    assert call.outcome is CallOutcome.NOT_ANSWERED
    assert not call.is_missed
    assert agent.tracker.missed_count == 0


def test_the_pbx_direction_does_not_make_a_call_outgoing(agent: Agent) -> None:
    # FreeSWITCH's direction is per leg: the leg that rings our phone is
    # "outbound".  An outside number ringing our extension is a call to us.
    agent.ring(1.0, caller="02242123456", direction="outbound")
    (call, _), = agent.hangup(2.0)
    assert call.direction is Direction.INBOUND
    assert call.outcome is CallOutcome.MISSED


def test_inbound_direction_from_our_own_phone_is_outgoing(agent: Agent) -> None:
    # The leg from a desk phone dialling out is "inbound" for FreeSWITCH.
    (call, _), = agent.ring(1.0, caller="1001", calledNumber=CUSTOMER, direction="inbound")
    assert call.direction is Direction.OUTBOUND
    assert call.customer.key == "+905321234567"
    (call, _), = agent.hangup(2.0)
    assert call.outcome is CallOutcome.NOT_ANSWERED


def test_outbound_answered_by_the_far_end_is_answered(agent: Agent) -> None:
    agent.ring(1.0, caller="1001")
    (call, change), = agent.answer(5.0, ext=CUSTOMER)
    assert (change, call.state) == (CallChange.ANSWERED, CallState.ANSWERED)


def test_switch_leg_direction_towards_our_phone_is_inbound(agent: Agent) -> None:
    # An external caller ringing our extension is inbound for the agent,
    # even if the switch calls the leg to the phone "outbound".
    agent.ring(1.0, direction="outbound", calledNumber="1001")
    (call, _), = agent.hangup(2.0)
    assert call.direction is Direction.INBOUND
    assert call.outcome is CallOutcome.MISSED


def test_a_known_direction_is_not_revised(agent: Agent) -> None:
    (call, _), = agent.feed(1.0, event="ringing", callUUID="c1", extension="1001")
    assert call.direction is Direction.INBOUND  # no caller: something rings us
    (call, _), = agent.answer(2.0, caller="1001")
    # Our own extension is never taken for the customer, nor the direction revised.
    assert call.caller.raw == ""
    assert call.direction is Direction.INBOUND
    (call, change), = agent.answer(3.0, caller=CUSTOMER)  # a later event names the caller
    assert change is CallChange.UPDATED
    assert (call.caller.raw, call.direction) == (CUSTOMER, Direction.INBOUND)


def test_colleague_calling_us_unanswered_is_missed(agent: Agent) -> None:
    (call, _), = agent.ring(1.0, caller="1005")
    assert call.direction is Direction.LOCAL
    (call, _), = agent.hangup(2.0)
    assert call.outcome is CallOutcome.MISSED


def test_anonymous_caller(agent: Agent) -> None:
    (call, _), = agent.ring(1.0, caller="anonymous")
    assert call.caller.kind is NumberKind.ANONYMOUS
    (call, _), = agent.hangup(2.0)
    assert call.is_missed


# ---------------------------------------------------------------- robustness


def test_unknown_and_unrelated_events_do_not_crash(agent: Agent) -> None:
    for msg in ({"event": "teleport"}, {"nonsense": True}, {"event": "members-count",
                "queue": "q", "count": 2}, {"command": "login", "status": "ok"}):
        assert agent.feed(1.0, **msg) == []
    assert agent.tracker.feed(parse_message([1, 2, 3])) == []
    assert agent.tracker.feed(Event(raw=None)) == []
    stats = agent.tracker.stats
    assert stats.events == 6
    assert stats.unknown == 3  # teleport, nonsense, the list
    assert stats.ignored == 3
    assert stats.changes == 0


def test_callback_errors_are_logged_and_do_not_break_the_tracker(
        caplog: pytest.LogCaptureFixture) -> None:
    calls: list[CallChange] = []

    def flaky(call: Call, change: CallChange) -> None:
        calls.append(change)
        if change is CallChange.STARTED:
            raise RuntimeError("popup failed")

    tracker = CallTracker(["1001"], on_change=flaky)
    with caplog.at_level(logging.ERROR, logger="kobikom.core.calls"):
        out = tracker.feed(parse_message({"event": "hold", "callUUID": "x"}, received_at=1.0))
        out = tracker.feed(parse_message({"event": "ringing", "callUUID": "x",
                                          "extension": "1001"}, received_at=1.0))
    assert [c for _, c in out] == [CallChange.STARTED]
    assert "on_change callback failed" in caplog.text
    tracker.feed(parse_message({"event": "hold", "callUUID": "x"}, received_at=2.0))
    assert calls == [CallChange.STARTED, CallChange.ANSWERED, CallChange.HELD]


def test_clock_is_used_when_the_event_has_no_time() -> None:
    clock = Clock(500.0)
    tracker = CallTracker(["1001"], clock=clock)
    (call, _), = tracker.feed(parse_message({"event": "ringing", "callUUID": "x",
                                             "extension": "1001"}, received_at=0.0))
    assert call.ringing_at == 500.0
    assert call.started_at == 500.0


def test_calls_are_immutable(agent: Agent) -> None:
    (call, _), = agent.ring(1.0)
    with pytest.raises(AttributeError):
        call.state = CallState.ENDED  # type: ignore[misc]
    agent.answer(2.0)
    assert call.state is CallState.RINGING  # an old snapshot does not change


def test_negative_durations_are_clamped(agent: Agent) -> None:
    agent.ring(10.0)
    (call, _), = agent.answer(5.0)  # received_at went backwards
    assert call.ring_seconds() == 0.0
    assert call.talk_seconds(now=4.0) == 0.0


def test_active_calls_and_get(agent: Agent) -> None:
    agent.ring(1.0, call="a")
    agent.ring(2.0, call="b", caller="05427730516")
    assert [c.call_id for c in agent.tracker.active_calls()] == ["a", "b"]
    got = agent.tracker.get("b")
    assert got is not None
    assert got.call_id == "b"
    assert agent.tracker.get("zzz") is None


# ---------------------------------------------------------------- expiry and reset


def test_tick_expires_a_call_that_rings_forever() -> None:
    agent = Agent(ring_timeout=60.0)
    agent.ring(0.0)
    assert agent.tick(59.0) == []
    (call, change), = agent.tick(61.0)
    assert (change, call.outcome, call.hangup_cause) == (CallChange.ENDED, CallOutcome.UNKNOWN,
                                                         "expired")
    assert agent.tracker.missed_count == 0
    assert agent.tracker.stats.expired == 1


def test_tick_expires_a_silent_answered_call() -> None:
    agent = Agent(stale_after=3600.0)
    agent.ring(0.0)
    agent.answer(1.0)
    agent.simple(1000.0, "hold")  # any event keeps it alive
    assert agent.tick(4000.0) == []
    (call, _), = agent.tick(4601.0)
    assert call.outcome is CallOutcome.UNKNOWN
    assert call.held_seconds == 3601.0


def test_end_all(agent: Agent) -> None:
    agent.ring(1.0, call="a")
    agent.answer(1.0, call="b", caller="05427730516")
    out = agent.tracker.end_all(now=5.0, cause="disconnected")
    assert {(c.call_id, c.outcome, c.hangup_cause) for c, _ in out} == {
        ("a", CallOutcome.UNKNOWN, "disconnected"), ("b", CallOutcome.UNKNOWN, "disconnected")}
    assert agent.tracker.active_calls() == []


# ---------------------------------------------------------------- bounded memory


def test_ten_thousand_calls_leave_bounded_state() -> None:
    agent = Agent()
    tracker = agent.tracker
    for i in range(10_000):
        t = float(i)
        agent.ring(t, call=f"c{i}")
        if i % 3:
            agent.answer(t + 0.2, call=f"c{i}")
        agent.hangup(t + 0.5, call=f"c{i}")
        agent.simple(t + 0.6, "destroy", call=f"c{i}")
        agent.ring(t + 0.7, call=f"c{i}")  # a late repeat
    assert tracker.active_calls() == []
    assert tracker.recent_ended_count == DEFAULT_RECENT_LIMIT
    assert len(tracker._active) == 0
    assert len(tracker._ended) <= DEFAULT_RECENT_LIMIT
    assert tracker.stats.late == 20_000
    assert tracker.missed_count == 3334
    assert Counter(ch for _, ch in agent.seen)[CallChange.STARTED] == 10_000


def test_recent_limit_is_configurable_and_lru() -> None:
    agent = Agent(recent_limit=16)
    for i in range(100):
        agent.ring(float(i), call=f"c{i}")
        agent.hangup(float(i), call=f"c{i}")
    assert agent.tracker.recent_ended_count == 16
    assert agent.ring(200.0, call="c99") == []  # still remembered
    assert agent.ring(200.0, call="c0") != []  # long forgotten: a new call


def test_extension_states_are_bounded() -> None:
    agent = Agent()
    for i in range(MAX_EXTENSION_STATES + 500):
        agent.status(1.0, 0, ext=str(100000 + i))
    assert len(agent.tracker.extension_states()) <= MAX_EXTENSION_STATES
    assert agent.tracker.extension_state(str(100000 + MAX_EXTENSION_STATES + 499)) == 0


# ---------------------------------------------------------------- Tekil ExtensionStatus


def test_extension_state_is_tracked_for_every_extension(agent: Agent) -> None:
    assert agent.tracker.extension_state("1001") is None
    agent.status(1.0, 0)
    agent.status(1.0, 4, ext="1002")
    assert agent.tracker.extension_state("1001") == 0
    assert agent.tracker.extension_state("1002") == 4
    assert agent.tracker.extension_states() == {"1001": 0, "1002": 4}
    assert agent.states == [("1001", 0)]  # the callback is for our extensions


def test_extension_not_found_is_exposed(agent: Agent) -> None:
    assert agent.status(1.0, -1) == []
    assert agent.tracker.extension_state("1001") == -1
    assert agent.states == [("1001", -1)]
    agent.status(2.0, -1)
    assert agent.states == [("1001", -1)]  # only changes are reported


def test_status_ringing_starts_a_synthetic_call_after_the_grace_period(agent: Agent) -> None:
    assert agent.status(10.0, 8) == []
    assert agent.tick(10.3) == []
    (call, change), = agent.tick(10.6)
    assert change is CallChange.STARTED
    assert call.synthetic
    assert call.call_id.startswith(f"{SYNTHETIC_PREFIX}1001:")
    assert call.caller.kind is NumberKind.ANONYMOUS
    assert call.caller.raw == ""
    assert call.ringing_at == 10.0
    assert call.state is CallState.RINGING
    assert agent.tick(11.0) == []  # only once


def test_synthetic_call_answered_then_idle(agent: Agent) -> None:
    agent.status(10.0, 8)
    agent.tick(10.5)
    (call, change), = agent.status(15.0, 1)
    assert (change, call.state, call.answered_at) == (CallChange.ANSWERED, CallState.ANSWERED,
                                                      15.0)
    (call, change), = agent.status(75.0, 0)
    assert (change, call.outcome) == (CallChange.ENDED, CallOutcome.ANSWERED)
    assert call.talk_seconds() == 60.0
    assert agent.tracker.active_calls() == []


@pytest.mark.parametrize("end_code", [0, 4, -1])
def test_synthetic_call_missed(agent: Agent, end_code: int) -> None:
    agent.status(10.0, 8)
    agent.tick(10.5)
    # No longer ringing here (its popup closes); a colleague's phone may take it up.
    (call, change), = agent.status(30.0, end_code)
    assert (change, call.state, call.passed_at) == (CallChange.PASSED_ON,
                                                    CallState.PASSED_ON, 30.0)
    assert agent.tracker.missed_count == 0
    (call, change), = agent.tick(30.0 + STATUS_PAIR_WINDOW)
    assert (change, call.outcome, call.ended_at) == (CallChange.ENDED, CallOutcome.MISSED,
                                                     30.0)
    assert agent.tracker.missed_count == 1


def test_synthetic_call_hold_and_resume(agent: Agent) -> None:
    agent.status(0.0, 8)
    agent.tick(1.0)
    agent.status(2.0, 1)
    (call, change), = agent.status(3.0, 17)
    assert (change, call.state) == (CallChange.HELD, CallState.ON_HOLD)
    assert agent.status(3.5, 16) == []  # still on hold
    (call, change), = agent.status(5.0, 1)
    assert (change, call.held_seconds) == (CallChange.RESUMED, 2.0)
    assert agent.status(5.5, 1) == []


def test_synthetic_call_merges_into_the_real_ringing(agent: Agent) -> None:
    agent.status(10.0, 8)
    (synthetic, _), = agent.tick(10.5)
    (call, change), = agent.ring(11.0, call="real-1", callerName="Ayşe")
    assert change is CallChange.UPDATED
    assert call.call_id == "real-1"
    assert call.replaces == synthetic.call_id
    assert not call.synthetic
    assert call.caller.key == "+905321234567"
    assert call.caller_name == "Ayşe"
    assert call.ringing_at == 10.0  # it has been ringing since the status said so
    assert [c.call_id for c in agent.tracker.active_calls()] == ["real-1"]
    agent.answer(12.0, call="real-1")
    assert agent.status(12.1, 1) == []  # the status no longer drives the real call
    assert agent.status(40.0, 0) == []
    (call, _), = agent.hangup(40.5, call="real-1")
    assert call.outcome is CallOutcome.ANSWERED
    started = [c for c, ch in agent.seen if ch is CallChange.STARTED]
    assert len(started) == 1  # one call, one popup
    assert agent.tracker.stats.synthetic_merged == 1


def test_synthetic_call_merges_into_the_real_answered(agent: Agent) -> None:
    agent.status(10.0, 8)
    agent.tick(10.5)
    out = agent.answer(11.0, call="real-1")
    assert [(c.call_id, ch) for c, ch in out] == [("real-1", CallChange.UPDATED),
                                                  ("real-1", CallChange.ANSWERED)]
    assert out[1][0].replaces is not None


def test_real_ringing_within_the_grace_period_prevents_the_synthetic_call(agent: Agent) -> None:
    agent.status(10.0, 8)
    agent.ring(10.2)
    assert agent.tick(10.6) == []
    assert [c.call_id for c in agent.tracker.active_calls()] == ["c1"]


def test_status_ringing_while_a_real_call_rings_is_nothing(agent: Agent) -> None:
    agent.ring(10.0)
    agent.status(10.1, 8)
    assert agent.tick(11.0) == []
    assert agent.status(12.0, 0) == []
    assert len(agent.tracker.active_calls()) == 1


def test_status_of_a_real_call_answered_quickly_is_nothing(agent: Agent) -> None:
    agent.ring(10.0)
    agent.status(10.1, 8)
    agent.answer(10.2)
    assert agent.status(10.3, 1) == []
    assert [c.call_id for c in agent.tracker.active_calls()] == ["c1"]


def test_late_ringing_status_after_a_real_call_ended_is_nothing(agent: Agent) -> None:
    agent.ring(10.0)
    agent.hangup(11.0)
    agent.status(11.5, 8)  # lagging status
    assert agent.tick(12.5) == []
    assert agent.tracker.active_calls() == []


def test_quick_auto_answer_still_gives_a_call(agent: Agent) -> None:
    agent.status(10.0, 8)
    (call, change), = agent.status(10.1, 1)
    assert change is CallChange.STARTED
    assert call.synthetic
    assert (call.state, call.ringing_at, call.answered_at) == (CallState.ANSWERED, 10.0, 10.1)
    (call, change), = agent.status(20.0, 0)
    assert call.outcome is CallOutcome.ANSWERED


def test_a_ring_blip_shorter_than_the_grace_period_is_nothing(agent: Agent) -> None:
    agent.status(10.0, 8)
    agent.status(10.2, 0)
    assert agent.tick(11.0) == []
    assert agent.tracker.missed_count == 0


def test_status_of_other_extensions_makes_no_call(agent: Agent) -> None:
    agent.status(10.0, 8, ext="1002")
    assert agent.tick(11.0) == []


def test_call_waiting_status_rings_a_second_call(agent: Agent) -> None:
    agent.ring(0.0)
    agent.answer(1.0)
    agent.status(5.0, 9)  # in use + ringing: a second call that only the status shows
    (call, change), = agent.tick(5.5)
    assert change is CallChange.STARTED
    assert call.synthetic
    assert len(agent.tracker.active_calls()) == 2


def test_pending_status_ring_of_a_removed_extension_is_dropped(agent: Agent) -> None:
    agent.status(10.0, 8)
    agent.tracker.configure(["2001"], DOMAIN)
    assert agent.tick(11.0) == []


# ---------------------------------------------------------------- randomized order


def call_script(call: str, ext: str, answered_by: str | None,
                held: bool) -> list[dict[str, Any]]:
    base = {"callUUID": call, "domain": DOMAIN}
    script = [{"event": "ringing", **base, "extension": ext, "callerNumber": CUSTOMER}]
    if answered_by is not None:
        script.append({"event": "answered", **base, "extension": answered_by,
                       "callerNumber": CUSTOMER})
    if held:
        script += [{"event": "hold", **base}, {"event": "unhold", **base}]
    script += [{"event": "hangup", **base, "hangupCause": "NORMAL_CLEARING"},
               {"event": "destroy", **base}]
    return script


@st.composite
def shuffled_streams(draw: st.DrawFn) -> tuple[list[dict[str, Any] | str], list[str]]:
    """Several calls' events, each permuted and duplicated, interleaved, with
    Tekil statuses and ticks sprinkled in."""
    n = draw(st.integers(1, 4))
    items: list[dict[str, Any] | str] = []
    ids = []
    for i in range(n):
        call = f"c{i}"
        ids.append(call)
        ext = draw(st.sampled_from(["1001", "1001", "1002"]))
        answered_by = draw(st.sampled_from([ext, ext, "1003", None]))  # 1003: a colleague
        script = call_script(call, ext, answered_by, draw(st.booleans()))
        script += draw(st.lists(st.sampled_from(script), max_size=4))  # duplicates
        items += draw(st.permutations(script))
    extras = draw(st.lists(st.sampled_from(["tick", "status:8", "status:1", "status:0",
                                            "status:17", "status:-1"]), max_size=6))
    items += extras
    return draw(st.permutations(items)), ids


@settings(max_examples=400, deadline=None)
@given(shuffled_streams())
def test_any_order_of_events_keeps_the_invariants(stream: tuple[list[Any], list[str]]) -> None:
    items, ids = stream
    agent = Agent()
    t = 0.0
    for item in items:
        t += 0.3
        if item == "tick":
            agent.tick(t)
        elif isinstance(item, str):
            agent.status(t, int(item.split(":")[1]))
        else:
            agent.feed(t, **item)
    # every call gets its hangup in the end, and the extension goes idle
    for call in ids:
        agent.hangup(t + 1, call=call)
    agent.status(t + 2, 0)
    agent.tick(t + 3 + STATUS_PAIR_WINDOW)  # a rung-out status call waits that long
    assert agent.tracker.active_calls() == []

    started: set[str] = set()
    ended: set[str] = set()
    for call, change in agent.seen:
        cid = call.call_id
        assert cid not in ended, f"{change} after ENDED for {cid}"
        if change is CallChange.STARTED:
            assert cid not in started
            started.add(cid)
        elif cid not in started:
            # a real call taking over a synthetic one
            assert change is CallChange.UPDATED
            assert call.replaces in started
            assert call.replaces not in ended
            ended.add(call.replaces)  # the synthetic id is finished
            started.add(cid)
        if change is CallChange.ENDED:
            assert call.outcome is not None
            ended.add(cid)
    assert started == ended
    missed = sum(1 for c, ch in agent.seen if ch is CallChange.ENDED and c.is_missed)
    assert agent.tracker.missed_count == missed

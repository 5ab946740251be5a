"""The call tracker on FreeSWITCH-shaped streams: several legs, one customer call.

Hand-written event sequences as KobiPBX (a FreeSWITCH) plausibly sends them:
one ``callUUID`` per leg, ``direction`` per leg, ``LOSE_RACE``/``PICKED_OFF``
for phones that lost, click-to-calls that present the customer as caller,
hangups with no ``ringing`` before them.  One rule per test; the
randomised test at the end shuffles whole calls.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.core.calls import (
    DIAL_MATCH_WINDOW,
    GROUP_WINDOW,
    STATUS_PAIR_WINDOW,
    Call,
    CallChange,
    CallOutcome,
    CallState,
    CallTracker,
    RecentDials,
)
from desktop.pbx.events import Direction, parse_message

CUSTOMER = "05321234567"
CUSTOMER_KEY = "+905321234567"
DID = "02242345678"
QUEUE = "60000"


class Clock:
    def __init__(self, now: float = 0.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


class Agent:
    """Extension 1001's tracker with a shared click-to-call record."""

    def __init__(self, **kwargs: Any) -> None:
        self.clock = Clock()
        self.dials = RecentDials(clock=self.clock)
        self.seen: list[tuple[Call, CallChange]] = []
        self.dropped: list[int] = []
        self.tracker = CallTracker(["1001"], "5b0c0e4e-1d2f-4a6b-9c3d-000000000001",
                                   clock=self.clock, dials=self.dials,
                                   on_change=lambda c, ch: self.seen.append((c, ch)),
                                   on_dropped=self.dropped.append, **kwargs)

    def feed(self, t: float, **msg: Any) -> list[tuple[Call, CallChange]]:
        self.clock.now = t
        return self.tracker.feed(parse_message(msg, received_at=t))

    def leg(self, t: float, event: str, leg: str, ext: str | None = "1001", *,
            caller: str = CUSTOMER, called: str = "1001", **extra: Any) -> list[Any]:
        msg: dict[str, Any] = {"event": event, "callUUID": leg, "callerNumber": caller,
                               "calledNumber": called, "domain": "902242345678.kobipbx.com"}
        if ext is not None:
            msg["extension"] = ext
        return self.feed(t, **msg, **extra)

    def hangup(self, t: float, leg: str, cause: str = "NORMAL_CLEARING",
               **fields: Any) -> list[Any]:
        return self.feed(t, event="hangup", callUUID=leg, hangupCause=cause, **fields)

    def status(self, t: float, ext: str, code: int) -> list[Any]:
        return self.feed(t, type="ExtensionStatus", extension=ext, status=str(code))

    def tick(self, t: float) -> list[Any]:
        self.clock.now = t
        return self.tracker.tick(t)

    def changes(self) -> list[tuple[str, CallChange]]:
        return [(c.call_id, ch) for c, ch in self.seen]

    def ended(self) -> list[Call]:
        return [c for c, ch in self.seen if ch is CallChange.ENDED]


@pytest.fixture
def agent() -> Agent:
    return Agent()


def direct_call_legs(agent: Agent, t: float = 1.0) -> None:
    """Trunk leg T (routed to 1001, called = the DID) and the leg B ringing 1001."""
    agent.leg(t, "ringing", "T", called=DID, direction="inbound")
    agent.leg(t + 0.01, "ringing", "B", direction="outbound", otherLegUUID=None)


# ---------------------------------------------------------------- one call, many legs


def test_trunk_leg_and_phone_leg_are_one_call(agent: Agent) -> None:
    direct_call_legs(agent)
    agent.leg(3.0, "answered", "B", direction="outbound")
    agent.leg(3.01, "answered", "T", called=DID, direction="inbound")
    agent.hangup(9.0, "T")
    agent.hangup(9.01, "B")
    for leg in ("T", "B"):
        agent.feed(9.02, event="destroy", callUUID=leg)
    assert agent.changes() == [("T", CallChange.STARTED), ("T", CallChange.ANSWERED),
                               ("T", CallChange.ENDED)]
    call = agent.ended()[0]
    assert call.direction is Direction.INBOUND
    assert call.outcome is CallOutcome.ANSWERED
    assert (call.caller.key, call.called.raw) == (CUSTOMER_KEY, DID)
    assert call.legs == ("T", "B")
    assert agent.tracker.stats.legs_grouped == 1
    assert agent.tracker.stats.late == 3  # B's hangup, both destroys


def test_the_phone_leg_first_learns_the_did_from_the_trunk_leg(agent: Agent) -> None:
    (call, _), = agent.leg(1.0, "ringing", "B", direction="outbound")
    assert call.called.raw == "1001"
    (call, change), = agent.leg(1.01, "ringing", "T", called=DID, direction="inbound")
    assert change is CallChange.UPDATED
    assert call.called.raw == DID
    assert call.call_id == "B"


def test_a_direct_call_that_rings_out_is_one_missed_call(agent: Agent) -> None:
    direct_call_legs(agent)
    agent.hangup(20.0, "B", "ORIGINATOR_CANCEL")
    agent.hangup(20.01, "T", "ORIGINATOR_CANCEL")
    (call,) = agent.ended()
    assert call.outcome is CallOutcome.MISSED
    assert agent.tracker.missed_count == 1


def test_a_queue_leg_that_lost_the_race_is_answered_elsewhere(agent: Agent) -> None:
    agent.leg(1.0, "ringing", "T", ext=QUEUE, called=DID)  # the queue's trunk leg: not ours
    agent.leg(1.0, "answered", "T", ext=QUEUE, called=DID)  # music on hold
    agent.leg(1.2, "ringing", "B1")
    agent.leg(1.2, "ringing", "B2", ext="1002", called="1002")
    agent.leg(4.0, "answered", "B2", ext="1002", called="1002")
    (call, change), = agent.hangup(4.01, "B1", "LOSE_RACE")
    assert (change, call.outcome, call.answered_at) == (CallChange.ENDED,
                                                        CallOutcome.ANSWERED_ELSEWHERE, None)
    assert agent.tracker.missed_count == 0
    assert [c.call_id for c, _ in agent.seen] == ["B1", "B1"]


def test_a_picked_off_call_is_answered_elsewhere(agent: Agent) -> None:
    agent.leg(1.0, "ringing", "B")
    (call, _), = agent.hangup(3.0, "B", "PICKED_OFF")
    assert call.outcome is CallOutcome.ANSWERED_ELSEWHERE
    assert not call.is_missed


def test_a_hint_tells_at_once_that_a_colleague_answered(agent: Agent) -> None:
    agent.leg(1.2, "ringing", "B1", otherLegUUID="T")
    (call, change), = agent.leg(4.0, "answered", "B2", ext="1002", called="1002",
                                otherLegUUID="T")
    assert (change, call.outcome, call.answered_by) == (
        CallChange.ENDED, CallOutcome.ANSWERED_ELSEWHERE, "1002")
    assert agent.hangup(4.01, "B1", "LOSE_RACE") == []  # late


def test_a_colleague_answering_an_unrelated_call_ends_nothing(agent: Agent) -> None:
    agent.leg(1.0, "ringing", "B1", otherLegUUID="T1")
    assert agent.leg(2.0, "answered", "X", ext="1002", called="1002",
                     caller="05427730516", otherLegUUID="T9") == []
    assert agent.tracker.get("B1") is not None


def test_our_second_phone_losing_the_race_does_not_end_the_call(agent: Agent) -> None:
    # Two registrations of 1001 (desk phone and softphone): two legs.
    agent.leg(1.0, "ringing", "B")
    agent.leg(1.0, "ringing", "B'")
    agent.leg(3.0, "answered", "B'")
    assert agent.hangup(3.01, "B", "LOSE_RACE") == []
    (call, change), = agent.hangup(30.0, "B'")
    assert (change, call.outcome) == (CallChange.ENDED, CallOutcome.ANSWERED)
    assert call.talk_seconds() == 27.0


def test_linkedid_ties_tekil_legs_together(agent: Agent) -> None:
    agent.feed(1.0, event="ringing", unique_id="1.1", linkedid="1.0", extension="1001",
               callerNumber="", calledNumber="1001")
    out = agent.feed(1.1, event="ringing", unique_id="1.2", linkedid="1.0", extension="1001",
                     callerNumber=CUSTOMER, calledNumber=DID)
    assert [ch for _, ch in out] == [CallChange.UPDATED]  # the caller, from the other leg
    assert len(agent.tracker.active_calls()) == 1


# ---------------------------------------------------------------- separate calls stay separate


def test_a_second_call_from_the_same_customer_after_the_first_ended(agent: Agent) -> None:
    agent.leg(1.0, "ringing", "B")
    agent.hangup(5.0, "B", "ORIGINATOR_CANCEL")
    out = agent.leg(8.0, "ringing", "C")  # the customer tries again
    assert [ch for _, ch in out] == [CallChange.STARTED]
    assert agent.tracker.missed_count == 1


def test_call_waiting_from_the_same_number_long_after_is_a_second_call(agent: Agent) -> None:
    agent.leg(1.0, "ringing", "B")
    agent.leg(2.0, "answered", "B")
    out = agent.leg(2.0 + GROUP_WINDOW + 5, "ringing", "C")
    assert [ch for _, ch in out] == [CallChange.STARTED]
    assert len(agent.tracker.active_calls()) == 2


def test_two_customers_at_once_are_two_calls(agent: Agent) -> None:
    agent.leg(1.0, "ringing", "B")
    agent.leg(1.5, "ringing", "C", caller="05427730516")
    assert len(agent.tracker.active_calls()) == 2


# ---------------------------------------------------------------- whose call: direction


def test_direction_comes_from_where_our_extension_stands(agent: Agent) -> None:
    # The leg to our phone is "outbound" for FreeSWITCH: still a call to us.
    (call, _), = agent.leg(1.0, "ringing", "B", direction="outbound")
    assert call.direction is Direction.INBOUND
    # Our phone dialling out: the phone's leg is "inbound" for FreeSWITCH.
    (call, _), = agent.leg(2.0, "ringing", "P", caller="1001", called="05427730516",
                           direction="inbound")
    assert call.direction is Direction.OUTBOUND
    assert call.customer.key == "+905427730516"
    # A colleague calling us.
    (call, _), = agent.leg(3.0, "ringing", "L", caller="1002")
    assert call.direction is Direction.LOCAL


def test_own_click_to_call_presented_as_the_customer_calling(agent: Agent) -> None:
    agent.dials.note("1001", "0532 123 45 67", "05321234567")
    # Leg 1 rings our phone with the destination as the caller.
    (call, change), = agent.leg(1.0, "ringing", "C1", direction="outbound")
    assert change is CallChange.STARTED
    assert (call.direction, call.own_dial) == (Direction.OUTBOUND, True)
    assert (call.caller.key, call.customer.key) == ("1001", CUSTOMER_KEY)
    # The agent picks up: not an answer by the customer.
    (call, change), = agent.leg(3.0, "answered", "C1", direction="outbound")
    assert (change, call.state) == (CallChange.UPDATED, CallState.RINGING)
    # Leg 2 rings the customer, who answers.
    assert agent.leg(3.1, "ringing", "C2", caller="1001", called=CUSTOMER,
                     direction="outbound") == []
    (call, change), = agent.leg(6.0, "answered", "C2", caller="1001", called=CUSTOMER)
    assert (change, call.answered_at) == (CallChange.ANSWERED, 6.0)
    agent.hangup(30.0, "C2")
    (call,) = agent.ended()
    assert (call.outcome, call.own_dial, call.legs) == (CallOutcome.ANSWERED, True,
                                                        ("C1", "C2"))
    assert agent.tracker.missed_count == 0


def test_the_same_legs_without_the_note_look_like_an_incoming_call() -> None:
    agent = Agent()
    (call, _), = agent.leg(1.0, "ringing", "C1", direction="outbound")
    assert call.direction is Direction.INBOUND  # which is why the dialer must say so


def test_own_click_to_call_the_customer_does_not_answer_is_not_missed(agent: Agent) -> None:
    agent.dials.note("1001", CUSTOMER)
    agent.leg(1.0, "ringing", "C1")
    agent.leg(2.0, "answered", "C1")
    agent.leg(2.1, "ringing", "C2", caller="1001", called=CUSTOMER)
    (call, _), = agent.hangup(30.0, "C2", "NO_ANSWER")
    assert (call.outcome, call.own_dial) == (CallOutcome.NOT_ANSWERED, True)
    assert agent.tracker.missed_count == 0


def test_own_click_to_call_with_one_id_is_answered_when_it_ends(agent: Agent) -> None:
    # One id for the whole call: its only "answered" is the conversation.
    agent.dials.note("1001", CUSTOMER)
    agent.leg(1.0, "ringing", "C", caller="1001", called=CUSTOMER)
    agent.leg(4.0, "answered", "C", caller="1001", called=CUSTOMER)
    (call, _), = agent.hangup(64.0, "C")
    assert (call.outcome, call.answered_at, call.talk_seconds()) == (
        CallOutcome.ANSWERED, 4.0, 60.0)


def test_a_dial_note_is_used_once_and_expires() -> None:
    agent = Agent()
    agent.dials.note("1001", CUSTOMER)
    (first, _), = agent.leg(1.0, "ringing", "C1")
    agent.hangup(2.0, "C1", "NO_ANSWER")
    (second, _), = agent.leg(5.0, "ringing", "X")  # the customer calls back
    assert (first.own_dial, second.own_dial) == (True, False)
    assert second.direction is Direction.INBOUND
    agent.dials.note("1001", "05427730516")
    (late, _), = agent.leg(7.0 + DIAL_MATCH_WINDOW, "ringing", "Y", caller="05427730516")
    assert not late.own_dial


def test_a_withdrawn_note_makes_nothing_own() -> None:
    agent = Agent()
    note = agent.dials.note("1001", CUSTOMER)
    agent.dials.withdraw(note)
    (call, _), = agent.leg(1.0, "ringing", "C1")
    assert not call.own_dial


# ---------------------------------------------------------------- no ringing at all


def test_a_hangup_with_the_legs_fields_and_no_ringing_is_a_missed_call(agent: Agent) -> None:
    fields = {"extension": "1001", "callerNumber": CUSTOMER, "calledNumber": "1001"}
    out = agent.hangup(5.0, "B", "ORIGINATOR_CANCEL", **fields)
    assert [ch for _, ch in out] == [CallChange.STARTED, CallChange.ENDED]
    assert out[-1][0].outcome is CallOutcome.MISSED
    # The trunk leg's hangup right after is the same call.
    assert agent.hangup(5.01, "T", "ORIGINATOR_CANCEL", **{**fields, "calledNumber": DID}) == []
    assert agent.tracker.missed_count == 1


def test_a_lost_race_with_no_ringing_shows_nothing(agent: Agent) -> None:
    assert agent.hangup(5.0, "B", "LOSE_RACE", extension="1001", callerNumber=CUSTOMER) == []
    assert agent.tracker.missed_count == 0


def test_a_bare_hangup_of_an_unknown_leg_is_someone_else_s(agent: Agent) -> None:
    assert agent.hangup(5.0, "Z") == []
    assert agent.tracker.stats.ignored == 1


def test_answered_legs_without_ringing_are_one_answered_call(agent: Agent) -> None:
    agent.leg(3.0, "answered", "B")
    assert agent.leg(3.01, "answered", "T", called=DID) == [
        (agent.tracker.active_calls()[0], CallChange.UPDATED)]
    (call, _), = agent.hangup(20.0, "T")
    assert call.outcome is CallOutcome.ANSWERED


# ---------------------------------------------------------------- Tekil status-only


def test_status_only_queue_call_a_colleague_took_is_answered_elsewhere(agent: Agent) -> None:
    for ext in ("1001", "1002", "1003"):
        agent.status(1.0, ext, 8)
    (call, change), = agent.tick(2.0)
    assert change is CallChange.STARTED
    assert call.synthetic
    assert call.direction is Direction.INBOUND
    agent.status(4.0, "1002", 1)  # the colleague answered
    (call, change), = agent.status(4.01, "1001", 0)
    assert (change, call.outcome, call.answered_by) == (
        CallChange.ENDED, CallOutcome.ANSWERED_ELSEWHERE, "1002")
    assert agent.tracker.missed_count == 0


def test_status_only_the_colleague_s_status_may_come_a_moment_later(agent: Agent) -> None:
    for ext in ("1001", "1002"):
        agent.status(1.0, ext, 8)
    agent.tick(2.0)
    (call, change), = agent.status(4.0, "1001", 0)  # verdict pending: 1002 still rings
    assert (change, call.state) == (CallChange.PASSED_ON, CallState.PASSED_ON)
    (call, change), = agent.status(4.5, "1002", 1)
    assert (change, call.outcome, call.ended_at) == (CallChange.ENDED,
                                                     CallOutcome.ANSWERED_ELSEWHERE, 4.0)


def test_status_only_nobody_answered_is_missed_after_the_window(agent: Agent) -> None:
    for ext in ("1001", "1002"):
        agent.status(1.0, ext, 8)
    agent.tick(2.0)
    (_, change), = agent.status(20.0, "1001", 0)
    assert change is CallChange.PASSED_ON
    assert agent.tick(20.0 + STATUS_PAIR_WINDOW / 2) == []
    (call, _), = agent.tick(20.0 + STATUS_PAIR_WINDOW + 0.1)
    assert (call.outcome, call.ended_at) == (CallOutcome.MISSED, 20.0)
    assert agent.tracker.missed_count == 1


def test_status_only_direct_call_nobody_else_rings_is_missed_after_the_window(
        agent: Agent) -> None:
    agent.status(1.0, "1001", 8)
    agent.tick(2.0)
    (call, change), = agent.status(20.0, "1001", 0)
    assert change is CallChange.PASSED_ON  # the popup closes at once ...
    (call, change), = agent.tick(20.0 + STATUS_PAIR_WINDOW)  # ... the verdict comes after
    assert (change, call.outcome, call.ended_at) == (CallChange.ENDED, CallOutcome.MISSED,
                                                     20.0)


def test_status_only_own_click_to_call_is_outgoing(agent: Agent) -> None:
    agent.dials.note("1001", CUSTOMER)
    agent.status(1.0, "1001", 8)
    (call, _), = agent.tick(2.0)
    assert (call.own_dial, call.direction, call.called.key) == (True, Direction.OUTBOUND,
                                                                CUSTOMER_KEY)
    agent.status(3.0, "1001", 1)
    (call, _), = agent.status(30.0, "1001", 0)
    assert call.outcome is CallOutcome.ANSWERED
    assert agent.tracker.missed_count == 0


# ---------------------------------------------------------------- dropped and domains


def test_unusable_messages_are_counted_and_each_kind_logged_once(
        agent: Agent, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="kobikom.core.calls"):
        for _ in range(3):
            agent.feed(1.0, event="teleport")
        agent.feed(1.0, event="ringing", extension="1001")  # no call id
    assert agent.tracker.stats.dropped == 4
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 2, warnings
    assert agent.dropped == [1]  # the first at once ...
    agent.tick(2.0)
    assert agent.dropped == [1, 4]  # ... the rest with the next tick
    agent.tick(3.0)
    assert agent.dropped == [1, 4]


def test_the_domain_name_is_not_a_reason_to_drop(agent: Agent) -> None:
    (call, _), = agent.leg(1.0, "ringing", "B")  # domain = the FusionPBX name
    assert call is not None
    assert agent.tracker.stats.dropped == 0
    assert agent.tracker.stats.other_domain == 1


# ---------------------------------------------------------------- any order


def freeswitch_call(i: int, outcome: str) -> list[dict[str, Any]]:
    """One customer's call as FreeSWITCH legs: trunk, our phone, a colleague's phone."""
    caller = f"0532{1000000 + i:07d}"
    t, b, c = f"T{i}", f"B{i}", f"C{i}"
    common = {"callerNumber": caller, "domain": "902242345678.kobipbx.com"}
    ring = [{"event": "ringing", "callUUID": t, "extension": "1001", "calledNumber": DID,
             **common},
            {"event": "ringing", "callUUID": b, "extension": "1001", "calledNumber": "1001",
             "direction": "outbound", **common},
            {"event": "ringing", "callUUID": c, "extension": "1002", "calledNumber": "1002",
             **common}]
    if outcome == "ours":
        mid = [{"event": "answered", "callUUID": b, "extension": "1001", **common},
               {"event": "hangup", "callUUID": c, "hangupCause": "LOSE_RACE"}]
        end = [{"event": "hangup", "callUUID": t}, {"event": "hangup", "callUUID": b}]
    elif outcome == "colleague":
        mid = [{"event": "answered", "callUUID": c, "extension": "1002", **common},
               {"event": "hangup", "callUUID": b, "hangupCause": "LOSE_RACE"}]
        end = [{"event": "hangup", "callUUID": t}, {"event": "hangup", "callUUID": c}]
    else:
        mid = []
        end = [{"event": "hangup", "callUUID": x, "hangupCause": "ORIGINATOR_CANCEL"}
               for x in (b, c, t)]
    return ring + mid + end + [{"event": "destroy", "callUUID": x} for x in (t, b, c)]


OUTCOMES = {"ours": CallOutcome.ANSWERED, "colleague": CallOutcome.ANSWERED_ELSEWHERE,
            "missed": CallOutcome.MISSED}


@st.composite
def leg_streams(draw: st.DrawFn) -> tuple[list[dict[str, Any]], dict[str, CallOutcome]]:
    """Several calls' legs; each call in order, the calls interleaved, some repeated."""
    expected: dict[str, CallOutcome] = {}
    calls = []
    for i in range(draw(st.integers(1, 4))):
        outcome = draw(st.sampled_from(sorted(OUTCOMES)))
        expected[f"+90532{1000000 + i:07d}"] = OUTCOMES[outcome]
        calls.append(freeswitch_call(i, outcome))
    stream: list[dict[str, Any]] = []
    while any(calls):
        pick = draw(st.sampled_from([c for c in calls if c]))
        event = pick.pop(0)
        stream.append(event)
        if draw(st.integers(0, 9)) == 0:
            stream.append(event)  # a repeat
    return stream, expected


@settings(max_examples=300, deadline=None)
@given(leg_streams())
def test_any_interleaving_of_legs_keeps_one_call_per_customer(
        case: tuple[list[dict[str, Any]], dict[str, CallOutcome]]) -> None:
    stream, expected = case
    agent = Agent()
    t = 0.0
    for msg in stream:
        t += 0.05
        agent.feed(t, **msg)
    assert agent.tracker.active_calls() == []
    started = [c for c, ch in agent.seen if ch is CallChange.STARTED]
    ended = agent.ended()
    assert sorted(c.customer.key for c in started) == sorted(expected)  # one call each
    assert {c.customer.key: c.outcome for c in ended} == expected
    assert agent.tracker.missed_count == sum(o is CallOutcome.MISSED for o in expected.values())


def test_a_new_ringing_leg_for_an_answered_call_is_call_waiting(agent: Agent) -> None:
    agent.leg(1.0, "ringing", "B")
    agent.leg(2.0, "answered", "B")
    out = agent.leg(3.0, "ringing", "C")  # well within the window: still a second call
    assert [ch for _, ch in out] == [CallChange.STARTED]
    assert [c.call_id for c in agent.tracker.active_calls()] == ["B", "C"]

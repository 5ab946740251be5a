"""Queues that ring one agent at a time: our ring ends, the verdict waits for the call.

mod_callcenter's default strategy offers a caller to ONE agent at a time:
our leg ends ``NO_ANSWER`` and *then* a colleague answers (answered
elsewhere, never missed), the caller leaves (missed), or the queue comes
round to us again.  Hand-written FreeSWITCH-shaped streams, one rule per
test (see ``desktop/core/calls/queues.py``).
"""

from __future__ import annotations

from typing import Any

import pytest

from desktop.core.calls import (
    QUEUE_VERDICT_TIMEOUT,
    STATUS_PAIR_WINDOW,
    Call,
    CallChange,
    CallOutcome,
    CallState,
)
from desktop.core.phone_line import route_number
from tests.unit.core.test_call_legs import CUSTOMER, CUSTOMER_KEY, DID, QUEUE, Agent

MEMBER = "m-1"


@pytest.fixture
def agent() -> Agent:
    return Agent()


def member_start(agent: Agent, t: float, *, member: str = MEMBER,
                 caller: str = CUSTOMER) -> None:
    agent.feed(t, event="member-queue-start", memberUUID=member, cidName=caller,
               domainUuid="5b0c0e4e-1d2f-4a6b-9c3d-000000000001")


def queue_call(agent: Agent, t: float = 1.0, **hints: Any) -> None:
    """Bulut, FreeSWITCH legs: the caller joins the queue, the trunk leg T goes to the
    queue (answered at once: music on hold), then our phone's leg B1 rings."""
    member_start(agent, t)
    agent.leg(t, "ringing", "T", ext=QUEUE, called=DID)
    agent.leg(t, "answered", "T", ext=QUEUE, called=DID)
    agent.leg(t + 0.2, "ringing", "B1", **hints)


def passed_on(agent: Agent, t: float = 16.0, cause: str = "NO_ANSWER") -> Call:
    """Our phone gives up: the call is passed on, not ended."""
    (call, change), = agent.hangup(t, "B1", cause)
    assert (change, call.state, call.passed_at) == (CallChange.PASSED_ON,
                                                    CallState.PASSED_ON, t)
    assert call.outcome is None
    assert agent.tracker.missed_count == 0
    return call


# ---------------------------------------------------------------- the verdicts


@pytest.mark.parametrize("cause", ["NO_ANSWER", "ORIGINATOR_CANCEL", "NO_USER_RESPONSE"])
def test_our_ring_ends_then_a_colleague_answers_is_answered_elsewhere(
        agent: Agent, cause: str) -> None:
    queue_call(agent)
    passed_on(agent, cause=cause)
    assert agent.feed(16.01, event="destroy", callUUID="B1") == []  # our leg's, not the call's
    assert agent.hangup(16.02, "B1", cause) == []  # a repeat
    assert agent.leg(16.1, "ringing", "B2", ext="1002", called="1002") == []
    (call, change), = agent.leg(20.0, "answered", "B2", ext="1002", called="1002")
    assert (change, call.outcome, call.answered_by) == (
        CallChange.ENDED, CallOutcome.ANSWERED_ELSEWHERE, "1002")
    assert call.ended_at == 16.0  # when it stopped ringing here
    assert agent.tracker.missed_count == 0
    assert [ch for _, ch in agent.seen] == [CallChange.STARTED, CallChange.PASSED_ON,
                                           CallChange.ENDED]
    assert agent.tracker.passed_on_count == 0
    assert agent.tracker.active_calls() == []


def test_the_caller_leaving_while_a_colleague_rings_is_missed(agent: Agent) -> None:
    queue_call(agent)
    passed_on(agent)
    agent.leg(16.1, "ringing", "B2", ext="1002", called="1002")
    assert agent.hangup(25.0, "B2", "ORIGINATOR_CANCEL") == []  # the colleague's ring ends
    (call, change), = agent.hangup(25.01, "T", "ORIGINATOR_CANCEL")  # the caller's leg
    assert (change, call.outcome, call.ended_at) == (CallChange.ENDED, CallOutcome.MISSED,
                                                     16.0)
    assert agent.tracker.missed_count == 1


@pytest.mark.parametrize(("cause", "outcome"), [
    ("Cancel", CallOutcome.MISSED), ("Terminated", CallOutcome.ANSWERED_ELSEWHERE)])
def test_member_queue_end_gives_the_verdict(agent: Agent, cause: str,
                                            outcome: CallOutcome) -> None:
    queue_call(agent)
    passed_on(agent)
    (call, _), = agent.feed(30.0, event="member-queue-end", memberUUID=MEMBER,
                            cidName=CUSTOMER, cause=cause)
    assert call.outcome is outcome
    assert agent.tracker.missed_count == (outcome is CallOutcome.MISSED)


def test_bridge_agent_start_of_a_colleague_for_our_caller(agent: Agent) -> None:
    queue_call(agent)
    passed_on(agent)
    assert agent.feed(17.0, event="bridge-agent-start", agent="1001@firma") == []  # us?
    (call, _), = agent.feed(18.0, event="bridge-agent-start", agent="1002@firma",
                            agentUUID="a-2", memberUUID=MEMBER)
    assert (call.outcome, call.answered_by) == (CallOutcome.ANSWERED_ELSEWHERE, "1002")


def test_bridge_agent_start_without_the_caller_is_used_only_when_unambiguous(
        agent: Agent) -> None:
    queue_call(agent)
    member_start(agent, 2.0, member="m-2", caller="05427730516")  # another caller waits
    passed_on(agent)
    uuid_agent = "34a21a16-73c3-5edf-bd7e-8bbbf386f44d"
    assert agent.feed(18.0, event="bridge-agent-start", agent=uuid_agent) == []
    agent.feed(19.0, event="member-queue-end", memberUUID="m-2", cause="Terminated")
    (call, _), = agent.feed(20.0, event="bridge-agent-start", agent=uuid_agent)
    assert (call.outcome, call.answered_by) == (CallOutcome.ANSWERED_ELSEWHERE, None)


def test_the_queue_comes_round_to_us_again_and_we_answer(agent: Agent) -> None:
    queue_call(agent)
    passed_on(agent)
    agent.leg(16.1, "ringing", "B2", ext="1002", called="1002")
    agent.hangup(31.0, "B2", "NO_ANSWER")
    (call, change), = agent.leg(31.1, "ringing", "B3")  # our phone again: the same call
    assert (change, call.state, call.passed_at) == (CallChange.UPDATED, CallState.RINGING,
                                                    None)
    assert call.legs == ("B1", "B3")
    (call, change), = agent.leg(33.0, "answered", "B3")
    assert (change, call.state) == (CallChange.ANSWERED, CallState.ANSWERED)
    assert agent.hangup(90.0, "T") == []  # the caller's leg: not ours, not held any more
    (call, change), = agent.hangup(90.0, "B3")
    assert (change, call.outcome, call.talk_seconds()) == (CallChange.ENDED,
                                                           CallOutcome.ANSWERED, 57.0)
    assert agent.tracker.missed_count == 0


def test_without_any_sign_the_verdict_is_missed_after_the_timeout(agent: Agent) -> None:
    queue_call(agent)
    passed_on(agent)
    assert agent.tick(16.0 + QUEUE_VERDICT_TIMEOUT - 1) == []
    # A colleague being offered the call is a sign it goes on: the wait is longer.
    agent.leg(16.0 + QUEUE_VERDICT_TIMEOUT - 1, "ringing", "B2", ext="1002", called="1002")
    assert agent.tick(16.0 + QUEUE_VERDICT_TIMEOUT + 1) == []
    (call, change), = agent.tick(16.0 + 2 * QUEUE_VERDICT_TIMEOUT)
    assert (change, call.outcome, call.ended_at) == (CallChange.ENDED, CallOutcome.MISSED,
                                                     16.0)
    assert agent.tracker.missed_count == 1


def test_a_hint_naming_the_trunk_settles_it_both_ways(agent: Agent) -> None:
    queue_call(agent, otherLegUUID="T")
    passed_on(agent)
    (call, _), = agent.leg(20.0, "answered", "B2", ext="1002", called="1002",
                           otherLegUUID="T")
    assert call.outcome is CallOutcome.ANSWERED_ELSEWHERE
    other = Agent()
    queue_call(other, otherLegUUID="T")
    passed_on(other)
    (call, _), = other.hangup(20.0, "T", "ORIGINATOR_CANCEL")
    assert call.outcome is CallOutcome.MISSED


def test_a_ring_group_answered_through_the_callers_leg(agent: Agent) -> None:
    # Tekil-style: the queue is named on the legs; the caller's leg is answered only
    # when somebody answers (no music on hold).
    agent.leg(1.0, "ringing", "T", ext=QUEUE, called=DID, queue=QUEUE)
    agent.leg(1.2, "ringing", "B1", queue=QUEUE)
    passed_on(agent)
    (call, _), = agent.leg(20.0, "answered", "T", ext=QUEUE, called=DID)
    assert (call.outcome, call.queue) == (CallOutcome.ANSWERED_ELSEWHERE, QUEUE)


def test_cc_queue_marks_a_queue_call(agent: Agent) -> None:
    agent.leg(1.0, "ringing", "T", ext="60001", called=DID)
    (call, _), = agent.leg(1.2, "ringing", "B1", cc_queue="60001@firma.kobipbx.com")
    assert call.queue == "60001@firma.kobipbx.com"
    passed_on(agent)


# ---------------------------------------------------------------- when the verdict is not held


def test_a_call_that_is_not_a_queue_call_is_missed_at_once(agent: Agent) -> None:
    agent.leg(1.0, "ringing", "T", ext="1001", called=DID)
    agent.leg(1.2, "ringing", "B1")
    (call, change), = agent.hangup(16.0, "B1", "NO_ANSWER")
    assert (change, call.outcome) == (CallChange.ENDED, CallOutcome.MISSED)


def test_one_id_per_call_its_hangup_is_the_call_s_end(agent: Agent) -> None:
    # Tekil, one id for the whole call: nothing but our own leg is ever seen.
    agent.leg(1.0, "ringing", "C", called=DID, queue=QUEUE)
    (call, change), = agent.hangup(16.0, "C", "ORIGINATOR_CANCEL")
    assert (change, call.outcome) == (CallChange.ENDED, CallOutcome.MISSED)


def test_one_id_rung_on_a_colleague_too_is_the_whole_call(agent: Agent) -> None:
    member_start(agent, 1.0)
    agent.leg(1.0, "ringing", "C", called=DID)
    agent.leg(16.0, "ringing", "C", ext="1002", called=DID)  # the queue moved on: same id
    (call, change), = agent.hangup(30.0, "C", "NO_ANSWER")
    assert (change, call.outcome) == (CallChange.ENDED, CallOutcome.MISSED)


def test_our_leg_losing_the_race_is_still_answered_elsewhere_at_once(agent: Agent) -> None:
    queue_call(agent)
    (call, change), = agent.hangup(16.0, "B1", "LOSE_RACE")
    assert (change, call.outcome) == (CallChange.ENDED, CallOutcome.ANSWERED_ELSEWHERE)


def test_without_ringing_a_passed_on_call_starts_passed_on(agent: Agent) -> None:
    # Profiles without ``ringing``: our leg is first seen by its hangup (with its fields).
    member_start(agent, 1.0)
    agent.leg(1.0, "answered", "T", ext=QUEUE, called=DID)
    (call, change), = agent.hangup(16.0, "B1", "NO_ANSWER", extension="1001",
                                   callerNumber=CUSTOMER, calledNumber="1001")
    assert (change, call.state) == (CallChange.STARTED, CallState.PASSED_ON)
    (call, change), = agent.leg(20.0, "answered", "B2", ext="1002", called="1002")
    assert call.outcome is CallOutcome.ANSWERED_ELSEWHERE


# ---------------------------------------------------------------- what the popup says


def test_the_popup_names_the_did_not_our_own_extension(agent: Agent) -> None:
    queue_call(agent)
    (call, _) = agent.seen[0]
    assert (call.called.raw, call.caller.key) == (DID, CUSTOMER_KEY)  # from the caller's leg
    assert route_number(call) is not None
    assert route_number(call).raw == DID  # type: ignore[union-attr]
    other = Agent()
    (call, _), = other.leg(1.0, "ringing", "B")  # only the leg to our phone: "called 1001"
    assert call.called.raw == "1001"
    assert route_number(call) is None


def test_a_status_only_call_names_no_number_it_went_to(agent: Agent) -> None:
    agent.status(1.0, "1001", 8)
    (call, _), = agent.tick(2.0)
    assert call.synthetic
    assert route_number(call) is None


# ---------------------------------------------------------------- Tekil status only


def test_status_only_the_ring_moves_to_a_colleague_who_answers(agent: Agent) -> None:
    agent.status(1.0, "1001", 8)
    agent.tick(2.0)
    (call, change), = agent.status(16.0, "1001", 0)  # our offer timed out
    assert change is CallChange.PASSED_ON
    assert agent.status(16.05, "1002", 8) == []  # ... and went to 1002
    assert agent.tick(16.0 + STATUS_PAIR_WINDOW * 3) == []  # followed there, not missed
    (call, change), = agent.status(24.0, "1002", 1)
    assert (change, call.outcome, call.answered_by, call.ended_at) == (
        CallChange.ENDED, CallOutcome.ANSWERED_ELSEWHERE, "1002", 16.0)
    assert agent.tracker.missed_count == 0


def test_status_only_the_followed_ring_ends_and_nobody_rings_again(agent: Agent) -> None:
    agent.status(1.0, "1001", 8)
    agent.tick(2.0)
    agent.status(16.0, "1001", 0)
    agent.status(16.05, "1002", 8)
    agent.status(31.0, "1002", 0)  # the caller gave up while 1002 rang
    assert agent.tick(31.0 + STATUS_PAIR_WINDOW / 2) == []
    (call, _), = agent.tick(31.0 + STATUS_PAIR_WINDOW)
    assert (call.outcome, call.ended_at) == (CallOutcome.MISSED, 16.0)


def test_status_only_the_ring_comes_back_to_us(agent: Agent) -> None:
    agent.status(1.0, "1001", 8)
    (first, _), = agent.tick(2.0)
    agent.status(16.0, "1001", 0)
    agent.status(16.05, "1002", 8)
    agent.status(31.0, "1002", 0)
    (call, change), = agent.status(31.05, "1001", 8)  # round to us again
    assert (change, call.call_id, call.state) == (CallChange.UPDATED, first.call_id,
                                                  CallState.RINGING)
    (call, change), = agent.status(33.0, "1001", 1)
    assert (change, call.state) == (CallChange.ANSWERED, CallState.ANSWERED)


def test_a_queue_member_whose_end_was_lost_is_forgotten(agent: Agent) -> None:
    member_start(agent, 1.0)  # ... and its member-queue-end never comes
    later = 1.0 + 4 * 3600
    agent.leg(later, "ringing", "T", ext="1001", called=DID)  # a direct call, hours later
    agent.leg(later, "ringing", "B1")
    (call, change), = agent.hangup(later + 15, "B1", "NO_ANSWER")
    assert (change, call.outcome) == (CallChange.ENDED, CallOutcome.MISSED)

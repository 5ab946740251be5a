"""PopupQueue: a few popups (ringing first), one missed summary, bounded memory."""

from __future__ import annotations

from desktop.core.caller_card import CallerCard, CardOutcome, CardState
from desktop.core.numbers import parse_number
from desktop.core.popup_queue import MAX_CALL_POPUPS, MissedSummary, PopupQueue, Rank, rank_of


def card(call_id: str, state: CardState = CardState.RINGING, *,
         outcome: CardOutcome | None = None, number: str = "05321234567",
         **fields: object) -> CallerCard:
    if state is CardState.ENDED and outcome is None:
        outcome = CardOutcome.ANSWERED
    return CallerCard(call_id=call_id, state=state, number=parse_number(number),
                      outcome=outcome, **fields)  # type: ignore[arg-type]


def missed(call_id: str, **fields: object) -> CallerCard:
    return card(call_id, CardState.ENDED, outcome=CardOutcome.MISSED, **fields)


def shown(queue: PopupQueue) -> list[str]:
    return [c.call_id for c in queue.shown()]


def test_ranks() -> None:
    assert rank_of(card("a")) is Rank.RINGING
    assert rank_of(card("a", CardState.ANSWERED)) is Rank.IN_PROGRESS
    assert rank_of(card("a", CardState.ON_HOLD)) is Rank.IN_PROGRESS
    assert rank_of(card("a", CardState.ENDED)) is Rank.ENDED


def test_at_most_three_and_the_rest_wait_in_order() -> None:
    queue = PopupQueue()
    assert MAX_CALL_POPUPS == 3
    results = [queue.offer(card(f"c{i}")) for i in range(5)]
    assert results == [True, True, True, False, False]
    assert shown(queue) == ["c0", "c1", "c2"]
    assert queue.waiting_count() == 2
    # The first popup's call is answered elsewhere and closes: the oldest waiting call
    # takes its slot, in its place in the stack (nothing else moves).
    queue.offer(card("c0", CardState.ENDED, outcome=CardOutcome.ANSWERED_ELSEWHERE))
    assert shown(queue) == ["c3", "c1", "c2"]
    assert queue.waiting_count() == 1


def test_ringing_comes_before_the_call_in_progress() -> None:
    queue = PopupQueue()
    queue.offer(card("talk", CardState.ANSWERED))
    queue.offer(card("r1"))
    queue.offer(card("r2"))
    assert shown(queue) == ["talk", "r1", "r2"]
    queue.offer(card("r3"))
    assert shown(queue) == ["r3", "r1", "r2"]  # r3 took the answered call's place
    assert queue.waiting_count() == 1
    assert queue.card("talk") is not None  # waiting, not forgotten
    queue.offer(missed("r1"))
    # The call in progress is back; a popup that went leaves a gap the rest close up.
    assert shown(queue) == ["r3", "r2", "talk"]


def test_ended_popups_make_way_for_ringing_calls() -> None:
    queue = PopupQueue()
    for i in range(3):
        queue.offer(card(f"c{i}", CardState.ENDED))
    assert queue.offer(card("new"))
    assert "new" in shown(queue)
    assert len(shown(queue)) == 3
    # An ended call finds no slot among ringing ones: it is not worth a popup.
    full = PopupQueue()
    for i in range(3):
        full.offer(card(f"r{i}"))
    assert not full.offer(card("old", CardState.ENDED))
    assert full.waiting_count() == 0


def test_a_popup_under_the_mouse_is_not_taken_away() -> None:
    queue = PopupQueue(max_popups=1)
    queue.offer(card("talk", CardState.ANSWERED))
    queue.pin("talk", True)
    assert not queue.offer(card("ring"))
    assert shown(queue) == ["talk"]
    queue.pin("talk", False)
    assert shown(queue) == ["ring"]


def test_a_shown_call_ending_lets_a_waiting_ringing_call_in_at_once() -> None:
    queue = PopupQueue(max_popups=1)
    queue.offer(card("a", CardState.ANSWERED))
    queue.offer(card("b", CardState.ANSWERED))
    assert shown(queue) == ["a"]
    queue.offer(card("a", CardState.ENDED))  # a's popup would linger for its auto-close
    assert shown(queue) == ["b"]


def test_missed_calls_make_one_summary_counted_once() -> None:
    queue = PopupQueue()
    queue.offer(card("m1", name="Ayşe", contact_id=1))
    assert not queue.offer(missed("m1", name="Ayşe", contact_id=1))
    assert shown(queue) == []
    for i in range(2, 6):
        queue.offer(card(f"m{i}"))
        queue.offer(missed(f"m{i}"))
    queue.offer(missed("m5"))  # the same hang-up reported twice
    summary = queue.missed()
    assert summary.count == 5
    assert [c.call_id for c in summary.latest] == ["m5", "m4", "m3"]
    assert summary.newest is not None
    assert summary.newest.call_id == "m5"
    assert queue.missed_ids() == ["m1", "m2", "m3", "m4", "m5"]
    version = queue.missed_version
    assert queue.clear_missed() == ["m1", "m2", "m3", "m4", "m5"]
    assert queue.missed() == MissedSummary()
    assert queue.missed_version != version
    queue.offer(missed("m3"))  # a late card of a call already summed up
    assert queue.missed().count == 0
    # A call that rang while its popup had been dismissed is still a missed call.
    queue.offer(card("m9"))
    queue.close("m9")
    queue.offer(missed("m9"))
    assert queue.missed().count == 1


def test_a_flood_of_pairs_leaves_one_summary_and_no_popup() -> None:
    queue = PopupQueue()
    for i in range(3000):
        queue.offer(card(f"f{i}"))
        assert len(queue.shown()) <= MAX_CALL_POPUPS
        queue.offer(missed(f"f{i}"))
    assert queue.shown() == []
    assert queue.waiting_count() == 0
    assert queue.missed().count == 3000
    assert len(queue.missed().latest) == 3


def test_thousands_ringing_at_once_wait_and_drain_in_order() -> None:
    queue = PopupQueue()
    for i in range(3000):
        queue.offer(card(f"r{i}"))
    assert shown(queue) == ["r0", "r1", "r2"]
    assert queue.waiting_count() == 2997
    queue.close("r1")
    assert shown(queue) == ["r0", "r2", "r3"]
    for i in range(2000, 2100):
        queue.offer(missed(f"r{i}"))  # hang-ups of waiting calls: counted, not shown
    assert queue.waiting_count() == 2996 - 100
    assert queue.missed().count == 100


def test_closed_popups_do_not_come_back_unless_the_call_rings_anew() -> None:
    queue = PopupQueue()
    queue.offer(card("c1"))
    queue.close("c1")
    assert not queue.offer(card("c1", CardState.ANSWERED))
    assert not queue.offer(card("c1", CardState.ENDED, recording="r.wav"))
    assert queue.last_card is not None
    assert queue.last_card.recording == "r.wav"
    assert queue.offer(card("c1"))  # rang anew after it had ended
    queue.close("c1")
    assert queue.offer(card("c1", CardState.ENDED), force=True)  # the agent asked


def test_disabled_shows_only_on_request() -> None:
    queue = PopupQueue()
    assert not queue.offer(card("c1"), enabled=False)
    assert not queue.offer(missed("c1"), enabled=False)
    assert queue.missed().count == 0
    assert queue.offer(card("c1"), enabled=False, force=True)


def test_a_synthetic_call_hands_its_slot_to_the_real_one() -> None:
    queue = PopupQueue()
    queue.offer(card("ext-status:1001:1", synthetic=True))
    queue.offer(card("other"))
    assert queue.offer(card("real"), replaces="ext-status:1001:1")
    assert shown(queue) == ["real", "other"]
    # Both already had a popup: the merged one goes.
    queue.offer(card("ext-status:1001:2", synthetic=True))
    queue.offer(card("real2"))
    queue.offer(card("real2"), replaces="ext-status:1001:2")
    assert "ext-status:1001:2" not in shown(queue)


def test_memory_of_closed_calls_is_bounded() -> None:
    queue = PopupQueue(settled_memory=10)
    for i in range(100):
        queue.offer(card(f"c{i}"))
        queue.close(f"c{i}")
    assert len(queue._closed) == 10
    for i in range(100):
        queue.offer(missed(f"m{i}"))
    assert len(queue._counted) == 10
    assert queue.missed().count == 100


def test_clear_forgets_everything_shown() -> None:
    queue = PopupQueue()
    for i in range(5):
        queue.offer(card(f"c{i}"))
    queue.offer(missed("m"))
    queue.clear()
    assert queue.shown() == []
    assert queue.waiting_count() == 0
    assert queue.missed().count == 0
    assert not queue.offer(card("c4", CardState.ANSWERED))  # closed: late updates stay away


def test_a_call_passed_on_closes_at_once_and_only_its_verdict_counts() -> None:
    queue = PopupQueue()
    assert queue.offer(card("q"))
    # The queue offers the call to a colleague: no longer ringing here.
    assert not queue.offer(card("q", CardState.PASSED_ON))
    assert shown(queue) == []
    assert queue.missed().count == 0  # the verdict is not in yet
    assert not queue.offer(card("q", CardState.ENDED, outcome=CardOutcome.ANSWERED_ELSEWHERE))
    assert queue.missed().count == 0
    # Another call passed on, the caller left: one missed call, once.
    queue.offer(card("r"))
    queue.offer(card("r", CardState.PASSED_ON))
    assert not queue.offer(missed("r"))
    assert queue.missed().count == 1
    assert queue.missed_ids() == ["r"]


def test_a_call_passed_on_and_rung_here_again_gets_its_popup_back() -> None:
    queue = PopupQueue()
    queue.offer(card("q"))
    queue.offer(card("q", CardState.PASSED_ON))
    assert queue.offer(card("q"))  # the queue came round to us again
    assert shown(queue) == ["q"]


def test_a_waiting_call_passed_on_stops_waiting() -> None:
    queue = PopupQueue(max_popups=1)
    queue.offer(card("a"))
    queue.offer(card("b"))
    assert queue.waiting_count() == 1
    assert not queue.offer(card("b", CardState.PASSED_ON))
    assert queue.waiting_count() == 0
    assert queue.missed().count == 0

"""PhoneLine: events -> calls -> journal (written first) -> caller cards; connection losses."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from desktop.core.call_records import CallEnd
from desktop.core.caller_card import CardOutcome, CardState
from desktop.core.calls import CallTracker
from desktop.core.directory import ContactDraft, ContactNumber, Directory
from desktop.core.journal import Journal
from desktop.core.phone_line import TICK_INTERVAL, TICK_LINGER, PhoneLine
from desktop.pbx.connection import ConnectionState, Phase
from desktop.pbx.events import AnsweredEvent, HangupEvent, RingingEvent

DOMAIN = "5b0c0e4e-1d2f-4a6b-9c3d-000000000001"


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def stores(tmp_path: Path):
    directory = Directory(tmp_path / "contacts.sqlite3")
    journal = Journal(tmp_path / "journal.sqlite3")
    yield directory, journal
    directory.close()
    journal.close()


def make_line(stores, clock, *, journal_log=None):
    directory, journal = stores
    cards, states, missed = [], [], []

    class RecordingJournal:
        """The real journal, with the order of writes recorded."""

        def enqueue(self, call):
            if journal_log is not None:
                journal_log.append(("journal", call.call_id))
            journal.enqueue(call)
            journal.flush()  # the tests read the journal right after the event

        def history(self, *a, **kw):
            return journal.history(*a, **kw)

        def notes_for(self, key):
            return journal.notes_for(key)

    def on_card(card):
        if journal_log is not None:
            journal_log.append(("card", card.call_id))
        cards.append(card)

    line = PhoneLine(CallTracker(["1001"], DOMAIN, clock=clock), directory=directory,
                     journal=RecordingJournal(), on_card=on_card, on_state=states.append,
                     on_missed=missed.append, clock=clock)
    return line, cards, states, missed


def ringing(call_id: str, t: float, caller: str = "05321234567") -> RingingEvent:
    return RingingEvent(raw={}, received_at=t, call_id=call_id, extension="1001",
                        caller=caller, called="02242345678", domain=DOMAIN)


def test_known_caller_card_with_history_and_journal_written_before_the_card(stores, clock):
    directory, journal = stores
    directory.add(ContactDraft(name="Ayşe Yılmaz", company="Yıldız Lojistik A.Ş.",
                               numbers=(ContactNumber.of("0532 123 45 67"),), notes="VIP"))
    order: list[tuple[str, str]] = []
    line, cards, _, _ = make_line(stores, clock, journal_log=order)
    line.feed(ringing("c1", clock.now, caller="+905321234567"))
    line.feed(HangupEvent(raw={}, received_at=clock.now + 5, call_id="c1", domain=DOMAIN))
    line.feed(ringing("c2", clock.now + 60, caller="905321234567"))
    assert order[:2] == [("journal", "c1"), ("card", "c1")]
    first, second = cards[0], cards[-1]
    assert (first.name, first.company, first.notes) == ("Ayşe Yılmaz", "Yıldız Lojistik A.Ş.",
                                                        "VIP")
    assert first.number.e164 == "+905321234567"
    assert second.call_id == "c2"
    assert second.previous_calls == 1
    assert journal.get("c1").outcome == "missed"


def test_unknown_caller_and_missed_count(stores, clock):
    line, cards, _, missed = make_line(stores, clock)
    line.feed(ringing("c1", clock.now, caller="05559998877"))
    line.feed(HangupEvent(raw={}, received_at=clock.now + 3, call_id="c1", domain=DOMAIN))
    assert cards[0].contact_id is None
    assert cards[0].name is None
    assert cards[-1].state is CardState.ENDED
    assert cards[-1].outcome is CardOutcome.MISSED
    assert missed == [1]
    line.clear_missed()
    assert missed == [1, 0]


def _lose_and_regain(line, clock, lost_after: float, back_after: float) -> None:
    line._state_changed(ConnectionState(Phase.CONNECTED, connection=1))
    clock.now += lost_after
    line._state_changed(ConnectionState(Phase.RECONNECTING, reason="server closed",
                                        connection=1))
    clock.now += back_after
    line._state_changed(ConnectionState(Phase.CONNECTED, connection=2))


def answered(call_id: str, t: float) -> AnsweredEvent:
    return AnsweredEvent(raw={}, received_at=t, call_id=call_id, extension="1001",
                         caller="05321234567", domain=DOMAIN)


def test_a_long_answered_call_is_never_force_ended_by_a_reconnection(stores, clock):
    """Issue 10 §2: the old 32-minute cut-off (RECONNECT_TALK_GRACE) was a defect."""
    line, cards, _, _ = make_line(stores, clock)
    line._state_changed(ConnectionState(Phase.CONNECTED, connection=1))
    line.feed(answered("c1", clock.now))
    _lose_and_regain(line, clock, 60, 5)
    assert line.unsettled() == ["c1"]
    for _ in range(3 * 60):  # three hours of the tracker's timers
        clock.now += 60
        assert line.tracker.tick(clock.now) == []
    assert [c.call_id for c in line.tracker.active_calls()] == ["c1"]
    assert cards[-1].state is CardState.ANSWERED  # the popup keeps its buttons
    line.feed(HangupEvent(raw={}, received_at=clock.now, call_id="c1", domain=DOMAIN))
    assert cards[-1].state is CardState.ENDED
    assert cards[-1].outcome is CardOutcome.ANSWERED
    assert line.unsettled() == []


def test_an_unsettled_call_is_settled_by_its_call_record(stores, clock):
    _directory, journal = stores
    reported: list[list[str]] = []
    line, cards, _, _ = make_line(stores, clock)
    line._on_unsettled = reported.append
    line._state_changed(ConnectionState(Phase.CONNECTED, connection=1))
    line.feed(answered("c1", clock.now))
    _lose_and_regain(line, clock, 60, 5)
    assert reported == [["c1"]]
    ended_at = clock.now - 30  # the record: the call ended while we were away
    assert line.settle("c1", CallEnd(ended_at, "answered"))
    assert cards[-1].state is CardState.ENDED
    assert cards[-1].outcome is CardOutcome.ANSWERED
    assert cards[-1].ended_at == ended_at
    assert journal.get("c1").ended_at == ended_at  # journal written first, as live
    assert line.tracker.active_calls() == []
    assert not line.settle("c1", CallEnd(ended_at, "answered"))  # once


def test_a_ringing_call_whose_hangup_was_lost_stays_until_settled(stores, clock):
    line, cards, _, missed = make_line(stores, clock)
    line._state_changed(ConnectionState(Phase.CONNECTED, connection=1))
    line.feed(ringing("c1", clock.now))
    _lose_and_regain(line, clock, 1, 5)
    clock.now += 60
    line.tracker.tick(clock.now)
    assert [c.call_id for c in line.tracker.active_calls()] == ["c1"]  # no guessing
    assert line.settle("c1", CallEnd(clock.now - 50, "missed"))
    assert cards[-1].outcome is CardOutcome.MISSED
    assert missed == [1]


@pytest.mark.parametrize(("record", "outcome", "missed_count"), [
    ("answered", CardOutcome.ANSWERED, 0),  # answered while the line was away
    ("answered_elsewhere", CardOutcome.ANSWERED_ELSEWHERE, 0),  # a colleague took it
    ("not_answered", CardOutcome.MISSED, 1),  # fitted to an incoming call
])
def test_a_ringing_call_ends_with_the_outcome_its_record_gives(
        stores, clock, record: str, outcome: CardOutcome, missed_count: int) -> None:
    _directory, journal = stores
    line, cards, _, missed = make_line(stores, clock)
    line._state_changed(ConnectionState(Phase.CONNECTED, connection=1))
    line.feed(ringing("c1", clock.now))
    rang = clock.now
    _lose_and_regain(line, clock, 1, 5)
    assert line.settle("c1", CallEnd(rang + 80, record, answered_at=rang + 8))
    assert cards[-1].outcome is outcome
    assert cards[-1].ended_at == rang + 80
    assert (missed or [0])[-1] == missed_count
    row = journal.get("c1") if journal.flush(5.0) else None
    assert row is not None
    assert row.outcome == outcome.value
    if outcome is CardOutcome.ANSWERED:
        assert (cards[-1].answered_at, row.talk_seconds) == (rang + 8, 72)


def test_an_event_after_the_reconnection_settles_the_call(stores, clock):
    line, _, _, _ = make_line(stores, clock)
    line._state_changed(ConnectionState(Phase.CONNECTED, connection=1))
    line.feed(ringing("c1", clock.now))
    _lose_and_regain(line, clock, 1, 5)
    assert line.unsettled() == ["c1"]
    line.feed(answered("c1", clock.now + 1))
    assert line.unsettled() == []
    # the event won: the record is not applied
    assert not line.settle("c1", CallEnd(clock.now, "missed"))
    assert [c.call_id for c in line.tracker.active_calls()] == ["c1"]


def test_a_quiet_refresh_marks_calls_in_progress_unsettled(stores, clock):
    line, _, states, _ = make_line(stores, clock)
    line._state_changed(ConnectionState(Phase.CONNECTED, connection=1))
    line.feed(answered("c1", clock.now))
    line._state_changed(ConnectionState(Phase.CONNECTED, connection=1))  # same connection
    assert line.unsettled() == []
    line._state_changed(ConnectionState(Phase.CONNECTED, connection=2))  # quietly refreshed
    assert line.unsettled() == ["c1"]
    assert [s.phase for s in states] == [Phase.CONNECTED] * 3


def test_no_unsettled_bookkeeping_without_active_calls(stores, clock):
    line, _, _, _ = make_line(stores, clock)
    _lose_and_regain(line, clock, 1, 1)
    assert line.unsettled() == []
    assert line._unsettled == {}


class IdleChannel:
    """A channel that is connected and says nothing until cancelled."""

    def __init__(self, on_event, on_state) -> None:
        self.on_state = on_state

    async def run(self) -> None:
        self.on_state(ConnectionState(Phase.CONNECTED, connection=1))
        await asyncio.Event().wait()

    def kick(self, reason: str = "") -> None:
        pass


async def test_the_tracker_timers_sleep_while_nothing_is_pending(stores):
    import time as _time

    directory, journal = stores
    line = PhoneLine(CallTracker(["1001"], DOMAIN, grace=0.2), directory=directory,
                     journal=journal, on_card=lambda _c: None, on_state=lambda _s: None)
    task = asyncio.ensure_future(line.run(IdleChannel))
    try:
        await asyncio.sleep(1.0)
        assert line.ticks == 0  # idle: not a single wake-up (the old line ticked 4 times/s)
        line.feed(ringing("c1", _time.time()))
        await asyncio.sleep(0.6)
        assert line.ticks >= 1  # a call in progress: the timers run
        line.feed(HangupEvent(raw={}, received_at=_time.time(), call_id="c1", domain=DOMAIN))
        await asyncio.sleep(0.2 + TICK_LINGER + 2 * TICK_INTERVAL)  # grace + linger
        settled = line.ticks
        await asyncio.sleep(1.0)
        assert line.ticks == settled  # asleep again
    finally:
        task.cancel()
        await asyncio.wait([task])
